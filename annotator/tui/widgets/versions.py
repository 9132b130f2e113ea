"""The Adjudicate screen's comparison panel: every annotator's version of one disagreement.

Built as :class:`rich.text.Text` from stored strings (words of the article, names, labels), so
nothing is ever read as markup.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from annotator.core.scheme import Scheme
from annotator.service.cases import DocumentCase, LayerAgreement, UnitState
from annotator.service.disagreements import Version
from annotator.store.dto import Annotation
from annotator.tui.widgets.palette import label_color

WIDTH = 34
"""Characters of quoted article text per line."""


def clip(text: str, width: int = WIDTH) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _swatch(out: Text, scheme: Scheme, layer: str, label: str) -> None:
    found = scheme.layer(layer)
    out.append("■ ", style=label_color(found.label(label) if found is not None else None))


def version_text(scheme: Scheme, text: str, layer: str, version: Version, indent: int = 6) -> Text:
    """One annotator's version: spans with their words, or a statement with source and cue;
    lines after the first are indented by ``indent``."""
    out = Text()
    pad = " " * indent
    room = max(WIDTH - indent + 6, 12)
    if version.empty:
        out.append("nothing", style="dim italic")
        return out
    if version.statement is not None:
        _swatch(out, scheme, layer, version.statement.label)
        out.append(version.statement.label, style="bold")
        for role, start, end in version.statement.attributes:
            out.append(f"\n{pad}  {role} ", style="dim")
            out.append(f"“{clip(text[start:end], room - len(role) - 5)}”")
        return out
    for i, (start, end, label) in enumerate(version.spans):
        if i:
            out.append(f"\n{pad}")
        _swatch(out, scheme, layer, label)
        out.append(label, style="bold")
        out.append(f" “{clip(text[start:end], room - len(label) - 5)}”")
    return out


def gold_text(scheme: Scheme, text: str, gold: Sequence[Annotation], indent: int = 6) -> Text:
    """What gold holds in the unit, with the annotators each gold annotation reproduces."""
    out = Text()
    if not gold:
        out.append("nothing yet", style="dim italic")
        return out
    for i, annotation in enumerate(gold):
        if i:
            out.append("\n" + " " * indent)
        _swatch(out, scheme, annotation.layer, annotation.label)
        out.append(annotation.label, style="bold")
        layer = scheme.layer(annotation.layer)
        if layer is not None and layer.kind == "span":
            out.append(f" “{clip(text[annotation.start : annotation.end], 20)}”")
        source = annotation.attrs.get("from")
        if isinstance(source, list):
            who = ", ".join(str(name) for name in source) or "by hand"
            out.append(f"  ({who})", style="dim")
    return out


def render_versions(
    scheme: Scheme,
    case: DocumentCase | None,
    state: UnitState | None,
    agreement: Sequence[LayerAgreement],
) -> Text:
    """The panel: the current disagreement, each annotator's version numbered 1..k, the gold
    in it and how it stands; then the document's open/decided count and agreement."""
    out = Text()
    if case is None:
        out.append("loading…", style="dim")
        return out
    text = case.document.text
    disagreements = case.disagreements
    if state is None:
        out.append("Disagreements\n", style="bold")
        if len(case.counted) < 2:
            out.append(
                "Fewer than two annotators finished this document: nothing to compare.\n",
                style="dim",
            )
        elif not disagreements:
            out.append("None: the annotators agree everywhere.\n", style="dim")
        else:
            out.append("None under the cursor; n goes to the next open one.\n", style="dim")
    else:
        unit = state.unit
        number = next((i for i, s in enumerate(disagreements, 1) if s.unit.key == unit.key), 0)
        out.append(f"Disagreement {number} of {len(disagreements)}", style="bold")
        out.append(" · ")
        out.append(state.describe(), style="bold yellow" if state.open else "bold green")
        where = (
            f"sentence {unit.sentence + 1}"
            if unit.kind == "segment"
            else f"“{clip(text[unit.start : unit.end], WIDTH - len(unit.layer) - 4)}”"
        )
        out.append(f"\n{unit.layer} · {where}\n", style="dim")
        width = min(max(len(name) for name in (*unit.annotators, "gold")), 12)
        for k, (name, version) in enumerate(unit.versions, 1):
            out.append(f" {k} ", style="bold reverse")
            out.append(f" {clip(name, width):<{width}} ", style="bold")
            out.append_text(version_text(scheme, text, unit.layer, version, width + 5))
            out.append("\n")
        out.append(f"    {'gold':<{width}} ", style="bold")
        out.append_text(gold_text(scheme, text, state.gold, width + 5))
        out.append("\n")
    tally = case.tally
    out.append(f"\n{tally.open} open · {tally.decided} decided", style="bold")
    if tally.unfilled:
        out.append(f" · {tally.unfilled} agreed, not in gold", style="dim")
    out.append("\n")
    if case.others:
        out.append(f"Also marked done by {', '.join(case.others)}\n", style="yellow")
    if agreement:
        out.append("This document: ", style="dim")
        parts = []
        for item in agreement:
            figure = "undefined" if item.value is None else f"{item.value:.2f}"
            parts.append(f"{item.layer} {item.measure} {figure} ({item.agreed}/{item.units} agree)")
        out.append(" · ".join(parts), style="dim")
    return out
