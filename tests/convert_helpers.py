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


def convert_crafted(folder: Path, *docids: str) -> Path:
    """The crafted sources ``docids`` (tests/fixtures/crafted) converted afresh into ``folder``/tei,
    beside a copy of the register (converting may add unknown speakers to it): returns that tei/."""
    import contextlib
    import io

    from cmctei.cli import main

    tei = folder / "tei"
    tei.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "tei" / "persons.xml", tei / "persons.xml")
    said = io.StringIO()
    with contextlib.redirect_stdout(said), contextlib.redirect_stderr(said):
        code = main(["convert", "--catalog", str(ROOT / "tests" / "fixtures" / "crafted" / "catalog.toml"),
                     "--tei-dir", str(tei), "--quiet", *docids])
    assert code == 0, said.getvalue()
    return tei
