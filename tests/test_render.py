"""The HTML maps, checked without a browser (see test_browser.py for a real one)."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from tests_support import (
    EVALUATED,
    HOSTILE,
    TEMPLATE_PAYLOADS,
    aggregates_of,
    article_data,
    build_maps,
    city_articles,
    data_layers,
    data_popups,
    hostile_template_articles,
    page_layers,
    page_popups,
    tree_labels,
    visible_text,
)

from geomap.gazetteer import Gazetteer
from geomap.ingest import read_articles
from geomap.models import Article
from geomap.render import article_slug

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


def test_index_viewer_and_the_data_of_each_article(seed_maps) -> None:
    out, joined, paths = seed_maps
    names = {p.relative_to(out).as_posix() for p in paths}
    ids = {r["article_id"] for r in joined} | {HOSTILE.id}
    assert names == {
        "index.html",
        "article.html",
        "mentions.jsonl",
        "mentions.geojson",
        *(f"articles/{article_slug(a)}.js" for a in ids),
    }
    index = (out / "index.html").read_text(encoding="utf-8")
    for article_id in ids:
        assert f"article.html#{article_slug(article_id)}" in index  # its tree node links its map
        assert article_data(out, article_id)["page"]["articles"][0]["id"] == article_id


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
    assert any(label.startswith(HOSTILE.title) for label in tree_labels(index))  # shown as written


def test_layers_hold_what_a_reader_expects(seed_maps) -> None:
    out, _, _ = seed_maps
    index = (out / "index.html").read_text(encoding="utf-8")
    drawn = page_layers(index)
    first, second = drawn["000_db247c232c80904f-1"], drawn["000_db247c232c80904f-2"]
    assert first["regions"] == ["Kursk Oblast"] and second["regions"] == ["Donbas"]  # polygons, not points
    assert {"Sudzha", "Moscow"} <= set(first["places"])  # MOSCOW: the dateline is a place
    assert "Russia" in first["demonyms"] and "Germany" in second["demonyms"]  # "Russian", "German"
    assert "Moscow" in second["associative"]  # "Moscow has repeatedly said"
    for layers in drawn.values():  # each place once per layer
        assert all(len(names) == len(set(names)) for names in layers.values())
    config, _ = json.JSONDecoder().raw_decode(index, re.search(r"geomapPage\(\w+, layers, ", index).end())
    counts = config["counts"]
    assert counts == {a: {k: len(v) for k, v in layers.items()} for a, layers in drawn.items() if a in counts}
    tree = " ".join(tree_labels(index))
    assert "Places (3)" in tree and "Regions (1)" in tree  # the tree says what the layers hold


def test_regions_are_polygons_in_the_page(seed_maps) -> None:
    out, _, _ = seed_maps
    data = article_data(out, "000_db247c232c80904f-2")
    donbas = data["shapes"]["region:donbas"]  # Donetsk and Luhansk oblasts, one outline
    assert donbas["type"] == "Polygon" and len(donbas["coordinates"][0]) > 100
    assert data_layers(data)["regions"] == ["Donbas"]
    for page in ("index.html", "article.html"):
        text = (out / page).read_text(encoding="utf-8")
        assert "GeoNames" in text and "CC BY 4.0" in text


def test_many_points_are_clustered(gazetteer: Gazetteer, tmp_path: Path) -> None:
    articles = city_articles(120)
    build(gazetteer, tmp_path, articles)
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert index.count("= L.markerClusterGroup(") == 1  # one cluster group: 120 articles' markers
    dates = {a.date for a in articles}
    assert index.count('"collapsed": true') == len(articles) + len(dates)  # so many: every branch starts closed


# --- article text never reaches the template engine --------------------------------


@pytest.fixture(scope="module")
def template_maps(gazetteer: Gazetteer, tmp_path_factory: pytest.TempPathFactory):
    workdir = tmp_path_factory.mktemp("work")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(workdir)  # where an evaluated os.mkdir(...) would create its folder
        out = workdir / "maps"
        articles = hostile_template_articles()
        build(gazetteer, out, articles)
    return workdir, out, articles


def test_template_syntax_in_articles_is_not_evaluated(template_maps) -> None:
    workdir, out, _ = template_maps
    assert sorted(p.name for p in workdir.iterdir()) == ["maps"]  # no folder "range" made by a payload
    for path in out.rglob("*.html"):
        page = path.read_text(encoding="utf-8")
        for evaluated in (*EVALUATED, str(workdir)):
            assert evaluated not in page, (path.name, evaluated)


def test_template_syntax_in_articles_shows_literally(template_maps) -> None:
    _, out, articles = template_maps
    index = (out / "index.html").read_text(encoding="utf-8")
    popups = [visible_text(p) for p in page_popups(index)]
    joined = " ".join(TEMPLATE_PAYLOADS)
    first = articles[0]
    sudzha = next(p for p in popups if p.startswith("Sudzha"))
    assert f"{joined} near Sudzha." in sudzha  # the sentence, as written
    assert first.title in sudzha and first.source in sudzha
    link = next(p for p in page_popups(index) if "Sudzha" in p)
    assert f"href='{html.escape(first.url, quote=True)}'" in link
    labels = tree_labels(index)
    assert any(label.startswith(first.title) for label in labels)
    assert any(label.startswith(articles[1].id) for label in labels)  # no title: labelled by its id
    assert any(f"{joined} near Sudzha." in visible_text(p) for p in data_popups(article_data(out, first.id)))


def test_the_same_input_gives_the_same_pages(gazetteer: Gazetteer, tmp_path: Path) -> None:
    articles = [*read_articles([SEED]), *hostile_template_articles()]
    build(gazetteer, tmp_path / "one", articles)
    build(gazetteer, tmp_path / "two", articles)
    one = {p.relative_to(tmp_path / "one"): p.read_bytes() for p in (tmp_path / "one").rglob("*") if p.is_file()}
    two = {p.relative_to(tmp_path / "two"): p.read_bytes() for p in (tmp_path / "two").rglob("*") if p.is_file()}
    assert one == two


def _fit_bounds(page: str) -> list[list[float]]:
    match = re.search(r"map_0000\.fitBounds\(\s*(\[\[.*?\]\])", page, re.S)
    assert match, "the map is framed"
    return json.loads(match.group(1))


def test_the_map_opens_on_the_places_named_not_on_the_countries(gazetteer: Gazetteer, tmp_path: Path) -> None:
    records = build_maps(gazetteer, tmp_path, list(read_articles([SEED])))
    (south, west), (north, east) = _fit_bounds((tmp_path / "index.html").read_text(encoding="utf-8"))
    named = {r["name"]: r for r in records if r["place_id"]}
    assert {"Russia", "Ukraine"} <= set(named)  # named, but their points (Siberia...) do not frame the map
    for name in ("Sudzha", "Kursk Oblast", "Donbas"):
        minx, miny, maxx, maxy = (
            gazetteer.geometry(named[name]["place_id"]).bounds
            if named[name]["kind"] != "populated_place"
            else (named[name]["lon"], named[name]["lat"]) * 2
        )
        assert south <= miny and maxy <= north and west <= minx and maxx <= east, name
    assert east - west < 15 and north - south < 15  # western Russia and eastern Ukraine, not the world


def test_frames_fall_back_from_towns_to_any_place_to_everything() -> None:
    from geomap.render.page import _Frames

    frames = _Frames()
    frames.add([(60.0, 100.0)], kind="country", literal=True)  # Russia's point
    assert frames.corners() == [(60.0, 100.0), (60.0, 100.0)]  # only countries: they are the frame
    frames.add([(50.0, 30.0)], kind="populated_place", literal=False)  # "Kyiv's troops"
    assert frames.corners() == [(50.0, 30.0), (50.0, 30.0)]
    frames.add([(51.0, 35.0), (52.0, 38.0)], kind="admin1", literal=True)  # Kursk Oblast, named
    assert frames.corners() == [(51.0, 35.0), (52.0, 38.0)]
    assert _Frames().corners() is None  # nothing drawn: no frame, the world view


def test_pages_have_a_title_and_an_article_title_is_text(seed_maps) -> None:
    from geomap.render.digest import MapDigest
    from geomap.render.files import index_title

    out = seed_maps[0]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "<title>geomap: 3 articles, 2025-03-12 to 2026-02-03</title>" in index
    assert article_data(out, "hostile")["title"] == HOSTILE.title  # article.html makes it the page's title, as text
    digest = MapDigest()
    assert index_title(digest) == "geomap: 0 articles"
    digest.add_article({"article_id": "a", "article_date": "2025-01-02"})
    digest.add_article({"article_id": "b"})
    assert index_title(digest) == "geomap: 2 articles, 2025-01-02"


def test_the_timeline_counts_the_mentions_of_each_day(gazetteer: Gazetteer, tmp_path: Path) -> None:
    articles = list(read_articles([SEED]))
    records = build_maps(gazetteer, tmp_path, articles)
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    config = json.loads(re.search(r"geomapPage\(map_0000, layers, (\{.*?\}), tree_layer_control", index, re.S).group(1))
    date_of = {a.id: a.date for a in articles}
    per_day: dict[str, int] = {}
    for record in records:
        if record["place_id"]:
            day = date_of[record["article_id"]]
            per_day[day] = per_day.get(day, 0) + 1
    assert config["dates"] == sorted(per_day) and len(config["dates"]) == 2
    assert config["timeline"] == [per_day[date] for date in config["dates"]]


def test_the_index_has_a_layer_of_every_place_sized_by_its_mentions(gazetteer: Gazetteer, tmp_path: Path) -> None:
    articles = list(read_articles([SEED]))
    records = build_maps(gazetteer, tmp_path, articles)
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    data = aggregates_of(index)
    assert [a[2] for a in data["articles"]] == [
        f"article.html#{article_slug(a.id)}" for a in sorted(articles, key=lambda a: a.date)
    ]  # oldest first: page.js lists them newest first
    per_article: dict[str, dict[int, int]] = {}
    order = {row[2]: i for i, row in enumerate(data["articles"])}
    for record in records:
        if record["place_id"]:
            counts = per_article.setdefault(record["name"], {})
            a = order[f"article.html#{article_slug(record['article_id'])}"]
            counts[a] = counts.get(a, 0) + 1
    by_name = {re.search(r"<h4>(.*?)</h4>", row[2]).group(1): row for row in data["places"]}
    assert set(by_name) == set(per_article) and f"All places, sized by mentions ({len(by_name)})" in index
    for name, row in by_name.items():  # per place: article, mentions, article, mentions... oldest first
        assert row[6] == [value for pair in sorted(per_article[name].items()) for value in pair], name
    sudzha, record = by_name["Sudzha"], next(r for r in records if r["name"] == "Sudzha")
    assert sudzha[:2] == [record["lat"], record["lon"]] and sudzha[4:6] == ["RU", "RU.41"]
    assert '"places": map_0000' not in index and "all_places" not in index  # JavaScript names, not ours


def test_an_article_page_has_no_layer_of_all_places(gazetteer: Gazetteer, tmp_path: Path) -> None:
    build_maps(gazetteer, tmp_path, list(read_articles([SEED]))[:1])
    assert "All places, sized by mentions" not in (tmp_path / "index.html").read_text(encoding="utf-8")


def test_the_index_has_the_shapes_of_the_countries_and_units_named(gazetteer: Gazetteer, tmp_path: Path) -> None:
    records = build_maps(gazetteer, tmp_path, list(read_articles([SEED])))
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    data = aggregates_of(index)
    named = {r["country_code"] for r in records if r["place_id"] and r["country_code"]}
    units = {r["admin1"] for r in records if r["place_id"] and r["admin1"]}
    assert [row[0] for row in data["countries"]] == sorted(named)  # page.js counts them from the places
    assert [row[0] for row in data["admin1"]] == sorted(units) and "RU.41" in units  # Kursk Oblast, for Sudzha
    for row in data["countries"] + data["admin1"]:
        assert row[2]["type"] in ("Polygon", "MultiPolygon")
    assert dict((row[0], row[1]) for row in data["countries"])["UA"] == "Ukraine"
    assert f"Mentions per country ({len(named)})" in index and f"Mentions per admin-1 unit ({len(units)})" in index
    assert "Heat map of mentions" in index


def test_past_its_limit_a_digest_keeps_the_places_not_the_sentences() -> None:
    from geomap.render.digest import MapDigest

    def record(article: str, place: str, start: int) -> dict:
        return {
            "article_id": article,
            "start": start,
            "end": start + 4,
            "text": place,
            "sentence": f"In {place}.",
            "sentence_start": start - 3,
            "type": "literal",
            "place_id": f"p:{place}",
            "name": place,
            "kind": "populated_place",
            "country_code": "UA",
            "admin1": "UA.12",
            "lat": 50.0,
            "lon": 30.0,
        }

    digest = MapDigest(article_layers=2)
    digest.add([record("a", "Kyiv", 3), record("a", "Kyiv", 30), record("b", "Lviv", 3)])
    assert not digest.aggregated and set(digest.groups) == {"a", "b"}
    assert digest.only("a").groups["a"]["places"]["p:Kyiv"].count == 2
    other = MapDigest()
    other.add([record("c", "Kyiv", 3)])
    digest.update(other)  # a third article: past the limit
    assert digest.aggregated and digest.groups == {}
    assert {p: t.by_article for p, t in digest.places.items()} == {"p:Kyiv": {"a": 2, "c": 1}, "p:Lviv": {"b": 1}}
    digest.add([record("d", "Lviv", 3)])
    assert digest.groups == {} and digest.places["p:Lviv"].mentions == 2 and len(digest.articles) == 4
    with pytest.raises(ValueError, match="aggregated"):
        digest.only("a")


def test_an_aggregated_index_has_no_article_branches(gazetteer: Gazetteer, tmp_path: Path) -> None:
    from geomap import job
    from geomap.pipeline import Geoparser

    articles = [*read_articles([SEED]), HOSTILE]
    job.run(articles, tmp_path, offline=True, geoparser=Geoparser(gazetteer), article_layers=2)
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    labels = tree_labels(index)
    assert page_layers(index) == {} and not any(label.startswith("Putin visits") for label in labels)
    assert "3 articles: find them with the search box" in labels
    data = aggregates_of(index)
    assert len(data["articles"]) == 3 and data["places"]
    assert '"search": "3"' in index
    for article in articles:  # each article keeps its own map
        assert article_data(tmp_path, article.id)["page"]["articles"][0]["id"] == article.id
    assert "<script>window.__pwned" not in index  # the titles in the data are JSON in a script: "<" escaped
