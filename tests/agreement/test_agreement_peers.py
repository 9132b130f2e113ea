"""Property tests against established implementations, on random data with missing values.

Krippendorff's alpha (all four levels) against the ``krippendorff`` package, Cohen's kappa
against scikit-learn, Fleiss' kappa against statsmodels, Scott's pi against NLTK; all to 1e-9.
Where a peer cannot compute a value (it raises, or returns NaN) ours must be undefined (None).
"""

from __future__ import annotations

import math
import warnings

import krippendorff
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nltk.metrics.agreement import AnnotationTask
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters
from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss_kappa

from annotator.agreement import cohen_kappa, fleiss_kappa, krippendorff_alpha, scott_pi

LEVELS = ("nominal", "ordinal", "interval", "ratio")
SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def reliability_data(draw: st.DrawFn, values: st.SearchStrategy[float]) -> np.ndarray:
    """Coders x units floats with NaN for missing values."""
    coders = draw(st.integers(2, 6))
    units = draw(st.integers(1, 30))
    cells = draw(
        st.lists(
            st.one_of(st.just(math.nan), values),
            min_size=coders * units,
            max_size=coders * units,
        )
    )
    return np.array(cells, dtype=np.float64).reshape(coders, units)


SMALL_INTS = st.integers(0, 6).map(float)
FRACTIONS = st.sampled_from([0.0, 0.5, 1.25, 3.0, 7.75, 10.5, 100.0])
WIDE_INTS = st.sampled_from([0.0, 3.0, 2000.0, 5001.0, 90000.0])
CONTINUOUS = st.integers(0, 10**6).map(lambda i: i / 1000.0)


def peer_alpha(data: np.ndarray, level: str) -> float | None:
    """The krippendorff package's alpha, or None where it refuses or gives NaN."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            value = float(krippendorff.alpha(reliability_data=data, level_of_measurement=level))
    except ValueError:
        return None
    return None if math.isnan(value) else value


def assert_matches_peer(data: np.ndarray, level: str) -> None:
    ours = krippendorff_alpha(data, level=level)
    theirs = peer_alpha(data, level)
    if theirs is None:
        assert ours.value is None, (ours, data.tolist())
        assert ours.reason
    else:
        assert ours.value is not None, (ours, data.tolist())
        assert ours.value == pytest.approx(theirs, abs=1e-9), data.tolist()


@pytest.mark.parametrize("level", LEVELS)
@SETTINGS
@given(data=reliability_data(SMALL_INTS))
def test_alpha_matches_krippendorff_package(level: str, data: np.ndarray) -> None:
    assert_matches_peer(data, level)


@pytest.mark.parametrize("level", LEVELS)
@SETTINGS
@given(data=reliability_data(FRACTIONS))
def test_alpha_matches_on_non_integer_values(level: str, data: np.ndarray) -> None:
    assert_matches_peer(data, level)


@pytest.mark.parametrize("level", LEVELS)
@SETTINGS
@given(data=reliability_data(WIDE_INTS))
def test_alpha_matches_on_widely_spread_integers(level: str, data: np.ndarray) -> None:
    assert_matches_peer(data, level)


@pytest.mark.parametrize("level", LEVELS)
@SETTINGS
@given(data=reliability_data(CONTINUOUS))
def test_alpha_matches_on_continuous_values(level: str, data: np.ndarray) -> None:
    assert_matches_peer(data, level)


@SETTINGS
@given(data=reliability_data(SMALL_INTS))
def test_nominal_alpha_on_labels_equals_alpha_on_numbers(data: np.ndarray) -> None:
    labels = [[None if math.isnan(x) else f"label-{int(x)}" for x in row] for row in data]
    ours = krippendorff_alpha(labels, level="nominal").value
    on_numbers = krippendorff_alpha(data, level="nominal").value
    if on_numbers is None:
        assert ours is None
    else:
        assert ours == pytest.approx(on_numbers, abs=1e-12)


@SETTINGS
@given(data=reliability_data(SMALL_INTS))
def test_ordinal_alpha_ignores_monotone_relabelling(data: np.ndarray) -> None:
    stretched = np.where(np.isnan(data), np.nan, data**3 + 7.0)
    a = krippendorff_alpha(data, level="ordinal").value
    b = krippendorff_alpha(stretched, level="ordinal").value
    assert (a is None) == (b is None)
    if a is not None:
        assert b == pytest.approx(a, abs=1e-12)


@SETTINGS
@given(
    data=reliability_data(SMALL_INTS),
    power=st.integers(-10, 20),
    shift=st.integers(-(10**6), 10**6),
)
def test_interval_alpha_ignores_affine_rescaling(data: np.ndarray, power: int, shift: int) -> None:
    # Powers of two and integer shifts keep the rescaled data exact in floating point.
    a = krippendorff_alpha(data, level="interval").value
    b = krippendorff_alpha(data * 2.0**power + shift, level="interval").value
    assert (a is None) == (b is None)
    if a is not None:
        assert b == pytest.approx(a, abs=1e-12)


# Two raters --------------------------------------------------------------------------------------

LABEL = st.one_of(st.none(), st.sampled_from(["a", "b", "c", "d"]))


@SETTINGS
@given(pairs=st.lists(st.tuples(LABEL, LABEL), min_size=1, max_size=60))
def test_cohen_kappa_matches_scikit_learn(pairs: list[tuple[str | None, str | None]]) -> None:
    a = [x for x, _ in pairs]
    b = [y for _, y in pairs]
    ours = cohen_kappa(a, b)
    kept = [(x, y) for x, y in pairs if x is not None and y is not None]
    assert ours.n == len(kept)
    if not kept:
        assert ours.value is None
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scikit-learn warns where kappa is undefined
        theirs = float(cohen_kappa_score([x for x, _ in kept], [y for _, y in kept]))
    if math.isnan(theirs):
        assert ours.value is None
    else:
        assert ours.value == pytest.approx(theirs, abs=1e-9)


@SETTINGS
@given(pairs=st.lists(st.tuples(st.sampled_from("abc"), st.sampled_from("abc")), min_size=1))
def test_scott_pi_matches_nltk(pairs: list[tuple[str, str]]) -> None:
    ours = scott_pi([x for x, _ in pairs], [y for _, y in pairs])
    triples = [("A", i, x) for i, (x, _) in enumerate(pairs)]
    triples += [("B", i, y) for i, (_, y) in enumerate(pairs)]
    if ours.value is None:
        assert len({label for _, _, label in triples}) == 1
    else:
        assert ours.value == pytest.approx(AnnotationTask(triples).pi(), abs=1e-9)


# Fleiss ------------------------------------------------------------------------------------------


@st.composite
def fleiss_data(draw: st.DrawFn) -> np.ndarray:
    """Raters x units with the same number of ratings per unit, missing ones scattered."""
    raters = draw(st.integers(2, 7))
    per_unit = draw(st.integers(2, raters))
    units = draw(st.integers(1, 25))
    columns = []
    for _ in range(units):
        ratings = draw(st.lists(st.integers(0, 4), min_size=per_unit, max_size=per_unit))
        slots = draw(st.permutations(range(raters)))[:per_unit]
        column = [math.nan] * raters
        for slot, rating in zip(slots, ratings, strict=True):
            column[slot] = float(rating)
        columns.append(column)
    return np.array(columns, dtype=np.float64).T


@SETTINGS
@given(data=fleiss_data())
def test_fleiss_kappa_matches_statsmodels(data: np.ndarray) -> None:
    ours = fleiss_kappa(data)
    units_by_ratings = [[x for x in column if not math.isnan(x)] for column in data.T]
    table, _ = aggregate_raters(np.array(units_by_ratings))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        theirs = float(sm_fleiss_kappa(table, method="fleiss"))
    if math.isnan(theirs) or math.isinf(theirs):
        assert ours.value is None
        assert ours.reason
    else:
        assert ours.value == pytest.approx(theirs, abs=1e-9)
