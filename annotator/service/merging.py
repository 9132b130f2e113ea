"""Merging another database into this one: a reviewer who worked offline comes back.

The rules, written once here:

- documents are matched by the sha256 of their canonical text (never by id or number, which
  two databases assign independently); a text this database lacks is added with everything
  the other holds on it, unless its id names another text here (listed, not added);
- annotators are matched by name; one this database lacks is created with the other's role;
- annotations and statuses the other holds and this one lacks are added;
- a conflict (the same annotator's sentence labelled differently, the same span with other
  attributes, another status, another role, a label this database's scheme lacks) is listed
  and left as it is here, unless ``prefer`` is ``"other"`` (take theirs) or ``"ours"`` (keep
  ours without listing it);
- nothing is ever removed, so merging the same database twice changes nothing the second
  time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from annotator.core.scheme import Scheme
from annotator.service import checks
from annotator.store.dto import (
    Annotation,
    Annotator,
    DocStatus,
    Document,
    MergePlan,
    MergeResult,
    NewAnnotation,
    NewDocument,
    Replacement,
    Role,
)
from annotator.store.errors import StoreError

if TYPE_CHECKING:
    from annotator.store.repository import Repository

Prefer = Literal["other", "ours"] | None


@dataclass(frozen=True, slots=True)
class MergeReport:
    """What a merge did, and the conflicts it left as they were."""

    result: MergeResult
    conflicts: tuple[str, ...]
    matched: int


def _by_document(annotations: Iterable[Annotation]) -> dict[int, list[Annotation]]:
    grouped: dict[int, list[Annotation]] = defaultdict(list)
    for annotation in annotations:
        grouped[annotation.document_id].append(annotation)
    return grouped


def _new(annotation: Annotation) -> NewAnnotation:
    return NewAnnotation(
        annotator=annotation.annotator,
        layer=annotation.layer,
        label=annotation.label,
        start=annotation.start,
        end=annotation.end,
        attrs=dict(annotation.attrs),
        origin=annotation.origin,
    )


class _Planner:
    def __init__(self, ours: Repository, other: Repository, prefer: Prefer) -> None:
        self.ours = ours
        self.other = other
        self.prefer = prefer
        self.scheme: Scheme = ours.scheme()
        self.conflicts: list[str] = []
        self.documents: list[NewDocument] = []
        self.additions: list[tuple[int, NewAnnotation]] = []
        self.replacements: list[Replacement] = []
        self.statuses: list[tuple[int, str, DocStatus]] = []
        self.matched = 0

    def conflict(self, line: str) -> None:
        if self.prefer is None:
            self.conflicts.append(line)

    def fits(self, document: Document, annotation: Annotation) -> bool:
        """Whether this database's scheme takes the annotation on its copy of the text."""
        item = _new(annotation)
        try:
            checks.check_name(item.annotator)
            checks.check_annotation(
                self.scheme, item, len(document.text), frozenset(document.segments)
            )
        except StoreError as exc:
            self.conflicts.append(
                f"{document.external_id!r}: {annotation.annotator}'s {annotation.layer}/"
                f"{annotation.label} [{annotation.start}, {annotation.end}) is not taken: {exc}"
            )
            return False
        return True

    def annotators(self) -> dict[str, Role]:
        here = {a.name: a for a in self.ours.annotators()}
        wanted: dict[str, Role] = {}
        theirs: list[Annotator] = self.other.annotators()
        for person in theirs:
            mine = here.get(person.name)
            if mine is None:
                wanted[person.name] = person.role
            elif mine.role != person.role:
                if self.prefer == "other":
                    wanted[person.name] = person.role
                self.conflict(
                    f"annotator {person.name!r} is {person.role} there and {mine.role} here"
                )
        return wanted

    def plan(self, source: str) -> MergePlan:
        people = self.annotators()
        here = {summary.sha256: summary for summary in self.ours.documents()}
        ids_here = {summary.external_id: summary.sha256 for summary in self.ours.documents()}
        their_annotations = _by_document(self.other.iter_annotations())
        their_statuses = self.other.statuses()
        for document in self.other.iter_documents():
            annotations = their_annotations.get(document.id, [])
            statuses = their_statuses.get(document.id, {})
            mine = here.get(document.sha256)
            if mine is None:
                self.add_document(document, annotations, statuses, ids_here)
            else:
                self.matched += 1
                self.join(self.ours.document(mine.id), annotations, statuses)
        return MergePlan(
            source=source,
            documents=tuple(self.documents),
            additions=tuple(self.additions),
            replacements=tuple(self.replacements),
            statuses=tuple(self.statuses),
            annotators=people,
        )

    def add_document(
        self,
        document: Document,
        annotations: list[Annotation],
        statuses: dict[str, DocStatus],
        ids_here: dict[str, str],
    ) -> None:
        if document.external_id in ids_here:
            self.conflicts.append(
                f"{document.external_id!r}: the id names another text here; the document is"
                " not merged (give one of them another id and merge again)"
            )
            return
        taken = tuple(_new(a) for a in annotations if self.fits(document, a))
        self.documents.append(
            NewDocument(
                external_id=document.external_id,
                title=document.title,
                text=document.text,
                sha256=document.sha256,
                meta=dict(document.meta),
                segments=document.segments,
                status=dict(statuses),
                annotations=taken,
            )
        )

    def join(
        self, document: Document, annotations: list[Annotation], statuses: dict[str, DocStatus]
    ) -> None:
        """Their annotations and statuses on a text both databases hold."""
        ours = self.ours.iter_annotations(document_ids=[document.id])
        segment_layers = {layer.name for layer in self.scheme.segment_layers}
        spans: dict[tuple[str, str, str, int, int], Annotation] = {}
        sentences: dict[tuple[str, str, int, int], Annotation] = {}
        for a in ours:
            spans[(a.annotator, a.layer, a.label, a.start, a.end)] = a
            if a.layer in segment_layers:
                sentences[(a.annotator, a.layer, a.start, a.end)] = a
        name = document.external_id
        for theirs in annotations:
            if not self.fits(document, theirs):
                continue
            where = f"{name!r}: {theirs.annotator}'s {theirs.layer}"
            if theirs.layer in segment_layers:
                mine = sentences.get((theirs.annotator, theirs.layer, theirs.start, theirs.end))
                what = f"{where} on [{theirs.start}, {theirs.end})"
            else:
                key = (theirs.annotator, theirs.layer, theirs.label, theirs.start, theirs.end)
                mine = spans.get(key)
                what = f"{where}/{theirs.label} [{theirs.start}, {theirs.end})"
            if mine is None:
                self.additions.append((document.id, _new(theirs)))
                continue
            if (mine.label, dict(mine.attrs)) == (theirs.label, dict(theirs.attrs)):
                continue
            if self.prefer == "other":
                self.replacements.append(Replacement(mine.id, theirs.label, dict(theirs.attrs)))
            self.conflict(
                f"{what}: {_shown(theirs)} there, {_shown(mine)} here (annotation {mine.id})"
            )
        here = self.ours.statuses([document.id]).get(document.id, {})
        for person, status in sorted(statuses.items()):
            current = here.get(person, "todo")
            if current == status:
                continue
            if person not in here or self.prefer == "other":
                self.statuses.append((document.id, person, status))
            if person in here:
                self.conflict(f"{name!r}: {person} is {status} there and {current} here")


def _shown(annotation: Annotation) -> str:
    attrs = dict(annotation.attrs)
    return annotation.label + (f" {attrs}" if attrs else "")


def merge_databases(ours: Repository, other: Repository, prefer: Prefer = None) -> MergeReport:
    """Merge ``other`` into ``ours`` by the rules of this module, in one transaction."""
    planner = _Planner(ours, other, prefer)
    plan = planner.plan(other.url)
    result = ours.merge(plan)
    return MergeReport(result=result, conflicts=tuple(planner.conflicts), matched=planner.matched)
