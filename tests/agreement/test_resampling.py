"""The document bootstrap, the permutation test and Holm's correction, against independent
computations: the resampling recipe written out longhand, every split of a tiny case enumerated
in exact rational arithmetic, and statsmodels' Holm adjustment."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from fractions import Fraction

import numpy as np
import pytest
from statsmodels.stats.multitest import multipletests

from annotator.agreement import resampling
from annotator.agreement.resampling import (
    bootstrap_sums,
    holm,
    percentile_interval,
    permutation_test,
    ratios,
)

# documents x (loaded spans, words)
A = [[3, 40], [0, 25], [5, 60], [2, 31]]
B = [[1, 50], [0, 20], [1, 45], [4, 38], [0, 27]]
RATE = [(0, 1, 100.0)]


def rate(sums: np.ndarray) -> np.ndarray:
    return ratios(sums, RATE)


def exact_rate(rows: Sequence[Sequence[int]]) -> Fraction:
    return Fraction(100 * sum(r[0] for r in rows), sum(r[1] for r in rows))


def test_bootstrap_sums_follow_the_documented_recipe() -> None:
    counts = np.asarray(A + B, dtype=float)
    rng = np.random.default_rng([7, 42])
    longhand = np.stack(
        [counts[rng.integers(0, len(counts), size=len(counts))].sum(axis=0) for _ in range(300)]
    )
    assert np.array_equal(bootstrap_sums(counts, 300, [7, 42]), longhand)


def test_bootstrap_sums_do_not_depend_on_the_chunk_size(monkeypatch: pytest.MonkeyPatch) -> None:
    counts = np.asarray(A + B, dtype=float)
    whole = bootstrap_sums(counts, 250, 3)
    monkeypatch.setattr(resampling, "_CHUNK_CELLS", 20)  # two resamples per chunk
    assert np.array_equal(bootstrap_sums(counts, 250, 3), whole)


def test_a_rate_with_nothing_to_divide_by_is_nan_and_left_out_of_the_interval() -> None:
    sums = np.array([[1.0, 0.0], [2.0, 4.0], [3.0, 6.0]])
    assert np.isnan(rate(sums)[0, 0])
    assert rate(sums)[1:, 0].tolist() == [50.0, 50.0]
    interval = percentile_interval([np.nan, 1.0, 2.0, 3.0, 4.0])
    assert interval.defined == 4
    assert [interval.low, interval.high] == pytest.approx([1.075, 3.925])  # 2.5th, 97.5th
    nothing = percentile_interval([np.nan, np.nan])
    assert (nothing.low, nothing.high, nothing.reason) == (
        None,
        None,
        "undefined on every resample",
    )


def test_exact_permutation_p_value_equals_the_enumeration() -> None:
    result = permutation_test(A, B, rate, permutations=1000, seed=0)
    pooled = A + B
    observed = abs(exact_rate(A) - exact_rate(B))
    hits = total = 0
    for chosen in itertools.combinations(range(len(pooled)), len(A)):
        first = [pooled[i] for i in chosen]
        rest = [pooled[i] for i in range(len(pooled)) if i not in chosen]
        total += 1
        hits += abs(exact_rate(first) - exact_rate(rest)) >= observed
    assert result.exact
    assert result.permutations == total == 126
    assert result.p_values[0] == pytest.approx(float(Fraction(hits, total)), abs=1e-15)
    assert result.observed[0] == pytest.approx(float(exact_rate(A) - exact_rate(B)))


def test_exact_paired_p_value_equals_the_enumeration() -> None:
    first, second = A, [[1, 40], [2, 25], [1, 60], [0, 31]]  # two readings of four documents
    result = permutation_test(first, second, rate, permutations=100, seed=0, paired=True)
    observed = abs(exact_rate(first) - exact_rate(second))
    hits = 0
    flips = list(itertools.product((False, True), repeat=len(first)))
    for flip in flips:
        x = [b if f else a for a, b, f in zip(first, second, flip, strict=True)]
        y = [a if f else b for a, b, f in zip(first, second, flip, strict=True)]
        hits += abs(exact_rate(x) - exact_rate(y)) >= observed
    assert result.exact and result.permutations == 16
    assert result.p_values[0] == pytest.approx(hits / len(flips), abs=1e-15)


def test_monte_carlo_p_value_approaches_the_exact_one_and_is_never_zero() -> None:
    exact = permutation_test(A, B, rate, permutations=1000, seed=0).p_values[0]
    sampled = permutation_test(A, B, rate, permutations=100, seed=5)
    assert not sampled.exact and sampled.permutations == 100
    assert exact is not None and sampled.p_values[0] is not None
    assert abs(sampled.p_values[0] - exact) < 0.15  # 3 standard errors at p ~ 0.3, P = 100
    far = [[9, 10]] * 8, [[0, 10]] * 8  # every split but the observed is less extreme
    p = permutation_test(*far, rate, permutations=200, seed=1).p_values[0]
    assert p is not None and p >= 1 / 201
    again = permutation_test(A, B, rate, permutations=100, seed=5)
    assert again == sampled


def test_an_undefined_difference_has_no_p_value() -> None:
    result = permutation_test([[0, 0]], [[1, 10]], rate, permutations=10, seed=0)
    assert result.observed == (None,)
    assert result.p_values == (None,)


def test_holm_equals_statsmodels_and_skips_none() -> None:
    ps = [0.01, 0.04, 0.03, 0.20, 0.005]
    expected = multipletests(ps, method="holm")[1]
    assert holm(ps) == pytest.approx(list(expected))
    assert holm([0.04, None, 0.01]) == pytest.approx([0.04, None, 0.02])
    assert holm([0.3]) == [0.3]


def test_bad_input_is_refused_with_a_sentence() -> None:
    with pytest.raises(ValueError, match="positive number of resamples"):
        bootstrap_sums(A, 0, 0)
    with pytest.raises(ValueError, match="documents x counts matrix"):
        bootstrap_sums([1, 2, 3], 10, 0)
    with pytest.raises(ValueError, match="same documents"):
        permutation_test(A, B, rate, permutations=10, seed=0, paired=True)
