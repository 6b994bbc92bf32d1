"""What a map shows of mention records, fed as they come and kept small (MapDigest)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from ..models import POLYGON_KINDS
from ..settings import ARTICLE_LAYERS

__all__ = [
    "ARTICLE_LAYERS",
    "LAYER_ORDER",
    "SENTENCES_PER_POPUP",
    "Group",
    "MapDigest",
    "PlaceTotal",
    "layer_of",
    "plain_value",
    "records_of",
]

#: The layers of an article, in the order the layer tree lists them.
LAYER_ORDER = ("places", "associative", "demonyms", "regions")
#: Mentions a popup quotes, at most; the rest are counted.
SENTENCES_PER_POPUP = 5


def plain_value(row: Mapping[str, Any], name: str) -> Any:
    value = row.get(name)
    return None if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA else value


def layer_of(row: Mapping[str, Any]) -> str:
    if row["kind"] in POLYGON_KINDS:
        return "regions"
    return {"associative": "associative", "demonym": "demonyms"}.get(row["type"], "places")


# What a marker's popup says of its place, taken from the first mention.
_PLACE_FIELDS = ("name", "kind", "country_code", "admin1", "geonameid", "alternatives", "lat", "lon", "text")


class Group:
    """An article's mentions of one place in one layer: one marker or region on the map.

    Kept small: the place's fields once, then per quoted mention (the first
    SENTENCES_PER_POPUP) its text, sentence, offset in the sentence and type.
    """

    __slots__ = ("confidence", "count", "dateline", "place", "quotes")

    def __init__(self, record: dict[str, Any]) -> None:
        self.place: dict[str, Any] = {name: record.get(name) for name in _PLACE_FIELDS}
        self.quotes: list[tuple[str, str, int | None, str]] = []
        self.count = 0
        self.confidence = 0.0
        self.dateline = False

    def add(self, record: dict[str, Any]) -> None:
        self.count += 1
        if len(self.quotes) < SENTENCES_PER_POPUP:
            start, sentence_start = record.get("start"), record.get("sentence_start")
            offset = None if start is None or sentence_start is None else int(start) - int(sentence_start)
            self.quotes.append((str(record["text"]), record.get("sentence") or "", offset, record["type"]))
        self.confidence = max(self.confidence, record.get("confidence") or 0.0)
        self.dateline = self.dateline or record["type"] == "dateline"


class PlaceTotal:
    """A place across the articles: its fields (from the first mention) and its mentions per article."""

    __slots__ = ("by_article", "place")

    def __init__(self, place: dict[str, Any]) -> None:
        self.place = place
        self.by_article: dict[str, int] = {}

    @property
    def mentions(self) -> int:
        return sum(self.by_article.values())


class MapDigest:
    """What a map shows of mention records, fed as they come and kept small.

    Per article its title and date; per place its mentions per article (the
    layers across all articles); and, for at most ``article_layers`` articles
    (None: all), per article, layer and place a count, the best confidence
    and the first SENTENCES_PER_POPUP mentions (what a popup quotes). Past
    that many articles the per-article groups are let go (``aggregated``):
    an index of 100,000 articles keeps its places, not their sentences. Its
    size grows with the places drawn, not with the mentions: a text naming
    Kyiv 10,000 times is one marker. Records are plain dicts with the
    mention fields and the article's (``article_title``, ``article_date``...).
    """

    def __init__(self, *, article_layers: int | None = None) -> None:
        self.articles: dict[str, dict[str, Any]] = {}
        self.groups: dict[str, dict[str, dict[str, Group]]] = {}
        self.places: dict[str, PlaceTotal] = {}
        self.article_layers = article_layers
        self.aggregated = False

    def _check_size(self) -> None:
        if not self.aggregated and self.article_layers is not None and len(self.articles) > self.article_layers:
            self.aggregated = True
            self.groups.clear()

    def add_article(self, row: Mapping[str, Any]) -> None:
        """An article to show, mentions or not (a row of :func:`geomap.models.article_row`)."""
        self.articles[row["article_id"]] = {
            "article_id": row["article_id"],
            **{name: plain_value(row, f"article_{name}") for name in ("title", "date", "source", "url")},
        }

    def add(self, records: Iterable[dict[str, Any]]) -> None:
        for record in records:
            article_id = record["article_id"]
            if article_id not in self.articles:
                self.add_article(record)
            place_id = record.get("place_id")
            if place_id is None:
                continue
            total = self.places.get(place_id)
            if total is None:
                total = self.places[place_id] = PlaceTotal({name: record.get(name) for name in _PLACE_FIELDS})
            total.by_article[article_id] = total.by_article.get(article_id, 0) + 1
            if self.aggregated:
                continue
            by_layer = self.groups.setdefault(article_id, {}).setdefault(layer_of(record), {})
            group = by_layer.get(place_id)
            if group is None:
                group = by_layer[place_id] = Group(record)
            group.add(record)
        self._check_size()

    def update(self, other: MapDigest) -> None:
        """Take in the articles of another digest (a worker's page of one article): ids are unique."""
        self.articles.update(other.articles)
        for place_id, theirs in other.places.items():
            total = self.places.get(place_id)
            if total is None:
                total = self.places[place_id] = PlaceTotal(theirs.place)
            total.by_article.update(theirs.by_article)
        if not self.aggregated:
            self.groups.update(other.groups)
        self._check_size()

    def mentions_per_day(self) -> dict[str, int]:
        """Per date, how many resolved mentions its articles hold (the timeline under the date slider)."""
        days: dict[str, int] = {}
        for total in self.places.values():
            for article_id, count in total.by_article.items():
                date = self.articles[article_id]["date"]
                if date:
                    days[date] = days.get(date, 0) + count
        return days

    def only(self, article_id: str) -> MapDigest:
        """The digest of one article (sharing this one's records); not of an aggregated digest."""
        if self.aggregated:
            raise ValueError("an aggregated digest keeps no article's own mentions")
        digest = MapDigest()
        digest.articles[article_id] = self.articles[article_id]
        by_layer = self.groups.get(article_id, {})
        if by_layer:
            digest.groups[article_id] = by_layer
        for groups in by_layer.values():  # its places, from its own groups: not a pass over every place
            for place_id, group in groups.items():
                total = digest.places.setdefault(place_id, PlaceTotal(group.place))
                total.by_article[article_id] = total.by_article.get(article_id, 0) + group.count
        return digest

    def article_rows(self) -> list[dict[str, Any]]:
        """Every article to show, in date then id order."""
        return sorted(self.articles.values(), key=lambda a: (a["date"] or "9999", str(a["article_id"])))

    @classmethod
    def of(
        cls,
        joined: pd.DataFrame | list[dict[str, Any]] | None,
        articles: pd.DataFrame | list[Any] | None = None,
        *,
        article_layers: int | None = None,
    ) -> MapDigest:
        """The digest of joined mention rows (a frame or dicts) and, optionally, every article's row."""
        digest = cls(article_layers=article_layers)
        for row in records_of(articles):
            digest.add_article(row)
        digest.add(records_of(joined))
        return digest


def records_of(frame: pd.DataFrame | list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """Rows as plain dicts (pandas' missing values as None): the renderer works on these."""
    if frame is None:
        return []
    if isinstance(frame, list):
        return [dict(row) for row in frame]
    rows: list[dict[str, Any]] = frame.to_dict("records")  # type: ignore[assignment]  # column names are str
    return [{k: plain_value(row, k) for k in row} for row in rows]
