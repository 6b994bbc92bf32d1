"""Beyond one machine: the same per-article work on Dask, one partition per input file.

Two ways in:

- :func:`extract_partitioned` (``geomap extract INPUT... --dask SCHEDULER -o
  FOLDER``): a dask.bag of the input files, one partition each; every task
  reads its file with geomap's own readers, geoparses it and writes
  ``part-NNNNN.jsonl`` (or .csv, .geojson) into the output folder, which must
  be reachable from the workers (a local cluster, a shared file system). The
  parts, read in name order, are what ``geomap extract`` writes for the same
  inputs in one process.
- :func:`mentions_bag`: a dask.bag of articles (Article objects or JSON-like
  records with ``id`` and ``text``) in, a bag of mention records out, for
  pipelines that go on in Dask (``.to_dataframe()``, ``.to_textfiles()``).

Every worker opens the gazetteer file itself, read-only, once per process:
the file at ``gazetteer`` (the same path on every machine: a shared file
system, or a copy put there), or, with ``ship_gazetteer=True``, a copy Dask's
UploadFile plugin sends to each worker's local directory. Workers never build
a gazetteer: a missing or outdated file is an error that says so.
"""

from __future__ import annotations

import os
import threading
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._io import check_output_folder, staged_folder
from .errors import InputError
from .gazetteer import Gazetteer, default_gazetteer_path, open_gazetteer
from .ingest import input_files
from .job import JobReport
from .models import Article, article_row
from .readers.records import article_from_record
from .writers import WRITERS

if TYPE_CHECKING:
    import dask.bag

__all__ = ["PART_PREFIX", "extract_partitioned", "mentions_bag", "part_name"]

#: Parts are named part-00000.jsonl, part-00001.jsonl, ...: in name order, in input order.
PART_PREFIX = "part-"


def part_name(index: int, suffix: str) -> str:
    return f"{PART_PREFIX}{index:05d}{suffix}"


def extract_partitioned(
    inputs: Iterable[str | Path],
    out_dir: str | Path,
    *,
    scheduler: Any = None,
    suffix: str = ".jsonl",
    fmt: str = "auto",
    spans_field: str | None = None,
    on_bad_record: str = "raise",
    gazetteer: str | Path | None = None,
    ship_gazetteer: bool = False,
) -> JobReport:
    """Mention records of every input file, one part file each, computed on Dask.

    ``scheduler`` is a ``distributed.Client``, a scheduler address
    (``tcp://host:8786``), the name of one of Dask's local schedulers
    (``"processes"``, ``"threads"``, ``"synchronous"``), or None (Dask's
    default). ``gazetteer`` is the file the workers open (default: this
    installation's cache, built here first if need be). The folder is written
    aside and swapped in whole, replacing the parts of an earlier run.
    """
    if suffix not in WRITERS:
        msg = f"cannot write parts as {suffix!r}: use one of {', '.join(WRITERS)}"
        raise InputError(msg)
    files = input_files(inputs)
    check_output_folder(out_dir)
    path = _gazetteer_path(gazetteer)
    out = Path(out_dir)
    names = [part_name(i, suffix) for i in range(len(files))]
    earlier = [p.name for p in out.glob(f"{PART_PREFIX}*")] if out.is_dir() else []
    with _client(scheduler, ship=path if ship_gazetteer else None) as (compute_options, shipped):
        import dask.bag

        with staged_folder(out, owned=sorted({*earlier, *names})) as stage:
            # absolute paths: a worker's working folder need not be this one
            tasks = [
                (str(file.resolve()), str(stage.resolve() / name)) for file, name in zip(files, names, strict=True)
            ]
            bag = dask.bag.from_sequence(tasks, npartitions=len(tasks))
            options = {"fmt": fmt, "spans_field": spans_field, "on_bad_record": on_bad_record}
            done = bag.map(_extract_file, gazetteer=str(path), shipped=shipped, **options).compute(**compute_options)
    report = JobReport(unresolved=Counter())
    for part in done:
        report.articles += part.articles
        report.mentions += part.mentions
        report.bytes_read += part.bytes_read
        report.unresolved.update(part.unresolved)
        report.skipped.extend(part.skipped)
    report.outputs = [out / name for name in names]
    return report


def mentions_bag(
    articles: dask.bag.Bag,
    *,
    gazetteer: str | Path | None = None,
    shipped: bool = False,
    spans_field: str | None = None,
) -> dask.bag.Bag:
    """A bag of mention records (each joined to its article's row) from a bag of articles.

    Items are Article objects or JSON-like records (``id``, ``text``, and the
    optional fields of the input contract). ``shipped``: the gazetteer was
    sent to the workers with Dask's UploadFile plugin (see the module's notes).
    """
    path = str(_gazetteer_path(gazetteer))
    return articles.map_partitions(_records_of_partition, gazetteer=path, shipped=shipped, spans_field=spans_field)


# --- on the workers ----------------------------------------------------------------


def _extract_file(task: tuple[str, str], *, gazetteer: str, shipped: bool, **options: Any) -> JobReport:
    from .job import extract

    source, target = task
    return extract([source], target, geoparser=_geoparser(_worker_path(gazetteer, shipped)), jobs=1, **options)


def _records_of_partition(
    items: Iterable[Any], *, gazetteer: str, shipped: bool, spans_field: str | None
) -> list[dict[str, Any]]:
    """A partition's mention records: a list (a partition's result is sent as it is; a generator cannot be)."""
    parser = _geoparser(_worker_path(gazetteer, shipped))
    records: list[dict[str, Any]] = []
    for n, item in enumerate(items):
        article = item if isinstance(item, Article) else article_from_record(item, where=f"item {n}")
        found = parser.given(article, spans_field=spans_field) if spans_field else parser.mentions(article)
        row = article_row(article)
        records.extend(mention.as_record() | row for mention in found)
    return records


def _worker_path(gazetteer: str, shipped: bool) -> str:
    if not shipped:
        return gazetteer
    from distributed import get_worker

    return os.path.join(get_worker().local_directory, os.path.basename(gazetteer))


_local = threading.local()


def _geoparser(path: str) -> Any:
    """One Geoparser per worker thread and gazetteer file, opened read-only (never built here).

    Per thread, not per process: a worker may run tasks in several threads, and a geoparser's caches and
    SQLite connection are its own.
    """
    from .pipeline import Geoparser

    parsers = _local.__dict__.setdefault("parsers", {})
    if path not in parsers:
        if not os.path.exists(path):
            msg = f"the gazetteer {path!r} is not on this worker: put it there, or ship it (ship_gazetteer=True)"
            raise InputError(msg)
        parsers[path] = Geoparser(Gazetteer(path))
    return parsers[path]


# --- on the client -----------------------------------------------------------------


def _gazetteer_path(gazetteer: str | Path | None) -> Path:
    if gazetteer is not None:
        Gazetteer(gazetteer).close()  # readable and complete, or a clear error now rather than on every worker
        return Path(gazetteer).resolve()
    open_gazetteer().close()  # built here first if need be
    return default_gazetteer_path().resolve()


class _client:
    """(compute options, whether the gazetteer was shipped) for a scheduler given as a client,
    an address or a local scheduler's name; a client made here is closed at the end."""

    def __init__(self, scheduler: Any, *, ship: Path | None) -> None:
        self._scheduler = scheduler
        self._ship = ship
        self._made: Any = None

    def __enter__(self) -> tuple[dict[str, Any], bool]:
        scheduler = self._scheduler
        if isinstance(scheduler, str) and "://" in scheduler:
            from distributed import Client

            scheduler = self._made = Client(scheduler, set_as_default=False)
        if scheduler is None or isinstance(scheduler, str):
            if self._ship is not None:
                msg = "shipping the gazetteer needs a distributed scheduler (an address or a Client)"
                raise InputError(msg)
            return ({"scheduler": scheduler} if scheduler else {}), False
        if self._ship is not None:
            from distributed.diagnostics.plugin import UploadFile

            scheduler.register_plugin(UploadFile(str(self._ship), load=False))
        return {"scheduler": scheduler}, self._ship is not None

    def __exit__(self, *exc: object) -> None:
        if self._made is not None:
            self._made.close()
