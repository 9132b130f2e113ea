"""The annotate screen's status line: document, progress, spans, and whether work is saved."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


def render_status(
    *,
    title: str,
    classified: int,
    total: int,
    spans: int,
    status: str,
    pending: int,
    message: str = "",
) -> Text:
    """One line; ``saving…`` while writes are queued, ``saved`` once all have returned."""
    out = Text(no_wrap=True, overflow="ellipsis")
    out.append(title or "untitled", style="bold")
    out.append(f" · {classified}/{total} classified · {spans} spans · {status.replace('_', ' ')}")
    out.append(" · ")
    if pending:
        out.append(f"saving… ({pending})", style="bold yellow")
    else:
        out.append("saved", style="bold green")
    if message:
        out.append(" · ")
        out.append(message)
    return out


class StatusLine(Static):
    """Shows :func:`render_status`; never parses markup (titles come from files)."""

    def __init__(self, *, id: str) -> None:
        super().__init__(Text(""), id=id, markup=False)
