"""The inter-annotator report as plain frozen values.

``build_report`` fills these from the store and the agreement engine; the renderers (json, md,
html, csv) and the Agreement screen only read them. Nothing here touches a database or a
terminal, so a report can be built in a worker thread and handed anywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from annotator.report.findings_model import Findings
    from annotator.report.gold_stats import VsGold
    from annotator.report.suggestion_stats import SuggestionReport


@dataclass(frozen=True, slots=True)
class Metric:
    """A figure that may be undefined; when it is, ``reason`` says why (never a fake 1.0)."""

    value: float | None
    reason: str | None = None

    @property
    def defined(self) -> bool:
        return self.value is not None

    def text(self, digits: int = 3) -> str:
        """The figure for people: ``0.743`` or ``undefined (only one category)``."""
        if self.value is None:
            return f"undefined ({self.reason})" if self.reason else "undefined"
        return f"{self.value:.{digits}f}"


def undefined(reason: str) -> Metric:
    return Metric(None, reason)


# --- segment layers -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SegmentPair:
    """Agreement of two annotators on the segments both of them labelled."""

    a: str
    b: str
    n: int
    cohen_kappa: Metric
    scott_pi: Metric
    percent_agreement: Metric
    gwet_ac: Metric = field(default_factory=lambda: undefined("not computed"))
    prevalence_index: float | None = None
    bias_index: float | None = None
    note: str | None = None
    """Why kappa and AC1/AC2 diverge for this pair, when they do (the kappa paradox)."""


@dataclass(frozen=True, slots=True)
class Confusion:
    """Rows = labels given by ``a``, columns = labels given by ``b``, same order as ``labels``."""

    a: str
    b: str
    labels: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]


@dataclass(frozen=True, slots=True)
class SegmentLabel:
    """Agreement on one label: alpha of the binary "this label or not" coding, Fleiss' kappa of
    the category, and specific (positive) agreement pooled over annotator pairs."""

    label: str
    alpha: Metric
    fleiss_kappa: Metric
    specific_agreement: Metric
    counts: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class Coverage:
    """How much of the counted material one annotator covered."""

    annotator: str
    documents: int
    units: int
    labelled: int

    @property
    def share(self) -> float | None:
        return self.labelled / self.units if self.units else None


@dataclass(frozen=True, slots=True)
class AttributeAgreement:
    """Agreement on an attribute span (``source``, ``cue``) of statements two annotators both
    gave ``label``: F1 of exact matches and of any overlap."""

    label: str
    attribute: str
    a: str
    b: str
    n: int
    f1_exact: Metric
    f1_overlap: Metric


@dataclass(frozen=True, slots=True)
class AnnotatorReliability:
    """One annotator's competence on a layer, estimated from everyone's labels alone
    (Dawid-Skene: the probability that they give the true label), and how often their labels
    equal the label the model settles on."""

    annotator: str
    units: int
    competence: Metric
    agrees_with_estimate: Metric


@dataclass(frozen=True, slots=True)
class ChanceCorrection:
    """Gwet's AC1 (nominal) or AC2 (weighted) beside alpha and kappa, with the indices that
    explain a divergence: prevalence (one label dominates) and bias (annotators use the
    labels at different rates)."""

    name: str
    value: Metric
    ci95: tuple[float, float] | None
    pa: float | None
    pe: float | None
    prevalence_index: float | None
    bias_index: float | None
    note: str | None


@dataclass(frozen=True, slots=True)
class SegmentLayerReport:
    name: str
    level: str
    labels: tuple[str, ...]
    units: int
    pairable_values: int
    krippendorff_alpha: Metric
    observed_disagreement: float | None
    expected_disagreement: float | None
    alpha_ci95: tuple[float, float] | None
    fleiss_kappa: Metric
    fleiss_units: int
    pairwise: tuple[SegmentPair, ...]
    per_label: tuple[SegmentLabel, ...]
    confusion: tuple[Confusion, ...]
    coverage: tuple[Coverage, ...]
    attributes: tuple[AttributeAgreement, ...]
    gwet: ChanceCorrection | None = None
    reliability: tuple[AnnotatorReliability, ...] = ()
    kind: Literal["segment"] = "segment"


# --- span layers ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SpanPair:
    """Span precision/recall/F1 of ``b`` against ``a`` (F1 is symmetric) in three modes."""

    a: str
    b: str
    documents: int
    spans_a: int
    spans_b: int
    precision: Mapping[str, Metric]
    recall: Mapping[str, Metric]
    f1: Mapping[str, Metric]


@dataclass(frozen=True, slots=True)
class SpanLabel:
    """alpha_U of one label and each annotator's spans with it, both on the continuum."""

    label: str
    alpha_u: Metric
    counts: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class SpanLayerReport:
    """A span layer. ``units`` and ``documents``: spans in, and number of, the documents two or
    more annotators counted for (the pairwise figures); ``counts`` and the per-label figures
    cover the ``continuum_documents`` every selected annotator counted for (alpha_U)."""

    name: str
    labels: tuple[str, ...]
    units: int
    documents: int
    continuum_documents: int
    continuum_length: int
    alpha_u: Metric
    observed_disagreement: float | None
    expected_disagreement: float | None
    per_label: tuple[SpanLabel, ...]
    pairwise: tuple[SpanPair, ...]
    counts: Mapping[str, int]
    gamma: Metric = field(default_factory=lambda: undefined("not computed"))
    gamma_ci95: tuple[float, float] | None = None
    gamma_cat: Metric = field(default_factory=lambda: undefined("not computed"))
    kind: Literal["span"] = "span"


LayerReport = SegmentLayerReport | SpanLayerReport

SPAN_MODES: tuple[str, ...] = ("exact", "partial", "overlap")
MIN_DOCUMENT_SPANS = 20
"""Spans (all annotators together) a document needs for its own alpha_U."""


# --- disagreement anatomy -------------------------------------------------------------------

DISAGREEMENT_KINDS: tuple[str, ...] = (
    "boundary only",
    "label only",
    "boundary and label",
    "missed span",
    "statement kind",
    "missed statement",
    "wrong source",
    "source boundary",
    "wrong cue",
)
"""Every disagreement between two annotators falls in exactly one of these."""


@dataclass(frozen=True, slots=True)
class Mark:
    """One annotator's span inside a sentence, offsets relative to the sentence."""

    start: int
    end: int
    label: str
    layer: str


@dataclass(frozen=True, slots=True)
class AnnotatorView:
    """What one annotator did with one sentence: its statement labels and the spans in it."""

    annotator: str
    labels: Mapping[str, str]
    marks: tuple[Mark, ...]


@dataclass(frozen=True, slots=True)
class Disagreement:
    """One disagreement between annotators ``a`` and ``b``."""

    document_id: int
    layer: str
    kind: str
    a: str
    b: str
    segment_index: int
    detail: str
    labels: tuple[str, ...] = ()
    """For a statement-kind disagreement, the two labels given (``a``'s first)."""


@dataclass(frozen=True, slots=True)
class SentenceExample:
    """A sentence with disagreements, its text and every counted annotator's view of it."""

    document_id: int
    external_id: str
    title: str
    segment_index: int
    text: str
    disagreements: tuple[Disagreement, ...]
    views: tuple[AnnotatorView, ...]


@dataclass(frozen=True, slots=True)
class Anatomy:
    """Every disagreement classified and counted, with the worst documents' sentences."""

    counts: Mapping[str, int]
    by_layer: Mapping[str, Mapping[str, int]]
    by_pair: Mapping[str, Mapping[str, int]]
    statement_kinds: Mapping[str, int]
    examples: tuple[SentenceExample, ...]
    documents_with_disagreements: int

    @property
    def total(self) -> int:
        return sum(self.counts.values())


# --- per document ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DocumentLayerFigure:
    """One layer's agreement on one document: a plain agreement share (percent agreement for
    a segment layer, mean pairwise partial-credit span F1 for a span layer) and, for a segment
    layer, Krippendorff's alpha. A span layer's alpha_U is given for a document with at least
    ``MIN_DOCUMENT_SPANS`` spans; on fewer it would rank documents by noise."""

    alpha: Metric | None
    agreement: Metric
    units: int
    alpha_u: Metric | None = None
    """A span layer's alpha_U on this document alone, or undefined saying it has too few
    spans to mean anything (None for segment layers)."""


@dataclass(frozen=True, slots=True)
class DocumentAgreement:
    document_id: int
    external_id: str
    title: str
    annotators: tuple[str, ...]
    score: Metric
    layers: Mapping[str, DocumentLayerFigure]
    disagreements: int


# --- bias profile ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CueUse:
    cue: str
    count: int
    tone: Literal["neutral", "loaded", "other"]


@dataclass(frozen=True, slots=True)
class SourceCues:
    source: str
    statements: int
    cues: tuple[CueUse, ...]


@dataclass(frozen=True, slots=True)
class BiasProfile:
    """What the settled annotations (gold, else the majority) say about one article, or, for
    the corpus summary, about all of them together."""

    document_id: int | None
    external_id: str
    title: str
    basis: str
    words: int
    statements: Mapping[str, int]
    shares: Mapping[str, float]
    unresolved_statements: int
    loaded_writer: int
    words_writer: int
    loaded_attributed: int
    words_attributed: int
    loaded_per_100_writer: Metric
    loaded_per_100_attributed: Metric
    sources: tuple[SourceCues, ...]


# --- provenance and the whole ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Provenance:
    annotators: tuple[str, ...]
    scheme_name: str
    scheme_version: int
    tool_version: str
    generated_at: str
    database: str
    bootstrap_b: int
    seed: int
    include_unfinished: bool
    documents: int
    counted: Mapping[str, tuple[str, ...]]
    """External id of each document -> the annotators who counted for it."""
    gold_documents: int


@dataclass(frozen=True, slots=True)
class Report:
    provenance: Provenance
    layers: tuple[LayerReport, ...]
    anatomy: Anatomy
    documents: tuple[DocumentAgreement, ...]
    bias: tuple[BiasProfile, ...]
    bias_corpus: BiasProfile
    notes: tuple[str, ...] = field(default=())
    findings: Findings | None = None
    """The groups of ``--group-by`` and their comparisons; None without it."""
    vs_gold: Mapping[str, tuple[VsGold, ...]] = field(default_factory=dict)
    """Per layer name, each annotator against the gold (``report.gold_stats``)."""
    suggestions: SuggestionReport | None = None
    """Agreement by provenance and each suggestion rule's precision and recall
    (``report.suggestion_stats``); None when nothing was suggested or accepted."""

    @property
    def annotators(self) -> tuple[str, ...]:
        return self.provenance.annotators
