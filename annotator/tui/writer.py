"""The one ordered writer: every change to the store runs here, one at a time, in order.

The UI submits a write and awaits it; until the future resolves the status line says
"saving…". The store commits each mutation before returning, so a write that has returned is
on disk: the UI only says "saved" after that. One thread keeps changes in the order the
reviewer made them (tag, then undo, then redo) without any locking in the store.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


class Writer:
    """A single-thread executor with a count of writes not yet returned."""

    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="annotator-writer")
        self._pending = 0
        self._closed = False

    @property
    def pending(self) -> int:
        """Writes submitted and not yet returned (committed or failed)."""
        return self._pending

    def submit(self, fn: Callable[[], T]) -> asyncio.Future[T]:
        """Queue ``fn`` behind earlier writes; await the returned future for its result.

        Must be called from the event loop. ``pending`` counts the write until it returns.
        """
        if self._closed:
            raise RuntimeError("the writer is closed")
        self._pending += 1
        future = asyncio.wrap_future(self._executor.submit(fn))
        future.add_done_callback(self._returned)
        return future

    def _returned(self, _future: asyncio.Future[T]) -> None:
        self._pending -= 1

    async def settled(self) -> None:
        """Wait until every write submitted so far has returned (a read after it sees them)."""
        if self._pending and not self._closed:
            await self.submit(lambda: None)

    def close(self) -> None:
        """Wait for queued writes to finish, then stop the thread."""
        self._closed = True
        self._executor.shutdown(wait=True)
