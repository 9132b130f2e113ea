"""Cutting a text to fit a row: on one line, at a word, with an ellipsis when anything is cut."""

from __future__ import annotations


def one_line(text: str) -> str:
    """``text`` with every run of blanks (newlines included) as one space."""
    return " ".join(text.split())


def clip_words(text: str, width: int) -> str:
    """``text`` on one line in at most ``width`` characters, cut at a word with ``…``.

    Only a single word longer than ``width`` is cut inside itself. Only the start of ``text``
    is looked at, so a span of millions of characters costs what a short one does.
    """
    head = text[: 4 * width + 64]
    flat = one_line(head)
    if len(head) < len(text) and len(flat) <= width:
        return flat + "…"
    if len(flat) <= width:
        return flat
    room = flat[: max(1, width - 1)]
    if flat[len(room)] != " " and " " in room:
        room = room.rsplit(" ", 1)[0]
    return room.rstrip(" ,;:") + "…"
