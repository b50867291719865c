"""Run a command and print its peak RSS (KiB) and the CPU time of its process tree on the
last lines of stderr.

Why a launcher: Linux keeps a process's peak RSS across fork and exec, so a
child started by the (large) benchmark process would report at least the
benchmark's own size. Started from this small process, it reports its own.
"""

import os
import subprocess
import sys

process = subprocess.Popen(sys.argv[1:])
_, status, usage = os.wait4(process.pid, 0)
# (user and system time of the process and of every descendant it waited for: the worker
# processes of --jobs, the JVM that the jing script starts and its threads)
print(f"cmctei-bench-cpu-s {usage.ru_utime + usage.ru_stime:.3f}", file=sys.stderr)
print(f"cmctei-bench-rss-kib {usage.ru_maxrss}", file=sys.stderr)
sys.exit(os.waitstatus_to_exitcode(status))
