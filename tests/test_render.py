"""The HTML maps, checked without a browser (see test_browser.py for a real one)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from tests_support import HOSTILE, build_maps

from geomap.gazetteer import Gazetteer
from geomap.ingest import read_articles
from geomap.models import Article
from geomap.render import REGION_KINDS, article_slug

SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_db247c232c80904f.txt"


def build(gazetteer: Gazetteer, out: Path, articles: list[Article], *, offline: bool = True) -> tuple:
    joined = build_maps(gazetteer, out, articles, offline=offline)
    paths = sorted(p for p in out.rglob("*") if p.is_file())
    return joined, paths


@pytest.fixture(scope="module")
def seed_maps(gazetteer: Gazetteer, tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("maps")
    joined, paths = build(gazetteer, out, [*read_articles([SEED]), HOSTILE])
    return out, joined, paths


def test_index_and_one_page_per_article(seed_maps) -> None:
    out, joined, paths = seed_maps
    names = {p.relative_to(out).as_posix() for p in paths}
    assert "index.html" in names
    for article_id in joined["article_id"].unique():
        assert f"articles/{article_slug(article_id)}.html" in names
    index = (out / "index.html").read_text(encoding="utf-8")
    for article_id in joined["article_id"].unique():
        assert f"articles/{article_slug(article_id)}.html" in index


def test_offline_pages_load_nothing_from_the_network(seed_maps) -> None:
    _, _, paths = seed_maps
    for path in paths:
        if path.suffix != ".html":
            continue
        page = path.read_text(encoding="utf-8")
        assert not re.search(r"<(script|link|img)[^>]+(src|href)=[\"']?(https?:)?//", page), path
        assert "tile.openstreetmap" not in page


def test_online_tiles_are_an_option(gazetteer: Gazetteer, tmp_path: Path) -> None:
    build(gazetteer, tmp_path, list(read_articles([SEED])), offline=False)
    assert "tile.openstreetmap.org" in (tmp_path / "index.html").read_text(encoding="utf-8")


def test_article_text_is_escaped(seed_maps) -> None:
    out, _, _ = seed_maps
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "<script>window.__pwned" not in index
    assert "<img src=x" not in index
    assert "javascript:window" not in index.replace("javascript:window.__pwned = 3", "")  # only inside JSON data
    assert not re.search(r"href=['\"]javascript:", index)
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in index or "\\u0026lt;script" in index


def test_counts_match_the_mention_table(seed_maps) -> None:
    out, joined, _ = seed_maps
    index = (out / "index.html").read_text(encoding="utf-8")
    counts = json.loads(re.search(r"counts: (\{.*?\}\})\}", index).group(1))
    resolved = joined[joined["place_id"].notna()].copy()
    resolved["layer"] = [
        "regions"
        if r["kind"] in REGION_KINDS
        else {"associative": "associative", "demonym": "demonyms"}.get(r["type"], "places")
        for r in resolved.to_dict("records")
    ]
    expected = resolved.groupby(["article_id", "layer"])["place_id"].nunique()
    got = {(a, layer): n for a, layers in counts.items() for layer, n in layers.items()}
    assert got == expected.to_dict()


def test_regions_are_polygons_in_the_page(seed_maps) -> None:
    out, _, _ = seed_maps
    page = (out / "articles" / f"{article_slug('000_db247c232c80904f-2')}.html").read_text(encoding="utf-8")
    assert '"MultiPolygon"' in page or '"Polygon"' in page  # Donbas
    assert "GeoNames" in page and "CC BY 4.0" in page


def test_many_points_are_clustered(gazetteer: Gazetteer, tmp_path: Path) -> None:
    cities = ["Paris", "Lyon", "Berlin", "Madrid", "Rome", "Vienna", "Warsaw", "Prague", "Lisbon", "Oslo"]
    articles = [
        Article(
            id=f"a{i}",
            text=f"Reports from {cities[i % 10]} and {cities[(i + 3) % 10]} and Kyiv.",
            title=f"Story {i}",
            date=f"2025-01-{1 + i % 28:02d}",
        )
        for i in range(120)
    ]
    build(gazetteer, tmp_path, articles)
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "L.markerClusterGroup(" in index
    assert '"collapsed": true' in index or 'collapsed": true' in index
