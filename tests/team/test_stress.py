"""Many reviewers on one database at once: nothing acknowledged is lost, the unique rules hold,
and no error reaches a reviewer.

Four processes write 500 changes each (every other one a sentence label, the rest spans on
random words); two of them are the same reviewer labelling the same sentences in the same
order, as one person with two terminals. Afterwards the database holds every annotation a
writer was told was saved, exactly one label per reviewer and sentence, and no two identical
spans; and no writer saw an error, busy or otherwise. On SQLite (WAL) and on PostgreSQL.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import Counter
from pathlib import Path

import pytest
from team_support import (
    POSTGRES_URL,
    Acknowledged,
    annotation_rows,
    reset_postgres,
    seed_database,
    write,
)

from annotator.store.health import check_database

WRITERS = (("ana", 1), ("ben", 2), ("cy", 3), ("cy", 4))
"""Reviewer and seed of each process: ``cy`` writes from two at once."""
CHANGES = int(os.environ.get("ANNOTATOR_STRESS_CHANGES", "500"))


def run_writers(target: str) -> list[Acknowledged]:
    context = multiprocessing.get_context("spawn")
    with context.Pool(len(WRITERS)) as pool:
        pending = [
            pool.apply_async(write, (target, reviewer, seed, CHANGES)) for reviewer, seed in WRITERS
        ]
        return [result.get(timeout=900) for result in pending]


def check_outcome(target: str, done: list[Acknowledged]) -> None:
    assert [error for writer in done for error in writer.errors] == []
    rows = list(annotation_rows(target))
    by_id = {row[0]: row for row in rows}
    for writer in done:
        assert len(writer.spans) + len(writer.labels) == CHANGES
        for annotation_id in writer.spans:
            assert by_id[annotation_id][1] == writer.reviewer
        for annotation_id, _document, _sentence in writer.labels:
            assert by_id[annotation_id][1] == writer.reviewer
    spans = Counter(
        (who, layer, label, doc, start, end)
        for _, who, layer, label, doc, start, end in rows
        if layer == "loaded"
    )
    assert max(spans.values()) == 1
    sentences = Counter(
        (who, layer, doc, start, end)
        for _, who, layer, _, doc, start, end in rows
        if layer == "statement"
    )
    assert max(sentences.values()) == 1
    labelled_by_cy = {(doc, s) for w in done if w.reviewer == "cy" for _, doc, s in w.labels}
    stored_by_cy = sum(1 for key in sentences if key[0] == "cy")
    assert stored_by_cy == len(labelled_by_cy)  # the two terminals converged on one each
    assert check_database(target)[1] == []


def test_four_writers_on_sqlite(tmp_path: Path) -> None:
    target = str(tmp_path / "team.db")
    seed_database(target)
    check_outcome(target, run_writers(target))


@pytest.mark.postgres
def test_four_writers_on_postgresql() -> None:
    reset_postgres(POSTGRES_URL)
    seed_database(POSTGRES_URL)
    check_outcome(POSTGRES_URL, run_writers(POSTGRES_URL))
