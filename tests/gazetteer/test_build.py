"""The build, on a tiny hand-made source tree (fast) and on the real one (once)."""

from __future__ import annotations

import gzip
import shutil
import sqlite3
from pathlib import Path

import pytest
import shapely
from shapely.geometry import Point, Polygon

from geomap.errors import GazetteerError
from geomap.gazetteer import Gazetteer, build_gazetteer, representative_point
from geomap.gazetteer.sources import data_fingerprint


def test_layers_become_places(tiny_gazetteer: Gazetteer) -> None:
    kinds = {key.removeprefix("kind."): int(v) for key, v in tiny_gazetteer.meta.items() if key.startswith("kind.")}
    assert kinds == {
        "country": 2,
        "continent": 1,
        "admin1": 3,
        "admin2": 1,
        "populated_place": 4,
        "composite": 2,
        "macro_region": 1,
        "sea": 1,
    }


def test_the_words_people_are_read_by_are_built_in(tiny_gazetteer: Gazetteer) -> None:
    assert tiny_gazetteer.given_names == {"anna", "tom"}
    assert tiny_gazetteer.surnames == {"smith"}
    assert tiny_gazetteer.person_titles == {"ambassador", "judge"}


def test_polygons_are_valid_and_counter_clockwise(tiny_gazetteer: Gazetteer) -> None:
    for place_id in ("geonames:1", "geonames:11", "region:alpha_union", "us-county:99001"):
        geometry = tiny_gazetteer.geometry(place_id)
        assert geometry is not None and geometry.is_valid
        for polygon in getattr(geometry, "geoms", [geometry]):
            assert polygon.exterior.is_ccw, place_id


def test_composite_region_is_the_union_of_its_members(tiny_gazetteer: Gazetteer) -> None:
    union = tiny_gazetteer.geometry("region:alpha_union")
    members = shapely.union_all([tiny_gazetteer.geometry("geonames:11"), tiny_gazetteer.geometry("geonames:12")])
    assert union.symmetric_difference(members).area == pytest.approx(0)
    upper = tiny_gazetteer.geometry("region:upper")  # selected by Natural Earth attribute
    assert upper.equals(tiny_gazetteer.geometry("geonames:11"))
    both = tiny_gazetteer.geometry("region:both")
    assert both.area == pytest.approx(200)


def test_admin1_population_is_summed_from_the_places_inside(tiny_gazetteer: Gazetteer) -> None:
    assert tiny_gazetteer.get("geonames:11").population == 900_000
    assert tiny_gazetteer.get("geonames:12").population == 52_000


def test_country_point_prefers_the_published_point(tiny_gazetteer: Gazetteer) -> None:
    alphaland = tiny_gazetteer.get("geonames:1")
    assert (alphaland.lat, alphaland.lon) == (5.0, 5.0)
    betania = tiny_gazetteer.get("geonames:2")  # no published point: computed inside the polygon
    assert tiny_gazetteer.geometry("geonames:2").contains(shapely.Point(betania.lon, betania.lat))


def test_unit_without_geonames_id_gets_a_natural_earth_id(tiny_gazetteer: Gazetteer) -> None:
    assert tiny_gazetteer.get("ne:BBB-1").name == "Betania Proper"


def test_names_aliases_abbreviations_and_demonyms(tiny_gazetteer: Gazetteer) -> None:
    names = dict(tiny_gazetteer.names_for("geonames:1"))
    assert names == {
        "Alphaland": "name",
        "AL": "abbreviation",
        "A.L.": "abbreviation",
        "Alphan": "demonym",
        "Alphans": "demonym",
    }
    assert ("Upperish", "demonym") in tiny_gazetteer.names_for("region:upper")
    assert ("Test", "alias") in tiny_gazetteer.names_for("us-county:99001")
    assert ("Test Co.", "abbreviation") in tiny_gazetteer.names_for("us-county:99001")


def test_representative_point_lies_inside_odd_shapes() -> None:
    crescent = shapely.Point(0, 0).buffer(10).difference(shapely.Point(4, 0).buffer(9))
    lat, lon = representative_point(crescent)
    assert crescent.contains(shapely.Point(lon, lat))
    assert not crescent.contains(crescent.centroid)
    # with several parts the largest decides
    parts = shapely.MultiPolygon([shapely.box(0, 0, 10, 10), shapely.box(50, 50, 51, 51)])
    assert representative_point(parts) == (5.0, 5.0)


def test_build_is_atomic_and_leaves_no_temporary_file(tmp_path: Path, tiny_sources: Path) -> None:
    target = tmp_path / "g.sqlite"
    build_gazetteer(target, root=tiny_sources)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.sqlite", "g.sqlite.sha256.json"]  # and its record


def test_broken_source_is_a_gazetteer_error_and_writes_nothing(tmp_path: Path, make_sources) -> None:
    root = make_sources(tmp_path / "src")
    (root / "data/places.tsv.gz").write_bytes(b"not gzip at all")
    target = tmp_path / "out" / "g.sqlite"
    with pytest.raises(GazetteerError, match="cannot read the gazetteer sources"):
        build_gazetteer(target, root=root)
    assert not target.exists()


def test_region_member_that_matches_nothing_is_reported(tmp_path: Path, make_sources) -> None:
    root = make_sources(tmp_path / "src")
    with open(root / "curated/regions.csv", "a", encoding="utf-8") as f:
        f.write("ghost,Ghost Land,,composite,,,ZZ.99\n")
    with pytest.raises(GazetteerError, match=r"'ZZ\.99' matches no unit"):
        build_gazetteer(tmp_path / "g.sqlite", root=root)


def test_landmarks_are_aliases_of_the_place_they_stand_in(tiny_gazetteer: Gazetteer) -> None:
    best = tiny_gazetteer.lookup("Alpha Palace")[0]
    assert (best.place.place_id, best.match, best.matched) == ("geonames:101", "alias", "Alpha Palace")


def test_landmark_pointing_at_no_place_is_reported(tmp_path: Path, make_sources) -> None:
    root = make_sources(tmp_path / "src")
    with open(root / "curated/landmarks.csv", "a", encoding="utf-8") as f:
        f.write("Ghost Tower,geonames:999,nowhere\n")
    with pytest.raises(GazetteerError, match=r"'Ghost Tower' points at 'geonames:999'"):
        build_gazetteer(tmp_path / "g.sqlite", root=root)
    assert not (tmp_path / "g.sqlite").exists()


def test_fingerprint_follows_the_data(tmp_path: Path, tiny_sources: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(tiny_sources, copy)
    before = data_fingerprint(copy)
    with gzip.open(copy / "data/english_words.txt.gz", "wt") as f:
        f.write("many\n")
    assert data_fingerprint(copy) != before


def test_an_incomplete_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "half.sqlite"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE meta (key TEXT, value TEXT)")
    con.commit()
    con.close()
    with pytest.raises(GazetteerError, match="incomplete or outdated"):
        Gazetteer(path)


@pytest.mark.slow
def test_real_build_meta(gazetteer: Gazetteer) -> None:
    meta = gazetteer.meta
    assert int(meta["kind.populated_place"]) > 230_000
    assert int(meta["kind.country"]) >= 240
    assert int(meta["kind.admin1"]) > 4_000
    assert int(meta["kind.admin2"]) > 3_000
    assert {"kind.continent", "kind.sea", "kind.ocean", "kind.composite", "kind.macro_region"} <= set(meta)


def test_row_records_match_the_tables(tiny_gazetteer: Gazetteer) -> None:
    import dataclasses

    from geomap.gazetteer.builder import PlaceRow
    from geomap.gazetteer.store import CandidateRow
    from geomap.models import Place

    def columns(table: str) -> list[str]:
        return [row[1] for row in tiny_gazetteer._con.execute(f"PRAGMA table_info({table})").fetchall()]

    assert list(PlaceRow._fields) == columns("places")
    assert set(CandidateRow._fields) <= set(columns("names"))
    place_fields = [f.name for f in dataclasses.fields(Place)]
    assert list(CandidateRow._fields[: len(place_fields)]) == ["place_id", "place_name", *place_fields[2:]]


def test_a_second_layer_plugs_in(tmp_path: Path, tiny_sources: Path) -> None:
    """A user's own places (here two villages written inline) are one function and one entry in the layers."""
    from geomap.gazetteer.build import LAYERS
    from geomap.gazetteer.layers import Layer

    def villages(builder, root) -> None:
        for number, (name, lat, lon) in enumerate([("Littleham", 5.5, 5.5), ("Betaville", 4.0, 15.0)]):
            builder.add_place(f"user:{number}", name=name, kind="populated_place", point=(lat, lon), population=300)
            builder.add_names(f"user:{number}", [f"{name} Village"], match="alias")

    steps: list[str] = []
    path = build_gazetteer(
        tmp_path / "g.sqlite", root=tiny_sources, layers=[*LAYERS, Layer("villages", villages)], progress=steps.append
    )
    assert steps[-1] == "villages" and steps[:2] == ["words", "countries"]
    with Gazetteer(path) as gazetteer:
        (found,) = gazetteer.lookup("Littleham Village")
        assert (found.place.place_id, found.place.kind, found.match) == ("user:0", "populated_place", "alias")
        assert gazetteer.reverse(5.5, 5.5).place.name == "Littleham"
        assert gazetteer.lookup("Alpha City")  # the bundled layers are all there


def test_a_union_loses_its_sliver_holes_but_keeps_an_enclave() -> None:
    from geomap.gazetteer.builder import without_slivers

    square = [(0, 0), (10, 0), (10, 10), (0, 10)]
    speck = [(2, 2), (2.01, 2), (2.01, 2.01)]  # where two members' borders do not quite meet
    enclave = [(5, 5), (7, 5), (7, 7), (5, 7)]
    cleaned = without_slivers(Polygon(square, [speck, enclave]))
    assert len(cleaned.interiors) == 1 and cleaned.area == pytest.approx(100 - 4)


def test_composite_regions_have_no_specks_inside(gazetteer: Gazetteer) -> None:
    for name in ("Donbas", "New England", "Balkans"):
        found = gazetteer.lookup(name)[0].place
        geometry = gazetteer.geometry(found.place_id)
        parts = list(getattr(geometry, "geoms", [geometry]))
        holes = [ring for part in parts for ring in part.interiors]
        assert all(Polygon(ring).area >= 0.001 * geometry.area for ring in holes), name


@pytest.mark.parametrize(
    ("name", "inside"),
    [
        ("Yorkshire", ["Leeds", "Sheffield", "York", "Scarborough"]),
        ("West Yorkshire", ["Leeds", "Bradford", "Wakefield"]),
        ("Greater Manchester", ["Manchester", "Bolton", "Wigan"]),
        ("West Midlands", ["Birmingham", "Coventry", "Wolverhampton"]),
        ("Berkshire", ["Reading", "Slough"]),
    ],
)
def test_an_english_county_split_into_boroughs_is_one_region(gazetteer: Gazetteer, name: str, inside: list) -> None:
    # Natural Earth splits these into boroughs, each with the county's name as an alias: the county is
    # the region of all of them, not one borough, and not Yorkshire, Virginia
    found = gazetteer.lookup(name)[0].place
    assert (found.kind, found.country_code) == ("composite", "GB")
    geometry = gazetteer.geometry(found.place_id)
    for town in inside:
        place = next(c.place for c in gazetteer.lookup(town) if c.place.country_code == "GB")
        assert geometry.covers(Point(place.lon, place.lat)), (name, town)


@pytest.mark.parametrize(
    ("name", "place_id", "match"),
    [
        ("Kurdistan", "region:kurdistan", "name"),  # the Kurdish lands of four countries, not Iran's province
        ("Iraqi Kurdistan", "region:kurdistan_region", "alias"),
        ("Kurdish", "region:kurdistan", "demonym"),
        ("Kurds", "region:kurdistan", "demonym"),
        ("Arab", "region:arabian_peninsula", "demonym"),  # not Arab, Alabama
    ],
)
def test_peoples_without_a_state_have_their_region(gazetteer: Gazetteer, name: str, place_id: str, match: str) -> None:
    best = max(gazetteer.lookup(name), key=lambda c: c.prior)
    assert (best.place.place_id, best.match) == (place_id, match)
