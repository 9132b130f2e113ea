"""Export: the native JSONL (lossless) and a CSV table with one row per annotation.

Both stream from the store's bulk readers (documents and annotations ordered by document id),
so memory stays flat on a large corpus. ``annotators`` restricts the annotations and statuses
to those people; an unknown name is refused rather than giving an empty file. ``gold`` keeps
only the gold: on each document the annotations and status of the adjudicator whose gold counts
there (the one who marked it done last, else the one who worked on it last; see
``service.cases.gold_adjudicator``).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator, Sequence
from itertools import groupby
from typing import TYPE_CHECKING, TextIO

from annotator.io.csv_safe import safe_row
from annotator.io.errors import ExportError
from annotator.io.jsonl import document_line, sorted_keys
from annotator.service.cases import gold_choices
from annotator.store.dto import Annotation, DocStatus, Document

if TYPE_CHECKING:
    from annotator.store.repository import Repository

DocumentProgress = Callable[[int], None]
"""Called with the number of documents written so far, after each document."""
Notice = Callable[[str], None]
"""Called with a line worth telling the user (two adjudicators on one document)."""

CSV_COLUMNS = ("document", "annotator", "layer", "label", "start", "end", "text", "attrs", "origin")


def _check_annotators(repo: Repository, annotators: Sequence[str] | None) -> list[str] | None:
    if not annotators:
        return None
    known = {a.name for a in repo.annotators()}
    for name in annotators:
        if name not in known:
            listed = ", ".join(sorted(known)) or "none yet"
            raise ExportError(f"no annotator named {name!r}; annotators: {listed}")
    return list(dict.fromkeys(annotators))


def gold_annotators(repo: Repository, annotators: Sequence[str] | None) -> list[str]:
    """The adjudicators a ``--gold`` export may take gold from (those named, if any)."""
    names = _check_annotators(repo, annotators)
    adjudicators = [a.name for a in repo.annotators() if a.role == "adjudicator"]
    if not adjudicators:
        raise ExportError(
            "--gold: no annotator has the role adjudicator; add one with "
            "`annotator annotators add NAME --role adjudicator` or export by --annotator"
        )
    if names is not None:
        adjudicators = [name for name in adjudicators if name in names]
    return adjudicators


def gold_documents(
    repo: Repository, annotators: Sequence[str] | None, on_notice: Notice | None = None
) -> dict[int, str]:
    """The adjudicator whose gold is exported, per document id; a document more than one
    adjudicator marked done is told to ``on_notice``."""
    chosen, notes = gold_choices(repo, finished=False, among=gold_annotators(repo, annotators))
    for line in notes:
        if on_notice is not None:
            on_notice(line)
    return chosen


def _documents_with_annotations(
    repo: Repository,
    annotators: Sequence[str] | None,
    on_document: DocumentProgress | None = None,
    gold: dict[int, str] | None = None,
) -> Iterator[tuple[Document, list[Annotation]]]:
    """Each document with its annotations (filtered), merging two id-ordered streams."""
    names = sorted(set(gold.values())) if gold is not None else annotators
    stream = repo.iter_annotations(annotators=names) if names != [] else iter(())
    grouped = groupby(stream, key=lambda a: a.document_id)
    pending = next(grouped, None)
    for done, document in enumerate(repo.iter_documents(), start=1):
        mine: list[Annotation] = []
        while pending is not None and pending[0] <= document.id:
            if pending[0] == document.id:
                mine = list(pending[1])
            pending = next(grouped, None)
        if gold is not None:
            mine = [a for a in mine if a.annotator == gold.get(document.id)]
        yield document, mine
        if on_document is not None:
            on_document(done)


def _status(
    status: dict[str, DocStatus], names: Sequence[str] | None, gold: str | None, gold_mode: bool
) -> dict[str, DocStatus]:
    if gold_mode:
        return {k: v for k, v in status.items() if k == gold}
    if names is not None:
        return {k: v for k, v in status.items() if k in names}
    return status


def export_jsonl(
    repo: Repository,
    out: TextIO,
    annotators: Sequence[str] | None = None,
    on_document: DocumentProgress | None = None,
    *,
    gold: bool = False,
    on_notice: Notice | None = None,
) -> int:
    """Write every document as one native JSONL line; returns the number of documents."""
    chosen = gold_documents(repo, annotators, on_notice) if gold else None
    names = _check_annotators(repo, annotators)
    statuses = repo.statuses()
    count = 0
    for document, found in _documents_with_annotations(repo, names, on_document, chosen):
        mine = chosen.get(document.id) if chosen is not None else None
        status = _status(statuses.get(document.id, {}), names, mine, gold)
        out.write(document_line(document, found, status))
        out.write("\n")
        count += 1
    return count


def export_csv(
    repo: Repository,
    out: TextIO,
    annotators: Sequence[str] | None = None,
    on_document: DocumentProgress | None = None,
    *,
    gold: bool = False,
    on_notice: Notice | None = None,
    raw: bool = False,
) -> int:
    """Write one CSV row per annotation (header first); returns the number of rows.

    Text cells that a spreadsheet would run as a formula get a leading ``'`` unless ``raw``
    (see :mod:`annotator.io.csv_safe`)."""
    chosen = gold_documents(repo, annotators, on_notice) if gold else None
    names = _check_annotators(repo, annotators)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    count = 0
    for document, found in _documents_with_annotations(repo, names, on_document, chosen):
        for a in found:
            writer.writerow(
                safe_row(
                    (
                        document.external_id,
                        a.annotator,
                        a.layer,
                        a.label,
                        a.start,
                        a.end,
                        document.text[a.start : a.end],
                        json.dumps(sorted_keys(a.attrs), ensure_ascii=False),
                        a.origin,
                    ),
                    raw=raw,
                )
            )
            count += 1
    return count
