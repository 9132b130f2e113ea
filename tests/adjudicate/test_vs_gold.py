"""``layers.<layer>.vs_gold`` against kappa and F1 computed by hand on a small fixture.

Two articles written for this test; judge's gold is done on both. alice and bob finished both,
carol only the first.

Statements (gold / alice / bob / carol), sentences 1-4 of ONE and 1-2 of TWO::

    ONE  reporting  reporting  reporting  reporting
         editorial  editorial  reporting  editorial
         reporting  editorial  reporting  reporting
         vague      vague      reporting  vague
    TWO  reporting  reporting  editorial  (not counted)
         editorial  (none)     editorial

alice vs gold, 5 sentences both labelled: 4 agree, p_o = 4/5. Gold margins reporting 3,
editorial 1, vague 1; alice's reporting 2, editorial 2, vague 1. p_e = (3*2 + 1*2 + 1*1)/25 =
9/25, kappa = (4/5 - 9/25) / (1 - 9/25) = 11/16 = 0.6875.

bob vs gold, 6 sentences: 3 agree, p_o = 1/2. Gold reporting 3, editorial 2, vague 1; bob's
reporting 4, editorial 2. p_e = (3*4 + 2*2)/36 = 4/9, kappa = (1/2 - 4/9) / (5/9) = 1/10.

carol vs gold: 4 sentences of ONE, all agree: kappa 1, percent 1.

Loaded spans: gold G1 "is here" emotive, G2 "Two" labeling (ONE), G3 "runs" fear (TWO).
alice: "is here" emotive, "Two is" labeling, "far" emotive. bob: "Three" labeling.

alice, exact: P = 1/3 (only "is here" matches), R = 1/3 (only G1 found), F1 = 1/3.
alice, partial: P = (1 + 3/6 + 0)/3 = 1/2 ("Two is" is half covered by G2); R = (1 + 1 + 0)/3
= 2/3 (G2 is wholly inside "Two is"); F1 = 2 (1/2)(2/3) / (1/2 + 2/3) = 4/7.
alice, overlap: P = 2/3, R = 2/3, F1 = 2/3.
bob, every mode: P = 0/1, R = 0/3, F1 = 0.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from adjudicate_support import at, new_document, statement

from annotator.report import ReportOptions, build_report, render_json, render_md
from annotator.report.render_csv import render_csv
from annotator.report.render_html import render_html
from annotator.store.dto import NewAnnotation
from annotator.store.repository import Repository

ONE = "One is here. Two is there. Three is near. Four is far."
TWO = "Five runs. Six walks."
SCHEMA = Path(__file__).resolve().parents[2] / "schemas" / "report.schema.json"

LABELS = {
    "judge": (("reporting", "editorial", "reporting", "vague"), ("reporting", "editorial")),
    "alice": (("reporting", "editorial", "editorial", "vague"), ("reporting", None)),
    "bob": (("reporting", "reporting", "reporting", "reporting"), ("editorial", "editorial")),
    "carol": (("reporting", "editorial", "reporting", "vague"), ()),
}
SPANS = {
    "judge": ((("is here", "emotive"), ("Two", "labeling")), (("runs", "fear"),)),
    "alice": ((("is here", "emotive"), ("Two is", "labeling"), ("far", "emotive")), ()),
    "bob": ((("Three", "labeling"),), ()),
    "carol": ((), ()),
}


def _work(text: str, which: int) -> list[NewAnnotation]:
    out: list[NewAnnotation] = []
    for who, labels in LABELS.items():
        for index, label in enumerate(labels[which] if which < len(labels) else ()):
            if label is not None:
                out.append(statement(text, who, index, label))
    for who, spans in SPANS.items():
        for phrase, label in spans[which]:
            start, end = at(text, phrase)
            out.append(NewAnnotation(who, "loaded", label, start, end, {}))
    return out


@pytest.fixture
def gold_repo(repo: Repository) -> Repository:
    repo.ensure_annotator("judge", "adjudicator")
    done = {"alice": "done", "bob": "done", "judge": "done"}
    repo.import_documents(
        [
            new_document("one", ONE, _work(ONE, 0), {**done, "carol": "done"}),
            new_document("two", TWO, _work(TWO, 1), {**done, "carol": "in_progress"}),
        ]
    )
    return repo


def test_vs_gold_matches_the_hand_computed_figures(gold_repo: Repository) -> None:
    report = build_report(gold_repo, ReportOptions(bootstrap=0, generated_at="2026-12-04"))
    data = json.loads(render_json(report))
    jsonschema.validate(data, json.loads(SCHEMA.read_text(encoding="utf-8")))
    statements = {r["annotator"]: r for r in data["layers"]["statement"]["vs_gold"]}
    assert statements["alice"]["n"] == 5 and statements["alice"]["documents"] == 2
    assert statements["alice"]["cohen_kappa"] == pytest.approx(11 / 16)
    assert statements["alice"]["percent_agreement"] == pytest.approx(4 / 5)
    assert statements["bob"]["n"] == 6
    assert statements["bob"]["cohen_kappa"] == pytest.approx(1 / 10)
    assert statements["bob"]["percent_agreement"] == pytest.approx(1 / 2)
    assert (statements["carol"]["documents"], statements["carol"]["n"]) == (1, 4)
    assert statements["carol"]["cohen_kappa"] == pytest.approx(1.0)

    loaded = {r["annotator"]: r for r in data["layers"]["loaded"]["vs_gold"]}
    alice = loaded["alice"]
    assert (alice["documents"], alice["n"], alice["spans"]) == (2, 3, 3)
    expected = {
        "exact": (1 / 3, 1 / 3, 1 / 3),
        "partial": (1 / 2, 2 / 3, 4 / 7),
        "overlap": (2 / 3, 2 / 3, 2 / 3),
    }
    for mode, (p, r, f) in expected.items():
        assert alice[f"precision_{mode}"] == pytest.approx(p)
        assert alice[f"recall_{mode}"] == pytest.approx(r)
        assert alice[f"f1_{mode}"] == pytest.approx(f)
    for mode in expected:
        assert loaded["bob"][f"f1_{mode}"] == 0.0
    carol = loaded["carol"]
    assert carol["precision_exact"] is None
    assert carol["reasons"]["precision_exact"] == "no spans from carol"
    assert carol["recall_exact"] == 0.0


def test_vs_gold_in_markdown_csv_and_html(gold_repo: Repository) -> None:
    report = build_report(gold_repo, ReportOptions(bootstrap=0, generated_at="2026-12-04"))
    md = render_md(report)
    assert "## Against gold" in md
    assert "| alice | 2 | 5 | 0.688 | 0.800 |" in md
    assert "| alice | 2 | 3 | 3 | 0.333 | 0.333 | 0.333 | 0.500 | 0.667 | 0.571 |" in md
    rows = render_csv(report)["vs_gold.csv"].splitlines()
    assert rows[0] == "layer,annotator,documents,n,spans,measure,mode,value,reason"
    bob = next(r for r in rows if r.startswith("statement,bob,2,6,,cohen_kappa,,"))
    assert float(bob.split(",")[7]) == pytest.approx(0.1)
    assert "loaded,carol,1,2,0,f1,exact,,no spans from carol" in rows
    assert any(r.startswith("loaded,alice,2,3,3,f1,partial,0.571428") for r in rows)
    page = render_html(report)
    assert '<section id="vs-gold">' in page and 'href="#vs-gold"' in page


def test_no_gold_no_section(repo: Repository) -> None:
    finished = {"alice": "done", "bob": "done"}
    repo.import_documents([new_document("one", ONE, _work(ONE, 0), finished)])
    report = build_report(repo, ReportOptions(bootstrap=0))
    data = json.loads(render_json(report))
    assert data["layers"]["statement"]["vs_gold"] == []
    assert "Against gold" not in render_md(report)
