"""A token of millions of letters: words found a window at a time, with the same answers.

Finding the word under the cursor matches the word pattern a window at a time and skips long
runs of letters with a plain character-class scan, so tagging a token of fifty million
characters costs a fraction of a second. These tests check that the answer is the one a single
match over the whole text gives, for windows of any size.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core import navigation

HARBOUR = (
    "The mayor slammed the harbour plan on Tuesday. "
    "Critics say the regime at city hall ignored the port workers."
)


def whole_match(text: str, pos: int) -> tuple[int, int] | None:
    """The word under ``pos`` by one match of the word pattern from the word's start."""
    if not 0 <= pos < len(text):
        return None
    starts = [m.start() for m in navigation._WORD_START.finditer(text, 0, pos + 1)]
    if not starts:
        return None
    match = navigation._WORD.match(text, starts[-1])
    if match is None or match.end() <= pos:
        return None
    return starts[-1], match.end()


@pytest.mark.parametrize("window", [4, 7, 64])
def test_words_are_found_the_same_in_windows(monkeypatch: pytest.MonkeyPatch, window: int) -> None:
    """The windowed word search gives the answer of one match over the whole text."""
    text = HARBOUR + " e\u0301" * 9 + " don't-stop" + " x" + "y" * 50 + "\u0301z" * 20 + " end"
    expected = [whole_match(text, pos) for pos in range(len(text))]
    assert [navigation.word_at(text, pos) for pos in range(len(text))] == expected
    ends = [navigation.word_end(text, pos) for pos in range(len(text))]
    monkeypatch.setattr(navigation, "WORD_WINDOW", window)
    assert [navigation.word_at(text, pos) for pos in range(len(text))] == expected
    assert [navigation.word_end(text, pos) for pos in range(len(text))] == ends


@settings(max_examples=300, deadline=None)
@given(
    text=st.lists(
        st.sampled_from(["a", "b", "1", "\u0301", "'", "-", "’", " ", ".", "\u200d", "é"]),
        max_size=40,
    ).map("".join),
    window=st.integers(1, 6),
)
def test_any_text_gives_the_same_words_in_any_window(text: str, window: int) -> None:
    expected = [whole_match(text, pos) for pos in range(len(text))]
    original = navigation.WORD_WINDOW
    navigation.WORD_WINDOW = window
    try:
        assert [navigation.word_at(text, pos) for pos in range(len(text))] == expected
    finally:
        navigation.WORD_WINDOW = original


def test_a_token_of_millions_of_letters_is_one_word() -> None:
    text = "A " + "x" * 3_000_000 + "-y\u0301z end."
    assert navigation.word_at(text, 1_500_000) == (2, 3_000_006)
    assert navigation.word_end(text, 2) == 3_000_005
    assert navigation.next_word(text, 2) == 3_000_007
