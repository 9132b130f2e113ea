"""Small lookups the repository's units of work share (ids, lengths, segments, batches)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from annotator.store import history
from annotator.store.errors import NotFound
from annotator.store.models import AnnotationRow, AnnotatorRow, DocumentRow, SegmentRow

DOCS_HINT = "`annotator docs list` shows each document's number and id"
"""The hint of every message about a document that does not exist."""


def shared_connection(engine: Engine) -> bool:
    url = engine.url
    return url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:")


def annotator_id(session: Session, name: str) -> int | None:
    """The id of the annotator called ``name``, or None."""
    found = session.scalar(select(AnnotatorRow.id).where(AnnotatorRow.name == name))
    return None if found is None else int(found)


def author_id(session: Session, name: str) -> int:
    """The id of the annotator making a change, created (as an annotator) if new."""
    found = annotator_id(session, name)
    if found is not None:
        return found
    row = AnnotatorRow(name=name, role="annotator", created_at=history.now())
    session.add(row)
    session.flush()
    return row.id


def document_length(session: Session, document_id: int) -> int:
    n_chars = session.scalar(select(DocumentRow.n_chars).where(DocumentRow.id == document_id))
    if n_chars is None:
        raise NotFound(f"there is no document #{document_id}; {DOCS_HINT}")
    return n_chars


def segments(session: Session, document_id: int) -> tuple[tuple[int, int], ...]:
    rows = session.execute(
        select(SegmentRow.start, SegmentRow.end)
        .where(SegmentRow.document_id == document_id)
        .order_by(SegmentRow.index)
    )
    return tuple((start, end) for start, end in rows)


def own_annotation(session: Session, name: str, annotation_id: int) -> tuple[AnnotationRow, int]:
    """The annotation if it is ``name``'s; others' annotations are as good as absent."""
    row = session.scalars(
        select(AnnotationRow)
        .join(AnnotatorRow, AnnotatorRow.id == AnnotationRow.annotator_id)
        .where(AnnotationRow.id == annotation_id, AnnotatorRow.name == name)
    ).first()
    if row is None:
        raise NotFound(f"{name} has no annotation {annotation_id}")
    return row, row.annotator_id


def summary_query() -> Any:
    return select(
        DocumentRow.id,
        DocumentRow.external_id,
        DocumentRow.title,
        DocumentRow.sha256,
        DocumentRow.n_chars,
        DocumentRow.n_words,
        DocumentRow.n_segments,
    )


def batches(counts: Sequence[tuple[int, int]], size: int) -> Iterator[list[int]]:
    """Document ids grouped so each group holds about ``size`` annotations (one document at
    least)."""
    batch: list[int] = []
    total = 0
    for document_id, n in counts:
        if batch and total + n > size:
            yield batch
            batch, total = [], 0
        batch.append(document_id)
        total += n
    if batch:
        yield batch
