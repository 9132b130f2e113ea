"""The annotate screen's status line: the last message on the left; progress, status and
whether work is saved on the right.

The save state is drawn last and never cut: on a narrow terminal the message is shortened
first, then the counts are dropped, so ``saved`` (or ``saving…``) always shows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events
from textual.widgets import Static

from annotator.core.text import printable
from annotator.core.wording import plural
from annotator.tui.widgets.clip import clip_words, one_line

if TYPE_CHECKING:
    from annotator.store.dto import Event

STATUS_TEXT = {"todo": "todo", "in_progress": "in progress", "done": "done"}


def shown_status(status: str, *, annotated: bool) -> str:
    """A reviewer's status on a document as both screens show it.

    A change through the rulebook moves ``todo`` to ``in progress``; annotations imported
    with no status are shown as ``in progress`` too, so the two screens never disagree.
    """
    if status == "todo" and annotated:
        status = "in_progress"
    return STATUS_TEXT.get(status, status)


EVENT_VERBS = {"add": "added", "remove": "removed", "update": "changed", "reject": "rejected"}


def describe_event(event: Event) -> str:
    """``added editorial``, ``removed emotive``: what an undone or redone change did."""
    body: Mapping[str, Any] = event.after or event.before or {}
    what = body.get("label") or ""
    verb = EVENT_VERBS.get(event.action, event.action)
    return f"{verb} {what}" if what else verb


@dataclass(frozen=True, slots=True)
class StatusInfo:
    """What the status line shows."""

    classified: int = 0
    total: int = 0
    spans: int = 0
    status: str = "todo"
    """As shown: ``todo``, ``in progress``, ``done``."""
    pending: int = 0
    message: str = ""
    suggestions: int = 0
    """Machine suggestions still pending for the reviewer on this document."""


def render_status(info: StatusInfo, width: int) -> Text:
    """One line of ``width`` cells: ``saving… (n)`` while writes are queued, ``saved`` once
    all have returned.

    What gives way on a narrow line, first to last: the count of pending suggestions, the
    classified count, the span count, the status, then the end of the message; the save
    state always shows.
    """
    save = (f"saving… ({info.pending})", "bold yellow") if info.pending else ("saved", "bold green")
    facts = [
        f"{info.classified}/{info.total} classified",
        plural(info.spans, "span"),
        info.status,
    ]
    if info.suggestions:
        facts.insert(0, f"{info.suggestions} suggested")
    message = one_line(printable(info.message))
    gap = 2 if message else 0

    def used() -> int:
        return len(" · ".join([*facts, save[0]])) + (len(message) + gap if message else 0)

    while facts and used() > width:
        facts.pop(0)
    right = Text(" · ".join(facts) + (" · " if facts else ""))
    right.append(*save)
    room = width - right.cell_len - gap
    out = Text(no_wrap=True, overflow="ellipsis")
    if message and room > 0:
        out.append(clip_words(message, room))
    out.pad_right(max(0, width - out.cell_len - right.cell_len))
    out.append_text(right)
    return out


class StatusLine(Static):
    """Shows :func:`render_status` at its width; never parses markup."""

    def __init__(self, *, id: str) -> None:
        super().__init__(Text(""), id=id, markup=False)
        self.info = StatusInfo()

    def show(self, info: StatusInfo) -> None:
        self.info = info
        self.update(render_status(info, self.content_size.width or 200))

    def on_resize(self, _event: events.Resize) -> None:
        self.show(self.info)
