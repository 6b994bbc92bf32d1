"""Outputs whole or not at all: atomic files, staged folders swapped in, writability checked up front."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from geomap._io import STAGING_PREFIX, atomic_output, check_output_file, check_output_folder, staged_folder
from geomap.errors import OutputError

OWNED = ("index.html", "articles", "data.jsonl")


def _previous_run(folder):
    (folder / "articles").mkdir(parents=True)
    (folder / "articles" / "old-article.html").write_text("old page")
    (folder / "index.html").write_text("old index")
    (folder / "data.jsonl").write_text("old data")
    (folder / "notes.txt").write_text("the user's own file")


def test_staged_folder_swaps_everything_in_and_drops_stale_pages(tmp_path) -> None:
    out = tmp_path / "maps"
    _previous_run(out)
    with staged_folder(out, owned=OWNED) as stage:
        assert stage.parent == out and stage.name.startswith(STAGING_PREFIX)
        (stage / "articles").mkdir()
        (stage / "articles" / "new-article.html").write_text("new page")
        (stage / "index.html").write_text("new index")
        assert (out / "index.html").read_text() == "old index"  # nothing changes until the end
    assert sorted(p.name for p in out.iterdir()) == ["articles", "index.html", "notes.txt"]
    assert [p.name for p in (out / "articles").iterdir()] == ["new-article.html"]
    assert (out / "index.html").read_text() == "new index"
    assert (out / "notes.txt").read_text() == "the user's own file"  # not geomap's: left alone
    assert not (out / "data.jsonl").exists()  # owned and not written this time: no stale copy


@pytest.mark.parametrize("failure", [OSError(28, "No space left on device"), KeyboardInterrupt()])
def test_a_failed_or_interrupted_stage_leaves_the_previous_output(tmp_path, failure) -> None:
    out = tmp_path / "maps"
    _previous_run(out)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    with pytest.raises(type(failure)), staged_folder(out, owned=OWNED) as stage:
        (stage / "index.html").write_text("half")
        raise failure
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before and not list(out.glob(f"{STAGING_PREFIX}*"))


def test_a_failed_stage_removes_the_folders_it_created(tmp_path) -> None:
    with pytest.raises(RuntimeError), staged_folder(tmp_path / "new" / "maps", owned=OWNED):
        raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []


def test_stages_abandoned_by_dead_processes_are_removed(tmp_path) -> None:
    out = tmp_path / "maps"
    out.mkdir()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    abandoned = out / f"{STAGING_PREFIX}{dead.stdout.strip()}-x1"
    living = out / f"{STAGING_PREFIX}{os.getpid()}-x2"  # a concurrent run of this process: kept
    abandoned.mkdir()
    living.mkdir()
    with staged_folder(out, owned=OWNED):
        pass
    assert not abandoned.exists() and living.exists()


def test_outputs_under_a_regular_file_fail_up_front(tmp_path) -> None:
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    with pytest.raises(OutputError, match=r"is a file, not a folder"):
        check_output_folder(blocker / "maps")
    with pytest.raises(OutputError, match=r"exists and is not a folder"):
        check_output_folder(blocker)
    with pytest.raises(OutputError, match=r"is a file, not a folder"):
        check_output_file(blocker / "sub" / "m.jsonl")
    with pytest.raises(OutputError, match=r"is a folder; give a file name"):
        check_output_file(tmp_path)
    with pytest.raises(OutputError, match=r"cannot write"), atomic_output(blocker / "m.jsonl"):
        pass
    assert blocker.read_text() == "x"


def test_read_only_folder_fails_up_front(read_only_folder) -> None:
    with pytest.raises(OutputError, match=r"cannot write .*locked.*: (Permission denied|Operation not permitted)"):
        check_output_folder(read_only_folder / "maps")
    with pytest.raises(OutputError, match=r"cannot write .*locked.*: (Permission denied|Operation not permitted)"):
        check_output_folder(read_only_folder)
    with pytest.raises(OutputError, match=r"cannot write .*locked.*: (Permission denied|Operation not permitted)"):
        check_output_file(read_only_folder / "m.jsonl")
    assert list(read_only_folder.iterdir()) == []


def test_unwritable_folder_fails_up_front(tmp_path, monkeypatch) -> None:
    # what a read-only folder does for a user who is not root (root writes anyway: see the test above)
    import tempfile

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "TemporaryFile", refuse)
    with pytest.raises(OutputError, match=r"cannot write '.*maps': Permission denied"):
        check_output_folder(tmp_path / "maps")


def test_atomic_output_keeps_the_old_file_on_failure(tmp_path) -> None:
    target = tmp_path / "m.jsonl"
    target.write_text("old")
    with pytest.raises(OSError, match="No space"), atomic_output(target) as handle:
        handle.write("new, half")
        raise OSError(28, "No space left on device")
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["m.jsonl"]


def test_a_full_disk_names_the_output(tmp_path) -> None:
    # write() on a full disk raises ENOSPC without a file name: the error must still say where
    with (
        pytest.raises(OutputError, match=r"cannot write '.*maps': No space left on device"),
        staged_folder(tmp_path / "maps", owned=OWNED),
    ):
        raise OSError(28, "No space left on device")
    with (
        pytest.raises(OutputError, match=r"cannot write '.*m\.jsonl': No space left on device"),
        atomic_output(tmp_path / "m.jsonl"),
    ):
        raise OSError(28, "No space left on device")
    assert list(tmp_path.iterdir()) == []
