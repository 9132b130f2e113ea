"""What every screen of a session shares: the session itself, and how a failed worker is told.

Screens read and write in thread workers (``@work(thread=True, group=...)``) that post a
message with what they found; the screen handles the message on the UI thread. A worker that
raises ends up here, in one place: one line for the reviewer (the store's errors are written
for people), then :meth:`SessionScreen.recover` redraws from what the store really holds.
"""

from __future__ import annotations

from textual import on
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from annotator.store.errors import StoreError, one_line
from annotator.tui.session import Session

WRITE_GROUP = "write"
"""Workers of this group change data; a failure there means a change was not saved."""


class SessionScreen(Screen[None]):
    """A screen working for one reviewer on one database."""

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        if event.state != WorkerState.ERROR:
            return
        error = event.worker.error
        if error is not None and error is self.session.failure:
            # The store never opened: nothing on screen can work. The launcher prints the
            # error as one line after the app has closed.
            self.app.exit(return_code=2)
            return
        if isinstance(error, StoreError):
            message = one_line(error)
        else:
            message = f"Unexpected error: {type(error).__name__}: {one_line(error)}"
            self.log.error(repr(error))
        # Only writes change data; a failed read saved nothing and lost nothing.
        title = "Not saved" if event.worker.group == WRITE_GROUP else "Could not load"
        self.notify(message, title=title, severity="error", markup=False)
        self.recover()

    def recover(self) -> None:
        """Show what the store holds after a worker failed (nothing to do by default)."""
