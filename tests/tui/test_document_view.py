"""The article view on its own, in a tiny host app: motions, selection, mouse, rendering."""

from __future__ import annotations

from typing import ClassVar

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.color import Color, ColorSystem
from rich.segment import Segment
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.pilot import Pilot

from annotator.tui.widgets.document_view import (
    GUTTER_WIDTH,
    DocumentView,
    GutterMark,
    SpanMark,
)
from annotator.tui.widgets.palette import SLOTS

TEXT = (
    "The regime slammed its critics. Officials say the plan soared.\n"
    "\n"
    "A second paragraph follows here."
)
SEGMENTS = [(0, 31), (32, 62), (64, 96)]
SIZE = (60, 12)


class Host(App[None]):
    """A screen holding one DocumentView; records the view's messages."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "screen_escape", "Back")]

    def __init__(self, text: str = TEXT, segments: list[tuple[int, int]] | None = None) -> None:
        super().__init__()
        self.text = text
        self.segments = SEGMENTS if segments is None else segments
        self.messages: list[Message] = []
        self.escapes = 0

    def compose(self) -> ComposeResult:
        yield DocumentView(id="doc")

    def on_mount(self) -> None:
        view = self.query_one(DocumentView)
        view.set_document(self.text, self.segments)
        view.focus()

    def action_screen_escape(self) -> None:
        self.escapes += 1

    def on_document_view_cursor_moved(self, message: DocumentView.CursorMoved) -> None:
        self.messages.append(message)

    def on_document_view_selection_changed(self, message: DocumentView.SelectionChanged) -> None:
        self.messages.append(message)

    def on_document_view_span_clicked(self, message: DocumentView.SpanClicked) -> None:
        self.messages.append(message)


def view_of(pilot: Pilot[None]) -> DocumentView:
    return pilot.app.query_one(DocumentView)


def row_texts(view: DocumentView) -> list[str]:
    wrap = view.wrap_map
    assert wrap is not None
    return [view.render_row(row).text for row in range(wrap.row_count)]


def cells(view: DocumentView, offset: int) -> list[Segment]:
    """The rendered segments covering the character at ``offset``."""
    wrap = view.wrap_map
    assert wrap is not None
    row, column = wrap.offset_to_position(offset)
    found = []
    x = 0
    for segment in view.render_row(row):
        width = segment.cell_length
        if x <= GUTTER_WIDTH + column < x + width:
            found.append(segment)
        x += width
    return found


@pytest.mark.asyncio
async def test_word_motions() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(pilot)
        assert view.cursor == 0
        await pilot.press("w")
        assert view.cursor == TEXT.index("regime")
        await pilot.press("w", "w")
        assert view.cursor == TEXT.index("its")
        await pilot.press("b")
        assert view.cursor == TEXT.index("slammed")
        await pilot.press("e")
        assert view.cursor == TEXT.index("slammed") + len("slammed") - 1


@pytest.mark.asyncio
async def test_character_motions() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(pilot)
        await pilot.press("l", "l", "right")
        assert view.cursor == 3
        await pilot.press("h", "left")
        assert view.cursor == 1
        await pilot.press("h", "h", "h")
        assert view.cursor == 0


@pytest.mark.asyncio
async def test_sentence_and_document_motions() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(pilot)
        await pilot.press("j")
        assert view.cursor == 32
        assert view.segment_index == 1
        await pilot.press("down")
        assert view.cursor == 64
        await pilot.press("j")
        assert view.cursor == 64  # no further sentence
        await pilot.press("w", "k")
        assert view.cursor == 64  # start of this sentence first
        await pilot.press("up")
        assert view.cursor == 32
        await pilot.press("G")
        assert view.cursor == len(TEXT) - 1
        await pilot.press("g")
        assert view.cursor == 0


@pytest.mark.asyncio
async def test_cursor_moved_messages_carry_the_sentence() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        app.messages.clear()
        await pilot.press("j")
        await pilot.pause()
        moved = [m for m in app.messages if isinstance(m, DocumentView.CursorMoved)]
        assert (moved[-1].cursor, moved[-1].segment_index) == (32, 1)
        assert moved[-1].control is view_of(pilot)


@pytest.mark.asyncio
async def test_v_then_motions_select_whole_words() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(pilot)
        await pilot.press("w", "v")
        assert view.selecting
        assert view.selection == (4, 5)
        await pilot.press("w")
        assert view.selection == (4, 10)  # "regime"
        await pilot.press("w")
        assert TEXT[slice(*view.selection)] == "regime slammed"
        await pilot.press("b")
        assert TEXT[slice(*view.selection)] == "regime"
        await pilot.press("l")
        assert TEXT[slice(*view.selection)] == "regime "
        await pilot.press("escape")
        assert view.selection is None
        assert not view.selecting
        assert app.escapes == 0  # the view used the key


@pytest.mark.asyncio
async def test_selection_can_grow_backwards_past_its_anchor() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(pilot)
        await pilot.press("w", "w", "v", "b")
        assert TEXT[slice(*view.selection)] == "regime s"
        await pilot.press("w")
        assert TEXT[slice(*view.selection)] == "s"
        await pilot.press("v")
        assert view.selection is None


@pytest.mark.asyncio
async def test_v_then_sentence_motion_selects_to_the_sentence_end() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(pilot)
        await pilot.press("v", "j")
        assert view.selection == SEGMENTS[0]
        await pilot.press("j")
        assert view.selection == (0, SEGMENTS[1][1])


@pytest.mark.asyncio
async def test_shift_arrows_select_and_a_plain_motion_clears() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(pilot)
        app.messages.clear()
        await pilot.press("shift+right")
        assert view.selection == (0, 1)
        await pilot.press("shift+right", "shift+right")
        assert view.selection == (0, 3)
        await pilot.press("shift+down")
        assert view.selection == SEGMENTS[0]
        await pilot.press("shift+left")
        assert view.selection == (0, SEGMENTS[0][1] - 1)
        await pilot.pause()
        changes = [m for m in app.messages if isinstance(m, DocumentView.SelectionChanged)]
        assert changes[-1].selection == (0, SEGMENTS[0][1] - 1)
        await pilot.press("l")
        assert view.selection is None


@pytest.mark.asyncio
async def test_escape_without_a_selection_reaches_the_screen() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("escape")
        assert app.escapes == 1


@pytest.mark.asyncio
async def test_select_and_clear_selection_api() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(pilot)
        view.select(11, 18)
        assert view.selection == (11, 18)
        assert view.cursor == 17
        view.clear_selection()
        assert view.selection is None
        view.select(5, 5)
        assert view.selection is None
        view.move_cursor(20, extend=True)
        assert view.selection == (17, 21)


@pytest.mark.asyncio
async def test_click_places_the_cursor_and_reports_the_span() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(pilot)
        view.set_marks([SpanMark(7, 11, 18, "emotive", 1), SpanMark(8, 4, 31, "quote", 2)], {})
        column = TEXT.index("slammed") + 2
        await pilot.click(DocumentView, offset=(GUTTER_WIDTH + column, 0))
        await pilot.pause()
        assert view.cursor == column
        clicked = [m for m in app.messages if isinstance(m, DocumentView.SpanClicked)]
        assert [(m.span_id, m.offset) for m in clicked] == [(7, column)]  # the innermost
        app.messages.clear()
        await pilot.click(DocumentView, offset=(GUTTER_WIDTH + 1, 0))
        await pilot.pause()
        assert view.cursor == 1
        assert not [m for m in app.messages if isinstance(m, DocumentView.SpanClicked)]


@pytest.mark.asyncio
async def test_drag_selects() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(pilot)
        start = TEXT.index("regime")
        await pilot.mouse_down(DocumentView, offset=(GUTTER_WIDTH + start, 0))
        await pilot.hover(DocumentView, offset=(GUTTER_WIDTH + start + 3, 0))
        await pilot.hover(DocumentView, offset=(GUTTER_WIDTH + start + 5, 0))
        await pilot.mouse_up(DocumentView, offset=(GUTTER_WIDTH + start + 5, 0))
        await pilot.pause()
        assert view.selection == (start, start + 6)
        assert TEXT[slice(*view.selection)] == "regime"


@pytest.mark.asyncio
async def test_drag_backwards_and_onto_the_next_row() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(pilot)
        wrap = view.wrap_map
        assert wrap is not None
        origin = TEXT.index("plan")
        row, column = wrap.offset_to_position(origin)
        await pilot.mouse_down(DocumentView, offset=(GUTTER_WIDTH + column, row))
        await pilot.hover(DocumentView, offset=(GUTTER_WIDTH, 0))
        await pilot.mouse_up(DocumentView, offset=(GUTTER_WIDTH, 0))
        assert view.selection == (0, origin + 1)


@pytest.mark.asyncio
async def test_hostile_text_shows_literally() -> None:
    hostile = "Say [bold]hi[/] and [@click=app.quit]quit[/] now \x1b[31mred\x1b[0m \ufffd [/]"
    app = Host(hostile, [(0, len(hostile))])
    async with app.run_test(size=(100, 8)) as pilot:
        view = view_of(pilot)
        shown = "".join(row_texts(view))
        assert "[bold]hi[/]" in shown
        assert "[@click=app.quit]quit[/]" in shown
        assert "\x1b" not in shown
        assert "\ufffd[31mred\ufffd[0m" in shown
        assert shown.count("\ufffd") == 3
        column = hostile.index("quit]") + 1
        await pilot.click(DocumentView, offset=(GUTTER_WIDTH + column, 0))
        await pilot.pause()
        assert app.is_running
        assert view.cursor == column


@pytest.mark.asyncio
async def test_blank_lines_render_blank_and_newlines_end_rows() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(pilot)
        view.blur()
        await pilot.pause()
        rows = row_texts(view)
        paragraph = TEXT.split("\n")
        assert rows[-2].strip() == ""
        assert rows[-1].strip() == paragraph[-1]
        assert all(len(row) == view.scrollable_content_region.width for row in rows)


@pytest.mark.asyncio
async def test_rows_wrap_at_word_boundaries() -> None:
    text = " ".join(["annotation"] * 30)
    app = Host(text, [(0, len(text))])
    async with app.run_test(size=(40, 12)) as pilot:
        view = view_of(pilot)
        rows = [row[GUTTER_WIDTH:].rstrip() for row in row_texts(view)]
        assert len(rows) > 1
        assert all(set(row.split()) == {"annotation"} for row in rows)
        assert " ".join(rows) == text


@pytest.mark.asyncio
async def test_marks_colour_spans_and_overlaps_and_the_gutter() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(pilot)
        view.set_marks(
            [SpanMark(1, 4, 10, "labeling", 0), SpanMark(2, 4, 18, "emotive", 3)],
            {1: GutterMark("E", 2, "editorial")},
        )
        view.move_cursor(40)
        await pilot.pause()
        (only,) = cells(view, 12)  # inside "slammed": the emotive span alone
        assert only.style is not None and only.style.bgcolor is not None
        assert only.style.bgcolor.triplet is not None
        assert only.style.bgcolor.triplet.hex == SLOTS[3]
        assert not only.style.bold
        (both,) = cells(view, 5)  # "regime": both spans, innermost colour, bold underline
        assert both.style is not None and both.style.bold and both.style.underline
        assert both.style.bgcolor is not None and both.style.bgcolor.triplet is not None
        assert both.style.bgcolor.triplet.hex == SLOTS[0]
        (plain,) = cells(view, 1)
        assert plain.style is not None and not plain.style.underline
        assert plain.style.bgcolor != only.style.bgcolor
        rows = row_texts(view)
        wrap = view.wrap_map
        assert wrap is not None
        mark_row = wrap.row_of(SEGMENTS[1][0])
        assert rows[mark_row].startswith("E")
        assert all(not row.startswith("E") for i, row in enumerate(rows) if i != mark_row)


@pytest.mark.asyncio
async def test_cursor_cell_is_reversed_only_when_focused() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(pilot)
        await pilot.press("w")
        (cell,) = cells(view, view.cursor)
        assert cell.style is not None and cell.style.reverse
        view.blur()
        await pilot.pause()
        (cell,) = cells(view, view.cursor)
        assert cell.style is None or not cell.style.reverse


@pytest.mark.asyncio
async def test_a_cursor_move_redraws_only_the_rows_it_touches() -> None:
    text = "\n".join(f"Line {n} has a few words in it." for n in range(8))
    segments = []
    start = 0
    for line in text.split("\n"):
        segments.append((start, start + len(line)))
        start += len(line) + 1
    app = Host(text, segments)
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(pilot)
        wrap = view.wrap_map
        assert wrap is not None
        before = [view.render_row(row) for row in range(wrap.row_count)]
        await pilot.press("w")  # same row, same sentence
        after = [view.render_row(row) for row in range(wrap.row_count)]
        assert after[0] is not before[0]
        assert all(after[row] is before[row] for row in range(1, wrap.row_count))
        await pilot.press("j")  # to the next line and sentence
        again = [view.render_row(row) for row in range(wrap.row_count)]
        assert again[0] is not after[0] and again[1] is not after[1]
        assert all(again[row] is after[row] for row in range(2, wrap.row_count))
        view.set_marks([SpanMark(1, segments[5][0], segments[5][0] + 4, "x", 0)], {})
        marked = [view.render_row(row) for row in range(wrap.row_count)]
        assert marked[5] is not again[5]
        assert all(marked[row] is again[row] for row in range(wrap.row_count) if row != 5)


@pytest.mark.asyncio
async def test_page_down_moves_a_screen_and_keeps_the_cursor_visible() -> None:
    text = "\n".join(f"Row number {n}." for n in range(100))
    app = Host(text, [])
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(pilot)
        height = view.scrollable_content_region.height
        await pilot.press("pagedown")
        wrap = view.wrap_map
        assert wrap is not None
        row = wrap.row_of(view.cursor)
        assert row == height
        assert view.scroll_offset.y <= row < view.scroll_offset.y + height
        await pilot.press("G")
        await pilot.pause()
        row = wrap.row_of(view.cursor)
        assert view.scroll_offset.y <= row < view.scroll_offset.y + height
        await pilot.press("pageup")
        assert wrap.row_of(view.cursor) == row - height


@pytest.mark.asyncio
async def test_resize_rewraps_and_keeps_the_cursor() -> None:
    text = " ".join(["word"] * 200)
    app = Host(text, [(0, len(text))])
    async with app.run_test(size=(80, 20)) as pilot:
        view = view_of(pilot)
        view.move_cursor(500)
        wide = view.wrap_map
        assert wide is not None
        await pilot.resize_terminal(40, 20)
        await pilot.pause()
        narrow = view.wrap_map
        assert narrow is not None and narrow.row_count > wide.row_count
        assert view.cursor == 500
        row = narrow.row_of(500)
        assert view.scroll_offset.y <= row < view.scroll_offset.y + 20


@pytest.mark.asyncio
async def test_empty_document() -> None:
    app = Host("", [])
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(pilot)
        await pilot.press("w", "j", "G", "l", "v", "shift+right")
        assert view.cursor == 0
        assert view.selection is None
        assert row_texts(view)[0].strip() == ""


@pytest.mark.asyncio
async def test_a_long_article_wraps_in_the_background() -> None:
    line = "Officials say the plan soared, critics said. " * 3
    text = "\n".join(f"{n} {line}" for n in range(12_000))  # about 1.6 million characters
    app = Host(text, [])
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(pilot)
        wrap = view.wrap_map
        assert wrap is not None
        assert not wrap.complete  # the first screen did not wait for the rest
        for _ in range(300):
            if wrap.complete:
                break
            await pilot.pause(0.01)
        assert wrap.complete
        await pilot.pause()
        assert view.virtual_size.height == wrap.row_count == 3 * 12_000


@pytest.mark.asyncio
async def test_g_reaches_the_end_before_the_background_wrap_does() -> None:
    line = "Officials say the plan soared, critics said. " * 3
    text = "\n".join(f"{n} {line}" for n in range(12_000))
    app = Host(text, [])
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(pilot)
        await pilot.press("G")
        assert view.cursor == len(text) - 1
        wrap = view.wrap_map
        assert wrap is not None
        row = wrap.row_of(view.cursor)
        height = view.scrollable_content_region.height
        assert view.scroll_offset.y <= row < view.scroll_offset.y + height
        assert view.render_row(row).text.rstrip().endswith("said.")


SPAN_LISTS = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=12_000),
        st.integers(min_value=0, max_value=9_000),
        st.integers(min_value=0, max_value=7),
    ),
    max_size=40,
)


@given(SPAN_LISTS, st.integers(min_value=0, max_value=12_000), st.integers(1, 300))
def test_span_lookup_matches_a_linear_scan(
    raw: list[tuple[int, int, int]], start: int, length: int
) -> None:
    """Short spans, empty spans and spans longer than the index's window alike."""
    view = DocumentView()
    spans = [
        SpanMark(n, s, s + (size if n % 3 else size % 40), "x", color)
        for n, (s, size, color) in enumerate(raw)
    ]
    view.set_marks(spans, {})
    end = start + length
    expected = sorted(
        (s for s in spans if s.start < end and s.end > start and s.end > s.start),
        key=lambda s: (s.start, s.id),
    )
    assert list(view.spans_between(start, end)) == expected
    assert view.spans_at(start) == [s for s in expected if s.start <= start]


@pytest.mark.asyncio
async def test_a_theme_change_restyles_the_rows() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(pilot)
        view.set_marks([SpanMark(1, 4, 10, "labeling", 0)], {})
        app.theme = "textual-dark"
        await pilot.pause()
        (dark,) = cells(view, 1)
        app.theme = "textual-light"
        await pilot.pause()
        (light,) = cells(view, 1)
        assert dark.style is not None and light.style is not None
        assert dark.style.bgcolor != light.style.bgcolor
        (span,) = cells(view, 5)
        assert span.style is not None and span.style.bgcolor is not None
        assert span.style.bgcolor.triplet is not None
        assert span.style.bgcolor.triplet.hex == SLOTS[0]


class EarlyHost(App[None]):
    """Loads the text into the view before the view is mounted."""

    def compose(self) -> ComposeResult:
        view = DocumentView()
        view.set_document(TEXT, SEGMENTS)
        view.move_cursor(TEXT.index("critics"))
        yield view


@pytest.mark.asyncio
async def test_a_document_set_before_mounting_shows_once_mounted() -> None:
    app = EarlyHost()
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(pilot)
        assert view.cursor == TEXT.index("critics")
        assert row_texts(view)[0][GUTTER_WIDTH:].startswith("The regime slammed")


@pytest.mark.asyncio
async def test_double_click_selects_a_word_and_triple_click_a_sentence() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(pilot)
        column = TEXT.index("critics") + 3
        await pilot.double_click(DocumentView, offset=(GUTTER_WIDTH + column, 0))
        await pilot.pause()
        assert view.selection is not None
        assert TEXT[slice(*view.selection)] == "critics"
        await pilot.triple_click(DocumentView, offset=(GUTTER_WIDTH + column, 0))
        await pilot.pause()
        assert view.selection == SEGMENTS[0]


def _luminance(color: Color) -> float:
    """Relative luminance (WCAG 2), from the colour's sRGB channels."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = color.get_truecolor()
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _contrast(a: Color, b: Color) -> float:
    low, high = sorted((_luminance(a), _luminance(b)))
    return (high + 0.05) / (low + 0.05)


@pytest.mark.asyncio
@pytest.mark.parametrize("theme", ["textual-dark", "textual-light", "nord", "solarized-light"])
async def test_the_current_sentence_stands_out_from_the_page(theme: str) -> None:
    """The sentence under the cursor gets a background that differs visibly from the page,
    in true colour and in the 256 colours of a plain terminal (tmux's default)."""
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        app.theme = theme
        await pilot.pause()
        view = app.query_one(DocumentView)
        page = view.rich_style.bgcolor
        sentence = view.get_component_rich_style("document-view--sentence").bgcolor
        assert page is not None and sentence is not None
        assert _contrast(page, sentence) >= 1.3, (page, sentence)
        eight_bit = ColorSystem.EIGHT_BIT
        assert page.downgrade(eight_bit).number != sentence.downgrade(eight_bit).number
