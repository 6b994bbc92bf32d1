"""The maps in a real headless Chromium: no network, no console errors, layers work, no injected script runs."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from tests_support import (
    CHROMEDRIVER,
    CHROMIUM,
    EVALUATED,
    HOSTILE,
    TEMPLATE_PAYLOADS,
    build_maps,
    city_articles,
    hostile_template_articles,
    offline_chromium,
    page_layers,
)

from geomap.gazetteer import Gazetteer
from geomap.ingest import read_articles
from geomap.render import article_slug

pytestmark = pytest.mark.browser

SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_db247c232c80904f.txt"


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory):
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        message = "Chromium and chromedriver are needed (apt-get install chromium chromium-driver)"
        if os.environ.get("GEOMAP_REQUIRE_BROWSER"):  # CI sets it: there a missing browser is a failure
            pytest.fail(message)
        pytest.skip(message)
    browser = offline_chromium(tmp_path_factory.mktemp("chrome"))
    yield browser
    browser.quit()


@pytest.fixture(scope="module")
def maps(gazetteer: Gazetteer, tmp_path_factory: pytest.TempPathFactory):

    out = tmp_path_factory.mktemp("maps")
    joined = build_maps(gazetteer, out, [*read_articles([SEED]), HOSTILE])
    return out, joined


def _open(driver, path: Path, article: str | None = None) -> None:
    """Open a page (article.html with ``article``: that article's map) and wait until its map has started."""
    driver.get_log("browser")
    driver.get_log("performance")
    driver.get(path.as_uri() + (f"#{article_slug(article)}" if article else ""))
    driver.execute_script("return 1")
    for _ in range(50):
        if driver.execute_script("return !!window.geomap"):
            break
        driver.implicitly_wait(0.1)
    assert driver.execute_script("return !!window.geomap"), "the map did not start"


def _requests(driver) -> list[str]:
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def _console_errors(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def test_index_loads_offline_without_errors(driver, maps) -> None:
    out, _ = maps
    _open(driver, out / "index.html")
    requests = _requests(driver)
    assert requests and all(url.startswith(("file:", "data:")) for url in requests), requests
    assert _console_errors(driver) == []


def test_layers_on_screen_are_the_layers_in_the_page(driver, maps) -> None:
    out, _ = maps
    _open(driver, out / "index.html")
    shown = driver.execute_script(
        "var out = {}; var layers = window.geomap.layers;"
        "Object.keys(layers).forEach(function (a) { out[a] = {};"
        "  Object.keys(layers[a]).forEach(function (k) { out[a][k] = layers[a][k].getLayers().length; }); });"
        "return out;"
    )
    written = page_layers((out / "index.html").read_text(encoding="utf-8"))
    assert shown == {a: {k: len(v) for k, v in layers.items()} for a, layers in written.items()}
    assert shown["000_db247c232c80904f-1"]["regions"] == 1  # Kursk Oblast
    drawn = driver.execute_script("return document.querySelectorAll('path.leaflet-interactive').length")
    total = sum(sum(layers.values()) for layers in shown.values())
    assert drawn >= total  # every marker and polygon is on the page (multi-part polygons draw more paths)


def test_toggling_an_article_hides_and_restores_its_markers(driver, maps) -> None:
    out, _ = maps
    _open(driver, out / "index.html")
    count = "return document.querySelectorAll('path.leaflet-interactive').length"
    before = driver.execute_script(count)
    checkbox = driver.execute_script(
        "var label = Array.from(document.querySelectorAll('.geomap-article'))"
        "  .find(function (l) { return l.textContent.indexOf('Putin visits Kursk') === 0; });"
        "return label.closest('.leaflet-layerstree-node').querySelector('input[type=checkbox]');"
    )
    checkbox.click()
    hidden = driver.execute_script(count)
    on_map = driver.execute_script(
        "var g = window.geomap.layers['000_db247c232c80904f-1'];"
        "return Object.keys(g).some(function (k) { return window.geomap.map.hasLayer(g[k]); });"
    )
    assert hidden < before and not on_map
    checkbox.click()
    assert driver.execute_script(count) == before
    assert _console_errors(driver) == []


def test_popup_shows_place_article_and_highlighted_sentence(driver, maps) -> None:
    out, _ = maps
    _open(driver, out / "index.html")
    text = driver.execute_script(
        "var found = null; var g = window.geomap.layers['000_db247c232c80904f-1'].places;"
        "g.eachLayer(function (m) { if (m.getTooltip() && m.getTooltip().getContent().indexOf('Sudzha') === 0)"
        "  { found = m; } });"
        "found.openPopup();"
        "var popup = document.querySelector('.leaflet-popup-content');"
        "return [popup.innerText, popup.querySelector('mark').innerText, popup.querySelector('a').href];"
    )
    body, marked, link = text
    assert "Sudzha" in body and "Putin visits Kursk region" in body and "2025-03-12" in body
    assert "fighting continued in and around town of Sudzha" in body
    assert marked == "Sudzha"
    assert link == "https://www.geonames.org/486816"


_OPEN_EVERY_POPUP = (
    "var texts = [], g = window.geomap;"
    "function open(m) { if (m.openPopup) { m.openPopup();"
    "  texts.push(m.getPopup().getElement().querySelector('.leaflet-popup-content').innerText); } }"
    "Object.values(g.layers).forEach(function (a) {"
    "  Object.values(a).forEach(function (layer) { layer.eachLayer(open); }); });"
    "if (g.aggregates) { g.map.addLayer(g.places); g.places.eachLayer(open);"
    "  ['countries', 'admin1', 'heat'].forEach(function (k) { g.map.addLayer(g.aggregates.layers[k]); }); }"
    "return texts;"
)


def test_hostile_article_runs_no_script(driver, maps) -> None:
    out, _ = maps
    for page, article in ((out / "index.html", None), (out / "article.html", "hostile")):
        _open(driver, page, article)
        popups = driver.execute_script(_OPEN_EVERY_POPUP)  # the places across the articles too
        assert driver.execute_script("return window.__pwned === undefined"), page
        assert _console_errors(driver) == [], page
        labels = driver.execute_script(
            "return Array.from(document.querySelectorAll('.geomap-article'))"
            ".map(function (l) { return l.textContent; })"
        )
        assert any(label.startswith("<script>window.__pwned") for label in labels), page
        assert any(HOSTILE.title in text for text in popups), page  # shown as text, in its places' popups


def test_article_page_loads_offline(driver, maps) -> None:
    out, _ = maps
    _open(driver, out / "article.html", "000_db247c232c80904f-2")
    assert all(url.startswith(("file:", "data:")) for url in _requests(driver))
    assert _console_errors(driver) == []
    regions = driver.execute_script("return window.geomap.layers['000_db247c232c80904f-2'].regions.getLayers().length")
    assert regions >= 1  # Donbas drawn as a polygon


def test_filter_box_and_date_slider(driver, maps) -> None:
    out, _ = maps
    _open(driver, out / "index.html")
    visible = (
        "return Array.from(document.querySelectorAll('.geomap-article'))"
        ".filter(function (l) { return l.closest('.leaflet-layerstree-node').style.display !== 'none'; })"
        ".map(function (l) { return l.textContent; });"
    )
    assert len(driver.execute_script(visible)) == 3
    box = driver.find_element("css selector", ".geomap-filter input")
    box.send_keys("legitimate")
    assert driver.execute_script(visible) == ["Russia says foreign forces in Ukraine would be ‘legitimate targets’"]
    box.clear()
    box.send_keys(" ")  # any input event
    slider = driver.find_element("css selector", ".geomap-dates input")
    driver.execute_script(
        "arguments[0].value = 0; arguments[0].dispatchEvent(new Event('input'));", slider
    )  # up to the first date only
    shown = driver.execute_script(
        "var l = window.geomap.layers; var m = window.geomap.map;"
        "return Object.keys(l).filter(function (a) {"
        "  return Object.keys(l[a]).some(function (k) { return m.hasLayer(l[a][k]); }); }).sort();"
    )
    assert shown == ["000_db247c232c80904f-1"]
    assert "2025-03-12" in driver.find_element("css selector", ".geomap-dates").text
    assert _console_errors(driver) == []


@pytest.fixture(scope="module")
def template_maps(gazetteer: Gazetteer, tmp_path_factory: pytest.TempPathFactory):
    workdir = tmp_path_factory.mktemp("work")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(workdir)
        build_maps(gazetteer, workdir / "maps", hostile_template_articles())
    return workdir


def test_template_syntax_shows_literally_in_the_browser(driver, template_maps) -> None:
    workdir = template_maps
    out = workdir / "maps"
    first, second = hostile_template_articles()
    joined = " ".join(TEMPLATE_PAYLOADS)
    for page, article in ((out / "index.html", None), *((out / "article.html", a.id) for a in (first, second))):
        _open(driver, page, article)
        popups = driver.execute_script(_OPEN_EVERY_POPUP)
        assert popups, article
        shown = driver.execute_script("return document.body.innerText") + "\n".join(popups)
        for evaluated in (*EVALUATED, str(workdir)):
            assert evaluated not in shown, (article, evaluated)
        sudzha = [text for text in popups if text.startswith("Sudzha") and "near Sudzha" in text]
        assert sudzha or article == second.id, article  # the second article does not name Sudzha
        for text in sudzha:
            assert f"{joined} near Sudzha." in text and first.title in text and first.source in text, text
        assert _console_errors(driver) == [], article
    _open(driver, out / "index.html")
    labels = driver.execute_script(
        "return Array.from(document.querySelectorAll('.geomap-article')).map(function (l) { return l.textContent; })"
    )
    assert sorted(labels) == sorted([first.title, second.id])
    assert sorted(p.name for p in workdir.iterdir()) == ["maps"]


def test_the_seed_map_opens_on_kursk_and_donbas_with_a_title(driver, gazetteer: Gazetteer, tmp_path: Path) -> None:
    records = build_maps(gazetteer, tmp_path, list(read_articles([SEED])))
    _open(driver, tmp_path / "index.html")
    south, west, north, east, zoom = driver.execute_script(
        "var m = window.geomap.map, b = m.getBounds();"
        "return [b.getSouth(), b.getWest(), b.getNorth(), b.getEast(), m.getZoom()];"
    )
    named = {r["name"]: r for r in records if r["place_id"]}
    sudzha = named["Sudzha"]
    assert south < sudzha["lat"] < north and west < sudzha["lon"] < east
    for region in ("Kursk Oblast", "Donbas"):  # whole, without zooming
        minx, miny, maxx, maxy = gazetteer.geometry(named[region]["place_id"]).bounds
        assert south <= miny and maxy <= north and west <= minx and maxx <= east, region
    assert zoom >= 4 and east - west < 40  # not the whole world (zoom 2, 360 degrees) as before
    assert driver.title == "geomap: 2 articles, 2025-03-12 to 2026-02-03"
    heading = driver.execute_script("return document.querySelector('.geomap-title').textContent")
    assert heading == driver.title  # on the map too
    labels = driver.execute_script(
        "return Array.from(document.querySelectorAll('.geomap-filter input, .geomap-dates input'))"
        ".map(function (i) { return i.getAttribute('aria-label'); })"
    )
    assert labels == ["Filter the articles by title", "Show the articles up to a date"]


_OPEN_EACH_POPUP = """
var done = arguments[arguments.length - 1];
var map = window.geomap.map, box = window.geomap.tree.getContainer(), seen = [];
var markers = [];
map.eachLayer(function (l) { if (l.getPopup && l.getPopup() && l.getLatLng) { markers.push(l); } });
function expanded() { return box.classList.contains('leaflet-control-layers-expanded'); }
function next(i) {
  if (i >= markers.length) { done({seen: seen, expandedAfter: expanded(), markers: markers.length}); return; }
  markers[i].openPopup();
  setTimeout(function () {  // after the map has moved to fit the popup
    var a = box.getBoundingClientRect(), b = markers[i].getPopup().getElement().getBoundingClientRect();
    var under = a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    seen.push({covered: expanded() && under, folded: !expanded()});
    markers[i].closePopup();
    next(i + 1);
  }, 350);
}
map.setView([51.19, 35.27], 7, {animate: false});  // Sudzha: the markers sit under and around the tree
next(0);
"""


def test_an_open_popup_is_never_under_the_layer_tree(driver, gazetteer: Gazetteer, tmp_path: Path) -> None:
    build_maps(gazetteer, tmp_path, list(read_articles([SEED])))
    _open(driver, tmp_path / "index.html")
    assert driver.execute_script(
        "return window.geomap.tree.getContainer().classList.contains('leaflet-control-layers-expanded')"
    )
    driver.set_script_timeout(60)
    result = driver.execute_async_script(_OPEN_EACH_POPUP)
    assert result["markers"] > 10
    assert not any(s["covered"] for s in result["seen"])
    assert any(s["folded"] for s in result["seen"])  # some popups would have been under it: folded then
    assert result["expandedAfter"]  # and open again once the popup closed


def test_on_a_narrow_screen_the_layer_tree_starts_folded(driver, gazetteer: Gazetteer, tmp_path: Path) -> None:
    build_maps(gazetteer, tmp_path, list(read_articles([SEED])))
    driver.set_window_size(480, 800)
    try:
        _open(driver, tmp_path / "index.html")
        expanded = "return window.geomap.tree.getContainer().classList.contains('leaflet-control-layers-expanded')"
        assert not driver.execute_script(expanded)
        driver.execute_script(
            "window.geomap.tree.getContainer().querySelector('.leaflet-control-layers-toggle').click()"
        )
        assert driver.execute_script(expanded)  # its icon opens it
    finally:
        driver.set_window_size(1280, 900)


def test_an_article_page_shows_its_title_as_text(driver, maps) -> None:
    out, _ = maps
    _open(driver, out / "article.html", "hostile")
    shown = driver.execute_script(
        "var h = document.querySelector('.geomap-title');"
        "return [h.textContent, h.querySelectorAll('*').length, window.__pwned === undefined, document.title];"
    )
    assert shown == [HOSTILE.title, 0, True, f"{HOSTILE.title} · geomap"]


_TREE = ".leaflet-control-layers"
_EXPANDED = f"document.querySelector('{_TREE}').classList.contains('leaflet-control-layers-expanded')"


def _on_screen(driver, selectors: list[str]) -> dict[str, bool]:
    """Per CSS selector: whether its first element is drawn and lies wholly inside the window."""
    return driver.execute_script(
        "var out = {}, w = window.innerWidth, h = window.innerHeight;"
        "arguments[0].forEach(function (s) { var r = document.querySelector(s).getBoundingClientRect();"
        "  out[s] = r.width > 0 && r.height > 0 && r.left >= 0 && r.top >= 0 && r.right <= w && r.bottom <= h; });"
        "return out;",
        selectors,
    )


def test_with_many_articles_every_control_stays_on_screen(driver, gazetteer: Gazetteer, tmp_path: Path) -> None:
    articles = city_articles(400, months=12)
    build_maps(gazetteer, tmp_path, articles)
    _open(driver, tmp_path / "index.html")
    boxes = _on_screen(driver, [".geomap-title", ".geomap-filter", ".geomap-dates", ".geomap-legend", _TREE])
    boxes["folded"] = not driver.execute_script(f"return {_EXPANDED}")
    assert boxes == {
        ".geomap-title": True,
        ".geomap-filter": True,
        ".geomap-dates": True,
        ".geomap-legend": True,
        ".leaflet-control-layers": True,
        "folded": True,  # a tree of 400 articles would fill the page: it starts folded
    }


def test_the_timeline_has_a_bar_a_day_and_dims_the_days_past_the_slider(driver, maps) -> None:
    out, _ = maps
    _open(driver, out / "index.html")
    read = (
        "var bars = Array.from(document.querySelectorAll('.geomap-timeline span'));"
        "return bars.map(function (b) { return [b.offsetHeight, b.classList.contains('later')]; });"
    )
    before = driver.execute_script(read)
    dates = driver.execute_script("return document.querySelector('.geomap-dates input').max")
    assert len(before) == int(dates) >= 2 and max(h for h, _ in before) == 28 and not any(d for _, d in before)
    driver.execute_script(
        "var s = document.querySelector('.geomap-dates input'); s.value = 0;s.dispatchEvent(new Event('input'));"
    )
    after = driver.execute_script(read)
    assert [d for _, d in after] == [False] + [True] * (len(after) - 1)  # only the first day's articles shown


def _tick_tree_node(driver, label: str) -> None:
    """Click the checkbox of the layer tree's node whose label holds ``label``, as a reader would."""
    driver.execute_script(
        "var wanted = arguments[0];"
        "Array.from(document.querySelectorAll('.leaflet-layerstree-node label'))"
        ".filter(function (l) { return l.textContent.indexOf(wanted) >= 0; })[0]"
        ".querySelector('input').click();",
        label,
    )


def test_the_layer_of_all_places_shows_when_chosen(driver, maps) -> None:
    out, records = maps
    _open(driver, out / "index.html")
    before = driver.execute_script("return window.geomap.map.hasLayer(window.geomap.places)")
    _tick_tree_node(driver, "All places")
    shown = [
        before,
        *driver.execute_script(
            "var g = window.geomap; return [g.map.hasLayer(g.places), g.places.getLayers().length];"
        ),
    ]
    places = {r["place_id"] for r in records if r["place_id"]}
    assert shown == [False, True, len(places)]  # off at first; its checkbox shows every place once


def test_the_countries_are_shaded_when_chosen(driver, maps) -> None:
    out, records = maps
    _open(driver, out / "index.html")
    paths = "return document.querySelectorAll('path.leaflet-interactive').length"
    before = driver.execute_script(paths)
    _tick_tree_node(driver, "Mentions per country")
    shown = driver.execute_script(paths) - before
    countries = {r["country_code"] for r in records if r["place_id"] and r["country_code"]}
    assert shown >= len(countries)  # a polygon (or more, for islands) per country named


def test_choropleth_counts_are_the_mention_table_s(driver, maps) -> None:
    out, records = maps
    _open(driver, out / "index.html")
    _tick_tree_node(driver, "Mentions per country")
    _tick_tree_node(driver, "Mentions per admin-1 unit")
    shown = driver.execute_script(
        "var a = window.geomap.aggregates; function tips(layer) { var out = [];"
        "  layer.eachLayer(function (s) { out.push(s.getTooltip()._content(s)); }); return out.sort(); }"
        "return [a.perCountry(), a.perAdmin1(), tips(a.layers.countries), tips(a.layers.admin1)];"
    )
    per_country: dict[str, int] = {}
    per_unit: dict[str, int] = {}
    for r in records:
        if r["place_id"] and r["country_code"]:
            per_country[r["country_code"]] = per_country.get(r["country_code"], 0) + 1
        if r["place_id"] and r["admin1"]:
            per_unit[r["admin1"]] = per_unit.get(r["admin1"], 0) + 1
    assert shown[0] == per_country and shown[1] == per_unit
    assert f"Ukraine: {per_country['UA']} mentions" in shown[2]
    assert f"Kursk Oblast: {per_unit['RU.41']} mentions" in shown[3]  # Sudzha's and the oblast's own
    assert _console_errors(driver) == []


@pytest.fixture(scope="module")
def aggregated(gazetteer: Gazetteer, tmp_path_factory: pytest.TempPathFactory):
    """The seeds and the hostile article with an index past its limit of article branches (1)."""
    from geomap import job
    from geomap.pipeline import Geoparser

    out = tmp_path_factory.mktemp("aggregated")
    articles = [*read_articles([SEED]), HOSTILE]
    job.run(articles, out, offline=True, geoparser=Geoparser(gazetteer), article_layers=1)
    records = [json.loads(line) for line in (out / "mentions.jsonl").read_text(encoding="utf-8").splitlines()]
    return out, records, articles


def test_past_its_limit_the_index_shows_the_places_and_finds_articles_by_search(driver, aggregated) -> None:
    out, records, articles = aggregated
    _open(driver, out / "index.html")
    state = driver.execute_script(
        "var g = window.geomap; return [Object.keys(g.layers).length, g.map.hasLayer(g.places),"
        " g.places.getLayers().length, document.querySelectorAll('.geomap-article').length];"
    )
    assert state == [0, True, len({r["place_id"] for r in records if r["place_id"]}), 0]  # no article branches
    box = driver.find_element("css selector", ".geomap-filter input")
    assert box.get_attribute("placeholder") == "Search 3 articles"
    box.send_keys("kursk")
    found = driver.execute_script(
        "return Array.from(document.querySelectorAll('.geomap-found li')).map(function (li) {"
        "  var a = li.querySelector('a'); return [li.textContent, a && a.getAttribute('href')]; });"
    )
    putin = articles[0]
    assert found == [[f"{putin.title} · {putin.date}", f"article.html#{article_slug(putin.id)}"]]
    box.clear()
    box.send_keys("<script>")  # the hostile title: found, shown as text
    found = driver.execute_script("return document.querySelector('.geomap-found li').textContent")
    assert found.startswith(HOSTILE.title) and driver.execute_script("return window.__pwned === undefined")
    driver.find_element("css selector", ".geomap-found a").click()  # to the article's own map
    for _ in range(50):
        if driver.execute_script("return !!(window.geomap && window.geomap.layers.hostile)"):
            break
        driver.implicitly_wait(0.1)
    assert driver.execute_script("return document.title") == f"{HOSTILE.title} · geomap"
    assert _console_errors(driver) == []


def test_a_place_s_popup_lists_its_articles_newest_first_and_follows_the_dates(driver, aggregated) -> None:
    out, records, articles = aggregated
    _open(driver, out / "index.html")
    open_sudzha = (
        "var g = window.geomap, found = null;"
        "g.places.eachLayer(function (m) { if (m.getTooltip()._content(m).indexOf('Sudzha:') === 0) { found = m; } });"
        "found.openPopup(); var p = document.querySelector('.leaflet-popup-content');"
        "return [p.querySelector('h4').textContent, Array.from(p.querySelectorAll('li')).map(function (li) {"
        "  return li.textContent; }), found.getRadius()];"
    )
    name, listed, radius = driver.execute_script(open_sudzha)
    naming = sorted({r["article_id"] for r in records if r["name"] == "Sudzha"})
    by_id = {a.id: a for a in articles}
    newest_first = sorted(naming, key=lambda a: (by_id[a].date, a), reverse=True)
    assert name == "Sudzha" and listed == [f"{by_id[a].title} · {by_id[a].date}" for a in newest_first]
    slider = driver.find_element("css selector", ".geomap-dates input")
    driver.execute_script("arguments[0].value = 0; arguments[0].dispatchEvent(new Event('input'));", slider)
    first_day = min(a.date for a in articles)
    counted = driver.execute_script(
        "var a = window.geomap.aggregates; return [a.perCountry(), a.layers.places.getLayers().length];"
    )
    expected: dict[str, int] = {}
    for r in records:
        if r["place_id"] and r["country_code"] and by_id[r["article_id"]].date <= first_day:
            expected[r["country_code"]] = expected.get(r["country_code"], 0) + 1
    places = {r["place_id"] for r in records if r["place_id"] and by_id[r["article_id"]].date <= first_day}
    assert counted == [expected, len(places)]  # only the first day's articles counted and drawn
    assert _console_errors(driver) == []
    assert radius > 0


def test_the_heat_map_draws_when_chosen(driver, aggregated) -> None:
    out, _, _ = aggregated
    _open(driver, out / "index.html")
    before = driver.execute_script("return document.querySelectorAll('canvas.leaflet-heatmap-layer').length")
    _tick_tree_node(driver, "Heat map")
    after = driver.execute_script("return document.querySelectorAll('canvas.leaflet-heatmap-layer').length")
    assert (before, after) == (0, 1) and _console_errors(driver) == []


def test_an_unknown_article_says_so(driver, maps) -> None:
    out, _ = maps
    for fragment, message in (("#no-such-article", "No article no-such-article here"), ("#<img>", "No article chosen")):
        driver.get((out / "article.html").as_uri() + fragment)
        for _ in range(50):
            if driver.execute_script("return !!window.geomap"):
                break
            driver.implicitly_wait(0.1)
        assert driver.execute_script("return document.querySelector('.geomap-title').textContent") == message


def test_past_the_limit_every_control_stays_on_screen_with_search_results(
    driver, gazetteer: Gazetteer, tmp_path: Path
) -> None:
    from geomap import job
    from geomap.pipeline import Geoparser

    job.run(city_articles(120, months=12), tmp_path, offline=True, geoparser=Geoparser(gazetteer), article_layers=20)
    _open(driver, tmp_path / "index.html")
    box = driver.find_element("css selector", ".geomap-filter input")
    box.send_keys("st")  # matches every "Story N": the list is as long as it gets (50)
    boxes = _on_screen(
        driver, [".geomap-title", ".geomap-filter", ".geomap-found", ".geomap-dates", ".geomap-legend", _TREE]
    )
    boxes["found"] = driver.execute_script("return document.querySelectorAll('.geomap-found li').length")
    assert boxes == {
        ".geomap-title": True,
        ".geomap-filter": True,
        ".geomap-found": True,  # scrolls within itself rather than running off the page
        ".geomap-dates": True,
        ".geomap-legend": True,
        ".leaflet-control-layers": True,
        "found": 50,
    }
    assert _console_errors(driver) == []
