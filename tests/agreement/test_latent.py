"""Dawid-Skene and MACE against crowd-kit's implementations on generated data.

The generated coders each know the answer with their own probability and otherwise label at
random; some labels are missing. crowd-kit reads a (task, worker, label) frame; its MACE
indexes some tables in the order in which workers and labels first appear and others in sorted
order, so the frame is ordered to make the two agree (labels first seen in sorted order,
workers named in the order they first appear).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.agreement import dawid_skene, mace
from annotator.agreement.latent import digamma

_crowdkit = pytest.importorskip(
    "crowdkit.aggregation",
    reason="crowd-kit is not installed: pip install --no-deps crowd-kit==1.4.2",
)
MACE, DawidSkene = _crowdkit.MACE, _crowdkit.DawidSkene

SETTINGS = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def generate(seed: int, coders: int, units: int, q: int, missing: float) -> np.ndarray:
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, q, units)
    skill = rng.uniform(0.3, 0.95, coders)
    data = np.full((coders, units), np.nan)
    for w in range(coders):
        knows = rng.random(units) < skill[w]
        data[w] = np.where(knows, truth, rng.integers(0, q, units))
    data[rng.random((coders, units)) < missing] = np.nan
    return data


def crowd_frame(data: np.ndarray) -> tuple[pd.DataFrame, list[int]]:
    """The responses as crowd-kit's frame, and our coder index of each of its workers."""
    coders, units = np.nonzero(~np.isnan(data))
    rows = [(int(u), int(w), int(data[w, u])) for w, u in zip(coders, units, strict=True)]
    firsts = []
    for label in sorted({r[2] for r in rows}):
        firsts.append(rows.pop(next(i for i, r in enumerate(rows) if r[2] == label)))
    rows = firsts + rows
    order = list(dict.fromkeys(w for _, w, _ in rows))
    name = {w: f"w{i:03d}" for i, w in enumerate(order)}
    frame = pd.DataFrame(
        [(f"t{u:06d}", name[w], label) for u, w, label in rows],
        columns=["task", "worker", "label"],
    )
    return frame, order


def label_agreement(ours: tuple[object, ...], theirs: pd.Series) -> float:
    matched = [ours[int(task[1:])] == label for task, label in theirs.items()]
    return float(np.mean(matched))


generated = st.tuples(
    st.integers(0, 10**6),
    st.integers(3, 8),
    st.integers(30, 150),
    st.integers(2, 5),
    st.sampled_from([0.0, 0.1, 0.3]),
)


@SETTINGS
@given(spec=generated)
def test_dawid_skene_matches_crowd_kit(spec: tuple[int, int, int, int, float]) -> None:
    data = generate(*spec)
    frame, order = crowd_frame(data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        peer = DawidSkene(n_iter=100).fit(frame)
    ours = dawid_skene(data)
    assert label_agreement(ours.labels, peer.labels_) >= 0.99
    assert peer.priors_ is not None and peer.errors_ is not None
    for i, w in enumerate(order):
        errors = peer.errors_.loc[f"w{i:03d}"]
        theirs = sum(
            peer.priors_[c] * errors.loc[c, c] for c in peer.priors_.index if c in errors.index
        )
        assert ours.competence[w] == pytest.approx(theirs, abs=0.01)
        for given_label in errors.index:
            for true_label in errors.columns:
                row = ours.categories.index(true_label)
                col = ours.categories.index(given_label)
                assert ours.confusion[w][row][col] == pytest.approx(
                    errors.loc[given_label, true_label], abs=0.01
                )


@SETTINGS
@given(spec=generated)
def test_mace_matches_crowd_kit(spec: tuple[int, int, int, int, float]) -> None:
    data = generate(*spec)
    frame, order = crowd_frame(data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        peer = MACE(random_state=0).fit(frame)
    # crowd-kit seeds every restart with the same state, so its ten restarts are one run.
    ours = mace(data, n_restarts=1)
    assert label_agreement(ours.labels, peer.labels_) >= 0.99
    for i, w in enumerate(order):
        assert ours.competence[w] == pytest.approx(peer.spamming_[i, 1], abs=0.01)


@SETTINGS
@given(spec=generated)
def test_more_restarts_never_lower_the_likelihood(spec: tuple[int, int, int, int, float]) -> None:
    data = generate(*spec)
    one, ten = mace(data, n_restarts=1), mace(data, n_restarts=10)
    assert one.log_likelihood is not None and ten.log_likelihood is not None
    assert ten.log_likelihood >= one.log_likelihood


def test_seeded_and_deterministic() -> None:
    data = generate(7, 5, 120, 3, 0.2)
    a, b = mace(data, seed=3), mace(data, seed=3)
    assert a.labels == b.labels and a.competence == b.competence
    assert dawid_skene(data).competence == dawid_skene(data).competence


def test_labels_and_names() -> None:
    data = [["x", "x", "y", None], ["x", "y", "y", None], ["x", "x", "y", None]]
    ds = dawid_skene(data, coders=["ann", "bob", "cy"])
    assert ds.labels == ("x", "x", "y", None)
    assert set(ds.competence) == {"ann", "bob", "cy"}
    assert ds.competence["bob"] < ds.competence["ann"]
    m = mace(data, coders=["ann", "bob", "cy"])
    assert m.labels == ("x", "x", "y", None)
    assert m.competence["bob"] < m.competence["ann"]
    assert sum(m.strategy["ann"].values()) == pytest.approx(1.0, abs=0.2)


def test_nothing_labelled() -> None:
    assert dawid_skene([[None, None], [None, None]]).reason == "nobody gave a label"
    assert mace([[None, None], [None, None]]).labels == (None, None)


def test_bad_input() -> None:
    with pytest.raises(ValueError, match="coders"):
        dawid_skene([["a"], ["b"]], coders=["only-one"])
    with pytest.raises(ValueError, match="method"):
        mace([["a"], ["b"]], method="gibbs")


def test_digamma_matches_scipy() -> None:
    from scipy.special import digamma as scipy_digamma

    x = np.array([1e-3, 0.1, 0.5, 1.0, 2.5, 5.9, 6.0, 10.0, 123.4, 1e6])
    assert np.allclose(digamma(x), scipy_digamma(x), rtol=1e-12, atol=1e-12)
