"""ORM rows and Core result rows to the frozen values of ``annotator.store.dto``.

Nothing above the store sees a row: a value made here can cross threads and outlive the
session that read it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import String, type_coerce
from sqlalchemy.engine import RowMapping

from annotator.store.dto import (
    Annotation,
    Annotator,
    DocStatus,
    Document,
    DocumentSummary,
    Event,
    Origin,
    Role,
)
from annotator.store.models import AnnotationRow, AnnotatorRow, DocumentRow, EventRow


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


def annotation_from(values: Mapping[Any, Any], annotator: str) -> Annotation:
    """An annotation from a row of the annotations table (or the values just inserted)."""
    return Annotation(
        id=values["id"],
        document_id=values["document_id"],
        annotator=annotator,
        layer=values["layer"],
        label=values["label"],
        start=values["start"],
        end=values["end"],
        attrs=dict(values["attrs"] or {}),
        origin=cast(Origin, values["origin"]),
        created_at=utc(values["created_at"]),
        updated_at=utc(values["updated_at"]),
    )


def snapshot_from(values: Mapping[Any, Any], annotator: str) -> dict[str, Any]:
    """:func:`snapshot` of a row of the annotations table (or the values just inserted)."""
    return {
        "id": values["id"],
        "document_id": values["document_id"],
        "annotator": annotator,
        "layer": values["layer"],
        "label": values["label"],
        "start": values["start"],
        "end": values["end"],
        "segment": values["segment"],
        "attrs": dict(values["attrs"] or {}),
        "origin": values["origin"],
        "provenance": values["provenance"],
        "created_at": utc(values["created_at"]).isoformat(),
        "updated_at": utc(values["updated_at"]).isoformat(),
    }


RAW_ANNOTATION_COLUMNS = (
    AnnotationRow.id,
    AnnotationRow.document_id,
    AnnotationRow.annotator_id,
    AnnotationRow.layer,
    AnnotationRow.label,
    AnnotationRow.start,
    AnnotationRow.end,
    type_coerce(AnnotationRow.attrs, String).label("attrs"),
    AnnotationRow.origin,
    type_coerce(AnnotationRow.created_at, String).label("created_at"),
    type_coerce(AnnotationRow.updated_at, String).label("updated_at"),
)
"""Annotation columns for bulk reads, with JSON and timestamps left as the driver gives them.

SQLite hands back text (decoded here with a cache: an import gives thousands of annotations
the same timestamp and most have no attributes); PostgreSQL's driver hands back objects.
"""


class RawAnnotations:
    """Turns rows of ``RAW_ANNOTATION_COLUMNS`` into annotations, given annotator names."""

    def __init__(self, names: Mapping[int, str]) -> None:
        self._names = names
        self._moments: dict[Any, datetime] = {}

    def _moment(self, value: Any) -> datetime:
        moment = self._moments.get(value)
        if moment is None:
            parsed = datetime.fromisoformat(value) if isinstance(value, str) else value
            moment = self._moments[value] = utc(parsed)
        return moment

    def __call__(self, row: Sequence[Any]) -> Annotation:
        attrs = row[7]
        if isinstance(attrs, str):
            attrs = {} if attrs == "{}" else json.loads(attrs)
        return Annotation(
            id=row[0],
            document_id=row[1],
            annotator=self._names[row[2]],
            layer=row[3],
            label=row[4],
            start=row[5],
            end=row[6],
            attrs=dict(attrs),
            origin=cast(Origin, row[8]),
            created_at=self._moment(row[9]),
            updated_at=self._moment(row[10]),
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
        "segment": row.segment,
        "attrs": dict(row.attrs),
        "origin": row.origin,
        "provenance": row.provenance,
        "created_at": utc(row.created_at).isoformat(),
        "updated_at": utc(row.updated_at).isoformat(),
    }


def status_value(value: str) -> DocStatus:
    return cast(DocStatus, value)


def to_summary(row: RowMapping) -> DocumentSummary:
    return DocumentSummary(
        id=row["id"],
        external_id=row["external_id"],
        title=row["title"],
        sha256=row["sha256"],
        n_chars=row["n_chars"],
        n_words=row["n_words"],
        n_segments=row["n_segments"],
    )


def to_document(row: DocumentRow, segments: tuple[tuple[int, int], ...]) -> Document:
    return Document(
        id=row.id,
        external_id=row.external_id,
        title=row.title,
        text=row.text,
        sha256=row.sha256,
        meta=dict(row.meta),
        segments=segments,
    )
