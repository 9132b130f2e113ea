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

:class:`Adjudication` is the repository's part for this (``Repository.decisions`` and
``Repository.decide``), beside the work it runs.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.store import converters, history, queries
from annotator.store.dto import Annotation, Decision, DocStatus, Ruling, Verdict
from annotator.store.models import AnnotationRow, DecisionRow, SegmentRow
from annotator.store.reads import ID_CHUNK
from annotator.store.transactions import Transactions


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


Touch = Literal["never", "written", "always"]
"""Which documents a decision moves to ``in_progress`` for the adjudicator."""


@dataclass(frozen=True, slots=True)
class Decided:
    """What :meth:`Adjudication.decide_touching` wrote: the annotations added and the
    adjudicator's status before, per document (only for documents whose status it moved)."""

    added: dict[int, list[Annotation]]
    previous: dict[int, DocStatus]


class Adjudication(Transactions):
    """The repository's reads and writes of an adjudicator's decisions."""

    def decisions(
        self, adjudicator: str, document_ids: Sequence[int] | None = None
    ) -> list[Decision]:
        """An adjudicator's decisions (optionally on some documents), by document, layer and
        offset."""
        with self._read() as session:
            annotator_id = queries.annotator_id(session, adjudicator)
            if annotator_id is None:
                return []
            query = select(DecisionRow).where(DecisionRow.annotator_id == annotator_id)
            if document_ids is not None and len(set(document_ids)) <= ID_CHUNK:
                query = query.where(DecisionRow.document_id.in_(sorted(set(document_ids))))
            query = query.order_by(
                DecisionRow.document_id, DecisionRow.layer, DecisionRow.start, DecisionRow.end
            )
            wanted = None if document_ids is None else set(document_ids)
            return [
                to_decision(row, adjudicator)
                for row in session.scalars(query)
                if wanted is None or row.document_id in wanted
            ]

    def decide(
        self, adjudicator: str, rulings: Mapping[int, Sequence[Ruling]]
    ) -> dict[int, list[Annotation]]:
        """Write an adjudicator's decisions, per document id, in ONE transaction.

        Each ruling replaces the adjudicator's annotations on its layer that overlap its unit
        with the ruling's annotations (origin ``adjudication``) and records its verdict; each
        document gets one ``decide`` event, which undo reverts as one step. Returns the
        annotations added, per document.
        """
        return self.decide_touching(adjudicator, rulings, touch="never").added

    def decide_touching(
        self, adjudicator: str, rulings: Mapping[int, Sequence[Ruling]], *, touch: Touch
    ) -> Decided:
        """:meth:`decide`, moving the adjudicator's status on a document to ``in_progress``
        in the same transaction: on every document ruled on (``always``: a rejection is a
        change to the gold too), on those where annotations were written (``written``), or
        on none (``never``). Returns the annotations added and the statuses before."""
        segment_layers = [layer.name for layer in self._scheme.segment_layers]

        def work(session: Session) -> Decided:
            added: dict[int, list[Annotation]] = {}
            previous: dict[int, DocStatus] = {}
            annotator_id = self._known.author(session, adjudicator)
            now = history.now()
            for document_id in sorted(rulings):
                if not rulings[document_id]:
                    continue
                self._known.length(session, document_id)
                new, before, after = write_rulings(
                    session,
                    annotator_id,
                    adjudicator,
                    document_id,
                    rulings[document_id],
                    now,
                    segment_layers,
                )
                history.log(
                    session, annotator_id, document_id, "decide", before=before, after=after
                )
                added[document_id] = new
                if touch == "always" or (touch == "written" and new):
                    previous[document_id] = queries.touch_status(session, annotator_id, document_id)
            return Decided(added, previous)

        return self._transact(work)
