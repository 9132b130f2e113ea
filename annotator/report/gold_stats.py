"""Each annotator against the gold standard, per layer (``layers.<layer>.vs_gold``).

Gold is the annotations of the adjudicator who marked a document done (the last one, when two
did; see ``service.cases.gold_adjudicator``). An annotator is compared with it on the
documents they counted for that have gold:

- a segment layer: Cohen's kappa and percent agreement of the annotator's labels against the
  gold labels, over the sentences both labelled (``n``);
- a span layer: precision, recall and F1 of the annotator's spans against the gold spans
  (gold is the reference: recall is the share of gold spans found), in the three modes of the
  agreement engine; ``n`` counts the gold spans, ``spans`` the annotator's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from annotator.agreement import cohen_kappa, percent_agreement, span_prf
from annotator.core.scheme import Layer
from annotator.report.collect import DocumentWork
from annotator.report.model import SPAN_MODES, Metric, undefined
from annotator.report.segment_stats import metric

Span = tuple[int, int, str]


@dataclass(frozen=True, slots=True)
class SegmentVsGold:
    """One annotator's statement labels against gold."""

    annotator: str
    documents: int
    n: int
    cohen_kappa: Metric
    percent_agreement: Metric


@dataclass(frozen=True, slots=True)
class SpanVsGold:
    """One annotator's spans against gold spans, by mode (``exact``, ``partial``,
    ``overlap``)."""

    annotator: str
    documents: int
    n: int
    spans: int
    precision: Mapping[str, Metric]
    recall: Mapping[str, Metric]
    f1: Mapping[str, Metric]


VsGold = SegmentVsGold | SpanVsGold


class GoldAccumulator:
    """Collects one layer's comparisons with gold as documents stream past."""

    def __init__(self, layer: Layer, coders: Sequence[str]) -> None:
        self.layer = layer
        self.coders = tuple(coders)
        self.documents = dict.fromkeys(self.coders, 0)
        k = len(layer.labels)
        self._code = {name: i for i, name in enumerate(layer.label_names)}
        self._tables = {c: np.zeros((k, k), dtype=np.int64) for c in self.coders}
        self._gold: dict[str, list[Span]] = {c: [] for c in self.coders}
        self._mine: dict[str, list[Span]] = {c: [] for c in self.coders}

    def add(self, work: DocumentWork, offset: int) -> None:
        """Add one document placed at ``offset`` on the corpus continuum."""
        gold = work.gold
        if gold is None:
            return
        name = self.layer.name
        for coder in work.counted:
            if coder not in self.documents:
                continue
            self.documents[coder] += 1
            if self.layer.kind == "segment":
                reference = work.segment_labels(gold, name)
                mine = work.segment_labels(coder, name)
                table = self._tables[coder]
                for index, ann in reference.items():
                    other = mine.get(index)
                    if other is None:
                        continue
                    row, col = self._code.get(ann.label), self._code.get(other.label)
                    if row is not None and col is not None:
                        table[row, col] += 1
            else:
                self._gold[coder].extend(
                    (a.start + offset, a.end + offset, a.label) for a in work.of(gold, name)
                )
                self._mine[coder].extend(
                    (a.start + offset, a.end + offset, a.label) for a in work.of(coder, name)
                )

    def finish(self) -> tuple[VsGold, ...]:
        """Every annotator who counted for a document with gold, in the coders' order."""
        return tuple(
            self._segment(c) if self.layer.kind == "segment" else self._span(c)
            for c in self.coders
            if self.documents[c]
        )

    def _segment(self, coder: str) -> SegmentVsGold:
        table = self._tables[coder]
        n = int(table.sum())
        if not n:
            none = undefined(f"no sentence labelled by both {coder} and gold")
            return SegmentVsGold(coder, self.documents[coder], 0, none, none)
        counts = tuple(tuple(int(c) for c in row) for row in table)
        names = list(self.layer.label_names)
        kappa = cohen_kappa(counts, labels=names)
        share = percent_agreement(counts, labels=names)
        return SegmentVsGold(
            coder,
            self.documents[coder],
            n,
            metric(kappa.value, kappa.reason),
            metric(share.value, share.reason),
        )

    def _span(self, coder: str) -> SpanVsGold:
        gold, mine = self._gold[coder], self._mine[coder]
        precision: dict[str, Metric] = {}
        recall: dict[str, Metric] = {}
        f1: dict[str, Metric] = {}
        for mode in SPAN_MODES:
            if not gold and not mine:
                none = undefined(f"no spans from {coder} or gold")
                precision[mode] = recall[mode] = f1[mode] = none
                continue
            result = span_prf(gold, mine, mode=mode)
            precision[mode] = metric(result.precision, f"no spans from {coder}")
            recall[mode] = metric(result.recall, "no gold spans")
            f1[mode] = metric(result.f1, f"no spans from {coder}" if not mine else "no gold spans")
        return SpanVsGold(
            coder,
            self.documents[coder],
            len(set(gold)),
            len(set(mine)),
            precision,
            recall,
            f1,
        )
