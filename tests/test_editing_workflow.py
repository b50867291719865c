"""Hand edits and the conversion workflow (issue 16, item 3): a master saved while it is
being converted is never overwritten; the conflict advice names the document; --force
without a document replaces at most one edited master and keeps what it replaces;
`convert --accept` ends a conflict after a hand merge; `convert --diff` shows it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from convert_helpers import project, seed_text
from cmctei import paths
from cmctei.convert import masters

MEMO = seed_text("rfk-memo-to-rusk")
ENTRY = '[documents.{d}]\nsource = "{d}.txt"\noverrides = {{ date = "1962-10-30" }}\n'
EDIT = ("We met in my office.", "We met in my office. [Hand edit.]")


def two_documents(tmp_path: Path, run_cli) -> tuple[Path, Path]:
    catalog, tei = project(tmp_path, {"a.txt": MEMO, "b.txt": MEMO}, ENTRY.format(d="a") + ENTRY.format(d="b"))
    code, _, err = run_cli("convert", "--catalog", catalog, "--tei-dir", tei)
    assert code == 0, err
    return catalog, tei


def edit_by_hand(master: Path) -> str:
    text = master.read_text(encoding="utf-8")
    assert EDIT[0] in text
    edited = text.replace(*EDIT, 1)
    master.write_text(edited, encoding="utf-8")
    return edited


def change_source(catalog: Path, docid: str) -> None:
    source = catalog.parent / f"{docid}.txt"
    source.write_text(source.read_text(encoding="utf-8") + "\nA paragraph added to the source.\n", encoding="utf-8")


def test_a_master_saved_while_it_is_converted_is_not_overwritten(tmp_path, run_cli, monkeypatch):
    """Before: the state was read once, before generating; a save during the conversion was
    silently replaced."""
    import cmctei.convert as convert

    catalog, tei = two_documents(tmp_path, run_cli)
    change_source(catalog, "a")
    master = tei / "a.xml"
    generate, saved = convert.generate, []

    def editor_saves_meanwhile(entry, register, *args, **kwargs):
        result = generate(entry, register, *args, **kwargs)
        if entry.docid == "a":
            saved.append(edit_by_hand(master))
        return result

    monkeypatch.setattr(convert, "generate", editor_saves_meanwhile)
    code, _, err = run_cli("convert", "--catalog", catalog, "--tei-dir", tei)
    assert code == 1
    assert re.search(r"a\.xml: error: saved by hand while it was being converted; not overwritten", err), err
    assert master.read_text(encoding="utf-8") == saved[0]
    assert "A paragraph added" in (tei / "a.xml.new").read_text(encoding="utf-8")


@pytest.mark.parametrize("exchange", [True, False], ids=["kernel exchange", "compare then replace"])
def test_replace_if_unchanged_never_replaces_other_bytes(tmp_path, monkeypatch, exchange):
    if not exchange:
        monkeypatch.setattr(masters, "_exchange", lambda a, b: False)
    path = tmp_path / "x.xml"
    path.write_bytes(b"edited by hand")
    with pytest.raises(masters.Changed):
        masters.replace_if_unchanged(path, b"new", b"as generated")
    assert path.read_bytes() == b"edited by hand"
    with pytest.raises(masters.Changed):
        masters.replace_if_unchanged(path, b"new", None)  # "there was none": a file appeared
    assert path.read_bytes() == b"edited by hand"
    kept = masters.replace_if_unchanged(path, b"new", b"edited by hand", backup=True)
    assert path.read_bytes() == b"new" and kept == tmp_path / "x.xml.bak" and kept.read_bytes() == b"edited by hand"
    assert [p.name for p in tmp_path.iterdir() if "cmctei-tmp" in p.name] == []


def test_a_save_between_the_exchange_and_the_check_is_kept(tmp_path, monkeypatch):
    """The kernel exchanges the files; an edit that arrives right after goes back into place,
    and whatever was saved in between is kept beside it, not dropped."""
    path = tmp_path / "x.xml"
    path.write_bytes(b"edited by hand")
    exchange, calls = masters._exchange, []

    def exchange_then_save(a, b):
        done = exchange(a, b)
        calls.append(done)
        if len(calls) == 1:
            path.write_bytes(b"saved again at that instant")  # over the new file, now at path
        return done

    monkeypatch.setattr(masters, "_exchange", exchange_then_save)
    with pytest.raises(masters.Changed):
        masters.replace_if_unchanged(path, b"new", b"as generated")
    if calls[0]:  # (where the kernel can exchange files)
        assert path.read_bytes() == b"edited by hand"
        assert (tmp_path / "x.xml.saved").read_bytes() == b"saved again at that instant"


def test_the_advice_names_the_document_and_force_alone_replaces_at_most_one(tmp_path, run_cli):
    """Before: the message said `cmctei convert --force`, which replaced every edited master,
    another document's hand edit included."""
    catalog, tei = two_documents(tmp_path, run_cli)
    edits = {d: edit_by_hand(tei / f"{d}.xml") for d in "ab"}
    for d in "ab":
        change_source(catalog, d)
    code, _, err = run_cli("convert", "--catalog", catalog, "--tei-dir", tei)
    assert code == 1
    for d in "ab":
        assert f"convert --force {d}`" in err and f"convert --accept {d}`" in err and f"convert --diff {d}`" in err
    assert "convert --force`" not in err

    code, _, err = run_cli("convert", "--force", "--catalog", catalog, "--tei-dir", tei)
    assert code == 2 and "--force would replace 2 masters edited by hand" in err and "--force-all" in err
    assert {d: (tei / f"{d}.xml").read_text(encoding="utf-8") for d in "ab"} == edits

    code, out, err = run_cli("convert", "--force", "--catalog", catalog, "--tei-dir", tei, "a")
    assert code == 0, err
    assert masters.state(tei / "a.xml") is masters.State.PRISTINE
    assert (tei / "a.xml.bak").read_text(encoding="utf-8") == edits["a"] and "a.xml.bak" in out
    assert (tei / "b.xml").read_text(encoding="utf-8") == edits["b"]

    code, out, err = run_cli("convert", "--force-all", "--catalog", catalog, "--tei-dir", tei)
    assert code == 0, err
    assert (tei / "b.xml.bak").read_text(encoding="utf-8") == edits["b"]
    assert (tei / "a.xml.bak").read_text(encoding="utf-8") == edits["a"]  # an earlier backup is never replaced


def test_force_keeps_every_version_it_replaces(tmp_path, run_cli):
    catalog, tei = two_documents(tmp_path, run_cli)
    versions = []
    for n in range(2):
        versions.append(edit_by_hand(tei / "a.xml").replace("[Hand edit.]", f"[Hand edit {n}.]"))
        (tei / "a.xml").write_text(versions[-1], encoding="utf-8")
        assert run_cli("convert", "--force", "--catalog", catalog, "--tei-dir", tei, "a")[0] == 0
    assert (tei / "a.xml.bak").read_text(encoding="utf-8") == versions[0]
    assert (tei / "a.xml.bak.2").read_text(encoding="utf-8") == versions[1]


def test_accept_ends_a_conflict_after_a_hand_merge(tmp_path, run_cli):
    """Before: after merging by hand (edit the master, delete the .xml.new), `make` raised
    the same conflict on every run; the way out was only in docs/converting.md."""
    catalog, tei = two_documents(tmp_path, run_cli)
    master = tei / "a.xml"
    edited = edit_by_hand(master)
    change_source(catalog, "a")
    assert run_cli("convert", "--changed", "--catalog", catalog, "--tei-dir", tei)[0] == 1
    # the editor compares, and decides their master stays as it is

    code, out, err = run_cli("convert", "--accept", "--catalog", catalog, "--tei-dir", tei, "a")
    assert code == 0, err
    assert "accepted as merged" in out and not (tei / "a.xml.new").exists()
    after = master.read_text(encoding="utf-8")
    assert EDIT[1] in after and masters.state(master) is masters.State.EDITED  # still the editor's
    changed = [(x, y) for x, y in zip(edited.splitlines(), after.splitlines()) if x != y]
    assert len(changed) == 1 and "source-sha256" in changed[0][0]  # only the conversion record moved

    code, out, err = run_cli("convert", "--changed", "--catalog", catalog, "--tei-dir", tei)
    assert code == 0 and "kept (edited by hand; its source has not changed)" in out + err, out + err
    assert master.read_text(encoding="utf-8") == after


def test_accept_needs_a_document_and_a_master(tmp_path, run_cli):
    catalog, tei = two_documents(tmp_path, run_cli)
    code, _, err = run_cli("convert", "--accept", "--catalog", catalog, "--tei-dir", tei)
    assert code == 2 and "--accept needs the documents" in err
    (tei / "a.xml").unlink()
    code, _, err = run_cli("convert", "--accept", "--catalog", catalog, "--tei-dir", tei, "a")
    assert code == 1 and "there is no master to accept" in err


def test_diff_shows_the_master_against_the_new_conversion(tmp_path, run_cli):
    catalog, tei = two_documents(tmp_path, run_cli)
    edit_by_hand(tei / "a.xml")
    change_source(catalog, "a")
    assert run_cli("convert", "--catalog", catalog, "--tei-dir", tei, "a")[0] == 1
    before = {p.name: p.read_bytes() for p in tei.iterdir()}
    code, out, err = run_cli("convert", "--diff", "--catalog", catalog, "--tei-dir", tei, "a")
    assert code == 0, err
    assert f"--- {paths.shown(tei / 'a.xml')}" in out and f"+++ {paths.shown(tei / 'a.xml.new')}" in out
    assert any(line.startswith("-") and "[Hand edit.]" in line for line in out.splitlines())
    assert any(line.startswith("+") and "A paragraph added to the source." in line for line in out.splitlines())
    assert {p.name: p.read_bytes() for p in tei.iterdir()} == before  # nothing written
