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

from annotator.agreement.alpha import alpha_from_matrix
from annotator.agreement.reliability import check_level, read_reliability_data
from annotator.agreement.results import BootstrapResult


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
    n_units = pairable.shape[1]
    rng = np.random.default_rng(seed)
    alphas = []
    for _ in range(B):
        resample = pairable[:, rng.integers(0, n_units, size=n_units)]
        value = alpha_from_matrix(resample, lvl).value
        if value is not None:
            alphas.append(value)
    if not alphas:
        return result(None, None, 0, "alpha is undefined on every resample")
    tail = (1.0 - confidence) / 2.0
    low, high = np.quantile(np.asarray(alphas), [tail, 1.0 - tail])
    return result(float(low), float(high), len(alphas), None)
