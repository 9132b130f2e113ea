"""A database made by the 0.1.0 release upgrades in place, after a backup, and keeps its work.

``tests/data/release-0.1.0/release-0.1.0.db`` was written by that release (its README says
how): the sample articles, ana's and ben's annotations, and carla's, two of which are the
same span (that release stored exact duplicates). The upgrade keeps every annotation but the
second copy, says so, keeps that copy in the events log, and leaves a backup of the file as it
was.
"""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from typer.testing import CliRunner

from annotator.cli import app
from annotator.store.engine import make_engine, target_url
from annotator.store.health import check_database
from annotator.store.migrate import current_revision, head_revision
from annotator.store.repository import Repository

RELEASE = Path(__file__).parent.parent / "data" / "release-0.1.0" / "release-0.1.0.db"
ROWS = (
    'SELECT a.id, n.name, a.layer, a.label, a.start, a."end", a.attrs, a.document_id'
    " FROM annotations a JOIN annotators n ON n.id = a.annotator_id ORDER BY a.id"
)


def _rows(path: Path, query: str = ROWS) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute(query).fetchall()
    finally:
        connection.close()


def test_the_release_database_upgrades_in_place_after_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "team.db"
    shutil.copy(RELEASE, path)
    before = _rows(path)
    statuses = _rows(path, "SELECT * FROM document_status ORDER BY 1, 2")
    assert len(before) == 208

    with Repository.open(str(path), create=False) as repo:
        notes = repo.upgrade_notes
        kept = {a.id for a in repo.iter_annotations()}
        dedupe = [e for e in repo.events() if e.action == "dedupe"]

    backup = tmp_path / "team.db.bak-0001"
    assert notes[0].endswith(f"the file as it was is kept as {backup}")
    assert any("removed 1 duplicate span" in line for line in notes)
    assert any(line.strip().startswith("annotation 207: carla loaded/emotive") for line in notes)
    assert _rows(backup) == before  # the backup is the release's file, row for row
    assert kept == {row[0] for row in before} - {207}
    assert [row for row in _rows(path) if row[0] != 207] == [r for r in before if r[0] != 207]
    assert _rows(path, "SELECT * FROM document_status ORDER BY 1, 2") == statuses
    assert [e.before["id"] for e in dedupe if e.before] == [207]
    assert check_database(str(path))[1] == []

    with Repository.open(str(path), create=False) as repo:  # opening again changes nothing
        assert repo.upgrade_notes == ()


def test_the_command_that_upgrades_tells_what_it_did(tmp_path: Path) -> None:
    path = tmp_path / "team.db"
    shutil.copy(RELEASE, path)
    result = CliRunner().invoke(app, ["--db", str(path), "docs", "list"])
    assert result.exit_code == 0, result.output
    assert "upgraded" in result.stderr and "annotation 207" in result.stderr
    assert "riverton-bridge" in result.stdout


def test_two_labels_of_one_sentence_keep_the_later(tmp_path: Path) -> None:
    """Two programs racing on a 0.1.0 database could both label one sentence."""
    shutil.copy(RELEASE, tmp_path / "release.db")  # at revision 0001
    connection = sqlite3.connect(tmp_path / "release.db")
    try:
        start, end = connection.execute(
            'SELECT start, "end" FROM segments WHERE document_id = 1 AND "index" = 0'
        ).fetchone()
        ana = connection.execute("SELECT id FROM annotators WHERE name = 'ana'").fetchone()[0]
        old = datetime(2027, 1, 1, tzinfo=UTC).isoformat(" ")
        new = datetime(2027, 2, 1, tzinfo=UTC).isoformat(" ")
        for label, moment in (("vague", new), ("editorial", old)):
            connection.execute(
                'INSERT INTO annotations (document_id, annotator_id, layer, label, start, "end",'
                " attrs, origin, created_at, updated_at) VALUES (1, ?, 'statement', ?, ?, ?,"
                " '{}', 'manual', ?, ?)",
                (ana, label, start, end, moment, moment),
            )
        connection.commit()
    finally:
        connection.close()
    with Repository.open(str(tmp_path / "release.db"), create=False) as repo:
        labels = [a.label for a in repo.annotations(1, "ana", "statement") if a.start == start]
        notes = repo.upgrade_notes
    assert labels == ["vague"]  # changed last; ana's label from the release is older still
    assert any("label(s) of one annotator on one sentence" in line for line in notes)
    engine = make_engine(target_url(str(tmp_path / "release.db")))
    with engine.connect() as conn:
        assert current_revision(conn) == head_revision()
    engine.dispose()
