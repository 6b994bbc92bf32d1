"""The map of a set of articles: a folium Map with a layer tree, markers, regions and controls."""

from __future__ import annotations

import html
from collections.abc import Iterable, Iterator, Mapping
from functools import cache, lru_cache
from typing import Any, cast

import folium
import pandas as pd
import shapely
from shapely.geometry import mapping

from .._geojson import rounded
from ..gazetteer import Gazetteer
from ..models import Place
from .digest import LAYER_ORDER, Group, MapDigest
from .elements import (
    Aggregates,
    Cluster,
    FeatureGroup,
    FitBoundsElement,
    Map,
    Outlines,
    PageScript,
    Rows,
    Shapes,
    SubGroup,
    Tiles,
    TreeControl,
    Viewer,
    numbered_ids,
)
from .popups import TYPE_STYLES, legend_html, place_heading_html, popup_html

__all__ = [
    "ATTRIBUTION",
    "CLUSTER_THRESHOLD",
    "OUTLINE_TOLERANCE",
    "article_data",
    "country_outlines",
    "render_map",
    "render_viewer",
]

LAYER_LABELS = {"places": "Places", "associative": "Associative", "demonyms": "Demonyms", "regions": "Regions"}
ATTRIBUTION = (
    'Places &copy; <a href="https://www.geonames.org/">GeoNames</a> (CC BY 4.0) · '
    "Shapes: Natural Earth, US Census · Map: geomap"
)
#: More point markers than this on a page are clustered.
CLUSTER_THRESHOLD = 300
#: Degrees the country outlines are simplified by.
OUTLINE_TOLERANCE = 0.05
#: Places too wide to frame the map on: named in passing ("Russia said"), a country's point or a sea's
#: would pull the view out to the whole world.
WIDE_KINDS = frozenset({"country", "continent", "ocean", "sea", "macro_region", "territory"})


def render_map(
    joined: pd.DataFrame | list[dict[str, Any]] | MapDigest,
    *,
    gazetteer: Gazetteer,
    offline: bool = False,
    article_hrefs: Mapping[str, str] | None = None,
    articles: pd.DataFrame | list[dict[str, Any]] | None = None,
    title: str | None = None,
) -> folium.Map:
    """A folium Map of the joined mentions (see :func:`geomap.join.join_mentions`).

    ``articles`` lists every article to show, mentions or not; ``article_hrefs``
    maps article ids to the links written into popups. Each article gets a
    branch of the layer tree unless the digest is ``aggregated`` (past its
    ``article_layers``); with more than one article the map has the layers
    across all articles too (places sized by mentions, mentions per country
    and per admin-1 unit, a heat map), the places shown from the start when
    aggregated. ``title`` is shown on the map (as text).
    """
    digest = joined if isinstance(joined, MapDigest) else MapDigest.of(joined, articles)
    hrefs = article_hrefs or {}
    with numbered_ids():
        return _build_map(digest, gazetteer=gazetteer, offline=offline, article_hrefs=hrefs, title=title)


def _base_map(gazetteer: Gazetteer, *, offline: bool) -> tuple[folium.Map, FeatureGroup, Tiles | None]:
    """The map and its base layers: the country outlines and OpenStreetMap tiles unless offline."""
    # no tile layer sets a maximum zoom when offline, and marker clusters need one
    fmap = Map(location=(20, 0), zoom_start=2, tiles=None, control_scale=True)
    fmap.options["maxZoom"] = 18
    outlines = FeatureGroup(name="Country outlines", overlay=False, control=True)
    Outlines(country_outlines(gazetteer, OUTLINE_TOLERANCE)).add_to(outlines)
    outlines.add_to(fmap)
    tiles = None
    if not offline:
        tiles = Tiles("OpenStreetMap", name="OpenStreetMap", overlay=False, control=True, show=False)
        tiles.add_to(fmap)
    return fmap, outlines, tiles


def _build_map(
    digest: MapDigest,
    *,
    gazetteer: Gazetteer,
    offline: bool,
    article_hrefs: Mapping[str, str],
    title: str | None,
) -> folium.Map:
    fmap, outlines, tiles = _base_map(gazetteer, offline=offline)
    base_layers: list[dict[str, Any]] = [{"label": "Country outlines (offline)", "layer": outlines}]
    if tiles is not None:
        base_layers.append({"label": "OpenStreetMap (online)", "layer": tiles})
    base_tree = {"label": "Base map", "children": base_layers}

    article_rows = digest.article_rows()
    frames = _Frames()
    layers: dict[str, dict[str, str]] = {}
    counts: dict[str, dict[str, int]] = {}
    overlay_tree: list[dict[str, Any]] = []
    if not digest.aggregated:
        overlay_tree.append(_article_branches(fmap, digest, gazetteer, article_hrefs, frames, layers, counts))
    else:
        overlay_tree.append({"label": f"<i>{len(article_rows):,} articles: find them with the search box</i>"})
    aggregates = None
    if len(article_rows) > 1:  # an index: the layers across all the articles
        aggregates, nodes = _aggregate_layers(fmap, digest, gazetteer, article_hrefs, frames)
        overlay_tree[:0] = nodes
    control = TreeControl(
        base_tree=base_tree,
        overlay_tree=overlay_tree,
        collapsed=False,
        closed_symbol="&#9656;",
        opened_symbol="&#9662;",
    )
    control.add_to(fmap)
    dates = sorted({a["date"] for a in article_rows if a["date"]})
    per_day = digest.mentions_per_day()
    config = {
        "articles": [
            {"id": a["article_id"], "date": a["date"], "title": a["title"]}
            for a in article_rows
            if a["article_id"] in layers
        ],
        "counts": counts,
        "dates": dates,
        "timeline": [per_day.get(date, 0) for date in dates],
        "legend": legend_html(),
        "attribution": ATTRIBUTION,
        "title": title,
        "search": f"{len(article_rows):,}" if digest.aggregated else None,
    }
    aggregates_name = aggregates.get_name() if aggregates is not None else "null"
    PageScript(layers=layers, config=config, tree=control.get_name(), aggregates=aggregates_name).add_to(fmap)
    corners = frames.corners()
    if corners:
        fmap.add_child(FitBoundsElement(corners, max_zoom=8, padding=(20, 20)), name="fit_bounds")
    return fmap


def _article_branches(
    fmap: folium.Map,
    digest: MapDigest,
    gazetteer: Gazetteer,
    hrefs: Mapping[str, str],
    frames: _Frames,
    layers: dict[str, dict[str, str]],
    counts: dict[str, dict[str, int]],
) -> dict[str, Any]:
    """Every article's layers on the map, and the tree branch that lists them by date; fills in ``layers``
    (article id -> layer name -> the layer's JavaScript name) and ``counts`` (-> places drawn)."""
    grouped = digest.groups
    point_groups = sum(len(places) for by_layer in grouped.values() for k, places in by_layer.items() if k != "regions")
    parent: Cluster | FeatureGroup
    if point_groups > CLUSTER_THRESHOLD:
        parent = Cluster(control=False, options={"disableClusteringAtZoom": 9, "chunkedLoading": True})
    else:
        parent = FeatureGroup(control=False)
    parent.add_to(fmap)
    shapes = _region_shapes(gazetteer, grouped.values())
    Shapes({place_id: geometry for place_id, (geometry, _) in shapes.items()}).add_to(fmap)
    tree_by_date: dict[str, list[dict[str, Any]]] = {}
    article_rows = digest.article_rows()
    for article in article_rows:
        article_id = article["article_id"]
        href = hrefs.get(article_id)
        children = []
        layers[article_id], counts[article_id] = {}, {}
        for layer_name, rows in _layer_rows(grouped.get(article_id, {}), article, href, shapes, frames):
            layer: FeatureGroup | SubGroup
            if layer_name == "regions":
                layer = FeatureGroup(name=layer_name, control=False)
            else:
                layer = SubGroup(parent, name=layer_name, control=False)
            layer.add_to(fmap)
            Rows("geomapAddRegions" if layer_name == "regions" else "geomapAddPoints", rows).add_to(layer)
            layers[article_id][layer_name] = layer.get_name()
            counts[article_id][layer_name] = len(rows)
            children.append({"label": _layer_label(layer_name, len(rows)), "layer": layer})
        node = {
            "label": _article_label(article, href),
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
    return {"label": "Articles", "selectAllCheckbox": True, "children": date_nodes}


def _layer_label(layer_name: str, drawn: int) -> str:
    return f"{LAYER_LABELS[layer_name]} ({drawn})"


def _article_label(article: Mapping[str, Any], href: str | None) -> str:
    """An article's node in the layer tree: its title (escaped) and a link to its own map."""
    label = html.escape(str(article["title"] or article["article_id"]))
    link = f" <a href='{html.escape(href, quote=True)}'>&#8599;</a>" if href else ""
    return f"<span class='geomap-article'>{label}</span>{link}"


_Bounds = tuple[float, float, float, float]
_Shapes = dict[str, tuple[dict[str, Any], _Bounds]]


def _region_shapes(gazetteer: Gazetteer, grouped: Iterable[Mapping[str, Mapping[str, Group]]]) -> _Shapes:
    """The polygon (GeoJSON) and bounds of each region the articles draw, once."""
    shapes: _Shapes = {}
    for by_layer in grouped:
        for place_id in by_layer.get("regions", {}):
            if place_id in shapes:
                continue
            geometry = _region_geometry(gazetteer, place_id)
            if geometry is not None:
                shapes[place_id] = (geometry, _region_bounds(gazetteer, place_id))
    return shapes


def _layer_rows(
    by_layer: Mapping[str, Mapping[str, Group]],
    article: Mapping[str, Any],
    href: str | None,
    shapes: _Shapes,
    frames: _Frames,
) -> Iterator[tuple[str, list[list[Any]]]]:
    """An article's layers, in tree order: (layer name, the rows of page.js's geomapAddRegions for
    regions, of geomapAddPoints for the others); what they show is added to ``frames``."""
    for layer_name in LAYER_ORDER:
        places = by_layer.get(layer_name)
        if not places:
            continue
        rows: list[list[Any]] = []
        for place_id, group in places.items():
            first = group.place
            popup = popup_html(group, article=article, article_href=href)
            tooltip = html.escape(f"{first['name']} — {first['text']}")
            if layer_name == "regions":
                if place_id not in shapes:  # a region with no polygon is not drawn (as before)
                    continue
                rows.append([place_id, popup, tooltip])
                minx, miny, maxx, maxy = shapes[place_id][1]
                frames.add([(miny, minx), (maxy, maxx)], kind=first["kind"], literal=True)
            else:
                style = "dateline" if group.dateline else layer_name
                color, fill_opacity, dash = TYPE_STYLES.get(style, TYPE_STYLES["places"])
                radius = 6 + min(group.count, 10) // 2
                rows.append([first["lat"], first["lon"], radius, color, fill_opacity, dash, popup, tooltip])
                frames.add([(first["lat"], first["lon"])], kind=first["kind"], literal=layer_name == "places")
        if rows:
            yield layer_name, rows


def article_data(digest: MapDigest, article_id: str, *, gazetteer: Gazetteer) -> dict[str, Any]:
    """What article.html draws of one article (page.js geomapViewer): its layers' rows, the polygons of
    its regions, its frame, its tree node and its page's config. Article text in it is escaped where
    page.js puts it in as HTML (rows, node) and plain where it goes in as text (title)."""
    article = digest.articles[article_id]
    by_layer = digest.groups.get(article_id, {})
    shapes = _region_shapes(gazetteer, [by_layer])
    frames = _Frames()
    layers, counts = [], {}
    for layer_name, rows in _layer_rows(by_layer, article, None, shapes, frames):
        layers.append([layer_name, _layer_label(layer_name, len(rows)), rows])
        counts[layer_name] = len(rows)
    points = sum(len(rows) for name, _, rows in layers if name != "regions")
    title = str(article["title"] or article_id)
    dates = [article["date"]] if article["date"] else []
    return {
        "title": title,
        "node": _article_label(article, None),
        "layers": layers,
        "cluster": points > CLUSTER_THRESHOLD,
        "shapes": {place_id: geometry for place_id, (geometry, _) in shapes.items()},
        "bounds": frames.corners(),
        "page": {
            "articles": [{"id": article_id, "date": article["date"], "title": article["title"]}],
            "counts": {article_id: counts},
            "dates": dates,
            "timeline": [sum(counts.values())] if dates else [],
            "title": title,
        },
    }


def render_viewer(*, gazetteer: Gazetteer, offline: bool = False) -> folium.Map:
    """article.html's map: it draws the article named in its address (``article.html#<slug>``) from
    ``articles/<slug>.js`` (see :func:`article_data`)."""
    with numbered_ids():
        fmap, outlines, tiles = _base_map(gazetteer, offline=offline)
        config = {"legend": legend_html(), "attribution": ATTRIBUTION}
        Viewer(outlines=outlines.get_name(), tiles=tiles.get_name() if tiles else "null", config=config).add_to(fmap)
        return fmap


def _aggregate_layers(
    fmap: folium.Map, digest: MapDigest, gazetteer: Gazetteer, hrefs: Mapping[str, str], frames: _Frames
) -> tuple[Aggregates, list[dict[str, Any]]]:
    """The layers across all articles (page.js geomapAggregates draws them from one data object) and
    their tree nodes: every place sized by its mentions, mentions per country and per admin-1 unit, a
    heat map. Aggregated (no article branches), the places show from the start and frame the map."""
    article_rows = digest.article_rows()
    index = {a["article_id"]: i for i, a in enumerate(article_rows)}
    places = []
    for total in digest.places.values():
        place = total.place
        pairs = sorted((index[a], n) for a, n in total.by_article.items())  # oldest first
        head, name = place_heading_html(place), html.escape(str(place["name"]))
        flat = [value for pair in pairs for value in pair]
        places.append([place["lat"], place["lon"], head, name, place["country_code"], place["admin1"], flat])
        if digest.aggregated:
            frames.add([(place["lat"], place["lon"])], kind=place["kind"], literal=True)
    country_shapes, unit_shapes = _country_shapes(gazetteer), _admin1_shapes(gazetteer)
    # the shapes of the countries and units named (page.js counts their mentions, for the articles shown)
    countries = sorted({p[4] for p in places if p[4] in country_shapes})
    units = sorted({p[5] for p in places if p[5] in unit_shapes})
    data = {
        "articles": [[str(a["title"] or a["article_id"]), a["date"], hrefs.get(a["article_id"])] for a in article_rows],
        "places": places,
        "countries": [[c, html.escape(country_shapes[c][0]), country_shapes[c][1]] for c in countries],
        "admin1": [[u, html.escape(unit_shapes[u][0]), _admin1_geometry(gazetteer, u)] for u in units],
    }
    groups = {
        "places": FeatureGroup(name="all_places", control=False, show=digest.aggregated),
        "countries": FeatureGroup(name="per_country", control=False, show=False),
        "admin1": FeatureGroup(name="per_admin1", control=False, show=False),
        "heat": FeatureGroup(name="heat", control=False, show=False),
    }
    for group in groups.values():
        group.add_to(fmap)
    aggregates = Aggregates(layers={k: v.get_name() for k, v in groups.items()}, data=data)
    aggregates.add_to(fmap)
    nodes = [
        {"label": f"All places, sized by mentions ({len(places):,})", "layer": groups["places"]},
        {"label": f"Mentions per country ({len(data['countries']):,})", "layer": groups["countries"]},
        {"label": f"Mentions per admin-1 unit ({len(data['admin1']):,})", "layer": groups["admin1"]},
        {"label": "Heat map of mentions", "layer": groups["heat"]},
    ]
    return aggregates, nodes


@lru_cache(maxsize=4)
def _country_shapes(gazetteer: Gazetteer) -> dict[str, tuple[str, dict[str, Any]]]:
    """Country code -> (name, simplified polygon as GeoJSON): the outlines' own shapes."""
    out: dict[str, tuple[str, dict[str, Any]]] = {}
    for country, geometry in _simplified_countries(gazetteer, OUTLINE_TOLERANCE):
        if country.country_code and country.country_code not in out:
            out[country.country_code] = (country.name, geometry)
    return out


@lru_cache(maxsize=4)
def _admin1_shapes(gazetteer: Gazetteer) -> dict[str, tuple[str, Any]]:
    """Admin-1 key ("UA.09") -> (name, polygon as shapely reads it), once per gazetteer."""
    return {unit.admin1: (unit.name, shape) for unit, shape in gazetteer.shapes(kinds=["admin1"]) if unit.admin1}


@lru_cache(maxsize=8192)
def _admin1_geometry(gazetteer: Gazetteer, key: str) -> dict[str, Any]:
    """An admin-1 unit's polygon simplified as the countries' are, as GeoJSON (3 decimals)."""
    return _simplified(_admin1_shapes(gazetteer)[key][1], OUTLINE_TOLERANCE)


class _Frames:
    """What the map opens on: the places named literally (towns, units, regions), else any of them but
    the wide ones (countries, seas), else everything drawn."""

    def __init__(self) -> None:
        self._tiers: tuple[list[tuple[float, float]], ...] = ([], [], [])

    def add(self, corners: list[tuple[float, float]], *, kind: str, literal: bool) -> None:
        wide = kind in WIDE_KINDS
        if literal and not wide:
            self._tiers[0].extend(corners)
        if not wide:
            self._tiers[1].extend(corners)
        self._tiers[2].extend(corners)

    def corners(self) -> list[tuple[float, float]] | None:
        """South-west and north-east corners of the first tier that has places; None when nothing is drawn."""
        for points in self._tiers:
            if points:
                lats, lons = [p[0] for p in points], [p[1] for p in points]
                return [(min(lats), min(lons)), (max(lats), max(lons))]
        return None


@lru_cache(maxsize=4096)
def _region_geometry(gazetteer: Gazetteer, place_id: str) -> dict[str, Any] | None:
    """A region's polygon as GeoJSON (5 decimals), read once per gazetteer and place (the most used)."""
    geometry = gazetteer.geometry(place_id)
    return None if geometry is None else rounded(mapping(geometry), 5)


@cache
def _region_bounds(gazetteer: Gazetteer, place_id: str) -> _Bounds:
    """A region's bounds (west, south, east, north), kept for every region once read: four numbers each."""
    geometry = gazetteer.geometry(place_id)
    return cast(_Bounds, tuple(float(v) for v in geometry.bounds)) if geometry is not None else (0.0, 0.0, 0.0, 0.0)


@lru_cache(maxsize=4)
def country_outlines(gazetteer: Gazetteer, tolerance: float) -> dict[str, Any]:
    """The countries' outlines, simplified, once per gazetteer."""
    features = [
        {"type": "Feature", "properties": {"name": country.name}, "geometry": geometry}
        for country, geometry in _simplified_countries(gazetteer, tolerance)
    ]
    return {"type": "FeatureCollection", "features": features}


@lru_cache(maxsize=4)
def _simplified_countries(gazetteer: Gazetteer, tolerance: float) -> list[tuple[Place, dict[str, Any]]]:
    """Every country and its polygon simplified by ``tolerance`` degrees, as GeoJSON (3 decimals): simplified
    once per gazetteer for the outlines and the choropleth alike."""
    return [(country, _simplified(shape, tolerance)) for country, shape in gazetteer.shapes(kinds=["country"])]


def _simplified(shape: Any, tolerance: float) -> dict[str, Any]:
    """A polygon simplified by ``tolerance`` degrees, as GeoJSON with 3 decimals (what the map draws of a
    country or admin-1 unit)."""
    return rounded(mapping(shapely.simplify(shape, tolerance, preserve_topology=True)), 3)
