"""A newcomer's machine: `git clone`, then `make test`, with nothing installed by hand.

The clone lives in a temporary folder, so it has no ../shared/ beside it:
this also proves that the project builds and passes without it (the tests
that need ../shared/ skip with their reason). Only committed files are in
the clone. The clone's own run skips this test (CMCTEI_IN_FRESH_CLONE).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from conftest import IN_FRESH_CLONE, ROOT


@pytest.mark.slow
def test_fresh_clone_passes_make_test(tmp_path):
    if IN_FRESH_CLONE:
        pytest.skip("this run is itself the fresh-clone check")
    if shutil.which("git") is None or shutil.which("make") is None:
        pytest.skip("git and make are needed for the fresh-clone check")
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    if head.returncode != 0:
        pytest.skip("not a git checkout with commits")
    clone = tmp_path / "cmctei"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True, timeout=300)
    assert not (clone / ".venv").exists() and not (clone.parent / "shared").exists()

    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "CMCTEI_HOME", "PYTHONPATH")}
    env["CMCTEI_IN_FRESH_CLONE"] = "1"
    # The outer test run may have .venv/bin first on PATH; the clone must build its own.
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if ".venv" not in p)
    result = subprocess.run(["make", "test"], cwd=clone, env=env, capture_output=True, text=True, timeout=1500)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    assert re.search(r"\d+ passed", result.stdout), output[-3000:]
    assert (clone / ".venv" / "bin" / "cmctei").exists()
    # `make` itself also works in the clone (validates tei/).
    build = subprocess.run(["make"], cwd=clone, env=env, capture_output=True, text=True, timeout=600)
    assert build.returncode == 0, (build.stdout + build.stderr)[-3000:]
    assert "0 errors" in build.stdout
