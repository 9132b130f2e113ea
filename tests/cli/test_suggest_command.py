"""``annotator suggest``: what it stores, what a rerun keeps, and every bad input in one line."""

from __future__ import annotations

import json

from cli_support import Cli, digest, one_error_line

from annotator.resources import default_scheme_path
from annotator.service.annotating import Annotating
from annotator.service.suggesting import SuggestionReview
from annotator.store.repository import Repository

ONE = 'Mayor Ruth Calloway said the plan would work. "It is a disgrace," critics said.\n'
TWO = "The fat cats met again. Officials say the illegals were frankly everywhere.\n"


def setup(cli: Cli) -> None:
    cli.write("in/one.txt", ONE)
    cli.write("in/two.txt", TWO)
    assert cli("import", "in").exit_code == 0


def by_rule(cli: Cli) -> dict[str, list[str]]:
    with Repository.open(str(cli.db)) as repo:
        found: dict[str, list[str]] = {}
        for doc in repo.documents():
            text = repo.document(doc.id).text
            for s in repo.suggestions(doc.id):
                found.setdefault(str(s.attrs["rule"]), []).append(text[s.start : s.end])
        return found


def test_suggest_stores_a_machines_suggestions(cli: Cli) -> None:
    setup(cli)
    result = cli("suggest")
    assert result.exit_code == 0, result.output
    first = result.stdout.splitlines()[0]
    assert first.startswith("stored ") and "on 2 documents as 'suggest' (new machine" in first
    with Repository.open(str(cli.db)) as repo:
        assert [(a.name, a.role) for a in repo.annotators()] == [("suggest", "machine")]
        stored = [s for d in (1, 2) for s in repo.suggestions(d)]
    assert {s.origin for s in stored} == {"suggestion"}
    assert all(isinstance(s.attrs["rule"], str) for s in stored)
    rules = by_rule(cli)
    assert rules["attribution.cue"] == ["Mayor Ruth Calloway said the plan would work."]
    assert "illegals" in rules["lexicon:loaded-language"]


def test_a_rerun_keeps_what_reviewers_decided(cli: Cli) -> None:
    setup(cli)
    cli("suggest")
    with Repository.open(str(cli.db)) as repo:
        desk = SuggestionReview(Annotating(repo, "alice"))
        first, second = desk.pending(repo.document(1))[:2]
        desk.accept(first.id)
        desk.reject(second.id)
        total = sum(len(repo.suggestions(d)) for d in (1, 2))
    again = cli("suggest")
    assert again.exit_code == 0
    assert f"{total - 2} undecided replaced, 2 decided kept" in again.stdout
    with Repository.open(str(cli.db)) as repo:
        ids = {s.id for d in (1, 2) for s in repo.suggestions(d)}
        assert {first.id, second.id} <= ids
        assert sum(len(repo.suggestions(d)) for d in (1, 2)) == total


def test_only_the_documents_named(cli: Cli) -> None:
    setup(cli)
    result = cli("suggest", "--documents", "two", "--as", "rules")
    assert result.exit_code == 0
    assert "on 1 document as 'rules'" in result.stdout
    with Repository.open(str(cli.db)) as repo:
        assert repo.suggestions(1) == [] and repo.suggestions(2)


def test_user_lexicons_from_the_command_line_and_the_scheme(cli: Cli) -> None:
    cli.write("words/ours.txt", "# ours\nfat cats   loaded/labeling   0.9\n")
    cli.write("extra.txt", "again   loaded/exaggeration\n")
    body = default_scheme_path().read_text(encoding="utf-8")
    cli.write("scheme.yaml", body.replace("\nlayers:", "\nlexicons: [words/ours.txt]\nlayers:", 1))
    assert cli("init", "--scheme", "scheme.yaml").exit_code == 0
    setup(cli)
    assert cli("suggest", "--lexicon", "extra.txt", "--no-builtin").exit_code == 0
    rules = by_rule(cli)
    assert rules["lexicon:ours"] == ["fat cats"]
    assert rules["lexicon:extra"] == ["again"]
    assert "lexicon:loaded-language" not in rules


def test_the_team_lexicon(cli: Cli) -> None:
    record = {
        "id": "tagged",
        "text": "The illegals crossed at night.",
        "annotations": [
            {"annotator": "ana", "layer": "loaded", "label": "labeling", "start": 4, "end": 12},
            {"annotator": "ben", "layer": "loaded", "label": "labeling", "start": 4, "end": 12},
        ],
    }
    cli.write("tagged.jsonl", json.dumps(record) + "\n")
    cli.write("in/other.txt", "Nobody saw the illegals. Some illegals stayed.\n")
    assert cli("import", "tagged.jsonl").exit_code == 0
    assert cli("import", "in").exit_code == 0
    result = cli("suggest", "--no-builtin")
    assert result.exit_code == 0, result.output
    assert "team lexicon: 1 expression learnt from people's spans" in result.stdout
    assert "1 suggestion left out where a span was marked already" in result.stdout
    with Repository.open(str(cli.db)) as repo:
        team = [
            (s.document_id, s.start, s.end, s.label)
            for d in (1, 2)
            for s in repo.suggestions(d)
            if s.attrs["rule"] == "team-lexicon"
        ]
    assert team == [(2, 15, 23, "labeling"), (2, 30, 38, "labeling")]
    cli("suggest", "--no-builtin", "--no-team")
    assert "team-lexicon" not in by_rule(cli)


def test_bad_input_is_one_line_and_changes_nothing(cli: Cli) -> None:
    setup(cli)
    assert cli("annotators", "add", "alice").exit_code == 0
    cli.write("bad.txt", "fat cats   loaded/labelling\n")
    before = digest(cli.db)
    cases = {
        ("--as", "alice"): "already exists with role 'annotator'",
        ("--documents", "nope"): "no document 'nope'",
        ("--lexicon", "bad.txt"): "bad.txt:1: layer 'loaded' of the scheme 'source-bias' has no",
        ("--lexicon", "missing.txt"): "missing.txt: no such lexicon file",
        ("--as", ""): "annotator name is empty",
    }
    for args, message in cases.items():
        line = one_error_line(cli("suggest", *args))
        assert message in line, line
    assert digest(cli.db) == before


def test_an_empty_database_has_nothing_to_suggest_for(cli: Cli) -> None:
    assert cli("init").exit_code == 0
    assert "no documents to suggest for" in one_error_line(cli("suggest"))
    assert "no database at" in one_error_line(cli("suggest", db=False))
