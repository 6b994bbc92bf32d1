"""Shared fixtures: the real gazetteer (built once per run), a tiny one, no network."""

from __future__ import annotations

import csv
import gzip
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from geomap.gazetteer import Gazetteer, build_gazetteer, open_gazetteer

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests_support
SEEDS = REPO / "seeds"
#: The evaluation data beside the checkout (GeoWebNews and its reference scorer); not part of the project.
SHARED_EVAL = REPO.parent / "shared" / "eval"


_LOOPBACK = {"127.0.0.1", "::1", "localhost"}


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any test that opens an internet socket: geomap is offline by design."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> object:
        # local sockets are fine: the browser tests talk to chromedriver on loopback
        if self.family == socket.AF_UNIX or (isinstance(address, tuple) and address[0] in _LOOPBACK):
            return real_connect(self, address)
        msg = f"test tried to reach the network: {address!r}"
        raise AssertionError(msg)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder the real gazetteer is built into, once per test run.

    GEOMAP_TEST_CACHE_DIR reuses a folder across runs while developing.
    """
    configured = os.environ.get("GEOMAP_TEST_CACHE_DIR")
    return Path(configured) if configured else tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty data folder: no layer the user imported reaches the tests' gazetteer."""
    return tmp_path_factory.mktemp("data")


@pytest.fixture(scope="session")
def gazetteer(cache_dir: Path, data_dir: Path) -> Gazetteer:
    """The full gazetteer, built from the committed data exactly as users get it."""
    os.environ["GEOMAP_CACHE_DIR"] = str(cache_dir)
    os.environ["GEOMAP_DATA_DIR"] = str(data_dir)
    return open_gazetteer()


@pytest.fixture(autouse=True)
def _cache_env(monkeypatch: pytest.MonkeyPatch, cache_dir: Path, data_dir: Path) -> None:
    monkeypatch.setenv("GEOMAP_CACHE_DIR", str(cache_dir))
    monkeypatch.setenv("GEOMAP_DATA_DIR", str(data_dir))


# --- a tiny gazetteer, for fast unit tests of the build and the queries --------


def _box(minx: float, miny: float, maxx: float, maxy: float) -> dict:
    # clockwise on purpose: the build must orient exterior rings counter-clockwise
    ring = [[minx, miny], [minx, maxy], [maxx, maxy], [maxx, miny], [minx, miny]]
    return {"type": "Polygon", "coordinates": [ring]}


def _write_jsonl(path: Path, records: list[dict]) -> None:
    with gzip.open(path, "wt", encoding="utf-8") as f:
        for record in records:
            f.write(json.dumps(record) + "\n")


def _write_lines(path: Path, lines: list[str]) -> None:
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write("".join(line + "\n" for line in lines))


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)


def make_tiny_sources(root: Path) -> Path:
    """Write a miniature gazetteer source tree: two countries, three units, four places."""
    (root / "data").mkdir(parents=True)
    (root / "curated").mkdir()
    _write_jsonl(
        root / "data/countries.jsonl.gz",
        [
            {
                "geonameid": 1,
                "iso2": "AA",
                "iso3": "AAA",
                "name": "Alphaland",
                "aliases": ["AL", "A.L."],
                "demonyms": ["Alphan", "Alphans"],
                "continent": "EU",
                "capital": "Alpha City",
                "population": 5_000_000,
                "area_km2": 1,
                "point": [5.0, 5.0],
                "geometry": _box(0, 0, 10, 10),
            },
            {
                "geonameid": 2,
                "iso2": "BB",
                "iso3": "BBB",
                "name": "Betania",
                "aliases": [],
                "demonyms": ["Betanian"],
                "continent": "EU",
                "capital": None,
                "population": 1_000_000,
                "area_km2": 1,
                "point": None,
                "geometry": _box(10, 0, 20, 10),
            },
        ],
    )
    _write_jsonl(
        root / "data/continents.jsonl.gz",
        [{"code": "EU", "geonameid": 9, "name": "Europe", "lat": 50.0, "lon": 10.0, "population": 700_000_000}],
    )
    _write_jsonl(
        root / "data/admin1.jsonl.gz",
        [
            {
                "geonameid": 11,
                "ne_code": "AAA-1",
                "code": "AA.01",
                "iso2": "AA",
                "name": "North Alpha",
                "aliases": ["Severnaya"],
                "abbreviations": ["N.A."],
                "type": "Region",
                "region": "Upper",
                "region_sub": None,
                "geonunit": "Alphaland",
                "geometry": _box(0, 5, 10, 10),
            },
            {
                "geonameid": 12,
                "ne_code": "AAA-2",
                "code": "AA.02",
                "iso2": "AA",
                "name": "South Alpha",
                "aliases": [],
                "abbreviations": [],
                "type": "Region",
                "region": "Lower",
                "region_sub": None,
                "geonunit": "Alphaland",
                "geometry": _box(0, 0, 10, 5),
            },
            {
                "geonameid": None,
                "ne_code": "BBB-1",
                "code": None,
                "iso2": "BB",
                "name": "Betania Proper",
                "aliases": [],
                "abbreviations": [],
                "type": "Region",
                "region": None,
                "region_sub": None,
                "geonunit": "Betania",
                "geometry": _box(10, 0, 20, 10),
            },
        ],
    )
    _write_jsonl(
        root / "data/us_counties.jsonl.gz",
        [
            {
                "fips": "99001",
                "state": "ZZ",
                "name": "Test County",
                "short_name": "Test",
                "geometry": _box(-100, 30, -99, 31),
            }
        ],
    )
    places = [
        ["geonameid", "name", "lat", "lon", "country_code", "admin1_code", "population", "aliases"],
        ["101", "Alpha City", "7.5", "5.0", "AA", "01", "900000", "Alfa|Alpha Town"],
        ["102", "Southport", "2.0", "2.0", "AA", "02", "50000", ""],
        ["103", "March", "3.0", "3.0", "AA", "02", "2000", ""],
        ["104", "Alpha City", "5.0", "15.0", "BB", "", "1000", ""],
    ]
    _write_lines(root / "data/places.tsv.gz", ["\t".join(row) for row in places])
    _write_lines(root / "data/english_words.txt.gz", ["many", "march", "minister", "on"])
    _write_lines(root / "data/given_names.txt.gz", ["anna", "tom"])
    _write_lines(root / "data/surnames.txt.gz", ["smith"])
    _write_lines(root / "data/person_titles.txt.gz", ["ambassador", "judge"])
    _write_csv(
        root / "curated/regions.csv",
        ["id", "name", "aliases", "kind", "lat", "lon", "members"],
        [
            ["alpha_union", "Alpha Union", "the Union", "composite", "", "", "AA.01 AA.02"],
            ["upper", "Upper Land", "", "composite", "", "", "AA[region=Upper]"],
            ["both", "Both Lands", "", "macro_region", "", "", "AA BB"],
            ["grey_sea", "Grey Sea", "", "sea", "1.0", "-1.0", ""],
        ],
    )
    _write_csv(
        root / "curated/demonym_extras.csv",
        ["target", "form"],
        [["region:upper", "Upperish"], ["AA", "Alphanese"]],
    )
    _write_csv(root / "curated/landmarks.csv", ["name", "place_id", "what"], [["Alpha Palace", "geonames:101", "seat"]])
    return root


@pytest.fixture(scope="session")
def make_sources():
    """The function that writes a tiny source tree, for tests that then break it."""
    return make_tiny_sources


@pytest.fixture(scope="session")
def tiny_sources(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_tiny_sources(tmp_path_factory.mktemp("tiny") / "gazetteer")


@pytest.fixture(scope="session")
def tiny_gazetteer(tiny_sources: Path, tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    path = tmp_path_factory.mktemp("tiny-db") / "tiny.sqlite"
    return Gazetteer(build_gazetteer(path, root=tiny_sources))


@pytest.fixture
def read_only_folder(tmp_path):
    """A folder nobody may write into: chmod for a user, the immutable attribute for root (who ignores modes)."""
    folder = tmp_path / "locked"
    folder.mkdir()
    if os.geteuid() != 0:
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)
        return
    if subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode != 0:
        pytest.skip("running as root on a file system without chattr +i: no folder is read-only to root")
    yield folder
    subprocess.run(["chattr", "-i", str(folder)], check=True)


@pytest.fixture(scope="session")
def shared_eval() -> Path:
    """../shared/eval: tests that need it skip with this message when it is absent, except where
    GEOMAP_REQUIRE_SHARED=1 (CI) makes its absence a failure."""
    if not (SHARED_EVAL / "gwn.jsonl").exists() or not (SHARED_EVAL / "score.py").exists():
        message = f"the evaluation data is not at {SHARED_EVAL} (shared/ beside the checkout)"
        if os.environ.get("GEOMAP_REQUIRE_SHARED"):
            pytest.fail(message)
        pytest.skip(message)
    return SHARED_EVAL
