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


def _numeric_order(
    values: FloatMatrix, value_order: Sequence[Hashable], level: Level
) -> FloatMatrix:
    try:
        order = np.asarray(value_order, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError("the data are numbers, so value_order must list numbers") from exc
    if order.ndim != 1 or len(np.unique(order)) != len(order):
        raise ValueError("value_order must list each value once")
    present = ~np.isnan(values)
    sorter = np.argsort(order)
    pos = np.searchsorted(order, values[present], sorter=sorter)
    pos = np.minimum(pos, len(order) - 1)
    found = order[sorter[pos]] == values[present]
    if not bool(found.all()):
        missing = np.unique(values[present][~found])[:3]
        shown = ", ".join(f"{v:g}" for v in missing)
        raise ValueError(f"value(s) {shown} not in value_order; add them to value_order")
    if level != "ordinal":
        return values
    ranked = np.full(values.shape, np.nan)
    ranked[present] = sorter[pos].astype(np.float64)
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
