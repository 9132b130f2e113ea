"""The help screen: every key of the screen underneath, as currently bound (keymap included)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Label, Static


def binding_rows(screen: Screen[object]) -> list[tuple[str, str, str]]:
    """``(keys, what, binding id)`` for each binding reachable from the focused widget."""
    app = screen.app
    rows: dict[str, tuple[list[str], str, str]] = {}
    order: list[str] = []
    for _node, bindings in screen._binding_chain:
        for _key, binding in bindings:
            if binding.system:
                continue
            name = binding.id or binding.action
            what = binding.tooltip or binding.description or binding.action
            if name not in rows:
                rows[name] = ([], what, binding.id or "")
                order.append(name)
            shown = app.get_key_display(binding)
            if shown not in rows[name][0]:
                rows[name][0].append(shown)
    return [(" ".join(rows[name][0]), rows[name][1], rows[name][2]) for name in order]


class HelpScreen(ModalScreen[None]):
    """Keys of the screen the reviewer came from."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", "Close", id="help-close", tooltip="Close")
    ]

    def __init__(self, below: Screen[object]) -> None:
        super().__init__(classes="dialog")
        self.rows = binding_rows(below)
        self.below_name = type(below).__name__.removesuffix("Screen").lower() or "screen"

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box help-box"):
            yield Label(Text(f"Keys of the {self.below_name} screen", style="bold"))
            table: DataTable[Text] = DataTable(id="help-keys", cursor_type="row")
            yield table
            yield Static(
                Text("Rebind any key by its id in config.yaml (keymap:) · esc closes", style="dim")
            )

    def on_mount(self) -> None:
        table: DataTable[Text] = self.query_one("#help-keys", DataTable)
        table.add_columns("Key", "Action", "Id")
        for keys, what, binding_id in self.rows:
            table.add_row(Text(keys, style="bold"), Text(what), Text(binding_id, style="dim"))
        table.focus()

    def action_close(self) -> None:
        self.dismiss(None)
