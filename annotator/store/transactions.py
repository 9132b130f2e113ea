"""How the repository reads and writes: one short read, or one write transaction retried on a
transient error, and the one-line errors either becomes.

``Transactions`` is the base of every part of :class:`~annotator.store.repository.Repository`
(the parts are mixins of it; that module says why): it holds the engine, the scheme in force
and the locks, and runs the units of work every part is made of.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any, TypeVar

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

from sqlalchemy import Engine
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session

from annotator.core.scheme import Scheme
from annotator.store import queries, retry
from annotator.store.engine import WRITE, display_url, sqlite_file
from annotator.store.errors import DatabaseError, one_line

T = TypeVar("T")


class Transactions:
    """An open database and the units of work run on it; safe to use from several threads.

    Reads run in :meth:`_read` (one short transaction, never holding a write lock); every
    change runs in :meth:`_transact`, committed before it returns.
    """

    url: str
    """Where the data lives, for display (password hidden)."""

    def __init__(self, engine: Engine, scheme: Scheme, scheme_revision: int) -> None:
        self._engine = engine
        self._write_engine = engine.execution_options(**{WRITE: True})
        self._scheme = scheme
        self._scheme_revision = scheme_revision
        self.url = display_url(engine.url)
        self.backend = engine.dialect.name
        """``sqlite`` or ``postgresql``."""
        # One in-memory SQLite connection is shared by every thread (StaticPool): serialize
        # units of work so one thread's transaction never interleaves with another's.
        self._lock: AbstractContextManager[Any] = (
            threading.RLock() if queries.shared_connection(engine) else nullcontext()
        )
        self._account: str | bool | None = False  # False: not looked up yet
        self._writers = WriterQueue(sqlite_file(engine.url))
        self._known = queries.Known()

    @contextmanager
    def _read(self) -> Iterator[Session]:
        with self._lock, Session(self._engine) as session:
            try:
                with session.begin():
                    yield session
            except sa_exc.DBAPIError as exc:
                raise DatabaseError(
                    f"cannot read {self.url}: {one_line(exc.orig)}{damage_hint(exc)}"
                ) from None
            except GARBAGE as exc:
                self._refuse_if_damaged(exc)
                raise

    def _attempt(self, work: Callable[[Session], T]) -> T:
        with (
            self._lock,
            self._writers.turn(),
            Session(self._write_engine, expire_on_commit=False) as session,
            session.begin(),
        ):
            try:
                return work(session)
            except GARBAGE as exc:
                self._refuse_if_damaged(exc)
                raise

    def _refuse_if_damaged(self, error: Exception) -> None:
        """After a read gave something no intact database holds (text that is not UTF-8, a
        row pointing nowhere), say the file is damaged, if SQLite's own check agrees; else
        the error is a bug and goes on as it is."""
        path = sqlite_file(self._engine.url)
        if path is None:
            return
        problem = quick_check(path)
        if problem is not None:
            raise DatabaseError(
                f"cannot read {self.url}: the file is damaged ({problem}; reading it gave"
                f" {type(error).__name__}); `annotator db check` says where, restore a backup"
            ) from None

    def _transact(self, work: Callable[[Session], T]) -> T:
        """Run ``work`` in one write transaction, committed before this returns.

        A transient error (busy, serialization failure, a concurrent insert of the same row)
        rolls the transaction back and runs ``work`` again (see ``annotator.store.retry``);
        what remains is one line, and nothing was changed.
        """
        try:
            return retry.run(lambda: self._attempt(work))
        except sa_exc.IntegrityError as exc:
            raise DatabaseError(
                f"{self.url} refused the change ({one_line(exc.orig)}); nothing was changed"
            ) from None
        except sa_exc.DBAPIError as exc:
            if getattr(exc.orig, "sqlstate", None) == "42501":  # insufficient_privilege
                raise DatabaseError(
                    f"{self.url} does not let this login do that ({one_line(exc.orig)});"
                    " importing, merging and granting logins are for the database's owner;"
                    " nothing was changed"
                ) from None
            if retry.transient(exc):
                raise DatabaseError(
                    f"{self.url} stayed busy with other writers ({one_line(exc.orig)}, tried"
                    f" {retry.ATTEMPTS} times); nothing was changed; try again"
                ) from None
            raise DatabaseError(
                f"cannot write to {self.url}: {one_line(exc.orig)}; nothing was changed"
                f"{damage_hint(exc)}"
            ) from None


class WriterQueue:
    """Writers to one SQLite file take turns in the order the kernel wakes them.

    SQLite makes a writer that finds the file locked sleep and try again, sleeping longer each
    time (up to 100 ms a try): with eight writers an unlucky one waits most of a second while
    the others get in. Holding an exclusive ``flock`` on ``<file>-writer`` for the length of a
    write transaction queues writers in the kernel instead, and the next one is woken the
    moment the file is free. Readers never wait (WAL), and other programs writing the file
    without this lock are still kept apart by SQLite's own locking. Not used for PostgreSQL,
    in-memory databases, or where ``fcntl`` is missing.
    """

    def __init__(self, path: Path | None) -> None:
        self._path = None if path is None else path.with_name(f"{path.name}-writer")

    @contextmanager
    def turn(self) -> Iterator[None]:
        if self._path is None or fcntl is None:
            yield
            return
        try:
            handle = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError:  # a read-only folder: SQLite's own locking still applies
            yield
            return
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield
        finally:
            os.close(handle)  # releases the lock

    def tidy(self) -> None:
        """Remove the lock file when no writer holds or waits for it (on close), so it does not
        outlive the work. A writer that opened it just before keeps a lock on the removed file
        for one transaction; SQLite's own locking still keeps that one apart."""
        if self._path is None or fcntl is None:
            return
        try:
            handle = os.open(self._path, os.O_RDWR)
        except OSError:
            return
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            self._path.unlink(missing_ok=True)
        except OSError:
            pass  # another writer is at work: it stays
        finally:
            os.close(handle)


GARBAGE = (UnicodeDecodeError, ValueError, KeyError, TypeError, IndexError, OverflowError)
"""What reading a damaged file can raise besides the driver's own errors."""


def quick_check(path: Path) -> str | None:
    """SQLite's ``PRAGMA integrity_check`` and ``foreign_key_check`` of the file, read-only:
    None when both pass, else the first problem found. Slow on a large file: only for when
    something already went wrong."""
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except (sqlite3.Error, UnicodeDecodeError) as exc:
        return " ".join(str(exc).split())
    try:
        connection.text_factory = lambda raw: raw.decode("utf-8", "replace")
        rows = connection.execute("PRAGMA integrity_check").fetchall()
        first = str(rows[0][0]) if rows else "no answer"
        if first != "ok":
            return " ".join(first.split())
        dangling = connection.execute("PRAGMA foreign_key_check").fetchone()
        if dangling is not None:
            return f"a row of {dangling[0]} points to a missing row of {dangling[2]}"
        return None
    except (sqlite3.Error, UnicodeDecodeError) as exc:
        return " ".join(str(exc).split())
    finally:
        connection.close()


def damage_hint(error: sa_exc.DBAPIError) -> str:
    """Advice for a SQLite file that is damaged (not for a busy or refused one)."""
    message = str(error.orig).lower()
    if "malformed" in message or "not a database" in message or "corrupt" in message:
        return "; the file is damaged: `annotator db check` says where, restore a backup"
    return ""
