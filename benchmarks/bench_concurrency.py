"""Many reviewers saving at once: acknowledged annotations per second and the p99 of one save.

For 1, 2, 4 and 8 writer processes, each a different reviewer, every process makes SAVES
changes through the service (``Annotating``: every other one a sentence label, the rest a span
on a random word), each one committed before the call returns, as ``annotator annotations
add`` and the annotate screen do. Throughput counts the changes acknowledged by all writers
over the wall time from a common start to the last one's end; latency is one call, p50 and
p99 over every save.

The peer is the database itself: the same number of writers each doing the bare minimum for
one durable row (one ``INSERT`` of an annotation and a ``COMMIT`` through the driver, no
checks, no events, no status). The ratio ours/bare says what the rules cost.

Targets (issue "Team mode and hardening"): on PostgreSQL 8 writers at least 3x the throughput
of 1; p99 under 50 ms with 8 writers on either database.

Usage::

    python benchmarks/bench_concurrency.py [--saves 500] [--postgres URL] [--writers 1 2 4 8]

PostgreSQL runs when ``--postgres`` or ``$ANNOTATOR_TEST_POSTGRES_URL`` names a database (it is
emptied). ``bash .ci/start-postgres`` starts one and prints its URL.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from annotator.core.segment import split_sentences
from annotator.core.text import text_sha256
from annotator.store.dto import NewDocument
from annotator.store.repository import Repository

SENTENCES = (
    "The council slammed the plan on Tuesday.",
    "Officials say the repairs will cost more than promised.",
    "Critics argue the mayor ignored the engineers.",
    "The bridge carries 12,000 cars a day.",
    "Residents were furious, a spokesman admitted.",
)
DOCUMENTS = 40


@dataclass(frozen=True)
class Run:
    saves: int
    seconds: float
    latencies: list[float]

    @property
    def per_second(self) -> float:
        return self.saves / self.seconds

    def quantile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def articles() -> list[NewDocument]:
    docs = []
    for n in range(DOCUMENTS):
        body = f"Article {n}. " + " ".join(SENTENCES[(n + i) % 5] for i in range(30))
        docs.append(
            NewDocument(
                external_id=f"a{n}",
                title=f"Article {n}",
                text=body,
                sha256=text_sha256(body),
                meta={},
                segments=tuple(split_sentences(body)),
                status={},
            )
        )
    return docs


def fresh(target: str, folder: Path, name: str) -> str:
    """An empty database with the articles: a new SQLite file, or the emptied server one."""
    if "://" in target:
        engine = create_engine(target)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        where = target
    else:
        where = str(folder / f"{name}.db")
    with Repository.open(where) as repo:
        repo.import_documents(articles())
    return where


def ours(target: str, reviewer: str, saves: int, start: Any, seed: int) -> list[float]:
    """One writer: ``saves`` changes through the service; the latency of each."""
    from annotator.service.annotating import Annotating

    rng = random.Random(seed)
    with Repository.open(target, create=False) as repo:
        desk = Annotating(repo, reviewer)
        docs = [repo.document(summary.id) for summary in repo.documents()]
        words = [(d.id, m.start(), m.end()) for d in docs for m in re.finditer(r"\w+", d.text)]
        sentences = [(d.id, i) for d in docs for i in range(len(d.segments))]
        rng.shuffle(sentences)
        labels = ["attributed", "vague", "reporting", "editorial", "mixed"]
        spans = ["labeling", "emotive", "exaggeration", "epistemic", "fear"]
        start.wait()
        latencies = []
        for n in range(saves):
            began = time.perf_counter()
            if n % 2 == 0:
                document_id, index = sentences[(n // 2) % len(sentences)]
                desk.classify(document_id, "statement", index, rng.choice(labels))
            else:
                document_id, s, e = rng.choice(words)
                desk.tag(document_id, "loaded", rng.choice(spans), s, e)
            latencies.append(time.perf_counter() - began)
    return latencies


def bare(target: str, reviewer: str, saves: int, start: Any, seed: int) -> list[float]:
    """One writer doing only what one durable row needs: INSERT and COMMIT."""
    from annotator.store.engine import make_engine, target_url

    rng = random.Random(seed)
    engine = make_engine(target_url(target))
    now = "2026-12-01 00:00:00"
    with engine.connect() as connection:
        annotator = connection.execute(
            text(
                "INSERT INTO annotators (name, role, created_at) VALUES (:n, 'annotator', :t)"
                " RETURNING id"
            ),
            {"n": f"bare-{reviewer}", "t": now},
        ).scalar_one()
        connection.commit()
        insert = text(
            'INSERT INTO annotations (document_id, annotator_id, layer, label, start, "end",'
            " attrs, origin, created_at, updated_at) VALUES (:d, :a, 'loaded', 'emotive', :s,"
            " :e, '{}', 'manual', :t, :t)"
        )
        start.wait()
        latencies = []
        for n in range(saves):
            began = time.perf_counter()
            offset = n * 3 + rng.randrange(2)
            connection.execute(
                insert,
                {"d": 1 + n % DOCUMENTS, "a": annotator, "s": offset, "e": offset + 1, "t": now},
            )
            connection.commit()
            latencies.append(time.perf_counter() - began)
    engine.dispose()
    return latencies


def run(kind: str, target: str, writers: int, saves: int) -> Run:
    context = multiprocessing.get_context("spawn")
    manager = context.Manager()
    start = manager.Event()
    work = ours if kind == "ours" else bare
    with context.Pool(writers) as pool:
        pending = [
            pool.apply_async(work, (target, f"reviewer{i}", saves, start, i))
            for i in range(writers)
        ]
        time.sleep(1.0 + 0.3 * writers)  # every writer opened its database and waits
        began = time.perf_counter()
        start.set()
        results = [p.get(timeout=3600) for p in pending]
        seconds = time.perf_counter() - began
    manager.shutdown()
    latencies = [x for r in results for x in r]
    return Run(saves=len(latencies), seconds=seconds, latencies=latencies)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--saves", type=int, default=500, help="changes per writer")
    parser.add_argument("--writers", type=int, nargs="+", default=[1, 2, 4, 8])
    parser.add_argument("--postgres", default=os.environ.get("ANNOTATOR_TEST_POSTGRES_URL", ""))
    args = parser.parse_args()
    backends = [("SQLite (WAL)", "")]
    if args.postgres:
        backends.append(("PostgreSQL", args.postgres))
    else:
        print("PostgreSQL: skipped (give --postgres URL or set ANNOTATOR_TEST_POSTGRES_URL)")
    print(f"{args.saves} saves per writer, {os.cpu_count()} cores\n")
    with tempfile.TemporaryDirectory() as folder:
        for name, server in backends:
            print(name)
            print(
                f"{'writers':>7} {'ours/s':>8} {'x of 1':>7} {'p50 ms':>7} {'p99 ms':>7}"
                f" {'bare/s':>8} {'bare p99':>8} {'ours/bare':>9}"
            )
            first = None
            for writers in args.writers:
                target = fresh(server, Path(folder), f"ours{writers}")
                mine = run("ours", target, writers, args.saves)
                target = fresh(server, Path(folder), f"bare{writers}")
                peer = run("bare", target, writers, args.saves)
                first = first or mine.per_second
                print(
                    f"{writers:>7} {mine.per_second:>8.0f} {mine.per_second / first:>7.2f}"
                    f" {1000 * mine.quantile(0.5):>7.1f} {1000 * mine.quantile(0.99):>7.1f}"
                    f" {peer.per_second:>8.0f} {1000 * peer.quantile(0.99):>8.1f}"
                    f" {mine.per_second / peer.per_second:>9.2f}"
                )
            print()


if __name__ == "__main__":
    main()
