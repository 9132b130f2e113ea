"""Canonical text: the rules of ``annotator.core.text`` and its idempotence."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from annotator.core.text import canonicalize, is_canonical, text_sha256, word_count

HOSTILE_PIECES = [
    *["\r\n", "\r", "\n", "\t", "\x1b", "\x00", "\x7f", "\x85", "\x9b", "\u2028", "\u2029"],
    *["\ufeff", "e\u0301", "\U0001f600", "[/]", "[@click=app.quit]", "\x1b[31m", "\ud800"],
]
HOSTILE = st.lists(
    st.one_of(st.characters(codec="utf-8"), st.sampled_from(HOSTILE_PIECES)), max_size=80
).map("".join)


def test_line_endings_become_newlines() -> None:
    assert canonicalize("a\r\nb\rc\nd") == "a\nb\nc\nd"
    assert canonicalize("a\r\r\nb") == "a\n\nb"
    assert canonicalize("a\u2028b\x85c\x0bd\x0ce") == "a\nb\nc\nd\ne"


def test_paragraph_separator_becomes_a_blank_line() -> None:
    assert canonicalize("one\u2029two") == "one\n\ntwo"


def test_tab_becomes_one_space() -> None:
    assert canonicalize("a\tb\t\tc") == "a b  c"


def test_controls_become_replacement_characters() -> None:
    assert canonicalize("\x1b[31mred\x00\x7f\x80\x9f") == "\ufffd[31mred\ufffd\ufffd\ufffd\ufffd"


def test_lone_surrogates_become_replacement_characters() -> None:
    assert canonicalize("a\ud800b") == "a\ufffdb"


def test_leading_byte_order_marks_are_dropped_and_inner_ones_kept() -> None:
    assert canonicalize("\ufeff\ufeffTitle\ufeff") == "Title\ufeff"


def test_nfc_composes_combining_marks() -> None:
    assert canonicalize("Cafe\u0301") == "Café"
    assert len(canonicalize("Cafe\u0301")) == 4


def test_clean_text_is_returned_unchanged() -> None:
    text = "“Rents soared,” the mayor said — again.\n\nNext paragraph. 😀"
    assert canonicalize(text) is text or canonicalize(text) == text
    assert is_canonical(text)
    assert not is_canonical("a\r\nb")


@given(HOSTILE)
def test_canonicalize_is_idempotent(raw: str) -> None:
    once = canonicalize(raw)
    assert canonicalize(once) == once


@given(HOSTILE)
def test_canonical_text_has_no_controls_and_is_nfc(raw: str) -> None:
    text = canonicalize(raw)
    assert unicodedata.is_normalized("NFC", text)
    assert "\r" not in text and "\t" not in text and "\x1b" not in text
    for char in text:
        if char != "\n":
            assert unicodedata.category(char) not in ("Cc", "Cs"), repr(char)
    text.encode("utf-8")  # storable: no lone surrogates left


def test_sha256_is_of_the_utf8_bytes() -> None:
    assert text_sha256("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert text_sha256("é") != text_sha256("e\u0301")
    assert len(text_sha256("😀")) == 64


def test_word_count() -> None:
    assert word_count("") == 0
    assert word_count("  \n ") == 0
    assert word_count("The U.S. economy grew 3.5 percent — don't panic, well-known fact.") == 10
    assert word_count("“Rents soared,” she said.") == 4
