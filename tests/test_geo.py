"""Great-circle distances: the one-pair function in degrees and the resolver's in radians, for points and
for numpy arrays, agree."""

from __future__ import annotations

import math

import numpy as np
import pytest

from geomap.geo import distance_km, haversine_km, haversines_km


def _in_radians(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    a, b = math.radians(lat1), math.radians(lat2)
    return haversine_km(a, math.radians(lon1), math.cos(a), b, math.radians(lon2), math.cos(b))


@pytest.mark.parametrize(
    ("points", "km"),
    [
        ((51.191, 35.271, 51.73, 36.19), 87.4),  # Sudzha to Kursk
        ((48.8566, 2.3522, 33.6609, -95.5555), 7_783.4),  # Paris to Paris, Texas
        ((0.0, 0.0, 0.0, 180.0), 20_015.1),  # half the equator
        ((0.0, 0.0, 0.0, 0.0), 0.0),
    ],
)
def test_haversine_in_radians_is_the_distance_in_degrees(points: tuple[float, float, float, float], km: float) -> None:
    assert _in_radians(*points) == pytest.approx(distance_km(*points), rel=1e-12, abs=1e-9)
    assert round(_in_radians(*points), 1) == km


def test_antipodes_stay_within_the_half_circumference() -> None:
    # rounding can push the haversine term past 1: it is clipped, not a math domain error
    assert _in_radians(45.0, 10.0, -45.0, -170.0) == pytest.approx(math.pi * 6371.0088)


def test_the_array_haversine_is_the_point_one_over_a_matrix() -> None:
    rng = np.random.default_rng(3)
    lat1, lon1 = np.radians(rng.uniform(-90, 90, (7, 1))), np.radians(rng.uniform(-180, 180, (7, 1)))
    lat2, lon2 = np.radians(rng.uniform(-90, 90, (1, 5))), np.radians(rng.uniform(-180, 180, (1, 5)))
    lat2[0, 0], lon2[0, 0] = -lat1[0, 0], lon1[0, 0] + math.pi  # an antipode: clipped too
    matrix = haversines_km(lat1, lon1, np.cos(lat1), lat2, lon2, np.cos(lat2))
    assert matrix.shape == (7, 5)
    for i in range(7):
        for j in range(5):
            a, b = float(lat1[i, 0]), float(lat2[0, j])
            one = haversine_km(a, float(lon1[i, 0]), math.cos(a), b, float(lon2[0, j]), math.cos(b))
            assert matrix[i, j] == pytest.approx(one, rel=1e-12)
