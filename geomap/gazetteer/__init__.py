"""The offline gazetteer: built once from committed sources into SQLite, then queried.

The build (and shapely, which it needs) loads on first use: opening and
querying a built gazetteer does not pay for it.
"""

from importlib import import_module
from typing import Any

from ..text import split_designator
from .names import is_latin, name_key
from .store import Gazetteer, ReverseResult, default_gazetteer_path, open_gazetteer

_LAZY = {"build_gazetteer": "build", "representative_point": "build"}

__all__ = [
    "Gazetteer",
    "ReverseResult",
    "build_gazetteer",
    "default_gazetteer_path",
    "is_latin",
    "name_key",
    "open_gazetteer",
    "representative_point",
    "split_designator",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)
