"""Input conventions, error messages, result objects, the bootstrap and the docstring examples."""

from __future__ import annotations

import dataclasses
import doctest
import importlib
import math

import numpy as np
import pytest

from annotator.agreement import (
    bootstrap_ci,
    cohen_kappa,
    confusion_matrix,
    fleiss_kappa,
    krippendorff_alpha,
    percent_agreement,
    scott_pi,
)

DATA = [[1, 2, 3, 3, 2, 1, 4, 1, 2], [1, 2, 3, 3, 2, 2, 4, 1, 2], [None, 3, 3, 3, 2, 3, 4, 2, 2]]


def test_none_and_nan_both_mean_missing_in_lists_and_arrays() -> None:
    with_none = krippendorff_alpha(DATA, level="interval")
    with_nan = krippendorff_alpha(
        np.array([[math.nan if v is None else v for v in row] for row in DATA]), level="interval"
    )
    as_objects = krippendorff_alpha(np.array(DATA, dtype=object), level="interval")
    assert with_none.value == with_nan.value == as_objects.value
    assert with_none.n_pairable == 26


def test_strings_with_nan_in_a_list_are_missing_not_a_label() -> None:
    labelled = krippendorff_alpha([["a", "b", math.nan], ["a", "b", "a"]])
    assert labelled.n_pairable == 4
    assert labelled.value == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("data", "kwargs", "message"),
    [
        ([1, 2, 3], {}, "coders x units"),
        ([[1, 2], [1]], {}, "rectangular"),
        ([[1, "a"], [1, "a"]], {}, "mix numbers and labels"),
        ([["a", "b"], ["a", "b"]], {"level": "ordinal"}, "need value_order"),
        ([["a", "b"], ["a", "c"]], {"level": "ordinal", "value_order": ["a", "b"]}, "'c'"),
        ([[1, 2], [1, 2]], {"level": "ordinal", "value_order": [1]}, "not in value_order"),
        ([[1, 2], [1, 2]], {"level": "bogus"}, "level must be one of"),
        ([[1, -2], [1, 2]], {"level": "ratio"}, "zero or positive"),
        ([[1, math.inf], [1, 2]], {}, "infinite"),
        (np.array([["a", "nan"], ["a", "b"]]), {}, "string array contains 'nan'"),
    ],
)
def test_bad_data_is_refused_with_one_clear_sentence(
    data: object, kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        krippendorff_alpha(data, **kwargs)


def test_ordinal_value_order_on_numbers_reorders_ranks() -> None:
    data = [[1, 2, 3, 1], [1, 3, 3, 2]]
    natural = krippendorff_alpha(data, level="ordinal").value
    reordered = krippendorff_alpha(data, level="ordinal", value_order=[3, 2, 1]).value
    scrambled = krippendorff_alpha(data, level="ordinal", value_order=[2, 1, 3]).value
    assert reordered == pytest.approx(natural)  # a reversed order has the same distances
    assert scrambled != pytest.approx(natural)


def test_interval_labels_use_positions_in_value_order() -> None:
    labels = krippendorff_alpha(
        [["lo", "mid", "hi"], ["lo", "hi", "hi"]], level="interval", value_order=["lo", "mid", "hi"]
    )
    numbers = krippendorff_alpha([[1, 2, 3], [1, 3, 3]], level="interval")
    assert labels.value == pytest.approx(numbers.value)


def test_empty_data_is_undefined() -> None:
    for data in ([], [[], []]):
        result = krippendorff_alpha(data)
        assert result.value is None and result.n_pairable == 0


def test_results_are_frozen() -> None:
    result = krippendorff_alpha(DATA)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.value = 1.0  # type: ignore[misc]


# Two raters --------------------------------------------------------------------------------------


def test_missing_items_are_dropped_pairwise() -> None:
    a = ["x", "y", None, "x", math.nan]
    b = ["x", "x", "y", None, "y"]
    result = cohen_kappa(a, b)
    assert result.n == 2
    assert result.value == cohen_kappa(["x", "y"], ["x", "x"]).value
    assert percent_agreement(a, b).value == 0.5


def test_sequences_and_their_table_agree() -> None:
    a = ["x", "y", "y", "z", "x", "z", "z"]
    b = ["x", "y", "x", "z", "y", "z", "x"]
    cm = confusion_matrix(a, b)
    assert cm.labels == ("x", "y", "z")
    assert cm.counts == ((1, 1, 0), (1, 1, 0), (1, 0, 2))
    assert cm.n == 7
    for fn in (cohen_kappa, scott_pi, percent_agreement):
        assert fn(a, b).value == pytest.approx(fn(cm.counts).value, abs=1e-15)


def test_confusion_matrix_with_given_labels() -> None:
    cm = confusion_matrix(["b", "a"], ["b", "b"], labels=["b", "a", "unused"])
    assert cm.counts == ((1, 0, 0), (1, 0, 0), (0, 0, 0))
    with pytest.raises(ValueError, match="not in labels"):
        confusion_matrix(["b", "c"], ["b", "b"], labels=["a", "b"])


def test_two_rater_input_errors() -> None:
    with pytest.raises(ValueError, match="differ in length"):
        cohen_kappa(["a"], ["a", "b"])
    with pytest.raises(ValueError, match="square contingency table"):
        cohen_kappa([[1, 2, 3], [4, 5, 6]])
    with pytest.raises(ValueError, match="square contingency table"):
        cohen_kappa(["a", "b"])
    with pytest.raises(ValueError, match="not negative"):
        scott_pi([[1, -1], [0, 2]])


# Fleiss ------------------------------------------------------------------------------------------


def test_fleiss_with_unequal_ratings_per_unit_is_undefined() -> None:
    result = fleiss_kappa([["a", "b", None], ["a", "b", "b"], ["a", "a", "b"]])
    assert result.value is None
    assert result.reason is not None and "same number" in result.reason


def test_fleiss_with_scattered_missing_but_equal_counts() -> None:
    full = fleiss_kappa([["a", "b", "b"], ["a", "a", "b"]])
    scattered = fleiss_kappa([["a", None, "b"], [None, "b", "b"], ["a", "a", None]])
    assert scattered.value == pytest.approx(full.value)


# Bootstrap ---------------------------------------------------------------------------------------


def test_bootstrap_is_seeded_and_reports_b_and_seed() -> None:
    first = bootstrap_ci(DATA, level="nominal", B=300, seed=7)
    again = bootstrap_ci(DATA, level="nominal", B=300, seed=7)
    other = bootstrap_ci(DATA, level="nominal", B=300, seed=8)
    assert first == again
    assert (first.B, first.seed, first.confidence) == (300, 7, 0.95)
    assert (first.low, first.high) != (other.low, other.high)
    assert first.low is not None and first.high is not None
    assert first.low <= first.value <= first.high  # type: ignore[operator]
    assert first.value == krippendorff_alpha(DATA).value
    assert 0 < first.n_defined <= 300


def test_bootstrap_interval_narrows_with_more_units() -> None:
    rng = np.random.default_rng(3)
    truth = rng.integers(0, 4, 400)
    noisy = np.where(rng.random((3, 400)) < 0.8, truth, rng.integers(0, 4, (3, 400)))
    small = bootstrap_ci(noisy[:, :40].astype(float), B=200, seed=1)
    large = bootstrap_ci(noisy.astype(float), B=200, seed=1)
    assert small.low is not None and small.high is not None
    assert large.low is not None and large.high is not None
    assert large.high - large.low < small.high - small.low


def test_bootstrap_of_undefined_alpha_has_no_interval() -> None:
    result = bootstrap_ci([[1, 1], [1, 1]], B=10)
    assert result.value is None and result.low is None and result.high is None
    assert result.reason


def test_bootstrap_arguments_are_checked() -> None:
    with pytest.raises(ValueError, match="positive number"):
        bootstrap_ci(DATA, B=0)
    with pytest.raises(ValueError, match="confidence"):
        bootstrap_ci(DATA, confidence=95)


# Docstring examples ------------------------------------------------------------------------------


@pytest.mark.parametrize("module", ["alpha", "bootstrap", "fleiss", "kappa", "spans", "unitizing"])
def test_docstring_examples_run(module: str) -> None:
    mod = importlib.import_module(f"annotator.agreement.{module}")
    failures, attempted = doctest.testmod(mod, optionflags=doctest.ELLIPSIS)
    assert attempted > 0
    assert failures == 0


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
def test_bootstrap_count_table_path_equals_recomputing_alpha(
    level: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from annotator.agreement import bootstrap

    rng = np.random.default_rng(11)
    data = rng.integers(0, 5, size=(4, 120)).astype(float)
    data[rng.random(data.shape) < 0.3] = np.nan
    pairable = data[:, (~np.isnan(data)).sum(axis=0) >= 2]
    from_table = bootstrap.resampled_alphas(pairable, level, 60, 5)
    monkeypatch.setattr(bootstrap, "_MAX_TABLE_VALUES", 0)
    recomputed = bootstrap.resampled_alphas(pairable, level, 60, 5)
    assert len(from_table) == len(recomputed) == 60
    assert from_table == pytest.approx(recomputed, abs=1e-12)
