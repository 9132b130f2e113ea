"""The other commands: init (and a changed scheme), info, docs, annotators, annotations, schema,
export; usage errors as one line; read-only commands never create a database."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from cli_support import Cli, digest, one_error_line

from annotator.resources import default_scheme_path

SMALL_SCHEME = """\
name: small
version: 1
layers:
  - {name: loaded, kind: span, labels: [emotive, labeling]}
  - {name: statement, kind: segment, labels: [vague, editorial]}
"""


@pytest.fixture
def filled(cli: Cli) -> Cli:
    """A database with two documents, one with hostile text."""
    cli.write(
        "docs.jsonl",
        json.dumps({"id": "a", "title": "[/] title", "text": "Mr. Smith slammed it. Then left."})
        + "\n"
        + json.dumps({"id": "b", "text": "Officials say [@click=app.quit] 😀 is fine."})
        + "\n",
    )
    assert cli("import", "docs.jsonl").exit_code == 0
    return cli


@pytest.mark.parametrize(
    "args",
    [
        ["info"],
        ["docs", "list"],
        ["annotators", "list"],
        ["annotations", "list"],
        ["export"],
        ["schema", "show"],
    ],
)
def test_read_only_commands_need_an_existing_database(cli: Cli, args: list[str]) -> None:
    message = one_error_line(cli(*args))
    assert message.startswith(f"error: no database at {cli.db}; create one with `annotator init`")
    assert not cli.db.exists()


def test_init_creates_a_database_with_the_default_scheme(cli: Cli) -> None:
    result = cli("init")
    assert result.exit_code == 0
    assert result.stdout == f"database {cli.db}: scheme 'source-bias' version 1 (revision 1)\n"
    info = cli("info")
    assert "source-bias version 1 (revision 1)" in info.stdout
    assert "documents    0" in info.stdout


def test_init_binds_a_new_database_to_the_scheme_given(cli: Cli) -> None:
    scheme = cli.write("small.yaml", SMALL_SCHEME)
    result = cli("init", "--scheme", str(scheme))
    assert result.stdout == f"database {cli.db}: scheme 'small' version 1 (revision 1)\n"
    assert "statement (segment, nominal)" in cli("schema", "show").stdout


def test_init_with_a_changed_scheme_versions_it_and_keeps_orphans(filled: Cli) -> None:
    add = filled(
        "annotations", "add", "--as", "ann", "--doc", "a", "--layer", "loaded",
        "--label", "fear", "--start", "10", "--end", "17",
    )  # fmt: skip
    assert add.exit_code == 0, add.output
    scheme = filled.write("small.yaml", SMALL_SCHEME)
    result = filled("init", "--scheme", str(scheme))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"database {filled.db}: scheme 'source-bias' version 1 -> 'small' version 1 (revision 2)",
        "1 annotation kept whose label the new scheme lacks (relabel or remove them):",
        "  loaded/fear: 1",
    ]
    again = filled("init", "--scheme", str(scheme))
    assert again.stdout == f"database {filled.db}: scheme 'small' version 1 (revision 2)\n"
    listing = filled("annotations", "list")
    assert "fear" in listing.stdout
    shown = filled("schema", "show")
    assert "small version 1 (revision 2)" in shown.stdout


def test_init_with_a_broken_scheme_changes_nothing(filled: Cli) -> None:
    before = digest(filled.db)
    bad = filled.write("bad.yaml", "name: x\nlayers:\n  - {name: l, kind: spam, labels: [a]}\n")
    message = one_error_line(filled("init", "--scheme", str(bad)))
    assert message.startswith(f"error: {bad}:3: field 'layers[0].kind'"), message
    missing = one_error_line(filled("init", "--scheme", "nope.yaml"))
    assert missing == "error: nope.yaml: no such scheme file; check the path"
    assert digest(filled.db) == before


def test_docs_list_shows_titles_as_plain_text(filled: Cli) -> None:
    result = filled("docs", "list")
    assert result.exit_code == 0
    assert "[/] title" in result.stdout
    assert "b" in result.stdout


def test_annotators_add_and_list(filled: Cli) -> None:
    assert filled("annotators", "add", "alice").stdout == "added annotator 'alice' (annotator)\n"
    assert (
        filled("annotators", "add", "bot", "--role", "machine").stdout
        == "added annotator 'bot' (machine)\n"
    )
    again = filled("annotators", "add", "alice")
    assert again.stdout == "annotator 'alice' (annotator) already exists\n"
    clash = one_error_line(filled("annotators", "add", "bot", "--role", "adjudicator"))
    assert clash == "error: annotator 'bot' already exists with role 'machine'"
    listing = filled("annotators", "list").stdout
    assert "alice" in listing and "machine" in listing
    bad_role = one_error_line(filled("annotators", "add", "x", "--role", "boss"))
    assert "'boss' is not one of" in bad_role


def test_annotations_add_list_remove(filled: Cli) -> None:
    span = filled(
        "annotations", "add", "--as", "ann", "--doc", "a", "--layer", "loaded",
        "--label", "emotive", "--start", "10", "--end", "17", "--note", "[b]verb[/b]",
    )  # fmt: skip
    assert span.exit_code == 0, span.output
    assert span.stdout == "added annotation 1: loaded/emotive [10, 17) 'slammed' on 'a' by 'ann'\n"
    sentence = filled(
        "annotations", "add", "--as", "bob", "--doc", "2", "--layer", "statement",
        "--label", "vague", "--segment", "1",
    )  # fmt: skip
    assert sentence.exit_code == 0, sentence.output
    assert "statement/vague [0, 42)" in sentence.stdout
    everything = filled("annotations", "list").stdout
    assert "[b]verb[/b]" in everything and "[@click=app.quit]" in everything
    only_ann = filled("annotations", "list", "--as", "ann").stdout
    assert "slammed" in only_ann and "vague" not in only_ann
    only_b = filled("annotations", "list", "--doc", "b").stdout
    assert "vague" in only_b and "slammed" not in only_b
    not_yours = one_error_line(filled("annotations", "remove", "--as", "bob", "1"))
    assert not_yours.startswith("error: ")
    removed = filled("annotations", "remove", "--as", "ann", "1")
    assert removed.stdout == "removed annotation 1: loaded/emotive [10, 17)\n"
    assert "slammed" not in filled("annotations", "list").stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            [
                "--doc",
                "zz",
                "--layer",
                "loaded",
                "--label",
                "emotive",
                "--start",
                "0",
                "--end",
                "2",
            ],
            "error: no document 'zz'; `annotator docs list` shows each document's number and id",
        ),
        (
            ["--doc", "a", "--layer", "tone", "--label", "x", "--segment", "1"],
            "error: layer 'tone' is not in scheme 'source-bias' (loaded, statement)",
        ),
        (
            ["--doc", "a", "--layer", "loaded", "--label", "emotive", "--segment", "0"],
            "error: layer 'loaded' holds spans: give --start and --end (not --segment)",
        ),
        (
            [
                "--doc",
                "a",
                "--layer",
                "statement",
                "--label",
                "vague",
                "--start",
                "0",
                "--end",
                "5",
            ],
            "error: layer 'statement' labels sentences: give --segment N (not --start/--end)",
        ),
        (
            [
                "--doc",
                "a",
                "--layer",
                "loaded",
                "--label",
                "emotive",
                "--start",
                "5",
                "--end",
                "99",
            ],
            "error: ",
        ),
        (
            ["--doc", "a", "--layer", "loaded", "--label", "snark", "--start", "0", "--end", "2"],
            "error: ",
        ),
        (
            ["--doc", "a", "--layer", "statement", "--label", "vague", "--segment", "9"],
            "error: ",
        ),
    ],
)
def test_bad_annotations_are_refused_and_change_nothing(
    filled: Cli, args: list[str], expected: str
) -> None:
    before = digest(filled.db)
    message = one_error_line(filled("annotations", "add", "--as", "ann", *args))
    assert message.startswith(expected), message
    assert digest(filled.db) == before


def test_usage_errors_are_one_line(filled: Cli) -> None:
    message = one_error_line(filled("annotations", "add", "--doc", "a"))
    assert message.startswith("error: missing option '--as'. See `annotator annotations")
    assert message.endswith("See `annotator annotations add --help`.")
    assert one_error_line(filled("export", "--format", "xml")).startswith("error: invalid value")


@pytest.mark.parametrize("group", ["docs", "annotators", "annotations", "schema"])
def test_a_group_without_its_command_lists_the_commands(cli: Cli, group: str) -> None:
    result = cli(group, db=False)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"Usage: annotator {group} [OPTIONS] COMMAND")
    assert "Commands:" in result.stderr
    assert "error:" not in result.stderr


def test_schema_check(cli: Cli) -> None:
    good = cli("schema", "check", str(default_scheme_path()), db=False)
    assert good.exit_code == 0
    assert good.stdout.startswith("ok: source-bias version 1: loaded (span, 5 labels); statement")
    broken = cli.write("broken.yaml", "name: [unclosed\n")
    message = one_error_line(cli("schema", "check", str(broken), db=False))
    assert message.startswith(f"error: {broken}:"), message
    assert not cli.db.exists()


def test_schema_show_prints_layers_labels_keys(filled: Cli, tmp_path: Path) -> None:
    shown = filled("schema", "show", db=False)
    assert one_error_line(shown).startswith("error: no database at")
    result = filled("schema", "show", "--db", str(filled.db), db=False)
    assert result.exit_code == 0
    out = result.stdout
    assert "source-bias version 1 (revision 1)" in out
    assert "loaded (span)" in out and "statement (segment, nominal)" in out
    assert "attributed" in out and "source, cue" in out


def test_export_to_a_file_and_to_stdout(filled: Cli) -> None:
    to_stdout = filled("export")
    assert to_stdout.exit_code == 0
    lines = to_stdout.stdout.splitlines()
    assert [json.loads(x)["id"] for x in lines] == ["a", "b"]
    out = filled.folder / "out.jsonl"
    result = filled("export", "-o", str(out))
    assert result.stderr == f"wrote 2 documents to {out}\n"
    assert out.read_text(encoding="utf-8") == to_stdout.stdout
    umask = os.umask(0o022)
    os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~umask, "written with the user's umask"
    csv_result = filled("export", "--format", "csv")
    assert (
        csv_result.stdout.splitlines()[0]
        == "document,annotator,layer,label,start,end,text,attrs,origin"
    )
    unknown = one_error_line(filled("export", "--annotator", "nobody", "-o", str(out)))
    assert unknown == "error: no annotator named 'nobody'; annotators: none yet"
    assert out.read_text(encoding="utf-8") == to_stdout.stdout
    nowhere = one_error_line(filled("export", "-o", str(filled.folder / "no" / "x.jsonl")))
    assert nowhere.startswith("error: cannot write ")


def test_env_var_selects_the_database(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANNOTATOR_DB", str(cli.folder / "env.db"))
    assert cli("init", db=False).exit_code == 0
    assert (cli.folder / "env.db").exists()
    monkeypatch.delenv("ANNOTATOR_DB")
    assert cli("init", db=False).stdout.startswith(f"database {cli.folder / 'annotations.db'}")


@pytest.mark.parametrize("args", [["info"], ["import", "docs.jsonl"], ["docs", "list"]])
def test_a_file_that_is_not_a_database_is_refused_in_one_line(cli: Cli, args: list[str]) -> None:
    cli.write("docs.jsonl", json.dumps({"id": "a", "text": "A sentence."}) + "\n")
    cli.db.write_text("these are my notes, not a database\n", encoding="utf-8")
    before = digest(cli.db)
    message = one_error_line(cli(*args))
    assert f"cannot open {cli.db}" in message
    assert "not a database" in message
    assert digest(cli.db) == before
