"""Which database to open, and an engine configured for it.

A target is a file path (SQLite) or an SQLAlchemy URL (``postgresql+psycopg://...`` for a
team server). SQLite connections run in WAL mode with foreign keys on and a busy timeout, and
write transactions start with ``BEGIN IMMEDIATE`` so two writers queue up instead of failing
halfway through.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, StaticPool, create_engine, event
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import ArgumentError

from annotator.store.errors import DatabaseError

ENV_VAR = "ANNOTATOR_DB"
DEFAULT_FILE = "annotations.db"
BUSY_TIMEOUT_MS = 10_000
WRITE = "annotator_write"
"""Execution option that makes an SQLite transaction start with ``BEGIN IMMEDIATE``."""


def resolve_db_target(cli_value: str | None) -> str:
    """The database to use: ``--db``, else ``$ANNOTATOR_DB``, else ``annotations.db`` here."""
    if cli_value:
        return cli_value
    from_env = os.environ.get(ENV_VAR, "").strip()
    if from_env:
        return from_env
    return str(Path.cwd() / DEFAULT_FILE)


def target_url(target: str) -> URL:
    """The SQLAlchemy URL for a file path or URL; ``postgresql://`` means psycopg 3."""
    if "://" not in target:
        return URL.create("sqlite+pysqlite", database=str(Path(target).expanduser()))
    try:
        url = make_url(target)
    except ArgumentError as exc:
        raise DatabaseError(
            f"cannot read database URL {target!r}: {exc}; use a file path or"
            " postgresql+psycopg://user:password@host/dbname"
        ) from None
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise DatabaseError(
            f"unsupported database {url.get_backend_name()!r} in {url.render_as_string()!r};"
            " use a SQLite file path or postgresql+psycopg://user:password@host/dbname"
        )
    return url


def sqlite_file(url: URL) -> Path | None:
    """The file behind a SQLite URL, or None for other databases and in-memory SQLite."""
    if url.get_backend_name() != "sqlite":
        return None
    database = url.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return None
    return Path(database)


def display_url(url: URL) -> str:
    """How to show a database to a user: a SQLite file by its path, a server URL without its
    password."""
    if url.get_backend_name() == "sqlite":
        path = sqlite_file(url)
        return ":memory:" if path is None else str(path)
    return url.render_as_string(hide_password=True)


SQLITE_HEADER = b"SQLite format 3\x00"


def probe_sqlite(path: Path) -> str:
    """What the file at ``path`` holds, found without changing a byte of it.

    ``"missing"``, ``"empty"`` (0 bytes, or a SQLite database without tables),
    ``"annotator"`` (it has Alembic's version table), ``"foreign"`` (tables of another
    program), ``"not sqlite"`` or ``"damaged: REASON"``. Opening a file through the engine
    would switch it to WAL mode, so this looks first, read-only.
    """
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return "missing"
    except IsADirectoryError:
        return "not sqlite"
    except OSError as exc:
        return f"damaged: {exc.strerror or exc}"
    if not header:
        return "empty"
    if header != SQLITE_HEADER:
        return "not sqlite"
    uri = f"{path.resolve().as_uri()}?mode=ro"
    try:
        connection = sqlite3.connect(uri, uri=True)
    except (sqlite3.Error, UnicodeDecodeError) as exc:
        return f"damaged: {exc}"
    try:
        connection.text_factory = lambda raw: raw.decode("utf-8", "replace")
        names = {
            str(name)
            for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
    except (sqlite3.Error, UnicodeDecodeError) as exc:
        # A damaged schema can make even SQLite's error message undecodable.
        return f"damaged: {exc}"
    finally:
        connection.close()
    if not names:
        return "empty"
    if "alembic_version" in names:
        return "annotator"
    return "foreign"


def check_sqlite_file(path: Path, *, create: bool) -> None:
    """Refuse a file that is not ours (untouched), or, without ``create``, none or an empty
    one."""
    found = probe_sqlite(path)
    if found == "annotator":
        return
    if found == "foreign":
        raise DatabaseError(
            f"{path} holds tables of another program; choose a new file or an empty database"
        )
    if found == "not sqlite":
        raise DatabaseError(
            f"cannot open {path}: file is not a database (not a SQLite file); point --db at an"
            " annotator database or a new file"
        )
    if found.startswith("damaged"):
        raise DatabaseError(
            f"cannot open {path}: the file is {found}; restore a backup (`annotator db"
            " backup` makes one) or point --db at another file"
        )
    if not create:
        if found == "missing":
            raise DatabaseError(
                f"no database at {path}; create one with `annotator init` or `annotator import"
                " PATH`, or point --db at an existing one"
            )
        raise DatabaseError(
            f"{path} is an empty file, not an annotator database; `annotator init` makes it"
            " one, or point --db at an existing database"
        )


def make_engine(url: URL) -> Engine:
    """An engine for ``url`` with the pragmas and transaction handling the store relies on."""
    if url.get_backend_name() == "sqlite":
        path = sqlite_file(url)
        if path is None:
            engine = create_engine(
                url, poolclass=StaticPool, connect_args={"check_same_thread": False}
            )
        else:
            if not path.parent.is_dir():
                raise DatabaseError(
                    f"cannot create database {path}: folder {path.parent} does not exist;"
                    " create it or choose another --db"
                )
            engine = create_engine(url, connect_args={"check_same_thread": False})
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _configure_sqlite(engine: Engine) -> None:
    # pysqlite's own transaction handling begins lazily and cannot begin IMMEDIATE; take it
    # over, as the SQLAlchemy documentation recommends.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA journal_mode = WAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get(WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
