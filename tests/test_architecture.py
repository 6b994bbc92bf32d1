"""The house rules that keep the rooms apart (ARCHITECTURE.md)."""

from __future__ import annotations

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "geomap"


def _modules(*, outside: str | None = None) -> list[Path]:
    return [
        path
        for path in PACKAGE.rglob("*.py")
        if "_vendor" not in path.parts and (outside is None or outside not in path.relative_to(PACKAGE).parts)
    ]


def test_only_the_gazetteer_touches_sql() -> None:
    for path in _modules(outside="gazetteer"):
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"\bsqlite3\b|\._con\b|\bSELECT\b", source), path.relative_to(PACKAGE)
