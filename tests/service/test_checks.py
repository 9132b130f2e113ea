"""The checks every annotation passes before the store sees it, with one wording."""

from __future__ import annotations

import pytest
from service_support import new_document

from annotator.core.scheme_loader import load_scheme
from annotator.resources import default_scheme_path
from annotator.service import checks
from annotator.store.dto import NewAnnotation
from annotator.store.errors import InvalidAnnotation, InvalidInput

SCHEME = load_scheme(default_scheme_path())


def _span(label: str, start: int, end: int, **attrs: object) -> NewAnnotation:
    return NewAnnotation("bob", "loaded", label, start, end, attrs)


@pytest.mark.parametrize(
    ("annotation", "message"),
    [
        (NewAnnotation("bob", "nolayer", "x", 0, 3, {}), "layer 'nolayer' is not in scheme"),
        (NewAnnotation("bob", "loaded", "nolabel", 0, 3, {}), "label 'nolabel' is not in layer"),
        (_span("emotive", 5, 5), "outside the text"),
        (_span("emotive", 0, 10_000), "outside the text"),
        (NewAnnotation("bob", "statement", "editorial", 0, 5, {}), "is not one of the"),
        (_span("emotive", 0, 3, source={"start": 0, "end": 999}), "attribute 'source'"),
        (NewAnnotation("bob", "loaded", "emotive", 0, 3, {}, "guess"), "origin 'guess'"),  # type: ignore[arg-type]
        (NewAnnotation(" ", "loaded", "emotive", 0, 3, {}), "annotator name is empty"),
        (NewAnnotation("a\x1bb", "loaded", "emotive", 0, 3, {}), "control characters"),
        (_span("emotive", 0, 3, x=float("nan")), "cannot be stored as JSON"),
    ],
)
def test_a_bad_annotation_names_document_and_annotation(
    annotation: NewAnnotation, message: str
) -> None:
    doc = new_document("second", annotations=[_span("emotive", 0, 3), annotation])
    with pytest.raises((InvalidAnnotation, InvalidInput)) as caught:
        checks.check_new_document(SCHEME, doc)
    line = str(caught.value)
    assert "\n" not in line
    assert line.startswith("document 'second', annotation 2")
    assert message in line


def test_one_label_per_reviewer_and_sentence() -> None:
    start, end = new_document("a").segments[0]
    twice = [
        NewAnnotation("bob", "statement", "editorial", start, end, {}),
        NewAnnotation("bob ", "statement", "reporting", start, end, {}),
    ]
    with pytest.raises(InvalidAnnotation, match="annotation 2: bob labels sentence"):
        checks.check_new_document(SCHEME, new_document("a", annotations=twice))


def test_statuses_and_segments_are_checked() -> None:
    with pytest.raises(InvalidInput, match="status 'finished' is not one of"):
        checks.check_new_document(SCHEME, new_document("a", status={"bob": "finished"}))  # type: ignore[dict-item]
    doc = new_document("b")
    bad = type(doc)(**{**{f: getattr(doc, f) for f in doc.__slots__}, "segments": ((5, 3),)})  # type: ignore[attr-defined]
    with pytest.raises(InvalidInput, match=r"document 'b': segment 1 \[5, 3\) is empty"):
        checks.check_new_document(SCHEME, bad)


def test_sentence_numbers_count_from_one() -> None:
    assert checks.check_sentence(1, 3) == 0
    assert checks.check_sentence(3, 3) == 2
    with pytest.raises(InvalidAnnotation, match="no sentence 4: the document has 3 sentences"):
        checks.check_sentence(4, 3)
    with pytest.raises(InvalidAnnotation, match="has 1 sentence, counted from 1"):
        checks.check_sentence(0, 1)


def test_roles_and_kinds() -> None:
    with pytest.raises(InvalidInput, match="role 'boss' is not one of annotator"):
        checks.check_role("boss")
    statement = checks.check_layer(SCHEME, "statement")
    with pytest.raises(InvalidAnnotation, match="labels whole sentences: label a sentence"):
        checks.check_kind(statement, "span")
    with pytest.raises(InvalidAnnotation, match="holds spans: mark a span"):
        checks.check_kind(checks.check_layer(SCHEME, "loaded"), "segment")


def test_span_text_must_match_the_offsets() -> None:
    checks.check_span_text("Mayor said", 6, 10, "said")
    with pytest.raises(InvalidAnnotation, match="span text 'sad' != text\\[6:10\\] 'said'"):
        checks.check_span_text("Mayor said", 6, 10, "sad", "annotation 1")
