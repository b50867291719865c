"""Tests of the word-fidelity helper ``tests/fidelity.py``.

Three small documents, each a raw source text and a hand-written TEI
encoding of it (header minimal, words in the header deliberately absent from
the source), must pass: a FRUS memorandum with ``Cuba.1`` markers and the
``0`` source-note marker, a tape transcript with speakers, time stamps,
footnote texts printed at page bottoms and ``[*Unclear*]``, and a summary
record with running classification marks, page number and stamps.

Each negative case makes one textual edit to a passing TEI (``old`` must
occur exactly once) and checks that the helper raises and that the message
names the offending words, so every kind of loss has a test that fails when
the helper stops seeing it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from fidelity import (
    TEI_NS,
    Word,
    assert_no_word_lost,
    format_time,
    source_words,
    tei_words,
    tokenize,
    word_differences,
)

ROOT = Path(__file__).resolve().parents[1]


def tei(body: str) -> str:
    """A TEI document around ``body``; the header words are not in any source."""
    return (
        f'<TEI xmlns="{TEI_NS}" xml:id="doc"><teiHeader><fileDesc>'
        "<titleStmt><title type=\"main\">Header words are never compared</title></titleStmt>"
        "<publicationStmt><publisher>cmctei</publisher><idno type=\"cmctei\">doc</idno></publicationStmt>"
        "<sourceDesc><p>Written for the tests of the fidelity helper.</p></sourceDesc>"
        f"</fileDesc></teiHeader><text><body>\n{body}\n</body></text></TEI>"
    )


def mutate(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def failure(source: str, document: str, **kwargs: object) -> str:
    """The helper's message; the test fails if the helper does not raise."""
    with pytest.raises(AssertionError) as info:
        assert_no_word_lost(source, document, **kwargs)  # type: ignore[arg-type]
    return str(info.value)


# --------------------------------------------------------------------------- FRUS memorandum

MEMO_SRC = """\
96. Memorandum From Attorney General Kennedy to Secretary of State Rusk 0

He asked me then what offer we were making. I said a letter had just been transmitted to the Soviet Embassy which stated in substance that the missile bases should be dismantled and all offensive weapons should be removed from Cuba.1 In return, if Cuba and Castro and the Communists ended their subversive activities in other Central and Latin American countries, we would agree to keep peace in the Caribbean and not permit an invasion from American soil.

He then asked me about Khrushchev's other proposal dealing with the removal of the missiles from Turkey. I replied that there could be no quid pro quo—no deal of this kind could be made. I said it was completely impossible for NATO to take such a step under the present threatening position of the Soviet Union.2
"""

MEMO_TEI = tei("""\
<div type="document">
 <head>96. Memorandum From Attorney General Kennedy to Secretary of State Rusk<note type="source" n="0"><gap reason="not-transcribed"/></note></head>
 <p>He asked me then what offer we were making. I said a letter had just been transmitted to the Soviet Embassy which stated in substance that the missile bases should be dismantled and all offensive weapons should be removed from Cuba.<note place="foot" n="1" xml:id="doc-fn1"><gap reason="not-transcribed"/></note> In return, if Cuba and Castro and the Communists ended their subversive activities in other Central and Latin American countries, we would agree to keep peace in the Caribbean and not permit an invasion from American soil.</p>
 <p>He then asked me about Khrushchev’s other proposal dealing with the removal of the missiles from Turkey. I replied that there could be no quid pro quo—no deal of this kind could be made. I said it was completely impossible for NATO to take such a step under the present threatening position of the Soviet Union.<note place="foot" n="2" xml:id="doc-fn2"><gap reason="not-transcribed"/></note></p>
</div>""")


def test_memo_passes() -> None:
    assert assert_no_word_lost(MEMO_SRC, MEMO_TEI, footnote_texts=False) is None


def test_memo_markers_are_note_numbers() -> None:
    body, notes = tei_words(MEMO_TEI)
    assert body[:12] == "96 Memorandum From Attorney General Kennedy to Secretary of State Rusk 0".split()
    assert "Header" not in body
    assert notes == {"0": [], "1": [], "2": []}
    src_body, src_notes = source_words(MEMO_SRC, footnote_text_lines=False)
    assert src_notes == {}
    i = src_body.index("Cuba")
    assert src_body[i : i + 3] == ["Cuba", "1", "In"] and src_body[i + 1].line == 3
    assert src_body[-1] == "2"


def test_dropped_word() -> None:
    msg = failure(MEMO_SRC, mutate(MEMO_TEI, "all offensive weapons", "all weapons"), footnote_texts=False)
    assert "lost in TEI: «offensive»" in msg
    assert "source line 3" in msg
    assert "⟦offensive⟧" in msg  # the context marks the word


def test_duplicated_word() -> None:
    msg = failure(MEMO_SRC, mutate(MEMO_TEI, "Khrushchev’s other", "Khrushchev’s other other"),
                  footnote_texts=False)
    assert "duplicated in TEI: «other»" in msg


def test_swapped_pair() -> None:
    msg = failure(MEMO_SRC, mutate(MEMO_TEI, "missile bases should", "bases missile should"),
                  footnote_texts=False)
    assert "out of order: source «missile bases» but TEI «bases missile»" in msg


def test_swapped_words_around_another() -> None:
    msg = failure(MEMO_SRC, mutate(MEMO_TEI, "if Cuba and Castro", "if Castro and Cuba"),
                  footnote_texts=False)
    assert "out of order: source «Cuba and Castro» but TEI «Castro and Cuba»" in msg


def test_footnote_marker_lost() -> None:
    broken = mutate(MEMO_TEI, '<note place="foot" n="1" xml:id="doc-fn1"><gap reason="not-transcribed"/></note>', "")
    msg = failure(MEMO_SRC, broken, footnote_texts=False)
    assert "lost in TEI: «1»" in msg


def test_source_note_marker_lost() -> None:
    broken = mutate(MEMO_TEI, '<note type="source" n="0"><gap reason="not-transcribed"/></note>', "")
    assert "lost in TEI: «0»" in failure(MEMO_SRC, broken, footnote_texts=False)


def test_note_words_the_source_does_not_print() -> None:
    broken = mutate(MEMO_TEI, '<note place="foot" n="2" xml:id="doc-fn2"><gap reason="not-transcribed"/></note>',
                    '<note place="foot" n="2" xml:id="doc-fn2">Not printed here.</note>')
    msg = failure(MEMO_SRC, broken, footnote_texts=False)
    assert "footnote 2" in msg and "«Not printed here»" in msg


def test_word_changed_and_case() -> None:
    msg = failure(MEMO_SRC, mutate(MEMO_TEI, "quid pro quo", "quid pro quid"), footnote_texts=False)
    assert "changed: source «quo» but TEI «quid»" in msg
    lower = mutate(MEMO_TEI, "Caribbean", "caribbean")
    assert "«Caribbean» but TEI «caribbean»" in failure(MEMO_SRC, lower, footnote_texts=False)
    assert_no_word_lost(MEMO_SRC, lower, footnote_texts=False, casefold=True)


# --------------------------------------------------------------------------- transcript

TRANSCRIPT_SRC = """\
At 11 A.M. on Tuesday, November 13, the ExComm met without the President in George Ball's office.¹ The group discussed ways to increase the pressure on the Soviets and

¹ Bundy is presumably referring to the *de facto* ExComm meeting held in Ball's office the previous morning.

Cubans to remove the IL-28s.

Off-the-Record Oval Office Conversation on Cuba¹⁴

Llewellyn Thompson: [00:35] [*Unclear*] Castro, with the Cubans.

President Kennedy: [05:03] Is Bobby [Kennedy] gone, or is he . . . ?

Bundy: [1:02:05] He keeps making the point about the ~~no~~-invasion pledge. [laughing]

¹⁴ Including President Kennedy, George Ball and McGeorge Bundy. Tape 58,
John F. Kennedy Library.
"""

TRANSCRIPT_TEI = tei("""\
<timeline unit="s" origin="#t0"><when xml:id="t0" absolute="17:45:00"/><when xml:id="t35" interval="35" since="#t0"/><when xml:id="t303" interval="303" since="#t0"/><when xml:id="t3725" interval="3725" since="#t0"/></timeline>
<div type="headnote">
 <p>At 11 A.M. on Tuesday, November 13, the ExComm met without the President in George Ball’s office.<note place="foot" n="1" xml:id="doc-fn1">Bundy is presumably referring to the <hi rend="italic">de facto</hi> ExComm meeting held in Ball’s office the previous morning.</note> The group discussed ways to increase the pressure on the Soviets and Cubans to remove the IL-28s.</p>
</div>
<div type="transcript">
 <head>Off-the-Record Oval Office Conversation on Cuba<note place="foot" n="14" xml:id="doc-fn14">Including President Kennedy, George Ball and McGeorge Bundy. Tape 58, John F. Kennedy Library.</note></head>
 <sp who="#thompson"><speaker>Llewellyn Thompson:</speaker> <p><anchor synch="#t35"/><gap reason="inaudible"><desc>Unclear</desc></gap> Castro, with the Cubans.</p></sp>
 <sp who="#jfk"><speaker>President Kennedy:</speaker> <p><anchor synch="#t303"/>Is Bobby [<supplied reason="editorial">Kennedy</supplied>] gone, or is he . . . ?</p></sp>
 <sp who="#bundy"><speaker>Bundy:</speaker> <p><anchor synch="#t3725"/>He keeps making the point about the <del rend="strikethrough">no</del>-invasion pledge. <vocal who="#bundy"><desc>laughing</desc></vocal></p></sp>
</div>""")


def test_transcript_passes() -> None:
    assert_no_word_lost(TRANSCRIPT_SRC, TRANSCRIPT_TEI, footnote_texts=True)


def test_transcript_streams() -> None:
    body, notes = source_words(TRANSCRIPT_SRC, footnote_text_lines=True)
    assert sorted(notes) == ["1", "14"]
    assert " ".join(notes["1"]).startswith("Bundy is presumably referring")
    assert notes["14"][-2:] == ["Kennedy", "Library"] and notes["14"][-1].line == 16
    assert "presumably" not in body  # the page-bottom text left the body stream
    assert body[body.index("pressure") : body.index("Cubans") + 1] == "pressure on the Soviets and Cubans".split()
    times = [w for w in body if w.startswith("[")]
    assert times == ["[00:35]", "[05:03]", "[1:02:05]"]
    tbody, tnotes = tei_words(TRANSCRIPT_TEI)
    assert [w.key for w in tbody if w.startswith("[")] == [w.key for w in times]
    assert tnotes["1"] == notes["1"]
    assert "t303" not in " ".join(tbody) and "17" not in tbody  # the timeline is not text


def test_footnote_text_not_moved() -> None:
    """The converter left the page-bottom text in the body and an empty note at the marker."""
    broken = mutate(
        TRANSCRIPT_TEI,
        '<note place="foot" n="1" xml:id="doc-fn1">Bundy is presumably referring to the <hi rend="italic">de facto</hi> ExComm meeting held in Ball’s office the previous morning.</note> The group discussed ways to increase the pressure on the Soviets and ',
        '<note place="foot" n="1" xml:id="doc-fn1"><gap reason="not-transcribed"/></note> The group discussed ways to increase the pressure on the Soviets and</p>'
        '<p>¹ Bundy is presumably referring to the de facto ExComm meeting held in Ball’s office the previous morning.</p><p>',
    )
    msg = failure(TRANSCRIPT_SRC, broken, footnote_texts=True)
    assert "added in TEI, not in source: «¹ Bundy is presumably referring" in msg
    assert 'footnote 1: text not moved into the TEI note n="1"' in msg
    assert "source line 3" in msg


def test_footnote_text_altered() -> None:
    broken = mutate(TRANSCRIPT_TEI, "Bundy is presumably referring", "Bundy is probably referring")
    msg = failure(TRANSCRIPT_SRC, broken, footnote_texts=True)
    assert "footnote 1: changed: source «presumably» but TEI note «probably»" in msg


def test_footnote_text_lost_with_its_note() -> None:
    broken = mutate(TRANSCRIPT_TEI, re.search(r'<note place="foot" n="14".*?</note>', TRANSCRIPT_TEI).group(0), "")
    msg = failure(TRANSCRIPT_SRC, broken, footnote_texts=True)
    assert "lost in TEI: «¹⁴»" in msg
    assert 'footnote 14: the source prints its text (line 15: «Including President Kennedy' in msg
    assert 'no note n="14"' in msg


def test_footnote_text_truncated() -> None:
    broken = mutate(TRANSCRIPT_TEI, " Tape 58, John F. Kennedy Library.</note>", "</note>")
    msg = failure(TRANSCRIPT_SRC, broken, footnote_texts=True)
    assert "footnote 14: lost in TEI note: «Tape 58 John F Kennedy Library»" in msg


def test_footnote_texts_false_keeps_them_in_the_body() -> None:
    body, notes = source_words(TRANSCRIPT_SRC, footnote_text_lines=False)
    assert notes == {} and "presumably" in body
    msg = failure(TRANSCRIPT_SRC, TRANSCRIPT_TEI, footnote_texts=False)
    assert "lost in TEI: «¹ Bundy is presumably" in msg
    assert "the source prints no footnote texts" in msg


def test_wrong_time_label() -> None:
    broken = mutate(TRANSCRIPT_TEI, 'interval="303"', 'interval="304"')
    msg = failure(TRANSCRIPT_SRC, broken, footnote_texts=True)
    assert "changed: source «[05:03]» but TEI «[05:04]»" in msg
    assert "source line 11" in msg


def test_time_label_lost() -> None:
    broken = mutate(TRANSCRIPT_TEI, '<anchor synch="#t35"/>', "")
    assert "lost in TEI: «[00:35]»" in failure(TRANSCRIPT_SRC, broken, footnote_texts=True)


def test_time_stamp_left_as_text_is_reported() -> None:
    broken = mutate(TRANSCRIPT_TEI, '<anchor synch="#t303"/>', "[05:03] ")
    msg = failure(TRANSCRIPT_SRC, broken, footnote_texts=True)
    assert "changed: source «[05:03]» but TEI «05 03»" in msg


def test_anchor_pointing_nowhere() -> None:
    broken = mutate(TRANSCRIPT_TEI, 'synch="#t303"', 'synch="#t999"')
    msg = failure(TRANSCRIPT_SRC, broken, footnote_texts=True)
    assert "«[05:03]»" in msg and "no when with xml:id 't999'" in msg


def test_label_words_dropped() -> None:
    broken = mutate(TRANSCRIPT_TEI, "<desc>Unclear</desc>", "")
    assert "lost in TEI: «Unclear»" in failure(TRANSCRIPT_SRC, broken, footnote_texts=True)
    broken = mutate(TRANSCRIPT_TEI, "<speaker>Bundy:</speaker>", "<speaker/>")
    assert "lost in TEI: «Bundy»" in failure(TRANSCRIPT_SRC, broken, footnote_texts=True)


def test_printed_note_number_kept_in_note_text() -> None:
    broken = mutate(TRANSCRIPT_TEI, 'xml:id="doc-fn1">Bundy', 'xml:id="doc-fn1">¹ Bundy')
    assert "footnote 1: added in TEI note, not in source: «¹»" in failure(
        TRANSCRIPT_SRC, broken, footnote_texts=True)


# --------------------------------------------------------------------------- summary record

SUMMARY_SRC = """\


~~TOP SECRET~~ - SENSITIVE

Summary Record of NSC Executive Committee Meeting No. 24  
November 12, 1962 -- 11:00 AM

In response to the President's question, General Taylor said that SAC is still on DEFCON 2.

SANITIZED

~~TOP SECRET~~ - SENSITIVE

NWK-80-29

BY

MM

WARS. DATE 10/9/84

~~TOP SECRET~~ - SENSITIVE

- 2 -

Ambassador Stevenson said his proposal was aimed at ending the negotiations.

Bromley Smith

~~TOP SECRET~~ SENSITIVE"""

SUMMARY_TEI = tei("""\
<div type="document">
 <fw type="classification" place="top"><del rend="strikethrough">TOP SECRET</del> - SENSITIVE</fw>
 <head>Summary Record of NSC Executive Committee Meeting No. 24<lb/><date when="1962-11-12">November 12, 1962</date> -- 11:00 AM</head>
 <p>In response to the President's question, General Taylor said that SAC is still on DEFCON 2.</p>
 <ab><stamp type="declassification">SANITIZED</stamp></ab>
 <fw type="classification" place="bottom"><del rend="strikethrough">TOP SECRET</del> - SENSITIVE</fw>
 <ab><stamp type="declassification">NWK-80-29 BY MM WARS. DATE <date when="1984-10-09">10/9/84</date></stamp></ab>
 <pb n="2"/>
 <fw type="classification" place="top"><del rend="strikethrough">TOP SECRET</del> - SENSITIVE</fw>
 <fw type="pageNum">- 2 -</fw>
 <p>Ambassador Stevenson said his proposal was aimed at ending the negotiations.</p>
 <closer><signed><persName ref="persons.xml#smith">Bromley Smith</persName></signed></closer>
 <fw type="classification" place="bottom"><del rend="strikethrough">TOP SECRET</del> SENSITIVE</fw>
</div>""")


def test_summary_passes() -> None:
    assert_no_word_lost(SUMMARY_SRC, SUMMARY_TEI, footnote_texts=False)


def test_running_mark_dropped() -> None:
    broken = mutate(SUMMARY_TEI, ' <fw type="classification" place="bottom"><del rend="strikethrough">TOP SECRET</del> - SENSITIVE</fw>\n', "")
    msg = failure(SUMMARY_SRC, broken, footnote_texts=False)
    assert "lost in TEI: «TOP SECRET SENSITIVE»" in msg and "source line 12" in msg


def test_stamp_word_dropped() -> None:
    broken = mutate(SUMMARY_TEI, "NWK-80-29 BY MM WARS.", "NWK-80-29 BY WARS.")
    assert "lost in TEI: «MM»" in failure(SUMMARY_SRC, broken, footnote_texts=False)


def test_page_number_as_pure_markup_needs_declared_furniture() -> None:
    """A converter that keeps only pb/@n loses the printed "- 2 -": strict by default."""
    broken = mutate(SUMMARY_TEI, '<fw type="pageNum">- 2 -</fw>', "")
    assert "lost in TEI: «2»" in failure(SUMMARY_SRC, broken, footnote_texts=False)
    assert_no_word_lost(SUMMARY_SRC, broken, footnote_texts=False, source_furniture=[r"^- \d+ -$"])


def test_skip_elements() -> None:
    doubled = mutate(SUMMARY_TEI, "ending the negotiations", "ending the <choice><sic>negotiatons</sic><corr>negotiations</corr></choice>")
    assert "«negotiatons»" in failure(SUMMARY_SRC, doubled, footnote_texts=False)
    assert_no_word_lost(SUMMARY_SRC, doubled, footnote_texts=False, skip_elements=["sic"])


# --------------------------------------------------------------------------- tokens, inputs, messages


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Cuba.1 In", ["Cuba", "1", "In"]),
        ("Cuba⁴", ["Cuba", "⁴"]),
        ("in 1962¹⁴.", ["in", "1962", "¹⁴"]),
        ("IL-28s", ["IL", "28", "s"]),
        ("~~no~~-invasion", ["no", "invasion"]),
        ("[*Unclear*]", ["Unclear"]),
        ("## CIPHERED TELEGRAM", ["CIPHERED", "TELEGRAM"]),
        ("Ball's Ball’s", ["Ball", "s", "Ball", "s"]),
        ("Khrushchev—no", ["Khrushchev", "no"]),
        ("café", ["café"]),
    ],
)
def test_tokenize(text: str, words: list[str]) -> None:
    assert tokenize(text) == words


def test_keys() -> None:
    assert Word("05").key == Word("5").key == Word("⁵").key == "5"
    assert Word("Cuba").key != Word("cuba").key
    assert format_time(303) == "[05:03]" and format_time(35) == "[00:35]"
    assert format_time(3725) == "[1:02:05]"
    # the same instant printed another way still matches the anchor
    body, _ = source_words("A: [62:05] Yes.", footnote_text_lines=False)
    anchor_words = [w for w in tei_words(TRANSCRIPT_TEI)[0] if w.startswith("[")]
    assert body[1] == "[62:05]" and anchor_words[-1] == "[1:02:05]"
    assert body[1].key == anchor_words[-1].key == "\u23f13725"


def test_tei_inputs(tmp_path: Path) -> None:
    path = tmp_path / "doc.xml"
    path.write_text(MEMO_TEI, encoding="utf-8")
    expected = tei_words(MEMO_TEI)
    assert tei_words(path) == expected
    assert tei_words(str(path)) == expected
    assert tei_words(MEMO_TEI.encode()) == expected
    assert tei_words(etree.parse(str(path))) == expected
    assert_no_word_lost(MEMO_SRC, path, footnote_texts=False)
    src = tmp_path / "doc.txt"
    src.write_text(MEMO_SRC, encoding="utf-8")
    assert_no_word_lost(src, path, footnote_texts=False)


def test_not_tei() -> None:
    with pytest.raises(ValueError, match="no <text> in the TEI namespace"):
        tei_words("<TEI><text><body><p>x</p></body></text></TEI>")


def test_duplicate_footnote_text_in_source() -> None:
    with pytest.raises(ValueError, match="footnote text 3 twice"):
        source_words("a.³\n\n³ One.\n\n³ Two.\n", footnote_text_lines=True)


def test_fixture_sample() -> None:
    body, notes = tei_words(ROOT / "tests" / "fixtures" / "valid" / "sample.xml")
    assert notes == {"0": [], "1": ["Text"], "2": []}
    assert body[body.index("Kennedy") + 1] == "[00:35]"
    assert "Summary" not in body  # header title


def test_message_is_short() -> None:
    long_src = "\n\n".join(f"Paragraph {i} says that the missile bases had to go." for i in range(400))
    long_tei = tei("".join(f"<p>Paragraph {i} says that the missile bases had to go.</p>" for i in range(400)))
    broken = mutate(long_tei, "<p>Paragraph 250 says that the missile", "<p>Paragraph 250 says that missile")
    msg = failure(long_src, broken, footnote_texts=False)
    assert len(msg.splitlines()) == 4, msg
    assert "lost in TEI: «the»" in msg and "source line 501" in msg
    assert len(msg) < 600


def test_many_differences_are_cut() -> None:
    src = " ".join(f"w{i} x" for i in range(30))
    document = tei("<p>" + " ".join(f"w{i}" for i in range(30)) + "</p>")
    msg = failure(src, document, footnote_texts=False, max_shown=3)
    assert msg.startswith("TEI words differ from the source (30 differences):")
    assert "… and 27 more differences" in msg
    assert len(word_differences(src, document, footnote_texts=False)) == 30


def test_seed_transcript_source() -> None:
    """The real seed: nineteen footnote texts leave the body; every [mm:ss] is one token."""
    text = (ROOT / "sources" / "oval-office-1962-11-14.txt").read_text(encoding="utf-8")
    body, notes = source_words(text, footnote_text_lines=True)
    assert sorted(notes, key=int) == [str(n) for n in range(1, 20)]
    assert " ".join(notes["7"]) == (
        "Bundy is presumably referring to the de facto ExComm meeting held in Ball s office the previous morning"
    )
    times = [w for w in body if w.key.startswith("\u23f1")]
    assert len(times) == len(re.findall(r"\[\d{2}:\d{2}\]", text))
    assert times[0] == "[00:35]" and times[0].key == "\u23f135"
    joined = " ".join(body)
    assert "Bundy is presumably referring" not in joined
    assert "Bundy Ball and Thompson met downstairs" in joined  # the page-split paragraph rejoins
