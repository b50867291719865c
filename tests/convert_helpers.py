"""Helpers for converter tests: an isolated project (catalog, sources, tei/, register)."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import ROOT


def project(tmp_path: Path, sources: dict[str, str | bytes], entries: str) -> tuple[Path, Path]:
    """A throw-away sources/ + tei/ pair with a copy of the real register.

    Returns (catalog path, tei dir). ``entries`` is the TOML text of the catalog.
    """
    src = tmp_path / "sources"
    tei = tmp_path / "tei"
    src.mkdir()
    tei.mkdir()
    for name, content in sources.items():
        path = src / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    (src / "catalog.toml").write_text(entries, encoding="utf-8")
    shutil.copy2(ROOT / "tei" / "persons.xml", tei / "persons.xml")
    return src / "catalog.toml", tei


def seed_text(docid: str) -> str:
    return (ROOT / "sources" / f"{docid}.txt").read_text(encoding="utf-8")
