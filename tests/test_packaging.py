"""A non-editable install must carry the gazetteer data: check what the wheel holds."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from hatchling.builders.wheel import WheelBuilder

from geomap.gazetteer.sources import DATA_FILES

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_ships_the_gazetteer_sources(tmp_path: Path) -> None:
    builder = WheelBuilder(str(REPO))
    (wheel,) = builder.build(directory=str(tmp_path), versions=["standard"])
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in DATA_FILES:
        assert f"geomap/_gazetteer/{name}" in names
    assert "geomap/_gazetteer/SOURCES.md" in names
    assert "geomap/cli.py" in names
    assert {"geomap/render/assets/page.js", "geomap/render/assets/page.css"} <= names
    assert not any(name.startswith(("tests/", "benchmarks/")) for name in names)
