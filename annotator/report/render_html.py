"""The report as one self-contained HTML file: inline CSS, inline SVG charts and one small
inline script that sorts the annotator reliability table when a column header is clicked.

Rendered with a Jinja2 template (``templates/report.html.j2``) with autoescaping on, so every
piece of document text, title and name is HTML-escaped; only the SVG charts and the marked
sentences, which are built here from escaped text, are passed through as markup. The page's
Content-Security-Policy loads nothing and runs only the script whose SHA-256 it names, so even
markup that slipped through could not run or fetch anything.
"""

from __future__ import annotations

import base64
import hashlib
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from annotator.core.wording import plural
from annotator.report.charts import bars, heatmap
from annotator.report.model import (
    MIN_DOCUMENT_SPANS,
    SPAN_MODES,
    AnnotatorView,
    Report,
    SegmentLayerReport,
    SpanLayerReport,
)
from annotator.report.present import (
    MAX_TABLE_ROWS,
    ac_indices,
    ac_interval,
    ci,
    counted_sets,
    fig,
    gamma_range,
    index,
    label_index,
    num,
    paradox_notes,
    pct,
    pieces,
    segment_matrix,
    span_matrix,
    too_few_spans,
)
from annotator.report.render_findings import findings_html
from annotator.report.render_gold import vs_gold_html
from annotator.report.render_suggestions import suggestions_html

TEMPLATES = Path(__file__).resolve().parent / "templates"
PALETTE_SIZE = 10
MAX_NAMED_DOCUMENTS = MAX_TABLE_ROWS
"""Documents the note under the per-document table names as too short for alpha_U."""


@cache
def sort_script() -> tuple[str, str]:
    """The table-sorting script and its ``'sha256-...'`` source for the page's CSP."""
    text = (TEMPLATES / "sortable.js").read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    return text, f"'sha256-{digest}'"


@cache
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(
        fig=fig, num=num, pct=pct, index=index, sort_key=sort_key, plural=plural, modes=SPAN_MODES
    )
    return env


def sort_key(value: float | int | None) -> str:
    """A cell's ``data-sort``: the full-precision number, or empty for an undefined figure."""
    return "" if value is None else repr(value)


def marked_sentence(text: str, view: AnnotatorView, slots: dict[str, int]) -> Markup:
    """One annotator's view of a sentence: spans highlighted, label after each span."""
    parts: list[str] = []
    for piece in pieces(text, view.marks):
        chunk = str(escape(piece.text))
        if piece.marks:
            classes = ["mk"]
            spans = [m for m in piece.marks if m.label not in ("source", "cue")]
            if spans:
                classes.append(
                    f"c{slots.get(f'{spans[0].layer}:{spans[0].label}', 0) % PALETTE_SIZE}"
                )
            if len(piece.marks) > 1:
                classes.append("multi")
            if any(m.label == "source" for m in piece.marks):
                classes.append("src")
            if any(m.label == "cue" for m in piece.marks):
                classes.append("cue")
            title = ", ".join(f"{m.layer}: {m.label}" for m in piece.marks)
            chunk = f'<span class="{" ".join(classes)}" title="{escape(title)}">{chunk}</span>'
        parts.append(chunk)
        for mark in piece.ends:
            parts.append(f'<sup class="lab">{escape(mark.label)}</sup>')
    return Markup("".join(parts))


def _segment_view(layer: SegmentLayerReport, report: Report) -> dict[str, Any]:
    who = list(report.annotators)
    values: dict[tuple[str, str], float | None] = {}
    for p in layer.pairwise:
        values[(p.a, p.b)] = values[(p.b, p.a)] = p.cohen_kappa.value
    gwet = layer.gwet
    return {
        "layer": layer,
        "gwet": gwet,
        "gwet_interval": ac_interval(gwet) if gwet else "",
        "gwet_indices": ac_indices(gwet) if gwet else "",
        "ac_name": f"Gwet's {gwet.name}" if gwet else "Gwet's AC",
        "notes": paradox_notes(layer),
        "ci": ci(layer, report.provenance.bootstrap_b, report.provenance.seed),
        "matrix": segment_matrix(layer, who),
        "heatmap": Markup(
            heatmap(who, values, title=f"{layer.name}: Cohen's kappa by pair", low=-1.0, high=1.0)
        ),
        "label_bars": Markup(
            bars(
                [(lab.label, lab.alpha.value, fig(lab.alpha)) for lab in layer.per_label],
                title=f"{layer.name}: alpha per label (this label vs the rest)",
            )
        ),
    }


def _span_view(layer: SpanLayerReport, report: Report) -> dict[str, Any]:
    who = list(report.annotators)
    values: dict[tuple[str, str], float | None] = {}
    for p in layer.pairwise:
        values[(p.a, p.b)] = values[(p.b, p.a)] = p.f1["overlap"].value
    return {
        "layer": layer,
        "gamma_range": gamma_range(layer),
        "matrix": span_matrix(layer, who, "overlap"),
        "heatmap": Markup(heatmap(who, values, title=f"{layer.name}: span F1 (overlap) by pair")),
        "label_bars": Markup(
            bars(
                [(lab.label, lab.alpha_u.value, fig(lab.alpha_u)) for lab in layer.per_label],
                title=f"{layer.name}: alpha_U per label",
            )
        ),
    }


def render_html(report: Report) -> str:
    """The whole report as one HTML page (UTF-8 text)."""
    slots = dict(label_index(report))
    anatomy = report.anatomy
    top = max(anatomy.counts.values(), default=0) or 1
    anatomy_chart = Markup(
        bars(
            [(kind, n, str(n)) for kind, n in anatomy.counts.items()],
            title="Disagreements by kind",
            low=0.0,
            high=float(top),
        )
    )
    examples = [
        {
            "example": e,
            "lines": [(v, marked_sentence(e.text, v, slots)) for v in e.views],
        }
        for e in anatomy.examples
    ]
    layers = [
        _segment_view(layer, report)
        if isinstance(layer, SegmentLayerReport)
        else _span_view(layer, report)
        for layer in report.layers
    ]
    script, script_hash = sort_script()
    short = [
        (name, docs[:MAX_NAMED_DOCUMENTS], max(0, len(docs) - MAX_NAMED_DOCUMENTS))
        for name, docs in too_few_spans(report)
    ]
    template = _environment().get_template("report.html.j2")
    return template.render(
        script=Markup(script),
        script_hash=Markup(script_hash),  # base64 in quotes: nothing to escape
        too_few=short,
        min_spans=MIN_DOCUMENT_SPANS,
        report=report,
        p=report.provenance,
        layers=layers,
        anatomy=anatomy,
        anatomy_chart=anatomy_chart,
        examples=examples,
        documents=report.documents[:MAX_TABLE_ROWS],
        bias_rows=[report.bias_corpus, *report.bias[:MAX_TABLE_ROWS]],
        statement_labels=list(report.bias_corpus.statements),
        counted_sets=counted_sets(report),
        max_rows=MAX_TABLE_ROWS,
        slots=slots,
        palette=PALETTE_SIZE,
        findings=findings_html(report.findings),
        vs_gold=vs_gold_html(report),
        suggestions=suggestions_html(report),
    )
