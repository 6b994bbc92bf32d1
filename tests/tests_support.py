"""Helpers shared by tests (importable: tests/ is on sys.path through conftest)."""

from __future__ import annotations

from pathlib import Path

from geomap.gazetteer import Gazetteer
from geomap.join import articles_frame, join_mentions, mentions_frame
from geomap.models import Article
from geomap.pipeline import Geoparser
from geomap.render import write_maps


def build_maps(gazetteer: Gazetteer, out: Path, articles: list[Article], *, offline: bool = True):
    parser = Geoparser(gazetteer)
    records = [m.as_record() for a in articles for m in parser.mentions(a)]
    frame = articles_frame(articles)
    joined = join_mentions(mentions_frame(records), frame)
    write_maps(joined, out, gazetteer=gazetteer, articles=frame, offline=offline)
    return joined
