"""Mention records as JSON Lines: one object per line, the mention fields in contract order."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import IO, Any, ClassVar

from ..models import MENTION_FIELDS

__all__ = ["JsonlWriter"]


class JsonlWriter:
    newline: ClassVar[str | None] = None

    def __init__(self, handle: IO[str], *, gazetteer: Any = None) -> None:
        self.count = 0
        self._handle = handle

    def write(self, records: Iterable[dict[str, Any]]) -> None:
        for record in records:
            self._handle.write(json.dumps({name: record.get(name) for name in MENTION_FIELDS}, ensure_ascii=False))
            self._handle.write("\n")
            self.count += 1

    def close(self) -> None:
        pass
