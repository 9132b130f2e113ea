"""Reading coders x units reliability data into one float matrix.

Every coefficient over coded units (alpha, Fleiss' kappa, the bootstrap) starts here, so that
missing values, string labels and ``value_order`` mean the same thing everywhere:

* ``data`` is coders x units: a list of lists or a 2-D array, one row per coder.
* ``None`` or NaN marks a missing value. A numpy *string* array cannot hold a missing value
  (numpy turns NaN into the text ``"nan"``), so such an array is refused when it contains
  ``"nan"``; pass a list, or an object array with ``None``.
* Values are numbers or labels (strings or any hashable), not a mixture of both.
* Labels are coded by their position in ``value_order`` when it is given, otherwise (nominal
  level only) in sorted order. At the interval and ratio levels, labels stand for the equally
  spaced numbers 1, 2, ..., k in ``value_order``.
* Numbers are used as they are. At the ordinal level a ``value_order`` of numbers defines
  their rank order; at other levels it only restricts which values may occur.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from annotator.agreement.results import Level

FloatMatrix = npt.NDArray[np.float64]
FloatVector = npt.NDArray[np.float64]
LEVELS: tuple[Level, ...] = ("nominal", "ordinal", "interval", "ratio")


@dataclass(frozen=True, slots=True)
class ReliabilityMatrix:
    """Coders x units as float64 with NaN for missing values.

    ``labels`` is set when the data held labels: ``values`` then holds each label's code
    (0-based position at the nominal and ordinal levels, 1-based at interval and ratio).
    """

    values: FloatMatrix
    labels: tuple[Hashable, ...] | None


def check_level(level: str) -> Level:
    """Return ``level`` if it is a level of measurement, else raise ``ValueError``."""
    for known in LEVELS:
        if level == known:
            return known
    raise ValueError(f"level must be one of {', '.join(LEVELS)}; got {level!r}")


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    return isinstance(value, float | np.floating) and math.isnan(value)


def _is_number(value: object) -> bool:
    if isinstance(value, bool | np.bool_):
        return False
    return isinstance(value, int | float | np.integer | np.floating)


def _as_2d(data: Any) -> npt.NDArray[Any]:
    """The data as a 2-D numpy array, numeric when it is all numbers, else of objects."""
    if isinstance(data, np.ndarray):
        arr: npt.NDArray[Any] = data
        if arr.dtype.kind in "US":
            if arr.size and bool(np.any(arr == "nan")):
                raise ValueError(
                    "the string array contains 'nan' (numpy turns NaN into text in string "
                    "arrays); pass a list or an object array with None for missing values"
                )
            arr = arr.astype(object)
    else:
        try:
            arr = np.asarray(data)
        except ValueError as exc:
            raise ValueError(
                "data must be coders x units: a rectangular list of lists or a 2-D array"
            ) from exc
        if arr.dtype.kind in "US":
            # A list mixing strings and NaN becomes a string array with "nan" in it.
            arr = np.array(data, dtype=object)
    if arr.size == 0:
        return np.zeros((arr.shape[0] if arr.ndim == 2 else 0, 0))
    if arr.ndim != 2:
        raise ValueError(
            f"data must be coders x units (2-D); got an array with {arr.ndim} dimension(s)"
        )
    return arr


def _label_codes(
    flat: npt.NDArray[Any], present: npt.NDArray[np.bool_], value_order: Sequence[Hashable] | None
) -> tuple[npt.NDArray[np.float64], tuple[Hashable, ...]]:
    present_values = flat[present]
    if value_order is not None:
        order = tuple(value_order)
    else:
        distinct = set(present_values.tolist())
        try:
            order = tuple(sorted(distinct))
        except TypeError:
            order = tuple(sorted(distinct, key=repr))
    index = {label: i for i, label in enumerate(order)}
    if len(index) != len(order):
        raise ValueError("value_order lists a value more than once")
    unknown = [v for v in dict.fromkeys(present_values.tolist()) if v not in index]
    if unknown:
        shown = ", ".join(repr(v) for v in unknown[:3])
        raise ValueError(f"value(s) {shown} not in value_order; add them to value_order")
    codes = np.full(flat.shape, np.nan)
    codes[present] = [index[v] for v in present_values.tolist()]
    return codes, order


_BLOCK_UNITS = 65536
"""Units read at a time where a pass over the data would otherwise copy all of it."""
_TABLE_SLACK = 1024
"""A lookup table may span this many integers more than the values it codes: dense codes
(1..7, 0..q-1) take the table, a few values spread widely take the binary search."""


def _dense(lo: float, hi: float, count: int) -> bool:
    """Whether integers from ``lo`` to ``hi`` are few enough for a table beside ``count``
    values (the table costs one entry per integer in the range)."""
    return hi - lo < 4 * count + _TABLE_SLACK


def positions(domain: FloatVector, values: FloatVector) -> npt.NDArray[np.intp]:
    """The index of each of ``values`` (no NaN) in the sorted, distinct ``domain``; -1 where a
    value is not in it.

    Codes are usually small integers (labels' positions, scales 1..7), so when the domain is
    such a range the index is one gather from a lookup table, linear in the data, instead of
    a binary search per value (several times faster on millions of cells). Either way a
    value is found only when it equals its domain entry exactly.
    """
    if domain.size == 0:
        return np.full(values.shape, -1, dtype=np.intp)
    lo, hi = float(domain[0]), float(domain[-1])
    integral = bool(np.all(np.floor(domain) == domain))
    if integral and _dense(lo, hi, domain.size):
        table = np.full(int(hi - lo) + 1, -1, dtype=np.intp)
        table[(domain - lo).astype(np.intp)] = np.arange(domain.size, dtype=np.intp)
        index = table[(np.clip(values, lo, hi) - lo).astype(np.intp)]
    else:
        index = np.minimum(np.searchsorted(domain, values), domain.size - 1)
    found = domain[np.maximum(index, 0)] == values
    return np.where(found & (index >= 0), index, -1)


def distinct_values(values: FloatVector) -> FloatVector:
    """The sorted distinct numbers among ``values`` (no NaN); a count per integer when the
    values are integers in a small range, which avoids sorting them all."""
    if values.size == 0:
        return np.zeros(0)
    lo, hi = float(values.min()), float(values.max())
    if _dense(lo, hi, values.size) and bool(np.all(np.floor(values) == values)):
        seen = np.bincount((values - lo).astype(np.intp), minlength=int(hi - lo) + 1)
        return np.flatnonzero(seen).astype(np.float64) + lo
    return np.unique(values)


def _numeric_order(
    values: FloatMatrix, value_order: Sequence[Hashable], level: Level
) -> FloatMatrix:
    try:
        order = np.asarray(value_order, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError("the data are numbers, so value_order must list numbers") from exc
    if order.ndim != 1 or len(np.unique(order)) != len(order):
        raise ValueError("value_order must list each value once")
    sorter = np.argsort(order)
    domain = order[sorter]
    fill = float(domain[0]) if domain.size else 0.0  # stands in for a missing cell
    ranked = np.full(values.shape, np.nan) if level == "ordinal" else values
    for start in range(0, values.shape[1], _BLOCK_UNITS):  # no full-size temporaries
        block = values[:, start : start + _BLOCK_UNITS]
        missing = np.isnan(block)
        index = positions(domain, np.where(missing, fill, block))
        absent = (index < 0) & ~missing
        if bool(np.any(absent)):
            shown = ", ".join(f"{v:g}" for v in np.unique(block[absent])[:3])
            raise ValueError(f"value(s) {shown} not in value_order; add them to value_order")
        if level == "ordinal":
            ranked[:, start : start + _BLOCK_UNITS] = np.where(missing, np.nan, sorter[index])
    return ranked


def read_reliability_data(
    data: Any, level: Level, value_order: Sequence[Hashable] | None = None
) -> ReliabilityMatrix:
    """Read coders x units ``data`` for a coefficient at ``level``.

    Raises ``ValueError`` with one clear sentence for data that cannot be read (not 2-D,
    numbers mixed with labels, labels at a non-nominal level without ``value_order``,
    infinite values, negative values at the ratio level).
    """
    arr = _as_2d(data)
    if arr.dtype.kind in "biuf":
        values = arr.astype(np.float64, copy=False)  # float64 input is used as it is, not copied
        labels = None
    else:
        flat = arr.ravel()
        missing = np.fromiter((_is_missing(v) for v in flat), dtype=bool, count=flat.size)
        present = ~missing
        numbers = np.fromiter((_is_number(v) for v in flat), dtype=bool, count=flat.size)
        if bool(numbers[present].all()):
            codes = np.full(flat.shape, np.nan)
            codes[present] = flat[present].astype(np.float64)
            values, labels = codes.reshape(arr.shape), None
        elif bool(numbers[present].any()):
            raise ValueError("data mix numbers and labels; use one kind of value")
        else:
            if level != "nominal" and value_order is None:
                raise ValueError(
                    f"labels at the {level} level need value_order (the labels in order)"
                )
            codes, labels = _label_codes(flat, present, value_order)
            if level in ("interval", "ratio"):
                codes = codes + 1.0
            values = codes.reshape(arr.shape)
            return ReliabilityMatrix(values=values, labels=labels)
    if not bool(np.isfinite(np.nanmax(values, initial=0.0))) or not bool(
        np.isfinite(np.nanmin(values, initial=0.0))
    ):
        raise ValueError("data contain an infinite value; use a finite number or None")
    if value_order is not None:
        values = _numeric_order(values, value_order, level)
    if level == "ratio" and float(np.nanmin(values, initial=0.0)) < 0:
        raise ValueError("ratio-level values must be zero or positive")
    return ReliabilityMatrix(values=values, labels=labels)
