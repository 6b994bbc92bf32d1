"""What a non-editable install gets: the gazetteer data, and the geoparser compiled with mypyc (hatch_build.py).

The wheel is built once, in process and offline, by hatchling with the project's own build hook.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hatchling.builders.wheel import WheelBuilder

from geomap.gazetteer.sources import DATA_FILES

REPO = Path(__file__).resolve().parents[1]
COMPILED = (
    "geomap/geo",
    "geomap/models",
    "geomap/recognise",
    "geomap/resolve",
    "geomap/text",
    "geomap/gazetteer/names",
)


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the checkout to build from: hatch-mypyc moves pyproject.toml aside while it compiles, which
    the checkout itself must not see (a linter or a second test run would meet a project without one)."""
    copy = tmp_path_factory.mktemp("checkout") / "geomap"
    ignored = (".git", ".venv", "maps", "build", "dist", "*.so", "__pycache__", ".*_cache", "*.egg-info")
    shutil.copytree(REPO, copy, ignore=shutil.ignore_patterns(*ignored))
    return copy


def _build(checkout: Path, directory: Path) -> Path:
    """The wheel ``pip install .`` builds, built where pip builds it: in the project's folder (hatch-mypyc
    names the modules to compile relative to the working directory)."""
    with contextlib.chdir(checkout):
        (built,) = WheelBuilder(str(checkout)).build(directory=str(directory), versions=["standard"])
    return Path(built)


@pytest.fixture(scope="module")
def wheel(checkout: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(checkout, tmp_path_factory.mktemp("wheel"))


@pytest.fixture(scope="module")
def unpacked(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel's contents in a folder: what site-packages gets from ``pip install .``."""
    folder = tmp_path_factory.mktemp("site")
    zipfile.ZipFile(wheel).extractall(folder)
    return folder


def _geomap(*args: str, cwd: Path, site: Path | None = None) -> subprocess.CompletedProcess[str]:
    """geomap as its own process, from the editable checkout or (``site``) from the unpacked wheel."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    if site is not None:
        env["PYTHONPATH"] = str(site)
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, check=True)


@pytest.mark.slow
def test_wheel_ships_the_gazetteer_sources(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in DATA_FILES:
        assert f"geomap/_gazetteer/{name}" in names
    assert "geomap/_gazetteer/SOURCES.md" in names
    assert "geomap/cli.py" in names
    assert {"geomap/render/assets/page.js", "geomap/render/assets/page.css"} <= names
    assert not any(name.startswith(("tests/", "benchmarks/")) for name in names)


@pytest.mark.slow
def test_wheel_carries_the_compiled_geoparser_and_the_checkout_stays_clean(
    checkout: Path, wheel: Path, unpacked: Path
) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for module in COMPILED:
        assert any(n.startswith(f"{module}.cpython-") and n.endswith(".so") for n in names), module
        assert f"{module}.py" in names  # the source stays beside it
    assert "-py3-none-any" not in wheel.name  # a platform wheel
    left = [*checkout.glob("*.so"), *(checkout / "geomap").glob("**/*.so")]
    assert (checkout / "pyproject.toml").is_file() and not (checkout / "pyproject.toml.bak").exists()
    assert not left, f"mypyc's output was left in the checkout: {left}"
    show = "import geomap.recognise as r, geomap.resolve as s; print(r.__file__, s.__file__, s.COMPILED)"
    shown = _geomap("-c", show, cwd=unpacked)
    assert shown.stdout.count(".so") == 2, shown.stdout  # the compiled modules are the ones imported
    assert shown.stdout.split()[-1] == "True"  # and know it (nearness loops)
    assert _geomap("-c", show, cwd=REPO).stdout.split()[-1] == "False"  # the editable checkout's sources


def _same_output_compiled_and_pure(corpus: Path, unpacked: Path, tmp_path: Path, jobs: str = "1") -> None:
    """The compiled geoparser's output equals the pure Python one's; with ``jobs`` > 1 the compiled records
    (articles) go to worker processes and back pickled."""
    _geomap("-m", "geomap", "-q", "extract", str(corpus), "-j", "1", "-o", "pure.jsonl", cwd=tmp_path)
    _geomap(
        "-m", "geomap", "-q", "extract", str(corpus), "-j", jobs, "-o", "compiled.jsonl", cwd=tmp_path, site=unpacked
    )
    pure, compiled = (tmp_path / "pure.jsonl").read_bytes(), (tmp_path / "compiled.jsonl").read_bytes()
    assert pure.count(b"\n") > 5
    assert compiled == pure


@pytest.mark.slow
def test_compiled_records_pickle_and_stay_frozen(unpacked: Path) -> None:
    """Compiled, a frozen dataclass cannot be unpickled field by field: models.py pickles by its fields."""
    code = (
        "import pickle, dataclasses, geomap.models as m\n"
        "assert m.__file__.endswith('.so'), m.__file__\n"
        "p = m.Place('p:1', 'Sudzha', 'populated_place', 51.19, 35.27, country_code='RU', population=5000)\n"
        "a = m.Article(id='a', text='In Sudzha.', title='T', extra={'home': 'Kursk'})\n"
        "s = m.Span(3, 9, 'Sudzha', 'literal', 'Sudzha')\n"
        "records = [p, a, s, m.Candidate(p, 'Sudzha', 'name', 3.7), m.Mention('a', 3, 9, 'Sudzha', 'In Sudzha.', 0,"
        " 'literal', p, 0.9, 'gazetteer', ({'name': 'x'},))]\n"
        "for r in records:\n"
        "    back = pickle.loads(pickle.dumps(r))\n"
        "    assert back == r and type(back) is type(r), (back, r)\n"
        "assert pickle.loads(pickle.dumps(a)).extra == {'home': 'Kursk'}\n"
        "try:\n"
        "    p.name = 'Kursk'\n"
        "except dataclasses.FrozenInstanceError:\n"
        "    print('frozen')\n"
    )
    assert _geomap("-c", code, cwd=unpacked).stdout.strip() == "frozen"


@pytest.mark.slow
def test_compiled_geoparser_gives_the_pure_pythons_output_on_the_seeds(
    unpacked: Path, tmp_path: Path, gazetteer
) -> None:
    _same_output_compiled_and_pure(REPO / "seeds", unpacked, tmp_path)


@pytest.mark.slow
def test_compiled_geoparser_gives_the_pure_pythons_output_on_geowebnews(
    unpacked: Path, tmp_path: Path, shared_eval: Path, gazetteer
) -> None:
    _same_output_compiled_and_pure(shared_eval / "gwn.jsonl", unpacked, tmp_path)


@pytest.mark.slow
def test_compiled_geoparser_in_two_workers_gives_the_pure_pythons_output(
    unpacked: Path, tmp_path: Path, shared_eval: Path, gazetteer
) -> None:
    _same_output_compiled_and_pure(shared_eval / "gwn.jsonl", unpacked, tmp_path, jobs="2")


@pytest.mark.slow
def test_without_a_compiler_the_wheel_is_pure_python_and_says_so(
    checkout: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CC", str(tmp_path / "no-such-compiler"))
    built = _build(checkout, tmp_path)
    assert built.name.endswith("-py3-none-any.whl")
    assert not any(n.endswith(".so") for n in zipfile.ZipFile(built).namelist())
    assert "mypyc could not compile" in capfd.readouterr().err
    assert not list((checkout / "geomap").glob("**/*.so"))


def test_pure_python_wheel_on_request(checkout: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GEOMAP_PURE_PYTHON", "1")
    built = _build(checkout, tmp_path)
    assert built.name.endswith("-py3-none-any.whl")
