"""Findings by group as plain frozen values: rates with intervals, and pairwise differences.

``annotator report --group-by outlet`` compares groups of documents (the values of a document
``meta`` key, or the annotators); :mod:`annotator.report.findings` fills these, the renderers
read them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from annotator.report.model import Metric, SourceCues

MIN_DOCUMENTS_FOR_INTERVAL = 5
"""A bootstrap interval over fewer documents than this says more about the few documents than
about the group; below it an interval is undefined, with that reason."""

RATE_METRICS: tuple[tuple[str, str], ...] = (
    ("loaded_per_100_words", "loaded spans per 100 words"),
    ("loaded_per_100_writer", "loaded spans per 100 words, writer's voice"),
    ("loaded_per_100_attributed", "loaded spans per 100 words, attributed statements"),
    ("named_source_share", "named sources (of named and vague)"),
)
"""The rates of a group (key, what it is for people); statement shares follow them."""


def share_metric(label: str) -> str:
    """The name of the share of ``label`` statements, as comparisons call it."""
    return f"shares.{label}"


def metric_title(metric: str) -> str:
    """What a metric name means, for people."""
    if metric.startswith("shares."):
        return f"share of {metric.removeprefix('shares.')} statements"
    return dict(RATE_METRICS).get(metric, metric)


@dataclass(frozen=True, slots=True)
class Estimate:
    """A rate of a group with its 95% bootstrap interval, or the reason there is none."""

    value: Metric
    ci95: tuple[float, float] | None
    ci_reason: str | None = None

    def interval_text(self, digits: int = 2, percent: bool = False) -> str:
        """``1.20 to 3.40`` or ``undefined (reason)``."""
        if self.ci95 is None:
            return f"undefined ({self.ci_reason})" if self.ci_reason else "undefined"
        lo, hi = self.ci95
        if percent:
            return f"{100 * lo:.1f}% to {100 * hi:.1f}%"
        return f"{lo:.{digits}f} to {hi:.{digits}f}"


@dataclass(frozen=True, slots=True)
class LoadedExpression:
    """A loaded expression (whitespace collapsed, case as first seen) and how often it was
    marked in the group."""

    text: str
    count: int


@dataclass(frozen=True, slots=True)
class GroupFindings:
    """One group: its documents, words and loaded spans, and each rate with its interval.

    ``value`` is None for the documents that lack the meta key. ``rates`` holds the
    :data:`RATE_METRICS`; ``shares`` the share of each statement kind, in the scheme's order.
    """

    field: str
    value: str | None
    basis: str
    documents: int
    words: int
    loaded_spans: int
    statements: Mapping[str, int]
    rates: Mapping[str, Estimate]
    shares: Mapping[str, Estimate]
    top_loaded: tuple[LoadedExpression, ...]
    sources: tuple[SourceCues, ...]

    @property
    def name(self) -> str:
        """The group as people read it: its value, or ``(no FIELD)``."""
        return self.value if self.value is not None else f"(no {self.field})"

    def estimate(self, metric: str) -> Estimate:
        if metric.startswith("shares."):
            return self.shares[metric.removeprefix("shares.")]
        return self.rates[metric]


@dataclass(frozen=True, slots=True)
class Comparison:
    """Group ``a`` minus group ``b`` on one metric: the difference, its 95% bootstrap interval
    and a two-sided permutation p-value; ``p_holm`` is Holm-adjusted over the pairs of the same
    field and metric. ``paired``: the two groups are two annotators' readings of the same
    documents (``n_a == n_b``, the documents both finished)."""

    field: str
    a: str | None
    b: str | None
    metric: str
    n_a: int
    n_b: int
    paired: bool
    difference: Metric
    ci95: tuple[float, float] | None
    ci_reason: str | None
    p_value: Metric
    p_holm: Metric
    permutations: int
    exact: bool


@dataclass(frozen=True, slots=True)
class Findings:
    """Every ``--group-by`` field's groups and their comparisons, with the settings used."""

    fields: tuple[str, ...]
    groups: tuple[GroupFindings, ...]
    comparisons: tuple[Comparison, ...]
    bootstrap: int
    seed: int
    notes: tuple[str, ...] = ()

    def of(self, field: str) -> tuple[GroupFindings, ...]:
        return tuple(g for g in self.groups if g.field == field)

    def compared(self, field: str) -> tuple[Comparison, ...]:
        return tuple(c for c in self.comparisons if c.field == field)

    def metrics(self) -> tuple[str, ...]:
        """Every metric name, rates first, then the statement shares."""
        labels = next((tuple(g.shares) for g in self.groups), ())
        return (*(key for key, _ in RATE_METRICS), *map(share_metric, labels))
