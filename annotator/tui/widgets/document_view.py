"""The article view: wrapped, read-only text with a character cursor, a selection, coloured
spans and a gutter of statement marks.

A Line-API widget (``ScrollView`` + ``render_line``), so the cost of a frame depends on the
height of the terminal, not on the length of the article: the text is wrapped once per width
into a :class:`~annotator.tui.widgets.wrap.WrapMap` and each visible row is drawn on demand
from ``rich`` ``Segment``\\ s. Rendered rows are kept in an LRU cache keyed on everything that
changes a row's look (its spans, its gutter mark, whether it holds the cursor, the selection or
the current sentence, the theme), so moving the cursor redraws the rows the cursor left and
entered and nothing else.

Document text is never parsed as markup: it only ever travels as the text of a ``Segment``.

The cursor sits on a character (a code-point offset). A selection runs from an anchor character
to the cursor character, both included; while selecting (``v`` or shift with an arrow), forward
motions stop at the end of a word or sentence and backward motions at its start, so ``v w w``
selects two whole words.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import pairwise
from operator import attrgetter, itemgetter, sub
from typing import ClassVar, Literal

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from annotator.core import navigation as nav
from annotator.tui import bindings
from annotator.tui.widgets.palette import SLOTS
from annotator.tui.widgets.wrap import WrapMap, display_text

__all__ = ["DocumentView", "GutterMark", "SpanMark"]

GUTTER_WIDTH = 3
"""Cells left of the text: a two-cell statement mark and a space."""

_WRAP_SLICE = 400_000
"""Characters wrapped per step of the background wrap (a few milliseconds each)."""

_WRAP_PAUSE = 0.005
"""Seconds between background wrap steps, so keys and frames go first."""


@dataclass(frozen=True, slots=True)
class SpanMark:
    """A span to colour: ``[start, end)`` in code points, its label and its colour slot.

    A ``suggested`` span (a machine's suggestion, not yet decided) is outlined rather than
    filled: its text in the label's colour, underlined, wherever no span of the reviewer's
    own covers it.
    """

    id: int
    start: int
    end: int
    label: str
    color: int
    suggested: bool = False


@dataclass(frozen=True, slots=True)
class GutterMark:
    """The statement label of a sentence, shown as ``symbol`` in the gutter (dim and italic
    when ``suggested``)."""

    symbol: str
    color: int
    label: str
    suggested: bool = False


_span_fields = attrgetter("id", "start", "end", "label", "color", "suggested")
_by_start = attrgetter("start")
_by_end = attrgetter("end")

_LONG_SPAN = 4096
"""Spans longer than this are kept apart so that the sorted index stays a narrow window."""


class _SpanIndex:
    """Spans sorted by start: those over a row are a ``bisect`` window away.

    Building it is a sort and a few ``map``\\ s (C speed), so a screen may hand over every span
    again after each change. A span can only reach a row if it starts at most ``reach``
    characters before it, ``reach`` being the longest span length; the rare very long span (a
    whole quotation) is kept in a short list of its own so that ``reach`` stays small.
    """

    def __init__(self, spans: Sequence[SpanMark] = ()) -> None:
        ordered = sorted(spans, key=_by_start)
        starts = list(map(_by_start, ordered))
        ends = list(map(_by_end, ordered))
        reach = max(map(sub, ends, starts), default=0)
        self.long: list[SpanMark] = []
        if reach > _LONG_SPAN:
            self.long = [s for s in ordered if s.end - s.start > _LONG_SPAN]
            ordered = [s for s in ordered if s.end - s.start <= _LONG_SPAN]
            starts = list(map(_by_start, ordered))
            reach = _LONG_SPAN
        self.ordered = ordered
        self.starts = starts
        self.reach = reach

    def overlapping(self, start: int, end: int) -> list[SpanMark]:
        """Spans meeting ``[start, end)``, ordered by start then id (empty spans never)."""
        if end <= start:
            return []
        low = bisect_left(self.starts, start - self.reach)
        high = bisect_left(self.starts, end)
        found = [s for s in self.ordered[low:high] if s.end > start and s.end > s.start]
        if self.long:
            found += [s for s in self.long if s.start < end and s.end > start]
        found.sort(key=_span_order)
        return found


def _span_order(span: SpanMark) -> tuple[int, int]:
    return span.start, span.id


def _slot_css() -> str:
    rules = []
    for slot, colour in enumerate(SLOTS):
        rules.append(
            f"        & > .document-view--label-{slot} "
            f"{{ background: {colour}; color: auto 90%; }}\n"
            f"        & > .document-view--mark-{slot} {{ color: {colour}; text-style: bold; }}"
        )
    return "\n".join(rules)


class DocumentView(ScrollView, can_focus=True):
    """Shows one article for annotation; see the module docstring for the model."""

    ALLOW_SELECT = False  # the widget selects by itself; the screen's text selection would fight it

    BINDINGS: ClassVar[list[BindingType]] = list(bindings.DOCUMENT_VIEW)

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "document-view--cursor",
        "document-view--selection",
        "document-view--sentence",
        "document-view--gutter",
        *(f"document-view--label-{slot}" for slot in range(len(SLOTS))),
        *(f"document-view--mark-{slot}" for slot in range(len(SLOTS))),
    }

    DEFAULT_CSS = (
        """
    DocumentView {
        background: $surface;
        color: $foreground;
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-gutter: stable;
        & > .document-view--cursor { text-style: reverse; }
        & > .document-view--selection { background: $accent 55%; color: $text; }
        /* The theme's primary colour, so the sentence band shows on dark and light themes
           alike and survives a 256-colour terminal (a grey tint there rounds to the page). */
        & > .document-view--sentence { background: $primary 30%; }
        & > .document-view--gutter { color: $foreground 50%; }
"""
        + _slot_css()
        + """
    }
    """
    )

    cursor: reactive[int] = reactive(0, repaint=False, init=False)
    """The offset of the character under the cursor."""

    selecting: reactive[bool] = reactive(False, repaint=False, init=False)
    """Whether motions extend the selection (``v`` mode)."""

    class CursorMoved(Message):
        """The cursor moved; ``segment_index`` is the sentence it is in, if any."""

        def __init__(self, view: DocumentView, cursor: int, segment_index: int | None) -> None:
            super().__init__()
            self.view = view
            self.cursor = cursor
            self.segment_index = segment_index

        @property
        def control(self) -> DocumentView:
            return self.view

    class SelectionChanged(Message):
        """The selection changed: ``(start, end)`` half-open, or None when cleared."""

        def __init__(self, view: DocumentView, selection: tuple[int, int] | None) -> None:
            super().__init__()
            self.view = view
            self.selection = selection

        @property
        def control(self) -> DocumentView:
            return self.view

    class SpanClicked(Message):
        """A click landed on a span (the innermost one, where spans overlap)."""

        def __init__(self, view: DocumentView, span_id: int, offset: int) -> None:
            super().__init__()
            self.view = view
            self.span_id = span_id
            self.offset = offset

        @property
        def control(self) -> DocumentView:
            return self.view

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._text = ""
        self._display = ""
        self._segments: tuple[tuple[int, int], ...] = ()
        self._seg_starts: list[int] = []
        self._seg_ends: list[int] = []
        self._segment_index: int | None = None
        self._index = _SpanIndex()
        self._gutter: dict[int, GutterMark] = {}
        self._anchor: int | None = None
        self._shown_selection: tuple[int, int] | None = None
        self._wrap: WrapMap | None = None
        self._view_width = 0
        self._doc_version = 0
        self._style_version = 0
        self._styles: dict[tuple[bool, int, bool, bool, bool, int], Style] = {}
        self._gutter_styles: dict[tuple[int, bool], Style] = {}
        self._styles_theme = ""
        self._line_cache: LRUCache[tuple[object, ...], Strip] = LRUCache(maxsize=1024)
        self._drag_origin: int | None = None
        self._dragged = False

    # -- public API ----------------------------------------------------------------------

    @property
    def text(self) -> str:
        """The article's text, as given to :meth:`set_document`."""
        return self._text

    @property
    def segments(self) -> tuple[tuple[int, int], ...]:
        return self._segments

    @property
    def wrap_map(self) -> WrapMap | None:
        """The current wrap map, None before the widget has a size."""
        return self._wrap

    @property
    def selection(self) -> tuple[int, int] | None:
        """The selection, half-open and normalized, or None."""
        anchor = self._anchor
        if anchor is None or not self._text:
            return None
        low, high = min(anchor, self.cursor), max(anchor, self.cursor)
        return low, nav.cluster_end(self._text, high)

    def selection_or_word(self) -> tuple[int, int] | None:
        """What a label applies to: the selection, else the word under the cursor."""
        selection = self.selection
        if selection is not None and selection[0] < selection[1]:
            return selection
        return nav.word_at(self._text, self.cursor) if self._text else None

    @property
    def segment_index(self) -> int | None:
        """The index of the sentence holding the cursor, if any."""
        return self._segment_index

    def set_document(self, text: str, segments: Sequence[tuple[int, int]]) -> None:
        """Show ``text`` (canonical) with its sentence ``segments``; clears marks and cursor."""
        self._text = text
        self._display = display_text(text)
        self._segments = tuple(segments)
        self._seg_starts = list(map(itemgetter(0), self._segments))
        self._seg_ends = list(map(itemgetter(1), self._segments))
        self._index = _SpanIndex()
        self._gutter = {}
        self._anchor = None
        self._shown_selection = None
        self._doc_version += 1
        self._line_cache.clear()
        self.set_reactive(DocumentView.selecting, False)
        self.set_reactive(DocumentView.cursor, 0)
        self._segment_index = nav.segment_index_at(self._segments, 0)
        self._wrap = None
        if self.is_attached:  # before mounting, the first resize (or paint) wraps the text
            self._rewrap()
            self.scroll_to(0, 0, animate=False)
            self.refresh()
        self.post_message(self.CursorMoved(self, 0, self._segment_index))

    def set_marks(self, spans: Sequence[SpanMark], gutter: Mapping[int, GutterMark]) -> None:
        """Colour ``spans`` and show ``gutter`` (statement marks keyed by segment index).

        Only the rows whose marks changed are redrawn.
        """
        old_index = self._index
        index = self._index = _SpanIndex(spans)
        low, high = self._visible_offsets()
        # Rows off screen are not redrawn now (their cache keys hold their marks), so only
        # the spans and sentences on screen need comparing.
        before = set(map(_span_fields, old_index.overlapping(low, high)))
        after = set(map(_span_fields, index.overlapping(low, high)))
        touched = [(fields[1], fields[2]) for fields in before ^ after]
        old_gutter = self._gutter
        new_gutter = dict(gutter)
        self._gutter = new_gutter
        first = bisect_left(self._seg_starts, low)
        last = bisect_left(self._seg_starts, high)
        for seg in range(first, last):
            was, now = old_gutter.get(seg), new_gutter.get(seg)
            if was is not now and was != now:
                start = self._segments[seg][0]
                touched.append((start, start + 1))
        for start, end in touched:
            self._refresh_range(start, end)

    def move_cursor(self, pos: int, *, extend: bool = False) -> None:
        """Put the cursor on ``pos`` and scroll it into view.

        With ``extend`` (or while selecting) the selection grows from its anchor to ``pos``;
        otherwise the selection is cleared.
        """
        if extend or self.selecting:
            if self._anchor is None:
                self._anchor = self.cursor
        else:
            self._anchor = None
        self.cursor = pos
        self._scroll_to_cursor()
        self._sync_selection()

    def select(self, start: int, end: int) -> None:
        """Select ``[start, end)``, with the cursor on its last character."""
        start = max(0, min(start, len(self._text)))
        end = max(0, min(end, len(self._text)))
        if end <= start:
            self.clear_selection()
            return
        self._anchor = nav.cluster_start(self._text, start)
        self.cursor = nav.cluster_start(self._text, end - 1)
        self._scroll_to_cursor()
        self._sync_selection()

    def clear_selection(self) -> None:
        """Clear the selection and leave selection mode."""
        self._anchor = None
        self.selecting = False
        self._sync_selection()

    # -- reactive plumbing ---------------------------------------------------------------

    def validate_cursor(self, cursor: int) -> int:
        text = self._text
        if not text:
            return 0
        return nav.cluster_start(text, max(0, min(cursor, len(text) - 1)))

    def watch_cursor(self, old: int, new: int) -> None:
        self._refresh_range(old, old + 1)
        self._refresh_range(new, new + 1)
        segment = nav.segment_index_at(self._segments, new)
        if segment != self._segment_index:
            for index in (self._segment_index, segment):
                if index is not None:
                    self._refresh_range(*self._segments[index])
            self._segment_index = segment
        self._sync_selection()
        self.post_message(self.CursorMoved(self, new, segment))

    def watch_selecting(self, selecting: bool) -> None:
        self.set_class(selecting, "-selecting")
        if selecting:
            if self._anchor is None:
                self._anchor = self.cursor
        else:
            self._anchor = None
        self._sync_selection()

    def _sync_selection(self) -> None:
        """Redraw the rows whose selection changed and announce the new selection."""
        new = self.selection
        old = self._shown_selection
        if new == old:
            return
        self._shown_selection = new
        if old is None and new is not None:
            self._refresh_range(*new)
        elif new is None and old is not None:
            self._refresh_range(*old)
        elif old is not None and new is not None:
            self._refresh_range(min(old[0], new[0]), max(old[0], new[0]) + 1)
            self._refresh_range(min(old[1], new[1]) - 1, max(old[1], new[1]))
        self.post_message(self.SelectionChanged(self, new))

    def _visible_offsets(self) -> tuple[int, int]:
        """The offsets shown on screen, ``[low, high)``; empty before the first layout."""
        wrap = self._wrap
        if wrap is None:
            return 0, 0
        top = max(0, round(self.scroll_offset.y))
        bottom = top + self.scrollable_content_region.height
        low = wrap.row_start(top)
        high = wrap.row_start(bottom) if wrap.has_row(bottom) else len(self._text) + 1
        return low, high

    def _refresh_range(self, start: int, end: int) -> None:
        """Redraw the visible rows showing offsets ``[start, end)``."""
        wrap = self._wrap
        if wrap is None:
            return
        low, high = self._visible_offsets()
        if end <= low or start >= high:
            return  # off screen: nothing to redraw (and nothing more to wrap for it)
        start, end = max(start, low), min(end, high)
        top = self.scroll_offset.y
        height = self.scrollable_content_region.height
        first = max(wrap.row_of(start), top)
        last = min(wrap.row_of(max(start, end - 1)), top + height - 1)
        if last >= first:
            self.refresh_lines(first, last - first + 1)

    # -- layout ---------------------------------------------------------------------------

    def _rewrap(self) -> None:
        """Wrap the text to the current width (first screen now) and size the scroll area."""
        if self._make_wrap() is not None:
            self._sync_virtual_size()

    def _make_wrap(self) -> WrapMap | None:
        """A new wrap map for the current width, with the first screen and the cursor's row
        wrapped; the rest follows between frames. None while the view has no width."""
        width = self.scrollable_content_region.width
        if width <= 0:
            return None
        self._view_width = width
        wrap = WrapMap(self._display, max(1, width - GUTTER_WIDTH - 1))
        self._wrap = wrap
        self._line_cache.clear()
        wrap.advance(_WRAP_SLICE)
        wrap.row_of(self.cursor)
        wrap.has_row(round(self.scroll_offset.y) + 2 * self.scrollable_content_region.height)
        if not wrap.complete:
            self.set_timer(_WRAP_PAUSE, partial(self._wrap_more, wrap))
        return wrap

    def _wrap_more(self, wrap: WrapMap) -> None:
        """Wrap the next slice of the text in the background, until all of it is wrapped."""
        if wrap is not self._wrap:
            return  # a newer text or width replaced it
        wrap.advance(_WRAP_SLICE)
        self._sync_virtual_size()
        if not wrap.complete:
            self.set_timer(_WRAP_PAUSE, partial(self._wrap_more, wrap))

    def _sync_virtual_size(self) -> None:
        """Make the scrollable height the number of rows wrapped so far."""
        wrap = self._wrap
        if wrap is None:
            return
        size = Size(self._view_width, wrap.row_count)
        if size != self.virtual_size:
            # The view's own size does not depend on its text, so no layout is needed: set
            # the scrollable size quietly and re-measure the scrollbars (as a resize would).
            # Assigning virtual_size would re-lay out the screen on every background step.
            self.set_reactive(DocumentView.virtual_size, size)
            self._scroll_update(size)

    def on_resize(self, event: events.Resize) -> None:
        width = self.scrollable_content_region.width
        if self._wrap is None or width != self._view_width:
            self._rewrap()
            self._scroll_to_cursor(center=True)
            self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._style_version += 1
        self._styles.clear()
        self._gutter_styles.clear()
        self._line_cache.clear()

    def on_focus(self) -> None:
        self._refresh_range(self.cursor, self.cursor + 1)

    def on_blur(self) -> None:
        self._refresh_range(self.cursor, self.cursor + 1)

    def _scroll_to_cursor(self, *, center: bool = False) -> None:
        wrap = self._wrap
        if wrap is None:
            return
        row = wrap.row_of(self.cursor)
        height = self.scrollable_content_region.height
        if height <= 0:
            return
        wrap.has_row(row + height)  # enough rows below to scroll the cursor into view
        self._sync_virtual_size()
        top = round(self.scroll_offset.y)
        margin = min(2, (height - 1) // 2)
        if center and not top <= row < top + height:
            self.scroll_to(y=max(0, row - height // 2), animate=False)
        elif row < top + margin:
            self.scroll_to(y=max(0, row - margin), animate=False)
        elif row > top + height - 1 - margin:
            self.scroll_to(y=row - height + 1 + margin, animate=False)

    # -- rendering ------------------------------------------------------------------------

    def _check_theme(self) -> None:
        """Drop cached styles when the theme changed (styles come from its variables)."""
        theme = self.app.theme
        if theme != self._styles_theme:
            self._styles_theme = theme
            self._styles.clear()
            self._gutter_styles.clear()

    def _style(
        self,
        sentence: bool,
        slot: int,
        overlap: bool,
        selected: bool,
        cursor: bool,
        hint: int = -1,
    ) -> Style:
        key = (sentence, slot, overlap, selected, cursor, hint)
        style = self._styles.get(key)
        if style is None:
            style = self.rich_style
            get = self.get_component_rich_style
            if sentence:
                style += Style(bgcolor=get("document-view--sentence").bgcolor)
            if slot >= 0:
                label = get(f"document-view--label-{slot % len(SLOTS)}")
                style += Style(bgcolor=label.bgcolor, color=label.color)
            elif hint >= 0:  # a suggestion: outlined in its label's colour
                label = get(f"document-view--label-{hint % len(SLOTS)}")
                style += Style(color=label.bgcolor, underline=True)
            if overlap:
                style += Style(bold=True, underline=True)
            if selected:
                chosen = get("document-view--selection")
                style += Style(bgcolor=chosen.bgcolor, color=chosen.color)
            if cursor:
                style += get("document-view--cursor", partial=True)
            self._styles[key] = style
        return style

    def _gutter_style(self, slot: int, suggested: bool = False) -> Style:
        style = self._gutter_styles.get((slot, suggested))
        if style is None:
            name = (
                "document-view--gutter" if slot < 0 else f"document-view--mark-{slot % len(SLOTS)}"
            )
            style = self.rich_style + self.get_component_rich_style(name, partial=True)
            if suggested:
                style += Style(bold=False, dim=True, italic=True)
            self._gutter_styles[(slot, suggested)] = style
        return style

    def render_line(self, y: int) -> Strip:
        row = y + self.scroll_offset.y
        wrap = self._wrap
        if wrap is None:
            # Painted before the first resize reached the view: wrap now, size the scroll
            # area once this frame is done.
            wrap = self._make_wrap()
            if wrap is not None:
                self.call_later(self._sync_virtual_size)
        width = self._view_width
        if wrap is None or not wrap.has_row(row):
            return Strip.blank(width or self.size.width, self.rich_style)
        return self.render_row(row)

    def render_row(self, row: int) -> Strip:
        """The strip of visual ``row`` (cached); also used by tests and the benchmark."""
        wrap = self._wrap
        assert wrap is not None
        start, end = wrap.row_span(row)
        text = self._display
        has_newline = end < len(text)
        stop = end + 1 if has_newline else end  # the newline is drawn as one blank cell
        spans = self._index.overlapping(start, stop)
        gutter = self._gutter_mark(row, start)
        sentence = self._clip(self._current_sentence(), start, stop)
        selection = self._clip(self._shown_selection, start, stop)
        cursor: tuple[int, int] | None = None
        if self.has_focus and self._text and start <= self.cursor < stop:
            cursor = wrap.grapheme_bounds(self.cursor)
        key = (
            row,
            self._view_width,
            self._doc_version,
            self._style_version,
            self.app.theme,
            tuple(map(_span_fields, spans)),
            gutter,
            sentence,
            selection,
            cursor,
        )
        strip = self._line_cache.get(key)
        if strip is None:
            self._check_theme()
            strip = self._build_row(start, end, stop, spans, gutter, sentence, selection, cursor)
            self._line_cache[key] = strip
        return strip

    @staticmethod
    def _clip(span: tuple[int, int] | None, start: int, stop: int) -> tuple[int, int] | None:
        if span is None or span[1] <= start or span[0] >= stop:
            return None
        return max(span[0], start), min(span[1], stop)

    def _current_sentence(self) -> tuple[int, int] | None:
        index = self._segment_index
        return None if index is None else self._segments[index]

    def _gutter_mark(self, row: int, start: int) -> GutterMark | None:
        """The mark of the first marked sentence starting on ``row``."""
        if not self._gutter or self._wrap is None:
            return None
        wrap = self._wrap
        next_row = wrap.row_start(row + 1) if wrap.has_row(row + 1) else len(self._text) + 1
        starts = self._seg_starts
        index = bisect_left(starts, start)
        while index < len(starts) and starts[index] < next_row:
            mark = self._gutter.get(index)
            if mark is not None:
                return mark
            index += 1
        return None

    def _build_row(
        self,
        start: int,
        end: int,
        stop: int,
        spans: list[SpanMark],
        gutter: GutterMark | None,
        sentence: tuple[int, int] | None,
        selection: tuple[int, int] | None,
        cursor: tuple[int, int] | None,
    ) -> Strip:
        cuts = {start, stop}
        for span in spans:
            cuts.add(span.start)
            cuts.add(span.end)
        for pair in (sentence, selection, cursor):
            if pair is not None:
                cuts.update(pair)
        points = sorted(cut for cut in cuts if start <= cut <= stop)
        text = self._display
        segments: list[Segment] = []
        if gutter is None:
            segments.append(Segment(" " * GUTTER_WIDTH, self._gutter_style(-1)))
        else:
            symbol = display_text(gutter.symbol.replace("\n", " "))
            cells = cell_len(symbol)
            if cells > GUTTER_WIDTH - 1:
                symbol, cells = "•", 1
            segments.append(Segment(symbol, self._gutter_style(gutter.color, gutter.suggested)))
            segments.append(Segment(" " * (GUTTER_WIDTH - cells), self._gutter_style(-1)))
        style_for = self._style
        suggested = any(s.suggested for s in spans)
        for low, high in pairwise(points):
            if high <= low:
                continue
            covering = [s for s in spans if s.start <= low < s.end]
            hint = -1
            if suggested and covering:
                hints = [s for s in covering if s.suggested]
                if hints:
                    covering = [s for s in covering if not s.suggested]
                    hint = min(hints, key=lambda s: (s.end - s.start, -s.start, s.id)).color
            if not covering:
                slot, overlap = -1, False
            elif len(covering) == 1:
                slot, overlap = covering[0].color, False
            else:
                inner = min(covering, key=lambda s: (s.end - s.start, -s.start, s.id))
                slot, overlap = inner.color, True
            style = style_for(
                sentence is not None and sentence[0] <= low < sentence[1],
                slot,
                overlap,
                selection is not None and selection[0] <= low < selection[1],
                cursor is not None and cursor[0] <= low < cursor[1],
                hint,
            )
            piece = text[low : min(high, end)]
            if high > end:
                piece += " "  # the newline's cell
            segments.append(Segment(piece, style))
        strip = Strip(segments)
        return strip.adjust_cell_length(self._view_width, self.rich_style)

    # -- motions --------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_selection":
            # Let escape reach the screen when there is nothing to clear.
            return self._anchor is not None or self.selecting
        return True

    def _last_offset(self) -> int:
        return nav.cluster_start(self._text, len(self._text) - 1) if self._text else 0

    def action_char(self, direction: int) -> None:
        if self.selecting:
            self._extend("char", direction)
            return
        text = self._text
        step = nav.next_char if direction > 0 else nav.prev_char
        self.move_cursor(step(text, self.cursor))

    def action_word(self, direction: int) -> None:
        if self.selecting:
            self._extend("word", direction)
            return
        step = nav.next_word if direction > 0 else nav.prev_word
        self.move_cursor(step(self._text, self.cursor))

    def action_word_end(self) -> None:
        if self.selecting:
            self._extend("word", 1)
            return
        self.move_cursor(nav.word_end(self._text, self.cursor))

    def action_sentence(self, direction: int) -> None:
        if self.selecting:
            self._extend("sentence", direction)
            return
        step = nav.next_segment if direction > 0 else nav.prev_segment
        self.move_cursor(step(self._segments, self.cursor))

    def action_document_start(self) -> None:
        self.move_cursor(0)

    def action_document_end(self) -> None:
        self.move_cursor(self._last_offset())

    def action_page(self, direction: int) -> None:
        wrap = self._wrap
        if wrap is None:
            return
        height = max(1, self.scrollable_content_region.height)
        row, column = wrap.offset_to_position(self.cursor)
        target = max(0, row + direction * height)
        if not wrap.has_row(target):
            target = wrap.row_count - 1
        wrap.has_row(target + height)
        self._sync_virtual_size()
        self.scroll_to(y=max(0, self.scroll_offset.y + direction * height), animate=False)
        self.move_cursor(wrap.position_to_offset(target, column))

    def action_extend(self, unit: Literal["char", "word", "sentence"], direction: int) -> None:
        self._extend(unit, direction)

    def action_toggle_selecting(self) -> None:
        if self.selecting:
            self.clear_selection()
        else:
            self.selecting = True

    def action_clear_selection(self) -> None:
        self.clear_selection()

    def _extend(self, unit: Literal["char", "word", "sentence"], direction: int) -> None:
        """Move the moving end of the selection by one unit (see the module docstring)."""
        text = self._text
        if not text:
            return
        if self._anchor is None:
            # A selection starts as the character under the cursor; a character step stops
            # there, a word or sentence step goes on to the end (or start) of its unit.
            self._anchor = self.cursor
            self._sync_selection()
            if unit == "char":
                return
        anchor, head = self._anchor, self.cursor
        step_dir: Literal[-1, 1] = 1 if direction > 0 else -1
        anchor_end = nav.cluster_end(text, anchor)
        if head > anchor or (head == anchor and step_dir > 0):
            low, high = anchor, nav.cluster_end(text, head)
            new_low, new_high = self._step(low, high, "end", unit, step_dir)
            if (new_low, new_high) != (low, high):
                self.move_cursor(nav.cluster_start(text, new_high - 1), extend=True)
                return
            if step_dir > 0:
                return
            # The end cannot move back past the anchor: continue from the anchor's start.
            new_low, _ = self._step(anchor, anchor_end, "start", unit, step_dir)
            self.move_cursor(new_low, extend=True)
            return
        low, high = head, anchor_end
        new_low, new_high = self._step(low, high, "start", unit, step_dir)
        if (new_low, new_high) != (low, high):
            self.move_cursor(new_low, extend=True)
            return
        if step_dir < 0:
            return
        _, new_high = self._step(anchor, anchor_end, "end", unit, step_dir)
        self.move_cursor(nav.cluster_start(text, new_high - 1), extend=True)

    def _step(
        self,
        start: int,
        end: int,
        edge: Literal["start", "end"],
        unit: Literal["char", "word", "sentence"],
        direction: Literal[-1, 1],
    ) -> tuple[int, int]:
        if unit != "sentence":
            return nav.extend_boundary(self._text, start, end, edge, unit, direction)
        starts, ends = self._seg_starts, self._seg_ends
        if edge == "end":
            if direction > 0:
                index = bisect_right(ends, end)
                candidate = ends[index] if index < len(ends) else None
            else:
                index = bisect_left(ends, end) - 1
                candidate = ends[index] if index >= 0 else None
            if candidate is None or candidate <= start:
                return start, end
            return start, candidate
        if direction < 0:
            index = bisect_left(starts, start) - 1
            candidate = starts[index] if index >= 0 else None
        else:
            index = bisect_right(starts, start)
            candidate = starts[index] if index < len(starts) else None
        if candidate is None or candidate >= end:
            return start, end
        return candidate, end

    # -- mouse ----------------------------------------------------------------------------

    def _offset_at(self, event: events.MouseEvent) -> int | None:
        wrap = self._wrap
        if wrap is None or not self._text:
            return None
        column = event.x - self.gutter.left - GUTTER_WIDTH
        row = event.y - self.gutter.top + round(self.scroll_offset.y)
        if not wrap.has_row(row):
            row = wrap.row_count - 1
        row = max(0, row)
        offset = wrap.position_to_offset(row, max(0, column))
        return self.validate_cursor(offset)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        offset = self._offset_at(event)
        if offset is None or event.button not in (0, 1):
            return
        self.focus()
        self.selecting = False
        self._anchor = None
        self._drag_origin = offset
        self._dragged = False
        self.move_cursor(offset)
        self.capture_mouse()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        origin = self._drag_origin
        if origin is None:
            return
        offset = self._offset_at(event)
        if offset is None or (offset == origin and not self._dragged):
            return
        self._dragged = True
        self._anchor = origin
        self.move_cursor(offset, extend=True)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        origin = self._drag_origin
        if origin is None:
            return
        self._drag_origin = None
        self.release_mouse()
        if self._dragged:
            return
        spans = [s for s in self.spans_at(origin) if not s.suggested]  # the reviewer's own
        if spans:
            inner = min(spans, key=lambda s: (s.end - s.start, -s.start, s.id))
            self.post_message(self.SpanClicked(self, inner.id, origin))

    def on_click(self, event: events.Click) -> None:
        """A double click selects the word under the pointer, a triple click its sentence."""
        if event.chain < 2 or not self._text:
            return
        offset = self.cursor
        if event.chain == 2:
            found = nav.word_at(self._text, offset)
        else:
            index = nav.segment_index_at(self._segments, offset)
            found = self._segments[index] if index is not None else None
        if found is not None:
            self.select(*found)

    def spans_at(self, offset: int) -> list[SpanMark]:
        """The spans covering ``offset``, ordered by start."""
        return self._index.overlapping(offset, offset + 1)

    def spans_between(self, start: int, end: int) -> Iterable[SpanMark]:
        """The spans meeting ``[start, end)``, ordered by start."""
        return self._index.overlapping(start, end)
