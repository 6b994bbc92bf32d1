"""The offline gazetteer: built once from committed sources into SQLite, then queried."""

from ..text import split_designator
from .build import build_gazetteer, representative_point
from .names import is_latin, name_key
from .store import Gazetteer, ReverseResult, default_gazetteer_path, open_gazetteer

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
