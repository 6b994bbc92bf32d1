"""A user's corrections to geoparsing: names pinned to a place, names banned (``geomap.toml``).

An analyst who knows that "Sudzha" is always the Kursk Oblast town, or that
"Vladimir" in their corpus is a person, writes it down once::

    ban = ["Vladimir", "Kelly"]          # never a place
    designators = ["hromada", "raion"]   # words after a name that make it a unit: "Sumy raion"

    [[pin]]
    form = "Sudzha"                      # as written in the text
    place = "geonames:486816"            # a place id of the gazetteer (geomap geocode --json shows them)

    [[pin]]
    form = "Kherson"
    place = "geonames:706448"
    sources = ["Kyiv Independent"]       # only in articles from these sources

geomap reads ``geomap.toml`` in the working folder, or the file given with
``geomap --config FILE``. A pinned form is found wherever it is written
(whole words), even when the gazetteer lacks it, and resolved to its place
with ``resolved_by = "pinned"``; a banned form is no mention at all. Forms
match as the gazetteer's names do (case, diacritics and punctuation aside).
A designator joins the name before it ("Velykopysarivska hromada" is one
mention) and the whole is looked up: GeoNames names its units so ("Sumskyi
Raion"), which an import with ``--feature-classes P,A`` brings in; without
such a unit the name's own place is taken.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .errors import InputError
from .gazetteer import Gazetteer, name_key
from .models import Article, Mention, Place, Span

__all__ = ["CONFIG_FILE", "Corrections", "Pin", "load_corrections"]

#: The corrections file geomap looks for in the working folder.
CONFIG_FILE = "geomap.toml"


@dataclass(frozen=True)
class Pin:
    """A form and the place it always names (in articles from ``sources`` only, when given)."""

    form: str
    place: Place
    sources: frozenset[str] | None = None

    def applies_to(self, article: Article) -> bool:
        return self.sources is None or (article.source or "") in self.sources


@dataclass
class Corrections:
    """Pinned and banned forms, applied around recognition and resolution (see the module docstring)."""

    pins: dict[str, list[Pin]] = field(default_factory=dict)  # name key -> pins
    bans: frozenset[str] = frozenset()  # name keys
    designators: tuple[str, ...] = ()
    path: Path | None = None
    gazetteer: Gazetteer | None = None  # what names a designated unit ("Sumskyi Raion")
    _finder: re.Pattern[str] | None = None
    _designator: re.Pattern[str] | None = None

    def __post_init__(self) -> None:
        forms = sorted({pin.form for pins in self.pins.values() for pin in pins}, key=len, reverse=True)
        if forms:
            self._finder = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(f) for f in forms) + r")(?!\w)")
        if self.designators:
            words = "|".join(re.escape(d) for d in sorted(self.designators, key=len, reverse=True))
            # up to three capitalised words and a designator: "Velykopysarivska hromada", "Sumy raion"
            self._designator = re.compile(rf"(?:[A-Z][\w'’-]*[ \t]+){{1,3}}(?i:{words})(?!\w)")

    def spans(self, article: Article, spans: list[Span]) -> list[Span]:
        """The recogniser's spans without the banned forms, with the pinned forms it missed and the user's
        designators joined."""
        kept = [s for s in spans if name_key(s.text) not in self.bans]
        if self._designator is not None:
            kept = self._designated(article.text, kept)
        if self._finder is None:
            return kept
        for match in self._finder.finditer(article.text):
            if not any(p.applies_to(article) for p in self.pins.get(name_key(match.group()), ())):
                continue
            if any(s.start < match.end() and match.start() < s.end for s in kept):
                continue
            kept.append(Span(match.start(), match.end(), match.group(), "literal", match.group()))
        return sorted(kept, key=lambda s: s.start)

    def _designated(self, text: str, spans: list[Span]) -> list[Span]:
        """Spans with the user's designators joined: a unit the gazetteer names so ("Velykopysarivska
        Hromada"), else a recognised name and its designator ("Sudzha raion": the town, if no unit)."""
        assert self._designator is not None
        for match in self._designator.finditer(text):
            words = match.group().split()
            joined = None
            for size in range(len(words) - 1, 0, -1):  # the most words first
                surface = " ".join(words[-size - 1 :])
                start = match.end() - len(surface)
                if text[start : match.end()] != surface:
                    continue  # a tab between the words: take the text as written only
                named = self.gazetteer is not None and self.gazetteer.lookup(surface, limit=1)
                inside = [s for s in spans if s.start == start and s.end <= match.end()]
                if named or inside:
                    joined = Span(start, match.end(), surface, "literal", surface)
                    break
            if joined is not None:
                spans = [s for s in spans if not (s.start < joined.end and joined.start < s.end)] + [joined]
        return sorted(spans, key=lambda s: s.start)

    def mentions(self, article: Article, mentions: list[Mention]) -> list[Mention]:
        """The resolver's mentions, those of pinned forms placed at their pins."""
        out = []
        for mention in mentions:
            pin = next((p for p in self.pins.get(name_key(mention.text), ()) if p.applies_to(article)), None)
            if pin is not None:
                mention = replace(mention, place=pin.place, confidence=1.0, resolved_by="pinned", alternatives=())
            out.append(mention)
        return out


def load_corrections(path: str | Path | None, gazetteer: Gazetteer) -> Corrections | None:
    """The corrections in ``path`` (None: ``geomap.toml`` in the working folder, if there is one)."""
    if path is None:
        if not Path(CONFIG_FILE).is_file():
            return None
        path = CONFIG_FILE
    source = Path(path)
    try:
        data = tomllib.loads(source.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{str(source)!r} does not exist") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise InputError(f"{source}: not a readable TOML file ({err})") from None
    unknown = set(data) - {"pin", "ban", "designators"}
    if unknown:
        raise InputError(f"{source}: unknown setting {sorted(unknown)[0]!r} (known: pin, ban, designators)")
    bans = _strings(data.get("ban", []), where=f"{source}: ban")
    designators = tuple(d.strip() for d in _strings(data.get("designators", []), where=f"{source}: designators"))
    pins: dict[str, list[Pin]] = {}
    for number, entry in enumerate(_entries(data.get("pin", []), where=f"{source}: pin"), start=1):
        where = f"{source}: pin {number}"
        form, place_id = entry.get("form"), entry.get("place")
        if not isinstance(form, str) or not form.strip() or not isinstance(place_id, str):
            raise InputError(f"{where} needs a form and a place (strings)")
        place = gazetteer.get(place_id)
        if place is None:
            raise InputError(f"{where}: no place {place_id!r} in the gazetteer")
        sources = entry.get("sources")
        pin = Pin(form.strip(), place, None if sources is None else frozenset(_strings(sources, where=where)))
        pins.setdefault(name_key(pin.form), []).append(pin)
    return Corrections(
        pins=pins,
        bans=frozenset(name_key(b) for b in bans),
        designators=tuple(d for d in designators if d),
        path=source,
        gazetteer=gazetteer,
    )


def _strings(value: Any, *, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(f"{where} must be a list of strings")
    return list(value)


def _entries(value: Any, *, where: str) -> Iterable[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise InputError(f"{where} must be a list of tables ([[pin]])")
    return value
