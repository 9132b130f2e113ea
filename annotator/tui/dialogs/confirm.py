"""A yes/no question, e.g. "Mark the document done anyway?" with the gaps listed above it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from annotator.tui import bindings


class ConfirmDialog(ModalScreen[bool]):
    """A yes/no question; dismisses with True for yes."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings.CONFIRM)

    def __init__(
        self, title: str, lines: Sequence[str], *, yes: str = "Yes", no: str = "No"
    ) -> None:
        super().__init__(classes="dialog")
        self.title_text = title
        self.lines = tuple(lines)
        self.yes = yes
        self.no = no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(Text(self.title_text, style="bold"), classes="dialog-title")
            for line in self.lines:
                yield Static(Text(line), classes="dialog-line")
            with Horizontal(classes="dialog-buttons"):
                yield Button(Text(f"{self.yes} (y)"), variant="warning", id="yes")
                yield Button(Text(f"{self.no} (n)"), variant="primary", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")
