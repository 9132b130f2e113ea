"""The line above the status line that asks for an attributed statement's source and cue."""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.text import Text
from textual.widgets import Static


@dataclass(slots=True)
class AttributionRequest:
    """An attributed statement waiting for its role spans (``source``, then ``cue``)."""

    annotation_id: int
    segment_index: int
    roles: tuple[str, ...]
    collected: set[str] = field(default_factory=set)

    @property
    def next_role(self) -> str | None:
        return next((role for role in self.roles if role not in self.collected), None)


class AttributionPrompt(Static):
    """Shown while an attribution waits for a span; hidden otherwise."""

    def __init__(self, *, id: str) -> None:
        super().__init__(Text(""), id=id, markup=False)

    def show(self, request: AttributionRequest | None) -> None:
        role = request.next_role if request is not None else None
        if request is None or role is None:
            self.display = False
            return
        self.update(
            Text.assemble(
                (f"Attributed sentence {request.segment_index + 1}: ", "bold"),
                "select the ",
                (role.upper(), "bold reverse"),
                " span and press Enter (the word under the cursor if nothing is selected)"
                " · esc leaves it incomplete",
            )
        )
        self.display = True
