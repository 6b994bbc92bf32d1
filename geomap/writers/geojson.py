"""Mention records as GeoJSON (RFC 7946), one Feature each, written as they come.

Coordinates are [lon, lat] rounded to 6 decimals; regions (admin units,
composite regions) are their polygons where the gazetteer has one, with
counter-clockwise exterior rings; unresolved mentions have a null geometry,
so nothing is lost. No ``crs`` member.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator
from typing import IO, Any, ClassVar

from .._geojson import rounded
from ..models import ARTICLE_ROW_FIELDS, MENTION_FIELDS, POLYGON_KINDS

__all__ = ["FeatureCollectionWriter", "GeoJsonWriter", "feature_geometry", "mention_features", "plain"]

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


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class FeatureCollectionWriter:
    """A GeoJSON FeatureCollection written to an open text stream one feature at a time.

    :meth:`write_mentions` writes joined mention records as :func:`mention_features`
    makes them, encoding each region's polygon once however often it is mentioned.
    """

    def __init__(self, handle: IO[str], *, gazetteer: Any = None) -> None:
        self._handle = handle
        self._first = True
        self._gazetteer = gazetteer
        self._shapes: dict[str, dict[str, Any] | None] = {}
        self._encoded: dict[str, str] = {}  # place_id -> its polygon as JSON
        handle.write('{"type":"FeatureCollection","features":[')

    def _put(self, text: str) -> None:
        self._handle.write(text if self._first else "," + text)
        self._first = False

    def write(self, features: Iterable[dict[str, Any]]) -> None:
        # json.dumps, not json.dump: only the one-shot encoder is the C one (5x faster on polygons)
        for feature in features:
            self._put(_dumps(feature))

    def write_mentions(self, records: Iterable[dict[str, Any]]) -> int:
        """The features of :func:`mention_features`, each region's polygon encoded once; returns how many."""
        count = 0
        for feature in mention_features(records, gazetteer=self._gazetteer, cache=self._shapes):
            geometry = feature["geometry"]
            if geometry is not None and geometry["type"] != "Point":
                place_id = feature["properties"]["place_id"]
                encoded = self._encoded.get(place_id)
                if encoded is None:
                    encoded = self._encoded[place_id] = _dumps(geometry)
            else:
                encoded = _dumps(geometry)
            self._put(f'{{"type":"Feature","geometry":{encoded},"properties":{_dumps(feature["properties"])}}}')
            count += 1
        return count

    def close(self) -> None:
        self._handle.write("]}")


class GeoJsonWriter(FeatureCollectionWriter):
    """The output-format face of FeatureCollectionWriter: ``write`` takes joined mention records."""

    newline: ClassVar[str | None] = None

    def __init__(self, handle: IO[str], *, gazetteer: Any = None) -> None:
        super().__init__(handle, gazetteer=gazetteer)
        self.count = 0

    def write(self, records: Iterable[dict[str, Any]]) -> None:
        self.count += self.write_mentions(records)
