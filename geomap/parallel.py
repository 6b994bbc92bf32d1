"""All cores: the same per-article work in worker processes, results in input order.

The workers are forked after the gazetteer and its name index are loaded, so
they share those pages with the parent instead of loading their own; each
opens its own SQLite connection (a connection must not cross a fork). Work
goes out in batches and at most a few batches per worker are in flight, so
memory stays bounded however long the input is; results come back in the
order the items went in (each with its item), so the output is the same whatever the number of
workers. The pool is the standard library's ProcessPoolExecutor: a worker
that dies makes the job fail (BrokenProcessPool), never hang.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import Any, TypeVar

__all__ = ["available_cores", "map_in_order"]

T = TypeVar("T")
R = TypeVar("R")

#: How much work (in units of ``weight``: items, unless told) a worker gets at a time. Each batch costs a
#: round trip through the pool's threads and pipes, about a millisecond: batches of one small article each
#: made two workers 1.5 times one instead of 1.75.
BATCH = 16
#: Batches in flight per worker: the next is ready when one finishes, and memory stays bounded.
IN_FLIGHT_PER_WORKER = 3

# What the forked workers run: set in the parent just before the fork, inherited, never pickled.
_work: Callable[[Any], Any] | None = None
_setup: Callable[[], None] | None = None


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity where the system tells it)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def map_in_order(
    work: Callable[[T], R],
    items: Iterable[T],
    *,
    jobs: int = 1,
    setup: Callable[[], None] | None = None,
    weight: Callable[[T], int] | None = None,
    batch: int = BATCH,
) -> Iterator[tuple[T, R]]:
    """Each item with ``work(item)``, in order; with ``jobs`` > 1 worked in that many forked processes.

    ``work`` and ``setup`` (run once in each worker as it starts: reopen what
    must not cross a fork) are inherited by the workers, not pickled: they may
    be closures over loaded state. Items go out in batches of about ``batch``
    units of ``weight`` (1 per item when None): a huge item goes alone, small
    ones together. Items and results are pickled. An exception
    in a worker is raised here; so is the failure of a worker that died.
    Needs the ``fork`` start method (Linux, macOS): elsewhere, or with
    ``jobs`` <= 1, the work runs in this process.
    """
    if jobs <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for item in items:
            yield item, work(item)
        return
    global _work, _setup
    _work, _setup = work, setup
    # What is loaded now (the name index's caches, the parser) goes to a generation the collector does not
    # walk: the workers would otherwise touch, and so copy, every inherited object at each full collection.
    gc.freeze()
    pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"), initializer=_start_worker)
    pending: deque[tuple[list[T], Future[list[Any]]]] = deque()
    others = set(multiprocessing.active_children())
    workers: set[multiprocessing.process.BaseProcess] = set()
    finished = False
    try:
        for chunk in _batches(items, weight, batch):
            pending.append((chunk, pool.submit(_run_batch, chunk)))
            workers = workers or set(multiprocessing.active_children()) - others  # forked at the first submit
            if len(pending) >= jobs * IN_FLIGHT_PER_WORKER:
                yield from _paired(pending.popleft())
        while pending:
            yield from _paired(pending.popleft())
        finished = True
    finally:
        _work = _setup = None
        gc.unfreeze()
        if not finished:  # an error, an interrupt or a consumer that stopped early: the work is not wanted
            for worker in workers:
                worker.terminate()
        # the pool's own thread notices, reaps the workers and ends; waiting for it leaves no child behind
        pool.shutdown(wait=True, cancel_futures=True)


def _batches(items: Iterable[T], weight: Callable[[T], int] | None, batch: int) -> Iterator[list[T]]:
    if weight is None:
        source = iter(items)
        while chunk := list(islice(source, batch)):
            yield chunk
        return
    chunk, total = [], 0
    for item in items:
        chunk.append(item)
        total += weight(item)
        if total >= batch:
            yield chunk
            chunk, total = [], 0
    if chunk:
        yield chunk


def _paired(done: tuple[list[T], Future[list[Any]]]) -> Iterator[tuple[T, Any]]:
    chunk, future = done
    return zip(chunk, future.result(), strict=True)


def _start_worker() -> None:
    # The parent decides what an interrupt or a stop means; a worker just goes when it is told.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if _setup is not None:
        _setup()


def _run_batch(chunk: list[Any]) -> list[Any]:
    assert _work is not None, "ordered_map's work is set before the workers fork"
    return [_work(item) for item in chunk]
