"""The copies of ../shared/ material in tests/fixtures/shared/ are still the originals.

The suite reads the copies so that it runs without ../shared/ (a user's clone, the
fresh-clone check); where ../shared/ is present, each copy must be identical to it."""

from __future__ import annotations


import pytest

from conftest import SHARED_COPIES, shared_path

COPIES = sorted(str(p.relative_to(SHARED_COPIES)) for p in SHARED_COPIES.rglob("*")
                if p.is_file() and p.relative_to(SHARED_COPIES).parts[0] != "README.md")


def test_every_copy_is_listed_with_its_origin():
    readme = (SHARED_COPIES / "README.md").read_text(encoding="utf-8")
    for copy in COPIES:
        assert f"`{copy}`" in readme or f"`{copy.split('/', 1)[1]}`" in readme, copy


@pytest.mark.parametrize("copy", COPIES)
def test_copy_is_identical_to_the_shared_original(copy):
    original = shared_path(*copy.split("/"))
    assert (SHARED_COPIES / copy).read_bytes() == original.read_bytes(), copy


def test_no_test_reads_from_shared_what_the_copies_hold():
    """A test that reads ../shared/ for a file copied here skips in a user's clone and in CI
    without ../shared/, silently (the CSL-JSON schema check did, until the fresh-clone check
    caught it): it must read the copy (shared_copy)."""
    import re
    from conftest import ROOT

    call = re.compile(r"shared_path\(((?:\s*\"[^\"]+\"\s*,?)+)\)")
    wrong = []
    for test in sorted((ROOT / "tests").glob("*.py")):
        for match in call.finditer(test.read_text(encoding="utf-8")):
            parts = re.findall(r"\"([^\"]+)\"", match.group(1))
            if "/".join(parts) in COPIES:
                wrong.append(f"{test.name}: shared_path({', '.join(parts)})")
    assert wrong == [], wrong
