"""Units and versions: the pure rules of where annotators disagree."""

from __future__ import annotations

from datetime import UTC, datetime

from annotator.core.scheme import Label, Layer, Scheme
from annotator.service.disagreements import (
    Statement,
    Version,
    find_units,
    span_clusters,
    statement_of,
)
from annotator.store.dto import Annotation

SCHEME = Scheme(
    "tiny",
    1,
    (
        Layer("loaded", "span", (Label("emotive", "1", 0), Label("fear", "2", 1))),
        Layer(
            "statement",
            "segment",
            (
                Label("attributed", "A", 0, requires=("source", "cue")),
                Label("editorial", "E", 1),
            ),
        ),
    ),
)
MOMENT = datetime(2026, 1, 1, tzinfo=UTC)


def ann(who: str, layer: str, label: str, start: int, end: int, **attrs: object) -> Annotation:
    return Annotation(0, 1, who, layer, label, start, end, attrs, "manual", MOMENT, MOMENT)


def test_clusters_chain_overlaps_but_not_touching_spans() -> None:
    assert span_clusters([(0, 4, "a"), (2, 6, "b"), (6, 8, "a"), (10, 12, "a")]) == [
        (0, 6),
        (6, 8),
        (10, 12),
    ]
    assert span_clusters([(0, 30, "a"), (2, 4, "b"), (20, 25, "b")]) == [(0, 30)]
    assert span_clusters([]) == []


def test_a_long_span_and_the_short_ones_inside_it_are_one_unit() -> None:
    work = {
        "bea": [ann("bea", "loaded", "emotive", 0, 30)],
        "al": [ann("al", "loaded", "fear", 2, 4), ann("al", "loaded", "fear", 20, 25)],
    }
    (unit,) = find_units(SCHEME, 1, [(0, 40)], ["bea", "al"], work)
    assert unit.annotators == ("al", "bea")
    assert unit.version("al") == Version(spans=((2, 4, "fear"), (20, 25, "fear")))
    assert unit.disagreement
    assert unit.distinct_spans() == ((0, 30, "emotive"), (2, 4, "fear"), (20, 25, "fear"))
    assert unit.span_supporters((2, 4, "fear")) == ("al",)


def test_a_statement_compares_its_label_and_required_spans_not_its_note() -> None:
    layer = SCHEME.layers[1]
    one = ann("a", "statement", "attributed", 0, 10, source={"start": 0, "end": 3}, note="x")
    two = ann("b", "statement", "attributed", 0, 10, source={"start": 0, "end": 3})
    assert statement_of(layer, one) == statement_of(layer, two)
    assert statement_of(layer, one) == Statement("attributed", (("source", 0, 3),))
    editorial = ann("c", "statement", "editorial", 0, 10, source={"start": 0, "end": 3})
    assert statement_of(layer, editorial) == Statement("editorial")


def test_a_sentence_only_one_annotator_labelled_is_a_disagreement() -> None:
    work = {"a": [ann("a", "statement", "editorial", 11, 20)], "b": []}
    (unit,) = find_units(SCHEME, 1, [(0, 10), (11, 20)], ["a", "b"], work)
    assert (unit.start, unit.end, unit.sentence) == (11, 20, 1)
    assert unit.version("b").empty and unit.disagreement
    assert unit.groups() == [
        (Version(statement=Statement("editorial")), ("a",)),
        (Version(), ("b",)),
    ]
