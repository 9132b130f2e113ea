"""Hostile input: every item an adversarial run found, each refused or made harmless.

Terminal escapes in stored strings, CSV formulas, inputs that crashed with a traceback, a
bootstrap that never ends, nesting that poisoned the store, other programs' files, dangling
links, leftovers of a killed export, and a huge unbroken token.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import sys
from pathlib import Path

import pytest
from cli_support import Cli, digest, one_error_line
from typer.testing import CliRunner

from annotator.cli import app

ESC = "\x1b"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def no_escape(*texts: str) -> None:
    for text in texts:
        assert ESC not in text and "\x07" not in text and "\x9b" not in text


# ---------------------------------------------------------------- terminal escapes


def test_escapes_in_notes_ids_and_titles_are_stored_harmless(cli: Cli) -> None:
    line = {
        "id": "story\x1b[2J",
        "title": "Title \x1b]0;owned\x07",
        "text": "He slammed it. Then left.",
        "meta": {"outlet\x1b[31m": "Ledger \x1b[5m"},
        "annotations": [
            {
                "annotator": "ana",
                "layer": "loaded",
                "label": "emotive",
                "start": 3,
                "end": 10,
                "attrs": {"note": "see \x1b]0;terminal title\x07 here"},
            }
        ],
    }
    cli.write("hostile.jsonl", json.dumps(line) + "\n")
    assert cli("import", "hostile.jsonl").exit_code == 0
    listed = cli("docs", "list")
    annotations = cli("annotations", "list")
    exported = cli("export")
    no_escape(listed.stdout, annotations.stdout, exported.stdout)
    record = json.loads(exported.stdout)
    assert record["id"] == "story\ufffd[2J"
    assert record["title"] == "Title \ufffd]0;owned\ufffd"
    assert record["annotations"][0]["attrs"]["note"] == "see \ufffd]0;terminal title\ufffd here"
    assert record["meta"] == {"outlet\ufffd[31m": "Ledger \ufffd[5m"}


def test_a_note_given_on_the_command_line_is_stored_harmless(cli: Cli) -> None:
    cli.write("a.txt", "He slammed it. Then left.")
    assert cli("import", "a.txt").exit_code == 0
    added = cli(
        "annotations",
        "add",
        "--as",
        "ana",
        "--doc",
        "a",
        "--layer",
        "loaded",
        "--label",
        "emotive",
        "--start",
        "3",
        "--end",
        "10",
        "--note",
        "x\x1b[2Jy",
    )
    assert added.exit_code == 0, added.output
    listed = cli("annotations", "list")
    no_escape(listed.stdout)
    assert "x\ufffd[2Jy" in listed.stdout


def test_annotator_names_with_control_characters_are_refused(cli: Cli) -> None:
    message = one_error_line(cli("annotators", "add", "eve\x1b[2J"))
    assert "control characters" in message
    no_escape(message)
    cli.write("x.jsonl", json.dumps({"text": "A.", "status": {"m\x1b[2J": "done"}}) + "\n")
    no_escape(one_error_line(cli("import", "x.jsonl")))


def test_scheme_descriptions_with_escapes_are_refused(cli: Cli) -> None:
    cli.write(
        "s.yaml",
        'name: s\ndescription: "fine \\e[2J"\nlayers:\n  - {name: l, kind: span, labels: [a]}\n',
    )
    message = one_error_line(cli("schema", "check", "s.yaml"))
    assert "s.yaml:2" in message and "control character U+001B" in message
    assert not cli.db.exists() or cli("init", "--scheme", "s.yaml").exit_code == 2


def test_strings_an_older_release_stored_never_reach_the_terminal(cli: Cli) -> None:
    assert cli("import", str(EXAMPLES)).exit_code == 0
    connection = sqlite3.connect(cli.db)
    connection.execute("UPDATE documents SET external_id = 'x' || char(27) || '[2J' WHERE id = 1")
    connection.execute("UPDATE documents SET title = 't' || char(27) || ']0;x' || char(7)")
    connection.execute("UPDATE annotators SET name = 'ana' || char(27) || '[5m' WHERE name = 'ana'")
    connection.execute(
        "UPDATE annotations SET attrs = json_object('note', 'n' || char(27) || '[2J') WHERE id < 9"
    )
    connection.commit()
    connection.close()
    outputs = [
        cli("docs", "list"),
        cli("annotators", "list"),
        cli("annotations", "list"),
        cli("report", "--bootstrap", "0"),
        cli("export", "--format", "csv"),
    ]
    for result in outputs:
        assert result.exit_code == 0, result.output
        no_escape(result.stdout, result.stderr)
    assert cli("report", "-f", "csv", "-o", "tables", "--bootstrap", "0").exit_code == 0
    for table in (cli.folder / "tables").iterdir():
        no_escape(table.read_text(encoding="utf-8"))


# ---------------------------------------------------------------- CSV formulas


def test_csv_cells_that_start_a_formula_are_neutralized_unless_raw(cli: Cli) -> None:
    line = {
        "id": '=HYPERLINK("http://x")',
        "text": "-2 people +said @home. Fine.",
        "annotations": [
            {
                "annotator": "@ana",
                "layer": "loaded",
                "label": "emotive",
                "start": 0,
                "end": 9,
                "attrs": {"note": "=1+1"},
            },
            {"annotator": "@ana", "layer": "loaded", "label": "fear", "start": 10, "end": 15},
        ],
    }
    cli.write("f.jsonl", json.dumps(line) + "\n")
    assert cli("import", "f.jsonl").exit_code == 0
    safe = cli("export", "-f", "csv").stdout.splitlines()
    raw = cli("export", "-f", "csv", "--raw").stdout.splitlines()
    assert safe[1].startswith('"\'=HYPERLINK(""http://x"")",\'@ana,loaded,emotive,0,9,\'-2 people,')
    assert ",'+said," in safe[2]
    assert raw[1].startswith('"=HYPERLINK(""http://x"")",@ana,loaded,emotive,0,9,-2 people,')


def test_report_tables_neutralize_names_and_keep_numbers(cli: Cli) -> None:
    lines = []
    for who in ("=ana", "+ben"):
        lines.append(
            {
                "text": "The regime slammed critics. Officials say it fails.",
                "status": {who: "done"},
                "annotations": [
                    {
                        "annotator": who,
                        "layer": "statement",
                        "label": "vague",
                        "start": 0,
                        "end": 27,
                    },
                    {
                        "annotator": who,
                        "layer": "statement",
                        "label": "editorial" if who == "=ana" else "vague",
                        "start": 28,
                        "end": 51,
                    },
                ],
            }
        )
    cli.write("two.jsonl", "\n".join(json.dumps(line) for line in lines) + "\n")
    assert cli("import", "two.jsonl").exit_code == 0
    assert cli("report", "-f", "csv", "-o", "safe", "--bootstrap", "0").exit_code == 0
    assert cli("report", "-f", "csv", "-o", "raw", "--raw", "--bootstrap", "0").exit_code == 0
    safe = (cli.folder / "safe" / "segment_pairwise.csv").read_text().splitlines()
    raw = (cli.folder / "raw" / "segment_pairwise.csv").read_text().splitlines()
    assert safe[1].startswith("statement,'+ben,'=ana,2,") or safe[1].startswith(
        "statement,'=ana,'+ben,2,"
    )
    assert raw[1].split(",")[1] in ("=ana", "+ben")
    assert safe[1].split(",")[3:] == raw[1].split(",")[3:]  # numbers untouched, negatives too


# ---------------------------------------------------------------- crashes become one line


def test_a_file_name_that_is_not_utf8(cli: Cli) -> None:
    name = os.fsdecode(b"caf\xe9 \x1b[2J.txt")
    (cli.folder / name).write_text("A calm report. Nothing else.", encoding="utf-8")
    result = cli("import", name)
    assert result.exit_code == 0, result.output
    no_escape(result.stdout)
    listed = cli("docs", "list").stdout
    assert "caf\ufffd \ufffd[2J" in listed
    missing = os.fsdecode(b"gone\xff.txt")
    message = one_error_line(cli("import", missing))
    assert "gone\ufffd.txt" in message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"text": "x", "meta": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested too deeply"),
        ('{"text": "x", "meta": {"n": ' + "9" * 5000 + "}}", "more than 4,300 digits"),
        ('{"text": "x", "meta": ' + '{"a": ' * 490 + "1" + "}" * 490 + "}", "nested more than"),
    ],
)
def test_json_that_crashed_the_reader(cli: Cli, content: str, expected: str) -> None:
    assert cli("import", str(EXAMPLES)).exit_code == 0
    before = digest(cli.db)
    cli.write("bad.jsonl", content + "\n")
    assert expected in one_error_line(cli("import", "bad.jsonl"))
    assert digest(cli.db) == before
    assert cli("export").exit_code == 0  # the store was never poisoned


@pytest.mark.parametrize(
    ("scheme", "expected"),
    [
        ("name: x\nlayers: " + "[" * 50_000 + "]" * 50_000 + "\n", "nested too deeply"),
        (
            "name: x\nversion: 99999999999999999999999\nlayers:\n"
            "  - {name: l, kind: span, labels: [a]}\n",
            "23 digits",
        ),
        (
            "name: x\nversion: 4294967296\nlayers:\n  - {name: l, kind: span, labels: [a]}\n",
            "version must be a whole number from 1 to",
        ),
    ],
)
def test_schemes_that_crashed_the_loader(cli: Cli, scheme: str, expected: str) -> None:
    cli.write("s.yaml", scheme)
    assert expected in one_error_line(cli("schema", "check", "s.yaml"))
    assert expected in one_error_line(cli("init", "--scheme", "s.yaml"))


@pytest.mark.parametrize(
    "args",
    [
        ["--doc", "1", "--layer", "statement", "--label", "vague", "--segment", "9" * 25],
        ["--doc", "9" * 25, "--layer", "statement", "--label", "vague", "--segment", "1"],
        ["--doc", "#" + "9" * 18, "--layer", "statement", "--label", "vague", "--segment", "1"],
        ["--doc", "1", "--layer", "loaded", "--label", "fear", "--start", "0", "--end", "9" * 25],
        ["--doc", "1", "--layer", "statement", "--label", "vague", "--segment", "-" + "9" * 25],
    ],
)
def test_numbers_beyond_64_bits(cli: Cli, args: list[str]) -> None:
    assert cli("import", str(EXAMPLES)).exit_code == 0
    one_error_line(cli("annotations", "add", "--as", "ana", *args))
    one_error_line(cli("annotations", "remove", "--as", "ana", "9" * 25))


def test_byte_flipped_databases_end_in_one_line(cli: Cli, tmp_path: Path) -> None:
    assert cli("import", str(EXAMPLES)).exit_code == 0
    cli("info")
    original = cli.db.read_bytes()
    rng = random.Random(1201)
    runner = CliRunner()
    commands = [["info"], ["docs", "list"], ["export"], ["annotations", "list"], ["db", "check"]]
    for n in range(32):
        damaged = bytearray(original)
        for _ in range(8):
            at = rng.randrange(len(damaged))
            damaged[at] ^= 0xFF
        path = tmp_path / f"flip{n}.db"
        path.write_bytes(bytes(damaged))
        for command in commands:
            result = runner.invoke(app, ["--db", str(path), *command])
            assert result.exception is None or isinstance(result.exception, SystemExit), (
                n,
                command,
                result.exception,
            )
            if result.exit_code == 2:
                assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1


def test_a_bootstrap_without_end_is_refused(cli: Cli) -> None:
    assert cli("import", str(EXAMPLES)).exit_code == 0
    message = one_error_line(cli("report", "--bootstrap", str(10**12)))
    assert "100,000" in message


# ---------------------------------------------------------------- files not ours


def test_a_sqlite_file_of_another_program_is_left_exactly_as_it_was(cli: Cli) -> None:
    other = cli.folder / "other.db"
    connection = sqlite3.connect(other)
    connection.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    connection.commit()
    connection.close()
    before = digest(other)
    for command in (["info"], ["docs", "list"], ["import", str(EXAMPLES)], ["db", "check"]):
        assert "another program" in one_error_line(cli("--db", str(other), *command, db=False))
    assert digest(other) == before
    connection = sqlite3.connect(other)
    assert connection.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    connection.close()


def test_an_empty_file_is_not_made_a_database_by_reading_commands(cli: Cli) -> None:
    cli.db.touch()
    for command in (["info"], ["docs", "list"], ["export"], ["report"], ["db", "check"]):
        assert "empty file" in one_error_line(cli(*command)), command
        assert cli.db.stat().st_size == 0
    assert cli("init").exit_code == 0  # creating one there is asked for


# ---------------------------------------------------------------- folders and outputs


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links")
def test_a_dangling_link_is_named_in_the_summary(cli: Cli) -> None:
    cli.write("corpus/a.txt", "A calm report. Nothing else.")
    os.symlink("nowhere.txt", cli.folder / "corpus" / "b.txt")
    result = cli("import", "corpus")
    assert result.exit_code == 0
    assert "imported 1 document" in result.stdout
    assert "corpus/b.txt (a symbolic link to nothing)" in result.stdout


def test_leftovers_of_a_killed_export_are_removed(cli: Cli) -> None:
    assert cli("import", str(EXAMPLES)).exit_code == 0
    stale = cli.folder / "all.jsonl.incomplete-999999999"
    stale.write_text("half of an export", encoding="utf-8")
    alive = cli.folder / f"all.jsonl.incomplete-{os.getppid()}"
    alive.write_text("another process still writing", encoding="utf-8")
    assert cli("export", "-o", "all.jsonl").exit_code == 0
    assert not stale.exists() and alive.exists()
    assert sorted(p.name for p in cli.folder.glob(".*")) == []
    assert len((cli.folder / "all.jsonl").read_text().splitlines()) == 4
    failed = cli("export", "-o", "other.jsonl", "--annotator", "nobody")
    assert failed.exit_code == 2
    assert list(cli.folder.glob("other.jsonl*")) == []


# ---------------------------------------------------------------- a huge token


def test_tagging_a_huge_unbroken_token_costs_like_a_word(cli: Cli) -> None:
    word = "x" * 5_000_000
    cli.write("w.txt", f"Huge\n\nA {word} end.")
    assert cli("import", "w.txt").exit_code == 0
    added = cli(
        "annotations",
        "add",
        "--as",
        "ana",
        "--doc",
        "w",
        "--layer",
        "loaded",
        "--label",
        "emotive",
        "--start",
        "2",
        "--end",
        str(2 + len(word)),
    )
    assert added.exit_code == 0
    assert len(added.stdout) < 300  # the excerpt, not the token
    listed = cli("annotations", "list")
    assert len(listed.stdout) < 1000
