"""Output names made from document data: safe by construction, checked when read back.

A document of a volume is published as ``build/html/<volume>-<document>.html``:
both parts come from the data (the file's name, the document's ``xml:id`` or
``@n``), and the list of them is kept in the manifest, which is read back on
the next run. Every such name goes through :func:`output_id` when it is
made and through :func:`checked` when it is read back, so none can hold a
path separator, start with a dot, be ``..`` or be longer than a file name
may be.
"""

from __future__ import annotations

import re

SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,149}")
_UNSAFE_RUN = re.compile(r"[^A-Za-z0-9._-]+")


def output_id(*parts: str) -> str:
    """An output name from ``parts`` (joined by "-"): characters outside [A-Za-z0-9._-]
    become "_", leading dots and hyphens go, the result is cut to 150 characters; never
    empty ("document")."""
    cleaned = [_UNSAFE_RUN.sub("_", part).strip("._-") for part in parts]
    name = re.sub(r"\.{2,}", ".", "-".join(part for part in cleaned if part))[:150].rstrip("._-")
    return name if SAFE.fullmatch(name) else "document"


def checked(value: object) -> str | None:
    """``value`` if it is a safe output name (e.g. read back from the manifest), else None."""
    if isinstance(value, str) and SAFE.fullmatch(value) and ".." not in value:
        return value
    return None
