"""Read articles from files, folders (read recursively) and standard input, one at a time.

The formats live in :mod:`geomap.readers` (page dumps, plain text, JSONL,
CSV: one Reader each); this module opens the inputs, picks a reader per file,
counts the bytes read, applies the bad-record policy and checks ids are
unique. Bad input raises :class:`~geomap.errors.InputError` with a message
that names the file (and the line or byte) and says what is wrong.
"""

from __future__ import annotations

import contextlib
import io
import logging
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO, Protocol, cast

from .errors import InputError
from .models import Article
from .readers import READERS, reader_for
from .readers.dump import parse_page_dump
from .readers.records import decode, parse_date

__all__ = [
    "BAD_RECORD_POLICIES",
    "FORMATS",
    "ArticleReader",
    "decode",
    "parse_date",
    "parse_page_dump",
    "read_articles",
]

log = logging.getLogger(__name__)

#: ``--format`` choices: "auto" (by suffix, then by content) or a reader's name.
FORMATS = ("auto", *READERS)


def _suffixes() -> set[str]:
    return {suffix for reader in READERS.values() for suffix in reader.suffixes}


def input_files(inputs: Iterable[str | Path]) -> list[Path]:
    """The files the inputs name, in reading order: folders read recursively (hidden files left out).

    Standard input ("-") is no file: an error here, for the jobs that hand files out (Dask).
    """
    files: list[Path] = []
    for item in inputs:
        if str(item) == "-":
            msg = "standard input ('-') cannot be split among workers: give files or folders"
            raise InputError(msg)
        files.extend(_files(Path(item)))
    if not files:
        msg = "no input files given"
        raise InputError(msg)
    return files


def _files(path: Path) -> list[Path]:
    if path.is_dir():
        suffixes = _suffixes()
        found = sorted(
            p
            for p in path.rglob("*")
            if p.is_file()
            and p.suffix.lower() in suffixes
            and not any(part.startswith(".") for part in p.relative_to(path).parts)  # hidden, below the folder given
        )
        if not found:
            msg = f"{str(path)!r} holds no {', '.join(sorted(suffixes))} files"
            raise InputError(msg)
        return found
    if not path.exists():
        msg = f"{str(path)!r} does not exist"
        raise InputError(msg)
    return [path]


#: What to do with a record that cannot be used: stop with an InputError, or skip it and go on.
BAD_RECORD_POLICIES = ("raise", "skip")
#: Skipped records logged one by one; the rest are only counted.
LOGGED_BAD_RECORDS = 10


class _ReadsInto(Protocol):
    def readinto(self, buffer: Any, /) -> int | None: ...


class _Counted(io.RawIOBase):
    """A binary stream that tells its ArticleReader how many bytes were read from it."""

    def __init__(self, stream: _ReadsInto, reader: ArticleReader) -> None:
        super().__init__()
        self._stream = stream
        self._reader = reader

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        count = self._stream.readinto(buffer) or 0
        self._reader.bytes_read += count
        return count


class ArticleReader:
    """Articles from files, folders (read recursively) and ``"-"`` (standard input), one at a time.

    Iterate it once. Files are opened one after another and streamed: a JSONL
    or CSV file is never held in memory whole. While it runs, ``bytes_read``
    counts the input read so far and ``total_bytes`` is the size of the inputs
    (``None`` when standard input is one). A record that cannot be used (not
    JSON, no text, an id used before) stops the reading with an
    :class:`InputError` when ``on_bad_record="raise"``; with ``"skip"`` it is
    logged (the first ten), listed in ``skipped`` as ``(where, message)`` and
    reading goes on. No articles at all is an
    InputError once the inputs are read.
    """

    def __init__(
        self,
        inputs: Iterable[str | Path],
        *,
        fmt: str = "auto",
        stdin: BinaryIO | None = None,
        on_bad_record: str = "raise",
    ) -> None:
        if fmt != "auto" and fmt not in READERS:
            msg = f"unknown input format {fmt!r}; use one of auto, {', '.join(READERS)}"
            raise InputError(msg)
        if on_bad_record not in BAD_RECORD_POLICIES:
            msg = f"on_bad_record={on_bad_record!r} is not one of {', '.join(map(repr, BAD_RECORD_POLICIES))}"
            raise ValueError(msg)
        self.fmt = fmt
        self.on_bad_record = on_bad_record
        self._stdin = stdin
        self.inputs = [str(item) for item in inputs]
        # every path is checked now, before any work: a missing file is an error up front
        self._paths = {item: _files(Path(item)) for item in self.inputs if item != "-"}
        self.total_bytes: int | None = (
            None if "-" in self.inputs else sum(p.stat().st_size for paths in self._paths.values() for p in paths)
        )
        self.bytes_read = 0
        self.articles = 0
        self.skipped: list[tuple[str, str]] = []  # (where: "file:line", what is wrong)

    def __iter__(self) -> Iterator[Article]:
        seen: dict[str, str] = {}
        for name, stem, opened, suffix in self._sources():
            # closing the counted stream leaves the raw one open: a file is closed by its own block
            with opened as raw, io.BufferedReader(_Counted(raw, self), buffer_size=1 << 16) as stream:
                reader = reader_for(fmt=self.fmt, suffix=suffix, head=stream.peek(1 << 16))
                for where, item in reader.read(stream, name=name, stem=stem):
                    if isinstance(item, Article) and item.id in seen:
                        item = InputError(f"{where}: article id {item.id!r} was already used in {seen[item.id]}")
                    if isinstance(item, InputError):
                        self._bad(where, item)
                        continue
                    seen[item.id] = name
                    self.articles += 1
                    yield item
        if not self.articles:
            skipped = f" ({len(self.skipped)} unusable records skipped)" if self.skipped else ""
            msg = f"no articles found in {', '.join(map(repr, self.inputs))}{skipped}"
            raise InputError(msg)

    def _bad(self, where: str, error: InputError) -> None:
        if self.on_bad_record == "raise":
            raise error
        self.skipped.append((where, str(error)))
        if len(self.skipped) <= LOGGED_BAD_RECORDS:
            log.warning("skipped %s", error)
        elif len(self.skipped) == LOGGED_BAD_RECORDS + 1:
            log.warning("skipped more records that cannot be used; they are counted, not listed one by one")

    def _sources(self) -> Iterator[tuple[str, str, contextlib.AbstractContextManager[_ReadsInto], str]]:
        """(name shown in messages, stem for ids, raw stream as a context, suffix) per input file;
        standard input is read through but left open."""
        for item in self.inputs:
            if item == "-":
                stdin = cast(_ReadsInto, self._stdin or sys.stdin.buffer)
                yield "<stdin>", "stdin", contextlib.nullcontext(stdin), ""
                continue
            for path in self._paths[item]:
                raw = open(path, "rb", buffering=0)  # noqa: SIM115 - closed by __iter__
                yield str(path), path.stem, raw, path.suffix.lower()


def read_articles(
    inputs: Iterable[str | Path],
    *,
    fmt: str = "auto",
    stdin: BinaryIO | None = None,
    on_bad_record: str = "raise",
) -> ArticleReader:
    """Articles from files, folders (read recursively) and ``"-"`` (standard input), one at a time.

    ``fmt`` forces a format (one of FORMATS); ``"auto"`` goes by file suffix,
    then by content. Article ids must be unique across all inputs. See
    :class:`ArticleReader` for ``on_bad_record`` and the progress counters.
    """
    return ArticleReader(inputs, fmt=fmt, stdin=stdin, on_bad_record=on_bad_record)
