"""Synthetic corpora for the benchmark, made from the seed sources.

A corpus is a small project folder (what ``CMCTEI_HOME`` points at)::

    <dir>/sources/<docid>.txt, sources/catalog.toml
    <dir>/tei/persons.xml          (the register; masters come from `convert`)
    <dir>/schemas, <dir>/xslt      (links to the project's own)

Documents cycle through *variants* of the seeds: each seed as it is, and
with its plain prose paragraphs repeated 2 or 3 times (varied lengths, same
phenomena). A variant is kept only if it converts without error and its TEI
is valid, so the benchmark never times error paths. Document ids are
distinct (``<seed>-v<k>-<n>``), so every output file is distinct.

The large single document repeats a transcript's speeches until its TEI is
about the size asked for (many transcripts, one file).
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"


@dataclass(frozen=True)
class Variant:
    seed: str          # docid of the seed in sources/catalog.toml
    factor: int        # how many times each plain paragraph appears
    text: str
    table: str         # the seed's catalog table, without its [documents.…] line


def _catalog_tables(catalog: Path) -> dict[str, str]:
    """The body of each [documents.<docid>] table, as written (comments dropped)."""
    tables: dict[str, str] = {}
    current = None
    for line in catalog.read_text(encoding="utf-8").splitlines():
        m = re.match(r"\s*\[documents\.\"?([^\]\"]+)\"?\]", line)
        if m:
            current = m.group(1)
            tables[current] = ""
        elif current and line.strip() and not line.lstrip().startswith("#"):
            tables[current] += line + "\n"
    return tables


def _plain(block: str) -> bool:
    """A block that can be repeated without changing the document's structure: prose of
    some length, no footnote marker or text, no bracketed editorial matter, not a heading."""
    stripped = block.strip()
    return (len(stripped) >= 200 and not re.search(f"[{SUPERSCRIPTS}\\[\\]]", stripped)
            and not stripped.isupper() and not stripped.startswith("#") and "\n\n" not in stripped)


def lengthen(text: str, factor: int) -> str:
    """Every plain paragraph of ``text`` written ``factor`` times."""
    blocks = re.split(r"(\n[ \t]*\n)", text)
    out = []
    for block in blocks:
        if factor > 1 and _plain(block):
            out.append("\n\n".join([block.strip("\n")] * factor))
        else:
            out.append(block)
    return "".join(out)


def variants(sources: Path = ROOT / "sources", factors: tuple[int, ...] = (1, 2, 3)) -> list[Variant]:
    """The seed variants that convert cleanly and validate (checked here, once)."""
    from cmctei.convert import catalog as cat
    from cmctei.convert import generate
    from cmctei.convert.persons import Register
    from cmctei.validate import Validator

    tables = _catalog_tables(sources / "catalog.toml")
    register = Register.load(ROOT / "tei" / "persons.xml")
    validator = Validator(register=ROOT / "tei" / "persons.xml")
    found: list[Variant] = []
    scratch = Path(os.environ.get("TMPDIR", "/tmp")) / f"cmctei-bench-variants-{os.getpid()}"
    scratch.mkdir(parents=True, exist_ok=True)
    try:
        for entry in cat.load(sources / "catalog.toml"):
            seen = set()
            for factor in factors:
                text = lengthen(entry.source.read_text(encoding="utf-8"), factor)
                if text in seen:
                    continue
                seen.add(text)
                source = scratch / f"{entry.docid}-v{factor}.txt"
                source.write_text(text, encoding="utf-8")
                trial = dataclasses.replace(entry, docid=f"{entry.docid}-v{factor}", source=source,
                                            source_name=source.name)
                try:
                    generated = generate(trial, register)
                except Exception:
                    continue
                if register.added:
                    register = Register.load(ROOT / "tei" / "persons.xml")
                    continue
                tei = scratch / f"{trial.docid}.xml"
                tei.write_bytes(generated.data)
                if validator.validate_file(tei):
                    continue
                found.append(Variant(entry.docid, factor, text, tables[entry.docid]))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return found


def _link(target: Path, link: Path) -> None:
    if not link.exists():
        link.symlink_to(target)


def make_project(folder: Path) -> Path:
    """An empty corpus project: links to schemas, xslt, pyproject; its own sources/ and tei/."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("schemas", "xslt", "pyproject.toml"):
        _link(ROOT / name, folder / name)
    (folder / "sources").mkdir(exist_ok=True)
    (folder / "tei").mkdir(exist_ok=True)
    shutil.copy2(ROOT / "tei" / "persons.xml", folder / "tei" / "persons.xml")
    return folder


def write_corpus(folder: Path, size: int, pool: list[Variant]) -> Path:
    """``size`` documents cycling through ``pool``, in a fresh project folder."""
    if folder.exists():
        shutil.rmtree(folder)
    make_project(folder)
    catalog = ["# synthetic benchmark corpus (bench/corpus.py)\n"]
    for n in range(size):
        variant = pool[n % len(pool)]
        docid = f"{variant.seed}-v{variant.factor}-{n:05d}"
        (folder / "sources" / f"{docid}.txt").write_text(variant.text, encoding="utf-8")
        table = re.sub(r'(?m)^source = "[^"]*"', f'source = "{docid}.txt"', variant.table)
        catalog.append(f"\n[documents.{docid}]\n{table}")
    (folder / "sources" / "catalog.toml").write_text("".join(catalog), encoding="utf-8")
    tomllib.loads("".join(catalog))  # a broken catalog here is a bug of this module
    return folder


def write_big(folder: Path, megabytes: float, pool: list[Variant]) -> Path:
    """One transcript whose speeches are repeated until its TEI is about ``megabytes``
    (many transcripts in one file)."""
    transcript = next(v for v in pool if v.factor == 1 and "recording" in v.table)
    blocks = re.split(r"\n[ \t]*\n", transcript.text)
    speeches = [b for b in blocks if re.match(r"^[A-Z][\w.’' ]{1,40}:\s", b) and _plain(b)]
    head = "\n\n".join(blocks[: blocks.index(speeches[0])])
    body = "\n\n".join(speeches)
    target = int(megabytes * 1_000_000 / 1.3)  # (the TEI of these speeches is ~1.3x their source)
    copies = max(1, target // (len(body.encode("utf-8")) + 2))
    text = head + "\n\n" + "\n\n".join([body] * copies) + "\n"
    big = Variant(transcript.seed, copies, text, transcript.table)
    return write_corpus(folder, 1, [big])
