"""Gazetteer coverage on a gold corpus: can each gold toponym be found at all?

For every gold toponym with coordinates, the toponym counts as covered when its
surface name (exactly, case-insensitively, through an alias or a demonym) has a
gazetteer entry within 161 km of the gold point. This is the ceiling for any
resolver built on the gazetteer.

    python benchmarks/gazetteer_coverage.py ../shared/eval/gwn.jsonl [--misses 40]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict

from geomap.gazetteer import open_gazetteer
from geomap.geo import distance_km

THRESHOLD_KM = 161.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", help="JSONL with text and toponyms (start, end, name, lat, lon, type)")
    parser.add_argument("--misses", type=int, default=30, help="how many of the commonest misses to list")
    args = parser.parse_args(argv)

    gazetteer = open_gazetteer()
    total: Counter[str] = Counter()
    covered: Counter[str] = Counter()
    misses: Counter[str] = Counter()
    cache: dict[str, list[tuple[float, float]]] = {}
    with open(args.gold, encoding="utf-8") as f:
        for line in f:
            article = json.loads(line)
            for toponym in article["toponyms"]:
                if toponym.get("lat") is None:
                    continue
                name = article["text"][toponym["start"] : toponym["end"]]
                if name not in cache:
                    cache[name] = [(c.place.lat, c.place.lon) for c in gazetteer.lookup(name, limit=None)]
                gold = (toponym["lat"], toponym["lon"])
                hit = any(distance_km(*gold, *point) <= THRESHOLD_KM for point in cache[name])
                kind = toponym.get("type", "?")
                total[kind] += 1
                covered[kind] += hit
                if not hit:
                    misses[f"{name} ({toponym.get('geonameid')})"] += 1

    by_type = defaultdict(dict)
    for kind in sorted(total):
        by_type[kind] = {"toponyms": total[kind], "coverage": round(covered[kind] / total[kind], 4)}
    result = {
        "toponyms": sum(total.values()),
        "covered": sum(covered.values()),
        "coverage": round(sum(covered.values()) / max(sum(total.values()), 1), 4),
        "by_type": by_type,
        "commonest_misses": misses.most_common(args.misses),
    }
    json.dump(result, sys.stdout, indent=2, ensure_ascii=False)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
