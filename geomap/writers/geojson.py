"""Mention records as GeoJSON (RFC 7946), one Feature each, written as they come.

Coordinates are [lon, lat] rounded to 6 decimals; regions (admin units,
composite regions) are their polygons where the gazetteer has one, with
counter-clockwise exterior rings; unresolved mentions have a null geometry,
so nothing is lost. No ``crs`` member.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from typing import IO, Any, ClassVar

from .._geojson import rounded
from ..models import ARTICLE_ROW_FIELDS, MENTION_FIELDS, POLYGON_KINDS
from .base import PieceWriter, to_json

__all__ = ["GeoJsonWriter", "feature_geometry", "mention_features", "plain"]

#: What a mention's Feature carries as properties.
PROPERTIES = (*MENTION_FIELDS, *ARTICLE_ROW_FIELDS[1:])


def plain(value: Any) -> Any:
    """A JSON-ready value: pandas' missing values become null, numpy numbers Python ones."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if type(value).__name__ == "NAType":  # pandas.NA, without importing pandas here
        return None
    if hasattr(value, "item") and not isinstance(value, (list, dict, str)):
        return value.item()
    return value


def feature_geometry(
    record: dict[str, Any], gazetteer: Any, cache: dict[str, dict[str, Any] | None]
) -> dict[str, Any] | None:
    if record.get("place_id") is None or record.get("lat") is None:
        return None
    place_id = record["place_id"]
    if record.get("kind") in POLYGON_KINDS and gazetteer is not None:
        if place_id not in cache:  # rounded once per place: a region may be mentioned thousands of times
            import shapely.geometry  # loaded when a region is written, not for a file of points

            shape = gazetteer.geometry(place_id)
            geometry = None if shape is None else shapely.geometry.mapping(shape)
            cache[place_id] = (
                None
                if geometry is None
                else {"type": geometry["type"], "coordinates": rounded(geometry["coordinates"], 6)}
            )
        if cache[place_id] is not None:
            return cache[place_id]
    return {"type": "Point", "coordinates": [round(float(record["lon"]), 6), round(float(record["lat"]), 6)]}


def mention_features(
    records: Iterable[dict[str, Any]], *, gazetteer: Any = None, cache: dict[str, dict[str, Any] | None] | None = None
) -> Iterator[dict[str, Any]]:
    """A GeoJSON Feature per joined mention record (see :func:`mentions_geojson`).

    ``cache`` keeps region polygons between calls (one dict per output file).
    """
    cache = {} if cache is None else cache
    for row in records:
        record = {k: plain(v) for k, v in row.items()}
        properties = {k: v for k, v in record.items() if k in PROPERTIES}
        yield {"type": "Feature", "geometry": feature_geometry(record, gazetteer, cache), "properties": properties}


class GeoJsonWriter(PieceWriter):
    """A GeoJSON FeatureCollection written to an open text stream a feature at a time.

    ``write`` (``encode`` then ``put``) takes joined mention records, made into features as
    :func:`mention_features` makes them, each region's polygon encoded once however often it is
    mentioned; :meth:`write_features` takes features as they are.
    """

    separator: ClassVar[str] = ","

    def __init__(self, handle: IO[str], *, gazetteer: Any = None) -> None:
        super().__init__(handle, gazetteer=gazetteer)
        self._shapes: dict[str, dict[str, Any] | None] = {}
        self._encoded: dict[str, str] = {}  # place_id -> its polygon as JSON
        handle.write('{"type":"FeatureCollection","features":[')

    def encode(self, records: Iterable[dict[str, Any]]) -> list[str]:
        pieces = []
        for feature in mention_features(records, gazetteer=self._gazetteer, cache=self._shapes):
            geometry = feature["geometry"]
            if geometry is not None and geometry["type"] != "Point":
                place_id = feature["properties"]["place_id"]
                encoded = self._encoded.get(place_id)
                if encoded is None:
                    encoded = self._encoded[place_id] = to_json(geometry)
            else:
                encoded = to_json(geometry)
            pieces.append(f'{{"type":"Feature","geometry":{encoded},"properties":{to_json(feature["properties"])}}}')
        return pieces

    def write_features(self, features: Iterable[dict[str, Any]]) -> None:
        self.put([to_json(feature) for feature in features])

    def close(self) -> None:
        self._handle.write("]}")
