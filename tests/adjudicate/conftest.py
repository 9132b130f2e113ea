"""Fixtures for the adjudication tests: the council article in a database file, and a runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from adjudicate_support import Run, council
from typer.testing import CliRunner, Result

from annotator.cli import app
from annotator.store.repository import Repository


@pytest.fixture
def council_db(tmp_path: Path) -> Path:
    """A database file holding the council article, three annotators' work and ``judge``."""
    path = tmp_path / "council.db"
    with Repository.open(str(path)) as repo:
        council(repo)
    return path


@pytest.fixture
def run(council_db: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    """``annotator --db council.db ARGS``, in-process."""
    monkeypatch.delenv("ANNOTATOR_DB", raising=False)

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(app, ["--db", str(council_db), *args], catch_exceptions=False)

    return invoke
