"""Name normalisation shared by the gazetteer build, its queries and the recogniser."""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Final

__all__ = ["is_latin", "keep_alias", "name_key", "with_plurals"]

_SEPARATORS: Final = frozenset("-/ ,()")
# ASCII punctuation: separators become spaces, everything else that is not alphanumeric goes.
_ASCII_FOLD: Final = str.maketrans(
    {chr(c): (" " if chr(c) in _SEPARATORS else None) for c in range(128) if not chr(c).isalnum()}
)


@lru_cache(maxsize=200_000)
def name_key(name: str) -> str:
    """Fold a name to the key it is indexed under.

    Diacritics and case go, apostrophes and full stops vanish, hyphens become
    spaces: ``"Donets'k"`` and ``"Donetsk"`` meet, so do ``"U.S."`` and ``"US"``.

    >>> name_key("Ivano-Frankivs'k")
    'ivano frankivsk'
    >>> name_key("W.Va.")
    'wva'
    """
    if name.isascii():  # the common case, without the per-character loop
        return " ".join(name.casefold().translate(_ASCII_FOLD).split())
    decomposed = unicodedata.normalize("NFKD", name)
    out = []
    for ch in decomposed:
        if unicodedata.combining(ch):
            continue
        if ch.isalnum():
            out.append(ch.casefold())
        elif ch in _SEPARATORS:
            out.append(" ")
    return " ".join("".join(out).split())


def is_latin(text: str) -> bool:
    """True when every letter of ``text`` is a Latin letter."""
    return text.isascii() or all(not ch.isalpha() or "LATIN" in unicodedata.name(ch, "") for ch in text)


def with_plurals(forms: list[str]) -> list[str]:
    """Each demonym followed by the plural news uses for people: Russians, Israelis, Swedes.

    >>> with_plurals(["Russian", "Israeli", "French", "Chinese", "Swede"])
    ['Russian', 'Russians', 'Israeli', 'Israelis', 'French', 'Chinese', 'Swede', 'Swedes']
    """
    out = []
    for form in forms:
        if not form:
            continue
        out.append(form)
        takes_s = form.endswith(("an", "i", "e", "k", "n", "d", "t"))
        if takes_s and not form.endswith(("ese", "ish", "ch", "ss")):
            out.append(form + "s")
    return out


def keep_alias(
    alias: str,
    *,
    own: str,
    english: frozenset[str] | set[str],
    own_key: str | None = None,
    major: bool = False,
    reserved: frozenset[str] | set[str] = frozenset(),
) -> bool:
    """Whether an alternate name of a place is one a reader could meet in English prose (the alias filter
    of every GeoNames layer, see gazetteer/SOURCES.md).

    Dropped: the place's own name again (``own``); non-Latin scripts; names
    shorter than three letters; names with no capital letter (romanisation
    keys such as "mosko"); all-capital codes of up to four letters (airport
    codes such as "MOW"); unless the place is ``major``, names that are
    lower-case English words ("Minister", "On") or ``reserved`` names (of
    countries: "Ukraine" for a Spanish village); and phrases made only of
    English words ("White House", a translation of Casablanca). ``own_key``,
    when given, is ``name_key(own)`` (worked out once for all of a place's).

    >>> keep_alias("Kiew", own="Kyiv", english={"on"})
    True
    >>> [keep_alias(a, own="Moscow", english={"on"}) for a in ("MOW", "mosko", "On", "Moskva")]
    [False, False, False, True]
    """
    key = name_key(alias)
    if key == (own_key if own_key is not None else name_key(own)) or not is_latin(alias):
        return False
    if len(key.replace(" ", "")) < 3:
        return False
    if not any(ch.isupper() for ch in alias) or (alias.isupper() and len(alias) <= 4):
        return False
    if not major and (key in english or key in reserved):
        return False
    return not (" " in key and all(word in english for word in key.split()))
