"""Prevalence and bias indices: why kappa and alpha can be low while raters mostly agree.

Byrt, Bishop & Carlin (1993), "Bias, prevalence and kappa", *J. Clin. Epidemiol.* 46(5),
423-429, define for two raters and a 2 x 2 table (a, b / c, d over n items)

    prevalence index PI = |a - d| / n        bias index BI = |b - c| / n

A high PI (one category dominates) raises the chance agreement of kappa, pi and alpha, so they
fall although raters agree on most items (Feinstein & Cicchetti's first paradox); a high BI (the
raters use the categories at different rates) lowers it (the second). For q categories and a
q x q table with shares p_kl, the indices used here reduce to Byrt's for q = 2:

    PI = max_k pi_k - min_k pi_k,   pi_k = (p_k. + p_.k) / 2   (pooled category shares)
    BI = 1/2 sum_k |p_k. - p_.k|                               (the marginals' distance)
"""

from __future__ import annotations

from typing import Any

import numpy as np


def prevalence_index(table: Any) -> float | None:
    """PI of a square contingency table (rows = rater A); ``None`` for an empty table.

    >>> prevalence_index([[40, 9], [6, 45]])
    0.05
    """
    t = np.asarray(table, dtype=np.float64)
    n = float(t.sum())
    if n <= 0 or t.shape[0] < 2:
        return None
    pooled = (t.sum(axis=1) + t.sum(axis=0)) / (2.0 * n)
    return round(float(pooled.max() - pooled.min()), 15)


def bias_index(table: Any) -> float | None:
    """BI of a square contingency table (rows = rater A); ``None`` for an empty table.

    >>> bias_index([[40, 9], [6, 45]])
    0.03
    """
    t = np.asarray(table, dtype=np.float64)
    n = float(t.sum())
    if n <= 0:
        return None
    return round(float(np.abs(t.sum(axis=1) - t.sum(axis=0)).sum()) / (2.0 * n), 15)
