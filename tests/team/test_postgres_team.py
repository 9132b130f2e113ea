"""The team's database commands on PostgreSQL: merge, check, backup's pointer to pg_dump, and
an import, a report and an export by the owner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from team_support import POSTGRES_URL, reset_postgres
from typer.testing import CliRunner, Result

from annotator.cli import app

pytestmark = pytest.mark.postgres

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def test_a_laptop_file_merges_into_the_server_database(tmp_path: Path) -> None:
    reset_postgres(POSTGRES_URL)
    assert run("--db", POSTGRES_URL, "import", str(EXAMPLES)).exit_code == 0
    laptop = str(tmp_path / "laptop.db")
    assert run("--db", laptop, "import", str(EXAMPLES)).exit_code == 0
    added = run(
        "--db", laptop, "annotations", "add", "--as", "dora", "--doc", "kessen-ferry",
        "--layer", "loaded", "--label", "fear", "--start", "0", "--end", "6",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    merged = run("--db", POSTGRES_URL, "db", "merge", laptop)
    assert merged.exit_code == 0, merged.output
    assert "1 annotation added" in merged.stdout
    again = run("--db", POSTGRES_URL, "db", "merge", laptop)
    assert "0 annotations added" in again.stdout
    checked = run("--db", POSTGRES_URL, "db", "check")
    assert checked.exit_code == 0 and "no problems found" in checked.stdout
    exported = run("--db", POSTGRES_URL, "export", "--annotator", "dora")
    lines = [json.loads(line) for line in exported.stdout.splitlines()]
    assert sum(len(doc["annotations"]) for doc in lines) == 1
    report = run("--db", POSTGRES_URL, "report", "--bootstrap", "0", "-f", "json")
    assert report.exit_code == 0
    assert json.loads(report.stdout)["provenance"]["annotators"] == ["ana", "ben"]


def test_the_server_database_merges_into_a_file(tmp_path: Path) -> None:
    reset_postgres(POSTGRES_URL)
    assert run("--db", POSTGRES_URL, "import", str(EXAMPLES)).exit_code == 0
    laptop = str(tmp_path / "laptop.db")
    merged = run("--db", laptop, "annotators", "add", "me")
    assert merged.exit_code == 0
    merged = run("--db", laptop, "db", "merge", POSTGRES_URL)
    assert merged.exit_code == 0, merged.output
    assert "4 documents added" in merged.stdout


def test_backup_points_to_pg_dump(tmp_path: Path) -> None:
    reset_postgres(POSTGRES_URL)
    assert run("--db", POSTGRES_URL, "init").exit_code == 0
    result = run("--db", POSTGRES_URL, "db", "backup", str(tmp_path / "x.db"))
    assert result.exit_code == 2
    assert "pg_dump" in result.stderr and result.stderr.count("\n") == 1
