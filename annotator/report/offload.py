"""Heavy agreement computations in worker processes, for large corpora on several cores.

A report on ten thousand articles spends most of its time in two places: the bootstrap of
alpha (a thousand recomputations over every sentence) and alpha_U and span F1 for each
document. Both are pure functions of plain data, so they can run in other processes while the
main one reads the database. The results are identical to running them inline: the same
engine functions on the same inputs, collected in the same order.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")

PARALLEL_DOCUMENTS = 2000
"""Below this many documents worker processes cost more than they save."""


def default_workers(documents: int) -> int:
    """Worker processes for a report on ``documents`` documents: none for a small corpus or a
    single core, else one per core (at most four)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if documents < PARALLEL_DOCUMENTS or not cores or cores < 2:
        return 0
    return min(cores, 4)


class Offload:
    """Submit pure functions to ``workers`` processes, or run them inline when ``workers`` is 0.

    Processes are started with ``spawn``: the parent holds database connections, which a
    forked child must not inherit.
    """

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool = (
            ProcessPoolExecutor(
                max_workers=workers, mp_context=multiprocessing.get_context("spawn")
            )
            if workers > 0
            else None
        )

    def submit(self, fn: Callable[..., T], *args: Any) -> Future[T]:
        if self._pool is not None:
            return self._pool.submit(fn, *args)
        future: Future[T] = Future()
        try:
            future.set_result(fn(*args))
        except BaseException as exc:  # the caller sees it from future.result(), as with a pool
            future.set_exception(exc)
        return future

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> Offload:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
