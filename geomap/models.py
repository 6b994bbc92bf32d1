"""Frozen records passed between the stages of the pipeline."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["Candidate", "Place"]


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry: a country, admin unit, populated place or region.

    ``lat``/``lon`` is the representative point: for a polygon it lies inside
    the shape, near its middle. ``admin1`` is a GeoNames admin-1 code such as
    ``"RU.41"``; ``None`` where the place has none (or spans several).
    """

    place_id: str
    name: str
    kind: str
    lat: float
    lon: float
    geonameid: int | None = None
    country_code: str | None = None
    admin1: str | None = None
    population: int | None = None
    has_shape: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


@dataclass(frozen=True, slots=True)
class Candidate:
    """A place that a name can refer to, with how the name matched it.

    ``match`` is ``"name"`` (the place's own name), ``"alias"``,
    ``"abbreviation"`` (``"U.S."``, ``"W.Va."``) or ``"demonym"``
    (``"Russian"``). ``prior`` ranks candidates before any context is known.
    """

    place: Place
    matched: str
    match: str
    prior: float
