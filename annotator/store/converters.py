"""ORM rows and Core result rows to the frozen values of ``annotator.store.dto``.

Nothing above the store sees a row: a value made here can cross threads and outlive the
session that read it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, cast

from annotator.store.dto import Annotation, Annotator, DocStatus, Event, Origin, Role
from annotator.store.models import AnnotationRow, AnnotatorRow, EventRow


def utc(moment: datetime) -> datetime:
    """``moment`` as an aware UTC datetime (SQLite hands back naive ones)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def to_annotator(row: AnnotatorRow) -> Annotator:
    return Annotator(id=row.id, name=row.name, role=cast(Role, row.role))


def to_annotation(row: AnnotationRow, annotator: str) -> Annotation:
    return Annotation(
        id=row.id,
        document_id=row.document_id,
        annotator=annotator,
        layer=row.layer,
        label=row.label,
        start=row.start,
        end=row.end,
        attrs=dict(row.attrs),
        origin=cast(Origin, row.origin),
        created_at=utc(row.created_at),
        updated_at=utc(row.updated_at),
    )


def annotation_from_mapping(row: Mapping[str, Any]) -> Annotation:
    """An annotation from a Core row with the annotation columns and ``annotator`` (a name)."""
    return Annotation(
        id=row["id"],
        document_id=row["document_id"],
        annotator=row["annotator"],
        layer=row["layer"],
        label=row["label"],
        start=row["start"],
        end=row["end"],
        attrs=dict(row["attrs"]),
        origin=cast(Origin, row["origin"]),
        created_at=utc(row["created_at"]),
        updated_at=utc(row["updated_at"]),
    )


def to_event(row: EventRow, annotator: str | None) -> Event:
    """An event; ``annotator`` is empty for actions of no one in particular (an import)."""
    return Event(
        id=row.id,
        annotator=annotator or "",
        document_id=row.document_id,
        action=row.action,
        annotation_id=row.annotation_id,
        before=None if row.before is None else dict(row.before),
        after=None if row.after is None else dict(row.after),
        created_at=utc(row.created_at),
    )


def snapshot(row: AnnotationRow, annotator: str) -> dict[str, Any]:
    """An annotation as the plain dict the events log keeps in ``before``/``after``.

    It holds everything needed to put the row back as it was (undo of a removal, redo of an
    addition), under the same id.
    """
    return {
        "id": row.id,
        "document_id": row.document_id,
        "annotator": annotator,
        "layer": row.layer,
        "label": row.label,
        "start": row.start,
        "end": row.end,
        "attrs": dict(row.attrs),
        "origin": row.origin,
        "provenance": row.provenance,
        "created_at": utc(row.created_at).isoformat(),
        "updated_at": utc(row.updated_at).isoformat(),
    }


def status_value(value: str) -> DocStatus:
    return cast(DocStatus, value)
