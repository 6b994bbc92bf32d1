"""Progress of a long job on stderr: a bar on a terminal, a plain line now and then otherwise."""

from __future__ import annotations

import time
from typing import TextIO

from .job import Progress

BAR_WIDTH = 24


def describe(progress: Progress) -> str:
    """'1,234 articles, 12.3 MB of 40.0 MB, 45,678 mentions, 2.10 MB/s'."""
    read = _megabytes(progress.bytes_read)
    size = read if progress.total_bytes is None else f"{read} of {_megabytes(progress.total_bytes)}"
    rate = progress.bytes_read / 1e6 / progress.seconds if progress.seconds > 0 else 0.0
    return f"{plural(progress.articles, 'article')}, {size}, {plural(progress.mentions, 'mention')}, {rate:.2f} MB/s"


def plural(number: int, noun: str) -> str:
    """'1 article', '1,234 articles'."""
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def _megabytes(count: int) -> str:
    return f"{count / 1e6:.1f} MB" if count >= 100_000 else f"{count / 1e6:.3f} MB"


class ProgressReport:
    """A job's ``progress`` callback that writes to ``stream``.

    On a terminal one line is redrawn in place, with a bar when the input's
    size is known; elsewhere (a log file, CI) a plain line is written every
    ``interval`` seconds. Nothing is written before ``interval`` has passed,
    so short jobs stay quiet.
    """

    def __init__(self, stream: TextIO, *, interval: float | None = None) -> None:
        self.stream = stream
        self.terminal = stream.isatty()
        self.interval = interval if interval is not None else (0.5 if self.terminal else 5.0)
        self._next = time.monotonic() + self.interval
        self._drawn = False

    def __call__(self, progress: Progress) -> None:
        now = time.monotonic()
        if now < self._next:
            return
        self._next = now + (min(self.interval, 0.2) if self.terminal else self.interval)
        if self.terminal:
            self.stream.write(f"\r{_bar(progress)}{describe(progress)}\x1b[K")
            self._drawn = True
        else:
            self.stream.write(f"geomap: {describe(progress)}\n")
        self.stream.flush()

    def close(self) -> None:
        """End the redrawn line, if one was drawn."""
        if self._drawn:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = False


def _bar(progress: Progress) -> str:
    if not progress.total_bytes:
        return ""
    share = min(progress.bytes_read / progress.total_bytes, 1.0)
    filled = round(share * BAR_WIDTH)
    return f"[{'#' * filled}{'-' * (BAR_WIDTH - filled)}] {share:4.0%} "
