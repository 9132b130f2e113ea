"""Writing a merge plan in one transaction (``annotator db merge``).

The service decides what to take from the other database (:mod:`annotator.service.merging`);
this writes it: annotators first, then new documents through the bulk importer, annotations
added to documents both databases hold, replaced labels, statuses, and one ``merge`` event.
An addition the database holds by now (another reviewer wrote the same thing meanwhile) is
skipped, so applying a plan twice adds nothing the second time.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.core.scheme import Scheme
from annotator.store import history, queries
from annotator.store.bulk import BulkImport
from annotator.store.dto import MergePlan, MergeResult, NewAnnotation
from annotator.store.models import (
    AnnotationRow,
    AnnotatorRow,
    DocumentStatusRow,
    SegmentRow,
)


def apply_plan(session: Session, scheme: Scheme, plan: MergePlan) -> MergeResult:
    now = history.now()
    provenance = f"merge {plan.source}"
    people = _annotators(session, plan, now)
    imported = BulkImport(session.connection(), scheme, now=now, provenance=provenance).run(
        plan.documents, None
    )
    segment_layers = {layer.name for layer in scheme.segment_layers}
    added = 0
    for document_id, item in plan.additions:
        if _add(session, people, document_id, item, segment_layers, now, provenance):
            added += 1
    replaced = 0
    for change in plan.replacements:
        row = session.get(AnnotationRow, change.annotation_id)
        if row is None or (row.label, dict(row.attrs)) == (change.label, dict(change.attrs)):
            continue
        row.label, row.attrs = change.label, dict(change.attrs)
        row.provenance, row.updated_at = provenance, now
        replaced += 1
    statuses = 0
    for document_id, name, status in plan.statuses:
        key = (document_id, people[name])
        current = session.get(DocumentStatusRow, key)
        if current is None:
            session.add(
                DocumentStatusRow(
                    document_id=document_id,
                    annotator_id=people[name],
                    status=status,
                    updated_at=now,
                )
            )
        elif current.status != status:
            current.status, current.updated_at = status, now
        else:
            continue
        statuses += 1
    result = MergeResult(
        documents=imported.added,
        annotations=imported.annotations + added,
        replaced=replaced,
        statuses=statuses,
        annotators=len(plan.annotators),
    )
    history.log(
        session,
        None,
        None,
        "merge",
        after={
            "source": plan.source,
            "documents": result.documents,
            "annotations": result.annotations,
            "replaced": result.replaced,
            "statuses": result.statuses,
            "annotators": result.annotators,
        },
    )
    return result


def _annotators(session: Session, plan: MergePlan, now: datetime) -> dict[str, int]:
    """Create or re-role the plan's annotators; every annotator's id by name."""
    rows = {row.name: row for row in session.scalars(select(AnnotatorRow))}
    for name, role in plan.annotators.items():
        row = rows.get(name)
        if row is None:
            rows[name] = queries.add_annotator(session, name, role, now)
        elif row.role != role:
            queries.set_role(session, row, role)
    session.flush()
    return {name: row.id for name, row in rows.items()}


def _add(
    session: Session,
    people: dict[str, int],
    document_id: int,
    item: NewAnnotation,
    segment_layers: set[str],
    now: datetime,
    provenance: str,
) -> bool:
    annotator_id = people[item.annotator]
    segment = None
    if item.layer in segment_layers:
        segment = session.scalar(
            select(SegmentRow.index).where(
                SegmentRow.document_id == document_id,
                SegmentRow.start == item.start,
                SegmentRow.end == item.end,
            )
        )
        taken = session.scalar(
            select(AnnotationRow.id).where(
                AnnotationRow.document_id == document_id,
                AnnotationRow.annotator_id == annotator_id,
                AnnotationRow.layer == item.layer,
                AnnotationRow.segment == segment,
            )
        )
    else:
        taken = session.scalar(
            select(AnnotationRow.id).where(
                AnnotationRow.document_id == document_id,
                AnnotationRow.annotator_id == annotator_id,
                AnnotationRow.layer == item.layer,
                AnnotationRow.label == item.label,
                AnnotationRow.start == item.start,
                AnnotationRow.end == item.end,
            )
        )
    if taken is not None:
        return False
    session.add(
        AnnotationRow(
            document_id=document_id,
            annotator_id=annotator_id,
            layer=item.layer,
            label=item.label,
            start=item.start,
            end=item.end,
            segment=segment,
            attrs=dict(item.attrs),
            origin=item.origin,
            provenance=provenance,
            created_at=now,
            updated_at=now,
        )
    )
    session.flush()
    return True
