"""Gwet's AC1/AC2: the handbook's worked examples, and property tests against irrCAC.

irrCAC (Fergadis, the Python port of Gwet's R package) is called with every category listed
(``categories=``), since with pandas 3 its own category discovery counts NaN as a category,
and with ``digits=20`` so that it does not round. Where irrCAC cannot compute a value (it
divides by zero), ours must be undefined.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.agreement import gwet_ac
from annotator.agreement.gwet import level_weights
from annotator.agreement.tdist import t_critical

CAC = pytest.importorskip(
    "irrCAC.raw", reason="irrCAC is not installed: pip install --no-deps irrCAC==0.4.4"
).CAC

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
WEIGHTS = {"nominal": "identity", "ordinal": "ordinal", "interval": "quadratic", "ratio": "ratio"}

# Gwet (2014), Handbook of Inter-Rater Reliability, 4th ed.: 4 raters, 12 units, 5 categories
# (table 2.16; irrCAC's raw_4raters), rows = raters.
FOUR_RATERS = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, None],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 3],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]


def test_handbook_four_raters_ac1() -> None:
    # Published: AC1 = 0.77544, pa = 0.81818, pe = 0.19032, se = 0.14295, 95% CI (0.46081, 1).
    r = gwet_ac(FOUR_RATERS)
    assert r.name == "AC1"
    assert (r.n_units, r.n_pairable, r.n_coders) == (12, 11, 4)
    assert r.value == pytest.approx(0.77544, abs=5e-6)
    assert r.pa == pytest.approx(0.81818, abs=5e-6)
    assert r.pe == pytest.approx(0.19032, abs=5e-6)
    assert r.se == pytest.approx(0.14295, abs=5e-6)
    assert r.low == pytest.approx(0.46081, abs=5e-6)
    assert r.high == 1.0


def test_handbook_abstractors_table() -> None:
    # Gwet (2014): two abstractors classify 100 pregnancies (Ectopic, AIU, NIU). Published:
    # AC1 = 0.84933 (pa 0.89, pe 0.26992); quadratic AC2 = 0.94024 (pa 0.9725, pe 0.53985).
    # (The handbook's two-rater table variance differs slightly from the raw-data one.)
    table = [[13, 0, 0], [0, 20, 7], [0, 4, 56]]
    labels = ["Ectopic", "AIU", "NIU"]
    a: list[str] = []
    b: list[str] = []
    for i, row in enumerate(table):
        for j, count in enumerate(row):
            a += [labels[i]] * count
            b += [labels[j]] * count
    ac1 = gwet_ac([a, b], value_order=labels)
    assert ac1.value == pytest.approx(0.84933, abs=5e-6)
    assert (ac1.pa, ac1.pe) == (pytest.approx(0.89), pytest.approx(0.26992, abs=5e-6))
    ac2 = gwet_ac([a, b], level="interval", value_order=labels)
    assert ac2.name == "AC2" and ac2.weights == "quadratic"
    assert ac2.value == pytest.approx(0.94024, abs=5e-6)
    assert (ac2.pa, ac2.pe) == (pytest.approx(0.9725), pytest.approx(0.53985, abs=5e-6))


def test_the_kappa_paradox() -> None:
    # 20 units, both coders say "no" on 18 and disagree on 2: 90% agreement on a skewed scale.
    a = ["no"] * 18 + ["yes", "no"]
    b = ["no"] * 18 + ["no", "yes"]
    from annotator.agreement import cohen_kappa

    assert cohen_kappa(a, b).value == pytest.approx(-0.0526, abs=1e-4)
    assert gwet_ac([a, b]).value == pytest.approx(0.8895, abs=1e-4)


def test_weights_match_irrcac() -> None:
    from irrCAC.weights import Weights

    cats = [1.0, 2.0, 4.0, 7.0, 8.0]
    x = np.array(cats)
    for level, name in WEIGHTS.items():
        assert np.allclose(level_weights(level, x), Weights(cats)[name], atol=1e-12)  # type: ignore[arg-type]


def test_undefined_cases() -> None:
    one = gwet_ac([["a", "a"], ["a", "a"]])
    assert one.value is None and "two categories" in (one.reason or "")
    assert gwet_ac([["a", "a"], ["a", "a"]], value_order=["a", "b"]).value == 1.0
    lonely = gwet_ac([["a", None], [None, "b"]])
    assert lonely.value is None and "pairable" in (lonely.reason or "")
    single = gwet_ac([["a"], ["b"]])
    assert single.value == pytest.approx(-1.0) and single.se is None and single.low is None


def test_bad_input() -> None:
    with pytest.raises(ValueError, match="value_order"):
        gwet_ac([["a", "b"], ["a", "a"]], level="ordinal")
    with pytest.raises(ValueError, match="level"):
        gwet_ac([[1, 2], [1, 1]], level="nominalish")
    with pytest.raises(ValueError, match="confidence"):
        gwet_ac([[1, 2], [1, 1]], confidence=1.5)


def test_t_critical_matches_scipy() -> None:
    from scipy import stats

    for df in (1, 2, 3, 7, 11, 30, 120, 10_000):
        for confidence in (0.9, 0.95, 0.99):
            expected = float(stats.t.ppf((1 + confidence) / 2, df))
            assert t_critical(confidence, df) == pytest.approx(expected, rel=1e-8)


# Property tests ------------------------------------------------------------------------------


@st.composite
def ratings(draw: st.DrawFn, values: list[float]) -> np.ndarray:
    """Coders x units floats with NaN for missing values, at least one pairable unit."""
    coders = draw(st.integers(2, 6))
    units = draw(st.integers(2, 25))
    cells = draw(
        st.lists(
            st.one_of(st.just(math.nan), st.sampled_from(values)),
            min_size=coders * units,
            max_size=coders * units,
        )
    )
    return np.array(cells, dtype=np.float64).reshape(coders, units)


def irrcac(data: np.ndarray, level: str, categories: list[float]) -> dict[str, float] | None:
    frame = pd.DataFrame(data.T)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            est = CAC(frame, weights=WEIGHTS[level], categories=categories, digits=20).gwet()
    except (ZeroDivisionError, ValueError):
        return None
    out = est["est"]
    values = {
        "value": float(out["coefficient_value"]),
        "pa": float(out["pa"]),
        "pe": float(out["pe"]),
        "se": float(out["se"]),
        "low": float(out["confidence_interval"][0]),
        "high": float(out["confidence_interval"][1]),
    }
    return None if any(math.isnan(v) for v in values.values()) else values


def assert_matches_irrcac(data: np.ndarray, level: str, categories: list[float]) -> None:
    ours = gwet_ac(data, level=level, value_order=categories)
    theirs = irrcac(data, level, categories)
    if theirs is None or ours.value is None:
        assert ours.value is None or ours.n_units < 2 or theirs is None, data.tolist()
        assert theirs is None or ours.value is not None, data.tolist()
        return
    assert ours.value == pytest.approx(theirs["value"], abs=1e-9), data.tolist()
    assert ours.pa == pytest.approx(theirs["pa"], abs=1e-9)
    assert ours.pe == pytest.approx(theirs["pe"], abs=1e-9)
    if ours.se == 0.0:  # irrCAC replaces a zero standard error by 1e-15
        assert theirs["se"] == pytest.approx(0.0, abs=1e-12)
        return
    assert ours.se == pytest.approx(theirs["se"], abs=1e-9)
    assert ours.low == pytest.approx(theirs["low"], abs=1e-8)
    assert ours.high == pytest.approx(theirs["high"], abs=1e-8)


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval"])
@SETTINGS
@given(data=ratings([0.0, 1.0, 2.0, 3.0, 4.0]))
def test_ac_matches_irrcac(level: str, data: np.ndarray) -> None:
    assert_matches_irrcac(data, level, [0.0, 1.0, 2.0, 3.0, 4.0])


@SETTINGS
@given(data=ratings([1.0, 2.0, 3.5, 6.0, 10.0]))
def test_ratio_ac2_matches_irrcac(data: np.ndarray) -> None:
    # irrCAC refuses 0 as a ratio category (it divides by zero); ours defines 0/0 as 0.
    assert_matches_irrcac(data, "ratio", [1.0, 2.0, 3.5, 6.0, 10.0])


@pytest.mark.parametrize("level", ["nominal", "interval", "ratio"])
@SETTINGS
@given(data=ratings([1.0, 2.0, 3.0, 5.0]))
def test_unused_categories_count(level: str, data: np.ndarray) -> None:
    assert_matches_irrcac(data, level, [1.0, 2.0, 3.0, 4.0, 5.0, 9.0])


@SETTINGS
@given(data=ratings([0.0, 1.0, 2.0]))
def test_labels_equal_numbers(data: np.ndarray) -> None:
    if np.isnan(data).all():
        return  # no label at all: the data read as numbers, and value_order as labels fails
    names = ["low", "mid", "high"]
    labels = [[None if math.isnan(v) else names[int(v)] for v in row] for row in data]
    for level in ("nominal", "ordinal", "interval"):
        a = gwet_ac(labels, level=level, value_order=names)
        b = gwet_ac(data, level=level, value_order=[0.0, 1.0, 2.0])
        assert (a.value is None) == (b.value is None)
        if a.value is not None:
            assert a.value == pytest.approx(b.value, abs=1e-12)
