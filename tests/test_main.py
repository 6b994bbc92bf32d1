"""The geomap command's entry point (geomap/__main__.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.metadata import entry_points

SHOW = "import os, geomap.__main__, numpy; print(os.environ['OPENBLAS_NUM_THREADS'])"


def _run(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", SHOW], env=env, capture_output=True, text=True, check=True)


def test_the_command_keeps_numpy_to_one_blas_thread_unless_the_user_says_otherwise() -> None:
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    assert _run(env).stdout.strip() == "1"
    assert _run({**env, "OPENBLAS_NUM_THREADS": "3"}).stdout.strip() == "3"


def test_the_geomap_script_is_the_entry_point_that_sets_it() -> None:
    (script,) = [e for e in entry_points(group="console_scripts") if e.name == "geomap"]
    assert script.value == "geomap.__main__:main"
    assert callable(script.load())


def test_python_dash_m_geomap_runs_the_command() -> None:
    done = subprocess.run([sys.executable, "-m", "geomap", "--help"], capture_output=True, text=True, check=True)
    assert "Usage: geomap" in done.stdout
