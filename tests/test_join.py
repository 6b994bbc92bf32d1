from __future__ import annotations

import pandas as pd
import pytest

from geomap.join import articles_frame, join_mentions, mentions_frame, place_summary
from geomap.models import Article


def record(article_id: str, start: int, text: str, place_id: str | None, **extra) -> dict:
    base = {
        "article_id": article_id,
        "start": start,
        "end": start + len(text),
        "text": text,
        "sentence": f"In {text} today.",
        "sentence_start": start - 3,
        "type": "literal",
        "place_id": place_id,
        "geonameid": None,
        "name": text if place_id else None,
        "kind": "populated_place" if place_id else None,
        "country_code": "RU" if place_id else None,
        "admin1": None,
        "lat": 51.0 if place_id else None,
        "lon": 35.0 if place_id else None,
        "confidence": 0.9 if place_id else None,
        "resolved_by": None,
        "alternatives": [],
    }
    return base | extra


RECORDS = [
    record("a", 10, "Sudzha", "geonames:486816"),
    record("a", 40, "Sudzha", "geonames:486816", type="associative", confidence=0.7, sentence="Sudzha said."),
    record("a", 70, "Xqz Street", None),
    record("b", 5, "Sudzha", "geonames:486816"),
    record("orphan", 0, "Kyiv", "geonames:703448"),
]
ARTICLES = [
    Article(id="a", text="...", title="Title A", date="2025-03-12", url="https://example.org/a"),
    Article(id="b", text="...", title="Title B", date=None),
]


def test_one_row_per_mention_with_article_metadata() -> None:
    joined = join_mentions(mentions_frame(RECORDS), articles_frame(ARTICLES))
    assert len(joined) == len(RECORDS)  # nothing dropped, not even the orphan or the unresolved
    first = joined.iloc[0]
    assert (first["article_title"], first["article_date"], first["article_url"]) == (
        "Title A",
        "2025-03-12",
        "https://example.org/a",
    )
    orphan = joined[joined["article_id"] == "orphan"].iloc[0]
    assert pd.isna(orphan["article_title"])
    assert joined["start"].dtype == "int64" and str(joined["geonameid"].dtype) == "Int64"


def test_place_summary_counts_types_and_first_sentence() -> None:
    summary = place_summary(join_mentions(mentions_frame(RECORDS), articles_frame(ARTICLES)))
    row = summary[(summary["article_id"] == "a") & (summary["place_id"] == "geonames:486816")].iloc[0]
    assert (row["mentions"], row["types"], row["first_sentence"]) == (2, "associative,literal", "In Sudzha today.")
    assert row["confidence"] == pytest.approx(0.9)
    assert len(summary) == 3  # a/Sudzha, b/Sudzha, orphan/Kyiv; the unresolved span has no place


def test_duplicate_article_ids_are_refused() -> None:
    articles = articles_frame([ARTICLES[0], ARTICLES[0]])
    with pytest.raises(ValueError, match="appears twice"):
        join_mentions(mentions_frame(RECORDS), articles)
