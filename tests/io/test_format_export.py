"""Exports to other formats: every loss listed before writing, --force, --gold, CSV, spaCy."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from interop_support import comparable, exported, native, put

from annotator.io.errors import ExportError, ImportFileError
from annotator.io.export import export_csv, export_jsonl
from annotator.io.formats.exporting import LossesFound
from annotator.io.formats.importing import import_format
from annotator.io.importer import import_paths
from annotator.store.repository import Repository

TEXT = "The mayor slammed the plan. Critics say the regime will fail.\n"


def database(tmp_path: Path) -> Repository:
    put(tmp_path / "in" / "ana" / "d.txt", TEXT)
    put(
        tmp_path / "in" / "ana" / "d.ann",
        "T1\temotive 0 9;18 26\tThe mayor the plan\nT2\temotive 10 17\tslammed\n"
        "#1\tAnnotatorNotes T2\tverb\n",
    )
    put(tmp_path / "in" / "bob" / "d.txt", TEXT)
    put(tmp_path / "in" / "bob" / "d.ann", "T1\tlabeling 44 50\tregime\n")
    repo = Repository.in_memory()
    import_format(repo, "brat", [tmp_path / "in"])
    return repo


def test_losses_are_listed_and_nothing_is_written_without_force(tmp_path: Path) -> None:
    repo = database(tmp_path)
    with pytest.raises(LossesFound) as caught:
        exported(repo, "doccano", tmp_path / "out")
    assert caught.value.losses == [
        "discontinuous spans: 1 in 1 document (first: 'd')",
        "notes: 1 in 1 document (first: 'd')",
    ]
    assert not (tmp_path / "out").exists()
    report = exported(repo, "doccano", tmp_path / "out", force=True)
    assert report.losses and (tmp_path / "out" / "ana.jsonl").exists()


def test_one_annotator_formats_and_gold(tmp_path: Path) -> None:
    repo = database(tmp_path)
    with pytest.raises(ExportError, match="choose one with --annotator"):
        exported(repo, "ptc", tmp_path / "p1")
    assert not (tmp_path / "p1").exists()
    exported(repo, "ptc", tmp_path / "p2", annotators=["bob"])
    assert (tmp_path / "p2" / "articled.labels").read_text() == "d\tlabeling\t44\t50\n"
    with pytest.raises(ExportError, match="--gold: no annotator has the role adjudicator"):
        exported(repo, "ptc", tmp_path / "p3", gold=True)
    repo.ensure_annotator("cleo", "adjudicator")
    document = repo.documents()[0].id
    repo.add_span("cleo", document, "loaded", "labeling", 44, 50)
    repo.set_status("cleo", document, "done")
    exported(repo, "ptc", tmp_path / "p4", gold=True)
    assert (tmp_path / "p4" / "articled.labels").read_text() == "d\tlabeling\t44\t50\n"


def test_an_existing_folder_is_never_mixed_into(tmp_path: Path) -> None:
    repo = database(tmp_path)
    put(tmp_path / "full" / "old.txt", "old")
    with pytest.raises(ExportError, match="not an empty folder"):
        exported(repo, "brat", tmp_path / "full")


def test_csv_table_with_the_texts_round_trips(tmp_path: Path) -> None:
    repo = database(tmp_path)
    table = io.StringIO()
    export_csv(repo, table)
    put(tmp_path / "table.csv", table.getvalue())
    put(tmp_path / "texts" / "d.txt", TEXT)
    second = Repository.in_memory()
    import_format(second, "csv", [tmp_path / "table.csv", tmp_path / "texts"])
    assert comparable(native(second)) == comparable(native(repo))


def test_native_jsonl_keeps_discontinuous_spans_and_checks_their_fragments(
    tmp_path: Path,
) -> None:
    repo = database(tmp_path)
    out = io.StringIO()
    export_jsonl(repo, out)
    put(tmp_path / "all.jsonl", out.getvalue())
    second = Repository.in_memory()
    import_paths(second, [tmp_path / "all.jsonl"])
    again = io.StringIO()
    export_jsonl(second, again)
    assert again.getvalue() == out.getvalue()
    assert '"fragments": [[0, 9], [18, 26]]' in out.getvalue()
    put(tmp_path / "bad.jsonl", out.getvalue().replace("[[0, 9], [18, 26]]", "[[0, 9], [5, 26]]"))
    with pytest.raises(ImportFileError, match=r"bad\.jsonl:1: .*fragments"):
        import_paths(Repository.in_memory(), [tmp_path / "bad.jsonl"])


def test_spacy_docbin(tmp_path: Path) -> None:
    spacy = pytest.importorskip("spacy", reason="spaCy is an optional extra")
    from spacy.tokens import DocBin

    repo = database(tmp_path)
    report = exported(repo, "spacy", tmp_path / "corpus.spacy", force=True)
    assert any("discontinuous" in line for line in report.losses)
    docs = list(DocBin().from_disk(tmp_path / "corpus.spacy").get_docs(spacy.blank("xx").vocab))
    by = {doc.user_data["annotator"]: doc for doc in docs}
    assert [(s.text, s.label_) for s in by["bob"].spans["loaded"]] == [("regime", "labeling")]
    assert ("slammed", "emotive") in [(s.text, s.label_) for s in by["ana"].spans["loaded"]]
