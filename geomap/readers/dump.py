"""Page dumps (the seed format: several articles in one file) and plain text (one article a file)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO

from ..models import Article
from ..text import find_dateline
from .records import Read, decode, parse_date

__all__ = ["DumpReader", "TextReader", "parse_page_dump"]

_STAMP = re.compile(
    r"^(?:Updated|Published|Posted|Last updated)\s*:?\s+(?P<date>\d{1,2} \w+ \d{4}|\w+ \d{1,2}, \d{4})",
    re.IGNORECASE,
)
_CHROME = {"short url", "follow", "share", "print"}
_BULLET = re.compile(r"^\s*[•·▪*\-]\s+")


class DumpReader:
    """Page dumps; a file without their structure is one plain-text article (the FALLBACK format)."""

    name: str = "dump"
    suffixes: tuple[str, ...] = (".txt", ".text")

    def sniff(self, head: bytes) -> bool:
        return False  # nothing marks a page dump at its start: files no other reader takes come here

    def read(self, stream: BinaryIO, *, name: str, stem: str) -> Iterator[Read]:
        for article in parse_page_dump(decode(stream.read(), name=name), stem=stem):
            yield name, article


class TextReader:
    """A whole file as one article (``--format text``)."""

    name: str = "text"
    suffixes: tuple[str, ...] = ()

    def sniff(self, head: bytes) -> bool:
        return False

    def read(self, stream: BinaryIO, *, name: str, stem: str) -> Iterator[Read]:
        article = _plain_article(decode(stream.read(), name=name), stem=stem)
        if article is not None:
            yield name, article


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
    for n, (start, content, stamped) in enumerate(heads):
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
                date=parse_date(stamped),
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
