"""Fixtures of the terminal UI tests: an in-memory store with known articles."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tui_support import seed

from annotator.store.repository import Repository


@pytest.fixture
def store() -> Iterator[tuple[Repository, list[int]]]:
    """A fresh in-memory store with the harbour, valley and hostile articles."""
    repo = Repository.in_memory()
    ids = seed(repo, hostile=True)
    yield repo, ids
    repo.close()
