"""The annotators-against-gold figures in each output format (``report.gold_stats``).

Each renderer calls one function here, so the section reads the same in JSON, Markdown, CSV
and HTML.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from markupsafe import Markup, escape

from annotator.report.gold_stats import SegmentVsGold, SpanVsGold, VsGold
from annotator.report.model import SPAN_MODES, Metric, Report
from annotator.report.present import fig


def _metrics(item: VsGold) -> dict[str, Metric]:
    if isinstance(item, SegmentVsGold):
        return {"cohen_kappa": item.cohen_kappa, "percent_agreement": item.percent_agreement}
    out: dict[str, Metric] = {}
    for mode in SPAN_MODES:
        out[f"precision_{mode}"] = item.precision[mode]
        out[f"recall_{mode}"] = item.recall[mode]
        out[f"f1_{mode}"] = item.f1[mode]
    return out


def vs_gold_json(items: Sequence[VsGold]) -> list[dict[str, Any]]:
    """``layers.<layer>.vs_gold``: one record per annotator, undefined figures null with their
    reason under ``reasons``."""
    records = []
    for item in items:
        record: dict[str, Any] = {
            "annotator": item.annotator,
            "documents": item.documents,
            "n": item.n,
        }
        if isinstance(item, SpanVsGold):
            record["spans"] = item.spans
        reasons: dict[str, str] = {}
        for key, metric in _metrics(item).items():
            record[key] = metric.value
            if metric.value is None:
                reasons[key] = metric.reason or "undefined"
        record["reasons"] = reasons
        records.append(record)
    return records


def vs_gold_md(report: Report, esc: Callable[[str], str]) -> list[str]:
    """A Markdown section: per layer, a table of annotators against gold (none without gold)."""
    layers = [(name, items) for name, items in report.vs_gold.items() if items]
    if not layers:
        return []
    out = [
        "## Against gold",
        "",
        "Each annotator against the gold of the documents an adjudicator marked done.",
        "",
    ]
    for name, items in layers:
        header, rows = _table(items)
        out += [f"### Layer `{esc(name)}`", ""]
        out += ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
        out += ["| " + " | ".join([esc(row[0]), *row[1:]]) + " |" for row in rows]
        out.append("")
    return out


def _table(items: Sequence[VsGold]) -> tuple[list[str], list[list[str]]]:
    if isinstance(items[0], SegmentVsGold):
        header = ["annotator", "documents", "sentences", "Cohen's kappa", "agreement"]
    else:
        header = ["annotator", "documents", "gold spans", "spans"]
        for mode in SPAN_MODES:
            header += [f"P {mode}", f"R {mode}", f"F1 {mode}"]
    rows = []
    for item in items:
        row = [item.annotator, str(item.documents), str(item.n)]
        if isinstance(item, SpanVsGold):
            row.append(str(item.spans))
        row += [fig(metric) for metric in _metrics(item).values()]
        rows.append(row)
    return header, rows


def vs_gold_csv(report: Report) -> list[list[object]]:
    """Rows of ``vs_gold.csv``: layer, annotator, documents, n, spans, measure, mode, value,
    reason (one row per figure)."""
    rows: list[list[object]] = []
    for name, items in report.vs_gold.items():
        for item in items:
            spans = item.spans if isinstance(item, SpanVsGold) else ""
            for key, metric in _metrics(item).items():
                measure, _, mode = (
                    key.partition("_") if isinstance(item, SpanVsGold) else (key, "", "")
                )
                value = "" if metric.value is None else metric.value
                rows.append(
                    [
                        name,
                        item.annotator,
                        item.documents,
                        item.n,
                        spans,
                        measure,
                        mode,
                        value,
                        metric.reason or "",
                    ]
                )
    return rows


VS_GOLD_CSV_HEADER = (
    "layer",
    "annotator",
    "documents",
    "n",
    "spans",
    "measure",
    "mode",
    "value",
    "reason",
)


def vs_gold_html(report: Report) -> Markup:
    """An HTML section (escaped) with a table per layer; empty without gold."""
    layers = [(name, items) for name, items in report.vs_gold.items() if items]
    if not layers:
        return Markup("")
    parts = [
        '<section id="vs-gold"><h2>Against gold</h2>',
        "<p>Each annotator against the gold of the documents an adjudicator marked done.</p>",
    ]
    for name, items in layers:
        header, rows = _table(items)
        parts.append(f"<h3>Layer <code>{escape(name)}</code></h3><table><thead><tr>")
        parts.append(f'<th class="txt">{escape(header[0])}</th>')
        parts += [f"<th>{escape(cell)}</th>" for cell in header[1:]]
        parts.append("</tr></thead><tbody>")
        for who, *cells in rows:
            parts.append(f'<tr><td class="txt">{escape(who)}</td>')
            parts.append("".join(f"<td>{escape(cell)}</td>" for cell in cells) + "</tr>")
        parts.append("</tbody></table>")
    parts.append("</section>")
    return Markup("".join(parts))
