"""The jobs behind the commands: articles in, mention records or maps and data out.

Articles stream through one at a time: read, geoparsed, written. Memory does
not grow with the number of articles, except for what the one map of them all
(``index.html``) must hold. A ``progress`` callback hears after every article
how far the job is. Outputs appear whole or not at all: a file is written
aside and renamed into place; ``run`` writes its folder aside and swaps it in.

    >>> from geomap.job import run
    >>> report = run(["seeds"], "maps", offline=True)   # doctest: +SKIP
    >>> report.articles, report.mentions                 # doctest: +SKIP
    (2, 57)
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, BinaryIO, cast

from ._io import atomic_output, check_output_file, check_output_folder, staged_folder
from .errors import InputError
from .gazetteer import Gazetteer
from .ingest import ArticleReader, read_articles
from .models import Article, Mention, article_row
from .parallel import map_in_order
from .pipeline import Geoparser
from .writers import GeoJsonWriter, JsonlWriter, Writer, format_by_suffix, writer_for
from .writers.base import CHUNK, Spool

if TYPE_CHECKING:
    import pandas as pd

    from .render import MapDigest

__all__ = ["RUN_OUTPUTS", "JobReport", "Progress", "draw", "evaluate", "export", "extract", "run"]

#: What ``run`` writes into its folder; an earlier run's copies of these are replaced whole.
RUN_OUTPUTS = ("index.html", "article.html", "articles", "mentions.jsonl", "mentions.geojson")


@dataclass(frozen=True, slots=True)
class Progress:
    """How far a job is: told to the ``progress`` callback after every article."""

    articles: int
    mentions: int
    bytes_read: int
    total_bytes: int | None  # None when standard input is read
    seconds: float


@dataclass
class JobReport:
    """What a job did: counts, the surface forms left unresolved, the input records skipped, the outputs."""

    articles: int = 0
    mentions: int = 0
    bytes_read: int = 0
    seconds: float = 0.0
    unresolved: Counter[str] = field(default_factory=Counter)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (where: "file:line", what is wrong)
    outputs: list[Path] = field(default_factory=list)


ProgressCallback = Callable[[Progress], None]

#: Text a worker gets at a time (--jobs): some 50 news articles, or one long text alone.
BATCH_CHARACTERS = 128_000


class _Tally:
    """Counts articles and mentions as they pass, and tells the progress callback."""

    def __init__(self, reader: ArticleReader | _GivenArticles, progress: ProgressCallback | None) -> None:
        self.report = JobReport()
        self._reader = reader
        self._progress = progress
        self._started = time.perf_counter()

    def add(self, done: _Done) -> None:
        report = self.report
        report.articles += 1
        report.mentions += done.mentions
        report.unresolved.update(done.unresolved)
        if self._progress is not None:
            self._progress(self._snapshot())

    def _snapshot(self) -> Progress:
        reader = self._reader
        seconds = time.perf_counter() - self._started
        return Progress(self.report.articles, self.report.mentions, reader.bytes_read, reader.total_bytes, seconds)

    def close(self) -> JobReport:
        self.report.bytes_read = self._reader.bytes_read
        self.report.seconds = time.perf_counter() - self._started
        self.report.skipped = list(self._reader.skipped)
        return self.report


class _GivenArticles:
    """Article objects given in Python, counted like files: their text's UTF-8 bytes."""

    def __init__(self, articles: list[Article]) -> None:
        self._sized = [(article, len(article.text.encode("utf-8"))) for article in articles]
        self.total_bytes: int | None = sum(size for _, size in self._sized)
        self.bytes_read = 0
        self.skipped: list[tuple[str, str]] = []

    def __iter__(self) -> Iterator[Article]:
        for article, size in self._sized:
            self.bytes_read += size
            yield article


def _reader(
    inputs: Iterable[str | Path | Article], *, fmt: str, stdin: BinaryIO | None, on_bad_record: str
) -> ArticleReader | _GivenArticles:
    """Files, folders and "-" are read with ingest; Article objects are taken as they are (not mixed)."""
    given = list(inputs)
    articles = [item for item in given if isinstance(item, Article)]
    if articles and len(articles) == len(given):
        return _GivenArticles(articles)
    if articles:
        msg = "give either paths (files, folders, '-') or Article objects, not both"
        raise InputError(msg)
    return read_articles([str(item) for item in given], fmt=fmt, stdin=stdin, on_bad_record=on_bad_record)


def _geoparser(geoparser: Geoparser | None, gazetteer: Gazetteer | None) -> Geoparser:
    return geoparser if geoparser is not None else Geoparser(gazetteer)


@dataclass(slots=True)
class _Done:
    """One article geoparsed, as a worker sends it back: counts, and its output encoded by each writer."""

    mentions: int
    unresolved: list[str]  # the surface forms left unresolved
    spools: list[Spool]  # per writer, what its ``encode`` made of the article's records
    page: MapDigest | None = None  # what the index map shows of the article (run)


def _geoparsed(
    parser: Geoparser,
    articles: ArticleReader | _GivenArticles,
    writers: Sequence[Writer],
    *,
    jobs: int,
    spans_field: str | None = None,
    page: Callable[[Article, MapDigest], object] | None = None,
    spool_near: str | Path | None = None,
) -> Iterator[_Done]:
    """Each article geoparsed and encoded by every writer, in input order.

    With ``page``, the article's map digest is made too and handed to ``page(article, digest)`` (which
    draws its page). The work runs in ``jobs`` worker processes forked here with the gazetteer and its
    name index loaded (see geomap.parallel), on their copies of the writers; here the pieces are only
    put into the files, in order. With ``jobs`` = 1, or less input than ``jobs`` batches, it all runs
    here (no more workers than batches). An article's output past a few
    megabytes goes through a file in a hidden folder made in ``spool_near`` (the output's folder: the
    same file system; None: the system's temporary folder) and removed at the end (see writers.base.Spool).
    """

    with tempfile.TemporaryDirectory(prefix=".geomap-spool-", dir=spool_near) as spool_folder:

        def work(article: Article) -> _Done:
            mentions = parser.given(article, spans_field=spans_field) if spans_field else parser.mentions(article)
            spools = [Spool(writer.separator, spool_folder) for writer in writers]
            digest = None
            if page is not None:
                from .render import MapDigest

                digest = MapDigest()
                digest.add_article(article_row(article))
            for chunk in _record_chunks(article, mentions):  # an article may have 300,000 mentions
                for spool, writer in zip(spools, writers, strict=True):
                    spool.add(writer.encode(chunk))
                if digest is not None:
                    digest.add(chunk)
            if page is not None:
                page(article, cast(MapDigest, digest))
            for spool in spools:
                spool.close()
            unresolved = [m.text for m in mentions if m.place is None]
            return _Done(len(mentions), unresolved, spools, digest)

        done_in_order = map_in_order(
            work,
            articles,
            jobs=_useful_jobs(jobs, articles.total_bytes),
            setup=parser.gazetteer.reopen,
            weight=_text_length,
            batch=BATCH_CHARACTERS,
        )
        for _, done in done_in_order:
            for writer, spool in zip(writers, done.spools, strict=True):
                writer.put_spool(spool)
            yield done


def _useful_jobs(jobs: int, total_bytes: int | None) -> int:
    """No more workers than the input has batches: a few articles are geoparsed here, with no fork at all."""
    if total_bytes is None:  # standard input: its size is not known
        return jobs
    return max(1, min(jobs, -(-total_bytes // BATCH_CHARACTERS)))


def _text_length(article: Article) -> int:
    return len(article.text)


def _record_chunks(article: Article, mentions: Sequence[Mention]) -> Iterator[list[dict[str, Any]]]:
    """The article's mention records, each joined to the article's row, CHUNK at a time."""
    row = article_row(article)
    for start in range(0, len(mentions), CHUNK):
        yield [m.as_record() | row for m in mentions[start : start + CHUNK]]


def extract(
    inputs: Iterable[str | Path | Article],
    output: str | Path | IO[str] | None = None,
    *,
    fmt: str = "auto",
    spans_field: str | None = None,
    gazetteer: Gazetteer | None = None,
    geoparser: Geoparser | None = None,
    on_bad_record: str = "raise",
    progress: ProgressCallback | None = None,
    stdin: BinaryIO | None = None,
    jobs: int = 1,
) -> JobReport:
    """Mention records of the articles in ``inputs``, written as each article is geoparsed.

    ``output`` is a path, its format by suffix (JSONL, CSV, GeoJSON: see
    :data:`geomap.writers.WRITERS`; written aside and renamed into place at
    the end), or an open text stream for JSONL (standard output by default).
    ``inputs`` are paths (files, folders, ``"-"``) or Article objects. With
    ``spans_field`` the spans each record already marks are resolved instead
    of recognised. The inputs and the output are checked before the
    gazetteer's name index is loaded. ``jobs`` > 1 geoparses in that many
    worker processes; the output is the same, in the same order.
    """
    reader = _reader(inputs, fmt=fmt, stdin=stdin, on_bad_record=on_bad_record)
    factory: type[Writer]
    target: contextlib.AbstractContextManager[IO[str]]
    if output is None or not isinstance(output, (str, os.PathLike)):
        factory, target = JsonlWriter, contextlib.nullcontext(output or sys.stdout)
    else:
        factory = writer_for(output)
        target = atomic_output(output, newline=factory.newline)
    with target as handle:
        parser = _geoparser(geoparser, gazetteer)
        writer = factory(handle, gazetteer=parser.gazetteer)
        tally = _Tally(reader, progress)
        near = Path(output).resolve().parent if isinstance(output, (str, os.PathLike)) else None
        for done in _geoparsed(parser, reader, [writer], jobs=jobs, spans_field=spans_field, spool_near=near):
            tally.add(done)
        writer.close()
    report = tally.close()
    if isinstance(output, (str, os.PathLike)):
        report.outputs.append(Path(output))
    return report


def run(
    inputs: Iterable[str | Path | Article],
    out_dir: str | Path = "maps",
    *,
    fmt: str = "auto",
    offline: bool = False,
    gazetteer: Gazetteer | None = None,
    geoparser: Geoparser | None = None,
    on_bad_record: str = "raise",
    progress: ProgressCallback | None = None,
    stdin: BinaryIO | None = None,
    jobs: int = 1,
    article_layers: int | None = None,
) -> JobReport:
    """The main job: articles in, maps and data out (what ``geomap run`` does).

    ``inputs`` are paths (files, folders, ``"-"``) or Article objects.
    Writes into ``out_dir``: ``index.html`` (every article), ``article.html``
    (any article's map) with each article's data in ``articles/``,
    ``mentions.jsonl`` and ``mentions.geojson``. Each article is geoparsed
    and its records, features and map data written before the next is read;
    the index is drawn at the end from a digest (per place its mentions per
    article; per article and place, for at most ``article_layers`` articles
    (None: geomap.render.ARTICLE_LAYERS), a count and the first few
    mentions), so memory grows with the places mapped, not the mentions. Everything
    is written into a staging folder and swapped in when all of it is there:
    a failure or an interrupt leaves the previous output as it was. ``jobs``
    > 1 geoparses and writes the articles' map data in that many worker processes;
    the output is the same.
    """
    from .render import ARTICLE_LAYERS, MapDigest, write_article_data, write_index, write_viewer
    from .render.files import OLD_OUTPUTS

    reader = _reader(inputs, fmt=fmt, stdin=stdin, on_bad_record=on_bad_record)
    out = Path(out_dir)
    with staged_folder(out, owned=RUN_OUTPUTS + OLD_OUTPUTS) as stage:
        parser = _geoparser(geoparser, gazetteer)
        gaz = parser.gazetteer
        write_viewer(stage, gazetteer=gaz, offline=offline)
        tally = _Tally(reader, progress)
        # what the index shows: the places across the articles, and a few mentions per article and place
        index = MapDigest(article_layers=ARTICLE_LAYERS if article_layers is None else article_layers)
        with (
            (stage / "mentions.jsonl").open("w", encoding="utf-8") as jsonl,
            (stage / "mentions.geojson").open("w", encoding="utf-8") as geojson,
        ):
            records_out, features_out = JsonlWriter(jsonl), GeoJsonWriter(geojson, gazetteer=gaz)

            def draw_page(article: Article, page: MapDigest) -> None:
                write_article_data(stage, page, article_id=article.id, gazetteer=gaz)

            outputs = [records_out, features_out]
            for done in _geoparsed(parser, reader, outputs, jobs=jobs, page=draw_page, spool_near=stage):
                index.update(cast(MapDigest, done.page))
                tally.add(done)
            features_out.close()
        write_index(stage, index, gazetteer=gaz, offline=offline)
    report = tally.close()
    report.outputs = [out / name for name in RUN_OUTPUTS]
    return report


def draw(
    mentions: str | Path,
    out_dir: str | Path = "maps",
    *,
    articles: Iterable[str | Path] = (),
    offline: bool = False,
    gazetteer: Gazetteer | None = None,
    article_layers: int | None = None,
) -> list[Path]:
    """Draw the maps from saved mention records (what ``geomap map`` does); returns the pages written.

    ``articles`` (files or folders) give the titles, dates and links, and the
    articles with no mention; without them the records' own ``article_*``
    fields are used. The records are read one at a time and each article's
    map data written when its records end (a file written by ``run`` or
    ``extract`` keeps an article's records together; one that does not is
    read again and grouped in memory). Past ``article_layers`` articles (None:
    geomap.render.ARTICLE_LAYERS) the index aggregates. The folder is staged
    and swapped in as ``run`` does.
    """
    from .export import iter_mentions
    from .gazetteer import open_gazetteer
    from .render import ARTICLE_LAYERS, PAGE_OUTPUTS, write_index, write_viewer
    from .render.files import OLD_OUTPUTS

    check_output_folder(out_dir)
    iter_mentions(mentions)  # a missing file: the error now, not when the pages are being written
    known: dict[str, dict[str, Any]] = {}
    inputs = list(articles)
    for article in read_articles(inputs) if inputs else ():
        if article.id in known:
            msg = f"article id {article.id!r} appears twice in the articles"
            raise InputError(msg)
        known[article.id] = article_row(article)
    gaz = gazetteer or open_gazetteer()
    limit = ARTICLE_LAYERS if article_layers is None else article_layers
    out = Path(out_dir)
    with staged_folder(out, owned=PAGE_OUTPUTS + OLD_OUTPUTS) as stage:
        viewer = write_viewer(stage, gazetteer=gaz, offline=offline)
        try:
            index, pages = _draw_articles(stage, _article_runs(mentions, ordered=True), known, gaz, limit)
        except _Unordered:
            index, pages = _draw_articles(stage, _article_runs(mentions, ordered=False), known, gaz, limit)
        written = [write_index(stage, index, gazetteer=gaz, offline=offline), viewer, *pages]
    return [out / path.relative_to(stage) for path in written]


class _Unordered(Exception):
    """An article's mention records are not all together in the file."""


def _article_runs(mentions: str | Path, *, ordered: bool) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """(article id, its records in text order) per article of a mention file. ``ordered``: one article's
    records at a time, raising _Unordered if an article's records come back after another's; else the
    whole file grouped in memory."""
    from .export import iter_mentions

    if not ordered:
        grouped: dict[str, list[dict[str, Any]]] = {}
        for record in iter_mentions(mentions):
            grouped.setdefault(str(record["article_id"]), []).append(record)
        for article_id, records in grouped.items():
            yield article_id, sorted(records, key=lambda r: r.get("start") or 0)
        return
    done: set[str] = set()
    current: str | None = None
    records = []
    for record in iter_mentions(mentions):
        article_id = str(record["article_id"])
        if article_id != current:
            if current is not None:
                yield current, records
                done.add(current)
            if article_id in done:
                raise _Unordered
            current, records = article_id, []
        records.append(record)
    if current is not None:
        yield current, records


def _draw_articles(
    stage: Path,
    runs: Iterable[tuple[str, list[dict[str, Any]]]],
    known: Mapping[str, dict[str, Any]],
    gazetteer: Gazetteer,
    article_layers: int,
) -> tuple[MapDigest, list[Path]]:
    """Each article's map data written into ``stage``, those with no records too; the index's digest."""
    from .render import MapDigest, write_article_data

    index = MapDigest(article_layers=article_layers)
    pages = []

    def page_of(article_id: str, records: list[dict[str, Any]]) -> None:
        page = MapDigest()
        page.add_article(known.get(article_id) or (records[0] if records else {"article_id": article_id}))
        page.add(records)
        pages.append(write_article_data(stage, page, article_id=article_id, gazetteer=gazetteer))
        index.update(page)

    seen = set()
    for article_id, records in runs:
        seen.add(article_id)
        page_of(article_id, records)
    for article_id in known:
        if article_id not in seen:
            page_of(article_id, [])
    return index, pages


def export(
    mentions: str | Path,
    output: str | Path,
    *,
    per: str = "mention",
    articles: Iterable[str | Path] = (),
    gazetteer: Gazetteer | None = None,
) -> Path:
    """Saved mention records joined to their articles, as GeoJSON (a feature per mention or per place) or a
    CSV table (``geomap export``). The format goes by the suffix of ``output``."""
    from .export import EXPORT_SUFFIXES, mentions_geojson, read_mentions, write_geojson
    from .gazetteer import open_gazetteer
    from .join import place_summary

    if per not in ("mention", "place"):
        msg = f"per={per!r} is not one of 'mention', 'place'"
        raise ValueError(msg)
    chosen = format_by_suffix(output, EXPORT_SUFFIXES)
    check_output_file(output)
    joined, _ = _joined(read_mentions(mentions), articles)
    if chosen == "csv":
        table = place_summary(joined) if per == "place" else joined
        with atomic_output(output, newline="") as handle:
            table.to_csv(handle, index=False)
    else:
        write_geojson(mentions_geojson(joined, gazetteer=gazetteer or open_gazetteer(), per=per), output)
    return Path(output)


def evaluate(
    gold: str | Path,
    *,
    spans_field: str | None = None,
    gold_field: str = "toponyms",
    predictions: str | Path | None = None,
    gazetteer: Gazetteer | None = None,
    geoparser: Geoparser | None = None,
) -> dict[str, Any]:
    """Score geomap against a gold JSONL corpus (``geomap evaluate``): recognition P/R/F1, accuracy@161 km,
    AUC, per toponym type. With ``spans_field`` the gold spans are resolved instead of recognised;
    ``predictions`` also saves the mention records."""
    from .evaluate import score_mentions
    from .export import write_mentions

    if predictions is not None:
        writer_for(predictions)
        check_output_file(predictions)
    documents = list(read_articles([gold], fmt="jsonl"))
    parser = _geoparser(geoparser, gazetteer)
    records = [
        m.as_record()
        for article in documents
        for m in (parser.given(article, spans_field=spans_field) if spans_field else parser.mentions(article))
    ]
    if predictions is not None:
        write_mentions(records, predictions)
    by_article: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        by_article.setdefault(record["article_id"], []).append(record)
    gold_documents = [{"id": a.id, "text": a.text, gold_field: a.extra.get(gold_field) or []} for a in documents]
    return score_mentions(gold_documents, by_article, gold_field=gold_field).as_dict()


def _joined(
    records: list[dict[str, Any]], article_inputs: Iterable[str | Path]
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Mention records joined to the articles read from ``article_inputs`` (pandas), and the articles' frame."""
    from .join import articles_frame, join_mentions, mentions_frame

    inputs = list(article_inputs)
    frame = articles_frame(read_articles(inputs)) if inputs else None
    return join_mentions(mentions_frame(records), frame), frame
