"""A small progress bar for long commands (a bar on a terminal, a line every 10% otherwise)."""

import sys
import time
from typing import TextIO


class Progress:
    def __init__(self, total: int, label: str, stream: TextIO | None = None, width: int = 30):
        self.total = max(total, 1)
        self.label = label
        self.stream = stream or sys.stderr
        self.width = width
        self.done = 0
        self.started = time.monotonic()
        self._last_decile = -1
        self._tty = hasattr(self.stream, "isatty") and self.stream.isatty()

    def advance(self, n: int = 1) -> None:
        self.done = min(self.total, self.done + n)
        share = self.done / self.total
        if self._tty:
            filled = int(share * self.width)
            bar = "#" * filled + "-" * (self.width - filled)
            self.stream.write(f"\r{self.label} [{bar}] {share:4.0%} {self.done:,}/{self.total:,}")
            if self.done >= self.total:
                self.stream.write(f"  {time.monotonic() - self.started:.1f}s\n")
            self.stream.flush()
        elif int(share * 10) != self._last_decile:
            self._last_decile = int(share * 10)
            self.stream.write(f"{self.label}: {share:.0%} ({self.done:,}/{self.total:,})\n")
