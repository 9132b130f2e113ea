"""Plain-text and Markdown articles: titles, canonical text, refusals of unreadable files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from annotator.io.errors import ImportFileError
from annotator.io.plaintext import parse_text_file, split_title

Write = Callable[[str, str | bytes], Path]


def test_first_line_then_blank_line_is_the_title(write: Write) -> None:
    path = write("a.txt", "Council votes on budget\n\nThe council voted. It passed.\n")
    record = parse_text_file(path, "a.txt", "a")
    assert record.title == "Council votes on budget"
    assert record.text == "The council voted. It passed.\n"
    assert record.external_id == "a"
    assert record.canonical


def test_without_a_blank_line_the_title_is_the_file_stem(write: Write) -> None:
    path = write("story-12.txt", "The council voted.\nIt passed.\n")
    record = parse_text_file(path, "story-12.txt", "story-12")
    assert record.title == "story-12"
    assert record.text == "The council voted.\nIt passed.\n"


def test_markdown_heading_marks_leave_the_title() -> None:
    assert split_title("## Budget passes\n\n\nBody.", "x", markdown=True) == (
        "Budget passes",
        "Body.",
    )
    assert split_title("## Budget passes\n\nBody.", "x") == ("## Budget passes", "Body.")


def test_a_lone_line_with_nothing_after_it_is_not_a_title() -> None:
    assert split_title("Only a line\n\n   \n", "stem") == ("stem", "Only a line\n\n   \n")


def test_text_is_canonicalized(write: Write) -> None:
    path = write("crlf.txt", "T\r\n\r\nCaf\u0065\u0301 said\t\x1b[31mno\x1b[0m.\r\n")
    record = parse_text_file(path, "crlf.txt", "crlf")
    assert record.title == "T"
    assert record.text == "Caf\u00e9 said \ufffd[31mno\ufffd[0m.\n"


def test_a_byte_order_mark_is_dropped(write: Write) -> None:
    path = write("bom.txt", b"\xef\xbb\xbfHello there.")
    assert parse_text_file(path, "bom.txt", "bom").text == "Hello there."


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "bad.txt: the file is empty; remove it or give it some text"),
        (b"  \n\n", "bad.txt: the file is empty; remove it or give it some text"),
        (
            b"line one\nline\x00two",
            "bad.txt:2: binary file (NUL byte at offset 13); only UTF-8 text files can be imported",
        ),
        (
            b"fine\nalso fine\ncaf\xe9\n",
            "bad.txt:3: not valid UTF-8 (byte 0xE9 at offset 18); re-save the file as UTF-8",
        ),
    ],
)
def test_unreadable_files_are_refused_with_file_and_line(
    write: Write, content: bytes, expected: str
) -> None:
    path = write("bad.txt", content)
    with pytest.raises(ImportFileError) as caught:
        parse_text_file(path, "bad.txt", "bad")
    assert str(caught.value) == expected
