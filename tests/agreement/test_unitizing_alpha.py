"""alpha_U against a literal, quadratic transcription of Krippendorff's definitions."""

from __future__ import annotations

from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.agreement import unitizing_alpha

Segment = tuple[int, int, bool]  # begin, end, is a unit


def segments(spans: list[tuple[int, int]], begin: int, length: int) -> list[Segment]:
    """One coder's continuum as units and the gaps between them (spans disjoint, sorted)."""
    out: list[Segment] = []
    pos = begin
    for s, e in sorted(spans):
        if s > pos:
            out.append((pos, s, False))
        out.append((s, e, True))
        pos = e
    if pos < begin + length:
        out.append((pos, begin + length, False))
    return out


def delta(g: Segment, h: Segment) -> float:
    (b1, e1, u1), (b2, e2, u2) = g, h
    if not (b1 < e2 and b2 < e1):
        return 0.0
    if u1 and u2:
        return float((b1 - b2) ** 2 + (e1 - e2) ** 2)
    if u1 and not u2 and b2 <= b1 and e1 <= e2:
        return float((e1 - b1) ** 2)
    if u2 and not u1 and b1 <= b2 and e2 <= e1:
        return float((e2 - b2) ** 2)
    return 0.0


def reference_label_alpha(
    by_coder: list[list[tuple[int, int]]], begin: int, length: int
) -> tuple[float, float]:
    """(D_o, D_e) for one label, every pair of segments enumerated."""
    m = len(by_coder)
    parts = [segments(spans, begin, length) for spans in by_coder]
    observed = 0.0
    for a, b in combinations(range(m), 2):
        for g in parts[a]:
            for h in parts[b]:
                observed += delta(g, h)
    d_o = 2.0 * observed / (m * (m - 1) * length * length)
    units = [e - b for p in parts for b, e, u in p if u]
    gaps = [e - b for p in parts for b, e, u in p if not u]
    n = len(units)
    total = 0.0
    for lg in units:
        total += (n - 1) * (2 * lg**3 - 3 * lg**2 + lg) / 3
        total += lg**2 * sum(lh - lg + 1 for lh in gaps if lh >= lg)
    numerator = 2.0 / length * total
    denominator = m * length * (m * length - 1) - sum(lg * (lg - 1) for lg in units)
    return d_o, numerator / denominator


@st.composite
def unitizations(draw: st.DrawFn) -> tuple[list[tuple[int, int, int, str]], int, int, int]:
    """Units of 2-4 coders and 1-2 labels on a short continuum, disjoint per coder and label."""
    begin = draw(st.integers(0, 5))
    length = draw(st.integers(5, 40))
    coders = draw(st.integers(2, 4))
    units = []
    for coder in range(coders):
        for label in draw(st.sets(st.sampled_from("xy"), min_size=1)):
            cuts = sorted(draw(st.sets(st.integers(begin, begin + length), max_size=8)))
            for s, e in zip(cuts[::2], cuts[1::2], strict=False):
                units.append((coder, s, e, label))
    return units, begin, length, coders


@settings(max_examples=200, deadline=None)
@given(case=unitizations())
def test_alpha_u_matches_the_quadratic_definition(
    case: tuple[list[tuple[int, int, int, str]], int, int, int],
) -> None:
    units, begin, length, n_coders = case
    result = unitizing_alpha(units, begin, length, coders=list(range(n_coders)))
    if not units:
        assert result.value is None
        return
    per_label = {}
    for label in sorted({u[3] for u in units}):
        by_coder = [
            [(s, e) for c, s, e, lab in units if c == coder and lab == label]
            for coder in range(n_coders)
        ]
        per_label[label] = reference_label_alpha(by_coder, begin, length)
        got = result.per_label[label]
        assert got.observed_disagreement == pytest.approx(per_label[label][0], rel=1e-9, abs=1e-12)
        assert got.expected_disagreement == pytest.approx(per_label[label][1], rel=1e-9)
    d_o = sum(p[0] for p in per_label.values()) / len(per_label)
    d_e = sum(p[1] for p in per_label.values()) / len(per_label)
    assert result.value == pytest.approx(1.0 - d_o / d_e, abs=1e-9)


def test_identical_unitizations_agree_perfectly() -> None:
    units = [(c, s, e, lab) for c in ("ann", "bob") for s, e, lab in [(2, 5, "x"), (9, 14, "y")]]
    result = unitizing_alpha(units, begin=0, length=20)
    assert result.value == pytest.approx(1.0)
    assert result.observed_disagreement == 0.0
    assert all(r.value == pytest.approx(1.0) for r in result.per_label.values())


def test_a_coder_who_marked_nothing_counts_when_listed() -> None:
    units = [("ann", 2, 5, "x"), ("bob", 2, 5, "x")]
    both = unitizing_alpha(units, begin=0, length=20)
    with_silent = unitizing_alpha(units, begin=0, length=20, coders=["ann", "bob", "cy"])
    assert both.value == pytest.approx(1.0)
    assert with_silent.coders == ("ann", "bob", "cy")
    assert with_silent.value is not None and with_silent.value < 1.0


def test_overlapping_units_of_one_coder_and_label_are_merged() -> None:
    merged = unitizing_alpha(
        [("a", 0, 6, "x"), ("a", 4, 10, "x"), ("b", 0, 10, "x")], begin=0, length=20
    )
    assert merged.n_merged == 1
    assert merged.value == pytest.approx(1.0)
    touching = unitizing_alpha(
        [("a", 0, 5, "x"), ("a", 5, 10, "x"), ("b", 0, 10, "x")], begin=0, length=20
    )
    assert touching.n_merged == 0
    assert touching.value is not None and touching.value < 1.0


def test_undefined_cases_have_reasons() -> None:
    one_coder = unitizing_alpha([("a", 0, 3, "x")], begin=0, length=10)
    assert one_coder.value is None and "two coders" in (one_coder.reason or "")
    nothing = unitizing_alpha([], begin=0, length=10, coders=["a", "b"])
    assert nothing.value is None and nothing.reason


@pytest.mark.parametrize(
    ("units", "message"),
    [
        ([("a", 5, 5, "x")], "start < end"),
        ([("a", -1, 3, "x")], "inside the continuum"),
        ([("a", 0, 11, "x")], "inside the continuum"),
        ([("a", 0.5, 3, "x")], "integers"),
        ([("a", 0, 3)], "(coder, start, end, label)"),
    ],
)
def test_bad_units_are_refused_with_a_clear_message(units: list[tuple], message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        unitizing_alpha(units, begin=0, length=10)


def test_a_coder_not_in_coders_is_refused() -> None:
    with pytest.raises(ValueError, match="not in coders"):
        unitizing_alpha([("zed", 0, 3, "x")], begin=0, length=10, coders=["a", "b"])
