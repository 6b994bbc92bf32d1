"""Choose the place each span refers to, using the rest of the article as context.

A candidate's score starts from its prior (population, layer, how the name
matched) and gains from the article around it:

- country and admin-1 agreement with the article's other places, datelines
  and demonyms ("Paris" in an article about Texas towns is Paris, Texas),
  and with where the article is from (its ``home`` field, the source's home
  region; a country-code web address);
- nearness to the places that are not in doubt;
- an explicit qualifier right after the name ("Portland, Maine",
  "Louisville, Ky."), which itself names the unit holding the place before
  it ("Tacoma, Washington" is the state);
- the name written exactly as the place's own abbreviation ("US");
- a state or province's own name, over smaller towns of that name elsewhere
  ("Wyoming" is the state, not Wyoming, Michigan; "Washington" stays D.C.).

The scores of a span's candidates become probabilities (a softmax); the best
one's probability is the mention's confidence, the next ones are kept as
alternatives. Spans the gazetteer does not know (a street, or a gold span)
try their longest known part ("Colorado State University" -> Colorado), then
the town named nearest them in their sentence ("Frenchmen Street in New
Orleans"), then the article's focus place (in the country, then the admin-1
unit, with the most evidence, each name counted once, the place named with
the most weight), flagged ``resolved_by="context"``.

Why one module of some 560 lines: candidates, context votes, nearness and
the final choice are one scoring, tuned together against GeoWebNews; they
are read and changed together.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Final, NamedTuple
from urllib.parse import urlsplit

from .gazetteer import Gazetteer, name_key
from .geo import EARTH_RADIUS_KM, distance_km, haversine_km, haversines_km
from .models import Article, Candidate, Mention, Place, Span
from .recognise import PLACE_HEADS
from .text import sentence_bounds, sentence_of

__all__ = ["Resolver"]

# Weights of the context features, in units of the prior (log10 population).
W_COUNTRY: Final = 2.0
W_ADMIN1: Final = 1.5
W_NEAR: Final = 1.5
W_EXACT_FORM: Final = 1.0
W_QUALIFIER: Final = 4.0
# What a state or province named by its own name gains over smaller namesake towns elsewhere (_unit_named),
# and the people a town must have to keep the name against it.
W_UNIT_NAMED: Final = 1.0
UNIT_NAMESAKE_POPULATION: Final = 200_000
NEAR_KM: Final = 300.0
MAX_CANDIDATES: Final = 25
# A name whose best candidate has this probability after the first round is settled.
SETTLED: Final = 0.97
CONTEXT_CONFIDENCE: Final = 0.2
# A name the gazetteer lacks goes to the town named nearest it in its sentence, if that town is this sure.
LOCAL_CONFIDENCE: Final = 0.5
# How much a span's best place counts toward the article's focus, by kind.
FOCUS_WEIGHT: Final = {"populated_place": 1.0, "admin2": 0.8, "admin1": 0.5, "country": 0.25}
# What a place found inside a longer name ("Colorado" of "Colorado State University") weighs as evidence.
PARTIAL_WEIGHT: Final = 0.5
ALTERNATIVES: Final = 3
# The most spans resolved as one context (GeoWebNews articles have up to 87); longer texts go window by window.
CONTEXT_SPANS: Final = 1000

# What the input's home field (the source's home region) weighs, like a dateline; a web address's country half.
HOME_WEIGHT: Final = 1.0
# Country-code top-level domains that sites take for their letters, not their country (.io, .tv, .ai...).
_VANITY_DOMAINS: Final = frozenset("io co tv me fm ai ly gg to cc ws la am nu tk ms".split())

#: Whether this module runs compiled with mypyc (a wheel install, hatch_build.py): nearness then loops.
COMPILED: Final = not __file__.endswith(".py")
# Candidate rows of the nearness matrix computed at a time in pure Python: bounds its memory (rows x anchors).
NEARNESS_ROWS: Final = 2048
# nearness: the log of no closeness yet, and how much farther (km) than the bound an anchor must be to be
# passed over: far above the rounding of a great-circle distance (about 1e-8 km), far below what matters
_NO_LOG: Final = -math.inf
_KM_MARGIN: Final = 1e-6
_QUALIFIER: Final = re.compile(r"^,[ \t]*")
_COUNTRY_LIKE: Final = frozenset({"country", "territory"})
_QUALIFIER_KINDS: Final = frozenset({"country", "admin1", "admin2", "territory"})


# A name's part of an article's votes: per country code, per admin-1 code (see _context).
_Own = tuple[dict[str, float], dict[str, float]]


@dataclass
class _Pending:
    """One name of an article to resolve: every span written alike shares it."""

    span: Span
    candidates: list[Candidate]
    resolved_by: str
    scores: list[float]
    count: int = 0  # how many spans of the article it stands for
    qualifier: Place | None = None
    probabilities: list[float] = field(default_factory=list)  # the softmax of scores
    bonuses: list[float] = field(default_factory=list)  # per candidate, what its written form and qualifier add

    def weight(self, *, once: bool = False) -> float:
        """What this name weighs as evidence of where the article is: one per span (with ``once``, one
        however often it is written); a place found inside a longer name ("Elysian" of "Elysian Fields")
        half as much as a place named."""
        spans = 1 if once else self.count
        return spans * (PARTIAL_WEIGHT if self.resolved_by == "partial" else 1.0)

    def rescore(self, scores: list[float]) -> None:
        self.scores = scores
        self.probabilities = _softmax(scores)


class Resolver:
    """Resolve spans to gazetteer places, article by article."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self._words = gazetteer.words
        # names repeat across a corpus: look each one up once, however it is written ("US", "U.S.")
        self._lookup_key = lru_cache(maxsize=100_000)(self._lookup_uncached)
        # and what a name written one way stands for before any context: its candidates, how they were found,
        # their priors' probabilities and the unit it is the own name of (see _items)
        self._named = lru_cache(maxsize=100_000)(self._named_uncached)
        # whether a web address's country code names a country: a query once per code, not per article
        self._is_country = lru_cache(maxsize=None)(lambda code: gazetteer.country(code) is not None)

    def _lookup(self, query: str) -> tuple[Candidate, ...]:
        return self._lookup_key(name_key(query))

    def _lookup_uncached(self, key: str) -> tuple[Candidate, ...]:
        return tuple(self.gazetteer.lookup(key, limit=MAX_CANDIDATES))  # a lookup folds its name to this key

    def resolve(self, article: Article, spans: Sequence[Span]) -> list[Mention]:
        """The mentions of ``spans`` (in text order), each resolved against the rest of the article.

        The context is the whole article, up to CONTEXT_SPANS spans; a longer
        text (a book, a dump of a whole feed as one "article") is resolved
        window by window of about that many spans, cut between paragraphs, so
        that time grows with the text's length and memory stays bounded.
        """
        starts = sentence_bounds(article.text)
        home = self._home(article)
        mentions: list[Mention] = []
        for window in _windows(article.text, spans, CONTEXT_SPANS):
            mentions.extend(self._resolve_window(article, window, starts, home))
        return mentions

    def _resolve_window(self, article: Article, spans: Sequence[Span], starts: list[int], home: _Home) -> list[Mention]:
        items, item_of_span = self._items(article.text, spans)

        where = _Where(items)
        for round_ in range(2):  # score, then score again with the first round's choices as context
            # names with a choice to make; after the first round, those not yet settled
            open_ = [i for i in where.sizes if not round_ or max(items[i].probabilities) < SETTLED]
            if not open_:
                break
            countries, admin1s, anchors, owns = _context(items, home)
            nearness = where.nearness(anchors)
            for index in open_:
                item = items[index]
                item.rescore(_scores(item, nearness[index], countries, admin1s, owns[index]))

        countries, admin1s, _, _ = _context(items, home, once=True)
        focus = self._focus(items, countries, admin1s)
        choices = [self._choose(item, focus) for item in items]
        local = _Local(spans, item_of_span, choices) if any(c[3] == "context" for c in choices) else None
        mentions = []
        for position, (span, index) in enumerate(zip(spans, item_of_span, strict=True)):
            sentence_start, sentence = sentence_of(article.text, starts, span.start)
            place, confidence, alternatives, resolved_by = choices[index]
            if local is not None and resolved_by == "context":
                place = local.nearest(position, sentence_start, sentence_start + len(sentence)) or place
            mentions.append(
                Mention(
                    article_id=article.id,
                    start=span.start,
                    end=span.end,
                    text=span.text,
                    sentence=sentence,
                    sentence_start=sentence_start,
                    type=span.type,
                    place=place,
                    confidence=confidence,
                    resolved_by=resolved_by,
                    alternatives=alternatives,
                )
            )
        return mentions

    def _items(self, text: str, spans: Sequence[Span]) -> tuple[list[_Pending], list[int]]:
        """One item per distinct name (and qualifier) in the article; which item each span is."""
        per_span = [self._named(span.text, span.query, span.type, span.source) for span in spans]
        qualifiers = self._qualifiers(text, spans, [named.candidates for named in per_span])
        items: list[_Pending] = []
        index_of: dict[tuple[str, str, str, str, str | None], int] = {}
        item_of_span = []
        for position, (span, named) in enumerate(zip(spans, per_span, strict=True)):
            qualifier = qualifiers.get(position)
            key = (span.text, span.query, span.type, span.source, qualifier.place_id if qualifier else None)
            if key not in index_of:
                index_of[key] = len(items)
                candidates = list(named.candidates)
                item = _Pending(span, candidates, named.resolved_by, list(named.priors), 0, qualifier)
                item.probabilities = list(named.probabilities)  # before any context: the priors'
                item.bonuses = (
                    list(named.bonuses)
                    if qualifier is None
                    else [_bonus(span.text, c, named.unit, qualifier) for c in candidates]
                )
                items.append(item)
            items[index_of[key]].count += 1
            item_of_span.append(index_of[key])
        return items, item_of_span

    def _named_uncached(self, text: str, query: str, type_: str, source: str) -> _Named:
        candidates, resolved_by = self._candidates(text, query, type_, source)
        priors = tuple(c.prior for c in candidates)
        unit = _unit_named(candidates)
        bonuses = tuple(_bonus(text, c, unit, None) for c in candidates)
        return _Named(candidates, resolved_by, priors, tuple(_softmax(priors)), unit, bonuses)

    # --- candidates ----------------------------------------------------------------

    def _candidates(self, text: str, query: str, type_: str, source: str) -> tuple[tuple[Candidate, ...], str]:
        """The candidates of a span (its text, query, type and source) and how they were found."""
        lookup = self._lookup
        found = lookup(query)
        if type_ == "demonym":
            found = tuple(c for c in found if c.match == "demonym") or found
        elif found and source == "gazetteer":
            found = tuple(c for c in found if c.match != "demonym") or found
        if found:
            return found, "gazetteer"
        if query != text:
            found = lookup(text)
            if found:
                return found, "gazetteer"
        # "Colorado State University" is in Colorado; "Frenchmen Street" is not in a place called Frenchmen
        if text.split()[-1].rstrip(".").casefold() not in PLACE_HEADS:
            part = self._longest_known_part(text)
            if part:
                return tuple(part), "partial"
        return (), "none"

    def _longest_known_part(self, text: str) -> list[Candidate]:
        """'Colorado State University' -> Colorado: the longest capitalised sub-phrase the gazetteer knows.

        Parts that are plain English words ("Center", "Tower", "West") are no
        evidence of a place, and neither are hamlets met only through an alias.
        A demonym part ("Russian Embassy", "European Commission") counts when
        no place name does.
        """
        words = text.split()
        demonyms: list[Candidate] = []
        for size in range(len(words) - 1, 0, -1):
            for start in range(len(words) - size + 1):
                phrase = " ".join(words[start : start + size])
                key = name_key(phrase)
                shouted = phrase.replace(".", "").isupper()  # "US Federal Reserve": an abbreviation, not "us"
                if not phrase[:1].isupper() or (key in self._words and not shouted) or key in PLACE_HEADS:
                    continue
                found = self._lookup(phrase)
                places = [c for c in found if c.match != "demonym" and _substantial(c)]
                if places:
                    return places
                if not demonyms:
                    demonyms = [c for c in found if c.match == "demonym"]
        return demonyms

    # --- context -------------------------------------------------------------------

    def _home(self, article: Article) -> _Home:
        """Where the article is from, as votes the spans' own add to: the dateline's country; the country
        and admin-1 unit of the input's ``home`` field (the source's home region: "Virginia", "Richmond,
        Virginia", "Ireland"), which decides same-name towns in local news; a country-code web address
        ("...co.uk", "...ie"), weighing half."""
        countries: dict[str, float] = {}
        admin1s: dict[str, float] = {}
        if article.dateline:
            found = self._lookup(article.dateline)
            if found and found[0].place.country_code:
                countries[found[0].place.country_code] = 1.0
        home = article.extra.get("home")
        place = self._home_place(home) if isinstance(home, str) and home.strip() else None
        if place is not None and place.country_code:
            countries[place.country_code] = countries.get(place.country_code, 0.0) + HOME_WEIGHT
            if place.admin1 and place.kind != "country":
                admin1s[place.admin1] = admin1s.get(place.admin1, 0.0) + HOME_WEIGHT
        country = _web_country(article.url)
        if country is not None and self._is_country(country):
            countries[country] = countries.get(country, 0.0) + HOME_WEIGHT / 2
        return _Home(countries, admin1s)

    def _home_place(self, home: str) -> Place | None:
        """The place a ``home`` field names: its best candidate, qualified ("Richmond, Virginia") or not."""
        name, _, qualifier = home.partition(",")
        found = self._lookup(name)
        if qualifier.strip():
            within = self._lookup(qualifier)
            if within:
                found = tuple(c for c in found if c.place.is_within(within[0].place)) or found
        return found[0].place if found else None

    def _qualifiers(self, text: str, spans: Sequence[Span], found: list[tuple[Candidate, ...]]) -> dict[int, Place]:
        """'Portland, Maine': the place after a comma qualifies the one before it. Of the units the
        qualifier can name, the one that holds a place the first name can be: 'Tacoma, Washington' is
        the state, not the capital. Both positions are in the answer: the qualified's and the qualifier's."""
        out = {}
        for position in range(len(spans) - 1):
            gap = text[spans[position].end : spans[position + 1].start]
            head, tail = found[position], found[position + 1]
            if not _QUALIFIER.fullmatch(gap) or not tail:
                continue
            units = sorted((c for c in tail if c.place.kind in _QUALIFIER_KINDS), key=lambda c: -c.prior)
            holding = [c.place for c in units if any(h.place.is_within(c.place) for h in head)]
            if holding:
                out[position] = out[position + 1] = holding[0]
            elif units and max(tail, key=lambda c: c.prior).place is units[0].place:
                out[position] = units[0].place
        return out

    def _focus(self, pending: list[_Pending], countries: _Votes, admin1s: _Votes) -> Place | None:
        """The article's main place: in the country with the most evidence, the admin-1 unit with the
        most, and in it the place named with the most weight (towns most, countries least, a dateline
        twice, a place inside a longer name half); a town or unit before a country. How often a name is
        written counts up to once only, in the place's own weight and in ``countries`` and ``admin1s``
        (votes made with ``once``): a name repeated throughout (a street's namesake, a family's, "Elysian"
        of "Elysian Fields") must not outweigh the several places of one state or country, and one town
        named often in a state the article hardly names must not outweigh the state it is about."""
        counts: dict[str, float] = {}
        caps: dict[str, float] = {}  # what one mention of the place counts at most
        places: dict[str, Place] = {}
        for item in pending:
            if not item.candidates:
                continue
            probabilities = item.probabilities
            top = max(range(len(probabilities)), key=probabilities.__getitem__)
            best = item.candidates[top].place
            # an ambiguous name ("Franklin": dozens of towns) says little about where the article is;
            # a name inside a longer one ("New Orleans Railways and Light Company") still says something
            cap = FOCUS_WEIGHT.get(best.kind, 0.0) * (2 if item.span.type == "dateline" else 1)
            weight = cap * probabilities[top] * item.weight()
            if weight:
                counts[best.place_id] = counts.get(best.place_id, 0.0) + weight
                caps[best.place_id] = max(caps.get(best.place_id, 0.0), cap)
                places[best.place_id] = best
        if not counts:
            return None

        def where(place_id: str) -> tuple[float, float, float]:
            place = places[place_id]
            country = countries.votes.get(place.country_code, 0.0) if place.country_code else 0.0
            unit = admin1s.votes.get(place.admin1, 0.0) if place.admin1 else 0.0
            # rounded: a tie is a tie however the sums were added up, and goes to the place named first
            return (round(country, 6), round(unit, 6), round(min(counts[place_id], caps[place_id]), 6))

        # a street goes to a town or a unit rather than to a country's middle, where the article names one
        local = [place_id for place_id in counts if places[place_id].kind not in _COUNTRY_LIKE] or list(counts)
        return places[max(local, key=where)]

    def _choose(
        self, item: _Pending, focus: Place | None
    ) -> tuple[Place | None, float | None, tuple[dict[str, Any], ...], str | None]:
        if not item.candidates:
            if focus is not None and item.span.source != "gazetteer":
                return focus, CONTEXT_CONFIDENCE, (), "context"
            return None, None, (), None
        probabilities = item.probabilities
        order = sorted(range(len(item.candidates)), key=lambda i: -item.scores[i])
        best = order[0]
        alternatives = tuple(
            {
                "place_id": item.candidates[i].place.place_id,
                "name": item.candidates[i].place.name,
                "kind": item.candidates[i].place.kind,
                "country_code": item.candidates[i].place.country_code,
                "lat": item.candidates[i].place.lat,
                "lon": item.candidates[i].place.lon,
                "probability": round(probabilities[i], 3),
            }
            for i in order[1 : 1 + ALTERNATIVES]
        )
        chosen = item.candidates[best].place
        confidence = round(probabilities[best], 3)
        if item.resolved_by == "partial":
            # a town named inside a longer name, far from the article's focus, names somewhere else
            # ("Bains" in "Bains and Grants Town"); a country or region part ("European") does not
            town = chosen.kind in ("populated_place", "admin2")
            if town and focus is not None and _km(chosen, focus) > NEAR_KM:
                return focus, CONTEXT_CONFIDENCE, alternatives, "context"
            confidence = round(confidence * 0.5, 3)
        return chosen, confidence, alternatives, item.resolved_by


def _bonus(text: str, candidate: Candidate, unit: Place | None, qualifier: Place | None) -> float:
    """What a candidate gains from how the name is written (``text``) and qualified, whatever the context;
    ``unit`` is the state or province the name is the own name of, where it outranks its namesake towns."""
    bonus = W_UNIT_NAMED if unit is not None and candidate.place is unit else 0.0
    if candidate.matched == text and candidate.match == "abbreviation":
        bonus += W_EXACT_FORM
    if qualifier is not None and (candidate.place is qualifier or candidate.place.is_within(qualifier)):
        bonus += W_QUALIFIER  # "Tacoma, Washington": Tacoma in Washington, and Washington the state
    return bonus


def _scores(item: _Pending, nearness: list[float], countries: _Votes, admin1s: _Votes, own: _Own) -> list[float]:
    """Each candidate's prior plus context: the share of the article's evidence for its country and
    admin-1 unit (less all of this name's own votes, its other candidates' too: see _context),
    nearness to the places not in doubt, and what its written form and qualifier add."""
    scores = []
    own_countries, own_admin1s = own
    for candidate, near, bonus in zip(item.candidates, nearness, item.bonuses, strict=True):
        place = candidate.place
        score = candidate.prior
        if place.country_code:
            score += W_COUNTRY * countries.share_of_others(
                place.country_code, own_countries.get(place.country_code, 0.0)
            )
        if place.admin1 and place.kind != "country":
            score += W_ADMIN1 * admin1s.share_of_others(place.admin1, own_admin1s.get(place.admin1, 0.0))
        scores.append(score + W_NEAR * near + bonus)
    return scores


def _context(
    pending: list[_Pending], home: _Home, *, once: bool = False
) -> tuple[_Votes, _Votes, list[tuple[int, Place, float]], list[_Own]]:
    """The votes for each country and admin-1 unit (the article's own, then each name's: its candidates'
    probabilities of 0.1 or more; with ``once``, each name counts as if written once, as the focus wants),
    the names not in doubt as anchors for nearness, and each name's own part of the votes (all of it, not
    only one candidate's, is left out of the context a candidate of the name is scored by; kept for the
    names with a choice to make, and not with ``once``)."""
    countries = dict(home.countries)
    admin1s = dict(home.admin1s)
    anchors: list[tuple[int, Place, float]] = []
    owns: list[_Own] = []
    for index, item in enumerate(pending):
        own_countries: dict[str, float] = {}
        own_admin1s: dict[str, float] = {}
        owns.append((own_countries, own_admin1s))
        if not item.candidates:
            continue
        probabilities = item.probabilities
        weight = item.weight(once=once)
        scored = not once and len(item.candidates) > 1  # only a name with a choice to make is scored
        for candidate, p in zip(item.candidates, probabilities, strict=True):
            if p < 0.1:
                continue
            place = candidate.place
            votes = p * weight
            if place.country_code:
                code = place.country_code
                countries[code] = countries.get(code, 0.0) + votes
                if scored:
                    own_countries[code] = own_countries.get(code, 0.0) + votes
            if place.admin1 and place.kind != "country":
                code = place.admin1
                admin1s[code] = admin1s.get(code, 0.0) + votes
                if scored:
                    own_admin1s[code] = own_admin1s.get(code, 0.0) + votes
        top = probabilities.index(max(probabilities))
        if probabilities[top] >= 0.6 and item.candidates[top].place.kind not in _COUNTRY_LIKE:
            anchors.append((index, item.candidates[top].place, probabilities[top]))
    return _Votes(countries), _Votes(admin1s), anchors, owns


class _Where:
    """Where an article's candidates lie, for the nearness feature: the
    candidates of every span with several, their coordinates read once per article."""

    def __init__(self, pending: list[_Pending]) -> None:
        self.sizes = {index: len(item.candidates) for index, item in enumerate(pending) if len(item.candidates) > 1}
        # per candidate row: its name's index, its place's id, latitude and longitude in radians, cos(latitude)
        self.points = [_point(index, c.place) for index in self.sizes for c in pending[index].candidates]
        self._arrays: tuple[Any, ...] | None = None  # the points as numpy columns (pure Python), made on first use

    def nearness(self, anchors: list[tuple[int, Place, float]]) -> dict[int, list[float]]:
        """Per span with several candidates: for each candidate, the largest
        weight * exp(-km / NEAR_KM) over the anchors of the *other* spans.

        Compiled (hatch_build.py), a loop over candidates and anchors: an article has a few dozen candidates
        and a few anchors, where numpy's cost per call outweighs the arithmetic. In pure Python, where the
        loop is the slower by far, one numpy matrix (candidates x anchors), NEARNESS_ROWS rows at a time
        so that its memory is bounded. The two agree to the last few bits of a float.
        """
        if not self.points or not anchors:
            return {index: [0.0] * size for index, size in self.sizes.items()}
        near = sorted(
            ((*_point(index, place), weight, math.log(weight)) for index, place, weight in anchors),
            key=_weight,
            reverse=True,
        )
        best = self._nearest_looping(near) if COMPILED else self._nearest_in_arrays(near)
        out = {}
        position = 0
        for index, size in self.sizes.items():
            out[index] = best[position : position + size]
            position += size
        return out

    def _nearest_looping(self, near: list[tuple[int, str, float, float, float, float, float]]) -> list[float]:
        """The anchors go heaviest first, so that a candidate's search ends where no weight left can beat
        what it has; an anchor whose latitude alone puts it too far to beat what the candidate has (the
        great-circle distance is at least the latitudes' difference) is passed over, with a margin that
        keeps the answer exact."""
        best: list[float] = []
        for index, place_id, lat, lon, cos_lat in self.points:
            most = 0.0
            log_most = _NO_LOG  # log(most)
            for other, other_id, lat2, lon2, cos_lat2, weight, log_weight in near:
                if weight <= most:
                    break
                if other == index or other_id == place_id:
                    continue
                # weight * exp(-km / NEAR_KM) > most only where km < NEAR_KM * (log(weight) - log(most))
                if EARTH_RADIUS_KM * abs(lat2 - lat) > NEAR_KM * (log_weight - log_most) + _KM_MARGIN:
                    continue
                km = haversine_km(lat, lon, cos_lat, lat2, lon2, cos_lat2)
                closeness = weight * math.exp(-km / NEAR_KM)
                if closeness > most:
                    most = closeness
                    log_most = math.log(closeness)
            best.append(most)
        return best

    def _nearest_in_arrays(self, near: list[tuple[int, str, float, float, float, float, float]]) -> list[float]:
        import numpy as np  # only here: a compiled install, and a command with no choice to make, never load it

        if self._arrays is None:
            items, place_ids, lat, lon, cos_lat = zip(*self.points, strict=True)
            self._arrays = tuple(np.array(column)[:, None] for column in (items, place_ids, lat, lon, cos_lat))
        items, place_ids, lat, lon, cos_lat = self._arrays
        columns = (np.array(column)[None, :] for column in zip(*near, strict=True))
        other, other_id, lat2, lon2, cos_lat2, weight, _ = columns
        best: list[float] = []
        for start in range(0, len(self.points), NEARNESS_ROWS):
            rows = slice(start, start + NEARNESS_ROWS)
            km = haversines_km(lat[rows], lon[rows], cos_lat[rows], lat2, lon2, cos_lat2)
            closeness = weight * np.exp(-km / NEAR_KM)
            closeness[(items[rows] == other) | (place_ids[rows] == other_id)] = 0.0
            best.extend(closeness.max(axis=1).tolist())
        return best


def _point(index: int, place: Place) -> tuple[int, str, float, float, float]:
    lat = math.radians(place.lat)
    return index, place.place_id, lat, math.radians(place.lon), math.cos(lat)


def _weight(anchor: tuple[int, str, float, float, float, float, float]) -> float:
    return anchor[5]


class _Named(NamedTuple):
    """What a name written one way stands for before any context (see Resolver._items)."""

    candidates: tuple[Candidate, ...]
    resolved_by: str  # "gazetteer", "partial" (a known part of the name) or "none"
    priors: tuple[float, ...]  # the candidates' priors
    probabilities: tuple[float, ...]  # their softmax
    unit: Place | None  # the state or province the name is the own name of (_unit_named)
    bonuses: tuple[float, ...]  # per candidate, _bonus with no qualifier


class _Home(NamedTuple):
    """An article's own evidence of where it is from (its dateline, home field and web address), as votes."""

    countries: dict[str, float]
    admin1s: dict[str, float]


class _Local:
    """For a name the gazetteer lacks, the town named nearest to it in the same sentence, where
    there is one: "Frenchmen Street in New Orleans" is in New Orleans whatever the article's focus."""

    def __init__(self, spans: Sequence[Span], item_of_span: list[int], choices: list[Any]) -> None:
        self.spans = spans
        self.starts = [span.start for span in spans]  # in text order: a sentence's spans are found by bisection
        self.towns: list[Place | None] = []
        for index in item_of_span:
            place, confidence, _, resolved_by = choices[index]
            town = (
                place is not None
                and resolved_by == "gazetteer"
                and place.kind in ("populated_place", "admin2")
                and (confidence or 0.0) >= LOCAL_CONFIDENCE
            )
            self.towns.append(place if town else None)

    def nearest(self, position: int, sentence_start: int, sentence_end: int) -> Place | None:
        span = self.spans[position]
        best: tuple[int, Place] | None = None
        first = bisect.bisect_left(self.starts, sentence_start)
        last = bisect.bisect_right(self.starts, sentence_end)
        for other in range(first, last):
            town, near = self.towns[other], self.spans[other]
            if town is None or other == position or near.end > sentence_end:
                continue
            gap = span.start - near.end if near.end <= span.start else near.start - span.end
            if best is None or gap < best[0]:
                best = (gap, town)
        return best[1] if best else None


def _unit_named(candidates: Sequence[Candidate]) -> Place | None:
    """The admin-1 unit a name is the own name of, where that outranks the towns of the name: "Wyoming" is the
    state, not Wyoming, Michigan; "Delaware" not Delaware, Ohio. Not where a town inside the unit has the name
    ("Kursk", the oblast's capital) nor where the town is a city of some size ("Washington", D.C.)."""
    units = [c for c in candidates if c.place.kind == "admin1" and c.match == "name"]
    if not units:
        return None
    unit = max(units, key=lambda c: c.prior)
    for rival in candidates:
        if rival.place.kind != "populated_place" or rival.prior < unit.prior:
            continue
        if rival.place.admin1 == unit.place.admin1 or (rival.place.population or 0) >= UNIT_NAMESAKE_POPULATION:
            return None
    return unit.place


def _web_country(url: str | None) -> str | None:
    """The country of a country-code web address: "https://www.irishtimes.ie/..." -> "IE", ".co.uk" -> "GB"."""
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
    except ValueError:  # "http://[::1", an article's own malformed address
        return None
    tld = host.rsplit(".", 1)[-1].casefold()
    if len(tld) != 2 or not tld.isalpha() or tld in _VANITY_DOMAINS:
        return None
    return "GB" if tld == "uk" else tld.upper()


class _Votes:
    """Evidence per country (or admin-1) code, summed over an article's spans."""

    __slots__ = ("total", "votes")

    def __init__(self, votes: dict[str, float]) -> None:
        self.votes = votes
        self.total = sum(votes.values()) or 1.0

    def share_of_others(self, code: str, own: float) -> float:
        others = self.votes.get(code, 0.0) - own
        return others / self.total if others > 0.0 else 0.0  # a comparison, not max(): compiled, no boxing


def _windows(text: str, spans: Sequence[Span], size: int) -> list[Sequence[Span]]:
    """Runs of at most ``size`` spans; past half of that a run ends where a line does, so that
    paragraphs stay whole. Texts with fewer spans are one window."""
    if len(spans) <= size:
        return [spans]
    windows: list[Sequence[Span]] = []
    begin = 0
    for index in range(1, len(spans)):
        count = index - begin
        if count >= size or (count >= size // 2 and "\n" in text[spans[index - 1].end : spans[index].start]):
            windows.append(spans[begin:index])
            begin = index
    windows.append(spans[begin:])
    return windows


def _substantial(candidate: Candidate) -> bool:
    """Worth taking from inside a longer name: not a hamlet known only by an alias."""
    place = candidate.place
    return place.kind != "populated_place" or candidate.match == "name" or (place.population or 0) >= 10_000


def _km(a: Place, b: Place) -> float:
    return distance_km(a.lat, a.lon, b.lat, b.lon)


def _softmax(scores: Sequence[float]) -> list[float]:
    if not scores:
        return []
    top = max(scores)
    weights = [math.exp(s - top) for s in scores]
    total = sum(weights)
    return [w / total for w in weights]
