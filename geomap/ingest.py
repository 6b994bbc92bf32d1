"""Read articles: seed page dumps, plain text, JSONL, CSV, folders and standard input.

Every reader yields :class:`~geomap.models.Article` records. Bad input raises
:class:`~geomap.errors.InputError` with a message that names the file (and the
line or byte) and says what is wrong.
"""

from __future__ import annotations

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

__all__ = [
    "FORMATS",
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
# "MOSCOW:", "BEIRUT (AP) —", "KYIV, Ukraine —": capitals at a line start, then a colon or dash.
DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z'’.\- ]*[A-Z.])(?:,\s*[A-Z][\w.]*(?: [A-Z][\w.]*)*)?\s*(?:\([^)\n]{1,40}\))?\s*[:—–-]\s",
    re.MULTILINE,
)


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


def find_dateline(body: str) -> str | None:
    """The dateline place of a body's first line ("MOSCOW: ..." gives "MOSCOW")."""
    match = DATELINE.match(body)
    return match.group("place").strip() if match else None


# --- the seed page-dump format -------------------------------------------------


def parse_page_dump(text: str, *, stem: str) -> list[Article]:
    """Split a page dump holding one or more articles.

    Each article is a headline, an optional photo caption, "Short Url",
    "Updated 12 March 2025", "Follow", the headline again, bullet summary
    lines and the body (opening with a dateline such as "MOSCOW:"). Page
    chrome and the repeated headline are dropped; ``text`` is the summary and
    the body. A file without that structure is one plain-text article.
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
        return [_plain_article(text, stem=stem)]

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


def _plain_article(text: str, *, stem: str) -> Article:
    body = text.strip()
    first = body.split("\n", 1)[0].strip()
    return Article(id=stem, text=body, title=first[:200] or None, dateline=find_dateline(first))


# --- JSONL and CSV -------------------------------------------------------------


def _article_from_record(record: dict[str, Any], *, where: str) -> Article:
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


def read_jsonl_articles(text: str, *, name: str) -> Iterator[Article]:
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            msg = f"{name}:{lineno}: not valid JSON ({err.msg} at column {err.colno})"
            raise InputError(msg) from err
        yield _article_from_record(record, where=f"{name}:{lineno}")


def read_csv_articles(text: str, *, name: str) -> Iterator[Article]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    columns = reader.fieldnames or []
    missing = [c for c in ("id", "text") if c not in columns]
    if missing:
        msg = f"{name}: the CSV header has no {' or '.join(repr(m) for m in missing)} column (it has {columns!r})"
        raise InputError(msg)
    try:
        for row in reader:
            record = {k: (v if v != "" else None) for k, v in row.items() if k is not None}
            yield _article_from_record(record, where=f"{name}:{reader.line_num}")
    except csv.Error as err:
        msg = f"{name}:{reader.line_num}: malformed CSV ({err})"
        raise InputError(msg) from err


# --- files, folders, standard input --------------------------------------------


def _sniff(text: str) -> str:
    head = text.lstrip()[:1]
    if head in ("{", "["):
        return "jsonl"
    first = text.split("\n", 1)[0]
    columns = {c.strip().strip('"') for c in first.split(",")}
    if {"id", "text"} <= columns:
        return "csv"
    return "dump"


def _parse(text: str, *, fmt: str, name: str, stem: str) -> Iterator[Article]:
    if fmt == "auto":
        fmt = _sniff(text)
    if fmt == "jsonl":
        yield from read_jsonl_articles(text, name=name)
    elif fmt == "csv":
        yield from read_csv_articles(text, name=name)
    elif fmt == "text":
        yield _plain_article(text, stem=stem)
    else:
        yield from parse_page_dump(text, stem=stem)


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


def read_articles(
    inputs: Iterable[str | Path], *, fmt: str = "auto", stdin: BinaryIO | None = None
) -> Iterator[Article]:
    """Articles from files, folders (read recursively) and ``"-"`` (standard input).

    ``fmt`` forces a format (one of FORMATS); ``"auto"`` goes by file suffix,
    then by content. Article ids must be unique across all inputs.
    """
    if fmt not in FORMATS:
        msg = f"unknown input format {fmt!r}; use one of {', '.join(FORMATS)}"
        raise InputError(msg)
    seen: dict[str, str] = {}
    for item in inputs:
        if str(item) == "-":
            stream = stdin or sys.stdin.buffer
            sources = [("<stdin>", "stdin", stream.read(), fmt)]
        else:
            sources = []
            for path in _files(Path(item)):
                chosen = fmt if fmt != "auto" else _SUFFIXES.get(path.suffix.lower(), "auto")
                sources.append((str(path), path.stem, path.read_bytes(), chosen))
        for name, stem, data, chosen in sources:
            text = decode(data, name=name)
            for article in _parse(text, fmt=chosen, name=name, stem=stem):
                if article.id in seen:
                    msg = f"{name}: article id {article.id!r} was already used in {seen[article.id]}"
                    raise InputError(msg)
                seen[article.id] = name
                yield article
