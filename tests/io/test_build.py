"""Validation of parsed records against their text and the scheme."""

from __future__ import annotations

import pytest

from annotator.core.scheme import Scheme
from annotator.core.text import text_sha256
from annotator.io.build import build_document
from annotator.io.errors import ImportFileError
from annotator.io.records import SourceAnnotation, SourceRecord

TEXT = 'Mr. Smith slammed the plan. "It is bad," he said.'
# segments of TEXT: [0, 27) and [28, 49)


def ann(
    layer: str = "loaded",
    label: str = "emotive",
    start: int = 10,
    end: int = 17,
    text: str | None = "slammed",
    annotator: str = "ann",
    attrs: dict[str, object] | None = None,
) -> SourceAnnotation:
    return SourceAnnotation(annotator, layer, label, start, end, text, attrs or {}, "import")


def record(*annotations: SourceAnnotation, text: str = TEXT, **fields: object) -> SourceRecord:
    return SourceRecord(
        path="x.jsonl",
        line=3,
        external_id="d1",
        title="A title",
        text=text,
        annotations=annotations,
        **fields,  # type: ignore[arg-type]
    )


def error(rec: SourceRecord, scheme: Scheme) -> str:
    with pytest.raises(ImportFileError) as caught:
        build_document(rec, scheme)
    return str(caught.value)


def test_a_valid_record_becomes_a_new_document(scheme: Scheme) -> None:
    segment = ann(
        "statement",
        "attributed",
        28,
        49,
        '"It is bad," he said.',
        attrs={"source": {"start": 41, "end": 43}, "cue": {"start": 44, "end": 48}},
    )
    doc = build_document(record(ann(), segment, status={"ann": "done"}), scheme)
    assert doc.text == TEXT
    assert doc.sha256 == text_sha256(TEXT)
    assert doc.segments == ((0, 27), (28, 49))
    assert doc.status == {"ann": "done"}
    assert [(a.layer, a.label, a.start, a.end) for a in doc.annotations] == [
        ("loaded", "emotive", 10, 17),
        ("statement", "attributed", 28, 49),
    ]
    assert doc.annotations[0].origin == "import"


def test_given_segments_are_used_verbatim(scheme: Scheme) -> None:
    doc = build_document(record(segments=((0, 9), (10, 49))), scheme)
    assert doc.segments == ((0, 9), (10, 49))


def test_text_without_offsets_is_canonicalized(scheme: Scheme) -> None:
    doc = build_document(record(text="Caf\u0065\u0301\r\nopen."), scheme)
    assert doc.text == "Caf\u00e9\nopen."


def test_titles_are_canonical_single_lines(scheme: Scheme) -> None:
    rec = SourceRecord("x.jsonl", 1, "d1", "A\x1b[2J\n title", "Text.")
    assert build_document(rec, scheme).title == "A\ufffd[2J title"


@pytest.mark.parametrize(
    ("rec", "expected"),
    [
        (
            record(ann(), ann(label="labeling", text="slamed")),
            "annotation 2: span text 'slamed' != text[10:17] 'slammed'; fix the offsets or the "
            "text",
        ),
        (
            record(ann(start=40, end=60, text=None)),
            "document 'd1', annotation 1: span [40, 60) is outside the text (0..49 code points) or "
            "empty; offsets are code points, half-open",
        ),
        (
            record(ann(start=5, end=5, text=None)),
            "document 'd1', annotation 1: span [5, 5) is outside the text (0..49 code points) or "
            "empty; offsets are code points, half-open",
        ),
        (
            record(ann(layer="tone")),
            "document 'd1', annotation 1: layer 'tone' is not in scheme 'test-scheme'"
            " (loaded, statement)",
        ),
        (
            record(ann(label="fear")),
            "document 'd1', annotation 1: label 'fear' is not in layer 'loaded'"
            " (emotive, labeling)",
        ),
        (
            record(ann("statement", "editorial", 0, 26, None)),
            "document 'd1', annotation 1: layer 'statement' labels whole sentences,"
            " but [0, 26) is not one of the document's sentences",
        ),
        (
            record(
                ann("statement", "editorial", 0, 27, None),
                ann("statement", "attributed", 0, 27, None),
            ),
            "document 'd1', annotation 2: ann labels sentence [0, 27) on layer 'statement' twice; "
            "keep one label per sentence",
        ),
        (
            record(ann(attrs={"source": {"start": 0, "end": 99}})),
            "document 'd1', annotation 1, attribute 'source': span [0, 99) is outside the text "
            "(0..49 code points) or empty; offsets are code points, half-open",
        ),
        (
            record(segments=((0, 30), (20, 49))),
            "document 'd1': segment 2 [20, 49) starts before segment 1 ends (30); segments must be "
            "sorted and must not overlap; fix the segments or leave them out",
        ),
        (
            record(ann(text=None), text="Tab\there, then slammed it."),
            "the text is not canonical (NFC, \\n line endings, no tabs or control characters): "
            "canonicalizing changes it at offset 3 (U+0009 '\\t'), which would "
            "shift its offsets; canonicalize the text and recompute the offsets",
        ),
        (
            record(text=" \n "),
            "the text is empty",
        ),
    ],
)
def test_bad_records_are_refused_naming_file_and_line(
    scheme: Scheme, rec: SourceRecord, expected: str
) -> None:
    assert error(rec, scheme) == f"x.jsonl:3: {expected}"


def test_segments_that_came_with_the_file_must_hold_canonical_text(scheme: Scheme) -> None:
    rec = record(text="Cafe\u0301 open.", segments=((0, 11),))
    assert "canonicalizing changes it at offset 3 (LATIN SMALL LETTER E 'e')" in error(rec, scheme)
