"""GeoNames dump files imported as layers, on files in the real dump format written here (not mocks)."""

from __future__ import annotations

import gzip
import json
import zipfile
from pathlib import Path

import pytest

from geomap.errors import InputError
from geomap.gazetteer import Gazetteer
from geomap.gazetteer.build import build_gazetteer
from geomap.gazetteer.imports import _Ids, import_geonames, imported_sources, remove_source
from geomap.gazetteer.names import name_key
from geomap.models import Article
from geomap.pipeline import Geoparser

ENGLISH = frozenset({"creek", "on", "march"})
# A village of North Alpha (the tiny gazetteer's AA.01) that only the import knows, with alternate names
# in another script, an airport-like code, a romanisation key, a spelling and a link.
VILLAGE = (
    "900001", "Zolotoverkhivka", "Zolotoverkhivka", "Zolotoverkhovka,Золотарівка,ZLT,zolotoverkhivka,https://example.org/z",
    "7.9", "4.1", "P", "PPL", "AA", "", "01", "", "", "", "320", "", "150", "Europe/Kyiv", "2024-01-01",
)  # fmt: skip
CREEK = (
    "900002", "Zolotoverkha Creek", "Zolotoverkha Creek", "", "7.8", "4.2", "H", "STM", "AA", "", "01", "", "", "", "0",
    "", "140", "Europe/Kyiv", "2024-01-01",
)  # fmt: skip
REGION = (
    "900003", "North Alpha", "North Alpha", "", "7.5", "5.0", "A", "ADM1", "AA", "", "01", "", "", "", "0",
    "", "0", "Europe/Kyiv", "2024-01-01",
)  # fmt: skip


def _fillers(count: int) -> list[tuple[str, ...]]:
    return [
        (
            str(910000 + n),
            f"Hamlet {n}",
            f"Hamlet {n}",
            "",
            f"{6 + n % 3}.5",
            f"{1 + n % 7}.5",
            "P",
            "PPL",
            "AA",
            "",
            "02",
            "",
            "",
            "",
            str(n * 10),
            "",
            "0",
            "Europe/Kyiv",
            "2024-01-01",
        )
        for n in range(300)
    ]


def _write_dump(folder: Path, name: str, rows: list[tuple[str, ...]], *, zipped: bool = False) -> Path:
    text = "".join("\t".join(row) + "\n" for row in rows)
    if not zipped:
        path = folder / f"{name}.txt"
        path.write_text(text, encoding="utf-8")
        return path
    path = folder / f"{name}.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "GeoNames extract\n")
        archive.writestr(f"{name}.txt", text)
    return path


@pytest.fixture
def dumps(tmp_path: Path) -> dict[str, Path]:
    rows = [VILLAGE, CREEK, REGION, *_fillers(300)]
    (tmp_path / "zip").mkdir()
    return {
        "plain": _write_dump(tmp_path, "AA", rows),
        "zipped": _write_dump(tmp_path / "zip", "AA", rows, zipped=True),
    }


def _layer(folder: Path, source: str) -> list[list[str]]:
    with gzip.open(folder / f"{source}.tsv.gz", "rt", encoding="utf-8") as handle:
        return [line.rstrip("\n").split("\t") for line in handle]


def test_a_dump_plain_or_zipped_becomes_the_same_layer(dumps: dict[str, Path], tmp_path: Path) -> None:
    plain = import_geonames([dumps["plain"]], folder=tmp_path / "a", english=ENGLISH)
    zipped = import_geonames([dumps["zipped"]], folder=tmp_path / "b", english=ENGLISH)
    assert (plain.source, plain.rows, plain.kept) == ("AA", 303, 301)  # the places: not the creek, not ADM1
    assert _layer(tmp_path / "a", "AA") == _layer(tmp_path / "b", "AA") and zipped.kept == 301
    village = next(row for row in _layer(tmp_path / "a", "AA") if row[1] == "Zolotoverkhivka")
    assert village == ["900001", "Zolotoverkhivka", "7.90000", "4.10000", "populated_place", "AA", "01", "320",
                       "Zolotoverkhovka"]  # fmt: skip  # the spelling kept; script, code, key and link dropped
    meta = json.loads((tmp_path / "a" / "AA.json").read_text(encoding="utf-8"))
    assert meta["files"][0]["name"] == "AA.txt" and len(meta["files"][0]["sha256"]) == 64


def test_feature_classes_and_a_population_floor_choose_the_rows(dumps: dict[str, Path], tmp_path: Path) -> None:
    report = import_geonames([dumps["plain"]], folder=tmp_path, feature_classes=["P", "H"], min_population=1000,
                             english=ENGLISH)  # fmt: skip
    kinds = {row[1]: row[4] for row in _layer(tmp_path, "AA")[1:]}
    assert kinds["Zolotoverkha Creek"] == "feature" and "Zolotoverkhivka" not in kinds  # 320 people: below the floor
    assert report.kept == 1 + sum(1 for n in range(300) if n * 10 >= 1000)


def test_an_imported_village_is_found_and_resolved_and_removing_its_source_removes_it(
    dumps: dict[str, Path], tiny_sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GEOMAP_DATA_DIR", str(tmp_path / "data"))
    article = Article(id="a", text="Shelling hit Zolotoverkhivka overnight, and later Zolotoverkhovka again.")
    import_geonames([dumps["zipped"]], english=ENGLISH)
    import_geonames([dumps["zipped"]], english=ENGLISH)  # again: the same source, replaced
    assert [s["source"] for s in imported_sources()] == ["AA"]
    with Gazetteer(build_gazetteer(tmp_path / "with.sqlite", root=tiny_sources)) as gazetteer:
        assert gazetteer.lookup("Zolotoverkhovka")[0].place.place_id == "geonames:900001"
        mentions = Geoparser(gazetteer).mentions(article)
    assert [(m.text, m.place.place_id, m.place.admin1) for m in mentions] == [
        ("Zolotoverkhivka", "geonames:900001", "AA.01"),
        ("Zolotoverkhovka", "geonames:900001", "AA.01"),
    ]
    remove_source("AA")
    with Gazetteer(build_gazetteer(tmp_path / "without.sqlite", root=tiny_sources)) as gazetteer:
        assert gazetteer.lookup("Zolotoverkhivka") == [] and Geoparser(gazetteer).mentions(article) == []
    with pytest.raises(InputError, match="no imported source 'AA'"):
        remove_source("AA")


def test_a_malformed_row_names_its_file_and_line_and_nothing_is_half_imported(tmp_path: Path) -> None:
    good = _write_dump(tmp_path, "AA", [VILLAGE, *_fillers(10)])
    import_geonames([good], folder=tmp_path / "imports", english=ENGLISH)
    before = {p.name: p.read_bytes() for p in (tmp_path / "imports").iterdir()}
    rows = [VILLAGE, *_fillers(100)]
    rows[57] = rows[57][:18]  # a column short
    (tmp_path / "bad").mkdir()
    bad = _write_dump(tmp_path / "bad", "AA", rows)
    with pytest.raises(InputError, match=r"AA\.txt:58: a GeoNames row has 19 tab-separated columns, this one 18"):
        import_geonames([bad], folder=tmp_path / "imports", english=ENGLISH)
    assert {p.name: p.read_bytes() for p in (tmp_path / "imports").iterdir()} == before  # the earlier import stays
    rows[57] = (*rows[58][:4], "north", *rows[58][5:])
    bad.write_text("".join("\t".join(row) + "\n" for row in rows), encoding="utf-8")
    with pytest.raises(InputError, match=r"AA\.txt:58: a GeoNames row has a malformed number"):
        import_geonames([bad], folder=tmp_path / "imports", english=ENGLISH)
    with pytest.raises(InputError, match="is no source name"):
        import_geonames([good], source="../etc", folder=tmp_path / "imports", english=ENGLISH)


def test_the_cli_imports_lists_and_removes_a_source(dumps: dict[str, Path], tmp_path: Path, monkeypatch) -> None:
    from click.testing import CliRunner

    from geomap.cli import cli

    monkeypatch.setenv("GEOMAP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("GEOMAP_CACHE_DIR", str(tmp_path / "cache"))  # a gazetteer of its own: rebuilt here
    runner = CliRunner()
    done = runner.invoke(cli, ["gazetteer", "import", str(dumps["zipped"]), "--name", "alpha"])
    assert done.exit_code == 0, done.output
    assert done.stdout.startswith("alpha\t301 places\t") and "kept 301 of 303 rows" in done.stderr
    info = runner.invoke(cli, ["gazetteer", "info"])
    assert "import\talpha: 301 places from AA.zip" in info.stdout
    assert runner.invoke(cli, ["-q", "geocode", "Zolotoverkhovka"]).stdout.split("\t")[-1].strip() == "geonames:900001"
    assert runner.invoke(cli, ["gazetteer", "remove", "alpha"]).exit_code == 0
    assert runner.invoke(cli, ["geocode", "Zolotoverkhovka"]).exit_code == 1  # gone with its source
    missing = runner.invoke(cli, ["gazetteer", "import", str(tmp_path / "none.zip")])
    assert missing.exit_code == 1 and missing.stderr.count("\n") == 1 and "does not exist" in missing.stderr


def test_alternate_names_files_add_the_kept_places_names_in_the_kept_languages(
    dumps: dict[str, Path], tiny_sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GEOMAP_DATA_DIR", str(tmp_path / "data"))
    rows = [
        ("1", "900001", "", "Zolotowerchiwka", "", "", "", "", "", ""),  # a transliteration: kept
        ("2", "900001", "uk", "Золотоверхівка", "1", "", "", "", "", ""),  # Cyrillic: the alias filter drops it
        ("3", "900001", "link", "https://en.wikipedia.org/wiki/Zolotoverkhivka", "", "", "", "", "", ""),
        ("4", "900001", "post", "41234", "", "", "", "", "", ""),
        ("5", "900001", "de", "Solotowerchiwka", "", "", "", "", "", ""),  # a language not kept
        ("6", "999999", "en", "Elsewhere Town", "", "", "", "", "", ""),  # a place not kept
        ("7", "900001", "en", "Zolotoverkhivka Village", "", "", "", "", "", ""),
    ]
    (tmp_path / "alt").mkdir()
    names = _write_dump(tmp_path / "alt", "AA", rows, zipped=True)
    report = import_geonames([dumps["plain"]], alternate_names=[names], english=ENGLISH)
    with gzip.open(tmp_path / "data" / "imports" / "AA.names.tsv.gz", "rt", encoding="utf-8") as handle:
        assert handle.read() == "900001\tZolotowerchiwka\n900001\tZolotoverkhivka Village\n"
    assert report.alternate_name_files[0]["name"] == "AA.zip"
    with Gazetteer(build_gazetteer(tmp_path / "with.sqlite", root=tiny_sources)) as gazetteer:
        assert gazetteer.lookup("Zolotowerchiwka")[0].place.place_id == "geonames:900001"
        assert gazetteer.lookup("Solotowerchiwka") == []
    rows[3] = rows[3][:5]
    bad = _write_dump(tmp_path / "alt", "bad", rows)
    with pytest.raises(InputError, match=r"bad\.txt:4: an alternate names row has 10 \(or 8\)"):
        import_geonames([dumps["plain"]], alternate_names=[bad], english=ENGLISH)


def test_a_users_own_places_are_added_and_outrank_the_bundled_ones(
    tiny_sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from geomap.gazetteer.imports import add_user_places

    monkeypatch.setenv("GEOMAP_DATA_DIR", str(tmp_path / "data"))
    places = tmp_path / "mine.csv"
    places.write_text(
        "name,lat,lon,kind,country,admin1,aliases,id,population\n"
        "Kvitkozadnia,7.7,3.3,,AA,AA.01,Kvitka Zadnia|Kvitkozadnya,k1,150\n"
        "Alpha City,6.0,6.0,populated_place,AA,02,,k2,\n",  # a hamlet of the user's, named as the city
        encoding="utf-8",
    )
    report = add_user_places(places)
    assert (report.source, report.kind, report.kept) == ("mine", "user", 2)
    article = Article(id="a", text="Drones hit Kvitkozadnia and Alpha City on Monday.")
    with Gazetteer(build_gazetteer(tmp_path / "with.sqlite", root=tiny_sources)) as gazetteer:
        assert gazetteer.lookup("Kvitkozadnya")[0].place.place_id == "user:mine:k1"
        mentions = Geoparser(gazetteer).mentions(article)
    assert [(m.text, m.place.place_id, m.place.admin1) for m in mentions] == [
        ("Kvitkozadnia", "user:mine:k1", "AA.01"),
        ("Alpha City", "user:mine:k2", "AA.02"),  # outranks the city of 900,000 with that name
    ]
    bad = tmp_path / "bad.csv"
    bad.write_text("name,lat,lon\nOne,1,1\nTwo,north,2\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.csv:3: a place has a malformed number"):
        add_user_places(bad)
    bad.write_text("name,lon\nOne,1\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"needs the columns name, lat, lon \(missing: \['lat'\]\)"):
        add_user_places(bad)
    assert [s["source"] for s in imported_sources()] == ["mine"]  # nothing of the bad files remains


def test_of_two_imported_villages_of_one_name_the_one_near_the_articles_places_wins(
    tiny_sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GEOMAP_DATA_DIR", str(tmp_path / "data"))
    north = ("900101", "Mala Hrushka", "Mala Hrushka", "", "8.5", "2.5", "P", "PPL", "AA", "", "01", "", "", "",
             "200", "", "0", "Europe/Kyiv", "2024-01-01")  # fmt: skip
    south = ("900102", *north[1:4], "2.2", "2.3", *north[6:10], "02", *north[11:14], "180", *north[15:])
    import_geonames([_write_dump(tmp_path, "AA", [north, south])], english=ENGLISH)
    with Gazetteer(build_gazetteer(tmp_path / "with.sqlite", root=tiny_sources)) as gazetteer:
        parser = Geoparser(gazetteer)
        near_southport = parser.mentions(Article(id="s", text="Troops left Southport for Mala Hrushka."))
        in_the_north = parser.mentions(Article(id="n", text="In North Alpha, Mala Hrushka was shelled."))
    assert [m.place.place_id for m in near_southport] == ["geonames:102", "geonames:900102"]
    assert [m.place.place_id for m in in_the_north][-1] == "geonames:900101"


def test_an_imported_unit_is_found_by_its_designator(
    tiny_sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from geomap.corrections import Corrections

    monkeypatch.setenv("GEOMAP_DATA_DIR", str(tmp_path / "data"))
    unit = ("900201", "Zolotoverkhivska Hromada", "Zolotoverkhivska Hromada", "", "7.9", "4.0", "A", "ADM3", "AA",
            "", "01", "", "", "", "0", "", "0", "Europe/Kyiv", "2024-01-01")  # fmt: skip
    import_geonames([_write_dump(tmp_path, "AA", [VILLAGE, unit])], feature_classes=["P", "A"], english=ENGLISH)
    article = Article(id="a", text="Shelling hit the Zolotoverkhivska hromada and Zolotoverkhivka itself.")
    with Gazetteer(build_gazetteer(tmp_path / "with.sqlite", root=tiny_sources)) as gazetteer:
        parser = Geoparser(gazetteer, corrections=Corrections(designators=("hromada",), gazetteer=gazetteer))
        found = [(m.text, m.place.place_id, m.place.kind) for m in parser.mentions(article)]
    assert found == [
        ("Zolotoverkhivska hromada", "geonames:900201", "admin_area"),
        ("Zolotoverkhivka", "geonames:900001", "populated_place"),
    ]


def test_alternate_names_go_to_the_sources_own_places_once_per_key(
    tiny_sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GEOMAP_DATA_DIR", str(tmp_path / "data"))
    alpha_city = ("101", "Alpha City", "Alpha City", "", "7.0", "4.0", "P", "PPLC", "AA", "", "01", "", "", "",
                  "500000", "", "0", "Europe/Kyiv", "2024-01-01")  # fmt: skip  # the bundled layers have it
    dump = _write_dump(tmp_path, "AA", [VILLAGE, alpha_city])
    rows = [
        ("1", "900001", "", "Zolotoverkhivka", "", "", "", "", "", ""),  # its own name again
        ("2", "900001", "en", "Zolotoverkhovka", "", "", "", "", "", ""),  # an alias of the dump row again
        ("3", "900001", "en", "Zolotoverkhivka Selo", "", "", "", "", "", ""),  # new
        ("4", "101", "en", "Alphopolis", "", "", "", "", "", ""),  # of a place the bundled layers have
    ]
    (tmp_path / "alt").mkdir()
    import_geonames([dump], alternate_names=[_write_dump(tmp_path / "alt", "AA", rows)], english=ENGLISH)
    with Gazetteer(build_gazetteer(tmp_path / "g.sqlite", root=tiny_sources)) as gazetteer:
        names = gazetteer.names_for("geonames:900001")
        keys = [name_key(name) for name, _ in names]
        assert ("Zolotoverkhivka Selo", "alias") in names
        assert keys.count("zolotoverkhivka") == 1 and keys.count("zolotoverkhovka") == 1
        assert gazetteer.lookup("Alphopolis") == []  # the bundled place keeps its own names
        assert gazetteer.lookup("Alpha City")[0].place.place_id == "geonames:101"


def test_kept_ids_are_a_bitmap_that_grows() -> None:
    ids = _Ids()
    for number in (1, 8, 13_000_000, 9):
        ids.add(number)
    assert all(n in ids for n in (1, 8, 9, 13_000_000))
    assert not any(n in ids for n in (0, 2, 7, 12_999_999, 13_000_001, 99_000_000, -1))


def test_a_geonameid_below_one_is_a_malformed_row(tmp_path: Path) -> None:
    row = ("-5", *VILLAGE[1:])
    with pytest.raises(InputError, match=r"AA\.txt:1: a GeoNames row has a malformed number"):
        import_geonames([_write_dump(tmp_path, "AA", [row])], folder=tmp_path / "out", english=ENGLISH)
    assert not (tmp_path / "out" / "AA.tsv.gz").exists()
