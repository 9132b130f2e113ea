"""Cursor motions over canonical text: characters, words, sentences, search, span edges.

Pure functions of ``(text, position)`` so the article widget, the CLI and tests share one
definition of "the next word" or "the previous sentence". Positions are Unicode code-point
offsets. A cursor sits *on* a character (``0 <= pos < len(text)``); span edges sit *between*
characters (``0 <= edge <= len(text)``).

A character here is a user-perceived one: a base character together with the combining marks
that follow it and anything joined to it by a ZERO WIDTH JOINER (emoji sequences such as
👩‍🔬), so the cursor never stops inside an accented letter or an emoji.

A word is a run of letters, digits and combining marks, with apostrophes and hyphens allowed
between two such runs ("don't", "well-known", "O’Brien"). Underscores and other punctuation
separate words. ``next_word``/``prev_word`` follow vim's ``w``/``b`` over these words
(punctuation is skipped rather than stopped at).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from itertools import chain
from operator import itemgetter
from typing import Literal

__all__ = [
    "cluster_end",
    "cluster_start",
    "extend_boundary",
    "find_next",
    "next_char",
    "next_segment",
    "next_word",
    "prev_char",
    "prev_segment",
    "prev_word",
    "segment_index_at",
    "word_at",
    "word_end",
]

_ZWJ = "\u200d"


def _mark_class() -> str:
    """A regex character class body listing every combining mark (categories Mn, Mc, Me)."""
    ranges: list[tuple[int, int]] = []
    # Marks live in the first two planes and among the variation selectors of plane 14.
    for code in chain(range(0x300, 0x20000), range(0xE0100, 0xE01F0)):
        if unicodedata.category(chr(code))[0] == "M":
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    return "".join(
        re.escape(chr(lo)) if lo == hi else f"{re.escape(chr(lo))}-{re.escape(chr(hi))}"
        for lo, hi in ranges
    )


_MARKS = _mark_class()
_BASE = r"[^\W_]"  # a letter or digit
_PIECE = rf"{_BASE}(?:{_BASE}|[{_MARKS}])*"
_JOINERS = "'’\\-"
_WORD = re.compile(rf"{_PIECE}(?:[{_JOINERS}]{_PIECE})*")
# A word starts at a letter or digit that does not continue a word: not after a letter, digit or
# mark, and not after an apostrophe or hyphen that itself follows one.
_WORD_START = re.compile(
    rf"(?<!{_BASE})(?<![{_MARKS}])(?<!{_BASE}[{_JOINERS}])(?<![{_MARKS}][{_JOINERS}]){_BASE}"
)
_IS_MARK = re.compile(rf"[{_MARKS}]")
_LETTERS_ONLY = re.compile(rf"{_BASE}+")
WORD_WINDOW = 4096
"""Characters of a word matched with the full word pattern at a time (see word_at)."""


def _joins_previous(text: str, index: int) -> bool:
    """Whether ``text[index]`` belongs to the same user-perceived character as the one before."""
    if index <= 0 or index >= len(text):
        return False
    ch = text[index]
    return ch == _ZWJ or text[index - 1] == _ZWJ or _IS_MARK.match(ch) is not None


def cluster_start(text: str, pos: int) -> int:
    """The offset where the user-perceived character containing ``pos`` begins."""
    pos = max(0, min(pos, len(text)))
    while pos > 0 and _joins_previous(text, pos):
        pos -= 1
    return pos


def cluster_end(text: str, pos: int) -> int:
    """The offset just after the user-perceived character containing ``pos`` (<= len(text))."""
    if pos >= len(text):
        return len(text)
    pos = max(pos, 0) + 1
    while pos < len(text) and _joins_previous(text, pos):
        pos += 1
    return pos


def next_char(text: str, pos: int) -> int:
    """The start of the next character, or ``pos`` when it is on the last one."""
    end = cluster_end(text, pos)
    return end if end < len(text) else cluster_start(text, min(pos, max(len(text) - 1, 0)))


def prev_char(text: str, pos: int) -> int:
    """The start of the previous character, or 0 at the start of the text."""
    if pos <= 0:
        return 0
    return cluster_start(text, min(pos, len(text)) - 1)


def _last_word_start_before(text: str, pos: int) -> int | None:
    """The start of the last word that begins strictly before ``pos``."""
    pos = _before_letter_run(text, pos)
    window = 256
    while True:
        lo = max(0, pos - window)
        last: int | None = None
        for match in _WORD_START.finditer(text, lo, pos):
            last = match.start()
        if last is not None or lo == 0:
            return last
        window *= 4


def _before_letter_run(text: str, pos: int) -> int:
    """``pos``, or where to look from instead when a long run of letters and digits ends
    there: no word starts inside such a run (only at its first character), so the search can
    skip it with a plain character-class test, a window at a time, instead of trying the
    lookbehinds at every one of fifty million letters."""
    hi = pos
    while hi - WORD_WINDOW > 0 and _LETTERS_ONLY.fullmatch(text, hi - WORD_WINDOW, hi):
        hi -= WORD_WINDOW
    return hi + 1 if hi < pos else pos


def next_word(text: str, pos: int) -> int:
    """vim ``w``: the start of the next word after ``pos``, or ``pos`` when there is none."""
    match = _WORD_START.search(text, pos + 1)
    return match.start() if match else pos


def prev_word(text: str, pos: int) -> int:
    """vim ``b``: the start of the word before ``pos`` (or of the word ``pos`` is inside)."""
    start = _last_word_start_before(text, pos)
    return pos if start is None else start


def word_at(text: str, pos: int) -> tuple[int, int] | None:
    """The word ``(start, end)`` under ``pos``, or None when ``pos`` is not on a word."""
    if not 0 <= pos < len(text):
        return None
    start = _last_word_start_before(text, pos + 1)
    if start is None:
        return None
    end = _word_match_end(text, start)
    if end <= pos:
        return None
    return start, end


def _word_match_end(text: str, start: int) -> int:
    """Where the word starting at ``start`` ends (``_WORD.match(text, start).end()``).

    The word pattern is matched a window at a time; where a window ends inside the word, a
    run of plain letters and digits is skipped with a fast character-class scan before the
    pattern goes on. A token of fifty million letters then costs a fraction of a second
    instead of twenty.
    """
    pos = start
    while True:
        limit = min(len(text), pos + WORD_WINDOW)
        match = _WORD.match(text, pos, limit)
        if match is None:  # cannot happen at a word start; be safe
            return pos
        end = match.end()
        # Inside the window the match is the word's end unless the window cut it: at the
        # window's end, or one before it on an apostrophe or hyphen whose next piece was cut.
        cut = end == limit or (end == limit - 1 and text[end] in _JOINERS)
        if not cut or limit == len(text):
            return end
        # The window ended inside the word: restart from its last letter or digit (a piece
        # of a word may start at any of them), past the run of letters that follows it.
        back = end - 1
        while back > pos and not _LETTERS_ONLY.fullmatch(text, back, back + 1):
            back -= 1
        run = _LETTERS_ONLY.match(text, back)
        after = back if run is None else max(back, run.end() - 1)
        if after <= pos:  # a window of marks after one letter: match the whole word
            whole = _WORD.match(text, start)
            return start if whole is None else whole.end()
        pos = after


def word_end(text: str, pos: int) -> int:
    """vim ``e``: the last character of the word under ``pos`` or, if ``pos`` is already on
    it (or between words), of the next word; ``pos`` when there is none."""
    word = word_at(text, pos)
    if word is not None and cluster_start(text, word[1] - 1) > pos:
        return cluster_start(text, word[1] - 1)
    match = _WORD_START.search(text, pos + 1)
    if match is None:
        return pos
    return cluster_start(text, _word_match_end(text, match.start()) - 1)


def _word_end_after(text: str, pos: int) -> int | None:
    """The smallest word end strictly greater than ``pos``."""
    word = word_at(text, pos)
    if word is not None:
        return word[1]
    match = _WORD_START.search(text, pos + 1)
    if match is None:
        return None
    return _word_match_end(text, match.start())


def _word_end_before(text: str, pos: int) -> int | None:
    """The largest word end strictly smaller than ``pos``."""
    inside = word_at(text, pos - 1) if pos > 0 else None
    limit = inside[0] if inside is not None else pos
    start = _last_word_start_before(text, limit)
    if start is None:
        return None
    return _word_match_end(text, start)


def segment_index_at(segments: Sequence[tuple[int, int]], pos: int) -> int | None:
    """The index of the segment containing ``pos`` (segments sorted, non-overlapping)."""
    index = bisect_right(segments, pos, key=itemgetter(0)) - 1
    if index >= 0 and pos < segments[index][1]:
        return index
    return None


def next_segment(segments: Sequence[tuple[int, int]], pos: int) -> int:
    """The start of the first segment that begins after ``pos``, or ``pos`` when none does."""
    index = bisect_right(segments, pos, key=itemgetter(0))
    return segments[index][0] if index < len(segments) else pos


def prev_segment(segments: Sequence[tuple[int, int]], pos: int) -> int:
    """The start of the last segment that begins before ``pos`` (vim ``(``): the start of the
    current sentence from inside it, the previous sentence from its start; ``pos`` if none."""
    index = bisect_right(segments, pos - 1, key=itemgetter(0)) - 1
    return segments[index][0] if index >= 0 else pos


def find_next(
    text: str,
    query: str,
    pos: int,
    *,
    backwards: bool = False,
    case_sensitive: bool = False,
) -> tuple[int, int] | None:
    """The next occurrence of ``query`` after ``pos`` (before it when ``backwards``),
    wrapping around the end of the text; None when it does not occur at all.

    Case-insensitive search matches character by character (no case folding that would change
    lengths), so the returned offsets always index ``text``.
    """
    if not query or len(query) > len(text):
        return None
    flags = 0 if case_sensitive else re.IGNORECASE
    pattern = re.compile(rf"(?=({re.escape(query)}))", flags)
    if not backwards:
        match = pattern.search(text, pos + 1) or pattern.search(text, 0)
        return match.span(1) if match else None
    before = _last_match(pattern, text, len(query), 0, pos)
    if before is None:
        before = _last_match(pattern, text, len(query), pos, len(text))
    return before


def match_starts(text: str, query: str, *, case_sensitive: bool = False) -> list[int]:
    """Where every occurrence of ``query`` starts (overlapping ones included), in order: the
    matches :func:`find_next` steps through, for "match 3 of 7"."""
    if not query or len(query) > len(text):
        return []
    flags = 0 if case_sensitive else re.IGNORECASE
    pattern = re.compile(rf"(?=({re.escape(query)}))", flags)
    return [match.start() for match in pattern.finditer(text)]


def _last_match(
    pattern: re.Pattern[str], text: str, size: int, lo: int, hi: int
) -> tuple[int, int] | None:
    """The last match (of length ``size``) of ``pattern`` starting in ``[lo, hi)``, searched
    in growing windows from ``hi`` down."""
    window = 4096
    top = hi
    while top > lo:
        bottom = max(lo, top - window)
        last: tuple[int, int] | None = None
        # Matches may run past ``top`` but must start before it.
        for match in pattern.finditer(text, bottom, min(len(text), top + size - 1)):
            last = match.span(1)
        if last is not None:
            return last
        top = bottom
        window *= 4
    return None


def extend_boundary(
    text: str,
    start: int,
    end: int,
    edge: Literal["start", "end"],
    unit: Literal["char", "word"],
    direction: Literal[-1, 1],
) -> tuple[int, int]:
    """Move one edge of the span ``[start, end)`` by a character or a word.

    Moving the start left or the end right grows the span; the other directions shrink it.
    Word steps land on word boundaries: a start edge on word starts, an end edge on word ends.
    The span never becomes empty and never leaves the text: a step that would do either
    returns the span unchanged.
    """
    new_start, new_end = start, end
    if edge == "start":
        candidate: int | None
        if unit == "char":
            candidate = prev_char(text, start) if direction < 0 else cluster_end(text, start)
            if direction < 0 and start == 0:
                candidate = None
        elif direction < 0:
            candidate = _last_word_start_before(text, start)
        else:
            match = _WORD_START.search(text, start + 1)
            candidate = match.start() if match else None
        if candidate is not None:
            new_start = candidate
    else:
        if unit == "char":
            if direction > 0:
                candidate = cluster_end(text, end) if end < len(text) else None
            else:
                candidate = cluster_start(text, end - 1) if end > 0 else None
        elif direction > 0:
            candidate = _word_end_after(text, end)
        else:
            candidate = _word_end_before(text, end)
        if candidate is not None:
            new_end = candidate
    if not 0 <= new_start < new_end <= len(text):
        return start, end
    return new_start, new_end
