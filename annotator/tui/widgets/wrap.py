"""The wrap map: where an article's visual rows start at a given width, and how code-point
offsets map to (row, column) cells and back.

Rows break after a space when a word would cross the right edge, inside a word only when the
word alone is wider than a row, and always at ``\\n``. A row holds at most ``width`` cells of
text plus, when it ends in the space it broke at, that one space in the column just past
``width``; the widget keeps that column free for it and for a cursor standing on a newline.

The map is one sorted list of row starts, so a lookup is one ``bisect``. It is built lazily,
paragraph by paragraph from the top: a query about an offset or a row wraps just far enough to
answer it, and :meth:`WrapMap.advance` wraps the rest in slices the widget runs between frames,
so a 10 MB article paints its first screen without waiting for its last. Building does not visit
characters in Python where it can avoid it: rows of one-cell characters (ASCII and most
European, Greek and Cyrillic text, found with a regular-expression scan) are cut with
``str.rfind``; a row holding wide characters, emoji or combining marks is fitted by counting how
far each of those moves the columns (``rich.cells``), or grapheme by grapheme around emoji
sequences.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from rich.cells import cell_len, get_character_cell_size, split_graphemes

__all__ = ["CONTROL", "WrapMap", "display_text"]

# Characters that always take exactly one cell (rich agrees, tested). Anything else sends its
# paragraph down the measured path.
_NARROW = "\x20-\x7e\xa0-\xac\xae-\u02ff\u0370-\u0482\u2010-\u2027\u2030-\u205e\u20a0-\u20c0"
_NOT_NARROW = re.compile(f"[^{_NARROW}\n]")
CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def display_text(text: str) -> str:
    """``text`` with a tab shown as a space and every other control character but ``\\n`` as
    U+FFFD, one for one.

    Canonical text has none already; this keeps an escape sequence in text that did not come
    through the importer from ever reaching the terminal, without moving any offset.
    """
    if CONTROL.search(text) is None:
        return text
    return CONTROL.sub("\ufffd", text.replace("\t", " "))


class WrapMap:
    """Visual rows of ``text`` (as from :func:`display_text`) wrapped to ``width`` cells."""

    __slots__ = ("_frontier", "_starts", "text", "width")

    def __init__(self, text: str, width: int) -> None:
        self.text = text
        self.width = max(1, width)
        self._starts: list[int] = []
        # Where the next paragraph to wrap begins; -1 once the whole text is wrapped.
        self._frontier = 0

    # -- building ------------------------------------------------------------------------

    @property
    def complete(self) -> bool:
        """Whether every row is known."""
        return self._frontier < 0

    def advance(self, characters: int) -> bool:
        """Wrap about ``characters`` more characters of text; True once all is wrapped."""
        if self._frontier >= 0:
            self._wrap_until(offset=self._frontier + characters)
        return self._frontier < 0

    def finish(self) -> WrapMap:
        """Wrap the whole text (for callers that need every row at once)."""
        if self._frontier >= 0:
            self._wrap_until(offset=len(self.text) + 1)
        return self

    def _ensure_offset(self, offset: int) -> None:
        frontier = self._frontier
        if frontier >= 0 and offset >= frontier:
            self._wrap_until(offset=offset + 1)

    def _ensure_rows(self, rows: int) -> None:
        if self._frontier >= 0 and len(self._starts) < rows:
            self._wrap_until(rows=rows)

    def _wrap_until(self, *, offset: int | None = None, rows: int | None = None) -> None:
        """Wrap whole paragraphs until one starting at or after ``offset`` (or the ``rows``-th
        row) is reached, or the text ends."""
        text, width = self.text, self.width
        starts = self._starts
        append = starts.append
        rfind = text.rfind
        search = _NOT_NARROW.search
        length = len(text)
        start = self._frontier
        while start >= 0:
            if offset is not None and start >= offset:
                break
            if rows is not None and len(starts) >= rows:
                break
            newline = text.find("\n", start)
            end = length if newline < 0 else newline
            if search(text, start, end) is not None:
                self._wrap_mixed(start, end)
            else:
                row = start
                append(row)
                while end - row > width:
                    limit = row + width
                    if text[limit] == " ":
                        row = limit + 1  # the space hangs in the spare column
                    else:
                        space = rfind(" ", row, limit)
                        row = space + 1 if space >= row else limit
                    if row >= end:
                        break
                    append(row)
            start = -1 if newline < 0 else newline + 1
        self._frontier = start

    def _wrap_mixed(self, start: int, end: int) -> None:
        """Wrap a paragraph that holds some characters wider or narrower than one cell.

        Rows without such characters are cut as in the all-narrow case; a row with some is
        fitted by counting how far each of them moves the columns, so the cost grows with the
        number of those characters, not with the length of the paragraph.
        """
        text, width = self.text, self.width
        append = self._starts.append
        search = _NOT_NARROW.search
        row = start
        append(row)
        while True:
            limit = row + width
            if limit >= end:
                if search(text, row, end) is None:
                    return
                following = self._fit_row(row, end)
            elif search(text, row, limit + 1) is None:
                if text[limit] == " ":
                    following = limit + 1  # the space hangs in the spare column
                else:
                    space = text.rfind(" ", row, limit)
                    following = space + 1 if space >= row else limit
            else:
                following = self._fit_row(row, end)
            if following >= end:
                return
            append(following)
            row = following

    def _fit_row(self, row: int, end: int) -> int:
        """Where the row starting at ``row`` ends (the next row's start), measuring cells."""
        text, width = self.text, self.width
        window = min(end, row + 2 * width + 2)
        if "\u200d" in text[row:window] or "\ufe0f" in text[row:window]:
            return self._fit_row_graphemes(row, end)
        # Without joiners and variation selectors a character's cells do not depend on its
        # neighbours (rich measures it the same way), so columns shift by (cells - 1) at each
        # character that is not one cell wide.
        shift = 0
        stop = min(row + width, end)
        for match in _NOT_NARROW.finditer(text, row, window):
            index = match.start()
            if index >= stop:
                break
            cells = get_character_cell_size(text[index])
            if index - row + shift + cells > width and index > row:
                stop = index
                break
            shift += cells - 1
            stop = max(index + 1, min(row + width - shift, end))
        else:
            if stop > window and window < end:
                return self._fit_row_graphemes(row, end)  # a run of zero-width marks
        while stop < end and get_character_cell_size(text[stop]) == 0:
            stop += 1  # never part a character from the marks that follow it
        if stop >= end:
            return end
        if text[stop] == " ":
            return stop + 1
        space = text.rfind(" ", row, stop)
        return space + 1 if space >= row else stop

    def _fit_row_graphemes(self, row: int, end: int) -> int:
        """``_fit_row`` for text with emoji sequences: measured grapheme by grapheme."""
        text, width = self.text, self.width
        window = min(end, row + 4 * width + 8)
        while True:
            spans, _ = split_graphemes(text[row:window])
            used = 0
            stop: int | None = None
            for g_start, _g_end, cells in spans:
                if used + cells > width and g_start > 0:
                    stop = row + g_start
                    break
                used += cells
            if stop is not None:
                break
            if window >= end:
                return end
            window = min(end, row + 2 * (window - row))
        if text[stop] == " ":
            return stop + 1
        space = text.rfind(" ", row, stop)
        return space + 1 if space >= row else stop

    # -- queries -------------------------------------------------------------------------

    @property
    def row_starts(self) -> list[int]:
        """Every row's start offset (wraps the whole text first)."""
        return self.finish()._starts

    @property
    def row_count(self) -> int:
        """The number of rows wrapped so far: all of them once :attr:`complete`."""
        return len(self._starts)

    def row_of(self, offset: int) -> int:
        """The visual row holding ``offset`` (clamped to the text)."""
        self._ensure_offset(offset)
        return max(0, bisect_right(self._starts, offset) - 1)

    def has_row(self, row: int) -> bool:
        """Whether ``row`` exists (wrapping as far as needed to tell)."""
        self._ensure_rows(row + 1)
        return 0 <= row < len(self._starts)

    def row_start(self, row: int) -> int:
        """Where ``row`` starts; rows past the end start at the end of the text."""
        self._ensure_rows(row + 1)
        starts = self._starts
        return starts[row] if row < len(starts) else len(self.text)

    def row_span(self, row: int) -> tuple[int, int]:
        """``(start, end)`` of a row's characters, without its ending ``\\n``."""
        self._ensure_rows(row + 2)
        starts = self._starts
        start = starts[row]
        if row + 1 < len(starts):
            end = starts[row + 1]
            if self.text[end - 1] == "\n":
                end -= 1
            return start, end
        return start, len(self.text)

    def row_text(self, row: int) -> str:
        start, end = self.row_span(row)
        return self.text[start:end]

    def row_end_offset(self, row: int) -> int:
        """The last offset the cursor may take on ``row``: its newline, else its last character."""
        start, end = self.row_span(row)
        if end < len(self.text) and self.text[end] == "\n":
            return end
        return max(start, end - 1)

    def _is_narrow(self, start: int, end: int) -> bool:
        return _NOT_NARROW.search(self.text, start, end) is None

    def offset_to_position(self, offset: int) -> tuple[int, int]:
        """``(row, column)`` of the cell where the character at ``offset`` is drawn.

        An offset inside a grapheme (a combining mark, the tail of an emoji sequence) maps to
        the grapheme's cell; the row end (a newline, the end of the text) to the cell after it.
        """
        offset = max(0, min(offset, len(self.text)))
        row = self.row_of(offset)
        start, end = self.row_span(row)
        if offset >= end:
            return row, cell_len(self.text[start:end])
        if self._is_narrow(start, offset + 1):
            return row, offset - start
        spans, _ = split_graphemes(self.text[start:end])
        column = 0
        for _g_start, g_end, cells in spans:
            if start + g_end > offset:
                break
            column += cells
        return row, column

    def position_to_offset(self, row: int, column: int) -> int:
        """The offset of the character drawn at ``(row, column)``: the one covering that cell,
        or the row's last offset when the column lies past its text."""
        self._ensure_rows(row + 2)
        row = max(0, min(row, len(self._starts) - 1))
        start, end = self.row_span(row)
        column = max(0, column)
        if self._is_narrow(start, end):
            if start + column < end:
                return start + column
            return self.row_end_offset(row)
        spans, _ = split_graphemes(self.text[start:end])
        used = 0
        for g_start, _g_end, cells in spans:
            if used + cells > column:
                return start + g_start
            used += cells
        return self.row_end_offset(row)

    def grapheme_bounds(self, offset: int) -> tuple[int, int]:
        """``(start, end)`` of the grapheme containing ``offset`` as the terminal draws it."""
        row = self.row_of(offset)
        start, end = self.row_span(row)
        if offset >= end:
            return offset, offset + 1
        if self._is_narrow(offset, offset + 2):
            return offset, offset + 1
        spans, _ = split_graphemes(self.text[start:end])
        for g_start, g_end, _cells in spans:
            if start + g_end > offset:
                return start + g_start, start + g_end
        return offset, offset + 1
