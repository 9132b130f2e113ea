"""The report's suggestion section: agreement by provenance and each rule's precision and
recall, against figures worked out by hand for a small corpus."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

import jsonschema
import pytest
from report_support import GENERATED_AT, find

from annotator.core.segment import split_sentences
from annotator.core.text import canonicalize, text_sha256
from annotator.report import ReportOptions, build_report, render_csv, render_html, render_md
from annotator.report.render_json import report_dict
from annotator.report.suggestion_stats import SuggestionReport
from annotator.resources import schemas_dir
from annotator.store.dto import NewAnnotation, NewDocument
from annotator.store.repository import Repository

TEXT = canonicalize(
    "The mayor said the plan works. Officials say it is a disaster. "
    "The regime slammed critics. Prices rose."
)
S0, S1, S2, S3 = split_sentences(TEXT)
OPTIONS = ReportOptions(bootstrap=0, generated_at=GENERATED_AT)


def suggestion(layer: str, label: str, span: tuple[int, int], rule: str) -> NewAnnotation:
    return NewAnnotation("suggest", layer, label, *span, {"rule": rule, "confidence": 0.9})


@pytest.fixture
def corpus() -> Iterator[Repository]:
    """ann and bob (done) accept and type; gil (adjudicator, done) gives gold.

    Machine: S0 attributed (attribution.cue), S1 vague (attribution.vague-source), "regime"
    labeling and "disaster" emotive (lexicon:words).
    ann: S0 attributed (accepted), S1 editorial, "regime" labeling (accepted), "slammed" emotive.
    bob: S0 attributed (accepted), S1 vague, "The regime" labeling.
    gil: S0 mixed, S1 vague, "slammed" emotive.
    """
    repo = Repository.in_memory()
    repo.ensure_annotator("gil", "adjudicator")
    repo.import_documents(
        [
            NewDocument(
                "d1",
                "One",
                TEXT,
                text_sha256(TEXT),
                {},
                (S0, S1, S2, S3),
                {"ann": "done", "bob": "done", "gil": "done"},
            )
        ]
    )
    made = [
        suggestion("statement", "attributed", S0, "attribution.cue"),
        suggestion("statement", "vague", S1, "attribution.vague-source"),
        suggestion("loaded", "labeling", find(TEXT, "regime"), "lexicon:words"),
        suggestion("loaded", "emotive", find(TEXT, "disaster"), "lexicon:words"),
    ]
    repo.replace_suggestions("suggest", lambda batch: [made for _ in batch])
    ids = {(s.layer, s.label): s.id for s in repo.suggestions(1)}

    def copy(rule: str, key: tuple[str, str]) -> dict[str, object]:
        return {"suggestion": ids[key], "from_rule": rule}

    attributed = copy("attribution.cue", ("statement", "attributed"))
    repo.set_segment_label(
        "ann", 1, "statement", 0, "attributed", attrs=attributed, origin="suggestion"
    )
    repo.set_segment_label("ann", 1, "statement", 1, "editorial")
    repo.add_span(
        "ann", 1, "loaded", "labeling", *find(TEXT, "regime"),
        attrs=copy("lexicon:words", ("loaded", "labeling")), origin="suggestion",
    )  # fmt: skip
    repo.add_span("ann", 1, "loaded", "emotive", *find(TEXT, "slammed"))
    repo.set_segment_label(
        "bob", 1, "statement", 0, "attributed", attrs=attributed, origin="suggestion"
    )
    repo.set_segment_label("bob", 1, "statement", 1, "vague")
    repo.add_span("bob", 1, "loaded", "labeling", *find(TEXT, "The regime"))
    repo.set_segment_label("gil", 1, "statement", 0, "mixed")
    repo.set_segment_label("gil", 1, "statement", 1, "vague")
    repo.add_span("gil", 1, "loaded", "emotive", *find(TEXT, "slammed"))
    for who in ("ann", "bob", "gil"):
        repo.set_status(who, 1, "done")
    try:
        yield repo
    finally:
        repo.close()


def section(repo: Repository) -> SuggestionReport:
    found = build_report(repo, OPTIONS).suggestions
    assert found is not None
    return found


def test_agreement_by_provenance(corpus: Repository) -> None:
    figures = {(p.layer, p.provenance): p for p in section(corpus).provenance}
    # statements: both accepted S0 alike; typed S1 differs (editorial / vague)
    accepted, typed = figures[("statement", "accepted suggestion")], figures[("statement", "typed")]
    assert (accepted.annotations, accepted.pairs, accepted.agreement.value) == (2, 2, 1.0)
    assert (typed.annotations, typed.pairs, typed.agreement.value) == (2, 2, 0.0)
    assert accepted.exact == accepted.agreement
    # loaded: ann's accepted "regime" overlaps bob's "The regime" (not exact);
    # typed: ann's "slammed" unmatched, bob's "The regime" overlaps ann's "regime"
    accepted, typed = figures[("loaded", "accepted suggestion")], figures[("loaded", "typed")]
    assert (accepted.annotations, accepted.pairs) == (1, 1)
    assert (accepted.agreement.value, accepted.exact.value) == (1.0, 0.0)
    assert (typed.annotations, typed.pairs) == (2, 2)
    assert (typed.agreement.value, typed.exact.value) == (0.5, 0.0)


def test_each_rule_against_the_annotators_and_gold(corpus: Repository) -> None:
    found = section(corpus)
    assert found.machines == ("suggest",) and (found.documents, found.gold_documents) == (1, 1)
    rules = {r.rule: r for r in found.rules}
    assert [r.rule for r in found.rules] == [
        "lexicon:words",  # the loaded layer comes first in the scheme
        "attribution.cue",
        "attribution.vague-source",
    ]

    def figures(rule: str) -> tuple[object, ...]:
        r = rules[rule]
        return (
            r.suggested,
            r.accepted,
            r.precision.value,
            r.recall.value,
            r.gold_suggested,
            r.precision_gold.value,
            r.recall_gold.value,
        )

    assert figures("attribution.cue") == (1, 2, 1.0, 0.5, 1, 0.0, 0.0)
    assert figures("attribution.vague-source") == (1, 0, 0.5, 0.25, 1, 1.0, 0.5)
    assert figures("lexicon:words") == (2, 1, 0.5, 2 / 3, 2, 0.0, 0.0)


def test_every_format_shows_the_section(corpus: Repository) -> None:
    report = build_report(corpus, OPTIONS)
    data = report_dict(report)
    schema = json.loads((schemas_dir() / "report.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    rules = {r["rule"]: r for r in data["suggestions"]["rules"]}
    assert rules["attribution.cue"]["precision_gold"] == 0.0
    md = render_md(report)
    assert "## Suggestions" in md and "| attribution.cue | statement | 1 | 2 | 1.000 |" in md
    html = render_html(report)
    assert '<section id="suggestions">' in html and 'href="#suggestions"' in html
    files = render_csv(report)
    rows = list(csv.DictReader(io.StringIO(files["suggestion_rules.csv"])))
    cue = next(row for row in rows if row["rule"] == "attribution.cue")
    assert (cue["suggested"], cue["precision"], cue["recall_gold"]) == ("1", "1.0", "0.0")
    provenance = list(csv.DictReader(io.StringIO(files["suggestion_provenance.csv"])))
    assert len(provenance) == 4


def test_without_suggestions_the_section_is_absent() -> None:
    repo = Repository.in_memory()
    repo.import_documents(
        [
            NewDocument(
                "d1",
                "One",
                TEXT,
                text_sha256(TEXT),
                {},
                (S0, S1, S2, S3),
                {"ann": "done", "bob": "done"},
                (
                    NewAnnotation("ann", "statement", "vague", *S1, {}, "manual"),
                    NewAnnotation("bob", "statement", "vague", *S1, {}, "manual"),
                ),
            )
        ]
    )
    report = build_report(repo, OPTIONS)
    assert report.suggestions is None
    data = report_dict(report)
    assert data["suggestions"] is None
    jsonschema.validate(data, json.loads((schemas_dir() / "report.schema.json").read_text()))
    assert "## Suggestions" not in render_md(report)
    assert render_csv(report)["suggestion_rules.csv"].splitlines() == [
        "machine,rule,layer,suggested,accepted,precision,recall,gold_suggested,precision_gold,"
        "recall_gold,reason"
    ]
    repo.close()
