"""The findings by group in every format: JSON records, Markdown tables, CSV tables and the
view the HTML template draws (forest plots included).

One module for all four so that each renderer adds one call, and the figures are printed the
same way everywhere: rates with two decimals, shares as percentages, differences of shares in
percentage points, and an undefined figure or interval as ``undefined (reason)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markupsafe import Markup

from annotator.report.findings_model import (
    MIN_DOCUMENTS_FOR_INTERVAL,
    Comparison,
    Estimate,
    Findings,
    GroupFindings,
    metric_title,
)
from annotator.report.forest import ForestRow, forest
from annotator.report.model import Metric, SourceCues

MAX_SHOWN_GROUPS = 12
"""Markdown and HTML show this many groups of a field (the largest); json and csv all."""


def is_share(metric: str) -> bool:
    return metric == "named_source_share" or metric.startswith("shares.")


def value_text(metric: str, value: Metric) -> str:
    if value.value is None:
        return value.text()
    return f"{100 * value.value:.1f}%" if is_share(metric) else f"{value.value:.2f}"


def interval_text(metric: str, ci: tuple[float, float] | None, reason: str | None) -> str:
    if ci is None:
        return f"undefined ({reason})" if reason else "undefined"
    lo, hi = ci
    if is_share(metric):
        return f"{100 * lo:.1f}% to {100 * hi:.1f}%"
    return f"{lo:.2f} to {hi:.2f}"


def difference_text(metric: str, value: Metric) -> str:
    if value.value is None:
        return value.text()
    if is_share(metric):
        return f"{100 * value.value:+.1f} pp"
    return f"{value.value:+.2f}"


def difference_interval(c: Comparison) -> str:
    if c.ci95 is None:
        return f"undefined ({c.ci_reason})" if c.ci_reason else "undefined"
    lo, hi = c.ci95
    if is_share(c.metric):
        return f"{100 * lo:+.1f} to {100 * hi:+.1f} pp"
    return f"{lo:+.2f} to {hi:+.2f}"


def permutations_text(c: Comparison) -> str:
    if not c.permutations:
        return "–"
    if c.exact:
        return f"{c.permutations} (all)"
    return str(c.permutations)


def group_name(field: str, value: str | None) -> str:
    return value if value is not None else f"(no {field})"


def shown(groups: Sequence[GroupFindings]) -> list[GroupFindings]:
    """The groups Markdown and HTML show: all, or the largest few in their order."""
    if len(groups) <= MAX_SHOWN_GROUPS:
        return list(groups)
    largest = {id(g) for g in sorted(groups, key=lambda g: -g.documents)[:MAX_SHOWN_GROUPS]}
    return [g for g in groups if id(g) in largest]


def method_line(findings: Findings, field: str) -> str:
    """How the figures of a field were computed, in one sentence for people."""
    paired = field == "annotator"
    what = (
        "each annotator's own annotations of the documents they finished"
        if paired
        else "the settled annotations (gold where an adjudicator finished the document, else"
        " the majority)"
    )
    interval = (
        f"95% intervals from a bootstrap over documents (B={findings.bootstrap}, seed"
        f" {findings.seed}; a group needs {MIN_DOCUMENTS_FOR_INTERVAL} documents)"
        if findings.bootstrap
        else "no intervals or p-values (bootstrap off)"
    )
    test = (
        "; p: two-sided permutation test, the two readings swapped within each document both"
        " finished"
        if paired
        else "; p: two-sided permutation test, documents shuffled between the two groups"
    )
    return (
        f"Groups by `{field}`, from {what}. Each rate adds up the documents of a group; {interval}"
        f"{test if findings.bootstrap else ''}."
    )


# --- JSON -----------------------------------------------------------------------------------


def _estimate(out: dict[str, Any], reasons: dict[str, str], key: str, e: Estimate) -> None:
    out[key] = e.value.value
    out[f"{key}_ci95"] = list(e.ci95) if e.ci95 else None
    if e.value.value is None:
        reasons[key] = e.value.reason or "undefined"
    if e.ci95 is None:
        reasons[f"{key}_ci95"] = e.ci_reason or "undefined"


def _sources(sources: Sequence[SourceCues]) -> list[dict[str, Any]]:
    return [
        {
            "source": s.source,
            "statements": s.statements,
            "cues": [{"cue": c.cue, "count": c.count, "tone": c.tone} for c in s.cues],
        }
        for s in sources
    ]


def group_json(g: GroupFindings) -> dict[str, Any]:
    reasons: dict[str, str] = {}
    out: dict[str, Any] = {
        "field": g.field,
        "value": g.value,
        "basis": g.basis,
        "documents": g.documents,
        "words": g.words,
        "loaded_spans": g.loaded_spans,
        "statements": dict(g.statements),
    }
    for key, e in g.rates.items():
        _estimate(out, reasons, key, e)
    out["shares"] = {label: e.value.value for label, e in g.shares.items()}
    out["shares_ci95"] = {label: list(e.ci95) if e.ci95 else None for label, e in g.shares.items()}
    for label, e in g.shares.items():
        if e.value.value is None:
            reasons[f"shares.{label}"] = e.value.reason or "undefined"
        if e.ci95 is None:
            reasons[f"shares_ci95.{label}"] = e.ci_reason or "undefined"
    out["top_loaded"] = [{"text": t.text, "count": t.count} for t in g.top_loaded]
    out["sources"] = _sources(g.sources)
    out["reasons"] = reasons
    return out


def comparison_json(c: Comparison) -> dict[str, Any]:
    reasons: dict[str, str] = {}
    for key, metric in (("difference", c.difference), ("p_value", c.p_value), ("p_holm", c.p_holm)):
        if metric.value is None:
            reasons[key] = metric.reason or "undefined"
    if c.ci95 is None:
        reasons["ci95"] = c.ci_reason or "undefined"
    return {
        "field": c.field,
        "a": c.a,
        "b": c.b,
        "metric": c.metric,
        "n_a": c.n_a,
        "n_b": c.n_b,
        "paired": c.paired,
        "difference": c.difference.value,
        "ci95": list(c.ci95) if c.ci95 else None,
        "p_value": c.p_value.value,
        "p_holm": c.p_holm.value,
        "permutations": c.permutations,
        "exact": c.exact,
        "reasons": reasons,
    }


def findings_json(findings: Findings | None) -> dict[str, Any]:
    """``bias.group_by``, ``bias.groups`` and ``bias.comparisons`` (empty without --group-by)."""
    if findings is None:
        return {"group_by": [], "groups": [], "comparisons": [], "group_notes": []}
    return {
        "group_by": list(findings.fields),
        "groups": [group_json(g) for g in findings.groups],
        "comparisons": [comparison_json(c) for c in findings.comparisons],
        "group_notes": list(findings.notes),
    }


# --- Markdown -------------------------------------------------------------------------------


def _md_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return [*lines, ""]


def _cues(s: SourceCues, esc: Any) -> str:
    cues = ", ".join(f"{esc(c.cue)} ×{c.count} {c.tone}" for c in s.cues)
    return f"{esc(s.source)}: {cues}" if cues else esc(s.source)


def findings_md(findings: Findings | None, esc: Any) -> list[str]:
    """One section per ``--group-by`` field; ``esc`` escapes text for Markdown."""
    if findings is None:
        return []
    out: list[str] = []
    for field in findings.fields:
        groups = findings.of(field)
        visible = shown(groups)
        out += [f"## Findings by {esc(field)}", "", method_line(findings, field), ""]
        out += [f"> {esc(note)}" for note in findings.notes if note.startswith(f"{field}:")]
        if len(visible) < len(groups):
            out += [
                f"Showing the {len(visible)} largest of {len(groups)} groups; json and csv"
                " list them all.",
                "",
            ]
        out += _md_table(
            [esc(field), "documents", "words", "loaded spans", "statements"],
            [
                [
                    esc(g.name),
                    str(g.documents),
                    str(g.words),
                    str(g.loaded_spans),
                    str(sum(g.statements.values())),
                ]
                for g in visible
            ],
        )
        rows = []
        for metric in findings.metrics():
            for g in visible:
                e = g.estimate(metric)
                rows.append(
                    [
                        metric_title(metric),
                        esc(g.name),
                        value_text(metric, e.value),
                        interval_text(metric, e.ci95, e.ci_reason),
                    ]
                )
        out += _md_table(["metric", esc(field), "value", "95% CI"], rows)
        compared = findings.compared(field)
        if compared:
            holm = len({(c.a, c.b) for c in compared}) > 1
            header = ["metric", "a", "b", "documents", "a − b", "95% CI", "p"]
            header += ["p (Holm)"] if holm else []
            header += ["permutations"]
            table = []
            for c in compared:
                n = str(c.n_a) + (" both" if c.paired else f" / {c.n_b}")
                row = [
                    metric_title(c.metric),
                    esc(group_name(field, c.a)),
                    esc(group_name(field, c.b)),
                    n,
                    difference_text(c.metric, c.difference),
                    difference_interval(c),
                    c.p_value.text(3),
                ]
                row += [c.p_holm.text(3)] if holm else []
                row += [permutations_text(c)]
                table.append(row)
            out += _md_table(header, table)
        loaded = [g for g in visible if g.top_loaded]
        if loaded:
            out += ["Most frequent loaded expressions:", ""]
            out += [
                f"- **{esc(g.name)}**: "
                + ", ".join(f"{esc(t.text)} ×{t.count}" for t in g.top_loaded)
                for g in loaded
            ]
            out.append("")
        quoted = [g for g in visible if g.sources]
        if quoted:
            out += ["Sources quoted most, with the verbs that introduce them:", ""]
            out += [
                f"- **{esc(g.name)}**: " + "; ".join(_cues(s, esc) for s in g.sources)
                for g in quoted
            ]
            out.append("")
    return out


# --- CSV ------------------------------------------------------------------------------------

Row = list[object]


GROUP_COLUMNS = [
    "field",
    "value",
    "basis",
    "documents",
    "words",
    "loaded_spans",
    "metric",
    "estimate",
    "ci_low",
    "ci_high",
    "reason",
]
COMPARISON_COLUMNS = [
    "field",
    "a",
    "b",
    "metric",
    "n_a",
    "n_b",
    "paired",
    "difference",
    "ci_low",
    "ci_high",
    "p_value",
    "p_holm",
    "permutations",
    "exact",
    "reason",
]


def _blank(value: float | None) -> object:
    return "" if value is None else value


def findings_csv(findings: Findings | None) -> dict[str, tuple[list[str], list[Row]]]:
    """File name -> (header, rows): one row per group and metric, per comparison, per loaded
    expression and per source and cue. An undefined figure is an empty cell with its reason."""
    if findings is None:
        return {}
    groups: list[Row] = []
    loaded: list[Row] = []
    sources: list[Row] = []
    for g in findings.groups:
        for metric in findings.metrics():
            e = g.estimate(metric)
            lo, hi = e.ci95 if e.ci95 else (None, None)
            reason = e.value.reason if e.value.value is None else e.ci_reason
            groups.append(
                [
                    *(g.field, g.name, g.basis, g.documents, g.words, g.loaded_spans, metric),
                    *(_blank(e.value.value), _blank(lo), _blank(hi), reason or ""),
                ]
            )
        loaded += [[g.field, g.name, t.text, t.count] for t in g.top_loaded]
        for s in g.sources:
            head = [g.field, g.name, s.source, s.statements]
            sources += [[*head, c.cue, c.count, c.tone] for c in s.cues] or [[*head, "", 0, ""]]
    comparisons: list[Row] = []
    for c in findings.comparisons:
        lo, hi = c.ci95 if c.ci95 else (None, None)
        comparisons.append(
            [
                *(c.field, group_name(c.field, c.a), group_name(c.field, c.b), c.metric),
                *(c.n_a, c.n_b, c.paired, _blank(c.difference.value), _blank(lo), _blank(hi)),
                *(_blank(c.p_value.value), _blank(c.p_holm.value), c.permutations, c.exact),
                c.difference.reason or c.ci_reason or c.p_value.reason or "",
            ]
        )
    return {
        "groups.csv": (GROUP_COLUMNS, groups),
        "group_comparisons.csv": (COMPARISON_COLUMNS, comparisons),
        "group_loaded.csv": (["field", "value", "expression", "count"], loaded),
        "group_sources.csv": (
            ["field", "value", "source", "statements", "cue", "count", "tone"],
            sources,
        ),
    }


# --- HTML -----------------------------------------------------------------------------------


def _forest_row(metric: str, g: GroupFindings) -> ForestRow:
    e = g.estimate(metric)
    label = f"{g.name} (n={g.documents})"
    if e.value.value is None:
        return ForestRow(label, None, None, None, e.value.text())
    value = value_text(metric, e.value)
    if e.ci95 is None:
        return ForestRow(label, e.value.value, None, None, f"{value}, CI undefined ({e.ci_reason})")
    lo, hi = e.ci95
    return ForestRow(
        label, e.value.value, lo, hi, f"{value} ({interval_text(metric, e.ci95, None)})"
    )


def findings_html(findings: Findings | None) -> list[dict[str, Any]]:
    """One view per field for ``templates/findings.html.j2``: forest plots and table rows."""
    if findings is None:
        return []
    views = []
    for field in findings.fields:
        groups = findings.of(field)
        visible = shown(groups)
        compared = findings.compared(field)
        views.append(
            {
                "field": field,
                "method": method_line(findings, field).replace("`", ""),
                "groups": visible,
                "hidden": len(groups) - len(visible),
                "notes": [n for n in findings.notes if n.startswith(f"{field}:")],
                "plots": [
                    Markup(
                        forest(
                            [_forest_row(metric, g) for g in visible],
                            title=metric_title(metric),
                            percent=is_share(metric),
                        )
                    )
                    for metric in findings.metrics()
                ],
                "holm": len({(c.a, c.b) for c in compared}) > 1,
                "comparisons": [
                    {
                        "metric": metric_title(c.metric),
                        "a": group_name(field, c.a),
                        "b": group_name(field, c.b),
                        "n": f"{c.n_a} both" if c.paired else f"{c.n_a} / {c.n_b}",
                        "difference": difference_text(c.metric, c.difference),
                        "ci": difference_interval(c),
                        "p": c.p_value.text(3),
                        "p_holm": c.p_holm.text(3),
                        "permutations": permutations_text(c),
                    }
                    for c in compared
                ],
            }
        )
    return views


__all__ = ["findings_csv", "findings_html", "findings_json", "findings_md"]
