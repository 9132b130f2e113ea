"""Inter-annotator agreement: pure Python + numpy statistics that a methods section can cite.

Coded units (coders x units data; ``None`` or NaN = missing):

* ``krippendorff_alpha(data, level="nominal", value_order=None)`` -> ``AlphaResult``
  (``.value``, ``.observed_disagreement``, ``.expected_disagreement``, ``.n_pairable``,
  ``.n_units``, ``.n_units_total``, ``.n_coders``, ``.level``, ``.reason``)
* ``bootstrap_ci(data, level="nominal", B=1000, seed=0, confidence=0.95, value_order=None)``
  -> ``BootstrapResult`` (``.value``, ``.low``, ``.high``, ``.B``, ``.seed``, ``.n_defined``)
* ``fleiss_kappa(data)`` -> ``FleissResult`` (``.value``, ``.per_category``,
  ``.observed_agreement``, ``.expected_agreement``, ``.n_units``, ``.n_raters``)

Two raters (two label sequences, missing items dropped pairwise, or one square contingency
table with rows = rater A):

* ``cohen_kappa(a, b)``, ``scott_pi(a, b)``, ``bennett_s(a, b)``, ``percent_agreement(a, b)``
  -> ``TwoRaterResult`` (``.value``, ``.n``, ``.observed_agreement``, ``.expected_agreement``)
* ``confusion_matrix(a, b, labels=None)`` -> ``ConfusionMatrix`` (``.labels``, ``.counts``)

Spans (half-open ``[start, end)`` offsets):

* ``unitizing_alpha(units, begin, length, coders=None)`` -> ``UnitizingResult`` (``.value``,
  ``.observed_disagreement``, ``.expected_disagreement``, ``.per_label``) for
  ``(coder, start, end, label)`` units
* ``span_prf(reference, candidate, mode="exact"|"partial"|"overlap", labeled=True)`` ->
  ``SpanPRF`` (``.precision``, ``.recall``, ``.f1``, ``.per_label``)
* ``pairwise_span_prf(spans_by_annotator, mode=..., labeled=...)`` -> ``PairwiseSpanPRF``
  (``.pairs``, ``.micro``, ``.macro``)
* ``span_tallies(reference, candidate, modes=..., labeled=...)`` -> ``{mode: SpanTally}`` and
  ``pooled_span_prf(tallies)`` -> ``SpanPRF``: a corpus scored in batches of documents, with
  the figures ``span_prf`` gives on the whole

Every result has ``.value``; an undefined statistic has ``value=None`` and a ``.reason``. Bad
input (not 2-D, unknown level, spans outside the continuum) raises ``ValueError`` with one
sentence saying what is wrong and how to fix it. Formulas and references: docs/agreement.md.
"""

from annotator.agreement.alpha import krippendorff_alpha
from annotator.agreement.bootstrap import bootstrap_ci
from annotator.agreement.fleiss import fleiss_kappa
from annotator.agreement.gamma import gamma_agreement
from annotator.agreement.gwet import gwet_ac
from annotator.agreement.kappa import (
    bennett_s,
    cohen_kappa,
    confusion_matrix,
    percent_agreement,
    scott_pi,
)
from annotator.agreement.latent import dawid_skene, mace
from annotator.agreement.paradox import bias_index, prevalence_index
from annotator.agreement.results import (
    AlphaResult,
    BootstrapResult,
    ConfusionMatrix,
    DawidSkeneResult,
    FleissResult,
    GammaResult,
    GwetResult,
    LabelUnitizingResult,
    MaceResult,
    MacroPRF,
    PairwiseSpanPRF,
    SpanPRF,
    TwoRaterResult,
    UnitizingResult,
)
from annotator.agreement.spans import (
    SpanTally,
    pairwise_span_prf,
    pooled_span_prf,
    span_prf,
    span_tallies,
)
from annotator.agreement.unitizing import unitizing_alpha

__all__ = [
    "AlphaResult",
    "BootstrapResult",
    "ConfusionMatrix",
    "DawidSkeneResult",
    "FleissResult",
    "GammaResult",
    "GwetResult",
    "LabelUnitizingResult",
    "MaceResult",
    "MacroPRF",
    "PairwiseSpanPRF",
    "SpanPRF",
    "SpanTally",
    "TwoRaterResult",
    "UnitizingResult",
    "bennett_s",
    "bias_index",
    "bootstrap_ci",
    "cohen_kappa",
    "confusion_matrix",
    "dawid_skene",
    "fleiss_kappa",
    "gamma_agreement",
    "gwet_ac",
    "krippendorff_alpha",
    "mace",
    "pairwise_span_prf",
    "percent_agreement",
    "pooled_span_prf",
    "prevalence_index",
    "scott_pi",
    "span_prf",
    "span_tallies",
    "unitizing_alpha",
]
