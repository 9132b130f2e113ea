"""Machine suggestions in the store: a run that replaces a machine's undecided suggestions,
and the reviewers' decisions on them.

A suggestion is an annotation of an annotator whose role is ``machine``, origin
``suggestion``. A reviewer decides one by

* accepting it: the reviewer gets an annotation of their own, origin ``suggestion``, whose
  ``attrs`` name the suggestion (``suggestion``: its id) and the rule that made it
  (``from_rule``);
* rejecting it: an event ``reject`` of the reviewer that names the suggestion
  (``annotation_id``). It is undone and redone like any change, so ``u`` brings a rejected
  suggestion back.

A suggestion is *decided* when a reviewer's annotation names it or a reviewer's rejection of
it stands (not undone). A new run of the suggesters replaces a machine's undecided
suggestions and keeps the decided ones; a new suggestion that repeats a kept one (the same
span with the same label, or the same sentence of a segment layer) is not written again.

Nothing here tells one reviewer about another's decisions: the per-reviewer reads take the
reviewer's id, and only a run (which is no reviewer) looks at everyone's.

:class:`MachineSuggestions` is the repository's part for suggestions (listing, rejecting,
replacing them in a run; accepting one is an ordinary change, ``store.changes``), beside the
work it runs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from annotator.core.scheme import Scheme
from annotator.store import converters, history, queries
from annotator.store.bulk import ANNOTATION_COLUMNS, LOOKUP_CHUNK, RowWriter
from annotator.store.dto import SUGGESTION_KEY, Annotation, Document, NewAnnotation, suggestion_id
from annotator.store.errors import InvalidInput, NotFound
from annotator.store.models import AnnotationRow, AnnotatorRow, DocumentRow, EventRow
from annotator.store.transactions import Transactions

REJECT = "reject"
"""The event action of a reviewer's rejection."""
RUN = "suggest"
"""The event action that records a run of the suggesters (who, how many)."""
DOCUMENT_BATCH = 500
"""Documents read, suggested and written per round within a run's transaction."""

Propose = Callable[[Sequence[Document]], Iterable[Iterable[NewAnnotation]]]
"""What a run asks of its caller: the suggestions for each document of a batch, in order."""


@dataclass(frozen=True, slots=True)
class SuggestionsStored:
    """What a run did: documents gone through, suggestions written, undecided suggestions
    removed, decided ones kept, and whether the machine annotator was created now."""

    machine: str
    documents: int
    added: int
    removed: int
    kept: int
    created: bool


def not_a_machine(name: str, role: str) -> InvalidInput:
    """The error for a run asked to store its suggestions as a person (of role ``role``)."""
    return InvalidInput(
        f"annotator {name!r} already exists with role {role!r}; suggestions"
        " belong to a machine annotator: choose another name with --as"
    )


def chunks(values: Sequence[int], size: int = LOOKUP_CHUNK) -> Iterator[Sequence[int]]:
    for offset in range(0, len(values), size):
        yield values[offset : offset + size]


def rejected(
    connection: Connection, document_ids: Sequence[int], annotator_id: int | None = None
) -> set[int]:
    """Ids of the suggestions whose rejection stands on these documents (by anyone, or by
    ``annotator_id`` only): every undo of a ``reject`` event has been matched by a redo.

    Undo and redo events carry the document of the change they step, so the documents' index
    finds them all.
    """
    found: dict[int, int] = {}
    balance: Counter[int] = Counter()
    for part in chunks(document_ids):
        query = select(
            EventRow.id, EventRow.action, EventRow.annotation_id, EventRow.target_event_id
        ).where(EventRow.document_id.in_(part), EventRow.action.in_((REJECT, "undo", "redo")))
        if annotator_id is not None:
            query = query.where(EventRow.annotator_id == annotator_id)
        for event_id, action, annotation_id, target in connection.execute(query):
            if action == REJECT and annotation_id is not None:
                found[event_id] = annotation_id
            elif target is not None:
                balance[target] += 1 if action == "undo" else -1
    return {suggestion for event, suggestion in found.items() if balance[event] <= 0}


def accepted(connection: Connection, document_ids: Sequence[int]) -> set[int]:
    """Ids of the suggestions some annotation on these documents names as its origin."""
    named = AnnotationRow.attrs[SUGGESTION_KEY].as_string()
    found: set[int] = set()
    for part in chunks(document_ids):
        query = select(named).where(AnnotationRow.document_id.in_(part), named.is_not(None))
        for (value,) in connection.execute(query):
            number = suggestion_id(value)
            if number is not None:
                found.add(number)
    return found


class SuggestionRun:
    """One run on an open connection whose transaction the caller owns.

    Documents are read, handed to ``propose`` and written a batch at a time; the caller's
    transaction makes the whole run all-or-nothing.
    """

    def __init__(self, connection: Connection, scheme: Scheme, *, now: datetime) -> None:
        self._connection = connection
        self._segment_layers = {layer.name for layer in scheme.segment_layers}
        self._now = now
        self._writer = RowWriter(connection, AnnotationRow.__table__, ANNOTATION_COLUMNS)
        self.added = 0
        self.removed = 0
        self.kept = 0
        self.documents = 0

    def machine(self, name: str) -> tuple[int, bool]:
        """The id of the machine annotator ``name`` (created if missing) and whether it was
        created now; a person of that name is refused."""
        row = self._connection.execute(
            select(AnnotatorRow.id, AnnotatorRow.role).where(AnnotatorRow.name == name)
        ).first()
        if row is not None:
            if row.role != "machine":
                raise not_a_machine(name, row.role)
            return int(row.id), False
        created = self._connection.execute(
            insert(AnnotatorRow)
            .values(name=name, role="machine", created_at=self._now)
            .returning(AnnotatorRow.id)
        ).scalar_one()
        self._connection.execute(
            insert(EventRow).values(
                annotator_id=created,
                document_id=None,
                action="annotator",
                after={"name": name, "role": "machine"},
                created_at=self._now,
            )
        )
        return int(created), True

    def documents_in(self, document_ids: Sequence[int] | None) -> Iterator[list[Document]]:
        """The documents (all, or those of ``document_ids``) with their segments, a batch at
        a time, in id order."""
        if document_ids is not None:
            for part in chunks(sorted(set(document_ids)), DOCUMENT_BATCH):
                yield self._read(DocumentRow.id.in_(part))
            return
        last = 0
        while True:
            batch = self._read(DocumentRow.id > last, limit=DOCUMENT_BATCH)
            if not batch:
                return
            last = batch[-1].id
            yield batch

    def _read(self, where: Any, limit: int | None = None) -> list[Document]:
        query = (
            select(
                DocumentRow.id,
                DocumentRow.external_id,
                DocumentRow.title,
                DocumentRow.text,
                DocumentRow.sha256,
                DocumentRow.meta,
            )
            .where(where)
            .order_by(DocumentRow.id)
        )
        if limit is not None:
            query = query.limit(limit)
        rows = self._connection.execute(query).all()
        if not rows:
            return []
        segments = queries.segments_of(self._connection, [row.id for row in rows])
        return [
            Document(
                id=row.id,
                external_id=row.external_id,
                title=row.title,
                text=row.text,
                sha256=row.sha256,
                meta=dict(row.meta or {}),
                segments=segments[row.id],
            )
            for row in rows
        ]

    def replace(
        self, machine_id: int, proposals: Sequence[tuple[Document, Iterable[NewAnnotation]]]
    ) -> None:
        """Replace the machine's undecided suggestions on the documents of ``proposals``
        (each document with its suggestions: the ``annotator`` of each is ignored, the
        machine's is written) by the suggestions given."""
        ids = [doc.id for doc, _ in proposals]
        decided = accepted(self._connection, ids) | rejected(self._connection, ids)
        kept: set[tuple[Any, ...]] = set()
        undecided: list[int] = []
        for part in chunks(ids):
            for row in self._connection.execute(
                select(
                    AnnotationRow.id,
                    AnnotationRow.document_id,
                    AnnotationRow.layer,
                    AnnotationRow.label,
                    AnnotationRow.start,
                    AnnotationRow.end,
                ).where(
                    AnnotationRow.annotator_id == machine_id, AnnotationRow.document_id.in_(part)
                )
            ):
                if row.id in decided:
                    kept.add(self._key(row.document_id, row.layer, row.label, row.start, row.end))
                    self.kept += 1
                else:
                    undecided.append(row.id)
        for part in chunks(undecided):
            self._connection.execute(delete(AnnotationRow).where(AnnotationRow.id.in_(part)))
        writer = self._writer
        now = writer.bind("created_at", self._now)
        rows: list[tuple[Any, ...]] = []
        for doc, items in proposals:
            sentence = {span: index for index, span in enumerate(doc.segments)}
            for item in items:
                key = self._key(doc.id, item.layer, item.label, item.start, item.end)
                if key in kept:
                    continue
                kept.add(key)
                segment = (
                    sentence.get((item.start, item.end))
                    if item.layer in self._segment_layers
                    else None
                )
                rows.append(
                    (  # in the order of ANNOTATION_COLUMNS
                        doc.id,
                        machine_id,
                        item.layer,
                        item.label,
                        item.start,
                        item.end,
                        segment,
                        writer.bind("attrs", dict(item.attrs)),
                        "suggestion",
                        None,
                        now,
                        now,
                    )
                )
        if rows:
            writer.write(rows)
        self.documents += len(ids)
        self.added += len(rows)
        self.removed += len(undecided)

    def _key(
        self, document_id: int, layer: str, label: str, start: int, end: int
    ) -> tuple[Any, ...]:
        """Two suggestions are the same when they mark the same span with the same label, or,
        on a segment layer, the same sentence (one label per sentence)."""
        if layer in self._segment_layers:
            return (document_id, layer, start, end)
        return (document_id, layer, label, start, end)


def machine_suggestion(session: Session, suggestion_id: int) -> tuple[AnnotationRow, str]:
    """A machine's suggestion and the machine's name; ``NotFound`` for anything else (a
    reviewer's annotation, or a suggestion a new run replaced)."""
    found = session.execute(
        select(AnnotationRow, AnnotatorRow.name)
        .join(AnnotatorRow, AnnotatorRow.id == AnnotationRow.annotator_id)
        .where(AnnotationRow.id == suggestion_id, AnnotatorRow.role == "machine")
    ).first()
    if found is None:
        raise NotFound(
            f"there is no suggestion {suggestion_id}; it may have been replaced by a"
            " new run of `annotator suggest`"
        )
    return found[0], found[1]


class MachineSuggestions(Transactions):
    """The repository's reads and writes of machine suggestions and reviewers' rejections."""

    def replace_suggestions(
        self,
        machine: str,
        propose: Propose,
        *,
        document_ids: Sequence[int] | None = None,
        on_progress: Callable[[int], None] | None = None,
    ) -> SuggestionsStored:
        """Replace the undecided suggestions of the machine annotator ``machine`` (created if
        missing) on the documents (all, or ``document_ids``) by what ``propose`` gives for
        each batch of them, in ONE transaction; suggestions a reviewer has decided stay
        (``annotator.store.suggestions``). ``on_progress`` gets the documents done so far."""

        def work(session: Session) -> SuggestionsStored:
            run = SuggestionRun(session.connection(), self._scheme, now=history.now())
            machine_id, created = run.machine(machine)
            for batch in run.documents_in(document_ids):
                run.replace(machine_id, list(zip(batch, propose(batch), strict=True)))
                if on_progress is not None:
                    on_progress(run.documents)
            history.log(
                session,
                machine_id,
                None,
                RUN,
                after={
                    "documents": run.documents,
                    "added": run.added,
                    "removed": run.removed,
                    "kept": run.kept,
                },
            )
            return SuggestionsStored(
                machine, run.documents, run.added, run.removed, run.kept, created
            )

        return self._transact(work)

    def suggestions(self, document_id: int) -> list[Annotation]:
        """The suggestions of every machine annotator on one document, in text order.

        Any reviewer may read them: machines are not reviewers, so blindness holds.
        """
        with self._read() as session:
            rows = session.execute(
                select(AnnotationRow, AnnotatorRow.name)
                .join(AnnotatorRow, AnnotatorRow.id == AnnotationRow.annotator_id)
                .where(AnnotationRow.document_id == document_id, AnnotatorRow.role == "machine")
                .order_by(
                    AnnotationRow.start, AnnotationRow.end, AnnotationRow.layer, AnnotationRow.id
                )
            )
            return [converters.to_annotation(row, name) for row, name in rows]

    def suggestion(self, suggestion_id: int) -> Annotation:
        """One machine suggestion; ``NotFound`` for anything else (a reviewer's annotation)."""
        with self._read() as session:
            row, machine = machine_suggestion(session, suggestion_id)
            return converters.to_annotation(row, machine)

    def rejected_suggestions(self, annotator: str, document_id: int) -> frozenset[int]:
        """The suggestions on the document whose rejection by ``annotator`` stands."""
        with self._read() as session:
            annotator_id = queries.annotator_id(session, annotator)
            if annotator_id is None:
                return frozenset()
            return frozenset(rejected(session.connection(), [document_id], annotator_id))

    def reject_suggestion(self, annotator: str, suggestion_id: int) -> Annotation:
        """Record that ``annotator`` rejects the suggestion (an undoable ``reject`` event);
        rejecting it again changes nothing. Returns the suggestion."""

        def work(session: Session) -> Annotation:
            row, machine = machine_suggestion(session, suggestion_id)
            annotator_id = queries.author_id(session, annotator)
            standing = rejected(session.connection(), [row.document_id], annotator_id)
            if suggestion_id not in standing:
                history.log(
                    session,
                    annotator_id,
                    row.document_id,
                    REJECT,
                    suggestion_id,
                    after=converters.snapshot(row, machine),
                )
            return converters.to_annotation(row, machine)

        return self._transact(work)
