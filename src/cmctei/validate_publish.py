"""Validating in the run that publishes (``cmctei publish --tei-all``, what ``make`` runs).

``make`` used to validate every master (``cmctei validate --tei-all``) and then publish
them: each master was read, parsed by lxml and handed to Saxon twice. With ``--tei-all``
the publisher validates each master at every layer, TEI P5 included, on the trees it
publishes from, and tells every finding (warnings too) as ``cmctei validate --tei-all``
would; the validation record (build/.cache/validate.json) is the one ``cmctei validate``
keeps, so either command trusts what the other found clean (docs/performance.md).

This module holds what that adds to publishing, so that publish.py does not grow.
"""

from __future__ import annotations

from pathlib import Path

from cmctei import cache, paths
from cmctei.diagnostics import ERROR, Diagnostic


def needs_no_check(validator, validated: cache.ValidationCache, path: Path, digest: str, root: Path,
                   resolved: Path | None = None) -> bool:
    """Whether an unchanged, already published master may be left alone: always, unless this
    run validates with tei_all and the record does not know these bytes clean at that level
    (a master published by a run without it; one with warnings, which are told each run, as
    ``cmctei validate`` tells them). ``resolved``: ``path.resolve()``, when the caller has it."""
    if not validator.tei_all:
        return True
    return ((resolved or path.resolve()).is_relative_to(root)
            and validated.is_clean(path, validator.cache_key(path, digest), True))


def check_register(validator, register: Path | None, folders: list[Path],
                   files: list[Path]) -> tuple[int, list[Diagnostic]]:
    """The person register validated too when it is in a folder being published, as
    ``cmctei validate`` validates it with the masters of its folder (it is not published):
    (1, its problems), or (0, []) when there is none to check."""
    from cmctei.validate import CannotRun

    register = register or paths.tei_dir() / paths.REGISTER_NAME
    if not register.is_file():
        return 0, []
    resolved = register.resolve()
    # one of the files published is the register itself: only a file of its name, or a link, can
    # resolve to it (resolving each of 1,000 masters cost a tenth of a second: issue 18)
    if (any(f.resolve() == resolved for f in files if f.name == resolved.name or f.is_symlink())
            or not any(resolved.is_relative_to(folder.resolve()) for folder in folders)):
        return 0, []
    record = cache.ValidationCache(cache.cache_dir() / "validate.json", validator.config())
    inside = resolved.is_relative_to(paths.project_root())
    try:
        key = validator.cache_key(register) if inside else []
        if key and record.is_clean(register, key, True):
            return 1, []
        found = validator.validate_file(register, paths.shown(register))
    except CannotRun as exc:
        return 1, [Diagnostic(paths.shown(register), 0, 0, ERROR, "xml-not-a-file", str(exc))]
    if key:
        record.record(register, key, clean=not found, tei_all=True)
        record.save()
    return 1, found
