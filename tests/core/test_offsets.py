"""Offsets carried through canonicalization, UTF-16 code units and CRLF views.

The property: for any raw text and any two raw offsets that map, the canonical text between
the mapped offsets is the canonical form of the raw slice. Hand-made cases pin each rule.
"""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from annotator.core.offsets import canonical_map, lf_view_map, utf16_length, utf16_map
from annotator.core.text import canonicalize


def test_crlf_becomes_one_character_and_its_middle_maps_to_nothing() -> None:
    text, to = canonical_map("ab\r\ncd")
    assert text == "ab\ncd"
    assert [to(i) for i in range(7)] == [0, 1, 2, None, 3, 4, 5]


def test_leading_byte_order_mark_counts_as_character_zero_of_the_raw_text() -> None:
    text, to = canonical_map("\ufeffHello world")
    assert text == "Hello world"
    assert to(0) == 0 and to(1) == 0 and to(7) == 6 and to(12) == 11
    assert text[to(7) : to(12)] == "world"  # type: ignore[misc]


def test_nfd_letters_merge_and_a_boundary_inside_them_maps_to_nothing() -> None:
    raw = "Cafe\u0301 cre\u0300me"
    text, to = canonical_map(raw)
    assert text == unicodedata.normalize("NFC", raw) == "Café crème"
    assert to(4) is None  # between e and its accent
    assert to(5) == 4 and to(6) == 5 and to(len(raw)) == len(text)
    assert text[to(6) : to(len(raw))] == "crème"  # type: ignore[misc]


def test_tabs_and_control_characters_are_one_for_one() -> None:
    raw = "a\tb\x1b[0mc"
    text, to = canonical_map(raw)
    assert text == "a b\ufffd[0mc"
    assert to.identity
    assert [to(i) for i in range(len(raw) + 1)] == list(range(len(raw) + 1))


def test_paragraph_separator_becomes_a_blank_line() -> None:
    text, to = canonical_map("one\u2029two")
    assert text == "one\n\ntwo"
    assert to(3) == 3 and to(4) == 5 and to(7) == 8


def test_hangul_jamo_compose_across_starters() -> None:
    raw = "\u1100\u1161\u11a8 x"  # three conjoining jamo, all of combining class 0
    text, to = canonical_map(raw)
    assert text == "\uac01 x"
    assert to(1) is None and to(2) is None and to(3) == 1 and to(5) == 3


def test_canonical_text_is_returned_unchanged_with_an_identity_map() -> None:
    text, to = canonical_map("Already canonical 😀 text.\n")
    assert text == "Already canonical 😀 text.\n" and to.identity


def test_utf16_offsets_count_astral_characters_twice() -> None:
    text = "I like it 😊 ."
    to = utf16_map(text)
    assert utf16_length(text) == len(text) + 1
    assert to(10) == 10 and to(11) is None and to(12) == 11 and to(14) == 13


def test_lf_view_maps_back_to_crlf_text() -> None:
    text = "ab\r\ncd\r\ne"
    to = lf_view_map(text)
    view = text.replace("\r\n", "\n")
    assert [text[to(i) : to(i + 1)] for i in range(len(view))] == [  # type: ignore[misc]
        "a",
        "b",
        "\r\n",
        "c",
        "d",
        "\r\n",
        "e",
    ]


HAZARDS = st.sampled_from(
    [
        *["a", "e", " ", "\t", "\r", "\n", "\r\n", "\u0301", "\u0327", "\u00e9", "😀", "\x1b"],
        *["\u2029", "\u1100", "\u1161", "\u11a8", "\u212b", "\u0958", "\u0bc6", "\u0bbe"],
        *["\u200d", "\ufeff"],
    ]
)


@given(st.booleans(), st.lists(HAZARDS, max_size=25))
def test_mapped_slices_are_the_canonical_form_of_the_raw_slice(bom: bool, parts: list[str]) -> None:
    body = "".join(parts).lstrip("\ufeff")
    raw = ("\ufeff" if bom else "") + body
    text, to = canonical_map(raw)
    assert text == canonicalize(raw)
    points = [(i, to(i)) for i in range(len(raw) + 1)]
    assert points[0][1] == 0 and points[-1][1] == len(text)
    mapped = [(i, j) for i, j in points if j is not None]
    assert [j for _, j in mapped] == sorted(j for _, j in mapped)
    for a, (s, cs) in enumerate(mapped):
        for e, ce in mapped[a + 1 :]:
            piece = raw[s:e]
            if s > 0 and piece.startswith("\ufeff"):
                continue  # only a leading mark of the whole text is dropped
            assert text[cs:ce] == canonicalize(piece), (raw, s, e)


@given(st.lists(st.sampled_from(["a", "😀", "é", "\U0001f469\u200d\U0001f52c"])).map("".join))
def test_utf16_map_agrees_with_python_encoding(text: str) -> None:
    to = utf16_map(text)
    for index in range(len(text) + 1):
        units = len(text[:index].encode("utf-16-le")) // 2
        assert to(units) == index
