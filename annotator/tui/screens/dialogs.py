"""Small modal dialogs: confirm, pick one annotation, write a note.

Every text they show (document words, notes, titles) is plain text, never markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option


class ConfirmDialog(ModalScreen[bool]):
    """A yes/no question; dismisses with True for yes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="dialog-yes", tooltip="Confirm"),
        Binding("n,escape", "answer(False)", "No", id="dialog-no", tooltip="Cancel"),
    ]

    def __init__(self, title: str, lines: Sequence[str], *, yes: str = "Yes", no: str = "No"):
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


class PickerDialog(ModalScreen[int | None]):
    """Choose one of several items; dismisses with its index, or None on escape."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="picker-cancel", tooltip="Choose none")
    ]

    def __init__(self, title: str, items: Sequence[Text]) -> None:
        super().__init__(classes="dialog")
        self.title_text = title
        self.items = tuple(items)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(Text(self.title_text, style="bold"), classes="dialog-title")
            yield OptionList(
                *(Option(item, id=str(index)) for index, item in enumerate(self.items)),
                id="picker",
            )
            yield Static(Text("Enter chooses · esc cancels", style="dim"), classes="dialog-line")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))


class NoteDialog(ModalScreen[str | None]):
    """Write or edit the note of one annotation; dismisses with the text, None on escape."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="note-cancel", tooltip="Keep the note")
    ]

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
