"""Guards for the value coding behind every coefficient: the lookup-table fast path of
``positions`` and ``distinct_values`` must give what a binary search and a sort give, for
integers in a small range (the table), wide or fractional values (the search) and values
outside the domain. The coefficients' correctness is proven against peers elsewhere."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from annotator.agreement.reliability import distinct_values, positions

numbers = st.one_of(
    st.integers(-20, 20).map(float),
    st.integers(-(10**9), 10**9).map(float),
    st.floats(-50, 50, allow_nan=False, allow_infinity=False),
)


def expected(domain: np.ndarray, values: np.ndarray) -> np.ndarray:
    found = {float(v): i for i, v in enumerate(domain)}
    return np.array([found.get(float(v), -1) for v in values], dtype=np.intp)


@given(st.lists(numbers, min_size=1, max_size=12), st.lists(numbers, max_size=60))
def test_positions_match_a_dictionary_lookup(domain: list[float], values: list[float]) -> None:
    sorted_domain = np.unique(np.asarray(domain))
    array = np.asarray(values, dtype=np.float64)
    assert positions(sorted_domain, array).tolist() == expected(sorted_domain, array).tolist()


@given(st.lists(numbers, max_size=60))
def test_distinct_values_match_a_sort(values: list[float]) -> None:
    array = np.asarray(values, dtype=np.float64)
    assert distinct_values(array).tolist() == np.unique(array).tolist()


def test_a_value_between_integers_is_not_found() -> None:
    domain = np.array([1.0, 2.0, 3.0])
    assert positions(domain, np.array([1.5, 3.0, 0.0, 4.0, -7.0])).tolist() == [-1, 2, -1, -1, -1]
