"""The README's picture shows today's seed map: made again (scripts/screenshot.py) whenever the map changes."""

from __future__ import annotations

import hashlib
from pathlib import Path

from geomap import job
from geomap.gazetteer import Gazetteer
from geomap.pipeline import Geoparser

REPO = Path(__file__).resolve().parents[1]


def test_the_readme_picture_was_made_from_the_seed_map_as_it_is(gazetteer: Gazetteer, tmp_path: Path) -> None:
    job.run([REPO / "seeds"], tmp_path, offline=True, geoparser=Geoparser(gazetteer), jobs=1)
    shown = (REPO / "docs" / "seed-map.source").read_text(encoding="utf-8").strip()
    today = hashlib.sha256((tmp_path / "index.html").read_bytes()).hexdigest()
    assert today == shown, "the seed map changed: run python scripts/screenshot.py and commit docs/"
    assert (REPO / "docs" / "seed-map.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "docs/seed-map.png" in (REPO / "README.md").read_text(encoding="utf-8")
