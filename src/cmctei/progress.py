"""Progress on long runs, and the summary at the end.

A run over thousands of documents must say how far it is, but a log file
or a CI transcript must not fill with carriage returns. So the live line
(documents done / total, stage, ETA) is drawn only when standard error is
a terminal and ``--quiet`` was not given; the summary (counts and time per
stage) is always printed, as one or two plain lines.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import TextIO


def _clock(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


class Progress:
    """``[stage] 120/1000 12% · 0:04 elapsed · ETA 0:29`` redrawn in place on a terminal."""

    def __init__(self, stage: str, total: int, *, quiet: bool = False, stream: TextIO | None = None,
                 interval: float = 0.1) -> None:
        self.stage = stage
        self.total = total
        self.done = 0
        self.stream = stream or sys.stderr
        self.enabled = not quiet and total > 0 and _is_tty(self.stream)
        self.started = time.monotonic()
        self._drawn = 0.0
        self._width = 0
        self.interval = interval

    def advance(self, count: int = 1) -> None:
        self.done += count
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._drawn >= self.interval or self.done >= self.total:
            self._drawn = now
            self._draw(now)

    def _draw(self, now: float) -> None:
        elapsed = now - self.started
        line = f"[{self.stage}] {self.done}/{self.total} {100 * self.done // self.total}% · {_clock(elapsed)} elapsed"
        if 0 < self.done < self.total:
            line += f" · ETA {_clock(elapsed / self.done * (self.total - self.done))}"
        self._width = max(self._width, len(line))
        self.stream.write("\r" + line.ljust(self._width))
        self.stream.flush()

    def clear(self) -> None:
        """Erase the live line (before printing a message, and at the end)."""
        if self.enabled and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
            self._width = 0

    def message(self, text: str, stream: TextIO | None = None) -> None:
        """Print a line without tearing the live display."""
        self.clear()
        print(text, file=stream or sys.stdout)
        if self.enabled and self.done:
            self._draw(time.monotonic())


def _is_tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


@dataclass
class Timings:
    """Seconds per stage (summed over workers: CPU-side time, not wall) and the wall total."""

    stages: dict[str, float] = field(default_factory=dict)
    started: float = field(default_factory=time.monotonic)

    def add(self, stage: str, seconds: float) -> None:
        self.stages[stage] = self.stages.get(stage, 0.0) + seconds

    def merge(self, other: dict[str, float]) -> None:
        for stage, seconds in other.items():
            self.add(stage, seconds)

    def wall(self) -> float:
        return time.monotonic() - self.started

    def line(self) -> str:
        """``time 3.20 s (convert 1.10 s, html 0.90 s)``: wall time, then seconds per stage
        (summed over worker processes, so with several jobs they may add up to more)."""
        parts = [f"{stage} {seconds:.2f} s" for stage, seconds in self.stages.items() if seconds >= 0.005]
        if len(parts) == 1 and len(self.stages) == 1:
            parts = []
        return f"time {self.wall():.2f} s" + (f" ({', '.join(parts)})" if parts else "")


class Stopwatch:
    """``with watch("html"): …`` adds the block's duration to a :class:`Timings`-like dict."""

    def __init__(self) -> None:
        self.stages: dict[str, float] = {}

    def __call__(self, stage: str) -> "_Lap":
        return _Lap(self.stages, stage)

    def take(self) -> dict[str, float]:
        stages, self.stages = self.stages, {}
        return stages


class _Lap:
    def __init__(self, stages: dict[str, float], stage: str) -> None:
        self.stages, self.stage = stages, stage

    def __enter__(self) -> None:
        self.start = time.perf_counter()

    def __exit__(self, *exc: object) -> None:
        self.stages[self.stage] = self.stages.get(self.stage, 0.0) + time.perf_counter() - self.start
