"""Turning parsed records into validated documents for the store.

Each :class:`SourceRecord` is canonicalized (unless its parser already did), segmented (or its
own segments checked) and every annotation is checked against the text and the scheme: the
layer and label exist, the span lies inside the text, a span's quoted ``text`` equals
``text[start:end]``, a segment-layer annotation sits exactly on a segment (one label per
annotator, layer and segment), span attributes such as ``source`` and ``cue`` lie inside the
text. The rules are :mod:`annotator.service.checks`, the same the annotate screen and the
CLI obey; the first problem raises :class:`ImportFileError` naming the file and line.

A file that carries offsets must already hold canonical text: canonicalizing would shift the
characters under its offsets, so such text is refused rather than silently moved.
"""

from __future__ import annotations

import unicodedata
from typing import cast

from annotator.core.scheme import Scheme
from annotator.core.segment import split_sentences
from annotator.core.text import canonicalize, text_sha256
from annotator.io.errors import ImportFileError, quote
from annotator.io.records import SourceAnnotation, SourceRecord
from annotator.service import checks
from annotator.store.dto import NewAnnotation, NewDocument, Origin
from annotator.store.errors import StoreError


def _first_difference(raw: str, canonical: str) -> str:
    """Where and how canonicalization changes ``raw``, for the error message."""
    index = next(
        (i for i, (a, b) in enumerate(zip(raw, canonical, strict=False)) if a != b),
        min(len(raw), len(canonical)),
    )
    if index >= len(raw):
        return f"at offset {index}"
    char = raw[index]
    name = unicodedata.name(char, f"U+{ord(char):04X}")
    return f"at offset {index} ({name} {quote(char)})"


def _annotation(index: int, item: SourceAnnotation) -> NewAnnotation:
    """The record's annotation as the store takes it (checked with its document)."""
    where = f"annotation {index}"
    return NewAnnotation(
        annotator=checks.check_name(item.annotator, where),
        layer=item.layer,
        label=item.label,
        start=item.start,
        end=item.end,
        attrs=checks.clean_json(dict(item.attrs), where, "attrs"),
        origin=cast(Origin, item.origin),
    )


def build_document(record: SourceRecord, scheme: Scheme) -> NewDocument:
    """The validated document of one record; raises :class:`ImportFileError` on bad input."""
    try:
        return _build(record, scheme)
    except ImportFileError:
        raise
    except (ValueError, StoreError) as exc:
        raise ImportFileError(record.path, str(exc), record.line) from None


def _build(record: SourceRecord, scheme: Scheme) -> NewDocument:
    text = record.text if record.canonical else canonicalize(record.text)
    if text != record.text and (record.segments is not None or record.annotations):
        raise ValueError(
            "the text is not canonical (NFC, \\n line endings, no tabs or control characters): "
            f"canonicalizing changes it {_first_difference(record.text, text)}, which would "
            "shift its offsets; canonicalize the text and recompute the offsets"
        )
    if not text.strip():
        raise ValueError("the text is empty")
    segments = tuple(split_sentences(text)) if record.segments is None else record.segments
    external_id = checks.check_external_id(record.external_id, "'id'")
    document = NewDocument(
        external_id=external_id,
        title=" ".join(canonicalize(record.title).split()) or external_id,
        text=text,
        sha256=text_sha256(text),
        meta=checks.clean_json(dict(record.meta), "", "meta"),
        segments=segments,
        status={checks.check_name(name, "status"): state for name, state in record.status.items()},
        annotations=tuple(_annotation(i, item) for i, item in enumerate(record.annotations, 1)),
    )
    checks.check_new_document(scheme, document)
    for number, item in enumerate(record.annotations, 1):
        checks.check_span_text(text, item.start, item.end, item.text, f"annotation {number}")
    return document
