"""The report as JSON, for scripts and notebooks (JSON Schema: ``schemas/report.schema.json``).

An undefined figure is ``null`` and its reason sits in the ``reasons`` object of the same
record, under the figure's key: ``{"krippendorff_alpha": null, "reasons":
{"krippendorff_alpha": "only one category"}}``. A sentence is numbered as people count, from
1; offsets are code points from 0, as everywhere.
"""

from __future__ import annotations

import json
from typing import Any

from annotator.report.model import (
    SPAN_MODES,
    Anatomy,
    BiasProfile,
    DocumentAgreement,
    Metric,
    Report,
    SegmentLayerReport,
    SpanLayerReport,
)
from annotator.report.render_findings import findings_json
from annotator.report.render_gold import vs_gold_json
from annotator.report.render_suggestions import suggestions_json

SCHEMA_ID = "annotator-report/1"


def _with(record: dict[str, Any], **metrics: Metric) -> dict[str, Any]:
    """Add metric values to ``record`` and collect the reasons of undefined ones."""
    reasons: dict[str, str] = record.setdefault("reasons", {})
    for key, metric in metrics.items():
        record[key] = metric.value
        if metric.value is None:
            reasons[key] = metric.reason or "undefined"
    return record


def _segment(layer: SegmentLayerReport) -> dict[str, Any]:
    out: dict[str, Any] = {
        "kind": "segment",
        "level": layer.level,
        "labels": list(layer.labels),
        "units": layer.units,
        "pairable_values": layer.pairable_values,
        "observed_disagreement": layer.observed_disagreement,
        "expected_disagreement": layer.expected_disagreement,
        "alpha_ci95": list(layer.alpha_ci95) if layer.alpha_ci95 else None,
        "fleiss_units": layer.fleiss_units,
    }
    _with(out, krippendorff_alpha=layer.krippendorff_alpha, fleiss_kappa=layer.fleiss_kappa)
    if layer.alpha_ci95 is None:
        out["reasons"]["alpha_ci95"] = (
            "alpha undefined" if not layer.krippendorff_alpha.defined else "no bootstrap asked"
        )
    out["pairwise"] = [
        _with(
            {
                "a": p.a,
                "b": p.b,
                "n": p.n,
                "prevalence_index": p.prevalence_index,
                "bias_index": p.bias_index,
                "note": p.note,
            },
            cohen_kappa=p.cohen_kappa,
            scott_pi=p.scott_pi,
            percent_agreement=p.percent_agreement,
            gwet_ac=p.gwet_ac,
        )
        for p in layer.pairwise
    ]
    g = layer.gwet
    out["gwet"] = (
        None
        if g is None
        else _with(
            {
                "name": g.name,
                "ci95": list(g.ci95) if g.ci95 else None,
                "pa": g.pa,
                "pe": g.pe,
                "prevalence_index": g.prevalence_index,
                "bias_index": g.bias_index,
                "note": g.note,
            },
            value=g.value,
        )
    )
    out["reliability"] = [
        _with(
            {"annotator": r.annotator, "units": r.units},
            competence=r.competence,
            agrees_with_estimate=r.agrees_with_estimate,
        )
        for r in layer.reliability
    ]
    out["per_label"] = {
        lab.label: _with(
            {"counts": dict(lab.counts)},
            alpha=lab.alpha,
            fleiss_kappa=lab.fleiss_kappa,
            specific_agreement=lab.specific_agreement,
        )
        for lab in layer.per_label
    }
    out["confusion"] = [
        {"a": c.a, "b": c.b, "labels": list(c.labels), "counts": [list(r) for r in c.counts]}
        for c in layer.confusion
    ]
    out["coverage"] = [
        {
            "annotator": c.annotator,
            "documents": c.documents,
            "units": c.units,
            "labelled": c.labelled,
            "share": c.share,
        }
        for c in layer.coverage
    ]
    out["attributes"] = [
        _with(
            {"label": a.label, "attribute": a.attribute, "a": a.a, "b": a.b, "n": a.n},
            f1_exact=a.f1_exact,
            f1_overlap=a.f1_overlap,
        )
        for a in layer.attributes
    ]
    return out


def _span(layer: SpanLayerReport) -> dict[str, Any]:
    out: dict[str, Any] = {
        "kind": "span",
        "labels": list(layer.labels),
        "units": layer.units,
        "documents": layer.documents,
        "continuum_documents": layer.continuum_documents,
        "continuum_length": layer.continuum_length,
        "observed_disagreement": layer.observed_disagreement,
        "expected_disagreement": layer.expected_disagreement,
        "counts": dict(layer.counts),
    }
    out["gamma_ci95"] = list(layer.gamma_ci95) if layer.gamma_ci95 else None
    _with(out, alpha_u=layer.alpha_u, gamma=layer.gamma, gamma_cat=layer.gamma_cat)
    out["per_label"] = {
        lab.label: _with({"counts": dict(lab.counts)}, alpha_u=lab.alpha_u)
        for lab in layer.per_label
    }
    pairs = []
    for p in layer.pairwise:
        record: dict[str, Any] = {
            "a": p.a,
            "b": p.b,
            "documents": p.documents,
            "spans_a": p.spans_a,
            "spans_b": p.spans_b,
        }
        metrics: dict[str, Metric] = {}
        for mode in SPAN_MODES:
            metrics[f"precision_{mode}"] = p.precision[mode]
            metrics[f"recall_{mode}"] = p.recall[mode]
            metrics[f"f1_{mode}"] = p.f1[mode]
        pairs.append(_with(record, **metrics))
    out["pairwise"] = pairs
    return out


def _anatomy(anatomy: Anatomy) -> dict[str, Any]:
    return {
        "total": anatomy.total,
        "counts": dict(anatomy.counts),
        "by_layer": {k: dict(v) for k, v in anatomy.by_layer.items()},
        "by_pair": {k: dict(v) for k, v in anatomy.by_pair.items()},
        "statement_kinds": dict(anatomy.statement_kinds),
        "documents_with_disagreements": anatomy.documents_with_disagreements,
        "examples": [
            {
                "document": e.external_id,
                "title": e.title,
                "sentence": e.segment_index + 1,
                "text": e.text,
                "disagreements": [
                    {"layer": d.layer, "kind": d.kind, "a": d.a, "b": d.b, "detail": d.detail}
                    for d in e.disagreements
                ],
                "annotators": [
                    {
                        "annotator": v.annotator,
                        "labels": dict(v.labels),
                        "spans": [
                            {"layer": m.layer, "label": m.label, "start": m.start, "end": m.end}
                            for m in v.marks
                        ],
                    }
                    for v in e.views
                ],
            }
            for e in anatomy.examples
        ],
    }


def _document(doc: DocumentAgreement) -> dict[str, Any]:
    out: dict[str, Any] = {
        "document": doc.external_id,
        "title": doc.title,
        "annotators": list(doc.annotators),
        "disagreements": doc.disagreements,
    }
    _with(out, score=doc.score)
    out["layers"] = {
        name: _with(
            {"units": f.units},
            agreement=f.agreement,
            alpha_u=f.alpha_u or Metric(None, "not computed"),
        )
        if f.alpha is None
        else _with({"units": f.units}, alpha=f.alpha, agreement=f.agreement)
        for name, f in doc.layers.items()
    }
    return out


def _bias(profile: BiasProfile) -> dict[str, Any]:
    out: dict[str, Any] = {
        "document": profile.external_id,
        "title": profile.title,
        "basis": profile.basis,
        "words": profile.words,
        "statements": dict(profile.statements),
        "shares": dict(profile.shares),
        "unresolved_statements": profile.unresolved_statements,
        "loaded_writer": profile.loaded_writer,
        "words_writer": profile.words_writer,
        "loaded_attributed": profile.loaded_attributed,
        "words_attributed": profile.words_attributed,
        "sources": [
            {
                "source": s.source,
                "statements": s.statements,
                "cues": [{"cue": c.cue, "count": c.count, "tone": c.tone} for c in s.cues],
            }
            for s in profile.sources
        ],
    }
    return _with(
        out,
        loaded_per_100_writer=profile.loaded_per_100_writer,
        loaded_per_100_attributed=profile.loaded_per_100_attributed,
    )


def report_dict(report: Report) -> dict[str, Any]:
    """The report as plain JSON-ready data."""
    p = report.provenance
    layers: dict[str, Any] = {}
    for layer in report.layers:
        layers[layer.name] = (
            _segment(layer) if isinstance(layer, SegmentLayerReport) else _span(layer)
        )
        layers[layer.name]["vs_gold"] = vs_gold_json(report.vs_gold.get(layer.name, ()))
    return {
        "format": SCHEMA_ID,
        "annotators": list(report.annotators),
        "provenance": {
            "annotators": list(p.annotators),
            "scheme": {"name": p.scheme_name, "version": p.scheme_version},
            "tool_version": p.tool_version,
            "generated_at": p.generated_at,
            "database": p.database,
            "bootstrap": {"B": p.bootstrap_b, "seed": p.seed},
            "include_unfinished": p.include_unfinished,
            "documents": p.documents,
            "gold_documents": p.gold_documents,
            "counted": {doc: list(who) for doc, who in p.counted.items()},
        },
        "notes": list(report.notes),
        "layers": layers,
        "disagreements": _anatomy(report.anatomy),
        "documents": [_document(d) for d in report.documents],
        "bias": {
            "corpus": _bias(report.bias_corpus),
            "documents": [_bias(b) for b in report.bias],
            **findings_json(report.findings),
        },
        "suggestions": suggestions_json(report),
    }


def render_json(report: Report, *, indent: int | None = None) -> str:
    """The report as a JSON document (UTF-8 text, ends with a newline).

    Compact by default: a report on a large corpus runs to tens of megabytes, and Python's JSON
    encoder is several times slower when it indents (pipe through ``jq .`` to read it).
    """
    separators = (",", ": ") if indent is not None else (",", ":")
    text = json.dumps(
        report_dict(report),
        ensure_ascii=False,
        indent=indent,
        separators=separators,
        allow_nan=False,
    )
    return text + "\n"
