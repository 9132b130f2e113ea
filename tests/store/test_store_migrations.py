"""Creating, upgrading and backing up databases; the engine's pragmas and target resolution."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import event, inspect

from annotator.resources import migrations_dir
from annotator.store.engine import (
    WRITE,
    display_url,
    make_engine,
    resolve_db_target,
    target_url,
)
from annotator.store.errors import DatabaseError
from annotator.store.migrate import (
    HEAD_REVISION,
    alembic_config,
    backup_sqlite,
    current_revision,
    head_revision,
    is_current,
    upgrade_database,
)
from annotator.store.models import Base
from annotator.store.repository import Repository

TABLES = {
    "alembic_version",
    "annotations",
    "annotators",
    "decisions",
    "document_status",
    "documents",
    "events",
    "schemes",
    "segments",
}

LATER_REVISION = '''"""A later revision, for testing the upgrade path."""

import sqlalchemy as sa
from alembic import op

revision = "9001"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("probe", sa.Column("id", sa.Integer(), primary_key=True))


def downgrade() -> None:
    op.drop_table("probe")
'''


def test_new_database_is_created_at_head(target: str) -> None:
    engine = make_engine(target_url(target))
    try:
        assert upgrade_database(engine) is None
        with engine.connect() as connection:
            assert current_revision(connection) == head_revision()
            assert set(inspect(connection).get_table_names()) == TABLES
    finally:
        engine.dispose()


def test_the_head_revision_constant_names_the_newest_migration() -> None:
    # Opening a current database compares with HEAD_REVISION instead of asking Alembic; a new
    # migration in db/versions must move it.
    assert head_revision() == HEAD_REVISION


def test_is_current_reads_the_version_table(tmp_path: Path) -> None:
    path = tmp_path / "annotations.db"
    engine = make_engine(target_url(str(path)))
    try:
        with engine.connect() as connection:
            assert not is_current(connection)  # no tables yet
        upgrade_database(engine)
        with engine.connect() as connection:
            assert is_current(connection)
    finally:
        engine.dispose()
    connection = sqlite3.connect(path)
    connection.execute("UPDATE alembic_version SET version_num = '0000'")
    connection.commit()
    connection.close()
    engine = make_engine(target_url(str(path)))
    try:
        with engine.connect() as connection:
            assert not is_current(connection)
    finally:
        engine.dispose()


def test_models_and_migrations_agree(target: str) -> None:
    engine = make_engine(target_url(target))
    try:
        upgrade_database(engine)
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


def test_downgrade_to_base_and_back(target: str) -> None:
    engine = make_engine(target_url(target))
    try:
        upgrade_database(engine)
        config = alembic_config()
        with engine.connect() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "base")
            connection.commit()
            assert set(inspect(connection).get_table_names()) <= {"alembic_version"}
        upgrade_database(engine)
        with engine.connect() as connection:
            assert set(inspect(connection).get_table_names()) == TABLES
    finally:
        engine.dispose()


def test_reopening_is_a_no_op(tmp_path: Path) -> None:
    path = tmp_path / "annotations.db"
    Repository.open(str(path)).close()
    Repository.open(str(path)).close()
    assert sorted(p.name for p in tmp_path.iterdir() if ".bak" in p.name) == []
    engine = make_engine(target_url(str(path)))
    try:
        assert upgrade_database(engine) is None
    finally:
        engine.dispose()


def test_upgrade_of_an_older_file_backs_it_up_first(tmp_path: Path) -> None:
    path = tmp_path / "annotations.db"
    with Repository.open(str(path)) as repo:
        repo.ensure_annotator("alice")
    scripts = tmp_path / "migrations"
    shutil.copytree(migrations_dir(), scripts, ignore=shutil.ignore_patterns("__pycache__"))
    head = head_revision()
    probe = LATER_REVISION.replace("{head}", head)
    (scripts / "versions" / "9001_probe.py").write_text(probe, encoding="utf-8")

    engine = make_engine(target_url(str(path)))
    try:
        backup = upgrade_database(engine, scripts)
        assert backup == tmp_path / f"annotations.db.bak-{head}"
        with engine.connect() as connection:
            assert current_revision(connection) == "9001"
            assert "probe" in inspect(connection).get_table_names()
        assert upgrade_database(engine, scripts) is None
    finally:
        engine.dispose()

    saved = sqlite3.connect(backup)
    try:
        assert saved.execute("SELECT version_num FROM alembic_version").fetchall() == [(head,)]
        assert saved.execute("SELECT name FROM annotators").fetchall() == [("alice",)]
    finally:
        saved.close()


def test_backup_copies_committed_data_and_never_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "annotations.db"
    with Repository.open(str(path)) as repo:
        repo.ensure_annotator("bob")
        first = backup_sqlite(path, "0001")
        second = backup_sqlite(path, "0001")
    assert first.name == "annotations.db.bak-0001"
    assert second.name == "annotations.db.bak-0001.1"
    for copy in (first, second):
        connection = sqlite3.connect(copy)
        try:
            assert connection.execute("SELECT name FROM annotators").fetchall() == [("bob",)]
        finally:
            connection.close()


def test_a_database_of_another_program_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    connection.commit()
    connection.close()
    with pytest.raises(DatabaseError, match="tables of another program"):
        Repository.open(str(path))
    connection = sqlite3.connect(path)
    try:
        tables = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        assert tables.fetchall() == [("invoices",)]
    finally:
        connection.close()


def test_a_database_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "annotations.db"
    Repository.open(str(path)).close()
    connection = sqlite3.connect(path)
    connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.commit()
    connection.close()
    with pytest.raises(DatabaseError, match=r"newer annotator.*revision 9999"):
        Repository.open(str(path))
    assert not list(tmp_path.glob("*.bak-*"))


def test_an_unreachable_server_is_one_clear_line() -> None:
    with pytest.raises(DatabaseError) as caught:
        Repository.open("postgresql+psycopg://nobody:secret@127.0.0.1:9/none?connect_timeout=2")
    message = str(caught.value)
    assert message.startswith("cannot open postgresql+psycopg://nobody:***@127.0.0.1:9/none")
    assert "\n" not in message and "secret" not in message


def test_sqlite_pragmas(tmp_path: Path) -> None:
    engine = make_engine(target_url(str(tmp_path / "p.db")))
    try:
        with engine.connect() as connection:
            pragma = connection.exec_driver_sql
            assert pragma("PRAGMA journal_mode").scalar() == "wal"
            assert pragma("PRAGMA foreign_keys").scalar() == 1
            assert pragma("PRAGMA busy_timeout").scalar() >= 1000
    finally:
        engine.dispose()


def test_sqlite_writes_begin_immediate_and_reads_deferred(tmp_path: Path) -> None:
    engine = make_engine(target_url(str(tmp_path / "t.db")))
    seen: list[str] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _record(_conn: object, _cursor: object, statement: str, *_rest: object) -> None:
        if statement.startswith("BEGIN"):
            seen.append(statement)

    try:
        with engine.connect() as connection, connection.begin():
            connection.exec_driver_sql("SELECT 1")
        with engine.execution_options(**{WRITE: True}).begin() as connection:
            connection.exec_driver_sql("SELECT 1")
    finally:
        engine.dispose()
    assert seen == ["BEGIN", "BEGIN IMMEDIATE"]


def test_missing_folder_is_one_clear_line(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="does not exist"):
        Repository.open(str(tmp_path / "nowhere" / "a.db"))


def test_resolve_db_target(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ANNOTATOR_DB", raising=False)
    assert resolve_db_target(None) == str(tmp_path / "annotations.db")
    monkeypatch.setenv("ANNOTATOR_DB", "team.db")
    assert resolve_db_target(None) == "team.db"
    assert resolve_db_target("mine.db") == "mine.db"


def test_target_urls() -> None:
    assert target_url("a/b.db").get_backend_name() == "sqlite"
    assert target_url("postgresql://u:p@h/db").drivername == "postgresql+psycopg"
    assert target_url("postgresql+psycopg://u:p@h/db").drivername == "postgresql+psycopg"
    shown = display_url(target_url("postgresql+psycopg://u:secret@h/db"))
    assert "secret" not in shown and "h/db" in shown
    with pytest.raises(DatabaseError, match="unsupported database"):
        target_url("mysql://u:p@h/db")
