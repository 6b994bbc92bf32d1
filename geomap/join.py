"""Mentions joined to their articles and places, as pandas frames.

pandas lives here, at the join/export boundary: the pipeline itself passes
plain records.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from .models import ARTICLE_ROW_FIELDS, MENTION_FIELDS, Article, article_row

__all__ = ["articles_frame", "join_mentions", "mentions_frame", "place_summary"]


def mentions_frame(records: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Mention records as a frame, with the contract's columns in order."""
    frame = pd.DataFrame.from_records(list(records), columns=list(MENTION_FIELDS))
    for column in ("start", "end", "sentence_start"):
        frame[column] = frame[column].astype("int64")
    frame["geonameid"] = frame["geonameid"].astype("Int64")
    for column in ("lat", "lon", "confidence"):
        frame[column] = pd.to_numeric(frame[column]).astype("float64")
    return frame


def articles_frame(articles: Iterable[Article | Mapping[str, Any]]) -> pd.DataFrame:
    """One row per article: id and its metadata (not the text); rows of :func:`article_row` will do."""
    rows = [a if isinstance(a, Mapping) else article_row(a) for a in articles]
    return pd.DataFrame.from_records(rows, columns=list(ARTICLE_ROW_FIELDS))


def join_mentions(mentions: pd.DataFrame, articles: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per mention, with its article's title, date, dateline, URL and source.

    Mentions whose article is unknown keep empty article columns (a left join):
    nothing the user gave is dropped.
    """
    if articles is None or articles.empty:
        articles = articles_frame([])
    if articles["article_id"].duplicated().any():
        duplicated = articles.loc[articles["article_id"].duplicated(), "article_id"].iloc[0]
        msg = f"article id {duplicated!r} appears twice in the articles"
        raise ValueError(msg)
    joined = mentions.merge(articles, on="article_id", how="left", validate="many_to_one")
    return joined.sort_values(["article_id", "start"], kind="stable").reset_index(drop=True)


def place_summary(joined: pd.DataFrame) -> pd.DataFrame:
    """One row per resolved place per article: count, types, first sentence.

    Columns: article_id, place_id, name, kind, country_code, lat, lon,
    mentions (count), types (sorted, comma-separated), first_sentence,
    first_text, confidence (the highest).
    """
    resolved = joined[joined["place_id"].notna()].sort_values(["article_id", "start"], kind="stable")
    if resolved.empty:
        return pd.DataFrame(
            columns=[
                "article_id",
                "place_id",
                "name",
                "kind",
                "country_code",
                "lat",
                "lon",
                "mentions",
                "types",
                "first_sentence",
                "first_text",
                "confidence",
            ]
        )
    grouped = resolved.groupby(["article_id", "place_id"], sort=True)
    summary = grouped.agg(
        name=("name", "first"),
        kind=("kind", "first"),
        country_code=("country_code", "first"),
        lat=("lat", "first"),
        lon=("lon", "first"),
        mentions=("start", "size"),
        types=("type", lambda types: ",".join(sorted(set(types)))),
        first_sentence=("sentence", "first"),
        first_text=("text", "first"),
        confidence=("confidence", "max"),
    )
    return summary.reset_index()
