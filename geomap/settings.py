"""Settings read from the environment, documented in one place."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

__all__ = ["cache_dir"]

#: Environment variable naming the folder the gazetteer database is built into.
CACHE_DIR_VARIABLE = "GEOMAP_CACHE_DIR"


def cache_dir() -> Path:
    """The cache folder: ``$GEOMAP_CACHE_DIR``, else the platform's user cache."""
    configured = os.environ.get(CACHE_DIR_VARIABLE)
    if configured:
        return Path(configured).expanduser()
    return platformdirs.user_cache_path("geomap", appauthor=False)
