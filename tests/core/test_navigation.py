"""Cursor motions over canonical text: characters, words, sentences, search and span edges."""

from __future__ import annotations

from typing import Literal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.core.navigation import (
    cluster_end,
    cluster_start,
    extend_boundary,
    find_next,
    next_char,
    next_segment,
    next_word,
    prev_char,
    prev_segment,
    prev_word,
    segment_index_at,
    word_at,
    word_end,
)

TEXT = "The regime's well-known critics slammed it -- \"illegals\", they said. Don't 2024!"
#       0123456789012345678901234567890123456789012345678901234567890123456789012345678


def words_by_w(text: str) -> list[str]:
    """Every word the ``w`` motion visits from offset 0, by its text."""
    found = []
    pos = 0
    while True:
        word = word_at(text, pos)
        if word is not None:
            found.append(text[word[0] : word[1]])
        following = next_word(text, pos)
        if following == pos:
            return found
        pos = following


def test_w_visits_every_word_once_and_skips_punctuation() -> None:
    assert words_by_w(TEXT) == [
        "The",
        "regime's",
        "well-known",
        "critics",
        "slammed",
        "it",
        "illegals",
        "they",
        "said",
        "Don't",
        "2024",
    ]


def test_b_goes_to_the_start_of_this_word_then_the_previous_one() -> None:
    inside = TEXT.index("known")
    assert prev_word(TEXT, inside) == TEXT.index("well-known")
    assert prev_word(TEXT, TEXT.index("well-known")) == TEXT.index("regime's")
    assert prev_word(TEXT, 0) == 0
    assert prev_word(TEXT, len(TEXT) - 1) == TEXT.index("2024")


def test_w_at_the_last_word_stays() -> None:
    last = TEXT.index("2024")
    assert next_word(TEXT, last) == last


def test_word_at_includes_inner_apostrophes_and_hyphens() -> None:
    assert word_at(TEXT, TEXT.index("'s")) == (4, 12)
    assert word_at(TEXT, TEXT.index("-known")) == (13, 23)
    assert word_at(TEXT, TEXT.index("--")) is None
    assert word_at(TEXT, 3) is None  # the space after "The"
    assert word_at("", 0) is None
    assert word_at(TEXT, len(TEXT)) is None


def test_a_leading_apostrophe_or_trailing_hyphen_is_not_part_of_the_word() -> None:
    text = "'quoted' and pre- post"
    assert word_at(text, 1) == (1, 7)
    assert word_at(text, text.index("pre")) == (13, 16)


def test_words_in_other_scripts_keep_their_combining_marks() -> None:
    text = "नमस्ते दुनिया and cafe\u0301 au lait"
    assert word_at(text, 2) == (0, 6)
    assert words_by_w(text) == ["नमस्ते", "दुनिया", "and", "cafe\u0301", "au", "lait"]


def test_word_end_is_vim_e() -> None:
    assert word_end(TEXT, 0) == 2
    assert word_end(TEXT, 2) == 11  # already at the end: the next word's end
    assert word_end(TEXT, 3) == 11
    last = len(TEXT) - 2  # the final "4"
    assert word_end(TEXT, last) == last


def test_characters_step_over_combining_marks_and_emoji_sequences() -> None:
    text = "e\u0301x👩\u200d🔬y"
    assert next_char(text, 0) == 2
    assert next_char(text, 2) == 3
    assert next_char(text, 3) == 6
    assert next_char(text, 6) == 6  # the last character
    assert prev_char(text, 6) == 3
    assert prev_char(text, 3) == 2
    assert prev_char(text, 2) == 0
    assert prev_char(text, 0) == 0
    assert cluster_start(text, 1) == 0
    assert cluster_end(text, 3) == 6
    assert cluster_end(text, len(text)) == len(text)


def test_next_char_on_empty_text_stays_at_zero() -> None:
    assert next_char("", 0) == 0
    assert prev_char("", 0) == 0


SEGMENTS = [(0, 10), (11, 20), (22, 30)]


@pytest.mark.parametrize(
    ("pos", "expected"),
    [(0, 0), (9, 0), (10, None), (11, 1), (21, None), (29, 2), (30, None), (-1, None)],
)
def test_segment_index_at(pos: int, expected: int | None) -> None:
    assert segment_index_at(SEGMENTS, pos) == expected


def test_segment_index_at_without_segments() -> None:
    assert segment_index_at([], 5) is None


def test_next_and_previous_segment() -> None:
    assert next_segment(SEGMENTS, 0) == 11
    assert next_segment(SEGMENTS, 15) == 22
    assert next_segment(SEGMENTS, 25) == 25  # no further sentence
    assert prev_segment(SEGMENTS, 25) == 22  # inside: the start of this sentence
    assert prev_segment(SEGMENTS, 22) == 11  # at its start: the previous one
    assert prev_segment(SEGMENTS, 0) == 0
    assert next_segment([], 3) == 3
    assert prev_segment([], 3) == 3


def test_find_next_wraps_around_and_ignores_case() -> None:
    text = "Critics said. The critics left. CRITICS!"
    first, second, third = 0, text.index("critics"), text.index("CRITICS")
    assert find_next(text, "critics", 0) == (second, second + 7)
    assert find_next(text, "critics", second) == (third, third + 7)
    assert find_next(text, "critics", third) == (first, first + 7)
    assert find_next(text, "critics", 0, case_sensitive=True) == (second, second + 7)
    assert find_next(text, "critics", second, case_sensitive=True) == (second, second + 7)


def test_find_backwards() -> None:
    text = "aXa aXa aXa"
    assert find_next(text, "axa", 5, backwards=True) == (4, 7)
    assert find_next(text, "axa", 4, backwards=True) == (0, 3)
    assert find_next(text, "axa", 0, backwards=True) == (8, 11)


def test_find_treats_the_query_literally() -> None:
    text = "a [bold] b (c) d.*e"
    assert find_next(text, "[bold]", 0) == (2, 8)
    assert find_next(text, ".*", 0) == (16, 18)
    assert find_next(text, "missing", 0) is None
    assert find_next(text, "", 0) is None
    assert find_next("ab", "abc", 0) is None


def test_find_overlapping_occurrences() -> None:
    assert find_next("aaaa", "aa", 0) == (1, 3)
    assert find_next("aaaa", "aa", 3, backwards=True) == (2, 4)


Edge = Literal["start", "end"]
Unit = Literal["char", "word"]


@pytest.mark.parametrize(
    ("span", "edge", "unit", "direction", "expected"),
    [
        ((4, 12), "end", "word", 1, (4, 23)),  # + "well-known"
        ((4, 23), "end", "word", -1, (4, 12)),
        ((4, 12), "end", "word", -1, (4, 12)),  # would be empty
        ((13, 23), "start", "word", -1, (4, 23)),
        ((4, 23), "start", "word", 1, (13, 23)),
        ((13, 23), "start", "word", 1, (13, 23)),  # would be empty
        ((4, 12), "end", "char", 1, (4, 13)),
        ((4, 12), "end", "char", -1, (4, 11)),
        ((4, 12), "start", "char", -1, (3, 12)),
        ((4, 12), "start", "char", 1, (5, 12)),
        ((4, 5), "start", "char", 1, (4, 5)),
        ((0, 3), "start", "char", -1, (0, 3)),  # already at the start of the text
        ((0, 3), "start", "word", -1, (0, 3)),
    ],
)
def test_extend_boundary(
    span: tuple[int, int],
    edge: Edge,
    unit: Unit,
    direction: Literal[-1, 1],
    expected: tuple[int, int],
) -> None:
    assert extend_boundary(TEXT, *span, edge, unit, direction) == expected


def test_extend_boundary_stops_at_the_end_of_the_text() -> None:
    end = len(TEXT)
    assert extend_boundary(TEXT, end - 4, end, "end", "char", 1) == (end - 4, end)
    assert extend_boundary(TEXT, end - 5, end - 1, "end", "word", 1) == (end - 5, end - 1)


def test_extend_boundary_from_mid_word_reaches_the_word_edges() -> None:
    # "gime" inside "regime's": growing by a word reaches the word's own start and end.
    assert extend_boundary(TEXT, 6, 10, "start", "word", -1) == (4, 10)
    assert extend_boundary(TEXT, 6, 10, "end", "word", 1) == (6, 12)


def test_extend_boundary_keeps_combining_marks_with_their_letter() -> None:
    text = "cafe\u0301 noir"
    assert extend_boundary(text, 0, 3, "end", "char", 1) == (0, 5)
    assert extend_boundary(text, 0, 5, "end", "char", -1) == (0, 3)


ALPHABET = st.sampled_from(
    [*"ab '-.\n", "\u0301", "\u200d", "👩", "日", "’", "_", "1", "é", "\ufffd"]
)
TEXTS = st.lists(ALPHABET, max_size=40).map("".join)


@given(TEXTS, st.integers(min_value=0, max_value=45))
def test_char_motions_stay_inside_the_text_and_are_monotonic(text: str, pos: int) -> None:
    pos = cluster_start(text, min(pos, max(len(text) - 1, 0)))
    forward = next_char(text, pos)
    backward = prev_char(text, pos)
    assert 0 <= backward <= pos <= forward <= max(len(text) - 1, 0)
    assert cluster_start(text, forward) == forward


@given(TEXTS, st.integers(min_value=0, max_value=45))
def test_word_motions_land_on_word_starts(text: str, pos: int) -> None:
    forward = next_word(text, pos)
    assert forward == pos or (forward > pos and word_at(text, forward) is not None)
    if forward != pos:
        assert word_at(text, forward)[0] == forward  # type: ignore[index]
    backward = prev_word(text, pos)
    assert backward == pos or (backward < pos and word_at(text, backward) is not None)


@given(
    TEXTS,
    st.integers(min_value=0, max_value=45),
    st.integers(min_value=1, max_value=45),
    st.sampled_from(["start", "end"]),
    st.sampled_from(["char", "word"]),
    st.sampled_from([-1, 1]),
)
def test_extend_boundary_never_empties_or_leaves_the_text(
    text: str, start: int, length: int, edge: Edge, unit: Unit, direction: Literal[-1, 1]
) -> None:
    start = min(start, len(text))
    end = min(start + length, len(text))
    if end <= start:
        return
    new_start, new_end = extend_boundary(text, start, end, edge, unit, direction)
    assert 0 <= new_start < new_end <= len(text)
    moved_start, moved_end = new_start != start, new_end != end
    assert not (moved_start and moved_end)
    assert not moved_start or edge == "start"
    assert not moved_end or edge == "end"


@given(
    st.text(alphabet="aAb ", max_size=30),
    st.text(alphabet="aAb", min_size=1, max_size=3),
    st.integers(min_value=0, max_value=30),
    st.booleans(),
    st.booleans(),
)
def test_find_next_matches_a_brute_force_search(
    text: str, query: str, pos: int, backwards: bool, case_sensitive: bool
) -> None:
    fold = (lambda s: s) if case_sensitive else str.lower
    starts = [
        i
        for i in range(len(text) - len(query) + 1)
        if fold(text[i : i + len(query)]) == fold(query)
    ]
    if not starts:
        expected = None
    elif backwards:
        before = [i for i in starts if i < pos]
        expected = before[-1] if before else starts[-1]
    else:
        after = [i for i in starts if i > pos]
        expected = after[0] if after else starts[0]
    found = find_next(text, query, pos, backwards=backwards, case_sensitive=case_sensitive)
    assert found == (None if expected is None else (expected, expected + len(query)))
