"""Read articles: seed page dumps, plain text, JSONL, CSV, folders and standard input.

Every reader yields :class:`~geomap.models.Article` records. Bad input raises
:class:`~geomap.errors.InputError` with a message that names the file (and the
line or byte) and says what is wrong.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import logging
import re
import sys
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

from .errors import InputError
from .models import Article
from .text import find_dateline

__all__ = [
    "BAD_RECORD_POLICIES",
    "FORMATS",
    "ArticleReader",
    "decode",
    "parse_date",
    "parse_page_dump",
    "read_articles",
    "read_csv_articles",
    "read_jsonl_articles",
]

log = logging.getLogger(__name__)

FORMATS = ("auto", "dump", "text", "jsonl", "csv")
_SUFFIXES = {".txt": "dump", ".text": "dump", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}
_KNOWN_FIELDS = ("id", "text", "title", "date", "dateline", "url", "source", "summary")

_DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%d/%m/%Y", "%Y/%m/%d")
_STAMP = re.compile(
    r"^(?:Updated|Published|Posted|Last updated)\s*:?\s+(?P<date>\d{1,2} \w+ \d{4}|\w+ \d{1,2}, \d{4})",
    re.IGNORECASE,
)
_CHROME = {"short url", "follow", "share", "print"}
_BULLET = re.compile(r"^\s*[•·▪*\-]\s+")


def decode(data: bytes, *, name: str) -> str:
    """UTF-8 text, with or without a byte-order mark; a clear error otherwise."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        msg = f"{name}: not UTF-8 text (undecodable byte at offset {err.start}); convert it to UTF-8"
        raise InputError(msg) from err


def parse_date(value: Any) -> str | None:
    """An ISO 8601 date (``"2025-03-12"``) from the forms news sites use, else ``None``."""
    if value is None or value == "":
        return None
    if isinstance(value, (date, datetime)):
        return value.date().isoformat() if isinstance(value, datetime) else value.isoformat()
    text = str(value).strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        pass
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return None


# --- the seed page-dump format -------------------------------------------------


def parse_page_dump(text: str, *, stem: str) -> list[Article]:
    """Split a page dump holding one or more articles.

    Each article is a headline, an optional photo caption, "Short Url",
    "Updated 12 March 2025", "Follow", the headline again, bullet summary
    lines and the body (opening with a dateline such as "MOSCOW:"). Page
    chrome and the repeated headline are dropped; ``text`` is the summary and
    the body. A file without that structure is one plain-text article (none when it is blank).
    """
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)

    heads = []  # (headline line index, first content line index, date)
    for i, line in enumerate(lines):
        stamp = _STAMP.match(line.strip())
        if not stamp:
            continue
        j = _next_nonblank(lines, i + 1)
        while j is not None and lines[j].strip().lower() in _CHROME:
            j = _next_nonblank(lines, j + 1)
        if j is None:
            continue
        headline = lines[j].strip()
        start = next((k for k in range(i - 1, max(-1, i - 8), -1) if lines[k].strip() == headline), None)
        if start is None:  # no repeated headline: the stamp's block starts at the first line above
            start, content = _block_start(lines, i), j
        else:
            content = j + 1
        heads.append((start, content, stamp.group("date")))

    if not heads:
        plain = _plain_article(text, stem=stem)
        return [plain] if plain is not None else []

    articles = []
    for n, (start, content, stamp) in enumerate(heads):
        end = heads[n + 1][0] if n + 1 < len(heads) else len(lines)
        title = lines[start].strip()
        caption = [
            ln.strip()
            for ln in lines[start + 1 : content]
            if ln.strip() and ln.strip() != title and ln.strip().lower() not in _CHROME and not _STAMP.match(ln.strip())
        ]
        body = text[offsets[content] : offsets[end]].strip("\n").rstrip()
        body = body.lstrip("\n")
        summary_lines = []
        for line in body.split("\n"):
            if _BULLET.match(line):
                summary_lines.append(_BULLET.sub("", line).strip())
            elif line.strip():
                break
        after_summary = body.split("\n")[len(summary_lines) :] if summary_lines else body.split("\n")
        first_body_line = next((ln for ln in after_summary if ln.strip()), "")
        articles.append(
            Article(
                id=f"{stem}-{n + 1}",
                text=body,
                title=title,
                date=parse_date(stamp),
                dateline=find_dateline(first_body_line),
                summary="\n".join(summary_lines) or None,
                source=None,
                extra={"caption": caption[0]} if caption else {},
            )
        )
    return articles


def _next_nonblank(lines: list[str], i: int) -> int | None:
    while i < len(lines):
        if lines[i].strip():
            return i
        i += 1
    return None


def _block_start(lines: list[str], i: int) -> int:
    k = i
    while k > 0 and lines[k - 1].strip():
        k -= 1
    return k


def _plain_article(text: str, *, stem: str) -> Article | None:
    """The whole text as one article; None when there is no text at all."""
    body = text.strip()
    if not body:
        return None
    first = body.split("\n", 1)[0].strip()
    return Article(id=stem, text=body, title=first[:200] or None, dateline=find_dateline(first))


# --- JSONL and CSV -------------------------------------------------------------


def _article_from_record(record: Any, *, where: str) -> Article:
    if not isinstance(record, dict):
        msg = f"{where}: expected a JSON object, got {type(record).__name__}"
        raise InputError(msg)
    missing = [name for name in ("id", "text") if record.get(name) in (None, "")]
    if missing:
        msg = f"{where}: the record has no {' or '.join(repr(m) for m in missing)} field"
        raise InputError(msg)
    if not isinstance(record["text"], str):
        msg = f"{where}: 'text' must be a string"
        raise InputError(msg)
    extra = {k: v for k, v in record.items() if k not in _KNOWN_FIELDS}
    iso = parse_date(record.get("date"))
    if record.get("date") not in (None, "") and iso is None:
        log.warning("%s: cannot read the date %r; kept as date_raw", where, record["date"])
        extra["date_raw"] = record["date"]

    def text_or_none(name: str) -> str | None:
        value = record.get(name)
        return None if value in (None, "") else str(value)

    return Article(
        id=str(record["id"]),
        text=record["text"],
        title=text_or_none("title"),
        date=iso,
        dateline=text_or_none("dateline") or find_dateline(record["text"]),
        url=text_or_none("url"),
        source=text_or_none("source"),
        summary=text_or_none("summary"),
        extra=extra,
    )


# A reader yields (where, article) for each record, or (where, InputError) for a record it cannot use:
# the ArticleReader decides whether that stops the reading or is skipped. Errors about a whole file raise.
_Read = tuple[str, Article | InputError]


def read_jsonl_articles(stream: BinaryIO, *, name: str) -> Iterator[_Read]:
    """Records of a JSONL stream, one per line.

    Lines end at ``\n`` only: U+2028, U+0085 and the like are text inside JSON
    strings (``str.splitlines`` would cut records there).
    """
    for lineno, raw in enumerate(stream, start=1):  # a binary stream splits at b"\n" only
        where = f"{name}:{lineno}"
        if lineno == 1:
            raw = raw.removeprefix(codecs.BOM_UTF8)
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as err:
            yield where, InputError(f"{where}: not UTF-8 text (undecodable byte at column {err.start + 1})")
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            yield where, InputError(f"{where}: not valid JSON ({err.msg} at column {err.colno})")
            continue
        try:
            yield where, _article_from_record(record, where=where)
        except InputError as err:
            yield where, err


# News texts run longer than the csv module's default field limit (131,072 characters).
_CSV_FIELD_LIMIT = 2**31 - 1


def read_csv_articles(stream: BinaryIO, *, name: str) -> Iterator[_Read]:
    """Records of a CSV stream with a header naming at least ``id`` and ``text``."""
    if csv.field_size_limit() < _CSV_FIELD_LIMIT:
        csv.field_size_limit(_CSV_FIELD_LIMIT)
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    reader = csv.DictReader(text)
    try:
        if reader.fieldnames is None:
            return  # an empty file: no header, no records
        columns = reader.fieldnames
        missing = [c for c in ("id", "text") if c not in columns]
        if missing:
            msg = f"{name}: the CSV header has no {' or '.join(repr(m) for m in missing)} column (it has {columns!r})"
            raise InputError(msg)
        for row in reader:
            where = f"{name}:{reader.line_num}"
            record = {k: (v if v != "" else None) for k, v in row.items() if k is not None}
            try:
                yield where, _article_from_record(record, where=where)
            except InputError as err:
                yield where, err
    except csv.Error as err:
        msg = f"{name}:{reader.line_num}: malformed CSV ({err})"
        raise InputError(msg) from err
    except UnicodeDecodeError as err:
        msg = f"{name}: not UTF-8 text (undecodable byte near line {reader.line_num + 1}); convert it to UTF-8"
        raise InputError(msg) from err
    finally:
        text.detach()  # the caller closes the stream (standard input stays open)


def _read_whole(stream: BinaryIO, *, fmt: str, name: str, stem: str) -> Iterator[_Read]:
    text = decode(stream.read(), name=name)
    articles = [_plain_article(text, stem=stem)] if fmt == "text" else parse_page_dump(text, stem=stem)
    for article in articles:
        if article is not None:
            yield name, article


# --- files, folders, standard input --------------------------------------------


def _sniff(head: bytes) -> str:
    text = head.decode("utf-8", errors="ignore").removeprefix("\ufeff")
    if text.lstrip()[:1] in ("{", "["):
        return "jsonl"
    first = text.split("\n", 1)[0]
    columns = {c.strip().strip('"') for c in first.split(",")}
    if {"id", "text"} <= columns:
        return "csv"
    return "dump"


def _files(path: Path) -> list[Path]:
    if path.is_dir():
        found = sorted(
            p
            for p in path.rglob("*")
            if p.is_file()
            and p.suffix.lower() in _SUFFIXES
            and not any(part.startswith(".") for part in p.relative_to(path).parts)  # hidden, below the folder given
        )
        if not found:
            msg = f"{str(path)!r} holds no .txt, .jsonl or .csv files"
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


class _Counted(io.RawIOBase):
    """A binary stream that tells its ArticleReader how many bytes were read from it."""

    def __init__(self, stream: BinaryIO, reader: ArticleReader) -> None:
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
        if fmt not in FORMATS:
            msg = f"unknown input format {fmt!r}; use one of {', '.join(FORMATS)}"
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
        for name, stem, raw, chosen in self._sources():
            with raw, io.BufferedReader(_Counted(raw, self), buffer_size=1 << 16) as stream:
                for where, item in self._parse(stream, fmt=chosen, name=name, stem=stem):
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

    def _sources(self) -> Iterator[tuple[str, str, BinaryIO, str]]:
        for item in self.inputs:
            if item == "-":
                stdin = self._stdin or sys.stdin.buffer
                yield "<stdin>", "stdin", _Unclosed(stdin), self.fmt
                continue
            for path in self._paths[item]:
                chosen = self.fmt if self.fmt != "auto" else _SUFFIXES.get(path.suffix.lower(), "auto")
                yield str(path), path.stem, open(path, "rb", buffering=0), chosen  # noqa: SIM115 - closed by __iter__

    @staticmethod
    def _parse(stream: io.BufferedReader, *, fmt: str, name: str, stem: str) -> Iterator[_Read]:
        if fmt == "auto":
            fmt = _sniff(stream.peek(1 << 16))
        if fmt == "jsonl":
            return read_jsonl_articles(stream, name=name)
        if fmt == "csv":
            return read_csv_articles(stream, name=name)
        return _read_whole(stream, fmt=fmt, name=name, stem=stem)


class _Unclosed(io.RawIOBase):
    """Standard input, read through but left open."""

    def __init__(self, stream: BinaryIO) -> None:
        super().__init__()
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        return self._stream.readinto(buffer) or 0


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
