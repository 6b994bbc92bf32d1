"""Query the SQLite gazetteer: by name, by id, by point.

The gazetteer's public query API (Gazetteer) and the SQL it owns: nothing
outside geomap/gazetteer touches SQL (a test holds that). Why some 450 lines:
the one class, its row records and its damage handling belong together.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import math
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, fields
from functools import cached_property, lru_cache
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from ..errors import GazetteerError
from ..geo import distance_km
from ..models import Candidate, Place
from ..settings import cache_dir
from ..text import split_designator
from .integrity import file_sha256, integrity_path, read_integrity, unchanged_since_recorded, write_integrity
from .nameindex import BLOB_NAMES, NameIndex, NameRow
from .names import name_key
from .sources import (
    GIVEN_NAMES_BLOB,
    SCHEMA_VERSION,
    SURNAMES_BLOB,
    TITLES_BLOB,
    WORDS_BLOB,
    bundled_fingerprint,
    with_imports,
)

if TYPE_CHECKING:  # shapely loads on first use of a polygon: a name lookup does not need it
    import shapely
    from shapely.geometry.base import BaseGeometry

__all__ = ["CandidateRow", "Gazetteer", "NameRow", "ReverseResult", "default_gazetteer_path", "open_gazetteer"]

log = logging.getLogger(__name__)

# Added to a candidate's prior by how the name matched it: a place's own name
# beats an alias it shares with another place, and a demonym is the weakest.
MATCH_BONUS = {"name": 0.5, "alias": 0.0, "abbreviation": 0.0, "demonym": -0.3}
# A name with an explicit designator ("Kursk region") goes to the admin unit.
DESIGNATOR_BONUS = 3.0
# Address space SQLite may map the gazetteer file into (more than its size).
MMAP_BYTES = 1 << 30
# How far (degrees) a place may lie outside its admin-1 polygon and still be in it: coastlines are
# simplified, a harbour town's point may fall just outside.
UNIT_SLACK_DEGREES = 0.25
# Reverse geocoding reports the nearest populated place within this distance.
NEAREST_PLACE_KM = 50.0

# Place's fields, as the places table names them: a SELECT of these reads straight into Place(*row).
_PLACE_FIELDS = tuple(f.name for f in fields(Place))
_PLACE_COLUMNS = ", ".join(_PLACE_FIELDS)


class CandidateRow(NamedTuple):
    """What a name lookup reads from the names table: the place's columns (in Place's order, its name
    as place_name), then the name that matched, how, the place's prior and the name's order of addition.

    On the lookup path rows stay plain tuples, read at these fields' positions (_MATCH...): a named
    tuple made per row costs a fifth of a lookup; Place and Candidate objects come out.
    """

    place_id: str
    place_name: str
    kind: str
    lat: float
    lon: float
    geonameid: int | None
    country_code: str | None
    admin1: str | None
    population: int | None
    has_shape: int
    name: str
    match: str
    prior: float
    seq: int


_PLACE_ID, _KIND, _NAME, _MATCH, _PRIOR, _SEQ = map(
    CandidateRow._fields.index, ("place_id", "kind", "name", "match", "prior", "seq")
)
_PLACE_PART = slice(0, CandidateRow._fields.index("has_shape"))  # Place's fields but has_shape
_CANDIDATES_SQL = f"SELECT {', '.join(CandidateRow._fields)} FROM names WHERE key = ?"


@dataclass(frozen=True, slots=True)
class ReverseResult:
    """What lies at a point: the nearest populated place and the units containing it."""

    place: Place | None
    admin1: Place | None
    country: Place | None
    distance_km: float | None


def _place(row: Sequence[Any]) -> Place:
    """A Place from a places row or a CandidateRow (both start with Place's fields, in order)."""
    return Place(*row[_PLACE_PART], bool(row[_PLACE_PART.stop]))  # type: ignore[call-arg]  # has_shape, last


def _damaged(path: Path, err: sqlite3.Error) -> GazetteerError:
    msg = f"the gazetteer {str(path)!r} is damaged ({err}); rebuild it: geomap gazetteer build --force"
    return GazetteerError(msg)


class _Cursor(sqlite3.Cursor):
    """A cursor whose database errors say the gazetteer file is damaged and how to rebuild it.

    A read-only gazetteer built by geomap fails a query only when its file was
    changed under it (bytes overwritten, a truncated copy); a mistake in our
    SQL (sqlite3.ProgrammingError) stays what it is.
    """

    def execute(self, sql: str, parameters: Any = (), /) -> _Cursor:
        return self._guarded(super().execute, sql, parameters)

    def __next__(self) -> Any:
        return self._guarded(super().__next__)

    def fetchone(self) -> Any:
        return self._guarded(super().fetchone)

    def fetchall(self) -> list[Any]:
        return self._guarded(super().fetchall)

    def _guarded(self, method: Callable[..., Any], *args: Any) -> Any:
        # a plain call in a try: a context manager per row cost a third of a lookup's time
        try:
            return method(*args)
        except sqlite3.ProgrammingError:
            raise
        except sqlite3.DatabaseError as err:
            raise _damaged(cast(_Connection, self.connection).gazetteer_path, err) from err


class _Connection(sqlite3.Connection):
    gazetteer_path: Path

    def execute(self, sql: str, parameters: Any = (), /) -> _Cursor:
        return self.cursor(_Cursor).execute(sql, parameters)


class Gazetteer:
    """A read-only gazetteer database.

    Open one with :func:`open_gazetteer`, which builds the cache on first use
    and rebuilds it when it finds it damaged. A query on a file damaged
    unnoticed raises :class:`GazetteerError` saying how to rebuild it.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._inherited: list[sqlite3.Connection] = []
        try:
            self._con = self._connect()
            meta = dict(self._con.execute("SELECT key, value FROM meta").fetchall())
        except (sqlite3.Error, GazetteerError) as err:
            msg = f"{str(self.path)!r} is not a readable gazetteer: {err}"
            raise GazetteerError(msg) from err
        if meta.get("complete") != "1" or meta.get("schema_version") != str(SCHEMA_VERSION):
            msg = f"{str(self.path)!r} is an incomplete or outdated gazetteer; rebuild it"
            raise GazetteerError(msg)
        self.meta = meta

    def _connect(self) -> _Connection:
        con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False, factory=_Connection)
        con.gazetteer_path = self.path
        # read-only: map the file instead of copying pages into SQLite's small cache (lookups jump about)
        con.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
        return con

    def reopen(self) -> None:
        """Open a connection of this process's own, keeping everything loaded (the name index, the words).

        What a worker process forked from the one that opened the gazetteer calls first: an SQLite
        connection must not be used across a fork. The inherited one is left alone, not closed: closing
        it here could drop the parent's file locks.
        """
        self._inherited.append(self._con)
        self._con = self._connect()

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> Gazetteer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- by name --------------------------------------------------------------

    def lookup(self, name: str, *, kinds: Iterable[str] | None = None, limit: int | None = 20) -> list[Candidate]:
        """Every place ``name`` can refer to, best prior first.

        Matching is on the folded key (case, diacritics and punctuation
        ignored). A trailing or leading designator ("Kursk region", "state of
        Texas") also finds the admin unit of the bare name and ranks it first:
        ``lookup("Kursk region")[0].place`` is Kursk Oblast, not the city, and
        "Ohio County" is the county (the designator's first layer), not the
        state. Where no unit has the bare name, the bare name is looked up:
        "Nenagh district" is Nenagh.
        """
        key = name_key(name)
        best = self._rows(key, bonus=0.0)
        split = split_designator(key)
        if split:
            # the designator's first layer is what it names ("Ohio County": a county, not the state);
            # its others are admitted at their plain prior ("Kerry County": Kerry, Ireland's county)
            base, layers = split
            for place_id, (prior, row) in self._rows(base, bonus=0.0, layers=layers).items():
                if row[_KIND] == layers[0]:
                    prior = round(prior + DESIGNATOR_BONUS, 4)
                current = best.get(place_id)
                if current is None or prior > current[0]:
                    best[place_id] = (prior, row)
            if not best:  # no unit of that name: "Nenagh district" is the country around the town
                best = self._rows(base, bonus=0.0)
        ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[0]))
        if kinds:
            allowed = set(kinds)
            ranked = [(place_id, (prior, row)) for place_id, (prior, row) in ranked if row[_KIND] in allowed]
        if limit:
            ranked = ranked[:limit]
        # Place and Candidate objects only for what is returned: a common name has over a hundred rows
        return [
            Candidate(place=_place(row), matched=row[_NAME], match=row[_MATCH], prior=prior)
            for _, (prior, row) in ranked
        ]

    def _rows(
        self, key: str, *, bonus: float, layers: Sequence[str] | None = None
    ) -> dict[str, tuple[float, tuple[Any, ...]]]:
        """place_id -> (prior, row) for the places a key names; a place's best-matching name wins,
        the first added of equals ("US" before "U.S." for the United States)."""
        if not key:
            return {}
        sql = _CANDIDATES_SQL
        params: list[Any] = [key]
        if layers:
            sql += f" AND kind IN ({','.join('?' * len(layers))})"
            params += list(layers)
        best: dict[str, tuple[float, tuple[Any, ...]]] = {}
        for row in self._con.execute(sql, params):
            prior = round(row[_PRIOR] + MATCH_BONUS[row[_MATCH]] + bonus, 4)
            current = best.get(row[_PLACE_ID])
            if current is None or prior > current[0] or (prior == current[0] and row[_SEQ] < current[1][_SEQ]):
                best[row[_PLACE_ID]] = (prior, row)
        return best

    def names_for(self, place_id: str) -> list[tuple[str, str]]:
        """The (name, match) pairs a place is known by."""
        rows = self._con.execute("SELECT name, match FROM names WHERE place_id = ? ORDER BY seq", (place_id,))
        return rows.fetchall()

    def name_rows(self) -> Iterator[tuple[Any, ...]]:
        """Every name, in folded-key order, as plain tuples with NameRow's fields (the recogniser's index).

        A plain cursor underneath: half a million rows iterate in C; a failure says the file is damaged.
        """
        cursor = self._con.cursor().execute(f"SELECT {', '.join(NameRow._fields)} FROM names ORDER BY key")
        try:
            yield from cursor
        except sqlite3.DatabaseError as err:
            raise _damaged(self.path, err) from err

    @cached_property
    def name_index(self) -> NameIndex:
        """The recogniser's name index, compiled at the build (see nameindex.py): loaded once, in milliseconds.

        A trie read from damaged bytes could answer wrongly, or worse: see _blobs.
        """
        blobs = self._blobs(BLOB_NAMES)
        try:
            return NameIndex(blobs)
        except (KeyError, ValueError, RuntimeError) as err:  # a blob missing or unreadable
            raise _damaged(self.path, sqlite3.DatabaseError(f"its name index cannot be read: {err!r}")) from err

    def _blobs(self, names: Sequence[str]) -> dict[str, bytes]:
        """The blobs of these names that the file holds, each checked against its SHA-256 first."""
        sql = f"SELECT name, data, sha256 FROM blobs WHERE name IN ({','.join('?' * len(names))})"
        blobs = {}
        for name, data, digest in self._con.execute(sql, list(names)):
            if hashlib.sha256(data).hexdigest() != digest:
                raise _damaged(self.path, sqlite3.DatabaseError(f"its {name} bytes do not match their SHA-256"))
            blobs[name] = data
        return blobs

    def places(self, *, kinds: Iterable[str], min_population: int = 0) -> list[Place]:
        """The places of these kinds with at least ``min_population`` people (0: all), in the order built."""
        wanted = list(kinds)
        sql = (
            f"SELECT {_PLACE_COLUMNS} FROM places WHERE kind IN ({','.join('?' * len(wanted))}) "
            "AND coalesce(population, 0) >= ? ORDER BY rowid"
        )
        return [_place(row) for row in self._con.execute(sql, [*wanted, min_population]).fetchall()]

    def shapes(self, *, kinds: Iterable[str] | None = None) -> Iterator[tuple[Place, BaseGeometry]]:
        """Places with a polygon, and the polygon, by name (of these kinds; all when None)."""
        import shapely  # on first use of a polygon

        columns = ", ".join(f"p.{name}" for name in _PLACE_FIELDS)
        sql = f"SELECT {columns}, s.wkb FROM shapes s JOIN places p USING (place_id)"
        wanted = list(kinds) if kinds is not None else []
        if kinds is not None:
            sql += f" WHERE p.kind IN ({','.join('?' * len(wanted))})"
        for row in self._con.execute(sql + " ORDER BY p.name, p.place_id", wanted).fetchall():
            yield _place(row), shapely.from_wkb(row[-1])

    @cached_property
    def words(self) -> frozenset[str]:
        """The lower-case English dictionary words, loaded once."""
        return self._lines(WORDS_BLOB)

    @cached_property
    def given_names(self) -> frozenset[str]:
        """Given names ("tom", "jose", "daria") as name keys, loaded once."""
        return self._lines(GIVEN_NAMES_BLOB)

    @cached_property
    def surnames(self) -> frozenset[str]:
        """Surnames ("smith", "jordan", "nowak") as name keys, loaded once."""
        return self._lines(SURNAMES_BLOB)

    @cached_property
    def person_titles(self) -> frozenset[str]:
        """Titles and honorifics before a person's name ("ambassador", "sheikh"), lower case, loaded once."""
        return self._lines(TITLES_BLOB)

    def _lines(self, blob: str) -> frozenset[str]:
        found = self._blobs([blob]).get(blob)
        if found is None:
            raise _damaged(self.path, sqlite3.DatabaseError(f"its {blob.replace('_', ' ')} are missing"))
        return frozenset(found.decode("utf-8").split("\n"))

    def is_word(self, word: str) -> bool:
        """True when ``word`` is a lower-case English dictionary word ("march", "many")."""
        return word.casefold() in self.words

    # --- by id ----------------------------------------------------------------

    def get(self, place_id: str) -> Place | None:
        row = self._con.execute(f"SELECT {_PLACE_COLUMNS} FROM places WHERE place_id = ?", (place_id,)).fetchone()
        return _place(row) if row else None

    def by_geonameid(self, geonameid: int) -> Place | None:
        row = self._con.execute(
            f"SELECT {_PLACE_COLUMNS} FROM places WHERE geonameid = ? ORDER BY prior DESC", (geonameid,)
        ).fetchone()
        return _place(row) if row else None

    def admin1_unit(self, place: Place) -> Place | None:
        """The admin-1 unit a place lies in, found by its GeoNames code ("RU.41").

        GeoNames and Natural Earth code some countries' units differently (France: regions against
        departments, so Paris's "FR.11" is the code of Aude): a unit whose polygon is more than
        UNIT_SLACK_DEGREES from the place is no answer.
        """
        import shapely  # on first use of a polygon

        if not (place.country_code and place.admin1):
            return None
        row = self._con.execute(
            f"SELECT {_PLACE_COLUMNS} FROM places WHERE country_code = ? AND admin1 = ? AND kind = 'admin1'",
            (place.country_code, place.admin1),
        ).fetchone()
        if row is None:
            return None
        unit = _place(row)
        shape = self.geometry(unit.place_id)
        if shape is not None and not shapely.dwithin(shape, shapely.Point(place.lon, place.lat), UNIT_SLACK_DEGREES):
            return None
        return unit

    def country(self, country_code: str) -> Place | None:
        row = self._con.execute(
            f"SELECT {_PLACE_COLUMNS} FROM places WHERE country_code = ? AND kind = 'country'", (country_code,)
        ).fetchone()
        return _place(row) if row else None

    def geometry(self, place_id: str) -> BaseGeometry | None:
        """The place's polygon (valid, exterior rings counter-clockwise), if it has one."""
        import shapely  # on first use of a polygon

        row = self._con.execute("SELECT wkb FROM shapes WHERE place_id = ?", (place_id,)).fetchone()
        return shapely.from_wkb(row[0]) if row else None

    # --- by point -------------------------------------------------------------

    @cached_property
    def _containers(self) -> tuple[shapely.STRtree, list[str], list[str], list[BaseGeometry]]:
        import shapely  # on first use of a polygon

        rows = self._con.execute(
            "SELECT s.place_id, p.kind, s.wkb FROM shapes s JOIN places p USING (place_id) "
            "WHERE p.kind IN ('country', 'admin1') ORDER BY s.place_id"
        ).fetchall()
        ids = [r[0] for r in rows]
        kinds = [r[1] for r in rows]
        geoms = list(shapely.from_wkb([r[2] for r in rows]))
        return shapely.STRtree(geoms), ids, kinds, geoms

    def reverse(self, lat: float, lon: float) -> ReverseResult:
        """The admin-1 unit and country containing the point, and the nearest place."""
        import shapely  # on first use of a polygon

        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            msg = f"({lat!r}, {lon!r}) is not a latitude/longitude pair"
            raise ValueError(msg)
        tree, ids, kinds, _ = self._containers
        point = shapely.Point(lon, lat)
        found: dict[str, Place | None] = {"admin1": None, "country": None}
        for index in tree.query(point, predicate="intersects"):
            kind = kinds[index]
            if found[kind] is None:
                found[kind] = self.get(ids[index])
        place, distance = self._nearest_place(lat, lon)
        unit = found["admin1"]
        if found["country"] is None and unit is not None and unit.country_code:
            found["country"] = self.country(unit.country_code)  # a coast the country's simpler outline misses
        return ReverseResult(place=place, admin1=found["admin1"], country=found["country"], distance_km=distance)

    def places_near(self, lat: float, lon: float, *, km: float) -> list[tuple[Place, float]]:
        """Populated places within ``km`` of the point, nearest first, with their distance."""
        dlat = km / 111.0
        dlon = dlat / max(math.cos(math.radians(lat)), 0.01)
        rows = self._con.execute(
            f"SELECT {_PLACE_COLUMNS} FROM places WHERE kind = 'populated_place' "
            "AND lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?",
            (lat - dlat, lat + dlat, lon - dlon, lon + dlon),
        ).fetchall()
        near = [(place, distance_km(lat, lon, place.lat, place.lon)) for place in map(_place, rows)]
        return sorted(((p, d) for p, d in near if d <= km), key=lambda found: found[1])

    def _nearest_place(self, lat: float, lon: float) -> tuple[Place | None, float | None]:
        near = self.places_near(lat, lon, km=NEAREST_PLACE_KM)
        return (near[0][0], round(near[0][1], 3)) if near else (None, None)

    def info(self) -> dict[str, str]:
        """Build metadata: counts per layer, source fingerprint, build time."""
        return {"path": str(self.path), **self.meta}

    def verify(self) -> bool:
        """Whether the file is byte for byte what the build wrote (its SHA-256, about 0.1 s).

        A file from before geomap recorded the hash gets SQLite's quick_check
        instead, and its hash recorded when that passes.
        """
        recorded = read_integrity(self.path)
        if recorded is None:
            try:
                healthy = self._con.execute("PRAGMA quick_check").fetchone()[0] == "ok"
            except GazetteerError:
                return False
            if healthy:
                with contextlib.suppress(OSError):
                    write_integrity(self.path)
            return healthy
        digest = file_sha256(self.path)
        if digest != recorded["sha256"]:
            return False
        if not unchanged_since_recorded(self.path, recorded):
            with contextlib.suppress(OSError):
                write_integrity(self.path, sha256=digest)  # the same bytes with a new date (a copy): remember it
        return True


@lru_cache(maxsize=1)
def _installed_fingerprint() -> str:
    # the installed data do not change while a process runs: hash them once (the imports may change)
    return bundled_fingerprint()


def default_gazetteer_path() -> Path:
    """Where the gazetteer built from this installation's data and the user's imported layers lives."""
    return cache_dir() / f"gazetteer-v{SCHEMA_VERSION}-{with_imports(_installed_fingerprint())}.sqlite"


def open_gazetteer(
    path: str | Path | None = None,
    *,
    rebuild: bool = False,
    verify: bool = False,
    progress: Callable[[str], None] | None = None,
    root: Traversable | None = None,
) -> Gazetteer:
    """Open the gazetteer, building it first when it is missing, stale or damaged.

    With no ``path``, the cache in :func:`geomap.settings.cache_dir` named by
    the data's fingerprint is used, and older caches there are removed after a
    build. A file whose size or date differs from the build's record is checked
    against the SHA-256 recorded at the build (``verify=True`` always checks)
    and rebuilt when it does not match. ``progress`` and ``root`` (the source
    tree) are passed to :func:`build_gazetteer`.
    """
    target = Path(path) if path else default_gazetteer_path()
    if target.exists() and not rebuild:
        try:
            gazetteer = Gazetteer(target)
        except GazetteerError as err:
            log.warning("%s; rebuilding it", err)
        else:
            recorded = read_integrity(target)
            as_built = recorded is not None and unchanged_since_recorded(target, recorded)
            if (as_built and not verify) or gazetteer.verify():  # the cheap check, else the hash
                return gazetteer
            gazetteer.close()
            log.warning("the gazetteer %s is damaged (its bytes changed since the build); rebuilding it", target)
    elif not target.exists():
        log.info("building the gazetteer at %s (first use)", target)
    from .build import build_gazetteer  # shapely and the build's code load only when it runs

    build_gazetteer(target, progress=progress, root=root)
    if path is None:
        for stale in target.parent.glob("gazetteer-*.sqlite*"):
            if stale not in (target, integrity_path(target)):
                stale.unlink(missing_ok=True)
    return Gazetteer(target)
