"""Words of a text with their offsets: the unit every lexicon and rule works on.

A word is a run of letters or digits; an apostrophe (straight or curly) or a hyphen between two
such runs joins them, so "mayor’s", "don't" and "so-called" are one word each. Words are kept
as parallel lists rather than one object per word: a 3 KB article has about 500 of them, and
the suggesters look at every one, so the cheap form matters.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from operator import add

__all__ = ["WORD", "Words", "normalize_word", "words_of"]

WORD = re.compile(r"\w+(?:['’\-]\w+)*")
_CURLY = str.maketrans({"’": "'", "‘": "'"})


def normalize_word(word: str) -> str:
    """The form lexicons compare: lowercase, curly apostrophes made straight."""
    return word.lower().translate(_CURLY)


@dataclass(frozen=True, slots=True)
class Words:
    """The words of ``text``: ``starts[i]:ends[i]`` is word ``i``, ``norms[i]`` its normal form."""

    text: str
    starts: list[int]
    ends: list[int]
    raw: list[str]
    norms: list[str]

    def __len__(self) -> int:
        return len(self.starts)

    def first_at_or_after(self, offset: int) -> int:
        """The index of the first word that starts at or after ``offset``."""
        return bisect_left(self.starts, offset)

    def between(self, start: int, end: int) -> range:
        """The indexes of the words that lie inside ``[start, end)``."""
        lo = bisect_left(self.starts, start)
        hi = bisect_left(self.starts, end, lo)
        while hi > lo and self.ends[hi - 1] > end:
            hi -= 1
        return range(lo, hi)

    def gap(self, i: int) -> str:
        """The text between word ``i - 1`` and word ``i`` (from the text start when ``i == 0``)."""
        return self.text[self.ends[i - 1] if i else 0 : self.starts[i]]


def words_of(text: str) -> Words:
    """Split ``text`` into words (see the module docstring)."""
    # findall and map run in C; only the start offsets need a Python-level loop
    raw: list[str] = WORD.findall(text)
    starts = [match.start() for match in WORD.finditer(text)]
    ends = list(map(add, starts, map(len, raw)))
    joined = " ".join(raw).lower().replace("’", "'").replace("‘", "'")
    lowered = joined.split(" ") if raw else []
    if len(lowered) != len(raw):  # a word whose lowercase form holds a space: never in practice
        lowered = [normalize_word(word) for word in raw]
    return Words(text, starts, ends, raw, lowered)
