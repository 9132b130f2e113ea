"""One text met twice in an import is folded into one document; conflicts are refused."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from annotator.core.scheme import Scheme
from annotator.io.errors import ImportFileError
from annotator.io.importer import build_documents, import_paths, read_sources
from annotator.resources import examples_dir
from annotator.store.repository import Repository

Write = Callable[[str, str | bytes], Path]
TEXT = 'Mr. Smith slammed the plan. "It is bad," he said.'


def jsonl_line(**fields: object) -> str:
    record: dict[str, object] = {"id": "story", "text": TEXT}
    record.update(fields)
    return json.dumps(record) + "\n"


def span(annotator: str = "ann", **fields: object) -> dict[str, object]:
    value: dict[str, object] = {
        "annotator": annotator, "layer": "loaded", "label": "emotive", "start": 10, "end": 17,
    }  # fmt: skip
    value.update(fields)
    return value


def label(annotator: str, name: str) -> dict[str, object]:
    return {"annotator": annotator, "layer": "statement", "label": name, "start": 0, "end": 27}


def test_a_text_file_and_its_annotated_jsonl_line_become_one_document(
    tmp_path: Path, write: Write, scheme: Scheme
) -> None:
    write("a/story.txt", "The title\n\n" + TEXT)
    write(
        "a/story.jsonl",
        jsonl_line(status={"ann": "done"}, annotations=[span(), label("ann", "editorial")])
        + jsonl_line(
            id="other-id",
            status={"bob": "todo"},
            annotations=[span(), span("bob"), label("bob", "attributed")],
        ),
    )
    checked = build_documents(read_sources([tmp_path / "a"]), scheme)
    (only,) = checked
    assert only.folded == 2
    assert only.document.title == "The title"
    assert only.document.external_id == "story"
    assert only.document.status == {"ann": "done", "bob": "todo"}
    assert [(a.annotator, a.label) for a in only.document.annotations] == [
        ("ann", "emotive"),
        ("ann", "editorial"),
        ("bob", "emotive"),
        ("bob", "attributed"),
    ]


@pytest.mark.parametrize(
    ("second", "expected"),
    [
        (
            jsonl_line(segments=[[0, 49]]),
            "other segments; give both the same segments or leave them out",
        ),
        (
            jsonl_line(status={"ann": "todo"}),
            "status of 'ann' is 'todo' here and 'done' there",
        ),
        (
            jsonl_line(annotations=[label("ann", "editorial")]),
            "annotation 1 labels segment [0, 27) 'editorial' for 'ann' and there it is "
            "'attributed'",
        ),
    ],
)
def test_what_cannot_be_folded_is_refused(
    tmp_path: Path, write: Write, scheme: Scheme, second: str, expected: str
) -> None:
    path = write(
        "x.jsonl",
        jsonl_line(status={"ann": "done"}, annotations=[label("ann", "attributed")]) + second,
    )
    with pytest.raises(ImportFileError) as caught:
        build_documents(read_sources([path]), scheme)
    assert str(caught.value) == f"{path}:2: same text as {path}:1, but {expected}"


def test_the_examples_folder_imports_with_the_reviews() -> None:
    with Repository.in_memory() as repo:
        report = import_paths(repo, [examples_dir()])
        assert report.added == len(list(examples_dir().glob("*.txt")))
        assert report.skipped == report.added  # each article again in reviews.jsonl
        assert report.annotations > 0
        assert {a.name for a in repo.annotators()} >= {"ana", "ben"}
        again = import_paths(repo, [examples_dir()])
        assert (again.added, again.skipped) == (0, 2 * report.added)
        assert again.skipped_annotations == report.annotations
