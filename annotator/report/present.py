"""Presentation helpers shared by the Markdown and HTML renderers and the Agreement screen:
how figures are printed, pairwise matrices, and a sentence cut into marked pieces."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from annotator.report.model import (
    MIN_DOCUMENT_SPANS,
    ChanceCorrection,
    Mark,
    Metric,
    Report,
    SegmentLayerReport,
    SpanLayerReport,
)

MAX_TABLE_ROWS = 50
"""Per-document tables in md and html show this many rows; json and csv have them all."""


def fig(metric: Metric, digits: int = 3) -> str:
    """``0.743`` or ``undefined (reason)``."""
    return metric.text(digits)


def num(value: float | None, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}%"


def ci(layer: SegmentLayerReport, bootstrap: int, seed: int) -> str:
    if layer.alpha_ci95 is None:
        if not layer.krippendorff_alpha.defined:
            return "no interval (alpha undefined)"
        return "no interval (bootstrap off)"
    lo, hi = layer.alpha_ci95
    return f"95% CI {lo:.3f} to {hi:.3f} (bootstrap B={bootstrap}, seed {seed})"


def ac_interval(gwet: ChanceCorrection) -> str:
    """``95% CI 0.659 to 0.877`` of Gwet's AC, or ``""`` when it has none."""
    return f"95% CI {gwet.ci95[0]:.3f} to {gwet.ci95[1]:.3f}" if gwet.ci95 else ""


def index(value: float | None) -> str:
    """A prevalence or bias index: two digits, as the paradox notes print them."""
    return num(value, 2)


def ac_indices(gwet: ChanceCorrection) -> str:
    """``prevalence index 0.44, bias index 0.05`` (the ones that are defined)."""
    parts = []
    if gwet.prevalence_index is not None:
        parts.append(f"prevalence index {index(gwet.prevalence_index)}")
    if gwet.bias_index is not None:
        parts.append(f"bias index {index(gwet.bias_index)}")
    return ", ".join(parts)


def paradox_notes(layer: SegmentLayerReport) -> list[tuple[str, str]]:
    """(who, note) for each divergence of Gwet's AC from alpha (``who`` is ``""``) or from a
    pair's kappa (``who`` is ``a / b``), in the order the Markdown lists them."""
    notes = [("", layer.gwet.note)] if layer.gwet and layer.gwet.note else []
    return notes + [(f"{p.a} / {p.b}", p.note) for p in layer.pairwise if p.note]


def gamma_range(layer: SpanLayerReport) -> str:
    """``95% range 0.749 to 0.756`` of gamma, or ``""`` when it has none."""
    lo_hi = layer.gamma_ci95
    return f"95% range {lo_hi[0]:.3f} to {lo_hi[1]:.3f}" if lo_hi else ""


def too_few_spans(report: Report) -> list[tuple[str, list[tuple[str, int]]]]:
    """Per span layer, the documents (external id, spans) with too few spans for their own
    alpha_U, in the report's document order; layers where none is short are left out."""
    out = []
    for layer in report.layers:
        if not isinstance(layer, SpanLayerReport):
            continue
        short = [
            (d.external_id, f.units)
            for d in report.documents
            if (f := d.layers.get(layer.name)) is not None
            and f.alpha_u is not None
            and not f.alpha_u.defined
            and f.units < MIN_DOCUMENT_SPANS
        ]
        if short:
            out.append((layer.name, short))
    return out


def segment_matrix(layer: SegmentLayerReport, annotators: Sequence[str]) -> list[list[str]]:
    """Rows/columns = annotators; above the diagonal Cohen's kappa, below percent agreement."""
    cell: dict[tuple[str, str], tuple[Metric, Metric]] = {}
    for p in layer.pairwise:
        cell[(p.a, p.b)] = (p.cohen_kappa, p.percent_agreement)
    rows = []
    for i, a in enumerate(annotators):
        row = []
        for j, b in enumerate(annotators):
            if i == j:
                row.append("—")
            elif i < j:
                kappa = cell.get((a, b))
                row.append(num(kappa[0].value) if kappa else "–")
            else:
                agree = cell.get((b, a))
                row.append(pct(agree[1].value) if agree else "–")
        rows.append(row)
    return rows


def span_matrix(layer: SpanLayerReport, annotators: Sequence[str], mode: str) -> list[list[str]]:
    """Rows/columns = annotators; cells = span F1 in ``mode`` (symmetric)."""
    cell = {}
    for p in layer.pairwise:
        cell[(p.a, p.b)] = cell[(p.b, p.a)] = p.f1[mode]
    return [
        ["—" if a == b else num(cell[(a, b)].value) if (a, b) in cell else "–" for b in annotators]
        for a in annotators
    ]


def counted_sets(report: Report) -> list[tuple[str, int]]:
    """Which annotator sets counted for how many documents, most common first."""
    sets = Counter(
        ", ".join(who) if who else "(nobody done)" for who in report.provenance.counted.values()
    )
    return sorted(sets.items(), key=lambda kv: (-kv[1], kv[0]))


@dataclass(frozen=True, slots=True)
class Piece:
    """A stretch of a sentence and the marks covering all of it."""

    text: str
    marks: tuple[Mark, ...]
    ends: tuple[Mark, ...]
    """Marks that end with this piece (their label is printed after it)."""


def pieces(text: str, marks: Sequence[Mark]) -> list[Piece]:
    """Cut ``text`` at every mark boundary; each piece knows which marks cover it."""
    cuts = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    out = []
    for start, end in itertools.pairwise(cuts):
        covering = tuple(m for m in marks if m.start <= start and m.end >= end)
        ending = tuple(m for m in covering if m.end == end)
        out.append(Piece(text[start:end], covering, ending))
    return out


def label_index(report: Report) -> Mapping[str, int]:
    """A stable colour slot for every label of every layer (and the source/cue attributes)."""
    slots: dict[str, int] = {}
    for layer in report.layers:
        for label in layer.labels:
            slots.setdefault(f"{layer.name}:{label}", len(slots))
    return slots
