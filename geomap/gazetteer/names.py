"""Name normalisation shared by the gazetteer build, its queries and the recogniser."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

__all__ = ["ADMIN_DESIGNATORS", "is_latin", "name_key", "split_designator", "with_plurals"]

# Words that turn a name into an administrative unit: "Kursk region" is the
# oblast, "Laurel County" the county. Mapped to the layer they point at.
ADMIN_DESIGNATORS: dict[str, tuple[str, ...]] = {
    "region": ("admin1", "composite"),
    "oblast": ("admin1",),
    "province": ("admin1",),
    "state": ("admin1",),
    "governorate": ("admin1",),
    "prefecture": ("admin1",),
    "krai": ("admin1",),
    "kray": ("admin1",),
    "republic": ("admin1",),
    "territory": ("admin1",),
    "department": ("admin1",),
    "voivodeship": ("admin1",),
    "canton": ("admin1",),
    "emirate": ("admin1",),
    "district": ("admin1", "admin2"),
    "county": ("admin2", "admin1"),
    "parish": ("admin2",),
}

_SEPARATORS = frozenset("-/ ,()")
# ASCII punctuation: separators become spaces, everything else that is not alphanumeric goes.
_ASCII_FOLD = str.maketrans(
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
    return all(not ch.isalpha() or "LATIN" in unicodedata.name(ch, "") for ch in text)


def split_designator(key: str) -> tuple[str, tuple[str, ...]] | None:
    """Split ``"kursk region"`` or ``"region of kursk"`` into the name and its layers.

    >>> split_designator("kursk region")
    ('kursk', ('admin1', 'composite'))
    >>> split_designator("state of texas")
    ('texas', ('admin1',))
    >>> split_designator("kursk") is None
    True
    """
    words = key.split()
    if len(words) >= 2 and words[-1] in ADMIN_DESIGNATORS:
        return " ".join(words[:-1]), ADMIN_DESIGNATORS[words[-1]]
    if len(words) >= 3 and words[1] == "of" and words[0] in ADMIN_DESIGNATORS:
        return " ".join(words[2:]), ADMIN_DESIGNATORS[words[0]]
    return None


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
