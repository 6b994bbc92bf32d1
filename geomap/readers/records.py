"""Records (a JSON object, a CSV row) into articles: the fields geomap knows, the rest kept."""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any

from ..errors import InputError
from ..models import Article
from ..text import find_dateline

__all__ = ["KNOWN_FIELDS", "Read", "article_from_record", "decode", "parse_date"]

log = logging.getLogger(__name__)

#: What a reader yields per record: where it is ("file:line") and the article, or why it cannot be one.
Read = tuple[str, Article | InputError]
#: Record fields with a slot in Article; any other field is kept in Article.extra.
KNOWN_FIELDS = ("id", "text", "title", "date", "dateline", "url", "source", "summary")
_DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%d/%m/%Y", "%Y/%m/%d")


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


def article_from_record(record: Any, *, where: str) -> Article:
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
    extra = {k: v for k, v in record.items() if k not in KNOWN_FIELDS}
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
