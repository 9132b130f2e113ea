"""The side panel's block of suggestions under the cursor: what a machine suggests here, by
which rule and how sure it is, with the keys that decide it.

Built as :class:`rich.text.Text` from stored strings, so the article's words are shown as
written and never read as markup.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.text import Text

from annotator.core.scheme import Scheme
from annotator.service.annotating import label_of
from annotator.store.dto import Annotation
from annotator.tui.widgets.clip import clip_words
from annotator.tui.widgets.palette import label_color
from annotator.tui.widgets.side_panel import QUOTE_WIDTH, annotations_at

__all__ = ["render_suggested", "suggestions_at"]


def suggestions_at(
    scheme: Scheme,
    segments: Sequence[tuple[int, int]],
    pending: Sequence[Annotation],
    cursor: int,
) -> list[Annotation]:
    """The pending suggestions at ``cursor``, as the reviewer's own annotations are found:
    the spans covering it, shortest first, then the suggestion for its sentence."""
    return annotations_at(scheme, segments, pending, cursor)


def _detail(text: str, suggestion: Annotation) -> str:
    parts: list[str] = []
    for role in ("source", "cue"):
        value = suggestion.attrs.get(role)
        if isinstance(value, Mapping) and "start" in value and "end" in value:
            covered = clip_words(text[int(value["start"]) : int(value["end"])], 30)
            parts.append(f"{role}: “{covered}”")
    return " · ".join(parts)


def render_suggested(scheme: Scheme, text: str, suggestions: Sequence[Annotation]) -> Text:
    """The suggestions under the cursor, each with its rule and confidence."""
    out = Text()
    out.append("Suggested here", style="bold")
    out.append(" · Enter accepts, Backspace rejects\n", style="dim")
    for suggestion in suggestions:
        out.append("□ ", style=label_color(label_of(scheme, suggestion)))
        out.append(suggestion.label, style="bold")
        out.append(f"  {suggestion.layer}\n", style="dim")
        out.append(f"  “{clip_words(text[suggestion.start : suggestion.end], QUOTE_WIDTH)}”\n")
        detail = _detail(text, suggestion)
        if detail:
            out.append(f"  {detail}\n", style="italic")
        rule = suggestion.attrs.get("rule")
        confidence = suggestion.attrs.get("confidence")
        about = [f"by {suggestion.annotator}"]
        if isinstance(rule, str):
            about.append(rule)
        if isinstance(confidence, int | float) and not isinstance(confidence, bool):
            about.append(f"confidence {confidence:.2f}")
        out.append(f"  {' · '.join(about)}\n", style="dim")
        note = suggestion.attrs.get("note")
        if isinstance(note, str) and note:
            out.append("  note: ", style="dim")
            out.append(f"{note}\n")
    out.rstrip()
    return out
