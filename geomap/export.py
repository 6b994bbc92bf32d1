"""Writers: mention records as JSONL or CSV, and GeoJSON (RFC 7946)."""

from __future__ import annotations

import csv
import json
import math
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import shapely.geometry

from ._geojson import rounded
from ._io import atomic_output
from .errors import InputError
from .models import MENTION_FIELDS, POLYGON_KINDS

__all__ = [
    "EXPORT_SUFFIXES",
    "MENTION_SUFFIXES",
    "FeatureCollectionWriter",
    "MentionWriter",
    "mention_features",
    "mentions_geojson",
    "output_format",
    "read_mentions",
    "write_geojson",
    "write_mentions",
]


#: Mention record formats by file suffix.
MENTION_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}
#: Export formats by file suffix.
EXPORT_SUFFIXES = {".geojson": "geojson", ".json": "geojson", ".csv": "csv"}


def output_format(path: str | os.PathLike[str], suffixes: dict[str, str]) -> str:
    """The format a file name asks for; an unknown suffix is an error that lists the known ones."""
    suffix = Path(path).suffix.lower()
    if suffix not in suffixes:
        known = ", ".join(suffixes)
        msg = f"cannot tell the output format of {str(path)!r} from its suffix {suffix!r}: use one of {known}"
        raise InputError(msg)
    return suffixes[suffix]


class MentionWriter:
    """Mention records to an open text stream, as JSONL or CSV, as they come."""

    def __init__(self, handle: IO[str], fmt: str = "jsonl") -> None:
        if fmt not in ("jsonl", "csv"):
            msg = f"fmt={fmt!r} is not one of 'jsonl', 'csv'"
            raise ValueError(msg)
        self.count = 0
        self._handle = handle
        self._csv = csv.DictWriter(handle, fieldnames=MENTION_FIELDS, extrasaction="ignore") if fmt == "csv" else None
        if self._csv is not None:
            self._csv.writeheader()

    def write(self, records: Iterable[dict[str, Any]]) -> None:
        for record in records:
            if self._csv is not None:
                row = dict(record)
                row["alternatives"] = json.dumps(row.get("alternatives") or [], ensure_ascii=False)
                self._csv.writerow(row)
            else:
                self._handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            self.count += 1


def write_mentions(
    records: Iterable[dict[str, Any]],
    destination: str | os.PathLike[str] | IO[str],
    *,
    fmt: str | None = None,
) -> int:
    """Write mention records to a path (JSONL, or CSV for a .csv suffix) or an open text stream.

    A path is written atomically. Returns the number of records written.
    """
    if hasattr(destination, "write"):
        writer = MentionWriter(destination, fmt or "jsonl")
        writer.write(records)
        return writer.count
    chosen = fmt or output_format(destination, MENTION_SUFFIXES)
    with atomic_output(destination, newline="" if chosen == "csv" else None) as handle:
        writer = MentionWriter(handle, chosen)
        writer.write(records)
        return writer.count


def read_mentions(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """Mention records from a JSONL or CSV file written by :func:`write_mentions`."""
    source = Path(path)
    if not source.is_file():
        msg = f"{str(source)!r} does not exist"
        raise InputError(msg)
    text = source.read_text(encoding="utf-8-sig")
    if source.suffix.lower() == ".csv":
        return [_typed(row, where=f"{source}") for row in csv.DictReader(text.splitlines())]
    records = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as err:
            msg = f"{source}:{lineno}: not valid JSON ({err.msg})"
            raise InputError(msg) from err
    return records


def _typed(row: dict[str, str], *, where: str) -> dict[str, Any]:
    """CSV cells back to the JSON record's types."""
    out: dict[str, Any] = {k: (v if v != "" else None) for k, v in row.items()}
    try:
        for name in ("start", "end", "sentence_start", "geonameid"):
            if out.get(name) is not None:
                out[name] = int(out[name])
        for name in ("lat", "lon", "confidence"):
            if out.get(name) is not None:
                out[name] = float(out[name])
        out["alternatives"] = json.loads(out["alternatives"]) if out.get("alternatives") else []
    except (ValueError, json.JSONDecodeError) as err:
        msg = f"{where}: a mention row has a malformed number or list ({err})"
        raise InputError(msg) from err
    return out


# --- GeoJSON (RFC 7946) ----------------------------------------------------------

_ARTICLE_FIELDS = ("article_title", "article_date", "article_dateline", "article_url", "article_source")


def _plain(value: Any) -> Any:
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


def _geometry(record: dict[str, Any], gazetteer: Any, cache: dict[str, dict | None]) -> dict | None:
    if record.get("place_id") is None or record.get("lat") is None:
        return None
    place_id = record["place_id"]
    if record.get("kind") in POLYGON_KINDS and gazetteer is not None:
        if place_id not in cache:  # rounded once per place: a region may be mentioned thousands of times
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
    records: Iterable[dict[str, Any]], *, gazetteer: Any = None, cache: dict[str, dict | None] | None = None
) -> Iterator[dict[str, Any]]:
    """A GeoJSON Feature per joined mention record (see :func:`mentions_geojson`).

    ``cache`` keeps region polygons between calls (one dict per output file).
    """
    cache = {} if cache is None else cache
    for row in records:
        record = {k: _plain(v) for k, v in row.items()}
        properties = {k: v for k, v in record.items() if k in (*MENTION_FIELDS, *_ARTICLE_FIELDS)}
        yield {"type": "Feature", "geometry": _geometry(record, gazetteer, cache), "properties": properties}


def mentions_geojson(joined: Any, *, gazetteer: Any = None, per: str = "mention") -> dict[str, Any]:
    """An RFC 7946 FeatureCollection of the joined mentions.

    ``per="mention"``: a feature per mention (unresolved ones with a null
    geometry, so nothing is lost); ``per="place"``: a feature per resolved
    place, with how often and where it was mentioned. Regions (admin units,
    composite regions) are Polygons or MultiPolygons with counter-clockwise
    exterior rings; everything else is a Point. Coordinates are [lon, lat],
    rounded to 6 decimals; there is no ``crs`` member.
    """
    if per not in ("mention", "place"):
        msg = f"per={per!r} is not one of 'mention', 'place'"
        raise ValueError(msg)
    cache: dict[str, dict | None] = {}
    rows = joined.to_dict("records")
    if per == "mention":
        return {"type": "FeatureCollection", "features": list(mention_features(rows, gazetteer=gazetteer, cache=cache))}
    features = []
    by_place: dict[str, list[dict[str, Any]]] = {}
    for record in ({k: _plain(v) for k, v in row.items()} for row in rows):
        if record.get("place_id") is not None:
            by_place.setdefault(record["place_id"], []).append(record)
    for place_id, group in by_place.items():
        first = group[0]
        properties = {
            "place_id": place_id,
            **{k: first.get(k) for k in ("geonameid", "name", "kind", "country_code", "admin1", "lat", "lon")},
            "mentions": len(group),
            "articles": sorted({r["article_id"] for r in group}),
            "article_titles": sorted({r["article_title"] for r in group if r.get("article_title")}),
            "types": sorted({r["type"] for r in group}),
            "first_sentence": first.get("sentence"),
            "confidence": max((r.get("confidence") or 0.0) for r in group),
        }
        features.append({"type": "Feature", "geometry": _geometry(first, gazetteer, cache), "properties": properties})
    return {"type": "FeatureCollection", "features": features}


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class FeatureCollectionWriter:
    """A GeoJSON FeatureCollection written to an open text stream one feature at a time.

    :meth:`write_mentions` writes joined mention records as :func:`mention_features`
    would, encoding each region's polygon once however often it is mentioned.
    """

    def __init__(self, handle: IO[str], *, gazetteer: Any = None) -> None:
        self._handle = handle
        self._first = True
        self._gazetteer = gazetteer
        self._shapes: dict[str, dict | None] = {}
        self._encoded: dict[str, str] = {}  # place_id -> its polygon as JSON
        handle.write('{"type":"FeatureCollection","features":[')

    def _put(self, text: str) -> None:
        self._handle.write(text if self._first else "," + text)
        self._first = False

    def write(self, features: Iterable[dict[str, Any]]) -> None:
        # json.dumps, not json.dump: only the one-shot encoder is the C one (5x faster on polygons)
        for feature in features:
            self._put(_dumps(feature))

    def write_mentions(self, records: Iterable[dict[str, Any]]) -> None:
        for row in records:
            record = {k: _plain(v) for k, v in row.items()}
            properties = {k: v for k, v in record.items() if k in (*MENTION_FIELDS, *_ARTICLE_FIELDS)}
            geometry = _geometry(record, self._gazetteer, self._shapes)
            if geometry is not None and geometry["type"] != "Point":
                encoded = self._encoded.get(record["place_id"])
                if encoded is None:
                    encoded = self._encoded[record["place_id"]] = _dumps(geometry)
            else:
                encoded = _dumps(geometry)
            self._put(f'{{"type":"Feature","geometry":{encoded},"properties":{_dumps(properties)}}}')

    def close(self) -> None:
        self._handle.write("]}")


def write_geojson(collection: dict[str, Any], path: str | os.PathLike[str]) -> None:
    """Write a FeatureCollection atomically, as compact UTF-8 JSON."""
    with atomic_output(path) as handle:
        writer = FeatureCollectionWriter(handle)
        writer.write(collection["features"])
        writer.close()
