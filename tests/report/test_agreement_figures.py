"""Gwet's AC with the paradox notes, gamma, the reliability table and per-document alpha_U in
the HTML and CSV reports, on a corpus whose figures are computed here by hand.

The corpus (``report_support.paradox_corpus``): three annotators label 20 sentences ``plain``
or ``flagged``; ann and cat agree everywhere, bob disagrees with both on the last two. One
label dominates, so kappa and alpha stay low while the annotators agree on 90-100%: the kappa
paradox Gwet's AC1 is built to avoid. Every annotator marks the same spans, so gamma is 1.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from html_dom import Element, parse
from report_support import GENERATED_AT, PARADOX_FLAGGED, PARADOX_SCHEME, paradox_corpus

from annotator.agreement import dawid_skene, gwet_ac
from annotator.report import (
    ReportOptions,
    build_report,
    render_csv,
    render_html,
    render_md,
    span_stats,
)
from annotator.report.model import Report, SegmentLayerReport, SpanLayerReport
from annotator.store.repository import Repository

Importer = Callable[..., Repository]

# Hand computation, two labels (q = 2).
# Layer, three raters: units 1-18 all plain (pairwise agreement 1), units 19 and 20 split 2:1
# (1/3 each); pi(flagged) = (2/3 + 1/3) / 20 = 0.05.
PA_LAYER = (18 + 2 / 3) / 20
PE = 2 * 0.05 * 0.95 / (2 - 1)  # Gwet: sum of pi_k (1 - pi_k) / (q - 1)
AC1_LAYER = (PA_LAYER - PE) / (1 - PE)  # 0.926
# Krippendorff's alpha from the coincidences: o(plain, flagged) = o(flagged, plain) = 2,
# n(plain) = 57, n(flagged) = 3, n = 60.
ALPHA = 1 - (60 - 1) * (2 + 2) / (2 * 57 * 3)  # 0.310
# ann / bob and bob / cat: 18 both plain, one flagged by each alone.
AC1_SPLIT = (0.9 - PE) / (1 - PE)  # 0.890
KAPPA_SPLIT = (0.9 - (0.95**2 + 0.05**2)) / (1 - (0.95**2 + 0.05**2))  # -0.053
PREVALENCE = 0.95 - 0.05  # pooled share of plain minus flagged, in every pair and overall
PARADOX = "one label dominates (prevalence index 0.90)"
TOO_FEW = "6 spans; alpha_U of one document needs 20"


def f3(value: float) -> str:
    return f"{value:.3f}"


def matrix() -> list[list[str]]:
    """Annotators x sentences, the labels as given (for the engine's own figures)."""
    return [
        ["flagged" if i in flagged else "plain" for i in range(20)]
        for flagged in PARADOX_FLAGGED.values()
    ]


@pytest.fixture
def report(import_jsonl: Importer) -> Report:
    repo = import_jsonl(paradox_corpus(), PARADOX_SCHEME)
    return build_report(repo, ReportOptions(bootstrap=0, generated_at=GENERATED_AT))


def test_the_hand_computation_is_what_the_report_holds(report: Report) -> None:
    layer = next(lay for lay in report.layers if isinstance(lay, SegmentLayerReport))
    assert layer.krippendorff_alpha.value == pytest.approx(ALPHA, abs=1e-12)
    assert layer.gwet is not None and layer.gwet.name == "AC1"
    assert layer.gwet.value.value == pytest.approx(AC1_LAYER, abs=1e-12)
    assert layer.gwet.prevalence_index == pytest.approx(PREVALENCE)
    assert layer.gwet.bias_index == 0.0
    kappas = {(p.a, p.b): (p.cohen_kappa.value, p.gwet_ac.value) for p in layer.pairwise}
    kappa, ac1 = kappas[("ann", "bob")]
    assert kappa == pytest.approx(KAPPA_SPLIT, abs=1e-12)
    assert ac1 == pytest.approx(AC1_SPLIT, abs=1e-12)
    assert kappas[("ann", "cat")] == (1.0, 1.0)


def _section(dom: Element, title: str) -> Element:
    for section in dom.find_all("section"):
        heading = section.find_all("h2")
        if heading and heading[0].text().startswith(title):
            return section
    raise AssertionError(f"no section headed {title!r}")


def _figures(section: Element) -> dict[str, list[str]]:
    """Each figure box of a layer: its caption -> [value, the lines under it]."""
    out = {}
    for box in section.find_all("div", "figure"):
        lines = [d.text() for d in box.find_all("div")]
        out[lines[0]] = lines[1:]
    return out


def _table(section: Element, first_header: str, *more: str) -> list[list[str]]:
    """The table of ``section`` whose header row starts with these column names."""
    want = [first_header, *more]
    for table in section.find_all("table"):
        grid = table.grid()
        if grid and grid[0][: len(want)] == want:
            return grid
    raise AssertionError(f"no table with the columns {want}")


def test_html_gwet_beside_alpha_and_kappa_with_the_paradox_notes(report: Report) -> None:
    section = _section(parse(render_html(report)), "Layer “claim”")
    figures = _figures(section)
    ci = gwet_ac(matrix(), "nominal", ["plain", "flagged"])  # the interval, from the engine
    assert figures["Gwet's AC1"] == [
        f3(AC1_LAYER),
        f"95% CI {ci.low:.3f} to {ci.high:.3f}",
        "prevalence index 0.90, bias index 0.00",
    ]
    assert figures["Krippendorff's alpha (nominal)"][0] == f3(ALPHA)
    notes = [p.text() for p in section.find_all("p", "paradox")]
    assert notes == [
        f"Note: AC1 0.93 vs alpha 0.31: {PARADOX}, so alpha's chance agreement is high and it"
        " stays low although annotators mostly agree; AC1 does not count that as chance"
        " (the kappa paradox)",
        f"ann / bob: AC1 0.89 vs kappa -0.05: {PARADOX}, so kappa's chance agreement is high and"
        " it stays low although annotators mostly agree; AC1 does not count that as chance"
        " (the kappa paradox)",
        f"bob / cat: AC1 0.89 vs kappa -0.05: {PARADOX}, so kappa's chance agreement is high and"
        " it stays low although annotators mostly agree; AC1 does not count that as chance"
        " (the kappa paradox)",
    ]
    pairs = _table(section, "pair", "n", "Cohen's kappa")
    assert pairs[0][5:] == ["Gwet's AC1", "prevalence index", "bias index"]
    split = [f3(KAPPA_SPLIT), f3(KAPPA_SPLIT), "90.0%", f3(AC1_SPLIT), "0.90", "0.00"]
    assert pairs[1:] == [
        ["ann / bob", "20", *split],
        ["ann / cat", "20", "1.000", "1.000", "100.0%", "1.000", "0.90", "0.00"],
        ["bob / cat", "20", *split],
    ]


def test_html_and_markdown_print_the_same_digits(report: Report) -> None:
    md = render_md(report)
    section = _section(parse(render_html(report)), "Layer “claim”")
    value, interval, indices = _figures(section)["Gwet's AC1"]
    assert f"- Gwet's AC1: **{value}**, {interval}; {indices}\n" in md
    for note in section.find_all("p", "paradox"):
        who, _, text = note.text().partition(": ")
        assert f"- {who}: {text}\n" in md
    reliability = section.find("table", "reliability").grid()
    for annotator, units, competence, agrees in reliability[1:]:
        assert f"| {annotator} | {units} | {competence} | {agrees} |" in md
    pairs = _table(section, "pair", "n", "Cohen's kappa")
    for pair, n, kappa, pi, agreement, ac, prevalence, bias in pairs[1:]:
        row = f"| {pair} | {n} | {kappa} | {pi} | {agreement} | {ac} | {prevalence} | {bias} |"
        assert row in md
    assert f"| ann / bob | 20 | {f3(KAPPA_SPLIT)} |" in md and f3(AC1_SPLIT) in md
    loaded = _figures(_section(parse(render_html(report)), "Layer “loaded”"))
    gamma, gamma_range, _ = loaded["gamma over the corpus"]
    cat = loaded["gamma-cat"][0]
    assert f"**{gamma}** ({gamma_range}); gamma-cat **{cat}**" in md


def test_html_reliability_table_sorted_by_competence(report: Report) -> None:
    section = _section(parse(render_html(report)), "Layer “claim”")
    table = section.find("table", "reliability")
    assert "sortable" in table.classes
    header = table.rows()[0]
    assert [c.text() for c in header] == [
        "annotator",
        "units",
        "competence",
        "agrees with estimate",
    ]
    assert header[2].attrs["aria-sort"] == "descending"  # the order it is written in
    assert "hidden" in section.find("span", "sort-hint").attrs  # "click to sort": needs script
    engine = dawid_skene(matrix(), list(PARADOX_FLAGGED)).competence
    rows = table.rows()[1:]
    assert [[c.text() for c in row] for row in rows] == [
        ["ann", "20", f3(engine["ann"]), "100.0%"],
        ["cat", "20", f3(engine["cat"]), "100.0%"],
        ["bob", "20", f3(engine["bob"]), "90.0%"],  # bob gives the majority label on 18 of 20
    ]
    assert engine["bob"] < min(engine["ann"], engine["cat"])
    # the sort keys are the figures at full precision
    for row in rows:
        who = row[0].text()
        assert float(row[1].attrs["data-sort"]) == 20
        assert float(row[2].attrs["data-sort"]) == pytest.approx(engine[who], abs=1e-9)
    assert [float(row[3].attrs["data-sort"]) for row in rows] == [1.0, 1.0, 0.9]


def test_html_gamma_beside_alpha_u_and_its_reason_when_undefined(report: Report) -> None:
    dom = parse(render_html(report))
    loaded = _figures(_section(dom, "Layer “loaded”"))
    # every annotator marked the same spans: no disorder, gamma and gamma-cat are 1
    assert loaded["alpha_U over the corpus"][0] == "1.000"
    assert loaded["gamma over the corpus"][:2] == ["1.000", "95% range 1.000 to 1.000"]
    assert loaded["gamma-cat"][0] == "1.000"
    unused = _figures(_section(dom, "Layer “unused”"))
    reason = "undefined (fewer than two annotators or no spans)"
    assert unused["gamma over the corpus"][0] == reason
    assert unused["gamma-cat"][0] == reason
    for box in _section(dom, "Layer “unused”").find_all("div", "v"):
        if box.text().startswith("undefined"):
            assert "undef" in box.classes


def test_html_alpha_u_per_document_and_which_have_too_few_spans(report: Report) -> None:
    section = parse(render_html(report)).by_id("documents")
    table = section.find("table")
    header = [c.text() for c in table.rows()[0]]
    cells = {row[0].text(): dict(zip(header, row, strict=True)) for row in table.rows()[1:]}
    assert cells["long"]["loaded alpha_U"].text() == "1.000"  # 21 spans, all agreeing
    short = cells["short"]["loaded alpha_U"]
    assert short.text() == "too few spans (6)"
    assert short.attrs["title"] == TOO_FEW
    assert "undef" in short.classes
    notes = [p.text() for p in section.find_all("p", "too-few")]
    assert notes == [
        "Layer “loaded”: alpha_U of one document needs 20 spans (all annotators together), so it"
        " is left undefined on the 1 of 2 documents with fewer: short (6 spans).",
        "Layer “unused”: alpha_U of one document needs 20 spans (all annotators together), so it"
        " is left undefined on the 2 of 2 documents with fewer: short (0 spans), long (0 spans).",
    ]
    assert "nan" not in table.text().lower().split()


def _csv(report: Report, name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(render_csv(report)[name])))


def test_csv_layers_hold_gwet_and_gamma_with_interval_reason_and_note(report: Report) -> None:
    rows = {(r["layer"], r["measure"]): r for r in _csv(report, "layers.csv")}
    ci = gwet_ac(matrix(), "nominal", ["plain", "flagged"])
    ac = rows[("claim", "gwet_ac1")]
    assert float(ac["value"]) == pytest.approx(AC1_LAYER, abs=1e-12)
    assert float(ac["ci95_low"]) == pytest.approx(ci.low, abs=1e-12)
    assert float(ac["ci95_high"]) == pytest.approx(ci.high, abs=1e-12)
    assert ac["note"].startswith(f"AC1 0.93 vs alpha 0.31: {PARADOX}")
    assert ac["reason"] == ""
    assert float(rows[("claim", "prevalence_index")]["value"]) == pytest.approx(PREVALENCE)
    assert float(rows[("claim", "bias_index")]["value"]) == 0.0
    gamma = rows[("loaded", "gamma")]
    assert [float(gamma[k]) for k in ("value", "ci95_low", "ci95_high")] == [1.0, 1.0, 1.0]
    assert float(rows[("loaded", "gamma_cat")]["value"]) == 1.0
    for measure in ("gamma", "gamma_cat"):
        undefined = rows[("unused", measure)]
        assert undefined["value"] == ""
        assert undefined["reason"] == "fewer than two annotators or no spans"
    # the digits the Markdown prints are the full-precision figure rounded
    assert f"**{f3(float(ac['value']))}**, 95% CI {float(ac['ci95_low']):.3f}" in render_md(report)


def test_csv_pairs_reliability_and_documents(report: Report) -> None:
    pairs = {(r["a"], r["b"]): r for r in _csv(report, "segment_pairwise.csv")}
    split = pairs[("ann", "bob")]
    assert float(split["cohen_kappa"]) == pytest.approx(KAPPA_SPLIT, abs=1e-12)
    assert float(split["gwet_ac"]) == pytest.approx(AC1_SPLIT, abs=1e-12)
    assert float(split["prevalence_index"]) == pytest.approx(PREVALENCE)
    assert float(split["bias_index"]) == 0.0
    assert split["note"].startswith(f"AC1 0.89 vs kappa -0.05: {PARADOX}")
    assert pairs[("ann", "cat")]["note"] == ""
    engine = dawid_skene(matrix(), list(PARADOX_FLAGGED)).competence
    reliability = _csv(report, "segment_reliability.csv")
    assert [r["annotator"] for r in reliability] == ["ann", "cat", "bob"]
    for r in reliability:
        assert r["layer"] == "claim" and r["units"] == "20" and r["reason"] == ""
        assert float(r["competence"]) == pytest.approx(engine[r["annotator"]], abs=1e-9)
    assert [float(r["agrees_with_estimate"]) for r in reliability] == [1.0, 1.0, 0.9]
    documents = {(r["document"], r["layer"]): r for r in _csv(report, "documents.csv")}
    assert float(documents[("long", "loaded")]["alpha_u"]) == 1.0
    short = documents[("short", "loaded")]
    assert short["alpha_u"] == ""
    assert short["reason"] == f"alpha_u: {TOO_FEW}"
    assert documents[("short", "claim")]["alpha_u"] == ""  # a segment layer has alpha instead
    for name, text in render_csv(report).items():
        for row in csv.reader(io.StringIO(text)):
            assert not {"nan", "NaN", "None"} & set(row), name


def test_csv_names_are_neutralized_in_the_new_tables(import_jsonl: Importer) -> None:
    renamed = json.dumps(paradox_corpus()).replace('"cat"', '"=cat"')
    corpus: list[dict[str, Any]] = json.loads(renamed)
    repo = import_jsonl(corpus, PARADOX_SCHEME)
    report = build_report(repo, ReportOptions(bootstrap=0, generated_at=GENERATED_AT))
    reliability = render_csv(report)["segment_reliability.csv"].splitlines()
    assert any(line.startswith("claim,'=cat,20,") for line in reliability)
    pairs = render_csv(report)["segment_pairwise.csv"]
    assert "'=cat" in pairs and ",=cat," not in pairs
    raw = render_csv(report, raw=True)["segment_reliability.csv"].splitlines()
    assert any(line.startswith("claim,=cat,20,") for line in raw)
    # a negative kappa is a number, not a formula: no quote mark before it
    split = next(r for r in csv.DictReader(io.StringIO(pairs)) if r["b"] == "bob")
    assert split["cohen_kappa"].startswith("-0.05")


def test_a_pair_with_no_shared_sentence_says_why_for_ac_too(import_jsonl: Importer) -> None:
    corpus = paradox_corpus()
    for document, absent in zip(corpus, ("cat", "ann"), strict=True):
        document["annotations"] = [
            a for a in document["annotations"] if (a["annotator"], a["layer"]) != (absent, "claim")
        ]
    repo = import_jsonl(corpus, PARADOX_SCHEME)
    report = build_report(repo, ReportOptions(bootstrap=0, generated_at=GENERATED_AT))
    pairs = {(r["a"], r["b"]): r for r in _csv(report, "segment_pairwise.csv")}
    apart = pairs[("ann", "cat")]
    assert apart["n"] == "0" and apart["gwet_ac"] == "" and apart["cohen_kappa"] == ""
    assert "no segment labelled by both" in apart["reason"]
    assert "not computed" not in render_md(report) + render_html(report)


def test_markdown_alpha_u_per_document_says_too_few_once(report: Report) -> None:
    md = render_md(report)
    documents = md[md.index("## Agreement per document") : md.index("\nScore: ")]
    rows = {line.split(" | ")[0].strip("| "): line for line in documents.splitlines()}
    assert "| 1.000 |" in rows["long"]  # 21 spans, all agreeing
    assert "| too few spans (6) |" in rows["short"]
    assert TOO_FEW not in documents  # the reason is said once, under the table
    assert (
        "Layer `loaded`: alpha_U of one document needs 20 spans (all annotators together), so it"
        " is left undefined on the 1 of 2 documents with fewer: short (6 spans).\n" in documents
    )


def test_gamma_above_its_bound_is_undefined_with_the_reason(
    import_jsonl: Importer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(span_stats, "GAMMA_MAX_SPANS", 20)  # the corpus has 27 loaded spans
    repo = import_jsonl(paradox_corpus(), PARADOX_SCHEME)
    report = build_report(repo, ReportOptions(bootstrap=0, generated_at=GENERATED_AT))
    loaded = next(layer for layer in report.layers if layer.name == "loaded")
    assert isinstance(loaded, SpanLayerReport)
    assert loaded.gamma.value is None and loaded.gamma_cat.value is None
    assert loaded.gamma.reason == "27 spans; gamma is computed up to 20"
    assert loaded.alpha_u.value == 1.0  # alpha_U does not depend on it
