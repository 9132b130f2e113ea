"""Reading what a report needs from the store, one document at a time.

The report never holds the whole corpus: documents stream from ``Repository.iter_documents``
and annotations from ``Repository.iter_annotations`` (both ordered by document id and read in
short chunks), joined on the document id, so a report on a million annotations holds one
chunk of each at a time.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from annotator.core.scheme import Layer, Scheme
from annotator.report.options import ReportError, ReportOptions
from annotator.store.dto import Annotation, DocStatus, Document
from annotator.store.errors import StoreError

if TYPE_CHECKING:
    from annotator.store.repository import Repository


@dataclass(frozen=True, slots=True)
class Selection:
    """The resolved options: which layers, coders, gold annotators and documents count."""

    scheme: Scheme
    layers: tuple[Layer, ...]
    coders: tuple[str, ...]
    adjudicators: tuple[str, ...]
    document_ids: tuple[int, ...] | None
    include_unfinished: bool
    idle: tuple[str, ...] = ()
    """Annotators left out by default because they count for none of the selected documents."""
    gold: Mapping[int, str] = field(default_factory=dict)
    """Per document id, the adjudicator whose gold counts (the last to mark it done)."""
    gold_notes: tuple[str, ...] = ()
    """A line for each document that more than one adjudicator marked done."""


@dataclass(slots=True)
class DocumentWork:
    """One document with the annotations of its counted coders and of its gold annotator."""

    document: Document
    counted: tuple[str, ...]
    gold: str | None
    annotations: Mapping[tuple[str, str], list[Annotation]]
    _segment_index: dict[tuple[int, int], int] = field(default_factory=dict)
    _starts: list[int] = field(default_factory=list)
    _labels: dict[tuple[str, str], dict[int, Annotation]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._segment_index = {seg: i for i, seg in enumerate(self.document.segments)}
        self._starts = [start for start, _ in self.document.segments]

    def of(self, annotator: str, layer: str) -> list[Annotation]:
        return self.annotations.get((annotator, layer), [])

    def segment_labels(self, annotator: str, layer: str) -> dict[int, Annotation]:
        """Segment index -> the annotator's annotation of that segment on a segment layer."""
        cached = self._labels.get((annotator, layer))
        if cached is not None:
            return cached
        out: dict[int, Annotation] = {}
        self._labels[(annotator, layer)] = out
        for ann in self.of(annotator, layer):
            index = self._segment_index.get((ann.start, ann.end))
            if index is not None:
                out[index] = ann
        return out

    def segment_of(self, offset: int) -> int:
        """The index of the segment holding ``offset`` (the nearest one before it in a gap)."""
        return max(bisect.bisect_right(self._starts, offset) - 1, 0)


def resolve(repo: Repository, options: ReportOptions) -> Selection:
    """Check the options against the database; unknown names raise ReportError.

    Layers and documents are checked by the service's rules (``check_layer``,
    ``resolve_documents``), so ``--documents 2`` means the document the rest of the tool
    means by ``2`` and an unknown one gets the same message everywhere.
    """
    # Imported here: the resolver needs the store's repository, and the worker processes that
    # import this package for the statistics should not load SQLAlchemy.
    from annotator.service.checks import check_layer
    from annotator.service.documents import resolve_documents

    scheme = repo.scheme()
    try:
        wanted = dict.fromkeys(options.layers)
        layers = [check_layer(scheme, name) for name in wanted] or list(scheme.layers)
        document_ids = resolve_documents(repo, options.documents) if options.documents else None
    except StoreError as exc:
        raise ReportError(str(exc)) from None
    people = repo.annotators()
    roles = {p.name: p.role for p in people}
    if options.annotators:
        for name in options.annotators:
            if name not in roles:
                known = ", ".join(sorted(roles)) or "none yet"
                raise ReportError(f"no annotator named {name!r}; known: {known}")
        coders = tuple(dict.fromkeys(options.annotators))
        idle: tuple[str, ...] = ()
    else:
        candidates = sorted(p.name for p in people if p.role == "annotator")
        coders, idle = _split_idle(repo, candidates, options, document_ids)
    adjudicators = tuple(
        sorted(p.name for p in people if p.role == "adjudicator" and p.name not in coders)
    )
    from annotator.service.cases import gold_choices

    gold, gold_notes = gold_choices(repo, document_ids)
    return Selection(
        scheme=scheme,
        layers=tuple(layers),
        coders=coders,
        adjudicators=adjudicators,
        document_ids=document_ids,
        include_unfinished=options.include_unfinished,
        idle=idle,
        gold={k: v for k, v in gold.items() if v in adjudicators},
        gold_notes=tuple(gold_notes),
    )


def _split_idle(
    repo: Repository,
    candidates: Sequence[str],
    options: ReportOptions,
    document_ids: Sequence[int] | None = None,
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Split the default coders into those who count for some document and the idle rest.

    A reviewer who has finished nothing (say, one who has just joined) would otherwise leave
    no document that every coder finished, and the corpus figures would all be undefined.
    Named with ``--annotator``, an idle reviewer is kept: the user asked for them.
    """
    counting = {"done", "in_progress"} if options.include_unfinished else {"done"}
    ids = list(document_ids) if document_ids is not None else None
    active = {
        name
        for per_document in repo.statuses(ids).values()
        for name, status in per_document.items()
        if status in counting
    }
    if options.include_unfinished:
        # Work in progress counts too, even where the status was never set.
        active |= {
            c
            for c in candidates
            if c not in active
            and next(iter(repo.iter_annotations(annotators=[c], document_ids=ids)), None)
        }
    coders = tuple(c for c in candidates if c in active)
    idle = tuple(c for c in candidates if c not in active)
    return coders, idle


def _counted(
    selection: Selection,
    status: Mapping[str, DocStatus],
    annotated: set[str],
) -> tuple[str, ...]:
    if selection.include_unfinished:
        return tuple(
            c
            for c in selection.coders
            if status.get(c, "todo") in ("in_progress", "done") or c in annotated
        )
    return tuple(c for c in selection.coders if status.get(c) == "done")


def iter_work(
    repo: Repository,
    selection: Selection,
    *,
    on_document: Callable[[], None] | None = None,
) -> Iterator[DocumentWork]:
    """Every selected document with its counted coders and their annotations, in id order.

    Documents and annotations are two ordered streams (both read in short chunks), joined on
    the document id, so memory holds one chunk of each at a time.
    """
    ids = list(selection.document_ids) if selection.document_ids is not None else None
    statuses = repo.statuses(ids)
    wanted = set(ids) if ids is not None else None
    people = list(selection.coders) + list(selection.adjudicators)
    stream: Iterator[Annotation] = (
        repo.iter_annotations(annotators=people, document_ids=ids) if people else iter(())
    )
    pending = next(stream, None)
    for doc in repo.iter_documents():
        if wanted is not None and doc.id not in wanted:
            continue
        anns: dict[tuple[str, str], list[Annotation]] = defaultdict(list)
        while pending is not None and pending.document_id <= doc.id:
            if pending.document_id == doc.id:
                anns[(pending.annotator, pending.layer)].append(pending)
            pending = next(stream, None)
        if on_document is not None:
            on_document()
        yield _work(selection, doc, anns, statuses.get(doc.id, {}))


def load_work(
    repo: Repository, selection: Selection, document_ids: Sequence[int]
) -> list[DocumentWork]:
    """The given documents, read one by one (for the few the report shows in full)."""
    if not document_ids:
        return []
    statuses = repo.statuses(list(document_ids))
    people = list(selection.coders) + list(selection.adjudicators)
    grouped: dict[int, dict[tuple[str, str], list[Annotation]]] = defaultdict(
        lambda: defaultdict(list)
    )
    if people:
        for ann in repo.iter_annotations(annotators=people, document_ids=list(document_ids)):
            grouped[ann.document_id][(ann.annotator, ann.layer)].append(ann)
    return [
        _work(selection, repo.document(i), grouped.get(i, {}), statuses.get(i, {}))
        for i in document_ids
    ]


def _work(
    selection: Selection,
    doc: Document,
    anns: Mapping[tuple[str, str], list[Annotation]],
    status: Mapping[str, DocStatus],
) -> DocumentWork:
    annotated = {who for who, _ in anns}
    counted = _counted(selection, status, annotated)
    chosen = selection.gold.get(doc.id)
    gold = chosen if chosen is not None and chosen in annotated else None
    return DocumentWork(doc, counted, gold, anns)
