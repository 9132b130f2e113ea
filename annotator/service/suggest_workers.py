"""Suggesters run in worker processes, for a run over a large corpus on several cores.

The rules are pure functions of a document's text, so a batch of documents can be suggested
for in other processes while the main one holds the database. Each worker builds its own
suggester once, from a picklable recipe (say ``functools.partial(Suggester, scheme,
lexicons)``: a built suggester does not survive pickling), and sends back plain tuples. The
results are those of running inline: the same suggester on the same texts, in the same order.

Processes are started with ``spawn`` (the parent holds database connections, which a forked
child must not inherit), and this module imports nothing heavy, so a worker starts with the
suggesters alone.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

__all__ = ["PARALLEL_DOCUMENTS", "Plain", "Proposal", "SuggestPool", "Suggests", "default_workers"]

PARALLEL_DOCUMENTS = 500
"""Below this many documents worker processes cost more (their start) than they save."""


class Proposal(Protocol):
    """What a run needs of a suggestion (``annotator.suggest.Suggestion`` is one)."""

    @property
    def layer(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def rule(self) -> str: ...

    def annotation_attrs(self) -> dict[str, Any]:
        """The attrs to store: attribute spans, ``rule`` and ``confidence``."""
        ...


class Found(Protocol):
    """What a suggester returns for one document."""

    @property
    def suggestions(self) -> Sequence[Proposal]: ...


class Suggests(Protocol):
    """A suggester (``annotator.suggest.Suggester`` is one)."""

    def suggest(self, text: str, segments: Sequence[tuple[int, int]] | None = None) -> Found: ...


Plain = tuple[str, str, int, int, str, dict[str, Any]]
"""A suggestion as plain values: layer, label, start, end, rule, attrs to store."""

_suggester: Suggests | None = None
"""The suggester of this worker process, built by ``_start``."""


def plain(item: Proposal) -> Plain:
    return (item.layer, item.label, item.start, item.end, item.rule, item.annotation_attrs())


def _start(make: Callable[[], Suggests]) -> None:
    global _suggester
    _suggester = make()


def _suggest(document: tuple[str, Sequence[tuple[int, int]]]) -> list[Plain]:
    assert _suggester is not None, "worker started without its suggester"
    return [plain(item) for item in _suggester.suggest(*document).suggestions]


def default_workers(documents: int) -> int:
    """Worker processes for ``documents`` documents: none for a small run or a single core,
    else one per core (at most four)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if documents < PARALLEL_DOCUMENTS or not cores or cores < 2:
        return 0
    return min(cores, 4)


class SuggestPool:
    """``make()``'s suggester over batches of documents, in ``workers`` processes or inline
    (``workers`` 0). ``make`` is called here once either way, so a recipe that cannot work
    (a lexicon that does not fit the scheme) fails before any worker starts."""

    def __init__(self, make: Callable[[], Suggests], workers: int) -> None:
        self._inline = make()
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None
        if workers > 0:
            # Here, not at the top: the annotate screen imports this module, and needs no pool.
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            self._pool = ProcessPoolExecutor(
                max_workers=workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start,
                initargs=(make,),
            )

    def suggest(
        self, documents: Sequence[tuple[str, Sequence[tuple[int, int]]]]
    ) -> list[list[Plain]]:
        """The suggestions for each ``(text, sentences)``, in order."""
        if self._pool is None:
            return [
                [plain(item) for item in self._inline.suggest(*doc).suggestions]
                for doc in documents
            ]
        chunk = max(1, len(documents) // (self.workers * 4))
        return list(self._pool.map(_suggest, documents, chunksize=chunk))

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> SuggestPool:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
