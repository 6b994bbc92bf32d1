"""The gazetteer's layers: each adds its places, names and shapes to a Builder from the source tree.

build_gazetteer runs LAYERS in order (English words first: names that are
also words are marked as they are added). A new layer, such as a user's own
GeoNames extract, is one function ``add(builder, root)`` (often in its own
module) and one line in LAYERS.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Callable
from importlib.abc import Traversable
from typing import Any, NamedTuple

import shapely
from shapely.geometry.base import BaseGeometry

from ..errors import GazetteerError
from .builder import Builder, clean_shape, geonames_id, representative_point, without_slivers
from .names import with_plurals
from .sources import read_csv, read_jsonl, read_lines, read_tsv

__all__ = ["LAYERS", "Layer"]

log = logging.getLogger(__name__)


class Layer(NamedTuple):
    """A named step of the build (the name shows in its progress bar)."""

    name: str
    add: Callable[[Builder, Traversable], None]


# A published country point this far (degrees) off the polygon is not trusted.
PUBLISHED_POINT_SLACK = 1.0
# Seas and oceans have no population; this stands in for one.
WATER_POPULATION = 10_000_000


def _add_words(b: Builder, root: Traversable) -> None:
    b.words.update(read_lines("data/english_words.txt.gz", root))
    b.given_names.update(read_lines("data/given_names.txt.gz", root))
    b.surnames.update(read_lines("data/surnames.txt.gz", root))
    b.titles.update(read_lines("data/person_titles.txt.gz", root))


def _add_countries(b: Builder, root: Traversable) -> None:
    ids = {}
    for c in read_jsonl("data/countries.jsonl.gz", root):
        geometry = clean_shape(c["geometry"])
        if geometry is None:
            continue  # dissolved countries (Netherlands Antilles) and a few specks
        place_id = geonames_id(c["geonameid"]) or f"country:{c['iso2']}"
        b.add_place(
            place_id,
            name=c["name"],
            kind="country",
            point=_country_point(c.get("point"), geometry),
            geonameid=c["geonameid"],
            country_code=c["iso2"],
            population=c["population"],
            geometry=geometry,
        )
        b.add_names(place_id, c["aliases"], match="alias")
        b.add_names(place_id, c["demonyms"], match="demonym")
        ids[c["iso2"]] = place_id
    b.countries.update(ids)


def _country_point(published: list[float] | None, geometry: BaseGeometry) -> tuple[float, float]:
    """The country's published point (the one gazetteers and atlases quote) when
    it lies on or near the country, else a point computed from the polygon."""
    if published is not None:
        lat, lon = published
        if geometry.distance(shapely.Point(lon, lat)) <= PUBLISHED_POINT_SLACK:
            return lat, lon
    return representative_point(geometry)


def _add_continents(b: Builder, root: Traversable) -> None:
    for c in read_jsonl("data/continents.jsonl.gz", root):
        b.add_place(
            f"geonames:{c['geonameid']}",
            name=c["name"],
            kind="continent",
            point=(c["lat"], c["lon"]),
            geonameid=c["geonameid"],
            population=c["population"],
        )


def _add_places(b: Builder, root: Traversable) -> None:
    for row in read_tsv("data/places.tsv.gz", root):
        geonameid = int(row["geonameid"])
        population = int(row["population"])
        admin1 = f"{row['country_code']}.{row['admin1_code']}" if row["admin1_code"] else None
        place_id = f"geonames:{geonameid}"
        if (
            b.add_place(
                place_id,
                name=row["name"],
                kind="populated_place",
                point=(float(row["lat"]), float(row["lon"])),
                geonameid=geonameid,
                country_code=row["country_code"],
                admin1=admin1,
                population=population,
            )
            and row["aliases"]
        ):
            b.add_names(place_id, row["aliases"].split("|"), match="alias")


def _populations_within(b: Builder, shapes: dict[str, BaseGeometry]) -> dict[str, int]:
    """Population of the populated places inside each shape (a spatial join).

    Admin units carry no population of their own, and admin-1 codes do not
    always match the places' (Natural Earth splits England into counties).
    """
    people = [row for row in b.places.values() if row.kind == "populated_place"]
    points = shapely.points([row.lon for row in people], [row.lat for row in people])
    ids = list(shapes)
    tree = shapely.STRtree([shapes[i] for i in ids])
    point_index, shape_index = tree.query(points, predicate="within")
    totals: dict[str, int] = defaultdict(int)
    for p, s in zip(point_index, shape_index, strict=True):
        totals[ids[s]] += people[p].population or 0
    return totals


# Natural Earth's local unit types that English writes after the name, and how:
# "Kursk Oblast", "Krasnodar Krai".
NAMED_WITH_TYPE = {
    "Oblast": "Oblast",
    "Oblast'": "Oblast",
    "Kray": "Krai",
    "Avtonomnaya Oblast": "Autonomous Oblast",
    "Avtonomnyy Okrug": "Autonomous Okrug",
}


def _admin1_name(unit: dict[str, Any]) -> str:
    """The display name: "Kursk Oblast", "Donetsk Oblast" rather than Natural Earth's "Kursk", "Donets'k"."""
    name = unit["name"]
    plain = name.replace("'", "")
    if plain != name and plain in unit["aliases"]:  # a transliteration's soft sign
        name = plain
    suffix = NAMED_WITH_TYPE.get(unit.get("type_local") or "")
    if suffix and suffix not in name:
        return f"{name} {suffix}"
    return name


def _add_admin1(b: Builder, root: Traversable) -> None:
    units = [dict(unit, shape=clean_shape(unit["geometry"])) for unit in read_jsonl("data/admin1.jsonl.gz", root)]
    units = [unit for unit in units if unit["shape"] is not None]
    for unit in units:
        unit["place_id"] = geonames_id(unit["geonameid"]) or f"ne:{unit['ne_code']}"
    population = _populations_within(b, {unit["place_id"]: unit["shape"] for unit in units})
    added = []
    for unit in units:
        place_id, geometry = unit["place_id"], unit["shape"]
        name = _admin1_name(unit)
        if b.add_place(
            place_id,
            name=name,
            kind="admin1",
            point=representative_point(geometry),
            geonameid=unit["geonameid"],
            country_code=unit["iso2"],
            admin1=unit["code"],
            population=population.get(place_id, 0),
            geometry=geometry,
        ):
            b.add_names(
                place_id, [unit["name"], *unit["aliases"]] if name != unit["name"] else unit["aliases"], match="alias"
            )
            b.add_names(place_id, unit["abbreviations"], match="abbreviation")
            added.append(unit)
    b.units.extend(added)


def _add_counties(b: Builder, root: Traversable) -> None:
    counties = []
    for county in read_jsonl("data/us_counties.jsonl.gz", root):
        geometry = clean_shape(county["geometry"])
        if geometry is not None:
            counties.append((f"us-county:{county['fips']}", county, geometry))
    population = _populations_within(b, {place_id: geometry for place_id, _, geometry in counties})
    for place_id, county, geometry in counties:
        b.add_place(
            place_id,
            name=county["name"],
            kind="admin2",
            point=representative_point(geometry),
            country_code="US",
            admin1=f"US.{county['state']}",
            population=population.get(place_id, 0),
            geometry=geometry,
        )
        if county["name"] != county["short_name"]:  # "Suffolk" for Suffolk County
            b.add_names(place_id, [county["short_name"]], match="alias")
        short = re.sub(r" County$", " Co.", county["name"])
        if short != county["name"]:
            b.add_names(place_id, [short], match="abbreviation")


def _select_members(spec: str, units: list[dict[str, Any]], countries: dict[str, str]) -> list[str]:
    """Place ids for one member token: 'UA.05', 'GE', or 'RU[region=Siberian]'."""
    if match := re.fullmatch(r"([A-Z]{2})\[(\w+)=(.+)\]", spec):
        iso2, fieldname, value = match.groups()
        return [u["place_id"] for u in units if u["iso2"] == iso2 and u.get(fieldname) == value]
    if re.fullmatch(r"[A-Z]{2}", spec):
        return [countries[spec]] if spec in countries else []
    return [u["place_id"] for u in units if u["code"] == spec]


def _add_regions(b: Builder, root: Traversable) -> None:
    for row in read_csv("curated/regions.csv", root):
        place_id = f"region:{row['id']}"
        aliases = [a for a in row["aliases"].split("|") if a]
        geometry = None
        population = WATER_POPULATION if row["kind"] in ("sea", "ocean", "strait", "canal", "lake") else None
        country_code = None
        if row["members"]:
            members: list[str] = []
            for spec in re.findall(r"[A-Z]{2}\[[^\]]*\]|\S+", row["members"]):
                found = _select_members(spec, b.units, b.countries)
                if not found:
                    msg = f"region {row['id']!r}: member {spec!r} matches no unit"
                    raise GazetteerError(msg)
                members += found
            union = shapely.make_valid(shapely.union_all([b.shapes[m] for m in members]))
            geometry = shapely.orient_polygons(without_slivers(union), exterior_cw=False)
            # a published centre, where the table gives one (the EU's, Gadheim), else computed
            point = (float(row["lat"]), float(row["lon"])) if row["lat"] else representative_point(geometry)
            population = sum(b.places[m].population or 0 for m in members)
            codes = {b.places[m].country_code for m in members}
            country_code = codes.pop() if len(codes) == 1 else None
        else:
            point = (float(row["lat"]), float(row["lon"]))
        b.add_place(
            place_id,
            name=row["name"],
            kind=row["kind"],
            point=point,
            country_code=country_code,
            population=population,
            geometry=geometry,
        )
        b.add_names(place_id, aliases, match="alias")
    for row in read_csv("curated/demonym_extras.csv", root):
        if ":" in row["target"]:  # a place id; countries' demonyms come with the countries
            b.add_names(row["target"], with_plurals([row["form"]]), match="demonym")


def _add_landmarks(b: Builder, root: Traversable) -> None:
    """Landmarks news name for the place they stand in ("the White House said"): aliases of that place."""
    for row in read_csv("curated/landmarks.csv", root):
        if row["place_id"] not in b.places:
            msg = f"curated/landmarks.csv: {row['name']!r} points at {row['place_id']!r}, which is not in the gazetteer"
            raise GazetteerError(msg)
        b.add_names(row["place_id"], [row["name"]], match="alias")


#: The bundled layers, in build order.
LAYERS: list[Layer] = [
    Layer("words", _add_words),
    Layer("countries", _add_countries),
    Layer("continents", _add_continents),
    Layer("places", _add_places),
    Layer("admin1", _add_admin1),
    Layer("counties", _add_counties),
    Layer("regions", _add_regions),
    Layer("landmarks", _add_landmarks),
]
