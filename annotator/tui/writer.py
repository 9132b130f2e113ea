"""The one ordered writer: every change to the store runs here, one at a time, in order.

A screen submits a write from the event loop (so the order is the order of the keys pressed)
and a worker waits for it; until the write returns the status line says "saving…". The store
commits each change before returning, so a write that has returned is on disk: the UI only
says "saved" after that. One thread keeps changes in the order the reviewer made them (tag,
then undo, then redo) without any locking in the store.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


class Writer:
    """A single-thread executor with a count of writes not yet returned."""

    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="annotator-writer")
        self._pending = 0
        self._lock = threading.Lock()
        self._closed = False

    @property
    def pending(self) -> int:
        """Writes submitted and not yet returned (committed or failed)."""
        return self._pending

    def submit(self, fn: Callable[[], T]) -> Future[T]:
        """Queue ``fn`` behind earlier writes; ``pending`` counts it until it returns.

        Call it where the reviewer's action happens (the event loop), so that writes keep
        the order of the actions; wait for the returned future anywhere.
        """
        if self._closed:
            raise RuntimeError("the writer is closed")
        with self._lock:
            self._pending += 1

        def run() -> T:
            try:
                return fn()
            finally:
                # Before the future resolves: whoever sees the result sees the count without it.
                with self._lock:
                    self._pending -= 1

        return self._executor.submit(run)

    def settle(self) -> None:
        """Block until every write submitted so far has returned (a read after it sees them).

        For worker threads; a closed writer has nothing left to wait for.
        """
        if self._pending and not self._closed:
            self.submit(lambda: None).result()

    def close(self) -> None:
        """Wait for queued writes to finish, then stop the thread."""
        self._closed = True
        self._executor.shutdown(wait=True)
