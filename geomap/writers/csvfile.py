"""Mention records as CSV: a header of the mention fields, the runner-ups as a JSON list in one cell."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import IO, Any, ClassVar

from ..models import MENTION_FIELDS

__all__ = ["CsvWriter"]


class CsvWriter:
    newline: ClassVar[str | None] = ""

    def __init__(self, handle: IO[str], *, gazetteer: Any = None) -> None:
        self.count = 0
        self._csv = csv.DictWriter(handle, fieldnames=MENTION_FIELDS, extrasaction="ignore")
        self._csv.writeheader()

    def write(self, records: Iterable[dict[str, Any]]) -> None:
        for record in records:
            row = dict(record)
            row["alternatives"] = json.dumps(row.get("alternatives") or [], ensure_ascii=False)
            self._csv.writerow(row)
            self.count += 1

    def close(self) -> None:
        pass
