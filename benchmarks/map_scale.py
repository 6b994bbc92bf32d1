"""Maps at scale: `geomap map` of a synthetic corpus, as a process of its own, then its index in Chromium.

Mentions point at real gazetteer places (towns, countries, admin-1 units and
composite regions, so polygons are drawn too), spread over 60 dates, ten per
article by default, written as `run` writes them (an article's records
together). Measures, medians of --runs runs:

- map_s, map_mb: `geomap map mentions.jsonl --articles articles.jsonl --offline`,
  wall seconds and peak memory (index.html, article.html, the article data);
- index_mb: the size of index.html;
- markers_s: headless Chromium, from opening index.html (file://) until the
  first markers are drawn (needs chromium and chromedriver);
- article_s: the same for one article's map (article.html#...).

    python benchmarks/map_scale.py --articles 10000 --mentions 100000
    python benchmarks/map_scale.py --articles 100000 --mentions 1000000 --runs 1

Targets (issue 12): 10,000 articles / 100,000 mentions written in at most 20 s,
index at most 20 MB, first markers within 3 s, at most 1.5 GB; 100,000 / 1,000,000
written in at most 3 minutes, the index's places shown within 5 s.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _measure import measure

from geomap.gazetteer import open_gazetteer
from geomap.render import article_slug


def write_corpus(folder: Path, *, articles: int, mentions: int, seed: int = 7) -> tuple[Path, Path]:
    """articles.jsonl and mentions.jsonl, written as they are made (a million records need not be held)."""
    gazetteer = open_gazetteer()
    rng = random.Random(seed)
    towns = gazetteer.places(kinds=["populated_place"], min_population=50_001)
    regions = gazetteer.places(kinds=["admin1", "composite", "country"])
    articles_path, mentions_path = folder / "articles.jsonl", folder / "mentions.jsonl"
    with articles_path.open("w", encoding="utf-8") as out:
        for i in range(articles):
            article = {
                "id": f"synthetic-{i:06d}",
                "text": "Synthetic.",
                "title": f"Synthetic story {i}",
                "date": f"2025-{1 + i % 12:02d}-{1 + i % 5:02d}",
                "url": f"https://example.org/{i}",
                "source": rng.choice(["wire", "daily", "weekly"]),
            }
            out.write(json.dumps(article) + "\n")
    per_article = mentions // articles
    with mentions_path.open("w", encoding="utf-8") as out:
        for n in range(per_article * articles):
            place = rng.choice(regions) if rng.random() < 0.15 else rng.choice(towns)
            start = (n % per_article) * 40
            record = {
                "article_id": f"synthetic-{n // per_article:06d}",
                "start": start,
                "end": start + len(place.name),
                "text": place.name,
                "sentence": f"Something happened in {place.name} today.",
                "sentence_start": max(0, start - 22),
                "type": rng.choice(["literal", "literal", "literal", "associative", "demonym", "dateline"]),
                "place_id": place.place_id,
                "geonameid": place.geonameid,
                "name": place.name,
                "kind": place.kind,
                "country_code": place.country_code,
                "admin1": place.admin1,
                "lat": place.lat,
                "lon": place.lon,
                "confidence": round(rng.random(), 3),
                "resolved_by": "gazetteer",
                "alternatives": [],
            }
            out.write(json.dumps(record) + "\n")
    return articles_path, mentions_path


_DRAWN = (
    "var g = window.geomap; if (!g) { return 0; }"
    "var places = g.places && g.map.hasLayer(g.places) ? g.places.getLayers().length : 0;"
    "return places + document.querySelectorAll('path.leaflet-interactive, .leaflet-marker-icon').length;"
)


def browser_seconds(driver, page: str) -> float | None:
    """Seconds from opening ``page`` until markers are drawn (None: not within a minute)."""
    driver.get("about:blank")
    started = time.perf_counter()
    driver.get(page)
    while time.perf_counter() - started < 60:
        if driver.execute_script(_DRAWN):
            return time.perf_counter() - started
        time.sleep(0.05)
    return None


def chromium(profile: str):
    """The browser tests' offline Chromium (tests/tests_support.py), or None where there is none."""
    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        return None
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from tests_support import offline_chromium

    return offline_chromium(profile)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--mentions", type=int, default=100_000)
    parser.add_argument("--article-layers", type=int, default=None, help="geomap map --article-layers")
    args = parser.parse_args(argv)
    figures: dict[str, list[float]] = {"map_s": [], "map_mb": [], "index_mb": [], "markers_s": [], "article_s": []}
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        articles, mentions = write_corpus(folder, articles=args.articles, mentions=args.mentions)
        command = [sys.executable, "-m", "geomap", "map", str(mentions), "--articles", str(articles), "--offline"]
        if args.article_layers is not None:
            command += ["--article-layers", str(args.article_layers)]
        driver = chromium(str(folder / "profile"))
        try:
            for run in range(args.runs):
                out = folder / f"maps-{run}"
                _, wall, peak = measure([*command, "-o", str(out)])
                figures["map_s"].append(wall)
                figures["map_mb"].append(peak)
                figures["index_mb"].append((out / "index.html").stat().st_size / 1e6)
                if driver is not None:
                    for name, page in (
                        ("markers_s", (out / "index.html").as_uri()),
                        ("article_s", f"{(out / 'article.html').as_uri()}#{article_slug('synthetic-000000')}"),
                    ):
                        seconds = browser_seconds(driver, page)
                        if seconds is not None:
                            figures[name].append(seconds)
                shutil.rmtree(out)
        finally:
            if driver is not None:
                driver.quit()
    result: dict[str, object] = {"articles": args.articles, "mentions": args.mentions}
    for name, values in figures.items():
        result[f"{name}_median"] = round(statistics.median(values), 2) if values else None
        result[name] = [round(v, 2) for v in values]
    json.dump(result, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
