"""Agreement on a span layer (loaded phrasing): alpha_U and span P/R/F1.

The corpus alpha_U treats the documents as one continuum, each placed after the previous one
(Krippendorff's unitizing alpha assumes every coder read the whole continuum, so it takes the
documents that every selected annotator counted for). Pairwise P/R/F1 of two annotators covers
the documents both counted for, in the three modes of the agreement engine: exact, partial
credit and any overlap.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from concurrent.futures import Future
from itertools import combinations

from annotator.agreement import (
    GammaResult,
    LabelUnitizingResult,
    SpanTally,
    UnitizingResult,
    gamma_agreement,
    pairwise_span_prf,
    pooled_span_prf,
    span_tallies,
    unitizing_alpha,
)
from annotator.core.scheme import Layer
from annotator.core.wording import plural
from annotator.report.collect import DocumentWork
from annotator.report.model import (
    MIN_DOCUMENT_SPANS,
    SPAN_MODES,
    DocumentLayerFigure,
    Metric,
    SpanLabel,
    SpanLayerReport,
    SpanPair,
    undefined,
)
from annotator.report.offload import Offload
from annotator.report.segment_stats import _float, metric

Unit = tuple[str, int, int, str]
Span = tuple[int, int, str]


def _per_label_value(value: LabelUnitizingResult) -> Metric:
    return metric(value.value, value.reason or "label not used")


DocumentSpans = tuple[int, int, tuple[str, ...], dict[str, list[Span]]]
"""A document's id, offset on the continuum, counted coders and each coder's spans."""
PairTallies = dict[tuple[str, str], dict[str, SpanTally]]
CHUNK_DOCUMENTS = 250


GAMMA_MAX_SPANS = 20_000
"""Spans up to which the report computes gamma over the corpus continuum. Its cost grows with
the spans (the best alignment splits into independent groups, but the shuffled continua
realign the whole continuum at least 30 times): about 0.4 ms a span on one core, so some 8 s
at this bound, in a worker process while the rest of the report is built. Above it gamma is
undefined and the reason says so."""


def document_alpha_u(
    units: list[Span], spans: dict[str, list[Span]], coders: tuple[str, ...]
) -> Metric:
    """alpha_U of one document on its own continuum, or undefined with too few spans."""
    if len(units) < MIN_DOCUMENT_SPANS:
        return undefined(
            f"{plural(len(units), 'span')}; alpha_U of one document needs {MIN_DOCUMENT_SPANS}"
        )
    length = max(e for _, e, _ in units)
    rows = [(c, s, e, lab) for c in coders for s, e, lab in spans[c]]
    result = unitizing_alpha(rows, 0, length, list(coders))
    return metric(result.value, result.reason)


def corpus_gamma(continuum: list[Unit], coders: list[str], seed: int) -> GammaResult:
    """gamma over the corpus continuum (a worker's job)."""
    return gamma_agreement(continuum, coders=coders, seed=seed, precision=0.05)


def score_chunk(chunk: list[DocumentSpans]) -> tuple[dict[int, DocumentLayerFigure], PairTallies]:
    """A worker's job on a batch of documents: the mean pairwise partial-credit span F1 of each
    document, and for every pair of annotators the span tallies of the batch in every mode
    (the documents at their continuum offsets), which pool into the corpus P/R/F1."""
    out: dict[int, DocumentLayerFigure] = {}
    pairs: dict[tuple[str, str], tuple[list[Span], list[Span]]] = {}
    for document_id, offset, coders, spans in chunk:
        units = [span for c in coders for span in spans[c]]
        if units:
            scored = pairwise_span_prf({c: spans[c] for c in coders}, mode="partial", labeled=True)
            agreement = metric(scored.macro.f1, "no pair of annotators marked anything")
        else:
            agreement = undefined("no spans marked by anyone")
        out[document_id] = DocumentLayerFigure(
            None, agreement, len(units), document_alpha_u(units, spans, coders)
        )
        for a, b in combinations(coders, 2):
            left, right = pairs.setdefault((a, b), ([], []))
            left.extend((s + offset, e + offset, lab) for s, e, lab in spans[a])
            right.extend((s + offset, e + offset, lab) for s, e, lab in spans[b])
    tallies: PairTallies = {
        pair: {mode: tally for mode, tally in span_tallies(left, right, SPAN_MODES).items()}
        for pair, (left, right) in pairs.items()
        if left or right
    }
    return out, tallies


class SpanAccumulator:
    """Collects one span layer's units as documents stream past."""

    def __init__(self, layer: Layer, coders: Sequence[str], offload: Offload | None = None) -> None:
        self.layer = layer
        self.offload = offload or Offload(0)
        self._chunk: list[DocumentSpans] = []
        self._futures: list[Future[tuple[dict[int, DocumentLayerFigure], PairTallies]]] = []
        self._figures: dict[int, DocumentLayerFigure] = {}
        self._tallies: dict[tuple[str, str], dict[str, list[SpanTally]]] = defaultdict(
            lambda: {mode: [] for mode in SPAN_MODES}
        )
        self._corpus_alpha: Future[UnitizingResult] | None = None
        self._gamma: Future[GammaResult] | None = None
        self._started = False
        self.coders = tuple(coders)
        self.continuum: list[Unit] = []
        self.continuum_length = 0
        self.continuum_documents = 0
        self.documents = 0
        self.units = 0
        self.counts: dict[str, dict[str, int]] = {
            label: dict.fromkeys(self.coders, 0) for label in layer.label_names
        }
        self.pair_spans: dict[tuple[str, str], tuple[int, int]] = defaultdict(lambda: (0, 0))
        self.pair_documents: dict[tuple[str, str], int] = defaultdict(int)

    def add(self, work: DocumentWork, offset: int) -> DocumentLayerFigure | None:
        if not work.counted:
            return None
        name = self.layer.name
        length = len(work.document.text)
        spans = {c: [(a.start, a.end, a.label) for a in work.of(c, name)] for c in work.counted}
        if len(work.counted) == len(self.coders) and len(self.coders) >= 2:
            # spans per label are counted where alpha_U is computed: on the continuum
            base = self.continuum_length
            for coder, own in spans.items():
                self.continuum.extend((coder, s + base, e + base, lab) for s, e, lab in own)
                for _, _, label in own:
                    if label in self.counts:
                        self.counts[label][coder] += 1
            self.continuum_length += length
            self.continuum_documents += 1
        for a, b in combinations(work.counted, 2):
            n_left, n_right = self.pair_spans[(a, b)]
            self.pair_spans[(a, b)] = (n_left + len(spans[a]), n_right + len(spans[b]))
            self.pair_documents[(a, b)] += 1
        if len(work.counted) < 2:
            return None
        self.documents += 1
        self.units += sum(len(own) for own in spans.values())
        self._chunk.append((work.document.id, offset, work.counted, spans))
        if len(self._chunk) >= CHUNK_DOCUMENTS:
            self._flush()
        return None

    def _flush(self) -> None:
        if self._chunk:
            self._futures.append(self.offload.submit(score_chunk, self._chunk))
            self._chunk = []

    def _collect(self) -> None:
        """Gather the finished batches' figures and tallies, in document order."""
        self._flush()
        for future in self._futures:
            figures, tallies = future.result()
            self._figures.update(figures)
            for pair, by_mode in tallies.items():
                for mode, tally in by_mode.items():
                    self._tallies[pair][mode].append(tally)
        self._futures = []

    def document_figures(self) -> dict[int, DocumentLayerFigure]:
        """Each document's mean pairwise partial-credit F1, by document id."""
        self._collect()
        return self._figures

    def start(self) -> None:
        """Start the corpus alpha_U over the continuum on the offload's workers, to collect in
        :meth:`finish` (span P/R/F1 pools the batches' tallies)."""
        self._started = True
        if len(self.coders) >= 2 and self.continuum_length > 0:
            self._corpus_alpha = self.offload.submit(
                unitizing_alpha, self.continuum, 0, self.continuum_length, list(self.coders)
            )
            if 0 < len(self.continuum) <= GAMMA_MAX_SPANS:
                self._gamma = self.offload.submit(
                    corpus_gamma, self.continuum, list(self.coders), 0
                )

    def _gamma_figures(self) -> tuple[Metric, Metric, tuple[float, float] | None]:
        if self._gamma is None:
            if len(self.continuum) > GAMMA_MAX_SPANS:
                reason = (
                    f"{plural(len(self.continuum), 'span')}; gamma is computed up to"
                    f" {GAMMA_MAX_SPANS}"
                )
            else:
                reason = "fewer than two annotators or no spans"
            return undefined(reason), undefined(reason), None
        result = self._gamma.result()
        ci = None
        if result.low is not None and result.high is not None:
            ci = (float(result.low), float(result.high))
        return (
            metric(result.value, result.reason),
            metric(result.gamma_cat, result.reason or "no two units aligned"),
            ci,
        )

    def finish(self) -> SpanLayerReport:
        if not self._started:
            self.start()
        self._collect()
        layer = self.layer
        per_label: list[SpanLabel] = []
        if len(self.coders) < 2:
            alpha = undefined("fewer than two annotators")
            d_o = d_e = None
            label_alpha: Mapping[str, Metric] = {}
        elif self.continuum_length == 0:
            alpha = undefined(
                f"no document was counted for all {len(self.coders)} annotators;"
                " pick annotators with --annotator"
            )
            d_o = d_e = None
            label_alpha = {}
        else:
            assert self._corpus_alpha is not None
            result = self._corpus_alpha.result()
            alpha = metric(result.value, result.reason)
            d_o, d_e = _float(result.observed_disagreement), _float(result.expected_disagreement)
            label_alpha = {str(k): _per_label_value(v) for k, v in result.per_label.items()}
        for label in layer.label_names:
            value = label_alpha.get(label)
            if value is None:
                value = alpha if not alpha.defined else undefined("label not used")
            per_label.append(SpanLabel(label, value, dict(self.counts[label])))
        pairwise: list[SpanPair] = []
        for a, b in combinations(self.coders, 2):
            n_left, n_right = self.pair_spans.get((a, b), (0, 0))
            precision: dict[str, Metric] = {}
            recall: dict[str, Metric] = {}
            f1: dict[str, Metric] = {}
            for mode in SPAN_MODES:
                if not n_left and not n_right:
                    none = undefined("no spans from either annotator")
                    precision[mode] = recall[mode] = f1[mode] = none
                    continue
                r = pooled_span_prf(self._tallies[(a, b)][mode])
                precision[mode] = metric(r.precision, f"no spans from {b}")
                recall[mode] = metric(r.recall, f"no spans from {a}")
                f1[mode] = metric(r.f1, "no spans")
            pairwise.append(
                SpanPair(
                    a,
                    b,
                    self.pair_documents.get((a, b), 0),
                    n_left,
                    n_right,
                    precision,
                    recall,
                    f1,
                )
            )
        totals = {c: sum(self.counts[lab][c] for lab in layer.label_names) for c in self.coders}
        gamma, gamma_cat, gamma_ci = self._gamma_figures()
        return SpanLayerReport(
            gamma=gamma,
            gamma_cat=gamma_cat,
            gamma_ci95=gamma_ci,
            name=layer.name,
            labels=layer.label_names,
            units=self.units,
            documents=self.documents,
            continuum_documents=self.continuum_documents,
            continuum_length=self.continuum_length,
            alpha_u=alpha,
            observed_disagreement=d_o,
            expected_disagreement=d_e,
            per_label=tuple(per_label),
            pairwise=tuple(pairwise),
            counts=totals,
        )
