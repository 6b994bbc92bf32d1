"""CSV with a header naming at least ``id`` and ``text``."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import BinaryIO

from ..errors import InputError
from .records import Read, article_from_record

__all__ = ["CsvReader"]

# News texts run longer than the csv module's default field limit (131,072 characters).
_CSV_FIELD_LIMIT = 2**31 - 1


class CsvReader:
    name: str = "csv"
    suffixes: tuple[str, ...] = (".csv",)

    def sniff(self, head: bytes) -> bool:
        first = head.decode("utf-8", errors="ignore").removeprefix("\ufeff").split("\n", 1)[0]
        return {"id", "text"} <= {c.strip().strip('"') for c in first.split(",")}

    def read(self, stream: BinaryIO, *, name: str, stem: str) -> Iterator[Read]:
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
                msg = (
                    f"{name}: the CSV header has no {' or '.join(repr(m) for m in missing)} column (it has {columns!r})"
                )
                raise InputError(msg)
            for row in reader:
                where = f"{name}:{reader.line_num}"
                record = {k: (v if v != "" else None) for k, v in row.items() if k is not None}
                try:
                    yield where, article_from_record(record, where=where)
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
