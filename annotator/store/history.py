"""Undo and redo stacks, computed from the events log.

The log is the only record: an ``undo`` event names the change it reverted and a ``redo``
event the change it re-applied (``target_event_id``). Replaying one annotator's log gives
both stacks, so undo works across documents and after a restart, and two programs on the
same database agree on what the next undo does.

Every change is written with its event (:func:`log`) in one transaction;
:func:`apply_change` turns an annotation back or forth for an undo or redo, and
:func:`apply_decide` an adjudicator's decision (``store.decisions``) with its gold.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from annotator.store import converters
from annotator.store.dto import Event
from annotator.store.errors import HistoryConflict
from annotator.store.models import AnnotationRow, DecisionRow, EventRow, SegmentRow

CHANGES = ("add", "remove", "update", "decide")
"""Actions that undo can revert: changes to annotations, and adjudicators' decisions."""
HISTORY_ACTIONS = (*CHANGES, "undo", "redo")

SUGGESTION_DECISIONS = ("reject",)
"""A reviewer's decisions that change no annotation (rejecting a machine suggestion,
``annotator.store.suggestions``): undone and redone like changes, by logging the step alone."""
UNDOABLE = (*CHANGES, *SUGGESTION_DECISIONS)


@dataclass(frozen=True, slots=True)
class Stacks:
    """Event ids of the changes that can be undone and redone, latest last."""

    undo: tuple[int, ...]
    redo: tuple[int, ...]


def replay(log: Iterable[tuple[int, str, int | None]]) -> Stacks:
    """The stacks after ``log``: ``(event id, action, target event id)`` in id order.

    A change pushes onto the undo stack and clears the redo stack (a new change after an
    undo abandons what was undone); an undo moves its target to the redo stack, a redo moves
    it back.
    """
    undo: list[int] = []
    redo: list[int] = []
    for event_id, action, target in log:
        if action in UNDOABLE:
            undo.append(event_id)
            redo.clear()
        elif action == "undo" and target is not None:
            if target in undo:
                undo.remove(target)
            redo.append(target)
        elif action == "redo" and target is not None:
            if target in redo:
                redo.remove(target)
            undo.append(target)
    return Stacks(undo=tuple(undo), redo=tuple(redo))


def now() -> datetime:
    return datetime.now(UTC)


def log(
    session: Session,
    annotator_id: int | None,
    document_id: int | None,
    action: str,
    annotation_id: int | None = None,
    *,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    target: int | None = None,
) -> None:
    """Append one event, at once (a plain INSERT: every save writes one, and the unit of
    work's bookkeeping would cost more than the row)."""
    session.execute(
        insert(EventRow).values(
            annotator_id=annotator_id,
            document_id=document_id,
            action=action,
            annotation_id=annotation_id,
            target_event_id=target,
            before=None if before is None else dict(before),
            after=None if after is None else dict(after),
            created_at=now(),
        )
    )


def apply_change(
    session: Session,
    annotator_id: int,
    event: EventRow,
    current: Mapping[str, Any] | None,
    wanted: Mapping[str, Any] | None,
    segment_layers: Collection[str] = (),
) -> None:
    """Turn ``event``'s annotation from ``current`` into ``wanted`` (None: absent).

    The annotation must be as ``current`` says; anything else means it was changed outside
    this history and the step is refused rather than guessed.
    """
    annotation_id = event.annotation_id
    if annotation_id is None:
        raise HistoryConflict(f"event {event.id} ({event.action}) names no annotation")
    row = session.get(AnnotationRow, annotation_id)
    if current is None:
        if row is not None:
            raise HistoryConflict(
                f"annotation {annotation_id} exists again; the change cannot be replayed"
            )
    elif row is None:
        raise HistoryConflict(
            f"annotation {annotation_id} was removed meanwhile; the change cannot be replayed"
        )
    if wanted is None:
        if row is not None:
            session.delete(row)
        return
    values = row_values(wanted, annotator_id)
    if "segment" not in wanted:
        values["segment"] = older_segment(session, values, segment_layers)
    if row is None:
        session.add(AnnotationRow(id=annotation_id, **values))
    else:
        for key, value in values.items():
            if key != "created_at":
                setattr(row, key, value)
        row.updated_at = now()
    session.flush()


def older_segment(
    session: Session, values: Mapping[str, Any], segment_layers: Collection[str]
) -> int | None:
    """The sentence index of an annotation logged before the log kept it (revision 0002):
    that of the segment under its offsets, on a segment layer."""
    if values["layer"] not in segment_layers:
        return None
    found = session.scalar(
        select(SegmentRow.index).where(
            SegmentRow.document_id == values["document_id"],
            SegmentRow.start == values["start"],
            SegmentRow.end == values["end"],
        )
    )
    return None if found is None else int(found)


def row_values(snapshot: Mapping[str, Any], annotator_id: int) -> dict[str, Any]:
    return {
        "document_id": snapshot["document_id"],
        "annotator_id": annotator_id,
        "layer": snapshot["layer"],
        "label": snapshot["label"],
        "start": snapshot["start"],
        "end": snapshot["end"],
        "segment": snapshot.get("segment"),
        "attrs": dict(snapshot["attrs"]),
        "origin": snapshot["origin"],
        "provenance": snapshot.get("provenance"),
        "created_at": datetime.fromisoformat(snapshot["created_at"]),
        "updated_at": datetime.fromisoformat(snapshot["updated_at"]),
    }


def apply_decide(
    session: Session,
    annotator_id: int,
    document_id: int | None,
    current: Mapping[str, Any] | None,
    wanted: Mapping[str, Any] | None,
    now: datetime,
) -> None:
    """Turn a ``decide`` event's units from ``current`` into ``wanted`` (undo or redo).

    Every annotation ``current`` holds must still exist; anything else means it was changed
    outside this history, and the step is refused rather than guessed.
    """
    if document_id is None or current is None or wanted is None:
        raise HistoryConflict("the decision's document is gone; it cannot be replayed")
    for snap in current.get("annotations", []):
        row = session.get(AnnotationRow, snap["id"])
        if row is None:
            raise HistoryConflict(
                f"annotation {snap['id']} was removed meanwhile; the decision cannot be replayed"
            )
        session.delete(row)
    for snap in current.get("decisions", []):
        key = (document_id, annotator_id, snap["layer"], snap["start"], snap["end"])
        found = session.get(DecisionRow, key)
        if found is not None:
            session.delete(found)
    session.flush()
    for snap in wanted.get("annotations", []):
        if session.get(AnnotationRow, snap["id"]) is not None:
            raise HistoryConflict(
                f"annotation {snap['id']} exists again; the decision cannot be replayed"
            )
        session.add(AnnotationRow(id=snap["id"], **row_values(snap, annotator_id)))
    for snap in wanted.get("decisions", []):
        session.add(
            DecisionRow(
                document_id=document_id,
                annotator_id=annotator_id,
                layer=snap["layer"],
                start=snap["start"],
                end=snap["end"],
                verdict=snap["verdict"],
                taken=list(snap["taken"]),
                updated_at=now,
            )
        )
    session.flush()


def step(
    session: Session,
    annotator_id: int,
    name: str,
    action: str,
    segment_layers: Collection[str] = (),
) -> Event | None:
    """Undo (``action`` "undo") or redo ``name``'s latest change, logging the step; None when
    the stack is empty. ``segment_layers`` names the scheme's segment layers, for changes
    logged before the log kept an annotation's sentence index."""
    log_rows = session.execute(
        select(EventRow.id, EventRow.action, EventRow.target_event_id)
        .where(
            EventRow.annotator_id == annotator_id,
            EventRow.action.in_((*HISTORY_ACTIONS, *SUGGESTION_DECISIONS)),
        )
        .order_by(EventRow.id)
    )
    stacks = replay((int(i), str(a), t) for i, a, t in log_rows)
    stack = stacks.undo if action == "undo" else stacks.redo
    if not stack:
        return None
    target = session.get_one(EventRow, stack[-1])
    if action == "undo":
        before, after = target.after, target.before
    else:
        before, after = target.before, target.after
    if target.action == "decide":
        apply_decide(session, annotator_id, target.document_id, before, after, now())
    elif target.action not in SUGGESTION_DECISIONS:
        apply_change(session, annotator_id, target, before, after, segment_layers)
    log(
        session,
        annotator_id,
        target.document_id,
        action,
        target.annotation_id,
        before=before,
        after=after,
        target=target.id,
    )
    return converters.to_event(target, name)
