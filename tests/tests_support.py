"""Helpers shared by tests (importable: tests/ is on sys.path through conftest)."""

from __future__ import annotations

from pathlib import Path

from geomap.gazetteer import Gazetteer
from geomap.join import articles_frame, join_mentions, mentions_frame
from geomap.models import Article
from geomap.pipeline import Geoparser
from geomap.render import write_maps

# An article written to break out of HTML and script contexts; no script of it may run.
HOSTILE = Article(
    id="hostile",
    title='<script>window.__pwned = 1</script>"><img src=x onerror="window.__pwned = 5"> Kyiv',
    date="2025-03-13",
    url="javascript:window.__pwned = 3",
    text='Shelling in Kyiv"><img src=x onerror="window.__pwned = 2"> and `${window.__pwned = 4}` near Sudzha.',
)


def build_maps(gazetteer: Gazetteer, out: Path, articles: list[Article], *, offline: bool = True):
    parser = Geoparser(gazetteer)
    records = [m.as_record() for a in articles for m in parser.mentions(a)]
    frame = articles_frame(articles)
    joined = join_mentions(mentions_frame(records), frame)
    write_maps(joined, out, gazetteer=gazetteer, articles=frame, offline=offline)
    return joined
