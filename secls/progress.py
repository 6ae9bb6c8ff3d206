"""A one-line progress bar on stderr, redrawn in place with `\\r` and erased at the end."""

from __future__ import annotations

import sys
import time
from typing import TextIO

MIN_FILES = 10  # fewer files than this finish before a bar would be worth reading
BAR_WIDTH = 24


def wanted(total: int, stream: TextIO | None = None) -> bool:
    """Whether to show progress: stderr is a terminal and there are more than a handful of files."""
    stream = stream or sys.stderr
    try:
        return total >= MIN_FILES and stream.isatty()
    except (AttributeError, ValueError):  # a closed or replaced stream
        return False


class Progress:
    """Counts finished files and redraws `[#####.....] 412/844 files` at most every `interval` seconds."""

    def __init__(self, total: int, stream: TextIO | None = None, interval: float = 0.1) -> None:
        self.total = total
        self.done = 0
        self.stream = stream or sys.stderr
        self.interval = interval
        self._drawn = 0.0
        self._width = 0

    def advance(self, count: int = 1) -> None:
        """Note `count` more finished files; redraw when the last drawing is old enough."""
        self.done += count
        now = time.monotonic()
        if now - self._drawn >= self.interval or self.done == self.total:
            self._drawn = now
            self._draw()

    def _draw(self) -> None:
        filled = BAR_WIDTH * self.done // self.total if self.total else BAR_WIDTH
        line = f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {self.done}/{self.total} files"
        self._width = max(self._width, len(line))
        self.stream.write("\r" + line)
        self.stream.flush()

    def close(self) -> None:
        """Erase the line, so that what follows starts at the left margin."""
        if self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
