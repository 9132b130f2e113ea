"""The keys of the screen underneath, as currently bound (keymap included), with their ids.

Nothing is cut: a long description wraps onto a second line of its row, and on a narrow
terminal the binding id goes under the description instead of into a column of its own.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Label, Static

from annotator.tui import bindings

KEY_WIDTH = 10
ID_WIDTH = 34
WIDE_ACTION = 40
"""The id gets a column of its own when the description column keeps this width beside it."""


def binding_rows(screen: Screen[object]) -> list[tuple[str, str, str]]:
    """``(keys, what, binding id)`` for each binding reachable from the focused widget.

    The screen's own keys come first (the annotation keys), then the focused widget's, then the
    app's; within each, bindings that can be rebound (they have an id) before the rest.
    """
    app = screen.app
    rows: dict[str, tuple[list[str], str, str]] = {}
    rank: dict[str, tuple[int, int, int]] = {}
    for depth, (node, node_bindings) in enumerate(screen._binding_chain):
        group = 0 if node is screen else 2 if node is app else 1
        for _key, binding in node_bindings:
            if binding.system:
                continue
            name = binding.id or binding.action
            what = binding.tooltip or binding.description or binding.action
            if name not in rows:
                rows[name] = ([], what, binding.id or "")
                rank[name] = (group, 0 if binding.id else 1, depth * 1000 + len(rank))
            shown = app.get_key_display(binding)
            if shown not in rows[name][0]:
                rows[name][0].append(shown)
    order = sorted(rows, key=rank.__getitem__)
    return [(" ".join(rows[name][0]), rows[name][1], rows[name][2]) for name in order]


class HelpDialog(ModalScreen[None]):
    """Keys of the screen the reviewer came from."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings.HELP)

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
        # The box is laid out by now only on the next refresh: size from the terminal instead
        # (the box is at most 110 cells or 90% of the screen, less its border and padding).
        inner = min(110, self.app.size.width * 9 // 10) - 2 - 4 - 2
        # Each column is drawn one cell wider on either side than its content.
        action_width = inner - KEY_WIDTH - 2 - 2
        wide = action_width - ID_WIDTH - 2 >= WIDE_ACTION
        table.add_column("Key", width=KEY_WIDTH)
        if wide:
            action_width -= ID_WIDTH + 2
            table.add_column("Action", width=action_width)
            table.add_column("Id", width=ID_WIDTH)
        else:
            table.add_column("Action · id", width=action_width)
        for keys, what, binding_id in self.rows:
            action = Text(what)
            if wide:
                table.add_row(
                    Text(keys, style="bold"), action, Text(binding_id, style="dim"), height=None
                )
                continue
            if binding_id:
                action.append(f"\n{binding_id}", style="dim")
            table.add_row(Text(keys, style="bold"), action, height=None)
        table.focus()

    def action_close(self) -> None:
        self.dismiss(None)


__all__ = ["HelpDialog", "binding_rows"]
