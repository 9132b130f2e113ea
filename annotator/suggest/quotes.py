"""Quotation marks, paired.

``find_quotes(text)`` pairs opening and closing marks, straight (``"`` ``'``) and curly
(“ ” ‘ ’, with „ « » as well), within each paragraph, and returns the quotations with the
marks that found no partner as ``Note``s. A mark with no partner is reported, never guessed
at: the rules then treat its sentence as unquoted and lower their confidence there.

How a mark is read:

* Curly and guillemet marks say which side they are on. A straight double quote opens after
  whitespace, an opening bracket or a dash and closes before whitespace or punctuation; where
  both sides are letters it closes an open quotation, else opens one.
* A single mark between two letters or digits is an apostrophe (“mayor’s”, “don't”), and so is
  a closing single mark with no open single quotation ("the Smiths’ house", "’90s").
* Quotations nest (a single-quoted phrase inside a double-quoted one). An opening mark of a
  kind that is already open means the earlier one was never closed: it is reported.
* News style leaves the closing mark off a quotation that runs on into the next paragraph,
  which opens with a fresh opening mark: such a quotation ends at its paragraph's end, and is
  marked ``continued``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from annotator.suggest.model import Note

__all__ = ["Quote", "find_quotes"]

_MARKS = re.compile(r"[\"'“”„«»‘’‚]|\n[^\S\n]*\n\s*")
_OPEN_DOUBLE = "“„«"
_CLOSE_DOUBLE = "”»"
_BEFORE_OPENING = frozenset(" \n([{<—–-/“‘\"'")
_ELISION = re.compile(r"['’](?:\d0s|em\b|til\b|cause\b|n\b|tis\b)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Quote:
    """A quotation from its opening mark to after its closing mark, ``[start, end)``.

    ``double`` tells double from single marks; a ``continued`` quotation has no closing mark
    because it runs on into the next paragraph (it ends where its paragraph ends).
    """

    start: int
    end: int
    double: bool
    continued: bool = False

    @property
    def inner(self) -> tuple[int, int]:
        """The quoted words, without the marks."""
        return (self.start + 1, self.end if self.continued else self.end - 1)


def find_quotes(text: str) -> tuple[list[Quote], list[Note]]:
    """The quotations of ``text`` in order of their start, and the unpaired marks."""
    quotes: list[Quote] = []
    notes: list[Note] = []
    stack: list[tuple[bool, int, str]] = []  # open quotations: (double, offset, mark)
    n = len(text)
    for match in _MARKS.finditer(text):
        at = match.start()
        mark = text[at]
        if mark == "\n":
            _close_paragraph(text, match.end(), at, stack, quotes, notes)
            continue
        before = text[at - 1] if at else " "
        after = text[at + 1] if at + 1 < n else " "
        double = mark not in "'‘’‚"
        side = _side(mark, before, after, stack)
        if side == "":
            continue
        if side == "open":
            for k in range(len(stack) - 1, -1, -1):
                if stack[k][0] == double:  # the same kind is already open: never closed
                    _unpaired(text, stack[k], notes)
                    del stack[k:]
                    break
            stack.append((double, at, mark))
            continue
        for k in range(len(stack) - 1, -1, -1):
            if stack[k][0] == double:
                for inner in stack[k + 1 :]:
                    _unpaired(text, inner, notes)
                quotes.append(Quote(stack[k][1], at + 1, double))
                del stack[k:]
                break
        else:
            if double:
                notes.append(
                    Note(
                        at,
                        at + 1,
                        "quotes.unbalanced",
                        f"closing quotation mark {mark} has no opening mark before it in its"
                        " paragraph; the quotation's extent is not guessed",
                    )
                )
    _close_paragraph(text, n, n, stack, quotes, notes)
    quotes.sort(key=lambda quote: (quote.start, -quote.end))
    notes.sort(key=lambda note: note.start)
    return quotes, notes


def _side(mark: str, before: str, after: str, stack: list[tuple[bool, int, str]]) -> str:
    """``open``, ``close`` or ``""`` (an apostrophe, or nothing to do)."""
    if mark in _OPEN_DOUBLE or mark == "‚":
        return "open"
    if mark in _CLOSE_DOUBLE:
        return "close"
    if mark == '"':
        if before in _BEFORE_OPENING or before.isspace():
            return "open"
        if after.isspace() or not after.isalnum():
            return "close"
        return "close" if any(double for double, _, _ in stack) else "open"
    # single marks: ‘ ’ '
    if before.isalnum() and after.isalnum():
        return ""  # an apostrophe inside a word
    single_open = any(not double for double, _, _ in stack)
    if mark == "‘":
        return "open"
    opening_position = (before in _BEFORE_OPENING or before.isspace()) and (
        after.isalnum() or after in '“"'
    )
    if mark == "'" and opening_position:
        return "open"
    if opening_position:  # ’ where a quotation would open: an elision ("’90s")
        return ""
    return "close" if single_open else ""


def _close_paragraph(
    text: str,
    next_start: int,
    end: int,
    stack: list[tuple[bool, int, str]],
    quotes: list[Quote],
    notes: list[Note],
) -> None:
    """End the paragraph at ``end``; the next one starts at ``next_start``."""
    if not stack:
        return
    following = text[next_start] if next_start < len(text) else ""
    paragraph_end = end
    while paragraph_end > 0 and text[paragraph_end - 1].isspace():
        paragraph_end -= 1
    for double, at, mark in stack:
        runs_on = following != "" and (following in (_OPEN_DOUBLE + '"' if double else "‘'"))
        if runs_on:
            quotes.append(Quote(at, paragraph_end, double, continued=True))
        elif double or not _ELISION.match(text, at):
            _unpaired(text, (double, at, mark), notes)
    stack.clear()


def _unpaired(text: str, opening: tuple[bool, int, str], notes: list[Note]) -> None:
    double, at, mark = opening
    if not double and _ELISION.match(text, at):
        return
    notes.append(
        Note(
            at,
            at + 1,
            "quotes.unbalanced",
            f"opening quotation mark {mark} has no closing mark in its paragraph;"
            " the quotation's extent is not guessed",
        )
    )
