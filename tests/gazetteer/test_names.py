from __future__ import annotations

import pytest

from geomap.gazetteer.names import is_latin, name_key
from geomap.text import split_designator


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Sudzha", "sudzha"),
        ("Sudža", "sudza"),
        ("U.S.", "us"),
        ("W.Va.", "wva"),
        ("Donets'k", "donetsk"),
        ("Ivano-Frankivs’k", "ivano frankivsk"),
        ("  New   York ", "new york"),
        ("Washington, D.C.", "washington dc"),
        ("Côte d'Ivoire", "cote divoire"),
    ],
)
def test_name_key_folds_case_accents_and_punctuation(name: str, key: str) -> None:
    assert name_key(name) == key


@pytest.mark.parametrize(
    "name", ["Straße", "ﬁnland", "İstanbul", "Ærø", "Đà Nẵng", "ŁÓDŹ", "Ελλάδα", "Київ", "U.S.", "Sāo-Tomé"]
)
def test_name_key_of_a_key_is_the_key(name: str) -> None:
    # the resolver caches lookups by key and looks the key itself up
    assert name_key(name_key(name)) == name_key(name)


def test_name_key_keeps_different_names_apart() -> None:
    assert name_key("Georgia") != name_key("Georgian")
    assert name_key("Kursk") != name_key("Kursk region")


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("kursk region", ("kursk", ("admin1", "composite"))),
        ("region of kursk", ("kursk", ("admin1", "composite"))),
        ("laurel county", ("laurel", ("admin2", "admin1"))),
        ("state of texas", ("texas", ("admin1",))),
        ("kursk", None),
        ("region", None),
        ("of kursk region x", None),
    ],
)
def test_split_designator(key: str, expected: tuple | None) -> None:
    assert split_designator(key) == expected


def test_is_latin() -> None:
    assert is_latin("Sudża")
    assert is_latin("Kænugarður")
    assert not is_latin("Москва")
    assert not is_latin("モスクワ")
