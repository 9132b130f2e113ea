"""The database tables as SQLAlchemy 2 typed ORM classes.

The Alembic migrations in ``db/versions`` create exactly these tables (a test compares them).
Nothing outside ``annotator.store`` sees these classes: the repository converts rows to the
frozen values of ``annotator.store.dto``.

Offsets (``start``, ``end``) are Unicode code points, half-open, into ``documents.text``.
Timestamps are UTC.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ROLES = ("annotator", "adjudicator", "machine")
ORIGINS = ("manual", "suggestion", "import", "adjudication")
STATUSES = ("todo", "in_progress", "done")
VERDICTS = ("take", "all", "reject", "auto")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{value}'" for value in values)
    return f"{column} IN ({quoted})"


class Base(DeclarativeBase):
    """Declarative base carrying the constraint naming convention Alembic relies on."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class DocumentRow(Base):
    """An article: its canonical text and the counts the documents table shows."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    external_id: Mapped[str] = mapped_column(String(512), unique=True)
    title: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    meta: Mapped[dict[str, Any]] = mapped_column(JSON)
    n_chars: Mapped[int] = mapped_column(Integer)
    n_words: Mapped[int] = mapped_column(Integer)
    n_segments: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SegmentRow(Base):
    """A sentence of a document, by position; segments never change after import."""

    __tablename__ = "segments"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    index: Mapped[int] = mapped_column(Integer, primary_key=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)


class AnnotatorRow(Base):
    """A person (or a pre-annotator) who annotates."""

    __tablename__ = "annotators"
    __table_args__ = (CheckConstraint(_one_of("role", ROLES), name="role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SchemeRow(Base):
    """One version of the annotation scheme the database is bound to; the latest one rules."""

    __tablename__ = "schemes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, unique=True)
    name: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AnnotationRow(Base):
    """A span (span layer) or a segment label (segment layer) by one annotator.

    Ids are never reused (``sqlite_autoincrement``), so undo and redo can put a removed
    annotation back under its old id.

    Two unique rules hold in the database itself, whatever program writes to it: one
    annotator has at most one span with the same layer, label and offsets
    (``uq_annotations_span``), and at most one label per sentence on a segment layer
    (``uq_annotations_segment``: ``segment`` is the sentence's index there, NULL for a span,
    and NULLs never collide).
    """

    __tablename__ = "annotations"
    __table_args__ = (
        CheckConstraint(_one_of("origin", ORIGINS), name="origin"),
        CheckConstraint('0 <= start AND start < "end"', name="offsets"),
        Index("ix_annotations_document_annotator", "document_id", "annotator_id", "layer", "start"),
        Index("ix_annotations_annotator", "annotator_id"),
        Index(
            "uq_annotations_span",
            "document_id",
            "annotator_id",
            "layer",
            "label",
            "start",
            "end",
            unique=True,
        ),
        Index(
            "uq_annotations_segment", "document_id", "annotator_id", "layer", "segment", unique=True
        ),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotators.id"))
    layer: Mapped[str] = mapped_column(String(100))
    label: Mapped[str] = mapped_column(String(100))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    segment: Mapped[int | None] = mapped_column(Integer, default=None)
    attrs: Mapped[dict[str, Any]] = mapped_column(JSON)
    origin: Mapped[str] = mapped_column(String(16))
    provenance: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DocumentStatusRow(Base):
    """Where one annotator stands on one document; absent means ``todo``."""

    __tablename__ = "document_status"
    __table_args__ = (CheckConstraint(_one_of("status", STATUSES), name="status"),)

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotators.id"), primary_key=True)
    status: Mapped[str] = mapped_column(String(16))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class EventRow(Base):
    """One entry of the append-only change log; undo and redo are computed from it.

    ``annotator_id`` is empty for actions of no one in particular (an import, a scheme
    update). An ``undo`` or ``redo`` row names the change it reverts or re-applies in
    ``target_event_id``.
    """

    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_annotator", "annotator_id", "id"),
        Index("ix_events_document", "document_id", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    annotator_id: Mapped[int | None] = mapped_column(ForeignKey("annotators.id"))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(16))
    annotation_id: Mapped[int | None] = mapped_column(Integer)
    target_event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id"))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DecisionRow(Base):
    """An adjudicator's decision on one disagreement (a unit of a layer), kept so that it stays
    decided: ``take`` (one annotator's version), ``all`` (every distinct version), ``reject``
    (nothing here) or ``auto`` (the version enough annotators agreed on).

    A unit is a cluster of overlapping spans on a span layer or a sentence on a segment layer,
    named by its extent ``[start, end)``. ``taken`` lists the annotators whose version was taken.
    The gold annotations a decision wrote are ordinary annotations of the adjudicator.
    """

    __tablename__ = "decisions"
    __table_args__ = (CheckConstraint(_one_of("verdict", VERDICTS), name="verdict"),)

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotators.id"), primary_key=True)
    layer: Mapped[str] = mapped_column(String(100), primary_key=True)
    start: Mapped[int] = mapped_column(Integer, primary_key=True)
    end: Mapped[int] = mapped_column(Integer, primary_key=True)
    verdict: Mapped[str] = mapped_column(String(16))
    taken: Mapped[list[str]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
