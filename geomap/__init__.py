"""geomap: map the places that news articles report, offline.

The library is usable on its own; ``geomap.cli`` is a thin click layer over it.
"""

from .errors import GazetteerError, GeomapError, InputError, NoMatchError
from .gazetteer import Gazetteer, ReverseResult, build_gazetteer, open_gazetteer
from .geocoder import OfflineGazetteer
from .models import Candidate, Place

__all__ = [
    "Candidate",
    "Gazetteer",
    "GazetteerError",
    "GeomapError",
    "InputError",
    "NoMatchError",
    "OfflineGazetteer",
    "Place",
    "ReverseResult",
    "build_gazetteer",
    "open_gazetteer",
]

__version__ = "0.1.0"
