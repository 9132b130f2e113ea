"""Krippendorff's alpha_U: agreement on where units (spans) are and what they are.

Krippendorff (1995), "On the reliability of unitizing contiguous data", Sociological
Methodology 25; Content Analysis (2004), section 12.4. For one label, each coder cuts the
continuum [begin, begin + length) into the units of that label and the gaps between them. Two
segments from different coders that overlap disagree by

    unit vs unit        (b_g - b_h)^2 + (e_g - e_h)^2     (begin and end offsets)
    unit inside a gap   l_g^2                             (l = length; else 0)
    gap vs gap          0

    D_o = 2 / (m (m - 1) L^2) * sum over coder pairs and overlapping segments of the above
    D_e = 2 / L * sum_g [ (N - 1)(2 l_g^3 - 3 l_g^2 + l_g) / 3
                          + l_g^2 sum_{gaps h, l_h >= l_g} (l_h - l_g + 1) ]
          / (m L (m L - 1) - sum_g l_g (l_g - 1))

with m coders, L the length of the continuum, g over the N units of the label from all coders
and h over all coders' gaps. Over several labels, D_o and D_e are the means of the per-label
ones and alpha_U = 1 - D_o / D_e (the convention of DKPro Statistics).

Conventions: offsets are integers, half-open ``[start, end)``; every coder listed in
``coders`` counts, including coders who marked nothing (for them the continuum is one gap, which
is what "I found nothing here" means); a coder's overlapping units of one label are merged into
one, since alpha_U assumes a coder's units of a label do not overlap (touching units stay
apart).

Segments are found by sorting and sweeping over boundaries with numpy, so the cost is
O(n log n) in the number of spans per pair of coders and label.
"""

from __future__ import annotations

import operator
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from annotator.agreement.results import LabelUnitizingResult, UnitizingResult

IntVector = npt.NDArray[np.int64]
FloatVector = npt.NDArray[np.float64]
BoolVector = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class _Partition:
    """One coder's continuum for one label: consecutive segments, each a unit or a gap."""

    starts: IntVector
    ends: IntVector
    is_unit: BoolVector


def unitizing_alpha(
    units: Iterable[tuple[Hashable, int, int, Hashable]],
    begin: int,
    length: int,
    coders: Sequence[Hashable] | None = None,
) -> UnitizingResult:
    """alpha_U for ``units``, ``(coder, start, end, label)`` with half-open offsets.

    ``begin`` and ``length`` delimit the continuum; every unit must lie inside it. ``coders``
    lists who counts (default: everyone with a unit); list annotators who marked nothing too,
    or their agreement on "nothing here" is lost. Returns the overall alpha_U and
    ``per_label``.

    >>> r = unitizing_alpha([("a", 0, 4, "x"), ("b", 0, 4, "x")], begin=0, length=10)
    >>> r.value, r.per_label["x"].value
    (1.0, 1.0)
    """
    begin = operator.index(begin)
    length = operator.index(length)
    if length <= 0:
        raise ValueError(f"the continuum length must be positive; got {length}")
    coder_col, start, end, label_col = _columns(units, begin, length)
    known = list(dict.fromkeys(coder_col))
    if coders is None:
        coder_list = _sorted(known)
    else:
        coder_list = tuple(dict.fromkeys(coders))
        stray = [c for c in known if c not in set(coder_list)]
        if stray:
            raise ValueError(f"unit(s) by {stray[0]!r}, who is not in coders; add them")
    labels = _sorted(list(dict.fromkeys(label_col)))
    m = len(coder_list)

    def undefined(reason: str, n_units: int = 0, merged: int = 0) -> UnitizingResult:
        return UnitizingResult(
            None, None, None, {}, coder_list, begin, length, n_units, merged, reason
        )

    if m < 2:
        return undefined("alpha_U needs at least two coders")
    if not len(start):
        return undefined("no coder marked a unit")
    coder_index = {c: i for i, c in enumerate(coder_list)}
    label_index = {lab: i for i, lab in enumerate(labels)}
    coder = np.array([coder_index[c] for c in coder_col], dtype=np.int64)
    label = np.array([label_index[lab] for lab in label_col], dtype=np.int64)
    # One integer key orders the units by label, coder and start; a stable sort is linear on
    # the already sorted runs that annotation data usually come in.
    group = label * m + coder
    order = np.argsort(group * (length + 1) + (start - begin), kind="stable")
    coder, start, end, label = coder[order], start[order], end[order], label[order]

    per_label: dict[Hashable, LabelUnitizingResult] = {}
    n_units = 0
    n_merged = 0
    bounds = np.searchsorted(label, np.arange(len(labels) + 1))
    for j, name in enumerate(labels):
        lo, hi = int(bounds[j]), int(bounds[j + 1])
        partitions = []
        for i in range(m):
            take = slice(*np.searchsorted(coder[lo:hi], [i, i + 1]) + lo)
            s, e = _merge(start[take], end[take])
            n_merged += int(take.stop - take.start) - len(s)
            partitions.append(_partition(s, e, begin, length))
        result = _label_alpha(partitions, length)
        n_units += result.n_units
        per_label[name] = result
    d_o = float(np.mean([r.observed_disagreement for r in per_label.values()]))
    d_e = float(np.mean([r.expected_disagreement for r in per_label.values()]))
    if d_e <= 0.0:
        return undefined("expected disagreement is zero", n_units, n_merged)
    return UnitizingResult(
        value=1.0 - d_o / d_e,
        observed_disagreement=d_o,
        expected_disagreement=d_e,
        per_label=per_label,
        coders=coder_list,
        begin=begin,
        length=length,
        n_units=n_units,
        n_merged=n_merged,
    )


def _sorted(values: list[Hashable]) -> tuple[Hashable, ...]:
    try:
        return tuple(sorted(values))  # type: ignore[type-var]
    except TypeError:
        return tuple(sorted(values, key=repr))


def _columns(
    units: Iterable[tuple[Hashable, int, int, Hashable]], begin: int, length: int
) -> tuple[list[Hashable], IntVector, IntVector, list[Hashable]]:
    """Split units into coder, start, end and label columns, checking every unit."""
    rows = list(units)
    try:
        well_formed = set(map(len, rows)) <= {4}
    except TypeError:
        well_formed = False
    if not well_formed:
        bad = next(r for r in rows if not isinstance(r, tuple | list) or len(r) != 4)
        raise ValueError(f"a unit must be (coder, start, end, label); got {bad!r}")
    if not rows:
        return [], np.zeros(0, np.int64), np.zeros(0, np.int64), []
    coders = [row[0] for row in rows]
    starts = [row[1] for row in rows]
    ends = [row[2] for row in rows]
    labels = [row[3] for row in rows]
    start = np.asarray(starts)
    end = np.asarray(ends)
    for offsets in (start, end):
        if offsets.dtype.kind not in "iu":
            bad = next(r for r in rows if not _is_int(r[1]) or not _is_int(r[2]))
            raise ValueError(f"unit offsets must be integers; got {bad!r}")
    stop = begin + length
    wrong = (start < begin) | (end > stop) | (start >= end)
    if bool(wrong.any()):
        bad = rows[int(np.argmax(wrong))]
        raise ValueError(
            f"unit {bad!r} must satisfy {begin} <= start < end <= {stop} "
            "(half-open offsets inside the continuum)"
        )
    return coders, start.astype(np.int64), end.astype(np.int64), labels


def _is_int(value: object) -> bool:
    try:
        operator.index(value)  # type: ignore[arg-type]
    except TypeError:
        return False
    return True


def _merge(start: IntVector, end: IntVector) -> tuple[IntVector, IntVector]:
    """Merge overlapping spans (sorted by start); spans that only touch stay apart."""
    if len(start) < 2:
        return start, end
    reach = np.maximum.accumulate(end)
    first = np.ones(len(start), dtype=bool)
    first[1:] = start[1:] >= reach[:-1]
    heads = np.flatnonzero(first)
    return start[heads], np.maximum.reduceat(end, heads)


def _partition(start: IntVector, end: IntVector, begin: int, length: int) -> _Partition:
    """Units [s_i, e_i) (sorted, disjoint) and the gaps around them, in order, in O(n)."""
    stop = begin + length
    n = len(start)
    seg_start = np.empty(2 * n + 1, dtype=np.int64)
    seg_end = np.empty(2 * n + 1, dtype=np.int64)
    seg_start[0], seg_end[0] = begin, start[0] if n else stop  # the gap before the first unit
    seg_start[1::2], seg_end[1::2] = start, end  # the units
    seg_start[2::2], seg_end[2::2] = end, np.append(start[1:], stop)  # the gaps after them
    is_unit = np.zeros(2 * n + 1, dtype=bool)
    is_unit[1::2] = True
    keep = seg_start < seg_end  # drop empty gaps (touching units, units at the edges)
    return _Partition(seg_start[keep], seg_end[keep], is_unit[keep])


def _pair_disagreement(p: _Partition, q: _Partition) -> float:
    """Sum of the squared distances between overlapping segments of two coders.

    Each overlapping pair of segments shares exactly one elementary interval between the
    merged boundaries, so one sweep over those intervals visits every pair once. The two
    sorted boundary lists are merged by a stable sort, which is linear on two sorted runs.
    """
    both_starts = np.concatenate((p.starts, q.starts))
    order = np.argsort(both_starts, kind="stable")
    from_p = order < len(p.starts)
    in_p = np.cumsum(from_p) - 1  # index of the segment of p holding each boundary
    in_q = np.cumsum(~from_p) - 1
    merged = both_starts[order]
    last = np.ones(len(merged), dtype=bool)
    last[:-1] = merged[1:] != merged[:-1]
    i, k = in_p[last], in_q[last]
    b1, e1, u1 = p.starts[i].astype(np.float64), p.ends[i].astype(np.float64), p.is_unit[i]
    b2, e2, u2 = q.starts[k].astype(np.float64), q.ends[k].astype(np.float64), q.is_unit[k]
    both = u1 & u2
    first_in_gap = u1 & ~u2 & (b2 <= b1) & (e1 <= e2)
    second_in_gap = ~u1 & u2 & (b1 <= b2) & (e2 <= e1)
    total = np.sum(((b1 - b2) ** 2 + (e1 - e2) ** 2)[both])
    total += np.sum(((e1 - b1) ** 2)[first_in_gap])
    total += np.sum(((e2 - b2) ** 2)[second_in_gap])
    return float(total)


def _label_alpha(partitions: list[_Partition], length: int) -> LabelUnitizingResult:
    m = len(partitions)
    big_l = float(length)
    observed = 0.0
    for a in range(m):
        for b in range(a + 1, m):
            observed += _pair_disagreement(partitions[a], partitions[b])
    d_o = 2.0 * observed / (m * (m - 1) * big_l * big_l)

    lengths = np.concatenate([(p.ends - p.starts)[p.is_unit] for p in partitions])
    gaps = np.sort(np.concatenate([(p.ends - p.starts)[~p.is_unit] for p in partitions]))
    unit_l = lengths.astype(np.float64)
    n = len(unit_l)
    gap_l = gaps.astype(np.float64)
    suffix = np.append(np.cumsum(gap_l[::-1])[::-1], 0.0)
    first = np.searchsorted(gap_l, unit_l, side="left")
    fitting = len(gap_l) - first
    placements = suffix[first] - fitting * (unit_l - 1.0)
    within = (n - 1.0) * (2.0 * unit_l**3 - 3.0 * unit_l**2 + unit_l) / 3.0
    numerator = 2.0 / big_l * float(np.sum(within + unit_l**2 * placements))
    denominator = m * big_l * (m * big_l - 1.0) - float(np.sum(unit_l * (unit_l - 1.0)))
    if denominator <= 0.0 or numerator <= 0.0:
        return LabelUnitizingResult(None, d_o, 0.0, n, "expected disagreement is zero")
    d_e = numerator / denominator
    return LabelUnitizingResult(1.0 - d_o / d_e, d_o, d_e, n)
