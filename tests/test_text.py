from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from geomap.text import DATELINE, dateline_matches, find_dateline


def spans(matches) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group("place")) for m in matches]


def test_datelines_are_found_at_line_starts_only() -> None:
    text = "MOSCOW: Talks began.\nIn KYIV - no dateline here.\nKYIV, Ukraine (AP) — More.\n\nBEIRUT — Later.\n"
    assert [m.group("place") for m in dateline_matches(text)] == ["MOSCOW", "KYIV", "BEIRUT"]
    assert find_dateline(text) == "MOSCOW"


def test_a_dateline_running_over_a_line_end_hides_the_line_start_inside_it() -> None:
    # the qualifier's "\\s*" takes the line end: "UKRAINE: " opens a line but lies inside KYIV's match
    text = "KYIV,\nUKRAINE: x"
    assert spans(dateline_matches(text)) == spans(DATELINE.finditer(text)) == [(0, 15, "KYIV")]


# Texts made of the characters datelines are made of, and line ends, so that matches are common.
_PIECES = st.sampled_from(
    ["MOSCOW", "KYIV", "U.S.", "A", "b", ", Ukraine", ",", " (AP)", " ", "\n", "\n\n", ":", " — ", "-", "’", "é"]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(_PIECES, max_size=30).map("".join))
def test_dateline_matches_are_what_finditer_gives(text: str) -> None:
    assert spans(dateline_matches(text)) == spans(DATELINE.finditer(text))
