"""docs/reliability.md pairs each guarantee with a test: every test it names must exist."""

from __future__ import annotations

import re

from conftest import ROOT


def test_every_cited_test_exists():
    text = (ROOT / "docs" / "reliability.md").read_text(encoding="utf-8")
    cited = 0
    for row in text.splitlines():
        if not row.startswith("|"):
            continue
        current = None
        for module, name in re.findall(r"`(?:(test_[a-z_]+\.py))?(?:::(test_[a-z0-9_]+))?`", row):
            if module:
                current = module
            if name:
                assert current, f"no module for ::{name} in: {row}"
                source = (ROOT / "tests" / current).read_text(encoding="utf-8")
                assert re.search(rf"^def {name}\(", source, flags=re.M), f"{current}::{name} does not exist"
                cited += 1
            elif module:
                assert (ROOT / "tests" / module).exists(), module
    assert cited >= 40
