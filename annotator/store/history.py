"""Undo and redo stacks, computed from the events log.

The log is the only record: an ``undo`` event names the change it reverted and a ``redo``
event the change it re-applied (``target_event_id``). Replaying one annotator's log gives
both stacks, so undo works across documents and after a restart, and two programs on the
same database agree on what the next undo does.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

CHANGES = ("add", "remove", "update", "decide")
"""Actions that undo can revert: changes to annotations, and adjudicators' decisions."""
HISTORY_ACTIONS = (*CHANGES, "undo", "redo")


@dataclass(frozen=True, slots=True)
class Stacks:
    """Event ids of the changes that can be undone and redone, latest last."""

    undo: tuple[int, ...]
    redo: tuple[int, ...]


def replay(log: Iterable[tuple[int, str, int | None]]) -> Stacks:
    """The stacks after ``log``: ``(event id, action, target event id)`` in id order.

    A change pushes onto the undo stack and clears the redo stack (a new change after an
    undo abandons what was undone); an undo moves its target to the redo stack, a redo moves
    it back.
    """
    undo: list[int] = []
    redo: list[int] = []
    for event_id, action, target in log:
        if action in CHANGES:
            undo.append(event_id)
            redo.clear()
        elif action == "undo" and target is not None:
            if target in undo:
                undo.remove(target)
            redo.append(target)
        elif action == "redo" and target is not None:
            if target in redo:
                redo.remove(target)
            undo.append(target)
    return Stacks(undo=tuple(undo), redo=tuple(redo))
