"""Build the SQLite gazetteer from the committed files in gazetteer/.

The build reads compact, committed sources (see gazetteer/SOURCES.md), checks
and orients every polygon, computes representative points and the composite
regions' shapes, and writes one SQLite file. It writes to a temporary file and
renames it into place, so a reader never sees a half-built database.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import os
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from importlib.abc import Traversable
from pathlib import Path
from typing import Any, TypeVar

import shapely
from shapely.geometry.base import BaseGeometry

from ..errors import GazetteerError
from .builder import Builder, PlaceRow, match_of, place_row, representative_point
from .imports import ImportedLayer, imported_places
from .integrity import write_integrity
from .layers import LAYERS, Layer
from .nameindex import NameRow, compile_name_index
from .names import name_key
from .sources import (
    GIVEN_NAMES_BLOB,
    SCHEMA_VERSION,
    SURNAMES_BLOB,
    TITLES_BLOB,
    WORDS_BLOB,
    data_fingerprint,
    source_root,
)

__all__ = ["LAYERS", "SCHEMA_VERSION", "build_gazetteer", "representative_point"]

log = logging.getLogger(__name__)
T = TypeVar("T")

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
-- Structures read whole, each with its SHA-256: the recogniser's name index (see nameindex.py) and the
-- English words, given names and titles before a name, one per line (a blob loads in milliseconds; a
-- table of 64,000 rows took 60 ms a process).
CREATE TABLE blobs (name TEXT PRIMARY KEY, data BLOB NOT NULL, sha256 TEXT NOT NULL);
"""

_INDEXES = """
CREATE INDEX places_geonameid ON places (geonameid);
CREATE INDEX places_lat ON places (lat);
CREATE INDEX places_admin ON places (country_code, admin1, kind);
"""


# --- the build -----------------------------------------------------------------


def build_gazetteer(
    path: str | os.PathLike[str],
    *,
    root: Traversable | None = None,
    progress: Callable[[str], None] | None = None,
    layers: Sequence[Layer] | None = None,
) -> Path:
    """Build the gazetteer database at ``path`` from the committed sources (or the tree at ``root``).

    ``layers`` run in order on a Builder (see :mod:`geomap.gazetteer.layers`;
    None: the bundled LAYERS, and then each imported source's places,
    geomap.gazetteer.imports, streamed into the file a few thousand at a
    time rather than held: millions of them fit); ``progress``
    is called with each layer's name as it starts. Returns the path. Raises
    :class:`GazetteerError` when a source is missing or broken.
    """
    path = Path(path)
    root = root or source_root()
    started = time.perf_counter()
    try:
        fingerprint = data_fingerprint(root)
        step = progress or (lambda _layer: None)
        b = Builder()
        for layer in LAYERS if layers is None else layers:
            step(layer.name)
            layer.add(b, root)
    except GazetteerError:
        raise
    except (OSError, KeyError, ValueError) as err:
        msg = f"cannot read the gazetteer sources in {str(root)!r}: {err}"
        raise GazetteerError(msg) from err

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        streamed = imported_places() if layers is None else iter(())
        _write(Path(tmp), b, fingerprint=fingerprint, started=started, streamed=streamed, step=step)
        os.replace(tmp, path)
        write_integrity(path)  # so that opening it can tell whether its bytes changed since
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    log.info("built gazetteer %s in %.1f s", path, time.perf_counter() - started)
    return path


def _write(
    path: Path,
    b: Builder,
    *,
    fingerprint: str,
    started: float,
    streamed: Iterator[ImportedLayer],
    step: Callable[[str], None],
) -> None:
    con = sqlite3.connect(path)
    try:
        con.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;")
        con.executescript(_SCHEMA)
        con.executemany(f"INSERT INTO places VALUES ({','.join('?' * len(PlaceRow._fields))})", b.places.values())
        con.executemany(f"INSERT INTO names VALUES ({','.join('?' * 16)})", _name_rows(b))
        con.executemany("INSERT INTO shapes VALUES (?,?,?,?,?,?)", _shape_rows(b.shapes))
        for layer in streamed:
            step(f"import {layer.source}")
            _insert_imported(con, b, layer)
        con.executescript(_INDEXES)
        names = con.execute(f"SELECT {', '.join(NameRow._fields)} FROM names ORDER BY key")
        blobs = {
            **compile_name_index(names),
            WORDS_BLOB: "\n".join(sorted(b.words)).encode("utf-8"),
            GIVEN_NAMES_BLOB: "\n".join(sorted(b.given_names)).encode("utf-8"),
            SURNAMES_BLOB: "\n".join(sorted(b.surnames)).encode("utf-8"),
            TITLES_BLOB: "\n".join(sorted(b.titles)).encode("utf-8"),
        }
        rows = ((k, v, hashlib.sha256(v).hexdigest()) for k, v in blobs.items())
        con.executemany("INSERT INTO blobs VALUES (?,?,?)", rows)
        counts = dict(con.execute("SELECT kind, count(*) FROM places GROUP BY kind").fetchall())
        meta = {
            "schema_version": str(SCHEMA_VERSION),
            "fingerprint": fingerprint,
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "build_seconds": f"{time.perf_counter() - started:.1f}",
            "places": str(con.execute("SELECT count(*) FROM places").fetchone()[0]),
            "names": str(con.execute("SELECT count(*) FROM names").fetchone()[0]),
            **{f"kind.{kind}": str(n) for kind, n in counts.items()},
            "complete": "1",  # written last: a file without it is not a gazetteer
        }
        con.executemany("INSERT INTO meta VALUES (?,?)", meta.items())
        con.commit()
        con.execute("VACUUM")
    finally:
        con.close()


def _name_rows(b: Builder) -> Iterator[tuple[Any, ...]]:
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
        yield _name_row(key, match, name, is_word, seq, b.places[place_id])


def _name_row(key: str, match: str, name: str, is_word: int, seq: int, p: PlaceRow) -> tuple[Any, ...]:
    """A row of the names table: the name, then its place's columns copied in."""
    return (
        *(key, p.place_id, match, name, is_word, seq),
        *(p.name, p.kind, p.lat, p.lon, p.geonameid, p.country_code, p.admin1, p.population, p.has_shape, p.prior),
    )


# Imported places written at a time: bounds what the build holds of them.
IMPORT_BATCH = 20_000


def _insert_imported(con: sqlite3.Connection, b: Builder, layer: ImportedLayer) -> None:
    """An imported source's places and names, inserted a batch at a time; a place the bundled layers or an
    earlier source have already is left as it is (with its names). Then the names of its alternate names
    file, each joined in SQL to its place, if the place is this source's and has no name of that key yet."""
    seq = len(b.names)  # the order names were added in: after every bundled one
    place_sql = f"INSERT INTO places VALUES ({','.join('?' * len(PlaceRow._fields))})"
    name_sql = f"INSERT OR IGNORE INTO names VALUES ({','.join('?' * 16)})"
    con.execute("CREATE TEMP TABLE source_places (place_id TEXT PRIMARY KEY) WITHOUT ROWID")
    for batch in _batches(layer.places, IMPORT_BATCH):
        ids = list(dict.fromkeys(p.place_id for p in batch))
        known: set[str] = set()
        for start in range(0, len(ids), 900):  # SQLite's bound on parameters
            chunk = ids[start : start + 900]
            found = con.execute(f"SELECT place_id FROM places WHERE place_id IN ({','.join('?' * len(chunk))})", chunk)
            known.update(row[0] for row in found)
        rows, names = [], []
        for p in batch:
            if p.place_id in known:
                continue
            known.add(p.place_id)
            r = place_row(p.place_id, name=p.name, kind=p.kind, point=(p.lat, p.lon), geonameid=p.geonameid,
                          country_code=p.country_code, admin1=p.admin1, population=p.population,
                          prior_bonus=p.prior_bonus)  # fmt: skip
            rows.append(r)
            for name, match in ((p.name, "name"), *((a, "alias") for a in p.aliases)):
                key = name_key(name)
                if key:
                    seq += 1
                    names.append(_name_row(key, match_of(name, match), name, int(key in b.words), seq, r))
        con.executemany(place_sql, rows)
        con.executemany("INSERT INTO temp.source_places VALUES (?)", ((r.place_id,) for r in rows))
        con.executemany(name_sql, names)
    for pairs in _batches(layer.alternate_names, IMPORT_BATCH):
        params = []
        for place_id, name in pairs:
            key = name_key(name)
            if key:
                seq += 1
                params.append((key, match_of(name, "alias"), name, int(key in b.words), seq, place_id, key))
        con.executemany(_ALTERNATE_NAME_SQL, params)
    con.execute("DROP TABLE temp.source_places")


# An alternate name's row: its place's columns copied in, as _name_row does, for a place of the source
# being imported that has no name of this key yet (its own name again, an alias of another spelling).
_ALTERNATE_NAME_SQL = """
INSERT OR IGNORE INTO names
SELECT ?1, p.place_id, ?2, ?3, ?4, ?5, p.name, p.kind, p.lat, p.lon, p.geonameid, p.country_code, p.admin1,
       p.population, p.has_shape, p.prior
FROM places AS p JOIN temp.source_places USING (place_id)
WHERE p.place_id = ?6 AND NOT EXISTS (SELECT 1 FROM names AS n WHERE n.key = ?7 AND n.place_id = ?6)
"""


def _batches(items: Iterator[T], size: int) -> Iterator[list[T]]:
    """Lists of ``size`` items (the last may be shorter): itertools.batched, which needs Python 3.12."""
    while batch := list(itertools.islice(items, size)):
        yield batch


def _shape_rows(shapes: dict[str, BaseGeometry]) -> Iterator[tuple[Any, ...]]:
    for place_id, geometry in shapes.items():
        minx, miny, maxx, maxy = geometry.bounds
        yield place_id, shapely.to_wkb(geometry), minx, miny, maxx, maxy
