"""Comparing groups of documents: a document bootstrap, permutation tests and Holm's correction.

A finding such as "outlet A puts 2.4 loaded expressions in every 100 words, outlet B 1.1" is a
ratio of two sums over the documents of a group (loaded spans over words). Its uncertainty
comes from which documents happened to be annotated, so documents are the units that are
resampled (Efron & Tibshirani 1993, ch. 6 and 13; Davison & Hinkley 1997, ch. 3 on ratio
estimates), and the sentences of one article stay together.

Everything here works on a documents x counts matrix, one row per document and one column per
count (loaded spans, words, statements of each kind ...), so that every resample and every
permutation is a weighted sum of rows: a matrix product over all of them at once.

* :func:`bootstrap_sums`: the column sums of ``B`` resamples of the documents, drawn with
  replacement. Resample ``b`` draws ``rng.integers(0, n, size=n)`` from
  ``numpy.random.default_rng(seed)``, the recipe of the alpha bootstrap, so an interval can be
  reproduced from the seed.
* :func:`ratios` and :func:`percentile_interval`: a rate on each resample and its percentile
  interval; resamples where a rate has nothing to divide by are left out.
* :func:`permutation_test`: the two-sided p-value of the difference of a statistic between two
  groups, documents shuffled between them (or, for two measurements of the same documents,
  swapped within each document). When the distinct shuffles are no more than the permutations
  asked for, all of them are enumerated and the p-value is exact; otherwise it is the Monte
  Carlo estimate ``(1 + hits) / (1 + permutations)`` (Phipson & Smyth 2010), never 0.
* :func:`holm`: Holm's (1979) step-down adjustment of a family of p-values.

Pure numpy: no store, no report.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Matrix = npt.NDArray[np.float64]
Seed = int | Sequence[int]
"""Anything ``numpy.random.default_rng`` takes as entropy: an int or a sequence of ints."""

Statistic = Callable[[Matrix], Matrix]
"""Column sums (rows = resamples, columns = counts) -> statistics (rows = resamples)."""

_CHUNK_CELLS = 4_000_000
"""Resamples are weighted in chunks of about this many weights, to bound memory."""
_TIE = 1e-9
"""Relative tolerance under which a permuted difference counts as equal to the observed one
(the same difference summed in another order differs in its last bits)."""


def _counts(counts: npt.ArrayLike) -> Matrix:
    matrix = np.asarray(counts, dtype=np.float64)
    if matrix.ndim != 2:
        raise ValueError(
            f"counts must be a documents x counts matrix (2-D); got {matrix.ndim} dimensions"
        )
    return matrix


def _chunk(width: int) -> int:
    return max(1, _CHUNK_CELLS // max(width, 1))


def bootstrap_sums(counts: npt.ArrayLike, B: int, seed: Seed) -> Matrix:
    """Column sums of ``counts`` (documents x counts) over ``B`` resamples of its rows.

    Row ``b`` of the result is ``counts[rng.integers(0, n, size=n)].sum(axis=0)`` for the
    ``b``-th draw of ``rng = numpy.random.default_rng(seed)``, computed as how often each
    document was drawn times ``counts``.

    >>> bootstrap_sums([[1.0, 10.0], [3.0, 10.0]], B=2, seed=0).shape
    (2, 2)
    """
    matrix = _counts(counts)
    n, width = matrix.shape
    if B < 1:
        raise ValueError(f"B must be a positive number of resamples; got {B}")
    if n == 0:
        raise ValueError("there are no documents to resample")
    rng = np.random.default_rng(seed)
    out = np.empty((B, width), dtype=np.float64)
    step = _chunk(n)
    for first in range(0, B, step):
        rows = min(step, B - first)
        drawn = np.stack([rng.integers(0, n, size=n) for _ in range(rows)])
        drawn += (np.arange(rows) * n)[:, None]
        weights = np.bincount(drawn.ravel(), minlength=rows * n).reshape(rows, n)
        out[first : first + rows] = weights.astype(np.float64) @ matrix
    return out


def ratios(sums: Matrix, metrics: Sequence[tuple[int, int, float]]) -> Matrix:
    """Each metric ``(numerator column, denominator column, scale)`` on each row of ``sums``:
    ``scale * sums[:, num] / sums[:, den]``, NaN where the denominator is 0."""
    sums = np.atleast_2d(sums)
    if not metrics:
        return np.empty((sums.shape[0], 0), dtype=np.float64)
    num = np.array([m[0] for m in metrics])
    den = np.array([m[1] for m in metrics])
    scale = np.array([m[2] for m in metrics], dtype=np.float64)
    top = sums[:, num] * scale
    bottom = sums[:, den]
    out = np.full(top.shape, np.nan)
    np.divide(top, bottom, out=out, where=bottom != 0)
    return out


@dataclass(frozen=True, slots=True)
class Interval:
    """A percentile interval, or why there is none; ``defined`` resamples gave the figure."""

    low: float | None
    high: float | None
    defined: int
    reason: str | None = None


def percentile_interval(values: npt.ArrayLike, confidence: float = 0.95) -> Interval:
    """The ``(1 - confidence) / 2`` and ``(1 + confidence) / 2`` percentiles of the defined
    (non-NaN) ``values`` (numpy's default linear interpolation, as ``bootstrap_ci``)."""
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must lie strictly between 0 and 1; got {confidence}")
    array = np.asarray(values, dtype=np.float64).ravel()
    kept = array[~np.isnan(array)]
    if kept.size == 0:
        return Interval(None, None, 0, "undefined on every resample")
    tail = (1.0 - confidence) / 2.0
    low, high = np.quantile(kept, [tail, 1.0 - tail])
    return Interval(float(low), float(high), int(kept.size))


@dataclass(frozen=True, slots=True)
class PermutationResult:
    """Two-sided p-values, one per statistic (None where the observed difference is undefined
    or no shuffle gave a defined one), over ``permutations`` shuffles; ``exact`` when those
    were every distinct shuffle."""

    observed: tuple[float | None, ...]
    p_values: tuple[float | None, ...]
    permutations: int
    exact: bool


def _splits(n: int, first: int, permutations: int, rng: np.random.Generator) -> Matrix:
    """Rows of 0/1 marking which of ``n`` pooled documents fall in the first group."""
    masks = np.zeros((permutations, n), dtype=np.float64)
    for row in range(permutations):
        masks[row, rng.permutation(n)[:first]] = 1.0
    return masks


def _all_splits(n: int, first: int) -> Matrix:
    combos = list(itertools.combinations(range(n), first))
    masks = np.zeros((len(combos), n), dtype=np.float64)
    if first:
        rows = np.repeat(np.arange(len(combos)), first)
        masks[rows, np.asarray(combos, dtype=np.intp).ravel()] = 1.0
    return masks


def _all_flips(n: int) -> Matrix:
    return np.asarray(list(itertools.product((1.0, 0.0), repeat=n)), dtype=np.float64).reshape(
        2**n, n
    )


def _masks(
    n: int, first: int, paired: bool, exact: bool, permutations: int, rng: np.random.Generator
) -> Iterator[Matrix]:
    """The shuffles in chunks: every distinct one when ``exact``, else ``permutations`` drawn."""
    step = _chunk(n)
    if exact:
        masks = _all_flips(n) if paired else _all_splits(n, first)
        for i in range(0, len(masks), step):
            yield masks[i : i + step]
        return
    for done in range(0, permutations, step):
        rows = min(step, permutations - done)
        if paired:
            yield np.stack([rng.integers(0, 2, size=n) for _ in range(rows)]).astype(np.float64)
        else:
            yield _splits(n, first, rows, rng)


def _hits(observed: Matrix, permuted: Matrix) -> tuple[Matrix, Matrix]:
    """Per statistic: how many permuted differences are at least as far from 0 as the observed
    one, and how many were defined."""
    size = np.abs(observed)
    defined = ~np.isnan(permuted)
    extreme = np.abs(np.where(defined, permuted, 0.0)) >= size - _TIE * np.maximum(size, 1.0)
    return (extreme & defined).sum(axis=0).astype(np.float64), defined.sum(axis=0).astype(
        np.float64
    )


def permutation_test(
    a: npt.ArrayLike,
    b: npt.ArrayLike,
    statistic: Statistic,
    permutations: int,
    seed: Seed,
    *,
    paired: bool = False,
) -> PermutationResult:
    """Two-sided permutation test of ``statistic(sums of a) - statistic(sums of b)``.

    Independent groups (``paired=False``): the ``n_a + n_b`` documents are pooled and split
    again at random into groups of ``n_a`` and ``n_b``; shuffle ``p`` puts the documents
    ``rng.permutation(n_a + n_b)[:n_a]`` in the first group. Paired (``paired=True``, ``a`` and
    ``b`` two measurements of the same documents, row by row): each document's two rows are
    swapped or not, ``rng.integers(0, 2, size=n)`` per shuffle (1 keeps). The null hypothesis
    is that the group makes no difference, so every shuffle is as likely as the one observed.

    When the distinct shuffles (``C(n_a + n_b, n_a)``, or ``2 ** n`` paired) number no more
    than ``permutations``, each is taken once and the p-value is the exact share of them with a
    difference at least as large as the observed one (the observed shuffle among them).
    Otherwise the p-value is ``(1 + hits) / (1 + defined shuffles)``. Shuffles where a
    statistic is undefined (NaN) are left out of its count.
    """
    first = _counts(a)
    second = _counts(b)
    if first.shape[1] != second.shape[1]:
        raise ValueError("a and b must have the same counts (columns)")
    if paired and first.shape != second.shape:
        raise ValueError("paired measurements need the same documents (rows) in a and b")
    if permutations < 1:
        raise ValueError(f"permutations must be a positive number; got {permutations}")
    total_a, total_b = first.sum(axis=0), second.sum(axis=0)
    observed = statistic(total_a[None, :]) - statistic(total_b[None, :])
    rng = np.random.default_rng(seed)
    n = first.shape[0] if paired else first.shape[0] + second.shape[0]
    distinct = 2**n if paired else math.comb(n, first.shape[0])
    exact = distinct <= permutations
    # paired: sums of a = keep @ (a - b) + sums of b; independent: in_a @ pooled rows
    rows = first - second if paired else np.vstack([first, second])
    offset = total_b if paired else np.zeros_like(total_b)
    total = total_a + total_b
    hits = np.zeros(observed.shape[1])
    defined = np.zeros(observed.shape[1])
    for mask in _masks(n, first.shape[0], paired, exact, permutations, rng):
        sums_a = mask @ rows + offset
        h, d = _hits(observed, statistic(sums_a) - statistic(total - sums_a))
        hits += h
        defined += d
    count = distinct if exact else permutations
    p_values: list[float | None] = []
    values: list[float | None] = []
    for i in range(observed.shape[1]):
        value = float(observed[0, i])
        if math.isnan(value) or defined[i] == 0:
            values.append(None if math.isnan(value) else value)
            p_values.append(None)
            continue
        values.append(value)
        p = hits[i] / defined[i] if exact else (1.0 + hits[i]) / (1.0 + defined[i])
        p_values.append(min(float(p), 1.0))
    return PermutationResult(tuple(values), tuple(p_values), count, exact)


def holm(p_values: Sequence[float | None]) -> list[float | None]:
    """Holm's step-down adjusted p-values, in the order given; None stays None and is not
    counted in the family.

    >>> holm([0.01, 0.04, 0.03])
    [0.03, 0.06, 0.06]
    """
    order = sorted((p, i) for i, p in enumerate(p_values) if p is not None)
    m = len(order)
    out: list[float | None] = [None] * len(p_values)
    running = 0.0
    for rank, (p, i) in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p))
        out[i] = running
    return out
