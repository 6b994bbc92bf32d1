"""Frozen records passed between the stages of the pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Final

__all__ = [
    "ARTICLE_COLUMNS",
    "ARTICLE_ROW_FIELDS",
    "GOLD_TYPES",
    "MENTION_FIELDS",
    "MENTION_TYPES",
    "POLYGON_KINDS",
    "Article",
    "Candidate",
    "Mention",
    "Place",
    "Span",
    "article_row",
    "mention_type_of_gold",
]


#: Place kinds drawn and exported as polygons where the gazetteer has a shape; other places are points.
POLYGON_KINDS: Final = frozenset({"admin1", "admin2", "composite", "macro_region"})


def _rebuilt(record: Any) -> tuple[Any, ...]:
    """How a record pickles (to and from --jobs workers, Dask): its class and its fields, in order. Compiled
    with mypyc (hatch_build.py), a frozen dataclass cannot be unpickled field by field: it refuses to be set."""
    return type(record), tuple(getattr(record, f.name) for f in fields(record))


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry: a country, admin unit, populated place or region.

    ``lat``/``lon`` is the representative point: for a polygon it lies inside
    the shape, near its middle. ``admin1`` is a GeoNames admin-1 code such as
    ``"RU.41"``; ``None`` where the place has none (or spans several).
    """

    place_id: str
    name: str
    kind: str
    lat: float
    lon: float
    geonameid: int | None = None
    country_code: str | None = None
    admin1: str | None = None
    population: int | None = None
    has_shape: bool = False

    def __reduce__(self) -> tuple[Any, ...]:
        return _rebuilt(self)

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}

    def is_within(self, qualifier: Place) -> bool:
        """Whether a qualifier ("Paris, Texas"; "Portland, Maine"; "Louisville, Ky.") holds this place:
        its country, its admin-1 unit, or a place of the same admin-1 unit (a county seat's county)."""
        if qualifier.kind in ("country", "territory"):
            return self.country_code == qualifier.country_code
        if qualifier.kind == "admin1":
            return self.country_code == qualifier.country_code and self.admin1 == qualifier.admin1
        return self.admin1 == qualifier.admin1 and self.name.casefold() != qualifier.name.casefold()


@dataclass(frozen=True, slots=True)
class Candidate:
    """A place that a name can refer to, with how the name matched it.

    ``match`` is ``"name"`` (the place's own name), ``"alias"``,
    ``"abbreviation"`` (``"U.S."``, ``"W.Va."``) or ``"demonym"``
    (``"Russian"``). ``prior`` ranks candidates before any context is known.
    """

    place: Place
    matched: str
    match: str
    prior: float

    def __reduce__(self) -> tuple[Any, ...]:
        return _rebuilt(self)


@dataclass(frozen=True, slots=True)
class Article:
    """One news article. ``text`` is what offsets point into; ``extra`` keeps
    every input field geomap has no slot for."""

    id: str
    text: str
    title: str | None = None
    date: str | None = None
    dateline: str | None = None
    url: str | None = None
    source: str | None = None
    summary: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def __reduce__(self) -> tuple[Any, ...]:
        return _rebuilt(self)

    def as_dict(self) -> dict[str, Any]:
        record = {name: getattr(self, name) for name in self.__dataclass_fields__ if name != "extra"}
        return {**self.extra, **record}


#: Article fields carried onto each joined mention row, prefixed ``article_``.
ARTICLE_COLUMNS: Final = ("title", "date", "dateline", "url", "source")
#: The keys of :func:`article_row`: the article's id, then ``article_title``...
ARTICLE_ROW_FIELDS: Final = ("article_id", *(f"article_{name}" for name in ARTICLE_COLUMNS))


def article_row(article: Article) -> dict[str, Any]:
    """An article's id and metadata (not the text) as the columns a joined mention row carries."""
    return {"article_id": article.id, **{f"article_{name}": getattr(article, name) for name in ARTICLE_COLUMNS}}


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of article text that names a place, before resolution.

    ``query`` is what to look up: usually the surface text, but "Kursk region"
    for a span found as "region of Kursk". ``type`` is one of MENTION_TYPES.
    """

    start: int
    end: int
    text: str
    type: str
    query: str
    source: str = "gazetteer"

    def __reduce__(self) -> tuple[Any, ...]:
        return _rebuilt(self)


MENTION_TYPES: Final = ("literal", "associative", "demonym", "dateline")

#: The mention type of each of GeoWebNews' toponym types that is not literal (Gritta et al.'s taxonomy: the
#: literal group, Literal, Mixed, Literal_Modifier, Embedded_Literal and Coercion, is "literal").
GOLD_TYPES: Final = {
    "Demonym": "demonym",
    "Language": "demonym",
    "Metonymic": "associative",
    "Non_Literal_Modifier": "associative",
    "Embedded_Non_Lit": "associative",
    "Homonym": "associative",
}


def mention_type_of_gold(declared: object) -> str:
    """The mention type a gold toponym's ``type`` stands for: one of MENTION_TYPES as it is, else its
    GeoWebNews group ("Metonymic" -> "associative"), else literal."""
    if declared in MENTION_TYPES:
        return str(declared)
    return GOLD_TYPES.get(str(declared), "literal")


#: The fields of a mention record, in order (DESIGN.md's contract, plus provenance): Mention.as_record.
MENTION_FIELDS: Final = (
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


@dataclass(frozen=True, slots=True)
class Mention:
    """A resolved (or unresolvable) place mention: the record geomap writes.

    ``place`` is ``None`` when no gazetteer entry fits; the span is still
    reported. ``alternatives`` are the runner-up candidates, best first, as
    plain dicts so maps can show them.
    """

    article_id: str
    start: int
    end: int
    text: str
    sentence: str
    sentence_start: int
    type: str
    place: Place | None
    confidence: float | None
    resolved_by: str | None = None
    alternatives: tuple[dict[str, Any], ...] = ()

    def __reduce__(self) -> tuple[Any, ...]:
        return _rebuilt(self)

    def as_record(self) -> dict[str, Any]:
        """The flat record of DESIGN.md's mention contract."""
        place = self.place
        return {
            "article_id": self.article_id,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "sentence": self.sentence,
            "sentence_start": self.sentence_start,
            "type": self.type,
            "place_id": place.place_id if place else None,
            "geonameid": place.geonameid if place else None,
            "name": place.name if place else None,
            "kind": place.kind if place else None,
            "country_code": place.country_code if place else None,
            "admin1": place.admin1 if place else None,
            "lat": place.lat if place else None,
            "lon": place.lon if place else None,
            "confidence": self.confidence,
            "resolved_by": self.resolved_by,
            "alternatives": list(self.alternatives),
        }
