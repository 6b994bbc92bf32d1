"""Mention records as JSON Lines: one object per line, the mention fields in contract order."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..models import MENTION_FIELDS
from .base import PieceWriter, to_json

__all__ = ["JsonlWriter"]


class JsonlWriter(PieceWriter):
    def encode(self, records: Iterable[dict[str, Any]]) -> list[str]:
        return [to_json({name: record.get(name) for name in MENTION_FIELDS}) + "\n" for record in records]
