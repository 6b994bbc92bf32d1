"""The geoparsing pipeline: articles in, mention records out."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from .errors import InputError
from .gazetteer import Gazetteer, open_gazetteer
from .models import Article, Mention, Span, mention_type_of_gold
from .recognise import Recogniser, RuleRecogniser
from .resolve import Resolver

if TYPE_CHECKING:
    from .corrections import Corrections

__all__ = ["Geoparser", "spans_from_field"]


class Geoparser:
    """Recognise and resolve place mentions; the gazetteer and name index load once.

    ``recogniser`` is anything with ``recognise(text) -> list[Span]`` (the
    :class:`~geomap.recognise.Recogniser` protocol); by default the rule
    recogniser over the gazetteer's names. ``resolver`` chooses the places.
    ``corrections`` (:mod:`geomap.corrections`) pin forms to places and ban
    forms, around both.
    """

    def __init__(
        self,
        gazetteer: Gazetteer | None = None,
        *,
        recogniser: Recogniser | None = None,
        resolver: Resolver | None = None,
        corrections: Corrections | None = None,
    ) -> None:
        self.gazetteer = gazetteer or open_gazetteer()
        self.recogniser = recogniser if recogniser is not None else RuleRecogniser(self.gazetteer)
        self.resolver = resolver if resolver is not None else Resolver(self.gazetteer)
        self.corrections = corrections

    def mentions(self, article: Article) -> list[Mention]:
        """Every place mention in one article, resolved."""
        spans = self.recogniser.recognise(article.text)
        if self.corrections is None:
            return self.resolver.resolve(article, spans)
        mentions = self.resolver.resolve(article, self.corrections.spans(article, spans))
        return self.corrections.mentions(article, mentions)

    def extract(self, articles: Iterable[Article]) -> Iterator[Mention]:
        for article in articles:
            yield from self.mentions(article)

    def given(self, article: Article, *, spans_field: str) -> list[Mention]:
        """The spans one article already marks under ``spans_field`` (a gold corpus's, or your own NER's), resolved."""
        mentions = self.resolver.resolve(article, spans_from_field(article, spans_field))
        return mentions if self.corrections is None else self.corrections.mentions(article, mentions)

    def resolve_given(self, articles: Iterable[Article], *, spans_field: str) -> Iterator[Mention]:
        """Resolve spans the input already marks (a gold corpus's, or your own NER's)."""
        for article in articles:
            yield from self.given(article, spans_field=spans_field)


def spans_from_field(article: Article, field: str) -> list[Span]:
    """Spans from a record field holding ``[{"start": .., "end": .., "type"?: ..}, ...]``."""
    raw = article.extra.get(field)
    if raw is None:
        msg = f"article {article.id!r} has no {field!r} field to take spans from"
        raise InputError(msg)
    if not isinstance(raw, list):
        msg = f"article {article.id!r}: {field!r} must be a list of {{start, end}} objects"
        raise InputError(msg)
    spans = []
    for item in raw:
        try:
            start, end = int(item["start"]), int(item["end"])
        except (KeyError, TypeError, ValueError) as err:
            msg = f"article {article.id!r}: a {field!r} entry lacks integer start/end: {item!r}"
            raise InputError(msg) from err
        if not 0 <= start < end <= len(article.text):
            msg = f"article {article.id!r}: span {start}-{end} lies outside the text"
            raise InputError(msg)
        surface = article.text[start:end]
        spans.append(Span(start, end, surface, mention_type_of_gold(item.get("type")), surface, source="given"))
    return sorted(spans, key=lambda s: s.start)
