"""Build the SQLite gazetteer from the committed files in gazetteer/.

The build reads compact, committed sources (see gazetteer/SOURCES.md), checks
and orients every polygon, computes representative points and the composite
regions' shapes, and writes one SQLite file. It writes to a temporary file and
renames it into place, so a reader never sees a half-built database.
"""

from __future__ import annotations

import logging
import math
import os
import re
import sqlite3
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib.abc import Traversable
from pathlib import Path
from typing import NamedTuple

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel

from ..errors import GazetteerError
from .integrity import write_integrity
from .names import name_key, with_plurals
from .sources import data_fingerprint, read_csv, read_jsonl, read_lines, read_tsv, source_root

__all__ = ["SCHEMA_VERSION", "build_gazetteer", "representative_point"]

log = logging.getLogger(__name__)

SCHEMA_VERSION = 2

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
}
# A published country point this far (degrees) off the polygon is not trusted.
PUBLISHED_POINT_SLACK = 1.0
# Seas and oceans have no population; this stands in for one.
WATER_POPULATION = 10_000_000

LAYERS = ("countries", "continents", "places", "admin1", "counties", "regions", "words")

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE places (
    place_id TEXT PRIMARY KEY,
    geonameid INTEGER,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    country_code TEXT,
    admin1 TEXT,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    population INTEGER,
    prior REAL NOT NULL,
    has_shape INTEGER NOT NULL DEFAULT 0
);
-- One row per name of a place, clustered by its folded key: a lookup reads one
-- stretch of one table. The place's columns are copied in for the same reason.
CREATE TABLE names (
    key TEXT NOT NULL,
    place_id TEXT NOT NULL,
    match TEXT NOT NULL,
    name TEXT NOT NULL,
    is_word INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    place_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    geonameid INTEGER,
    country_code TEXT,
    admin1 TEXT,
    population INTEGER,
    has_shape INTEGER NOT NULL,
    prior REAL NOT NULL,
    PRIMARY KEY (key, place_id, match, name)
) WITHOUT ROWID;
CREATE TABLE shapes (
    place_id TEXT PRIMARY KEY,
    wkb BLOB NOT NULL,
    minx REAL, miny REAL, maxx REAL, maxy REAL
);
CREATE TABLE words (word TEXT PRIMARY KEY) WITHOUT ROWID;
"""

_INDEXES = """
CREATE INDEX places_geonameid ON places (geonameid);
CREATE INDEX places_lat ON places (lat);
CREATE INDEX places_admin ON places (country_code, admin1, kind);
"""


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
class _Builder:
    """Accumulates rows for one build; each layer adds places, names and shapes."""

    words: set[str]
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
    ) -> bool:
        if place_id in self.places:
            log.debug("skipping duplicate place id %s (%s)", place_id, name)
            return False
        lat, lon = point
        prior = math.log10((population or 0) + 10) + KIND_PRIOR[kind]
        self.places[place_id] = PlaceRow(
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
            has_shape=geometry is not None,
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
            kind = match
            if match == "alias" and _looks_abbreviated(name):
                kind = "abbreviation"
            self.names.append((key, name, place_id, kind, int(key in self.words)))


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


def _clean_shape(geojson: dict | None) -> BaseGeometry | None:
    if not geojson:
        return None
    geom = shapely.make_valid(shape(geojson), method="structure", keep_collapsed=False)
    if geom.is_empty or geom.geom_type not in ("Polygon", "MultiPolygon"):
        return None
    return shapely.orient_polygons(geom, exterior_cw=False)


def _geonames_id(value: int | None) -> str | None:
    return f"geonames:{value}" if value else None


# --- layers --------------------------------------------------------------------


def _add_countries(b: _Builder, root: Traversable) -> dict[str, str]:
    ids = {}
    for c in read_jsonl("data/countries.jsonl.gz", root):
        geometry = _clean_shape(c["geometry"])
        if geometry is None:
            continue  # dissolved countries (Netherlands Antilles) and a few specks
        place_id = _geonames_id(c["geonameid"]) or f"country:{c['iso2']}"
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
    return ids


def _country_point(published: list[float] | None, geometry: BaseGeometry) -> tuple[float, float]:
    """The country's published point (the one gazetteers and atlases quote) when
    it lies on or near the country, else a point computed from the polygon."""
    if published is not None:
        lat, lon = published
        if geometry.distance(shapely.Point(lon, lat)) <= PUBLISHED_POINT_SLACK:
            return lat, lon
    return representative_point(geometry)


def _add_continents(b: _Builder, root: Traversable) -> None:
    for c in read_jsonl("data/continents.jsonl.gz", root):
        b.add_place(
            _geonames_id(c["geonameid"]),
            name=c["name"],
            kind="continent",
            point=(c["lat"], c["lon"]),
            geonameid=c["geonameid"],
            population=c["population"],
        )


def _add_places(b: _Builder, root: Traversable) -> None:
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


def _populations_within(b: _Builder, shapes: dict[str, BaseGeometry]) -> dict[str, int]:
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


def _admin1_name(unit: dict) -> str:
    """The display name: "Kursk Oblast", "Donetsk Oblast" rather than Natural Earth's "Kursk", "Donets'k"."""
    name = unit["name"]
    plain = name.replace("'", "")
    if plain != name and plain in unit["aliases"]:  # a transliteration's soft sign
        name = plain
    suffix = NAMED_WITH_TYPE.get(unit.get("type_local") or "")
    if suffix and suffix not in name:
        return f"{name} {suffix}"
    return name


def _add_admin1(b: _Builder, root: Traversable) -> list[dict]:
    units = [dict(unit, shape=_clean_shape(unit["geometry"])) for unit in read_jsonl("data/admin1.jsonl.gz", root)]
    units = [unit for unit in units if unit["shape"] is not None]
    for unit in units:
        unit["place_id"] = _geonames_id(unit["geonameid"]) or f"ne:{unit['ne_code']}"
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
    return added


def _add_counties(b: _Builder, root: Traversable) -> None:
    counties = []
    for county in read_jsonl("data/us_counties.jsonl.gz", root):
        geometry = _clean_shape(county["geometry"])
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


def _select_members(spec: str, units: list[dict], countries: dict[str, str]) -> list[str]:
    """Place ids for one member token: 'UA.05', 'GE', or 'RU[region=Siberian]'."""
    if match := re.fullmatch(r"([A-Z]{2})\[(\w+)=(.+)\]", spec):
        iso2, fieldname, value = match.groups()
        return [u["place_id"] for u in units if u["iso2"] == iso2 and u.get(fieldname) == value]
    if re.fullmatch(r"[A-Z]{2}", spec):
        return [countries[spec]] if spec in countries else []
    return [u["place_id"] for u in units if u["code"] == spec]


def _add_regions(b: _Builder, root: Traversable, units: list[dict], countries: dict[str, str]) -> None:
    for row in read_csv("curated/regions.csv", root):
        place_id = f"region:{row['id']}"
        aliases = [a for a in row["aliases"].split("|") if a]
        geometry = None
        population = WATER_POPULATION if row["kind"] in ("sea", "ocean", "strait", "canal", "lake") else None
        country_code = None
        if row["members"]:
            members: list[str] = []
            for spec in re.findall(r"[A-Z]{2}\[[^\]]*\]|\S+", row["members"]):
                found = _select_members(spec, units, countries)
                if not found:
                    msg = f"region {row['id']!r}: member {spec!r} matches no unit"
                    raise GazetteerError(msg)
                members += found
            geometry = shapely.orient_polygons(
                shapely.make_valid(shapely.union_all([b.shapes[m] for m in members])), exterior_cw=False
            )
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


def _add_landmarks(b: _Builder, root: Traversable) -> None:
    """Landmarks news name for the place they stand in ("the White House said"): aliases of that place."""
    for row in read_csv("curated/landmarks.csv", root):
        if row["place_id"] not in b.places:
            msg = f"curated/landmarks.csv: {row['name']!r} points at {row['place_id']!r}, which is not in the gazetteer"
            raise GazetteerError(msg)
        b.add_names(row["place_id"], [row["name"]], match="alias")


# --- the build -----------------------------------------------------------------


def build_gazetteer(
    path: str | os.PathLike[str],
    *,
    root: Traversable | None = None,
    progress: Callable[[str], None] | None = None,
) -> Path:
    """Build the gazetteer database at ``path`` from the committed sources.

    ``progress`` is called with each layer's name as it starts. Returns the
    path. Raises :class:`GazetteerError` when a source is missing or broken.
    """
    path = Path(path)
    root = root or source_root()
    started = time.perf_counter()
    try:
        fingerprint = data_fingerprint(root)
        step = progress or (lambda _layer: None)
        step("words")
        b = _Builder(words=set(read_lines("data/english_words.txt.gz", root)))
        step("countries")
        countries = _add_countries(b, root)
        step("continents")
        _add_continents(b, root)
        step("places")
        _add_places(b, root)
        step("admin1")
        units = _add_admin1(b, root)
        step("counties")
        _add_counties(b, root)
        step("regions")
        _add_regions(b, root, units, countries)
        _add_landmarks(b, root)
    except GazetteerError:
        raise
    except (OSError, KeyError, ValueError) as err:
        msg = f"cannot read the gazetteer sources in {str(root)!r}: {err}"
        raise GazetteerError(msg) from err

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        _write(Path(tmp), b, fingerprint=fingerprint, seconds=time.perf_counter() - started)
        os.replace(tmp, path)
        write_integrity(path)  # so that opening it can tell whether its bytes changed since
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    log.info("built gazetteer %s in %.1f s", path, time.perf_counter() - started)
    return path


def _write(path: Path, b: _Builder, *, fingerprint: str, seconds: float) -> None:
    con = sqlite3.connect(path)
    try:
        con.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;")
        con.executescript(_SCHEMA)
        con.executemany(f"INSERT INTO places VALUES ({','.join('?' * len(PlaceRow._fields))})", b.places.values())
        con.executemany(f"INSERT INTO names VALUES ({','.join('?' * 16)})", _name_rows(b))
        con.executemany("INSERT INTO shapes VALUES (?,?,?,?,?,?)", _shape_rows(b.shapes))
        con.executemany("INSERT INTO words VALUES (?)", ((w,) for w in sorted(b.words)))
        con.executescript(_INDEXES)
        counts = dict(con.execute("SELECT kind, count(*) FROM places GROUP BY kind").fetchall())
        meta = {
            "schema_version": str(SCHEMA_VERSION),
            "fingerprint": fingerprint,
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "build_seconds": f"{seconds:.1f}",
            "places": str(len(b.places)),
            "names": str(con.execute("SELECT count(*) FROM names").fetchone()[0]),
            **{f"kind.{kind}": str(n) for kind, n in counts.items()},
            "complete": "1",  # written last: a file without it is not a gazetteer
        }
        con.executemany("INSERT INTO meta VALUES (?,?)", meta.items())
        con.commit()
        con.execute("VACUUM")
    finally:
        con.close()


def _name_rows(b: _Builder) -> Iterator[tuple]:
    """Rows of the names table in key order, each written form once per place and match
    ("U.S." and "US" both stay); ``seq`` keeps the order the names were added in (the first is kept)."""
    names = sorted(
        (key, place_id, match, name, seq, is_word) for seq, (key, name, place_id, match, is_word) in enumerate(b.names)
    )
    previous = None
    for key, place_id, match, name, seq, is_word in names:
        if (key, place_id, match, name) == previous:
            continue
        previous = key, place_id, match, name
        p = b.places[place_id]
        yield (
            *(key, place_id, match, name, is_word, seq),
            *(p.name, p.kind, p.lat, p.lon, p.geonameid, p.country_code, p.admin1, p.population, p.has_shape, p.prior),
        )


def _shape_rows(shapes: dict[str, BaseGeometry]) -> Iterator[tuple]:
    for place_id, geometry in shapes.items():
        minx, miny, maxx, maxy = geometry.bounds
        yield place_id, shapely.to_wkb(geometry), minx, miny, maxx, maxy
