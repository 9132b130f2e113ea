"""Turning parsed records into validated documents for the store.

Each :class:`SourceRecord` is canonicalized (unless its parser already did), segmented (or its
own segments checked) and every annotation is checked against the text and the scheme: the
layer and label exist, the span lies inside the text, a span's quoted ``text`` equals
``text[start:end]``, a segment-layer annotation sits exactly on a segment (one label per
annotator, layer and segment), span attributes such as ``source`` and ``cue`` lie inside the
text. The first problem raises :class:`ImportFileError` naming the file and line.

A file that carries offsets must already hold canonical text: canonicalizing would shift the
characters under its offsets, so such text is refused rather than silently moved.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Mapping
from typing import Any, cast

from annotator.core.scheme import Scheme
from annotator.core.segment import split_sentences, validate_segments
from annotator.core.text import canonicalize, text_sha256
from annotator.io.errors import ImportFileError, quote
from annotator.io.records import SourceAnnotation, SourceRecord
from annotator.store.dto import NewAnnotation, NewDocument, Origin
from annotator.store.errors import StoreError
from annotator.store.validation import clean_name


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


def _check_attrs(attrs: Mapping[str, Any], length: int, what: str) -> None:
    """Span-shaped attributes (``{"start": s, "end": e}``) must lie inside the text."""
    for key, value in attrs.items():
        if isinstance(value, Mapping) and ("start" in value or "end" in value):
            start, end = value.get("start"), value.get("end")
            valid = all(isinstance(x, int) and not isinstance(x, bool) for x in (start, end))
            if not valid or not 0 <= cast(int, start) < cast(int, end) <= length:
                raise ValueError(
                    f"{what}attribute {key!r} span [{start}, {end}) is not inside the text "
                    f"(length {length}); use 0 <= start < end <= {length}"
                )


def _check_name(name: str, what: str) -> str:
    try:
        return clean_name(name)
    except StoreError as exc:
        raise ValueError(f"{what}{exc}") from None


def _annotation(
    index: int,
    item: SourceAnnotation,
    text: str,
    scheme: Scheme,
    segments: frozenset[tuple[int, int]],
    labelled: set[tuple[str, str, int, int]],
) -> NewAnnotation:
    what = f"annotation {index}: "
    layer = scheme.layer(item.layer)
    if layer is None:
        names = ", ".join(layer.name for layer in scheme.layers)
        raise ValueError(f"{what}unknown layer {item.layer!r}; scheme {scheme.name!r} has {names}")
    if layer.label(item.label) is None:
        raise ValueError(
            f"{what}unknown label {item.label!r} on layer {layer.name!r}; "
            f"use one of {', '.join(layer.label_names)}"
        )
    start, end, length = item.start, item.end, len(text)
    if not 0 <= start < end <= length:
        raise ValueError(
            f"{what}span [{start}, {end}) is outside the text (length {length}); "
            f"use 0 <= start < end <= {length}"
        )
    if item.text is not None and item.text != text[start:end]:
        raise ValueError(
            f"{what}span text {quote(item.text)} != text[{start}:{end}] "
            f"{quote(text[start:end])}; fix the offsets or the text"
        )
    if layer.kind == "segment":
        if (start, end) not in segments:
            raise ValueError(
                f"{what}layer {layer.name!r} labels whole segments, but [{start}, {end}) is not "
                "a segment; use the offsets of one of the document's segments"
            )
        key = (item.annotator, layer.name, start, end)
        if key in labelled:
            raise ValueError(
                f"{what}{item.annotator!r} already labelled segment [{start}, {end}) on layer "
                f"{layer.name!r}; keep one label per segment"
            )
        labelled.add(key)
    _check_attrs(item.attrs, length, what)
    try:
        json.dumps(item.attrs, allow_nan=False)
    except ValueError:
        raise ValueError(f"{what}attrs hold NaN or Infinity; use numbers or strings") from None
    return NewAnnotation(
        annotator=_check_name(item.annotator, what),
        layer=layer.name,
        label=item.label,
        start=start,
        end=end,
        attrs=dict(item.attrs),
        origin=cast(Origin, item.origin),
    )


def build_document(record: SourceRecord, scheme: Scheme) -> NewDocument:
    """The validated document of one record; raises :class:`ImportFileError` on bad input."""
    try:
        return _build(record, scheme)
    except ValueError as exc:
        if isinstance(exc, ImportFileError):
            raise
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
    if record.segments is None:
        segments = tuple(split_sentences(text))
    else:
        problem = validate_segments(text, list(record.segments))
        if problem is not None:
            raise ValueError(f"segments: {problem}; fix them or leave 'segments' out")
        segments = record.segments
    on_segment = frozenset(segments)
    labelled: set[tuple[str, str, int, int]] = set()
    annotations = tuple(
        _annotation(i, item, text, scheme, on_segment, labelled)
        for i, item in enumerate(record.annotations, 1)
    )
    return NewDocument(
        external_id=record.external_id,
        title=" ".join(canonicalize(record.title).split()) or record.external_id,
        text=text,
        sha256=text_sha256(text),
        meta=dict(record.meta),
        segments=segments,
        status={_check_name(name, "status: "): state for name, state in record.status.items()},
        annotations=annotations,
    )
