"""Export: the native JSONL (lossless) and a CSV table with one row per annotation.

Both stream from the store's bulk readers (documents and annotations ordered by document id),
so memory stays flat on a large corpus. ``annotators`` restricts the annotations and statuses
to those people; an unknown name is refused rather than giving an empty file.
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
from annotator.store.dto import Annotation, Document

if TYPE_CHECKING:
    from annotator.store.repository import Repository

DocumentProgress = Callable[[int], None]
"""Called with the number of documents written so far, after each document."""

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


def _documents_with_annotations(
    repo: Repository,
    annotators: Sequence[str] | None,
    on_document: DocumentProgress | None = None,
) -> Iterator[tuple[Document, list[Annotation]]]:
    """Each document with its annotations (filtered), merging two id-ordered streams."""
    grouped = groupby(repo.iter_annotations(annotators=annotators), key=lambda a: a.document_id)
    pending = next(grouped, None)
    for done, document in enumerate(repo.iter_documents(), start=1):
        mine: list[Annotation] = []
        while pending is not None and pending[0] <= document.id:
            if pending[0] == document.id:
                mine = list(pending[1])
            pending = next(grouped, None)
        yield document, mine
        if on_document is not None:
            on_document(done)


def export_jsonl(
    repo: Repository,
    out: TextIO,
    annotators: Sequence[str] | None = None,
    on_document: DocumentProgress | None = None,
) -> int:
    """Write every document as one native JSONL line; returns the number of documents."""
    names = _check_annotators(repo, annotators)
    statuses = repo.statuses()
    count = 0
    for document, found in _documents_with_annotations(repo, names, on_document):
        status = statuses.get(document.id, {})
        if names is not None:
            status = {k: v for k, v in status.items() if k in names}
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
    raw: bool = False,
) -> int:
    """Write one CSV row per annotation (header first); returns the number of rows.

    Text cells that a spreadsheet would run as a formula get a leading ``'`` unless ``raw``
    (see :mod:`annotator.io.csv_safe`)."""
    names = _check_annotators(repo, annotators)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    count = 0
    for document, found in _documents_with_annotations(repo, names, on_document):
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
