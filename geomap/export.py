"""Writers: mention records as JSONL or CSV (GeoJSON comes with the map layer)."""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from ._io import atomic_output
from .errors import InputError

__all__ = ["MENTION_FIELDS", "read_mentions", "write_mentions"]

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
