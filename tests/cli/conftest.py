"""Fixtures for command-line tests: a runner bound to a database file in a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_support import Cli


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ANNOTATOR_DB", raising=False)
    monkeypatch.setenv("COLUMNS", "200")  # tables wide enough not to wrap cells
    return Cli(folder=tmp_path, db=tmp_path / "test.db")
