"""Output formats for mention records: a Writer per format, chosen by file suffix from one registry.

A writer takes joined mention records (the mention fields of
:data:`~geomap.models.MENTION_FIELDS` plus the article's ``article_*``
fields) as they come, and writes them to an open text file; ``close()``
finishes the file's content (the caller opens and closes the file itself,
written aside and renamed into place). A new format, such as Parquet, is one
module with a Writer (a PieceWriter's ``encode``) and one line in WRITERS below.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO, Any, ClassVar, Protocol, TypeVar

from ..errors import InputError
from .base import Spool
from .csvfile import CsvWriter
from .geojson import GeoJsonWriter
from .jsonl import JsonlWriter

__all__ = ["WRITERS", "CsvWriter", "GeoJsonWriter", "JsonlWriter", "Writer", "format_by_suffix", "writer_for"]

T = TypeVar("T")


class Writer(Protocol):
    """One output format. Made as ``WriterClass(handle, gazetteer=...)`` (the gazetteer draws regions).

    ``write(records)`` is ``put(encode(records))``: ``encode`` makes one piece of text per record and
    writes nothing (a worker process may run it on its copy of the writer), ``put`` writes the pieces,
    ``put_spool`` what a :class:`~geomap.writers.base.Spool` collected of them. The formats here share
    that in :class:`~geomap.writers.base.PieceWriter`.
    """

    #: How the file is opened: None (universal newlines), or "" where the format writes its own (CSV).
    newline: ClassVar[str | None]
    #: What goes between two pieces ("" or ","): what a Spool puts between the pieces it keeps in a file.
    separator: ClassVar[str]
    #: Records written so far.
    count: int

    def __init__(self, handle: IO[str], *, gazetteer: Any = None) -> None: ...

    def encode(self, records: Iterable[dict[str, Any]]) -> list[str]: ...

    def put(self, pieces: Sequence[str]) -> None: ...

    def put_spool(self, spool: Spool) -> None: ...

    def write(self, records: Iterable[dict[str, Any]]) -> None: ...

    def close(self) -> None: ...


#: Every output format, by file suffix.
WRITERS: dict[str, type[Writer]] = {
    ".jsonl": JsonlWriter,
    ".ndjson": JsonlWriter,
    ".csv": CsvWriter,
    ".geojson": GeoJsonWriter,
}


def format_by_suffix(path: str | os.PathLike[str], table: Mapping[str, T]) -> T:
    """What ``table`` holds for the suffix of ``path``; an unknown suffix is an error listing the known ones."""
    suffix = Path(path).suffix.lower()
    if suffix not in table:
        known = ", ".join(table)
        msg = f"cannot tell the output format of {str(path)!r} from its suffix {suffix!r}: use one of {known}"
        raise InputError(msg)
    return table[suffix]


def writer_for(path: str | os.PathLike[str]) -> type[Writer]:
    """The writer a file name asks for (see WRITERS)."""
    return format_by_suffix(path, WRITERS)
