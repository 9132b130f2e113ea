"""Disagreement anatomy: every disagreement between two annotators, classified.

For a span layer, spans of two annotators are matched in three passes: identical extents
(same label: agreement; different label: *label only*), then overlapping spans, same label
first (*boundary only*, else *boundary and label*), and what stays unmatched is a *missed span*.
For a segment layer, two different labels are a *statement kind* disagreement and a label from
one annotator only is a *missed statement*. Two identical labels that require a source and a
cue (an attributed statement) can still disagree on those spans: sources that do not overlap
are a *wrong source*, sources that overlap but differ a *source boundary*, and different cues a
*wrong cue*; each is counted once per sentence and pair.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import combinations

from annotator.core.attributes import attr_span as attr_span  # re-exported for report modules
from annotator.core.scheme import Layer
from annotator.report.collect import DocumentWork
from annotator.report.model import Disagreement
from annotator.store.dto import Annotation


def _overlap(a: Annotation, b: Annotation) -> int:
    return min(a.end, b.end) - max(a.start, b.start)


def _fmt(ann: Annotation, text: str) -> str:
    return f"{ann.label} {text[ann.start : ann.end]!r}"


def span_disagreements(work: DocumentWork, layer: Layer, a: str, b: str) -> Iterator[Disagreement]:
    doc_id = work.document.id
    text = work.document.text
    left = list(work.of(a, layer.name))
    right = list(work.of(b, layer.name))

    def item(kind: str, at: int, detail: str) -> Disagreement:
        return Disagreement(doc_id, layer.name, kind, a, b, work.segment_of(at), detail)

    # 1. identical extents
    by_extent: dict[tuple[int, int], list[Annotation]] = {}
    for ann in right:
        by_extent.setdefault((ann.start, ann.end), []).append(ann)
    rest_left: list[Annotation] = []
    for ann in left:
        same = by_extent.get((ann.start, ann.end))
        if not same:
            rest_left.append(ann)
            continue
        match = next((o for o in same if o.label == ann.label), None)
        if match is None:
            match = same[0]
            yield item(
                "label only",
                ann.start,
                f"{a}: {ann.label}, {b}: {match.label} on {text[ann.start : ann.end]!r}",
            )
        same.remove(match)
    rest_right = [ann for anns in by_extent.values() for ann in anns]
    rest_right.sort(key=lambda x: (x.start, x.end))
    # 2. overlapping extents, same label first, largest overlap first
    for prefer_same in (True, False):
        still: list[Annotation] = []
        for ann in rest_left:
            candidates = [
                o
                for o in rest_right
                if _overlap(ann, o) > 0 and (o.label == ann.label) == prefer_same
            ]
            if not candidates:
                still.append(ann)
                continue
            match = max(candidates, key=lambda o: _overlap(ann, o))
            rest_right.remove(match)
            kind = "boundary only" if prefer_same else "boundary and label"
            yield item(
                kind,
                min(ann.start, match.start),
                f"{a}: {_fmt(ann, text)}, {b}: {_fmt(match, text)}",
            )
        rest_left = still
    # 3. unmatched
    for ann in rest_left:
        yield item("missed span", ann.start, f"{a}: {_fmt(ann, text)}, {b}: nothing")
    for ann in rest_right:
        yield item("missed span", ann.start, f"{a}: nothing, {b}: {_fmt(ann, text)}")


ATTRIBUTE_KINDS = ("source", "cue")
"""The span attributes of a statement whose differences are classified, in this order."""


def attribute_kind(
    attribute: str, first: tuple[int, int] | None, second: tuple[int, int] | None
) -> str | None:
    """The kind of disagreement between two annotators' ``source`` (or ``cue``) spans of a
    statement both gave the same label, or None when they agree (or neither marked one).

    A source is the *wrong source* when the two do not overlap (one missing counts as that),
    a *source boundary* question when they overlap without being the same span; any
    difference of cue is a *wrong cue* ("reported" against "said").
    """
    if first == second:
        return None
    if attribute == "cue":
        return "wrong cue"
    if first is None or second is None or min(first[1], second[1]) <= max(first[0], second[0]):
        return "wrong source"
    return "source boundary"


def segment_disagreements(
    work: DocumentWork, layer: Layer, a: str, b: str
) -> Iterator[Disagreement]:
    doc_id = work.document.id
    left = work.segment_labels(a, layer.name)
    right = work.segment_labels(b, layer.name)
    requires = {lab.name: lab.requires for lab in layer.labels}
    for index in sorted(set(left) | set(right)):
        la, lb = left.get(index), right.get(index)
        if la is None or lb is None:
            detail = f"{a}: {la.label if la else 'nothing'}, {b}: {lb.label if lb else 'nothing'}"
            yield Disagreement(doc_id, layer.name, "missed statement", a, b, index, detail)
        elif la.label != lb.label:
            detail = f"{a}: {la.label}, {b}: {lb.label}"
            yield Disagreement(
                doc_id, layer.name, "statement kind", a, b, index, detail, (la.label, lb.label)
            )
        else:
            needs = requires.get(la.label, ())
            for attribute in ATTRIBUTE_KINDS:
                if attribute not in needs:
                    continue
                sa, sb = attr_span(la.attrs, attribute), attr_span(lb.attrs, attribute)
                kind = attribute_kind(attribute, sa, sb)
                if kind is not None:
                    detail = (
                        f"{a}: {_quote(work, sa, attribute)}, {b}: {_quote(work, sb, attribute)}"
                    )
                    yield Disagreement(doc_id, layer.name, kind, a, b, index, detail)


def _quote(work: DocumentWork, span: tuple[int, int] | None, attribute: str) -> str:
    return repr(work.document.text[span[0] : span[1]]) if span else f"no {attribute}"


def statement_pair(labels: Sequence[str]) -> str:
    """The key under which a statement-kind disagreement is counted: ``attributed vs editorial``."""
    first, second = sorted(labels)
    return f"{first} vs {second}"


def document_disagreements(work: DocumentWork, layers: Sequence[Layer]) -> list[Disagreement]:
    """All pairwise disagreements among the document's counted annotators, in text order."""
    out: list[Disagreement] = []
    for a, b in combinations(work.counted, 2):
        for layer in layers:
            if layer.kind == "span":
                out.extend(span_disagreements(work, layer, a, b))
            else:
                out.extend(segment_disagreements(work, layer, a, b))
    out.sort(key=lambda d: (d.segment_index, d.layer, d.a, d.b))
    return out
