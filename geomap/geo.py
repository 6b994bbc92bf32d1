"""Great-circle distance on one Earth radius, for single points and for arrays.

>>> round(distance_km(51.191, 35.271, 51.73, 36.19), 1)   # Sudzha to Kursk
87.4
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["EARTH_RADIUS_KM", "distance_km", "distances_km"]

#: The mean Earth radius (IUGG), in km: the one radius geomap measures with.
EARTH_RADIUS_KM = 6371.0088


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Kilometres between two points given in degrees (haversine)."""
    phi1, lam1, phi2, lam2 = map(math.radians, (lat1, lon1, lat2, lon2))
    h = math.sin((phi2 - phi1) / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin((lam2 - lam1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def distances_km(
    lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray, *, cos_lat1: np.ndarray | None = None
) -> np.ndarray:
    """Kilometres between points given in radians, broadcast (rows against columns for a matrix).

    ``cos_lat1`` may pass ``np.cos(lat1)`` computed once for many calls.
    """
    cos1 = np.cos(lat1) if cos_lat1 is None else cos_lat1
    h = np.sin((lat2 - lat1) / 2) ** 2 + cos1 * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
