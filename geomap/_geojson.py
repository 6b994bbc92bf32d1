"""Small helpers for GeoJSON-like mappings."""

from __future__ import annotations

from typing import Any


def rounded(value: Any, digits: int) -> Any:
    """A GeoJSON-like value with every float rounded to ``digits`` decimals."""
    if isinstance(value, float):
        return round(value, digits)
    if isinstance(value, (list, tuple)):
        return [rounded(v, digits) for v in value]
    if isinstance(value, dict):
        return {k: rounded(v, digits) for k, v in value.items()}
    return value
