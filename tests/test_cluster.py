"""Dask: on a distributed.LocalCluster of two worker processes, the same records as one process writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from geomap import job
from geomap.cli import cli
from geomap.errors import InputError
from geomap.gazetteer import Gazetteer
from geomap.models import article_row
from geomap.pipeline import Geoparser

distributed = pytest.importorskip("distributed", reason="Dask's distributed scheduler is not installed")
dask_bag = pytest.importorskip("dask.bag")

SEED_DIR = Path(__file__).resolve().parents[1] / "seeds"
CITIES = ["Kyiv", "Sudzha", "Moscow", "Paris", "Berlin", "Lyon", "Odesa", "Kharkiv", "Alpha City", "Southport"]


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    )
    with cluster, distributed.Client(cluster) as client:
        yield client


def _inputs(folder: Path, files: int = 4, per_file: int = 30) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for f in range(files):
        with (folder / f"news_{f}.jsonl").open("w", encoding="utf-8") as handle:
            for i in range(per_file):
                n = f * per_file + i
                text = f"Shelling in {CITIES[n % 10]} and {CITIES[(n + 3) % 10]}. Talks in Geneva. Nowhere{n} Town."
                handle.write(json.dumps({"id": f"f{f}-{i}", "title": f"Story {n}", "text": text}) + "\n")
    return folder


def _parts(folder: Path, suffix: str = ".jsonl") -> list[Path]:
    return sorted(folder.glob(f"part-*{suffix}"))


def test_parts_on_two_workers_read_as_the_single_process_output(gazetteer: Gazetteer, client, tmp_path) -> None:
    from geomap.cluster import extract_partitioned

    inputs = [SEED_DIR, _inputs(tmp_path / "in")]
    single = tmp_path / "single.jsonl"
    one = job.extract(inputs, single, geoparser=Geoparser(gazetteer))
    with distributed.get_task_stream(client) as tasks:
        report = extract_partitioned(inputs, tmp_path / "parts", scheduler=client, gazetteer=gazetteer.path)
    parts = _parts(tmp_path / "parts")
    assert [p.name for p in parts] == [f"part-{i:05d}.jsonl" for i in range(5)]  # the seed dump and 4 files
    assert b"".join(p.read_bytes() for p in parts) == single.read_bytes()
    assert (report.articles, report.mentions, report.unresolved) == (one.articles, one.mentions, one.unresolved)
    assert report.articles == 122 and sum(report.unresolved.values()) == 0
    assert len({task["worker"] for task in tasks.data}) == 2  # both workers took files


def test_the_command_line_runs_on_a_scheduler_address(gazetteer: Gazetteer, client, tmp_path, monkeypatch) -> None:
    _inputs(tmp_path / "in", files=3)
    monkeypatch.chdir(tmp_path)  # relative paths here; the workers' working folder is another
    inputs, out = ["in"], Path("parts")
    (out / "part-00007.csv").parent.mkdir(parents=True)
    (out / "part-00007.csv").write_text("an earlier run's part\n")  # replaced: parts of two runs never mix
    (out / "notes.txt").write_text("mine\n")  # left alone
    args = ["extract", *inputs, "--dask", client.scheduler.address, "--part-format", "csv", "-o", str(out)]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "wrote 3 part files" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt", "part-00000.csv", "part-00001.csv", "part-00002.csv"]
    single = tmp_path / "single.csv"
    report = job.extract(inputs, single, geoparser=Geoparser(gazetteer))
    assert f"{report.mentions} mentions in 90 articles" in result.stderr
    header, *rows = single.read_text(encoding="utf-8").splitlines(keepends=True)
    parts = [p.read_text(encoding="utf-8").splitlines(keepends=True) for p in _parts(out, ".csv")]
    assert all(part[0] == header for part in parts)
    assert [row for part in parts for row in part[1:]] == rows


def test_a_shipped_gazetteer_is_opened_from_each_workers_own_folder(
    tiny_gazetteer: Gazetteer, client, tmp_path
) -> None:
    from geomap.cluster import extract_partitioned

    inputs = [_inputs(tmp_path / "in", files=2, per_file=10)]
    copy = tmp_path / "elsewhere" / "tiny-gazetteer.sqlite"  # a file the workers do not open in place
    copy.parent.mkdir()
    copy.write_bytes(tiny_gazetteer.path.read_bytes())
    report = extract_partitioned(inputs, tmp_path / "parts", scheduler=client, gazetteer=copy, ship_gazetteer=True)
    single = tmp_path / "single.jsonl"
    job.extract(inputs, single, geoparser=Geoparser(tiny_gazetteer))
    assert b"".join(p.read_bytes() for p in _parts(tmp_path / "parts")) == single.read_bytes()
    names = {json.loads(line)["name"] for line in single.read_text(encoding="utf-8").splitlines()}
    assert {"Alpha City", "Southport"} <= names and report.articles == 20  # the tiny gazetteer's places
    shipped = client.run(lambda dask_worker: sorted(p.name for p in Path(dask_worker.local_directory).iterdir()))
    assert all("tiny-gazetteer.sqlite" in found for found in shipped.values())


def test_a_bag_of_articles_gives_a_bag_of_records(gazetteer: Gazetteer, client, tmp_path) -> None:
    from geomap.cluster import mentions_bag

    folder = _inputs(tmp_path / "in", files=3, per_file=20)
    records = dask_bag.read_text(str(folder / "*.jsonl")).map(json.loads)
    found = mentions_bag(records, gazetteer=gazetteer.path).compute(scheduler=client)
    parser = Geoparser(gazetteer)
    expected = [
        mention.as_record() | article_row(article)
        for article in job.read_articles([folder])
        for mention in parser.mentions(article)
    ]
    assert found == expected and len(found) > 150


def test_a_worker_without_the_gazetteer_says_so(client, tmp_path, tiny_gazetteer: Gazetteer) -> None:
    from geomap.cluster import extract_partitioned, mentions_bag

    with pytest.raises(InputError, match=r"standard input \('-'\) cannot be split among workers"):
        extract_partitioned(["-"], tmp_path / "parts", scheduler=client, gazetteer=tiny_gazetteer.path)
    gone = tmp_path / "gone.sqlite"
    gone.write_bytes(tiny_gazetteer.path.read_bytes())
    bag = mentions_bag(dask_bag.from_sequence([{"id": "a", "text": "Alpha City"}]), gazetteer=gone)
    gone.unlink()  # opened here, then gone before the workers look
    with pytest.raises(InputError, match=r"gazetteer .*gone.sqlite' is not on this worker"):
        bag.compute(scheduler=client)
