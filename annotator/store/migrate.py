"""Create or upgrade a database with the Alembic migrations in ``db/``.

There is no ``alembic.ini``: the configuration is built here, pointing at
``annotator.resources.migrations_dir()``, and the open connection is handed to ``db/env.py``.
Before an existing SQLite file is upgraded it is copied with SQLite's online backup API to
``<file>.bak-<revision>``, so a failed or unwanted upgrade can be undone by copying it back.

Opening a database that is already at the newest revision, the common case, costs one query
and no Alembic import (which would take longer than the rest of the open): the newest
revision is :data:`HEAD_REVISION`, and a test checks it against the migration files.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import Connection

from annotator.resources import migrations_dir
from annotator.store.engine import WRITE, display_url, sqlite_file
from annotator.store.errors import DatabaseError, one_line

if TYPE_CHECKING:
    from alembic.config import Config

HEAD_REVISION = "0003"
"""The newest revision in ``db/versions``; a new migration moves it (a test says when)."""
VERSION_TABLE = "alembic_version"
NOTES = "annotator_notes"
"""Config attribute in which a migration leaves lines for the user (say, what it removed)."""
UPGRADE_LOCK = 7_240_001
"""PostgreSQL advisory lock key held while one program upgrades the database."""


def alembic_config(script_location: Path | None = None) -> Config:
    """An Alembic configuration for our migrations (or those in ``script_location``)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(script_location or migrations_dir()))
    return config


def head_revision(script_location: Path | None = None) -> str:
    """The newest revision the migrations know."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config(script_location)).get_current_head()
    if head is None:
        raise DatabaseError(f"no migrations found in {script_location or migrations_dir()}")
    return str(head)


def current_revision(connection: Connection) -> str | None:
    """The revision the database is at, or None for a database without our tables."""
    from alembic.runtime.migration import MigrationContext

    revision = MigrationContext.configure(connection).get_current_revision()
    return None if revision is None else str(revision)


def backup_sqlite(path: Path, revision: str) -> Path:
    """Copy a SQLite file to ``<file>.bak-<revision>`` (``.bak-<revision>.N`` if taken).

    Uses the sqlite3 backup API, which copies a consistent snapshot even while the database
    is open and in WAL mode (a plain file copy could miss pages still in the ``-wal`` file).
    """
    target = path.with_name(f"{path.name}.bak-{revision}")
    n = 1
    while target.exists():
        target = path.with_name(f"{path.name}.bak-{revision}.{n}")
        n += 1
    source = sqlite3.connect(path)
    try:
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
        finally:
            destination.close()
    finally:
        source.close()
    return target


def is_current(connection: Connection) -> bool:
    """Whether the database is at :data:`HEAD_REVISION`, read with one plain query."""
    if not inspect(connection).has_table(VERSION_TABLE):
        return False
    rows = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).all()
    return [tuple(row) for row in rows] == [(HEAD_REVISION,)]


def _known(revision: str, script_location: Path | None) -> bool:
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    scripts = ScriptDirectory.from_config(alembic_config(script_location))
    try:
        return scripts.get_revision(revision) is not None
    except CommandError:
        return False


def upgrade_database(
    engine: Engine, script_location: Path | None = None, notes: list[str] | None = None
) -> Path | None:
    """Bring the database to the newest revision; returns the backup made, if any.

    A new (empty) database is created from scratch. A database at the newest revision is
    left untouched. A database with tables but no revision is not ours and is refused. What
    the migrations report for the user (duplicates they resolved, say) is appended to
    ``notes``. Two programs opening an old database at once upgrade it once: the second waits
    for the first's write lock, then finds the database at the newest revision.
    """
    if script_location is None:
        with engine.connect() as connection:
            current = is_current(connection)
            connection.rollback()
        if current:
            return None
    from alembic import command

    head = head_revision(script_location)
    with engine.connect() as connection:
        revision = current_revision(connection)
        tables = set(inspect(connection).get_table_names())
        connection.rollback()
    if revision == head:
        return None
    if revision is None and tables - {"alembic_version"}:
        raise DatabaseError(
            f"{display_url(engine.url)} holds tables of another"
            f" program ({', '.join(sorted(tables)[:5])}); choose a new file or an empty database"
        )
    if revision is not None and not _known(revision, script_location):
        raise DatabaseError(
            f"{display_url(engine.url)} was last written by a newer annotator (database"
            f" revision {revision}, this one knows up to {head}); upgrade annotator to open it"
        )
    backup = None
    path = sqlite_file(engine.url)
    if revision is not None and path is not None:
        backup = backup_sqlite(path, revision)
    config = alembic_config(script_location)
    with engine.connect().execution_options(**{WRITE: True}) as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": UPGRADE_LOCK})
        if current_revision(connection) == head:  # another program upgraded it meanwhile
            connection.rollback()
            return backup
        config.attributes["connection"] = connection
        try:
            command.upgrade(config, "head")
        except Exception as exc:
            where = f"; the file before the upgrade is kept as {backup}" if backup else ""
            raise DatabaseError(
                f"cannot upgrade {display_url(engine.url)}"
                f" from {revision or 'an empty database'}: {one_line(exc)}{where}"
            ) from exc
        connection.commit()
    if notes is not None:
        notes.extend(config.attributes.get(NOTES, []))
    return backup
