"""Fixtures for the report tests: corpora written as native JSONL and imported through the
import service, as a user would."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from report_support import news_corpus, write_jsonl

from annotator.core.scheme_loader import load_scheme_text
from annotator.io.importer import import_paths
from annotator.store.repository import Repository


@pytest.fixture
def import_jsonl(tmp_path: Path) -> Iterator[Callable[..., Repository]]:
    """Import documents (dicts in the native JSONL shape) into a fresh in-memory store."""
    opened: list[Repository] = []

    def run(documents: Sequence[dict[str, Any]], scheme_yaml: str | None = None) -> Repository:
        scheme = load_scheme_text(scheme_yaml, "test-scheme.yaml") if scheme_yaml else None
        repo = Repository.in_memory(scheme)
        opened.append(repo)
        path = write_jsonl(tmp_path / f"corpus{len(opened)}.jsonl", documents)
        import_paths(repo, [path])
        return repo

    yield run
    for repo in opened:
        repo.close()


@pytest.fixture
def news_repo(import_jsonl: Callable[..., Repository]) -> Repository:
    return import_jsonl(news_corpus())
