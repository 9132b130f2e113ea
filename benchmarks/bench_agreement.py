"""Krippendorff's alpha and alpha_U: our time and peak memory against the krippendorff package
and NLTK, side by side in one run.

Data: 5 coders x N units (N = 100,000 and 1,000,000 by default), 10 categories, 10% of the
values missing, seed 0; nominal and interval alpha. Times are the best of ``--repeat`` runs
(NLTK, much slower, runs once); peak memory is measured in a separate run under ``tracemalloc``,
which traces numpy's allocations too. NLTK gets its (coder, item, label) triples prepared
outside the timed region; building its AnnotationTask from them is timed, since alpha cannot be
had without it. Then alpha_U on 3 coders x 10,000 and 100,000 spans.

Then Gwet's AC1 and AC2 on 5 coders x 1,000,000 units against irrCAC, and gamma on a 3-coder
article with 50 spans each against pygamma-agreement (shuffled continua, precision 0.02).

Targets: time ratio ours / krippendorff <= 0.5 at every size; >= 50x faster than NLTK; memory
O(units x categories) (krippendorff builds units x categories x categories arrays); AC1/AC2
equal to irrCAC's to 1e-9 in O(units x categories) memory; gamma >= 10x faster than
pygamma-agreement.

Run: python benchmarks/bench_agreement.py [--sizes 100000,1000000] [--repeat 3] [--no-nltk]
"""

from __future__ import annotations

import argparse
import gc
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import krippendorff
import numpy as np
from nltk.metrics.agreement import AnnotationTask
from nltk.metrics.distance import binary_distance, interval_distance

from annotator.agreement import gamma_agreement, gwet_ac, krippendorff_alpha, unitizing_alpha

CODERS = 5
CATEGORIES = 10
MISSING = 0.10
MB = 1024.0 * 1024.0


def make_data(units: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    data = rng.integers(0, CATEGORIES, size=(CODERS, units)).astype(np.float64)
    data[rng.random((CODERS, units)) < MISSING] = np.nan
    return data


def best_time(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    best, value = float("inf"), None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - start)
    return best, value


def peak_memory(fn: Callable[[], Any]) -> float:
    """Peak bytes allocated while ``fn`` runs (tracemalloc, numpy included), in MiB."""
    gc.collect()
    tracemalloc.start()
    tracemalloc.reset_peak()
    try:
        fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / MB


def nltk_triples(data: np.ndarray) -> list[tuple[int, int, int]]:
    coders, units = np.nonzero(~np.isnan(data))
    values = data[coders, units].astype(int)
    return list(zip(coders.tolist(), units.tolist(), values.tolist(), strict=True))


def measure_numpy(
    data: np.ndarray, level: str, repeat: int
) -> tuple[float, float | None, float, float, float, float]:
    """Time and peak memory of our alpha and the krippendorff package's on ``data``."""
    krippendorff_alpha(data, level=level)  # warm-up

    def ours() -> float | None:
        return krippendorff_alpha(data, level=level).value

    def peer() -> float:
        return float(krippendorff.alpha(reliability_data=data, level_of_measurement=level))

    t_ours, v_ours = best_time(ours, repeat)
    t_peer, v_peer = best_time(peer, repeat)
    return t_ours, v_ours, peak_memory(ours), t_peer, v_peer, peak_memory(peer)


def measure_nltk(
    triples: list[tuple[int, int, int]], level: str, with_memory: bool
) -> tuple[float, float, float]:
    """Time (one run) and peak memory of NLTK's alpha, its AnnotationTask built from triples."""
    distance = binary_distance if level == "nominal" else interval_distance

    def nltk() -> float:
        return float(AnnotationTask(data=triples, distance=distance).alpha())

    t_nltk, v_nltk = best_time(nltk, 1)
    return t_nltk, v_nltk, peak_memory(nltk) if with_memory else float("nan")


def bench_alpha(sizes: list[int], repeat: int, with_nltk: bool, nltk_memory: bool) -> bool:
    print("Krippendorff's alpha: 5 coders, 10 categories, 10% missing")
    print("memory = peak traced by tracemalloc (numpy allocations included) during the call")
    header = (
        f"{'units':>9} {'level':>8} | {'ours s':>8} {'kripp s':>8} {'nltk s':>8} | "
        f"{'ours/kripp':>10} {'nltk/ours':>9} | {'ours MB':>8} {'kripp MB':>9} {'nltk MB':>8}"
    )
    print(header)
    print("-" * len(header))
    ok = True
    for units in sizes:
        data = make_data(units)
        triples = nltk_triples(data) if with_nltk else []
        for level in ("nominal", "interval"):
            t_ours, v_ours, m_ours, t_peer, v_peer, m_peer = measure_numpy(data, level, repeat)
            if with_nltk:
                t_nltk, v_nltk, m_nltk = measure_nltk(triples, level, nltk_memory)
            else:
                t_nltk, v_nltk, m_nltk = float("nan"), v_ours, float("nan")
            assert v_ours is not None
            if abs(v_ours - v_peer) > 1e-9 or abs(v_ours - v_nltk) > 1e-9:
                print(f"  values differ: ours {v_ours!r} krippendorff {v_peer!r} nltk {v_nltk!r}")
                ok = False
            ratio = t_ours / t_peer
            speedup = t_nltk / t_ours
            ok &= ratio <= 0.5 and (not with_nltk or speedup >= 50)
            print(
                f"{units:>9,} {level:>8} | {t_ours:8.3f} {t_peer:8.3f} {t_nltk:8.2f} | "
                f"{ratio:10.3f} {speedup:8.0f}x | {m_ours:8.1f} {m_peer:9.1f} {m_nltk:8.1f}"
            )
    print("alpha values agree with krippendorff and nltk to 1e-9" if ok else "")
    return ok


def make_spans(per_coder: int, seed: int = 0) -> tuple[list[tuple[int, int, int, str]], int]:
    """3 coders marking ``per_coder`` spans (1-20 characters, 3 labels) on a shared text."""
    rng = np.random.default_rng(seed)
    length = per_coder * 30
    anchors = np.sort(rng.choice(length - 40, size=per_coder, replace=False))
    units = []
    for coder in range(3):
        shift = rng.integers(-3, 4, size=per_coder)
        starts = np.clip(anchors + shift, 0, length - 21)
        ends = starts + rng.integers(1, 21, size=per_coder)
        labels = rng.choice(["labeling", "emotive", "epistemic"], size=per_coder)
        keep = rng.random(per_coder) < 0.9
        units += [
            (coder, int(s), int(e), str(lab))
            for s, e, lab, k in zip(starts, ends, labels, keep, strict=True)
            if k
        ]
    return units, length


def bench_unitizing(sizes: list[int], repeat: int) -> bool:
    print()
    print("alpha_U: 3 coders, spans of 1-20 characters, 3 labels")
    print(f"{'spans/coder':>11} | {'seconds':>8} {'alpha_U':>8} {'peak MB':>8}")
    times = []
    for per_coder in sizes:
        units, length = make_spans(per_coder)
        t, result = best_time(lambda u=units, n=length: unitizing_alpha(u, 0, n), repeat)
        mem = peak_memory(lambda u=units, n=length: unitizing_alpha(u, 0, n))
        times.append(t)
        print(f"{per_coder:>11,} | {t:8.3f} {result.value:8.4f} {mem:8.1f}")
    growth = times[-1] / times[0]
    scale = sizes[-1] / sizes[0]
    print(f"time grows {growth:.1f}x for {scale:.0f}x the spans (linear would be {scale:.0f}x)")
    return times[-1] < 10.0


def bench_gwet(units: int, repeat: int) -> bool:
    """AC1 and AC2 on 5 coders x ``units`` against irrCAC (its CAC on a pandas frame)."""
    import pandas as pd
    from irrCAC.raw import CAC

    print()
    print(f"Gwet's AC1/AC2: 5 coders x {units:,} units, 10 categories, 10% missing")
    data = make_data(units)
    categories = [float(c) for c in range(CATEGORIES)]
    frame = pd.DataFrame(data.T)
    ok = True
    print(f"{'level':>8} | {'ours s':>8} {'irrCAC s':>9} | {'irrCAC/ours':>11} | {'ours MB':>8}")
    for level, weights in (("nominal", "identity"), ("interval", "quadratic")):
        t_ours, r = best_time(lambda lv=level: gwet_ac(data, lv, categories), repeat)
        t_peer, peer = best_time(
            lambda w=weights: CAC(frame, weights=w, categories=categories, digits=20).gwet(), 1
        )
        mem = peak_memory(lambda lv=level: gwet_ac(data, lv, categories))
        same = abs(r.value - float(peer["est"]["coefficient_value"])) <= 1e-9
        ok &= same
        print(f"{level:>8} | {t_ours:8.3f} {t_peer:9.3f} | {t_peer / t_ours:10.1f}x | {mem:8.1f}")
    print("AC values agree with irrCAC to 1e-9" if ok else "AC VALUES DIFFER")
    return ok


def bench_gamma(repeat: int) -> bool:
    """gamma on a 3-coder article with 50 spans each against pygamma-agreement, target >= 10x."""
    import logging

    from pyannote.core import Segment
    from pygamma_agreement import (
        CombinedCategoricalDissimilarity,
        Continuum,
        ShuffleContinuumSampler,
    )

    logging.getLogger().setLevel(logging.ERROR)
    print()
    print("gamma: 3 coders x 50 spans, 3 labels, shuffled continua, precision 0.02")
    units, _ = make_spans(50)
    units = [(str(c), s, e, lab) for c, s, e, lab in units]
    cont = Continuum()
    for c, s, e, lab in units:
        cont.add(c, Segment(s, e), lab)
    gamma_agreement(units, precision=0.02)  # warm-up (scipy import)
    t_ours, ours = best_time(lambda: gamma_agreement(units, precision=0.02), repeat)

    def peer() -> Any:
        np.random.seed(0)
        return cont.compute_gamma(
            CombinedCategoricalDissimilarity(),
            sampler=ShuffleContinuumSampler(),
            precision_level=0.02,
        )

    peer()  # warm-up (numba compiles)
    t_peer, theirs = best_time(peer, 1)
    low, high = (float(v) for v in theirs.approx_gamma_range)
    ratio = t_peer / t_ours
    print(f"{'ours s':>8} {'pygamma s':>9} | {'speed-up':>8} | {'ours':>7} {'pygamma':>8} range")
    print(
        f"{t_ours:8.3f} {t_peer:9.3f} | {ratio:7.1f}x | {ours.value:7.4f} "
        f"{float(theirs.gamma):8.4f} [{low:.4f}, {high:.4f}]"
    )
    return ratio >= 10


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000", help="units, comma-separated")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-nltk", action="store_true", help="skip NLTK (slow)")
    parser.add_argument("--no-nltk-memory", action="store_true", help="time NLTK only")
    parser.add_argument("--gwet-units", type=int, default=1_000_000, help="units for AC1/AC2")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    ok = bench_alpha(sizes, args.repeat, not args.no_nltk, not args.no_nltk_memory)
    ok &= bench_unitizing([10_000, 100_000], args.repeat)
    ok &= bench_gwet(args.gwet_units, args.repeat)
    ok &= bench_gamma(args.repeat)
    print()
    print("targets met" if ok else "TARGETS MISSED")


if __name__ == "__main__":
    main()
