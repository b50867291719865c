"""`convert --changed` when (almost) nothing changed (issue 18): the catalog kept by its SHA-256
in build/.cache/catalog.json, the masters found up to date before any worker starts, the
converters imported only when a document is converted. Each shortcut must give what the full
path gives: the same entries, the same located errors, the same protection of hand edits."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from convert_helpers import project, seed_text
from cmctei.convert import catalog as cat
from cmctei.convert import catalog_cache, masters

MEMO = seed_text("rfk-memo-to-rusk")
ENTRY = '[documents.{d}]\nsource = "{d}.txt"\noverrides = {{ date = "1962-10-30" }}\n'
EDIT = ("We met in my office.", "We met in my office. [Hand edit.]")


@pytest.fixture()
def home(tmp_path, monkeypatch) -> Path:
    """The project root (CMCTEI_HOME): the record goes to its build/.cache/."""
    monkeypatch.setenv("CMCTEI_HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)  # messages name tei/<docid>.xml
    return tmp_path


def record_of(home: Path) -> Path:
    return home / "build" / ".cache" / "catalog.json"


def three_documents(home: Path) -> Path:
    catalog, _ = project(home, {f"{d}.txt": MEMO for d in "abc"}, "".join(ENTRY.format(d=d) for d in "abc"))
    return catalog


def parse_fails(monkeypatch) -> None:
    def fail(*args, **kwargs):
        raise AssertionError("parsed: the record was not used")

    monkeypatch.setattr(cat, "parse", fail)


# ------------------------------------------------------------ the catalog's record


@pytest.mark.parametrize("catalog", [ROOT / "sources" / "catalog.toml",
                                     ROOT / "tests" / "fixtures" / "crafted" / "catalog.toml"],
                         ids=["seeds", "crafted"])
def test_the_record_gives_the_entries_a_parse_gives(tmp_path, monkeypatch, catalog):
    record = tmp_path / "catalog.json"
    fresh = cat.load(catalog)
    assert catalog_cache.load(catalog, record) == fresh
    assert record.is_file()
    parse_fails(monkeypatch)
    recalled = catalog_cache.load(catalog, record)
    assert recalled == fresh  # from the record: every field, line and path equal
    # and each table's keys in the catalog's order (== on dicts ignores it; the header does not)
    assert [catalog_cache._ordered(e) for e in recalled] == [catalog_cache._ordered(e) for e in fresh]


def test_a_master_converted_from_the_record_is_the_one_a_fresh_parse_gives(home, run_cli):
    """The oval-office seed's recording table lists tape, collection, repository: its master
    prints them in that order whether the catalog was parsed or read from its record (a record
    that sorted the keys printed "President's Office Files, …, Tape 58" on the second run)."""
    seed = "oval-office-1962-11-14"
    table = (ROOT / "sources" / "catalog.toml").read_text(encoding="utf-8").split(f"[documents.{seed}]", 1)[1]
    catalog, tei = project(home, {f"{seed}.txt": seed_text(seed)},
                           f"[documents.{seed}]" + table.split("\n[documents.", 1)[0])
    masters = []
    for _ in range(2):  # the first parses the catalog and keeps it; the second reads the record
        code, _, err = run_cli("convert", "--catalog", catalog, "--tei-dir", tei)
        assert code == 0, err
        masters.append((tei / f"{seed}.xml").read_bytes())
        (tei / f"{seed}.xml").unlink()
    assert record_of(home).is_file()
    assert masters[0] == masters[1] == (ROOT / "tei" / f"{seed}.xml").read_bytes()
    assert b"<p>Tape 58, President's Office Files" in masters[1]


def test_a_changed_catalog_is_read_again(home, monkeypatch):
    catalog = three_documents(home)
    record = record_of(home)
    [a, *_] = catalog_cache.load(catalog, record)
    assert a.overrides == {"date": "1962-10-30"}
    catalog.write_text(catalog.read_text(encoding="utf-8").replace("1962-10-30", "1962-10-31", 1), encoding="utf-8")
    [a, *_] = catalog_cache.load(catalog, record)
    assert a.overrides == {"date": "1962-10-31"}
    parse_fails(monkeypatch)  # and the record now holds the new catalog
    assert catalog_cache.load(catalog, record)[0].overrides == {"date": "1962-10-31"}


def test_a_catalog_with_a_problem_is_never_kept_and_says_where(home, run_cli):
    catalog = three_documents(home)
    catalog.write_text(catalog.read_text(encoding="utf-8") + '\n[documents.d]\nsource = "d.txt"\ngenre = "memo"\n',
                       encoding="utf-8")
    for _ in range(2):
        code, _, err = run_cli("convert", "--changed", "--catalog", catalog, "--tei-dir", home / "tei")
        assert code == 2
        assert "catalog.toml:13:1: error: [documents.d] unknown genre 'memo'" in err
    assert not record_of(home).exists()


def test_a_source_removed_since_the_catalog_was_kept_is_reported_as_a_parse_reports_it(home, run_cli):
    catalog = three_documents(home)
    code, _, err = run_cli("convert", "--changed", "--catalog", catalog, "--tei-dir", home / "tei")
    assert code == 0, err
    assert record_of(home).is_file()
    (catalog.parent / "b.txt").unlink()
    code, _, err = run_cli("convert", "--changed", "--catalog", catalog, "--tei-dir", home / "tei")
    assert code == 2
    assert "catalog.toml:5:1: error: [documents.b] the source file 'b.txt' does not exist in" in err


def test_a_source_linked_from_outside_is_refused_from_the_record_too(home):
    outside = home / "outside.txt"
    outside.write_text(MEMO, encoding="utf-8")
    catalog, _ = project(home, {"a.txt": MEMO}, ENTRY.format(d="a"))
    record = record_of(home)
    assert catalog_cache.load(catalog, record)[0].source == catalog.parent / "a.txt"
    (catalog.parent / "a.txt").unlink()
    (catalog.parent / "a.txt").symlink_to(outside)  # the same name, now leading out of sources/
    for _ in range(2):
        with pytest.raises(cat.CatalogError, match=r"catalog.toml:2:1: \[documents.a\] the source 'a.txt' is outside"):
            catalog_cache.load(catalog, record)


def _corruptions(data: dict) -> list[tuple[str, object]]:
    """Records damaged, or written by someone else, each under the catalog's own key."""
    key, documents = data["key"], data["documents"]

    def with_document(change) -> dict:
        copy = json.loads(json.dumps(data))
        change(copy["documents"][0])
        return copy

    def set_table(key_, value):
        return lambda item: item[2].__setitem__(key_, value)

    return [
        ("not JSON", b"{\"format\": 1, \"key\""),
        ("not UTF-8", b"\xff\xfe{}"),
        ("a list", [1, 2, 3]),
        ("another format", {**data, "format": 2}),
        ("another key", {**data, "key": "0" * 64}),
        ("documents not a list", {"format": 1, "key": key, "documents": {"a": 1}}),
        ("a document dropped", {**data, "documents": documents[1:]}),
        ("a document twice", {**data, "documents": documents + documents[:1]}),
        ("two documents swapped", {**data, "documents": [documents[1], documents[0], *documents[2:]]}),
        ("a document renamed", with_document(lambda item: item.__setitem__(0, "z"))),
        ("a document moved to another line", with_document(lambda item: item.__setitem__(1, 2))),
        ("an item not a triple", with_document(lambda item: item.pop())),
        ("a docid that leaves tei/", with_document(lambda item: item.__setitem__(0, "../../x"))),
        ("a reserved docid", with_document(lambda item: item.__setitem__(0, "persons"))),
        ("a line as text", with_document(lambda item: item.__setitem__(1, "1"))),
        ("a line of 0", with_document(lambda item: item.__setitem__(1, 0))),
        ("a line true", with_document(lambda item: item.__setitem__(1, True))),
        ("a source outside", with_document(set_table("source", "../../../etc/passwd"))),
        ("a source absolute", with_document(set_table("source", "/etc/passwd"))),
        ("a source missing", with_document(set_table("source", "nowhere.txt"))),
        ("a source with NUL", with_document(set_table("source", "a\x00.txt"))),
        ("an unknown key", with_document(set_table("script", "rm -rf /"))),
        ("an unknown genre", with_document(set_table("genre", "poem"))),
        ("a control character", with_document(set_table("translator", "a\x01b"))),
        ("a value not normal", with_document(set_table("published", {"editors": "One Name"}))),
        ("an empty section", with_document(set_table("archive", {}))),
        ("a date not ISO", with_document(set_table("overrides", {"date": "30 October 1962"}))),
        ("a number for a table", with_document(set_table("book", 5))),
        ("nested without end", b'{"format": 1, "documents": ' + b"[" * 100000 + b"]" * 100000 + b"}"),
    ]


def test_a_damaged_or_hostile_record_is_ignored_and_the_catalog_parsed(home):
    catalog = three_documents(home)
    record = record_of(home)
    fresh = cat.load(catalog)
    assert catalog_cache.load(catalog, record) == fresh
    data = json.loads(record.read_bytes())
    assert [item[0] for item in data["documents"]] == ["a", "b", "c"]
    for name, damaged in _corruptions(data):
        record.write_bytes(damaged if isinstance(damaged, bytes) else json.dumps(damaged).encode("utf-8"))
        assert catalog_cache.load(catalog, record) == fresh, name
        assert json.loads(record.read_bytes()) == data, name  # and written again as a parse gives it
    record.unlink()
    record.mkdir()  # not even a file
    assert catalog_cache.load(catalog, record) == fresh


def test_a_record_that_cannot_be_written_costs_time_only(home, run_cli):
    catalog = three_documents(home)
    (home / "build").write_text("not a folder", encoding="utf-8")
    for _ in range(2):
        code, out, err = run_cli("convert", "--changed", "--catalog", catalog, "--tei-dir", home / "tei")
        assert code == 0, err
    assert "3 unchanged" in out.splitlines()[-1]


# ------------------------------------------------------------ masters found up to date first


def edit_by_hand(master: Path) -> None:
    text = master.read_text(encoding="utf-8")
    assert EDIT[0] in text
    master.write_text(text.replace(*EDIT, 1), encoding="utf-8")


def test_hand_edits_are_kept_or_refused_exactly_as_before(home, run_cli):
    catalog = three_documents(home)
    tei = home / "tei"
    code, _, err = run_cli("convert", "--changed", "--catalog", catalog, "--tei-dir", tei)
    assert code == 0, err
    edit_by_hand(tei / "a.xml")
    edit_by_hand(tei / "b.xml")
    edited = {name: (tei / name).read_bytes() for name in ("a.xml", "b.xml")}
    source = catalog.parent / "b.txt"
    source.write_text(source.read_text(encoding="utf-8") + "\nA paragraph added to the source.\n", encoding="utf-8")
    code, out, err = run_cli("convert", "--changed", "--catalog", catalog, "--tei-dir", tei)
    assert code == 1
    assert "tei/a.xml: kept (edited by hand; its source has not changed)" in out
    assert "tei/b.xml: error: edited by hand since it was generated; not overwritten." in err
    assert out.splitlines()[-1].startswith("3 documents: 1 unchanged, 1 kept, 1 conflict;")
    assert {name: (tei / name).read_bytes() for name in edited} == edited
    assert (tei / "b.xml.new").is_file()
    # without --changed nothing is up to date: the edited master whose source did not change
    # is a conflict too (its conversion differs from it), never silently kept
    (tei / "b.xml.new").unlink()
    code, out, err = run_cli("convert", "--catalog", catalog, "--tei-dir", tei, "a")
    assert code == 1
    assert "tei/a.xml: error: edited by hand since it was generated; not overwritten." in err
    assert (tei / "a.xml").read_bytes() == edited["a.xml"]


def test_nothing_to_convert_starts_no_worker_and_keeps_catalog_order(home, run_cli, monkeypatch):
    from cmctei.convert import runner

    docids = [f"d{n:02d}" for n in range(20)]
    catalog, tei = project(home, {f"{d}.txt": MEMO for d in docids}, "".join(ENTRY.format(d=d) for d in docids))
    code, _, err = run_cli("convert", "--catalog", catalog, "--tei-dir", tei, "--quiet")
    assert code == 0, err
    edit_by_hand(tei / "d03.xml")
    edit_by_hand(tei / "d11.xml")

    def no_worker(*args):
        raise AssertionError("a worker was set up with nothing to convert")

    monkeypatch.setattr(runner, "_setup", no_worker)
    code, out, err = run_cli("convert", "--changed", "--jobs", "2", "--catalog", catalog, "--tei-dir", tei)
    assert code == 0, err
    assert [line.split(":")[0] for line in out.splitlines()[:-1]] == ["tei/d03.xml", "tei/d11.xml"]
    assert out.splitlines()[-1].startswith("20 documents: 18 unchanged, 2 kept;")


def test_the_converters_are_not_imported_when_nothing_is_converted(home, run_cli):
    """A run with nothing to convert: no genre converter, no vocabulary, no multiprocessing."""
    catalog = three_documents(home)
    code, _, err = run_cli("convert", "--catalog", catalog, "--tei-dir", home / "tei", "--quiet")
    assert code == 0, err
    script = ("import sys\nfrom cmctei.cli import main\n"
              f"code = main(['convert', '--changed', '--jobs', '2', '--catalog', {str(catalog)!r}, "
              f"'--tei-dir', {str(home / 'tei')!r}])\n"
              "heavy = ['cmctei.convert.genres', 'cmctei.convert.header', 'cmctei.convert.build',"
              " 'cmctei.convert.marks', 'multiprocessing']\n"
              "print([name for name in heavy if name in sys.modules])\nsys.exit(code)\n")
    for _ in range(2):  # the record written, then read
        result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                                check=False, env={**os.environ, "CMCTEI_HOME": str(home)}, cwd=home)
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines()[-1] == "[]"
    assert record_of(home).is_file()


# ------------------------------------------------------------ the state of a master


def test_state_of_is_the_seal_comparison(tmp_path):
    """The state is decided without sealing again; on masters edited at random it must say what
    `seal(data) == data` says."""
    rng = random.Random(18)
    seeds = [p.read_bytes() for p in sorted((ROOT / "tei").glob("*.xml")) if p.name != "persons.xml"]
    assert all(masters.state_of(data) is masters.State.PRISTINE for data in seeds)

    def reference(data: bytes) -> masters.State:
        if not masters._RECORDED.search(data):
            return masters.State.EDITED
        return masters.State.PRISTINE if masters.seal(data) == data else masters.State.EDITED

    for data in seeds:
        m = masters._RECORDED.search(data)
        variants = [data, data + b"\n", data[:m.start(2)] + b"0" * 64 + data[m.end(2):],
                    data[:m.start()] + data[m.start():m.end()] * 2 + data[m.end():],  # recorded twice
                    data[:m.start()] + data[m.end():]]
        for _ in range(40):
            position = rng.randrange(len(data))
            variants.append(data[:position] + bytes([rng.randrange(256)]) + data[position + 1:])
        for variant in variants:
            assert masters.state_of(variant) is reference(variant)
