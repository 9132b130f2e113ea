"""Native JSONL lines: shape checks with the line number of the first bad line."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from annotator.io.errors import ImportFileError
from annotator.io.jsonl import parse_jsonl_file

Write = Callable[[str, str | bytes], Path]


def test_a_full_line_is_read(write: Write) -> None:
    line = {
        "id": "d1",
        "title": "T",
        "text": "He slammed it.",
        "meta": {"outlet": "X"},
        "segments": [[0, 14]],
        "status": {"ann": "done"},
        "annotations": [
            {
                "annotator": "ann",
                "layer": "loaded",
                "label": "emotive",
                "start": 3,
                "end": 10,
                "text": "slammed",
                "attrs": {"note": "n"},
                "origin": "manual",
            }
        ],
    }
    path = write("a.jsonl", json.dumps(line) + "\n\n")
    (record,) = parse_jsonl_file(path, "a.jsonl", "a")
    assert (record.external_id, record.title, record.line) == ("d1", "T", 1)
    assert record.segments == ((0, 14),)
    assert record.status == {"ann": "done"}
    (annotation,) = record.annotations
    assert (annotation.start, annotation.end, annotation.text) == (3, 10, "slammed")
    assert annotation.origin == "manual"
    assert not record.canonical


def test_only_text_is_required(write: Write) -> None:
    path = write("dir/b.jsonl", '\n{"text": "Hello."}\n')
    (record,) = parse_jsonl_file(path, "b.jsonl", "dir/b")
    assert (record.external_id, record.title, record.line) == ("dir/b:2", "dir/b:2", 2)
    assert record.segments is None
    assert record.annotations == ()


GOOD = '{"id": "ok", "text": "Fine."}\n'


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            '{"id": "x", "text": "a"',
            "broken JSON: Expecting ',' delimiter at column 24; fix the line",
        ),
        ("[1, 2]", "expected a JSON object per line, got list"),
        (
            '{"text": "a", "segmnets": []}',
            "unknown field 'segmnets'; expected only id, title, "
            "text, meta, segments, status, annotations",
        ),
        ('{"id": "x"}', "has no 'text'; add it"),
        ('{"text": 5}', "'text' must be a string, not int"),
        ('{"text": "  "}', "'text' is empty"),
        (
            '{"text": "a", "id": ""}',
            "'id' is empty; give the document an id or leave the field out",
        ),
        ('{"text": "a", "meta": []}', "'meta' must be an object, not list"),
        (
            '{"text": "a", "segments": [[0, 1.5]]}',
            "segment 1: expected [start, end] integers, got [0, 1.5]",
        ),
        (
            '{"text": "a", "status": {"ann": "finished"}}',
            "status of 'ann' is \"finished\"; use one of todo, in_progress, done",
        ),
        ('{"text": "a", "annotations": {}}', "'annotations' must be a list, not dict"),
        (
            '{"text": "a", "annotations": [{"annotator": "a", "layer": "l", "label": "x", '
            '"start": 0}]}',
            "annotation 1: has no 'end'; add it",
        ),
        (
            '{"text": "a", "annotations": [{"annotator": "a", "layer": "l", "label": "x", '
            '"start": true, "end": 1}]}',
            "annotation 1: 'start' must be an integer, got true",
        ),
        (
            '{"text": "a", "annotations": [{"annotator": " ", "layer": "l", "label": "x", '
            '"start": 0, "end": 1}]}',
            "annotation 1: 'annotator' is empty; name who made it",
        ),
        (
            '{"text": "a", "annotations": [{"annotator": "a", "layer": "l", "label": "x", '
            '"start": 0, "end": 1, "origin": "magic"}]}',
            "annotation 1: origin 'magic' is not one of manual, suggestion, import, adjudication",
        ),
        ('{"text": "a", "meta": {"x": NaN}}', "NaN is not JSON; write a number or null"),
        (
            '{"text": "a", "meta": {"x": 1e400}}',
            "number 1e400 is too large; write a smaller number or a string",
        ),
        (
            '{"text": "a\\ud800b"}',
            "an unpaired \\uD800-\\uDFFF escape is not a character; write "
            "the character itself or a valid surrogate pair",
        ),
    ],
)
def test_bad_lines_are_refused_with_their_line(write: Write, line: str, expected: str) -> None:
    path = write("x.jsonl", GOOD + GOOD.replace("ok", "ok2") + line + "\n" + GOOD)
    with pytest.raises(ImportFileError) as caught:
        parse_jsonl_file(path, "x.jsonl", "x")
    assert str(caught.value) == f"x.jsonl:3: {expected}"
    assert caught.value.line == 3


def test_a_valid_surrogate_pair_is_one_character(write: Write) -> None:
    path = write("e.jsonl", '{"text": "smile \\ud83d\\ude00"}\n')
    (record,) = parse_jsonl_file(path, "e.jsonl", "e")
    assert record.text == "smile \U0001f600"


def test_a_file_of_blank_lines_has_no_documents(write: Write) -> None:
    path = write("blank.jsonl", "\n \n")
    with pytest.raises(ImportFileError, match=r"^blank.jsonl: the file is empty"):
        parse_jsonl_file(path, "blank.jsonl", "blank")
