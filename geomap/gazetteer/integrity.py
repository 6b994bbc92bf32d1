"""A built gazetteer's fingerprint: its SHA-256, size and date, kept in a file beside it.

Opening a gazetteer compares the size and date (a stat, free); when they
differ, or when asked, the file is hashed again (about 0.1 s for 140 MB) and a
mismatch means its bytes changed since the build: it is rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

__all__ = ["file_sha256", "integrity_path", "read_integrity", "unchanged_since_recorded", "write_integrity"]


def integrity_path(database: Path) -> Path:
    return database.with_name(f"{database.name}.sha256.json")


def file_sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def write_integrity(database: Path, *, sha256: str | None = None) -> None:
    """Record the database's hash (``sha256`` when the caller has just computed it), size and date
    (written aside, then renamed into place)."""
    stat = database.stat()
    record = {"sha256": sha256 or file_sha256(database), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    target = integrity_path(database)
    partial = target.with_name(f".{target.name}.{os.getpid()}.part")
    partial.write_text(json.dumps(record), encoding="utf-8")
    os.replace(partial, target)


def read_integrity(database: Path) -> dict[str, Any] | None:
    """The record written at the build, or None when there is none (or it is unreadable)."""
    try:
        record = json.loads(integrity_path(database).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or not {"sha256", "size", "mtime_ns"} <= record.keys():
        return None
    return record


def unchanged_since_recorded(database: Path, record: dict[str, Any]) -> bool:
    """Size and date as recorded: the cheap check made at every opening."""
    stat = database.stat()
    return stat.st_size == record["size"] and stat.st_mtime_ns == record["mtime_ns"]
