"""The jobs behind extract and run: streaming, all-or-nothing outputs, checks before work, progress."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from geomap import job
from geomap._io import STAGING_PREFIX
from geomap.errors import InputError, OutputError
from geomap.gazetteer import Gazetteer
from geomap.pipeline import Geoparser
from geomap.render import article_slug

SEED_DIR = Path(__file__).resolve().parents[1] / "seeds"


@pytest.fixture(scope="module")
def parser(gazetteer: Gazetteer) -> Geoparser:
    return Geoparser(gazetteer)


def _corpus(path: Path, count: int, *, prefix: str = "a") -> Path:
    cities = ["Kyiv", "Sudzha", "Moscow", "Paris", "Berlin", "Lyon", "Odesa", "Kharkiv"]
    with path.open("w", encoding="utf-8") as handle:
        for i in range(count):
            text = f"Shelling in {cities[i % 8]} and {cities[(i + 3) % 8]}. Talks in Geneva."
            handle.write(json.dumps({"id": f"{prefix}{i}", "title": f"Story {i}", "text": text}) + "\n")
    return path


class _Watching:
    """A geoparser that records, before each article, what the job has already written."""

    def __init__(self, parser: Geoparser, look) -> None:
        self._parser = parser
        self.gazetteer = parser.gazetteer
        self.seen: list = []
        self._look = look

    def mentions(self, article):
        self.seen.append(self._look())
        return self._parser.mentions(article)

    def given(self, article, *, spans_field):
        self.seen.append(self._look())
        return self._parser.given(article, spans_field=spans_field)


def test_run_writes_maps_and_data(parser: Geoparser, tmp_path: Path) -> None:
    out = tmp_path / "maps"
    report = job.run([SEED_DIR], out, offline=True, geoparser=parser)
    assert (report.articles, report.skipped) == (2, [])
    assert sorted(p.name for p in out.iterdir()) == sorted(job.RUN_OUTPUTS)
    records = [json.loads(line) for line in (out / "mentions.jsonl").read_text(encoding="utf-8").splitlines()]
    features = json.loads((out / "mentions.geojson").read_text(encoding="utf-8"))["features"]
    assert len(records) == len(features) == report.mentions > 40
    assert features[0]["properties"]["article_title"].startswith("Putin visits Kursk region")
    assert {p.name for p in (out / "articles").iterdir()} == {
        f"{article_slug(a)}.js" for a in ("000_db247c232c80904f-1", "000_db247c232c80904f-2")
    }


def test_run_streams_article_by_article(parser: Geoparser, tmp_path: Path) -> None:
    out = tmp_path / "maps"

    def pages_so_far():
        stages = list(out.glob(f"{STAGING_PREFIX}*"))
        return len(list((stages[0] / "articles").glob("*.js"))) if stages else None

    watching = _Watching(parser, pages_so_far)
    job.run([_corpus(tmp_path / "c.jsonl", 5)], out, offline=True, geoparser=watching)
    assert watching.seen == [0, 1, 2, 3, 4]  # each article's map data is written before the next is read


def test_extract_streams_records_article_by_article(parser: Geoparser, tmp_path: Path) -> None:
    stream = io.StringIO()
    watching = _Watching(
        parser, lambda: len({json.loads(line)["article_id"] for line in stream.getvalue().splitlines()})
    )
    report = job.extract([_corpus(tmp_path / "c.jsonl", 4)], stream, geoparser=watching)
    assert watching.seen == [0, 1, 2, 3] and report.articles == 4


def test_a_failing_run_leaves_the_previous_maps(parser: Geoparser, tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "maps"
    job.run([_corpus(tmp_path / "ten.jsonl", 10)], out, offline=True, geoparser=parser)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    calls = []

    def full_disk(article):
        calls.append(article.id)
        if len(calls) == 3:
            raise OSError(28, "No space left on device", str(out / "articles" / "x.html"))
        return parser.mentions(article)

    monkeypatch.setattr(parser, "mentions", full_disk)
    with pytest.raises(OSError, match="No space left"):
        job.run([_corpus(tmp_path / "other.jsonl", 10, prefix="b")], out, offline=True, geoparser=parser)
    monkeypatch.undo()
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before  # byte for byte, and no staging folder left


def test_a_smaller_run_leaves_no_stale_pages(parser: Geoparser, tmp_path: Path) -> None:
    out = tmp_path / "maps"
    job.run([_corpus(tmp_path / "ten.jsonl", 10)], out, offline=True, geoparser=parser)
    (out / "assets").mkdir()  # what earlier versions wrote beside their article pages
    (out / "assets" / "geomap.js").write_text("old")
    (out / "notes.txt").write_text("mine")
    job.run([_corpus(tmp_path / "two.jsonl", 2, prefix="z")], out, offline=True, geoparser=parser)
    assert sorted(p.name for p in (out / "articles").iterdir()) == sorted(
        f"{article_slug(f'z{i}')}.js" for i in range(2)
    )
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "#a0-" not in index and "Story 9" not in index
    assert sorted(p.name for p in out.iterdir()) == sorted([*job.RUN_OUTPUTS, "notes.txt"])  # assets/ gone


def test_bad_output_fails_before_any_geoparsing(tmp_path: Path) -> None:
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")

    class Untouchable:
        def __getattr__(self, name):
            raise AssertionError("the geoparser was used before the output was checked")

    with pytest.raises(OutputError, match="is a file, not a folder"):
        job.run([SEED_DIR], blocker / "maps", geoparser=Untouchable())
    with pytest.raises(InputError, match=r"cannot tell the output format of .*'\.txt'"):
        job.extract([SEED_DIR], tmp_path / "mentions.txt", geoparser=Untouchable())
    with pytest.raises(OutputError, match="is a file, not a folder"):
        job.extract([SEED_DIR], blocker / "m.jsonl", geoparser=Untouchable())
    with pytest.raises(InputError, match="does not exist"):
        job.run([tmp_path / "missing.jsonl"], tmp_path / "maps", geoparser=Untouchable())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt"]


def test_no_articles_writes_nothing(parser: Geoparser, tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n", encoding="utf-8")
    with pytest.raises(InputError, match="no articles found"):
        job.run([empty], tmp_path / "maps", geoparser=parser)
    with pytest.raises(InputError, match="no articles found"):
        job.extract([empty], tmp_path / "m.jsonl", geoparser=parser)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.jsonl"]


def test_progress_is_told_after_every_article(parser: Geoparser, tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "c.jsonl", 6)
    told: list[job.Progress] = []
    report = job.extract([corpus], io.StringIO(), geoparser=parser, progress=told.append)
    assert [p.articles for p in told] == [1, 2, 3, 4, 5, 6]
    assert told[-1].mentions == report.mentions and told[-1].total_bytes == corpus.stat().st_size
    assert told[-1].bytes_read == corpus.stat().st_size and told[-1].seconds > 0
    assert [p.bytes_read for p in told] == sorted(p.bytes_read for p in told)


def test_resolve_given_spans_streams_too(parser: Geoparser, tmp_path: Path) -> None:
    source = tmp_path / "gold.jsonl"
    source.write_text(
        json.dumps({"id": "g", "text": "Talks in Geneva.", "toponyms": [{"start": 9, "end": 15}]}) + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "resolved.csv"
    report = job.extract([source], out, spans_field="toponyms", geoparser=parser)
    assert report.mentions == 1 and out.read_text(encoding="utf-8").startswith("article_id,start,end")


def test_extract_writes_any_registered_format(parser: Geoparser, tmp_path: Path, monkeypatch) -> None:
    """GeoJSON straight from extract; and a toy writer (one place name per line) is one registry entry."""
    from geomap.writers import WRITERS
    from geomap.writers.base import PieceWriter

    features = json.loads(job_extract_to(parser, tmp_path / "m.geojson").read_text(encoding="utf-8"))["features"]
    assert features and features[0]["properties"]["article_title"].startswith("Putin visits Kursk region")

    class PlaceNames(PieceWriter):
        def encode(self, records):
            return [f"{record['name']}\t{record['article_title']}\n" for record in records]

        def close(self) -> None:
            self._handle.write("# end\n")

    monkeypatch.setitem(WRITERS, ".names", PlaceNames)
    lines = job_extract_to(parser, tmp_path / "m.names").read_text(encoding="utf-8").splitlines()
    assert (
        lines[-1] == "# end" and "Sudzha\tPutin visits Kursk region for first time since Ukraine attacked it" in lines
    )


def job_extract_to(parser: Geoparser, path: Path) -> Path:
    job.extract([SEED_DIR], path, geoparser=parser)
    return path


def test_article_objects_go_in_as_they_are(parser: Geoparser, tmp_path: Path) -> None:
    from geomap.models import Article

    articles = [Article(id="a", text="Shelling in Kyiv."), Article(id="b", text="Talks in Geneva.")]
    report = job.extract(articles, tmp_path / "m.jsonl", geoparser=parser)
    assert (report.articles, report.bytes_read) == (2, len("Shelling in Kyiv.Talks in Geneva."))
    with pytest.raises(InputError, match=r"either paths .* or Article objects, not both"):
        job.extract([articles[0], SEED_DIR], tmp_path / "n.jsonl", geoparser=parser)
    with pytest.raises(InputError, match="no articles"):
        job.run([], tmp_path / "maps", geoparser=parser)


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches of a few short articles, so that both workers get many (the default is some 50 news articles)."""
    monkeypatch.setattr(job, "BATCH_CHARACTERS", 300)


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".geojson"])
def test_extract_with_workers_writes_the_same_bytes(
    parser: Geoparser, tmp_path: Path, suffix: str, small_batches: None
) -> None:
    inputs = [SEED_DIR, _corpus(tmp_path / "c.jsonl", 300)]
    one = job.extract(inputs, tmp_path / f"one{suffix}", geoparser=parser, jobs=1)
    two = job.extract(inputs, tmp_path / f"two{suffix}", geoparser=parser, jobs=2)
    assert (tmp_path / f"one{suffix}").read_bytes() == (tmp_path / f"two{suffix}").read_bytes()
    assert (
        (one.articles, one.mentions, one.unresolved)
        == (two.articles, two.mentions, two.unresolved)
        == (
            302,
            one.mentions,
            one.unresolved,
        )
    )
    assert one.mentions > 900


def test_run_with_workers_writes_the_same_folder(parser: Geoparser, tmp_path: Path, small_batches: None) -> None:
    inputs = [SEED_DIR, _corpus(tmp_path / "c.jsonl", 120)]
    job.run(inputs, tmp_path / "one", offline=True, geoparser=parser, jobs=1)
    report = job.run(inputs, tmp_path / "two", offline=True, geoparser=parser, jobs=2)
    one, two = _files(tmp_path / "one"), _files(tmp_path / "two")
    assert one.keys() == two.keys() and len(one) == 122 + 4  # the articles' data, two pages, two data files
    assert [name for name in one if one[name] != two[name]] == []
    assert report.articles == 122


def test_resolving_given_spans_with_workers_is_the_same_too(
    parser: Geoparser, tmp_path: Path, small_batches: None
) -> None:
    text = "Shelling in Kyiv and Sudzha. Talks in Geneva."
    lines = [
        {"id": f"g{i}", "text": text, "spans": [{"start": 12, "end": 16}, {"start": 21, "end": 27}]} for i in range(50)
    ]
    source = tmp_path / "given.jsonl"
    source.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    for jobs in (1, 2):
        job.extract([source], tmp_path / f"r{jobs}.jsonl", spans_field="spans", geoparser=parser, jobs=jobs)
    assert (tmp_path / "r1.jsonl").read_bytes() == (tmp_path / "r2.jsonl").read_bytes()
    assert len((tmp_path / "r2.jsonl").read_text(encoding="utf-8").splitlines()) == 100


def test_an_error_in_a_worker_fails_the_job_and_writes_nothing(
    parser: Geoparser, tmp_path: Path, small_batches: None
) -> None:
    source = tmp_path / "given.jsonl"
    good = [{"id": f"g{i}", "text": "Talks in Geneva.", "spans": [{"start": 9, "end": 15}]} for i in range(40)]
    bad = {"id": "bad", "text": "Talks in Geneva.", "spans": [{"start": 9, "end": 99}]}
    source.write_text("".join(json.dumps(line) + "\n" for line in [*good, bad]), encoding="utf-8")
    with pytest.raises(InputError, match="span 9-99 lies outside the text"):
        job.extract([source], tmp_path / "out.jsonl", spans_field="spans", geoparser=parser, jobs=2)
    assert not (tmp_path / "out.jsonl").exists()


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".geojson"])
def test_long_articles_go_through_spool_files_and_leave_none(
    parser: Geoparser, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    from geomap.writers import base

    inputs = [SEED_DIR, _corpus(tmp_path / "c.jsonl", 40)]
    job.extract(inputs, tmp_path / f"plain{suffix}", geoparser=parser, jobs=1)
    monkeypatch.setattr(base, "SPOOL_CHARACTERS", 500)  # every article's output past 500 characters: a file
    made: list[str] = []
    real_flush = base.Spool._flush

    def flush(spool: base.Spool) -> None:
        real_flush(spool)
        made.append(str(spool.path))

    monkeypatch.setattr(base.Spool, "_flush", flush)
    for jobs in (1, 2):
        job.extract(inputs, tmp_path / f"spooled{jobs}{suffix}", geoparser=parser, jobs=jobs)
        expected = (tmp_path / f"plain{suffix}").read_bytes()
        assert (tmp_path / f"spooled{jobs}{suffix}").read_bytes() == expected
    assert made  # in this process (jobs=1); the workers' spools are theirs
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["c.jsonl", f"plain{suffix}", f"spooled1{suffix}", f"spooled2{suffix}"]
    )


def test_a_small_input_is_geoparsed_here_without_workers(parser: Geoparser, tmp_path: Path) -> None:
    import os

    class Where(Geoparser):
        def __init__(self) -> None:
            super().__init__(parser.gazetteer, recogniser=parser.recogniser, resolver=parser.resolver)
            self.pids: set[int] = set()

        def mentions(self, article):
            self.pids.add(os.getpid())  # in a worker, the worker's copy records it, not this one
            return super().mentions(article)

    here = Where()
    job.extract([SEED_DIR], tmp_path / "m.jsonl", geoparser=here, jobs=8)  # two articles: one batch
    assert here.pids == {os.getpid()}
    big = Where()
    job.extract([_corpus(tmp_path / "c.jsonl", 4000)], tmp_path / "n.jsonl", geoparser=big, jobs=2)
    assert big.pids == set()  # some 250 KB: two batches and more, in the workers
