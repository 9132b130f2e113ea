"""Krippendorff's alpha for coders x units data at the four levels of measurement.

    alpha = 1 - D_o / D_e
    D_o = 1/n..             * sum_c sum_k o_ck delta^2(c, k)
    D_e = 1/(n.. (n.. - 1)) * sum_c sum_k n_c n_k delta^2(c, k)

with o_ck = sum_u (pairs of values c, k in unit u) / (m_u - 1) the coincidence matrix over the
units coded by m_u >= 2 coders, n_c its margins and n.. the number of pairable values
(Krippendorff 2011, "Computing Krippendorff's alpha-reliability"; Content Analysis 2004, 11.3).
Distances: nominal ``c != k``; interval ``(c - k)^2``; ratio ``((c - k) / (c + k))^2``;
ordinal ``(sum_{g=c..k} n_g - (n_c + n_k) / 2)^2``.

The coincidence matrix is never built for the levels whose distance is a squared difference.
The interval distance sums over a unit's pairs to ``2 m_u`` times the unit's sum of squared
deviations from its mean, and over all pairable values to ``2 n..`` times their sum of squared
deviations from the grand mean. The ordinal distance is exactly the interval distance between
the values' mid-ranks ``n_1 + ... + n_(c-1) + n_c / 2``, so ordinal alpha is interval alpha on
mid-ranks. Both take O(coders x units) time for any number of distinct values. Nominal alpha
counts values per unit with ``np.bincount`` (a units x values table): a unit's mismatching
pairs are m_u^2 - sum_v n_uv^2. Ratio alpha sums the distance over each pair of coders within
units, and over the distinct values in blocks for the expected disagreement. All passes run
over blocks of units, so the working set stays in cache and memory beyond the input is
O(units + block x values).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from annotator.agreement.reliability import (
    FloatMatrix,
    check_level,
    read_reliability_data,
)
from annotator.agreement.results import AlphaResult, Level

IntArray = npt.NDArray[np.intp]
FloatVector = npt.NDArray[np.float64]
BoolMatrix = npt.NDArray[np.bool_]

#: Units per block for the passes over the data.
_BLOCK_UNITS = 8192
#: Upper bound on the cells of one block's units x values count table.
_BLOCK_CELLS = 1 << 18
#: Integer data spanning at most this many values are coded by offset, without sorting.
_MAX_DIRECT_RANGE = 1024

_NOTHING_PAIRABLE = "nothing is pairable: no unit has values from two or more coders"
_ONE_VALUE = "all pairable values are the same, so expected disagreement is zero"


def krippendorff_alpha(
    data: Any, level: str = "nominal", value_order: Sequence[Hashable] | None = None
) -> AlphaResult:
    """Krippendorff's alpha for ``data``, coders x units (``None`` or NaN = missing).

    ``level`` is ``"nominal"``, ``"ordinal"``, ``"interval"`` or ``"ratio"``. Labels (strings)
    need ``value_order`` at the ordinal, interval and ratio levels (interval and ratio then
    use the positions 1..k). Units coded by fewer than two coders are left out, as the
    coefficient prescribes. When nothing is pairable or all pairable values are equal,
    ``value`` is ``None`` and ``reason`` says which.

    >>> round(krippendorff_alpha([[1, 2, 3, 3], [1, 2, 3, 4]], "nominal").value, 6)
    0.695652
    """
    lvl = check_level(level)
    matrix = read_reliability_data(data, lvl, value_order)
    return alpha_from_matrix(matrix.values, lvl)


@dataclass(frozen=True, slots=True)
class _Scan:
    """What one pass over the data learns: pairable values per unit and their range."""

    m: FloatVector  # pairable values per unit (0 for units with fewer than two values)
    n_units: int
    n_pairable: int
    lo: float
    hi: float
    total: float  # sum of the pairable values (interval level only)
    integral: bool  # all pairable values are integers (other levels only)


def alpha_from_matrix(x: FloatMatrix, level: Level) -> AlphaResult:
    """Alpha for an already read coders x units float matrix (NaN = missing)."""
    n_coders, n_total = int(x.shape[0]), int(x.shape[1])
    scan = _scan(x, interval=level == "interval")

    def result(
        value: float | None, d_o: float | None, d_e: float | None, reason: str | None
    ) -> AlphaResult:
        return AlphaResult(
            value=value,
            level=level,
            observed_disagreement=d_o,
            expected_disagreement=d_e,
            n_pairable=scan.n_pairable,
            n_units=scan.n_units,
            n_units_total=n_total,
            n_coders=n_coders,
            reason=reason,
        )

    if scan.n_pairable == 0:
        return result(None, None, None, _NOTHING_PAIRABLE)
    if scan.lo == scan.hi:
        return result(None, None, None, _ONE_VALUE)
    n = float(scan.n_pairable)
    if level == "interval":
        # Values rescaled to [0, 1] keep the sums of squares well conditioned at any
        # magnitude; the disagreements are scaled back to the data's units.
        scale = scan.hi - scan.lo
        center = (scan.total / n - scan.lo) / scale
        s_o, s_e = _squared_difference_sums(
            x, scan, lambda xb, mb: (xb - scan.lo) / scale, scale, center
        )
    else:
        coding = _Coding.of(x, scan, exact=level == "ratio")
        if level == "nominal":
            s_o, n_c = _nominal_sums(x, scan, coding)
            s_e = n * n - float(n_c @ n_c)
        elif level == "ordinal":
            n_c = coding.value_counts(x, scan)
            # Mid-ranks n_1 + ... + n_(c-1) + n_c / 2, divided by n.. to stay near [0, 1];
            # the last entry is the (ignored) rank of a cell that is not pairable.
            ranks = np.append((np.cumsum(n_c) - n_c / 2.0) / n, 0.0)
            center = float(n_c @ ranks[:-1]) / n
            s_o, s_e = _squared_difference_sums(
                x, scan, lambda xb, mb: ranks[coding.codes(xb, mb)], n, center
            )
        else:
            s_o = _ratio_observed(x, scan)
            s_e = _ratio_expected(coding.values, coding.value_counts(x, scan))
    d_o = s_o / n
    d_e = s_e / (n * (n - 1.0))
    return result(1.0 - d_o / d_e, d_o, d_e, None)


def _blocks(n_units: int, size: int = _BLOCK_UNITS) -> Iterator[slice]:
    for start in range(0, n_units, size):
        yield slice(start, min(start + size, n_units))


def _cells(x: FloatMatrix, m: FloatVector) -> BoolMatrix:
    """Pairable cells: a value, in a unit with at least two values."""
    return ~np.isnan(x) & (m > 0)


def _scan(x: FloatMatrix, interval: bool) -> _Scan:
    """Pairable counts per unit and the pairable values' range; their sum for interval data,
    whether they are all integers otherwise (which decides how values are coded)."""
    m = np.zeros(x.shape[1])
    lo, hi, total, integral = np.inf, -np.inf, 0.0, True
    for part in _blocks(x.shape[1]):
        xb = x[:, part]
        count = (~np.isnan(xb)).sum(axis=0)
        mb = np.where(count >= 2, count, 0).astype(np.float64)
        m[part] = mb
        cell = _cells(xb, mb)
        lo = min(lo, float(np.min(xb, where=cell, initial=np.inf)))
        hi = max(hi, float(np.max(xb, where=cell, initial=-np.inf)))
        if interval:
            total += float(np.sum(xb, where=cell))
        elif integral:
            integral = bool(np.all(np.floor(xb) == xb, where=cell))
    return _Scan(m, int(np.count_nonzero(m)), int(m.sum()), lo, hi, total, integral)


def _squared_difference_sums(
    x: FloatMatrix,
    scan: _Scan,
    transform: Callable[[FloatMatrix, FloatVector], FloatMatrix],
    scale: float,
    center: float,
) -> tuple[float, float]:
    """Sums of squared differences over value pairs within units and over all value pairs.

    ``transform`` maps a block of the data (and its pairable counts) to the values compared,
    divided by ``scale``; ``center`` is (close to) their mean. Returns
    (sum_c sum_k o_ck (c - k)^2, sum_c sum_k n_c n_k (c - k)^2) in unscaled units, from each
    unit's sum of squared deviations from its mean (within) and the spread of the unit means
    around the grand mean (between), both accumulated block by block.
    """
    s_o = 0.0
    within_total = 0.0
    between_center = 0.0  # sum_u m_u (mean_u - center)^2
    value_sum = 0.0
    for part in _blocks(x.shape[1]):
        mb = scan.m[part]
        cell = _cells(x[:, part], mb)
        t = np.where(cell, transform(x[:, part], mb), 0.0)
        sums = t.sum(axis=0)
        mean = sums / np.maximum(mb, 1.0)
        dev = np.where(cell, t - mean, 0.0)
        within = np.einsum("ij,ij->j", dev, dev)
        s_o += float((2.0 * mb / np.maximum(mb - 1.0, 1.0)) @ within)
        within_total += float(within.sum())
        between_center += float(mb @ (mean - center) ** 2)
        value_sum += float(sums.sum())
    n = float(scan.n_pairable)
    grand_mean = value_sum / n
    # sum_u m_u (mean_u - grand)^2 = sum_u m_u (mean_u - center)^2 - n (grand - center)^2
    between = max(between_center - n * (grand_mean - center) ** 2, 0.0)
    s_e = 2.0 * n * (within_total + between)
    return s_o * scale * scale, s_e * scale * scale


@dataclass(frozen=True, slots=True)
class _Coding:
    """Maps pairable values to codes 0..V-1 in ascending order of value; other cells get V.

    Integer data over a short range are coded by their offset from the minimum, without a
    sort (values that do not occur keep a code with a zero count); other data, and all data
    when ``exact`` is asked for, through their sorted distinct values.
    """

    values: FloatVector
    lo: float
    domain: FloatVector | None

    @staticmethod
    def of(x: FloatMatrix, scan: _Scan, exact: bool = False) -> _Coding:
        if not exact and scan.integral and scan.hi - scan.lo < _MAX_DIRECT_RANGE:
            width = int(scan.hi - scan.lo) + 1
            return _Coding(scan.lo + np.arange(width, dtype=np.float64), scan.lo, None)
        parts = [np.unique(x[:, p][_cells(x[:, p], scan.m[p])]) for p in _blocks(x.shape[1])]
        domain = np.unique(np.concatenate(parts))
        return _Coding(domain, scan.lo, domain)

    @property
    def size(self) -> int:
        return len(self.values)

    def codes(self, xb: FloatMatrix, mb: FloatVector) -> IntArray:
        """Codes of one block of units, given the block's pairable counts ``mb``."""
        cell = _cells(xb, mb)
        if self.domain is None:
            return np.where(cell, xb - self.lo, float(self.size)).astype(np.intp)
        found = np.searchsorted(self.domain, np.where(cell, xb, self.lo))
        return np.where(cell, found, self.size).astype(np.intp)

    def value_counts(self, x: FloatMatrix, scan: _Scan) -> FloatVector:
        """n_c: how often each value occurs among the pairable values."""
        total = np.zeros(self.size + 1)
        for part in _blocks(x.shape[1]):
            codes = self.codes(x[:, part], scan.m[part])
            total += np.bincount(codes.ravel(), minlength=self.size + 1)
        return total[: self.size]


def _nominal_sums(x: FloatMatrix, scan: _Scan, coding: _Coding) -> tuple[float, FloatVector]:
    """sum_u (m_u^2 - sum_v n_uv^2) / (m_u - 1), the mismatching ordered pairs of each unit,
    and the value counts n_c = sum_u n_uc.

    n_uv, the number of coders giving value v to unit u, comes from one ``np.bincount`` per
    block of units.
    """
    width = coding.size + 1  # the last column counts the cells that are not pairable
    block = max(1, min(_BLOCK_UNITS, _BLOCK_CELLS // width))
    total = 0.0
    n_c = np.zeros(coding.size)
    for part in _blocks(x.shape[1], block):
        mb = scan.m[part]
        codes = coding.codes(x[:, part], mb)
        size = codes.shape[1]
        keys = codes + np.arange(size, dtype=np.intp) * width
        counts = np.bincount(keys.ravel(), minlength=size * width).reshape(size, width)
        counts = counts[:, : coding.size]
        n_c += counts.sum(axis=0)
        same = np.einsum("ij,ij->i", counts, counts)
        units = mb > 0
        total += float(np.sum((mb * mb - same)[units] / (mb[units] - 1.0)))
    return total, n_c


def _ratio_distance(a: FloatMatrix, b: FloatMatrix) -> FloatMatrix:
    """((a - b) / (a + b))^2 elementwise, 0 where a + b = 0."""
    total = a + b
    ratio = np.divide(a - b, total, out=np.zeros(np.broadcast(a, b).shape), where=total != 0)
    return ratio * ratio


def _ratio_observed(x: FloatMatrix, scan: _Scan) -> float:
    """sum_u 2 sum_{coders i < j} delta^2(x_iu, x_ju) / (m_u - 1) over pairable units."""
    total = 0.0
    n_coders = x.shape[0]
    for part in _blocks(x.shape[1]):
        mb = scan.m[part]
        xb = np.where(_cells(x[:, part], mb), x[:, part], np.nan)
        weight = np.where(mb > 0, 2.0 / np.maximum(mb - 1.0, 1.0), 0.0)
        for i in range(n_coders):
            for j in range(i + 1, n_coders):
                both = ~(np.isnan(xb[i]) | np.isnan(xb[j]))
                a, b = xb[i][both], xb[j][both]
                total += float(weight[both] @ _ratio_distance(a, b))
    return total


def _ratio_expected(values: FloatVector, n_c: FloatVector) -> float:
    """sum_c sum_k n_c n_k delta^2(c, k), in blocks of rows of the value-by-value distances."""
    block = max(1, _BLOCK_CELLS // max(len(values), 1))
    total = 0.0
    for start in range(0, len(values), block):
        rows = slice(start, start + block)
        delta = _ratio_distance(values[rows, None], values[None, :])
        total += float(n_c[rows] @ delta @ n_c)
    return total
