"""Queries against the real gazetteer: the seed's places, ranking, reverse geocoding."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import shapely

from geomap.gazetteer import Gazetteer, open_gazetteer
from geomap.gazetteer.builder import without_slivers


def best(gazetteer: Gazetteer, name: str):
    found = gazetteer.lookup(name, limit=1)
    assert found, f"nothing for {name!r}"
    return found[0].place


@pytest.mark.parametrize(
    ("name", "geonameid", "kind"),
    [
        ("Sudzha", 486816, "populated_place"),
        ("Moscow", 524901, "populated_place"),
        ("MOSCOW", 524901, "populated_place"),
        ("Kyiv", 703448, "populated_place"),
        ("Kiev", 703448, "populated_place"),
        ("Ukraine", 690791, "country"),
        ("Russia", 2017370, "country"),
        ("United Arab Emirates", 290557, "country"),
        ("UAE", 290557, "country"),
        ("United States", 6252001, "country"),
        ("US", 6252001, "country"),
        ("U.S.", 6252001, "country"),
        ("America", 6252001, "country"),
        ("Britain", 2635167, "country"),
        ("UK", 2635167, "country"),
        ("DPRK", 1873107, "country"),
        ("Holy See", 3164670, "country"),
        ("Kursk region", 538555, "admin1"),
        ("Kursk Region", 538555, "admin1"),
        ("region of Kursk", 538555, "admin1"),
        ("Kursk Oblast", 538555, "admin1"),
        ("Kursk", 538560, "populated_place"),
        ("Ky.", 6254925, "admin1"),
        ("W.Va.", 4826850, "admin1"),
        ("S.C.", 4597040, "admin1"),
        ("Texas", 4736286, "admin1"),
        ("Europe", 6255148, "continent"),
    ],
)
def test_seed_and_common_names_resolve(gazetteer: Gazetteer, name: str, geonameid: int, kind: str) -> None:
    place = best(gazetteer, name)
    assert (place.geonameid, place.kind) == (geonameid, kind)


@pytest.mark.parametrize(
    ("demonym", "country"),
    [
        ("Russian", "RU"),
        ("Ukrainian", "UA"),
        ("German", "DE"),
        ("Palestinian", "PS"),
        ("Sri Lankan", "LK"),
        ("Russians", "RU"),
        ("Israelis", "IL"),
        ("British", "GB"),
        ("Kazakh", "KZ"),  # world-countries says "Kazakhstani"; news says "Kazakh" (not Petropavl's old name)
        ("Uzbek", "UZ"),
        ("Azeri", "AZ"),
        ("Serb", "RS"),
        ("Bosnian", "BA"),
    ],
)
def test_demonyms_point_at_their_country(gazetteer: Gazetteer, demonym: str, country: str) -> None:
    found = gazetteer.lookup(demonym, limit=1)[0]
    assert (found.place.kind, found.place.country_code, found.match) == ("country", country, "demonym")


@pytest.mark.parametrize(
    ("name", "region", "country"),
    [
        ("Tuscany", "region:tuscany", "IT"),  # not Tuscany, Alberta
        ("Sicily", "region:sicily", "IT"),
        ("Andalusia", "region:andalusia", "ES"),  # not Andalusia, Alabama
        ("Catalonia", "region:catalonia", "ES"),
        ("Catalan", "region:catalonia", "ES"),
        ("Basque", "region:basque_country", "ES"),
        ("Normandy", "region:normandy", "FR"),  # not Normandy, Missouri
        ("Provence", "region:provence_alpes_cote_d_azur", "FR"),
        ("Flanders", "region:flanders", "BE"),
        ("Chechen", "geonames:569665", "RU"),  # Chechnya
        ("Korea", "geonames:1835841", "KR"),  # South Korea, not Koréa, Ivory Coast
    ],
)
def test_regions_of_europe_and_their_peoples(gazetteer: Gazetteer, name: str, region: str, country: str) -> None:
    best = max(gazetteer.lookup(name), key=lambda c: c.prior).place
    assert (best.place_id, best.country_code) == (region, country)


def test_donbas_is_the_union_of_donetsk_and_luhansk(gazetteer: Gazetteer) -> None:
    donbas = best(gazetteer, "Donbas")
    assert (donbas.place_id, donbas.kind, donbas.country_code) == ("region:donbas", "composite", "UA")
    donetsk = gazetteer.by_geonameid(709716)
    luhansk = gazetteer.by_geonameid(702657)
    assert (donetsk.admin1, luhansk.admin1) == ("UA.05", "UA.14")
    union = shapely.union_all([gazetteer.geometry(donetsk.place_id), gazetteer.geometry(luhansk.place_id)])
    # the union, less the specks of holes where the two oblasts' borders do not quite meet
    assert gazetteer.geometry("region:donbas").symmetric_difference(without_slivers(union)).area < 1e-6
    assert 0 < gazetteer.geometry("region:donbas").difference(union).area < 0.002
    assert union.contains(shapely.Point(donbas.lon, donbas.lat))


@pytest.mark.parametrize(
    "region",
    [
        "Crimea",
        "Kashmir",
        "Balkans",
        "Scandinavia",
        "Sahel",
        "Caucasus",
        "Siberia",
        "New England",
        "Midwest",
        "Middle East",
        "Black Sea",
        "West Coast",  # the United States', not the Gambian region of that name
        "East Coast",  # not Gisborne, New Zealand
        "Gulf Coast",
        "Deep South",
        "Darfur",
        "Sinai",
        "Kivu",
        "Mindanao",
        "Borneo",
        "Java",  # not Java, Georgia
        "Sumatra",
        "Luzon",
    ],
)
def test_curated_regions_exist(gazetteer: Gazetteer, region: str) -> None:
    place = best(gazetteer, region)
    assert place.place_id.startswith("region:")


def test_moscow_ranks_the_capital_before_idaho(gazetteer: Gazetteer) -> None:
    found = gazetteer.lookup("Moscow", limit=None)
    countries = [c.place.country_code for c in found if c.place.kind == "populated_place"]
    assert countries[0] == "RU" and "US" in countries


def test_lookup_ranks_filters_and_cuts(gazetteer: Gazetteer) -> None:
    every = gazetteer.lookup("Washington", limit=None)
    assert len(every) > 25 and len({c.place.place_id for c in every}) == len(every)  # each place once
    assert [(-c.prior, c.place.place_id) for c in every] == sorted((-c.prior, c.place.place_id) for c in every)
    assert gazetteer.lookup("Washington", limit=25) == every[:25]
    counties = gazetteer.lookup("Washington", kinds=["admin2"], limit=None)
    assert len(counties) > 5 and counties == [c for c in every if c.place.kind == "admin2"]
    # a designator adds the unit of the bare name, ranked first, to the places the whole phrase names
    kursk = gazetteer.lookup("Kursk region", limit=3)
    assert kursk[0].place.kind == "admin1" and kursk[0].place.admin1 == "RU.41"
    # the best-ranked name of a place is the one kept: the United States' own abbreviation as written
    us = gazetteer.lookup("U.S.")[0]
    assert (us.place.kind, us.match) == ("country", "abbreviation") and us.matched in ("U.S.", "US")


@pytest.mark.parametrize(
    ("name", "kind", "country", "admin1"),
    [
        ("Ohio County", "admin2", "US", None),  # a county of Kentucky, West Virginia or Indiana: not the state
        ("Kent County", "admin2", "US", None),  # Michigan's or Delaware's, not England's Kent
        ("County Cork", "admin1", "IE", None),  # a county that is an admin-1 unit is still found
        ("Kursk region", "admin1", "RU", "RU.41"),
        ("Nenagh district", "populated_place", "IE", None),  # no unit so named: the town
    ],
)
def test_a_designator_names_its_kind_of_unit(gazetteer: Gazetteer, name: str, kind: str, country: str, admin1) -> None:
    best = gazetteer.lookup(name)[0].place
    assert (best.kind, best.country_code) == (kind, country)
    assert admin1 is None or best.admin1 == admin1


@pytest.mark.parametrize("word", ["Minister", "On", "Many"])
def test_common_words_are_no_alias(gazetteer: Gazetteer, word: str) -> None:
    # a place may be called so ("On", Belgium), or abbreviated in capitals ("ON", Ontario),
    # but no place has the word as written for an alias
    for candidate in gazetteer.lookup(word, limit=None):
        assert candidate.match == "name" or candidate.matched != word, candidate


def test_ukraine_is_no_alias_of_a_village(gazetteer: Gazetteer) -> None:
    found = gazetteer.lookup("Ukraine", limit=None)
    assert [c.place.geonameid for c in found] == [690791]


def test_dictionary_words_are_marked(gazetteer: Gazetteer) -> None:
    assert gazetteer.is_word("March") and gazetteer.is_word("many")
    assert not gazetteer.is_word("Sudzha")


def test_reverse_in_sudzha(gazetteer: Gazetteer) -> None:
    result = gazetteer.reverse(51.19, 35.27)
    assert result.place.geonameid == 486816
    assert result.admin1.geonameid == 538555 and result.admin1.admin1 == "RU.41"
    assert result.country.geonameid == 2017370
    assert result.distance_km < 1


def test_reverse_at_sea_finds_no_unit(gazetteer: Gazetteer) -> None:
    result = gazetteer.reverse(0.0, -30.0)
    assert (result.place, result.admin1, result.country) == (None, None, None)


def test_reverse_rejects_impossible_coordinates(gazetteer: Gazetteer) -> None:
    with pytest.raises(ValueError, match="latitude/longitude"):
        gazetteer.reverse(95.0, 10.0)


def test_every_polygon_is_valid_and_oriented(gazetteer: Gazetteer) -> None:
    geometries = [shape for _, shape in gazetteer.shapes()]
    assert len(geometries) > 4000 and shapely.is_valid(geometries).all()
    for geometry in geometries:
        for polygon in getattr(geometry, "geoms", [geometry]):
            assert polygon.exterior.is_ccw


def test_corrupt_cache_is_rebuilt(tmp_path: Path, tiny_sources: Path) -> None:
    path = tmp_path / "g.sqlite"
    path.write_bytes(b"this is not sqlite" * 100)
    with open_gazetteer(path, root=tiny_sources) as rebuilt:
        assert rebuilt.lookup("Alpha City")[0].place.geonameid == 101


def test_existing_cache_is_reused(tmp_path: Path, gazetteer: Gazetteer) -> None:
    path = tmp_path / "g.sqlite"
    shutil.copy(gazetteer.path, path)
    before = path.stat().st_mtime_ns
    with open_gazetteer(path) as reused:
        assert reused.meta["fingerprint"] == gazetteer.meta["fingerprint"]
    assert path.stat().st_mtime_ns == before


def test_renamed_admin1_units_carry_their_current_name(gazetteer: Gazetteer) -> None:
    unit = best(gazetteer, "Gilgit-Baltistan")
    assert (unit.kind, unit.admin1, unit.name) == ("admin1", "PK.07", "Gilgit-Baltistan")
    assert best(gazetteer, "Northern Areas").place_id == unit.place_id  # Natural Earth's former name stays an alias
    kivu = best(gazetteer, "North Kivu")  # the English name, Natural Earth's French one an alias
    assert (kivu.kind, kivu.name, best(gazetteer, "Nord-Kivu").place_id) == ("admin1", "North Kivu", kivu.place_id)
    java = best(gazetteer, "Central Java")  # and its Indonesian one
    assert (java.kind, java.name, best(gazetteer, "Jawa Tengah").place_id) == ("admin1", "Central Java", java.place_id)
    anbar = best(gazetteer, "Anbar")  # Iraq's province, not Ambar, Turkey
    assert (anbar.kind, anbar.country_code) == ("admin1", "IQ")


def test_public_queries_on_the_tiny_gazetteer(tiny_gazetteer: Gazetteer) -> None:
    from geomap.gazetteer.store import NameRow

    rows = list(tiny_gazetteer.name_rows())
    assert [row[0] for row in rows] == sorted(row[0] for row in rows)  # folded-key order
    alpha = [NameRow(*row) for row in rows if row[0] == "alpha city"]
    assert {(r.name, r.match) for r in alpha} == {("Alpha City", "name")}
    towns = tiny_gazetteer.places(kinds=["populated_place"], min_population=10_000)
    assert [p.name for p in towns] == ["Alpha City", "Southport"]
    assert {p.kind for p in tiny_gazetteer.places(kinds=["country", "admin1"])} == {"country", "admin1"}
    countries = [(place.name, shape.geom_type) for place, shape in tiny_gazetteer.shapes(kinds=["country"])]
    assert countries == [("Alphaland", "Polygon"), ("Betania", "Polygon")]
    near = tiny_gazetteer.places_near(7.4, 5.0, km=50)
    assert [p.name for p, _ in near] == ["Alpha City"] and near[0][1] == pytest.approx(11.1, abs=0.1)
    assert tiny_gazetteer.places_near(-40.0, -40.0, km=50) == []
