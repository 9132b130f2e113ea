"""Canonical text: the one form of a document that every offset in the system refers to.

Text is canonicalized once, on import, and only the canonical form is stored, with its sha256.
The rules, in the order they are applied:

1. Line breaks become ``\\n``: CRLF, a lone CR, NEL (U+0085), LINE SEPARATOR (U+2028), vertical
   tab and form feed each become one ``\\n``; PARAGRAPH SEPARATOR (U+2029) becomes a blank line
   (``\\n\\n``), so the segmenter treats it as the paragraph break it stands for.
2. A tab becomes one space (never several: column alignment means nothing in prose, and one
   character for one character keeps offsets of the rest of a line easy to reason about).
3. Every other C0 or C1 control character (NUL, ESC, DEL, U+0080 to U+009F ...) and every lone
   surrogate becomes U+FFFD REPLACEMENT CHARACTER: one visible character, so an escape sequence
   can never reach the terminal and offsets still count the damage.
4. Byte-order marks at the very start are dropped (an importer that decoded with ``utf-8``
   rather than ``utf-8-sig`` leaves one there).
5. Unicode NFC normalization, so "é" typed as ``e`` + U+0301 and as U+00E9 is the same text,
   with the same offsets and the same hash.

``canonicalize`` is idempotent: canonical text is returned unchanged. Offsets are Unicode code
points, half-open ``[start, end)``.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "canonical_line",
    "canonicalize",
    "has_control",
    "is_canonical",
    "printable",
    "replace_controls",
    "text_sha256",
    "word_count",
]

_REPLACEMENT = "\ufffd"


def _translation_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]:
        table[code] = _REPLACEMENT
    for code in range(0xD800, 0xE000):
        table[code] = _REPLACEMENT
    table[ord("\n")] = "\n"
    table[ord("\r")] = "\n"  # a lone CR; CRLF pairs are joined before translation
    table[0x0B] = "\n"  # vertical tab
    table[0x0C] = "\n"  # form feed
    table[0x85] = "\n"  # NEL
    table[0x2028] = "\n"  # LINE SEPARATOR
    table[0x2029] = "\n\n"  # PARAGRAPH SEPARATOR
    table[ord("\t")] = " "
    return table


_TABLE = _translation_table()
# Anything the table would change. Most real text contains none of it, and a failed regex
# search is far cheaper than ``str.translate`` over the whole text.
_NEEDS_TRANSLATION = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_WORD = re.compile(r"\w+(?:['’.\-]\w+)*")


def canonicalize(raw: str) -> str:
    """Return the canonical form of ``raw`` (see the module docstring for the rules)."""
    text = raw
    if "\r\n" in text:
        text = text.replace("\r\n", "\n")
    text = replace_controls(text)
    if text.startswith("\ufeff"):
        text = text.lstrip("\ufeff")
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text


def canonical_line(raw: str) -> str:
    """``raw`` canonical and on one line: every line break becomes a space.

    For short fields (a title, a document id) that are shown on one line of a table.
    """
    text = canonicalize(raw)
    return text.replace("\n", " ") if "\n" in text else text


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_CONTROL_BUT_NEWLINE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def has_control(text: str, *, newlines: bool = False) -> bool:
    """Whether ``text`` holds a C0/C1 control character or a lone surrogate (``\n`` allowed
    when ``newlines``)."""
    pattern = _CONTROL_BUT_NEWLINE if newlines else _CONTROL
    return pattern.search(text) is not None


def printable(text: str, *, newlines: bool = False) -> str:
    """``text`` safe to write to a terminal, a CSV cell or Markdown.

    Every C0/C1 control character (ESC included) and lone surrogate becomes U+FFFD, so a
    string stored by an older release, a file name or an argument can never move the cursor,
    clear the screen or set the terminal's title. A tab is a space; a line break is kept when
    ``newlines``, else it is a space too.
    """
    pattern = _CONTROL_BUT_NEWLINE if newlines else _CONTROL
    if pattern.search(text) is None:
        return text
    return pattern.sub(_blank_or_replacement, text)


def _blank_or_replacement(match: re.Match[str]) -> str:
    return " " if match.group() in "\t\n\r" else _REPLACEMENT


def replace_controls(text: str) -> str:
    """Rules 1 (all but CRLF, which the caller joins first), 2 and 3: one translation pass."""
    if _NEEDS_TRANSLATION.search(text) is not None:
        return text.translate(_TABLE)
    return text


def is_canonical(text: str) -> bool:
    """True when ``text`` is already canonical (``canonicalize(text) == text``)."""
    return canonicalize(text) == text


def text_sha256(text: str) -> str:
    """The hex sha256 of ``text`` encoded as UTF-8: the identity of a document's text."""
    import hashlib  # here: the screens that only print text safely need no OpenSSL

    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def word_count(text: str) -> int:
    """The number of words in ``text``.

    A word is a run of letters or digits; an apostrophe, a hyphen or a period between two such
    runs joins them, so "don't", "well-known", "U.S." and "3.5" count as one word each.
    """
    return sum(1 for _ in _WORD.finditer(text))
