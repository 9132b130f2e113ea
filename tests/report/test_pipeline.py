"""End to end: JSONL imported through the import service, report built from the store, figures
equal to the agreement engine's on the same data (computed here from the JSONL itself)."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from itertools import combinations
from typing import Any

import jsonschema
import pytest
from report_support import (
    GENERATED_AT,
    K_SCHEME,
    SPAN_SCHEME,
    k2011_corpus,
    news_corpus,
    published_vectors,
    unitizing_corpus,
)

from annotator.agreement import (
    bootstrap_ci,
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha,
    percent_agreement,
    scott_pi,
    span_prf,
    unitizing_alpha,
)
from annotator.report import (
    ReportError,
    ReportOptions,
    build_report,
    render_csv,
    render_html,
    render_json,
    render_md,
)
from annotator.report.model import SegmentLayerReport, SpanLayerReport
from annotator.resources import schemas_dir
from annotator.store.repository import Repository

Importer = Callable[..., Repository]
CODERS = ("ann", "bob", "cat")
STATEMENT = ("attributed", "vague", "reporting", "editorial", "mixed")


def _options(**kw: Any) -> ReportOptions:
    return ReportOptions(generated_at=GENERATED_AT, bootstrap=200, **kw)


def _segment_matrix(corpus: list[dict[str, Any]]) -> list[list[str | None]]:
    """coders x units from the JSONL: units = segments of documents with a done coder."""
    rows: list[list[str | None]] = [[] for _ in CODERS]
    for doc in corpus:
        done = [c for c in CODERS if doc["status"].get(c) == "done"]
        if not done:
            continue
        for start, end in doc["segments"]:
            for i, coder in enumerate(CODERS):
                label = next(
                    (
                        a["label"]
                        for a in doc["annotations"]
                        if a["layer"] == "statement"
                        and a["annotator"] == coder
                        and (a["start"], a["end"]) == (start, end)
                    ),
                    None,
                )
                rows[i].append(label if coder in done else None)
    return rows


def _layer(report: Any, name: str) -> Any:
    return next(layer for layer in report.layers if layer.name == name)


def test_segment_figures_equal_the_engine(news_repo: Repository) -> None:
    report = build_report(news_repo, _options())
    layer = _layer(report, "statement")
    assert isinstance(layer, SegmentLayerReport)
    data = _segment_matrix(news_corpus())
    expected = krippendorff_alpha(data, "nominal", value_order=STATEMENT)
    assert layer.units == len(data[0]) == 9
    assert layer.krippendorff_alpha.value == pytest.approx(expected.value, abs=1e-12)
    assert layer.pairable_values == expected.n_pairable
    interval = bootstrap_ci(data, "nominal", B=200, seed=0, value_order=STATEMENT)
    assert layer.alpha_ci95 == pytest.approx((interval.low, interval.high), abs=1e-12)
    complete = [u for u in range(len(data[0])) if all(row[u] is not None for row in data)]
    fleiss = fleiss_kappa([[row[u] for u in complete] for row in data])
    assert layer.fleiss_units == len(complete) == 6
    assert layer.fleiss_kappa.value == pytest.approx(fleiss.value, abs=1e-12)
    for pair, (i, j) in zip(layer.pairwise, combinations(range(3), 2), strict=True):
        both = [u for u in range(len(data[0])) if data[i][u] is not None and data[j][u] is not None]
        a = [data[i][u] for u in both]
        b = [data[j][u] for u in both]
        assert (pair.a, pair.b, pair.n) == (CODERS[i], CODERS[j], len(both))
        assert pair.cohen_kappa.value == pytest.approx(cohen_kappa(a, b).value, abs=1e-12)
        assert pair.scott_pi.value == pytest.approx(scott_pi(a, b).value, abs=1e-12)
        assert pair.percent_agreement.value == pytest.approx(percent_agreement(a, b).value)
    for label_report in layer.per_label:
        binary = [
            [None if v is None else float(v == label_report.label) for v in row] for row in data
        ]
        expected_label = krippendorff_alpha(binary, "nominal")
        assert label_report.alpha.value == pytest.approx(expected_label.value, abs=1e-12)
        assert label_report.counts == {
            c: sum(v == label_report.label for v in row)
            for c, row in zip(CODERS, data, strict=True)
        }
    # ann labelled all 9 segments of 3 documents; cat left one of its 7 unlabelled
    coverage = {c.annotator: (c.documents, c.units, c.labelled) for c in layer.coverage}
    assert coverage == {"ann": (3, 9, 9), "bob": (2, 7, 7), "cat": (2, 7, 6)}


def _spans_with_offsets(corpus: list[dict[str, Any]], docs: list[str]) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {c: [] for c in CODERS}
    offset = 0
    for doc in corpus:
        if doc["id"] in docs:
            for a in doc["annotations"]:
                if a["layer"] == "loaded":
                    out[a["annotator"]].append(
                        (a["annotator"], a["start"] + offset, a["end"] + offset, a["label"])
                    )
        offset += len(doc["text"])
    return out


def test_span_figures_equal_the_engine(news_repo: Repository) -> None:
    report = build_report(news_repo, _options())
    layer = _layer(report, "loaded")
    assert isinstance(layer, SpanLayerReport)
    corpus = news_corpus()
    complete = ["city-budget", "senate-night"]  # the documents all three marked done
    # the continuum: those two documents one after the other
    units: list[Any] = []
    base = 0
    for doc in corpus:
        if doc["id"] in complete:
            units += [
                (a["annotator"], a["start"] + base, a["end"] + base, a["label"])
                for a in doc["annotations"]
                if a["layer"] == "loaded"
            ]
            base += len(doc["text"])
    expected = unitizing_alpha(units, 0, base, coders=list(CODERS))
    assert layer.continuum_length == base
    assert layer.alpha_u.value == pytest.approx(expected.value, abs=1e-12)
    for label in layer.per_label:
        if label.label in expected.per_label:
            assert label.alpha_u.value == pytest.approx(
                expected.per_label[label.label].value, abs=1e-12
            )
    spans = _spans_with_offsets(corpus, complete)
    for pair in layer.pairwise:
        ref = [(s, e, lab) for _, s, e, lab in spans[pair.a]]
        cand = [(s, e, lab) for _, s, e, lab in spans[pair.b]]
        for mode in ("exact", "partial", "overlap"):
            prf = span_prf(ref, cand, mode=mode, labeled=True)
            assert pair.f1[mode].value == pytest.approx(prf.f1, abs=1e-12)
            assert pair.precision[mode].value == pytest.approx(prf.precision, abs=1e-12)
            assert pair.recall[mode].value == pytest.approx(prf.recall, abs=1e-12)
    assert layer.counts == {"ann": 7, "bob": 6, "cat": 6}


def test_krippendorff_2011_through_the_whole_pipeline(import_jsonl: Importer) -> None:
    vectors = published_vectors()
    matrix = vectors["P1_K2011"]
    repo = import_jsonl(k2011_corpus(matrix), K_SCHEME)
    report = build_report(repo, _options())
    layer = _layer(report, "value")
    assert round(layer.krippendorff_alpha.value, 3) == vectors["P1_EXPECTED"]["nominal"] == 0.743
    assert layer.krippendorff_alpha.value == pytest.approx(
        vectors["P1_EXPECTED"]["exact"]["nominal"], abs=1e-6
    )
    d_o, d_e = vectors["P1_EXPECTED"]["nominal_Do_De"]
    assert layer.observed_disagreement == pytest.approx(d_o, abs=1e-6)
    assert layer.expected_disagreement == pytest.approx(d_e, abs=1e-6)
    assert layer.pairable_values == vectors["P1_EXPECTED"]["n.."]
    data = json.loads(render_json(report))
    assert round(data["layers"]["value"]["krippendorff_alpha"], 3) == 0.743
    assert "0.743" in render_md(report)
    assert "0.743" in render_html(report)
    assert "0.743" in render_csv(report)["layers.csv"]


def test_unitizing_example_through_the_whole_pipeline(import_jsonl: Importer) -> None:
    vectors = published_vectors()
    example = vectors["P7_U"]
    repo = import_jsonl(
        unitizing_corpus(example["units"], example["length"], example["coders"]), SPAN_SCHEME
    )
    report = build_report(repo, _options())
    layer = _layer(report, "loaded")
    engine = unitizing_alpha(
        [(f"coder{c}", b, b + n, lab) for c, b, n, lab in example["units"]],
        example["begin"],
        example["length"],
        coders=["coder0", "coder1"],
    )
    assert layer.alpha_u.value == pytest.approx(engine.value, abs=1e-12)
    assert layer.alpha_u.value == pytest.approx(vectors["P7_EXPECTED"]["alpha_U"], abs=1e-4)
    assert layer.observed_disagreement == pytest.approx(vectors["P7_EXPECTED"]["Do"], abs=1e-4)
    assert layer.expected_disagreement == pytest.approx(vectors["P7_EXPECTED"]["De"], abs=1e-4)
    data = json.loads(render_json(report))
    assert data["layers"]["loaded"]["alpha_u"] == pytest.approx(engine.value, abs=1e-12)
    assert data["layers"]["loaded"]["per_label"]["B"]["alpha_u"] is None
    assert data["layers"]["loaded"]["per_label"]["B"]["reasons"]["alpha_u"]


def test_undefined_is_reported_with_its_reason_never_as_one(import_jsonl: Importer) -> None:
    # every coder gives every unit the same label: expected disagreement is zero
    repo = import_jsonl(k2011_corpus([[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]]), K_SCHEME)
    report = build_report(repo, _options())
    layer = _layer(report, "value")
    assert layer.krippendorff_alpha.value is None
    assert layer.krippendorff_alpha.reason
    assert layer.alpha_ci95 is None
    data = json.loads(render_json(report))["layers"]["value"]
    assert data["krippendorff_alpha"] is None
    assert data["alpha_ci95"] is None
    assert data["reasons"]["krippendorff_alpha"] == layer.krippendorff_alpha.reason
    assert f"undefined ({layer.krippendorff_alpha.reason})" in render_md(report)
    assert "undefined (" in render_html(report)


def test_json_report_matches_its_schema(news_repo: Repository) -> None:
    data = json.loads(render_json(build_report(news_repo, _options())))
    schema = json.loads((schemas_dir() / "report.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(data, schema)
    assert data["annotators"] == list(CODERS)
    statement = data["layers"]["statement"]
    assert statement["kind"] == "segment" and statement["units"] == 9
    assert {"a", "b", "n", "cohen_kappa", "percent_agreement"} <= set(statement["pairwise"][0])
    assert set(statement["per_label"]) == set(STATEMENT)
    loaded = data["layers"]["loaded"]
    assert loaded["kind"] == "span"
    assert {"f1_exact", "f1_partial", "f1_overlap"} <= set(loaded["pairwise"][0])
    assert "alpha_u" in loaded["per_label"]["labeling"]
    provenance = data["provenance"]
    assert provenance["bootstrap"] == {"B": 200, "seed": 0}
    assert provenance["scheme"] == {"name": "source-bias", "version": 1}
    assert provenance["counted"]["quiet-day"] == ["ann"]
    assert provenance["generated_at"] == GENERATED_AT


def test_disagreement_anatomy_counts_every_kind(news_repo: Repository) -> None:
    anatomy = build_report(news_repo, _options()).anatomy
    assert anatomy.by_layer["loaded"] == {
        "boundary only": 2,  # disaster vs a disaster; the worst... vs worst...
        "label only": 2,  # "The regime": labeling vs emotive, twice
        "boundary and label": 0,
        "missed span": 8,
        "statement kind": 0,
        "missed statement": 0,
        "wrong source": 0,
        "source boundary": 0,
        "wrong cue": 0,
    }
    statement = anatomy.by_layer["statement"]
    assert statement["statement kind"] == 5
    assert statement["missed statement"] == 2  # cat left sentence 3 of city-budget unlabelled
    assert statement["wrong source"] == 2  # cat's source "the budget" against the mayor
    assert statement["source boundary"] == 1  # ann's "The mayor" against bob's "mayor"
    assert statement["wrong cue"] == 0  # every cue of an attributed statement is the same
    assert anatomy.statement_kinds["editorial vs vague"] == 2
    assert anatomy.documents_with_disagreements == 2
    first = anatomy.examples[0]
    assert first.external_id == "city-budget"  # the worst document comes first
    assert first.text in news_corpus()[0]["text"]
    assert {v.annotator for v in first.views} == set(CODERS)


def test_documents_are_sorted_worst_first(news_repo: Repository) -> None:
    report = build_report(news_repo, _options())
    scores = [d.score.value for d in report.documents]
    assert [d.external_id for d in report.documents] == ["city-budget", "senate-night"]
    assert scores == sorted(scores)
    # quiet-day has one done annotator only: it is in no agreement figure
    assert "quiet-day" not in {d.external_id for d in report.documents}


def test_bias_profile_from_the_majority(news_repo: Repository) -> None:
    report = build_report(news_repo, _options())
    senate = next(b for b in report.bias if b.external_id == "senate-night")
    assert senate.basis == "majority"
    assert senate.statements == {
        "attributed": 1,
        "vague": 0,
        "reporting": 1,
        "editorial": 1,
        "mixed": 0,
    }
    # majority spans: illegals and soared (3 of 3), admitted (2 of 3); "worst level in
    # history" is marked by ann and cat, so its common part is a majority span too
    assert senate.loaded_attributed == 2  # illegals, admitted: in the attributed sentence
    assert senate.loaded_writer == 2  # soared, worst level in history: editorial sentence
    [source] = senate.sources
    assert source.source == "The senator"
    assert [(c.cue, c.tone) for c in source.cues] == [("admitted", "loaded")]
    city = next(b for b in report.bias if b.external_id == "city-budget")
    assert city.unresolved_statements == 1  # editorial vs mixed, one each: no majority
    corpus = report.bias_corpus
    assert corpus.statements["attributed"] == 2
    assert {s.source for s in corpus.sources} == {"The mayor", "The senator"}
    said = next(s for s in corpus.sources if s.source == "The mayor").cues[0]
    assert (said.cue, said.tone) == ("said", "neutral")


def test_gold_wins_over_the_majority(import_jsonl: Importer, tmp_path: Any) -> None:
    corpus = news_corpus()
    start, end = corpus[1]["segments"][2]
    corpus[1]["annotations"].append(
        {
            "annotator": "judge",
            "layer": "statement",
            "label": "reporting",
            "start": start,
            "end": end,
        }
    )
    corpus[1]["status"]["judge"] = "done"
    repo = Repository.in_memory()
    repo.ensure_annotator("judge", "adjudicator")
    from report_support import write_jsonl

    from annotator.io.importer import import_paths

    import_paths(repo, [write_jsonl(tmp_path / "gold.jsonl", corpus)])
    try:
        report = build_report(repo, _options())
    finally:
        repo.close()
    assert report.annotators == CODERS  # the adjudicator is not a coder
    senate = next(b for b in report.bias if b.external_id == "senate-night")
    assert senate.basis == "gold"
    assert senate.statements["reporting"] == 1 and senate.statements["editorial"] == 0
    assert senate.loaded_writer == 0  # gold has no loaded spans on this document
    assert report.provenance.gold_documents == 1


def test_selection_options(news_repo: Repository) -> None:
    only = build_report(news_repo, _options(layers=("statement",), annotators=("ann", "bob")))
    assert [layer.name for layer in only.layers] == ["statement"]
    assert only.annotators == ("ann", "bob")
    assert [(p.a, p.b) for p in only.layers[0].pairwise] == [("ann", "bob")]
    one_doc = build_report(news_repo, _options(documents=("senate-night",)))
    assert list(one_doc.provenance.counted) == ["senate-night"]
    assert _layer(one_doc, "statement").units == 3
    unfinished = build_report(news_repo, _options(include_unfinished=True))
    assert unfinished.provenance.counted["quiet-day"] == ("ann", "cat")
    assert _layer(unfinished, "statement").units == 9
    assert any(d.external_id == "quiet-day" for d in unfinished.documents)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (ReportOptions(layers=("nope",)), "layer 'nope' is not in scheme 'source-bias'"),
        (ReportOptions(annotators=("zed",)), "no annotator named 'zed'"),
        (ReportOptions(documents=("missing-doc",)), "no document 'missing-doc'"),
    ],
)
def test_unknown_names_are_one_clear_error(
    news_repo: Repository, options: ReportOptions, message: str
) -> None:
    with pytest.raises(ReportError) as caught:
        build_report(news_repo, options)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def _refusal(repo: Repository, **kw: Any) -> str:
    with pytest.raises(ReportError) as caught:
        build_report(repo, _options(**kw))
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_nothing_finished_is_said_once_instead_of_empty_tables(import_jsonl: Importer) -> None:
    corpus = news_corpus()
    for doc in corpus:
        doc["status"] = {}
    repo = import_jsonl(corpus)
    assert _refusal(repo) == (
        "no annotator has marked any document done; mark documents done (D in the annotation"
        " screen), or report with --include-unfinished to count work in progress"
    )
    # work in progress counts when asked, and then the report has figures
    assert _layer(build_report(repo, _options(include_unfinished=True)), "statement").units == 9


def test_one_finished_reviewer_or_one_named_is_not_enough(import_jsonl: Importer) -> None:
    corpus = news_corpus()
    for doc in corpus:
        doc["status"] = {"ann": "done", "bob": "in_progress"}
    repo = import_jsonl(corpus)
    assert _refusal(repo).startswith(
        "only ann has marked any document done, and agreement needs two or more annotators"
        " on the same document; mark documents done"
    )
    assert _refusal(repo, annotators=("bob",)) == (
        "agreement needs two or more annotators and only bob is named;"
        " name another with --annotator"
    )


def test_two_reviewers_on_different_documents_is_not_enough(import_jsonl: Importer) -> None:
    corpus = news_corpus()
    corpus[0]["status"] = {"ann": "done"}
    corpus[1]["status"] = {"bob": "done"}
    corpus[2]["status"] = {}
    repo = import_jsonl(corpus)
    assert _refusal(repo).startswith("no document is marked done by two or more annotators;")
    assert _refusal(repo, documents=("city-budget",)).startswith(
        "only ann has marked any of the selected documents done"
    )
    assert _refusal(repo, annotators=("ann", "bob")).startswith(
        "no document is marked done by two or more annotators;"
    )


def test_an_empty_database_is_refused_with_what_to_do() -> None:
    repo = Repository.in_memory()
    try:
        message = _refusal(repo)
    finally:
        repo.close()
    assert message == (
        "there are no documents to report on; import articles with `annotator import PATH`"
    )


def test_worker_processes_give_the_same_report(news_repo: Repository) -> None:
    inline = render_json(build_report(news_repo, _options(workers=0)))
    pooled = render_json(build_report(news_repo, _options(workers=2)))
    assert pooled == inline


def test_a_reviewer_who_finished_nothing_does_not_void_the_figures(
    news_repo: Repository,
) -> None:
    before = build_report(news_repo, _options())
    news_repo.ensure_annotator("dan")  # joined the team, has finished nothing yet
    after = build_report(news_repo, _options())
    assert after.annotators == before.annotators == CODERS
    assert _layer(after, "loaded").alpha_u.value == _layer(before, "loaded").alpha_u.value
    assert any(note.startswith("not counted: dan") for note in after.notes)
    named = build_report(news_repo, _options(annotators=(*CODERS, "dan")))
    assert named.annotators == (*CODERS, "dan")
    assert _layer(named, "loaded").alpha_u.value is None


def test_sentences_are_numbered_from_one_in_every_format(news_repo: Repository) -> None:
    report = build_report(news_repo, _options())
    corpus = {doc["id"]: doc for doc in news_corpus()}

    def number(document: str, text: str) -> int:
        doc = corpus[document]
        spans = [doc["text"][s:e] for s, e in doc["segments"]]
        return spans.index(text) + 1  # as a reader counts

    expected = [(e.external_id, number(e.external_id, e.text)) for e in report.anatomy.examples]
    assert ("city-budget", 1) in expected  # the mayor's sentence, the first one
    data = json.loads(render_json(report))["disagreements"]["examples"]
    assert [(e["document"], e["sentence"]) for e in data] == expected
    rows = csv.DictReader(io.StringIO(render_csv(report)["disagreement_examples.csv"]))
    assert {(r["document"], int(r["sentence"])) for r in rows} == set(expected)
    md, html = render_md(report), render_html(report)
    for document, n in expected:
        assert f"**{document}**, sentence {n}:" in md
        assert f"{document} · " in html and f"sentence {n}</div>" in html


def test_an_article_has_one_word_count_everywhere(import_jsonl: Importer) -> None:
    text = "Turnout was 62 percent in 2024, up from 58 in the U.S. The count is well-known."
    first = text.index(" The count")
    segments = [[0, first], [first + 1, len(text)]]
    labels = [
        {"annotator": who, "layer": "statement", "label": "reporting", "start": s, "end": e}
        for who in ("ann", "bob")
        for s, e in segments
    ]
    doc = {"id": "turnout", "title": "Turnout", "text": text, "segments": segments,
           "status": {"ann": "done", "bob": "done"}, "annotations": labels}  # fmt: skip
    repo = import_jsonl([doc])
    # by hand: Turnout was 62 percent in 2024 up from 58 in the U.S. / The count is well-known
    assert repo.documents()[0].n_words == 12 + 4  # what `annotator docs list` shows
    [profile] = build_report(repo, _options()).bias
    assert profile.words == 16
    assert profile.words_writer == 16  # both sentences are the writer's own reporting


def test_cue_and_source_disagreements_in_every_format(import_jsonl: Importer) -> None:
    text = "As the Herald reported, the city council officials said the vote was delayed."

    def at(phrase: str) -> dict[str, int]:
        start = text.index(phrase)
        return {"start": start, "end": start + len(phrase)}

    def attributed(who: str, source: str, cue: str) -> dict[str, Any]:
        return {"annotator": who, "layer": "statement", "label": "attributed", "start": 0,
                "end": len(text), "attrs": {"source": at(source), "cue": at(cue)}}  # fmt: skip

    doc = {"id": "council", "title": "Council", "text": text, "segments": [[0, len(text)]],
           "status": {"ann": "done", "bob": "done"},
           "annotations": [attributed("ann", "the city council", "reported"),
                           attributed("bob", "city council officials", "said")]}  # fmt: skip
    report = build_report(import_jsonl([doc]), _options())
    counts = report.anatomy.by_layer["statement"]
    assert (counts["source boundary"], counts["wrong cue"], counts["wrong source"]) == (1, 1, 0)
    md = render_md(report)
    assert "| source boundary | 1 |" in md and "| wrong cue | 1 |" in md
    assert "- *wrong cue* (statement): ann: 'reported', bob: 'said'" in md
    assert (
        "- *source boundary* (statement): ann: 'the city council', bob: 'city council officials'"
        in md
    )
    html = render_html(report)
    assert "<strong>wrong cue</strong> (statement): ann: &#39;reported&#39;" in html
    assert '<td class="txt">source boundary</td><td>1</td>' in html
    tables = render_csv(report)
    examples = list(csv.DictReader(io.StringIO(tables["disagreement_examples.csv"])))
    assert [(r["kind"], r["sentence"]) for r in examples] == [
        ("source boundary", "1"),
        ("wrong cue", "1"),
    ]
    assert "statement,,wrong cue,1" in tables["disagreements.csv"]
    data = json.loads(render_json(report))
    schema = json.loads((schemas_dir() / "report.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    assert data["disagreements"]["counts"]["wrong cue"] == 1
    [example] = data["disagreements"]["examples"]
    assert [d["kind"] for d in example["disagreements"]] == ["source boundary", "wrong cue"]


def test_spans_per_label_cover_the_documents_of_alpha_u(import_jsonl: Importer) -> None:
    corpus = news_corpus()
    quiet = corpus[2]
    quiet["status"] = {"ann": "done", "bob": "done", "cat": "in_progress"}
    start = quiet["text"].index("loaded")
    quiet["annotations"].append(
        {"annotator": "ann", "layer": "loaded", "label": "emotive", "start": start,
         "end": start + len("loaded")}
    )  # fmt: skip
    layer = _layer(build_report(import_jsonl(corpus), _options()), "loaded")
    assert isinstance(layer, SpanLayerReport)
    assert layer.continuum_documents == 2  # quiet-day: cat has not finished it
    expected: dict[str, dict[str, int]] = {}
    for doc in corpus[:2]:  # the documents alpha_U covers
        for a in doc["annotations"]:
            if a["layer"] == "loaded":
                row = expected.setdefault(a["label"], dict.fromkeys(CODERS, 0))
                row[a["annotator"]] += 1
    for label in layer.per_label:
        assert dict(label.counts) == expected.get(label.label, dict.fromkeys(CODERS, 0))
    assert layer.documents == 3  # quiet-day has two annotators: it is in the pairwise figures
    assert layer.units == 19 + 1  # every span of those three documents


def test_one_of_a_thing_is_singular(import_jsonl: Importer) -> None:
    text = "The regime slammed the plan."
    labels = [
        {"annotator": who, "layer": "statement", "label": "editorial", "start": 0, "end": len(text)}
        for who in ("ann", "bob")
    ]
    span = {"annotator": "ann", "layer": "loaded", "label": "emotive", "start": 11, "end": 18}
    doc = {"id": "one", "title": "One", "text": text, "segments": [[0, len(text)]],
           "status": {"ann": "done", "bob": "done"}, "annotations": [*labels, span]}  # fmt: skip
    report = build_report(import_jsonl([doc]), _options())
    md, html = render_md(report), render_html(report)
    assert "annotators ann, bob; 1 document." in md
    assert "1 disagreement between pairs of annotators in 1 document." in md
    assert "- 1 span in 1 document with two or more annotators" in md
    assert "(1 document, 28 characters as one continuum)" in md
    assert "1 unit, 2 pairable values" in md and "(1 of 1 unit labelled" in md
    assert "<p>1 disagreement between pairs of annotators in 1 document.</p>" in html
    assert "1 pairable value" not in html and "2 pairable values" in html
    for text_out in (md, html):
        wrong = re.findall(r"\b1 (?:documents|spans|units|disagreements|characters)\b", text_out)
        assert wrong == []
