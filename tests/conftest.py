"""Fixtures shared by every test folder."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from annotator.store.repository import Repository


@pytest.fixture
def repo() -> Iterator[Repository]:
    """An empty in-memory store bound to the bundled default scheme (source-bias.yaml)."""
    repository = Repository.in_memory()
    try:
        yield repository
    finally:
        repository.close()
