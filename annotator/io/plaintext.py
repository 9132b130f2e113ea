"""Plain-text and Markdown articles (``.txt``, ``.md``): one file, one document.

A first line followed by a blank line is the title (for Markdown, without its leading ``#``
marks) and the document text starts after the blank line(s); otherwise the whole file is the
text and the title is the file's stem.
"""

from __future__ import annotations

import re
from pathlib import Path

from annotator.core.text import canonicalize
from annotator.io.decode import read_utf8
from annotator.io.errors import ImportFileError
from annotator.io.records import SourceRecord

_MARKDOWN_HEADING = re.compile(r"^#{1,6}[ \t]+")
_LEADING_BLANK_LINES = re.compile(r"(?:[ \t\u00a0]*\n)+")


def split_title(text: str, fallback: str, *, markdown: bool = False) -> tuple[str, str]:
    """``(title, body)`` of a canonical text: a first line then a blank line make a title."""
    first, newline, rest = text.partition("\n")
    if newline and first.strip():
        blank = _LEADING_BLANK_LINES.match(rest)
        if blank and rest[blank.end() :].strip():
            title = first.strip()
            if markdown:
                title = _MARKDOWN_HEADING.sub("", title).strip() or title
            return title, rest[blank.end() :]
    return fallback, text


def parse_text_file(path: Path, display: str, external_id: str) -> SourceRecord:
    """One document from a ``.txt`` or ``.md`` file, canonicalized, title split off."""
    text = canonicalize(read_utf8(path, display))
    if not text.strip():
        raise ImportFileError(display, "the file has no text; remove it or give it some text")
    title, body = split_title(text, path.stem, markdown=path.suffix.lower() == ".md")
    return SourceRecord(
        path=display,
        line=None,
        external_id=external_id,
        title=title,
        text=body,
        canonical=True,
    )
