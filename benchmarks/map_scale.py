"""Maps at scale: a synthetic corpus of 1,000 articles and 10,000 mentions.

Mentions point at real gazetteer places (towns, countries, admin-1 units and
composite regions, so polygons are drawn too), spread over 60 dates. Measures,
medians of --runs runs, side by side:

- render_index_s: building and writing index.html;
- render_all_s: index.html plus the 1,000 per-article pages;
- index_mb: the size of index.html;
- browser_s: headless Chromium, from opening index.html (file://) until the
  markers are on screen (needs /usr/bin/chromium and chromedriver).

    python benchmarks/map_scale.py --runs 3

Targets (issue 4): render <= 10 s, index.html <= 20 MB, markers within 5 s.
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

from geomap.gazetteer import open_gazetteer
from geomap.join import articles_frame, join_mentions, mentions_frame
from geomap.models import Article
from geomap.render import MapDigest, write_index, write_maps


def synthetic(gazetteer, *, articles: int, mentions: int, seed: int = 7):
    rng = random.Random(seed)
    towns = gazetteer.places(kinds=["populated_place"], min_population=50_001)
    regions = gazetteer.places(kinds=["admin1", "composite", "country"])
    docs = [
        Article(
            id=f"synthetic-{i:04d}",
            text="",
            title=f"Synthetic story {i}",
            date=f"2025-{1 + i % 12:02d}-{1 + i % 5:02d}",
            url=f"https://example.org/{i}",
            source=rng.choice(["wire", "daily", "weekly"]),
        )
        for i in range(articles)
    ]
    records = []
    for n in range(mentions):
        place = rng.choice(regions) if rng.random() < 0.15 else rng.choice(towns)
        place_id, geonameid, name, kind = place.place_id, place.geonameid, place.name, place.kind
        country, admin1, lat, lon = place.country_code, place.admin1, place.lat, place.lon
        records.append(
            {
                "article_id": docs[n % articles].id,
                "start": n,
                "end": n + len(name),
                "text": name,
                "sentence": f"Something happened in {name} today.",
                "sentence_start": n - 22,
                "type": rng.choice(["literal", "literal", "literal", "associative", "demonym", "dateline"]),
                "place_id": place_id,
                "geonameid": geonameid,
                "name": name,
                "kind": kind,
                "country_code": country,
                "admin1": admin1,
                "lat": lat,
                "lon": lon,
                "confidence": round(rng.random(), 3),
                "resolved_by": "gazetteer",
                "alternatives": [],
            }
        )
    return docs, records


def browser_seconds(index: Path) -> float | None:
    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        return None
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    with tempfile.TemporaryDirectory() as profile:
        for flag in (
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={profile}",
        ):
            options.add_argument(flag)
        driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
        try:
            driver.get("about:blank")
            started = time.perf_counter()
            driver.get(index.as_uri())
            while time.perf_counter() - started < 60:
                shown = driver.execute_script(
                    "return document.querySelectorAll('.leaflet-marker-icon, path.leaflet-interactive').length"
                )
                if shown:
                    return time.perf_counter() - started
                time.sleep(0.05)
            return None
        finally:
            driver.quit()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--mentions", type=int, default=10000)
    args = parser.parse_args(argv)
    gazetteer = open_gazetteer()
    docs, records = synthetic(gazetteer, articles=args.articles, mentions=args.mentions)
    frame = articles_frame(docs)
    joined = join_mentions(mentions_frame(records), frame)
    index_times, all_times, browser_times, sizes = [], [], [], []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as out:
            started = time.perf_counter()
            digest = MapDigest.of(joined, frame)
            write_index(out, digest, gazetteer=gazetteer, offline=True, per_article=False)
            index_times.append(time.perf_counter() - started)
            sizes.append(Path(out, "index.html").stat().st_size / 1e6)
            seconds = browser_seconds(Path(out, "index.html"))
            if seconds is not None:
                browser_times.append(seconds)
        with tempfile.TemporaryDirectory() as out:
            started = time.perf_counter()
            write_maps(joined, out, gazetteer=gazetteer, articles=frame, offline=True)
            all_times.append(time.perf_counter() - started)
    result = {
        "articles": args.articles,
        "mentions": len(records),
        "render_index_s_median": round(statistics.median(index_times), 2),
        "render_index_s": [round(t, 2) for t in index_times],
        "render_all_s_median": round(statistics.median(all_times), 2),
        "render_all_s": [round(t, 2) for t in all_times],
        "index_mb": round(max(sizes), 2),
        "browser_s_median": round(statistics.median(browser_times), 2) if browser_times else None,
        "browser_s": [round(t, 2) for t in browser_times],
    }
    json.dump(result, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
