"""paths.Resolver: what ``Path.resolve()`` gives, for files of folders reached through links,
files that are links, names ``resolve`` treats specially and files that do not exist."""

from __future__ import annotations

import os
from pathlib import Path

from cmctei.paths import Resolver


def test_the_resolver_gives_what_resolve_gives(tmp_path, monkeypatch):
    real = tmp_path / "real"
    (real / "sub").mkdir(parents=True)
    (real / "a.xml").write_text("<a/>")
    (real / "sub" / "b.xml").write_text("<b/>")
    (tmp_path / "linked").symlink_to(real)  # a folder reached through a link
    (real / "link.xml").symlink_to(real / "sub" / "b.xml")  # a file that is a link
    (real / "dangling.xml").symlink_to(tmp_path / "nowhere.xml")
    monkeypatch.chdir(tmp_path)
    paths = [real / "a.xml", tmp_path / "linked" / "a.xml", tmp_path / "linked" / "link.xml",
             real / "link.xml", real / "dangling.xml", real / "missing.xml", tmp_path / "linked" / "sub" / "..",
             tmp_path / "linked" / "sub" / ".", Path("linked") / "a.xml", Path("real") / "sub" / "b.xml",
             tmp_path / "linked" / "sub" / ".." / "a.xml"]
    resolve = Resolver()
    for _ in range(2):  # (the second time from what it has kept)
        assert [resolve(p) for p in paths] == [p.resolve() for p in paths]
    assert resolve(real / "a.xml") == Path(os.path.realpath(real / "a.xml"))
