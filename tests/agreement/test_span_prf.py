"""Span precision/recall/F1: character-level reference, per-label figures, pairwise averages."""

from __future__ import annotations

from unittest.mock import patch

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.agreement import (
    SpanTally,
    pairwise_span_prf,
    pooled_span_prf,
    span_prf,
    span_tallies,
)
from annotator.agreement import spans as spans_module

Span = tuple[int, int, str]


def reference_credit(span: Span, others: set[Span], mode: str, labeled: bool) -> float:
    """Credit of one span, computed on explicit character sets."""
    start, end, label = span
    mine = set(range(start, end))
    theirs: set[int] = set()
    for s, e, lab in others:
        if not labeled or lab == label:
            theirs |= set(range(s, e))
    if mode == "exact":
        keys = {(s, e, lab if labeled else None) for s, e, lab in others}
        return 1.0 if (start, end, label if labeled else None) in keys else 0.0
    if mode == "partial":
        return len(mine & theirs) / len(mine)
    return 1.0 if mine & theirs else 0.0


def reference_prf(
    ref: list[Span], cand: list[Span], mode: str, labeled: bool
) -> tuple[float | None, float | None]:
    def norm(spans: list[Span]) -> set[Span]:
        return {(s, e, lab if labeled else "") for s, e, lab in spans}

    r, c = norm(ref), norm(cand)
    p = sum(reference_credit(x, r, mode, labeled) for x in c) / len(c) if c else None
    rec = sum(reference_credit(x, c, mode, labeled) for x in r) / len(r) if r else None
    return p, rec


SPANS = st.lists(
    st.tuples(st.integers(0, 30), st.integers(1, 8), st.sampled_from("ab")).map(
        lambda t: (t[0], t[0] + t[1], t[2])
    ),
    max_size=8,
)


@settings(max_examples=300, deadline=None)
@given(
    ref=SPANS,
    cand=SPANS,
    mode=st.sampled_from(["exact", "partial", "overlap"]),
    labeled=st.booleans(),
)
def test_span_prf_matches_character_level_reference(
    ref: list[Span], cand: list[Span], mode: str, labeled: bool
) -> None:
    result = span_prf(ref, cand, mode=mode, labeled=labeled)
    p, r = reference_prf(ref, cand, mode, labeled)
    assert (result.precision is None) == (p is None)
    if p is not None:
        assert result.precision == pytest.approx(p, abs=1e-12)
    assert (result.recall is None) == (r is None)
    if r is not None:
        assert result.recall == pytest.approx(r, abs=1e-12)
    if p is not None and r is not None:
        expected_f1 = 0.0 if p + r == 0 else 2 * p * r / (p + r)
        assert result.f1 == pytest.approx(expected_f1, abs=1e-12)
    else:
        assert result.f1 is None and result.reason


@settings(max_examples=200, deadline=None)
@given(ref=SPANS, cand=SPANS, mode=st.sampled_from(["exact", "partial", "overlap"]))
def test_per_label_precision_and_recall_use_that_label_only(
    ref: list[Span], cand: list[Span], mode: str
) -> None:
    result = span_prf(ref, cand, mode=mode, labeled=True)
    for label, part in result.per_label.items():
        only_ref = [s for s in ref if s[2] == label]
        only_cand = [s for s in cand if s[2] == label]
        alone = span_prf(only_ref, only_cand, mode=mode, labeled=True)
        assert part.precision == alone.precision
        assert part.recall == alone.recall
        assert part.n_reference == len(set(only_ref))
        assert part.n_candidate == len(set(only_cand))


def test_per_label_recall_counts_that_labels_reference_spans() -> None:
    ref = [(0, 10, "a"), (20, 30, "b"), (40, 50, "b")]
    cand = [(0, 10, "a"), (20, 30, "b")]
    result = span_prf(ref, cand, mode="partial")
    assert result.per_label["a"].recall == 1.0
    assert result.per_label["b"].recall == 0.5
    assert result.per_label["b"].precision == 1.0
    assert result.recall == pytest.approx(2 / 3)


def test_partial_credit_counts_overlapping_reference_spans_once() -> None:
    result = span_prf([(0, 10, "a"), (5, 15, "a")], [(0, 15, "a")], mode="partial")
    assert result.precision == 1.0


def test_empty_sides_are_undefined_not_perfect() -> None:
    nothing = span_prf([], [], mode="exact")
    assert nothing.precision is None and nothing.recall is None and nothing.f1 is None
    assert nothing.reason == "neither side has a span"
    no_candidate = span_prf([(0, 3, "a")], [], mode="overlap")
    assert no_candidate.precision is None and no_candidate.recall == 0.0
    assert no_candidate.f1 is None


def test_bad_spans_and_modes_are_refused() -> None:
    with pytest.raises(ValueError, match="start < end"):
        span_prf([(5, 5, "a")], [])
    with pytest.raises(ValueError, match="mode must be one of"):
        span_prf([], [], mode="fuzzy")
    with pytest.raises(ValueError, match="integer offsets"):
        span_prf([(0, "3", "a")], [])


def test_pairwise_pairs_micro_and_macro() -> None:
    spans = {
        "ann": [(0, 10, "a"), (20, 30, "b")],
        "bob": [(0, 10, "a")],
        "cy": [(0, 10, "a"), (20, 30, "b"), (40, 50, "b")],
    }
    result = pairwise_span_prf(spans, mode="exact")
    assert list(result.pairs) == [("ann", "bob"), ("ann", "cy"), ("bob", "cy")]
    ann_bob = result.pairs[("ann", "bob")]
    assert (ann_bob.precision, ann_bob.recall) == (1.0, 0.5)
    reverse = span_prf(spans["bob"], spans["ann"], mode="exact")
    assert (reverse.precision, reverse.recall, reverse.f1) == (0.5, 1.0, ann_bob.f1)
    # micro: pooled credit over pooled counts
    n_ref = 2 + 2 + 1
    n_cand = 1 + 3 + 3
    matched_ref = 1 + 2 + 1
    matched_cand = 1 + 2 + 1
    assert result.micro.recall == pytest.approx(matched_ref / n_ref)
    assert result.micro.precision == pytest.approx(matched_cand / n_cand)
    f1s = [p.f1 for p in result.pairs.values()]
    assert result.macro.f1 == pytest.approx(sum(f1s) / 3)
    assert result.macro.n_pairs == 3
    assert result.value == result.micro.f1


MANY_SPANS = st.lists(
    st.tuples(st.integers(0, 200), st.integers(1, 12), st.sampled_from("abc")).map(
        lambda t: (t[0], t[0] + t[1], t[2])
    ),
    max_size=80,
)


@settings(max_examples=300, deadline=None)
@given(
    ref=MANY_SPANS,
    cand=MANY_SPANS,
    mode=st.sampled_from(["exact", "partial", "overlap"]),
    labeled=st.booleans(),
)
def test_plain_python_and_numpy_credits_agree_to_the_last_bit(
    ref: list[Span], cand: list[Span], mode: str, labeled: bool
) -> None:
    fast = span_prf(ref, cand, mode=mode, labeled=labeled)
    with patch.object(spans_module, "SMALL_GROUP", -1):  # every group through numpy
        slow = span_prf(ref, cand, mode=mode, labeled=labeled)
    assert fast == slow  # dataclass equality: every figure, per label too, bit for bit


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.floats(min_value=0.0, max_value=1.0, allow_nan=False) | st.fractions(0, 1).map(float),
        max_size=600,
    )
)
def test_plain_python_sum_adds_in_numpys_order(values: list[float]) -> None:
    assert spans_module._numpy_sum(values) == float(np.sum(np.array(values, dtype=np.float64)))


@settings(max_examples=200, deadline=None)
@given(
    pieces=st.lists(st.tuples(MANY_SPANS, MANY_SPANS), min_size=1, max_size=4),
    labeled=st.booleans(),
)
def test_pooled_tallies_of_separate_stretches_equal_span_prf_on_the_whole(
    pieces: list[tuple[list[Span], list[Span]]], labeled: bool
) -> None:
    reference: list[Span] = []
    candidate: list[Span] = []
    tallies: dict[str, list[SpanTally]] = {mode: [] for mode in ("exact", "partial", "overlap")}
    for i, (ref, cand) in enumerate(pieces):
        shift = 300 * i  # every piece lies in [0, 212): stretches one after another
        ref = [(s + shift, e + shift, lab) for s, e, lab in ref]
        cand = [(s + shift, e + shift, lab) for s, e, lab in cand]
        reference += ref
        candidate += cand
        for mode, tally in span_tallies(ref, cand, labeled=labeled).items():
            tallies[mode].append(tally)
    for mode, parts in tallies.items():
        assert pooled_span_prf(parts) == span_prf(reference, candidate, mode, labeled)


def test_pooling_refuses_nothing_and_mixed_modes() -> None:
    tallies = span_tallies([(0, 4, "x")], [(0, 4, "x")])
    with pytest.raises(ValueError, match="at least one"):
        pooled_span_prf([])
    with pytest.raises(ValueError, match="one mode"):
        pooled_span_prf([tallies["exact"], tallies["partial"]])
