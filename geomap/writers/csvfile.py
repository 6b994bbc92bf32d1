"""Mention records as CSV: a header of the mention fields, the runner-ups as a JSON list in one cell."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import IO, Any, ClassVar

from ..models import MENTION_FIELDS
from .base import PieceWriter, to_json

__all__ = ["CsvWriter"]


class CsvWriter(PieceWriter):
    newline: ClassVar[str | None] = ""

    def __init__(self, handle: IO[str], *, gazetteer: Any = None) -> None:
        super().__init__(handle, gazetteer=gazetteer)
        csv.DictWriter(handle, fieldnames=MENTION_FIELDS).writeheader()

    def encode(self, records: Iterable[dict[str, Any]]) -> list[str]:
        buffer = io.StringIO(newline="")
        rows = csv.DictWriter(buffer, fieldnames=MENTION_FIELDS, extrasaction="ignore")
        pieces = []
        for record in records:
            rows.writerow(record | {"alternatives": to_json(record.get("alternatives") or [])})
            pieces.append(buffer.getvalue())
            buffer.seek(0)
            buffer.truncate()
        return pieces
