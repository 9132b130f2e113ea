"""Import speed: ``annotator import`` against the bare-SQLite limit, in one run.

Generates N news-like articles (~3 KB each, seeded: titles, datelines, quotes, abbreviations
such as "Mr.", "U.S." and "Jan. 5"), writes them to a temporary folder as ``.txt`` files (or one
``.jsonl`` / ``.csv``), then times:

* **annotator**: the service function ``annotator import`` calls (``run_import``), in-process,
  into a fresh SQLite file: read, canonicalize, segment, validate, write in one transaction.
* **bare sqlite3**: the same files read, split into sentences by a one-line regex, and written
  with ``executemany`` (texts, then sentence offsets) into a fresh SQLite file in the same
  journal mode (WAL), in one transaction. No canonicalization, no hashing, no validation: the
  floor no importer can beat.

Prints articles/s for both and their ratio (target: annotator >= 20% of the bare limit), plus
where annotator's time went by phase. ``--profile`` adds a cProfile listing of the annotator run.

Usage: ``python benchmarks/bench_import.py [--n 20000] [--format txt|jsonl|csv] [--profile]``
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import io
import itertools
import json
import pstats
import random
import re
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from annotator.io.importer import run_import

SENTENCE = re.compile(r"\S.*?(?:[.!?]+(?=\s|$)|$)", re.S)
"""The peer's segmenter: up to the next run of . ! ? before whitespace."""

PEOPLE = [
    ("Mr.", "Alder"), ("Ms.", "Brennan"), ("Dr.", "Okafor"), ("Gov.", "Halvorsen"),
    ("Sen.", "Mirza"), ("Rep.", "Castellano"), ("Prof.", "Lindqvist"), ("Mrs.", "Nakamura"),
    ("Gen.", "Dubois"), ("Lt.", "Ferreira"),
]  # fmt: skip
ORGS = [
    "the U.S. Department of Transport", "Harbor Freight Inc.", "the city council",
    "the E.U. commission", "St. Mary's Hospital", "the transit authority", "Acme Corp.",
    "the state assembly", "the U.N. refugee agency", "the port authority",
]  # fmt: skip
PLACES = ["Riverton", "Port Ellis", "New Halden", "Westbrook", "Lake Corran", "St. Albans"]
TOPICS = [
    "the ferry terminal", "the new tax plan", "the bridge repairs", "the school budget",
    "the water contract", "the housing bill", "the rail extension", "the hospital merger",
]  # fmt: skip
VERBS = ["said", "told reporters", "insisted", "claimed", "admitted", "argued", "warned", "noted"]
LOADED = ["slammed", "blasted", "soared", "plunged", "a disaster", "reckless", "the regime"]
MONTHS = ["Jan.", "Feb.", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."]


def _sentence(rng: random.Random) -> str:
    title, name = rng.choice(PEOPLE)
    org, topic, place = rng.choice(ORGS), rng.choice(TOPICS), rng.choice(PLACES)
    verb, loaded = rng.choice(VERBS), rng.choice(LOADED)
    number = f"{rng.randint(2, 98)}.{rng.randint(1, 9)}"
    date = f"{rng.choice(MONTHS)} {rng.randint(1, 28)}"
    templates = [
        f"{title} {name} {verb} that {topic} would cost {number} million dollars.",
        f"“We will not accept {topic} as it stands,” {title} {name} {verb}.",
        f"Critics argue that {org} has {loaded} the plan for {topic}.",
        f"The vote on {topic} is expected on {date}, according to {org}.",
        f"Turnout in {place} rose {number} percent, officials said.",
        f"It is widely believed that {topic} will be delayed again.",
        f"“This is {loaded},” said one resident of {place}. “Nobody asked us.”",
        f"{title} {name}, who chairs the committee, declined to comment on {date}.",
        f"Costs at {org} have {loaded} since the vote, a report by {title} {name} found.",
        f"Why did {org} wait so long? Residents of {place} want to know.",
        f"The measure passed 7 to 2 at 9 a.m. on {date} after a long debate.",
        f"In a statement, {org} {verb} it had “no choice” but to act.",
    ]
    return rng.choice(templates)


def make_articles(n: int, seed: int) -> list[tuple[str, str]]:
    """``n`` (title, body) pairs of about 3 KB: a dateline, then paragraphs of 2 to 5 sentences."""
    rng = random.Random(seed)
    articles: list[tuple[str, str]] = []
    for index in range(n):
        title = f"{rng.choice(PLACES)} weighs {rng.choice(TOPICS)} ({index})"
        paragraphs = [f"{rng.choice(PLACES).upper()} — {_sentence(rng)}"]
        size = len(paragraphs[0])
        while size < 3000:
            paragraph = " ".join(_sentence(rng) for _ in range(rng.randint(2, 5)))
            paragraphs.append(paragraph)
            size += len(paragraph) + 2
        articles.append((title, "\n\n".join(paragraphs) + "\n"))
    return articles


def write_input(articles: list[tuple[str, str]], folder: Path, fmt: str) -> Path:
    """The articles as files under ``folder``; returns the path to import."""
    if fmt == "txt":
        root = folder / "articles"
        for index, (title, body) in enumerate(articles):
            sub = root / f"{index // 1000:03d}"
            sub.mkdir(parents=True, exist_ok=True)
            (sub / f"{index:06d}.txt").write_text(f"{title}\n\n{body}", encoding="utf-8")
        return root
    if fmt == "jsonl":
        path = folder / "articles.jsonl"
        with path.open("w", encoding="utf-8", newline="") as handle:
            for index, (title, body) in enumerate(articles):
                record = {"id": f"a{index:06d}", "title": title, "text": body}
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        return path
    path = folder / "articles.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "title", "text"])
        for index, (title, body) in enumerate(articles):
            writer.writerow([f"a{index:06d}", title, body])
    return path


def read_input(path: Path, fmt: str) -> list[tuple[str, str, str]]:
    """(id, title, text) of every article, read the simplest way, for the bare-SQLite peer."""
    if fmt == "txt":
        rows = []
        for file in sorted(path.rglob("*.txt")):
            title, _, body = file.read_text(encoding="utf-8").partition("\n\n")
            rows.append((file.relative_to(path).with_suffix("").as_posix(), title, body))
        return rows
    if fmt == "jsonl":
        with path.open(encoding="utf-8") as handle:
            return [(r["id"], r["title"], r["text"]) for r in map(json.loads, handle)]
    with path.open(encoding="utf-8", newline="") as handle:
        return [(r["id"], r["title"], r["text"]) for r in csv.DictReader(handle)]


def bare_sqlite(path: Path, fmt: str, db: Path) -> int:
    """Read, regex-split and executemany into a fresh WAL SQLite file; returns sentences."""
    rows = read_input(path, fmt)
    connection = sqlite3.connect(db)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute(
        "CREATE TABLE documents (id INTEGER PRIMARY KEY, external_id TEXT UNIQUE, "
        "title TEXT, text TEXT)"
    )
    connection.execute(
        "CREATE TABLE segments (document_id INTEGER REFERENCES documents(id), idx INTEGER, "
        "start INTEGER, end INTEGER, PRIMARY KEY (document_id, idx))"
    )
    with connection:
        connection.executemany(
            "INSERT INTO documents (id, external_id, title, text) VALUES (?, ?, ?, ?)",
            ((i, ext, title, text) for i, (ext, title, text) in enumerate(rows, 1)),
        )
        sentences = [
            (i, k, m.start(), m.end())
            for i, (_, _, text) in enumerate(rows, 1)
            for k, m in enumerate(SENTENCE.finditer(text))
        ]
        connection.executemany("INSERT INTO segments VALUES (?, ?, ?, ?)", sentences)
    connection.close()
    return len(sentences)


class PhaseClock:
    """Records when each import phase starts, to report where the time went."""

    def __init__(self) -> None:
        self.marks: list[tuple[str, float]] = []

    def phase(self, name: str, total: int) -> None:
        self.marks.append((name, time.perf_counter()))

    def advance(self, done: int) -> None:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=20_000, help="articles (default 20000)")
    parser.add_argument("--format", choices=("txt", "jsonl", "csv"), default="txt")
    parser.add_argument("--seed", type=int, default=20240501)
    parser.add_argument("--profile", action="store_true", help="cProfile the annotator run")
    args = parser.parse_args()

    articles = make_articles(args.n, args.seed)
    size = sum(len(title) + len(body) for title, body in articles)
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        folder = Path(tmp)
        source = write_input(articles, folder, args.format)
        print(
            f"{args.n} articles, {size / 1e6:.1f} M characters "
            f"({size / args.n / 1000:.1f} K per article), as {args.format}",
            flush=True,
        )

        start = time.perf_counter()
        sentences = bare_sqlite(source, args.format, folder / "bare.db")
        bare = time.perf_counter() - start

        clock = PhaseClock()
        profiler = cProfile.Profile() if args.profile else None
        start = time.perf_counter()
        if profiler is not None:
            profiler.enable()
        result = run_import(str(folder / "annotator.db"), [source], clock)
        if profiler is not None:
            profiler.disable()
        ours = time.perf_counter() - start
        with sqlite3.connect(folder / "annotator.db") as check:
            segments = check.execute("SELECT count(*) FROM segments").fetchone()[0]
        check.close()
        end = time.perf_counter()

    if result.added != args.n:
        sys.exit(f"annotator imported {result.added} of {args.n} articles")
    print(
        f"bare sqlite3:  {bare:7.2f} s  {args.n / bare:9,.0f} articles/s  "
        f"({sentences:,} regex sentences)"
    )
    print(
        f"annotator:     {ours:7.2f} s  {args.n / ours:9,.0f} articles/s  ({segments:,} segments)"
    )
    ratio = bare / ours
    verdict = "meets" if ratio >= 0.20 else "misses"
    print(f"ratio:         {ratio:.1%} of the bare limit ({verdict} the 20% target)")
    phases = [*clock.marks, ("end", end)]
    parts = ", ".join(
        f"{name} {later - at:.2f} s" for (name, at), (_, later) in itertools.pairwise(phases)
    )
    print(f"annotator phases: {parts}")
    if profiler is not None:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(30)
        print(out.getvalue())


if __name__ == "__main__":
    main()
