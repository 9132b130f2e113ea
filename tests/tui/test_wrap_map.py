"""The wrap map of the article view: rows cut at word boundaries, offsets <-> cells."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len, split_graphemes

from annotator.tui.widgets.wrap import WrapMap, display_text

PIECES = st.sampled_from(
    [
        "a",
        "word",
        " ",
        "  ",
        "\n",
        "日本",
        "é",
        "e\u0301",
        "a\u0301\u0302",
        "👩\u200d🔬",
        "❤\ufe0f",
        "👍🏽",
        "\ufffd",
        "[/]",
        "-",
        "x" * 30,
    ]
)


def grapheme_starts(wrap: WrapMap) -> list[int]:
    starts = []
    for row in range(wrap.row_count):
        start, end = wrap.row_span(row)
        spans, _ = split_graphemes(wrap.text[start:end])
        starts.extend(start + g_start for g_start, _g_end, _cells in spans)
        if end < len(wrap.text):
            starts.append(end)  # the newline
    return starts


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=40).map("".join), st.integers(min_value=1, max_value=25))
def test_wrap_map_round_trips_offsets_and_cells(text: str, width: int) -> None:
    wrap = WrapMap(text, width)
    starts = wrap.row_starts  # wraps all of it
    assert starts[0] == 0
    assert starts == sorted(set(starts))
    rebuilt = "".join(
        text[wrap.row_starts[row] : wrap.row_starts[row + 1]]
        if row + 1 < wrap.row_count
        else text[wrap.row_starts[row] :]
        for row in range(wrap.row_count)
    )
    assert rebuilt == text
    for row in range(wrap.row_count):
        row_text = wrap.row_text(row)
        assert "\n" not in row_text
        # a row's text fits, but for one hanging space or one character wider than a row
        fits = cell_len(row_text) <= width
        hangs = row_text.endswith(" ") and cell_len(row_text[:-1]) <= width
        alone = len(split_graphemes(row_text.rstrip())[0]) == 1
        assert fits or hangs or alone
    for offset in grapheme_starts(wrap):
        row, column = wrap.offset_to_position(offset)
        assert wrap.position_to_offset(row, column) == offset
        assert wrap.row_starts[row] <= offset


@settings(max_examples=200, deadline=None)
@given(st.lists(PIECES, max_size=40).map("".join), st.integers(min_value=1, max_value=25))
def test_wrap_map_cuts_as_the_grapheme_measure_does(text: str, width: int) -> None:
    """The fast paths (plain rows, per-character shifts) agree with measuring graphemes."""
    wrap = WrapMap(text, width).finish()
    for row in range(wrap.row_count - 1):
        start = wrap.row_starts[row]
        following = wrap.row_starts[row + 1]
        if text[following - 1] == "\n":
            continue
        spans, _ = split_graphemes(text[start:following])
        boundaries = {start + g_start for g_start, _e, _c in spans}
        assert following - start in {g_end for _s, g_end, _c in spans}
        assert start in boundaries


def test_wrap_map_of_wide_text_at_width_one() -> None:
    wrap = WrapMap("日本語", 1).finish()
    assert [wrap.row_text(row) for row in range(wrap.row_count)] == ["日", "本", "語"]
    assert wrap.offset_to_position(2) == (2, 0)
    assert wrap.position_to_offset(1, 1) == 1


def test_wrap_map_keeps_combining_marks_with_their_letter_at_a_hard_break() -> None:
    text = "abcde\u0301fgh"
    wrap = WrapMap(text, 5)
    assert wrap.row_text(0) == "abcde\u0301"
    assert wrap.offset_to_position(5) == (0, 4)


def test_display_text_replaces_controls_one_for_one() -> None:
    raw = "a\x1b[31mb\tc\x00\x9b\nd"
    shown = display_text(raw)
    assert len(shown) == len(raw)
    assert shown == "a\ufffd[31mb c\ufffd\ufffd\nd"
    assert display_text("plain\ntext") == "plain\ntext"


def test_narrow_characters_are_one_cell_as_rich_measures_them() -> None:
    from annotator.tui.widgets.wrap import _NARROW

    for low, high in [
        (0x20, 0x7E),
        (0xA0, 0xAC),
        (0xAE, 0x2FF),
        (0x370, 0x482),
        (0x2010, 0x2027),
        (0x2030, 0x205E),
        (0x20A0, 0x20C0),
    ]:
        assert chr(low) in _NARROW and chr(high) in _NARROW
        for code in range(low, high + 1):
            assert cell_len(chr(code)) == 1, hex(code)


def test_ten_thousand_rows_of_plain_text_wrap_like_the_measured_path() -> None:
    text = " ".join(f"w{n % 97}" * (n % 5 + 1) for n in range(20000))
    plain = WrapMap(text, 37)
    # the same text with one wide character at the very end takes the per-row path
    mixed = WrapMap(text + "日", 37)
    assert mixed.row_starts[: len(plain.row_starts) - 1] == plain.row_starts[:-1]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(PIECES, max_size=60).map("".join),
    st.integers(min_value=1, max_value=25),
    st.lists(st.integers(min_value=0, max_value=80), max_size=6),
)
def test_lazy_wrapping_answers_as_the_finished_map(
    text: str, width: int, probes: list[int]
) -> None:
    """Queries on a partly wrapped map give what the fully wrapped map gives."""
    whole = WrapMap(text, width).finish()
    lazy = WrapMap(text, width)
    for probe in probes:
        offset = min(probe, len(text))
        assert lazy.row_of(offset) == whole.row_of(offset)
        assert lazy.offset_to_position(offset) == whole.offset_to_position(offset)
        row = min(probe, whole.row_count - 1)
        assert lazy.row_span(row) == whole.row_span(row)
        assert lazy.has_row(probe) == whole.has_row(probe)
    while not lazy.advance(7):
        pass
    assert lazy.complete
    assert lazy.row_starts == whole.row_starts


def test_a_long_text_is_wrapped_in_slices() -> None:
    text = "\n".join("word " * 40 for _ in range(2000))
    wrap = WrapMap(text, 50)
    assert not wrap.complete
    wrap.row_of(1000)
    assert 0 < wrap.row_count < 100
    assert not wrap.advance(10_000)
    steps = 1
    while not wrap.advance(10_000):
        steps += 1
    assert steps > 10
    assert wrap.row_count == 2000 * 4
