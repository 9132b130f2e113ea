"""What the team tests share: a PostgreSQL database to reset, articles to import, a writer
process for the stress and kill tests.

A writer is a separate process (``multiprocessing`` with ``spawn``, so nothing is inherited
but what it is given) that opens the database itself and changes annotations through the
service, as ``annotator annotations add`` and the annotate screen do. It reports every change
the service acknowledged (the call returned), and every error that reached it: a busy
database must never be one.
"""

from __future__ import annotations

import os
import random
import re
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, text

from annotator.core.segment import split_sentences
from annotator.core.text import canonicalize, text_sha256
from annotator.store.dto import NewDocument
from annotator.store.repository import Repository

POSTGRES_URL = os.environ.get("ANNOTATOR_TEST_POSTGRES_URL", "").strip()

SENTENCES = (
    "The council slammed the plan on Tuesday.",
    "Officials say the repairs will cost more than promised.",
    "Critics argue the mayor ignored the engineers.",
    "The bridge carries 12,000 cars a day.",
    "Residents were furious, a spokesman admitted.",
    "It is widely believed the contract was rushed.",
)
WORD = re.compile(r"\w+")


def reset_postgres(url: str) -> None:
    """Empty the test database: drop and recreate its public schema."""
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    finally:
        engine.dispose()


def article(n: int, sentences: int = 12) -> NewDocument:
    """Article ``n``: ``sentences`` sentences of the sample kind, different for each ``n``."""
    body = " ".join(f"{SENTENCES[(n + i) % len(SENTENCES)]}" for i in range(sentences))
    body = canonicalize(f"Article {n}. {body}")
    return NewDocument(
        external_id=f"article-{n}",
        title=f"Article {n}",
        text=body,
        sha256=text_sha256(body),
        meta={},
        segments=tuple(split_sentences(body)),
        status={},
    )


def seed_database(target: str, documents: int = 4) -> None:
    with Repository.open(target) as repo:
        repo.import_documents([article(n) for n in range(documents)])


@dataclass
class Acknowledged:
    """What one writer was told was saved, and every error it saw."""

    reviewer: str
    spans: list[int] = field(default_factory=list)
    labels: list[tuple[int, int, int]] = field(default_factory=list)
    """``(annotation id, document id, sentence index)`` of each sentence labelled."""
    errors: list[str] = field(default_factory=list)


def words(document_text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in WORD.finditer(document_text)]


def write(target: str, reviewer: str, seed: int, count: int) -> Acknowledged:
    """Make ``count`` changes as ``reviewer``: every other one a sentence label (sentences in
    a fixed order, so two writers as one reviewer label the same sentences), the rest spans on
    random words. Runs in its own process."""
    from annotator.service.annotating import Annotating

    done = Acknowledged(reviewer)
    rng = random.Random(seed)
    try:
        with Repository.open(target) as repo:
            desk = Annotating(repo, reviewer)
            documents = [repo.document(summary.id) for summary in repo.documents()]
            statements = next(layer.name for layer in repo.scheme().segment_layers)
            labels = repo.scheme().layer(statements).label_names  # type: ignore[union-attr]
            span_layer = repo.scheme().span_layers[0]
            sentences = [(d.id, i) for d in documents for i in range(len(d.segments))]
            spans = [(d.id, start, end) for d in documents for start, end in words(d.text)]
            for n in range(count):
                try:
                    if n % 2 == 0:
                        document_id, index = sentences[(n // 2) % len(sentences)]
                        made = desk.classify(document_id, statements, index, rng.choice(labels))
                        done.labels.append((made.value.id, document_id, index))
                    else:
                        document_id, start, end = rng.choice(spans)
                        label = rng.choice(span_layer.label_names)
                        tagged = desk.tag(document_id, span_layer.name, label, start, end)
                        done.spans.append(tagged.value.id)
                except Exception as exc:  # every error is a finding of the test
                    done.errors.append(f"{type(exc).__name__}: {exc}")
    except Exception:
        done.errors.append(traceback.format_exc())
    return done


def annotation_rows(target: str) -> Iterator[tuple[int, str, str, str, int, int, int]]:
    """Every stored annotation: id, annotator, layer, label, document, start, end."""
    with Repository.open(target) as repo:
        for a in repo.iter_annotations():
            yield a.id, a.annotator, a.layer, a.label, a.document_id, a.start, a.end


def here() -> Path:
    return Path(__file__).parent
