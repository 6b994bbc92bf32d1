"""map_in_order: every item's result, in order, whatever the number of workers; failures surface, never hang."""

from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures.process import BrokenProcessPool

import pytest

from geomap.parallel import _batches, available_cores, map_in_order


def _new_children(before: set[multiprocessing.process.BaseProcess]) -> set[multiprocessing.process.BaseProcess]:
    return set(multiprocessing.active_children()) - before


def test_results_come_in_input_order_from_workers_that_inherit_unpicklable_state() -> None:
    before = set(multiprocessing.active_children())  # a test before may have left some going
    lock = threading.Lock()  # cannot be pickled: the work is inherited by the fork, not sent

    def work(n: int) -> tuple[int, int]:
        with lock:
            return n * n, os.getpid()

    done = list(map_in_order(work, range(500), jobs=2, batch=3))
    assert [item for item, _ in done] == list(range(500))
    assert [square for _, (square, _) in done] == [n * n for n in range(500)]
    assert len({pid for _, (_, pid) in done}) == 2 and os.getpid() not in {pid for _, (_, pid) in done}
    assert _new_children(before) == set()  # the workers are gone


def test_one_job_runs_here() -> None:
    done = list(map_in_order(lambda n: os.getpid(), range(5), jobs=1))
    assert done == [(n, os.getpid()) for n in range(5)]


def test_each_worker_runs_setup_first() -> None:
    opened: list[int] = []

    def setup() -> None:
        opened.append(os.getpid())  # in the worker's copy of the list

    done = list(map_in_order(lambda n: list(opened), range(40), jobs=2, setup=setup, batch=1))
    assert all(len(seen) == 1 and seen[0] != os.getpid() for _, seen in done)


def test_an_error_in_a_worker_is_raised_here_and_the_workers_stop() -> None:
    before = set(multiprocessing.active_children())  # a test before may have left some going

    def work(n: int) -> int:
        if n == 57:
            raise ValueError(f"bad item {n}")
        return n

    with pytest.raises(ValueError, match="bad item 57"):
        list(map_in_order(work, range(10_000), jobs=2, batch=4))
    assert _new_children(before) == set()


def test_a_worker_that_dies_fails_the_job_instead_of_hanging() -> None:
    before = set(multiprocessing.active_children())  # a test before may have left some going

    def work(n: int) -> int:
        if n == 30:
            os._exit(9)  # killed, out of memory, a crash in C
        return n

    with pytest.raises(BrokenProcessPool):
        list(map_in_order(work, range(1000), jobs=2, batch=2))
    assert _new_children(before) == set()


def test_a_consumer_that_stops_early_stops_the_workers() -> None:
    before = set(multiprocessing.active_children())  # a test before may have left some going
    results = map_in_order(lambda n: n, iter(range(10**9)), jobs=2, batch=8)  # endless, in effect
    assert [next(results) for _ in range(100)][-1] == (99, 99)
    results.close()
    assert _new_children(before) == set()


def test_a_batch_closes_when_it_reaches_the_weight() -> None:
    sizes = [1, 2, 3, 50, 1, 1, 1, 1, 1, 200, 4]
    assert list(_batches(sizes, lambda n: n, 10)) == [[1, 2, 3, 50], [1, 1, 1, 1, 1, 200], [4]]
    assert list(_batches(range(7), None, 3)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert available_cores() >= 1
