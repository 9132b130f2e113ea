"""Gwet's AC1 and AC2 for any number of coders, with missing values.

Gwet, K. L. (2014). *Handbook of Inter-Rater Reliability*, 4th ed., Advanced Analytics;
chapters 4 (unweighted, AC1) and 5 (weighted, AC2); Gwet (2008), "Computing inter-rater
reliability and its variance in the presence of high agreement", *Br. J. Math. Stat. Psychol.*
61, 29-48. For n units rated by at least one coder, r_ik coders putting unit i in category k,
r_i = sum_k r_ik, weights w_kl and r*_ik = sum_l w_kl r_il:

    p_a  = 1/n' * sum_{i: r_i >= 2} sum_k r_ik (r*_ik - 1) / (r_i (r_i - 1))
    pi_k = 1/n  * sum_i r_ik / r_i
    p_e  = T_w / (q (q - 1)) * sum_k pi_k (1 - pi_k),        T_w = sum_kl w_kl
    AC   = (p_a - p_e) / (1 - p_e)

with n' the units rated by two coders or more. Chance agreement p_e is the probability that
two coders agree when at least one rates at random, which a skewed label distribution does not
inflate: hence AC1 stays high where kappa and alpha collapse on a rare label (the "kappa
paradox", Feinstein & Cicchetti 1990).

The variance is Gwet's linearization (2014, eq. 5.28): with per-unit agreement p_a|i, chance
agreement p_e|i = T_w / (q (q - 1)) * sum_k r_ik (1 - pi_k) / r_i, and

    AC_i  = (n / n') (p_a|i - p_e [r_i >= 2]) / (1 - p_e)
    AC*_i = AC_i - 2 (1 - AC) (p_e|i - p_e) / (1 - p_e)
    var   = 1 / (n (n - 1)) * sum_i (AC*_i - AC)^2

and the interval is AC -+ t_{n-1} * se, capped at 1 from above, as in irrCAC.

Weights by level of measurement (Gwet 2014, ch. 3; irrCAC's names): nominal identity,
ordinal ``1 - C(|k - l| + 1, 2) / C(q, 2)`` on the categories' positions, interval quadratic
``1 - (x_k - x_l)^2 / (x_max - x_min)^2``, ratio
``1 - ((x_k - x_l) / (x_k + x_l))^2 / ((x_max - x_min) / (x_max + x_min))^2``. The categories
are ``value_order`` when given (unused categories count in q), else the sorted values seen;
the x are the numbers themselves, or 1..q for labels.

The data are read in blocks of units into a units x categories count table of small integers,
so the memory beyond the input is O(units x categories).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from annotator.agreement.reliability import (
    check_level,
    distinct_values,
    positions,
    read_reliability_data,
)
from annotator.agreement.results import GwetResult, Level
from annotator.agreement.tdist import t_critical

FloatMatrix = npt.NDArray[np.float64]
FloatVector = npt.NDArray[np.float64]
IntMatrix = npt.NDArray[np.integer[Any]]

_BLOCK_UNITS = 65536
_WEIGHT_NAMES: dict[Level, str] = {
    "nominal": "identity",
    "ordinal": "ordinal",
    "interval": "quadratic",
    "ratio": "ratio",
}


def gwet_ac(
    data: Any,
    level: str = "nominal",
    value_order: Sequence[Hashable] | None = None,
    confidence: float = 0.95,
) -> GwetResult:
    """Gwet's AC1 (nominal) or AC2 (other levels) for ``data``, coders x units.

    ``None`` or NaN is a missing value. Categories are ``value_order`` when given, else the
    sorted values seen; labels at the ordinal, interval and ratio levels need ``value_order``.
    Returns ``.value``, ``.pa``, ``.pe``, ``.se`` and the ``confidence`` interval
    ``.low``/``.high``; ``value`` is ``None`` with a ``reason`` when no unit has two ratings
    or there are fewer than two categories.

    >>> r = gwet_ac([["a", "a", "a", "b"], ["a", "a", "a", "a"]])
    >>> round(r.value, 4), round(r.pa, 4), round(r.pe, 4)
    (0.68, 0.75, 0.2188)
    """
    lvl = check_level(level)
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must lie strictly between 0 and 1; got {confidence}")
    x, domain, categories, numbers = _categories(data, lvl, value_order)
    counts = _count_table(x, domain)
    weights = level_weights(lvl, numbers)
    return ac_from_counts(counts, weights, lvl, categories, int(x.shape[0]), confidence)


def level_weights(level: Level, x: FloatVector) -> FloatMatrix:
    """The q x q agreement weights of ``level`` for categories at the numbers ``x``."""
    q = len(x)
    if level == "nominal" or q < 2:
        return np.eye(q)
    if level == "ordinal":
        k = np.arange(q, dtype=np.float64)
        gap = np.abs(k[:, None] - k[None, :]) + 1.0
        steps: FloatMatrix = gap * (gap - 1.0) / 2.0
        return 1.0 - steps / float(steps.max())
    span = float(x.max() - x.min())
    if level == "interval":
        return 1.0 - np.square((x[:, None] - x[None, :]) / span)
    total = x[:, None] + x[None, :]
    ratio = np.divide(x[:, None] - x[None, :], total, out=np.zeros((q, q)), where=total != 0)
    scale = span / float(x.max() + x.min())
    return 1.0 - np.square(ratio) / (scale * scale)


def _categories(
    data: Any, level: Level, value_order: Sequence[Hashable] | None
) -> tuple[FloatMatrix, FloatVector, tuple[Hashable, ...], FloatVector]:
    """The cells (NaN = missing), the sorted values that code the categories 0..q-1, the
    categories, and the numbers the weights use for them."""
    matrix = read_reliability_data(data, level, value_order)
    x = matrix.values
    if matrix.labels is not None:
        labels = matrix.labels
        shift = 1.0 if level in ("interval", "ratio") else 0.0
        numbers = np.arange(1.0, len(labels) + 1.0)
        return x, np.arange(len(labels), dtype=np.float64) + shift, labels, numbers
    if value_order is not None and level == "ordinal":
        # The reader coded each number by its position in value_order: the categories' order.
        order = np.asarray(value_order, dtype=np.float64)
        numbers = np.arange(1.0, len(order) + 1.0)
        return x, np.arange(len(order), dtype=np.float64), tuple(map(_number, order)), numbers
    if value_order is None:
        domain = _distinct(x)
    else:
        domain = np.unique(np.asarray(value_order, dtype=np.float64))
    return x, domain, tuple(_number(v) for v in domain), domain


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else float(value)


def _distinct(x: FloatMatrix) -> FloatVector:
    parts = [distinct_values(x[:, s][~np.isnan(x[:, s])]) for s in _blocks(x.shape[1])]
    return np.unique(np.concatenate(parts)) if parts else np.zeros(0)


def _blocks(n_units: int) -> list[slice]:
    return [slice(s, min(s + _BLOCK_UNITS, n_units)) for s in range(0, n_units, _BLOCK_UNITS)]


def _count_table(x: FloatMatrix, domain: FloatVector) -> IntMatrix:
    """r_ik for the units rated by at least one coder, as the smallest unsigned integers.

    The cells are coded block by block (a block of units stays in the cache), so no coded
    copy of the whole data is ever made. Every value is in ``domain``: reading checked it.
    """
    n_coders, q = x.shape[0], domain.size
    dtype = np.uint8 if n_coders < 256 else np.uint16 if n_coders < 65536 else np.uint32
    if q == 0:
        return np.zeros((0, 0), dtype=dtype)
    parts: list[IntMatrix] = []
    width = q + 1  # the last column counts missing cells
    for part in _blocks(x.shape[1]):
        block = x[:, part]
        size = block.shape[1]
        missing = np.isnan(block)
        cells = positions(domain, np.where(missing, domain[0], block))
        cells[missing] = q
        keys = cells + np.arange(size, dtype=np.intp) * width
        table = np.bincount(keys.ravel(), minlength=size * width).reshape(size, width)
        rated = table[:, q] < n_coders
        parts.append(table[rated, :q].astype(dtype))
    if not parts:
        return np.zeros((0, q), dtype=dtype)
    return np.concatenate(parts)


@dataclass(frozen=True, slots=True)
class _Sums:
    n: int
    n2: int
    pa: float
    pi: FloatVector
    pa_i: FloatVector
    """Each unit's weighted agreement p_a|i (0 for a unit with one rating)."""
    r_i: FloatVector
    """Each unit's number of ratings."""


def _sums(counts: IntMatrix, weights: FloatMatrix) -> _Sums:
    """p_a and pi_k from the count table, block by block, keeping each unit's p_a|i and r_i
    for the variance (O(units) more memory, and the weighted counts computed once)."""
    n, q = counts.shape
    identity = bool(np.array_equal(weights, np.eye(q)))
    pi = np.zeros(q)
    pa_i = np.zeros(n)
    r_i = np.zeros(n)
    for part in _blocks(n):
        r = counts[part].astype(np.float64)
        ri = r.sum(axis=1)
        pi += (1.0 / ri) @ r
        weighted = r if identity else r @ weights.T
        agree = np.einsum("ik,ik->i", r, weighted - 1.0)
        pairs = ri * (ri - 1.0)
        pa_i[part] = np.divide(agree, pairs, out=np.zeros_like(agree), where=ri >= 2)
        r_i[part] = ri
    n2 = int(np.count_nonzero(r_i >= 2))
    pa = float(pa_i.sum()) / n2 if n2 else math.nan
    return _Sums(n, n2, pa, pi / max(n, 1), pa_i, r_i)


def ac_from_counts(
    counts: IntMatrix,
    weights: FloatMatrix,
    level: Level,
    categories: tuple[Hashable, ...],
    n_coders: int,
    confidence: float = 0.95,
) -> GwetResult:
    """AC1/AC2 from a units x categories count table (units rated by at least one coder)."""
    q = counts.shape[1]
    name = _WEIGHT_NAMES[level]

    def undefined(reason: str, n: int = 0, n2: int = 0, pa: float | None = None) -> GwetResult:
        return GwetResult(
            None,
            pa,
            None,
            None,
            None,
            None,
            confidence,
            level,
            name,
            categories,
            n,
            n2,
            n_coders,
            reason,
        )

    if q < 2:
        return undefined(
            "Gwet's AC needs at least two categories; pass value_order with every category",
            counts.shape[0],
        )
    s = _sums(counts, weights)
    if s.n2 == 0:
        return undefined("nothing is pairable: no unit has values from two or more coders", s.n)
    t_w = float(weights.sum())
    chance = t_w / (q * (q - 1.0))
    pe = chance * float(s.pi @ (1.0 - s.pi))
    if pe >= 1.0:
        return undefined("chance agreement is 1", s.n, s.n2, s.pa)
    ac = (s.pa - pe) / (1.0 - pe)
    se: float | None = None
    low: float | None = None
    high: float | None = None
    if s.n >= 2:
        total = 0.0
        for part in _blocks(counts.shape[0]):
            ri = s.r_i[part]
            ac_i = (s.n / s.n2) * (s.pa_i[part] - pe * (ri >= 2)) / (1.0 - pe)
            pe_i = chance * (counts[part].astype(np.float64) @ (1.0 - s.pi)) / ri
            ac_star = ac_i - 2.0 * (1.0 - ac) * (pe_i - pe) / (1.0 - pe)
            total += float(np.sum(np.square(ac_star - ac)))
        se = math.sqrt(total / (s.n * (s.n - 1.0)))
        half = t_critical(confidence, s.n - 1) * se
        low, high = ac - half, min(1.0, ac + half)
    return GwetResult(
        value=ac,
        pa=s.pa,
        pe=pe,
        se=se,
        low=low,
        high=high,
        confidence=confidence,
        level=level,
        weights=name,
        categories=categories,
        n_units=s.n,
        n_pairable=s.n2,
        n_coders=n_coders,
    )
