"""Choose one of several annotations, e.g. which one to remove where spans overlap."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from annotator.tui import bindings


class PickerDialog(ModalScreen[int | None]):
    """Choose one of several items; dismisses with its index, or None on escape.

    Each item is one row: a row too long for the dialog ends in ``…`` instead of wrapping
    (callers cut their rows at a word to :meth:`row_width` first).
    """

    BINDINGS: ClassVar[list[BindingType]] = list(bindings.PICKER)

    DEFAULT_CSS = """
    PickerDialog OptionList { text-wrap: nowrap; text-overflow: ellipsis; }
    """

    @staticmethod
    def row_width(screen_width: int) -> int:
        """Cells a row has on a screen ``screen_width`` wide: the dialog box (72 cells, at
        most 90% of the screen) less its border and padding, the list's and a scrollbar."""
        return min(72, screen_width * 9 // 10) - 2 - 4 - 2 - 2 - 2

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
