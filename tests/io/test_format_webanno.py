"""WebAnno TSV 3 as INCEpTION writes it: UTF-16 offsets, stacked and multi-token spans."""

from __future__ import annotations

from pathlib import Path

import pytest
from interop_support import imported, native, put

from annotator.io.errors import ImportFileError

HEADER = (
    "#FORMAT=WebAnno TSV 3.3\n"
    "#T_SP=webanno.custom.Loaded|value\n"
    "#T_RL=webanno.custom.Link|kind|BT_webanno.custom.Loaded\n\n\n"
)
BODY = (
    "#Text=I like it \U0001f60a so\\tmuch .\n"
    "1-1\t0-1\tI\t_\t_\t_\t\n"
    "1-2\t2-6\tlike\temotive[1]|labeling\t_\t_\t\n"
    "1-3\t7-9\tit\temotive[1]\t_\t_\t\n"
    "1-4\t10-12\t\U0001f60a\t*\tblames\t1-2[1_0]\t\n"
    "1-5\t13-15\tso\t_\t_\t_\t\n"
    "1-6\t16-20\tmuch\t_\t_\t_\t\n"
    "1-7\t21-22\t.\t_\t_\t_\t\n"
    "\n"
    "#Text=Next one\\_here .\n"
    "2-1\t23-27\tNext\t\\_odd\t_\t_\t\n"
    "2-2\t28-36\tone_here\t_\t_\t_\t\n"
    "2-3\t37-38\t.\t_\t_\t_\t\n"
)


def test_tsv_spans_relations_and_escapes(tmp_path: Path) -> None:
    put(tmp_path / "annotation" / "story.txt" / "ana.tsv", HEADER + BODY)
    put(tmp_path / "map.yaml", "Loaded: drop\n_odd: loaded/fear\n")
    repo, report = imported("webanno", tmp_path / "annotation", mapping=tmp_path / "map.yaml")
    [record] = native(repo)
    assert record["id"] == "story" and record["status"] == {"ana": "done"}
    assert record["text"] == "I like it \U0001f60a so much .\nNext one_here .\n"
    got = sorted((a["label"], a["text"]) for a in record["annotations"])
    assert got == [("emotive", "like it"), ("fear", "Next"), ("labeling", "like")]
    assert "dropped 1 relation to or from a dropped annotation" in report.notes


def test_relation_between_kept_spans(tmp_path: Path) -> None:
    put(tmp_path / "doc.tsv", HEADER + BODY)
    put(tmp_path / "map.yaml", "Loaded: loaded/fear\n_odd: drop\n")
    repo, _ = imported(
        "webanno", tmp_path / "doc.tsv", annotator="ana", mapping=tmp_path / "map.yaml"
    )
    [record] = native(repo)
    fear = next(a for a in record["annotations"] if a["label"] == "fear")
    assert fear["text"] == "\U0001f60a"
    source = next(a for a in record["annotations"] if a["label"] == "emotive")
    assert source["attrs"]["relations"] == [
        {"type": "blames", "to": {"layer": "loaded", "label": "fear", "start": 10, "end": 11}}
    ]


def test_token_text_must_match_the_rebuilt_text(tmp_path: Path) -> None:
    put(tmp_path / "bad.tsv", HEADER + BODY.replace("1-3\t7-9\tit", "1-3\t7-9\tin"))
    with pytest.raises(ImportFileError, match=r"bad\.tsv:9: token 'in' differs"):
        imported("webanno", tmp_path / "bad.tsv", annotator="ana")
    put(tmp_path / "nofmt.tsv", "hello\n")
    with pytest.raises(ImportFileError, match=r"nofmt\.tsv:1: not a WebAnno TSV 3 file"):
        imported("webanno", tmp_path / "nofmt.tsv", annotator="ana")
