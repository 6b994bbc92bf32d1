"""Great-circle distance on one Earth radius, for single points and for numpy arrays.

>>> round(distance_km(51.191, 35.271, 51.73, 36.19), 1)   # Sudzha to Kursk
87.4
"""

from __future__ import annotations

import math
from typing import Any, Final

__all__ = ["EARTH_RADIUS_KM", "distance_km", "haversine_km", "haversines_km"]

#: The mean Earth radius (IUGG), in km: the one radius geomap measures with.
EARTH_RADIUS_KM: Final = 6371.0088


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Kilometres between two points given in degrees (haversine)."""
    phi1, lam1, phi2, lam2 = map(math.radians, (lat1, lon1, lat2, lon2))
    h = math.sin((phi2 - phi1) / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin((lam2 - lam1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def haversine_km(lat1: float, lon1: float, cos_lat1: float, lat2: float, lon2: float, cos_lat2: float) -> float:
    """Kilometres between two points given in radians, with the cosines of their latitudes (computed once
    for many calls)."""
    sin_lat = math.sin((lat2 - lat1) / 2)
    sin_lon = math.sin((lon2 - lon1) / 2)
    h = sin_lat * sin_lat + cos_lat1 * cos_lat2 * sin_lon * sin_lon
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(max(h, 0.0), 1.0)))


def haversines_km(lat1: Any, lon1: Any, cos_lat1: Any, lat2: Any, lon2: Any, cos_lat2: Any) -> Any:
    """haversine_km over numpy arrays, broadcast (rows against columns: a matrix), in the same steps."""
    import numpy as np  # only here: the scalar function's callers need not load it

    sin_lat = np.sin((lat2 - lat1) / 2)
    sin_lon = np.sin((lon2 - lon1) / 2)
    h = sin_lat * sin_lat + cos_lat1 * cos_lat2 * sin_lon * sin_lon
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
