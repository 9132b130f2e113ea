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
    """``(keys, what, binding id)`` for each binding reachable from the focused widget.

    The screen's own keys come first (the annotation keys), then the focused widget's, then the
    app's; within each, bindings that can be rebound (they have an id) before the rest.
    """
    app = screen.app
    rows: dict[str, tuple[list[str], str, str]] = {}
    rank: dict[str, tuple[int, int, int]] = {}
    for depth, (node, bindings) in enumerate(screen._binding_chain):
        group = 0 if node is screen else 2 if node is app else 1
        for _key, binding in bindings:
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
        table.add_column("Key", width=12)
        table.add_column("Action", width=62)
        table.add_column("Id", width=28)
        for keys, what, binding_id in self.rows:
            table.add_row(
                Text(keys, style="bold"),
                Text(what, no_wrap=True, overflow="ellipsis"),
                Text(binding_id, style="dim"),
            )
        table.focus()

    def action_close(self) -> None:
        self.dismiss(None)
