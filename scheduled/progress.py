"""A progress bar on the terminal (stderr), without a dependency: a bar when it is a terminal, steps otherwise."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class ProgressBar:
    def __init__(self, label: str, total: int, stream: TextIO | None = None, width: int = 30) -> None:
        self.label, self.total, self.width = label, max(total, 1), width
        self.stream = stream or sys.stderr
        self.done = 0
        self._tty = self.stream.isatty()
        self._last_step = -1
        self._started = time.monotonic()

    def advance(self, count: int = 1) -> None:
        self.done = min(self.total, self.done + count)
        percent = self.done * 100 // self.total
        if self._tty:
            filled = self.width * self.done // self.total
            bar = "█" * filled + "░" * (self.width - filled)
            self.stream.write(f"\r{self.label} {bar} {percent:3d}% {self.done}/{self.total}")
            self.stream.flush()
        elif percent // 10 != self._last_step:
            self._last_step = percent // 10
            self.stream.write(f"{self.label} {percent}% ({self.done}/{self.total})\n")

    def close(self) -> None:
        if self._tty:
            elapsed = time.monotonic() - self._started
            self.stream.write(f"\r{self.label} 完成 {self.done}/{self.total}，用时 {elapsed:.1f} 秒\n")
        self.stream.flush()
