"""The report as Markdown tables, for a repository README or a paper draft.

Document text is escaped so that nothing in an article can become Markdown or HTML: ``*``,
``[``, ``|``, ``<`` and friends are backslash-escaped or turned into entities.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from annotator.core.text import printable
from annotator.core.wording import plural
from annotator.report.model import (
    MIN_DOCUMENT_SPANS,
    SPAN_MODES,
    BiasProfile,
    DocumentLayerFigure,
    Report,
    SegmentLayerReport,
    SentenceExample,
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
    num,
    paradox_notes,
    pct,
    pieces,
    segment_matrix,
    span_matrix,
    too_few_spans,
)
from annotator.report.render_findings import findings_md
from annotator.report.render_gold import vs_gold_md
from annotator.report.render_suggestions import suggestions_md

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def esc(text: str) -> str:
    """Text that Markdown shows literally: entities for ``&<>``, backslashes for the rest,
    line breaks as spaces (a table cell is one line) and control characters as U+FFFD."""
    text = printable(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return " ".join(text.splitlines())


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return [*lines, ""]


def _segment(layer: SegmentLayerReport, report: Report) -> list[str]:
    p = report.provenance
    who = list(report.annotators)
    out = [
        f"## Layer `{layer.name}` (statements, {layer.level})",
        "",
        f"- Krippendorff's alpha ({layer.level}): **{fig(layer.krippendorff_alpha)}**, "
        f"{ci(layer, p.bootstrap_b, p.seed)}; {plural(layer.units, 'unit')}, "
        f"{plural(layer.pairable_values, 'pairable value')}",
        f"- Fleiss' kappa: **{fig(layer.fleiss_kappa)}** "
        f"({layer.fleiss_units} of {plural(layer.units, 'unit')} labelled by every annotator)",
        *_gwet_lines(layer),
        "",
        *_reliability(layer),
        "### Pairwise agreement",
        "",
        "Above the diagonal Cohen's kappa, below it percent agreement.",
        "",
    ]
    out += table(
        ["", *map(esc, who)],
        [[esc(a), *row] for a, row in zip(who, segment_matrix(layer, who), strict=True)],
    )
    gwet = layer.gwet
    ac_heads = [f"Gwet's {gwet.name}", "prevalence index", "bias index"] if gwet else []
    out += table(
        ["pair", "n", "Cohen's kappa", "Scott's pi", "agreement", *ac_heads],
        [
            [
                esc(f"{q.a} / {q.b}"),
                str(q.n),
                fig(q.cohen_kappa),
                fig(q.scott_pi),
                pct(q.percent_agreement.value),
                *([fig(q.gwet_ac), index(q.prevalence_index), index(q.bias_index)] if gwet else []),
            ]
            for q in layer.pairwise
        ],
    )
    out += ["### Per label", ""]
    out += table(
        [
            "label",
            "alpha (this label vs rest)",
            "Fleiss' kappa",
            "specific agreement",
            *map(esc, who),
        ],
        [
            [
                esc(lab.label),
                fig(lab.alpha),
                fig(lab.fleiss_kappa),
                pct(lab.specific_agreement.value),
            ]
            + [str(lab.counts.get(a, 0)) for a in who]
            for lab in layer.per_label
        ],
    )
    out += ["### Coverage", ""]
    out += table(
        ["annotator", "documents", "segments", "labelled", "share"],
        [
            [esc(c.annotator), str(c.documents), str(c.units), str(c.labelled), pct(c.share)]
            for c in layer.coverage
        ],
    )
    if layer.attributes:
        out += ["### Source and cue of statements both annotators attributed", ""]
        out += table(
            ["label", "attribute", "pair", "statements", "F1 exact", "F1 overlap"],
            [
                [
                    esc(a.label),
                    esc(a.attribute),
                    esc(f"{a.a} / {a.b}"),
                    str(a.n),
                    fig(a.f1_exact),
                    fig(a.f1_overlap),
                ]
                for a in layer.attributes
            ],
        )
    out += ["### Confusion matrices", ""]
    for c in layer.confusion:
        out += [f"Rows {esc(c.a)}, columns {esc(c.b)}:", ""]
        out += table(
            ["", *map(esc, c.labels)],
            [
                [esc(label), *(str(n) for n in row)]
                for label, row in zip(c.labels, c.counts, strict=True)
            ],
        )
    return out


def _gwet_lines(layer: SegmentLayerReport) -> list[str]:
    """Gwet's AC beside alpha, the indices that explain a gap, and the pairs' paradox notes."""
    g = layer.gwet
    if g is None:
        return []
    interval = f", {ac_interval(g)}" if g.ci95 else ""
    lines = [f"- Gwet's {g.name}: **{fig(g.value)}**{interval}; {ac_indices(g)}"]
    lines += [f"- {esc(who) if who else 'Note'}: {esc(note)}" for who, note in paradox_notes(layer)]
    return lines


def _reliability(layer: SegmentLayerReport) -> list[str]:
    if not layer.reliability:
        return []
    out = [
        "### Annotator reliability",
        "",
        "Dawid-Skene competence: the probability that the annotator gives the label the model "
        "estimates as true, from everyone's labels alone (most competent first).",
        "",
    ]
    out += table(
        ["annotator", "units", "competence", "agrees with estimate"],
        [
            [esc(r.annotator), str(r.units), fig(r.competence), pct(r.agrees_with_estimate.value)]
            for r in layer.reliability
        ],
    )
    return out


def _span(layer: SpanLayerReport, report: Report) -> list[str]:
    who = list(report.annotators)
    out = [
        f"## Layer `{layer.name}` (spans)",
        "",
        f"- alpha_U over the corpus: **{fig(layer.alpha_u)}** "
        f"({plural(layer.continuum_documents, 'document')}, "
        f"{plural(layer.continuum_length, 'character')} as one continuum)",
        f"- gamma (Mathet et al. 2015) over the corpus: **{fig(layer.gamma)}**"
        + (f" ({gamma_range(layer)})" if layer.gamma_ci95 else "")
        + f"; gamma-cat **{fig(layer.gamma_cat)}**",
        f"- {plural(layer.units, 'span')} in {plural(layer.documents, 'document')} with two or"
        " more annotators",
        "",
        "### Per label",
        "",
        "alpha_U and spans per annotator on the documents of the continuum.",
        "",
    ]
    out += table(
        ["label", "alpha_U", *map(esc, who)],
        [
            [esc(lab.label), fig(lab.alpha_u), *(str(lab.counts.get(a, 0)) for a in who)]
            for lab in layer.per_label
        ],
    )
    out += [
        "### Pairwise span agreement",
        "",
        "Precision and recall of the second annotator against the first.",
        "",
    ]
    header = ["pair", "documents", "spans"]
    for mode in SPAN_MODES:
        header += [f"P {mode}", f"R {mode}", f"F1 {mode}"]
    rows = []
    for q in layer.pairwise:
        row = [esc(f"{q.a} / {q.b}"), str(q.documents), f"{q.spans_a} / {q.spans_b}"]
        for mode in SPAN_MODES:
            row += [fig(q.precision[mode]), fig(q.recall[mode]), fig(q.f1[mode])]
        rows.append(row)
    out += table(header, rows)
    out += ["F1 (overlap) as a matrix:", ""]
    out += table(
        ["", *map(esc, who)],
        [[esc(a), *row] for a, row in zip(who, span_matrix(layer, who, "overlap"), strict=True)],
    )
    return out


def marked(example: SentenceExample) -> list[str]:
    """Each annotator's view of a sentence: spans in ⟦brackets⟧ with their label."""
    lines = []
    for view in example.views:
        parts = []
        open_marks: set[int] = set()
        for piece in pieces(example.text, view.marks):
            for mark in piece.marks:
                if id(mark) not in open_marks:
                    parts.append("⟦")
                    open_marks.add(id(mark))
            parts.append(esc(piece.text))
            for mark in piece.ends:
                parts.append(f"⟧*{esc(mark.label)}*")
                open_marks.discard(id(mark))
        labels = ", ".join(f"{esc(k)}: **{esc(v)}**" for k, v in view.labels.items()) or "no label"
        lines.append(f"- {esc(view.annotator)} ({labels}): {''.join(parts)}")
    return lines


def _anatomy(report: Report) -> list[str]:
    anatomy = report.anatomy
    out = [
        "## Disagreement anatomy",
        "",
        f"{plural(anatomy.total, 'disagreement')} between pairs of annotators in "
        f"{plural(anatomy.documents_with_disagreements, 'document')}.",
        "",
    ]
    layers = list(anatomy.by_layer)
    out += table(
        ["kind", "all", *map(esc, layers)],
        [
            [kind, str(n), *(str(anatomy.by_layer[layer][kind]) for layer in layers)]
            for kind, n in anatomy.counts.items()
        ],
    )
    if anatomy.statement_kinds:
        out += ["Statement kinds confused:", ""]
        out += table(
            ["labels", "count"], [[esc(k), str(n)] for k, n in anatomy.statement_kinds.items()]
        )
    if anatomy.by_pair:
        kinds = list(anatomy.counts)
        out += table(
            ["pair", *kinds],
            [[esc(pair), *(str(c[k]) for k in kinds)] for pair, c in anatomy.by_pair.items()],
        )
    if anatomy.examples:
        out += ["### Sentences to look at first (worst documents first)", ""]
        for e in anatomy.examples:
            out += [f"**{esc(e.external_id)}**, sentence {e.segment_index + 1}: {esc(e.text)}", ""]
            out += [f"- *{esc(d.kind)}* ({esc(d.layer)}): {esc(d.detail)}" for d in e.disagreements]
            out += marked(e)
            out.append("")
    return out


def _documents(report: Report) -> list[str]:
    layers = [layer.name for layer in report.layers]
    docs = report.documents
    out = ["## Agreement per document (worst first)", ""]
    if not docs:
        return [*out, "No document has two counted annotators.", ""]
    header = ["document", "annotators", "score", "disagreements"]
    spans = {layer.name for layer in report.layers if layer.kind == "span"}
    for name in layers:
        if name in spans:
            header += [f"{name} F1 (partial)", f"{name} alpha_U"]
        else:
            header += [f"{name} alpha", f"{name} agreement"]
    rows = []
    for d in docs[:MAX_TABLE_ROWS]:
        row = [esc(d.external_id), esc(", ".join(d.annotators)), fig(d.score), str(d.disagreements)]
        for name in layers:
            f = d.layers.get(name)
            if name in spans:
                row += [fig(f.agreement), _document_alpha_u(f)] if f and f.alpha_u else ["–", "–"]
            elif f is None or f.alpha is None:
                row += ["–", "–"]
            else:
                row += [fig(f.alpha), fig(f.agreement)]
        rows.append(row)
    out += table(header, rows)
    if len(docs) > MAX_TABLE_ROWS:
        out += [
            f"Showing {MAX_TABLE_ROWS} of {len(docs)} documents; json and csv list them all.",
            "",
        ]
    for name, short in too_few_spans(report):
        named = ", ".join(f"{esc(doc)} ({plural(n, 'span')})" for doc, n in short[:MAX_TABLE_ROWS])
        more = len(short) - MAX_TABLE_ROWS
        rest = f" and {more} more (the json and csv formats list them all)" if more > 0 else ""
        out += [
            f"Layer `{name}`: alpha_U of one document needs {MIN_DOCUMENT_SPANS} spans (all"
            f" annotators together), so it is left undefined on the {len(short)} of"
            f" {plural(len(docs), 'document')} with fewer: {named}{rest}.",
            "",
        ]
    out += [
        "Score: mean over layers of percent agreement (statements) and partial-credit span F1 "
        "(spans).",
        "",
    ]
    return out


def _document_alpha_u(f: DocumentLayerFigure) -> str:
    """A document's alpha_U; "too few spans (N)" where the note under the table says why."""
    u = f.alpha_u
    if u is not None and not u.defined and f.units < MIN_DOCUMENT_SPANS:
        return f"too few spans ({f.units})"
    return fig(u) if u is not None else "–"


def _bias_rows(profiles: Sequence[BiasProfile], labels: Sequence[str]) -> list[list[str]]:
    rows = []
    for b in profiles:
        rows.append(
            [esc(b.external_id), b.basis, str(b.words)]
            + [pct(b.shares.get(label)) for label in labels]
            + [
                fig(b.loaded_per_100_writer, 2),
                fig(b.loaded_per_100_attributed, 2),
                str(len(b.sources)),
            ]
        )
    return rows


def _bias(report: Report) -> list[str]:
    corpus = report.bias_corpus
    labels = list(corpus.statements)
    out = [
        "## Bias profile",
        "",
        f"From the settled annotations ({corpus.basis}). Loaded spans per 100 words: in the "
        f"writer's own voice {fig(corpus.loaded_per_100_writer, 2)}, inside attributed "
        f"statements {fig(corpus.loaded_per_100_attributed, 2)}.",
        "",
    ]
    header = [
        "document",
        "basis",
        "words",
        *map(esc, labels),
        "loaded/100w writer",
        "loaded/100w attributed",
        "sources",
    ]
    out += table(
        header, _bias_rows([corpus], labels) + _bias_rows(report.bias[:MAX_TABLE_ROWS], labels)
    )
    if len(report.bias) > MAX_TABLE_ROWS:
        out += [
            f"Showing {MAX_TABLE_ROWS} of {len(report.bias)} documents;"
            " json and csv list them all.",
            "",
        ]
    if corpus.sources:
        out += ["Sources quoted and the verbs that introduce them:", ""]
        out += table(
            ["source", "statements", "cues"],
            [
                [
                    esc(s.source),
                    str(s.statements),
                    ", ".join(f"{esc(c.cue)} ×{c.count} ({c.tone})" for c in s.cues) or "–",
                ]
                for s in corpus.sources
            ],
        )
    return out


def render_md(report: Report) -> str:
    """The whole report as one Markdown document."""
    p = report.provenance
    out = [
        "# Inter-annotator report",
        "",
        f"Scheme **{esc(p.scheme_name)}** version {p.scheme_version}; annotators "
        f"{esc(', '.join(p.annotators)) or '(none)'}; {plural(p.documents, 'document')}.",
        "",
    ]
    out += [f"> {esc(note)}" for note in report.notes]
    if report.notes:
        out.append("")
    for layer in report.layers:
        out += (
            _segment(layer, report)
            if isinstance(layer, SegmentLayerReport)
            else _span(layer, report)
        )
    out += vs_gold_md(report, esc)
    out += _anatomy(report)
    out += _documents(report)
    out += _bias(report)
    out += findings_md(report.findings, esc)
    out += suggestions_md(report, esc)
    out += ["## Provenance", ""]
    out += table(
        ["", ""],
        [
            ["annotators", esc(", ".join(p.annotators)) or "(none)"],
            ["scheme", f"{esc(p.scheme_name)} version {p.scheme_version}"],
            ["tool", f"annotator {esc(p.tool_version)}"],
            ["generated", esc(p.generated_at)],
            ["database", esc(p.database)],
            ["bootstrap", f"B={p.bootstrap_b}, seed {p.seed}"],
            [
                "counted",
                "done and in progress"
                if p.include_unfinished
                else "annotators who marked the document done",
            ],
            ["gold documents", str(p.gold_documents)],
        ],
    )
    out += table(
        ["annotators counted", "documents"], [[esc(who), str(n)] for who, n in counted_sets(report)]
    )
    return printable("\n".join(out).rstrip() + "\n", newlines=True)  # no raw control character


__all__ = ["esc", "num", "render_md"]
