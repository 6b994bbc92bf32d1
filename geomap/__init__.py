"""geomap: map the places that news articles report, offline.

The library is usable on its own; ``geomap.cli`` is a thin click layer over it.
The map and table functions (pandas, folium) load on first use, so that
``geomap geocode`` starts fast.
"""

from importlib import import_module
from typing import Any

from .errors import GazetteerError, GeomapError, InputError, NoMatchError
from .evaluate import score_mentions
from .gazetteer import Gazetteer, ReverseResult, build_gazetteer, open_gazetteer
from .geocoder import OfflineGazetteer
from .ingest import read_articles
from .models import Article, Candidate, Mention, Place, Span
from .pipeline import Geoparser

_LAZY = {
    "draw": "job",
    "extract": "job",
    "run": "job",
    "articles_frame": "join",
    "join_mentions": "join",
    "mentions_frame": "join",
    "place_summary": "join",
    "render_map": "render",
    "write_maps": "render",
    "mentions_geojson": "export",
    "read_mentions": "export",
    "write_geojson": "export",
    "write_mentions": "export",
}

__all__ = [
    "Article",
    "Candidate",
    "GazetteerError",
    "Gazetteer",
    "GeomapError",
    "Geoparser",
    "InputError",
    "Mention",
    "NoMatchError",
    "OfflineGazetteer",
    "Place",
    "ReverseResult",
    "Span",
    "build_gazetteer",
    "open_gazetteer",
    "read_articles",
    "score_mentions",
    *_LAZY,
]

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    msg = f"module 'geomap' has no attribute {name!r}"
    raise AttributeError(msg)
