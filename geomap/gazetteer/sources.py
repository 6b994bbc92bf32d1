"""Where the committed gazetteer files are, in a wheel or in a checkout."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
from collections.abc import Iterator
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import Any

__all__ = [
    "GIVEN_NAMES_BLOB",
    "SCHEMA_VERSION",
    "SURNAMES_BLOB",
    "TITLES_BLOB",
    "WORDS_BLOB",
    "data_fingerprint",
    "read_csv",
    "read_jsonl",
    "read_lines",
    "read_tsv",
    "source_root",
]

# The layout of the SQLite file: a cache of another version is rebuilt.
SCHEMA_VERSION = 7
#: The blob holding the English dictionary words, one per line.
WORDS_BLOB = "words"
#: The blobs holding given names and surnames (name keys) and titles before a name, one per line.
GIVEN_NAMES_BLOB = "given_names"
SURNAMES_BLOB = "surnames"
TITLES_BLOB = "person_titles"

# Files the SQLite build reads; their bytes decide when a cache is stale.
DATA_FILES = (
    "data/countries.jsonl.gz",
    "data/continents.jsonl.gz",
    "data/admin1.jsonl.gz",
    "data/us_counties.jsonl.gz",
    "data/places.tsv.gz",
    "data/english_words.txt.gz",
    "data/given_names.txt.gz",
    "data/surnames.txt.gz",
    "data/person_titles.txt.gz",
    "curated/regions.csv",
    "curated/demonym_extras.csv",
    "curated/landmarks.csv",
)

# The modules whose code decides what the cache holds.
BUILD_CODE = ("build.py", "builder.py", "layers.py", "nameindex.py", "names.py", "imports.py")


def source_root() -> Traversable:
    """The folder holding data/ and curated/.

    A wheel carries it as ``geomap/_gazetteer``; a checkout has it at the top
    level as ``gazetteer/``.
    """
    packaged = resources.files("geomap") / "_gazetteer"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "gazetteer"


def data_fingerprint(root: Traversable | None = None) -> str:
    """A short hash of every source file and of the code that builds from them.

    It names the cache file, so a change to either gives a new cache. The
    user's imported layers are sources too (see geomap.gazetteer.imports):
    with any, their provenance is hashed in as well.
    """
    return with_imports(bundled_fingerprint(root))


def bundled_fingerprint(root: Traversable | None = None) -> str:
    """The fingerprint of geomap's own files and build code (they do not change while a process runs)."""
    root = root or source_root()
    digest = hashlib.sha256()
    for name in DATA_FILES:
        digest.update(name.encode())
        digest.update((root / name).read_bytes())
    for module in BUILD_CODE:
        digest.update(resources.files(__package__).joinpath(module).read_bytes())
    return digest.hexdigest()[:16]


def with_imports(bundled: str) -> str:
    """A bundled fingerprint with the imported layers' provenance hashed in (unchanged when there is none)."""
    from .imports import imported_sources

    sources = imported_sources()  # each source's provenance: its inputs' hashes, the options
    if not sources:
        return bundled
    return hashlib.sha256(bundled.encode() + json.dumps(sources, sort_keys=True).encode("utf-8")).hexdigest()[:16]


def read_jsonl(name: str, root: Traversable | None = None) -> Iterator[dict[str, Any]]:
    with (root or source_root()).joinpath(name).open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as f:
        for line in f:
            yield json.loads(line)


def read_lines(name: str, root: Traversable | None = None) -> Iterator[str]:
    with (root or source_root()).joinpath(name).open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as f:
        for line in f:
            yield line.rstrip("\n")


def read_tsv(name: str, root: Traversable | None = None) -> Iterator[dict[str, str]]:
    lines = read_lines(name, root)
    header = next(lines).split("\t")
    for line in lines:
        yield dict(zip(header, line.split("\t"), strict=True))


def read_csv(name: str, root: Traversable | None = None) -> list[dict[str, str]]:
    text = (root or source_root()).joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))
