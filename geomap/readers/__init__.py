"""Input formats: a Reader per format, in one registry.

A reader turns a binary stream into articles, one at a time, as
``(where, Article)`` pairs, or ``(where, InputError)`` for a record it cannot
use (the caller decides whether that stops the reading or is skipped); an
error about a whole file raises. ``geomap.ingest`` opens files, folders and
standard input and picks the reader by ``--format``, by file suffix, then by
sniffing the first bytes, in registry order.

A new format is one module with a Reader and one line in READERS below.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO, Protocol

from .csvfile import CsvReader
from .dump import DumpReader, TextReader
from .jsonl import JsonlReader
from .records import Read

__all__ = ["FALLBACK", "READERS", "Read", "Reader", "reader_for"]


class Reader(Protocol):
    """One input format."""

    #: The format's name (``--format NAME``).
    name: str
    #: File suffixes it reads, lower case with the dot (".jsonl"); files in folders are found by these.
    suffixes: tuple[str, ...]

    def sniff(self, head: bytes) -> bool:
        """Whether a file whose first bytes are ``head`` looks like this format (for ``--format auto``)."""
        ...

    def read(self, stream: BinaryIO, *, name: str, stem: str) -> Iterator[Read]:
        """``(where, Article or InputError)`` per record; ``name`` is shown in messages, ``stem`` names ids."""
        ...


#: Every format, by name; sniffing tries them in this order.
READERS: dict[str, Reader] = {
    reader.name: reader for reader in (JsonlReader(), CsvReader(), TextReader(), DumpReader())
}
#: What a file no reader recognises is read as: plain text, or page dumps within it.
FALLBACK = "dump"


def reader_for(*, fmt: str, suffix: str, head: bytes) -> Reader:
    """The reader for a file: the format asked for, else the one that owns the suffix, else the first that
    recognises the head, else FALLBACK."""
    if fmt != "auto":
        return READERS[fmt]  # a known name: ArticleReader checks it before any reading
    for reader in READERS.values():
        if suffix in reader.suffixes:
            return reader
    for reader in READERS.values():
        if reader.sniff(head):
            return reader
    return READERS[FALLBACK]
