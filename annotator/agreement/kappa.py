"""Two-rater agreement: percent agreement, Cohen's kappa, Scott's pi, Bennett's S.

Each function takes either two label sequences of equal length (rater A, rater B; an item
missing from either, ``None`` or NaN, is dropped from both) or one square contingency table
(rows = rater A, columns = rater B). All three chance-corrected coefficients share the form

    (A_o - A_e) / (1 - A_e)

with A_o the observed proportion of agreement and A_e the agreement expected by chance:
Cohen (1960) multiplies each rater's own label proportions, Scott (1955) squares the pooled
proportions, Bennett, Alpert & Goldstein (1954) assume 1/q for q categories. When A_e = 1
(both raters used one category only) the coefficient is undefined and ``value`` is ``None``.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from annotator.agreement.results import ConfusionMatrix, TwoRaterResult

FloatMatrix = npt.NDArray[np.float64]


def _missing(value: object) -> bool:
    if value is None:
        return True
    return isinstance(value, float | np.floating) and math.isnan(value)


def _sort_labels(labels: set[Hashable]) -> tuple[Hashable, ...]:
    try:
        return tuple(sorted(labels))  # type: ignore[type-var]
    except TypeError:
        return tuple(sorted(labels, key=repr))


def confusion_matrix(
    a: Sequence[Hashable], b: Sequence[Hashable], labels: Sequence[Hashable] | None = None
) -> ConfusionMatrix:
    """Cross-tabulate two raters' labels (rows = ``a``, columns = ``b``).

    Items missing (``None`` or NaN) from either sequence are dropped. ``labels`` fixes the
    order of rows and columns and may include labels nobody used; by default the labels
    used, sorted.

    >>> confusion_matrix(["x", "y", "y"], ["x", "y", "x"]).counts
    ((1, 0), (1, 1))
    """
    if len(a) != len(b):
        raise ValueError(f"the two label sequences differ in length ({len(a)} and {len(b)})")
    pairs = [(x, y) for x, y in zip(a, b, strict=True) if not (_missing(x) or _missing(y))]
    used = {x for x, _ in pairs} | {y for _, y in pairs}
    if labels is None:
        order = _sort_labels(used)
    else:
        order = tuple(labels)
        if len(set(order)) != len(order):
            raise ValueError("labels lists a label more than once")
        unknown = [v for v in used if v not in set(order)]
        if unknown:
            shown = ", ".join(repr(v) for v in _sort_labels(set(unknown))[:3])
            raise ValueError(f"label(s) {shown} not in labels; add them to labels")
    index = {label: i for i, label in enumerate(order)}
    q = len(order)
    flat = [0] * (q * q)
    for x, y in pairs:
        flat[index[x] * q + index[y]] += 1
    counts = tuple(tuple(flat[i * q : (i + 1) * q]) for i in range(q))
    return ConfusionMatrix(labels=order, counts=counts, n=len(pairs))


def _table(
    a: Any, b: Sequence[Hashable] | None, labels: Sequence[Hashable] | None
) -> tuple[FloatMatrix, tuple[Hashable, ...]]:
    """The contingency table of the arguments, as float64, and its labels."""
    if b is not None:
        cm = confusion_matrix(a, b, labels)
        q = len(cm.labels)
        return np.asarray(cm.counts, dtype=np.float64).reshape(q, q), cm.labels
    try:
        table = np.asarray(a, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            "pass two label sequences, or one square contingency table of counts"
        ) from exc
    if table.ndim != 2 or table.shape[0] != table.shape[1]:
        raise ValueError(
            "a single argument must be a square contingency table (rows = rater A, "
            f"columns = rater B); got shape {table.shape}"
        )
    if not bool(np.isfinite(table).all()) or bool((table < 0).any()):
        raise ValueError("contingency table counts must be finite and not negative")
    if labels is not None and len(labels) != table.shape[0]:
        raise ValueError(f"labels has {len(labels)} entries for a {table.shape[0]}-row table")
    names = tuple(labels) if labels is not None else tuple(range(table.shape[0]))
    return table, names


def _coefficient(table: FloatMatrix, labels: tuple[Hashable, ...], chance: str) -> TwoRaterResult:
    n = float(table.sum())
    if n == 0:
        return TwoRaterResult(None, 0, None, None, labels, "no item was labelled by both raters")
    count = round(n)
    p = table / n
    a_o = float(np.trace(p))
    row, col = p.sum(axis=1), p.sum(axis=0)
    if chance == "none":
        return TwoRaterResult(a_o, count, a_o, None, labels)
    if chance == "cohen":
        a_e = float(row @ col)
    elif chance == "scott":
        pooled = (row + col) / 2.0
        a_e = float(pooled @ pooled)
    else:
        q = table.shape[0]
        if q < 2:
            return TwoRaterResult(None, count, a_o, None, labels, "S needs at least two categories")
        a_e = 1.0 / q
    if a_e >= 1.0:
        return TwoRaterResult(
            None,
            count,
            a_o,
            a_e,
            labels,
            "both raters used a single category, so chance agreement is 1",
        )
    return TwoRaterResult((a_o - a_e) / (1.0 - a_e), count, a_o, a_e, labels)


def cohen_kappa(
    a: Any, b: Sequence[Hashable] | None = None, labels: Sequence[Hashable] | None = None
) -> TwoRaterResult:
    """Cohen's (1960) kappa: chance agreement from each rater's own label distribution.

    >>> round(cohen_kappa([[88, 14, 18], [10, 40, 10], [2, 6, 12]]).value, 3)
    0.492
    """
    table, names = _table(a, b, labels)
    return _coefficient(table, names, "cohen")


def scott_pi(
    a: Any, b: Sequence[Hashable] | None = None, labels: Sequence[Hashable] | None = None
) -> TwoRaterResult:
    """Scott's (1955) pi: chance agreement from the two raters' pooled label distribution.

    >>> round(scott_pi([[20, 10], [20, 50]]).value, 3)
    0.341
    """
    table, names = _table(a, b, labels)
    return _coefficient(table, names, "scott")


def bennett_s(
    a: Any, b: Sequence[Hashable] | None = None, labels: Sequence[Hashable] | None = None
) -> TwoRaterResult:
    """Bennett, Alpert & Goldstein's (1954) S: chance agreement 1/q for q categories.

    q is the number of ``labels`` (or table rows); pass the scheme's labels, since by default
    only the labels the raters used are counted.

    >>> round(bennett_s([[20, 10], [20, 50]]).value, 3)
    0.4
    """
    table, names = _table(a, b, labels)
    return _coefficient(table, names, "bennett")


def percent_agreement(
    a: Any, b: Sequence[Hashable] | None = None, labels: Sequence[Hashable] | None = None
) -> TwoRaterResult:
    """The proportion of items both raters labelled on which they agree (not chance-corrected).

    >>> percent_agreement(["x", "y", None], ["x", "x", "y"]).value
    0.5
    """
    table, names = _table(a, b, labels)
    return _coefficient(table, names, "none")
