"""Writers: mention records as JSONL or CSV, and GeoJSON (RFC 7946)."""

from __future__ import annotations

import csv
import json
import math
import os
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

import shapely.geometry

from ._geojson import rounded
from ._io import atomic_output
from .errors import InputError

__all__ = ["MENTION_FIELDS", "POLYGON_KINDS", "mentions_geojson", "read_mentions", "write_geojson", "write_mentions"]

#: Column order of mention records (DESIGN.md's contract, plus provenance).
MENTION_FIELDS = (
    "article_id",
    "start",
    "end",
    "text",
    "sentence",
    "sentence_start",
    "type",
    "place_id",
    "geonameid",
    "name",
    "kind",
    "country_code",
    "admin1",
    "lat",
    "lon",
    "confidence",
    "resolved_by",
    "alternatives",
)


def _format_of(path: str | os.PathLike[str] | None, fmt: str | None) -> str:
    if fmt:
        return fmt
    if path is not None and Path(path).suffix.lower() == ".csv":
        return "csv"
    return "jsonl"


def _write(records: Iterable[dict[str, Any]], handle: IO[str], fmt: str) -> int:
    count = 0
    if fmt == "csv":
        writer = csv.DictWriter(handle, fieldnames=MENTION_FIELDS, extrasaction="ignore")
        writer.writeheader()
        for record in records:
            row = dict(record)
            row["alternatives"] = json.dumps(row.get("alternatives") or [], ensure_ascii=False)
            writer.writerow(row)
            count += 1
    else:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    return count


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
        return _write(records, destination, fmt or "jsonl")
    chosen = _format_of(destination, fmt)
    with atomic_output(destination, newline="" if chosen == "csv" else None) as handle:
        return _write(records, handle, chosen)


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

#: Place kinds exported as polygons where the gazetteer has a shape; the rest are points.
POLYGON_KINDS = frozenset({"admin1", "admin2", "composite", "macro_region"})
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
        if place_id not in cache:
            shape = gazetteer.geometry(place_id)
            cache[place_id] = None if shape is None else dict(shapely.geometry.mapping(shape))
        if cache[place_id] is not None:
            geometry = cache[place_id]
            return {"type": geometry["type"], "coordinates": rounded(geometry["coordinates"], 6)}
    return {"type": "Point", "coordinates": [round(float(record["lon"]), 6), round(float(record["lat"]), 6)]}


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
    features = []
    records = [{k: _plain(v) for k, v in row.items()} for row in joined.to_dict("records")]
    if per == "mention":
        for record in records:
            properties = {k: v for k, v in record.items() if k in (*MENTION_FIELDS, *_ARTICLE_FIELDS)}
            features.append(
                {"type": "Feature", "geometry": _geometry(record, gazetteer, cache), "properties": properties}
            )
    else:
        by_place: dict[str, list[dict[str, Any]]] = {}
        for record in records:
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
            features.append(
                {"type": "Feature", "geometry": _geometry(first, gazetteer, cache), "properties": properties}
            )
    return {"type": "FeatureCollection", "features": features}


def write_geojson(collection: dict[str, Any], path: str | os.PathLike[str]) -> None:
    """Write a FeatureCollection atomically, as compact UTF-8 JSON."""
    with atomic_output(path) as handle:
        json.dump(collection, handle, ensure_ascii=False, separators=(",", ":"))
