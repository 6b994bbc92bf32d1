"""The map of a set of articles: a folium Map with a layer tree, markers, regions and controls."""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import folium
import pandas as pd
import shapely
from shapely.geometry import mapping

from .._geojson import rounded
from ..gazetteer import Gazetteer
from ..models import Place
from .digest import LAYER_ORDER, MapDigest
from .elements import (
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
    numbered_ids,
)
from .popups import TYPE_STYLES, legend_html, place_summary_html, popup_html

__all__ = ["ATTRIBUTION", "CLUSTER_THRESHOLD", "OUTLINE_TOLERANCE", "country_outlines", "render_map"]

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
    shared_assets: str | None = None,
    title: str | None = None,
) -> folium.Map:
    """A folium Map of the joined mentions (see :func:`geomap.join.join_mentions`).

    ``articles`` lists every article to show a branch for, mentions or not;
    ``article_hrefs`` maps article ids to the links written into popups.
    With ``shared_assets`` (a relative folder such as ``"../assets/"``) the
    page loads Leaflet and the outlines from files there instead of carrying
    them: what per-article pages do, so a thousand of them stay small.
    ``title`` is shown on the map (as text).
    """
    digest = joined if isinstance(joined, MapDigest) else MapDigest.of(joined, articles)
    hrefs = article_hrefs or {}
    with numbered_ids():
        return _build_map(
            digest, gazetteer=gazetteer, offline=offline, article_hrefs=hrefs, shared_assets=shared_assets, title=title
        )


def _build_map(
    digest: MapDigest,
    *,
    gazetteer: Gazetteer,
    offline: bool,
    article_hrefs: Mapping[str, str],
    shared_assets: str | None,
    title: str | None,
) -> folium.Map:
    # no tile layer sets a maximum zoom when offline, and marker clusters need one
    fmap = Map(location=(20, 0), zoom_start=2, tiles=None, control_scale=True)
    fmap.options["maxZoom"] = 18
    outlines = FeatureGroup(name="Country outlines", overlay=False, control=True)
    Outlines(None if shared_assets else country_outlines(gazetteer, OUTLINE_TOLERANCE)).add_to(outlines)
    outlines.add_to(fmap)
    base_layers: list[dict[str, Any]] = [{"label": "Country outlines (offline)", "layer": outlines}]
    base_tree = {"label": "Base map", "children": base_layers}
    if not offline:
        tiles = Tiles("OpenStreetMap", name="OpenStreetMap", overlay=False, control=True, show=False)
        tiles.add_to(fmap)
        base_layers.append({"label": "OpenStreetMap (online)", "layer": tiles})

    grouped = digest.groups
    point_groups = sum(len(places) for by_layer in grouped.values() for k, places in by_layer.items() if k != "regions")
    parent: Cluster | FeatureGroup
    if point_groups > CLUSTER_THRESHOLD:
        options = {"disableClusteringAtZoom": 9, "chunkedLoading": True}
        parent = Cluster(control=False, options=options)
    else:
        parent = FeatureGroup(control=False)
    parent.add_to(fmap)

    article_rows = digest.article_rows()
    layers: dict[str, dict[str, str]] = {}
    counts: dict[str, dict[str, int]] = {}
    tree_by_date: dict[str, list[dict[str, Any]]] = {}
    frames = _Frames()
    shapes: dict[str, dict[str, Any]] = {}
    shape_bounds: dict[str, tuple[float, float, float, float]] = {}
    for by_layer in grouped.values():
        for place_id in by_layer.get("regions", {}):
            geometry = _region_geometry(gazetteer, place_id)
            if geometry is not None and place_id not in shapes:
                shapes[place_id] = geometry
                shape_bounds[place_id] = tuple(shapely.bounds(shapely.geometry.shape(geometry)).tolist())
    Shapes(shapes).add_to(fmap)

    for article in article_rows:
        article_id = article["article_id"]
        by_layer = grouped.get(article_id, {})
        children = []
        layers[article_id] = {}
        counts[article_id] = {}
        href = article_hrefs.get(article_id)
        for layer_name in LAYER_ORDER:
            places = by_layer.get(layer_name)
            if not places:
                continue
            layer: FeatureGroup | SubGroup
            if layer_name == "regions":
                layer = FeatureGroup(name=layer_name, control=False)
            else:
                layer = SubGroup(parent, name=layer_name, control=False)
            layer.add_to(fmap)
            points, regions = [], []
            for place_id, group in places.items():
                first = group.place
                popup = popup_html(group, article=article, article_href=href)
                tooltip = html.escape(f"{first['name']} — {first['text']}")
                if place_id in shapes and layer_name == "regions":
                    regions.append([place_id, popup, tooltip])
                    minx, miny, maxx, maxy = shape_bounds[place_id]
                    frames.add([(miny, minx), (maxy, maxx)], kind=first["kind"], literal=True)
                else:
                    style = "dateline" if group.dateline else layer_name
                    color, fill_opacity, dash = TYPE_STYLES.get(style, TYPE_STYLES["places"])
                    radius = 6 + min(group.count, 10) // 2
                    points.append([first["lat"], first["lon"], radius, color, fill_opacity, dash, popup, tooltip])
                    frames.add([(first["lat"], first["lon"])], kind=first["kind"], literal=layer_name == "places")
            if points:
                Rows("geomapAddPoints", points).add_to(layer)
            if regions:
                Rows("geomapAddRegions", regions).add_to(layer)
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
    overlay_tree: list[dict[str, Any]] = [{"label": "Articles", "selectAllCheckbox": True, "children": date_nodes}]
    places_layer = None
    if len(article_rows) > 1:  # an index: every place once, across the articles, off until chosen
        places_layer, shown = _places_layer(digest, article_hrefs)
        places_layer.add_to(fmap)
        overlay_tree.insert(0, {"label": f"All places, sized by mentions ({shown})", "layer": places_layer})
        choropleth, countries = _choropleth_layer(digest, gazetteer)
        if countries:
            choropleth.add_to(fmap)
            overlay_tree.insert(1, {"label": f"Mentions per country ({countries})", "layer": choropleth})
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
        "articles": [{"id": a["article_id"], "date": a["date"], "title": a["title"]} for a in article_rows],
        "counts": counts,
        "dates": dates,
        "timeline": [per_day.get(date, 0) for date in dates],
        "legend": legend_html(),
        "attribution": ATTRIBUTION,
        "title": title,
    }
    places_name = places_layer.get_name() if places_layer is not None else "null"
    PageScript(layers=layers, config=config, tree=control.get_name(), places=places_name).add_to(fmap)
    corners = frames.corners()
    if corners:
        fmap.add_child(FitBoundsElement(corners, max_zoom=8, padding=(20, 20)), name="fit_bounds")
    return fmap


def _places_layer(digest: MapDigest, hrefs: Mapping[str, str]) -> tuple[FeatureGroup, int]:
    """One marker per place across all articles, as large as its mentions are many; and how many places."""
    places: dict[str, dict[str, Any]] = {}
    for article_id, by_layer in digest.groups.items():
        article = digest.articles[article_id]
        for groups in by_layer.values():
            for place_id, group in groups.items():
                entry = places.setdefault(place_id, {"place": group.place, "mentions": 0, "articles": {}})
                entry["mentions"] += group.count
                entry["articles"][article_id] = article
    color, fill_opacity, dash = "#0f766e", 0.55, None
    rows = []
    for entry in sorted(places.values(), key=lambda e: -e["mentions"]):  # the small drawn last, on top
        place = entry["place"]
        articles = sorted(entry["articles"].values(), key=lambda a: (a["date"] or "", str(a["article_id"])))[::-1]
        popup = place_summary_html(place, mentions=entry["mentions"], articles=articles, hrefs=hrefs)
        tooltip = html.escape(f"{place['name']}: {entry['mentions']} mentions")
        radius = min(30.0, 4 + 3 * math.sqrt(entry["mentions"]))
        rows.append([place["lat"], place["lon"], round(radius, 1), color, fill_opacity, dash, popup, tooltip])
    layer = FeatureGroup(name="all_places", control=False, show=False)
    if rows:
        Rows("geomapAddPointsWhenShown", rows).add_to(layer)
    return layer, len(rows)


#: The choropleth's classes, light to dark (ColorBrewer Reds).
CHOROPLETH_COLOURS = ("#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15")


def _choropleth_layer(digest: MapDigest, gazetteer: Gazetteer) -> tuple[FeatureGroup, int]:
    """Each country shaded by the mentions of places in it (a class per step of a log scale); and how many."""
    counts: dict[str, int] = {}
    for by_layer in digest.groups.values():
        for groups in by_layer.values():
            for group in groups.values():
                code = group.place["country_code"]
                if code:
                    counts[code] = counts.get(code, 0) + group.count
    shapes = _country_shapes(gazetteer)
    most = max(counts.values(), default=1)
    rows = []
    for code, count in sorted(counts.items()):
        if code not in shapes:
            continue
        name, geometry = shapes[code]
        step = math.log1p(count) / math.log1p(most)
        colour = CHOROPLETH_COLOURS[min(len(CHOROPLETH_COLOURS) - 1, int(step * len(CHOROPLETH_COLOURS)))]
        rows.append([code, html.escape(f"{name}: {count} mentions"), colour, geometry])
    layer = FeatureGroup(name="per_country", control=False, show=False)
    if rows:
        Rows("geomapAddChoroplethWhenShown", rows).add_to(layer)
    return layer, len(rows)


def _country_shapes(gazetteer: Gazetteer) -> dict[str, tuple[str, dict[str, Any]]]:
    """Country code -> (name, simplified polygon as GeoJSON): the outlines' own shapes."""
    out: dict[str, tuple[str, dict[str, Any]]] = {}
    for country, geometry in _simplified_countries(gazetteer, OUTLINE_TOLERANCE):
        if country.country_code and country.country_code not in out:
            out[country.country_code] = (country.name, geometry)
    return out


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
    """A region's polygon as GeoJSON (5 decimals), read once per gazetteer and place."""
    geometry = gazetteer.geometry(place_id)
    return None if geometry is None else rounded(mapping(geometry), 5)


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
    return [
        (country, rounded(mapping(shapely.simplify(shape, tolerance, preserve_topology=True)), 3))
        for country, shape in gazetteer.shapes(kinds=["country"])
    ]
