from __future__ import annotations

import json

import click
import pytest
from click.testing import CliRunner

from geomap.cli import cli
from geomap.gazetteer import Gazetteer


@pytest.fixture
def run(gazetteer: Gazetteer):
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, list(args), catch_exceptions=False)

    return invoke


def _commands(group: click.Group, prefix: str = ""):
    for name, command in group.commands.items():
        yield f"{prefix}{name}", command
        if isinstance(command, click.Group):
            yield from _commands(command, f"{prefix}{name} ")


def test_every_command_has_help_with_an_example() -> None:
    assert "Example:" in cli.help
    for name, command in _commands(cli):
        assert command.help and "Example:" in command.help, name


def test_geocode_prints_the_best_place(run) -> None:
    result = run("geocode", "Sudzha")
    assert result.exit_code == 0
    assert result.stdout == "Sudzha, Kursk Oblast, Russia\tpopulated_place\t51.19100,35.27100\tgeonames:486816\n"


def test_geocode_all_as_json(run) -> None:
    result = run("geocode", "Moscow", "--all", "--limit", "3", "--json")
    records = json.loads(result.stdout)
    assert [r["geonameid"] for r in records][:1] == [524901]
    assert len(records) == 3
    assert records[0]["address"] == "Moscow, Moskva Oblast, Russia"


def test_no_match_is_one_line_and_status_1(run) -> None:
    result = run("geocode", "Xqzzyville")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == "Error: no match for 'Xqzzyville' in the gazetteer\n"


def test_reverse(run) -> None:
    result = run("reverse", "51.19", "35.27", "--json")
    data = json.loads(result.stdout)
    assert data["place"]["geonameid"] == 486816
    assert data["admin1"]["geonameid"] == 538555
    assert data["country"]["geonameid"] == 2017370


def test_reverse_at_sea_is_status_1(run) -> None:
    result = run("reverse", "0", "-30")
    assert result.exit_code == 1 and "nothing in the gazetteer" in result.stderr


def test_reverse_rejects_bad_coordinates(run) -> None:
    result = run("reverse", "95", "10")
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_gazetteer_info(run, gazetteer: Gazetteer) -> None:
    info = json.loads(run("gazetteer", "info", "--json").stdout)
    assert info["path"] == str(gazetteer.path)
    assert int(info["kind.country"]) >= 240


def test_silent_and_verbose_conflict(run) -> None:
    result = CliRunner().invoke(cli, ["--silent", "--verbose", "gazetteer", "info"])
    assert result.exit_code == 2 and "contradict" in result.stderr


def test_gazetteer_build_into_an_empty_cache_shows_progress(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("GEOMAP_CACHE_DIR", str(tmp_path))
    result = CliRunner().invoke(cli, ["gazetteer", "build"], catch_exceptions=False)
    assert result.exit_code == 0
    assert "Building gazetteer" in result.stderr
    assert str(tmp_path) in result.stdout
    assert len(list(tmp_path.glob("gazetteer-*.sqlite"))) == 1
