"""Adjudicators' decisions, written together with the gold annotations they replace.

A decision settles one unit of disagreement (``[start, end)`` on a layer): the adjudicator's
annotations on that layer overlapping the unit are replaced by the ones the decision brings,
and a row in ``decisions`` records the verdict, so a rejection (which writes no annotation)
stays decided. One call writes one ``decide`` event per document whose ``before`` and
``after`` hold the decisions and gold annotations of every unit it touched::

    {"decisions": [{"layer", "start", "end", "verdict", "taken"}, ...],
     "annotations": [<annotation snapshot>, ...]}

Undo puts ``before`` back (removing what ``after`` added and restoring, under their old ids,
the annotations it replaced) and redo puts ``after`` back (``history.apply_decide``), so a
decision is one step of the adjudicator's history however many annotations it wrote.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.store import converters
from annotator.store.dto import Annotation, Decision, Ruling, Verdict
from annotator.store.models import AnnotationRow, DecisionRow, SegmentRow


def decision_snapshot(row: DecisionRow) -> dict[str, Any]:
    """A decision as the plain dict a ``decide`` event keeps."""
    return {
        "layer": row.layer,
        "start": row.start,
        "end": row.end,
        "verdict": row.verdict,
        "taken": list(row.taken),
    }


def to_decision(row: DecisionRow, adjudicator: str) -> Decision:
    return Decision(
        document_id=row.document_id,
        adjudicator=adjudicator,
        layer=row.layer,
        start=row.start,
        end=row.end,
        verdict=cast(Verdict, row.verdict),
        taken=tuple(row.taken),
    )


def write_rulings(
    session: Session,
    annotator_id: int,
    name: str,
    document_id: int,
    rulings: Sequence[Ruling],
    now: datetime,
    segment_layers: Collection[str] = (),
) -> tuple[list[Annotation], dict[str, Any], dict[str, Any]]:
    """Apply ``rulings`` on one document in ``session``; returns the annotations added and the
    ``before`` and ``after`` of the ``decide`` event (the caller logs it). A gold label on a
    segment layer (one of ``segment_layers``) records its sentence, as every label there does
    (the unique rule of one label per sentence)."""
    sentence = {
        (start, end): index
        for index, start, end in session.execute(
            select(SegmentRow.index, SegmentRow.start, SegmentRow.end).where(
                SegmentRow.document_id == document_id
            )
        )
    }
    before: dict[str, list[dict[str, Any]]] = {"decisions": [], "annotations": []}
    after: dict[str, list[dict[str, Any]]] = {"decisions": [], "annotations": []}
    added: dict[int, Annotation] = {}
    for ruling in rulings:
        replaced = session.scalars(
            select(AnnotationRow).where(
                AnnotationRow.document_id == document_id,
                AnnotationRow.annotator_id == annotator_id,
                AnnotationRow.layer == ruling.layer,
                AnnotationRow.start < ruling.end,
                AnnotationRow.end > ruling.start,
            )
        ).all()
        for row in replaced:
            if row.id in added:  # written by an earlier ruling of this call
                del added[row.id]
                after["annotations"] = [a for a in after["annotations"] if a["id"] != row.id]
            else:
                before["annotations"].append(converters.snapshot(row, name))
            session.delete(row)
        key = (document_id, annotator_id, ruling.layer, ruling.start, ruling.end)
        decision = session.get(DecisionRow, key)
        if decision is None:
            decision = DecisionRow(
                document_id=document_id,
                annotator_id=annotator_id,
                layer=ruling.layer,
                start=ruling.start,
                end=ruling.end,
            )
            session.add(decision)
        else:
            before["decisions"].append(decision_snapshot(decision))
        decision.verdict = ruling.verdict
        decision.taken = list(ruling.taken)
        decision.updated_at = now
        after["decisions"].append(decision_snapshot(decision))
        for gold in ruling.annotations:
            row = AnnotationRow(
                document_id=document_id,
                annotator_id=annotator_id,
                layer=gold.layer,
                label=gold.label,
                start=gold.start,
                end=gold.end,
                segment=(
                    sentence.get((gold.start, gold.end)) if gold.layer in segment_layers else None
                ),
                attrs=dict(gold.attrs),
                origin="adjudication",
                provenance=None,
                created_at=now,
                updated_at=now,
            )
            session.add(row)
            session.flush()
            added[row.id] = converters.to_annotation(row, name)
            after["annotations"].append(converters.snapshot(row, name))
        session.flush()
    return list(added.values()), before, after
