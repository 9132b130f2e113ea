"""``--group-by``: findings per outlet (or annotator) from a corpus whose every figure is worked
out by hand below, bootstrap intervals reproduced from the documented seed recipe, permutation
p-values against every split enumerated in exact arithmetic, and the output in every format."""

from __future__ import annotations

import csv
import io
import itertools
import json
import zlib
from collections.abc import Callable, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

import jsonschema
import numpy as np
import pytest
from report_support import GENERATED_AT, write_jsonl
from statsmodels.stats.multitest import multipletests
from typer.testing import CliRunner

from annotator.cli import app
from annotator.io.importer import import_paths
from annotator.report import (
    ReportError,
    ReportOptions,
    build_report,
    render_csv,
    render_html,
    render_json,
    render_md,
)
from annotator.report.findings_model import Findings, GroupFindings
from annotator.resources import schemas_dir
from annotator.store.repository import Repository

# Five kinds of sentence, each with the words, loaded spans and source the tests count by hand.
SENTENCES = {
    "A": "Mayor Ann Lee said the bridge will open soon.",  # attributed, 9 words
    "V": "Officials say the fares are too high.",  # vague, 7 words
    "R": "The council met on Tuesday.",  # reporting, 5 words
    "E": "The plan is a disaster.",  # editorial, 5 words, "disaster" loaded
    "M": "Mayor Ann Lee claimed the fares were fair.",  # mixed, 8 words, "claimed" loaded
}
LABELS = {"A": "attributed", "V": "vague", "R": "reporting", "E": "editorial", "M": "mixed"}
# outlet -> the documents, each a string of sentence kinds
OUTLETS: dict[str | None, list[str]] = {
    "North": ["AER", "AERR", "VE", "AE", "MER", "AVR"],
    "South": ["RRR", "AR", "VR", "MRE", "AAR"],
    "West": ["EE", "VM"],
    None: ["R"],
}
# Per kind: (words, writer's words, attributed words, loaded in writer's voice, loaded in
# attributed statements, named source, named or vague source)
PER_KIND = {
    "A": (9, 0, 9, 0, 0, 1, 1),
    "V": (7, 0, 7, 0, 0, 0, 1),
    "R": (5, 5, 0, 0, 0, 0, 0),
    "E": (5, 5, 0, 1, 0, 0, 0),
    "M": (8, 0, 8, 0, 1, 1, 1),
}
CODERS = ("ann", "bob", "cat")


def document(number: int, kinds: str, outlet: str | None) -> dict[str, Any]:
    parts = [SENTENCES[k] for k in kinds]
    text = " ".join(parts)
    segments, at = [], 0
    for part in parts:
        segments.append([at, at + len(part)])
        at += len(part) + 1
    annotations: list[dict[str, Any]] = []
    for who in CODERS:
        for i, ((start, end), kind) in enumerate(zip(segments, kinds, strict=True)):
            label = LABELS[kind]
            if who == "cat" and kinds == "RRR" and i == 0:
                label = "editorial"  # outvoted by ann and bob
            attrs: dict[str, Any] = {}
            if kind in "AM":
                cue = "said" if kind == "A" else "claimed"
                attrs = {
                    "source": {"start": start, "end": start + len("Mayor Ann Lee")},
                    "cue": {
                        "start": text.index(cue, start),
                        "end": text.index(cue, start) + len(cue),
                    },
                }
            annotations.append(
                {
                    "annotator": who,
                    "layer": "statement",
                    "label": label,
                    "start": start,
                    "end": end,
                    "attrs": attrs,
                }
            )
            for phrase, span_label in (("disaster", "emotive"), ("claimed", "epistemic")):
                if phrase in SENTENCES[kind] and not (who == "cat" and kinds == "VE"):
                    s = text.index(phrase, start)
                    annotations.append(
                        {
                            "annotator": who,
                            "layer": "loaded",
                            "label": span_label,
                            "start": s,
                            "end": s + len(phrase),
                        }
                    )
    status = dict.fromkeys(CODERS, "done")
    if kinds == "RRR":  # an adjudicator settles this one: its first sentence is editorial
        status["judge"] = "done"
        for i, (start, end) in enumerate(segments):
            annotations.append(
                {
                    "annotator": "judge",
                    "layer": "statement",
                    "start": start,
                    "end": end,
                    "label": "editorial" if i == 0 else "reporting",
                }
            )
    return {
        "id": f"doc-{number:02d}",
        "title": f"Document {number}",
        "text": text,
        "segments": segments,
        "meta": {} if outlet is None else {"outlet": outlet, "year": 2024, "issue": number},
        "status": status,
        "annotations": annotations,
    }


def corpus() -> list[dict[str, Any]]:
    numbers = itertools.count(1)
    return [
        document(next(numbers), kinds, outlet)
        for outlet, documents in OUTLETS.items()
        for kinds in documents
    ]


def kind_counts(kinds: str) -> list[int]:
    """A document's counts from the table above (settled reading: the majority, and for RRR
    the adjudicator's, which moves one sentence from reporting to editorial: same voice)."""
    return [sum(PER_KIND[k][i] for k in kinds) for i in range(7)]


@pytest.fixture
def repo(tmp_path: Path) -> Any:
    repository = Repository.in_memory()
    repository.ensure_annotator("judge", "adjudicator")
    import_paths(repository, [write_jsonl(tmp_path / "outlets.jsonl", corpus())])
    yield repository
    repository.close()


def findings(repo: Repository, *fields: str, bootstrap: int = 200, seed: int = 3) -> Findings:
    report = build_report(
        repo,
        ReportOptions(group_by=fields, bootstrap=bootstrap, seed=seed, generated_at=GENERATED_AT),
    )
    assert report.findings is not None
    return report.findings


def group(found: Findings, value: str | None, field: str = "outlet") -> GroupFindings:
    return next(g for g in found.groups if g.field == field and g.value == value)


def test_rates_and_shares_worked_out_by_hand(repo: Repository) -> None:
    found = findings(repo, "outlet")
    assert [g.name for g in found.groups] == ["North", "South", "West", "(no outlet)"]
    north = group(found, "North")
    # AER 19 + AERR 24 + VE 12 + AE 14 + MER 18 + AVR 21 words; 6 loaded spans, 5 of them
    # "disaster" in the writer's voice (50 words), 1 "claimed" in attributed ones (58 words);
    # named sources 5 of 7 (A A A M A, and the vague V V)
    assert (north.documents, north.words, north.loaded_spans) == (6, 108, 6)
    assert north.rates["loaded_per_100_words"].value.value == pytest.approx(600 / 108)
    assert north.rates["loaded_per_100_writer"].value.value == pytest.approx(500 / 50)
    assert north.rates["loaded_per_100_attributed"].value.value == pytest.approx(100 / 58)
    assert north.rates["named_source_share"].value.value == pytest.approx(5 / 7)
    assert dict(north.statements) == {
        "attributed": 4,
        "vague": 2,
        "reporting": 5,
        "editorial": 5,
        "mixed": 1,
    }
    assert north.shares["attributed"].value.value == pytest.approx(4 / 17)
    south = group(found, "South")
    # the adjudicator's reading of RRR makes one of its sentences editorial
    assert dict(south.statements) == {
        "attributed": 3,
        "vague": 1,
        "reporting": 6,
        "editorial": 2,
        "mixed": 1,
    }
    assert south.basis == "gold where it exists, else majority"
    assert north.basis == "majority"
    assert south.words == 82 and south.loaded_spans == 2
    assert south.rates["loaded_per_100_writer"].value.value == pytest.approx(100 / 40)
    assert south.rates["named_source_share"].value.value == pytest.approx(4 / 5)
    assert south.shares["editorial"].value.value == pytest.approx(2 / 13)
    assert [(t.text, t.count) for t in north.top_loaded] == [("disaster", 5), ("claimed", 1)]
    [mayor] = north.sources
    assert mayor.source == "Mayor Ann Lee" and mayor.statements == 5
    assert [(c.cue, c.count, c.tone) for c in mayor.cues] == [
        ("said", 4, "neutral"),
        ("claimed", 1, "loaded"),
    ]


def test_every_group_equals_the_table_of_kinds(repo: Repository) -> None:
    found = findings(repo, "outlet")
    for outlet, documents in OUTLETS.items():
        totals = np.sum([kind_counts(k) for k in documents], axis=0)
        words, writer, attributed, loaded_w, loaded_a, named, sourced = totals
        g = group(found, outlet)
        assert g.words == words
        assert g.rates["loaded_per_100_writer"].value.value == pytest.approx(
            100 * loaded_w / writer
        )
        if attributed:
            assert g.rates["loaded_per_100_attributed"].value.value == pytest.approx(
                100 * loaded_a / attributed
            )
        if sourced:
            assert g.rates["named_source_share"].value.value == pytest.approx(named / sourced)


def test_too_few_documents_or_nothing_to_divide_by_is_undefined_never_zero(
    repo: Repository,
) -> None:
    found = findings(repo, "outlet")
    west = group(found, "West")
    rate = west.rates["loaded_per_100_words"]
    assert rate.value.value == pytest.approx(300 / 25)
    assert rate.ci95 is None
    assert rate.interval_text() == "undefined (2 documents; an interval needs 5)"
    nowhere = group(found, None)
    attributed = nowhere.rates["loaded_per_100_attributed"]
    assert attributed.value.value is None
    assert attributed.value.text() == "undefined (no words in attributed statements)"
    assert nowhere.rates["named_source_share"].value.reason == (
        "no statement with a named or vague source"
    )
    north = group(found, "North")
    assert north.rates["loaded_per_100_words"].ci95 is not None  # six documents: an interval


def resampled_rate(rows: Sequence[Sequence[int]], column: tuple[int, int], seed: Any) -> Any:
    """The documented recipe, longhand: resample b draws rng.integers(0, n, size=n)."""
    counts = np.asarray(rows, dtype=float)
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(200):
        drawn = counts[rng.integers(0, len(counts), size=len(counts))].sum(axis=0)
        values.append(100 * drawn[column[0]] / drawn[column[1]])
    return np.quantile(values, [0.025, 0.975])


def test_intervals_reproduce_from_the_seed(repo: Repository) -> None:
    found = findings(repo, "outlet", seed=3)
    north = group(found, "North")
    rows = []
    for kinds in OUTLETS["North"]:  # (loaded spans, words) per document, in import order
        c = kind_counts(kinds)
        rows.append([c[3] + c[4], c[0]])
    seed = [3, zlib.crc32(b"outlet=North")]
    expected = resampled_rate(rows, (0, 1), seed)
    assert north.rates["loaded_per_100_words"].ci95 == pytest.approx(tuple(expected), abs=1e-12)
    again = findings(repo, "outlet", seed=3)
    assert again == found
    assert findings(repo, "outlet", seed=4) != found


def exact_p(first: Sequence[Sequence[int]], second: Sequence[Sequence[int]]) -> Fraction:
    """Every split of the pooled documents into groups of the same sizes, in exact arithmetic."""

    def rate(rows: Sequence[Sequence[int]]) -> Fraction:
        return Fraction(100 * sum(r[0] for r in rows), sum(r[1] for r in rows))

    pooled = [*first, *second]
    observed = abs(rate(first) - rate(second))
    hits = total = 0
    for chosen in itertools.combinations(range(len(pooled)), len(first)):
        a = [pooled[i] for i in chosen]
        b = [pooled[i] for i in range(len(pooled)) if i not in chosen]
        total += 1
        hits += abs(rate(a) - rate(b)) >= observed
    return Fraction(hits, total)


def test_differences_and_exact_permutation_p_values(repo: Repository) -> None:
    found = findings(repo, "outlet", bootstrap=1000)
    [north_south] = [
        c
        for c in found.comparisons
        if (c.a, c.b, c.metric) == ("North", "South", "loaded_per_100_writer")
    ]
    assert north_south.difference.value == pytest.approx(500 / 50 - 100 / 40)
    assert (north_south.n_a, north_south.n_b) == (6, 5)
    assert north_south.exact and north_south.permutations == 462  # C(11, 6) <= 1000

    def writer(outlet: str) -> list[list[int]]:
        return [[kind_counts(k)[3], kind_counts(k)[1]] for k in OUTLETS[outlet]]

    expected = exact_p(writer("North"), writer("South"))
    assert north_south.p_value.value == pytest.approx(float(expected), abs=1e-12)
    # North and South both have intervals, so their difference has one too
    assert north_south.ci95 is not None
    north_west = next(
        c
        for c in found.comparisons
        if (c.a, c.b, c.metric) == ("North", "West", "loaded_per_100_words")
    )
    assert north_west.ci95 is None
    assert north_west.ci_reason == "2 documents; an interval needs 5"
    assert north_west.p_value.defined  # a permutation test needs no minimum


def test_holm_over_the_pairs_of_a_metric(repo: Repository) -> None:
    found = findings(repo, "outlet")
    pairs = [c for c in found.comparisons if c.metric == "loaded_per_100_words"]
    assert [(c.a, c.b) for c in pairs] == [
        ("North", "South"),
        ("North", "West"),
        ("North", None),
        ("South", "West"),
        ("South", None),
        ("West", None),
    ]
    ps = [c.p_value.value for c in pairs]
    assert all(p is not None for p in ps)
    adjusted = multipletests(ps, method="holm")[1]
    assert [c.p_holm.value for c in pairs] == pytest.approx(list(adjusted))


def test_grouped_by_annotator_compares_readings_of_the_same_documents(repo: Repository) -> None:
    found = findings(repo, "annotator")
    assert [g.name for g in found.groups] == ["ann", "bob", "cat"]
    ann, cat = group(found, "ann", "annotator"), group(found, "cat", "annotator")
    assert ann.documents == cat.documents == 14
    assert ann.basis == "each annotator's own annotations"
    # cat left "disaster" unmarked in VE and read the first sentence of RRR as editorial
    assert ann.loaded_spans - cat.loaded_spans == 1
    assert cat.statements["editorial"] - ann.statements["editorial"] == 1
    [pair] = [
        c
        for c in found.comparisons
        if (c.a, c.b, c.metric) == ("ann", "cat", "loaded_per_100_words")
    ]
    assert pair.paired and pair.n_a == pair.n_b == 14
    assert pair.difference.value == pytest.approx(100 / ann.words)
    # only one document differs: of the 2 ** 14 swaps, half put the extra span on each side
    assert pair.p_value.value == pytest.approx(1.0)
    same = next(
        c
        for c in found.comparisons
        if (c.a, c.b, c.metric) == ("ann", "bob", "loaded_per_100_words")
    )
    assert same.difference.value == 0.0 and same.p_value.value == 1.0


def test_words_are_the_words_of_docs_list_and_the_bias_profile(repo: Repository) -> None:
    report = build_report(repo, ReportOptions(group_by=("outlet",), bootstrap=0))
    assert report.findings is not None
    listed = {d.external_id: d.n_words for d in repo.documents()}
    profiled = {b.external_id: b.words for b in report.bias}
    assert listed == profiled
    assert sum(g.words for g in report.findings.groups) == sum(listed.values())


def test_bootstrap_off_gives_figures_without_intervals_or_p_values(repo: Repository) -> None:
    found = findings(repo, "outlet", bootstrap=0)
    north = group(found, "North")
    assert north.rates["loaded_per_100_words"].value.defined
    assert north.rates["loaded_per_100_words"].ci_reason == "bootstrap off (--bootstrap 0)"
    assert all(not c.p_value.defined for c in found.comparisons)


def test_an_unknown_key_names_the_keys_there_are(repo: Repository) -> None:
    with pytest.raises(ReportError) as caught:
        build_report(repo, ReportOptions(group_by=("outlt",)))
    assert str(caught.value) == (
        "--group-by outlt: no document has the meta key 'outlt'; the meta keys are:"
        " issue (13 documents), outlet (13 documents), year (13 documents) (or group by annotator)"
    )


def test_every_format_carries_the_findings(repo: Repository, tmp_path: Path) -> None:
    report = build_report(
        repo, ReportOptions(group_by=("outlet",), bootstrap=100, generated_at=GENERATED_AT)
    )
    data = json.loads(render_json(report))
    schema = json.loads((schemas_dir() / "report.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    groups = data["bias"]["groups"]
    west = next(g for g in groups if g["value"] == "West")
    assert west["loaded_per_100_words"] == pytest.approx(12.0)
    assert west["loaded_per_100_words_ci95"] is None
    assert west["reasons"]["loaded_per_100_words_ci95"] == "2 documents; an interval needs 5"
    assert next(g for g in groups if g["value"] is None)["documents"] == 1
    assert {c["metric"] for c in data["bias"]["comparisons"]} >= {
        "loaded_per_100_words",
        "named_source_share",
        "shares.editorial",
    }
    md = render_md(report)
    assert "## Findings by outlet" in md
    west_row = "| West | 12.00 | undefined (2 documents; an interval needs 5) |"
    assert f"| loaded spans per 100 words {west_row}" in md
    assert "p (Holm)" in md
    tables = render_csv(report)
    rows = list(csv.DictReader(io.StringIO(tables["groups.csv"])))
    west_rows = [r for r in rows if r["value"] == "West" and r["metric"] == "loaded_per_100_words"]
    assert west_rows[0]["estimate"] == "12.0" and west_rows[0]["ci_low"] == ""
    assert west_rows[0]["reason"] == "2 documents; an interval needs 5"
    assert list(csv.DictReader(io.StringIO(tables["group_comparisons.csv"])))
    html = render_html(report)
    assert 'id="findings-1"' in html
    assert html.count('class="chart forest"') == len(report.findings.metrics())


def test_two_groups_have_no_holm_column(import_jsonl: Callable[..., Repository]) -> None:
    docs = [
        document(i, kinds, outlet)
        for i, (kinds, outlet) in enumerate([("AER", "North"), ("RRR", "South"), ("AE", "North")])
    ]
    for d in docs:
        d["status"].pop("judge", None)
        d["annotations"] = [a for a in d["annotations"] if a["annotator"] != "judge"]
    repo = import_jsonl(docs)
    report = build_report(repo, ReportOptions(group_by=("outlet",), bootstrap=50))
    md = render_md(report)
    assert "## Findings by outlet" in md and "p (Holm)" not in md
    assert report.findings is not None
    assert all(c.p_holm == c.p_value for c in report.findings.comparisons)


def test_the_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ANNOTATOR_DB", raising=False)
    db = tmp_path / "outlets.db"
    source = write_jsonl(tmp_path / "outlets.jsonl", corpus())
    runner = CliRunner()
    added = runner.invoke(
        app, ["--db", str(db), "annotators", "add", "judge", "--role", "adjudicator"]
    )
    assert added.exit_code == 0, added.output
    assert runner.invoke(app, ["--db", str(db), "import", str(source)]).exit_code == 0
    result = runner.invoke(
        app,
        ["--db", str(db), "report", "--group-by", "outlet", "--bootstrap", "100", "--seed", "1"],
    )
    assert result.exit_code == 0, result.output
    assert "## Findings by outlet" in result.stdout
    bad = runner.invoke(app, ["--db", str(db), "report", "--group-by", "topic"])
    assert bad.exit_code == 2
    lines = bad.stderr.splitlines()
    assert lines == [
        "error: --group-by topic: no document has the meta key 'topic'; the meta keys are:"
        " issue (13 documents), outlet (13 documents), year (13 documents) (or group by annotator)"
    ]


def test_many_groups_are_compared_among_the_largest(repo: Repository) -> None:
    found = findings(repo, "issue", "year", bootstrap=20)
    issues = found.of("issue")
    assert len(issues) == 14  # thirteen issues and the document without one
    assert [g.value for g in found.of("year")] == ["2024", None]
    pairs = {(c.a, c.b) for c in found.compared("issue")}
    assert len(pairs) == 12 * 11 // 2
    assert found.notes == ("issue: 14 groups; pairs compared among the 12 with the most documents",)
    assert "> issue: 14 groups" in render_md(
        build_report(repo, ReportOptions(group_by=("issue",), bootstrap=20))
    )


@pytest.mark.chromium
def test_the_forest_plots_in_chromium(chromium: str, repo: Repository, tmp_path: Path) -> None:
    from test_html_chromium import CONSOLE, browse

    report = build_report(
        repo, ReportOptions(group_by=("outlet",), bootstrap=100, generated_at=GENERATED_AT)
    )
    page = tmp_path / "report.html"
    page.write_text(render_html(report), encoding="utf-8")
    result = browse(chromium, page, tmp_path / "profile", "--dump-dom")
    assert result.returncode == 0, result.stderr[-2000:]
    assert [line for line in result.stderr.splitlines() if CONSOLE.search(line)] == []
    dom = result.stdout
    assert report.findings is not None
    assert dom.count('class="chart forest"') == len(report.findings.metrics())
    assert 'aria-label="loaded spans per 100 words, writer\'s voice"' in dom
    assert "CI undefined (2 documents; an interval needs 5)" in dom  # West, in its plot
