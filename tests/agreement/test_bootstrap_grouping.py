"""The bootstrap scores units with equal value counts together: the same alphas, bit for bit."""

from __future__ import annotations

from unittest.mock import patch

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from annotator.agreement import bootstrap as bootstrap_module
from annotator.agreement.bootstrap import resampled_alphas
from annotator.agreement.results import Level


@st.composite
def reliability_data(draw: st.DrawFn) -> np.ndarray:
    coders = draw(st.integers(2, 5))
    units = draw(st.integers(1, 60))
    values = draw(st.lists(st.sampled_from([1.0, 2.0, 3.0, 4.0]), min_size=2, max_size=4))
    cells = draw(
        st.lists(
            st.sampled_from([*values, np.nan]),
            min_size=coders * units,
            max_size=coders * units,
        )
    )
    data = np.array(cells, dtype=np.float64).reshape(coders, units)
    return data[:, (~np.isnan(data)).sum(axis=0) >= 2]


@settings(max_examples=150, deadline=None)
@given(
    data=reliability_data(),
    level=st.sampled_from(["nominal", "ordinal", "interval", "ratio"]),
    seed=st.integers(0, 2**32 - 1),
)
def test_grouped_units_give_the_same_alphas_as_one_row_per_unit(
    data: np.ndarray, level: Level, seed: int
) -> None:
    assume(len(np.unique(data[~np.isnan(data)])) >= 2)  # alpha is defined on the data
    grouped = resampled_alphas(data, level, 20, seed)
    with patch.object(bootstrap_module, "_GROUP_UNITS", False):
        per_unit = resampled_alphas(data, level, 20, seed)
    assert grouped == per_unit
