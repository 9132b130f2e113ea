"""``annotator db merge | backup | check | grant`` on SQLite files (PostgreSQL: tests/team)."""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

from cli_support import Cli, digest, one_error_line

from annotator.store.repository import Repository

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _exported(cli: Cli, db: Path) -> list[dict[str, object]]:
    result = cli("--db", str(db), "export", db=False)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def _offline_copy(cli: Cli) -> tuple[Path, Path]:
    """The team's database, and a reviewer's copy that went on working offline."""
    assert cli("import", str(EXAMPLES)).exit_code == 0
    laptop = cli.folder / "laptop.db"
    assert cli("--db", str(laptop), "import", str(EXAMPLES), db=False).exit_code == 0
    other = cli.write("extra.txt", "Extra Article\n\nA new article. Written offline.")
    assert cli("--db", str(laptop), "import", str(other), db=False).exit_code == 0
    work = [
        ["--doc", "extra", "--layer", "statement", "--label", "vague", "--segment", "1"],
        [
            "--doc",
            "kessen-ferry",
            "--layer",
            "loaded",
            "--label",
            "fear",
            "--start",
            "0",
            "--end",
            "6",
        ],
        ["--doc", "kessen-ferry", "--layer", "statement", "--label", "editorial", "--segment", "1"],
    ]
    for args in work:
        added = cli("--db", str(laptop), "annotations", "add", "--as", "dora", *args, db=False)
        assert added.exit_code == 0, added.output
    # the same sentence ana labelled differently on the laptop: a conflict
    clash = [
        "--doc",
        "kessen-ferry",
        "--layer",
        "statement",
        "--label",
        "editorial",
        "--segment",
        "2",
    ]
    assert cli("--db", str(laptop), "annotations", "add", "--as", "ana", *clash, db=False)
    return cli.db, laptop


def test_merge_adds_what_the_other_holds_and_lists_conflicts(cli: Cli) -> None:
    team, laptop = _offline_copy(cli)
    untouched = digest(laptop)
    result = cli("db", "merge", str(laptop))
    assert result.exit_code == 0, result.output
    assert "1 document added, 4 already here" in result.stdout
    assert "2 conflicts left as they are here" in result.stdout
    assert "ana is in_progress there and done here" in result.stdout
    assert "ana's statement" in result.stdout and "editorial there" in result.stdout
    assert digest(laptop) == untouched  # the other database is only read
    merged = {doc["id"]: doc for doc in _exported(cli, team)}
    assert "extra" in merged
    dora = [a for d in merged.values() for a in d["annotations"] if a["annotator"] == "dora"]
    assert len(dora) == 3
    ferry = merged["kessen-ferry"]["annotations"]
    ana_second = [a for a in ferry if a["annotator"] == "ana" and a["layer"] == "statement"]
    assert "editorial" not in {a["label"] for a in ana_second[1:2]}  # ours kept


def test_merging_twice_changes_nothing(cli: Cli) -> None:
    team, laptop = _offline_copy(cli)
    assert cli("db", "merge", str(laptop), "--prefer", "other").exit_code == 0
    once = _exported(cli, team)
    again = cli("db", "merge", str(laptop), "--prefer", "other")
    assert again.exit_code == 0
    assert "0 documents added" in again.stdout and "0 annotations added, 0 replaced" in again.stdout
    assert _exported(cli, team) == once


def test_prefer_other_takes_theirs(cli: Cli) -> None:
    team, laptop = _offline_copy(cli)
    result = cli("db", "merge", str(laptop), "--prefer", "other")
    assert result.exit_code == 0, result.output
    assert "1 replaced" in result.stdout and "conflict" not in result.stdout
    with Repository.open(str(team)) as repo:
        ferry = repo.summary(external_id="kessen-ferry")
        assert ferry is not None
        document = repo.document(ferry.id)
        labels = {(a.start, a.end): a.label for a in repo.annotations(ferry.id, "ana", "statement")}
    assert labels[document.segments[1]] == "editorial"


def test_merging_a_database_into_itself_is_refused(cli: Cli) -> None:
    assert cli("import", str(EXAMPLES)).exit_code == 0
    assert "is this database" in one_error_line(cli("db", "merge", str(cli.db)))


def test_backup_is_a_consistent_copy_while_another_writes(cli: Cli) -> None:
    assert cli("import", str(EXAMPLES)).exit_code == 0
    stop = threading.Event()

    def write() -> None:
        with Repository.open(str(cli.db)) as repo:
            n = 0
            while not stop.is_set():
                repo.add_span("writer", 1, "loaded", "emotive", n % 1000, n % 1000 + 1)
                n += 1

    writer = threading.Thread(target=write)
    writer.start()
    try:
        copies = [cli.folder / f"copy{i}.db" for i in range(3)]
        for copy in copies:
            result = cli("db", "backup", str(copy))
            assert result.exit_code == 0, result.output
    finally:
        stop.set()
        writer.join()
    for copy in copies:
        assert not Path(f"{copy}-wal").exists()  # one self-contained file
        checked = cli("--db", str(copy), "db", "check", db=False)
        assert checked.exit_code == 0, checked.output
        assert "no problems found" in checked.stdout
        connection = sqlite3.connect(copy)
        adds = connection.execute("SELECT count(*) FROM events WHERE action = 'add'").fetchone()
        rows = connection.execute(
            "SELECT count(*) FROM annotations a JOIN annotators n ON n.id = a.annotator_id"
            " WHERE n.name = 'writer'"
        ).fetchone()
        connection.close()
        assert adds == rows  # every change with its event: a snapshot between transactions
    assert "exists" in one_error_line(cli("db", "backup", str(copies[0])))
    assert list(cli.folder.glob("*.incomplete-*")) == []


def test_check_reports_broken_rules_and_exits_1(cli: Cli) -> None:
    assert cli("import", str(EXAMPLES)).exit_code == 0
    clean = cli("db", "check")
    assert clean.exit_code == 0 and "no problems found" in clean.stdout
    connection = sqlite3.connect(cli.db)
    connection.execute("DROP INDEX uq_annotations_span")
    connection.execute(
        'INSERT INTO annotations (document_id, annotator_id, layer, label, start, "end",'
        " segment, attrs, origin, provenance, created_at, updated_at)"
        ' SELECT document_id, annotator_id, layer, label, start, "end", segment, attrs,'
        " origin, provenance, created_at, updated_at FROM annotations WHERE layer = 'loaded'"
        " LIMIT 1"
    )
    connection.execute('UPDATE annotations SET "end" = 99999 WHERE id = 3')
    connection.execute("UPDATE documents SET title = 'x' || char(27) || '[2J' WHERE id = 2")
    connection.commit()
    connection.close()
    result = cli("db", "check")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert "5 problems found" in lines[0]  # annotation 3, a sentence label, breaks two rules
    assert any("index uq_annotations_span is missing" in line for line in lines)
    assert any("stored 2 times" in line for line in lines)
    assert any("annotation 3" in line and "outside the text" in line for line in lines)
    assert any("document 2" in line and "control character" in line for line in lines)
    assert "\x1b" not in result.stdout


def test_check_of_a_damaged_file_lists_what_sqlite_finds(cli: Cli) -> None:
    assert cli("import", str(EXAMPLES)).exit_code == 0
    cli("info")  # checkpointed and closed
    data = bytearray(cli.db.read_bytes())
    for offset in range(8192, len(data), 4096):
        data[offset + 100 : offset + 140] = bytes(40)  # wipe a little of every page
    cli.db.write_bytes(bytes(data))
    result = cli("db", "check")
    assert result.exit_code == 1
    assert "problem" in result.stdout.splitlines()[0]
    assert "Traceback" not in result.output


def test_check_and_grant_refuse_what_is_not_theirs(cli: Cli) -> None:
    notes = cli.write("notes.db", "not a database at all\n")
    assert "not a database" in one_error_line(cli("--db", str(notes), "db", "check", db=False))
    assert cli("import", str(EXAMPLES)).exit_code == 0
    message = one_error_line(cli("db", "grant", "ana"))
    assert "SQLite file" in message and "annotators add" in message
    message = one_error_line(cli("db", "revoke", "ana"))
    assert "SQLite file" in message and "no logins to revoke" in message
