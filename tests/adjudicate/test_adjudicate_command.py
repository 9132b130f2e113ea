"""``annotator adjudicate --auto`` and ``annotator export --gold``, as a user runs them."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from adjudicate_support import Run
from typer.testing import CliRunner

from annotator.cli import app
from annotator.store.repository import Repository


def error_line(result: object) -> str:
    exit_code = getattr(result, "exit_code")  # noqa: B009
    stderr = getattr(result, "stderr")  # noqa: B009
    assert exit_code == 2, (exit_code, stderr)
    lines = stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), stderr
    return str(lines[0])


def test_an_annotator_cannot_adjudicate(run: Run, council_db: Path) -> None:
    before = council_db.read_bytes()
    line = error_line(run("adjudicate", "--auto", "--as", "alice"))
    assert "'alice' is an annotator, not an adjudicator" in line
    assert "--role adjudicator" in line
    assert "nobody" in error_line(run("adjudicate", "--as", "nobody"))
    assert council_db.read_bytes() == before


def test_options_that_go_with_auto_are_refused_without_it(run: Run) -> None:
    assert "--min-agree goes with --auto" in error_line(
        run("adjudicate", "--as", "judge", "--min-agree", "2")
    )
    assert "with --auto give --documents" in error_line(
        run("adjudicate", "--as", "judge", "--auto", "--doc", "council")
    )
    too_few = run("adjudicate", "--as", "judge", "--auto", "--min-agree", "1")
    assert "too small" in error_line(too_few)
    assert "no document 'nope'" in error_line(
        run("adjudicate", "--as", "judge", "--auto", "--documents", "nope")
    )


def test_auto_prints_what_it_added_and_a_second_run_adds_nothing(run: Run) -> None:
    first = run("adjudicate", "--as", "judge", "--auto")
    assert first.exit_code == 0, first.output
    assert first.stdout.splitlines() == [
        'council  loaded  [54, 61)  emotive "slammed"  from alice, bob, carol',
        "council  statement  sentence 3  reporting  from alice, bob, carol",
        "added 2 gold annotations in 2 places on 1 of 1 document; 4 disagreements still open",
    ]
    exported = run("export", "--gold")
    second = run("adjudicate", "--as", "judge", "--auto", "--documents", "council")
    assert second.stdout.splitlines() == [
        "added 0 gold annotations in 0 places on 0 of 1 document; 4 disagreements still open"
    ]
    assert run("export", "--gold").stdout == exported.stdout


def test_a_quorum_of_two_settles_the_majorities(run: Run) -> None:
    out = run("adjudicate", "--as", "judge", "--auto", "--min-agree", "2").stdout.splitlines()
    assert out[0] == (
        'council  statement  sentence 1  attributed (source "Mayor Ruth Calloway", cue "said")'
        "  from alice, bob"
    )
    assert 'council  loaded  [62, 72)  labeling "the regime"  from alice, bob' in out
    assert out[-1].endswith("0 disagreements still open")


def test_the_gold_export_holds_only_the_adjudicator(run: Run, council_db: Path) -> None:
    run("adjudicate", "--as", "judge", "--auto")
    with Repository.open(str(council_db)) as repo:
        repo.set_status("judge", 1, "done")
    (line,) = run("export", "--gold").stdout.splitlines()
    record = json.loads(line)
    assert record["status"] == {"judge": "done"}
    assert [
        (a["annotator"], a["label"], a["text"], a["attrs"], a["origin"])
        for a in record["annotations"]
    ] == [
        ("judge", "emotive", "slammed", {"from": ["alice", "bob", "carol"]}, "adjudication"),
        (
            "judge",
            "reporting",
            "The council meets again on Friday.",
            {"from": ["alice", "bob", "carol"]},
            "adjudication",
        ),
    ]
    rows = list(csv.DictReader(io.StringIO(run("export", "--gold", "--format", "csv").stdout)))
    assert [(r["annotator"], r["label"], json.loads(r["attrs"])["from"]) for r in rows] == [
        ("judge", "emotive", ["alice", "bob", "carol"]),
        ("judge", "reporting", ["alice", "bob", "carol"]),
    ]


def test_two_adjudicators_on_one_document_the_last_to_finish_counts(
    run: Run, council_db: Path
) -> None:
    with Repository.open(str(council_db)) as repo:
        repo.ensure_annotator("kim", "adjudicator")
    run("adjudicate", "--as", "kim", "--auto")
    run("adjudicate", "--as", "judge", "--auto", "--min-agree", "2")
    with Repository.open(str(council_db)) as repo:
        repo.set_status("judge", 1, "done")
        repo.set_status("kim", 1, "done")
    result = run("export", "--gold")
    assert result.stderr.splitlines() == [
        "note: document 'council': judge and kim marked it done; using the gold of kim,"
        " who marked it done last"
    ]
    record = json.loads(result.stdout)
    assert record["status"] == {"kim": "done"}
    assert {a["annotator"] for a in record["annotations"]} == {"kim"}
    assert len(record["annotations"]) == 2
    only_judge = json.loads(run("export", "--gold", "--annotator", "judge").stdout)
    assert only_judge["status"] == {"judge": "done"} and len(only_judge["annotations"]) == 6


def test_gold_export_without_an_adjudicator_is_refused(tmp_path: Path, run: Run) -> None:
    bare = tmp_path / "bare.db"
    with Repository.open(str(bare)) as repo:
        repo.ensure_annotator("alice")
    result = CliRunner().invoke(app, ["--db", str(bare), "export", "--gold"])
    assert "--gold: no annotator has the role adjudicator" in error_line(result)
    assert result.stdout == ""
