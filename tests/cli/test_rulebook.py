"""The command line follows the rulebook: one document resolver, sentences counted from 1,
one sentence per message, and what a new user tripped over."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from cli_support import Cli, digest

from annotator.cli.root import usage_line


@pytest.fixture
def tricky(cli: Cli) -> Cli:
    """Document number 1 is imported under the id ``2``; number 2 under ``harbor``."""
    lines = [
        {"id": "2", "text": "Mayor Ruth Calloway said the plan would work. Critics disagree."},
        {"id": "harbor", "text": "The harbor deal soared past its budget. Nobody said why."},
    ]
    cli.write("docs.jsonl", "".join(json.dumps(line) + "\n" for line in lines))
    assert cli("import", "docs.jsonl").exit_code == 0
    return cli


def _add(cli: Cli, doc: str) -> str:
    result = cli(
        "annotations", "add", "--as", "ana", "--doc", doc, "--layer", "statement",
        "--label", "vague", "--segment", "1",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return result.stdout


def test_an_external_id_wins_over_a_number_and_hash_means_the_number(tricky: Cli) -> None:
    assert "on '2' by 'ana'" in _add(tricky, "2")
    assert "on 'harbor' by 'ana'" in _add(tricky, "#2")
    assert "on '2' by 'ana'" in _add(tricky, "#1")
    listed = tricky("annotations", "list", "--doc", "2").stdout
    assert "Mayor Ruth" in listed and "harbor" not in listed


def test_sentences_are_counted_from_one(tricky: Cli) -> None:
    second = tricky(
        "annotations", "add", "--as", "ana", "--doc", "harbor", "--layer", "statement",
        "--label", "editorial", "--segment", "2",
    )  # fmt: skip
    assert "'Nobody said why.'" in second.stdout
    before = digest(tricky.db)
    for number in ("0", "3"):
        result = tricky(
            "annotations", "add", "--as", "ana", "--doc", "harbor", "--layer", "statement",
            "--label", "editorial", "--segment", number,
        )  # fmt: skip
        assert result.exit_code == 2
        assert result.stderr == (
            f"error: --segment {number}: there is no sentence {number}: the document has"
            " 2 sentences, counted from 1\n"
        )
    assert digest(tricky.db) == before


def test_changing_a_finished_document_says_it_reopens(tricky: Cli) -> None:
    from annotator.store.repository import Repository

    with Repository.open(str(tricky.db)) as repo:
        repo.set_status("ana", 2, "done")
    said = _add(tricky, "harbor")
    assert said.endswith("The document was marked done; this change reopened it\n")
    with Repository.open(str(tricky.db)) as repo:
        assert repo.status(2, "ana") == "in_progress"


def test_annotations_list_fits_80_columns_and_shows_source_and_cue(
    tricky: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    from annotator.service.annotating import Annotating
    from annotator.store.repository import Repository

    with Repository.open(str(tricky.db)) as repo:
        desk = Annotating(repo, "ana")
        statement = desk.classify(1, "statement", 0, "attributed", note="a long note " * 9)
        desk.attribute(statement.value.id, {"source": (0, 19), "cue": (20, 24)})
        desk.tag(1, "loaded", "emotive", 53, 63)
    monkeypatch.setenv("COLUMNS", "80")
    lines = tricky("annotations", "list").stdout.splitlines()
    assert len(lines) == 3  # a header and one line per annotation
    assert all(len(line) <= 80 for line in lines), lines
    statement_line = next(line for line in lines if "attributed" in line)
    assert "sentence 1" in statement_line
    monkeypatch.setenv("COLUMNS", "250")
    wide = tricky("annotations", "list").stdout
    assert "source 'Mayor Ruth Calloway' cue 'said'" in wide
    assert "note 'a long note" in wide


def test_annotate_refuses_a_missing_database(cli: Cli) -> None:
    result = cli("annotate", "--as", "ana")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: no database at {cli.db}")
    assert not cli.db.exists()


def test_a_mistyped_command_is_one_sentence() -> None:
    line = usage_line("No such command 'reprot'. Did you mean 'report', 'export'?", "annotator")
    assert line == (
        "no such command 'reprot'. Did you mean 'report', 'export'? See `annotator --help`."
    )
    assert usage_line("Missing option '--as'", None) == "missing option '--as'"
    assert usage_line("Got unexpected extra argument (x)", "annotator docs") == (
        "got unexpected extra argument (x); see `annotator docs --help`"
    )


def test_help_shows_no_type_beside_flags() -> None:
    shown = subprocess.run(
        [sys.executable, "-m", "annotator.cli", "demo", "--help"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "--help" in shown and "--fresh" in shown
    assert "<bool>" not in shown and "BOOLEAN" not in shown
