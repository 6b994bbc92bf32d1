"""Time and memory of the gazetteer build, and of a cold `geomap geocode`.

Each run is a new process (so "cold" means a fresh interpreter and a fresh
SQLite connection; the OS page cache stays warm). Medians of --runs runs.

    python benchmarks/gazetteer_build.py --runs 5

Targets (issue 2): build <= 90 s and <= 2 GB peak; geocode <= 1 s wall.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the largest so far; it only tells when this child set a new peak
    return seconds, max(peak, before) / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    geomap = shutil.which("geomap") or sys.exit("install geomap first (pip install .)")

    cache = tempfile.mkdtemp(prefix="geomap-bench-")
    env = {**os.environ, "GEOMAP_CACHE_DIR": cache}
    try:
        builds = [timed([geomap, "--silent", "gazetteer", "build", "--force"], env) for _ in range(args.runs)]
        geocodes = [timed([geomap, "geocode", "Sudzha"], env)[0] for _ in range(args.runs)]
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    result = {
        "runs": args.runs,
        "build_seconds_median": round(statistics.median(s for s, _ in builds), 2),
        "build_seconds_all": [round(s, 2) for s, _ in builds],
        "build_peak_rss_mb": round(max(mb for _, mb in builds)),
        "geocode_seconds_median": round(statistics.median(geocodes), 3),
        "geocode_seconds_all": [round(s, 3) for s in geocodes],
    }
    json.dump(result, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
