"""Result objects returned by the agreement functions.

Every statistic returns a small frozen dataclass rather than a bare float: ``.value`` plus the
intermediate quantities a methods section reports (observed and expected disagreement or
agreement, how many values were pairable, how many units were used). When a statistic is
undefined for the data (one category only, nothing pairable, no spans) ``value`` is ``None`` and
``reason`` says why in one sentence; an undefined statistic is never reported as 1.0.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Level = Literal["nominal", "ordinal", "interval", "ratio"]
SpanMode = Literal["exact", "partial", "overlap"]


@dataclass(frozen=True, slots=True)
class AlphaResult:
    """Krippendorff's alpha for coders x units reliability data.

    ``observed_disagreement`` (D_o) and ``expected_disagreement`` (D_e) are the quantities in
    ``alpha = 1 - D_o / D_e``. ``n_pairable`` is n.., the number of values in units coded by at
    least two coders; ``n_units`` the number of such units, ``n_units_total`` the number of
    units (columns) given.
    """

    value: float | None
    level: Level
    observed_disagreement: float | None
    expected_disagreement: float | None
    n_pairable: int
    n_units: int
    n_units_total: int
    n_coders: int
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class BootstrapResult:
    """A percentile bootstrap interval for Krippendorff's alpha.

    ``value`` is alpha on the data as given; ``low``/``high`` the percentile interval at
    ``confidence`` from ``B`` resamples of the pairable units drawn with numpy's PCG64 generator
    seeded with ``seed``. ``n_defined`` counts the resamples on which alpha was defined (a
    resample can, rarely, contain one value only); the interval is taken over those.
    """

    value: float | None
    low: float | None
    high: float | None
    B: int
    seed: int
    confidence: float
    level: Level
    n_units: int
    n_defined: int
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class FleissResult:
    """Fleiss' kappa for units each rated by the same number of raters.

    ``observed_agreement`` is P-bar (mean agreement per unit), ``expected_agreement`` P-bar-e
    (sum of squared category proportions). ``per_category`` maps each category to its kappa
    (Fleiss 1971, eq. 20) or ``None`` when that category was never or always used.
    """

    value: float | None
    observed_agreement: float | None
    expected_agreement: float | None
    per_category: dict[Hashable, float | None]
    categories: tuple[Hashable, ...]
    n_units: int
    n_raters: int
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class TwoRaterResult:
    """Agreement between two raters: Cohen's kappa, Scott's pi, Bennett's S or raw agreement.

    ``n`` is the number of items both raters labelled. ``observed_agreement`` is the proportion
    of those on which they agree, ``expected_agreement`` the chance agreement of the statistic
    (``None`` for percent agreement, which does not correct for chance).
    """

    value: float | None
    n: int
    observed_agreement: float | None
    expected_agreement: float | None
    labels: tuple[Hashable, ...]
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class ConfusionMatrix:
    """Counts of label pairs: ``counts[i][j]`` items labelled ``labels[i]`` by rater A and
    ``labels[j]`` by rater B."""

    labels: tuple[Hashable, ...]
    counts: tuple[tuple[int, ...], ...]
    n: int


@dataclass(frozen=True, slots=True)
class LabelUnitizingResult:
    """alpha_U for one label: the continuum seen as units of this label and gaps."""

    value: float | None
    observed_disagreement: float
    expected_disagreement: float
    n_units: int
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class UnitizingResult:
    """Krippendorff's alpha_U over all labels, with each label's own result in ``per_label``.

    The overall observed and expected disagreements are the means of the per-label ones, so
    ``value = 1 - observed_disagreement / expected_disagreement`` (Krippendorff 2004, 12.4).
    ``n_units`` counts the spans used after overlapping spans of one coder and one label were
    merged (``n_merged`` of them were absorbed that way).
    """

    value: float | None
    observed_disagreement: float | None
    expected_disagreement: float | None
    per_label: dict[Hashable, LabelUnitizingResult]
    coders: tuple[Hashable, ...]
    begin: int
    length: int
    n_units: int
    n_merged: int
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class SpanPRF:
    """Precision, recall and F1 of a candidate span set against a reference span set.

    ``precision`` is the credit earned by the candidate's spans divided by their number
    (``matched_candidate / n_candidate``), ``recall`` the credit of the reference's spans
    divided by theirs. ``None`` where the denominator is zero. ``per_label`` holds the same
    figures per label when ``labeled`` is true (empty otherwise, and in the per-label results).
    """

    precision: float | None
    recall: float | None
    f1: float | None
    mode: SpanMode
    labeled: bool
    n_reference: int
    n_candidate: int
    matched_reference: float
    matched_candidate: float
    per_label: dict[Hashable, SpanPRF] = field(default_factory=dict)
    reason: str | None = None

    @property
    def value(self) -> float | None:
        """The F1 score, so that every result has a ``.value``."""
        return self.f1


@dataclass(frozen=True, slots=True)
class MacroPRF:
    """Unweighted means over annotator pairs of the pairs' precision, recall and F1.

    Each mean is taken over the pairs where that figure is defined; ``n_pairs`` is the number
    of pairs with a defined F1.
    """

    precision: float | None
    recall: float | None
    f1: float | None
    n_pairs: int

    @property
    def value(self) -> float | None:
        """The macro-averaged F1."""
        return self.f1


@dataclass(frozen=True, slots=True)
class PairwiseSpanPRF:
    """Span P/R/F1 for every pair of annotators, with micro and macro averages.

    ``pairs[(a, b)]`` scores ``b`` against ``a`` (a is the reference) for ``a`` listed before
    ``b``; swapping the roles swaps precision and recall and leaves F1 unchanged. ``micro``
    pools the credit and span counts of all pairs; ``macro`` averages the pairs' figures.
    """

    pairs: Mapping[tuple[str, str], SpanPRF]
    micro: SpanPRF
    macro: MacroPRF
    mode: SpanMode
    labeled: bool

    @property
    def value(self) -> float | None:
        """The micro-averaged F1."""
        return self.micro.f1


@dataclass(frozen=True, slots=True)
class GwetResult:
    """Gwet's AC1 (identity weights) or AC2 (the level's weights) for coders x units data.

    ``pa`` is the weighted percent agreement over the units rated by two coders or more
    (``n_pairable`` of them), ``pe`` the chance agreement, ``value = (pa - pe) / (1 - pe)``.
    ``se`` is Gwet's linearized standard error over the ``n_units`` rated by at least one
    coder, ``low``/``high`` the ``confidence`` interval from Student's t with n_units - 1
    degrees of freedom (``None`` with fewer than two units). ``weights`` names the weights
    (identity, ordinal, quadratic, ratio) and ``categories`` lists the q categories in order.
    """

    value: float | None
    pa: float | None
    pe: float | None
    se: float | None
    low: float | None
    high: float | None
    confidence: float
    level: Level
    weights: str
    categories: tuple[Hashable, ...]
    n_units: int
    n_pairable: int
    n_coders: int
    reason: str | None = None

    @property
    def name(self) -> str:
        """``"AC1"`` for identity weights, ``"AC2"`` otherwise (Gwet's names)."""
        return "AC1" if self.weights == "identity" else "AC2"


@dataclass(frozen=True, slots=True)
class DawidSkeneResult:
    """Dawid-Skene estimates: each unit's most probable label and each coder's confusion.

    ``labels[i]`` is unit i's most probable category (``None`` if nobody labelled it),
    ``probabilities`` its posterior over ``categories`` (units x categories).
    ``confusion[coder][c][l]`` is the probability that the coder gives category l when the
    true one is c; ``competence[coder]`` = sum_c priors[c] * confusion[coder][c][c], the
    probability that the coder gives the true label. ``iterations`` counts the EM steps run.
    """

    labels: tuple[Hashable | None, ...]
    probabilities: Any
    categories: tuple[Hashable, ...]
    coders: tuple[Hashable, ...]
    competence: Mapping[Hashable, float]
    confusion: Mapping[Hashable, tuple[tuple[float, ...], ...]]
    priors: tuple[float, ...]
    iterations: int
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class MaceResult:
    """MACE estimates: each unit's most probable label and each coder's trustworthiness.

    ``competence[coder]`` is the probability that the coder knows the answer rather than
    spamming; ``strategy[coder][category]`` the distribution they draw from when spamming.
    ``log_likelihood`` is the marginal log likelihood of the kept run.
    """

    labels: tuple[Hashable | None, ...]
    probabilities: Any
    categories: tuple[Hashable, ...]
    coders: tuple[Hashable, ...]
    competence: Mapping[Hashable, float]
    strategy: Mapping[Hashable, Mapping[Hashable, float]]
    log_likelihood: float | None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class GammaResult:
    """Mathet et al.'s gamma (and gamma-cat) for spans with labels.

    ``value = 1 - observed_disorder / expected_disorder``; ``low``/``high`` is the range of
    gamma over the 95% interval of the expected disorder, estimated from ``n_samples``
    shuffled continua drawn with ``seed``. ``gamma_cat`` compares the labels of aligned units
    (``None`` when no two units were aligned). ``labels`` lists the labels, ``coders`` who
    counted, ``n_units`` the distinct units and ``n_unitary_alignments`` the groups of units
    (one per coder at most) in the best alignment.
    """

    value: float | None
    observed_disorder: float | None
    expected_disorder: float | None
    low: float | None
    high: float | None
    n_samples: int
    precision: float
    gamma_cat: float | None
    cat_observed_disorder: float | None
    cat_expected_disorder: float | None
    coders: tuple[Hashable, ...]
    labels: tuple[Hashable, ...]
    n_units: int
    n_unitary_alignments: int
    seed: int
    reason: str | None = None
