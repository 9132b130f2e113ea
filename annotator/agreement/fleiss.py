"""Fleiss' (1971) kappa for many raters, with a kappa for each category.

With N units each rated by n raters, n_ij the number of raters putting unit i in category j,
and p_j = sum_i n_ij / (N n):

    P_i   = (sum_j n_ij^2 - n) / (n (n - 1))          agreement on unit i
    kappa = (mean(P_i) - sum_j p_j^2) / (1 - sum_j p_j^2)
    kappa_j = 1 - sum_i n_ij (n - n_ij) / (N n (n - 1) p_j (1 - p_j))

The raters need not be the same people from unit to unit, but every unit must have the same
number of ratings; for anything else use Krippendorff's alpha, which allows missing values.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import numpy as np

from annotator.agreement.reliability import read_reliability_data
from annotator.agreement.results import FleissResult


def fleiss_kappa(data: Any) -> FleissResult:
    """Fleiss' kappa for ``data``, coders x units (``None`` or NaN = missing).

    Every unit must carry the same number (at least two) of ratings; otherwise, or when all
    ratings fall in one category, ``value`` is ``None`` with the reason.

    >>> r = fleiss_kappa([["a", "a", "b"], ["a", "b", "b"], ["a", "b", "b"]])
    >>> round(r.value, 4), {k: round(v, 4) for k, v in r.per_category.items()}
    (0.55, {'a': 0.55, 'b': 0.55})
    """
    matrix = read_reliability_data(data, "nominal")
    x = matrix.values
    n_raters_max, n_units = (x.shape[0], x.shape[1])
    present = ~np.isnan(x)
    per_unit = present.sum(axis=0)
    distinct = np.unique(x[present])
    if matrix.labels is not None:
        categories: tuple[Hashable, ...] = tuple(matrix.labels[int(v)] for v in distinct)
    else:
        categories = tuple(int(v) if float(v).is_integer() else float(v) for v in distinct)

    def undefined(reason: str, n: int) -> FleissResult:
        return FleissResult(
            None, None, None, {c: None for c in categories}, categories, n_units, n, reason
        )

    if n_units == 0:
        return undefined("there are no units", 0)
    n = int(per_unit[0])
    if bool((per_unit != n).any()):
        return undefined(
            f"units carry between {int(per_unit.min())} and {int(per_unit.max())} ratings; "
            "Fleiss' kappa needs the same number for every unit (use Krippendorff's alpha)",
            n_raters_max,
        )
    if n < 2:
        return undefined("every unit needs at least two ratings", n)
    codes = np.searchsorted(distinct, np.where(present, x, distinct[0]))
    keys = (codes + np.arange(n_units) * len(distinct))[present]
    counts = np.bincount(keys, minlength=n_units * len(distinct)).reshape(n_units, -1)
    counts_f = counts.astype(np.float64)
    p_j = counts_f.sum(axis=0) / (n_units * n)
    p_i = (np.einsum("ij,ij->i", counts_f, counts_f) - n) / (n * (n - 1))
    p_bar = float(p_i.mean())
    p_e = float(p_j @ p_j)
    per_category: dict[Hashable, float | None] = {}
    spread = counts_f * (n - counts_f)
    for j, category in enumerate(categories):
        q = float(p_j[j] * (1.0 - p_j[j]))
        if q <= 0.0:
            per_category[category] = None
        else:
            per_category[category] = 1.0 - float(spread[:, j].sum()) / (n_units * n * (n - 1) * q)
    if p_e >= 1.0:
        return FleissResult(
            None,
            p_bar,
            p_e,
            per_category,
            categories,
            n_units,
            n,
            "all ratings fall in one category, so chance agreement is 1",
        )
    return FleissResult(
        value=(p_bar - p_e) / (1.0 - p_e),
        observed_agreement=p_bar,
        expected_agreement=p_e,
        per_category=per_category,
        categories=categories,
        n_units=n_units,
        n_raters=n,
    )
