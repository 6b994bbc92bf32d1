"""Saved mention records read back, and exported: GeoJSON collections (per mention or per place).

The formats themselves live in :mod:`geomap.writers`.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import orjson

from ._io import atomic_output
from .errors import InputError
from .writers import JsonlWriter, writer_for
from .writers.geojson import GeoJsonWriter, feature_geometry, mention_features, plain

__all__ = [
    "EXPORT_SUFFIXES",
    "iter_mentions",
    "mentions_geojson",
    "read_mentions",
    "write_geojson",
    "write_mentions",
]


#: Formats of ``geomap export`` (a whole table or collection, per mention or per place), by file suffix.
EXPORT_SUFFIXES = {".geojson": "geojson", ".json": "geojson", ".csv": "csv"}


def write_mentions(
    records: Iterable[dict[str, Any]],
    destination: str | os.PathLike[str] | IO[str],
    *,
    gazetteer: Any = None,
) -> int:
    """Write mention records to a path (the format by its suffix: see :data:`geomap.writers.WRITERS`)
    or, as JSONL, to an open text stream. A path is written aside and renamed into place.
    Returns the number of records written."""
    if not isinstance(destination, (str, os.PathLike)):
        stream = JsonlWriter(destination)
        stream.write(records)
        return stream.count
    factory = writer_for(destination)
    with atomic_output(destination, newline=factory.newline) as handle:
        writer = factory(handle, gazetteer=gazetteer)
        writer.write(records)
        writer.close()
        return writer.count


def read_mentions(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """Mention records from a JSONL or CSV file written by :func:`write_mentions`."""
    return list(iter_mentions(path))


def iter_mentions(path: str | os.PathLike[str]) -> Iterator[dict[str, Any]]:
    """Mention records from a JSONL or CSV file written by :func:`write_mentions`, one at a time (a
    missing file is an error here, before the first is asked for)."""
    source = Path(path)
    if not source.is_file():
        msg = f"{str(source)!r} does not exist"
        raise InputError(msg)
    return _mentions_in(source)


def _mentions_in(source: Path) -> Iterator[dict[str, Any]]:
    with source.open(encoding="utf-8-sig", newline="" if source.suffix.lower() == ".csv" else None) as handle:
        if source.suffix.lower() == ".csv":
            for row in csv.DictReader(handle):
                yield _typed(row, where=f"{source}")
            return
        for lineno, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                yield orjson.loads(line)
            except orjson.JSONDecodeError as err:
                msg = f"{source}:{lineno}: not valid JSON ({err.msg})"
                raise InputError(msg) from err


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
    cache: dict[str, dict[str, Any] | None] = {}
    rows = joined.to_dict("records")
    if per == "mention":
        features = list(mention_features(rows, gazetteer=gazetteer, cache=cache))
        return {"type": "FeatureCollection", "features": features}
    features = []
    by_place: dict[str, list[dict[str, Any]]] = {}
    for record in ({k: plain(v) for k, v in row.items()} for row in rows):
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
            {"type": "Feature", "geometry": feature_geometry(first, gazetteer, cache), "properties": properties}
        )
    return {"type": "FeatureCollection", "features": features}


def write_geojson(collection: dict[str, Any], path: str | os.PathLike[str]) -> None:
    """Write a FeatureCollection atomically, as compact UTF-8 JSON."""
    with atomic_output(path) as handle:
        writer = GeoJsonWriter(handle)
        writer.write_features(collection["features"])
        writer.close()
