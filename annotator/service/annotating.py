"""A reviewer's operations and their rules: tag, classify, attribute, note, done, reopen.

The annotate screen, the CLI and the adjudication screen all change annotations through
:class:`Annotating`, so a rule (what an attributed statement still lacks, what happens when a
finished document is changed) is written once and gives every front end the same answer.

Rules kept here:
- every change is checked (:mod:`annotator.service.checks`) before it reaches the store;
- a change to a document moves its status: ``todo`` becomes ``in progress``; a document
  marked ``done`` is reopened (``in progress``) and the outcome says so, since a finished
  document that changes must be finished again before it counts for agreement;
- marking a document done reports its gaps (sentences not classified, attributed
  statements without their source or cue) unless forced.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from annotator.core.scheme import Label, Scheme
from annotator.core.wording import plural
from annotator.service import checks
from annotator.store.dto import (
    Annotation,
    DocStatus,
    Document,
    DocumentSummary,
    Event,
    Origin,
    Saved,
)
from annotator.store.errors import InvalidAnnotation

if TYPE_CHECKING:
    from annotator.store.repository import Repository

T = TypeVar("T")
C = TypeVar("C")


def label_of(scheme: Scheme, annotation: Annotation) -> Label | None:
    layer = scheme.layer(annotation.layer)
    return layer.label(annotation.label) if layer is not None else None


def missing_attributes(scheme: Scheme, annotation: Annotation) -> tuple[str, ...]:
    """The span attributes (``source``, ``cue``) a statement's label requires and it lacks."""
    label = label_of(scheme, annotation)
    if label is None:
        return ()
    return tuple(role for role in label.requires if not _is_span(annotation.attrs.get(role)))


def _is_span(value: object) -> bool:
    return isinstance(value, Mapping) and "start" in value and "end" in value


@dataclass(frozen=True, slots=True)
class Gaps:
    """What keeps a document from being finished, for one reviewer.

    ``incomplete`` holds sentence indexes (from 0) of statements missing a required span;
    messages count sentences from 1.
    """

    total: int
    unclassified: int
    incomplete: tuple[int, ...]

    def __bool__(self) -> bool:
        return bool(self.unclassified or self.incomplete)

    def lines(self) -> list[str]:
        """The gaps as sentences a reviewer reads, e.g. before marking a document done."""
        out: list[str] = []
        if self.unclassified:
            verb = "is" if self.unclassified == 1 else "are"
            out.append(
                f"{self.unclassified} of {plural(self.total, 'sentence')} {verb} not classified."
            )
        if self.incomplete:
            numbers = ", ".join(str(i + 1) for i in self.incomplete)
            noun = "sentence" if len(self.incomplete) == 1 else "sentences"
            out.append(f"Attributions without source or cue: {noun} {numbers}.")
        return out


def incomplete_sentences(
    scheme: Scheme, document: Document, annotations: Iterable[Annotation]
) -> tuple[int, ...]:
    """Sentence indexes whose statement lacks a required source or cue span."""
    index = {segment: i for i, segment in enumerate(document.segments)}
    found = {
        index[(a.start, a.end)]
        for a in annotations
        if (a.start, a.end) in index and missing_attributes(scheme, a)
    }
    return tuple(sorted(found))


def document_gaps(scheme: Scheme, document: Document, annotations: Sequence[Annotation]) -> Gaps:
    """A reviewer's gaps on ``document`` given their ``annotations`` there.

    Classified means labelled on the scheme's first segment layer (the statement layer).
    """
    layers = scheme.segment_layers
    if not layers:
        return Gaps(len(document.segments), 0, ())
    statements = [a for a in annotations if a.layer == layers[0].name]
    on_segment = set(document.segments)
    classified = {(a.start, a.end) for a in statements if (a.start, a.end) in on_segment}
    return Gaps(
        total=len(document.segments),
        unclassified=len(document.segments) - len(classified),
        incomplete=incomplete_sentences(scheme, document, statements),
    )


@dataclass(frozen=True, slots=True)
class Outcome(Generic[T]):
    """What a change did: its result, the document's status after it, and whether the
    change reopened a document the reviewer had marked done."""

    value: T
    document_id: int | None
    status: DocStatus | None
    reopened: bool = False
    existed: bool = False
    """The same span was already there: nothing was added (``value`` is the one stored)."""

    @property
    def notice(self) -> str:
        """A line for the reviewer when the change had a side effect worth telling."""
        if self.existed:
            return "That span was already there; nothing was added"
        return "The document was marked done; this change reopened it" if self.reopened else ""


class Annotating:
    """One reviewer's changes to one database, each checked, each one transaction.

    Calls are safe from a worker thread (the repository serializes its own work); the
    annotate screen runs them on its ordered writer.
    """

    def __init__(self, repo: Repository, reviewer: str) -> None:
        self.repo = repo
        self.reviewer = checks.check_reviewer(repo, reviewer)
        # Documents never change after import: their sizes are read once per document.
        self._summaries: dict[int, DocumentSummary] = {}

    @property
    def scheme(self) -> Scheme:
        return self.repo.scheme()

    # ------------------------------------------------------------------ reading

    def annotations(self, document_id: int) -> list[Annotation]:
        """The reviewer's own annotations on the document (reviewers stay blind)."""
        return self.repo.annotations(document_id, self.reviewer)

    def status(self, document_id: int) -> DocStatus:
        return self.repo.status(document_id, self.reviewer)

    def gaps(self, document: Document) -> Gaps:
        return document_gaps(self.scheme, document, self.annotations(document.id))

    # ------------------------------------------------------------------ changes

    def tag(
        self,
        document_id: int,
        layer: str,
        label: str,
        start: int,
        end: int,
        *,
        note: str | None = None,
        origin: Origin = "manual",
        attrs: Mapping[str, Any] | None = None,
    ) -> Outcome[Annotation]:
        """Add a span with a label on a span layer (overlaps allowed).

        A span the reviewer already has (same layer, label and offsets) is not added twice:
        the outcome is the one stored, marked ``existed``, and nothing changes.
        """
        origin, attrs = self._written(origin, attrs, lambda: {})
        found = checks.check_layer_label(self.scheme, layer, label)
        checks.check_kind(found, "span")
        checks.check_origin(origin)
        n_chars = self._length(document_id)
        checks.check_offsets(start, end, n_chars)
        clean = checks.check_attrs(_with_note(attrs, note), n_chars)
        saved = self.repo.tag_span(
            self.reviewer,
            document_id,
            layer,
            label,
            start,
            end,
            attrs=clean,
            origin=origin,
            touch=True,
        )
        if not saved.fresh:
            return Outcome(saved.annotation, document_id, self.status(document_id), existed=True)
        return _outcome(saved)

    def classify(
        self,
        document_id: int,
        layer: str,
        sentence: int,
        label: str,
        *,
        note: str | None = None,
        origin: Origin = "manual",
        attrs: Mapping[str, Any] | None = None,
    ) -> Outcome[Annotation]:
        """Label sentence ``sentence`` (an index, from 0) on a segment layer, replacing the
        reviewer's previous label of it; its note and attributes are kept unless given."""
        origin, attrs = self._written(
            origin, attrs, lambda: self._sentence_attrs(document_id, layer, sentence)
        )
        found = checks.check_layer_label(self.scheme, layer, label)
        checks.check_kind(found, "segment")
        checks.check_origin(origin)
        summary = self._summary(document_id)
        checks.check_sentence(sentence + 1, summary.n_segments)
        given = None if attrs is None and note is None else _with_note(attrs, note)
        clean = None if given is None else checks.check_attrs(given, summary.n_chars)
        saved = self.repo.label_sentence(
            self.reviewer,
            document_id,
            layer,
            sentence,
            label,
            attrs=clean,
            origin=origin,
            touch=True,
        )
        return _outcome(saved)

    def attribute(
        self, annotation_id: int, spans: Mapping[str, tuple[int, int]]
    ) -> Outcome[Annotation]:
        """Set an attributed statement's role spans (``source``, ``cue``) at once."""
        current = self.repo.annotation(self.reviewer, annotation_id)
        label = label_of(self.scheme, current)
        requires = label.requires if label is not None else ()
        attrs = dict(current.attrs)
        for role, (start, end) in spans.items():
            if role not in requires:
                takes = ", ".join(requires) or "no attribute spans"
                raise InvalidAnnotation(
                    f"label {current.label!r} takes {takes}, not {role!r}; classify the"
                    " sentence as a label that asks for it"
                )
            attrs[role] = {"start": start, "end": end}
        return self._update(current, attrs=attrs)

    def note(self, annotation_id: int, text: str | None) -> Outcome[Annotation]:
        """Write, replace or (with an empty text) remove an annotation's note."""
        current = self.repo.annotation(self.reviewer, annotation_id)
        attrs = dict(current.attrs)
        if text and text.strip():
            attrs["note"] = text
        else:
            attrs.pop("note", None)
        return self._update(current, attrs=attrs)

    def move(self, annotation_id: int, start: int, end: int) -> Outcome[Annotation]:
        """Move a span's boundaries (sentence labels stay on their sentence)."""
        current = self.repo.annotation(self.reviewer, annotation_id)
        layer = checks.check_layer(self.scheme, current.layer)
        checks.check_kind(layer, "span")
        return self._update(current, start=start, end=end)

    def relabel(self, annotation_id: int, label: str) -> Outcome[Annotation]:
        current = self.repo.annotation(self.reviewer, annotation_id)
        checks.check_layer_label(self.scheme, current.layer, label)
        return self._update(current, label=label)

    def remove(self, annotation_id: int) -> Outcome[Annotation]:
        return _outcome(self.repo.delete_annotation(self.reviewer, annotation_id, touch=True))

    def undo(self) -> Outcome[Event | None]:
        """Revert the reviewer's latest change, on whatever document it was."""
        return self._history("undo")

    def redo(self) -> Outcome[Event | None]:
        return self._history("redo")

    # ------------------------------------------------------------------ status

    def mark_done(self, document: Document, *, force: bool = False) -> Gaps:
        """Mark the document done; with gaps and not ``force``, change nothing and return
        them (the caller asks the reviewer, then calls again with ``force``)."""
        return self._finish(document.id, self.gaps(document), force)

    def reopen(self, document_id: int) -> None:
        """Put the document back in progress (a finished one must be finished again)."""
        self.repo.set_status(self.reviewer, document_id, "in_progress")

    # ------------------------------------------------------------------ helpers

    def _written(
        self,
        origin: Origin,
        attrs: Mapping[str, Any] | None,
        current: Callable[[], Mapping[str, Any]],
    ) -> tuple[Origin, Mapping[str, Any] | None]:
        """The origin and attributes :meth:`tag` and :meth:`classify` write: as given.

        This is where an adjudicator's rulebook differs (it writes gold by hand:
        :class:`~annotator.service.adjudicating.Adjudicating`); ``current`` reads the
        attributes already there (a relabelled sentence's; none for a new span).
        """
        return origin, attrs

    def _sentence_attrs(self, document_id: int, layer: str, sentence: int) -> dict[str, Any]:
        """The attributes of the reviewer's label of sentence ``sentence`` on ``layer`` ({}
        when it has none)."""
        segments = self.repo.document(document_id).segments
        segment = segments[sentence] if 0 <= sentence < len(segments) else None
        current = next(
            (
                a
                for a in self.annotations(document_id)
                if a.layer == layer and (a.start, a.end) == segment
            ),
            None,
        )
        return dict(current.attrs) if current is not None else {}

    def _finish(self, document_id: int, check: C, force: bool) -> C:
        """Mark the document done unless ``check`` found something in the way and not
        ``force``; returns ``check`` for the caller to show (and ask again with ``force``)."""
        if check and not force:
            return check
        self.repo.set_status(self.reviewer, document_id, "done")
        return check

    def _summary(self, document_id: int) -> DocumentSummary:
        summary = self._summaries.get(document_id)
        if summary is None:
            summary = self.repo.summary(document_id=document_id)
            if summary is None:
                self.repo.document(document_id)  # raises NotFound with the usual message
                raise AssertionError("unreachable")
            self._summaries[document_id] = summary
        return summary

    def _length(self, document_id: int) -> int:
        return self._summary(document_id).n_chars

    def _update(
        self,
        current: Annotation,
        *,
        start: int | None = None,
        end: int | None = None,
        label: str | None = None,
        attrs: Mapping[str, Any] | None = None,
    ) -> Outcome[Annotation]:
        n_chars = self._length(current.document_id)
        checks.check_offsets(
            current.start if start is None else start, current.end if end is None else end, n_chars
        )
        clean = None if attrs is None else checks.check_attrs(attrs, n_chars)
        saved = self.repo.edit_annotation(
            self.reviewer, current.id, start=start, end=end, label=label, attrs=clean, touch=True
        )
        return _outcome(saved)

    def _history(self, action: str) -> Outcome[Event | None]:
        event, previous = self.repo.step_history(self.reviewer, action, touch=True)
        if event is None or event.document_id is None:
            return Outcome(event, None, None)
        if previous is None:  # a decision on a suggestion: the reviewer's work is as it was
            status = self.repo.status(event.document_id, self.reviewer)
            return Outcome(event, event.document_id, status)
        return Outcome(event, event.document_id, "in_progress", previous == "done")


def _outcome(saved: Saved) -> Outcome[Annotation]:
    """A change committed with the status moved in the same transaction: todo and done
    become in progress (done is reported as reopened)."""
    annotation = saved.annotation
    return Outcome(annotation, annotation.document_id, "in_progress", saved.previous == "done")


def _with_note(attrs: Mapping[str, Any] | None, note: str | None) -> dict[str, Any]:
    merged = dict(attrs or {})
    if note:
        merged["note"] = note
    return merged
