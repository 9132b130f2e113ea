"""One document met twice in an import: the same text under the same id, or under two ids.

A corpus often carries an article both as a plain-text file and as a line of a JSONL file with
reviewers' annotations (``examples/`` does). Such records are folded into the first one: their
annotations and statuses are added to it, exact repeats dropped, so nothing a file carries is
silently lost. What cannot be folded is refused with the file and line: different segments for
the same text, two statuses of one annotator, two labels of one annotator on one segment, or
the same span of one annotator with other attributes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

from annotator.core.scheme import Scheme
from annotator.io.errors import ImportFileError
from annotator.io.records import SourceRecord
from annotator.store.dto import NewAnnotation, NewDocument


@dataclass(frozen=True, slots=True)
class Checked:
    """A validated document, the record it was first read from, and how many were folded in."""

    document: NewDocument
    record: SourceRecord
    folded: int = 0


def _key(a: NewAnnotation) -> tuple[object, ...]:
    return (
        a.annotator,
        a.layer,
        a.label,
        a.start,
        a.end,
        a.origin,
        json.dumps(a.attrs, sort_keys=True),
    )


def _stand_in(document: NewDocument) -> bool:
    return document.title == document.external_id


def fold(first: Checked, document: NewDocument, record: SourceRecord, scheme: Scheme) -> Checked:
    """``first`` with ``document`` (the same text, read from ``record``) folded into it."""
    base = first.document

    def refuse(message: str) -> ImportFileError:
        return ImportFileError(
            record.path, f"same text as {first.record.where}, but {message}", record.line
        )

    if document.segments != base.segments:
        raise refuse("other segments; give both the same segments or leave them out")
    status = dict(base.status)
    for name, state in document.status.items():
        if status.setdefault(name, state) != state:
            raise refuse(f"status of {name!r} is {state!r} here and {status[name]!r} there")
    segment_layers = {layer.name for layer in scheme.segment_layers}
    seen = {_key(a) for a in base.annotations}
    labels = {
        (a.annotator, a.layer, a.start, a.end): a.label
        for a in base.annotations
        if a.layer in segment_layers
    }
    spans = {(a.annotator, a.layer, a.label, a.start, a.end) for a in base.annotations}
    added: list[NewAnnotation] = []
    for index, annotation in enumerate(document.annotations, 1):
        key = _key(annotation)
        if key in seen:
            continue
        if annotation.layer in segment_layers:
            slot = (annotation.annotator, annotation.layer, annotation.start, annotation.end)
            other = labels.setdefault(slot, annotation.label)
            if other != annotation.label:
                raise refuse(
                    f"annotation {index} labels segment [{annotation.start}, {annotation.end}) "
                    f"{annotation.label!r} for {annotation.annotator!r} and there it is {other!r}"
                )
        span = (
            annotation.annotator,
            annotation.layer,
            annotation.label,
            annotation.start,
            annotation.end,
        )
        if span in spans:
            raise refuse(
                f"annotation {index} is the same span as one there ({annotation.annotator},"
                f" {annotation.layer}/{annotation.label}, [{annotation.start}, {annotation.end}))"
                " with other attributes or origin; keep one of them"
            )
        spans.add(span)
        seen.add(key)
        added.append(annotation)
    merged = replace(
        base,
        # a title that merely repeats the id is a stand-in: a real one wins
        title=document.title if _stand_in(base) and not _stand_in(document) else base.title,
        meta={**document.meta, **base.meta},
        status=status,
        annotations=(*base.annotations, *added),
    )
    return Checked(merged, first.record, first.folded + 1)
