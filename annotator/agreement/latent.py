"""Annotator reliability from the labels alone: Dawid-Skene and MACE.

Both models treat each unit's true label as hidden and estimate, by expectation-maximization,
how each coder relates to it; an adjudicator can then sort coders by competence and read each
unit's most probable label. Data are coders x units, nominal (``None`` or NaN = missing).

**Dawid & Skene (1979)**, "Maximum likelihood estimation of observer error-rates using the EM
algorithm", *Applied Statistics* 28(1), 20-28. Each coder w has a confusion matrix
e_w[c, l] = P(w says l | true label c); the classes have priors p_c. Starting from the majority
vote's label shares, the E-step sets P(z_i = c) proportional to p_c prod_w e_w[c, l_wi] (in
log2, shifted by the row maximum), the M-step sets e_w[c, l] from the expected counts (each
clipped below at 1e-10) and p_c to the mean posterior. Iteration stops after ``n_iter`` steps or
when the evidence lower bound per response rises by less than ``tol``. A coder's competence is
sum_c p_c e_w[c, c], the probability that they give the true label.

**MACE, Hovy, Berg-Kirkpatrick, Vaswani & Hovy (2013)**, "Learning whom to trust with MACE",
*NAACL-HLT*, 1120-1130. Coder w knows the answer with probability theta_w and otherwise spams,
drawing a label from their own strategy xi_w; the true label is uniform. Variational Bayes
(the default, ``method="vb"``) puts Beta(``alpha``, ``beta``) priors on theta_w and symmetric
Dirichlet(10) priors on xi_w; ``method="em"`` smooths the expected counts by 0.01 / q instead.
Each of ``n_restarts`` runs starts from parameters drawn from U(1, 1 + ``noise``) (numpy's
RandomState seeded with ``seed`` + run), iterates ``n_iter`` times, and the run with the highest
marginal likelihood is kept. A coder's competence is theta_w, the probability of not spamming.

Both follow the update order, initialization and stopping rule of crowd-kit's
``DawidSkene`` and ``MACE`` (Ustalov et al. 2021), against which the tests check them. One
difference: crowd-kit seeds every MACE restart with the same state, so its restarts repeat one
run; here run k starts from ``seed + k``, so ``n_restarts=1`` reproduces crowd-kit and more
restarts can only raise the likelihood of the run kept.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from annotator.agreement.reliability import read_reliability_data
from annotator.agreement.results import DawidSkeneResult, MaceResult

FloatArray = npt.NDArray[np.float64]
IntVector = npt.NDArray[np.intp]

_EPS = 1e-10


@dataclass(frozen=True, slots=True)
class _Responses:
    """Every given label as parallel arrays: which unit, which coder, which category."""

    unit: IntVector
    coder: IntVector
    label: IntVector
    n_units: int
    n_coders: int
    categories: tuple[Hashable, ...]
    coders: tuple[Hashable, ...]


def _responses(data: Any, coders: Sequence[Hashable] | None) -> _Responses:
    matrix = read_reliability_data(data, "nominal")
    x = matrix.values
    n_coders, n_units = int(x.shape[0]), int(x.shape[1])
    names = tuple(range(n_coders)) if coders is None else tuple(coders)
    if len(names) != n_coders:
        raise ValueError(f"coders names {len(names)} coders for data with {n_coders} rows")
    if len(set(names)) != len(names):
        raise ValueError("coders lists a coder more than once")
    present = ~np.isnan(x)
    coder, unit = np.nonzero(present)
    values = x[coder, unit]
    domain = np.unique(values)
    label = np.searchsorted(domain, values).astype(np.intp)
    if matrix.labels is not None:
        categories: tuple[Hashable, ...] = tuple(matrix.labels[int(v)] for v in domain)
    else:
        categories = tuple(int(v) if float(v).is_integer() else float(v) for v in domain)
    return _Responses(
        unit.astype(np.intp), coder.astype(np.intp), label, n_units, n_coders, categories, names
    )


def _per_unit_sum(r: _Responses, values: FloatArray) -> FloatArray:
    """sum over each unit's responses of ``values`` (responses x q) -> units x q."""
    columns = [
        np.bincount(r.unit, weights=values[:, c], minlength=r.n_units)
        for c in range(values.shape[1])
    ]
    return np.stack(columns, axis=1) if columns else np.zeros((r.n_units, 0))


def _labels(
    r: _Responses, probabilities: FloatArray, rated: npt.NDArray[np.bool_]
) -> tuple[Hashable | None, ...]:
    best = np.argmax(probabilities, axis=1)
    return tuple(r.categories[int(b)] if ok else None for b, ok in zip(best, rated, strict=True))


# --- Dawid-Skene ----------------------------------------------------------------------------


def dawid_skene(
    data: Any,
    coders: Sequence[Hashable] | None = None,
    n_iter: int = 100,
    tol: float = 1e-5,
) -> DawidSkeneResult:
    """Dawid-Skene estimates for ``data``, coders x units nominal labels.

    Returns each unit's most probable label (``None`` for units nobody labelled), the
    posterior ``probabilities``, each coder's ``confusion`` matrix (rows = true category,
    columns = given category) and ``competence``. Deterministic: no random start.

    >>> r = dawid_skene([["a", "a", "b", "b"], ["a", "a", "b", "b"], ["a", "b", "b", "a"]])
    >>> r.labels, {c: round(v, 2) for c, v in r.competence.items()}
    (('a', 'a', 'b', 'b'), {0: 1.0, 1: 1.0, 2: 0.5})
    """
    if n_iter < 1:
        raise ValueError(f"n_iter must be a positive number of iterations; got {n_iter}")
    r = _responses(data, coders)
    q = len(r.categories)
    rated = np.bincount(r.unit, minlength=r.n_units) > 0
    if q == 0:
        return DawidSkeneResult(
            (None,) * r.n_units,
            np.zeros((r.n_units, 0)),
            r.categories,
            r.coders,
            {},
            {},
            (),
            0,
            "nobody gave a label",
        )
    one_hot = np.zeros((len(r.unit), q))
    one_hot[np.arange(len(r.unit)), r.label] = 1.0
    counts = _per_unit_sum(r, one_hot)
    totals = counts.sum(axis=1, keepdims=True)
    probas = np.divide(counts, totals, out=np.zeros_like(counts), where=totals > 0)
    used = np.zeros((r.n_coders, q), dtype=bool)
    used[r.coder, r.label] = True
    priors = probas[rated].mean(axis=0)
    errors = _ds_m_step(r, probas, used)
    loss = -math.inf
    iterations = 0
    for _ in range(n_iter):
        iterations += 1
        probas = _ds_e_step(r, priors, errors, rated)
        priors = probas[rated].mean(axis=0)
        errors = _ds_m_step(r, probas, used)
        new_loss = _ds_elbo(r, probas, priors, errors, rated) / len(r.unit)
        if new_loss - loss < tol:
            break
        loss = new_loss
    probas = np.where(rated[:, None], np.maximum(probas, _EPS), 0.0)
    confusion = {
        name: tuple(tuple(float(v) for v in row) for row in errors[w].T)
        for w, name in enumerate(r.coders)
    }
    diagonal = np.einsum("wcc->wc", errors.transpose(0, 2, 1))
    competence = {name: float(diagonal[w] @ priors) for w, name in enumerate(r.coders)}
    return DawidSkeneResult(
        labels=_labels(r, probas, rated),
        probabilities=probas,
        categories=r.categories,
        coders=r.coders,
        competence=competence,
        confusion=confusion,
        priors=tuple(float(p) for p in priors),
        iterations=iterations,
    )


def _ds_m_step(r: _Responses, probas: FloatArray, used: npt.NDArray[np.bool_]) -> FloatArray:
    """errors[w, l, c] = P(coder w gives l | true c), from the expected counts."""
    q = probas.shape[1]
    key = r.coder * q + r.label
    given = probas[r.unit]
    errors = np.stack(
        [np.bincount(key, weights=given[:, c], minlength=r.n_coders * q) for c in range(q)], axis=1
    ).reshape(r.n_coders, q, q)
    errors = np.where(used[:, :, None], np.maximum(errors, _EPS), 0.0)
    column = errors.sum(axis=1, keepdims=True)
    out: FloatArray = np.divide(errors, column, out=np.zeros_like(errors), where=column > 0)
    return out


def _ds_e_step(
    r: _Responses, priors: FloatArray, errors: FloatArray, rated: npt.NDArray[np.bool_]
) -> FloatArray:
    with np.errstate(divide="ignore"):
        log_errors = np.log2(errors[r.coder, r.label])
    log_lik = np.log2(np.maximum(priors, _EPS)) + _per_unit_sum(r, log_errors)
    top = np.max(log_lik, axis=1, keepdims=True)
    scaled = np.exp2(log_lik - np.where(rated[:, None], top, 0.0))
    return np.where(rated[:, None], scaled / scaled.sum(axis=1, keepdims=True), 0.0)


def _ds_elbo(
    r: _Responses,
    probas: FloatArray,
    priors: FloatArray,
    errors: FloatArray,
    rated: npt.NDArray[np.bool_],
) -> float:
    """The evidence lower bound as crowd-kit computes it (the prior counted per response)."""
    with np.errstate(divide="ignore"):
        joint = np.log(errors[r.coder, r.label]) + np.log(np.maximum(priors, _EPS))
    p = probas[r.unit]
    expectation = float(np.sum(np.where(p > 0, p * joint, 0.0)))
    clipped = np.maximum(probas[rated], _EPS)
    entropy = -float(np.sum(clipped * np.log(clipped)))
    return expectation + entropy


# --- MACE -----------------------------------------------------------------------------------


def mace(
    data: Any,
    coders: Sequence[Hashable] | None = None,
    n_restarts: int = 10,
    n_iter: int = 50,
    method: str = "vb",
    alpha: float = 0.5,
    beta: float = 0.5,
    noise: float = 0.5,
    seed: int = 0,
) -> MaceResult:
    """MACE estimates for ``data``, coders x units nominal labels.

    Returns each unit's most probable label (``None`` for units nobody labelled), the
    posterior ``probabilities``, each coder's ``competence`` (probability of not spamming) and
    ``strategy`` (the label distribution they spam with). Seeded: the same data and ``seed``
    give the same result.

    >>> r = mace([["a", "a", "b", "b"], ["a", "a", "b", "b"], ["a", "b", "b", "a"]])
    >>> r.labels, r.competence[0] > r.competence[2]
    (('a', 'a', 'b', 'b'), True)
    """
    if method not in ("vb", "em"):
        raise ValueError(f"method must be 'vb' or 'em'; got {method!r}")
    if n_restarts < 1 or n_iter < 1:
        raise ValueError("n_restarts and n_iter must be positive")
    r = _responses(data, coders)
    q = len(r.categories)
    rated = np.bincount(r.unit, minlength=r.n_units) > 0
    if q == 0:
        return MaceResult(
            (None,) * r.n_units,
            np.zeros((r.n_units, 0)),
            r.categories,
            r.coders,
            {},
            {},
            None,
            "nobody gave a label",
        )
    best: tuple[float, FloatArray, FloatArray] | None = None
    for run in range(n_restarts):
        # As crowd-kit: both drawn from a fresh generator, U(1, 1 + noise) as scipy's uniform.
        spam = 1.0 + (1.0 + noise) * np.random.RandomState(seed + run).random_sample(
            (r.n_coders, 2)
        )
        theta = 1.0 + (1.0 + noise) * np.random.RandomState(seed + run).random_sample(
            (r.n_coders, q)
        )
        spam /= spam.sum(axis=1, keepdims=True)
        theta /= theta.sum(axis=1, keepdims=True)
        loglik, _, strategy_counts, knowing = _mace_e_step(r, spam, theta, q)
        for _ in range(n_iter):
            if method == "vb":
                spam = _variational_normalize(knowing, np.array([alpha, beta]))
                theta = _variational_normalize(strategy_counts, np.full(q, 10.0))
            else:
                smoothing = 0.01 / q
                spam = _normalize(knowing, smoothing)
                theta = _normalize(strategy_counts, smoothing)
            loglik, _, strategy_counts, knowing = _mace_e_step(r, spam, theta, q)
        if best is None or loglik > best[0]:
            best = (loglik, spam.copy(), theta.copy())
    assert best is not None
    loglik, spam, theta = best
    _, gold, _, _ = _mace_e_step(r, spam, theta, q)
    totals = gold.sum(axis=1, keepdims=True)
    probas = np.divide(gold, totals, out=np.zeros_like(gold), where=totals > 0)
    return MaceResult(
        labels=_labels(r, probas, rated),
        probabilities=probas,
        categories=r.categories,
        coders=r.coders,
        competence={name: float(spam[w, 1]) for w, name in enumerate(r.coders)},
        strategy={
            name: {c: float(theta[w, k]) for k, c in enumerate(r.categories)}
            for w, name in enumerate(r.coders)
        },
        log_likelihood=float(loglik),
    )


def _uniform(seed: int, shape: tuple[int, int]) -> FloatArray:
    """U(0, 1) draws from numpy's legacy generator, as scipy's ``uniform.rvs`` makes them."""
    draws: FloatArray = np.random.RandomState(seed).random_sample(shape)
    return draws


def _mace_e_step(
    r: _Responses, spam: FloatArray, theta: FloatArray, q: int
) -> tuple[float, FloatArray, FloatArray, FloatArray]:
    """Log marginal likelihood, gold-label marginals (units x q), expected strategy counts
    (coders x q) and expected spam/know counts (coders x 2)."""
    guess = spam[r.coder, 0] * theta[r.coder, r.label]  # P(spam) * P(this label | spam)
    know = spam[r.coder, 1]
    factor = guess[:, None] + know[:, None] * (r.label[:, None] == np.arange(q)[None, :])
    gold = np.ones((r.n_units, q))
    np.multiply.at(gold, r.unit, factor)
    rated = np.bincount(r.unit, minlength=r.n_units) > 0
    gold = np.where(rated[:, None], gold / q, 0.0)
    instance = gold.sum(axis=1)
    loglik = float(np.sum(np.log(instance[rated] + 1e-8)))
    strategy = (gold[r.unit] / factor).sum(axis=1) * guess / instance[r.unit]
    strategy_counts = np.zeros((r.n_coders, q))
    np.add.at(strategy_counts, (r.coder, r.label), strategy)
    knowing = np.zeros((r.n_coders, 2))
    np.add.at(knowing[:, 0], r.coder, strategy)
    knows = gold[r.unit, r.label] * know / (guess + know) / instance[r.unit]
    np.add.at(knowing[:, 1], r.coder, knows)
    return loglik, gold, strategy_counts, knowing


def _normalize(x: FloatArray, smoothing: float) -> FloatArray:
    smoothed = x + smoothing
    norm = smoothed.sum(axis=1, keepdims=True)
    out: FloatArray = np.divide(smoothed, norm, out=np.zeros_like(x), where=~np.isclose(norm, 0.0))
    return out


def _variational_normalize(x: FloatArray, prior: FloatArray) -> FloatArray:
    shifted = x + prior
    norm = np.exp(digamma(shifted.sum(axis=1, keepdims=True)))
    return np.divide(
        np.exp(digamma(shifted)), norm, out=np.zeros_like(x), where=~np.isclose(norm, 0.0)
    )


def digamma(x: FloatArray) -> FloatArray:
    """The digamma function for positive ``x``: the recurrence psi(x) = psi(x + 1) - 1/x up to
    x >= 10, then the asymptotic series (Abramowitz & Stegun 6.3.18), accurate to ~1e-13."""
    x = np.asarray(x, dtype=np.float64)
    result = np.zeros_like(x)
    y = x.copy()
    while True:
        small = y < 10.0
        if not bool(small.any()):
            break
        result = result - np.where(small, 1.0 / np.where(small, y, 1.0), 0.0)
        y = np.where(small, y + 1.0, y)
    inv = 1.0 / y
    inv2 = inv * inv
    series = inv2 * (
        1.0 / 12 - inv2 * (1.0 / 120 - inv2 * (1.0 / 252 - inv2 * (1.0 / 240 - inv2 * (1.0 / 132))))
    )
    out: FloatArray = result + np.log(y) - 0.5 * inv - series
    return out
