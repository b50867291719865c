"""Whether Saxon can start in this process, said before it tries.

Kept apart from :mod:`cmctei.saxon` so that checking costs no import of saxonche.
"""

from __future__ import annotations

import resource

SAXON_ADDRESS_SPACE = 32 * 2**30 + 256 * 2**20
"""Virtual address space SaxonC's runtime (a GraalVM native image) reserves when it starts:
32 GiB for its heap, whatever the heap will hold (measured: 32.07 GiB), plus a margin. It is
reserved, not used; but under a lower ``ulimit -v`` the runtime cannot start, and says only
``graal_create_isolate error`` before ending the process."""


class SaxonUnavailable(Exception):
    """Saxon cannot start in this process (its message says why and what to do)."""


def check_address_space() -> None:
    """Refuse, with a message a user can act on, to start Saxon where it cannot start."""
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    if soft == resource.RLIM_INFINITY:
        return
    used = 0
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            used = next((int(line.split()[1]) * 1024 for line in status if line.startswith("VmSize:")), 0)
    except (OSError, ValueError):
        pass
    if soft - used < SAXON_ADDRESS_SPACE:
        gib = lambda n: f"{n / 2**30:.1f} GiB"  # noqa: E731
        raise SaxonUnavailable(
            f"the XSLT and rules engine (Saxon) needs {gib(SAXON_ADDRESS_SPACE)} of virtual address space "
            f"(it reserves it when it starts; it does not use it), and this process may have "
            f"{gib(max(0, soft - used))} more (ulimit -v {soft // 1024}). Raise the limit (ulimit -v unlimited, "
            "or at least 35000000) and run again; limit memory with ulimit -m or a cgroup instead")
