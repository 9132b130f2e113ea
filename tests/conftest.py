"""Fixtures shared by every test folder."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import settings

from annotator.store.repository import Repository

# Tests never assert on wall-clock time, and Hypothesis's per-example deadline is one: on a
# loaded two-core machine it fails tests that are right. Turn it off for every property test.
settings.register_profile("annotator", deadline=None)
settings.load_profile("annotator")


@pytest.fixture
def repo() -> Iterator[Repository]:
    """An empty in-memory store bound to the bundled default scheme (source-bias.yaml)."""
    repository = Repository.in_memory()
    try:
        yield repository
    finally:
        repository.close()
