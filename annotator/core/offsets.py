"""Offsets through a change of text: canonicalization, UTF-16 code units, CRLF views.

Other tools count offsets in the text as *they* hold it: brat and PTC in the raw file (a
byte-order mark is character 0, CRLF is two characters, NFD letters are several code points),
Label Studio and INCEpTION in UTF-16 code units. Our store holds only the canonical text
(:mod:`annotator.core.text`), so every imported offset is carried through an explicit map:

* :func:`canonical_map` canonicalizes a raw text and returns, with it, the map from a code point
  offset in the raw text to the code point offset in the canonical text;
* :func:`utf16_map` maps UTF-16 code unit offsets of a text to its code point offsets;
* :func:`lf_view_map` maps offsets counted in ``text.replace("\\r\\n", "\\n")`` (what a browser
  shows) to offsets in ``text``.

A map is piecewise: text outside the changed pieces keeps its offsets up to a shift. An offset
*inside* a piece that cannot be split (between CR and LF, inside a surrogate pair, between a
letter and the combining mark NFC merges into it) maps to ``None``: no offset of the other text
stands for it, and an importer refuses the span rather than guess. Whitespace is never trimmed:
a tab is one space, so offsets around it are unchanged.
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from annotator.core.text import canonicalize, replace_controls

__all__ = [
    "OffsetMap",
    "Piece",
    "PieceMap",
    "canonical_map",
    "lf_view_map",
    "utf16_length",
    "utf16_map",
]

Piece = tuple[int, int, int, int]
"""``(a_start, a_end, b_start, b_end)``: ``a[a_start:a_end]`` became ``b[b_start:b_end]``."""


class PieceMap:
    """A monotone map of offsets from one text (``a``) to another (``b``).

    ``pieces`` are sorted, disjoint and list only what changed; between them an offset moves by
    the length difference accumulated so far. Inside a piece, an offset maps to ``None``
    unless the piece was deleted (then every offset in it maps to where it was).
    """

    __slots__ = ("_starts", "a_length", "pieces")

    def __init__(self, pieces: Sequence[Piece], a_length: int) -> None:
        self.pieces: tuple[Piece, ...] = tuple(pieces)
        self.a_length = a_length
        self._starts = [piece[0] for piece in self.pieces]

    def __call__(self, offset: int) -> int | None:
        """The offset in ``b`` of ``offset`` in ``a``, or None if none stands for it."""
        if not 0 <= offset <= self.a_length:
            return None
        if not self.pieces:
            return offset
        at = bisect.bisect_right(self._starts, offset) - 1
        if at < 0:
            return offset
        a_start, a_end, b_start, b_end = self.pieces[at]
        if offset == a_start:
            return b_start
        if offset >= a_end:
            return b_end + (offset - a_end)
        if b_start == b_end:
            return b_start
        return None

    @property
    def identity(self) -> bool:
        """True when no offset moves."""
        return not self.pieces

    def __repr__(self) -> str:
        return f"PieceMap({self.pieces!r}, {self.a_length})"


@dataclass(frozen=True, slots=True)
class OffsetMap:
    """Several :class:`PieceMap` steps applied in turn (raw -> ... -> canonical)."""

    steps: tuple[PieceMap, ...]

    def __call__(self, offset: int) -> int | None:
        value: int | None = offset
        for step in self.steps:
            if value is None:
                return None
            value = step(value)
        return value

    @property
    def identity(self) -> bool:
        """True when no offset moves (the raw text was already canonical)."""
        return all(step.identity for step in self.steps)


# Characters whose canonical form has another length: CRLF (2 -> 1) and PARAGRAPH SEPARATOR
# (1 -> 2). Every other replacement of canonicalization is one character for one.
_RESIZED = re.compile("\r\n|\u2029")


def _line_breaks(raw: str) -> tuple[str, PieceMap]:
    """Step 1 and 2 of canonicalization (line breaks, tabs, controls) with its map."""
    pieces: list[Piece] = []
    if "\r\n" in raw or "\u2029" in raw:
        shift = 0
        for match in _RESIZED.finditer(raw):
            start, end = match.span()
            size = 1 if match.group() == "\r\n" else 2
            pieces.append((start, end, start + shift, start + shift + size))
            shift += size - (end - start)
    # Dropping BOMs is left to its own step; everything else here is length-preserving or
    # listed above, so ``canonicalize`` minus BOM and NFC gives the same text.
    text = raw.replace("\r\n", "\n")
    text = replace_controls(text)
    return text, PieceMap(pieces, len(raw))


def _leading_boms(text: str) -> tuple[str, PieceMap]:
    stripped = text.lstrip("\ufeff")
    dropped = len(text) - len(stripped)
    pieces: list[Piece] = [(0, dropped, 0, 0)] if dropped else []
    return stripped, PieceMap(pieces, len(text))


def _nfc(text: str) -> tuple[str, PieceMap]:
    """NFC with its map: the text is cut into units that normalize independently."""
    if unicodedata.is_normalized("NFC", text):
        return text, PieceMap((), len(text))
    # Units start at characters of combining class 0; two neighbouring units that compose
    # across their border (Hangul jamo, some Indic vowel signs) are joined.
    starts = [i for i, ch in enumerate(text) if i == 0 or unicodedata.combining(ch) == 0]
    starts.append(len(text))
    units: list[tuple[int, int, str]] = []
    for start, end in itertools.pairwise(starts):
        piece = text[start:end]
        normal = unicodedata.normalize("NFC", piece)
        if units:
            last_start, _, last_normal = units[-1]
            joined = unicodedata.normalize("NFC", text[last_start:end])
            if joined != last_normal + normal:
                units[-1] = (last_start, end, joined)
                continue
        units.append((start, end, normal))
    out: list[str] = []
    pieces: list[Piece] = []
    position = 0
    for start, end, normal in units:
        if normal != text[start:end] and (len(normal) != end - start or end - start > 1):
            pieces.append((start, end, position, position + len(normal)))
        out.append(normal)
        position += len(normal)
    result = "".join(out)
    if result != unicodedata.normalize("NFC", text):  # pragma: no cover - defensive
        return unicodedata.normalize("NFC", text), PieceMap(
            [(0, len(text), 0, len(unicodedata.normalize("NFC", text)))], len(text)
        )
    return result, PieceMap(pieces, len(text))


def canonical_map(raw: str) -> tuple[str, OffsetMap]:
    """``(canonicalize(raw), map)``: the canonical text and the raw -> canonical offset map.

    >>> text, to_canonical = canonical_map("\\ufeffe\\u0301t\\u00e9\\r\\nok")
    >>> text, to_canonical(1), to_canonical(3), to_canonical(7), to_canonical(2)
    ('été\\nok', 0, 1, 4, None)
    """
    first, breaks = _line_breaks(raw)
    second, boms = _leading_boms(first)
    text, nfc = _nfc(second)
    return text, OffsetMap((breaks, boms, nfc))


def check_canonical_map(raw: str) -> bool:
    """True when :func:`canonical_map` agrees with :func:`canonicalize` on ``raw`` (tests)."""
    return canonical_map(raw)[0] == canonicalize(raw)


def utf16_length(text: str) -> int:
    """The length of ``text`` in UTF-16 code units."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def utf16_map(text: str) -> PieceMap:
    """Map UTF-16 code unit offsets into ``text`` to code point offsets.

    An offset between the two halves of a surrogate pair maps to None.
    """
    pieces: list[Piece] = []
    shift = 0
    if not text.isascii():
        for index, ch in enumerate(text):
            if ord(ch) > 0xFFFF:
                unit = index + shift
                pieces.append((unit, unit + 2, index, index + 1))
                shift += 1
    return PieceMap(pieces, len(text) + shift)


def lf_view_map(text: str) -> PieceMap:
    """Map offsets into ``text.replace("\\r\\n", "\\n")`` to offsets into ``text``."""
    pieces: list[Piece] = []
    if "\r\n" in text:
        shift = 0
        for match in re.finditer("\r\n", text):
            start = match.start()
            pieces.append((start - shift, start - shift + 1, start, start + 2))
            shift += 1
        return PieceMap(pieces, len(text) - shift)
    return PieceMap((), len(text))
