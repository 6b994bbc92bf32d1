"""GeoNames dump files imported as gazetteer layers: the villages cities500 lacks.

``geomap gazetteer import UA.zip`` streams a GeoNames dump file (the
tab-separated format documented with the dump, 19 columns; a zip read
directly) and keeps the rows of the chosen feature classes (populated places
by default; those at or above a population). What it keeps is written, aside
and then renamed into place, to ``<data folder>/imports/<source>.tsv.gz``
with a provenance file beside it (``<source>.json``: the input files, their
SHA-256, the options and the counts); ``geomap gazetteer add places.csv``
writes a user's own places the same way. Every source is a layer of the next
gazetteer build, which streams its places into the file
(:func:`imported_places`), and its provenance is part of the gazetteer's
fingerprint, so importing or removing a source rebuilds the cache with or
without it. Importing the same source again replaces it.

A row's alternate names (column 4) pass the bundled layers' alias filter
(:func:`geomap.gazetteer.names.keep_alias`). With GeoNames' alternate names
files (alternateNamesV2.txt, or a country's from alternatenames/UA.zip)
the names of the kept places in English, Russian, Ukrainian or no stated
language (transliterations) are added too, through the same filter; links,
postal codes and airport codes are not (``<source>.names.tsv.gz``). A
malformed row stops the import with its file and line; nothing is written
then.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, NamedTuple

from .._io import atomic_output
from ..errors import InputError
from ..settings import data_dir
from .integrity import file_sha256
from .names import keep_alias, name_key
from .sources import read_lines

__all__ = [
    "FEATURE_KINDS",
    "USER_PRIOR_BONUS",
    "ImportReport",
    "ImportedLayer",
    "ImportedPlace",
    "add_user_places",
    "import_geonames",
    "imported_places",
    "imported_sources",
    "imports_dir",
    "remove_source",
]

#: Columns of a GeoNames dump row (geonameid, name, asciiname, alternatenames, latitude, longitude, feature
#: class, feature code, country code, cc2, admin1..4 codes, population, elevation, dem, timezone, date).
GEONAMES_COLUMNS = 19
#: The kind a GeoNames feature class becomes: populated places; administrative areas below the admin-1
#: units the bundled layers draw (as points); any other feature (water, spots, areas, terrain...).
FEATURE_KINDS = {"P": "populated_place", "A": "admin_area"}
OTHER_FEATURE_KIND = "feature"
#: Administrative feature codes already in the bundled layers (countries and admin-1 units, with shapes).
BUNDLED_ADMIN_CODES = frozenset({"PCLI", "PCLD", "PCLF", "PCLS", "PCLIX", "PCL", "TERR", "ADM1", "ADM1H"})
_SOURCE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_HEADER = ("geonameid", "name", "lat", "lon", "kind", "country_code", "admin1_code", "population", "aliases")
#: What a user's own place (geomap gazetteer add) weighs above a bundled one of the same size: more than
#: any bundled place's prior (a country of a billion people: about 11), so the user's place named "Alpha
#: City" is the Alpha City wherever it is named, whatever else bears the name.
USER_PRIOR_BONUS = 12.0
#: Languages of alternate names kept ("": none stated, which is how GeoNames marks transliterations).
ALTERNATE_LANGUAGES = frozenset({"", "en", "ru", "uk"})
#: Columns of an alternate names row: alternateNamesV2 has 10, the older alternateNames 8.
_ALTERNATE_COLUMNS = (8, 10)


def imports_dir() -> Path:
    """Where imported layers live: ``<data folder>/imports`` (see geomap.settings.data_dir)."""
    return data_dir() / "imports"


@dataclass
class ImportReport:
    """What one import read and kept."""

    source: str
    kind: str = "geonames"  # or "user": geomap gazetteer add
    files: list[dict[str, object]] = field(default_factory=list)
    alternate_name_files: list[dict[str, object]] = field(default_factory=list)
    feature_classes: list[str] = field(default_factory=list)
    min_population: int = 0
    rows: int = 0
    kept: int = 0
    aliases: int = 0
    seconds: float = 0.0
    imported_at: str = ""


def import_geonames(
    files: Sequence[str | os.PathLike[str]],
    *,
    source: str | None = None,
    feature_classes: Iterable[str] = ("P",),
    min_population: int = 0,
    folder: Path | None = None,
    progress: Callable[[int], None] | None = None,
    english: frozenset[str] | None = None,
    alternate_names: Sequence[str | os.PathLike[str]] = (),
) -> ImportReport:
    """Import GeoNames dump files (plain or zipped) as the layer ``source`` (default: the first file's
    name without suffixes, "UA" for UA.zip); returns what was read and kept. ``progress`` is called
    with the rows read so far, every 100,000 rows. ``english`` (lower-case words) is the alias
    filter's dictionary (default: the bundled one). ``alternate_names``: GeoNames alternate names
    files whose names of the kept places are added."""
    if not files:
        raise InputError("no GeoNames file given")
    paths = [Path(f) for f in files]
    alternates = [Path(f) for f in alternate_names]
    for path in [*paths, *alternates]:
        if not path.is_file():
            raise InputError(f"{str(path)!r} does not exist")
    name = _source_name(source, paths[0])
    classes = sorted({c.strip().upper() for c in feature_classes if c.strip()})
    if not classes or any(len(c) != 1 or not c.isalpha() for c in classes):
        raise InputError(f"feature classes are single letters (P, A, H, S, T, L, V, R, U): {classes}")
    words = english if english is not None else frozenset(read_lines("data/english_words.txt.gz"))
    target = folder or imports_dir()
    report = ImportReport(source=name, feature_classes=classes, min_population=min_population)
    started = time.perf_counter()
    kept = _Ids()  # the kept places' geonameids, for their alternate names
    with _gzipped_aside(target / f"{name}.tsv.gz") as out, _gzipped_aside(target / f"{name}.names.tsv.gz") as names:
        out.write("\t".join(_HEADER) + "\n")
        for path in paths:
            for lineno, line in _lines(path):
                report.rows += 1
                if progress is not None and report.rows % 100_000 == 0:
                    progress(report.rows)
                row = _kept_row(line, where=f"{path}:{lineno}", classes=classes, min_population=min_population)
                if row is None:
                    continue
                own = name_key(row[1])
                aliases = [
                    a for a in _unique(row[-1].split(",")) if keep_alias(a, own=row[1], own_key=own, english=words)
                ]
                if alternates:
                    kept.add(int(row[0]))
                report.kept += 1
                report.aliases += len(aliases)
                out.write("\t".join([*row[:-1], "|".join(aliases)]) + "\n")
            report.files.append(_provenance(path))
        for path in alternates:
            for lineno, line in _lines(path):
                found = _alternate_name(line, where=f"{path}:{lineno}", kept=kept)
                # a name the place has already (its own, an alias) is left out by the build
                if found is not None and keep_alias(found[1], own="", own_key="", english=words):
                    report.aliases += 1
                    names.write(f"{found[0]}\t{found[1]}\n")
            report.alternate_name_files.append(_provenance(path))
    return _recorded(report, target, started)


def add_user_places(
    file: str | os.PathLike[str],
    *,
    source: str | None = None,
    folder: Path | None = None,
    known_kinds: Iterable[str] | None = None,
) -> ImportReport:
    """A user's own places (a CSV with name, lat, lon and optionally kind, country, admin1, aliases, id,
    population) as the layer ``source`` (default: the file's name without suffix). They outrank the
    bundled places (USER_PRIOR_BONUS); their ids are ``user:<source>:<id>`` (id: the row's, else its line)."""
    import csv

    from .builder import KIND_PRIOR

    path = Path(file)
    if not path.is_file():
        raise InputError(f"{str(path)!r} does not exist")
    name = _source_name(source, path)
    kinds = set(known_kinds or KIND_PRIOR)
    target = folder or imports_dir()
    report = ImportReport(source=name, kind="user")
    started = time.perf_counter()
    with path.open(encoding="utf-8-sig", newline="") as handle, _gzipped_aside(target / f"{name}.tsv.gz") as out:
        reader = csv.DictReader(handle)
        missing = {"name", "lat", "lon"} - set(reader.fieldnames or ())
        if missing:
            raise InputError(f"{path}: a places file needs the columns name, lat, lon (missing: {sorted(missing)})")
        out.write("\t".join(("place_id", *_HEADER)) + "\n")
        for row in reader:
            where = f"{path}:{reader.line_num}"
            report.rows += 1
            place = (row.get("name") or "").strip()
            kind = (row.get("kind") or "").strip() or "populated_place"
            try:
                lat, lon = float(row["lat"]), float(row["lon"])
                population = int(row.get("population") or 0)
            except (TypeError, ValueError) as err:
                raise InputError(f"{where}: a place has a malformed number ({err})") from None
            if not place or not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise InputError(f"{where}: a place needs a name and a point on the globe")
            if kind not in kinds:
                raise InputError(f"{where}: kind {kind!r} is not one of {', '.join(sorted(kinds))}")
            country = (row.get("country") or "").strip().upper()
            admin1 = (row.get("admin1") or "").strip()
            admin1 = admin1.split(".", 1)[1] if country and admin1.upper().startswith(f"{country}.") else admin1
            admin1 = admin1 if country else ""  # a unit's code means something within its country
            ident = (row.get("id") or "").strip() or str(reader.line_num)
            aliases = [a.strip() for a in (row.get("aliases") or "").split("|") if a.strip()]
            cells = [f"user:{name}:{ident}", "", place, f"{lat:.5f}", f"{lon:.5f}", kind, country, admin1,
                     str(population), "|".join(aliases)]  # fmt: skip
            if any("\t" in cell or "\n" in cell for cell in cells):
                raise InputError(f"{where}: a place's fields hold a tab or a line break")
            report.kept += 1
            report.aliases += len(aliases)
            out.write("\t".join(cells) + "\n")
    report.files.append(_provenance(path))
    (target / f"{name}.names.tsv.gz").unlink(missing_ok=True)
    return _recorded(report, target, started)


def _source_name(source: str | None, first: Path) -> str:
    """The source's name: the one given, else the first file's without suffixes ("UA" for UA.zip)."""
    name = source or first.name.split(".")[0]
    if not _SOURCE_NAME.match(name):
        raise InputError(f"{name!r} is no source name: letters, digits, '.', '_' or '-', up to 64")
    return name


def _provenance(path: Path) -> dict[str, object]:
    return {"name": path.name, "bytes": path.stat().st_size, "sha256": file_sha256(path)}


def _recorded(report: ImportReport, folder: Path, started: float) -> ImportReport:
    """The report, timed and dated, written as the source's provenance file (last: it makes the source)."""
    report.seconds = round(time.perf_counter() - started, 2)
    report.imported_at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    with atomic_output(folder / f"{report.source}.json") as out:
        json.dump(asdict(report), out, indent=2)
    return report


def _kept_row(line: str, *, where: str, classes: Sequence[str], min_population: int) -> list[str] | None:
    """The columns geomap keeps of a dump row (aliases last, comma-separated), or None if it is not wanted."""
    cells = line.rstrip("\r\n").split("\t")
    if len(cells) != GEONAMES_COLUMNS:
        raise InputError(f"{where}: a GeoNames row has {GEONAMES_COLUMNS} tab-separated columns, this one {len(cells)}")
    feature_class, code = cells[6], cells[7]
    if feature_class not in classes or (feature_class == "A" and code in BUNDLED_ADMIN_CODES):
        return None
    try:
        geonameid = _geonameid(cells[0])
        lat, lon = float(cells[4]), float(cells[5])
        population = int(cells[14] or 0)
    except ValueError as err:
        raise InputError(f"{where}: a GeoNames row has a malformed number ({err})") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or not cells[1].strip():
        raise InputError(f"{where}: a GeoNames row has no name or a point off the globe")
    if feature_class == "P" and population < min_population:
        return None  # the floor is the populated places': a river or a hill has no population
    kind = FEATURE_KINDS.get(feature_class, OTHER_FEATURE_KIND)
    country = cells[8].strip()
    return [str(geonameid), cells[1].strip(), f"{lat:.5f}", f"{lon:.5f}", kind, country, cells[10], str(population),
            cells[3]]  # fmt: skip


def _alternate_name(line: str, *, where: str, kept: _Ids) -> tuple[int, str] | None:
    """(geonameid, name) of an alternate names row worth keeping: of a kept place, in a kept language."""
    cells = line.rstrip("\r\n").split("\t")
    if len(cells) not in _ALTERNATE_COLUMNS:
        raise InputError(f"{where}: an alternate names row has 10 (or 8) tab-separated columns, this one {len(cells)}")
    try:
        geonameid = int(cells[1])
    except ValueError:
        raise InputError(f"{where}: an alternate names row has a malformed geonameid ({cells[1]!r})") from None
    if geonameid not in kept or cells[2] not in ALTERNATE_LANGUAGES or not cells[3].strip():
        return None
    return geonameid, cells[3].strip()


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    """A dump file's lines, numbered; a zip's text member (the one named as the zip, else its only .txt)."""
    with _open_text(path) as handle:
        for lineno, line in enumerate(handle, start=1):
            if line.strip() and not line.startswith("#"):
                yield lineno, line


@contextmanager
def _open_text(path: Path) -> Iterator[IO[str]]:
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.namelist() if m.endswith(".txt") and not m.startswith("readme")]
            wanted = f"{path.stem}.txt"
            member = wanted if wanted in members else (members[0] if len(members) == 1 else None)
            if member is None:
                raise InputError(f"{path}: no GeoNames text file in the zip (looked for {wanted})")
            with archive.open(member) as raw:
                yield io.TextIOWrapper(raw, encoding="utf-8", newline="")
        return
    with path.open(encoding="utf-8", newline="") as handle:
        yield handle


@contextmanager
def _gzipped_aside(path: Path) -> Iterator[IO[str]]:
    """A gzipped text file written aside and renamed onto ``path`` when the block ends without error
    (level 1: level 9 took three times as long)."""
    with atomic_output(path, mode="wb") as raw, gzip.open(raw, "wt", encoding="utf-8", compresslevel=1) as out:
        yield out


def _geonameid(cell: str) -> int:
    number = int(cell)
    if number <= 0:
        raise ValueError(f"a geonameid is a positive number, not {cell!r}")
    return number


class _Ids:
    """A set of geonameids as a bitmap: all 13 million of allCountries in under 2 MB (a dict took over 1 GB)."""

    def __init__(self) -> None:
        self._bits = bytearray()

    def add(self, number: int) -> None:
        byte = number >> 3
        if byte >= len(self._bits):
            self._bits.extend(bytes(byte + 1 - len(self._bits) + len(self._bits) // 2))  # room to grow
        self._bits[byte] |= 1 << (number & 7)

    def __contains__(self, number: int) -> bool:
        byte = number >> 3
        return 0 <= byte < len(self._bits) and bool(self._bits[byte] & (1 << (number & 7)))


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))


def imported_sources(folder: Path | None = None) -> list[dict[str, object]]:
    """Each imported source's provenance (ImportReport's fields), by name."""
    target = folder or imports_dir()
    found = []
    for meta in sorted(target.glob("*.json")) if target.is_dir() else []:
        if (target / f"{meta.stem}.tsv.gz").is_file():
            found.append(json.loads(meta.read_text(encoding="utf-8")))
    return found


def remove_source(name: str, folder: Path | None = None) -> None:
    """Take an imported source out (the next gazetteer build leaves it out)."""
    target = folder or imports_dir()
    layer, meta = target / f"{name}.tsv.gz", target / f"{name}.json"
    if not layer.is_file():
        known = ", ".join(str(s["source"]) for s in imported_sources(target)) or "none"
        raise InputError(f"no imported source {name!r} (imported: {known})")
    meta.unlink(missing_ok=True)
    (target / f"{name}.names.tsv.gz").unlink(missing_ok=True)
    layer.unlink()


class ImportedPlace(NamedTuple):
    """A place of an imported layer, as Builder.add_place takes it, with its other names."""

    place_id: str
    name: str
    kind: str
    lat: float
    lon: float
    geonameid: int | None
    country_code: str | None
    admin1: str | None
    population: int
    prior_bonus: float
    aliases: list[str]


class ImportedLayer(NamedTuple):
    """An imported source as the build takes it: its places, then its alternate names file's names
    (place id, name), each read one at a time."""

    source: str
    places: Iterator[ImportedPlace]
    alternate_names: Iterator[tuple[str, str]]


def imported_places(folder: Path | None = None) -> Iterator[ImportedLayer]:
    """Each imported source, its places and alternate names streamed from its files."""
    target = folder or imports_dir()
    for meta in imported_sources(target):
        stem = target / str(meta["source"])
        yield ImportedLayer(str(meta["source"]), _places_of(stem, meta), _alternate_names_of(stem))


def _alternate_names_of(stem: Path) -> Iterator[tuple[str, str]]:
    names = Path(f"{stem}.names.tsv.gz")
    if not names.is_file():
        return
    with gzip.open(names, "rt", encoding="utf-8") as handle:
        for line in handle:
            number, name = line.rstrip("\n").split("\t")
            yield f"geonames:{number}", name


def _places_of(stem: Path, meta: dict[str, object]) -> Iterator[ImportedPlace]:
    """An imported source's places, read from its layer file."""
    bonus = USER_PRIOR_BONUS if meta.get("kind") == "user" else 0.0
    with gzip.open(f"{stem}.tsv.gz", "rt", encoding="utf-8") as handle:  # an error names the file
        header = next(handle).rstrip("\n").split("\t")
        for line in handle:
            row = dict(zip(header, line.rstrip("\n").split("\t"), strict=True))
            geonameid = int(row["geonameid"]) if row["geonameid"] else None
            place_id = row.get("place_id") or f"geonames:{geonameid}"  # a user's places have ids of their own
            country = row["country_code"] or None
            yield ImportedPlace(
                place_id=place_id,
                name=row["name"],
                kind=row["kind"],
                lat=float(row["lat"]),
                lon=float(row["lon"]),
                geonameid=geonameid,
                country_code=country,
                admin1=f"{country}.{row['admin1_code']}" if row["admin1_code"] and country else None,
                population=int(row["population"]),
                prior_bonus=bonus,
                aliases=row["aliases"].split("|") if row["aliases"] else [],
            )
