"""A seeded bootstrap confidence interval for Krippendorff's alpha.

The units coded by at least two coders are resampled with replacement, as many as there are,
``B`` times; alpha is computed on each resample exactly as on the data, and the interval is the
``(1 - confidence) / 2`` and ``(1 + confidence) / 2`` percentiles of the resampled alphas
(Efron & Tibshirani 1993, ch. 13). Resampling whole units keeps each unit's values together,
which respects the dependence between the values of one unit. The generator is numpy's PCG64
seeded with ``seed``, so the same data, ``B`` and ``seed`` give the same interval.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from annotator.agreement.alpha import alpha_from_matrix
from annotator.agreement.reliability import check_level, read_reliability_data
from annotator.agreement.results import BootstrapResult, Level

FloatMatrix = npt.NDArray[np.float64]
FloatVector = npt.NDArray[np.float64]

#: Up to this many distinct values, resamples are scored from per-unit value counts.
_MAX_TABLE_VALUES = 64
#: Score units with the same value counts together when that is exact (see resampled_alphas).
_GROUP_UNITS = True


def bootstrap_ci(
    data: Any,
    level: str = "nominal",
    B: int = 1000,  # the bootstrap literature's name for the number of resamples
    seed: int = 0,
    confidence: float = 0.95,
    value_order: Sequence[Hashable] | None = None,
) -> BootstrapResult:
    """Percentile bootstrap interval for ``krippendorff_alpha(data, level, value_order)``.

    Resamples with alpha undefined (all values equal) are left out of the percentiles and
    counted in ``n_defined``. When alpha is undefined on the data itself, ``low`` and ``high``
    are ``None`` with the reason.

    >>> r = bootstrap_ci([[1, 2, 3, 3, 2, 1], [1, 2, 3, 3, 2, 2]], B=200, seed=1)
    >>> (r.B, r.seed, r.low <= r.value <= r.high)
    (200, 1, True)
    """
    if B < 1:
        raise ValueError(f"B must be a positive number of resamples; got {B}")
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must lie strictly between 0 and 1; got {confidence}")
    lvl = check_level(level)
    x = read_reliability_data(data, lvl, value_order).values
    point = alpha_from_matrix(x, lvl)

    def result(
        low: float | None, high: float | None, defined: int, reason: str | None
    ) -> BootstrapResult:
        return BootstrapResult(
            value=point.value,
            low=low,
            high=high,
            B=B,
            seed=seed,
            confidence=confidence,
            level=lvl,
            n_units=point.n_units,
            n_defined=defined,
            reason=reason,
        )

    if point.value is None:
        return result(None, None, 0, point.reason)
    pairable = x[:, (~np.isnan(x)).sum(axis=0) >= 2]
    alphas = resampled_alphas(pairable, lvl, B, seed)
    if not alphas:
        return result(None, None, 0, "alpha is undefined on every resample")
    tail = (1.0 - confidence) / 2.0
    low, high = np.quantile(np.asarray(alphas), [tail, 1.0 - tail])
    return result(float(low), float(high), len(alphas), None)


def resampled_alphas(pairable: FloatMatrix, level: Level, B: int, seed: int) -> list[float]:
    """Alpha on each of ``B`` resamples of the units (columns) of ``pairable``, where defined.

    Resample b draws ``rng.integers(0, n, size=n)`` from ``default_rng(seed)``. With few
    distinct values each resample is scored from the units x values count table weighted by
    how often each unit was drawn, o* = sum_u k_u (n_u n_u' - diag n_u) / (m_u - 1), which is
    the coincidence matrix of the resample; otherwise alpha is recomputed on the resample.

    When every unit's 1/(m_u - 1) is a power of two (two, three or five values per unit, as
    with two or three coders), every term of o* is a small multiple of a power of two, so its
    sums are exact in any order: units with the same value counts are then scored as one, by
    how often the resample drew any of them, which gives the same alphas with a table of a few
    dozen rows instead of one row per unit.
    """
    n_units = pairable.shape[1]
    rng = np.random.default_rng(seed)
    present = ~np.isnan(pairable)
    domain = np.unique(pairable[present])
    alphas: list[float] = []
    if len(domain) > _MAX_TABLE_VALUES:
        for _ in range(B):
            resample = pairable[:, rng.integers(0, n_units, size=n_units)]
            value = alpha_from_matrix(resample, level).value
            if value is not None:
                alphas.append(value)
        return alphas
    codes = np.where(present, np.searchsorted(domain, np.where(present, pairable, 0.0)), 0)
    size = len(domain)
    keys = (codes + np.arange(n_units) * size)[present]
    counts = np.bincount(keys, minlength=n_units * size).reshape(n_units, size)
    group: npt.NDArray[np.intp] | None = None
    shared = present.sum(axis=0) - 1
    if _GROUP_UNITS and bool(np.all((shared & (shared - 1)) == 0)):
        counts, inverse = np.unique(counts, axis=0, return_inverse=True)
        group = inverse.reshape(-1)
    counts_f = counts.astype(np.float64)
    weight = 1.0 / (counts.sum(axis=1) - 1.0)
    fixed = None if level == "ordinal" else _distances(level, domain, None)
    rows = len(counts)
    for _ in range(B):
        drawn_units = rng.integers(0, n_units, size=n_units)
        drawn = np.bincount(drawn_units if group is None else group[drawn_units], minlength=rows)
        kw = drawn * weight
        o = (counts_f.T * kw) @ counts_f
        o[np.diag_indices(size)] -= counts_f.T @ kw
        n_c = counts_f.T @ drawn.astype(np.float64)
        if int(np.count_nonzero(n_c)) < 2:
            continue
        delta = fixed if fixed is not None else _distances(level, domain, n_c)
        n = float(n_c.sum())
        alphas.append(1.0 - (n - 1.0) * float(np.sum(o * delta)) / float(n_c @ delta @ n_c))
    return alphas


def _distances(level: Level, values: FloatVector, n_c: FloatVector | None) -> FloatMatrix:
    """delta^2 between the ``values`` at ``level`` (ordinal needs the value counts ``n_c``)."""
    if level == "nominal":
        return 1.0 - np.eye(len(values))
    if level == "ordinal":
        assert n_c is not None
        ranks: FloatVector = (np.cumsum(n_c) - n_c / 2.0) / n_c.sum()
        return np.square(ranks[:, None] - ranks[None, :])
    if level == "interval":
        scaled: FloatVector = (values - values[0]) / (values[-1] - values[0])
        return np.square(scaled[:, None] - scaled[None, :])
    total = values[:, None] + values[None, :]
    diff = values[:, None] - values[None, :]
    ratio = np.divide(diff, total, out=np.zeros_like(diff), where=total != 0)
    return ratio * ratio
