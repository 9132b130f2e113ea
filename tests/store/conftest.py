"""Fixtures for the store tests: a database on every backend, and documents to import.

Every test that takes ``target`` (or ``store``) runs on a fresh SQLite file and on PostgreSQL,
whose variant carries the ``postgres`` marker: it needs ``ANNOTATOR_TEST_POSTGRES_URL``
(``.ci/start-postgres`` prints one) and skips with that reason when it is not set.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from annotator.core.scheme import Scheme
from annotator.core.scheme_loader import load_scheme
from annotator.core.segment import split_sentences
from annotator.core.text import canonicalize, text_sha256
from annotator.resources import default_scheme_path
from annotator.store.dto import DocStatus, NewAnnotation, NewDocument
from annotator.store.repository import Repository

POSTGRES_URL = os.environ.get("ANNOTATOR_TEST_POSTGRES_URL", "").strip()
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]

ARTICLE = (
    "The regime slammed critics on Tuesday. Officials say the plan will fail.\n"
    'Brackets [/] and [@click=app.quit] stay text. Emoji 👩‍👩‍👧 and café remain. "Quote" ends.'
)


def reset_postgres(url: str) -> None:
    """Empty the test database: drop and recreate its public schema."""
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    finally:
        engine.dispose()


@pytest.fixture(params=BACKENDS)
def target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database nobody has opened yet: a SQLite file path or the emptied PostgreSQL URL."""
    if request.param == "postgresql":
        reset_postgres(POSTGRES_URL)
        return POSTGRES_URL
    return str(tmp_path / "annotations.db")


@pytest.fixture
def store(target: str) -> Iterator[Repository]:
    """A new database on each backend, bound to the default scheme."""
    repository = Repository.open(target)
    try:
        yield repository
    finally:
        repository.close()


@pytest.fixture
def default_scheme() -> Scheme:
    return load_scheme(default_scheme_path())


MakeDoc = Callable[..., NewDocument]


def new_document(
    external_id: str,
    raw: str = ARTICLE,
    *,
    annotations: Sequence[NewAnnotation] = (),
    status: dict[str, DocStatus] | None = None,
    title: str | None = None,
) -> NewDocument:
    """A document as the importers build it: canonical text, sentences, sha256."""
    body = canonicalize(raw)
    return NewDocument(
        external_id=external_id,
        title=title if title is not None else f"Article {external_id}",
        text=body,
        sha256=text_sha256(body),
        meta={"source": "tests"},
        segments=tuple(split_sentences(body)),
        status=status or {},
        annotations=tuple(annotations),
    )


@pytest.fixture
def make_doc() -> MakeDoc:
    return new_document
