"""Find place mentions in text: spans with offsets and a mention type.

The default recogniser needs no model: it matches capitalised word sequences
against the gazetteer's names (longest first), then applies the rules a
careful reader would:

- "Kursk region", "region of Kursk", "Laurel County": the designator joins
  the span and the lookup goes to the administrative unit;
- "MOSCOW:" and "BEIRUT (AP) —" at a line start are datelines;
- "Ukraine's" is Ukraine; "U.S." and "W.Va." match only as written;
- a name inside a larger proper name is no place: "Geneva Conventions",
  "Washington Post" (an organisation head follows), "Vladimir Putin",
  "Hillary Clinton" (a person's name: a capitalised word that is no English
  word stands next to it, or a title, a given name, a middle initial or a
  particle after one precedes it: "President Lincoln", "Gino D. Bassett",
  "Mike de Kock"; the name goes on over further small places, "Claude
  Joseph Villars Dubreuil", and through double names, "Diaz-Balart"; a
  country's or a large city's name after a given name is a surname where it
  is one too, "Andrew Jordan", "Whitney Houston"), and once a name is a
  person's ("Kelly said", "Rod Stewart"), a lone repeat of it is the person too;
- "Kent-based", "Los Angeles-based": the lower-case suffix is cut off;
- "#NewYork", "#SaudiArabia": a hashtag's words are split at their capitals, and in
  a short text (a post) a large place's name counts in lower case after a
  preposition of place ("flooding in houston");
- a name that is also an English word ("March", "Reading", "Nice") counts
  only where a preposition of place introduces it ("in Reading"), and never
  when it is a month or weekday;
- street, river and similar names ("Royal Street", "Mississippi River") are
  found by their head word even when the gazetteer lacks them.

Each span gets a type: ``demonym`` ("Russian forces"), ``dateline``,
``associative`` (the place stands for its government, team or people:
"Moscow has repeatedly said", "Kyiv's troops", "US President") or
``literal``.

Why one module of some 700 lines: the context rules are one reading of a
name where it stands, applied in order (_judge); split into several files
they would be read out of that order. What each name key names comes from
the compiled name index (geomap.gazetteer.nameindex), built with the gazetteer.
"""

from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any, Final, Protocol, cast

from .gazetteer import Gazetteer, name_key
from .gazetteer.nameindex import ALIAS, DEMONYM, FORMS, IS_WORD, KIND, PRIOR, Entry, NameIndex
from .models import Span
from .text import ADMIN_DESIGNATORS, dateline_matches

__all__ = ["NameIndex", "Recogniser", "RuleRecogniser"]

log: Final = logging.getLogger(__name__)

_UPPER: Final = "".join(chr(c) for c in range(0x250) if chr(c).isupper())
_CAP: Final = rf"[{_UPPER}][\w'’.&\-]*"
_CONNECTORS: Final = (
    r"of|the|and|de|del|della|da|do|dos|das|la|le|les|du|des|al|el|on|upon|y|van|von|am|an|der|den|di|sur|en"
)
_SEQUENCE: Final = re.compile(rf"{_CAP}(?:[ \t]+(?:(?:{_CONNECTORS})[ \t]+)*{_CAP})*")
_CONNECTOR_SET: Final = frozenset(_CONNECTORS.split("|"))
_POSSESSIVE: Final = re.compile(r"(?:'s|’s|'|’)$")
_MAX_TOKENS: Final = 7

MONTHS_AND_DAYS: Final = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday "
    # holidays that are towns' names too (Christmas, Florida; Easter, a hamlet)
    "christmas easter thanksgiving halloween".split()
)
# Short forms of months, no place before a date: "Nov. 2", "Sept 12".
MONTH_ABBREVIATIONS: Final = frozenset("jan feb mar apr jun jul aug sep sept oct nov dec".split())
# Words that make a preceding place name part of an organisation, event or title.
ORGANISATION_HEADS: Final = frozenset(
    "post times journal herald tribune gazette telegraph chronicle observer standard mail news daily "
    "conventions convention purchase accords accord agreement treaty protocol declaration doctrine "
    "observatory university college school institute academy hospital clinic museum gallery library "
    "company corporation corp inc ltd group holdings bank airlines airways railways railway club fc "
    "united rovers wanderers city's prize award awards cup open games olympics marathon "
    "syndrome flu virus sauce dressing cheese style fashion".split()
)
# Head words of place names the gazetteer may lack: the whole sequence is a toponym.
PLACE_HEADS: Final = frozenset(
    "street st avenue ave road rd boulevard blvd lane drive highway freeway motorway square plaza "
    "river lake mountains mountain hills hill valley canyon desert forest peninsula island islands "
    "bay gulf strait canal creek beach coast park bridge airport harbor harbour port heights "
    "neighborhood neighbourhood district quarter borough township village centre center stadium arena "
    "racecourse lagoon reservoir dam falls glacier gorge cove reef estuary wetlands estate terrace".split()
    # not "parade", "crescent", "ridge", "heath", "marsh": "St. Patrick's Day Parade", "Red Crescent", "Tom Ridge"
)
# Words that open a place name the gazetteer may lack: "Lake Manassas", "Mount Kenya".
PLACE_PREFIXES: Final = frozenset("lake mount mt. fort port cape gulf bay isle".split())
# Titles before a name that make it a person's: "President Lincoln", "Senator Warren".
TITLES: Final = frozenset(
    "mr mrs ms miss dr sir lord lady dame president senator sen rep representative governor gov mayor "
    "minister chancellor king queen prince princess pope general gen colonel col captain capt judge "
    "justice coach saint st bishop archbishop rabbi imam sheikh emir".split()
)
# English function words: capitalised at a sentence's start they are not the given names some are too
# ("Among", "Will", "May"...).
_FUNCTION_WORDS: Final = frozenset(
    "a about above after again against all am among an and any are as at be because been before being below "
    "between both but by can could did do does doing down during each few for from further had has have having "
    "he her here hers herself him himself his how i if in into is it its itself just me more most my myself no "
    "nor not now of off on once only or other our ours out over own same she should so some such than that the "
    "their theirs them then there these they this those through to too under until up very was we were what "
    "when where which while who whom why will with would you your yours yet also even still per since upon".split()
)
_LOCATIVES: Final = frozenset("in at near from to outside around of into across".split())
_DESIGNATOR_AFTER: Final = re.compile(rf"^[ \t]+({'|'.join(ADMIN_DESIGNATORS)})\b", re.IGNORECASE)
_DESIGNATOR_BEFORE: Final = re.compile(rf"\b({'|'.join(ADMIN_DESIGNATORS)})[ \t]+of[ \t]+$", re.IGNORECASE)

_SAYING: Final = (
    r"said|says|say|saying|told|announced|warned|accused|denied|claimed|insisted|argued|stated|demanded|rejected|"
    r"condemned|urged|threatened|responded|agreed|refused|signed|vowed|pledged|plans?|wants?|hopes?|fears?|"
    r"believes?|considers?|regards?|sees?|intends?|treats?|launched|attacked|shelled|fired|invaded|imposed|"
    r"sanctioned|recognized|recognised|backed|supports?|opposes?|voted|decided|blamed|hit|struck|retaliated|"
    r"beat|defeated|won|lost|will not tolerate|blames?|denies|denied|deny|welcomes?|welcomed|wanted|"
    r"retaliates?|expelled|expels|proposed|proposes|vetoed|approved|approves|summoned|accuses|"
    r"demands|warns|insists|rejects|condemns|urges|threatens|responds|refuses|vows|pledges|seeks|sought|"
    r"strengthened|strengthens|deployed|sent|pressed|pushed|called on|calls on|is ready|was ready|"
    r"guards|adamantly denies|expressed|expresses"
)
_AUXILIARIES: Final = (
    r"has|have|had|would|will|is|was|did|does|do|could|should|must|may|might|can|"
    r"doesn't|doesn’t|won't|won’t|didn't|didn’t"
)
_ADVERBS: Final = r"not|also|repeatedly|already|now|previously|reportedly|officially|long|again|then|quickly"
_ASSOCIATIVE_VERB: Final = (  # "Moscow has repeatedly said", "China and Russia welcome", "Russia doesn't want"
    r"(?:\s+and\s+(?:the\s+)?[A-Z][\w.’']*(?:\s+[A-Z][\w.’']*)?)?"
    rf"(?:'s|’s)?\s+(?:(?:{_AUXILIARIES})\s+)?(?:(?:{_ADVERBS})\s+)*(?:{_SAYING})\b"
)
_INSTITUTIONS: Final = (
    r"government|troops|forces|army|military|leaders?|leadership|president|prime minister|foreign minister|"
    r"ministry|officials|authorities|parliament|congress|team|coach|players|ambassador|embassy|navy|"
    r"air force|central bank|commander|regime|administration|delegation|diplomats?|lawmakers|"
    r"negotiators|envoy|intelligence|spokesman|spokeswoman|spokesperson|state media|state television|"
    # what a state holds, wants or does ("Moscow's concern", "China's move")
    r"concerns?|move|moves|position|stance|policy|policies|decision|response|reaction|ambiguity|interests?|"
    r"role|strategy|approach|demands?|claims?|support|opposition|relations|allies|ally|partners?|sovereignty|"
    r"intervention|influence|tariffs|sanctions|threats?|involvement|backing|refusal|proposal|offer|veto"
)
_ASSOCIATIVE_POSSESSIVE: Final = rf"(?:'s|’s)\s+(?:\w+\s+){{0,2}}(?:{_INSTITUTIONS})\b"  # "Kyiv's troops"
_ASSOCIATIVE_MODIFIER: Final = rf"\s+(?:{_INSTITUTIONS})\b"  # "US President"
# What follows a place name that stands for its government, team or people (matched right after it).
_ASSOCIATIVE: Final = re.compile(rf"{_ASSOCIATIVE_VERB}|(?i:{_ASSOCIATIVE_POSSESSIVE})|(?i:{_ASSOCIATIVE_MODIFIER})")


def _first_words(*alternations: str) -> frozenset[str]:
    """The words a match of any of these alternations ("said|says|plans?|called on") can start with, in lower
    case and cut where a regular expression's word ends: "plans?" gives "plan" and "plans", "doesn't" "doesn"."""
    words = set()
    for alternation in alternations:
        for alternative in alternation.split("|"):
            word = re.match(r"\w+", alternative).group()  # type: ignore[union-attr]  # each starts with a letter
            words.add(word.casefold())
            if alternative.startswith(f"{word}?"):
                words.add(word[:-1].casefold())
    return frozenset(words)


# Without a possessive, _ASSOCIATIVE matches only where the next word is one of these: a set lookup on that
# word spares the expression's long alternations most of the time (see _may_be_associative).
_ASSOCIATIVE_FIRST_WORDS: Final = _first_words("and", _AUXILIARIES, _ADVERBS, _SAYING, _INSTITUTIONS)
_NEXT_WORD: Final = re.compile(r"(?:'s|’s)|\s+(\w+)")
# A state as the subject of a verb of its own ("Slovenia made", "the UK applied", "China had to initiate",
# "Mexico has not experienced"), for the kinds of _STATELIKE_KINDS: a town that "lies" or "covers" is more
# often the place itself.
_STATE_ACTS: Final = re.compile(
    r"(?:'s|’s)?(?:\s+(?:on|last|this|next)\s+\w+day)?(?:\s+\w+ly)?"
    r"(?:\s+(?:has|have|had|did|does)(?:\s+not|n't|n’t)?(?:\s+\w+ly)?)?\s+"  # "has not experienced"
    r"(?:[a-z]{3,}ed|(?!(?:lies|borders|covers|remains|ranks|includes|contains|means|plus|thus|does)\b)[a-z]{3,}s|"
    r"made|sent|took|gave|did|had to|has to|will|would|must|can|could|should|shall|cannot|can't|can’t)\b"
)
# A preposition of place before a name, or before the name it is coordinated with ("in Jordan and Georgia").
_LOCATIVE_BEFORE: Final = re.compile(
    rf"\b(?i:{'|'.join(sorted(_LOCATIVES))})\s+(?:(?:the\s+)?[A-Z][\w.’']*(?:\s+[A-Z][\w.’']*)?,?\s+and\s+)?"
    r"(?:the\s+)?$"
)
# What comes before such a name (matched against the text right before it): the state as a party to
# relations or acts ("relations with Algeria", "an investigation by the United States", "sanctions on Russia").
_ASSOCIATIVE_BEFORE: Final = re.compile(
    r"(?i:\b(?:relations|ties|talks|dialogue|cooperation|partnership|agreement|deal|negotiations|dispute|"
    r"tensions|rift|alliance|summit|relationship|trade war)\s+(?:with|between)\s+(?:\w+\s+and\s+)?"
    r"|\b(?:investigation|support|permission|pressure|demands?|request|decision|approval|recognition|criticism|"
    r"threats?|warning|protest|aid|backing|interference|retaliation|intervention|funding)\s+(?:by|from)\s+"
    r"|\b(?:sanctions|tariffs|embargo|pressure|action|actions|measures|retaliation|war|attacks?|strikes?)\s+"
    r"(?:on|against)\s+)(?:the\s+)?$"
)
# A state possessing or wanting what only a state, people or team can ("Iran's non-oil exports", "Russia's
# request", "Britain's view"), not a part or feature of its land or what lives and is made there ("Ukraine's
# side", "Syria's north", "Hawaii's economy", "India's cash-heavy economy", "China's manufacturing industry").
_STATE_POSSESSES: Final = re.compile(
    r"(?:'s|’s)\s+(?!(?:[\w-]+\s+){0,2}(?:economy|economic|industry|industries|production|sector|jobs?|"
    r"residents|population|people|growth|pollution|tourism|weather|climate|history|culture|air|roads|"
    r"hospitals|schools|farmers|workers|oil|jails?|prisons?)\b)"
    r"(?!(?:north|south|east|west|northern|southern|eastern|western|north-?eastern|north-?western|"
    r"south-?eastern|south-?western|northeast|northwest|southeast|southwest|central|capital|border|borders|"
    r"coast|coasts|coastline|city|cities|town|towns|villages|region|regions|province|provinces|state|states|"
    r"territory|territories|side|soil|land|lands|interior|mountains|countryside|frontier|frontiers|airspace|"
    r"waters|shores|islands?|heartland|outskirts|streets|largest|biggest|bigger|larger|smaller|second|third|"
    r"oldest|highest|longest|most|only|first|own)\b)[a-z]"
)
# What comes right before a state that is the object of what another state or person does to it or with it
# ("Britain blames Russia", "urged Iran", "wants Britain and France to answer", "sees Russia as a partner").
_OBJECT_VERBS: Final = (
    "blame blames blamed accuses accused urges urged warns warned told tells asks asked criticised criticized "
    "condemns condemned sanctioned supports supported backs backed recognises recognizes recognised recognized "
    "thanked praised pressed pressured ordered orders invited invites wants wanted sees saw joined joins helped "
    "helps giving gave allows allowed persuaded convinced called calls"
).split()
_STATE_AS_OBJECT: Final = re.compile(
    rf"\b(?:{'|'.join(v for v in _OBJECT_VERBS if v not in ('called', 'calls'))}|called on|calls on)\s+(?:the\s+)?"
    r"(?:(?-i:[A-Z][\w.’']*(?:\s+[A-Z][\w.’']*)?),?\s+and\s+(?:the\s+)?)?$",  # "wants Britain and France"
    re.IGNORECASE,
)
_OBJECT_VERB_SET: Final = frozenset(_OBJECT_VERBS)  # one of them among the last words before a name: a cheap test first
# "against Louisville", "a protest against China": a state, team or people opposed, whatever the place.
_AGAINST_BEFORE: Final = re.compile(r"\bagainst\s+(?:the\s+)?$", re.IGNORECASE)
# The words one of which ends the text _ASSOCIATIVE_BEFORE matches, at most three words before the name.
_PARTY_WORDS: Final = frozenset("with between by from on against".split())
# Kinds of place that act, possess and are acted on as a state or people does ("Orange County has made itself
# vulnerable", "Africa has faced", "Russia's request", "Britain blames Russia"): see _classify.
_STATELIKE_KINDS: Final = frozenset({"country", "admin1", "admin2", "continent", "macro_region"})
# Kinds whose names count even when they are English words too ("Turkey", "Chad", "China").
LITERAL_KINDS_WITHOUT_CONTEXT: Final = frozenset(
    {"country", "continent", "composite", "macro_region", "sea", "ocean", "strait", "canal", "territory"}
)
# A place below this prior (about 100,000 people) followed by another capitalised
# word is taken for a person's first name ("Donald Trump").
SMALL_PLACE_PRIOR: Final = 5.0
# Below this prior (about a million people) a demonym outranks a same-named place.
MINOR_PLACE_PRIOR: Final = 6.0
# Texts up to this long (posts, headlines) are also read for large places' names written in lower case;
# articles write them capitalised, and the extra reading costs a tenth of the time on a long text.
SHORT_TEXT: Final = 1000


def _form_kind(entry: Entry, written: str) -> str | None:
    """The kind of place an abbreviation written exactly so names ("U.S." -> country), else None."""
    for form, kind in entry[FORMS]:
        if form == written:
            return kind
    return None


class Recogniser(Protocol):
    """What the Geoparser asks of a recogniser: the place spans of a text.

    Spans come in text order, none overlapping, each with its offsets, its
    surface text, a type (one of MENTION_TYPES) and the query to look up. The
    rule recogniser below is one implementation; a model-backed one (spaCy, a
    transformer) only has to return Spans too: the resolver takes them as they
    are. Plug it in with ``Geoparser(gazetteer, recogniser=...)``.
    """

    def recognise(self, text: str) -> list[Span]: ...


class RuleRecogniser:
    """Gazetteer-driven recogniser; see the module docstring for its rules."""

    def __init__(self, gazetteer: Gazetteer, *, index: NameIndex | None = None) -> None:
        self.gazetteer = gazetteer
        self.index = index if index is not None else gazetteer.name_index
        # What a written word or stretch of words matches does not depend on where it
        # stands: each is worked out once. Context rules (_judge) still run every time.
        self._word = lru_cache(maxsize=100_000)(self._word_uncached)
        self._windows: dict[str, tuple[int, str, int] | None] = {}  # see _longest_match
        self._entry = self.index.get
        self._words = gazetteer.words  # English dictionary words
        self._given_names = gazetteer.given_names  # "tom", "jose", "daria" (name keys)
        self._surnames = gazetteer.surnames  # "smith", "jordan", "nowak"
        self._given_word = lru_cache(maxsize=100_000)(self._given_word_uncached)
        # titles before a name ("Ambassador", "Judge"): ours, and nameparser's that name no place ("British")
        self._titles = TITLES | {t for t in gazetteer.person_titles if self._entry(name_key(t)) is None}

    # --- public ------------------------------------------------------------------

    def recognise(self, text: str) -> list[Span]:
        """All place spans in ``text``, in order, none overlapping."""
        datelines = list(self._datelines(text))  # in text order, none overlapping another
        dateline_starts = [span.start for span in datelines]
        spans: dict[int, Span] = {span.start: span for span in datelines}
        people: set[str] = set()  # name words seen in people's names in this text ("Kelly" of "Megyn Kelly")
        word_info = self._word
        for sequence in _SEQUENCE.finditer(text):
            words = sequence.group()
            start = sequence.start()
            lone = " " not in words and "\t" not in words and "-" not in words
            # the common case, a lone capitalised word: skip it at once unless it is a name itself
            if lone and not word_info(words)[0]:
                if start and text[start - 1] == "#" and (tag := self._hashtag(words, start)) is not None:
                    spans[start] = tag  # "#NewYork"
                continue
            pieces = [[(start, sequence.end(), words)]] if lone else _sentence_pieces(words, start)
            for span in self._match_pieces(text, pieces, people):
                # sequences do not overlap one another; only a dateline can be in the way, and only
                # the last one starting before the span ends (a bisection: linear in the text, not quadratic)
                before = bisect.bisect_left(dateline_starts, span.end) - 1
                if before < 0 or datelines[before].end <= span.start:
                    spans[span.start] = span
        if len(text) <= SHORT_TEXT:  # a post, not an article: "flooding in houston"
            for span in self._lower_case_places(text):
                spans.setdefault(span.start, span)
        if people:  # once a name is a person's, a lone repeat of it is the person too
            spans = {k: v for k, v in spans.items() if v.type == "dateline" or v.text not in people}
        for span in list(spans.values()):
            postal = self._postal_code_after(text, span)
            if postal is not None and postal.start not in spans:
                spans[postal.start] = postal
        return [spans[k] for k in sorted(spans)]

    def _lower_case_places(self, text: str) -> Iterable[Span]:
        """'flooding in houston', 'landed in new york': a large place's name in lower case right after a
        preposition of place, as tweets write it; never an English word ("in turkey", "in nice weather")."""
        for match in _LOWER_CASE_PLACE.finditer(text):
            words = match.group(1).split()
            for size in (2, 1):  # "new york" before "new"
                if len(words) < size:
                    continue
                name = " ".join(words[:size])
                entry = self._entry(name_key(name))
                if entry is None or entry[IS_WORD] or entry[DEMONYM] or (entry[PRIOR] or 0.0) < MINOR_PLACE_PRIOR:
                    continue
                start = match.start(1)
                end = start + len(name)
                yield Span(start, end, name, _classify(text, end, start), name)
                break

    def _hashtag(self, word: str, start: int) -> Span | None:
        """'#NewYork', '#SaudiArabia': a hashtag's words run together, a place's name once split at its
        capitals (a place of some size: a hashtag of a hamlet's name is more likely something else)."""
        parts = _CAMEL_CASE.findall(word)
        if len(parts) < 2 or "".join(parts) != word:
            return None
        query = " ".join(parts)
        entry = self._entry(name_key(query))
        if entry is None or (entry[PRIOR] or 0.0) < SMALL_PLACE_PRIOR or entry[IS_WORD]:
            return None
        return Span(start, start + len(word), word, "literal", query)

    def _postal_code_after(self, text: str, span: Span) -> Span | None:
        """'Louisville, KY', 'HORRY COUNTY, SC (WMBF)': a two-letter state code counts right after a place."""
        match = _POSTAL_AFTER.match(text, span.end)
        if not match or span.type not in ("literal", "dateline"):
            return None
        code = match.group(1)
        entry = self._entry(code.casefold())
        if entry is None or _form_kind(entry, code) != "admin1":
            return None
        return Span(match.start(1), match.end(1), code, "literal", code)

    # --- datelines --------------------------------------------------------------

    def _datelines(self, text: str) -> Iterable[Span]:
        for match in dateline_matches(text):  # at line starts
            place = match.group("place").rstrip(". ")
            entry = self._entry(name_key(place))
            if entry is None or entry[PRIOR] is None:
                continue
            start = match.start("place")
            yield Span(start, start + len(place), place, "dateline", place)

    # --- capitalised sequences --------------------------------------------------

    def _match_pieces(self, text: str, pieces: list[list[tuple[int, int, str]]], people: set[str]) -> list[Span]:
        found: list[Span] = []
        for tokens in pieces:
            found.extend(self._match_tokens(text, tokens, people))
        return found

    def _match_tokens(self, text: str, tokens: list[tuple[int, int, str]], people: set[str]) -> list[Span]:
        found: list[Span] = []
        person_at = -2  # the last token found to be part of a person's name
        i = 0
        while i < len(tokens):
            if tokens[i][2] in _CONNECTOR_SET:
                i += 1
                continue
            match = self._longest_match(text, tokens, i)
            if match is None:
                if "-" in tokens[i][2]:
                    found.extend(self._hyphen_parts(text, tokens, i, person_at))
                i += 1
                continue
            end, kind, used = match
            judged = self._judge(text, tokens, i, used, end, kind, person_at)
            if isinstance(judged, Span):
                found.append(judged)
            elif used == 1 and self._in_a_persons_name(text, tokens, i, end, person_at, judged == _PERSON):
                if judged == _PERSON or self._names_around(tokens, i):
                    people.add(text[tokens[i][0] : end])  # the name's other mentions are the person's too
                if name_key(_core(tokens[i][2])) not in self._words:
                    person_at = i  # "Villars" goes on the name; "Robinson College" does not
            i += used
        for run in _split_runs(tokens) if len(tokens) > 1 else ():
            pattern = self._place_head_pattern(run, found, text)
            if pattern is not None:
                found = [s for s in found if not _overlaps(s, pattern)] + [pattern]
        return found

    def _word_uncached(self, word: str) -> tuple[bool, int | None]:
        """Of one capitalised word: whether it is a name itself, with or without its possessive or
        final dot, and the most words a name starting with it has (None: no name starts with it)."""
        index = self.index
        core = _core(word)
        key = name_key(word)
        core_key = key if core == word else name_key(core)
        longest = index.longest(core_key.partition(" ")[0])
        if longest is None:
            longest = index.longest(key.partition(" ")[0])  # "U.S." keeps its dots
        return core_key in index or key in index, longest

    def _longest_match(self, text: str, tokens: list[Any], i: int) -> tuple[int, str, int] | None:
        """The longest name starting at token i: where it ends, its kind and how many tokens it takes."""
        longest = self._word(tokens[i][2])[1]
        if longest is None:
            return None
        limit = min(len(tokens), i + longest, i + _MAX_TOKENS)
        start = tokens[i][0]
        window = text[start : tokens[limit - 1][1]]
        found = self._windows.get(window, _UNSEEN)
        if found is _UNSEEN:
            if len(self._windows) >= _MAX_WINDOWS:
                self._windows.clear()
            found = self._windows[window] = self._longest_in(
                window, [(a - start, b - start, w) for a, b, w in tokens[i:limit]]
            )
        if found is None:
            return None
        length, kind, used = cast(tuple[int, str, int], found)
        return start + length, kind, used

    def _longest_in(self, window: str, tokens: list[tuple[int, int, str]]) -> tuple[int, str, int] | None:
        """The longest name at the start of a few capitalised words (``tokens``, offsets
        into ``window``): its length, kind and how many words it takes."""
        cores = [_core(t[2]) for t in tokens]
        # a possessive inside a phrase ends it: "Ukraine's Kherson" is two names
        limit = len(tokens)
        for k in range(limit - 1):
            if cores[k] != tokens[k][2].rstrip(".") and not tokens[k][2].endswith("."):
                limit = k + 1
                break
        entry_of = self._entry
        for j in range(limit, 0, -1):
            last = tokens[j - 1]
            if last[2] in _CONNECTOR_SET:
                continue
            written = window[: last[1]]
            entry = entry_of(name_key(written))
            if entry is not None and _form_kind(entry, written):  # "U.S.", "W.Va.": the dot is the name's
                surface = written
            else:
                surface = window[: last[0] + len(cores[j - 1])]  # "Ukraine's", "Sudzha."
                if surface != written:
                    entry = entry_of(name_key(surface))
            if entry is None:
                continue
            kind = self._match_kind(surface, entry)
            if kind is not None:
                return len(surface), kind, j
        return None

    @staticmethod
    def _match_kind(surface: str, entry: Entry) -> str | None:
        """'literal' or 'demonym' if the written form may mean this entry, else None."""
        letters = surface.replace(".", "").replace(" ", "")
        shouted = letters.isupper() and len(letters) <= 4
        form_kind = _form_kind(entry, surface)
        if form_kind:
            if len(letters) == 2 and shouted and form_kind == "admin1" and "." not in surface:
                return None  # postal codes ("IN", "OK") only count after a place: "Louisville, KY"; "N.J." always
            return "literal"
        if entry[DEMONYM] and (entry[PRIOR] is None or entry[PRIOR] < MINOR_PLACE_PRIOR):
            return "demonym"  # "German" the people, not German, a hamlet
        if entry[PRIOR] is None or len(letters) <= 2:
            return None
        if shouted and entry[KIND] not in LITERAL_KINDS_WITHOUT_CONTEXT and entry[PRIOR] < 5.0:
            return None  # "NATO" is no village Nato; "KYIV" and "IRAN" still count
        return "literal"

    def _judge(
        self, text: str, tokens: list[Any], i: int, used: int, end: int, kind: str, person_at: int = -2
    ) -> Span | str | None:
        """Apply the context rules to a name matched from token i to ``end``: its Span, or None when it is no
        place here, _PERSON when it is no place because it is (part of) a person's name here ("Kelly said",
        "Tom Chilton"). ``person_at`` is the last token before it found to be part of a person's name."""
        start = tokens[i][0]
        surface = query = text[start:end]
        key = name_key(surface)
        entry = self._entry(key)
        before = text[max(0, start - 40) : start]
        after_text = text[end : end + 60]
        single = used == 1

        if kind == "literal":
            # "Kursk region", "region of Kursk": the designator joins the span
            designator = _DESIGNATOR_AFTER.match(after_text)
            # only where it changes the meaning: "Kursk region" is not Kursk the city, "Donbas region" is Donbas
            if designator and entry is not None and entry[KIND] == "populated_place" and not _form_kind(entry, surface):
                end += designator.end()
                surface = query = text[start:end]
                after_text = text[end : end + 60]
            else:
                prefix = _DESIGNATOR_BEFORE.search(before) if before.endswith("of ") else None
                if prefix:
                    query = f"{surface} {prefix.group(1)}"

        next_token = tokens[i + used][2] if i + used < len(tokens) else None
        previous = tokens[i - 1][2] if i > 0 else None
        if next_token is not None and end > tokens[i + used][0]:
            next_token = tokens[i + used + 1][2] if i + used + 1 < len(tokens) else None  # designator consumed
        elif (
            next_token is not None
            and _POSSESSIVE.search(tokens[i + used - 1][2])
            and not _POSSESSIVE.search(surface)
            and self._possessive_of_a_place(surface)
        ):
            next_token = None  # the possessive ends the name: "Brooklyn's Barclays Center", "Britain's Daily Mail"
        if previous is not None and _POSSESSIVE.search(previous):
            previous = None  # "Putin's Russia": another name's possessive says nothing of this one
        next_word = _POSSESSIVE.sub("", next_token).rstrip(".").casefold() if next_token else None
        exact = entry is not None and _form_kind(entry, surface) is not None

        if kind == "literal":
            if key in TITLES and ((next_token and next_token[0].isupper()) or after_text.startswith(".")):
                return None  # "Sen. Warren", "Gen. Gerasimov": the title is no place
            if next_word in ORGANISATION_HEADS:
                return None  # Geneva Conventions, Washington Post
            if next_word in PLACE_HEADS:
                return None  # the sequence is a street, river...: _place_head_pattern takes it
            if next_token and self._is_person_word(next_token) and self._may_name_a_person(entry, surface):
                # Vladimir Putin, Paris Hilton; not "of Kazakhstan Arystan Kakikenov", "the Holy See"; where
                # neither word is a known given name or surname ("Riverdale Lukoil") only this mention is none
                return _PERSON if self._names_around(tokens, i) else None
            if (
                next_token
                and single
                and entry is not None
                and not exact
                and self._small_place_before_name(entry, next_token)
            ):
                # Donald Trump: a hamlet's name is more likely a first name (but maybe of a club: "Allendale
                # Woman's Club", so the name's other mentions are left alone)
                return None
            if previous and previous not in _CONNECTOR_SET:
                prev_word = previous.rstrip(".").casefold()
                if prev_word in TITLES or self._is_person_word(previous):
                    return _PERSON  # President Lincoln, Hillary Clinton
                if (
                    single
                    and entry is not None
                    and not exact
                    and not _could_be_a_name(entry)  # a smaller place's name: _person_before, below
                    and key in self._surnames
                    and prev_word not in MONTHS_AND_DAYS  # "In May Jordan reopened its border"
                    and self._is_given_name(text, tokens[i - 1])
                ):
                    return _PERSON  # "Michael Jordan", "Bill Holland", "Whitney Houston": a surname, however large
            if previous is None and _last_word(before).rstrip(".").casefold() in TITLES:
                return _PERSON  # "Sen. Warren", split from its title by the dot
        if single and key in MONTHS_AND_DAYS:
            return None  # "Thursday", "June": a date, not Thursday, Texas or June Lake
        if single and key in MONTH_ABBREVIATIONS and _DATE_AFTER.match(after_text):
            return None  # "Nov. 2": a date
        if _CONTRACTION.fullmatch(surface):
            return None  # "I've", "We'll": no Roman-numbered district
        if (
            single
            and entry is not None
            and entry[ALIAS]
            and not entry[DEMONYM]
            and not exact
            and _could_be_a_name(entry)
            and self._is_given_name(text, tokens[i])
        ):
            return _PERSON  # "Levi", "Julia", "Irene": a given name, and no town's own name, only another one
        if (
            kind == "literal"
            and single
            and entry is not None
            and not exact
            and not surface.isupper()
            and _could_be_a_name(entry)
        ):
            if self._person_before(text, tokens, i, person_at):
                return _PERSON  # "Tom Chilton", "Ambassador Phillips", "Gino D. Bassett", "Mike de Kock": a surname
            title_before = _last_word(before).rstrip(".").casefold() in self._titles
            if title_before and (not previous or previous in _CONNECTOR_SET):
                return _PERSON  # "Sen. Udall", split from its title by the dot
            if next_token and self._is_given_name(text, tokens[i]) and self._name_follows(next_token):
                return _PERSON  # "Paul Francis Floyd", "Mary Ann": a given name
        if kind == "literal" and single and entry is not None and not exact:
            speaker = _small(entry) or (
                (entry[PRIOR] or 0.0) < SMALL_PLACE_PRIOR and key in self._given_names  # "Miranda tweeted"
            )
            last = _last_word(before)
            said_after = _SPEECH_AFTER.match(after_text) is not None
            if speaker and (said_after or last in _SPEECH_WORDS):
                # "Kelly said", "said Allen": a person, and so are the name's other mentions; not where the verb
                # may have another subject or the name be its object ("who was from Dewsbury said", "told Congress")
                speaks = (said_after and last.casefold() not in _LOCATIVES) or last in ("said", "says")
                return _PERSON if speaks else None
        if (
            kind == "literal"
            and single
            and entry is not None
            and entry[ALIAS]
            and not exact
            and _could_be_a_name(entry)
            and _last_word(before).casefold() not in _LOCATIVES
            and (key in self._given_names or next_token is not None or (previous and previous not in _CONNECTOR_SET))
        ):
            # a town known only by another name of it, written as a given name or inside a longer name, and no
            # preposition of place before it: "Xie Yang" (Yangzhou), "Pep Guardiola", "IHS Markit"
            return None
        if entry is not None and entry[IS_WORD] and single and not exact:
            needs_context = kind == "literal" and entry[KIND] not in LITERAL_KINDS_WITHOUT_CONTEXT
            lower_next = _LOWERCASE_NEXT.match(after_text)
            locative = _last_word(before).casefold()
            introduced = locative in _LOCATIVES and (
                lower_next is None
                or lower_next.group(1) in _PLACE_NOUNS  # "in Cork city"
                # "in Reading and", "to Reading could"; not "of Commerce and Industry", "in Reading the letters"
                or (
                    locative != "of" and lower_next.group(1) in _FUNCTION_WORDS and lower_next.group(1) not in _ARTICLES
                )
            )
            if needs_context and not introduced:
                return None  # "Reading" the gerund, "Western countries", "Many" the pronoun
            if needs_context and next_token is not None and self._word(next_token)[0]:
                return None  # "in Eastern Europe", "in Central Asia": the word qualifies the place after it

        if kind == "literal":
            kind = _classify(text, end, start, statelike=entry is not None and entry[KIND] in _STATELIKE_KINDS)
        return Span(start, end, surface, kind, query)

    def _is_person_word(self, token: str) -> bool:
        """A capitalised word next to a name that makes it a person's: 'Putin', 'Hilton'."""
        word = _POSSESSIVE.sub("", token).rstrip(".,")
        if len(word) < 2 or not word[0].isupper() or word.isupper():
            return False
        key = name_key(word)
        entry = self._entry(key)
        if entry is not None:
            return False  # a place or demonym: "Kharkiv Sumy", "Moscow Russian"
        return key not in self._words and not (
            key in ADMIN_DESIGNATORS or key in PLACE_HEADS or key in ORGANISATION_HEADS or key in MONTHS_AND_DAYS
        )  # "Lagos April 4": a date, not a person named April

    def _names_around(self, tokens: list[Any], i: int) -> bool:
        """Whether token i or a word next to it is a known given name or surname ("Vladimir Putin",
        "Megyn Kelly"), which makes a run of capitalised words a person's more surely than a word that
        names nothing ("Riverdale Lukoil", a brand)."""
        for k in (i - 1, i, i + 1):
            if 0 <= k < len(tokens):
                key = name_key(_core(tokens[k][2]))
                if key in self._given_names or key in self._surnames:
                    return True
        return False

    def _in_a_persons_name(
        self, text: str, tokens: list[Any], i: int, end: int, person_at: int, judged_a_person: bool = False
    ) -> bool:
        """Whether token i (a small place's name, up to ``end``) sits in a run of capitalised words that
        reads as a person's name: one _judge found to be a person's ("Kelly said", "Rod Stewart"), a word
        next to it that names no place, or what _person_before finds before it ("Vladimir Putin",
        "Ambassador Phillips", "Tom Chilton")."""
        written = text[tokens[i][0] : end]
        entry = self._entry(name_key(written))
        if entry is None or not _could_be_a_name(entry) or _form_kind(entry, written):
            return False  # "US", "Washington": never taken for a name throughout the text
        if judged_a_person:
            return True
        before = tokens[i - 1] if i > 0 and tokens[i - 1][2] not in _CONNECTOR_SET else None
        after = tokens[i + 1][2] if i + 1 < len(tokens) and tokens[i + 1][2] not in _CONNECTOR_SET else None
        if after is not None and self._is_person_word(after):
            return True
        if before is not None and self._is_person_word(before[2]):
            return True
        return self._person_before(text, tokens, i, person_at)

    def _person_before(self, text: str, tokens: list[Any], i: int, person_at: int) -> bool:
        """Whether what comes before token i makes it more of a person's name: a given name, a title, a
        middle initial or a word already found in the name ("Tom Chilton", "Ambassador Phillips",
        "Gino D. Bassett", "Claude Joseph Villars Dubreuil"), or such a word and a particle
        ("Mike de Kock", "Philippe de Marigny")."""
        if i == 0:
            return False
        previous = tokens[i - 1]
        word = previous[2]
        if _POSSESSIVE.search(word):
            return False  # "Tom's Chilton": the possessive ends the person's name
        if word in _NAME_PARTICLES:
            return i >= 2 and (person_at == i - 2 or self._is_given_name(text, tokens[i - 2]))
        if word in _CONNECTOR_SET:
            return False
        return (
            person_at == i - 1
            or _is_initial(word)
            or word.rstrip(".").casefold() in self._titles
            or self._is_given_name(text, previous)
        )

    def _is_given_name(self, text: str, token: tuple[int, int, str]) -> bool:
        """A capitalised word that is a given name ("Tom", "Daria") and no large place; one that is an
        English function word too ("Will", "Among") only inside a sentence, not opening it."""
        start, _, written = token
        given = self._given_word(written)  # what the word is does not depend on where it stands
        return given is not None and (not given or not _opens_sentence(text, start))

    def _given_word_uncached(self, written: str) -> bool | None:
        """Of a written word: None if no given name, else whether it is a function word too."""
        word = _POSSESSIVE.sub("", written).rstrip(".,")
        if len(word) < 2 or not word[0].isupper() or word.isupper():
            return None
        key = name_key(word)
        if key not in self._given_names or key in PLACE_HEADS or key in ADMIN_DESIGNATORS:
            return None  # not "Park" of "Agriculture Park Wana"
        entry = self._entry(key)
        if entry is not None and not _could_be_a_name(entry):
            return None  # "Houston", "Jordan", "Georgia": the place
        return key in _FUNCTION_WORDS

    def _name_follows(self, token: str) -> bool:
        """Whether a capitalised word after a given name reads as more of the person's name."""
        if _is_initial(token):
            return True  # "Cleve R. Wootson"
        word = _POSSESSIVE.sub("", token).rstrip(".,")
        if len(word) < 2 or not word[0].isupper() or word.isupper() or token in _CONNECTOR_SET:
            return False
        key = name_key(word)
        if key in ADMIN_DESIGNATORS or key in PLACE_HEADS or key in ORGANISATION_HEADS or key in self._titles:
            return False  # "Charles County", "Victoria Street", "Paul University", "Atlanta Mayor"
        entry = self._entry(key)
        return entry is None or _could_be_a_name(entry) or key in self._surnames  # "Whitney Houston"

    def _small_place_before_name(self, entry: Entry, token: str) -> bool:
        word = _POSSESSIVE.sub("", token).rstrip(".,")
        if not word[:1].isupper() or word.isupper():
            return False
        key = word.casefold()
        if self._entry(name_key(word)) is not None or key in TITLES or key in ADMIN_DESIGNATORS:
            return False
        return _small(entry)

    def _hyphen_parts(self, text: str, tokens: list[Any], i: int, person_at: int) -> list[Span]:
        """'Syrian-Turkish', 'Britain-based': the capitalised parts of hyphenated token i. Not the
        small places in a person's double name: one with a given name or a word that names nothing in
        it ("Jean-Yves", "Diaz-Balart"), or after a given name or title ("Ambassador Phillips-Spencer")."""
        start, _, word = tokens[i]
        parts = word.split("-")
        cores = [_POSSESSIVE.sub("", part).rstrip(".") for part in parts]
        entries = [self._entry(name_key(core)) if core[:1].isupper() else None for core in cores]
        personal = self._person_before(text, tokens, i, person_at) or (
            sum(core[:1].isupper() for core in cores) > 1
            and any(self._names_a_person(core, entry) for core, entry in zip(cores, entries, strict=True))
        )
        spans = []
        position = start
        for part, clean, entry in zip(parts, cores, entries, strict=True):
            if entry is not None and not entry[IS_WORD]:
                kind = self._match_kind(clean, entry)
                if kind == "literal" and personal and _could_be_a_name(entry):
                    kind = None  # "Diaz" of "Mario Diaz-Balart"
                elif kind == "literal":
                    kind = _classify(text, position + len(clean), position)
                if kind is not None:
                    spans.append(Span(position, position + len(clean), clean, kind, clean))
            position += len(part) + 1
        return spans

    def _may_name_a_person(self, entry: Entry | None, surface: str) -> bool:
        """Whether a place's name can start a person's: a small place's ("Tom"), or a given name
        ("Paris", "Jordan", "Chad"); not a country's or a city's that is none ("Kazakhstan", "Holy See")."""
        return entry is None or _could_be_a_name(entry) or name_key(surface) in self._given_names

    def _possessive_of_a_place(self, core: str) -> bool:
        """Whether a name written with a possessive is the place's ("Brooklyn's", "Middletown's"), not maybe
        a person's ("Martha's Vineyard", "Eva's Village": a small place's name that is a given name too)."""
        entry = self._entry(name_key(core))
        if entry is None:
            return False
        return not _could_be_a_name(entry) or self._given_word(core) is None

    def _names_a_person(self, core: str, entry: Entry | None) -> bool:
        """Of a capitalised part of a double name: a word that names nothing ("Balart" of "Diaz-Balart")
        or a given name that is no place's own name ("Jean" of "Jean-Yves"; not "Nelson" of "Nelson-Creston")."""
        if not core[:1].isupper():
            return False
        if entry is None:
            return name_key(core) not in self._words
        return bool(entry[ALIAS]) and self._given_word(core) is not None

    def _place_head_pattern(self, tokens: list[Any], found: list[Span], text: str) -> Span | None:
        """'Royal Street', 'Mississippi River', 'Lake Manassas', 'Rogers Centre': a named street, river,
        lake, building... ("The Centre" opening a sentence is none; "Brooklyn's Barclays Center" starts
        after the possessive)."""
        for k in range(len(tokens) - 2, -1, -1):
            if _POSSESSIVE.search(tokens[k][2]):
                if self._possessive_of_a_place(_core(tokens[k][2])):
                    tokens = tokens[k + 1 :]  # "Brooklyn's Barclays Center": Brooklyn is a place of its own
                break  # "Eva's Village", "Estey's Bridge": a person's possessive is part of the name
        while tokens and tokens[0][2].casefold() in _FUNCTION_WORDS:
            tokens = tokens[1:]
        if len(tokens) < 2:
            return None
        last_core = _POSSESSIVE.sub("", tokens[-1][2]).rstrip(".")
        if not (last_core.casefold() in PLACE_HEADS or tokens[0][2].casefold() in PLACE_PREFIXES):
            return None
        start, end = tokens[0][0], tokens[-1][0] + len(last_core)
        surface = text[start:end]
        if any(s.start == start and s.end == end for s in found):
            return None
        if len(tokens) == 2 and self._given_word(tokens[0][2]) is not None:
            before = text[max(0, start - 40) : start]
            if _SPEECH_AFTER.match(text[end : end + 40]) or _last_word(before).rstrip(".,").casefold() in self._titles:
                return None  # "Damon Hill said", "director Michael Bay": a person, not a hill or a bay
        return Span(start, end, surface, "literal", surface, source="pattern")


_CAMEL_CASE: Final = re.compile(r"[A-Z][a-z]+")  # the words of "NewYork"
# A preposition of place and one or two lower-case words after it ("in houston", "to new york").
_LOWER_CASE_PLACE: Final = re.compile(r"\b(?:in|at|from|to|near)[ \t]+([a-z]{3,}(?:[ \t][a-z]{3,})?)\b")
_POSTAL_AFTER: Final = re.compile(r",[ \t]*([A-Z]{2})\b(?![.'’-]?\w)")
_NAME_INTERNAL_ABBREVIATIONS: Final = frozenset({"st.", "mt.", "ft.", "pt.", "ste.", "n.", "s.", "e.", "w."})
_INITIAL: Final = re.compile(r"[A-Z]\.")
# Particles inside people's names: "Mike de Kock", "Ludwig van Beethoven".
_NAME_PARTICLES: Final = frozenset("de del della da do dos das du van von der den di".split())
_SPEECH: Final = r"said|says|told|added|wrote|tweeted|explained|asked|noted|recalled|replied|argued|insisted|admitted"
_SPEECH_AFTER: Final = re.compile(rf"^(?:'s|’s)?,?[ \t]+(?:{_SPEECH})\b")
_SPEECH_WORDS: Final = frozenset(_SPEECH.split("|"))
_LOWERCASE_NEXT: Final = re.compile(r"^[ \t]+([a-z]+)")
# Words after a place's name that go with the place, not with a verb or a noun phrase the name is part of.
_ARTICLES: Final = frozenset({"the", "a", "an"})  # "in Reading the letters": a gerund and its object
_PLACE_NOUNS: Final = frozenset("city town county area region district centre center village suburb streets".split())
_DATE_AFTER: Final = re.compile(r"^\.?[ \t]+\d")
_CONTRACTION: Final = re.compile(r"[A-Za-z]+['’](?:ve|ll|re|m|d|t)")


def _classify(text: str, end: int, start: int, *, statelike: bool = False) -> str:
    """The type of a literal match from ``start`` to ``end``: 'associative' when the place stands for its
    government, team or people ("Moscow has repeatedly said", "Kyiv's troops", "relations with Algeria",
    "against Louisville"; a country or state acting, possessing or acted on: "Slovenia made", "Russia's
    request", "Britain blames Russia"), else 'literal'."""
    if (_may_be_associative(text, end) and _ASSOCIATIVE.match(text, end, end + 80)) or (
        _PARTY_WORDS.intersection(text[max(0, start - 40) : start].casefold().split()[-4:])  # a cheap test first
        and (
            _ASSOCIATIVE_BEFORE.search(text, max(0, start - 60), start)
            or _AGAINST_BEFORE.search(text, max(0, start - 20), start)
        )
    ):
        return "associative"
    if statelike and (
        _STATE_POSSESSES.match(text, end, end + 40)
        or (
            _OBJECT_VERB_SET.intersection(text[max(0, start - 50) : start].casefold().split()[-6:])
            and _STATE_AS_OBJECT.search(text, max(0, start - 50), start)
        )
    ):
        return "associative"
    # a state acting; but in "Talks in Jordan and Georgia continued", after a preposition of place, the talks act
    if (
        statelike
        and _STATE_ACTS.match(text, end, end + 60)
        and not _LOCATIVE_BEFORE.search(text, max(0, start - 60), start)
    ):
        return "associative"
    return "literal"


def _may_be_associative(text: str, end: int) -> bool:
    """False where _ASSOCIATIVE cannot match at ``end``: no possessive there, and the next word (within the
    same 80 characters) no word a match can start with. Exact: a word not in ASCII is left to the
    expression, whose case-blind matching knows more equivalences than casefold()."""
    match = _NEXT_WORD.match(text, end, end + 80)
    if match is None:
        return False
    word = match.group(1)
    return word is None or not word.isascii() or word.casefold() in _ASSOCIATIVE_FIRST_WORDS


def _small(entry: Entry) -> bool:
    """A town of under about 100,000 people, whose name may be a person's before another name or a verb
    of speech ("Kelly said"); no state or province however few live there ("said Hawaii's", "Manitoba
    Premier"): what _could_be_a_name says, below the smaller prior."""
    return (entry[PRIOR] or 0.0) < SMALL_PLACE_PRIOR and _could_be_a_name(entry)


def _could_be_a_name(entry: Entry) -> bool:
    """A place small enough for its name to be a person's where one reads so (not a country, a state,
    a city of a million)."""
    return (
        (entry[PRIOR] or 0.0) < MINOR_PLACE_PRIOR
        and entry[KIND] not in LITERAL_KINDS_WITHOUT_CONTEXT
        and entry[KIND] != "admin1"
    )


def _opens_sentence(text: str, start: int) -> bool:
    """Whether the word at ``start`` opens a text, line, sentence or quotation."""
    before = text[max(0, start - 8) : start].rstrip(" \t")
    return not before or before[-1] in ".!?:;\n\"“‘'(—-"


def _is_initial(word: str) -> bool:
    """A middle initial ("D." of "Gino D. Bassett"); not N., S., E. or W. ("N. Korea")."""
    return _INITIAL.fullmatch(word) is not None and word[0] not in "NSEW"


def _last_word(before: str) -> str:
    """The word right before a span ("" when a line or text starts there, or punctuation intervenes)."""
    if not before.endswith((" ", "\t")):
        return ""
    words = before.rsplit(None, 1)
    return words[-1] if words else ""


def _core(word: str) -> str:
    """A token without a possessive, a final dot or a lower-case suffix: "Ukraine's" -> "Ukraine",
    "Kent-based" -> "Kent" (so "Los Angeles-based" is Los Angeles)."""
    if "-" in word:
        word = _LOWER_CASE_SUFFIX.sub("", word)
    if not word.endswith(("s", "'", "’", ".")):
        return word  # most words: nothing to take off
    return _POSSESSIVE.sub("", word).rstrip(".")


_WORD: Final = re.compile(r"\S+")
_LOWER_CASE_SUFFIX: Final = re.compile(r"(?<=\w)-[a-z]+$")  # "-based", "-led", "-born"
_UNSEEN: Final = object()
# What _judge returns for a name that is no place because it is a person's here ("Kelly said").
_PERSON: Final = "person"
_MAX_WINDOWS: Final = 200_000  # stretches of words remembered by a recogniser


def _sentence_pieces(sequence: str, offset: int) -> list[list[tuple[int, int, str]]]:
    """Tokens of a capitalised sequence, cut where a sentence ends inside it ("UK. The").

    A final dot ends a sentence unless the word is an initial or a short form
    that lives inside names ("St. Louis", "Mt. Kenya").
    """
    pieces: list[list[tuple[int, int, str]]] = [[]]
    for match in _WORD.finditer(sequence):
        word = match.group()
        pieces[-1].append((match.start() + offset, match.end() + offset, word))
        if word.endswith(".") and word.casefold() not in _NAME_INTERNAL_ABBREVIATIONS and not _INITIAL.fullmatch(word):
            pieces.append([])
    return [piece for piece in pieces if piece]


def _split_runs(tokens: list[Any]) -> list[list[Any]]:
    """Split a capitalised sequence at 'and': "Mississippi River and Royal Street" is two names."""
    runs: list[list[Any]] = [[]]
    for token in tokens:
        if token[2] in ("and", "y"):
            runs.append([])
        else:
            runs[-1].append(token)
    return [run for run in runs if run]


def _overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end
