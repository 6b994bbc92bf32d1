"""What one command costs, run as a process of its own: CPU and wall seconds, peak memory (the benchmarks share it).

The figures come from /usr/bin/time: a child forked straight from the benchmark, which holds corpora, would count
the benchmark's own size as its peak until it execs (the kernel keeps the largest RSS a process had).
"""

from __future__ import annotations

import subprocess
import tempfile
import time
from collections.abc import Sequence


def measure(command: Sequence[str], *, ok: Sequence[int] = (0,)) -> tuple[float, float, float]:
    """CPU seconds (user + system, the workers it waited for included), wall seconds, peak RSS in MB (its
    largest process); exits with the command's error when its status is not one of ``ok``."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as figures:
        started = time.perf_counter()
        done = subprocess.run(
            ["/usr/bin/time", "-f", "%U %S %M", "-o", figures.name, *command],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            check=False,
        )
        wall = time.perf_counter() - started
        if done.returncode not in ok:
            error = done.stderr.decode(errors="replace")
            raise SystemExit(f"{' '.join(command)} failed ({done.returncode}): {error}")
        user, system, peak_kib = figures.read().split()[-3:]
    return float(user) + float(system), wall, int(peak_kib) / 1024
