"""Which files an import reads, in which order, under which ids; duplicate ids."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from annotator.core.scheme import Scheme
from annotator.io.errors import ImportFileError
from annotator.io.importer import build_documents, collect_files, read_sources

Write = Callable[[str, str | bytes], Path]


def test_folders_are_walked_recursively_sorted_known_extensions_only(
    tmp_path: Path, write: Write
) -> None:
    write("corpus/b.txt", "B.")
    write("corpus/a/z.md", "Z.")
    write("corpus/a/rows.csv", "text\nOne.\n")
    write("corpus/c.jsonl", '{"text": "C."}\n')
    write("corpus/notes.pdf", b"%PDF")
    write("corpus/.hidden.txt", "H.")
    write("corpus/.git/x.txt", "G.")
    files = collect_files([str(tmp_path / "corpus")])
    shown = [f.display[len(str(tmp_path)) + 1 :] for f in files]
    assert shown == ["corpus/a/rows.csv", "corpus/a/z.md", "corpus/b.txt", "corpus/c.jsonl"]
    records = read_sources([str(tmp_path / "corpus")])
    assert [r.external_id for r in records] == ["a/rows:1", "a/z", "b", "c:1"]


def test_a_single_file_is_named_by_its_stem(write: Write) -> None:
    path = write("deep/story.txt", "Hello.")
    (record,) = read_sources([path])
    assert record.external_id == "story"
    assert record.path == str(path)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("missing.txt", "missing.txt: no such file or folder; check the path"),
        ("paper.pdf", "paper.pdf: cannot import .pdf files; use .txt, .md, .csv, .jsonl"),
        (
            "empty-dir",
            "empty-dir: no .txt, .md, .csv, .jsonl files in this folder; nothing to import",
        ),
    ],
)
def test_unusable_paths_are_refused(
    tmp_path: Path, write: Write, monkeypatch: pytest.MonkeyPatch, name: str, expected: str
) -> None:
    write("paper.pdf", b"%PDF")
    (tmp_path / "empty-dir").mkdir()
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ImportFileError) as caught:
        collect_files([name])
    assert str(caught.value) == expected


def test_duplicate_ids_within_an_import_are_refused(
    tmp_path: Path, write: Write, scheme: Scheme
) -> None:
    write("a.jsonl", '{"id": "n1", "text": "One."}\n{"id": "n2", "text": "Two."}\n')
    write("b.csv", "id,text\nn3,Three.\nn2,Again.\n")
    records = read_sources([tmp_path])
    with pytest.raises(ImportFileError) as caught:
        build_documents(records, scheme)
    first, dup = tmp_path / "a.jsonl", tmp_path / "b.csv"
    assert str(caught.value) == (
        f"{dup}:3: duplicate id 'n2' (first at {first}:2) with another text; "
        "give each document its own id"
    )
