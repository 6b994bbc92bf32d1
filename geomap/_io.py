"""Outputs that appear whole or not at all: single files, and folders of files swapped in at the end."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from .errors import GeomapError, OutputError

STAGING_PREFIX = ".geomap-staging-"


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike[str], *, mode: str = "w", newline: str | None = None) -> Iterator[IO[Any]]:
    """Write to a temporary file beside ``path`` and rename it into place on success.

    On any error the temporary file is removed and ``path`` is left as it was,
    so a failed run never leaves a half-written output.
    """
    target = Path(path)
    check_output_file(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as err:
        raise _cannot_write(target, err) from err
    try:
        encoding = None if "b" in mode else "utf-8"
        with os.fdopen(fd, mode, encoding=encoding, newline=newline) as handle:
            yield handle
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; give it the usual mode
        os.replace(tmp, target)
    except BaseException as err:
        Path(tmp).unlink(missing_ok=True)
        _name_the_output(err, target)
        raise


def check_output_file(path: str | os.PathLike[str]) -> None:
    """Fail now, before any work, if a file cannot be written at ``path``.

    The nearest existing folder above it must be a writable folder, and
    ``path`` itself, if it exists, a file.
    """
    target = Path(path)
    if target.is_dir():
        msg = f"{str(target)!r} is a folder; give a file name"
        raise OutputError(msg)
    _check_folder_above(target)


def check_output_folder(path: str | os.PathLike[str]) -> None:
    """Fail now, before any work, if ``path`` cannot be (or become) a folder geomap writes into."""
    target = Path(path)
    if target.exists() and not target.is_dir():
        msg = f"{str(target)!r} exists and is not a folder"
        raise OutputError(msg)
    if target.is_dir():
        _check_writable(target)
    else:
        _check_folder_above(target)


def _check_folder_above(target: Path) -> None:
    parent = target.absolute().parent
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir():
        msg = f"cannot write {str(target)!r}: {str(parent)!r} is a file, not a folder"
        raise OutputError(msg)
    _check_writable(parent, shown=target)


def _check_writable(folder: Path, *, shown: Path | None = None) -> None:
    """Create and remove a file in ``folder``: the only check that holds for root, ACLs and read-only mounts."""
    try:
        with tempfile.TemporaryFile(dir=folder, prefix=".geomap-check-"):
            pass
    except OSError as err:
        raise _cannot_write(shown or folder, err) from err


def _cannot_write(path: Path, err: OSError) -> OutputError:
    error = OutputError(f"cannot write {str(path)!r}: {err.strerror or err}")
    error.errno = err.errno
    return error


@contextlib.contextmanager
def staged_folder(path: str | os.PathLike[str], *, owned: Iterable[str]) -> Iterator[Path]:
    """A folder to write outputs into, swapped into ``path`` when the block ends without error.

    The staging folder is a hidden folder inside ``path`` (so it is on the same
    file system and the swap is a few renames). On success every name in
    ``owned`` is replaced by what the block wrote under that name, or removed
    if the block wrote none: pages of an earlier run never mix with the new
    ones. Other files in ``path`` are left alone. On an error or an interrupt
    the staging folder is removed and ``path`` is as it was; a folder the
    block created is removed again if it is still empty.
    """
    target = Path(path)
    check_output_folder(target)
    created = _missing_ancestors(target)
    try:
        target.mkdir(parents=True, exist_ok=True)
        _remove_abandoned_stages(target)
        stage = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=target))
    except OSError as err:
        _remove_empty(created)
        raise _cannot_write(target, err) from err
    try:
        yield stage
        previous = stage / ".previous"
        previous.mkdir()
        for name in owned:
            if (target / name).exists() or (target / name).is_symlink():
                os.replace(target / name, previous / name)
            if (stage / name).exists():
                os.replace(stage / name, target / name)
    except BaseException as err:
        shutil.rmtree(stage, ignore_errors=True)
        _remove_empty(created)
        _name_the_output(err, target)
        raise
    shutil.rmtree(stage, ignore_errors=True)


def _name_the_output(err: BaseException, target: Path) -> None:
    """A write that failed without saying where (a full disk: write() names no file) names the output."""
    if isinstance(err, OSError) and not isinstance(err, GeomapError) and err.filename is None:
        raise _cannot_write(target, err) from err


def _missing_ancestors(target: Path) -> list[Path]:
    """The folders that creating ``target`` would create, deepest first."""
    missing = []
    folder = target.absolute()
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    return missing


def _remove_empty(folders: list[Path]) -> None:
    for folder in folders:
        with contextlib.suppress(OSError):
            folder.rmdir()  # only if empty


def _remove_abandoned_stages(target: Path) -> None:
    """Staging folders left by runs that were killed (their process is gone)."""
    for stage in target.glob(f"{STAGING_PREFIX}*"):
        pid = stage.name.removeprefix(STAGING_PREFIX).partition("-")[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(stage, ignore_errors=True)


def _alive(pid: int) -> bool:
    if os.name != "posix":
        return True  # no safe check without a dependency: leave the folder
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
