"""Layered Leaflet maps with folium: one layer tree branch per article.

What a map shows:

- base layers: country outlines drawn from the gazetteer (offline), and
  OpenStreetMap tiles unless ``offline=True``;
- per article, grouped by date in a tree layer control with a filter box:
  sub-layers for places (literal mentions and datelines), associative
  mentions, demonyms, and regions (admin units and composite regions drawn
  as polygons);
- markers styled by mention type, clustered when there are many; popups with
  the place, its kind, country, GeoNames link, confidence and runner-ups,
  the article's title, date and link, and each sentence with the mention
  highlighted;
- a legend, the view fitted to the data, and a date slider when the
  articles carry several dates.

Everything taken from an article is HTML-escaped before it reaches the page,
and strings reach scripts only as JSON values of templates compiled once from
our own source: the rendered output is never compiled again (see ``_Literal``),
so template syntax in an article is text. Element ids are numbered per page:
the same input gives byte-identical HTML. Leaflet and its plugins are inlined
from the vendored npm files in ``geomap/_vendor`` (no CDN, no network).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import html
import itertools
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from contextvars import ContextVar
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import folium
import pandas as pd
import shapely
from branca.element import Element, MacroElement
from folium.map import FitBounds
from folium.plugins import FeatureGroupSubGroup, MarkerCluster, TreeLayerControl
from jinja2 import Template
from shapely.geometry import mapping

from ._geojson import rounded
from ._io import staged_folder
from .gazetteer import Gazetteer
from .models import POLYGON_KINDS

__all__ = [
    "PAGE_OUTPUTS",
    "TYPE_STYLES",
    "MapDigest",
    "article_href",
    "article_slug",
    "render_map",
    "write_article_page",
    "write_index",
    "write_maps",
    "write_pages",
    "write_shared_assets",
]

#: Marker style per layer: (colour, fill opacity, dash pattern).
TYPE_STYLES = {
    "places": ("#1f5fbf", 0.8, None),
    "dateline": ("#7b2cbf", 0.9, None),
    "associative": ("#d97706", 0.35, "4 3"),
    "demonyms": ("#6b7280", 0.25, "2 3"),
}
LAYER_LABELS = {"places": "Places", "associative": "Associative", "demonyms": "Demonyms", "regions": "Regions"}
ATTRIBUTION = (
    'Places &copy; <a href="https://www.geonames.org/">GeoNames</a> (CC BY 4.0) · '
    "Shapes: Natural Earth, US Census · Map: geomap"
)
CLUSTER_THRESHOLD = 300
ASSET_FILES = ("geomap.css", "geomap.js", "outlines.js")
#: What write_maps puts in its folder; an earlier run's copies of these are replaced whole.
PAGE_OUTPUTS = ("index.html", "articles", "assets")
SENTENCES_PER_POPUP = 5
OUTLINE_TOLERANCE = 0.05
_VENDOR = (
    ("leaflet", "leaflet.css"),
    ("leaflet", "leaflet.js"),
    ("leaflet.markercluster", "MarkerCluster.css"),
    ("leaflet.markercluster", "MarkerCluster.Default.css"),
    ("leaflet.markercluster", "leaflet.markercluster.js"),
    ("leaflet.featuregroup.subgroup", "leaflet.featuregroup.subgroup.js"),
    ("leaflet.control.layers.tree", "L.Control.Layers.Tree.css"),
    ("leaflet.control.layers.tree", "L.Control.Layers.Tree.js"),
)


# --- page assets -------------------------------------------------------------


class _Raw(Element):
    """Text put into the page as it is (trusted: vendored assets, our own code)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


@lru_cache(maxsize=1)
def _inline_assets() -> str:
    """Leaflet and the plugins' CSS and JS as <style>/<script> blocks; images as data URIs."""
    vendor = resources.files("geomap") / "_vendor"
    blocks = []
    for package, name in _VENDOR:
        text = (vendor / package / name).read_text(encoding="utf-8")
        text = re.sub(r"//# sourceMappingURL=\S+", "", text)
        if name.endswith(".css"):

            def data_uri(match: re.Match, package: str = package) -> str:
                image = (vendor / package / match.group(1)).read_bytes()
                return f"url(data:image/png;base64,{base64.b64encode(image).decode()})"

            text = re.sub(r"url\((images/[\w.-]+\.png)\)", data_uri, text)
            blocks.append(f"<style>{text}</style>")
        else:
            blocks.append(f"<script>{text}</script>")
    blocks.append(f"<style>{_PAGE_CSS}</style>")
    blocks.append(f"<script>{_PAGE_JS}</script>")
    return "\n".join(blocks)


_PAGE_JS = """
window.geomapAddPoints = function (layer, rows) {
  rows.forEach(function (r) {
    var marker = L.circleMarker([r[0], r[1]], {radius: r[2], color: r[3], weight: 2, fill: true,
      fillColor: r[3], fillOpacity: r[4], dashArray: r[5]});
    marker.bindPopup(r[6], {maxWidth: 360});
    marker.bindTooltip(r[7]);
    layer.addLayer(marker);
  });
};
window.geomapAddRegions = function (layer, rows) {
  rows.forEach(function (r) {
    var shape = L.geoJSON(window.geomapShapes[r[0]],
      {style: {color: '#c2410c', weight: 2, fillColor: '#fb923c', fillOpacity: 0.3}});
    shape.bindPopup(r[1], {maxWidth: 360});
    shape.bindTooltip(r[2]);
    layer.addLayer(shape);
  });
};
"""

_PAGE_CSS = """
html, body {width: 100%; height: 100%; margin: 0; padding: 0;}
.geomap-popup {font: 13px/1.35 system-ui, sans-serif; max-width: 340px;}
.geomap-popup h4 {margin: 0 0 2px; font-size: 15px;}
.geomap-popup .meta {color: #555;}
.geomap-popup ul {padding-left: 16px; margin: 4px 0;}
.geomap-popup mark {background: #ffe066; padding: 0 1px;}
.geomap-legend, .geomap-filter, .geomap-dates {background: #fff; padding: 6px 8px; border-radius: 4px;
  box-shadow: 0 1px 4px rgba(0,0,0,.3); font: 12px system-ui, sans-serif;}
.geomap-legend i {display: inline-block; width: 11px; height: 11px; border-radius: 50%; margin-right: 5px;
  vertical-align: -1px; border: 2px solid;}
.geomap-legend i.region {border-radius: 2px;}
.geomap-filter input {width: 180px;}
.geomap-dates input {width: 220px;}
"""


# --- elements that keep article text out of the template engine ----------------------

# Element ids numbered per page (see _numbered_ids), so the same input gives the same HTML.
_page_ids: ContextVar[Iterator[int] | None] = ContextVar("geomap_page_ids", default=None)


@contextlib.contextmanager
def _numbered_ids() -> Iterator[None]:
    token = _page_ids.set(itertools.count())
    try:
        yield
    finally:
        _page_ids.reset(token)


class _Literal(MacroElement):
    """A MacroElement whose rendered output goes into the page as text, never as a template.

    branca's ``MacroElement.render`` wraps each rendered macro in ``Element(text)``,
    and ``Element`` compiles that text as a new Jinja template: article titles,
    sentences and URLs, already in the output as JSON values, would be evaluated
    as template code when the page is written (``{{7*7}}`` became 49; a payload
    reached ``os``). Here each macro is rendered once from our own template and
    the result is kept as it is. Every element geomap puts on a page is one of
    these; element ids come from a per-page counter, so pages are reproducible.
    """

    @classmethod
    def _generate_id(cls) -> str:
        ids = _page_ids.get()
        return super()._generate_id() if ids is None else f"{next(ids):04d}"

    def render(self, **kwargs: Any) -> None:
        figure = self.get_root()
        for part in ("header", "html", "script"):
            macro = self._template.module.__dict__.get(part)
            if macro is not None:
                getattr(figure, part).add_child(_Raw(macro(self, kwargs)), name=self.get_name())
        for element in self._children.values():
            element.render(**kwargs)


# folium's elements, rendered as text and linking no CDN (write_maps inlines Leaflet and the plugins).
class _Map(folium.Map, _Literal):
    default_js = default_css = ()


class _FeatureGroup(folium.FeatureGroup, _Literal):
    pass


class _SubGroup(FeatureGroupSubGroup, _Literal):
    default_js = default_css = ()


class _Cluster(MarkerCluster, _Literal):
    default_js = default_css = ()


class _Tiles(folium.TileLayer, _Literal):
    pass


class _TreeControl(TreeLayerControl, _Literal):
    default_js = default_css = ()


class _FitBounds(FitBounds, _Literal):
    pass


class _Outlines(_Literal):
    """Country outlines: inline GeoJSON, or the shared outlines.js a page loads beside it."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "var {{ this.get_name() }} = L.geoJSON("
        "{% if this.data is none %}window.GEOMAP_OUTLINES{% else %}{{ this.data|tojson }}{% endif %}, "
        "{style: {color: '#777', weight: 0.6, fillColor: '#f4f1ea', fillOpacity: 1}, interactive: false}"
        ").addTo({{ this._parent.get_name() }});"
        "{% endmacro %}"
    )

    def __init__(self, data: dict | None) -> None:
        super().__init__()
        self.data = data


class _Shapes(_Literal):
    """Each region's polygon once per page, however many articles draw it."""

    _template = Template(
        "{% macro script(this, kwargs) %}window.geomapShapes = {{ this.shapes|tojson }};{% endmacro %}"
    )

    def __init__(self, shapes: dict[str, dict]) -> None:
        super().__init__()
        self.shapes = shapes


class _Points(_Literal):
    """A layer's markers as one JSON array, built in the page (fast to write, small to load)."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "geomapAddPoints({{ this._parent.get_name() }}, {{ this.rows|tojson }});"
        "{% endmacro %}"
    )

    def __init__(self, rows: list[list]) -> None:
        super().__init__()
        self.rows = rows


class _Regions(_Literal):
    _template = Template(
        "{% macro script(this, kwargs) %}"
        "geomapAddRegions({{ this._parent.get_name() }}, {{ this.rows|tojson }});"
        "{% endmacro %}"
    )

    def __init__(self, rows: list[list]) -> None:
        super().__init__()
        self.rows = rows


class _PageScript(_Literal):
    """Registry for tests and controls, attribution, legend, filter box and date slider."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent.get_name() }};
  var articles = {{ this.articles|tojson }};
  var layers = {};
  {% for article_id, group in this.layers.items() %}
  layers[{{ article_id|tojson }}] = {
    {% for kind, layer in group.items() %}{{ kind|tojson }}: {{ layer }},{% endfor %}
  };
  {% endfor %}
  window.geomap = {map: map, layers: layers, articles: articles, counts: {{ this.counts|tojson }}};
  map.attributionControl.addAttribution({{ this.attribution|tojson }});

  var legend = L.control({position: 'bottomright'});
  legend.onAdd = function () {
    var div = L.DomUtil.create('div', 'geomap-legend');
    div.innerHTML = {{ this.legend|tojson }};
    return div;
  };
  legend.addTo(map);

  var filter = L.control({position: 'topright'});
  filter.onAdd = function () {
    var div = L.DomUtil.create('div', 'geomap-filter');
    var input = L.DomUtil.create('input', '', div);
    input.type = 'search';
    input.placeholder = 'Filter articles';
    L.DomEvent.disableClickPropagation(div);
    L.DomEvent.on(input, 'input', function () {
      var needle = input.value.toLowerCase();
      document.querySelectorAll('.geomap-article').forEach(function (label) {
        var node = label.closest('.leaflet-layerstree-node');
        if (node) { node.style.display = label.textContent.toLowerCase().indexOf(needle) >= 0 ? '' : 'none'; }
      });
    });
    return div;
  };
  filter.addTo(map);

  var dates = {{ this.dates|tojson }};
  if (dates.length > 1) {
    var slider = L.control({position: 'bottomleft'});
    slider.onAdd = function () {
      var div = L.DomUtil.create('div', 'geomap-dates');
      var label = L.DomUtil.create('div', '', div);
      var input = L.DomUtil.create('input', '', div);
      input.type = 'range'; input.min = 0; input.max = dates.length; input.value = dates.length;
      label.textContent = 'Articles up to: all dates';
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.on(input, 'input', function () {
        var last = Number(input.value) >= dates.length ? null : dates[Number(input.value)];
        label.textContent = 'Articles up to: ' + (last === null ? 'all dates' : last);
        articles.forEach(function (article) {
          var visible = last === null || (article.date !== null && article.date <= last);
          var group = layers[article.id];
          Object.keys(group).forEach(function (kind) {
            if (visible && !map.hasLayer(group[kind])) { map.addLayer(group[kind]); }
            if (!visible && map.hasLayer(group[kind])) { map.removeLayer(group[kind]); }
          });
        });
      });
      return div;
    };
    slider.addTo(map);
  }
})();
{% endmacro %}
"""
    )

    def __init__(self, *, layers, articles, counts, dates, legend) -> None:
        super().__init__()
        self.layers = layers
        self.articles = articles
        self.counts = counts
        self.dates = dates
        self.legend = legend
        self.attribution = ATTRIBUTION


# --- content -------------------------------------------------------------------


def article_slug(article_id: str) -> str:
    """A file name for an article's page: readable, safe, and unique by a short hash."""
    readable = re.sub(r"[^A-Za-z0-9._-]+", "-", str(article_id)).strip("-.")[:60] or "article"
    digest = hashlib.sha1(str(article_id).encode("utf-8")).hexdigest()[:8]
    return f"{readable}-{digest}"


def _safe_url(url: Any) -> str | None:
    """Only http(s) links: a 'javascript:' URL from an article must not become a link."""
    if not isinstance(url, str):
        return None
    return url if urlparse(url.strip()).scheme in ("http", "https") else None


def _highlighted(sentence: str, text: str, offset: int | None) -> str:
    """The sentence, escaped, with the mention marked."""
    if offset is None or offset < 0 or sentence[offset : offset + len(text)] != text:
        offset = sentence.find(text)
    if offset < 0:
        return html.escape(sentence)
    before, mention, after = sentence[:offset], sentence[offset : offset + len(text)], sentence[offset + len(text) :]
    return f"{html.escape(before)}<mark>{html.escape(mention)}</mark>{html.escape(after)}"


def _value(row: Mapping[str, Any], name: str) -> Any:
    value = row.get(name)
    return None if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA else value


def _popup_html(group: _Group, *, article: Mapping[str, Any], article_href: str | None) -> str:
    place = group.place
    esc = html.escape
    name, kind, country = place["name"], place["kind"], place["country_code"]
    parts = [f"<div class='geomap-popup'><h4>{esc(str(name))}</h4>"]
    meta = ", ".join(esc(str(v)) for v in (kind and kind.replace("_", " "), country) if v)
    parts.append(f"<div class='meta'>{meta}</div>")
    geonameid = place["geonameid"]
    if geonameid is not None:
        gid = int(geonameid)
        link = f"<a href='https://www.geonames.org/{gid}' target='_blank' rel='noopener'>{gid}</a>"
        parts.append(f"<div>GeoNames {link}</div>")
    parts.append(f"<div>Confidence {group.confidence:.2f}</div>")
    alternatives = place["alternatives"] or []
    if isinstance(alternatives, str):
        alternatives = json.loads(alternatives)
    if alternatives:
        listed = "; ".join(
            f"{esc(str(a.get('name')))} ({esc(str(a.get('country_code') or ''))}, "
            f"{float(a.get('probability') or 0):.2f})"
            for a in alternatives
        )
        parts.append(f"<div class='meta'>Or: {listed}</div>")
    title = article["title"] or article["article_id"]
    url = _safe_url(article["url"])
    byline = "".join(f" · {esc(str(value))}" for value in (article["date"], article["source"]) if value)
    parts.append(f"<hr><div><b>{esc(str(title))}</b>{byline}</div>")
    links = []
    if url:
        links.append(f"<a href='{esc(url, quote=True)}' target='_blank' rel='noopener noreferrer'>source</a>")
    if article_href:
        links.append(f"<a href='{esc(article_href, quote=True)}'>article map</a>")
    if links:
        parts.append(f"<div>{' · '.join(links)}</div>")
    items = []
    for text, sentence, offset, kind_of_mention in group.quotes:
        label = "" if kind_of_mention == "literal" else f" <i>({esc(str(kind_of_mention))})</i>"
        items.append(f"<li>{_highlighted(sentence, text, offset)}{label}</li>")
    if group.count > len(group.quotes):
        items.append(f"<li>… {group.count - len(group.quotes)} more</li>")
    parts.append(f"<ul>{''.join(items)}</ul></div>")
    return "".join(parts)


def _layer_of(row: Mapping[str, Any]) -> str:
    if row["kind"] in POLYGON_KINDS:
        return "regions"
    return {"associative": "associative", "demonym": "demonyms"}.get(row["type"], "places")


def _legend_html() -> str:
    items = [
        ("places", "Place (literal)"),
        ("dateline", "Dateline"),
        ("associative", "Associative (place stands for its people)"),
        ("demonyms", "Demonym"),
    ]
    lines = []
    for key, label in items:
        color, opacity, _ = TYPE_STYLES[key]
        lines.append(
            f"<div><i style='border-color:{color};background:{color}{int(opacity * 255):02x}'></i>{label}</div>"
        )
    lines.append("<div><i class='region' style='border-color:#c2410c;background:#fb923c55'></i>Region (polygon)</div>")
    return "".join(lines)


@lru_cache(maxsize=4)
def _outlines(gazetteer: Gazetteer, tolerance: float) -> dict:
    """The countries' outlines, simplified, once per gazetteer."""
    features = []
    for country, shape in gazetteer.shapes(kinds=["country"]):
        geometry = shapely.simplify(shape, tolerance, preserve_topology=True)
        properties = {"name": country.name}
        features.append({"type": "Feature", "properties": properties, "geometry": rounded(mapping(geometry), 3)})
    return {"type": "FeatureCollection", "features": features}


# --- what a map shows ------------------------------------------------------------


# What a marker's popup says of its place, taken from the first mention.
_PLACE_FIELDS = ("name", "kind", "country_code", "geonameid", "alternatives", "lat", "lon", "text")


class _Group:
    """An article's mentions of one place in one layer: one marker or region on the map.

    Kept small: the place's fields once, then per quoted mention (the first
    SENTENCES_PER_POPUP) its text, sentence, offset in the sentence and type.
    """

    __slots__ = ("confidence", "count", "dateline", "place", "quotes")

    def __init__(self, record: dict[str, Any]) -> None:
        self.place = {name: record.get(name) for name in _PLACE_FIELDS}
        self.quotes: list[tuple[str, str, int | None, str]] = []
        self.count = 0
        self.confidence = 0.0
        self.dateline = False

    def add(self, record: dict[str, Any]) -> None:
        self.count += 1
        if len(self.quotes) < SENTENCES_PER_POPUP:
            start, sentence_start = record.get("start"), record.get("sentence_start")
            offset = None if start is None or sentence_start is None else int(start) - int(sentence_start)
            self.quotes.append((str(record["text"]), record.get("sentence") or "", offset, record["type"]))
        self.confidence = max(self.confidence, record.get("confidence") or 0.0)
        self.dateline = self.dateline or record["type"] == "dateline"


class MapDigest:
    """What a map shows of mention records, fed as they come and kept small.

    Per article its title and date; per article, layer and place a count, the
    best confidence and the first SENTENCES_PER_POPUP mentions (what a popup
    quotes). Its size grows with the places drawn, not with the mentions: a
    text naming Kyiv 10,000 times is one marker. Records are plain dicts with
    the mention fields and the article's (``article_title``, ``article_date``...).
    """

    def __init__(self) -> None:
        self.articles: dict[str, dict[str, Any]] = {}
        self.groups: dict[str, dict[str, dict[str, _Group]]] = {}

    def add_article(self, row: Mapping[str, Any]) -> None:
        """An article to show, mentions or not (a row of :func:`geomap.models.article_row`)."""
        self.articles[row["article_id"]] = {
            "article_id": row["article_id"],
            **{name: _value(row, f"article_{name}") for name in ("title", "date", "source", "url")},
        }

    def add(self, records: Iterable[dict[str, Any]]) -> None:
        for record in records:
            article_id = record["article_id"]
            if article_id not in self.articles:
                self.add_article(record)
            if record.get("place_id") is None:
                continue
            by_layer = self.groups.setdefault(article_id, {}).setdefault(_layer_of(record), {})
            group = by_layer.get(record["place_id"])
            if group is None:
                group = by_layer[record["place_id"]] = _Group(record)
            group.add(record)

    def only(self, article_id: str) -> MapDigest:
        """The digest of one article (sharing this one's records)."""
        digest = MapDigest()
        digest.articles[article_id] = self.articles[article_id]
        if article_id in self.groups:
            digest.groups[article_id] = self.groups[article_id]
        return digest

    def article_rows(self) -> list[dict[str, Any]]:
        """Every article to show, in date then id order."""
        return sorted(self.articles.values(), key=lambda a: (a["date"] or "9999", str(a["article_id"])))

    @classmethod
    def of(
        cls, joined: pd.DataFrame | list[dict[str, Any]] | None, articles: pd.DataFrame | list | None = None
    ) -> MapDigest:
        """The digest of joined mention rows (a frame or dicts) and, optionally, every article's row."""
        digest = cls()
        for row in _records(articles):
            digest.add_article(row)
        digest.add(_records(joined))
        return digest


# --- the map ---------------------------------------------------------------------


def render_map(
    joined: pd.DataFrame | list[dict[str, Any]] | MapDigest,
    *,
    gazetteer: Gazetteer,
    offline: bool = False,
    article_hrefs: Mapping[str, str] | None = None,
    articles: pd.DataFrame | list[dict[str, Any]] | None = None,
    shared_assets: str | None = None,
) -> folium.Map:
    """A folium Map of the joined mentions (see :func:`geomap.join.join_mentions`).

    ``articles`` lists every article to show a branch for, mentions or not;
    ``article_hrefs`` maps article ids to the links written into popups.
    With ``shared_assets`` (a relative folder such as ``"../assets/"``) the
    page loads Leaflet and the outlines from files there instead of carrying
    them: what per-article pages do, so a thousand of them stay small.
    """
    digest = joined if isinstance(joined, MapDigest) else MapDigest.of(joined, articles)
    with _numbered_ids():
        return _build_map(
            digest, gazetteer=gazetteer, offline=offline, article_hrefs=article_hrefs or {}, shared_assets=shared_assets
        )


def _build_map(
    digest: MapDigest,
    *,
    gazetteer: Gazetteer,
    offline: bool,
    article_hrefs: Mapping[str, str],
    shared_assets: str | None,
) -> folium.Map:
    # no tile layer sets a maximum zoom when offline, and marker clusters need one
    fmap = _Map(location=(20, 0), zoom_start=2, tiles=None, control_scale=True)
    fmap.options["maxZoom"] = 18
    outlines = _FeatureGroup(name="Country outlines", overlay=False, control=True)
    _Outlines(None if shared_assets else _outlines(gazetteer, OUTLINE_TOLERANCE)).add_to(outlines)
    outlines.add_to(fmap)
    base_tree = {"label": "Base map", "children": [{"label": "Country outlines (offline)", "layer": outlines}]}
    if not offline:
        tiles = _Tiles("OpenStreetMap", name="OpenStreetMap", overlay=False, control=True, show=False)
        tiles.add_to(fmap)
        base_tree["children"].append({"label": "OpenStreetMap (online)", "layer": tiles})

    grouped = digest.groups
    point_groups = sum(len(places) for by_layer in grouped.values() for k, places in by_layer.items() if k != "regions")
    if point_groups > CLUSTER_THRESHOLD:
        options = {"disableClusteringAtZoom": 9, "chunkedLoading": True}
        parent = _Cluster(control=False, options=options)
    else:
        parent = _FeatureGroup(control=False)
    parent.add_to(fmap)

    article_rows = digest.article_rows()
    layers: dict[str, dict[str, str]] = {}
    counts: dict[str, dict[str, int]] = {}
    tree_by_date: dict[str, list[dict]] = {}
    bounds: list[tuple[float, float]] = []
    shapes: dict[str, dict] = {}
    shape_bounds: dict[str, tuple[float, float, float, float]] = {}
    for by_layer in grouped.values():
        for place_id in by_layer.get("regions", {}):
            geometry = _region_geometry(gazetteer, place_id)
            if geometry is not None and place_id not in shapes:
                shapes[place_id] = geometry
                shape_bounds[place_id] = tuple(shapely.bounds(shapely.geometry.shape(geometry)).tolist())
    _Shapes(shapes).add_to(fmap)

    for article in article_rows:
        article_id = article["article_id"]
        by_layer = grouped.get(article_id, {})
        children = []
        layers[article_id] = {}
        counts[article_id] = {}
        href = article_hrefs.get(article_id)
        for layer_name in ("places", "associative", "demonyms", "regions"):
            places = by_layer.get(layer_name)
            if not places:
                continue
            if layer_name == "regions":
                layer = _FeatureGroup(name=layer_name, control=False)
            else:
                layer = _SubGroup(parent, name=layer_name, control=False)
            layer.add_to(fmap)
            points, regions = [], []
            for place_id, group in places.items():
                first = group.place
                popup = _popup_html(group, article=article, article_href=href)
                tooltip = html.escape(f"{first['name']} — {first['text']}")
                if place_id in shapes and layer_name == "regions":
                    regions.append([place_id, popup, tooltip])
                    minx, miny, maxx, maxy = shape_bounds[place_id]
                    bounds.extend([(miny, minx), (maxy, maxx)])
                else:
                    style = "dateline" if group.dateline else layer_name
                    color, fill_opacity, dash = TYPE_STYLES.get(style, TYPE_STYLES["places"])
                    radius = 6 + min(group.count, 10) // 2
                    points.append([first["lat"], first["lon"], radius, color, fill_opacity, dash, popup, tooltip])
                    bounds.append((first["lat"], first["lon"]))
            if points:
                _Points(points).add_to(layer)
            if regions:
                _Regions(regions).add_to(layer)
            drawn = len(points) + len(regions)
            layers[article_id][layer_name] = layer.get_name()
            counts[article_id][layer_name] = drawn
            children.append({"label": f"{LAYER_LABELS[layer_name]} ({drawn})", "layer": layer})
        label = html.escape(str(article["title"] or article_id))
        link = f" <a href='{html.escape(href, quote=True)}'>&#8599;</a>" if href else ""
        node = {
            "label": f"<span class='geomap-article'>{label}</span>{link}",
            "selectAllCheckbox": True,
            "collapsed": True,
            "children": children or [{"label": "<i>no places</i>"}],
        }
        tree_by_date.setdefault(article["date"] or "undated", []).append(node)

    many = len(article_rows) > 20
    date_nodes = [
        {"label": html.escape(date), "selectAllCheckbox": True, "collapsed": many, "children": nodes}
        for date, nodes in sorted(tree_by_date.items())
    ]
    overlay_tree = {"label": "Articles", "selectAllCheckbox": True, "children": date_nodes}
    control = _TreeControl(
        base_tree=base_tree,
        overlay_tree=overlay_tree,
        collapsed=False,
        closed_symbol="&#9656;",
        opened_symbol="&#9662;",
    )
    control.add_to(fmap)
    dates = sorted({a["date"] for a in article_rows if a["date"]})
    _PageScript(
        layers=layers,
        articles=[{"id": a["article_id"], "date": a["date"], "title": a["title"]} for a in article_rows],
        counts=counts,
        dates=dates,
        legend=_legend_html(),
    ).add_to(fmap)
    if bounds:
        lats = [b[0] for b in bounds]
        lons = [b[1] for b in bounds]
        corners = [(min(lats), min(lons)), (max(lats), max(lons))]
        fmap.add_child(_FitBounds(corners, max_zoom=8, padding=(20, 20)), name="fit_bounds")
    return fmap


def _records(frame: pd.DataFrame | list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """Rows as plain dicts (pandas' missing values as None): the renderer works on these."""
    if frame is None:
        return []
    if isinstance(frame, list):
        return [dict(row) for row in frame]
    return [{k: _value(row, k) for k in row} for row in frame.to_dict("records")]


@lru_cache(maxsize=4096)
def _region_geometry(gazetteer: Gazetteer, place_id: str) -> dict | None:
    """A region's polygon as GeoJSON (5 decimals), read once per gazetteer and place."""
    geometry = gazetteer.geometry(place_id)
    return None if geometry is None else rounded(mapping(geometry), 5)


# --- writing ---------------------------------------------------------------------


def _html_of(fmap: folium.Map, *, shared_assets: str | None = None) -> str:
    if shared_assets:
        links = (
            f'<link rel="stylesheet" href="{shared_assets}geomap.css">'
            f'<script src="{shared_assets}geomap.js"></script>'
            f'<script src="{shared_assets}outlines.js"></script>'
        )
        fmap.get_root().header.add_child(_Raw(links), name="geomap_assets", index=0)
    else:
        fmap.get_root().header.add_child(_Raw(_inline_assets()), name="geomap_assets", index=0)
    return fmap.get_root().render()


def _write_text(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def article_href(article_id: str) -> str:
    """Where an article's page lives, relative to index.html."""
    return f"articles/{article_slug(article_id)}.html"


def write_shared_assets(folder: str | Path, gazetteer: Gazetteer) -> list[Path]:
    """assets/geomap.css, geomap.js (the vendored files, concatenated) and outlines.js, for article pages."""
    inline = _inline_assets()
    css = "\n".join(re.findall(r"<style>(.*?)</style>", inline, flags=re.S))
    js = "\n;\n".join(re.findall(r"<script>(.*?)</script>", inline, flags=re.S))
    outlines = json.dumps(_outlines(gazetteer, OUTLINE_TOLERANCE), separators=(",", ":"))
    files = {"geomap.css": css, "geomap.js": js, "outlines.js": f"window.GEOMAP_OUTLINES = {outlines};"}
    return [_write_text(Path(folder) / "assets" / name, text) for name, text in files.items()]


def write_article_page(
    folder: str | Path,
    digest: MapDigest | list[dict[str, Any]],
    *,
    article_id: str,
    gazetteer: Gazetteer,
    offline: bool = False,
) -> Path:
    """articles/<slug>.html: one article's map, loading Leaflet and the outlines from assets/."""
    page = render_map(digest, gazetteer=gazetteer, offline=offline, shared_assets="../assets/")
    return _write_text(Path(folder) / article_href(article_id), _html_of(page, shared_assets="../assets/"))


def write_index(
    folder: str | Path, digest: MapDigest, *, gazetteer: Gazetteer, offline: bool = False, per_article: bool = True
) -> Path:
    """index.html: every article of ``digest``, self-contained, linking each article's page."""
    rows = digest.article_rows()
    hrefs = {a["article_id"]: article_href(a["article_id"]) for a in rows} if per_article else {}
    index = render_map(digest, gazetteer=gazetteer, offline=offline, article_hrefs=hrefs)
    return _write_text(Path(folder) / "index.html", _html_of(index))


def write_pages(
    joined: pd.DataFrame | list[dict[str, Any]],
    folder: str | Path,
    *,
    gazetteer: Gazetteer,
    articles: pd.DataFrame | list[dict[str, Any]] | None = None,
    offline: bool = False,
    per_article: bool = True,
) -> list[Path]:
    """Write index.html and, with ``per_article``, the article pages and assets into ``folder`` as they are.

    :func:`write_maps` is the safe way to write into a folder that holds
    earlier output; this is its body, for callers that stage the folder
    themselves.
    """
    digest = MapDigest.of(joined, articles)
    written = [write_index(folder, digest, gazetteer=gazetteer, offline=offline, per_article=per_article)]
    rows = digest.article_rows()
    if not per_article or not rows:
        return written
    written.extend(write_shared_assets(folder, gazetteer))
    for article in rows:
        article_id = article["article_id"]
        page = digest.only(article_id)
        written.append(write_article_page(folder, page, article_id=article_id, gazetteer=gazetteer, offline=offline))
    return written


def write_maps(
    joined: pd.DataFrame | list[dict[str, Any]],
    out_dir: str | Path,
    *,
    gazetteer: Gazetteer,
    articles: pd.DataFrame | list[dict[str, Any]] | None = None,
    offline: bool = False,
    per_article: bool = True,
) -> list[Path]:
    """Write index.html (every article, self-contained) and articles/<slug>.html (one each).

    Article pages load Leaflet and the outlines from ``assets/`` beside them,
    written once. The pages are written aside and swapped in at the end: an
    error or interrupt leaves ``out_dir`` as it was, and pages of an earlier
    run never mix with these. Returns the paths.
    """
    out = Path(out_dir)
    with staged_folder(out, owned=PAGE_OUTPUTS) as stage:
        written = write_pages(
            joined, stage, gazetteer=gazetteer, articles=articles, offline=offline, per_article=per_article
        )
    return [out / path.relative_to(stage) for path in written]
