"""geomap: map the places that news articles report, offline.

The library is usable on its own; ``geomap.cli`` is a thin click layer over it.
Everything but the records and errors loads on first use (geopy, shapely,
pandas and folium with it), so that a command pays only for what it runs.
"""

from importlib import import_module
from typing import Any

from .errors import GazetteerError, GeomapError, InputError, NoMatchError
from .models import Article, Candidate, Mention, Place, Span

_LAZY = {
    "score_mentions": "evaluate",
    "Gazetteer": "gazetteer",
    "ReverseResult": "gazetteer",
    "build_gazetteer": "gazetteer",
    "open_gazetteer": "gazetteer",
    "OfflineGazetteer": "geocoder",
    "read_articles": "ingest",
    "Geoparser": "pipeline",
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
    "GeomapError",
    "InputError",
    "Mention",
    "NoMatchError",
    "Place",
    "Span",
    *_LAZY,
]

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    msg = f"module 'geomap' has no attribute {name!r}"
    raise AttributeError(msg)
