"""Settings read from the environment, documented in one place."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import platformdirs

__all__ = ["ARTICLE_LAYERS", "cache_dir", "data_dir", "progress_interval"]

log = logging.getLogger(__name__)

#: Articles an index map gives a layer-tree branch each, at most (``geomap run/map --article-layers``).
#: Past this the index shows the places, choropleths and heat map across all the articles and finds
#: articles by search; each article keeps its own map (article.html).
ARTICLE_LAYERS = 500

#: Environment variable naming the folder the gazetteer database is built into.
CACHE_DIR_VARIABLE = "GEOMAP_CACHE_DIR"


def cache_dir() -> Path:
    """The cache folder: ``$GEOMAP_CACHE_DIR``, else the platform's user cache."""
    configured = os.environ.get(CACHE_DIR_VARIABLE)
    if configured:
        return Path(configured).expanduser()
    return platformdirs.user_cache_path("geomap", appauthor=False)


#: Environment variable naming the folder of the user's own data (imported gazetteer layers).
DATA_DIR_VARIABLE = "GEOMAP_DATA_DIR"


def data_dir() -> Path:
    """The user's data folder: ``$GEOMAP_DATA_DIR``, else the platform's user data folder. Unlike the
    cache, what is here (imported GeoNames layers) cannot be made again from geomap's own files."""
    configured = os.environ.get(DATA_DIR_VARIABLE)
    if configured:
        return Path(configured).expanduser()
    return platformdirs.user_data_path("geomap", appauthor=False)


#: Environment variable: seconds between progress lines on stderr when it is not a terminal (default 5).
PROGRESS_INTERVAL_VARIABLE = "GEOMAP_PROGRESS_INTERVAL"


def progress_interval() -> float | None:
    """``$GEOMAP_PROGRESS_INTERVAL`` as seconds, or None for the default."""
    configured = os.environ.get(PROGRESS_INTERVAL_VARIABLE)
    if not configured:
        return None
    try:
        return max(float(configured), 0.0)
    except ValueError:
        log.warning("%s=%r is not a number of seconds; using the default", PROGRESS_INTERVAL_VARIABLE, configured)
        return None
