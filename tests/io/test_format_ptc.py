"""PTC / SemEval-2020 task 11: byte-order marks, sibling label folders, commas in techniques."""

from __future__ import annotations

from pathlib import Path

import pytest
from interop_support import comparable, exported, files, imported, native, put

from annotator.io.errors import ImportFileError
from annotator.io.formats.labelmap import UnmappedLabels

ARTICLE = "\ufeffThe illegals crossed.\r\nCritics slammed the   regime.\r\n"
MAP = (
    '"Name_Calling,Labeling": loaded/labeling\nLoaded_Language: loaded/emotive\nRepetition: drop\n'
)


def corpus(root: Path) -> Path:
    put(root / "train-articles" / "article111.txt", ARTICLE)
    put(root / "train-articles" / "article222.txt", "Nothing loaded here.\n")

    def span(phrase: str) -> str:
        start = ARTICLE.index(phrase)
        return f"{start}\t{start + len(phrase)}"

    put(
        root / "train-labels-task2-technique-classification" / "article111.task2-TC.labels",
        f"111\tName_Calling,Labeling\t{span('illegals')}\n"
        f"111\tLoaded_Language\t{span('slammed')}\n"
        f"111\tName_Calling,Labeling\t{span('the   regime')}\n"
        f"111\tRepetition\t{span('regime')}\n",
    )
    put(root / "train-labels-task2-technique-classification" / "article222.task2-TC.labels", "")
    put(
        root / "train-labels-task1-span-identification" / "article111.task1-SI.labels",
        "111\t4\t12\n",
    )
    put(root / "map.yaml", MAP)
    return root


def test_byte_order_mark_counts_as_character_zero_and_spans_land_on_the_same_words(
    tmp_path: Path,
) -> None:
    root = corpus(tmp_path)
    repo, report = imported(
        "ptc", root / "train-articles", annotator="gold", mapping=root / "map.yaml"
    )
    by_id = {r["id"]: r for r in native(repo)}
    record = by_id["111"]
    assert [(a["label"], a["text"]) for a in record["annotations"]] == [
        ("labeling", "illegals"),
        ("emotive", "slammed"),
        ("labeling", "the   regime"),
    ]
    assert by_id["222"]["status"] == {"gold": "done"}
    assert "dropped 1 annotation labelled 'Repetition' (mapped to drop)" in report.notes


def test_unmapped_techniques_stop_the_import_with_a_map_to_edit(tmp_path: Path) -> None:
    root = corpus(tmp_path)
    with pytest.raises(UnmappedLabels) as caught:
        imported("ptc", root / "train-articles", annotator="gold")
    error = caught.value
    assert set(error.labels) == {"Name_Calling,Labeling", "Loaded_Language", "Repetition"}
    assert "Name_Calling,Labeling: loaded/labeling" in error.template
    assert "Loaded_Language: loaded/emotive" in error.template
    assert "Repetition: drop" in error.template
    assert "task2-TC.labels:2: " in str(error)
    put(tmp_path / "edited.yaml", error.template)
    repo, _ = imported(
        "ptc", root / "train-articles", annotator="gold", mapping=tmp_path / "edited.yaml"
    )
    assert len(native(repo)[0]["annotations"]) == 3


def test_ptc_to_ours_to_ptc_and_back(tmp_path: Path) -> None:
    root = corpus(tmp_path)
    first, _ = imported("ptc", root / "train-articles", annotator="gold", mapping=root / "map.yaml")
    exported(first, "ptc", tmp_path / "out")
    written = files(tmp_path / "out")
    assert written["article111.labels"].splitlines()[0] == "111\tlabeling\t4\t12"
    assert written["article222.labels"] == ""
    second, _ = imported("ptc", tmp_path / "out", annotator="gold")
    assert comparable(native(second)) == comparable(native(first))
    exported(second, "ptc", tmp_path / "again")
    assert files(tmp_path / "again") == written


def test_label_lines_split_on_tabs_only_and_are_checked(tmp_path: Path) -> None:
    put(tmp_path / "a" / "article9.txt", "Some text here.\n")
    put(tmp_path / "a" / "article9.labels", "9\tName_Calling,Labeling\t0\t99\n")
    with pytest.raises(ImportFileError, match=r"article9\.labels:1: .*past the end"):
        imported("ptc", tmp_path / "a", annotator="gold")
    put(tmp_path / "a" / "article9.labels", "9,Name_Calling,0,4\n")
    with pytest.raises(ImportFileError, match=r"article9\.labels:1: .*tab-separated"):
        imported("ptc", tmp_path / "a", annotator="gold")
