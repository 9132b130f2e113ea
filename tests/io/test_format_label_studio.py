"""Label Studio JSON: offset conventions per task, drafts, predictions, choices, round trips."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from interop_support import comparable, exported, imported, native, put

from annotator.io.errors import ImportFileError
from annotator.io.formats.importing import import_format
from annotator.store.repository import Repository

TEXT = "Fans 😀😀 slammed the “regime” again.\r\nIt soared."


def region(rid: str, start: int, end: int, text: str, label: str) -> dict[str, Any]:
    return {
        "id": rid,
        "from_name": "label",
        "to_name": "text",
        "type": "labels",
        "value": {"start": start, "end": end, "text": text, "labels": [label]},
    }


def task(text: str, results: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {
        "id": 7,
        "data": {"text": text},
        "annotations": [{"id": 1, "completed_by": 3, "result": results}],
        **extra,
    }


def test_utf16_offsets_of_an_older_export_are_detected_and_converted(tmp_path: Path) -> None:
    # "slammed" starts at code point 8, UTF-16 unit 10; CRLF counted as two characters
    soared = len(TEXT[: TEXT.index("soared")].encode("utf-16-le")) // 2
    tasks = [
        task(
            TEXT,
            [
                region("a", 10, 17, "slammed", "emotive"),
                region("b", soared, soared + 6, "soared", "exaggeration"),
            ],
        )
    ]
    put(tmp_path / "old.json", json.dumps(tasks, ensure_ascii=False))
    repo, _ = imported("label-studio", tmp_path / "old.json")
    [record] = native(repo)
    assert record["id"] == "old:7" and record["status"] == {"ls-3": "done"}
    assert [a["text"] for a in record["annotations"]] == ["slammed", "soared"]
    assert record["annotations"][0]["start"] == 8


def test_code_point_offsets_of_a_newer_export_are_kept(tmp_path: Path) -> None:
    tasks = [task(TEXT, [region("a", 8, 15, "slammed", "emotive")])]
    put(tmp_path / "new.json", json.dumps(tasks, ensure_ascii=False))
    repo, _ = imported("label-studio", tmp_path / "new.json")
    assert native(repo)[0]["annotations"][0]["text"] == "slammed"


def test_offsets_that_fit_neither_convention_are_refused_with_file_and_line(
    tmp_path: Path,
) -> None:
    tasks = [
        task("plain text", [region("a", 0, 5, "plain", "emotive")]),
        task(TEXT, [region("a", 9, 16, "slammed", "emotive")]),
    ]
    body = "[\n" + ",\n".join(json.dumps(t, ensure_ascii=False) for t in tasks) + "\n]\n"
    put(tmp_path / "bad.json", body)
    with pytest.raises(ImportFileError, match=r"bad\.json:3: .*neither code points nor UTF-16"):
        imported("label-studio", tmp_path / "bad.json")


def test_broken_json_names_the_line(tmp_path: Path) -> None:
    put(tmp_path / "broken.json", '[\n{"data": {"text": "x"}},\n{"data": oops}\n]\n')
    with pytest.raises(ImportFileError, match=r"broken\.json:3: broken JSON"):
        imported("label-studio", tmp_path / "broken.json")


def test_drafts_cancelled_predictions_and_choices(tmp_path: Path) -> None:
    text = "The regime slammed critics."
    tasks = [
        {
            "id": 1,
            "data": {"body": text, "outlet": "Ledger"},
            "annotations": [
                {
                    "completed_by": {"id": 4, "email": "ana@example.org"},
                    "result": [
                        region("r1", 4, 10, "regime", "labeling"),
                        {
                            "id": "c",
                            "type": "choices",
                            "from_name": "tone",
                            "to_name": "text",
                            "value": {"choices": ["Negative"]},
                        },
                    ],
                },
                {"completed_by": 5, "was_cancelled": True, "result": []},
            ],
            "drafts": [{"user": 6, "result": [region("d", 0, 3, "The", "emotive")]}],
            "predictions": [
                {
                    "model_version": "lexicon-1",
                    "result": [region("p", 11, 18, "slammed", "emotive")],
                }
            ],
        }
    ]
    put(tmp_path / "t.json", json.dumps(tasks))
    repo, report = imported("label-studio", tmp_path / "t.json", text_key="body")
    [record] = native(repo)
    assert record["meta"] == {
        "outlet": "Ledger",
        "labels": {"ana@example.org": {"tone": ["Negative"]}},
    }
    assert {(a["annotator"], a["origin"]) for a in record["annotations"]} == {
        ("ana@example.org", "import"),
        ("lexicon-1", "suggestion"),
    }
    assert "skipped 1 drafts" in report.notes and "skipped 1 cancelled annotations" in report.notes
    roles = {a.name: a.role for a in repo.annotators()}
    assert roles == {"ana@example.org": "annotator", "lexicon-1": "machine"}
    document = repo.documents()[0].id
    assert [(s.annotator, s.label) for s in repo.suggestions(document)] == [
        ("lexicon-1", "emotive")
    ]


def test_a_mapped_choice_labels_the_text_as_one_sentence(tmp_path: Path) -> None:
    text = "Officials said the bridge will reopen. Mr. Hale agreed."
    tasks = [
        {
            "id": 2,
            "data": {"text": text},
            "annotations": [
                {
                    "completed_by": 1,
                    "result": [
                        {
                            "type": "choices",
                            "from_name": "s",
                            "to_name": "text",
                            "value": {"choices": ["OBJ"]},
                        }
                    ],
                }
            ],
        }
    ]
    put(tmp_path / "s.json", json.dumps(tasks))
    put(tmp_path / "map.yaml", "OBJ: statement/reporting\n")
    repo, _ = imported("label-studio", tmp_path / "s.json", mapping=tmp_path / "map.yaml")
    [record] = native(repo)
    assert record["segments"] == [[0, len(text)]]
    assert record["annotations"][0]["label"] == "reporting"


def test_text_key_and_unclear_text_field(tmp_path: Path) -> None:
    put(tmp_path / "k.json", json.dumps([{"data": {"a": "one text", "b": "another"}}]))
    with pytest.raises(ImportFileError, match="--text-key"):
        imported("label-studio", tmp_path / "k.json")
    repo, _ = imported("label-studio", tmp_path / "k.json", text_key="b")
    assert native(repo)[0]["text"] == "another"


HAND = [
    {
        "id": 1,
        "data": {
            "text": "Rents soared 😀 as the regime slammed critics.\n",
            "id": "r1",
            "title": "Rents",
        },
        "annotations": [
            {
                "completed_by": {"email": "ana"},
                "was_cancelled": False,
                "result": [
                    {
                        "id": "T1",
                        "from_name": "loaded",
                        "to_name": "text",
                        "type": "labels",
                        "value": {
                            "start": 6,
                            "end": 12,
                            "text": "soared",
                            "labels": ["exaggeration"],
                        },
                    },
                    {
                        "id": "T2",
                        "from_name": "loaded",
                        "to_name": "text",
                        "type": "labels",
                        "value": {
                            "start": 6,
                            "end": 14,
                            "text": "soared 😀",
                            "labels": ["emotive"],
                        },
                        "meta": {"text": ["overlap"]},
                    },
                    {
                        "id": "T3",
                        "from_name": "loaded",
                        "to_name": "text",
                        "type": "labels",
                        "value": {"start": 22, "end": 28, "text": "regime", "labels": ["labeling"]},
                    },
                    {
                        "from_id": "T3",
                        "to_id": "T1",
                        "type": "relation",
                        "direction": "right",
                        "labels": ["blames"],
                    },
                ],
            },
            {"completed_by": 12, "was_cancelled": False, "result": []},
        ],
        "predictions": [
            {
                "model_version": "lexicon",
                "result": [
                    {
                        "id": "T1",
                        "from_name": "loaded",
                        "to_name": "text",
                        "type": "labels",
                        "value": {"start": 29, "end": 36, "text": "slammed", "labels": ["emotive"]},
                    }
                ],
            }
        ],
    }
]


def test_label_studio_to_ours_to_label_studio_gives_the_same_tasks(tmp_path: Path) -> None:
    put(tmp_path / "hand.json", json.dumps(HAND, ensure_ascii=False))
    repo, _ = imported("label-studio", tmp_path / "hand.json")
    exported(repo, "label-studio", tmp_path / "out.json")
    assert json.loads((tmp_path / "out.json").read_text(encoding="utf-8")) == HAND


def test_ours_to_label_studio_to_ours_is_identical(tmp_path: Path) -> None:
    put(tmp_path / "hand.json", json.dumps(HAND, ensure_ascii=False))
    first, _ = imported("label-studio", tmp_path / "hand.json")
    exported(first, "label-studio", tmp_path / "out.json")
    second = Repository.in_memory()
    import_format(second, "label-studio", [tmp_path / "out.json"])
    assert comparable(native(second)) == comparable(native(first))
