"""A damaged gazetteer cache is found cheaply and rebuilt, or named with the command that rebuilds it."""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from geomap.cli import cli
from geomap.gazetteer import Gazetteer, open_gazetteer
from geomap.gazetteer.integrity import integrity_path, read_integrity

SEED_DIR = str(Path(__file__).resolve().parents[2] / "seeds")


def _damage(path: Path, *, keep_date: bool) -> None:
    """Overwrite bytes in the middle of the file and in the name index, as a bad disk or a stray write would."""
    stat = path.stat()
    with sqlite3.connect(path) as con:
        start = con.execute("SELECT substr(data, 1, 256) FROM blobs WHERE name = 'names.entries'").fetchone()[0]
    con.close()
    where = [int(stat.st_size * share) for share in (0.3, 0.5, 0.7)] + [path.read_bytes().index(start) + 4096]
    with path.open("r+b") as handle:
        for offset in where:
            handle.seek(offset)
            handle.write(b"\xff" * min(65536, stat.st_size // 10))
    if keep_date:
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


@pytest.fixture
def tiny_cache(tmp_path: Path, tiny_sources: Path) -> Path:
    path = tmp_path / "tiny.sqlite"
    open_gazetteer(path, root=tiny_sources).close()
    return path


def test_the_build_records_the_file_and_verify_checks_it(tiny_cache: Path) -> None:
    record = read_integrity(tiny_cache)
    assert record is not None and record["size"] == tiny_cache.stat().st_size
    with Gazetteer(tiny_cache) as gazetteer:
        assert gazetteer.verify()
    _damage(tiny_cache, keep_date=True)
    with Gazetteer(tiny_cache) as gazetteer:
        assert not gazetteer.verify()


def test_a_damaged_cache_is_rebuilt_when_opened(tiny_cache: Path, tiny_sources: Path, caplog) -> None:
    _damage(tiny_cache, keep_date=False)
    with caplog.at_level(logging.WARNING), open_gazetteer(tiny_cache, root=tiny_sources) as gazetteer:
        assert gazetteer.verify() and gazetteer.lookup("Alpha City")
    assert "is damaged (its bytes changed since the build); rebuilding it" in caplog.text


def test_verify_finds_damage_that_kept_the_date(tiny_cache: Path, tiny_sources: Path) -> None:
    _damage(tiny_cache, keep_date=True)
    with open_gazetteer(tiny_cache, root=tiny_sources) as unchecked:
        assert not unchecked.verify()  # the cheap check at opening only looks at size and date
    with open_gazetteer(tiny_cache, root=tiny_sources, verify=True) as checked:
        assert checked.verify()


def test_a_copy_is_hashed_once_and_kept(tiny_cache: Path, tiny_sources: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.sqlite"
    shutil.copy(tiny_cache, copy)  # same bytes, a new date
    shutil.copy(integrity_path(tiny_cache), integrity_path(copy))
    built = copy.stat().st_mtime_ns
    with open_gazetteer(copy, root=tiny_sources):
        pass
    assert copy.stat().st_mtime_ns == built  # not rebuilt
    assert read_integrity(copy)["mtime_ns"] == built  # the new date is remembered


def test_a_cache_without_a_record_is_checked_by_sqlite_and_recorded(tiny_cache: Path, tiny_sources: Path) -> None:
    integrity_path(tiny_cache).unlink()
    built = tiny_cache.stat().st_mtime_ns
    with open_gazetteer(tiny_cache, root=tiny_sources):
        pass
    assert tiny_cache.stat().st_mtime_ns == built and read_integrity(tiny_cache) is not None


def test_damage_found_by_a_query_is_one_line_that_says_how_to_rebuild(gazetteer: Gazetteer, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    damaged = cache / gazetteer.path.name
    shutil.copy2(gazetteer.path, damaged)
    shutil.copy2(integrity_path(gazetteer.path), integrity_path(damaged))
    _damage(damaged, keep_date=True)  # unseen by the cheap check at opening
    runner = CliRunner()
    env = {"GEOMAP_CACHE_DIR": str(cache)}
    for args in (["extract", SEED_DIR], ["gazetteer", "info"]):
        result = runner.invoke(cli, args, env=env)
        assert result.exit_code == 1, result.output
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.output
        assert "is damaged" in result.stderr and result.stderr.endswith("geomap gazetteer build --force\n")
