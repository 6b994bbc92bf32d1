"""OfflineGazetteer: the gazetteer behind geopy's Geocoder interface.

Code written against geopy (``geocoder.geocode("Sudzha")``,
``geocoder.reverse((51.19, 35.27))``) works unchanged, and never touches the
network: the adapter geopy would send requests through refuses every request.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from geopy.adapters import BaseSyncAdapter
from geopy.exc import GeocoderServiceError
from geopy.geocoders.base import Geocoder
from geopy.location import Location
from geopy.point import Point

from .gazetteer import Gazetteer, open_gazetteer
from .models import Candidate, Place

__all__ = ["OfflineGazetteer"]


class _NoNetworkAdapter(BaseSyncAdapter):
    """An adapter that refuses to fetch anything: this geocoder is offline by design."""

    def get_json(self, url: str, *, timeout: float, headers: dict[str, Any]) -> Any:
        msg = f"OfflineGazetteer does not use the network (asked for {url!r})"
        raise GeocoderServiceError(msg)

    def get_text(self, url: str, *, timeout: float, headers: dict[str, Any]) -> str:
        return self.get_json(url, timeout=timeout, headers=headers)


class OfflineGazetteer(Geocoder):
    """A geopy geocoder over geomap's offline gazetteer.

    ``geocode`` ranks the candidates by their prior (importance and how the name
    matched: "Moscow" is the Russian capital before Moscow, Idaho; "Kursk region"
    is the oblast); ``reverse`` gives the nearest populated place, and ``.raw``
    names the admin-1 unit and country containing the point. For example
    ``OfflineGazetteer().geocode("Sudzha").raw["geonameid"]`` is 486816.
    """

    def __init__(self, gazetteer: Gazetteer | None = None, *, path: str | Path | None = None) -> None:
        super().__init__(adapter_factory=_NoNetworkAdapter)
        self._gazetteer = gazetteer
        self._path = path

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is None:
            self._gazetteer = open_gazetteer(self._path)
        return self._gazetteer

    def geocode(
        self,
        query: str,
        *,
        exactly_one: bool = True,
        limit: int | None = None,
        kinds: Iterable[str] | None = None,
        country_codes: Iterable[str] | None = None,
    ) -> Location | list[Location] | None:
        """Places named ``query``; ``None`` when there is none (geopy's convention). A query no place is
        named as a whole is read as "place, qualifier": "Paris, Texas" is the Paris in Texas."""
        candidates = self.gazetteer.lookup(query, kinds=kinds, limit=None)
        if not candidates and "," in query:
            head, _, tail = query.rpartition(",")
            qualifiers = [c.place for c in self.gazetteer.lookup(tail.strip(), limit=None)]
            candidates = [
                c
                for c in self.gazetteer.lookup(head.strip(), kinds=kinds, limit=None)
                if any(c.place.is_within(q) for q in qualifiers)
            ]
        if country_codes is not None:
            wanted = {code.upper() for code in country_codes}
            candidates = [c for c in candidates if c.place.country_code in wanted]
        if not candidates:
            return None
        if exactly_one:
            return self._location(candidates[0])
        return [self._location(c) for c in candidates[:limit]]

    def reverse(
        self, query: Point | tuple[float, float] | str, *, exactly_one: bool = True
    ) -> Location | list[Location] | None:
        """What lies at ``query`` (a geopy Point, ``(lat, lon)`` or ``"lat, lon"``).

        With ``exactly_one`` the most specific result: the nearest populated
        place within 50 km, else the admin-1 unit, else the country; its
        ``.raw`` holds all three under ``place``, ``admin1`` and ``country``.
        Otherwise the list of those found, most specific first.
        """
        point = Point(query)
        result = self.gazetteer.reverse(point.latitude, point.longitude)
        found = [p for p in (result.place, result.admin1, result.country) if p is not None]
        if not found:
            return None
        context = {
            "place": result.place.as_dict() if result.place else None,
            "admin1": result.admin1.as_dict() if result.admin1 else None,
            "country": result.country.as_dict() if result.country else None,
            "distance_km": result.distance_km,
        }
        locations = [self._place_location(p, extra={"reverse": context}) for p in found]
        return locations[0] if exactly_one else locations

    def _location(self, candidate: Candidate) -> Location:
        extra = {"matched": candidate.matched, "match": candidate.match, "prior": candidate.prior}
        return self._place_location(candidate.place, extra=extra)

    def _place_location(self, place: Place, *, extra: dict[str, Any]) -> Location:
        parts = [place.name]
        admin1 = None
        if place.kind not in ("admin1", "country"):
            admin1 = self.gazetteer.admin1_unit(place)
            if admin1 is not None and admin1.name != place.name:
                parts.append(admin1.name)
        country = None
        if place.kind != "country" and place.country_code:
            country = self.gazetteer.country(place.country_code)
            if country is not None:
                parts.append(country.name)
        raw = {
            **place.as_dict(),
            "admin1_name": admin1.name if admin1 else None,
            "country_name": country.name if country else None,
            **extra,
        }
        return Location(", ".join(parts), (place.lat, place.lon), raw)
