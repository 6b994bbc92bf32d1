"""What every writer shares: records become pieces of text (one per record), then go into the file.

The two halves are apart so that the encoding, most of a writer's work, can
run in a worker process (``--jobs``, see geomap.parallel) on its copy of the
writer, while the parent only puts the pieces into the file in order.
JSON is encoded with orjson: five times the speed of the standard library's
encoder on mention records, the same JSON (compact, UTF-8, NaN as null).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import islice
from typing import IO, Any, ClassVar

import orjson

__all__ = ["PieceWriter", "to_json"]

#: Records encoded and written at a time by ``write``: an article may have 300,000 mentions.
CHUNK = 1000


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

    def __init__(self, handle: IO[str], *, gazetteer: Any = None) -> None:
        self.count = 0
        self._handle = handle
        self._gazetteer = gazetteer

    def encode(self, records: Iterable[dict[str, Any]]) -> list[str]:
        """One piece of this format's text per record, in order."""
        raise NotImplementedError

    def put(self, pieces: Sequence[str]) -> None:
        """Write pieces ``encode`` made (here or in a worker's copy of this writer), in order."""
        self._handle.write("".join(pieces))
        self.count += len(pieces)

    def write(self, records: Iterable[dict[str, Any]]) -> None:
        source = iter(records)
        while chunk := list(islice(source, CHUNK)):
            self.put(self.encode(chunk))

    def close(self) -> None:
        """Finish the file's content (the caller closes the file)."""
