"""Unit tests of the disagreement classification and of the majority spans of the bias
profile, on hand-made documents."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from annotator.core.scheme import Label, Layer
from annotator.report.anatomy import document_disagreements
from annotator.report.bias import _majority_spans
from annotator.report.collect import DocumentWork
from annotator.store.dto import Annotation, Document

TEXT = "The regime slammed the plan. Critics said it failed."
SEGMENTS = ((0, 28), (29, 52))
LOADED = Layer("loaded", "span", (Label("labeling", "1", 0), Label("emotive", "2", 1)))
STATEMENT = Layer(
    "statement",
    "segment",
    (
        Label("attributed", "a", 0, requires=("source", "cue")),
        Label("editorial", "e", 1),
    ),
)
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def ann(who: str, layer: str, label: str, start: int, end: int, **attrs: Any) -> Annotation:
    return Annotation(0, 1, who, layer, label, start, end, attrs, "import", NOW, NOW)


def work(*annotations: Annotation, counted: tuple[str, ...] = ("a", "b")) -> DocumentWork:
    grouped: dict[tuple[str, str], list[Annotation]] = {}
    for a in annotations:
        grouped.setdefault((a.annotator, a.layer), []).append(a)
    doc = Document(1, "doc", "Doc", TEXT, "0" * 64, {}, SEGMENTS)
    return DocumentWork(doc, counted, None, grouped)


def kinds(w: DocumentWork) -> list[tuple[str, int]]:
    return [(d.kind, d.segment_index) for d in document_disagreements(w, (LOADED, STATEMENT))]


def test_every_span_kind() -> None:
    w = work(
        ann("a", "loaded", "labeling", 0, 10),  # "The regime"
        ann("b", "loaded", "labeling", 4, 10),  # boundary only
        ann("a", "loaded", "emotive", 11, 18),  # "slammed"
        ann("b", "loaded", "labeling", 11, 18),  # label only
        ann("a", "loaded", "emotive", 19, 27),  # "the plan"
        ann("b", "loaded", "labeling", 23, 28),  # boundary and label
        ann("b", "loaded", "emotive", 45, 51),  # "failed": missed by a
    )
    assert sorted(kinds(w)) == [
        ("boundary and label", 0),
        ("boundary only", 0),
        ("label only", 0),
        ("missed span", 1),
    ]


def test_identical_spans_are_no_disagreement() -> None:
    w = work(ann("a", "loaded", "emotive", 11, 18), ann("b", "loaded", "emotive", 11, 18))
    assert kinds(w) == []


def test_statement_kinds_missed_statements_and_wrong_source() -> None:
    def attributed(who: str, source: tuple[int, int]) -> Annotation:
        return ann(
            who,
            "statement",
            "attributed",
            *SEGMENTS[1],
            source={"start": source[0], "end": source[1]},
            cue={"start": 37, "end": 41},
        )

    w = work(
        ann("a", "statement", "editorial", *SEGMENTS[0]),
        attributed("a", (29, 36)),  # "Critics"
        attributed("b", (42, 44)),  # "it": does not overlap "Critics"
    )
    found = document_disagreements(w, (STATEMENT,))
    assert [(d.kind, d.segment_index) for d in found] == [
        ("missed statement", 0),
        ("wrong source", 1),
    ]
    assert "'Critics'" in found[1].detail and "'it'" in found[1].detail
    same_source = work(attributed("a", (29, 36)), attributed("b", (29, 36)))
    assert kinds(same_source) == []
    overlapping = work(attributed("a", (29, 36)), attributed("b", (29, 35)))
    assert kinds(overlapping) == [("source boundary", 1)]  # a boundary question, not a wrong one
    different = work(
        ann("a", "statement", "editorial", *SEGMENTS[0]),
        ann("b", "statement", "attributed", *SEGMENTS[0]),
    )
    [item] = document_disagreements(different, (STATEMENT,))
    assert (item.kind, item.labels) == ("statement kind", ("editorial", "attributed"))


def test_majority_spans_need_more_than_half_the_coders() -> None:
    w = work(
        ann("a", "loaded", "emotive", 11, 18),
        ann("b", "loaded", "emotive", 11, 27),
        ann("c", "loaded", "emotive", 19, 27),
        ann("a", "loaded", "labeling", 0, 10),  # one of three: no majority
        counted=("a", "b", "c"),
    )
    assert _majority_spans(w, LOADED) == [(11, 18, "emotive"), (19, 27, "emotive")]
    two = work(ann("a", "loaded", "emotive", 11, 18), ann("b", "loaded", "emotive", 14, 27))
    assert _majority_spans(two, LOADED) == [(14, 18, "emotive")]  # both of two: the overlap
    # one coder's own overlapping spans vote once
    own = work(
        ann("a", "loaded", "emotive", 11, 18),
        ann("a", "loaded", "emotive", 12, 20),
        counted=("a", "b", "c"),
    )
    assert _majority_spans(own, LOADED) == []


COUNCIL = "As the Herald reported, the city council officials said the vote was delayed."
ATTRIBUTED = Layer(
    "statement", "segment", (Label("attributed", "a", 0, requires=("source", "cue")),)
)


def council(who: str, source: str, cue: str | None) -> Annotation:
    def at(phrase: str) -> dict[str, int]:
        start = COUNCIL.index(phrase)
        return {"start": start, "end": start + len(phrase)}

    attrs: dict[str, Any] = {"source": at(source)}
    if cue is not None:
        attrs["cue"] = at(cue)
    return ann(who, "statement", "attributed", 0, len(COUNCIL), **attrs)


def council_work(*annotations: Annotation) -> DocumentWork:
    grouped: dict[tuple[str, str], list[Annotation]] = {}
    for a in annotations:
        grouped.setdefault((a.annotator, a.layer), []).append(a)
    doc = Document(1, "council", "Council", COUNCIL, "0" * 64, {}, ((0, len(COUNCIL)),))
    return DocumentWork(doc, ("a", "b"), None, grouped)


def test_cue_and_source_boundary_of_an_attributed_statement() -> None:
    found = document_disagreements(
        council_work(
            council("a", "the city council", "reported"),
            council("b", "city council officials", "said"),
        ),
        (ATTRIBUTED,),
    )
    assert [(d.kind, d.detail) for d in found] == [
        ("source boundary", "a: 'the city council', b: 'city council officials'"),
        ("wrong cue", "a: 'reported', b: 'said'"),
    ]


def test_a_missing_cue_is_a_wrong_cue_and_the_same_cue_is_none() -> None:
    same = council_work(council("a", "the Herald", "said"), council("b", "the Herald", "said"))
    assert document_disagreements(same, (ATTRIBUTED,)) == []
    missing = council_work(council("a", "the Herald", "said"), council("b", "the Herald", None))
    [item] = document_disagreements(missing, (ATTRIBUTED,))
    assert (item.kind, item.detail) == ("wrong cue", "a: 'said', b: no cue")
    elsewhere = council_work(
        council("a", "the Herald", "reported"), council("b", "city council officials", "said")
    )
    assert [d.kind for d in document_disagreements(elsewhere, (ATTRIBUTED,))] == [
        "wrong source",
        "wrong cue",
    ]
