"""Run a command and print its peak RSS (KiB) on the last line of stderr.

Why a launcher: Linux keeps a process's peak RSS across fork and exec, so a
child started by the (large) benchmark process would report at least the
benchmark's own size. Started from this small process, it reports its own.
"""

import os
import subprocess
import sys

process = subprocess.Popen(sys.argv[1:])
_, status, usage = os.wait4(process.pid, 0)
print(f"cmctei-bench-rss-kib {usage.ru_maxrss}", file=sys.stderr)
sys.exit(os.waitstatus_to_exitcode(status))
