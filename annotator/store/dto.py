"""Frozen values the repository hands out.

Widgets, the CLI and the report never see ORM rows: every read returns these dataclasses, so a
value can cross threads and outlive its session safely.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

Role = Literal["annotator", "adjudicator", "machine"]
Origin = Literal["manual", "suggestion", "import", "adjudication"]
DocStatus = Literal["todo", "in_progress", "done"]
Verdict = Literal["take", "all", "reject", "auto"]


@dataclass(frozen=True, slots=True)
class Annotator:
    id: int
    name: str
    role: Role


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    """A document without its text: enough for a documents table."""

    id: int
    external_id: str
    title: str
    sha256: str
    n_chars: int
    n_words: int
    n_segments: int


@dataclass(frozen=True, slots=True)
class Document:
    """A document with its canonical text and its sentence segments ``(start, end)``."""

    id: int
    external_id: str
    title: str
    text: str
    sha256: str
    meta: Mapping[str, Any]
    segments: tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class Annotation:
    """One annotation: a span on a span layer, or a segment label on a segment layer.

    Offsets are code points, half-open, into the document's canonical text. ``attrs`` holds
    span attributes (``{"source": {"start": s, "end": e}, "cue": {...}}``) and an optional
    ``"note"``.
    """

    id: int
    document_id: int
    annotator: str
    layer: str
    label: str
    start: int
    end: int
    attrs: Mapping[str, Any]
    origin: Origin
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class Saved:
    """A change to one annotation, committed, with what it did to the author's status.

    ``fresh`` is False when nothing was written because the same span was already stored
    (``annotation`` is that one). ``previous`` is the author's status on the document before
    the change when the change moved it to ``in_progress`` in the same transaction (asked for
    with ``touch``), else None.
    """

    annotation: Annotation
    fresh: bool = True
    previous: DocStatus | None = None


@dataclass(frozen=True, slots=True)
class Progress:
    """One annotator's progress on one document, for the documents screen."""

    document: DocumentSummary
    status: DocStatus
    classified: int
    spans: int


@dataclass(frozen=True, slots=True)
class Event:
    """One entry of the append-only change log.

    ``action`` is ``add``, ``remove``, ``update``, ``decide`` (an adjudicator's decision: the
    gold annotations and decisions it replaced and wrote, as lists under ``annotations`` and
    ``decisions``), ``status``, ``reject`` (a reviewer rejected the machine suggestion
    ``annotation_id``), ``undo`` or ``redo``, or one of the bookkeeping actions ``annotator``
    (an annotator was created), ``role`` (their role changed), ``import``, ``merge`` (another
    database merged in), ``dedupe`` (a duplicate an older release stored, removed by an
    upgrade; the annotation is in ``before``), ``scheme`` and ``suggest`` (a run of the
    suggesters); ``before``/``after`` are the annotation (or status) as plain dicts, None
    where absent. ``annotator`` is empty for ``import``, ``merge``, ``dedupe`` and ``scheme``,
    which are no one's in particular.
    """

    id: int
    annotator: str
    document_id: int | None
    action: str
    annotation_id: int | None
    before: Mapping[str, Any] | None
    after: Mapping[str, Any] | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class NewAnnotation:
    """An annotation about to be written (from an import or a script)."""

    annotator: str
    layer: str
    label: str
    start: int
    end: int
    attrs: Mapping[str, Any]
    origin: Origin = "import"


@dataclass(frozen=True, slots=True)
class NewDocument:
    """A validated document about to be imported: canonical text, segments, annotations.

    ``io/`` parsers produce these; ``Repository.import_documents`` writes a batch of them in
    one transaction.
    """

    external_id: str
    title: str
    text: str
    sha256: str
    meta: Mapping[str, Any]
    segments: tuple[tuple[int, int], ...]
    status: Mapping[str, DocStatus]
    annotations: tuple[NewAnnotation, ...] = ()


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import did: documents added, documents skipped because already present."""

    added: int
    skipped: int
    annotations: int


@dataclass(frozen=True, slots=True)
class SchemeUpdate:
    """What binding a database to a new scheme version did.

    ``revision`` is the database's scheme revision now in force (1 for the scheme it was
    created with); ``changed`` is False when the scheme was already the current one.
    ``orphaned`` counts, per ``(layer, label)``, the annotations whose layer or label the new
    scheme no longer has: they are kept, never dropped, and can be relabelled or removed.
    """

    revision: int
    changed: bool
    orphaned: Mapping[tuple[str, str], int]


@dataclass(frozen=True, slots=True)
class Decision:
    """An adjudicator's decision on one unit of disagreement (see ``service.adjudicating``).

    The unit is ``[start, end)`` on ``layer``: a cluster of overlapping spans, or a sentence.
    ``taken`` names the annotators whose version was taken (none for a rejection).
    """

    document_id: int
    adjudicator: str
    layer: str
    start: int
    end: int
    verdict: Verdict
    taken: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class GoldAnnotation:
    """An annotation a decision writes into the adjudicator's gold layer."""

    layer: str
    label: str
    start: int
    end: int
    attrs: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Replacement:
    """A stored annotation to take another label and attributes (a merge's ``--prefer
    other``)."""

    annotation_id: int
    label: str
    attrs: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Ruling:
    """A decision about to be written: it replaces the adjudicator's annotations on ``layer``
    that overlap ``[start, end)`` with ``annotations`` and records the verdict."""

    layer: str
    start: int
    end: int
    verdict: Verdict
    taken: tuple[str, ...]
    annotations: tuple[GoldAnnotation, ...] = ()


@dataclass(frozen=True, slots=True)
class MergePlan:
    """What a merge of another database writes, worked out and checked by the service.

    ``documents`` are texts this database lacks, with their annotations and statuses;
    ``additions`` annotations to add to documents both hold (by this database's document id);
    ``statuses`` ``(document id, annotator, status)`` to set; ``annotators`` names to create,
    or whose role to change, with the role. ``source`` names the other database.
    """

    source: str
    documents: tuple[NewDocument, ...] = ()
    additions: tuple[tuple[int, NewAnnotation], ...] = ()
    replacements: tuple[Replacement, ...] = ()
    statuses: tuple[tuple[int, str, DocStatus], ...] = ()
    annotators: Mapping[str, Role] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class MergeResult:
    """What a merge wrote: documents added, annotations added or replaced, statuses set,
    annotators created or given another role."""

    documents: int
    annotations: int
    replaced: int
    statuses: int
    annotators: int


ROLE_VALUES: tuple[Role, ...] = ("annotator", "adjudicator", "machine")
ORIGIN_VALUES: tuple[Origin, ...] = ("manual", "suggestion", "import", "adjudication")
STATUS_VALUES: tuple[DocStatus, ...] = ("todo", "in_progress", "done")
VERDICT_VALUES: tuple[Verdict, ...] = ("take", "all", "reject", "auto")


SUGGESTION_KEY = "suggestion"
"""The attribute of a reviewer's annotation accepted from a machine suggestion: the
suggestion's id (``annotator.store.suggestions``)."""
RULE_KEY = "from_rule"
"""The attribute of an accepted suggestion that names the rule that made it."""


def suggestion_id(value: object) -> int | None:
    """The suggestion id an ``attrs["suggestion"]`` value holds, or None if it holds none."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None
