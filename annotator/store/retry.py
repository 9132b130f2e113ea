"""Running a unit of work again when the database says "busy, try again".

Several reviewers write to one database at once. SQLite queues writers (``BEGIN IMMEDIATE``
with a busy timeout) but can still give up with "database is locked" under a long wait;
PostgreSQL can end a transaction with a serialization failure or a deadlock, and two
transactions that both found a row missing can both insert it, one failing on the unique
rule. None of these is the user's mistake, and each unit of work is one transaction that
rolled back whole, so it is simply run again, after a short randomized wait that grows with
each attempt. After :data:`ATTEMPTS` the error is one line: the database stayed busy and
nothing was changed.
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import exc as sa_exc

T = TypeVar("T")

ATTEMPTS = 8
"""Tries of one unit of work before the user is told the database is busy."""
FIRST_WAIT = 0.01
"""Seconds before the second try; each later wait doubles, up to :data:`LONGEST_WAIT`."""
LONGEST_WAIT = 1.0

POSTGRES_TRANSIENT = {
    "40001",  # serialization_failure
    "40P01",  # deadlock_detected
    "55P03",  # lock_not_available
    "23505",  # unique_violation: a concurrent insert of the same row won; read again
}


def transient(error: sa_exc.DBAPIError) -> bool:
    """Whether ``error`` goes away by running the same transaction again."""
    original = error.orig
    sqlstate = getattr(original, "sqlstate", None)
    if sqlstate is not None:
        return str(sqlstate) in POSTGRES_TRANSIENT
    if isinstance(original, sqlite3.OperationalError):
        message = str(original).lower()
        return "locked" in message or "busy" in message
    return False


def wait(attempt: int) -> float:
    """Seconds to wait after failed try number ``attempt`` (from 1), with jitter."""
    base: float = min(LONGEST_WAIT, FIRST_WAIT * 2 ** (attempt - 1))
    return base * random.uniform(0.5, 1.5)


def run(work: Callable[[], T], *, attempts: int = ATTEMPTS) -> T:
    """``work()``, tried again on a transient error; the last error is raised as is."""
    attempt = 1
    while True:
        try:
            return work()
        except sa_exc.DBAPIError as error:
            if attempt >= attempts or not transient(error):
                raise
            time.sleep(wait(attempt))
            attempt += 1
