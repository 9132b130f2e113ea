"""Agreement on a segment layer (statements): the reliability data and its figures.

Units are the segments of every document with at least one counted annotator; a counted
annotator who gave a segment no label is a missing value. Labels are coded as numbers (their
value if every label of the layer is a number, else their position in the scheme, which is the
order an ordinal or interval layer lists them in), so the engine sees the layer's level.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from concurrent.futures import Future
from itertools import combinations

import numpy as np
import numpy.typing as npt

from annotator.agreement import (
    BootstrapResult,
    DawidSkeneResult,
    GwetResult,
    SpanPRF,
    bias_index,
    bootstrap_ci,
    cohen_kappa,
    dawid_skene,
    fleiss_kappa,
    gwet_ac,
    krippendorff_alpha,
    percent_agreement,
    pooled_span_prf,
    prevalence_index,
    scott_pi,
    span_tallies,
)
from annotator.core.scheme import Layer
from annotator.report.anatomy import attr_span
from annotator.report.collect import DocumentWork
from annotator.report.model import (
    AnnotatorReliability,
    AttributeAgreement,
    ChanceCorrection,
    Confusion,
    Coverage,
    DocumentLayerFigure,
    Metric,
    SegmentLabel,
    SegmentLayerReport,
    SegmentPair,
    undefined,
)
from annotator.report.offload import Offload

FloatArray = npt.NDArray[np.float64]
ATTRIBUTES = ("source", "cue")


def metric(value: float | None, reason: str | None = None) -> Metric:
    """A Metric from an engine value: None or NaN becomes undefined with its reason."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return undefined(reason or "not computable")
    return Metric(float(value))


def label_values(layer: Layer) -> tuple[float, ...]:
    """The number each label is coded as: its own value if all labels are numbers, else its
    position in the scheme."""
    try:
        values = tuple(float(name) for name in layer.label_names)
    except ValueError:
        return tuple(float(i) for i in range(len(layer.labels)))
    if len(set(values)) != len(values) or not all(math.isfinite(v) for v in values):
        return tuple(float(i) for i in range(len(layer.labels)))
    return values


def alpha_of(data: FloatArray, layer: Layer) -> tuple[Metric, float | None, float | None, int]:
    """Krippendorff's alpha of a coders x units array at the layer's level."""
    values = list(label_values(layer))
    result = krippendorff_alpha(data, level=layer.level, value_order=values)
    return (
        metric(result.value, result.reason),
        result.observed_disagreement,
        result.expected_disagreement,
        int(result.n_pairable),
    )


def attribute_prf(
    left: list[tuple[int, int, str]], right: list[tuple[int, int, str]]
) -> tuple[SpanPRF, SpanPRF]:
    """Unlabeled exact and any-overlap span P/R/F1 of two annotators' attribute spans (a
    worker's job): one tally serves both modes."""
    tallies = span_tallies(left, right, ("exact", "overlap"), labeled=False)
    return pooled_span_prf([tallies["exact"]]), pooled_span_prf([tallies["overlap"]])


DocumentBlock = tuple[int, FloatArray]
"""A document's id and its counted coders x segments block of coded labels."""
CHUNK_DOCUMENTS = 250


def document_figures(layer: Layer, chunk: list[DocumentBlock]) -> dict[int, DocumentLayerFigure]:
    """Each document's alpha and mean pairwise percent agreement (a worker's job)."""
    order = np.asarray(label_values(layer))
    sorter = np.argsort(order).astype(np.intp)
    k = len(layer.labels)

    def codes(values: FloatArray) -> npt.NDArray[np.intp]:
        return sorter[np.searchsorted(order, values, sorter=sorter)]

    out: dict[int, DocumentLayerFigure] = {}
    for document_id, sub in chunk:
        alpha, _, _, _ = alpha_of(sub, layer)
        shares = []
        for i, j in combinations(range(len(sub)), 2):
            both = ~np.isnan(sub[i]) & ~np.isnan(sub[j])
            if both.any():
                table = np.bincount(
                    codes(sub[i][both]) * k + codes(sub[j][both]), minlength=k * k
                ).reshape(k, k)
                share = percent_agreement(table).value
                if share is not None:
                    shares.append(share)
        agreement = (
            Metric(float(np.mean(shares))) if shares else undefined("no segment labelled by two")
        )
        out[document_id] = DocumentLayerFigure(alpha, agreement, int(sub.shape[1]))
    return out


class SegmentAccumulator:
    """Collects one segment layer's reliability data as documents stream past."""

    def __init__(self, layer: Layer, coders: Sequence[str], offload: Offload | None = None) -> None:
        self.layer = layer
        self.offload = offload or Offload(0)
        self._chunk: list[DocumentBlock] = []
        self._futures: list[Future[dict[int, DocumentLayerFigure]]] = []
        self._figures: dict[int, DocumentLayerFigure] = {}
        self.coders = tuple(coders)
        self.row = {c: i for i, c in enumerate(self.coders)}
        self.code = dict(zip(layer.label_names, label_values(layer), strict=True))
        self.index_of_value = {v: i for i, v in enumerate(label_values(layer))}
        self._order = np.asarray(label_values(layer))
        self._sorter = np.argsort(self._order).astype(np.intp)
        self.blocks: list[FloatArray] = []
        self.documents = dict.fromkeys(self.coders, 0)
        self.units = dict.fromkeys(self.coders, 0)
        self.attribute_labels = tuple(
            lab for lab in layer.labels if any(a in lab.requires for a in ATTRIBUTES)
        )
        # (label, attribute, a, b) -> (spans of a, spans of b, statements)
        self.attr_spans: dict[
            tuple[str, str, str, str], tuple[list[tuple[int, int, str]], list[tuple[int, int, str]]]
        ] = defaultdict(lambda: ([], []))
        self.attr_n: dict[tuple[str, str, str, str], int] = defaultdict(int)
        self._alpha: tuple[Metric, float | None, float | None, int] | None = None
        self._bootstrap: Future[BootstrapResult] | None = None
        self._gwet: Future[GwetResult] | None = None
        self._dawid_skene: Future[DawidSkeneResult] | None = None
        self._attribute_prf: dict[tuple[str, str, str, str], Future[tuple[SpanPRF, SpanPRF]]] = {}

    def add(self, work: DocumentWork, offset: int) -> None:
        """Add one document; ``offset`` places it on the corpus continuum (for attribute spans).
        Its own figures, when two or more annotators counted, come from
        :meth:`document_figures`."""
        if not work.counted:
            return
        n_units = len(work.document.segments)
        block = np.full((len(self.coders), n_units), np.nan)
        labelled = {}
        for coder in work.counted:
            anns = work.segment_labels(coder, self.layer.name)
            labelled[coder] = anns
            row = block[self.row[coder]]
            for index, ann in anns.items():
                value = self.code.get(ann.label)
                if value is not None:
                    row[index] = value
            self.documents[coder] += 1
            self.units[coder] += n_units
        self.blocks.append(block)
        for lab in self.attribute_labels:
            for a, b in combinations(work.counted, 2):
                both = [
                    i
                    for i, ann in labelled[a].items()
                    if ann.label == lab.name
                    and i in labelled[b]
                    and labelled[b][i].label == lab.name
                ]
                if not both:
                    continue
                for attribute in ATTRIBUTES:
                    if attribute not in lab.requires:
                        continue
                    key = (lab.name, attribute, a, b)
                    left, right = self.attr_spans[key]
                    self.attr_n[key] += len(both)
                    for i in both:
                        sa = attr_span(labelled[a][i].attrs, attribute)
                        sb = attr_span(labelled[b][i].attrs, attribute)
                        if sa is not None:
                            left.append((sa[0] + offset, sa[1] + offset, attribute))
                        if sb is not None:
                            right.append((sb[0] + offset, sb[1] + offset, attribute))
        if len(work.counted) < 2:
            return
        rows = [self.row[c] for c in work.counted]
        self._chunk.append((work.document.id, block[rows]))
        if len(self._chunk) >= CHUNK_DOCUMENTS:
            self._flush()

    def _flush(self) -> None:
        if self._chunk:
            self._futures.append(self.offload.submit(document_figures, self.layer, self._chunk))
            self._chunk = []

    def document_figures(self) -> dict[int, DocumentLayerFigure]:
        """Each document with two or more counted annotators: its alpha and mean pairwise
        percent agreement, by document id (computed on the offload's workers, if any)."""
        self._flush()
        for future in self._futures:
            self._figures.update(future.result())
        self._futures = []
        return self._figures

    def _codes(self, values: FloatArray) -> npt.NDArray[np.intp]:
        """Label positions (0..k-1) of coded values."""
        return self._sorter[np.searchsorted(self._order, values, sorter=self._sorter)]

    def start(self, offload: Offload, bootstrap: int, seed: int) -> None:
        """Gather the reliability data, compute alpha and start its bootstrap and the attribute
        span figures (in worker processes when ``offload`` has any), so they run while other
        layers are finished."""
        layer = self.layer
        data = (
            np.concatenate(self.blocks, axis=1)
            if self.blocks
            else np.full((len(self.coders), 0), np.nan)
        )
        self.blocks = [data]
        units = int(data.shape[1])
        if len(self.coders) >= 2 and units:
            self._alpha = alpha_of(data, layer)
        else:
            reason = "fewer than two annotators" if len(self.coders) < 2 else "no units"
            self._alpha = (undefined(reason), None, None, 0)
        self._bootstrap = None
        if self._alpha[0].defined and bootstrap > 0:
            self._bootstrap = offload.submit(
                bootstrap_ci, data, layer.level, bootstrap, seed, 0.95, list(label_values(layer))
            )
        self._attribute_prf = {
            key: offload.submit(attribute_prf, *self.attr_spans[key]) for key in sorted(self.attr_n)
        }
        self._gwet = self._dawid_skene = None
        if len(self.coders) >= 2 and units:
            self._gwet = offload.submit(gwet_ac, data, layer.level, list(label_values(layer)))
            self._dawid_skene = offload.submit(dawid_skene, data, list(self.coders))

    def finish(self, bootstrap: int = 0, seed: int = 0) -> SegmentLayerReport:
        """The layer's figures; call :meth:`start` first to run the bootstrap elsewhere."""
        if self._alpha is None:
            self.start(Offload(0), bootstrap, seed)
        assert self._alpha is not None
        layer = self.layer
        data = self.blocks[0]
        units = int(data.shape[1])
        alpha, d_o, d_e, pairable = self._alpha
        ci: tuple[float, float] | None = None
        if self._bootstrap is not None:
            interval = self._bootstrap.result()
            if interval.low is not None and interval.high is not None:
                ci = (float(interval.low), float(interval.high))
        present = ~np.isnan(data)
        complete = present.all(axis=0) if len(self.coders) else np.zeros(units, dtype=bool)
        fleiss_units = int(complete.sum())
        per_category: dict[str, Metric] = {}
        if len(self.coders) < 2:
            fleiss = undefined("fewer than two annotators")
        elif fleiss_units == 0:
            fleiss = undefined(f"no segment labelled by all {len(self.coders)} annotators")
        else:
            result = fleiss_kappa(data[:, complete])
            fleiss = metric(result.value, result.reason)
            for category, value in result.per_category.items():
                name = layer.label_names[self.index_of_value[float(category)]]  # type: ignore[arg-type]
                per_category[name] = metric(value, "label never or always used")
        pairwise: list[SegmentPair] = []
        confusion: list[Confusion] = []
        both_counts: dict[str, int] = defaultdict(int)
        sum_counts: dict[str, int] = defaultdict(int)
        names = list(layer.label_names)
        k = len(names)
        for i, j in combinations(range(len(self.coders)), 2):
            a, b = self.coders[i], self.coders[j]
            both = present[i] & present[j]
            ca = self._codes(data[i][both])
            cb = self._codes(data[j][both])
            n = int(ca.size)
            counts = np.bincount(ca * k + cb, minlength=k * k).reshape(k, k)
            table = tuple(tuple(int(c) for c in row) for row in counts)
            if n:
                kappa = cohen_kappa(table, labels=names)
                pi = scott_pi(table, labels=names)
                pct = percent_agreement(table, labels=names)
                pair_data = np.stack((data[i][both], data[j][both]))
                ac = gwet_ac(pair_data, layer.level, list(label_values(layer)))
                pi_index, bi_index = prevalence_index(table), bias_index(table)
                pair = SegmentPair(
                    a,
                    b,
                    n,
                    metric(kappa.value, kappa.reason),
                    metric(pi.value, pi.reason),
                    metric(pct.value, pct.reason),
                    metric(ac.value, ac.reason),
                    pi_index,
                    bi_index,
                    paradox_note("kappa", kappa.value, ac.name, ac.value, pi_index, bi_index),
                )
            else:
                none = undefined("no segment labelled by both")
                pair = SegmentPair(a, b, 0, none, none, none, none)
            pairwise.append(pair)
            confusion.append(Confusion(a, b, tuple(names), table))
            for index, label in enumerate(names):
                both_counts[label] += int(counts[index, index])
                sum_counts[label] += int(counts[index, :].sum() + counts[:, index].sum())
        per_label: list[SegmentLabel] = []
        for label, value in zip(layer.label_names, label_values(layer), strict=True):
            label_counts = {c: int((data[self.row[c]] == value).sum()) for c in self.coders}
            binary = np.where(present, (data == value).astype(float), np.nan)
            if len(self.coders) >= 2 and units:
                binary_alpha = krippendorff_alpha(binary, level="nominal", value_order=[0.0, 1.0])
                label_alpha = metric(binary_alpha.value, binary_alpha.reason)
            else:
                label_alpha = undefined("fewer than two annotators")
            specific = (
                Metric(2 * both_counts[label] / sum_counts[label])
                if sum_counts[label]
                else undefined("label not used on any segment labelled by two annotators")
            )
            per_label.append(
                SegmentLabel(
                    label,
                    label_alpha,
                    per_category.get(
                        label, fleiss if not fleiss.defined else undefined("label not used")
                    ),
                    specific,
                    label_counts,
                )
            )
        coverage = tuple(
            Coverage(
                c,
                self.documents[c],
                self.units[c],
                int(present[self.row[c]].sum()),
            )
            for c in self.coders
        )
        attributes: list[AttributeAgreement] = []
        for key in sorted(self.attr_n):
            label, attribute, a, b = key
            exact, overlap = self._attribute_prf[key].result()
            attributes.append(
                AttributeAgreement(
                    label,
                    attribute,
                    a,
                    b,
                    self.attr_n[key],
                    metric(exact.f1, f"no {attribute} span marked"),
                    metric(overlap.f1, f"no {attribute} span marked"),
                )
            )
        return SegmentLayerReport(
            gwet=self._chance_correction(alpha, pairwise, confusion),
            reliability=self._reliability(data),
            name=layer.name,
            level=layer.level,
            labels=layer.label_names,
            units=units,
            pairable_values=pairable,
            krippendorff_alpha=alpha,
            observed_disagreement=_float(d_o),
            expected_disagreement=_float(d_e),
            alpha_ci95=ci,
            fleiss_kappa=fleiss,
            fleiss_units=fleiss_units,
            pairwise=tuple(pairwise),
            per_label=tuple(per_label),
            confusion=tuple(confusion),
            coverage=coverage,
            attributes=tuple(attributes),
        )

    def _chance_correction(
        self, alpha: Metric, pairwise: list[SegmentPair], confusion: list[Confusion]
    ) -> ChanceCorrection | None:
        """Gwet's AC1/AC2 of the layer beside alpha, with the pooled prevalence index, the
        mean pairwise bias index and a note when AC and alpha diverge."""
        if self._gwet is None:
            return None
        result = self._gwet.result()
        tables = [np.asarray(c.counts, dtype=np.float64) for c in confusion]
        pi_index = prevalence_index(np.sum(tables, axis=0)) if tables else None
        weighted = [(p.bias_index, p.n) for p in pairwise if p.bias_index is not None and p.n]
        total = sum(n for _, n in weighted)
        bi_index = sum(b * n for b, n in weighted) / total if total else None
        ci = None
        if result.low is not None and result.high is not None:
            ci = (float(result.low), float(result.high))
        return ChanceCorrection(
            name=result.name,
            value=metric(result.value, result.reason),
            ci95=ci,
            pa=result.pa,
            pe=result.pe,
            prevalence_index=pi_index,
            bias_index=bi_index,
            note=paradox_note("alpha", alpha.value, result.name, result.value, pi_index, bi_index),
        )

    def _reliability(self, data: FloatArray) -> tuple[AnnotatorReliability, ...]:
        """Each annotator's Dawid-Skene competence, most competent first."""
        if self._dawid_skene is None:
            return ()
        result = self._dawid_skene.result()
        estimate = np.array(
            [np.nan if label is None else float(label) for label in result.labels]  # type: ignore[arg-type]
        )
        rows = []
        for c in self.coders:
            given = data[self.row[c]]
            mine = ~np.isnan(given) & ~np.isnan(estimate)
            n = int((~np.isnan(given)).sum())
            agree = (
                Metric(float(np.mean(given[mine] == estimate[mine])))
                if mine.any()
                else undefined("labelled nothing")
            )
            value = result.competence.get(c)
            competence = metric(value) if n and value is not None else undefined("labelled nothing")
            rows.append(AnnotatorReliability(c, n, competence, agree))
        rows.sort(key=lambda r: -(r.competence.value if r.competence.value is not None else -1))
        return tuple(rows)


PARADOX_GAP = 0.2
"""How far AC1/AC2 and kappa or alpha must differ for the report to explain it."""


def paradox_note(
    name: str,
    coefficient: float | None,
    ac_name: str,
    ac: float | None,
    prevalence: float | None,
    bias: float | None,
) -> str | None:
    """One line on why ``name`` (kappa or alpha) and Gwet's AC diverge, or ``None``."""
    if coefficient is None or ac is None or abs(ac - coefficient) < PARADOX_GAP:
        return None
    gap = f"{ac_name} {ac:.2f} vs {name} {coefficient:.2f}"
    if ac > coefficient and prevalence is not None and prevalence >= 0.5:
        return (
            f"{gap}: one label dominates (prevalence index {prevalence:.2f}), so {name}'s chance"
            f" agreement is high and it stays low although annotators mostly agree;"
            f" {ac_name} does not count that as chance (the kappa paradox)"
        )
    if bias is not None and bias >= 0.2:
        return (
            f"{gap}: the annotators use the labels at different rates (bias index {bias:.2f}),"
            f" which the two corrections for chance treat differently"
        )
    return f"{gap}: the two corrections for chance disagree on this label distribution"


def _float(value: float | None) -> float | None:
    if value is None or math.isnan(value):
        return None
    return float(value)
