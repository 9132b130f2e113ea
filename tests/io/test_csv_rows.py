"""CSV articles: the text column, optional id and title, meta, line numbers in errors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from annotator.io.csv_rows import parse_csv_file
from annotator.io.errors import ImportFileError

Write = Callable[[str, str | bytes], Path]


def test_rows_become_records_with_meta_and_start_lines(write: Write) -> None:
    path = write(
        "news.csv",
        "ID,Title,outlet,text\r\n"
        'n1,First,Daily,"He said, ""no.""\r\nThen left."\r\n'
        ",,Weekly,Second text.\r\n",
    )
    first, second = parse_csv_file(path, "news.csv", "news")
    assert (first.external_id, first.title, first.line) == ("n1", "First", 2)
    assert first.text == 'He said, "no."\r\nThen left.'
    assert first.meta == {"outlet": "Daily"}
    assert (second.external_id, second.title, second.line) == ("news:2", "news:2", 4)
    assert second.meta == {"outlet": "Weekly"}


def test_blank_rows_are_ignored(write: Write) -> None:
    path = write("a.csv", "text\n\nOne.\n,\nTwo.\n")
    records = parse_csv_file(path, "a.csv", "a")
    assert [(r.external_id, r.line) for r in records] == [("a:1", 3), ("a:2", 5)]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            "id,body\n1,Hello\n",
            "a.csv:1: no 'text' column in the header (id, body); "
            "name the column that holds the article 'text'",
        ),
        ("text,Text\nx,y\n", "a.csv:1: column 'Text' appears twice in the header"),
        ("text,\nx,y\n", "a.csv:1: column 2 of the header has no name; name it"),
        (
            "id,text\n1,Fine.\n2,Not, fine.\n",
            "a.csv:3: row has 3 fields but the header has 2; quote fields that contain commas",
        ),
        ("id,text\n1,Fine.\n2,  \n", "a.csv:3: the 'text' field is empty"),
        ("text\n", "a.csv:1: the file has a header but no rows"),
        (
            'id,text\n1,"unterminated\n',
            "a.csv:2: broken CSV in the row starting here: unexpected end of data; "
            "check its quotes",
        ),
    ],
)
def test_bad_csv_is_refused_with_line(write: Write, content: str, expected: str) -> None:
    path = write("a.csv", content)
    with pytest.raises(ImportFileError) as caught:
        parse_csv_file(path, "a.csv", "a")
    assert str(caught.value) == expected
