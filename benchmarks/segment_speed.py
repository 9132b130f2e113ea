"""Sentence segmentation speed: ``split_sentences`` against a one-line regex split.

The peer is the cheapest segmenter anyone would write, ``re.split(r'(?<=[.!?])\\s+', text)``,
which knows no abbreviations, quotes, paragraphs or offsets. Both run over the same corpus of
~3 KB articles (about 60 MB by default), built from the NewsSD-ENG sentences in
``tests/data/newssd-eng`` and the articles in ``examples/``. pysbd, a rule-based segmenter, is
timed on a small slice of the corpus when it is installed, for scale.

Usage: ``python benchmarks/segment_speed.py [MEGABYTES]``
"""

from __future__ import annotations

import csv
import random
import re
import sys
import time
from collections.abc import Callable, Sized
from pathlib import Path

from annotator.core.segment import split_sentences
from annotator.core.text import canonicalize

ROOT = Path(__file__).resolve().parents[1]
NEWSSD = ROOT / "tests" / "data" / "newssd-eng"
BASELINE = re.compile(r"(?<=[.!?])\s+")


def sentences() -> list[str]:
    found: list[str] = []
    for name in ("test.csv", "val.csv"):
        path = NEWSSD / name
        if not path.is_file():
            sys.exit(f"missing {path}: the benchmark needs tests/data/newssd-eng")
        with path.open(encoding="utf-8", newline="") as handle:
            found.extend(" ".join(row["Sentence"].split()) for row in csv.DictReader(handle))
    for article in sorted((ROOT / "examples").glob("*.txt")):
        body = canonicalize(article.read_text(encoding="utf-8")).split("\n\n", 1)[-1]
        found.extend(body[s:e] for s, e in split_sentences(body))
    return [s for s in found if s]


def corpus(megabytes: float, seed: int = 7) -> list[str]:
    """Articles of about 3 KB: paragraphs of 2 to 5 sentences separated by blank lines."""
    pool = sentences()
    rng = random.Random(seed)
    target = int(megabytes * 1_000_000)
    articles: list[str] = []
    total = 0
    while total < target:
        paragraphs: list[str] = []
        size = 0
        while size < 3000:
            paragraph = " ".join(rng.choice(pool) for _ in range(rng.randint(2, 5)))
            paragraphs.append(paragraph)
            size += len(paragraph) + 2
        article = "\n\n".join(paragraphs)
        articles.append(article)
        total += len(article.encode("utf-8"))
    return articles


def timed(run: Callable[[str], Sized], articles: list[str]) -> tuple[float, int]:
    count = 0
    start = time.perf_counter()
    for article in articles:
        found = run(article)
        count += len(found)
    return time.perf_counter() - start, count


def main() -> None:
    megabytes = float(sys.argv[1]) if len(sys.argv) > 1 else 60.0
    articles = corpus(megabytes)
    size = sum(len(a.encode("utf-8")) for a in articles) / 1e6
    print(f"corpus: {len(articles)} articles, {size:.1f} MB")

    ours_s, ours_n = timed(split_sentences, articles)
    peer_s, peer_n = timed(BASELINE.split, articles)
    canon_s, _ = timed(canonicalize, articles)
    print(f"split_sentences : {ours_s:7.2f} s  {size / ours_s:7.1f} MB/s  {ours_n} sentences")
    print(f"re.split        : {peer_s:7.2f} s  {size / peer_s:7.1f} MB/s  {peer_n} sentences")
    print(f"canonicalize    : {canon_s:7.2f} s  {size / canon_s:7.1f} MB/s")
    print(f"ratio: split_sentences runs at {peer_s / ours_s:.0%} of re.split's speed")

    try:
        import pysbd  # type: ignore[import-untyped,import-not-found,unused-ignore]
    except ImportError:
        print("pysbd: not installed, skipped")
        return
    sample = articles[: max(1, len(articles) // 200)]
    sample_mb = sum(len(a.encode("utf-8")) for a in sample) / 1e6
    segmenter = pysbd.Segmenter(language="en", clean=False, char_span=True)
    sbd_s, _ = timed(segmenter.segment, sample)
    base_s, _ = timed(BASELINE.split, sample)
    print(
        f"pysbd (on {sample_mb:.2f} MB): {sample_mb / sbd_s:.3f} MB/s,"
        f" {base_s / sbd_s:.2%} of re.split's speed"
    )


if __name__ == "__main__":
    main()
