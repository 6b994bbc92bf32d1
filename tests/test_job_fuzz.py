"""Hypothesis: article fields of any shape through ingest -> recognise -> map -> export.

Never a traceback; the pages stay valid (no field closes a script or a tag);
every field's text comes back as it went in.
"""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests_support import TEMPLATE_PAYLOADS, article_data, data_popups, page_popups, tree_labels, visible_text

from geomap import job
from geomap.gazetteer import Gazetteer
from geomap.pipeline import Geoparser

# Pieces hostile text is made of: markup, template syntax, script breakers, line and paragraph separators,
# quotes, places (so that popups quote the text), and any other character.
PIECES = st.sampled_from(
    [
        *TEMPLATE_PAYLOADS,
        "<script>alert(1)</script>",
        "</script><script>window.__pwned=1</script>",
        "<!--",
        "-->",
        "]]>",
        '"><img src=x onerror=alert(1)>',
        "javascript:alert(1)",
        "${window.__pwned}",
        "\\u2028",
        "\u2028",
        "\u2029",
        "\x85",
        "\r",
        "\n",
        "\t",
        "'",
        '"',
        "&amp;",
        "\\",
        " Kyiv ",
        " Sudzha. ",
        "MOSCOW: ",
        " in Paris, Texas ",
        "Donbas region",
    ]
)
FIELD = st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=8).map("".join)


@st.composite
def articles(draw) -> list[dict]:
    records = []
    for n in range(draw(st.integers(min_value=1, max_value=3))):
        record = {
            "id": f"{n}-{draw(FIELD)}",
            "text": draw(FIELD) + " Kyiv and Sudzha. " + draw(FIELD),
            "title": draw(FIELD),
            "url": draw(st.sampled_from(["https://example.org/", "http://x/?q=", "javascript:", ""])) + draw(FIELD),
            "source": draw(FIELD),
            "summary": draw(FIELD),
            draw(st.sampled_from(["note", "{{7*7}}", "<b>"])): draw(FIELD),
        }
        records.append(record)
    return records


@pytest.fixture(scope="module")
def parser(gazetteer: Gazetteer) -> Geoparser:
    return Geoparser(gazetteer)


@pytest.fixture(scope="module")
def blocks(parser: Geoparser, tmp_path_factory: pytest.TempPathFactory) -> tuple[int, int]:
    """How many script and style blocks a benign index and article page have."""
    work = tmp_path_factory.mktemp("benign")
    (work / "in.jsonl").write_text(json.dumps({"id": "b", "text": "Kyiv and Sudzha."}) + "\n", encoding="utf-8")
    job.run([work / "in.jsonl"], work / "maps", offline=True, geoparser=parser)
    count = re.compile(r"<(?:script|style)\b", flags=re.I)
    index = (work / "maps" / "index.html").read_text(encoding="utf-8")
    page = (work / "maps" / "article.html").read_text(encoding="utf-8")
    return len(count.findall(index)), len(count.findall(page))


@settings(max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=articles())
def test_any_article_fields_round_trip_through_run(
    records: list[dict], parser: Geoparser, blocks: tuple[int, int], tmp_path_factory: pytest.TempPathFactory
) -> None:
    work = tmp_path_factory.mktemp("fuzz")
    source = work / "in.jsonl"
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    out = work / "maps"
    report = job.run([source], out, offline=True, geoparser=parser)
    assert report.articles == len(records) and report.skipped == []
    texts = {r["id"]: r["text"] for r in records}
    written = [json.loads(line) for line in (out / "mentions.jsonl").read_text(encoding="utf-8").split("\n") if line]
    for mention in written:  # offsets point into the text as given
        assert texts[mention["article_id"]][mention["start"] : mention["end"]] == mention["text"]
    features = json.loads((out / "mentions.geojson").read_text(encoding="utf-8"))["features"]
    by_id = {r["id"]: r for r in records}
    for feature in features:
        properties = feature["properties"]
        given_record = by_id[properties["article_id"]]
        assert properties["article_title"] == (given_record["title"] or None)
        assert properties["article_source"] == (given_record["source"] or None)
    index = (out / "index.html").read_text(encoding="utf-8")
    index_blocks, page_blocks = blocks
    _assert_valid(index, index_blocks)
    _assert_valid((out / "article.html").read_text(encoding="utf-8"), page_blocks)
    for record in records:  # each article's data: a script that is one call with JSON, its text as given
        data = article_data(out, record["id"])
        assert data["title"] == (record["title"] or record["id"])
        assert visible_text(data["node"]) == (record["title"] or record["id"])
        assert any(record["title"] in visible_text(p) for p in data_popups(data))
    labels = tree_labels(index)
    for record in records:
        shown = record["title"] or record["id"]
        assert any(label.startswith(shown) for label in labels), shown
    popups = [visible_text(p) for p in page_popups(index)]
    for record in records:
        if record["title"]:
            assert any(record["title"] in popup for popup in popups if "Kyiv" in popup or "Sudzha" in popup)


def _assert_valid(page: str, blocks: int) -> None:
    """The page has exactly geomap's own script and style blocks, each closed by its own end tag, and no
    markup from an article outside them (article text lives in JSON strings, where '<' is written \\u003c,
    and in the <title>, escaped: one title element, holding text only)."""
    opened = [m.group(1).lower() for m in re.finditer(r"<(script|style)\b", page, flags=re.I)]
    closed = [m.group(1).lower() for m in re.finditer(r"</(script|style)\s*>", page, flags=re.I)]
    assert opened == closed
    assert len(opened) == blocks
    outside = re.sub(r"<(script|style)[^>]*>.*?</\1>", "", page, flags=re.S | re.I)
    titles = re.findall(r"<title>(.*?)</title>", outside, flags=re.S | re.I)
    assert len(titles) == 1 and "<" not in titles[0] and ">" not in titles[0]
    outside = re.sub(r"<title>.*?</title>", "", outside, flags=re.S | re.I)
    assert not re.search(r"<img|onerror|alert\(", outside, flags=re.I)
