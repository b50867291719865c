"""Bad sources and catalogs: a clear message naming the file (and line), a non-zero
exit, and nothing half-written."""

from __future__ import annotations

from pathlib import Path

import pytest

from convert_helpers import project, seed_text

MEMO = seed_text("rfk-memo-to-rusk")


def run(run_cli, tmp_path, sources, catalog_text):
    catalog, tei = project(tmp_path, sources, catalog_text)
    code, out, err = run_cli("convert", "--catalog", catalog, "--tei-dir", tei)
    written = sorted(p.name for p in tei.iterdir() if p.name != "persons.xml" and not p.name.startswith("."))
    return code, out, err, written


def convert_valid(run_cli, tmp_path, validator, name: str, genre: str, text: str) -> Path:
    """Convert one source (dated in the catalog); it must convert and its master validate cleanly."""
    catalog, tei = project(tmp_path, {f"{name}.txt": text},
                           f'[documents.{name}]\nsource = "{name}.txt"\ngenre = "{genre}"\n'
                           'overrides = { date = "1962-11-01" }\n')
    code, _, err = run_cli("convert", "--catalog", catalog, "--tei-dir", tei)
    assert code == 0, err
    master = tei / f"{name}.xml"
    assert [p.format() for p in validator.validate_file(master)] == []
    return master


def test_unknown_genre_in_catalog(tmp_path, run_cli):
    code, _, err, written = run(run_cli, tmp_path, {"a.txt": MEMO}, '[documents.a]\nsource = "a.txt"\ngenre = "letter"\n')
    assert code == 2 and "catalog.toml:3:1:" in err and "unknown genre 'letter'" in err and written == []


def test_genre_not_shown_by_the_text(tmp_path, run_cli):
    code, _, err, written = run(run_cli, tmp_path, {"a.txt": "Some words.\n\nMore words.\n"},
                                '[documents.a]\nsource = "a.txt"\n')
    assert code == 1 and "sources/a.txt:1:1: error: cannot tell the genre" in err and written == []


def test_entry_without_its_source_file(tmp_path, run_cli):
    code, _, err, written = run(run_cli, tmp_path, {}, '\n\n[documents.gone]\nsource = "gone.txt"\n')
    assert code == 2 and "catalog.toml:4:1:" in err and "does not exist" in err and written == []


@pytest.mark.parametrize("catalog_text, line", [
    # the error names the line of the faulty key in the faulty entry, not an earlier mention of
    # its id, nor the entry's table header
    ('# b is the second entry\n[documents.a]\nsource = "a.txt"\ngenre = "memorandum"\n\n[documents."b"]\n'
     'source = "b.txt"\ngenre = "letter"\n', 8),
    # an inline table under [documents]
    ('[documents]\na = { source = "a.txt", genre = "memorandum" }\n"b" = { source = "b.txt", genre = "letter" }\n', 3),
])
def test_catalog_errors_name_the_entrys_line(tmp_path, run_cli, catalog_text, line):
    code, _, err, _ = run(run_cli, tmp_path, {"a.txt": MEMO, "b.txt": MEMO}, catalog_text)
    col = catalog_text.split("\n")[line - 1].index('genre = "letter"') + 1
    assert code == 2 and f"catalog.toml:{line}:{col}: error: [documents.b] unknown genre 'letter'" in err, err


def test_control_characters_become_spaces(tmp_path, run_cli):
    """Control characters XML cannot hold are replaced by spaces; tabs and line breaks stay."""
    source = MEMO.replace("In return", "In\x0breturn\x1f", 1)
    assert source != MEMO
    code, _, err, written = run(run_cli, tmp_path, {"a.txt": source},
                                 '[documents.a]\nsource = "a.txt"\noverrides = { date = "1962-10-30" }\n')
    assert code == 0, err
    xml = (tmp_path / "tei" / "a.xml").read_text(encoding="utf-8")
    assert "In return " in xml and "\x0b" not in xml and "\x1f" not in xml


@pytest.mark.parametrize("content, words", [
    (b"", "the source is empty"),
    (b"  \n\n \n", "the source is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "NUL bytes"),
])
def test_empty_and_binary_sources(tmp_path, run_cli, content, words):
    code, _, err, written = run(run_cli, tmp_path, {"a.txt": content}, '[documents.a]\nsource = "a.txt"\ngenre = "memorandum"\n')
    assert code == 1 and "sources/a.txt:" in err and words in err and written == []
    assert "Traceback" not in err


def test_windows_1252_source_is_converted_with_a_warning(tmp_path, run_cli):
    text = MEMO.replace("We met in my office.", "We met in my office \u2014 the caf\u00e9 was closed.")
    code, out, err, written = run(run_cli, tmp_path, {"a.txt": text.encode("cp1252")},
                                  '[documents.a]\nsource = "a.txt"\noverrides = { date = "1962-10-30" }\n')
    line = text[: text.index("caf")].count("\n") + 1
    assert code == 0 and written == ["a.xml"]
    assert f"sources/a.txt:{line}:1: warning: the source is not UTF-8; read it as Windows-1252" in err
    assert "the caf\u00e9 was closed" in (tmp_path / "tei" / "a.xml").read_text(encoding="utf-8")


@pytest.mark.parametrize("docid", ['"../evil"', '"a/b"', '"x..y"', '"-x"', '"a b"'])
def test_docids_that_could_escape_tei(tmp_path, run_cli, docid):
    code, _, err, written = run(run_cli, tmp_path, {"a.txt": MEMO}, f'[documents.{docid}]\nsource = "a.txt"\n')
    assert code == 2 and "docid" in err and written == []
    assert not (tmp_path / "evil.xml").exists()


def test_source_outside_sources(tmp_path, run_cli):
    (tmp_path / "secret.txt").write_text(MEMO, encoding="utf-8")
    code, _, err, written = run(run_cli, tmp_path, {}, '[documents.a]\nsource = "../secret.txt"\n')
    assert code == 2 and "outside" in err and written == []


@pytest.mark.parametrize("catalog_text, words", [
    ('[documents.a]\nsource = "a.txt"\n[documents.a]\nsource = "a.txt"\n', "not valid TOML"),
    ('[documents.a]\nsource = "a.txt"\nsoruce = "b.txt"\n', "unknown key(s) soruce"),
    ('[documents.a]\nsource = "a.txt"\noverrides = { date = "30/10/62" }\n', "is not an ISO date"),
    ('[documents.a\nsource = "a.txt"\n', "not valid TOML"),
])
def test_broken_catalogs(tmp_path, run_cli, catalog_text, words):
    code, _, err, written = run(run_cli, tmp_path, {"a.txt": MEMO}, catalog_text)
    assert code == 2 and words in err and "catalog.toml:" in err and written == []


def test_document_without_any_date(tmp_path, run_cli):
    code, _, err, written = run(run_cli, tmp_path, {"a.txt": MEMO}, '[documents.a]\nsource = "a.txt"\n')
    assert code == 1 and "the text shows no date" in err and written == []


CATALOG_WITH_BAD_ENTRIES = (
    '[documents.a]\nsource = "a.txt"\noverrides = { date = "1962-10-30" }\n\n'  # good
    '[documents.b]\nsource = "gone.txt"\n\n'                    # line 6: no such source
    '[documents.c]\nsource = "a.txt"\ngenre = "letter"\n\n'      # line 10: unknown genre
    '[documents.d]\nsource = "a.txt"\noverrides = { date = "1962-10-30", speakers = { "Tommy" = "nobody" } }\n\n'  # line 12
    '[documents.e]\nsource = "e.txt"\noverrides = { date = "1962-10-30" }\n'  # good
)


def test_an_entry_with_a_problem_is_left_out_and_the_others_are_converted(tmp_path, run_cli):
    """One mistyped entry does not keep a collection from being converted: each problem is said,
    located, the good entries are converted, and the run still fails (exit 2) for `make` to say."""
    code, out, err, written = run(run_cli, tmp_path, {"a.txt": MEMO, "e.txt": MEMO}, CATALOG_WITH_BAD_ENTRIES)
    assert code == 2, err
    assert written == ["a.xml", "e.xml"]
    assert "catalog.toml:6:1: error: [documents.b] the source file 'gone.txt' does not exist" in err
    assert "catalog.toml:10:1: error: [documents.c] unknown genre 'letter'" in err
    assert "catalog.toml:12:1: error: [documents.d] overrides.speakers maps 'Tommy' to 'nobody'" in err
    assert "2 documents (3 more left out: the catalog's errors above): 2 written" in out
    assert "Traceback" not in err


def test_a_selector_naming_an_entry_with_a_problem_says_the_problem_only(tmp_path, run_cli):
    catalog, tei = project(tmp_path, {"a.txt": MEMO, "e.txt": MEMO}, CATALOG_WITH_BAD_ENTRIES)
    code, out, err = run_cli("convert", "--catalog", catalog, "--tei-dir", tei, "c", "e")
    assert code == 2 and "[documents.c] unknown genre 'letter'" in err and "not in the catalog" not in err
    assert "1 document (1 more left out: the catalog's errors above): 1 written" in out
    assert sorted(p.name for p in tei.iterdir() if not p.name.startswith(".")) == ["e.xml", "persons.xml"]


def test_a_catalog_that_is_not_toml_still_stops_the_run(tmp_path, run_cli):
    code, _, err, written = run(run_cli, tmp_path, {"a.txt": MEMO},
                                '[documents.a]\nsource = "a.txt"\n[documents.a]\nsource = "a.txt"\n')
    assert code == 2 and "catalog.toml:3:" in err and "not valid TOML" in err and written == []


def test_unknown_selector(tmp_path, run_cli):
    catalog, tei = project(tmp_path, {"a.txt": MEMO}, '[documents.a]\nsource = "a.txt"\n')
    code, _, err = run_cli("convert", "--catalog", catalog, "--tei-dir", tei, "nope")
    assert code == 2 and "nope: not in the catalog" in err


def test_missing_register_is_refused(tmp_path, run_cli):
    catalog, tei = project(tmp_path, {"a.txt": MEMO}, '[documents.a]\nsource = "a.txt"\n')
    code, _, err = run_cli("convert", "--catalog", catalog, "--tei-dir", tei, "--register", tmp_path / "nope.xml")
    assert code == 2 and "person register not found" in err


def test_speaker_override_to_an_unknown_id_is_refused(tmp_path, run_cli):
    catalog, tei = project(tmp_path, {"a.txt": MEMO},
                           '[documents.a]\nsource = "a.txt"\noverrides = { speakers = { "Tommy" = "nobody" } }\n')
    code, _, err = run_cli("convert", "--catalog", catalog, "--tei-dir", tei)
    assert code == 2 and "'nobody', which is not in the register" in err


def test_unquoted_toml_date_is_accepted(tmp_path, run_cli):
    catalog, tei = project(tmp_path, {"a.txt": MEMO}, '[documents.a]\nsource = "a.txt"\noverrides = { date = 1962-10-30 }\n')
    code, _, err = run_cli("convert", "--catalog", catalog, "--tei-dir", tei)
    assert code == 0, err
    assert 'when="1962-10-30"' in (tei / "a.xml").read_text(encoding="utf-8")


@pytest.mark.parametrize("value", ['"19621030"', '"1962-1-3"'])
def test_compact_or_short_dates_are_refused(tmp_path, run_cli, value):
    catalog, tei = project(tmp_path, {"a.txt": MEMO}, f'[documents.a]\nsource = "a.txt"\noverrides = {{ date = {value} }}\n')
    code, _, err = run_cli("convert", "--catalog", catalog, "--tei-dir", tei)
    assert code == 2 and "not an ISO date" in err


def test_docid_must_be_an_xml_id(tmp_path, run_cli):
    code, _, err, written = run(run_cli, tmp_path, {"a.txt": MEMO}, '[documents.96-memo]\nsource = "a.txt"\n')
    assert code == 2 and "must start with a letter" in err and written == []


def test_orphan_footnote_without_a_page_is_kept(tmp_path, run_cli):
    """A footnote text whose marker is missing and which no paragraph precedes is never dropped."""
    transcript = ("¹ A note printed before any text, whose marker is lost.\n\n"
                  "Conversation on Cuba\n\n"
                  "President Kennedy: Yes.\n\nRusk: No.\n\nBundy: Perhaps.\n")
    code, _, err, written = run(run_cli, tmp_path, {"t.txt": transcript},
                                '[documents.t]\nsource = "t.txt"\ngenre = "transcript"\noverrides = { date = "1962-11-01" }\n')
    assert code == 0, err
    assert "whose marker is lost" in (tmp_path / "tei" / "t.xml").read_text(encoding="utf-8")


def test_stamp_between_speeches_stays_valid(tmp_path, run_cli, validator):
    transcript = ("Conversation on Cuba\n\nPresident Kennedy: Yes.\n\nSANITIZED\n\nRusk: No.\n\nBundy: Perhaps.\n")
    convert_valid(run_cli, tmp_path, validator, "t", "transcript", transcript)


def test_tape_time_alone_on_its_line_is_an_anchor(tmp_path, run_cli, validator):
    transcript = "Conversation on Cuba\n\nPresident Kennedy: Yes.\n\n[1:02:03]\n\nRusk: No.\n\nBundy: Perhaps.\n"
    xml = convert_valid(run_cli, tmp_path, validator, "t", "transcript", transcript).read_text(encoding="utf-8")
    assert '<anchor synch="#t3723"/>' in xml and '<when xml:id="t3723" interval="3723"' in xml
    assert "<incident" not in xml


def test_telegram_letterhead_keeps_the_printed_order(tmp_path, run_cli, validator):
    """Everything printed above a telegram's heading stays above its head, in printed order."""
    telegram = "DEPARTMENT OF STATE\n\nSANITIZED\n\n- 1 -\n\n[Two lines excised.]\n\n## OUTGOING TELEGRAM\n\nThe text.\n"
    master = convert_valid(run_cli, tmp_path, validator, "g", "telegram", telegram)
    from lxml import etree
    div = etree.parse(str(master)).find(".//{http://www.tei-c.org/ns/1.0}div")
    assert [(etree.QName(e).localname, e.get("type"), "".join(e.itertext())) for e in div] == [
        ("fw", "header", "DEPARTMENT OF STATE"), ("fw", "header", "SANITIZED"), ("fw", "pageNum", "- 1 -"),
        ("gap", None, "Two lines excised."), ("head", None, "OUTGOING TELEGRAM"), ("p", None, "The text.")]


def test_register_prolog_survives_additions(tmp_path, run_cli):
    transcript = "Conversation on Cuba\n\nGeneral Zorin: Yes.\n\nRusk: No.\n\nBundy: Perhaps.\n"
    catalog, tei = project(tmp_path, {"t.txt": transcript},
                           '[documents.t]\nsource = "t.txt"\ngenre = "transcript"\noverrides = { date = "1962-11-01" }\n')
    before = (tei / "persons.xml").read_bytes()
    code, _, err = run_cli("convert", "--catalog", catalog, "--tei-dir", tei)
    assert code == 0 and "unknown speaker 'General Zorin'" in err
    after = (tei / "persons.xml").read_bytes()
    prolog = before[: before.index(b"<TEI")]
    assert after.startswith(prolog) and b"General Zorin" in after
