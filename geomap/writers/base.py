"""What every writer shares: records become pieces of text (one per record), then go into the file.

The two halves are apart so that the encoding, most of a writer's work, can
run in a worker process (``--jobs``, see geomap.parallel) on its copy of the
writer, while the parent only puts the pieces into the file in order.
JSON is encoded with orjson: five times the speed of the standard library's
encoder on mention records, the same JSON (compact, UTF-8, NaN as null).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Sequence
from itertools import islice
from typing import IO, Any, ClassVar

import orjson

__all__ = ["PieceWriter", "Spool", "to_json"]

#: Records encoded and written at a time by ``write``: an article may have 300,000 mentions.
CHUNK = 1000
#: Characters of one article's output a Spool keeps in memory before it goes on in a file.
SPOOL_CHARACTERS = 8_000_000


def to_json(value: Any) -> str:
    """``value`` as compact JSON text; numpy numbers and pandas' missing values are taken too."""
    return orjson.dumps(value, default=_plain, option=orjson.OPT_SERIALIZE_NUMPY).decode("utf-8")


def _plain(value: Any) -> Any:
    if type(value).__name__ in ("NAType", "NaTType"):  # pandas' missing values, without importing pandas
        return None
    if hasattr(value, "item"):  # a numpy scalar orjson does not take (float16, ...)
        return value.item()
    raise TypeError(f"cannot write a {type(value).__name__} as JSON")


class PieceWriter:
    """A writer as two halves: ``encode`` (records -> pieces, writes nothing) and ``put`` (pieces -> file)."""

    #: How the file is opened: None (universal newlines), or "" where the format writes its own (CSV).
    newline: ClassVar[str | None] = None
    #: What goes between two pieces: nothing (each ends its own line), or "," (GeoJSON's features).
    separator: ClassVar[str] = ""

    def __init__(self, handle: IO[str], *, gazetteer: Any = None) -> None:
        self.count = 0
        self._handle = handle
        self._gazetteer = gazetteer

    def encode(self, records: Iterable[dict[str, Any]]) -> list[str]:
        """One piece of this format's text per record, in order."""
        raise NotImplementedError

    def put(self, pieces: Sequence[str]) -> None:
        """Write pieces ``encode`` made (here or in a worker's copy of this writer), in order."""
        if pieces:
            self._handle.write((self.separator if self.count else "") + self.separator.join(pieces))
            self.count += len(pieces)

    def put_spool(self, spool: Spool) -> None:
        """Write what a Spool holds (pieces in memory, or a file it wrote them to, removed here)."""
        if spool.path is None:
            self.put(spool.pieces)
            return
        try:
            with open(spool.path, encoding="utf-8", newline="") as source:
                if self.count and spool.count:
                    self._handle.write(self.separator)
                while text := source.read(1 << 20):
                    self._handle.write(text)
            self.count += spool.count
        finally:
            os.unlink(spool.path)

    def write(self, records: Iterable[dict[str, Any]]) -> None:
        source = iter(records)
        while chunk := list(islice(source, CHUNK)):
            self.put(self.encode(chunk))

    def close(self) -> None:
        """Finish the file's content (the caller closes the file)."""


class Spool:
    """One writer's output for one article, made where the article is geoparsed (maybe a worker process).

    The pieces stay in memory, sent back as they are, until they pass
    SPOOL_CHARACTERS; then they go on into a file in ``folder`` (named, so
    that the process writing the output can read it: see
    :meth:`PieceWriter.put_spool`). An article with 300,000 mentions is
    never held, nor sent between processes, whole.
    """

    def __init__(self, separator: str, folder: str | os.PathLike[str] | None) -> None:
        self.pieces: list[str] = []
        self.count = 0
        self.path: str | None = None
        self._size = 0
        self._separator = separator
        self._folder = folder

    def add(self, pieces: list[str]) -> None:
        self.pieces.extend(pieces)
        self.count += len(pieces)
        self._size += sum(map(len, pieces))
        if self._size > SPOOL_CHARACTERS:
            self._flush()

    def close(self) -> None:
        """Everything in the file, once there is one."""
        if self.path is not None and self.pieces:
            self._flush()

    def _flush(self) -> None:
        continued = self.path is not None
        if self.path is None:
            handle, self.path = tempfile.mkstemp(prefix=".geomap-spool-", suffix=".txt", dir=self._folder)
            os.close(handle)
        with open(self.path, "a", encoding="utf-8", newline="") as out:
            out.write((self._separator if continued else "") + self._separator.join(self.pieces))
        self.pieces = []
        self._size = 0
