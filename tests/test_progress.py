"""Progress on stderr: a redrawn bar on a terminal, plain lines elsewhere, nothing for short jobs."""

from __future__ import annotations

import io

from geomap._progress import ProgressReport, describe, plural
from geomap.job import Progress


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_describe() -> None:
    progress = Progress(articles=1234, mentions=45678, bytes_read=12_300_000, total_bytes=40_000_000, seconds=6.15)
    assert describe(progress) == "1,234 articles, 12.3 MB of 40.0 MB, 45,678 mentions, 2.00 MB/s"
    small = Progress(articles=1, mentions=1, bytes_read=4_500, total_bytes=None, seconds=0.0)
    assert describe(small) == "1 article, 0.004 MB, 1 mention, 0.00 MB/s"
    assert plural(2, "input record") == "2 input records"


def test_plain_lines_when_not_a_terminal() -> None:
    stream = io.StringIO()
    report = ProgressReport(stream, interval=0)
    report(Progress(1, 3, 100, 200, 1.0))
    report(Progress(2, 5, 200, 200, 2.0))
    report.close()
    assert stream.getvalue().splitlines() == [
        "geomap: 1 article, 0.000 MB of 0.000 MB, 3 mentions, 0.00 MB/s",
        "geomap: 2 articles, 0.000 MB of 0.000 MB, 5 mentions, 0.00 MB/s",
    ]


def test_a_bar_redrawn_in_place_on_a_terminal() -> None:
    stream = _Terminal()
    report = ProgressReport(stream, interval=0)
    report(Progress(5, 10, 500_000, 1_000_000, 1.0))
    report.close()
    text = stream.getvalue()
    assert text.startswith("\r[############------------]  50% 5 articles, 0.5 MB of 1.0 MB")
    assert text.endswith("\x1b[K\n")


def test_short_jobs_show_nothing() -> None:
    stream = _Terminal()
    report = ProgressReport(stream, interval=60)
    report(Progress(1, 1, 1, 1, 0.01))
    report.close()
    assert stream.getvalue() == ""
