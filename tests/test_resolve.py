"""The resolver's context features, on hand-made candidates (no gazetteer needed)."""

from __future__ import annotations

import math

import pytest

from geomap.models import Candidate, Place, Span
from geomap.resolve import NEAR_KM, _Pending, _Where

# Two Parises 7,700 km apart, a town 30 km from the one in Texas, and a country.
PARIS_FR = Place("p:fr", "Paris", "populated_place", 48.8566, 2.3522, country_code="FR")
PARIS_TX = Place("p:tx", "Paris", "populated_place", 33.6609, -95.5555, country_code="US")
BLOSSOM = Place("p:bl", "Blossom", "populated_place", 33.6615, -95.3858, country_code="US")
FRANCE = Place("c:fr", "France", "country", 46.6, 2.4, country_code="FR")


def pending(*places: Place) -> _Pending:
    span = Span(0, len(places[0].name), places[0].name, "literal", places[0].name)
    return _Pending(span, [Candidate(p, p.name, "name", 5.0) for p in places], "gazetteer", [])


def km(a: Place, b: Place) -> float:
    return 6371.0088 * math.acos(
        math.sin(math.radians(a.lat)) * math.sin(math.radians(b.lat))
        + math.cos(math.radians(a.lat)) * math.cos(math.radians(b.lat)) * math.cos(math.radians(a.lon - b.lon))
    )


def test_nearness_is_the_closest_anchor_of_another_name_decaying_with_distance() -> None:
    items = [pending(PARIS_FR, PARIS_TX), pending(BLOSSOM), pending(FRANCE)]
    where = _Where(items)
    assert where.sizes == {0: 2}  # only names with a choice to make
    near = where.nearness([(1, BLOSSOM, 0.9)])
    fr, tx = near[0]
    assert tx == pytest.approx(0.9 * math.exp(-km(PARIS_TX, BLOSSOM) / NEAR_KM), rel=1e-6)
    assert fr == pytest.approx(0.9 * math.exp(-km(PARIS_FR, BLOSSOM) / NEAR_KM), rel=1e-6)
    assert tx > 0.8 > 1e-9 > fr


def test_nearness_ignores_the_names_own_anchor_and_the_same_place() -> None:
    items = [pending(PARIS_FR, PARIS_TX), pending(PARIS_TX, BLOSSOM)]
    where = _Where(items)
    # item 0's own choice does not pull it; item 1 anchored on Paris, Texas gives Paris, Texas nothing either
    near = where.nearness([(0, PARIS_TX, 1.0), (1, PARIS_TX, 0.7)])
    assert near[0] == [pytest.approx(0.7 * math.exp(-km(PARIS_FR, PARIS_TX) / NEAR_KM), rel=1e-6), 0.0]
    # Blossom (item 1) is pulled by item 0's anchor only, Paris, Texas of item 1 by nothing but itself
    assert near[1] == [0.0, pytest.approx(math.exp(-km(BLOSSOM, PARIS_TX) / NEAR_KM), rel=1e-6)]


def test_no_anchors_no_nearness() -> None:
    where = _Where([pending(PARIS_FR, PARIS_TX), pending(FRANCE)])
    assert where.nearness([]) == {0: [0.0, 0.0]}
    assert _Where([pending(FRANCE)]).nearness([(0, FRANCE, 1.0)]) == {}
