"""What a build accumulates: places, names and shapes, added by the layers, written by build.py."""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import shapely
from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel

from .names import name_key

__all__ = [
    "KIND_PRIOR",
    "Builder",
    "PlaceRow",
    "clean_shape",
    "geonames_id",
    "match_of",
    "place_row",
    "representative_point",
]

log = logging.getLogger(__name__)

# How much a layer weighs before any context is known, added to log10(population).
# Countries and continents dominate a bare name ("Georgia" the country); an
# admin-1 unit yields to the city it shares a name with ("Kursk" the city),
# which the "Kursk region" designator overrides.
KIND_PRIOR = {
    "continent": 2.0,
    "country": 2.0,
    "ocean": 1.5,
    "sea": 1.0,
    "strait": 0.5,
    "canal": 0.5,
    "lake": 0.5,
    "macro_region": 1.0,
    "composite": 0.5,
    "territory": 1.0,
    "admin1": -1.5,
    "admin2": -1.0,
    "populated_place": 0.0,
    # imported GeoNames features (geomap.gazetteer.imports): administrative areas below admin-1, as
    # points, and any other feature (rivers, hills, spots)
    "admin_area": -1.0,
    "feature": -0.5,
}


class PlaceRow(NamedTuple):
    """A row of the places table, its columns in the table's order (a test holds the two together)."""

    place_id: str
    geonameid: int | None
    name: str
    kind: str
    country_code: str | None
    admin1: str | None
    lat: float
    lon: float
    population: int | None
    prior: float
    has_shape: bool


@dataclass
class Builder:
    """Accumulates rows for one build; each layer adds places, names and shapes.

    ``words`` (English words, the first layer's) mark names that need context;
    ``given_names``, ``surnames`` and ``titles`` (the same layer's) are what the recogniser reads people's names by;
    ``countries`` (ISO code -> place id) and ``units`` (admin-1 records) are
    what later layers (composite regions) build on.
    """

    words: set[str] = field(default_factory=set)
    given_names: set[str] = field(default_factory=set)
    surnames: set[str] = field(default_factory=set)
    titles: set[str] = field(default_factory=set)
    countries: dict[str, str] = field(default_factory=dict)
    units: list[dict[str, Any]] = field(default_factory=list)
    places: dict[str, PlaceRow] = field(default_factory=dict)
    names: list[tuple[str, str, str, str, int]] = field(default_factory=list)
    shapes: dict[str, BaseGeometry] = field(default_factory=dict)

    def add_place(
        self,
        place_id: str,
        *,
        name: str,
        kind: str,
        point: tuple[float, float],
        geonameid: int | None = None,
        country_code: str | None = None,
        admin1: str | None = None,
        population: int | None = None,
        geometry: BaseGeometry | None = None,
        prior_bonus: float = 0.0,
    ) -> bool:
        if place_id in self.places:
            log.debug("skipping duplicate place id %s (%s)", place_id, name)
            return False
        self.places[place_id] = place_row(
            place_id,
            name=name,
            kind=kind,
            point=point,
            geonameid=geonameid,
            country_code=country_code,
            admin1=admin1,
            population=population,
            has_shape=geometry is not None,
            prior_bonus=prior_bonus,
        )
        if geometry is not None:
            self.shapes[place_id] = geometry
        self.add_names(place_id, [name], match="name")
        return True

    def add_names(self, place_id: str, names: Iterable[str], *, match: str) -> None:
        for name in names:
            key = name_key(name)
            if not key:
                continue
            self.names.append((key, name, place_id, match_of(name, match), int(key in self.words)))


def place_row(
    place_id: str,
    *,
    name: str,
    kind: str,
    point: tuple[float, float],
    geonameid: int | None = None,
    country_code: str | None = None,
    admin1: str | None = None,
    population: int | None = None,
    has_shape: bool = False,
    prior_bonus: float = 0.0,
) -> PlaceRow:
    """A row of the places table: its prior is log10(population + 10), the kind's weight and any bonus."""
    lat, lon = point
    prior = math.log10((population or 0) + 10) + KIND_PRIOR[kind] + prior_bonus
    return PlaceRow(
        place_id=place_id,
        geonameid=geonameid,
        name=name,
        kind=kind,
        country_code=country_code,
        admin1=admin1,
        lat=round(lat, 6),
        lon=round(lon, 6),
        population=population,
        prior=round(prior, 4),
        has_shape=has_shape,
    )


def match_of(name: str, match: str) -> str:
    """How a name names its place in the names table: an alias written as an abbreviation is one."""
    return "abbreviation" if match == "alias" and _looks_abbreviated(name) else match


def _looks_abbreviated(name: str) -> bool:
    """'U.S.', 'UAE', 'W.Va.', 'Ky.': forms that must match with their case."""
    letters = name.replace(".", "").replace(" ", "")
    return "." in name or (letters.isupper() and len(letters) <= 5)


def representative_point(geometry: BaseGeometry) -> tuple[float, float]:
    """A (lat, lon) inside the shape and near its middle.

    The centroid of the largest part when it falls inside that part (most
    shapes), else the part's pole of inaccessibility (a crescent, a ring).
    Using the largest part keeps the United States' point in Kansas rather than
    dragged toward Alaska.
    """
    parts = list(getattr(geometry, "geoms", [geometry]))
    largest = max(parts, key=lambda g: g.area)
    point = largest.centroid
    if not largest.contains(point):
        point = polylabel(largest, tolerance=0.01)
    return point.y, point.x


def clean_shape(geojson: dict[str, Any] | None) -> BaseGeometry | None:
    if not geojson:
        return None
    geom = shapely.make_valid(shape(geojson), method="structure", keep_collapsed=False)
    if geom.is_empty or geom.geom_type not in ("Polygon", "MultiPolygon"):
        return None
    return shapely.orient_polygons(geom, exterior_cw=False)


#: A hole smaller than this share of its polygon, left where two members' borders do not quite meet, goes.
SLIVER_SHARE = 0.001


def without_slivers(geometry: BaseGeometry) -> BaseGeometry:
    """The union of neighbouring units without the specks of holes their unmatched borders leave
    (Donbas had eight, drawn as white dots inside it); a hole of any real size, an enclave, stays."""
    parts = list(getattr(geometry, "geoms", [geometry]))
    kept = []
    for part in parts:
        if part.geom_type != "Polygon":
            continue
        holes = [ring for ring in part.interiors if Polygon(ring).area >= SLIVER_SHARE * part.area]
        kept.append(Polygon(part.exterior, holes))
    if not kept:
        return geometry
    return kept[0] if len(kept) == 1 else MultiPolygon(kept)


def geonames_id(value: int | None) -> str | None:
    return f"geonames:{value}" if value else None
