"""The report as CSV tables, one file per table, for pandas and spreadsheets.

Every table is long (tidy): one figure per row where that keeps columns fixed. An undefined
figure is an empty cell and its reason is in the ``reason`` column of the same row; a ``note``
column says why two figures of the same data diverge (Gwet's AC against alpha or kappa).
Numbers are written at full precision; the Markdown and HTML reports round the same values.
Sentences are numbered from 1, as people count them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path

from annotator.io.csv_safe import safe_row
from annotator.report.model import (
    SPAN_MODES,
    BiasProfile,
    Metric,
    Report,
    SegmentLayerReport,
    SpanLayerReport,
)
from annotator.report.render_findings import findings_csv
from annotator.report.render_gold import VS_GOLD_CSV_HEADER, vs_gold_csv
from annotator.report.render_suggestions import (
    PROVENANCE_CSV_HEADER,
    RULES_CSV_HEADER,
    suggestions_csv,
)

Row = Sequence[object]


def _v(metric: Metric) -> object:
    return "" if metric.value is None else metric.value


def _reason(*metrics: tuple[str, Metric]) -> str:
    return "; ".join(f"{name}: {m.reason}" for name, m in metrics if m.value is None)


def _write(header: Sequence[str], rows: Iterable[Row]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _neutralized(text: str, raw: bool) -> str:
    """The table with every cell through :func:`annotator.io.csv_safe.safe_row`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(safe_row(row, raw=raw) for row in csv.reader(io.StringIO(text, newline="")))
    return buffer.getvalue()


def _index(value: float | None, layer: SegmentLayerReport, who: str) -> Metric:
    """A prevalence or bias index as a figure that says, when undefined, why (``who``: the
    annotators whose common segments it needs)."""
    if value is not None:
        return Metric(value)
    if len(layer.labels) < 2:
        return Metric(None, "the layer has one label")
    return Metric(None, f"no segment labelled by {who}")


def _gwet_rows(layer: SegmentLayerReport) -> list[Row]:
    """Gwet's AC of a segment layer with its interval and note, then the two indices."""
    g = layer.gwet
    if g is None:
        return []
    lo, hi = g.ci95 or ("", "")
    head = [layer.name, "segment", layer.level, layer.units]
    rows: list[Row] = [
        [*head, f"gwet_{g.name.lower()}", _v(g.value), lo, hi, g.value.reason or "", g.note or ""]
    ]
    for measure, value in (("prevalence_index", g.prevalence_index), ("bias_index", g.bias_index)):
        figure = _index(value, layer, "two annotators")
        rows.append([*head, measure, _v(figure), "", "", figure.reason or "", ""])
    return rows


def _gamma_rows(layer: SpanLayerReport) -> list[Row]:
    lo, hi = layer.gamma_ci95 or ("", "")
    head = [layer.name, "span", "", layer.units]
    return [
        [*head, "gamma", _v(layer.gamma), lo, hi, layer.gamma.reason or "", ""],
        [*head, "gamma_cat", _v(layer.gamma_cat), "", "", layer.gamma_cat.reason or "", ""],
    ]


def _layers(report: Report) -> str:
    rows: list[Row] = []
    for layer in report.layers:
        if isinstance(layer, SegmentLayerReport):
            lo, hi = layer.alpha_ci95 or ("", "")
            rows.append(
                [
                    layer.name,
                    "segment",
                    layer.level,
                    layer.units,
                    "krippendorff_alpha",
                    _v(layer.krippendorff_alpha),
                    lo,
                    hi,
                    layer.krippendorff_alpha.reason or "",
                    "",
                ]
            )
            rows.append(
                [
                    layer.name,
                    "segment",
                    layer.level,
                    layer.fleiss_units,
                    "fleiss_kappa",
                    _v(layer.fleiss_kappa),
                    "",
                    "",
                    layer.fleiss_kappa.reason or "",
                    "",
                ]
            )
            rows += _gwet_rows(layer)
        else:
            rows.append(
                [
                    layer.name,
                    "span",
                    "",
                    layer.units,
                    "alpha_u",
                    _v(layer.alpha_u),
                    "",
                    "",
                    layer.alpha_u.reason or "",
                    "",
                ]
            )
            rows += _gamma_rows(layer)
    return _write(
        [
            "layer",
            "kind",
            "level",
            "units",
            "measure",
            "value",
            "ci95_low",
            "ci95_high",
            "reason",
            "note",
        ],
        rows,
    )


def _segment_tables(layers: Sequence[SegmentLayerReport]) -> dict[str, str]:
    pairwise, per_label, confusion, coverage, attributes = [], [], [], [], []
    reliability = []
    for layer in layers:
        for p in layer.pairwise:
            prevalence = _index(p.prevalence_index, layer, "both")
            bias = _index(p.bias_index, layer, "both")
            pairwise.append(
                [
                    layer.name,
                    p.a,
                    p.b,
                    p.n,
                    _v(p.cohen_kappa),
                    _v(p.scott_pi),
                    _v(p.percent_agreement),
                    _v(p.gwet_ac),
                    _v(prevalence),
                    _v(bias),
                    _reason(
                        ("cohen_kappa", p.cohen_kappa),
                        ("scott_pi", p.scott_pi),
                        ("percent_agreement", p.percent_agreement),
                        ("gwet_ac", p.gwet_ac),
                        ("prevalence_index", prevalence),
                        ("bias_index", bias),
                    ),
                    p.note or "",
                ]
            )
        for r in layer.reliability:
            reliability.append(
                [
                    layer.name,
                    r.annotator,
                    r.units,
                    _v(r.competence),
                    _v(r.agrees_with_estimate),
                    _reason(
                        ("competence", r.competence),
                        ("agrees_with_estimate", r.agrees_with_estimate),
                    ),
                ]
            )
        for lab in layer.per_label:
            for annotator, count in lab.counts.items():
                per_label.append(
                    [
                        layer.name,
                        lab.label,
                        annotator,
                        count,
                        _v(lab.alpha),
                        _v(lab.fleiss_kappa),
                        _v(lab.specific_agreement),
                        _reason(
                            ("alpha", lab.alpha),
                            ("fleiss_kappa", lab.fleiss_kappa),
                            ("specific_agreement", lab.specific_agreement),
                        ),
                    ]
                )
        for c in layer.confusion:
            for label_a, row in zip(c.labels, c.counts, strict=True):
                for label_b, n in zip(c.labels, row, strict=True):
                    confusion.append([layer.name, c.a, c.b, label_a, label_b, n])
        for cov in layer.coverage:
            coverage.append(
                [
                    layer.name,
                    cov.annotator,
                    cov.documents,
                    cov.units,
                    cov.labelled,
                    "" if cov.share is None else cov.share,
                ]
            )
        for a in layer.attributes:
            attributes.append(
                [
                    layer.name,
                    a.label,
                    a.attribute,
                    a.a,
                    a.b,
                    a.n,
                    _v(a.f1_exact),
                    _v(a.f1_overlap),
                    _reason(("f1_exact", a.f1_exact), ("f1_overlap", a.f1_overlap)),
                ]
            )
    return {
        "segment_pairwise.csv": _write(
            [
                "layer",
                "a",
                "b",
                "n",
                "cohen_kappa",
                "scott_pi",
                "percent_agreement",
                "gwet_ac",
                "prevalence_index",
                "bias_index",
                "reason",
                "note",
            ],
            pairwise,
        ),
        "segment_reliability.csv": _write(
            ["layer", "annotator", "units", "competence", "agrees_with_estimate", "reason"],
            reliability,
        ),
        "segment_per_label.csv": _write(
            [
                "layer",
                "label",
                "annotator",
                "count",
                "alpha",
                "fleiss_kappa",
                "specific_agreement",
                "reason",
            ],
            per_label,
        ),
        "segment_confusion.csv": _write(
            ["layer", "a", "b", "label_a", "label_b", "count"], confusion
        ),
        "segment_coverage.csv": _write(
            ["layer", "annotator", "documents", "units", "labelled", "share"], coverage
        ),
        "segment_attributes.csv": _write(
            ["layer", "label", "attribute", "a", "b", "n", "f1_exact", "f1_overlap", "reason"],
            attributes,
        ),
    }


def _span_tables(layers: Sequence[SpanLayerReport]) -> dict[str, str]:
    pairwise, per_label = [], []
    for layer in layers:
        for p in layer.pairwise:
            for mode in SPAN_MODES:
                pairwise.append(
                    [
                        layer.name,
                        p.a,
                        p.b,
                        p.documents,
                        mode,
                        _v(p.precision[mode]),
                        _v(p.recall[mode]),
                        _v(p.f1[mode]),
                        _reason(
                            ("precision", p.precision[mode]),
                            ("recall", p.recall[mode]),
                            ("f1", p.f1[mode]),
                        ),
                    ]
                )
        for lab in layer.per_label:
            for annotator, count in lab.counts.items():
                per_label.append(
                    [
                        layer.name,
                        lab.label,
                        annotator,
                        count,
                        _v(lab.alpha_u),
                        lab.alpha_u.reason or "",
                    ]
                )
    return {
        "span_pairwise.csv": _write(
            ["layer", "a", "b", "documents", "mode", "precision", "recall", "f1", "reason"],
            pairwise,
        ),
        "span_per_label.csv": _write(
            ["layer", "label", "annotator", "count", "alpha_u", "reason"], per_label
        ),
    }


def _bias_rows(profiles: Iterable[BiasProfile]) -> tuple[list[Row], list[Row]]:
    rows: list[Row] = []
    sources: list[Row] = []
    for b in profiles:
        for label, n in b.statements.items():
            rows.append(
                [
                    b.external_id,
                    b.basis,
                    b.words,
                    label,
                    n,
                    b.shares.get(label, 0.0),
                    b.loaded_writer,
                    b.words_writer,
                    _v(b.loaded_per_100_writer),
                    b.loaded_attributed,
                    b.words_attributed,
                    _v(b.loaded_per_100_attributed),
                ]
            )
        for s in b.sources:
            for c in s.cues or ():
                sources.append([b.external_id, s.source, s.statements, c.cue, c.count, c.tone])
            if not s.cues:
                sources.append([b.external_id, s.source, s.statements, "", 0, ""])
    return rows, sources


def render_csv(report: Report, *, raw: bool = False) -> dict[str, str]:
    """File name -> CSV text, for every table of the report.

    A text cell a spreadsheet would run as a formula (a name or a sentence starting with
    ``=``, ``+``, ``-``, ``@``) gets a leading ``'`` unless ``raw``; numbers are untouched.
    """
    return {name: _neutralized(text, raw) for name, text in _tables(report).items()}


def _tables(report: Report) -> dict[str, str]:
    segment = [layer for layer in report.layers if isinstance(layer, SegmentLayerReport)]
    span = [layer for layer in report.layers if isinstance(layer, SpanLayerReport)]
    files = {"layers.csv": _layers(report)}
    files.update(_segment_tables(segment))
    files.update(_span_tables(span))
    files["vs_gold.csv"] = _write(VS_GOLD_CSV_HEADER, vs_gold_csv(report))
    provenance, rules = suggestions_csv(report)
    files["suggestion_provenance.csv"] = _write(PROVENANCE_CSV_HEADER, provenance)
    files["suggestion_rules.csv"] = _write(RULES_CSV_HEADER, rules)
    anatomy = report.anatomy
    files["disagreements.csv"] = _write(
        ["layer", "pair", "kind", "count"],
        [
            *(
                [layer, "", kind, n]
                for layer, c in anatomy.by_layer.items()
                for kind, n in c.items()
            ),
            *(["", pair, kind, n] for pair, c in anatomy.by_pair.items() for kind, n in c.items()),
        ],
    )
    files["disagreement_examples.csv"] = _write(
        ["document", "sentence", "layer", "kind", "a", "b", "detail", "text"],
        [
            [e.external_id, e.segment_index + 1, d.layer, d.kind, d.a, d.b, d.detail, e.text]
            for e in anatomy.examples
            for d in e.disagreements
        ],
    )
    files["documents.csv"] = _write(
        [
            "document",
            "title",
            "annotators",
            "score",
            "disagreements",
            "layer",
            "units",
            "alpha",
            "alpha_u",
            "agreement",
            "reason",
        ],
        [
            [
                d.external_id,
                d.title,
                " ".join(d.annotators),
                _v(d.score),
                d.disagreements,
                name,
                f.units,
                "" if f.alpha is None else _v(f.alpha),
                "" if f.alpha_u is None else _v(f.alpha_u),
                _v(f.agreement),
                _reason(
                    *(() if f.alpha is None else (("alpha", f.alpha),)),
                    *(() if f.alpha_u is None else (("alpha_u", f.alpha_u),)),
                    ("agreement", f.agreement),
                ),
            ]
            for d in report.documents
            for name, f in d.layers.items()
        ],
    )
    bias, sources = _bias_rows([report.bias_corpus, *report.bias])
    files["bias.csv"] = _write(
        [
            "document",
            "basis",
            "words",
            "statement",
            "statements",
            "share",
            "loaded_writer",
            "words_writer",
            "loaded_per_100_writer",
            "loaded_attributed",
            "words_attributed",
            "loaded_per_100_attributed",
        ],
        bias,
    )
    files["sources.csv"] = _write(
        ["document", "source", "statements", "cue", "count", "tone"], sources
    )
    for name, (header, rows) in findings_csv(report.findings).items():
        files[name] = _write(header, rows)
    p = report.provenance
    files["provenance.csv"] = _write(
        ["key", "value"],
        [
            ["annotators", " ".join(p.annotators)],
            ["scheme", p.scheme_name],
            ["scheme_version", p.scheme_version],
            ["tool_version", p.tool_version],
            ["generated_at", p.generated_at],
            ["database", p.database],
            ["bootstrap_b", p.bootstrap_b],
            ["seed", p.seed],
            ["include_unfinished", p.include_unfinished],
            ["documents", p.documents],
            ["gold_documents", p.gold_documents],
        ],
    )
    files["counted.csv"] = _write(
        ["document", "annotator"],
        [[doc, who] for doc, names in p.counted.items() for who in names],
    )
    return files


def write_csv(report: Report, folder: Path, *, raw: bool = False) -> list[Path]:
    """Write every table into ``folder`` (created if needed); returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render_csv(report, raw=raw).items():
        path = folder / name
        path.write_text(text, encoding="utf-8", newline="")
        written.append(path)
    return written
