"""Geoparsing speed and memory: extract + resolve a corpus's texts on one core.

The gazetteer and the name index load once (timed apart). Each run then
geoparses every text: a "cold" run starts with every lookup cache empty (a
fresh recogniser on the loaded name index, a fresh resolver, the name-key
cache cleared), as a first pass over a corpus does; a "warm" run reuses them,
as a long job over thousands of articles does. "first_pass" is the very first
cold run of the process. Medians of --runs runs; peak RSS of the process.

    python benchmarks/geoparse_speed.py ../shared/eval/gwn.jsonl --runs 5

Target (issue 3): 2 MB of text per second or more; peak memory <= 1.5 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import time

from geomap.gazetteer import name_key, open_gazetteer
from geomap.ingest import read_articles
from geomap.pipeline import Geoparser
from geomap.recognise import RuleRecogniser
from geomap.resolve import Resolver


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", help="articles: JSONL, CSV, page dumps or a folder")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core

    articles = list(read_articles([args.corpus]))
    megabytes = sum(len(a.text.encode("utf-8")) for a in articles) / 1e6
    started = time.perf_counter()
    geoparser = Geoparser(open_gazetteer())
    load_seconds = time.perf_counter() - started

    def one_run(*, cold: bool) -> float:
        if cold:
            geoparser.recogniser = RuleRecogniser(geoparser.gazetteer, index=geoparser.recogniser.index)
            geoparser.resolver = Resolver(geoparser.gazetteer)
            name_key.cache_clear()
        begin = time.perf_counter()
        count = sum(len(geoparser.mentions(a)) for a in articles)
        seconds = time.perf_counter() - begin
        assert count > 0
        return seconds

    cold = [one_run(cold=True) for _ in range(args.runs)]
    warm = [one_run(cold=False) for _ in range(args.runs)]
    result = {
        "articles": len(articles),
        "megabytes": round(megabytes, 3),
        "load_seconds": round(load_seconds, 2),
        "first_pass_mb_per_s": round(megabytes / cold[0], 2),  # the first run: nothing is warm but the index
        "cold_mb_per_s_median": round(megabytes / statistics.median(cold), 2),
        "cold_seconds": [round(s, 3) for s in cold],
        "warm_mb_per_s_median": round(megabytes / statistics.median(warm), 2),
        "warm_seconds": [round(s, 3) for s in warm],
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    json.dump(result, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
