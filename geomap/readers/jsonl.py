"""JSONL: one JSON object per line (``.jsonl``, ``.ndjson``)."""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from typing import BinaryIO

from ..errors import InputError
from .records import Read, article_from_record

__all__ = ["JsonlReader"]


class JsonlReader:
    name: str = "jsonl"
    suffixes: tuple[str, ...] = (".jsonl", ".ndjson")

    def sniff(self, head: bytes) -> bool:
        text = head.decode("utf-8", errors="ignore").removeprefix("\ufeff")
        return text.lstrip()[:1] in ("{", "[")

    def read(self, stream: BinaryIO, *, name: str, stem: str) -> Iterator[Read]:
        """Records of a JSONL stream, one per line.

        Lines end at ``\\n`` only: U+2028, U+0085 and the like are text inside JSON
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
                yield where, article_from_record(record, where=where)
            except InputError as err:
                yield where, err
