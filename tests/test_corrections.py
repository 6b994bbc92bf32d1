"""A user's corrections (geomap.toml): forms pinned to places, for every source or some; forms banned."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from geomap.cli import cli
from geomap.corrections import load_corrections
from geomap.errors import InputError
from geomap.gazetteer import Gazetteer
from geomap.models import Article
from geomap.pipeline import Geoparser

KURSK_OBLAST, SUDZHA = "geonames:538555", "geonames:486816"
CONFIG = f"""
ban = ["Moscow"]

[[pin]]
form = "Sudzha"
place = "{KURSK_OBLAST}"
sources = ["the oblast's own paper"]

[[pin]]
form = "Zolotoverkhivka"        # in no gazetteer: found because it is pinned
place = "{SUDZHA}"
"""
TEXT = "Shelling hit Sudzha and Zolotoverkhivka. Moscow said nothing; Kyiv agreed."


def _found(parser: Geoparser, article: Article) -> list[tuple[str, str | None, str | None]]:
    return [(m.text, m.place.place_id if m.place else None, m.resolved_by) for m in parser.mentions(article)]


def test_pinned_forms_go_to_their_place_and_banned_forms_are_no_mentions(gazetteer: Gazetteer, tmp_path: Path) -> None:
    (tmp_path / "geomap.toml").write_text(CONFIG, encoding="utf-8")
    parser = Geoparser(gazetteer, corrections=load_corrections(tmp_path / "geomap.toml", gazetteer))
    plain = Geoparser(gazetteer)
    article = Article(id="a", text=TEXT, source="wire")
    assert _found(plain, article)[:2] == [("Sudzha", SUDZHA, "gazetteer"), ("Moscow", "geonames:524901", "gazetteer")]
    assert _found(parser, article) == [
        ("Sudzha", SUDZHA, "gazetteer"),  # pinned for another source only
        ("Zolotoverkhivka", SUDZHA, "pinned"),
        ("Kyiv", "geonames:703448", "gazetteer"),
    ]
    own_paper = Article(id="b", text=TEXT, source="the oblast's own paper")
    assert _found(parser, own_paper)[0] == ("Sudzha", KURSK_OBLAST, "pinned")
    mention = parser.mentions(own_paper)[0]
    assert (mention.confidence, mention.alternatives, mention.as_record()["resolved_by"]) == (1.0, (), "pinned")


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("ban = [", "not a readable TOML file"),
        ('bans = ["x"]', "unknown setting 'bans'"),
        ("ban = [1]", "ban must be a list of strings"),
        ('[[pin]]\nform = "X"', "pin 1 needs a form and a place"),
        ('[[pin]]\nform = "X"\nplace = "geonames:0"', "pin 1: no place 'geonames:0' in the gazetteer"),
    ],
)
def test_a_bad_corrections_file_is_one_clear_error(gazetteer: Gazetteer, tmp_path: Path, text: str, says: str) -> None:
    path = tmp_path / "geomap.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=says):
        load_corrections(path, gazetteer)


def test_the_cli_reads_geomap_toml_here_or_the_config_given(
    gazetteer: Gazetteer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    articles = tmp_path / "a.jsonl"
    articles.write_text(json.dumps({"id": "a", "text": TEXT, "source": "wire"}) + "\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def places(*options: str) -> list[tuple[str, str]]:
        done = runner.invoke(cli, [*options, "extract", str(articles)], catch_exceptions=False)
        assert done.exit_code == 0, done.output
        return [(r["text"], r["resolved_by"]) for r in map(json.loads, done.stdout.splitlines())]

    assert ("Moscow", "gazetteer") in places()  # no geomap.toml here: no corrections
    (tmp_path / "geomap.toml").write_text(CONFIG, encoding="utf-8")
    assert ("Zolotoverkhivka", "pinned") in places() and ("Moscow", "gazetteer") not in places()
    other = tmp_path / "other.toml"
    other.write_text('ban = ["Kyiv"]', encoding="utf-8")
    assert [text for text, _ in places("--config", str(other))] == ["Sudzha", "Moscow"]
    missing = runner.invoke(cli, ["--config", str(tmp_path / "none.toml"), "extract", str(articles)])
    assert missing.exit_code == 1 and missing.stderr.count("\n") == 1 and "does not exist" in missing.stderr


def test_designators_join_the_name_before_them(gazetteer: Gazetteer, tmp_path: Path) -> None:
    path = tmp_path / "geomap.toml"
    path.write_text('designators = ["raion", "hromada"]', encoding="utf-8")
    corrections = load_corrections(path, gazetteer)
    assert corrections is not None and corrections.designators == ("raion", "hromada")
    parser = Geoparser(gazetteer, corrections=corrections)
    article = Article(id="a", text="In Kursk Oblast and the Sudzha raion, but not in Unknownska hromada.")
    found = [(m.text, m.place.name if m.place else None) for m in parser.mentions(article)]
    assert found == [("Kursk Oblast", "Kursk Oblast"), ("Sudzha raion", "Sudzha")]  # no such unit: the town
