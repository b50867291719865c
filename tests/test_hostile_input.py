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
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, SHARED

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



def encoded(text: str, encoding: str) -> bytes:
    """``text`` (declared UTF-8) declared and written in ``encoding``."""
    return text.replace('encoding="UTF-8"', f'encoding="{encoding}"', 1).encode(encoding)


# Values whose bytes hold a "<" in these encodings (U+3C41 is 41 3C in UTF-16LE; "ぜ" is
# 24 3C in ISO-2022-JP): read as bytes, each attribute would seem a tag of its own.
CROWDED_BYTES = [("utf-8", "utf-8", "v"), ("utf-16", "UTF-16", "\u3c41"), ("iso-2022-jp", "ISO-2022-JP", "ぜ")]


@pytest.mark.parametrize("codec, declared, value", CROWDED_BYTES, ids=[c[0] for c in CROWDED_BYTES])
def test_crowded_elements_are_refused_in_any_encoding(tmp_path, codec, declared, value):
    """Issue 18 skips the walk of the tree when the bytes prove no element is crowded: only
    where a "<" byte is that character (UTF-8, ASCII, ISO 8859, Windows code pages). In UTF-16
    or ISO-2022-JP one can be half of another character, and the file is still refused."""
    from cmctei import xmlguard, xmlio
    from cmctei.xmlguard import MAX_ATTRIBUTES

    attributes = crowded(MAX_ATTRIBUTES + 1).replace('="v"', f'="{value}"')
    # (a URI takes no such character: the attributes between the declarations carry it)
    declarations = " ".join(f'xmlns:p{i}="urn:x-{i}"' + (f' a{i}="{value}"' if i < MAX_ATTRIBUTES else "")
                            for i in range(MAX_ATTRIBUTES + 1))
    namespaces = MINIMAL.replace("<body>", f"<body {declarations}>", 1)
    for text, what in ((attributes, "attributes"), (namespaces, "namespace declarations")):
        raw = encoded(text, declared) if codec != "utf-8" else text.encode("utf-8")
        assert not xmlguard.attributes_within_limits(raw)
        loaded, problems = xmlio.parse_document(raw, tmp_path / "minimal.xml", "minimal.xml")
        assert loaded is None and [p.rule for p in problems] == ["xml-limits"], problems
        assert f"<body> has {MAX_ATTRIBUTES + 1} {what}" in problems[0].message
    fine = encoded(crowded(MAX_ATTRIBUTES).replace('="v"', f'="{value}"'), declared)
    assert xmlio.parse_document(fine, tmp_path / "minimal.xml", "minimal.xml")[1] == []


def test_equals_signs_in_text_are_not_a_crowded_element(tmp_path):
    """Hundreds of "=" in one stretch of text: the bytes prove nothing, the tree is asked (the
    exact check), and the document is accepted."""
    from cmctei import xmlguard, xmlio

    raw = MINIMAL.replace("<p>We met", "<p>" + "x = y, " * 300 + "We met", 1).encode("utf-8")
    assert not xmlguard.attributes_within_limits(raw)
    assert xmlguard.too_many_attributes(etree_root(raw)) is None
    loaded, problems = xmlio.parse_document(raw, tmp_path / "minimal.xml", "minimal.xml")
    assert loaded is not None and problems == []


def etree_root(raw: bytes):
    from lxml import etree

    from cmctei.xmlio import safe_parser

    return etree.fromstring(raw, safe_parser(in_memory=True))


def test_the_byte_check_agrees_with_the_tree_on_every_file():
    """Wherever the bytes say no element is crowded, the tree says so too, on every master,
    fixture and foreign file here (and ../shared/foreign's when present); and the bytes prove
    it for every master (else the walk is not saved at all)."""
    from cmctei import xmlguard

    masters = sorted((ROOT / "tei").glob("*.xml")) + sorted((FIXTURES / "valid").glob("*.xml"))
    files = sorted(set(masters + list(FIXTURES.rglob("*.xml")) + list((SHARED / "foreign").glob("*.xml"))))
    proved = 0
    for path in files:
        raw = path.read_bytes()
        if xmlguard.attributes_within_limits(raw):
            proved += 1
            assert xmlguard.too_many_attributes(etree_root(raw)) is None, path
    assert all(xmlguard.attributes_within_limits(path.read_bytes()) for path in masters)
    assert proved >= len(files) - 2, (proved, len(files))


def test_the_byte_check_is_linear_on_hostile_bytes():
    """The worst shapes for a count of "=" between "<" (5 MB each), in a subprocess with a
    timeout: a check that went back over the bytes would spin here, and never finish."""
    script = """if True:
        from cmctei.xmlguard import attributes_within_limits as proved
        size = 5_000_000
        shapes = {b"<" + b"=" * 100: True, b"<a" + b"=" * 101: False, b"<": True, b"=": False, b"<=": True,
                  b"<" + b"a=" * 100 + b"b" * 50: True, b"x": True}
        for unit, expected in shapes.items():
            assert proved(unit * (size // len(unit))) is expected, unit[:20]
        assert proved(b"<" + b"a" * size) and not proved(b"<" + b"a=" * 101 + b"a" * size)
        assert not proved(b"<" + b" xmlns:p='u'" * 101) and proved(b"<" + b"xmlns" * 100 + b"<" * size)
        print("ok")
    """
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-2000:]

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
    from cmctei.output_paths import UnsafeName, output_file

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


# ------------------------------------------------------------------ 4. one bad input, one error

@pytest.mark.parametrize("attribute", [
    'xsi:type="foo"', 'xsi:type="tei:p" xmlns:tei="http://www.tei-c.org/ns/1.0"', 'xsi:nil="true"',
])
def test_schema_instance_attributes_are_a_located_error_not_an_internal_one(tmp_path, run_cli, attribute):
    """xsi:type="foo" on any element ended the run: internal error XMLSchemaKeyError."""
    text = MINIMAL.replace("<body>", f'<body xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" {attribute}>', 1)
    text = text.replace("<p>We met", '<p rend="loud">We met', 1)  # and a second problem, still reported
    path = tmp_path / "minimal.xml"
    path.write_text(text, encoding="utf-8")
    other = tmp_path / "other.xml"
    other.write_text(MINIMAL.replace("minimal", "other"), encoding="utf-8")
    code, out, err = run_cli("validate", "--no-cache", tmp_path)
    assert code == 1 and "internal error" not in err, err
    name = attribute.split("=")[0]
    start = text.index(name)
    line, col = text.count("\n", 0, start) + 1, start - text.rfind("\n", 0, start)
    assert f"{path}:{line}:{col}: error: [xsd-attribute] <body> has {name}=" in out, out
    rend_line = text.count("\n", 0, text.index('rend="loud"')) + 1
    assert f"{path}:{rend_line}:" in out  # the other problem of the file
    assert "2 files" in out and str(other) not in out  # the other file was checked, and is clean


def catalog_run(run_cli, tmp_path, entry: str) -> tuple[int, str, Path]:
    from convert_helpers import project, seed_text

    catalog, tei = project(tmp_path, {"a.txt": seed_text(MEMO), "b.txt": seed_text(MEMO)},
                           '[documents.a]\nsource = "a.txt"\n' + entry + "\n\n[documents.b]\nsource = \"b.txt\"\n"
                           'overrides = { date = "1962-10-30" }\n')
    code, _, err = run_cli("convert", "--catalog", catalog, "--tei-dir", tei)
    return code, err, tei


@pytest.mark.parametrize("entry, key_line, words", [
    ('translator = 5', 3, "translator must be text in quotes, not a whole number"),
    ('published = { editors = [1, 2] }', 3, "published.editors must be text in quotes, not a whole number"),
    ('overrides = { title = { a = 1 } }', 3, "overrides.title must be text in quotes, not a table"),
    ('genre = "memorandum"\n\n[documents.a.book]\ntitle = ["x"]', 6, "book.title must be text in quotes, not a list"),
    ('translator = "a\\u0000b"', 3, "control character U+0000"),
    ('source = "x"', 0, "not valid TOML"),  # a duplicate key: TOML's own error, at its line
    ('language = "Russian language"', 3, "is not a language code"),
    ('overrides = { date = 1962-10-30T10:00:00 }', 3, "overrides.date must be a date (YYYY-MM-DD), not a date and time"),
    ('published = { year = 1996.5 }', 3, "published.year must be text or a whole number, not a decimal number"),
])
def test_catalog_values_of_the_wrong_type_are_located_at_their_key(tmp_path, run_cli, entry, key_line, words):
    """Each used to be `internal error: TypeError/ValueError`, or, for a title given as a
    table, a conversion that failed later."""
    code, err, tei = catalog_run(run_cli, tmp_path, entry)
    assert code == 2 and "internal error" not in err and "Traceback" not in err, err
    assert words in err, err
    if key_line:
        assert f"catalog.toml:{key_line}:" in err, err
    assert not (tei / "a.xml").exists()


@pytest.mark.parametrize("entry, words", [
    ('source = "' + "x" * 300 + '.txt"', "cannot be a file name"),
    ('book = { title = ' + "[" * 5_000 + "]" * 5_000 + " }", "nested too deeply"),
])
def test_catalog_values_the_file_system_or_the_reader_cannot_take(tmp_path, run_cli, entry, words):
    from convert_helpers import project

    catalog, tei = project(tmp_path, {"a.txt": "x"}, "[documents.a]\n" + entry + "\n")
    code, _, err = run_cli("convert", "--catalog", catalog, "--tei-dir", tei)
    assert code == 2 and words in err and "catalog.toml:2:" in err and "internal error" not in err, err


def test_one_editor_given_as_text_is_one_editor(tmp_path, run_cli):
    """`editors = "Timothy Naftali"` was fifteen one-letter editors."""
    code, err, tei = catalog_run(run_cli, tmp_path, 'overrides = { date = "1962-10-30" }\n'
                                                    'published = { series = "S", editors = "Timothy Naftali" }')
    assert code == 0, err
    text = (tei / "a.xml").read_text(encoding="utf-8")
    assert text.count("<editor>") == 1 and "<persName>Timothy Naftali</persName>" in text


@pytest.mark.parametrize("entry, words", [
    ('soruce = "a.txt"', "soruce (did you mean source?)"),
    ('overrides = { tittle = "T" }', "tittle (did you mean title?)"),
])
def test_a_catalog_key_typo_is_at_the_keys_line_with_a_suggestion(tmp_path, run_cli, entry, words):
    from convert_helpers import project, seed_text

    catalog, tei = project(tmp_path, {"a.txt": seed_text(MEMO)},
                           '# the catalog\n\n[documents.a]\nsource = "a.txt"\n\n' + entry + "\n")
    code, _, err = run_cli("convert", "--catalog", catalog, "--tei-dir", tei)
    col = entry.index(words.split()[0]) + 1
    assert code == 2 and f"catalog.toml:6:{col}: error: [documents.a] unknown key(s)" in err and words in err, err


@pytest.mark.parametrize("docid", ["persons", "index", "all", "index-genre-memorandum"])
def test_reserved_docids_are_refused(tmp_path, run_cli, docid):
    """`persons` was accepted; `convert --force` then replaced tei/persons.xml (43 people → 2)."""
    from convert_helpers import project, seed_text

    catalog, tei = project(tmp_path, {"a.txt": seed_text(MEMO)},
                           f'[documents.{docid}]\nsource = "a.txt"\noverrides = {{ date = "1962-10-30" }}\n')
    register = (tei / "persons.xml").read_bytes()
    code, _, err = run_cli("convert", "--force", "--catalog", catalog, "--tei-dir", tei)
    assert code == 2 and f"catalog.toml:1:1: error: [documents.{docid}] the docid {docid!r} is kept" in err, err
    assert (tei / "persons.xml").read_bytes() == register
    assert sorted(p.name for p in tei.iterdir() if not p.name.startswith(".")) == ["persons.xml"]


def test_a_master_named_like_a_site_page_is_not_published_over_it(tmp_path, run_cli):
    tei = tmp_path / "tei"
    tei.mkdir()
    shutil.copy2(ROOT / "tei" / f"{MEMO}.xml", tei / f"{MEMO}.xml")
    shutil.copy2(ROOT / "tei" / f"{MEMO}.xml", tei / "index.xml")
    out = tmp_path / "build"
    code, _, err = run_cli("publish", "--out", out, "--register", ROOT / "tei" / "persons.xml", *sorted(tei.glob("*.xml")))
    assert code == 1 and f"{tei / 'index.xml'}:0:0: error: [publish-skipped]" in err and "kept for the site" in err
    assert (out / "html" / f"{MEMO}.html").is_file()
    assert "<title>" in (out / "html" / "index.html").read_text(encoding="utf-8")
    assert not (out / "html" / "tei" / "index.xml").exists()


# ------------------------------------------------------------------ 7. smaller faults

def test_ctrl_c_with_two_jobs_prints_no_traceback(tmp_path):
    """Ctrl-C reaches every process of the terminal's group, workers included: before, a
    worker printed its own traceback about 40% of the time (measured: 4 of 10)."""
    import signal

    folder = corpus.write_corpus(tmp_path / "project", 40, corpus.variants())
    env = dict(os.environ, CMCTEI_HOME=str(folder))
    assert subprocess.run(cmctei("convert", "--quiet"), cwd=folder, env=env, capture_output=True,
                          timeout=600).returncode == 0
    interrupted = 0
    for trial in range(8):
        process = subprocess.Popen(cmctei("publish", "--jobs", "2", "--quiet", "--all"), cwd=folder, env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
                                   preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        time.sleep(0.4 + 0.3 * trial)  # while the workers start, and while they work
        os.killpg(process.pid, signal.SIGINT)  # as a terminal does
        _, err = process.communicate(timeout=120)
        if process.returncode == 130:
            interrupted += 1
            assert err.strip().splitlines()[-1] == "cmctei: interrupted", err
        assert "Traceback" not in err and "SpawnPoolWorker" not in err and "KeyboardInterrupt" not in err, err
    assert interrupted >= 4  # most runs were really interrupted mid-way


def unshare_works() -> bool:
    try:
        return subprocess.run(["unshare", "-m", "true"], capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


@pytest.mark.skipif(shutil.which("unshare") is None or not unshare_works(),
                    reason="needs `unshare -m` (root) to mount tei/ read-only")
def test_a_read_only_tei_folder(tmp_path):
    """A real read-only mount (the tests run as root, which ignores permissions): before, even
    a run with nothing to do ended with `internal error … .cmctei.lock`."""
    from convert_helpers import project as make_project, seed_text

    catalog, tei = make_project(tmp_path, {"a.txt": seed_text(MEMO)},
                                '[documents.a]\nsource = "a.txt"\noverrides = { date = "1962-10-30" }\n')
    assert subprocess.run(cmctei("convert", "--catalog", catalog, "--tei-dir", tei), capture_output=True,
                          timeout=300).returncode == 0
    convert = " ".join(f"'{part}'" for part in cmctei("convert", "--changed", "--catalog", catalog, "--tei-dir", tei))
    script = (f"mount --bind '{tei}' '{tei}' && mount -o remount,bind,ro '{tei}' && "
              f"{convert}; echo rc=$?; echo more >> '{catalog.parent / 'a.txt'}'; {convert}; echo rc=$?")
    result = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, timeout=300)
    codes = re.findall(r"rc=(\d+)", result.stdout)
    assert codes == ["0", "2"], result.stdout + result.stderr
    assert "1 document: 1 unchanged" in result.stdout
    assert re.search(r"cannot write \S*a\.xml: Read-only file system", result.stderr), result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr


def test_a_fifo_or_folder_named_like_a_master(tmp_path):
    """Before: a FIFO at tei/<docid>.xml hung convert; validate skipped it (and a folder named
    x.xml) in silence; publish refused everything with "no such file"."""
    from convert_helpers import project as make_project, seed_text

    catalog, tei = make_project(tmp_path, {"a.txt": seed_text(MEMO), "b.txt": seed_text(MEMO)},
                                '[documents.a]\nsource = "a.txt"\noverrides = { date = "1962-10-30" }\n'
                                '[documents.b]\nsource = "b.txt"\noverrides = { date = "1962-10-30" }\n')
    os.mkfifo(tei / "a.xml")
    (tei / "folder.xml").mkdir()
    run = lambda *args: subprocess.run(cmctei(*args), capture_output=True, text=True, timeout=120)  # noqa: E731
    converted = run("convert", "--catalog", catalog, "--tei-dir", tei)
    assert converted.returncode == 1 and (tei / "b.xml").is_file()
    assert re.search(r"a\.xml:0:0: error: is a named pipe \(FIFO\), not a file", converted.stderr), converted.stderr
    validated = run("validate", "--register", tei / "persons.xml", tei)
    assert validated.returncode == 1
    assert re.search(r"a\.xml:0:0: error: \[xml-not-a-file\] a named pipe", validated.stdout), validated.stdout
    assert re.search(r"folder\.xml:0:0: warning: \[xml-not-a-file\]", validated.stdout)
    out = tmp_path / "build"
    published = run("publish", "--out", out, "--register", tei / "persons.xml",
                    *[p for p in sorted(tei.glob("*.xml")) if p.name != "persons.xml"])
    assert published.returncode == 1 and (out / "html" / "b.html").is_file()
    assert "a named pipe (FIFO)" in published.stderr and "no such file" not in published.stderr


def test_saxon_under_a_memory_limit_says_so(tmp_path):
    """Under `ulimit -v` below the 32 GiB its GraalVM runtime reserves, Saxon died with
    `graal_create_isolate error`; now the command says what is wrong and what to do."""
    import resource

    limit = 8 * 2**30

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    path = tmp_path / "minimal.xml"
    path.write_text(MINIMAL, encoding="utf-8")
    for args in (("validate", "--no-cache", path), ("publish", "--out", tmp_path / "build", path),
                 ("validate", "--no-cache", "--jobs", "2", *[path] * 20)):
        result = subprocess.run(cmctei(*args), capture_output=True, text=True, timeout=120, preexec_fn=limited)
        assert result.returncode == 2, result.stderr
        assert "needs 32.2 GiB of virtual address space" in result.stderr and "ulimit -v" in result.stderr
        assert "graal" not in result.stderr.lower() and "Traceback" not in result.stderr


def test_a_bug_met_on_one_input_costs_that_input_only(tmp_path, run_cli, monkeypatch):
    """The last line of defence, per document: whatever a future bug raises on one file is
    that file's located error, and convert, validate and publish go on with the others."""
    import cmctei.convert as convert
    from cmctei import publish
    from cmctei.validate import Validator
    from convert_helpers import project as make_project, seed_text

    catalog, tei = make_project(tmp_path, {"a.txt": seed_text(MEMO), "b.txt": seed_text(MEMO)},
                                '[documents.a]\nsource = "a.txt"\noverrides = { date = "1962-10-30" }\n'
                                '[documents.b]\nsource = "b.txt"\noverrides = { date = "1962-10-30" }\n')
    generate, check, summary = convert.generate, Validator.check, publish.Publisher._summary

    def bug() -> None:
        raise IndexError("a bug nobody has found yet")

    monkeypatch.setattr(convert, "generate", lambda entry, *a: bug() if entry.docid == "a" else generate(entry, *a))
    code, _, err = run_cli("convert", "--catalog", catalog, "--tei-dir", tei)
    assert code == 1 and (tei / "b.xml").is_file() and not (tei / "a.xml").exists()
    assert "a.txt:0:0: error: [internal-error] cmctei failed on this file: IndexError" in err, err
    monkeypatch.setattr(convert, "generate", generate)
    assert run_cli("convert", "--catalog", catalog, "--tei-dir", tei)[0] == 0

    monkeypatch.setattr(Validator, "check",
                        lambda self, loaded, path, *a, **k: bug() if path.stem == "a" else check(self, loaded, path, *a, **k))
    code, out, err = run_cli("validate", "--no-cache", "--register", tei / "persons.xml", tei / "a.xml", tei / "b.xml")
    assert code == 1 and f"{tei / 'a.xml'}:0:0: error: [internal-error]" in out and "2 files, 1 error" in out, out
    monkeypatch.setattr(Validator, "check", check)

    monkeypatch.setattr(publish.Publisher, "_summary",
                        lambda self, docid, tree: bug() if docid == "a" else summary(self, docid, tree))
    out_dir = tmp_path / "build"
    code, out, err = run_cli("publish", "--out", out_dir, "--register", tei / "persons.xml", tei / "a.xml", tei / "b.xml")
    assert code == 1 and "[internal-error]" in err and "1 of 2 documents published" in out, out + err
    assert (out_dir / "html" / "b.html").is_file() and not (out_dir / "html" / "a.html").exists()
