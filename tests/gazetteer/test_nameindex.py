"""The compiled name index says of every key what the names rows say, and a damaged one is reported."""

from __future__ import annotations

import random
import sqlite3
from itertools import groupby
from operator import itemgetter
from pathlib import Path

import pytest

from geomap.errors import GazetteerError
from geomap.gazetteer import Gazetteer
from geomap.gazetteer.nameindex import FORMS, KIND, PRIOR, NameIndex, compile_name_index, entry_of


def _from_rows(gazetteer: Gazetteer) -> dict[str, tuple[object, ...]]:
    return {key: entry_of(group) for key, group in groupby(gazetteer.name_rows(), key=itemgetter(0))}


def test_every_key_of_the_tiny_gazetteer_reads_back_as_its_rows_say(tiny_gazetteer: Gazetteer) -> None:
    expected = _from_rows(tiny_gazetteer)
    index = tiny_gazetteer.name_index
    assert sorted(index.keys()) == sorted(expected)
    assert {key: index.get(key) for key in expected} == expected
    assert index.get("no such place") is None and "no such place" not in index


def test_the_full_index_agrees_with_the_names_table(gazetteer: Gazetteer) -> None:
    expected = _from_rows(gazetteer)
    index = gazetteer.name_index
    assert len(index) == len(expected) > 400_000
    sample = random.Random(7).sample(sorted(expected), 20_000)
    assert [index.get(key) for key in sample] == [expected[key] for key in sample]
    # the keys the rules lean on, exactly
    for key in ("us", "ukraine", "russian", "reading", "new york", "kursk", "wva"):
        assert index.get(key) == expected[key], key
    assert index.get("us")[FORMS] == (("US", "country"), ("U.S.", "country")) or "U.S." in dict(index.get("us")[FORMS])
    assert index.get("russian")[PRIOR] is None or index.get("russian")[KIND] is not None


def test_the_longest_name_starting_with_a_word(gazetteer: Gazetteer) -> None:
    index = gazetteer.name_index
    longest = {}
    for key in index.keys():  # noqa: SIM118  (a trie: keys() lists them)
        first, _, rest = key.partition(" ")
        longest[first] = max(longest.get(first, 0), rest.count(" ") + 2 if rest else 1)
    for word in ("new", "kursk", "rio", "united", "saint"):
        assert index.longest(word) == longest[word]
    assert index.longest("zzzqx") is None


def test_a_prior_of_none_and_unusual_kinds_survive_compilation() -> None:
    rows = [
        ("germans", "Germans", "demonym", 0, "country", 8.0, 3),
        ("usa", "USA", "abbreviation", 0, "country", 8.5, 1),
        ("usa", "U.S.A.", "abbreviation", 0, "country", 8.5, 2),
        ("zed", "Zed", "name", 1, "landmark", 1.25, 4),
        ("zed", "Zed", "alias", 1, "populated_place", 3.5, 5),
        ("levi", "Levi", "alias", 0, "populated_place", 5.2, 6),
    ]
    index = NameIndex(compile_name_index(rows))
    assert index.get("germans") == (None, None, True, (), False, False)
    assert index.get("usa") == (None, None, False, (("USA", "country"), ("U.S.A.", "country")), False, False)
    assert index.get("zed") == (3.5, "populated_place", False, (), True, False)  # a landmark's own name too
    assert index.get("levi") == (5.2, "populated_place", False, (), False, True)  # only another name


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ("UPDATE blobs SET data = x'00112233' WHERE name = 'names.entries'", "names.entries bytes do not match"),
        ("DELETE FROM blobs WHERE name = 'names.first_words'", "name index cannot be read"),
    ],
)
def test_a_damaged_name_index_says_how_to_rebuild(
    tiny_gazetteer: Gazetteer, tmp_path: Path, change: str, says: str
) -> None:
    copy = tmp_path / "damaged.sqlite"
    copy.write_bytes(tiny_gazetteer.path.read_bytes())
    con = sqlite3.connect(copy)
    with con:
        con.execute(change)
    con.close()
    with pytest.raises(
        GazetteerError, match=rf"is damaged \(its {says}.*\); rebuild it: geomap gazetteer build --force"
    ):
        _ = Gazetteer(copy).name_index
