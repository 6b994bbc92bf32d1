"""Text knowledge shared by the readers, the recogniser, the resolver and the gazetteer.

Sentences (where they start, which holds an offset), datelines ("MOSCOW:",
"BEIRUT (AP) —" at a line start) and administrative designators ("Kursk
region", "state of Texas").
"""

from __future__ import annotations

import bisect
import re
from typing import Final

__all__ = [
    "ADMIN_DESIGNATORS",
    "DATELINE",
    "dateline_matches",
    "find_dateline",
    "sentence_bounds",
    "sentence_of",
    "split_designator",
]

# --- sentences ---------------------------------------------------------------------

# A sentence ends at . ! or ? (not after an initial or a title: "U.S.", "Mr.") before a capital, or at a line end.
# One character class opens the pattern, so the scan skips ahead to the next candidate end (4x faster than
# an alternation of the two cases); what follows decides: more line ends, or the rules after punctuation.
_SENTENCE_END: Final = re.compile(
    r"[.!?\n](?:(?<=\n)\n*|(?<!\n)(?<!\b[A-Z]\.)(?<!\b(?:Mr|Ms|Dr|St|Jr|Sr|vs)\.)[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9]))"
)


def sentence_bounds(text: str) -> list[int]:
    """Offsets where sentences start (0 first); use with :func:`bisect` to find a span's sentence."""
    starts = [0]
    for match in _SENTENCE_END.finditer(text):
        starts.append(match.end())
    return starts


def sentence_of(text: str, starts: list[int], start: int) -> tuple[int, str]:
    """The sentence holding offset ``start``: (its start offset, its text)."""
    index = bisect.bisect_right(starts, start) - 1
    begin = starts[index]
    end = starts[index + 1] if index + 1 < len(starts) else len(text)
    raw = text[begin:end]
    stripped = raw.lstrip(" \t\n•·▪*-")  # a bullet is no part of the sentence
    return begin + (len(raw) - len(stripped)), stripped.rstrip()


# --- datelines ----------------------------------------------------------------------

# "MOSCOW:", "BEIRUT (AP) —", "KYIV, Ukraine —": capitals at a line start, then a colon or dash.
DATELINE: Final = re.compile(
    r"^(?P<place>[A-Z][A-Z'’.\- ]*[A-Z.])(?:,\s*[A-Z][\w.]*(?: [A-Z][\w.]*)*)?\s*(?:\([^)\n]{1,40}\))?\s*[:—–-]\s",
    re.MULTILINE,
)


def dateline_matches(text: str) -> list[re.Match[str]]:
    """Every DATELINE match of ``text``, as ``DATELINE.finditer`` gives them, found faster: the expression is
    tried only where a line starts with a capital (the next line found by str.find), where finditer, with
    a pattern that opens with ^, has the engine try every character of the text."""
    found = []
    resume = 0  # where the last match ended: matches do not overlap, and one may run over a line end
    start = 0
    while start < len(text):
        if start >= resume and "A" <= text[start] <= "Z":
            match = DATELINE.match(text, start)
            if match is not None:
                found.append(match)
                resume = match.end()
        newline = text.find("\n", start)
        if newline < 0:
            break
        start = newline + 1
    return found


def find_dateline(body: str) -> str | None:
    """The dateline place of a body's first line ("MOSCOW: ..." gives "MOSCOW")."""
    match = DATELINE.match(body)
    return match.group("place").strip() if match else None


# --- designators ----------------------------------------------------------------------

# Words that turn a name into an administrative unit: "Kursk region" is the
# oblast, "Laurel County" the county. Mapped to the layer they point at.
ADMIN_DESIGNATORS: Final[dict[str, tuple[str, ...]]] = {
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
