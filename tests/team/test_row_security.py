"""PostgreSQL: one login per reviewer, and blindness the database enforces.

``annotator db grant`` makes a login for a reviewer; row-level security then lets that
login read only its own annotations, statuses and history, whatever query it sends, unless
its annotator is an adjudicator. ``--as`` must name the login's own reviewer. The logins are
made per test run (roles are shared by the whole server) and dropped afterwards.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url
from team_support import POSTGRES_URL, reset_postgres
from typer.testing import CliRunner

from annotator.cli import app
from annotator.store.errors import DatabaseError
from annotator.store.repository import Repository

pytestmark = pytest.mark.postgres

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SUFFIX = f"{os.getpid()}"
ANA, BEN, ADA = f"ana_{SUFFIX}", f"ben_{SUFFIX}", f"ada_{SUFFIX}"
PASSWORD = "correct horse battery"


def login(name: str) -> str:
    """The test database's URL for the login ``name``."""
    url = make_url(POSTGRES_URL).set(username=name, password=PASSWORD)
    return url.render_as_string(hide_password=False)


def drop_logins(names: list[str]) -> None:
    engine = create_engine(POSTGRES_URL)
    try:
        with engine.begin() as connection:
            database = connection.execute(text("SELECT current_database()")).scalar_one()
            for name in names:
                exists = connection.execute(
                    text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}
                ).first()
                if exists:
                    connection.execute(text(f'REVOKE ALL ON DATABASE "{database}" FROM "{name}"'))
                    connection.execute(text(f'DROP ROLE "{name}"'))
    finally:
        engine.dispose()


@pytest.fixture
def team() -> Iterator[Repository]:
    """The owner's repository: two reviewers' work and an adjudicator, each with a login."""
    reset_postgres(POSTGRES_URL)
    with Repository.open(POSTGRES_URL) as owner:
        from annotator.io.importer import import_paths

        import_paths(owner, [EXAMPLES])
        for name in (ANA, BEN):
            for n in range(3):
                owner.add_span(name, 1, "loaded", "emotive", 10 * n, 10 * n + 5)
            owner.set_segment_label(name, 1, "statement", 0, "vague")
            owner.set_status(name, 1, "done")
        owner.grant(ANA, "annotator", PASSWORD)
        owner.grant(BEN, "annotator", PASSWORD)
        owner.grant(ADA, "adjudicator", PASSWORD)
        yield owner
    reset_postgres(POSTGRES_URL)  # drops the tables and with them the logins' privileges
    drop_logins([ANA, BEN, ADA])


def test_a_reviewer_reads_only_their_own_rows(team: Repository) -> None:
    with Repository.open(login(ANA), create=False) as mine:
        assert mine.account() == ANA
        seen = {a.annotator for a in mine.iter_annotations()}
        assert seen == {ANA}
        assert mine.annotations(1, BEN) == []
        assert set(mine.statuses().get(1, {})) == {ANA}
        assert {e.annotator for e in mine.events()} <= {ANA, ""}
    engine = create_engine(login(ANA))
    try:
        with engine.connect() as connection:  # whatever SQL the login sends
            names = connection.execute(
                text(
                    "SELECT DISTINCT n.name FROM annotations a"
                    " JOIN annotators n ON n.id = a.annotator_id"
                )
            ).scalars()
            assert set(names) == {ANA}
            assert connection.execute(text("SELECT count(*) FROM document_status")).scalar() == 1
    finally:
        engine.dispose()
    assert team.account() is None  # the owner sees everything
    assert {a.annotator for a in team.iter_annotations()} >= {ANA, BEN, "ana", "ben"}


def test_machine_suggestions_are_for_every_reviewer(team: Repository) -> None:
    team.ensure_annotator("rules", "machine")
    team.add_span("rules", 1, "loaded", "fear", 0, 4, origin="suggestion")
    with Repository.open(login(ANA), create=False) as mine:
        assert [(s.annotator, s.label) for s in mine.suggestions(1)] == [("rules", "fear")]
        assert {a.annotator for a in mine.iter_annotations()} == {ANA, "rules"}


def test_an_adjudicator_reads_everyone(team: Repository) -> None:
    with Repository.open(login(ADA), create=False) as adjudicator:
        seen = {a.annotator for a in adjudicator.iter_annotations()}
    assert seen >= {ANA, BEN, "ana", "ben"}


def test_a_reviewer_writes_only_their_own_rows(team: Repository) -> None:
    with Repository.open(login(ANA), create=False) as mine:
        made = mine.add_span(ANA, 1, "loaded", "fear", 0, 4)
        assert made.annotator == ANA
        with pytest.raises(DatabaseError, match="does not let this login"):
            mine.add_span(BEN, 1, "loaded", "fear", 0, 4)
        with pytest.raises(DatabaseError, match="does not let this login"):
            mine.set_status(BEN, 1, "in_progress")
    assert team.status(1, BEN) == "done"


def test_as_must_name_the_login(team: Repository) -> None:
    runner = CliRunner()
    base = ["--db", login(ANA), "annotations", "add", "--doc", "1", "--layer", "loaded"]
    span = ["--label", "fear", "--start", "0", "--end", "4"]
    wrong = runner.invoke(app, [*base, "--as", BEN, *span])
    assert wrong.exit_code == 2
    assert wrong.stderr.startswith(f"error: --as '{BEN}': you are connected")
    assert PASSWORD not in wrong.stderr
    right = runner.invoke(app, [*base, "--as", ANA, *span])
    assert right.exit_code == 0, right.output


def test_a_reviewer_cannot_import_or_grant(team: Repository, tmp_path: Path) -> None:
    runner = CliRunner()
    article = tmp_path / "new.txt"
    article.write_text("A new article. Nobody has it yet.", encoding="utf-8")
    imported = runner.invoke(app, ["--db", login(ANA), "import", str(article)])
    assert imported.exit_code == 2
    assert imported.stderr.count("\n") == 1 and "owner" in imported.stderr
    granted = runner.invoke(app, ["--db", login(ANA), "db", "grant", "eve"])
    assert granted.exit_code == 2 and granted.stderr.startswith("error: ")


def test_grant_again_changes_the_role(team: Repository) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["--db", POSTGRES_URL, "db", "grant", BEN, "--role", "adjudicator"])
    assert result.exit_code == 0, result.output
    assert "is now adjudicator (was annotator)" in result.stdout
    with Repository.open(login(BEN), create=False) as ben:
        assert ANA in {a.annotator for a in ben.iter_annotations()}


def test_a_password_reaches_the_server_only_as_a_scram_verifier(team: Repository) -> None:
    sent: list[str] = []

    def record(
        _conn: object, _cursor: object, statement: str, parameters: object, *_: object
    ) -> None:
        sent.append(f"{statement} {parameters!r}")

    engine = team._engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        team.grant(ANA, "annotator", PASSWORD)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert sent and not [s for s in sent if PASSWORD in s]
    assert [s for s in sent if "SCRAM-SHA-256$4096:" in s]
    with Repository.open(login(ANA), create=False) as mine:  # the password still logs in
        assert mine.account() == ANA


def test_revoke_takes_the_login_away_and_keeps_the_work(team: Repository) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["--db", POSTGRES_URL, "db", "revoke", BEN])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"dropped login '{BEN}'")
    engine = create_engine(POSTGRES_URL)
    try:
        with engine.connect() as connection:
            gone = connection.execute(
                text("SELECT count(*) FROM pg_roles WHERE rolname = :n"), {"n": BEN}
            ).scalar()
    finally:
        engine.dispose()
    assert gone == 0
    with pytest.raises(DatabaseError):
        Repository.open(login(BEN), create=False)
    assert len(team.annotations(1, BEN)) == 4  # three spans and a sentence label stay
    again = runner.invoke(app, ["--db", POSTGRES_URL, "db", "revoke", BEN])
    assert again.exit_code == 2
    assert again.stderr.startswith(f"error: there is no login '{BEN}'")
    own = runner.invoke(app, ["--db", login(ANA), "db", "revoke", ADA])
    assert own.exit_code == 2 and own.stderr.startswith("error: ")
