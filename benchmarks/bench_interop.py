"""brat import speed against our own JSONL import of the same annotations, in one run.

Generates N news-like articles (the generator of ``bench_import.py``), marks every loaded word
("slammed", "soared", "the regime" ...) as a span of one annotator, and writes the corpus twice:
as a brat collection (``ana/<id>.txt`` + ``ana/<id>.ann``) and as one native JSONL file with
the same texts, spans and statuses. Then times ``run_import`` of each into a fresh SQLite file
(read, canonicalize, map offsets, check, write in one transaction) and prints documents/s for
both and the ratio (target: brat at least 30% of the JSONL speed).

Usage: ``python benchmarks/bench_interop.py [--n 10000]``
"""

from __future__ import annotations

import argparse
import json
import re
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_import import LOADED, make_articles

from annotator.io.importer import run_import

LABELS = {
    "slammed": "emotive",
    "blasted": "emotive",
    "soared": "exaggeration",
    "plunged": "exaggeration",
    "a disaster": "emotive",
    "reckless": "emotive",
    "the regime": "labeling",
}
PATTERN = re.compile("|".join(re.escape(word) for word in LOADED))


def spans(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), LABELS[m.group()]) for m in PATTERN.finditer(text)]


def write_corpus(folder: Path, n: int, seed: int) -> tuple[Path, Path, int]:
    """The brat folder and the JSONL file of the same corpus; returns them and the span count."""
    brat = folder / "brat"
    (brat / "ana").mkdir(parents=True)
    native = folder / "native.jsonl"
    count = 0
    with native.open("w", encoding="utf-8", newline="") as out:
        for index, (_title, body) in enumerate(make_articles(n, seed)):
            ident = f"a{index:06d}"
            found = spans(body)
            count += len(found)
            (brat / "ana" / f"{ident}.txt").write_text(body, encoding="utf-8", newline="")
            (brat / "ana" / f"{ident}.ann").write_text(
                "".join(
                    f"T{k}\t{label} {s} {e}\t{body[s:e]}\n"
                    for k, (s, e, label) in enumerate(found, 1)
                ),
                encoding="utf-8",
                newline="",
            )
            record = {
                "id": ident,
                "title": ident,
                "text": body,
                "status": {"ana": "done"},
                "annotations": [
                    {
                        "annotator": "ana",
                        "layer": "loaded",
                        "label": label,
                        "start": s,
                        "end": e,
                        "text": body[s:e],
                    }
                    for s, e, label in found
                ],
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return brat, native, count


def timed(db: Path, path: Path, fmt: str | None) -> tuple[float, int, int]:
    start = time.perf_counter()
    report = run_import(str(db), [path], fmt=fmt)
    elapsed = time.perf_counter() - start
    with sqlite3.connect(db) as check:
        stored = check.execute("SELECT count(*) FROM annotations").fetchone()[0]
    check.close()
    return elapsed, report.added, stored


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="documents (default 10000)")
    parser.add_argument("--seed", type=int, default=20240501)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-interop-") as tmp:
        folder = Path(tmp)
        brat, native, count = write_corpus(folder, args.n, args.seed)
        print(f"{args.n} documents, {count:,} spans, as brat and as native JSONL", flush=True)
        ours, added_native, stored_native = timed(folder / "native.db", native, None)
        theirs, added_brat, stored_brat = timed(folder / "brat.db", brat, "brat")
    if (added_native, stored_native) != (added_brat, stored_brat) or added_brat != args.n:
        sys.exit(
            f"the imports differ: JSONL {added_native} documents / {stored_native} spans, "
            f"brat {added_brat} / {stored_brat}"
        )
    print(f"native JSONL: {ours:7.2f} s  {args.n / ours:9,.0f} documents/s")
    print(f"brat:         {theirs:7.2f} s  {args.n / theirs:9,.0f} documents/s")
    ratio = ours / theirs
    verdict = "meets" if ratio >= 0.30 else "misses"
    print(f"ratio:        {ratio:.1%} of the JSONL speed ({verdict} the 30% target)")


if __name__ == "__main__":
    main()
