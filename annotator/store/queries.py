"""Small lookups the repository's units of work share (ids, lengths, segments, batches)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Engine, Table, insert, select, text, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from annotator.store import history
from annotator.store.dto import DocStatus
from annotator.store.errors import NotFound
from annotator.store.models import (
    AnnotationRow,
    AnnotatorRow,
    DocumentRow,
    DocumentStatusRow,
    SegmentRow,
)

DOCS_HINT = "`annotator docs list` shows each document's number and id"
"""The hint of every message about a document that does not exist."""
STATUSES = cast(Table, DocumentStatusRow.__table__)
REVIEWER_LOCK = 7_240_002
"""PostgreSQL advisory lock namespace: one key per annotator id."""


def shared_connection(engine: Engine) -> bool:
    url = engine.url
    return url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:")


ID_LIMIT = 2**63
"""Ids and indexes are 64-bit integers at most: a larger number names nothing (SQLite
cannot even take it as a parameter)."""


def storable(number: int) -> bool:
    """Whether ``number`` can be an id or an index in the database."""
    return -ID_LIMIT <= number < ID_LIMIT


def annotator_id(session: Session, name: str) -> int | None:
    """The id of the annotator called ``name``, or None."""
    found = session.scalar(select(AnnotatorRow.id).where(AnnotatorRow.name == name))
    return None if found is None else int(found)


class Known:
    """What never changes once stored, remembered to spare a query in every save: a
    document's length (documents are never edited or deleted) and an annotator's id (names
    are unique and annotators are never deleted). Only what was read from committed rows is
    remembered; an annotator created in a transaction that may yet roll back is not."""

    def __init__(self) -> None:
        self._lengths: dict[int, int] = {}
        self._ids: dict[str, int] = {}

    def length(self, session: Session, document_id: int) -> int:
        found = self._lengths.get(document_id)
        if found is None:
            found = self._lengths[document_id] = document_length(session, document_id)
        return found

    def author(self, session: Session, name: str) -> int:
        """:func:`author_id`, its write lock held to the commit."""
        found = self._ids.get(name)
        if found is None:
            found = annotator_id(session, name)
            if found is None:
                return author_id(session, name)
            self._ids[name] = found
        hold_reviewer(session, found)
        return found


def hold_reviewer(session: Session, annotator: int) -> None:
    """On PostgreSQL, wait for (and hold until commit) the annotator's write lock.

    One person's changes then run one after another even from two terminals, so "is this
    sentence labelled yet?" and "what does undo revert?" are answered on what the other
    terminal has committed; different people still write in parallel. SQLite writers are
    serialized anyway (``BEGIN IMMEDIATE``).
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_advisory_xact_lock(CAST(:space AS integer), CAST(:key AS integer))"),
            {"space": REVIEWER_LOCK, "key": annotator},
        )


def author_id(session: Session, name: str) -> int:
    """The id of the annotator making a change, created (as an annotator) if new; their
    write lock is held from here to the commit."""
    found = annotator_id(session, name)
    if found is None:
        row = AnnotatorRow(name=name, role="annotator", created_at=history.now())
        session.add(row)
        session.flush()
        found = row.id
    hold_reviewer(session, found)
    return found


def add_annotator(
    session: Session, name: str, role: str, now: datetime | None = None
) -> AnnotatorRow:
    """A new annotator, with the ``annotator`` event that records it."""
    row = AnnotatorRow(name=name, role=role, created_at=now or history.now())
    session.add(row)
    session.flush()
    history.log(session, row.id, None, "annotator", after={"name": name, "role": role})
    return row


def set_role(session: Session, row: AnnotatorRow, role: str) -> None:
    """Give an annotator another role, with the ``role`` event that records it."""
    history.log(session, row.id, None, "role", before={"role": row.role}, after={"role": role})
    row.role = role


def put_status(session: Session, annotator: int, document_id: int, status: str) -> str:
    """Set the annotator's status on the document (logged when it changes); returns the one
    before (``todo`` when none was set). Plain statements: every save moves a status."""
    table = STATUSES
    key = (table.c.document_id == document_id, table.c.annotator_id == annotator)
    found = session.execute(select(table.c.status).where(*key)).scalar()
    old = "todo" if found is None else str(found)
    if old == status:
        return old
    moment = history.now()
    if found is None:
        session.execute(
            insert(table).values(
                document_id=document_id, annotator_id=annotator, status=status, updated_at=moment
            )
        )
    else:
        session.execute(update(table).where(*key).values(status=status, updated_at=moment))
    history.log(
        session,
        annotator,
        document_id,
        "status",
        before={"status": old},
        after={"status": status},
    )
    return old


def touch_status(session: Session, annotator: int, document_id: int) -> DocStatus:
    """A change to the document moves its author's status to ``in_progress`` (todo and done
    alike); returns the status before."""
    return cast(DocStatus, put_status(session, annotator, document_id, "in_progress"))


def restricted_role(session: Session) -> str | None:
    """PostgreSQL: the connected role if row-level security applies to it, else None.

    It does not apply to a superuser, a role that bypasses it, or a member of the role that
    owns the ``annotations`` table.
    """
    row = session.execute(
        text(
            "SELECT current_user, r.rolsuper OR r.rolbypassrls,"
            " pg_has_role(current_user, t.tableowner, 'MEMBER')"
            " FROM pg_roles r, pg_tables t"
            " WHERE r.rolname = current_user AND t.tablename = 'annotations'"
            " AND t.schemaname = current_schema()"
        )
    ).first()
    if row is None:
        return None
    user, privileged, owner = row
    return None if privileged or owner else str(user)


def document_length(session: Session, document_id: int) -> int:
    n_chars = (
        session.scalar(select(DocumentRow.n_chars).where(DocumentRow.id == document_id))
        if storable(document_id)
        else None
    )
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


def segments_of(
    db: Session | Connection, document_ids: Sequence[int]
) -> dict[int, tuple[tuple[int, int], ...]]:
    """The sentence offsets of each of ``document_ids`` (a batch being read, in id order), in
    one query over the range of ids they span."""
    found: dict[int, list[tuple[int, int]]] = {document_id: [] for document_id in document_ids}
    if not found:
        return {}
    rows = db.execute(
        select(SegmentRow.document_id, SegmentRow.start, SegmentRow.end)
        .where(SegmentRow.document_id.between(min(found), max(found)))
        .order_by(SegmentRow.document_id, SegmentRow.index)
    )
    for document_id, start, end in rows:
        if document_id in found:
            found[document_id].append((start, end))
    return {document_id: tuple(spans) for document_id, spans in found.items()}


def own_annotation(
    session: Session, name: str, annotation_id: int, *, lock: bool = True
) -> tuple[AnnotationRow, int]:
    """The annotation if it is ``name``'s; others' annotations are as good as absent. With
    ``lock``, the annotator's write lock is held from here to the commit."""
    owner = annotator_id(session, name)
    row = None
    if owner is not None and storable(annotation_id):
        if lock:
            hold_reviewer(session, owner)
        row = session.scalars(
            select(AnnotationRow).where(
                AnnotationRow.id == annotation_id, AnnotationRow.annotator_id == owner
            )
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
