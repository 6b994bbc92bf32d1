"""Exceptions raised by geomap.

Every error derives from :class:`GeomapError`; each subclass also derives from
the builtin a caller would catch without knowing geomap (the geopy pattern), so
``except ValueError`` still catches bad input.
"""

from __future__ import annotations

__all__ = ["GazetteerError", "GeomapError", "InputError", "NoMatchError", "OutputError"]


class GeomapError(Exception):
    """Root of every error geomap raises on purpose."""


class InputError(GeomapError, ValueError):
    """The user's input (a file, a record, an argument) cannot be used."""


class OutputError(GeomapError, OSError):
    """An output file or folder cannot be written where the user asked."""


class GazetteerError(GeomapError, OSError):
    """The gazetteer data or its cache cannot be read or built."""


class NoMatchError(GeomapError, LookupError):
    """A name or point has no entry in the gazetteer."""
