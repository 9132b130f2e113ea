"""Statement suggestions scored on NewsSD-ENG, and their speed on generated articles.

Quality. NewsSD-ENG (Antici et al., LREC-COLING 2024; ``tests/data/newssd-eng``, CC BY 4.0)
labels English news sentences ``OBJ`` (objective, which includes opinions explicitly
attributed to someone) or ``SUBJ`` (the writer's own opinion or evaluation). Each sentence is
given to the suggester as a one-sentence document, and its statement label is mapped onto the
two classes: attributed, vague and reporting are ``OBJ``; editorial and mixed are ``SUBJ``.
Precision, recall and F1 per class are printed beside a majority-class baseline, which labels
every sentence with the class most frequent in the validation split. The rules and lexicons
were written looking at the validation split only; the test split is held out.

Speed. ``--n`` articles of about 3 KB (default 10,000) are built from the NewsSD sentences and
the sample articles in ``examples/`` (quotations, reporting verbs and all) and run through
``Suggester.suggest`` on one core, beside ``split_sentences`` over the same articles, which
every suggestion run also does; the ratio says what the rules cost on top of segmenting.
The target is at least 200 articles/s.

Usage: ``python benchmarks/eval_suggest.py [--n N] [--skip-speed]``
"""

from __future__ import annotations

import argparse
import csv
import random
import time
from collections import Counter
from pathlib import Path

from annotator.core.scheme_loader import load_scheme
from annotator.core.segment import split_sentences
from annotator.core.text import canonicalize
from annotator.suggest import Suggester

ROOT = Path(__file__).resolve().parents[1]
NEWSSD = ROOT / "tests" / "data" / "newssd-eng"
SCHEME = ROOT / "schemas" / "source-bias.yaml"
TO_CLASS = {
    "attributed": "OBJ",
    "vague": "OBJ",
    "reporting": "OBJ",
    "editorial": "SUBJ",
    "mixed": "SUBJ",
}
CLASSES = ("OBJ", "SUBJ")
TARGET_PER_SECOND = 200


def read_split(name: str) -> list[tuple[str, str]]:
    """``(sentence, gold label)`` rows of one split, whitespace collapsed."""
    with (NEWSSD / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return [
            (canonicalize(" ".join(row["Sentence"].split())), row["Label"])
            for row in csv.DictReader(handle)
        ]


def predict(suggester: Suggester, sentence: str) -> tuple[str, str]:
    """The class and the statement label suggested for one sentence."""
    result = suggester.suggest(sentence, [(0, len(sentence))])
    label = next(s.label for s in result.suggestions if s.layer == "statement")
    return TO_CLASS[label], label


def scores(gold: list[str], predicted: list[str]) -> dict[str, tuple[float, float, float, int]]:
    """Precision, recall, F1 and support per class."""
    found: dict[str, tuple[float, float, float, int]] = {}
    for cls in CLASSES:
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g == cls and p == cls)
        fp = sum(1 for g, p in zip(gold, predicted, strict=True) if g != cls and p == cls)
        fn = sum(1 for g, p in zip(gold, predicted, strict=True) if g == cls and p != cls)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        found[cls] = (precision, recall, f1, tp + fn)
    return found


def print_table(title: str, gold: list[str], ours: list[str], majority: str) -> None:
    baseline = [majority] * len(gold)
    mine, base = scores(gold, ours), scores(gold, baseline)
    print(
        f"\n{title}: {len(gold)} sentences ({', '.join(f'{c} {gold.count(c)}' for c in CLASSES)})"
    )
    baseline_title = f"majority ({majority}) P / R / F1"
    print(f"  {'class':<6} {'suggester P / R / F1':>24}   {baseline_title:>30}")
    for cls in CLASSES:
        p, r, f, _ = mine[cls]
        bp, br, bf, _ = base[cls]
        print(f"  {cls:<6} {p:>8.3f} {r:>7.3f} {f:>7.3f}   {bp:>14.3f} {br:>7.3f} {bf:>7.3f}")
    macro = sum(mine[c][2] for c in CLASSES) / len(CLASSES)
    base_macro = sum(base[c][2] for c in CLASSES) / len(CLASSES)
    accuracy = sum(1 for g, p in zip(gold, ours, strict=True) if g == p) / len(gold)
    base_accuracy = gold.count(majority) / len(gold)
    print(f"  {'macro F1':<14} {macro:>16.3f}   {base_macro:>30.3f}")
    print(f"  {'accuracy':<14} {accuracy:>16.3f}   {base_accuracy:>30.3f}")


def quality(suggester: Suggester) -> None:
    splits = {name: read_split(name) for name in ("val", "test")}
    majority = Counter(label for _, label in splits["val"]).most_common(1)[0][0]
    for name, title in (
        ("val", "validation split (rules written against it)"),
        ("test", "test split (held out)"),
    ):
        rows = splits[name]
        predicted = [predict(suggester, sentence) for sentence, _ in rows]
        gold = [label for _, label in rows]
        print_table(f"NewsSD-ENG {title}", gold, [cls for cls, _ in predicted], majority)
        labels = Counter(label for _, label in predicted)
        print(
            "  statement labels suggested: "
            + ", ".join(f"{k} {v}" for k, v in labels.most_common())
        )


def articles(n: int, seed: int = 7) -> list[str]:
    """``n`` articles of about 3 KB: paragraphs of 1 to 4 sentences, blank lines between."""
    pool: list[str] = []
    for name in ("test", "val"):
        pool.extend(sentence for sentence, _ in read_split(name))
    for path in sorted((ROOT / "examples").glob("*.txt")):
        body = canonicalize(path.read_text(encoding="utf-8")).split("\n\n", 1)[-1]
        pool.extend(body[s:e] for s, e in split_sentences(body))
    rng = random.Random(seed)
    found: list[str] = []
    for _ in range(n):
        paragraphs: list[str] = []
        size = 0
        while size < 3000:
            paragraph = " ".join(rng.choice(pool) for _ in range(rng.randint(1, 4)))
            paragraphs.append(paragraph)
            size += len(paragraph) + 2
        found.append("\n\n".join(paragraphs))
    return found


def speed(suggester: Suggester, n: int) -> None:
    corpus = articles(n)
    size = sum(len(a.encode("utf-8")) for a in corpus) / len(corpus)
    print(f"\nspeed: {len(corpus)} articles, {size / 1000:.1f} KB on average, one core")
    start = time.perf_counter()
    segments = [split_sentences(article) for article in corpus]
    segment_s = time.perf_counter() - start
    start = time.perf_counter()
    count = 0
    for article, found in zip(corpus, segments, strict=True):
        count += len(suggester.suggest(article, found).suggestions)
    ours_s = time.perf_counter() - start
    rate = len(corpus) / ours_s
    print(
        f"  split_sentences alone   {segment_s:7.2f} s  {len(corpus) / segment_s:9.0f} articles/s"
    )
    print(
        f"  Suggester.suggest       {ours_s:7.2f} s  {rate:9.0f} articles/s  ({count} suggestions)"
    )
    print(f"  ratio suggest / split_sentences: {ours_s / segment_s:.1f}x")
    verdict = "meets" if rate >= TARGET_PER_SECOND else "MISSES"
    print(f"  target >= {TARGET_PER_SECOND} articles/s: {verdict} ({rate:.0f} articles/s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="articles for the speed run")
    parser.add_argument("--skip-speed", action="store_true", help="only score NewsSD-ENG")
    args = parser.parse_args()
    suggester = Suggester(load_scheme(SCHEME))
    quality(suggester)
    if not args.skip_speed:
        speed(suggester, args.n)


if __name__ == "__main__":
    main()
