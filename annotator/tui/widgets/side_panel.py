"""The annotate screen's side panel: what is under the cursor, the labels, the guidelines.

All of it is built as :class:`rich.text.Text` from stored strings, so words of the article, notes
and label definitions are shown exactly as written and never interpreted as markup. Notes are
shown whole (wrapped), since the panel is the only place a reviewer reads them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.widgets import Static

from annotator.core.navigation import segment_index_at
from annotator.core.scheme import Label, Layer, Scheme
from annotator.core.text import printable
from annotator.service.annotating import label_of, missing_attributes
from annotator.store.dto import Annotation
from annotator.tui.widgets.clip import clip_words
from annotator.tui.widgets.palette import label_color

QUOTE_WIDTH = 60
"""Characters of covered text shown for an annotation, cut at a word."""
SHOWN_CHARS = 4 * QUOTE_WIDTH + 64
"""Characters of covered text an item keeps: enough for the quote, whatever the span's size."""


@dataclass(frozen=True, slots=True)
class PanelItem:
    """One annotation under the cursor, ready to display."""

    label: str
    layer: str
    text: str
    color: str
    note: str = ""
    detail: str = ""


def annotations_at(
    scheme: Scheme,
    segments: Sequence[tuple[int, int]],
    annotations: Iterable[Annotation],
    cursor: int,
) -> list[Annotation]:
    """The annotations at ``cursor``: the spans covering it, shortest first, then the label
    of its sentence (on the scheme's statement layer)."""
    span_layers = {layer.name for layer in scheme.span_layers}
    statement_layers = scheme.segment_layers
    statement = statement_layers[0].name if statement_layers else None
    index = segment_index_at(segments, cursor)
    sentence = None if index is None else segments[index]
    spans, statements = [], []
    for a in annotations:
        if a.layer in span_layers and a.start <= cursor < a.end:
            spans.append(a)
        elif a.layer == statement and (a.start, a.end) == sentence:
            statements.append(a)
    spans.sort(key=lambda a: (a.end - a.start, a.start))
    return spans + statements


def annotation_row(scheme: Scheme, text: str, annotation: Annotation, width: int = 60) -> Text:
    """One annotation in at most ``width`` cells (for a picker): colour, label, layer, and as
    many of the covered words as fit."""
    head = Text.assemble(
        ("■ ", label_color(label_of(scheme, annotation))),
        (annotation.label, "bold"),
        (f"  {annotation.layer}  ", "dim"),
    )
    room = max(12, width - head.cell_len - 2)
    head.append(f"“{clip_words(text[annotation.start : annotation.end], room)}”")
    return head


def panel_items(scheme: Scheme, text: str, annotations: Iterable[Annotation]) -> list[PanelItem]:
    """The annotations under the cursor as the panel lists them: an attributed statement with
    its source and cue, and what it still lacks."""
    items: list[PanelItem] = []
    for annotation in annotations:
        label = label_of(scheme, annotation)
        parts = []
        for role in label.requires if label is not None else ():
            value = annotation.attrs.get(role)
            if isinstance(value, Mapping) and "start" in value and "end" in value:
                covered = clip_words(text[int(value["start"]) : int(value["end"])], 30)
                parts.append(f"{role}: “{covered}”")
        missing = missing_attributes(scheme, annotation)
        if missing:
            parts.append(f"incomplete: no {' or '.join(missing)}")
        note = annotation.attrs.get("note")
        items.append(
            PanelItem(
                label=printable(annotation.label),
                layer=printable(annotation.layer),
                # the panel shows the start of it: never copy a huge span whole
                text=text[annotation.start : min(annotation.end, annotation.start + SHOWN_CHARS)],
                color=label_color(label),
                # a note an older release stored may hold an escape that retitles the terminal
                note=printable(note, newlines=True) if isinstance(note, str) else "",
                detail=" · ".join(parts),
            )
        )
    return items


def sentences_phrase(indexes: Sequence[int]) -> str:
    """``sentence 3`` or ``sentences 3, 5``: sentence indexes (from 0) as people count them."""
    numbers = ", ".join(str(index + 1) for index in indexes)
    return f"{'sentence' if len(indexes) == 1 else 'sentences'} {numbers}"


def render_items(
    items: Sequence[PanelItem],
    incomplete: Sequence[int],
    sentence: tuple[int, int] | None = None,
) -> Text:
    """The "under the cursor" list, then the statements whose attribution is incomplete.

    ``sentence`` is the cursor's sentence as ``(index from 0, number of sentences)``.
    """
    out = Text()
    out.append("Under the cursor", style="bold")
    if sentence is not None:
        out.append(f" · sentence {sentence[0] + 1} of {sentence[1]}", style="dim")
    out.append("\n")
    if not items:
        out.append("nothing here\n", style="dim")
    for item in items:
        out.append("■ ", style=item.color)
        out.append(item.label, style="bold")
        out.append(f"  {item.layer}\n", style="dim")
        out.append(f"  “{clip_words(item.text, QUOTE_WIDTH)}”\n")
        if item.detail:
            out.append(f"  {item.detail}\n", style="italic")
        if item.note:
            out.append("  note: ", style="dim")
            out.append(f"{item.note}\n")
    if incomplete:
        out.append("\nIncomplete attributions\n", style="bold")
        out.append(f"{sentences_phrase(incomplete)}\n", style="yellow")
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
    """The focused label's definition and examples, from the scheme.

    Examples are listed one per line as the scheme writes them (they may hold their own
    quotation marks, so none are added).
    """
    out = Text()
    if layer is None or label is None:
        out.append("Guidelines\n", style="bold")
        out.append("Move onto an annotation or tag something to see its definition.", style="dim")
        return out
    out.append(f"{label.name}", style="bold")
    out.append(f" · {layer.name}\n", style="dim")
    out.append(label.description or "No definition in the scheme.")
    if label.examples:
        out.append("\nExamples:" if len(label.examples) > 1 else "\nExample:", style="dim")
        for example in label.examples:
            out.append("\n• ", style="dim")
            out.append(example, style="italic")
    if label.requires:
        out.append(f"\nAsks for: {', '.join(label.requires)} spans", style="dim")
    return out


class PanelText(Static):
    """A static block of the side panel (never parses markup)."""

    def __init__(self, *, id: str) -> None:
        super().__init__(Text(""), id=id, markup=False)
