"""The recogniser's name index, compiled once with the gazetteer and loaded in milliseconds.

What the recogniser asks of a name key is small and always the same: the best
prior and kind of the places it names, whether it is a demonym, which
abbreviations write it ("U.S.") and whether it is an English word too. The
build works that out once per key and stores it in marisa-trie record tries
(a compact, static trie of every key with a fixed-size record each), kept as
blobs in the gazetteer's own SQLite file: one file to ship, covered by the
same integrity check. Loading them is a copy of a few megabytes instead of
reading and grouping 640,000 name rows (2 s per process before).

Record layout ``<dBBH``: the prior (NaN: no place, only a demonym or an
abbreviation), the kind's number in the kinds list (255: none), flags
(1: demonym, 2: English word, 4: no place has it as its own name, only as an
alternate one) and the number of the key's abbreviation forms in the forms list (0: none).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import groupby
from operator import itemgetter
from typing import Any, Final, NamedTuple

import marisa_trie

__all__ = [
    "ALIAS",
    "BLOB_NAMES",
    "DEMONYM",
    "FORMS",
    "IS_WORD",
    "KIND",
    "PRIOR",
    "Entry",
    "NameIndex",
    "NameRow",
    "compile_name_index",
    "entry_of",
]


class NameRow(NamedTuple):
    """What the name index is compiled from: each name of the names table (Gazetteer.name_rows)."""

    key: str
    name: str
    match: str
    is_word: int
    kind: str
    prior: float
    seq: int


# What the index knows of one name key, a plain tuple read with these indexes:
# - PRIOR: the best prior among places with this name or alias (None: only a demonym or abbreviation);
# - KIND: that place's kind;
# - DEMONYM: whether the key is also a demonym;
# - FORMS: (abbreviation as written, kind of its best place) pairs, (("US", "country"),);
# - IS_WORD: whether the key is an English word too;
# - ALIAS: whether the key is only ever an alternate name ("Levi" for Lévis), no place's own.
Entry = tuple[Any, ...]
# the fields of an Entry, by position (Final: compiled modules read them as constants)
PRIOR: Final = 0
KIND: Final = 1
DEMONYM: Final = 2
FORMS: Final = 3
IS_WORD: Final = 4
ALIAS: Final = 5

_RECORD = "<dBBH"
_NO_KIND = 255
_DEMONYM_FLAG, _WORD_FLAG, _ALIAS_FLAG = 1, 2, 4
# The blobs the build stores (in the gazetteer's blobs table) and the loader reads.
BLOB_NAMES = ("names.entries", "names.first_words", "names.tables")
# Decoded entries remembered per index: the names a corpus uses again and again.
_CACHED_ENTRIES = 200_000


def entry_of(rows: Iterable[tuple[Any, ...]]) -> Entry:
    """What the names rows of one key say (rows with NameRow's fields).

    Of equal places the first added counts: (prior, -seq) ranks them.
    """
    literal: tuple[tuple[float, int], str] | None = None
    forms: dict[str, tuple[tuple[float, int], str]] = {}
    demonym = is_word = False
    own_name = False  # some place has the key as its own name, not only as an alternate one
    for _, name, match, word, kind, prior, seq in rows:
        is_word = is_word or bool(word)
        if match == "demonym":
            demonym = True
        elif match == "abbreviation":
            best = forms.get(name)
            if best is None or (prior, -seq) > best[0]:
                forms[name] = ((prior, -seq), kind)
        else:
            own_name = own_name or match != "alias"
            if literal is None or (prior, -seq) > literal[0]:
                literal = ((prior, -seq), kind)
    return (
        literal[0][0] if literal else None,
        literal[1] if literal else None,
        demonym,
        tuple((form, kind) for form, (_, kind) in forms.items()),
        is_word,
        literal is not None and not own_name,
    )


def _entries(rows: Iterable[tuple[Any, ...]]) -> Iterator[tuple[str, Entry]]:
    for key, group in groupby(rows, key=itemgetter(0)):
        yield key, entry_of(group)


def compile_name_index(rows: Iterable[tuple[Any, ...]]) -> dict[str, bytes]:
    """The index's blobs from every name row (NameRow's fields), grouped by key as the names table keeps them."""
    kinds: list[str] = []
    forms: list[tuple[tuple[str, str], ...]] = [()]
    kind_number: dict[str, int] = {}
    form_number: dict[tuple[tuple[str, str], ...], int] = {(): 0}
    records: list[tuple[str, tuple[float, int, int, int]]] = []
    first_words: dict[str, int] = {}
    for key, entry in _entries(rows):
        kind = entry[KIND]
        if kind is not None and kind not in kind_number:
            kind_number[kind] = len(kinds)
            kinds.append(kind)
        if entry[FORMS] not in form_number:
            form_number[entry[FORMS]] = len(forms)
            forms.append(entry[FORMS])
        flags = (
            (_DEMONYM_FLAG if entry[DEMONYM] else 0)
            | (_WORD_FLAG if entry[IS_WORD] else 0)
            | (_ALIAS_FLAG if entry[ALIAS] else 0)
        )
        prior = math.nan if entry[PRIOR] is None else entry[PRIOR]
        records.append(
            (key, (prior, _NO_KIND if kind is None else kind_number[kind], flags, form_number[entry[FORMS]]))
        )
        first, _, rest = key.partition(" ")
        size = rest.count(" ") + 2 if rest else 1
        if size > first_words.get(first, 0):
            first_words[first] = size
    if len(kinds) >= _NO_KIND or len(forms) > 0xFFFF:
        raise ValueError(f"the name index cannot hold {len(kinds)} kinds or {len(forms)} abbreviation sets")
    tables = {"kinds": kinds, "forms": forms}
    return {
        "names.entries": marisa_trie.RecordTrie(_RECORD, records).tobytes(),
        "names.first_words": marisa_trie.RecordTrie("<B", ((w, (n,)) for w, n in first_words.items())).tobytes(),
        "names.tables": json.dumps(tables, ensure_ascii=False).encode("utf-8"),
    }


class NameIndex:
    """Every gazetteer name key, for fast matching: what each one names, and which words start a name.

    Made from the blobs :func:`compile_name_index` wrote (``Gazetteer.name_index``
    loads them). Read-only; lookups of the same key are remembered.
    """

    def __init__(self, blobs: dict[str, bytes]) -> None:
        self._trie = marisa_trie.RecordTrie(_RECORD).frombytes(blobs["names.entries"])
        self._first_words = marisa_trie.RecordTrie("<B").frombytes(blobs["names.first_words"])
        tables = json.loads(blobs["names.tables"])
        self._kinds: list[str] = tables["kinds"]
        self._forms = [tuple((form, kind) for form, kind in pairs) for pairs in tables["forms"]]
        # a trie lookup costs a microsecond or two, a dict's a twentieth of that: what was asked is remembered
        self.get = lru_cache(maxsize=_CACHED_ENTRIES)(self._decode)
        self.longest = lru_cache(maxsize=_CACHED_ENTRIES)(self._longest)

    def __len__(self) -> int:
        return len(self._trie)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def keys(self) -> list[str]:
        return self._trie.keys()

    def _longest(self, first_word: str) -> int | None:
        """The most words a name starting with ``first_word`` (a key's first word) has; None: no name does."""
        found = self._first_words.get(first_word)
        return found[0][0] if found else None

    def _decode(self, key: str) -> Entry | None:
        """Name key -> what is known of it, or None."""
        found = self._trie.get(key)
        if not found:
            return None
        prior, kind, flags, forms = found[0]
        return (
            None if math.isnan(prior) else prior,
            None if kind == _NO_KIND else self._kinds[kind],
            bool(flags & _DEMONYM_FLAG),
            self._forms[forms],
            bool(flags & _WORD_FLAG),
            bool(flags & _ALIAS_FLAG),
        )
