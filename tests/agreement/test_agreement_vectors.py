"""Every published worked example in tests/data/agreement_vectors, at its stated precision.

P8 (gamma, Mathet et al. 2015) is informational: no gamma coefficient is offered, so it has no
test here.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from agreement_support import table_to_data, vectors

from annotator.agreement import (
    bennett_s,
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha,
    percent_agreement,
    scott_pi,
    span_prf,
    unitizing_alpha,
)

LEVELS = ("nominal", "ordinal", "interval", "ratio")


# P1 Krippendorff (2011), also Content Analysis (2004) p. 230 -----------------------------------


@pytest.mark.parametrize("level", LEVELS)
def test_k2011_alpha_at_every_level(level: str) -> None:
    v = vectors()
    result = krippendorff_alpha(v.P1_K2011, level=level)
    assert result.value is not None
    assert round(result.value, 3) == v.P1_EXPECTED[level]
    assert result.value == pytest.approx(v.P1_EXPECTED["exact"][level], abs=5e-7)
    assert result.n_pairable == v.P1_EXPECTED["n.."]
    assert result.n_units == 11  # unit 12 has one value only
    assert result.n_units_total == 12
    assert result.n_coders == 4


@pytest.mark.parametrize(
    ("level", "key"), [("nominal", "nominal_Do_De"), ("interval", "interval_Do_De")]
)
def test_k2011_observed_and_expected_disagreement(level: str, key: str) -> None:
    v = vectors()
    result = krippendorff_alpha(v.P1_K2011, level=level)
    d_o, d_e = v.P1_EXPECTED[key]
    assert result.observed_disagreement == pytest.approx(d_o, abs=5e-7)
    assert result.expected_disagreement == pytest.approx(d_e, abs=5e-7)


def test_k2011_ordinal_with_string_labels_and_value_order() -> None:
    v = vectors()
    names = {1: "very low", 2: "low", 3: "mid", 4: "high", 5: "very high"}
    data = [[None if math.isnan(x) else names[int(x)] for x in row] for row in v.P1_K2011]
    order = ["very low", "low", "mid", "high", "very high"]
    result = krippendorff_alpha(data, level="ordinal", value_order=order)
    assert result.value == pytest.approx(v.P1_EXPECTED["exact"]["ordinal"], abs=5e-7)
    nominal = krippendorff_alpha(data, level="nominal")
    assert nominal.value == pytest.approx(v.P1_EXPECTED["exact"]["nominal"], abs=5e-7)


# P2 Wikipedia example ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "key"),
    [
        ("nominal", "nominal"),
        ("interval", "interval"),
        ("ordinal", "ordinal(computed)"),
        ("ratio", "ratio(computed)"),
    ],
)
def test_wikipedia_example(level: str, key: str) -> None:
    v = vectors()
    result = krippendorff_alpha(v.P2_WIKI, level=level)
    assert result.value == pytest.approx(v.P2_EXPECTED[key], abs=5e-7)


# P3 Fleiss (1971) --------------------------------------------------------------------------------


def test_fleiss_1971_kappa_and_per_category() -> None:
    v = vectors()
    # The vector lists subjects as rows; our layout is raters x units, so transpose.
    data = [list(rater) for rater in zip(*v.P3_FLEISS1971, strict=True)]
    result = fleiss_kappa(data)
    exp = v.P3_EXPECTED
    assert result.value is not None
    assert round(result.value, 3) == exp["kappa"]
    assert result.value == pytest.approx(exp["exact_kappa"], abs=5e-7)
    assert result.observed_agreement == pytest.approx(exp["P_bar"], abs=5e-5)
    # Fleiss printed P-bar-e = 0.2201 from rounded proportions; the exact value is 0.219938.
    assert result.expected_agreement == pytest.approx(exp["Pe_bar"], abs=2e-4)
    assert result.n_units == 30
    assert result.n_raters == 6
    assert set(result.per_category) == {1, 2, 3, 4, 5}
    for category, kappa in exp["category_kappa_exact"].items():
        assert result.per_category[category] == pytest.approx(kappa, abs=5e-7)
    for category, kappa in exp["category_kappa_published(+-0.005)"].items():
        assert result.per_category[category] == pytest.approx(kappa, abs=0.005)


# P4 Artstein & Poesio (2008) ---------------------------------------------------------------------


def test_artstein_poesio_example_1() -> None:
    v = vectors()
    table, exp = v.P4_AP2008_EX1["table"], v.P4_EX1_EXPECTED
    assert percent_agreement(table).value == pytest.approx(exp["Ao"], abs=5e-7)
    assert bennett_s(table).value == pytest.approx(exp["S"], abs=5e-7)
    assert scott_pi(table).value == pytest.approx(exp["pi"], abs=5e-4)
    assert cohen_kappa(table).value == pytest.approx(exp["kappa"], abs=5e-4)
    alpha = krippendorff_alpha(table_to_data(table), level="nominal")
    assert alpha.value == pytest.approx(exp["alpha_nominal(computed)"], abs=5e-7)


def test_artstein_poesio_example_2() -> None:
    v = vectors()
    table, exp = v.P4_AP2008_EX2["table"], v.P4_EX2_EXPECTED
    labels = v.P4_AP2008_EX2["cats"]
    assert percent_agreement(table).value == pytest.approx(exp["Ao"], abs=5e-7)
    assert bennett_s(table).value == pytest.approx(exp["S"], abs=5e-7)
    pi = scott_pi(table, labels=labels)
    assert pi.value == pytest.approx(exp["pi"], abs=5e-5)
    assert pi.expected_agreement == pytest.approx(exp["Ae_pi"], abs=5e-5)
    assert pi.labels == tuple(labels)
    kappa = cohen_kappa(table)
    assert kappa.value == pytest.approx(exp["kappa"], abs=5e-5)
    assert kappa.expected_agreement == pytest.approx(exp["Ae_kappa"], abs=5e-4)
    # Artstein & Poesio print 0.800 (from rounded intermediates); the exact value is 0.800535,
    # which the krippendorff package also gives.
    alpha = krippendorff_alpha(table_to_data(table), level="nominal")
    assert alpha.value == pytest.approx(exp["alpha_nominal"], abs=1e-3)


# P5 Krippendorff (2004) p. 246: same agreement, different marginals ------------------------------


@pytest.mark.parametrize("which", ["A", "B"])
def test_k2004_p246_pi_versus_kappa(which: str) -> None:
    v = vectors()
    table = v.P5_K2004_246A if which == "A" else v.P5_K2004_246B
    exp = v.P5_EXPECTED[which]
    assert percent_agreement(table).value == pytest.approx(exp["Ao"], abs=5e-7)
    assert bennett_s(table).value == pytest.approx(exp["S"], abs=5e-4)
    assert scott_pi(table).value == pytest.approx(exp["pi"], abs=5e-4)
    assert cohen_kappa(table).value == pytest.approx(exp["kappa"], abs=5e-4)


# P6 Cohen (1960) ---------------------------------------------------------------------------------


def test_cohen_1960() -> None:
    v = vectors()
    result = cohen_kappa(v.P6_COHEN1960)
    assert result.observed_agreement == pytest.approx(v.P6_EXPECTED["Ao"], abs=5e-7)
    assert result.expected_agreement == pytest.approx(v.P6_EXPECTED["Ae"], abs=5e-7)
    assert result.value == pytest.approx(v.P6_EXPECTED["kappa"], abs=5e-4)
    assert result.n == 200


def test_cohen_1960_from_label_sequences_matches_the_table() -> None:
    v = vectors()
    a, b = table_to_data(v.P6_COHEN1960)
    assert cohen_kappa(a, b).value == pytest.approx(cohen_kappa(v.P6_COHEN1960).value, abs=1e-12)


# P7 alpha_U synthetic example (DKPro Statistics) ------------------------------------------------


def test_unitizing_synthetic_example() -> None:
    v = vectors()
    spec = v.P7_U
    # The vector gives units as (coder, begin, length, category); ours are (coder, start, end,
    # label) with half-open offsets, so end = begin + length.
    units = [(c, b, b + n, cat) for c, b, n, cat in spec["units"]]
    result = unitizing_alpha(units, begin=spec["begin"], length=spec["length"])
    exp = v.P7_EXPECTED
    # Stated to four decimals (truncated: D_e = 0.535185...).
    assert len(result.coders) == spec["coders"]
    assert result.observed_disagreement == pytest.approx(exp["Do"], abs=1e-4)
    assert result.expected_disagreement == pytest.approx(exp["De"], abs=1e-4)
    assert result.value == pytest.approx(exp["alpha_U"], abs=1e-4)
    assert result.per_label["A"].value == pytest.approx(exp["alpha_U"], abs=1e-4)


# P9 span P/R/F1 ----------------------------------------------------------------------------------

# The vector's keys map to our modes: "exact_*" is mode="exact"; "overlap_*" (overlap-length,
# partial credit) is mode="partial"; "any_overlap_*" (any shared character) is mode="overlap".
# "*_label" is labeled=True, "*_nolabel" labeled=False. A is the reference, B the candidate.
P9_MODES = {
    "exact_label": ("exact", True),
    "overlap_label": ("partial", True),
    "overlap_nolabel": ("partial", False),
    "any_overlap_label": ("overlap", True),
    "any_overlap_nolabel": ("overlap", False),
}


@pytest.mark.parametrize("key", sorted(P9_MODES))
def test_span_prf_example(key: str) -> None:
    v = vectors()
    mode, labeled = P9_MODES[key]
    result = span_prf(v.P9_A, v.P9_B, mode=mode, labeled=labeled)
    precision, recall, f1 = v.P9_EXPECTED[key]
    assert result.precision == pytest.approx(precision, abs=1e-12)
    assert result.recall == pytest.approx(recall, abs=1e-12)
    assert result.f1 == pytest.approx(f1, abs=1e-12)


def test_span_prf_vector_keys_are_all_mapped() -> None:
    assert set(vectors().P9_EXPECTED) == set(P9_MODES)


# P10 edge cases ----------------------------------------------------------------------------------


def test_all_agree_on_one_category_is_undefined_not_one() -> None:
    data = vectors().P10_ALL_AGREE_ONE_CAT
    for level in LEVELS:
        result = krippendorff_alpha(data, level=level)
        assert result.value is None
        assert result.reason is not None and "same" in result.reason
    assert fleiss_kappa(data).value is None
    assert cohen_kappa(data[0], data[1]).value is None
    assert scott_pi(data[0], data[1]).value is None
    assert percent_agreement(data[0], data[1]).value == 1.0  # raw agreement is defined


def test_total_disagreement() -> None:
    data = vectors().P10_TOTAL_DISAGREE
    assert krippendorff_alpha(data).value == pytest.approx(-0.5, abs=1e-12)
    assert cohen_kappa(data[0], data[1]).value == pytest.approx(-1.0, abs=1e-12)
    assert scott_pi(data[0], data[1]).value == pytest.approx(-1.0, abs=1e-12)


def test_single_deviant_value_gives_zero() -> None:
    result = krippendorff_alpha(vectors().P10_SINGLE_DEVIANT)
    assert result.value == pytest.approx(0.0, abs=1e-12)


def test_nothing_pairable_is_undefined() -> None:
    for level in LEVELS:
        result = krippendorff_alpha(vectors().P10_NO_PAIRABLE, level=level)
        assert result.value is None
        assert result.n_pairable == 0
        assert result.reason is not None and "pairable" in result.reason


def test_labels_with_colliding_hashes_stay_distinct() -> None:
    # "Aa" and "BB" share a Java hashCode; they are different labels.
    result = krippendorff_alpha(vectors().P10_HASH_COLLIDING_LABELS)
    assert result.value == pytest.approx(4 / 9, abs=1e-9)


def test_large_interval_values_are_scale_free() -> None:
    large = krippendorff_alpha(vectors().P10_LARGE_INTERVAL, level="interval")
    small = krippendorff_alpha([[1, 0, 1], [1, 0, 0]], level="interval")
    assert small.value == pytest.approx(4 / 9, abs=1e-9)
    assert large.value == pytest.approx(small.value, abs=1e-12)


def test_missing_vectors_fail_with_a_clear_message(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import agreement_support

    monkeypatch.setattr(agreement_support, "VECTORS", tmp_path / "no-such-file.py")
    agreement_support._load.cache_clear()
    try:
        with pytest.raises(pytest.fail.Exception, match="agreement test vectors not found"):
            agreement_support.vectors()
    finally:
        monkeypatch.undo()
        agreement_support._load.cache_clear()
    assert agreement_support.vectors().P1_EXPECTED["n.."] == 40
