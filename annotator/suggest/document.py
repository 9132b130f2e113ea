"""A document read once for all the rules: words, sentences, quotations, lexicon matches.

Every rule looks at the same things (which words are quoted, which sentence a word is in,
where paragraphs break), so they are computed here, once per document, in a few linear passes.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from annotator.core.segment import split_sentences
from annotator.suggest.lexicon import Lexicon, Match
from annotator.suggest.model import Note, Span
from annotator.suggest.quotes import Quote, find_quotes
from annotator.suggest.tokens import Words, words_of

__all__ = ["Document", "read_document"]

_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n")


@dataclass(frozen=True, slots=True)
class Document:
    """The canonical ``text`` of one document, read for the suggestion rules.

    ``sentence_words[s]`` are the indexes of the words of sentence ``s``; ``sentence_of[i]`` is
    the sentence of word ``i`` (-1 for a word outside every sentence); ``quoted[i]`` tells
    whether word ``i`` is inside a quotation; ``paragraph[s]`` numbers the paragraph of
    sentence ``s``. ``outer_quotes`` are the quotations that no other one contains.
    """

    text: str
    words: Words
    sentences: list[Span]
    sentence_words: list[range]
    sentence_of: list[int]
    paragraph: list[int]
    quotes: list[Quote]
    outer_quotes: list[Quote]
    outer_starts: list[int]
    quoted: list[bool]
    notes: list[Note]
    matches: list[Match]

    def sentence_at(self, offset: int) -> int:
        """The sentence that holds the character at ``offset``, or -1."""
        k = bisect_right(self.sentences, (offset, len(self.text) + 1)) - 1
        if k >= 0 and self.sentences[k][0] <= offset < self.sentences[k][1]:
            return k
        return -1

    def outer_quote_at(self, offset: int) -> Quote | None:
        """The outermost quotation whose marks enclose ``offset``, or None."""
        k = bisect_right(self.outer_starts, offset) - 1
        if k >= 0 and self.outer_quotes[k].start <= offset < self.outer_quotes[k].end:
            return self.outer_quotes[k]
        return None


def read_document(text: str, lexicon: Lexicon, segments: Sequence[Span] | None = None) -> Document:
    """Read ``text`` (canonical) with its sentence ``segments`` (split here when None)."""
    given = segments if segments is not None else split_sentences(text)
    sentences: list[Span] = [(start, end) for start, end in given]
    words = words_of(text)
    n_words = len(words)
    sentence_words: list[range] = []
    sentence_of = [-1] * n_words
    for index, (start, end) in enumerate(sentences):
        found = words.between(start, end)
        sentence_words.append(found)
        for i in found:
            sentence_of[i] = index
    breaks = [match.start() for match in _PARAGRAPH_BREAK.finditer(text)]
    paragraph = [bisect_right(breaks, start) for start, _ in sentences]
    quotes, notes = find_quotes(text)
    outer: list[Quote] = []
    for quote in quotes:  # sorted by start, longest first at a tie
        if outer and quote.end <= outer[-1].end:
            continue
        outer.append(quote)
    quoted = [False] * n_words
    for quote in outer:
        for i in words.between(quote.start, quote.end):
            quoted[i] = True
    return Document(
        text=text,
        words=words,
        sentences=sentences,
        sentence_words=sentence_words,
        sentence_of=sentence_of,
        paragraph=paragraph,
        quotes=quotes,
        outer_quotes=outer,
        outer_starts=[quote.start for quote in outer],
        quoted=quoted,
        notes=notes,
        matches=lexicon.find(words),
    )
