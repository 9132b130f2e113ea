"""The annotate screen's search: the bar a query is typed in, and the matches it steps through.

Case-insensitive, overlapping matches included, wrapping around the text (the rules of
:func:`annotator.core.navigation.find_next`); each match knows its number among all of them,
so the status line can say "match 3 of 7".
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field

from textual import events
from textual.message import Message
from textual.widgets import Input

from annotator.core.navigation import find_next, match_starts


@dataclass(frozen=True, slots=True)
class Match:
    """One match: ``[start, end)``, its number among ``total`` (from 1), and whether the
    step that found it wrapped around the text."""

    start: int
    end: int
    number: int
    total: int
    wrapped: bool

    def describe(self) -> str:
        return f"match {self.number} of {self.total}" + (
            " (wrapped around)" if self.wrapped else ""
        )


@dataclass(slots=True)
class Search:
    """The query of the search and where its matches start in the text on screen."""

    query: str = ""
    hits: list[int] = field(default_factory=list)
    last: Match | None = None

    def set(self, text: str, query: str) -> None:
        """A new query, or a new text for the same query."""
        self.query = query
        self.hits = match_starts(text, query)
        self.last = None

    def step(self, text: str, start: int, *, forwards: bool) -> Match | None:
        """The next (or previous) match after (before) ``start``; None when there is none."""
        found = find_next(text, self.query, start, backwards=not forwards)
        if found is None:
            self.last = None
            return None
        wrapped = found[0] <= start if forwards else found[0] >= start
        number = bisect_left(self.hits, found[0]) + 1
        self.last = Match(found[0], found[1], number, len(self.hits), wrapped)
        return self.last


class SearchBar(Input):
    """Where the query is typed; Enter submits it, escape closes the bar."""

    class Closed(Message):
        """The reviewer left the bar without searching."""

    def __init__(self, *, id: str, blink: bool) -> None:
        super().__init__(placeholder="Search the text · Enter selects the next match", id=id)
        self.cursor_blink = blink

    def open(self, query: str) -> None:
        """Show the bar with ``query`` in it (the screen gives it the focus)."""
        self.display = True
        self.value = query

    def on_key(self, event: events.Key) -> None:
        if event.key == "escape":
            event.stop()
            self.display = False
            self.post_message(self.Closed())
