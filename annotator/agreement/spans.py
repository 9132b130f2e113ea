"""Span precision, recall and F1 between annotators, in three matching modes.

Spans are ``(start, end, label)`` with half-open offsets; each side is treated as a set
(duplicates count once; with ``labeled=False`` the label is ignored, so two labels on the same
stretch count as one span). Every span earns a credit between 0 and 1:

``exact``
    1 if the other side has a span with the same offsets (and label), else 0.
``partial``
    The fraction of the span's characters covered by the other side's spans (of the same
    label): overlap-length credit as in the SemEval-2020 task 11 (propaganda techniques)
    scorer. Characters covered by several spans of the other side are counted once, so a
    credit never exceeds 1.
``overlap``
    1 if the span overlaps any span of the other side (of the same label) by at least one
    character, else 0.

``precision`` = summed credit of the candidate's spans / number of candidate spans,
``recall`` = summed credit of the reference's spans / number of reference spans, and
``f1`` = 2PR / (P + R). Per label, precision is taken over the candidate's spans with that
label and recall over the reference's spans with that label. A figure whose denominator is zero
is ``None`` (and so is F1 then); F1 is 0.0 when P + R = 0.

A document has a few dozen spans, where numpy's per-call overhead dominates: groups of at most
``SMALL_GROUP`` spans (both sides together) are scored in plain Python, larger ones (a corpus)
with numpy. Both give the same figures to the last bit: coverage is counted in integers and the
partial credits are summed in the order numpy's pairwise summation uses (``_numpy_sum``).

A corpus can also be scored in pieces: ``span_tallies`` keeps each span's credit for a stretch
of text (a batch of documents), and ``pooled_span_prf`` adds up the tallies of stretches that
do not overlap, giving exactly what ``span_prf`` gives on all of them at once.
"""

from __future__ import annotations

import operator
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import numpy.typing as npt

from annotator.agreement.results import MacroPRF, PairwiseSpanPRF, SpanMode, SpanPRF

IntVector = npt.NDArray[np.int64]
FloatVector = npt.NDArray[np.float64]
Span = tuple[int, int, Hashable]
Extent = tuple[int, int]
SMALL_GROUP = 64
"""Spans (both sides of one label together) up to which credits are computed in plain Python."""
_MODES: tuple[SpanMode, ...] = ("exact", "partial", "overlap")


def span_prf(
    reference: Iterable[tuple[int, int, Hashable]],
    candidate: Iterable[tuple[int, int, Hashable]],
    mode: str = "exact",
    labeled: bool = True,
) -> SpanPRF:
    """Score ``candidate`` spans against ``reference`` spans (see the module docstring).

    >>> r = span_prf([(0, 10, "x")], [(0, 5, "x"), (20, 25, "x")], mode="partial")
    >>> r.precision, r.recall, round(r.f1, 4)
    (0.5, 0.5, 0.5)
    """
    checked = _check_mode(mode)
    ref = _span_set(reference, labeled, "reference")
    cand = _span_set(candidate, labeled, "candidate")
    return _score(ref, cand, checked, labeled)


def pairwise_span_prf(
    spans_by_annotator: Mapping[str, Sequence[tuple[int, int, Hashable]]],
    mode: str = "exact",
    labeled: bool = True,
) -> PairwiseSpanPRF:
    """Span P/R/F1 for every pair of annotators, with micro and macro averages.

    For annotators ``a`` before ``b`` in the mapping, ``pairs[(a, b)]`` scores ``b`` against
    ``a``. The micro average pools all pairs' credits and span counts; the macro average is the
    unweighted mean of the pairs' precision, recall and F1.

    >>> r = pairwise_span_prf({"ann": [(0, 4, "x")], "bob": [(0, 4, "x")], "cy": []})
    >>> r.pairs[("ann", "bob")].f1, r.micro.f1
    (1.0, 0.5)
    """
    checked = _check_mode(mode)
    sets = {
        name: _span_set(spans, labeled, f"annotator {name!r}")
        for name, spans in spans_by_annotator.items()
    }
    pairs = {
        (a, b): _score(sets[a], sets[b], checked, labeled) for a, b in combinations(list(sets), 2)
    }
    micro = _pool(list(pairs.values()), checked, labeled)
    macro = MacroPRF(
        precision=_mean([p.precision for p in pairs.values()]),
        recall=_mean([p.recall for p in pairs.values()]),
        f1=_mean([p.f1 for p in pairs.values()]),
        n_pairs=sum(1 for p in pairs.values() if p.f1 is not None),
    )
    return PairwiseSpanPRF(pairs=pairs, micro=micro, macro=macro, mode=checked, labeled=labeled)


@dataclass(frozen=True, slots=True)
class SpanTally:
    """What :func:`span_prf` adds up, per label, before dividing: for each label (``None``
    when unlabeled) the number of reference and candidate spans and each span's credit, the
    spans in ``(start, end)`` order."""

    mode: SpanMode
    labeled: bool
    labels: dict[Hashable, tuple[int, int, FloatVector, FloatVector]]


def span_tallies(
    reference: Iterable[tuple[int, int, Hashable]],
    candidate: Iterable[tuple[int, int, Hashable]],
    modes: Sequence[str] = _MODES,
    labeled: bool = True,
) -> dict[SpanMode, SpanTally]:
    """The tallies of ``candidate`` against ``reference`` in each of ``modes``, for
    :func:`pooled_span_prf`.

    >>> t = span_tallies([(0, 10, "x")], [(0, 5, "x")], modes=["partial"])
    >>> pooled_span_prf([t["partial"]]).recall
    0.5
    """
    checked = [_check_mode(mode) for mode in modes]
    ref_groups = _by_label(_span_set(reference, labeled, "reference"))
    cand_groups = _by_label(_span_set(candidate, labeled, "candidate"))
    labels = _ordered(set(ref_groups) | set(cand_groups))
    out: dict[SpanMode, SpanTally] = {}
    for mode in checked:
        per_label: dict[Hashable, tuple[int, int, FloatVector, FloatVector]] = {}
        for label in labels:
            r_spans, c_spans = ref_groups.get(label, []), cand_groups.get(label, [])
            per_label[label] = (
                len(r_spans),
                len(c_spans),
                _credit_values(r_spans, c_spans, mode),
                _credit_values(c_spans, r_spans, mode),
            )
        out[mode] = SpanTally(mode, labeled, per_label)
    return out


def pooled_span_prf(tallies: Sequence[SpanTally]) -> SpanPRF:
    """:func:`span_prf` over several stretches of text, from their tallies.

    The stretches must not overlap and must come in text order (documents placed one after
    another on a continuum); the result then equals ``span_prf`` on all their spans together,
    to the last bit: the credits are summed in the same order.
    """
    if not tallies:
        raise ValueError("pooled_span_prf needs at least one tally")
    mode, labeled = tallies[0].mode, tallies[0].labeled
    if any(t.mode != mode or t.labeled != labeled for t in tallies):
        raise ValueError("tallies to pool must share one mode and one labeled setting")
    per_label: dict[Hashable, SpanPRF] = {}
    for label in _ordered({label for t in tallies for label in t.labels}):
        parts = [t.labels[label] for t in tallies if label in t.labels]
        per_label[label] = _make(
            mode,
            labeled,
            sum(part[0] for part in parts),
            sum(part[1] for part in parts),
            _total([part[2] for part in parts]),
            _total([part[3] for part in parts]),
        )
    if not labeled:
        whole = per_label.get(None)
        if whole is None:
            return _make(mode, labeled, 0, 0, 0.0, 0.0)
        return _make(
            mode,
            labeled,
            whole.n_reference,
            whole.n_candidate,
            whole.matched_reference,
            whole.matched_candidate,
        )
    return _pool(list(per_label.values()), mode, labeled, per_label)


def _total(credits: list[FloatVector]) -> float:
    """The sum of the credits, as :func:`_credits` sums them over all spans at once."""
    values = np.concatenate(credits) if credits else np.zeros(0)
    if len(values) == 0:
        return 0.0
    return float(np.sum(values))


def _credit_values(mine: list[Extent], theirs: list[Extent], mode: SpanMode) -> FloatVector:
    """The credit of each span of ``mine`` (sorted) against the spans ``theirs`` (sorted)."""
    if not mine or not theirs:
        return np.zeros(len(mine))
    if mode == "exact":
        other = set(theirs)
        return np.array([extent in other for extent in mine], dtype=np.float64)
    start, end = _arrays(mine)
    covered = _covered(start, end, *_union(*_arrays(theirs)))
    if mode == "partial":
        return covered / (end - start)
    return (covered > 0).astype(np.float64)


def _check_mode(mode: str) -> SpanMode:
    for known in _MODES:
        if mode == known:
            return known
    raise ValueError(f"mode must be one of {', '.join(_MODES)}; got {mode!r}")


def _span_set(spans: Iterable[tuple[int, int, Hashable]], labeled: bool, side: str) -> set[Span]:
    out: set[Span] = set()
    for span in spans:
        try:
            start, end, label = span
            start, end = operator.index(start), operator.index(end)
        except (TypeError, ValueError) as exc:
            raise ValueError(
                f"{side}: a span must be (start, end, label) with integer offsets; got {span!r}"
            ) from exc
        if not 0 <= start < end:
            raise ValueError(f"{side}: span {span!r} must satisfy 0 <= start < end (half-open)")
        out.add((start, end, label if labeled else None))
    return out


def _by_label(spans: set[Span]) -> dict[Hashable, list[Extent]]:
    """Each label's ``(start, end)`` extents, sorted."""
    groups: dict[Hashable, list[Extent]] = {}
    for start, end, label in spans:
        groups.setdefault(label, []).append((start, end))
    for extents in groups.values():
        extents.sort()
    return groups


def _credits(mine: list[Extent], theirs: list[Extent] | None, mode: SpanMode) -> float:
    """Summed credit of the spans ``mine`` against the spans ``theirs`` (both sorted)."""
    if not theirs:
        return 0.0
    if mode == "exact":
        other = set(theirs)
        return float(sum(extent in other for extent in mine))
    if len(mine) + len(theirs) <= SMALL_GROUP:
        return _credits_small(mine, theirs, mode)
    return _credits_large(mine, theirs, mode)


def _credits_large(mine: list[Extent], theirs: list[Extent], mode: SpanMode) -> float:
    """:func:`_credits` with numpy, for many spans (partial and overlap modes)."""
    start, end = _arrays(mine)
    covered = _covered(start, end, *_union(*_arrays(theirs)))
    if mode == "partial":
        return float(np.sum(covered / (end - start)))
    return float(np.count_nonzero(covered))


def _arrays(extents: list[Extent]) -> tuple[IntVector, IntVector]:
    arr = np.array(extents, dtype=np.int64).reshape(-1, 2)
    return arr[:, 0], arr[:, 1]


def _credits_small(mine: list[Extent], theirs: list[Extent], mode: SpanMode) -> float:
    """:func:`_credits` in plain Python, for a few spans (partial and overlap modes)."""
    union: list[list[int]] = []
    for start, end in theirs:
        if union and start <= union[-1][1]:
            union[-1][1] = max(union[-1][1], end)
        else:
            union.append([start, end])
    covered: list[int] = []
    for start, end in mine:
        count = 0
        for u_start, u_end in union:
            if u_start >= end:
                break
            if u_end > start:
                count += min(end, u_end) - max(start, u_start)
        covered.append(count)
    if mode == "partial":
        return _numpy_sum([c / (e - s) for c, (s, e) in zip(covered, mine, strict=True)])
    return float(sum(1 for c in covered if c))


def _numpy_sum(values: Sequence[float], lo: int = 0, n: int | None = None) -> float:
    """The sum of ``values[lo:lo + n]`` added in the order of numpy's pairwise summation of a
    contiguous float64 array (eight running sums per block of at most 128, blocks halved
    recursively), so that the plain-Python path rounds exactly as ``np.sum`` does."""
    if n is None:
        n = len(values)
    if n < 8:
        total = 0.0
        for i in range(lo, lo + n):
            total += values[i]
        return total
    if n <= 128:
        r0, r1, r2, r3, r4, r5, r6, r7 = values[lo : lo + 8]
        i = 8
        whole = n - n % 8
        while i < whole:
            j = lo + i
            r0 += values[j]
            r1 += values[j + 1]
            r2 += values[j + 2]
            r3 += values[j + 3]
            r4 += values[j + 4]
            r5 += values[j + 5]
            r6 += values[j + 6]
            r7 += values[j + 7]
            i += 8
        total = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
        for j in range(lo + i, lo + n):
            total += values[j]
        return total
    half = n // 2
    half -= half % 8
    return _numpy_sum(values, lo, half) + _numpy_sum(values, lo + half, n - half)


def _union(start: IntVector, end: IntVector) -> tuple[IntVector, IntVector]:
    """Disjoint sorted intervals covering the same characters as the spans (sorted by start)."""
    reach = np.maximum.accumulate(end)
    first = np.ones(len(start), dtype=bool)
    first[1:] = start[1:] > reach[:-1]
    heads = np.flatnonzero(first)
    return start[heads], np.maximum.reduceat(end, heads)


def _covered(start: IntVector, end: IntVector, u_start: IntVector, u_end: IntVector) -> IntVector:
    """Characters of each span [start, end) inside the disjoint sorted intervals."""
    cumulative = np.concatenate(([0], np.cumsum(u_end - u_start)))

    def before(x: IntVector) -> IntVector:
        # Characters of the union lying before offset x.
        i = np.searchsorted(u_start, x, side="right")
        inside = np.where(i > 0, np.minimum(x, u_end[np.maximum(i - 1, 0)]), 0)
        partial = np.where(i > 0, inside - u_start[np.maximum(i - 1, 0)], 0)
        return cumulative[np.maximum(i - 1, 0)] * (i > 0) + partial

    return before(end) - before(start)


def _ratio(num: float, den: int) -> float | None:
    return num / den if den else None


def _f1(p: float | None, r: float | None) -> float | None:
    if p is None or r is None:
        return None
    return 0.0 if p + r == 0 else 2.0 * p * r / (p + r)


def _make(
    mode: SpanMode,
    labeled: bool,
    n_ref: int,
    n_cand: int,
    ref_credit: float,
    cand_credit: float,
    per_label: dict[Hashable, SpanPRF] | None = None,
) -> SpanPRF:
    p = _ratio(cand_credit, n_cand)
    r = _ratio(ref_credit, n_ref)
    reason = None
    if n_ref == 0 and n_cand == 0:
        reason = "neither side has a span"
    elif n_cand == 0:
        reason = "the candidate has no span, so precision is undefined"
    elif n_ref == 0:
        reason = "the reference has no span, so recall is undefined"
    return SpanPRF(
        precision=p,
        recall=r,
        f1=_f1(p, r),
        mode=mode,
        labeled=labeled,
        n_reference=n_ref,
        n_candidate=n_cand,
        matched_reference=ref_credit,
        matched_candidate=cand_credit,
        per_label=per_label or {},
        reason=reason,
    )


def _score(ref: set[Span], cand: set[Span], mode: SpanMode, labeled: bool) -> SpanPRF:
    ref_groups, cand_groups = _by_label(ref), _by_label(cand)
    if not labeled:
        ref_credit = _credits(ref_groups[None], cand_groups.get(None), mode) if ref else 0.0
        cand_credit = _credits(cand_groups[None], ref_groups.get(None), mode) if cand else 0.0
        return _make(mode, labeled, len(ref), len(cand), ref_credit, cand_credit)
    per_label: dict[Hashable, SpanPRF] = {}
    for label in _ordered(set(ref_groups) | set(cand_groups)):
        r_spans, c_spans = ref_groups.get(label), cand_groups.get(label)
        r_credit = _credits(r_spans, c_spans, mode) if r_spans is not None else 0.0
        c_credit = _credits(c_spans, r_spans, mode) if c_spans is not None else 0.0
        per_label[label] = _make(
            mode,
            labeled,
            0 if r_spans is None else len(r_spans),
            0 if c_spans is None else len(c_spans),
            r_credit,
            c_credit,
        )
    return _pool(list(per_label.values()), mode, labeled, per_label)


def _pool(
    parts: list[SpanPRF],
    mode: SpanMode,
    labeled: bool,
    per_label: dict[Hashable, SpanPRF] | None = None,
) -> SpanPRF:
    return _make(
        mode,
        labeled,
        sum(p.n_reference for p in parts),
        sum(p.n_candidate for p in parts),
        sum(p.matched_reference for p in parts),
        sum(p.matched_candidate for p in parts),
        per_label,
    )


def _ordered(labels: set[Hashable]) -> list[Hashable]:
    try:
        return sorted(labels)  # type: ignore[type-var]
    except TypeError:
        return sorted(labels, key=repr)


def _mean(values: list[float | None]) -> float | None:
    defined = [v for v in values if v is not None]
    return sum(defined) / len(defined) if defined else None
