"""The recipe's alias filter, on GeoNames-style records (no packages needed)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

RECIPE = Path(__file__).resolve().parents[2] / "gazetteer" / "make_data.py"


@pytest.fixture(scope="module")
def recipe():
    spec = importlib.util.spec_from_file_location("make_data", RECIPE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ENGLISH = {"minister", "on", "march", "many", "kiev", "white", "house"}
COUNTRIES = {"ukraine", "russia"}


def aliases(recipe, name: str, population: int, alternates: list[str]) -> list[str]:
    city = {"name": name, "population": population, "countrycode": "XX", "alternatenames": alternates}
    return recipe.filter_aliases(city, english=ENGLISH, reserved=COUNTRIES)


def test_drops_words_codes_scripts_and_romanisation_keys(recipe) -> None:
    kept = aliases(recipe, "Minster", 3_000, ["Minister", "Minstre", "MIN", "Минстер", "minstr", "Mi", "Minster"])
    assert kept == ["Minstre"]


def test_drops_country_names_of_small_places(recipe) -> None:
    assert aliases(recipe, "Ucrania", 200, ["Ukraine", "Ukrania"]) == ["Ukrania"]


def test_major_places_keep_exonyms_that_are_words(recipe) -> None:
    assert "Kiev" in aliases(recipe, "Kyiv", 2_900_000, ["Kiev", "Ko", "IEV", "Kyjiv"])
    assert aliases(recipe, "Kyiv", 2_900_000, ["Ko", "IEV"]) == []


def test_plurals_for_people(recipe) -> None:
    assert recipe.with_plurals(["Russian", "Israeli", "French", "Chinese", "Swede"]) == [
        "Russian",
        "Russians",
        "Israeli",
        "Israelis",
        "French",
        "Chinese",
        "Swede",
        "Swedes",
    ]


def test_another_towns_name_is_no_alias(recipe) -> None:
    city = {"name": "Columbus", "population": 900_000, "countrycode": "US", "alternatenames": ["Franklin", "Colombo"]}
    towns = {("US", "franklin")}
    assert recipe.filter_aliases(city, english=ENGLISH, reserved=COUNTRIES, towns=towns) == ["Colombo"]
