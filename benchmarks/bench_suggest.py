"""``annotator suggest`` on 10,000 articles, beside ``annotator import`` of the same articles.

The articles (about 3 KB each, seeded) are built from the NewsSD-ENG sentences and the sample
articles in ``examples/``, as ``benchmarks/eval_suggest.py`` builds them: quotations,
reporting verbs, named and anonymous sources, loaded words. They are written to one JSONL
file, then, each as a user runs it, in a fresh process, on one SQLite file:

* **import** (the peer): ``annotator import articles.jsonl`` into a new database: read,
  canonicalize, split into sentences, validate, write in one transaction;
* **suggest**: ``annotator suggest``: read every document, run the rules and lexicons, store
  the suggestions as the machine annotator's in one transaction;
* **suggest again**: the same, replacing every undecided suggestion of the first run.

Prints articles/s for each (and articles per CPU second of the command's processes, which a
machine busy with other work changes less), the ratio of suggest to import, and whether
suggest meets the target of 200 articles/s.

Usage: ``python benchmarks/bench_suggest.py [--n 10000] [--workers N]``
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from eval_suggest import articles

ROOT = Path(__file__).resolve().parents[1]
TARGET_PER_SECOND = 200


@dataclass(frozen=True)
class Timed:
    """A command's wall-clock seconds, the CPU seconds of its processes, what it printed."""

    wall: float
    cpu: float
    output: str


def run(db: Path, *args: str) -> Timed:
    """Run ``annotator --db DB ARGS...`` in a fresh process (and its workers), timed."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "annotator.cli", "--db", str(db), *args]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Timed(wall, cpu, done.stdout.strip())


def line(name: str, n: int, timed: Timed, extra: str = "") -> None:
    print(
        f"  {name:<24} {timed.wall:7.2f} s  {n / timed.wall:6.0f} articles/s"
        f"   (CPU {timed.cpu:6.2f} s, {n / timed.cpu:5.0f} articles per CPU second){extra}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="articles (default 10000)")
    parser.add_argument(
        "--workers", type=int, default=None, help="suggest --workers N (default: its own)"
    )
    args = parser.parse_args()
    args.suggest = [] if args.workers is None else ["--workers", str(args.workers)]
    load = os.getloadavg()[0]
    corpus = articles(args.n)
    size = sum(len(a.encode("utf-8")) for a in corpus) / len(corpus)
    print(f"{len(corpus)} articles, {size / 1000:.1f} KB on average, one SQLite file")
    with tempfile.TemporaryDirectory(prefix="bench-suggest-") as tmp:
        folder = Path(tmp)
        source = folder / "articles.jsonl"
        with source.open("w", encoding="utf-8") as handle:
            for index, text in enumerate(corpus):
                record = {"id": f"a{index:06d}", "title": f"Article {index}", "text": text}
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        db = folder / "annotations.db"
        imported = run(db, "import", str(source))
        suggested = run(db, "suggest", *args.suggest)
        again = run(db, "suggest", *args.suggest)
        with sqlite3.connect(db) as connection:
            stored = connection.execute(
                "SELECT count(*) FROM annotations WHERE origin = 'suggestion'"
            ).fetchone()[0]
    n = len(corpus)
    rate = n / suggested.wall
    print(f"  cores: {os.cpu_count()}, load average before: {load:.1f}")
    line("annotator import", n, imported)
    line("annotator suggest", n, suggested, f"  {stored} stored")
    line("annotator suggest again", n, again)
    print(f"  ratio suggest / import: {suggested.wall / imported.wall:.2f}x the time")
    verdict = "meets" if rate >= TARGET_PER_SECOND else "MISSES"
    print(f"  target >= {TARGET_PER_SECOND} articles/s: {verdict} ({rate:.0f} articles/s)")
    print(f"  suggest said: {suggested.output.splitlines()[0]}")


if __name__ == "__main__":
    main()
