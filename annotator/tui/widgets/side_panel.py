"""The annotate screen's side panel: what is under the cursor, the labels, the guidelines.

All of it is built as :class:`rich.text.Text` from stored strings, so words of the article, notes
and label definitions are shown exactly as written and never interpreted as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.widgets import Static

from annotator.core.scheme import Label, Layer, Scheme
from annotator.tui.widgets.palette import label_color


@dataclass(frozen=True, slots=True)
class PanelItem:
    """One annotation under the cursor, ready to display."""

    label: str
    layer: str
    text: str
    color: str
    note: str = ""
    detail: str = ""


def _clip(text: str, width: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def render_items(items: Sequence[PanelItem], incomplete: Sequence[int]) -> Text:
    """The "under the cursor" list, then the statements whose attribution is incomplete."""
    out = Text()
    out.append("Under the cursor\n", style="bold")
    if not items:
        out.append("nothing here\n", style="dim")
    for item in items:
        out.append("■ ", style=item.color)
        out.append(item.label, style="bold")
        out.append(f"  {item.layer}\n", style="dim")
        out.append(f"  “{_clip(item.text)}”\n")
        if item.detail:
            out.append(f"  {item.detail}\n", style="italic")
        if item.note:
            out.append("  note: ", style="dim")
            out.append(f"{_clip(item.note)}\n")
    if incomplete:
        out.append("\nIncomplete attributions\n", style="bold")
        sentences = ", ".join(str(index + 1) for index in incomplete)
        out.append(f"sentences {sentences}\n", style="yellow")
    return out


def render_legend(scheme: Scheme, focused: tuple[str, str] | None) -> Text:
    """Every label with its hotkey; the focused one highlighted."""
    out = Text()
    for layer in scheme.layers:
        out.append(f"{layer.name}", style="bold")
        out.append(f" ({layer.kind})\n", style="dim")
        for label in layer.labels:
            mark = "▶" if focused == (layer.name, label.name) else " "
            out.append(f"{mark}")
            out.append(f" {label.key} ", style=f"bold white on {label_color(label)}")
            out.append(f" {label.name}\n")
    return out


def render_guide(layer: Layer | None, label: Label | None) -> Text:
    """The focused label's definition and examples, from the scheme."""
    out = Text()
    if layer is None or label is None:
        out.append("Guidelines\n", style="bold")
        out.append("Move onto an annotation or tag something to see its definition.", style="dim")
        return out
    out.append(f"{label.name}", style="bold")
    out.append(f" · {layer.name}\n", style="dim")
    out.append(label.description or "No definition in the scheme.")
    if label.examples:
        out.append("\nExamples: ", style="dim")
        out.append("; ".join(f"“{example}”" for example in label.examples), style="italic")
    if label.requires:
        out.append(f"\nAsks for: {', '.join(label.requires)} spans", style="dim")
    return out


class PanelText(Static):
    """A static block of the side panel (never parses markup)."""

    def __init__(self, *, id: str) -> None:
        super().__init__(Text(""), id=id, markup=False)
