"""The second hostile-input battery (issue 16): each test reproduces an attack or a careless
act that used to succeed, and holds the fix.

Files that must never be opened are named pipes (FIFOs) watched from a thread: a reader
that opens one is seen (the watcher's non-blocking open for writing succeeds) and is let
go at once, so a regression fails the test instead of hanging it. Whatever could spin
runs in a subprocess with a timeout.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT

sys.path.insert(0, str(ROOT / "bench"))
import corpus  # noqa: E402

MINIMAL = (FIXTURES / "valid" / "minimal.xml").read_text(encoding="utf-8")
BODY = MINIMAL.split("?>", 3)[-1].lstrip()  # the document without its prolog
MEMO = "rfk-memo-to-rusk"


def cmctei(*args: object) -> list[str]:
    return [sys.executable, "-m", "cmctei", *map(str, args)]


class WatchedFifo:
    """A named pipe nobody may open: ``opened`` counts the readers that did."""

    def __init__(self, path: Path) -> None:
        self.path = path
        os.mkfifo(path)
        self.opened = 0
        self._stop = False
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._stop:
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:  # ENXIO: no reader
                time.sleep(0.005)
                continue
            self.opened += 1
            os.close(fd)  # the reader sees the end of the file and goes on

    def close(self) -> None:
        self._stop = True
        self._thread.join(timeout=2)


@pytest.fixture()
def fifo(tmp_path):
    watched = WatchedFifo(tmp_path / "secret-fifo")
    yield watched
    watched.close()


@pytest.fixture()
def project(tmp_path, monkeypatch):
    """A project of its own (CMCTEI_HOME), with a copy of one seed master."""
    folder = corpus.make_project(tmp_path / "project")
    shutil.copy2(ROOT / "tei" / f"{MEMO}.xml", folder / "tei" / f"{MEMO}.xml")
    monkeypatch.setenv("CMCTEI_HOME", str(folder))
    return folder


def doctype(target: str) -> str:
    return f'<!DOCTYPE TEI [\n  <!ENTITY % pe SYSTEM "{target}">\n  %pe;\n]>\n'


# ------------------------------------------------------------------ 2. the DOCTYPE refusal

def placements(target: str) -> dict[str, tuple[bytes, int]]:
    """A DOCTYPE loading ``target`` where the pre-scan of main could not see it: the file's
    bytes and the line the DOCTYPE starts on."""
    declaration = '<?xml version="1.0" encoding="UTF-8"?>\n'
    utf16 = '<?xml version="1.0" encoding="UTF-16"?>\n'
    return {
        "a tag in a comment before it": ((declaration + "<!-- <draft> -->\n" + doctype(target) + BODY).encode(), 3),
        "a tag in a processing instruction": ((declaration + "<?note <draft>?>\n" + doctype(target) + BODY).encode(), 3),
        "after 64 KiB of comment": ((declaration + "<!--\n" + "x" * 70_000 + "\n-->\n" + doctype(target) + BODY).encode(), 5),
        "UTF-16 LE without BOM": ((utf16 + doctype(target) + BODY).encode("utf-16-le"), 2),
        "UTF-16 BE without BOM": ((utf16 + doctype(target) + BODY).encode("utf-16-be"), 2),
        "UTF-32 without BOM": (('<?xml version="1.0" encoding="UCS-4"?>\n' + doctype(target) + BODY).encode("utf-32-be"), 2),
    }


@pytest.mark.parametrize("placement", list(placements("x")))
def test_a_doctype_anywhere_in_the_prolog_is_refused_at_its_line_and_loads_nothing(tmp_path, run_cli, fifo, placement):
    data, line = placements(str(fifo.path))[placement]
    path = tmp_path / "minimal.xml"
    path.write_bytes(data)
    code, out, err = run_cli("validate", path)
    assert code == 1, out + err
    assert out.startswith(f"{path}:{line}:1: error: [xml-doctype]"), out
    assert "external entities" in out
    assert fifo.opened == 0


def test_a_doctype_the_scan_misses_is_refused_after_parsing_and_loads_nothing(tmp_path, fifo, monkeypatch):
    """The parser itself cannot load an external parameter entity, and a parsed document
    that kept its DOCTYPE is refused, at the DOCTYPE's line: the pre-scan is not the only
    wall."""
    from cmctei import xmlguard, xmlio

    real, calls = xmlguard.find_doctype, []

    def blind_first(raw, encoding=None):
        calls.append(encoding)
        return (None, "") if len(calls) == 1 else real(raw, encoding)

    monkeypatch.setattr(xmlguard, "find_doctype", blind_first)
    for placement, (data, line) in placements(str(fifo.path)).items():
        calls.clear()
        path = tmp_path / "doc.xml"
        path.write_bytes(data)
        loaded, problems = xmlio.load(path)
        assert loaded is None and len(calls) == 2, placement
        assert [(p.rule, p.line) for p in problems] == [("xml-doctype", line)], (placement, problems)
    assert fifo.opened == 0


@pytest.mark.parametrize("target", ["/dev/zero", "/dev/stdin"])
def test_a_doctype_reading_a_device_never_hangs(tmp_path, target):
    path = tmp_path / "minimal.xml"
    path.write_text('<?xml version="1.0"?>\n<!-- <draft> -->\n' + doctype(target) + BODY, encoding="utf-8")
    for command in (cmctei("validate", path), cmctei("publish", "--out", tmp_path / "build", path)):
        result = subprocess.run(command, capture_output=True, text=True, timeout=120, stdin=subprocess.PIPE)
        assert result.returncode == 1, result.stderr
        assert f"{path}:3:1: error: [xml-doctype]" in result.stdout + result.stderr


def test_a_commented_out_doctype_is_only_a_comment(tmp_path, run_cli):
    path = tmp_path / "minimal.xml"
    path.write_text(MINIMAL.replace("?>\n", "?>\n<!-- <!DOCTYPE TEI SYSTEM 'tei.dtd'> -->\n", 1), encoding="utf-8")
    assert run_cli("validate", path)[0] == 0


# ------------------------------------------------------------------ 5. attribute counts

def crowded(count: int, namespaces: bool = False) -> str:
    """The minimal document with ``count`` attributes (or namespace declarations) on <body>."""
    each = 'xmlns:p{0}="urn:x-{0}"' if namespaces else 'a{0}="v"'
    return MINIMAL.replace("<body>", "<body " + " ".join(each.format(i) for i in range(count)) + ">", 1)


def test_thousands_of_attributes_on_one_element_are_refused_at_once(tmp_path, run_cli, monkeypatch):
    """Validation time grew as the cube of the attributes on one element (3,000: a minute):
    beyond the documented limit the file is refused at the element, before any schema runs."""
    import xmlschema

    from cmctei.xmlguard import MAX_ATTRIBUTES

    def never(*args, **kwargs):
        raise AssertionError("the detailed schema report ran")

    monkeypatch.setattr(xmlschema.XMLSchema10, "iter_errors", never)
    start = MINIMAL.index("<body>")
    line, col = MINIMAL.count("\n", 0, start) + 1, start - MINIMAL.rfind("\n", 0, start)
    for count, namespaces, what in ((5_000, False, "attributes"), (MAX_ATTRIBUTES + 1, False, "attributes"),
                                    (5_000, True, "namespace declarations")):
        path = tmp_path / "minimal.xml"
        path.write_text(crowded(count, namespaces), encoding="utf-8")
        code, out, err = run_cli("validate", "--no-cache", path)
        assert code == 1 and out.count("error:") == 1, out
        assert out.startswith(f"{path}:{line}:{col}: error: [xml-limits] <body> has {count} {what}"), out
        assert "Traceback" not in err and "SXXP0003" not in err


def test_attributes_up_to_the_limit_are_checked_as_usual(tmp_path, run_cli):
    from cmctei.xmlguard import MAX_ATTRIBUTES

    path = tmp_path / "minimal.xml"
    path.write_text(crowded(MAX_ATTRIBUTES), encoding="utf-8")
    code, out, err = run_cli("validate", "--no-cache", path)
    assert code == 1 and out.count("[xsd-attribute]") == MAX_ATTRIBUTES and "[xml-limits]" not in out
    assert "SXXP0003" not in err


# ------------------------------------------------------------------ 1. publish: bytes and paths

def tamper_catref(text: str, target: str) -> str:
    assert '<catRef scheme="#genre" target="#memorandum"/>' in text
    return text.replace('<catRef scheme="#genre" target="#memorandum"/>', f'<catRef scheme="#genre" target="{target}"/>')


def test_a_master_saved_during_publish_is_validated_not_published_on_an_old_check(project, run_cli, monkeypatch):
    """The validation record said the master was clean; it is saved with a catRef that
    points out of the project while publish runs. Before: published unvalidated, and
    ``index-genre-../../../PWNED.html`` written outside build/."""
    from cmctei import publish

    master = project / "tei" / f"{MEMO}.xml"
    assert run_cli("validate", project / "tei")[0] == 0  # the record now says: clean
    seed = master.read_text(encoding="utf-8")
    process = publish.Publisher.process

    def editor_saves_first(self, task):
        master.write_text(tamper_catref(seed, "#../../../PWNED"), encoding="utf-8")
        return process(self, task)

    monkeypatch.setattr(publish.Publisher, "process", editor_saves_first)
    out = project / "build"
    code, _, err = run_cli("publish", "--out", out)
    assert code == 1
    assert "[vocab-catref-target]" in err and "[publish-skipped]" in err, err
    assert not [p for p in project.parent.rglob("*PWNED*")]
    assert not list(out.glob(f"*/{MEMO}.*")) and not (out / "html" / "tei" / master.name).exists()


def test_what_is_published_is_the_bytes_that_were_validated(project, run_cli, monkeypatch):
    """Known clean from the record, read once: the copy beside the page is the file's bytes,
    and the manifest's digest is theirs."""
    from cmctei import cache

    master = project / "tei" / f"{MEMO}.xml"
    assert run_cli("validate", project / "tei")[0] == 0
    code, _, err = run_cli("publish", "--out", project / "build")
    assert code == 0, err
    manifest = json.loads((project / "build" / ".cmctei-publish.json").read_text(encoding="utf-8"))
    assert manifest["documents"][MEMO]["sha256"] == cache.sha256(master.read_bytes())
    assert (project / "build" / "html" / "tei" / master.name).read_bytes() == master.read_bytes()


def test_an_escaping_facet_value_never_becomes_a_path(tmp_path):
    """Even a document nobody validated (TEI that cmctei did not write) cannot name a page
    outside its folder: every output path made from data goes through one check."""
    from cmctei.publish import UnsafeName, output_file

    html = tmp_path / "build" / "html"
    for bad in ("index-genre-../../../PWNED.html", "../x.html", "a/b.html", ".hidden.html", "x\x00.html",
                "x" * 256 + ".html", "", "a\\b.html", "line\nbreak.html"):
        with pytest.raises(UnsafeName):
            output_file(html, bad)
    assert output_file(html, "index-genre-memorandum.html") == html / "index-genre-memorandum.html"


def published_project(project: Path, run_cli) -> tuple[Path, dict]:
    out = project / "build"
    code, _, err = run_cli("publish", "--out", out)
    assert code == 0, err
    return out / ".cmctei-publish.json", json.loads((out / ".cmctei-publish.json").read_text(encoding="utf-8"))


def test_a_tampered_manifest_cannot_delete_a_master(project, run_cli):
    """Before: a manifest entry named ``../../../tei/rfk-memo-to-rusk`` (its master gone)
    made publish delete tei/rfk-memo-to-rusk.xml."""
    path, manifest = published_project(project, run_cli)
    entry = dict(manifest["documents"][MEMO], master=str(project / "tei" / "gone.xml"))
    for name in (f"../../../tei/{MEMO}", f"../../tei/{MEMO}", f"../tei/{MEMO}", "/etc/x"):
        manifest["documents"][name] = entry
    path.write_text(json.dumps(manifest), encoding="utf-8")
    master = project / "tei" / f"{MEMO}.xml"
    before = master.read_bytes()
    code, _, err = run_cli("publish", "--out", project / "build")
    assert code == 0, err
    assert master.read_bytes() == before


@pytest.mark.parametrize("damage", [
    "docid with a slash", "facet value that escapes", "summary with a DOCTYPE", "summary of another docid",
    "citation of the wrong shape", "digest of the wrong type", "documents as a list", "deeply nested",
])
def test_a_tampered_manifest_costs_a_rebuild_nothing_else(project, run_cli, fifo, damage):
    path, manifest = published_project(project, run_cli)
    entry = manifest["documents"][MEMO]
    if damage == "docid with a slash":
        manifest["documents"] = {f"x/../{MEMO}": entry}
    elif damage == "facet value that escapes":
        entry["summary"] = entry["summary"].replace('genre="memorandum"', 'genre="../../../PWNED"')
    elif damage == "summary with a DOCTYPE":
        entry["summary"] = doctype(str(fifo.path)) + entry["summary"]
    elif damage == "summary of another docid":
        entry["summary"] = entry["summary"].replace(f'id="{MEMO}"', 'id="other"')
    elif damage == "citation of the wrong shape":
        entry["citation"] = ["bibtex"]
    elif damage == "digest of the wrong type":
        entry["sha256"] = 5
    elif damage == "documents as a list":
        manifest["documents"] = [entry]
    else:
        text = '{"config": "x", "documents": ' + "[" * 100_000 + "]" * 100_000 + "}"
    text = text if damage == "deeply nested" else json.dumps(manifest)
    path.write_text(text, encoding="utf-8")
    code, out, err = run_cli("publish", "--out", project / "build")
    assert code == 0, err
    assert "Traceback" not in err and "internal error" not in err
    assert (project / "build" / "html" / f"{MEMO}.html").is_file()
    assert not list(project.parent.rglob("*PWNED*"))
    assert fifo.opened == 0


def test_a_tampered_validation_record_costs_time_only(project, run_cli):
    record = project / "build" / ".cache" / "validate.json"
    assert run_cli("validate", project / "tei")[0] == 0
    data = json.loads(record.read_text(encoding="utf-8"))
    name = next(iter(data["clean"]))
    for value in (5, None, {"a": 1}, [1, 2], "text"):
        data["clean"][name] = value
        record.write_text(json.dumps(data), encoding="utf-8")
        code, out, err = run_cli("validate", project / "tei")
        assert code == 0 and "internal error" not in err, err
        code, _, err = run_cli("publish", "--out", project / "build", "--all")
        assert code == 0 and "internal error" not in err, err
