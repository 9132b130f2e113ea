"""The suggestion section in each output format (``report.suggestion_stats``).

Each renderer calls one function here, so the section reads the same in JSON, Markdown, CSV
and HTML. Without suggestions (no machine suggested anything on the counted documents and
nobody accepted one) the section is absent: ``null`` in JSON, header-only CSV tables.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from markupsafe import Markup, escape

from annotator.report.model import Metric, Report
from annotator.report.present import fig, pct
from annotator.report.suggestion_stats import RuleFigures, SuggestionReport

INTRO = (
    "Agreement split by provenance: what reviewers typed, and what they accepted from a"
    " machine's suggestions. Each suggestion rule against the annotators and against gold:"
    " precision against the annotators well above precision against gold means the"
    " annotators took the rule's word for it (anchoring)."
)
PROVENANCE_CSV_HEADER = (
    "layer",
    "provenance",
    "annotations",
    "pairs",
    "agreement",
    "exact",
    "reason",
)
RULES_CSV_HEADER = (
    "machine",
    "rule",
    "layer",
    "suggested",
    "accepted",
    "precision",
    "recall",
    "gold_suggested",
    "precision_gold",
    "recall_gold",
    "reason",
)


def _metrics(rule: RuleFigures) -> dict[str, Metric]:
    return {
        "precision": rule.precision,
        "recall": rule.recall,
        "precision_gold": rule.precision_gold,
        "recall_gold": rule.recall_gold,
    }


def _with(record: dict[str, Any], metrics: dict[str, Metric]) -> dict[str, Any]:
    reasons: dict[str, str] = {}
    for key, metric in metrics.items():
        record[key] = metric.value
        if metric.value is None:
            reasons[key] = metric.reason or "undefined"
    record["reasons"] = reasons
    return record


def suggestions_json(report: Report) -> dict[str, Any] | None:
    """``suggestions``: the machines, agreement by provenance and the rules; null without."""
    found = report.suggestions
    if found is None:
        return None
    return {
        "machines": list(found.machines),
        "documents": found.documents,
        "gold_documents": found.gold_documents,
        "provenance": [
            _with(
                {
                    "layer": p.layer,
                    "provenance": p.provenance,
                    "annotations": p.annotations,
                    "pairs": p.pairs,
                },
                {"agreement": p.agreement, "exact": p.exact},
            )
            for p in found.provenance
        ],
        "rules": [
            _with(
                {
                    "machine": r.machine,
                    "rule": r.rule,
                    "layer": r.layer,
                    "suggested": r.suggested,
                    "accepted": r.accepted,
                    "gold_suggested": r.gold_suggested,
                },
                _metrics(r),
            )
            for r in found.rules
        ],
    }


def _provenance_rows(found: SuggestionReport) -> tuple[list[str], list[list[str]]]:
    header = ["layer", "provenance", "annotations", "agreement", "exact"]
    rows = [
        [p.layer, p.provenance, str(p.annotations), _share(p.agreement), _share(p.exact)]
        for p in found.provenance
    ]
    return header, rows


def _rule_rows(found: SuggestionReport) -> tuple[list[str], list[list[str]]]:
    header = ["rule", "layer", "suggested", "accepted", "P annotators", "R annotators"]
    header += ["P gold", "R gold"]
    if len(found.machines) > 1:
        header.insert(0, "machine")
    rows = []
    for r in found.rules:
        row = [r.rule, r.layer, str(r.suggested), str(r.accepted)]
        row += [fig(m) for m in _metrics(r).values()]
        if len(found.machines) > 1:
            row.insert(0, r.machine)
        rows.append(row)
    return header, rows


def _share(metric: Metric) -> str:
    return pct(metric.value) if metric.value is not None else "–"


def _summary(found: SuggestionReport) -> str:
    machines = ", ".join(found.machines) or "none"
    return (
        f"Machines: {machines}; rules scored on {found.documents} documents with a counted"
        f" annotator, {found.gold_documents} with gold. Spans match when they overlap with the"
        " same label, statements when the sentence has the same label."
    )


def suggestions_md(report: Report, esc: Callable[[str], str]) -> list[str]:
    """A Markdown section: agreement by provenance, then the rules (none without)."""
    found = report.suggestions
    if found is None:
        return []
    out = ["## Suggestions", "", esc(INTRO), "", esc(_summary(found)), ""]
    for title, (header, rows) in (
        ("Agreement by provenance", _provenance_rows(found)),
        ("Rules", _rule_rows(found)),
    ):
        out += [f"### {title}", ""]
        out += _md_table(header, [[esc(cell) for cell in row] for row in rows])
    return out


def _md_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return [*lines, ""]


def suggestions_csv(report: Report) -> tuple[list[list[object]], list[list[object]]]:
    """Rows of ``suggestion_provenance.csv`` and ``suggestion_rules.csv`` (headers above)."""
    found = report.suggestions
    if found is None:
        return [], []
    provenance: list[list[object]] = [
        [
            p.layer,
            p.provenance,
            p.annotations,
            p.pairs,
            _value(p.agreement),
            _value(p.exact),
            _reasons({"agreement": p.agreement, "exact": p.exact}),
        ]
        for p in found.provenance
    ]
    rules: list[list[object]] = [
        [
            r.machine,
            r.rule,
            r.layer,
            r.suggested,
            r.accepted,
            _value(r.precision),
            _value(r.recall),
            r.gold_suggested,
            _value(r.precision_gold),
            _value(r.recall_gold),
            _reasons(_metrics(r)),
        ]
        for r in found.rules
    ]
    return provenance, rules


def _value(metric: Metric) -> object:
    return "" if metric.value is None else metric.value


def _reasons(metrics: dict[str, Metric]) -> str:
    return "; ".join(f"{k}: {m.reason}" for k, m in metrics.items() if m.value is None)


def suggestions_html(report: Report) -> Markup:
    """An HTML section (escaped); empty without suggestions."""
    found = report.suggestions
    if found is None:
        return Markup("")
    parts = [
        '<section id="suggestions"><h2>Suggestions</h2>',
        f"<p>{escape(INTRO)}</p><p>{escape(_summary(found))}</p>",
    ]
    for title, (header, rows) in (
        ("Agreement by provenance", _provenance_rows(found)),
        ("Rules", _rule_rows(found)),
    ):
        parts.append(f"<h3>{escape(title)}</h3><table><thead><tr>")
        parts += [
            f'<th class="txt">{escape(cell)}</th>' if i < 2 else f"<th>{escape(cell)}</th>"
            for i, cell in enumerate(header)
        ]
        parts.append("</tr></thead><tbody>")
        for row in rows:
            cells = [
                f'<td class="txt">{escape(cell)}</td>' if i < 2 else f"<td>{escape(cell)}</td>"
                for i, cell in enumerate(row)
            ]
            parts.append("<tr>" + "".join(cells) + "</tr>")
        parts.append("</tbody></table>")
    parts.append("</section>")
    return Markup("".join(parts))


__all__ = [
    "PROVENANCE_CSV_HEADER",
    "RULES_CSV_HEADER",
    "suggestions_csv",
    "suggestions_html",
    "suggestions_json",
    "suggestions_md",
]
