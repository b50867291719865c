"""Tests for the cmctei person register (tei/persons.xml)."""

import re
from pathlib import Path

import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
REGISTER = ROOT / "tei" / "persons.xml"
SOURCES = ROOT / "sources"
TRANSCRIPT = SOURCES / "oval-office-1962-11-14.txt"

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
NS = {"t": TEI_NS}
ID_RE = re.compile(r"[a-z][a-z0-9-]*")
SPEAKER_RE = re.compile(r"^([A-Z][A-Za-z.' ]+): ", re.MULTILINE)


@pytest.fixture(scope="module")
def tree():
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.parse(str(REGISTER), parser)


@pytest.fixture(scope="module")
def persons(tree):
    return tree.findall(".//t:listPerson/t:person", NS)


@pytest.fixture(scope="module")
def source_texts():
    texts = {p.name: p.read_text(encoding="utf-8") for p in sorted(SOURCES.glob("*.txt"))}
    assert texts, "no source texts found"
    return texts


@pytest.fixture(scope="module")
def name_index(persons):
    """Map every main and variant name to the set of person ids using it."""
    index = {}
    for person in persons:
        pid = person.get(XML_ID)
        for pn in person.findall("t:persName", NS):
            index.setdefault(pn.text, set()).add(pid)
    return index


def test_register_is_well_formed_tei(tree):
    root = tree.getroot()
    assert root.tag == f"{{{TEI_NS}}}TEI"
    assert root.get(XML_ID) == "persons"
    assert tree.find(".//t:teiHeader", NS) is not None
    assert tree.find(".//t:standOff/t:listPerson", NS) is not None


def test_person_ids_and_main_names(persons):
    assert persons, "register lists no persons"
    ids = [p.get(XML_ID) for p in persons]
    assert all(i is not None for i in ids), "person without xml:id"
    bad = [i for i in ids if not ID_RE.fullmatch(i)]
    assert not bad, f"malformed xml:id values: {bad}"
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    assert not dupes, f"duplicate xml:id values: {dupes}"
    for person in persons:
        mains = person.findall("t:persName[@type='main']", NS)
        assert len(mains) == 1, f"{person.get(XML_ID)}: {len(mains)} main persName"
        assert (mains[0].text or "").strip(), f"{person.get(XML_ID)}: empty main name"
        for pn in person.findall("t:persName", NS):
            assert pn.get("type") in {"main", "variant"}
            assert pn.text and pn.text == pn.text.strip() and len(pn) == 0


def test_all_ids_unique_in_document(tree):
    ids = tree.xpath("//@xml:id")
    assert len(ids) == len(set(ids))


def test_no_notes(tree):
    assert not tree.findall(".//t:note", NS)


def test_variants_occur_verbatim_in_sources(persons, source_texts):
    missing = []
    for person in persons:
        for pn in person.findall("t:persName[@type='variant']", NS):
            if not any(pn.text in text for text in source_texts.values()):
                missing.append(f"{person.get(XML_ID)}: {pn.text!r}")
    assert not missing, "variants not found verbatim in any source: " + "; ".join(missing)


def test_no_variant_under_two_persons(persons):
    owners = {}
    for person in persons:
        pid = person.get(XML_ID)
        variants = [pn.text for pn in person.findall("t:persName[@type='variant']", NS)]
        dup_within = sorted({v for v in variants if variants.count(v) > 1})
        assert not dup_within, f"{pid}: variant listed twice: {dup_within}"
        for v in variants:
            owners.setdefault(v, []).append(pid)
    shared = {v: ids for v, ids in owners.items() if len(ids) > 1}
    assert not shared, f"variants listed under several persons: {shared}"


def test_transcript_speaker_labels_resolve(name_index, tree):
    groups = {
        n.text
        for n in tree.findall(".//t:listPerson[@type='groups']/t:personGrp/t:name", NS)
    }
    assert "Unidentified" in groups
    labels = set(SPEAKER_RE.findall(TRANSCRIPT.read_text(encoding="utf-8")))
    assert labels, "no speaker labels found in transcript"
    unresolved = sorted(l for l in labels if l not in name_index and l not in groups)
    assert not unresolved, f"speaker labels not in register: {unresolved}"
    ambiguous = sorted(l for l in labels if len(name_index.get(l, ())) > 1)
    assert not ambiguous, f"speaker labels naming several persons: {ambiguous}"


EXPECTED = [
    # rfk-memo-to-rusk
    ("Attorney General Kennedy", "rfk"),
    ("Secretary of State Rusk", "rusk"),
    ("Secretary Rusk", "rusk"),
    ("Ambassador Dobrynin", "dobrynin"),
    ("Mr. Khrushchev", "khrushchev"),
    ("Castro", "castro"),
    # dobrynin-telegram-1962-10-27
    ("R. Kennedy", "rfk"),
    ("President Kennedy", "jfk"),
    ("N.S. Khrushchev", "khrushchev"),
    ("Premier N.S. Khrushchev", "khrushchev"),
    ("Scali", "scali"),
    ("A. DOBRYNIN", "dobrynin"),
    # oval-office-1962-11-14
    ("Timothy Naftali", "naftali"),
    ("David Coleman", "coleman"),
    ("Robert Kennedy", "rfk"),
    ("Bobby", "rfk"),
    ("Tommy", "thompson"),
    ("Llewellyn Thompson", "thompson"),
    ("Bob", "mcnamara"),
    ("Admiral McNamara", "mcnamara"),
    ("General McNamara", "mcnamara"),
    ("Robert McNamara", "mcnamara"),
    ("George", "ball"),
    ("John McCloy", "mccloy"),
    ("Kuznetsov", "kuznetsov"),
    ("Sir Frank Roberts", "roberts"),
    ("Roberts", "roberts"),
    ("Richard Nixon", "nixon"),
    ("U Thant", "thant"),
    ("Evelyn Lincoln", "lincoln"),
    ("Jackie", "jbk"),
    # excomm-24-1962-11-12
    ("General Taylor", "taylor"),
    ("Secretary McNamara", "mcnamara"),
    ("Director McCone", "mccone"),
    ("Mr. McCone", "mccone"),
    ("Ambassador Stevenson", "stevenson"),
    ("Mr. McCloy", "mccloy"),
    ("Mikoyan", "mikoyan"),
    ("Secretary Dillon", "dillon"),
    ("Under Secretary Ball", "ball"),
    ("Bromley Smith", "smith"),
    # chapter-denouement
    ("JOHN KENNEDY", "jfk"),
    ("Kennedy", "jfk"),
    ("Robert", "rfk"),
    ("Curtis LeMay", "lemay"),
    ("Aleksandr Fomin", "fomin"),
    ("Hilsman", "hilsman"),
    ("Trollope", "trollope"),
    ("Lippmann", "lippmann"),
    ("Garthoff", "garthoff"),
    ("Gilpatric", "gilpatric"),
    ("General Norstad", "norstad"),
    ("General Lemnitzer", "lemnitzer"),
    ("Edwin Martin", "martin"),
    ("Alexis Johnson", "johnson"),
    ("Andrew Cordier", "cordier"),
    ("Gromyko", "gromyko"),
    ("Fletcher Knebel", "knebel"),
    ("Charles Bailey", "bailey"),
]


# Role words name whoever held the office on the document's date, some only in a
# document of the office's department; the expected holders are read off the
# historical record (dates of office), not off the register.
ROLES = [
    # (printed, date of the document, its opening lines, expected id or None)
    ("the Attorney General", "1962-10-27", "CIPHERED TELEGRAM", "rfk"),  # dobrynin-telegram
    ("Attorney General", "1962-10-27", "", "rfk"),
    ("the president", "1962-10-27", "", "jfk"),
    ("The President", "1962-11-12", "Summary Record of NSC Executive Committee Meeting", "jfk"),  # excomm-24
    ("Mr. President", "1962-11-14", "", "jfk"),  # oval-office
    ("President", "1965-03-01", "Telephone Conversation", "lbj"),  # a 1965 call: Johnson, not Kennedy
    ("President", "1963-11-21", "", "jfk"),
    ("President", "1963-11-22", "", "lbj"),
    ("President", "1969-06-01", "", "nixon"),
    ("President", None, "", None),  # undated: nobody can be named
    ("the Chairman", "1962-11-14", "Soviet Ambassador Anatoly Dobrynin", "khrushchev"),
    ("the Chairman", "1965-01-10", "a letter from Moscow", "kosygin"),
    ("the Chairman", "1962-11-14", "Joint Chiefs", None),  # no Soviet context: not Khrushchev
    ("the Chancellor", "1962-11-14", "West German", "adenauer"),
    ("the Secretary", "1962-11-14", "Telegram From the Department of State", "rusk"),
    ("the secretary", "1969-03-01", "Telegram From the Department of State", "rogers"),
    ("the Secretary", "1968-06-01", "Memorandum From the Secretary of Defense", "clifford"),
    ("the Secretary", "1962-11-14", "", None),  # whose Secretary? unresolved
    ("the Secretary", "1962-11-14", "Department of State; Department of Defense", None),  # two claim it
    ("President Johnson", "1968-11-01", "", "lbj"),
    ("Johnson", "1968-11-01", "", None),  # U. Alexis Johnson or Lyndon B. Johnson: not guessed
    ("Alexis Johnson", "1962-11-01", "", "johnson"),
    ("Kennedy", "1962-11-01", "", "jfk"),  # the register lists it under John F. Kennedy
]


@pytest.mark.parametrize("printed,on,context,expected", ROLES)
def test_role_words_name_the_holder_on_the_date(printed, on, context, expected):
    from cmctei.convert.persons import Register
    register = Register.load(REGISTER)
    assert register.resolve(printed, on=on, context=context) == expected
    if expected is None and printed not in ("President",):
        assert register.ambiguous, "an unresolved role or namesake is recorded for a warning"


def test_no_role_word_is_a_variant(persons):
    """Role words are read through offices: a variant "the President" would pin it on one person."""
    from cmctei.convert.persons import offices
    roles = {r for o in offices() for r in o.roles | o.generic}
    for person in persons:
        for pn in person.findall("t:persName", NS):
            text = " ".join(pn.text.split()).lower()
            assert re.sub(r"^the ", "", text) not in roles, (person.get(XML_ID), pn.text)


@pytest.mark.parametrize("name,expected_id", EXPECTED)
def test_hand_checked_variants_resolve(name, expected_id, name_index):
    assert name_index.get(name) == {expected_id}, (
        f"{name!r} resolves to {sorted(name_index.get(name, ()))}, expected {expected_id!r}"
    )
