"""doccano JSONL: its three shapes, label ids through a map, CRLF-shifted offsets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from interop_support import comparable, exported, files, imported, native, put

from annotator.io.errors import ImportFileError

TEXT = "The regime slammed  critics. Rents soared."


def span(phrase: str, text: str = TEXT) -> list[int]:
    start = text.index(phrase)
    return [start, start + len(phrase)]


def test_the_three_shapes_and_label_ids(tmp_path: Path) -> None:
    lines = [
        {"id": "a", "text": TEXT, "label": [[*span("regime"), "labeling"]]},
        {
            "id": "b",
            "text": TEXT + " More.",
            "entities": [
                {
                    "id": 1,
                    "label": "emotive",
                    "start_offset": span("slammed  ")[0],
                    "start_offset_": 0,
                    "end_offset": span("slammed  ")[1],
                }
            ],
            "relations": [],
        },
        {
            "id": 3,
            "text": TEXT + " Old.",
            "annotations": [
                {
                    "label": 7,
                    "start_offset": span("soared")[0],
                    "end_offset": span("soared")[1],
                    "user": 2,
                }
            ],
        },
    ]
    put(tmp_path / "ana.jsonl", "".join(json.dumps(x) + "\n" for x in lines))
    put(tmp_path / "map.yaml", "7: loaded/exaggeration\n")
    repo, _ = imported("doccano", tmp_path / "ana.jsonl", mapping=tmp_path / "map.yaml")
    got = {
        (r["id"], a["annotator"], a["label"], a["text"])
        for r in native(repo)
        for a in r["annotations"]
    }
    assert got == {
        ("a", "ana", "labeling", "regime"),
        ("b", "ana", "emotive", "slammed  "),
        ("ana:3", "doccano-2", "exaggeration", "soared"),
    }


def test_offsets_counted_without_carriage_returns_are_recognised(tmp_path: Path) -> None:
    text = "First line here.\r\nSecond line slammed it.\r\nThird soared."
    view = text.replace("\r\n", "\n")
    line = {
        "text": text,
        "label": [[*span("slammed", view), "emotive"], [*span("soared", view), "exaggeration"]],
    }
    put(tmp_path / "u.jsonl", json.dumps(line) + "\n")
    repo, _ = imported("doccano", tmp_path / "u.jsonl")
    assert [a["text"] for a in native(repo)[0]["annotations"]] == ["slammed", "soared"]


def test_doccano_round_trips(tmp_path: Path) -> None:
    hand = {
        "id": "r1",
        "text": "The regime slammed critics 😀.\n",
        "entities": [
            {"id": 1, "label": "labeling", "start_offset": 4, "end_offset": 10},
            {"id": 2, "label": "emotive", "start_offset": 4, "end_offset": 18},
            {"id": 3, "label": "emotive", "start_offset": 11, "end_offset": 18},
        ],
        "relations": [{"id": 1, "from_id": 3, "to_id": 1, "type": "targets"}],
    }
    put(tmp_path / "in" / "ana.jsonl", json.dumps(hand, ensure_ascii=False) + "\n")
    first, _ = imported("doccano", tmp_path / "in")
    exported(first, "doccano", tmp_path / "out")
    assert files(tmp_path / "out") == files(tmp_path / "in")
    second, _ = imported("doccano", tmp_path / "out")
    assert comparable(native(second)) == comparable(native(first))


def test_broken_lines_name_file_and_line(tmp_path: Path) -> None:
    put(tmp_path / "x.jsonl", '{"text": "ok", "label": []}\n{"text": \n')
    with pytest.raises(ImportFileError, match=r"x\.jsonl:2: broken JSON"):
        imported("doccano", tmp_path / "x.jsonl")
    put(tmp_path / "y.jsonl", '{"text": "ok", "label": [[0, 9, "emotive"]]}\n')
    with pytest.raises(ImportFileError, match=r"y\.jsonl:1: .*outside the text"):
        imported("doccano", tmp_path / "y.jsonl")
