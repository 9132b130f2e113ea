"""Changes: a reviewer adds, relabels, moves and removes annotations, marks a document's
status, and undoes or redoes what they did.

Each public method is one committed transaction that writes the change and its row in the
events log together, so a caller that got a return value may tell the user "saved". The
``touch`` variants (``tag_span``, ``label_sentence``, ``edit_annotation``,
``delete_annotation``, ``step_history``) also move the author's status on the document to
``in_progress`` in the same transaction (``queries.touch_status``); the older names
(``add_span``, ``set_segment_label``, ``update_annotation``, ``remove_annotation``) return the
annotation alone and move no status.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, cast

from sqlalchemy import Table, func, insert, select, update
from sqlalchemy.orm import Session

from annotator.store import converters, history, queries
from annotator.store.dto import Annotation, DocStatus, Event, Origin, Saved
from annotator.store.errors import NotFound
from annotator.store.models import AnnotationRow, SegmentRow
from annotator.store.transactions import Transactions

ANNOTATIONS = cast(Table, AnnotationRow.__table__)


class Changes(Transactions):
    """The repository's writes of one reviewer's work: annotations, statuses, undo and redo."""

    # ------------------------------------------------------------------ annotations

    def add_span(
        self,
        annotator: str,
        document_id: int,
        layer: str,
        label: str,
        start: int,
        end: int,
        *,
        attrs: Mapping[str, Any] | None = None,
        origin: Origin = "manual",
        provenance: str | None = None,
    ) -> Annotation:
        """Add a span on a span layer; overlapping spans are allowed (see :meth:`tag_span`)."""
        return self.tag_span(
            annotator,
            document_id,
            layer,
            label,
            start,
            end,
            attrs=attrs,
            origin=origin,
            provenance=provenance,
        ).annotation

    def tag_span(
        self,
        annotator: str,
        document_id: int,
        layer: str,
        label: str,
        start: int,
        end: int,
        *,
        attrs: Mapping[str, Any] | None = None,
        origin: Origin = "manual",
        provenance: str | None = None,
        touch: bool = False,
    ) -> Saved:
        """Add a span on a span layer, once.

        The same span (annotator, layer, label, offsets) is stored once: asking again, say
        from a second terminal, returns the one stored, unchanged, ``fresh`` False. With
        ``touch`` a new span moves the author's status on the document to ``in_progress`` in
        the same transaction (see :class:`~annotator.store.dto.Saved`).
        """

        def work(session: Session) -> tuple[Annotation, bool, int]:
            self._known.length(session, document_id)
            annotator_id = self._known.author(session, annotator)
            table = ANNOTATIONS
            same = session.execute(
                select(table).where(
                    table.c.document_id == document_id,
                    table.c.annotator_id == annotator_id,
                    table.c.layer == layer,
                    table.c.label == label,
                    table.c.start == start,
                    table.c.end == end,
                )
            ).first()
            if same is not None:
                return converters.annotation_from(same._mapping, annotator), False, annotator_id
            made = insert_annotation(
                session,
                annotator,
                document_id=document_id,
                annotator_id=annotator_id,
                layer=layer,
                label=label,
                start=start,
                end=end,
                segment=None,
                attrs=attrs,
                origin=origin,
                provenance=provenance,
            )
            return made, True, annotator_id

        return self._save(work, touch)

    def _save(self, work: Callable[[Session], tuple[Annotation, bool, int]], touch: bool) -> Saved:
        """Run a change to one annotation; with ``touch`` also move the author's status."""

        def unit(session: Session) -> Saved:
            annotation, fresh, annotator_id = work(session)
            previous = None
            if touch and fresh:
                previous = queries.touch_status(session, annotator_id, annotation.document_id)
            return Saved(annotation, fresh, previous)

        return self._transact(unit)

    def set_segment_label(
        self,
        annotator: str,
        document_id: int,
        layer: str,
        segment_index: int,
        label: str,
        *,
        attrs: Mapping[str, Any] | None = None,
        origin: Origin = "manual",
        provenance: str | None = None,
    ) -> Annotation:
        """Label a sentence on a segment layer, replacing this annotator's previous label of it.

        ``attrs`` None keeps the previous label's attributes (a note survives a relabel).
        Setting the label it already has, with the same attributes, changes nothing.
        """
        return self.label_sentence(
            annotator,
            document_id,
            layer,
            segment_index,
            label,
            attrs=attrs,
            origin=origin,
            provenance=provenance,
        ).annotation

    def label_sentence(
        self,
        annotator: str,
        document_id: int,
        layer: str,
        segment_index: int,
        label: str,
        *,
        attrs: Mapping[str, Any] | None = None,
        origin: Origin = "manual",
        provenance: str | None = None,
        touch: bool = False,
    ) -> Saved:
        """:meth:`set_segment_label`, and with ``touch`` the author's status moved to
        ``in_progress`` in the same transaction."""

        def work(session: Session) -> tuple[Annotation, bool, int]:
            self._known.length(session, document_id)
            segment = (
                session.execute(
                    select(SegmentRow.start, SegmentRow.end).where(
                        SegmentRow.document_id == document_id, SegmentRow.index == segment_index
                    )
                ).first()
                if queries.storable(segment_index)
                else None
            )
            if segment is None:
                count = session.scalar(
                    select(func.count()).where(SegmentRow.document_id == document_id)
                )
                raise NotFound(
                    f"document {document_id} has no sentence {segment_index + 1}"
                    f" (it has {count}, counted from 1)"
                )
            annotator_id = self._known.author(session, annotator)
            table = ANNOTATIONS
            found = session.execute(
                select(table).where(
                    table.c.document_id == document_id,
                    table.c.annotator_id == annotator_id,
                    table.c.layer == layer,
                    table.c.segment == segment_index,
                )
            ).first()
            if found is None:
                made = insert_annotation(
                    session,
                    annotator,
                    document_id=document_id,
                    annotator_id=annotator_id,
                    layer=layer,
                    label=label,
                    start=segment.start,
                    end=segment.end,
                    segment=segment_index,
                    attrs=attrs,
                    origin=origin,
                    provenance=provenance,
                )
                return made, True, annotator_id
            current = dict(found._mapping)
            clean = dict(current["attrs"] or {}) if attrs is None else dict(attrs)
            if current["label"] == label and dict(current["attrs"] or {}) == clean:
                return converters.annotation_from(current, annotator), True, annotator_id
            before = converters.snapshot_from(current, annotator)
            changes = {
                "label": label,
                "attrs": clean,
                "origin": origin,
                "provenance": provenance,
                "updated_at": history.now(),
            }
            session.execute(update(table).where(table.c.id == current["id"]).values(**changes))
            current.update(changes)
            after = converters.snapshot_from(current, annotator)
            history.log(
                session,
                annotator_id,
                document_id,
                "update",
                current["id"],
                before=before,
                after=after,
            )
            return converters.annotation_from(current, annotator), True, annotator_id

        return self._save(work, touch)

    def update_annotation(
        self,
        annotator: str,
        annotation_id: int,
        *,
        start: int | None = None,
        end: int | None = None,
        label: str | None = None,
        attrs: Mapping[str, Any] | None = None,
    ) -> Annotation:
        """Move, relabel or re-attribute one of ``annotator``'s own annotations."""
        return self.edit_annotation(
            annotator, annotation_id, start=start, end=end, label=label, attrs=attrs
        ).annotation

    def edit_annotation(
        self,
        annotator: str,
        annotation_id: int,
        *,
        start: int | None = None,
        end: int | None = None,
        label: str | None = None,
        attrs: Mapping[str, Any] | None = None,
        touch: bool = False,
    ) -> Saved:
        """:meth:`update_annotation`, and with ``touch`` the author's status moved to
        ``in_progress`` in the same transaction."""

        def work(session: Session) -> tuple[Annotation, bool, int]:
            row, annotator_id = queries.own_annotation(session, annotator, annotation_id)
            new_start = row.start if start is None else start
            new_end = row.end if end is None else end
            new_label = row.label if label is None else label
            clean = dict(row.attrs if attrs is None else attrs)
            unchanged = (new_start, new_end, new_label, clean) == (
                row.start,
                row.end,
                row.label,
                dict(row.attrs),
            )
            if unchanged:
                return converters.to_annotation(row, annotator), True, annotator_id
            before = converters.snapshot(row, annotator)
            row.start, row.end, row.label, row.attrs = new_start, new_end, new_label, clean
            row.updated_at = history.now()
            session.flush()
            after = converters.snapshot(row, annotator)
            history.log(
                session, annotator_id, row.document_id, "update", row.id, before=before, after=after
            )
            return converters.to_annotation(row, annotator), True, annotator_id

        return self._save(work, touch)

    def remove_annotation(self, annotator: str, annotation_id: int) -> Annotation:
        """Delete one of ``annotator``'s own annotations; returns it as it was."""
        return self.delete_annotation(annotator, annotation_id).annotation

    def delete_annotation(
        self, annotator: str, annotation_id: int, *, touch: bool = False
    ) -> Saved:
        """:meth:`remove_annotation`, and with ``touch`` the author's status moved to
        ``in_progress`` in the same transaction."""

        def work(session: Session) -> tuple[Annotation, bool, int]:
            row, annotator_id = queries.own_annotation(session, annotator, annotation_id)
            removed = converters.to_annotation(row, annotator)
            before = converters.snapshot(row, annotator)
            session.delete(row)
            history.log(
                session, annotator_id, row.document_id, "remove", annotation_id, before=before
            )
            return removed, True, annotator_id

        return self._save(work, touch)

    # ------------------------------------------------------------------ status

    def set_status(self, annotator: str, document_id: int, status: DocStatus) -> None:
        """Mark a document todo, in progress or done for ``annotator``."""

        def work(session: Session) -> None:
            self._known.length(session, document_id)
            annotator_id = self._known.author(session, annotator)
            queries.put_status(session, annotator_id, document_id, status)

        return self._transact(work)

    # ------------------------------------------------------------------ history

    def undo(self, annotator: str) -> Event | None:
        """Revert ``annotator``'s latest change not yet undone, on whatever document.

        Returns the event reverted, or None when there is nothing to undo. Works across
        restarts: the stacks are computed from the events log.
        """
        return self.step_history(annotator, "undo")[0]

    def redo(self, annotator: str) -> Event | None:
        """Re-apply ``annotator``'s latest undone change; None when there is nothing to redo."""
        return self.step_history(annotator, "redo")[0]

    def step_history(
        self, name: str, action: str, *, touch: bool = False
    ) -> tuple[Event | None, DocStatus | None]:
        """Undo (``action`` "undo") or redo; with ``touch`` also move the author's status on
        the document the change was in to ``in_progress``, returning the one before."""

        def work(session: Session) -> tuple[Event | None, DocStatus | None]:
            annotator_id = queries.annotator_id(session, name)
            if annotator_id is None:
                return None, None
            queries.hold_reviewer(session, annotator_id)
            layers = [layer.name for layer in self._scheme.segment_layers]
            event = history.step(session, annotator_id, name, action, layers)
            previous = None
            # A decision on a suggestion changes none of the reviewer's work: no status moves.
            moved = event is not None and event.action not in history.SUGGESTION_DECISIONS
            if touch and moved and event is not None and event.document_id is not None:
                previous = queries.touch_status(session, annotator_id, event.document_id)
            return event, previous

        return self._transact(work)


def insert_annotation(
    session: Session,
    annotator: str,
    *,
    document_id: int,
    annotator_id: int,
    layer: str,
    label: str,
    start: int,
    end: int,
    segment: int | None,
    attrs: Mapping[str, Any] | None,
    origin: Origin,
    provenance: str | None,
) -> Annotation:
    """Insert a new annotation of ``annotator``, stamped now, with its ``add`` event.

    A plain INSERT: the unit of work's bookkeeping costs more than the row.
    """
    moment = history.now()
    values: dict[str, Any] = {
        "document_id": document_id,
        "annotator_id": annotator_id,
        "layer": layer,
        "label": label,
        "start": start,
        "end": end,
        "segment": segment,
        "attrs": dict(attrs or {}),
        "origin": origin,
        "provenance": provenance,
        "created_at": moment,
        "updated_at": moment,
    }
    values["id"] = session.execute(
        insert(ANNOTATIONS).values(**values).returning(ANNOTATIONS.c.id)
    ).scalar_one()
    after = converters.snapshot_from(values, annotator)
    history.log(session, annotator_id, document_id, "add", values["id"], after=after)
    return converters.annotation_from(values, annotator)
