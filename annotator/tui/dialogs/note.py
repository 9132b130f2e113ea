"""Write or edit the note of one annotation."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from annotator.tui import bindings


class NoteDialog(ModalScreen[str | None]):
    """Dismisses with the text (empty removes the note), None on escape."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings.NOTE)

    def __init__(self, about: Text, note: str, *, blink: bool = True) -> None:
        super().__init__(classes="dialog")
        self.about = about
        self.note = note
        self.blink = blink

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(Text("Note", style="bold"), classes="dialog-title")
            yield Static(self.about, classes="dialog-line")
            note = Input(value=self.note, placeholder="A comment for this annotation", id="note")
            note.cursor_blink = self.blink
            yield note
            yield Static(
                Text("Enter saves · an empty note removes it · esc cancels", style="dim"),
                classes="dialog-line",
            )

    def on_mount(self) -> None:
        self.query_one("#note", Input).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted, "#note")
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip())
