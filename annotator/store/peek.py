"""What ``annotator info`` shows, read with SQLAlchemy Core alone.

Opening the repository imports the ORM and parses the scheme's YAML, which together cost
more than the rest of ``info``. The scheme's name and version are columns of their own, and
counting rows needs no mapped classes, so a database that is already current is described
from a few plain queries. Anything else (a missing, older, foreign or broken database)
returns None and the caller opens the repository the usual way, with its checks and messages.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from annotator.store.engine import display_url, make_engine, probe_sqlite, sqlite_file, target_url
from annotator.store.errors import DatabaseError
from annotator.store.migrate import is_current

COUNTED = ("documents", "segments", "annotators", "annotations", "events")
"""The tables ``info`` counts, in the order it prints them."""


@dataclass(frozen=True, slots=True)
class Peek:
    url: str
    scheme_name: str
    scheme_version: int
    scheme_revision: int
    counts: dict[str, int]


def peek(target: str) -> Peek | None:
    """The database's scheme and row counts, or None when it needs a full open."""
    url = target_url(target)
    path = sqlite_file(url)
    if path is not None and (not path.is_file() or probe_sqlite(path) != "annotator"):
        return None  # the full open refuses it, without switching a foreign file to WAL
    try:
        engine = make_engine(url)
    except DatabaseError:
        return None
    try:
        with engine.connect() as connection:
            if not is_current(connection):
                return None
            latest = connection.execute(
                text("SELECT name, version, revision FROM schemes ORDER BY revision DESC LIMIT 1")
            ).first()
            if latest is None:
                return None
            counts = {
                table: int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
                for table in COUNTED
            }
            connection.rollback()
    except SQLAlchemyError:
        return None
    finally:
        engine.dispose()
    return Peek(
        url=display_url(url),
        scheme_name=str(latest[0]),
        scheme_version=int(latest[1]),
        scheme_revision=int(latest[2]),
        counts=counts,
    )
