"""Attribution: which statements name a source, which hide it, and which source it is.

For each reporting cue outside quotations (a lexicon entry tagged ``cue``; see
``annotator.suggest.lexicon``) the rules look for its source, without a parser, from the words
around it:

* **Subject before the cue.** The noun phrase that ends right before the verb (auxiliaries
  and adverbs skipped: "has also said"): "Mayor Dana Oduya said", "the board said". An
  appositive between commas is stepped over: "Dr. Helen Achebe, a structural engineer ...,
  said" gives "Dr. Helen Achebe"; "The board chair, Ruth Calloway, said" gives the whole
  "The board chair, Ruth Calloway".
* **Source after the cue** when nothing stands before it, as after a quotation:
  "..., said Tomas Reyes, the clinic's director" gives "Tomas Reyes".
* **"according to"** and other ``cue:prep`` phrases take the noun phrase after them.
* **Pronouns.** "he" and "she" stand for the last person named before them (kept in the
  ``refers_to`` attribute): the name in the last named source, or a name in a later
  sentence (up to four sentences back); "they" for the last named source. "I" and "we"
  outside a quotation are the writer: no attribution, but evidence of an editorial voice.
* **Vague sources.** A subject headed by an anonymous or collective word ("officials",
  "critics", "sources close to the talks", "a senior official"), a bare plural naming nobody
  ("local hauliers say"), a passive with no agent ("it is widely believed", "was told") and
  hearsay adverbs ("reportedly") give a vague attribution.
* **Weak cues** (``cue:weak``, verbs with other uses: "indicated", "announced", "noted") count
  only before "that", a colon, a quotation or a subject pronoun, or right after a quotation.
* Cues inside a quotation are never used: what a quoted person says someone said is part of
  the quotation, not an attribution of the sentence.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotator.suggest.document import Document
from annotator.suggest.lexicon import Match
from annotator.suggest.model import Span

__all__ = ["Attribution", "find_attributions", "person_name"]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_DEFINITE = _words("the this that these those his her its their our my your whose")
_INDEFINITE = _words("a an one another some any")
_QUANTIFIERS = _words(
    "some many several few most all both each every numerous various two three four five six"
    " seven eight nine ten dozens hundreds thousands"
)
_SKIP = _words(
    """has have had also later previously earlier then once again publicly privately repeatedly
    recently initially subsequently further would will could may might can did does do not
    never already too only just even still often always separately immediately reportedly
    didn't doesn't don't won't wouldn't hasn't haven't hadn't
    allegedly simply today yesterday tonight now then"""
)
_BE = _words("is are was were be been being am")
_CLAUSE_WORDS = _words(
    """that which who whom whose and but or nor while although though because as when whenever
    after before if unless since whereas so than where until yet whatever whether what why how
    however"""
)
_SUBORDINATE = _words("whatever whether if unless what how why")
_LINKS = _words(
    "of for at on in from with to close familiar near by within inside across among under"
)
_PERSON_PRONOUNS = frozenset(("he", "she"))
_WRITER = frozenset(("i", "we"))
_UNUSABLE_SUBJECTS = _words("it this that which there you who what these those")
_TITLES = _words("mr mrs ms mx dr prof sen rep gov gen lt col capt sgt rev hon pres supt det insp")
_ROLE_TITLES = _words(
    """mayor councillor councilor senator president minister judge governor chancellor
    secretary chief director professor doctor sheriff inspector commissioner chair chairman
    chairwoman spokesperson spokesman spokeswoman representative ambassador general
    admiral captain sergeant officer detective superintendent prime"""
)
_ORGANISATION_WORDS = _words(
    """council department ministry authority agency office company corporation corp inc ltd
    llc plc group party committee commission university institute college school hospital
    clinic bank board court police government lines works association union foundation trust
    centre center service services news times post press network bureau parliament congress
    senate house street city hall club fund organisation organization society league
    federation airlines railways industries holdings partners polytechnic academy museum"""
)
_MODALS = _words("can could may might would should must will shall")
_NEGATIONS = _words("not never didn't doesn't don't won't wouldn't hasn't haven't hadn't")
_PASSIVE_FORMS = _words("said told thought known written shown seen heard")
_COMPLEMENT_STARTS = _words(
    "that he she they we i it there saying adding arguing claiming insisting noting warning"
    " explaining"
)
_OBJECT_WORDS = 6
_PRONOUN_LOOKBACK = 4
_PRONOUN_WINDOW = 150
_MAX_APPOSITIVE = 14
_MAX_NP = 9


@dataclass(frozen=True, slots=True)
class Attribution:
    """One reporting cue with its source, found in one sentence.

    ``kind`` is ``named`` (an identifiable source), ``pronoun`` (he, she, they), ``vague`` (an
    anonymous source or none) or ``writer`` (the writer's own "I" or "we").
    """

    kind: str
    cue: Span
    source: Span | None
    loaded: bool
    rule: str
    confidence: float
    refers_to: Span | None = None


def find_attributions(
    doc: Document, cues: list[Match], vague_words: frozenset[int]
) -> list[list[Attribution]]:
    """The attributions of each sentence, from the cue matches (outside quotations)."""
    finder = _Finder(doc, vague_words)
    by_sentence: list[list[Match]] = [[] for _ in doc.sentences]
    for match in _longest(cues):
        if doc.quoted[match.first]:
            continue
        sentence = doc.sentence_of[match.first]
        if sentence >= 0 and doc.sentence_of[match.last - 1] == sentence:
            by_sentence[sentence].append(match)
    found: list[list[Attribution]] = []
    for sentence, matches in enumerate(by_sentence):
        here: list[Attribution] = []
        for match in matches:
            attribution = finder.attribute(sentence, match)
            if attribution is not None:
                here.append(attribution)
                finder.remember(attribution)
        found.append(here)
    return found


def _longest(matches: list[Match]) -> list[Match]:
    """Matches that no longer match covers (``told reporters`` over ``told``)."""
    ordered = sorted(matches, key=lambda m: (m.first, -m.last))
    kept: list[Match] = []
    reach = -1
    for match in ordered:
        if match.last <= reach:
            continue
        if kept and match.first < kept[-1].last:  # overlaps without being inside: keep longer
            if match.last - match.first <= kept[-1].last - kept[-1].first:
                continue
            kept.pop()
        kept.append(match)
        reach = max(reach, match.last)
    return kept


def person_name(doc: Document, span: Span) -> Span | None:
    """The last run of capitalised words in ``span`` that looks like a person's name."""
    words = doc.words
    best: Span | None = None
    run: list[int] = []
    for i in [*words.between(span[0], span[1]), -1]:
        if (
            i >= 0
            and _capitalised(words.raw[i])
            and not _is_sentence_opener(doc, i)
            and (not run or _plain_gap(words.gap(i), words.raw[i - 1]))
        ):
            run.append(i)
            continue
        if i >= 0 and run and _capitalised(words.raw[i]):  # a new run starts after punctuation
            if _looks_like_person(doc, run):
                best = (words.starts[run[0]], words.ends[run[-1]])
            run = [] if _is_sentence_opener(doc, i) else [i]
            continue
        if run:
            if _looks_like_person(doc, run):
                best = (words.starts[run[0]], words.ends[run[-1]])
            run = []
    return best


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


def _is_sentence_opener(doc: Document, i: int) -> bool:
    """Word ``i`` opens its sentence and only its capital makes it look like a name."""
    sentence = doc.sentence_of[i]
    if sentence < 0 or doc.sentence_words[sentence].start != i:
        return False
    following = i + 1
    return not (
        following < len(doc.words)
        and doc.sentence_of[following] == sentence
        and _capitalised(doc.words.raw[following])
        and doc.words.gap(following).strip() in ("", ".")
    )


def _looks_like_person(doc: Document, run: list[int]) -> bool:
    norms = [doc.words.norms[i] for i in run]
    if any(word in _ORGANISATION_WORDS for word in norms):
        return False
    names = [w for w in norms if w not in _TITLES and w not in _ROLE_TITLES]
    if not names or any(len(w) < 2 for w in names):
        return False
    return len(names) >= 2 or len(names) < len(norms)


class _Finder:
    """Finds the source of each cue of one document, remembering names for pronouns."""

    def __init__(self, doc: Document, vague_words: frozenset[int]) -> None:
        self.doc = doc
        self.words = doc.words
        self.norms = doc.words.norms
        self.vague_words = vague_words
        self.last_person: Span | None = None
        self.last_source: Span | None = None

    # ---- memory for pronouns -------------------------------------------------------------

    def remember(self, attribution: Attribution) -> None:
        if attribution.kind == "named" and attribution.source is not None:
            self.last_source = attribution.source
            person = person_name(self.doc, attribution.source)
            if person is not None:
                self.last_person = person
        elif attribution.kind == "pronoun" and attribution.refers_to is not None:
            self.last_source = attribution.refers_to

    def person_before(self, i: int) -> Span | None:
        """The last person named before word ``i``: in a sentence after the last named
        source (scanned back at most a few sentences), else that source's name."""
        known = self.last_person
        here = self.doc.sentence_of[i]
        for s in range(here, max(-1, here - _PRONOUN_LOOKBACK), -1):
            start, end = self.doc.sentences[s]
            if known is not None and start <= known[0]:
                break  # the sentence of the last named source: its name is the answer
            if s == here:
                end = self.words.starts[i]
            # a name far back in an endless sentence is no antecedent (and costs time)
            start = max(start, self.words.starts[max(0, i - _PRONOUN_WINDOW)])
            if start >= end:
                if s == here:
                    continue  # the pronoun opens its sentence
                break
            person = person_name(self.doc, (start, end))
            if person is not None:
                return person
        return known

    # ---- one cue ---------------------------------------------------------------------------

    def attribute(self, sentence: int, match: Match) -> Attribution | None:
        flags = match.entry.cue_flags or frozenset()
        loaded = "loaded" in flags
        confidence = match.entry.weight
        cue: Span = (match.start, match.end)
        lo = self.doc.sentence_words[sentence].start
        hi = self.doc.sentence_words[sentence].stop
        if "vague" in flags:
            return Attribution("vague", cue, None, loaded, "attribution.passive", confidence)
        if "prep" in flags:
            np = self._noun_phrase_after(match.last, hi, allow_lowercase=True)
            if np is None:
                return None
            kind = self._classify(np[0], np[1], lo, document=True)
            rule = "attribution.vague-source" if kind == "vague" else "attribution.according-to"
            return Attribution(kind, cue, self._span(np), loaded, rule, confidence)
        weak = "weak" in flags
        first = match.first
        before = first - 1
        if (
            before >= lo
            and not self.doc.quoted[before]
            and self.norms[before]
            in _DEFINITE
            | {
                "to",
                "for",
                "of",
                "a",
                "an",
            }
        ):
            return None  # "the report", "to say", "for comment": not a verb here
        if before >= lo and self.norms[before] == "to":
            return None
        # a passive: "is said to", "were told", with or without "by" and an agent
        k = before
        while k >= lo and self.norms[k] in _SKIP and not self.doc.quoted[k]:
            if self.norms[k] in _NEGATIONS:
                return None  # "did not say": no content is attributed
            k -= 1
        if (
            k >= lo
            and self.norms[k] in _BE
            and (self.norms[first] in _PASSIVE_FORMS or self.norms[first].endswith("ed"))
        ):
            if k - 1 >= lo and self.norms[k - 1] in _MODALS and self.norms[k] == "be":
                return None  # "can be said to": a hedge, not an attribution
            before_be = k - 1
            while before_be >= lo and self.norms[before_be] in _SKIP:
                before_be -= 1
            if before_be >= lo and _first_person(self.norms[before_be]):
                span = (self.words.starts[before_be], self.words.ends[before_be])
                return Attribution("writer", cue, span, loaded, "voice.first-person", confidence)
            return self._passive(match, hi, lo, loaded, weak)
        if weak and not self._complement_follows(match, hi) and not self._quote_before(first, lo):
            return None
        subject = self._subject(k, first, lo)
        if isinstance(subject, str):
            return None
        if subject is None:
            np = self._noun_phrase_after(match.last, hi, allow_lowercase=False)
            if np is None:
                return None
            return self._make(np, cue, loaded, confidence, lo, inverted=True)
        return self._make(subject, cue, loaded, confidence, lo, inverted=False)

    def _make(
        self,
        np: tuple[int, int],
        cue: Span,
        loaded: bool,
        confidence: float,
        lo: int,
        inverted: bool,
    ) -> Attribution | None:
        first, last = np
        span = self._span(np)
        if last - first == 1:
            word = self.norms[first]
            if _first_person(word):
                return Attribution("writer", cue, span, loaded, "voice.first-person", confidence)
            if word in _PERSON_PRONOUNS or word == "they":
                target = self.person_before(first) if word != "they" else self.last_source
                certainty = confidence * (0.9 if target is not None else 0.7)
                rule = "attribution.loaded-cue" if loaded else "attribution.pronoun"
                return Attribution("pronoun", cue, span, loaded, rule, certainty, target)
            if word in _UNUSABLE_SUBJECTS:
                return None
        kind = self._classify(first, last, lo)
        if loaded:
            rule = "attribution.loaded-cue"
        elif kind == "vague":
            rule = "attribution.vague-source"
        else:
            rule = "attribution.inverted" if inverted else "attribution.cue"
        return Attribution(kind, cue, span, loaded, rule, confidence)

    def _span(self, np: tuple[int, int]) -> Span:
        return (self.words.starts[np[0]], self.words.ends[np[1] - 1])

    def _passive(
        self, match: Match, hi: int, lo: int, loaded: bool, weak: bool
    ) -> Attribution | None:
        cue: Span = (match.start, match.end)
        after = match.last
        if after < hi and self.norms[after] == "by" and not self.doc.quoted[after]:
            np = self._noun_phrase_after(after + 1, hi, allow_lowercase=True)
            if np is not None:
                kind = self._classify(np[0], np[1], lo)
                rule = "attribution.vague-source" if kind == "vague" else "attribution.cue"
                if loaded:
                    rule = "attribution.loaded-cue"
                return Attribution(kind, cue, self._span(np), loaded, rule, match.entry.weight)
        if weak and not self._complement_follows(match, hi):
            return None
        return Attribution("vague", cue, None, loaded, "attribution.passive", 0.7)

    # ---- the words around the cue ----------------------------------------------------------

    def _complement_follows(self, match: Match, hi: int) -> bool:
        """Whether what follows the cue reads as reported content (that, a colon, a quote)."""
        text = self.doc.text
        after = match.end
        gap_end = (
            self.words.starts[match.last]
            if match.last < hi
            else self.doc.sentences[self.doc.sentence_of[match.first]][1]
        )
        gap = text[after:gap_end]
        if ":" in gap or any(mark in gap for mark in "\"“‘'«"):
            return True
        if match.last < hi and self.norms[match.last] in _COMPLEMENT_STARTS:
            return True
        # "slammed the plan as “a blank cheque”": a quotation after "as" a few words on
        for i in range(match.last, min(hi, match.last + _OBJECT_WORDS)):
            if self.doc.quoted[i] or (i > match.last and not _plain_gap(self._gap(i))):
                return False
            if self.norms[i] in ("as", "that") and i + 1 < hi and self.doc.quoted[i + 1]:
                return True
        return False

    def _quote_before(self, first: int, lo: int) -> bool:
        """Whether a quotation ends right before the cue (a pronoun or a name between)."""
        k = first - 1
        steps = 0
        while k >= lo and not self.doc.quoted[k] and steps < 4:
            k -= 1
            steps += 1
        if k < lo or not self.doc.quoted[k]:
            return False
        between = self.doc.text[self.words.ends[k] : self.words.starts[first]].lstrip()
        # the quoted utterance ends with its own punctuation: `...,” she said`
        return len(between) >= 2 and between[0] in ",.?!…—–" and between[1] in "\"”’'»"

    def _subject(self, k: int, cue_first: int, lo: int) -> tuple[int, int] | str | None:
        """The subject before the cue: ``(first, last)`` words, None if none, "stop" if unfit.

        ``k`` is the last word before the cue once auxiliaries and adverbs are skipped.
        """
        if k < lo or self.doc.quoted[k]:
            return None
        nxt = k + 1
        gap = self.doc.text[self.words.ends[k] : self.words.starts[nxt]]
        if any(mark in gap for mark in "\"”’'»“"):
            return None  # a quotation right before: the source comes after the cue
        if "," in gap or "—" in gap or "–" in gap:
            return self._appositive_subject(k, lo)
        if not _plain_gap(gap):
            return None
        np = self._noun_phrase_before(k, lo)
        if np is None:
            return "stop"
        if np[0] > lo and self.norms[np[0] - 1] in _SUBORDINATE:
            return "stop"  # "whatever the board says": not an attribution of this sentence
        return np

    def _appositive_subject(self, k: int, lo: int) -> tuple[int, int] | str | None:
        """``A, B, said``: the source is A (or "A, B" when B is the name of A)."""
        # find the comma (or dash) that opens the appositive
        j = k
        while j > lo:
            gap = self.doc.text[self.words.ends[j - 1] : self.words.starts[j]]
            if self.doc.quoted[j - 1] or k - j + 1 > _MAX_APPOSITIVE:
                return "stop"
            if "," in gap or "—" in gap or "–" in gap:
                break
            j -= 1
        else:
            return "stop"
        head = self._noun_phrase_before(j - 1, lo)
        if head is None:
            return "stop"
        if self.norms[j] in ("who", "which") or not self._all_capitalised(j, k + 1):
            return head  # "Dr. Helen Achebe, a structural engineer ..., said"
        return (head[0], k + 1)  # "The board chair, Ruth Calloway, said"

    def _all_capitalised(self, first: int, last: int) -> bool:
        return all(
            _capitalised(self.words.raw[i]) or self.norms[i] in _LINKS for i in range(first, last)
        ) and _capitalised(self.words.raw[first])

    def _noun_phrase_before(self, k: int, lo: int) -> tuple[int, int] | None:
        """The noun phrase that ends with word ``k``, as ``(first, last)``, or None."""
        norms = self.norms
        if norms[k] in _CLAUSE_WORDS or norms[k] in _BE or norms[k] in _LINKS:
            return None
        start = k
        while start > lo and k - start + 1 < _MAX_NP:
            prev = start - 1
            if self.doc.quoted[prev] or not _plain_gap(self._gap(start), self.words.raw[prev]):
                break
            word = norms[prev]
            if word in _CLAUSE_WORDS or word in _BE or word in _SKIP:
                break
            opens_phrase = norms[start] in _DEFINITE or norms[start] in _INDEFINITE
            if opens_phrase and (word not in _LINKS or prev == lo):
                break
            if word in _LINKS and prev == lo:
                break
            if _lowercase_verb(self.words.raw[prev]) or _adverb(self.words.raw[prev]):
                break
            start = prev
        while start <= k and norms[start] in _LINKS:
            start += 1
        if start > k:
            return None
        return (start, k + 1)

    def _noun_phrase_after(self, i: int, hi: int, allow_lowercase: bool) -> tuple[int, int] | None:
        """The noun phrase that starts at word ``i`` (after a cue), or None."""
        norms = self.norms
        if i >= hi or self.doc.quoted[i]:
            return None
        if norms[i] in _CLAUSE_WORDS or norms[i] in _BE:
            return None
        first_ok = (
            _capitalised(self.words.raw[i])
            or norms[i] in _DEFINITE
            or norms[i] in _INDEFINITE
            or norms[i] in _PERSON_PRONOUNS
            or norms[i] in _QUANTIFIERS
            or norms[i] == "they"
            or allow_lowercase
        )
        if not first_ok:
            return None
        end = i + 1
        if norms[i] in _PERSON_PRONOUNS or norms[i] == "they":
            return (i, end)
        while end < hi and end - i < _MAX_NP:
            if self.doc.quoted[end] or not _plain_gap(self._gap(end), self.words.raw[end - 1]):
                break
            word = norms[end]
            if word in _CLAUSE_WORDS or word in _BE or word in _SKIP:
                break
            if not allow_lowercase and not (
                _capitalised(self.words.raw[end]) or word in _LINKS or norms[i] in _DEFINITE
            ):
                break
            end += 1
        while end > i + 1 and norms[end - 1] in _LINKS | _DEFINITE | _INDEFINITE:
            end -= 1
        return (i, end)

    def _gap(self, i: int) -> str:
        return self.doc.text[self.words.ends[i - 1] : self.words.starts[i]]

    def _has_name(self, first: int, last: int, lo: int) -> bool:
        for i in range(first, last):
            if not _capitalised(self.words.raw[i]):
                continue
            if i == lo and _is_sentence_opener(self.doc, i):
                continue
            if i in self.vague_words:
                continue
            return True
        return False

    def _classify(self, first: int, last: int, lo: int, document: bool = False) -> str:
        """``named`` or ``vague`` for the noun phrase of words ``first`` to ``last``.

        ``document`` is for the phrase after "according to", which may name a document ("a
        notice posted at the checkpoint"): only an anonymous head makes that vague.
        """
        norms = self.norms
        head = last - 1
        for i in range(first + 1, last):
            if norms[i] in _LINKS:
                head = i - 1
                break
        vague_head = any(i in self.vague_words for i in range(first, head + 1))
        if vague_head and not self._has_name(head + 1, last, lo):
            return "vague"
        if document or self._has_name(first, last, lo):
            return "named"
        if any(
            norms[i] in _DEFINITE or norms[i].endswith(("'s", "s'")) for i in range(first, last)
        ):
            return "named"
        if last - first == 1 and _capitalised(self.words.raw[first]):
            return "named"  # "Smith said", "Police said"
        return "vague"


def _plain_gap(gap: str, before_word: str = "") -> bool:
    """Whether a gap between two words keeps them in one noun phrase."""
    if gap.isspace():
        return True
    stripped = gap.strip()
    if stripped == "." and before_word:
        # "Dr. Lin", "U.S. officials", "J. Smith": an abbreviation, not the end of anything
        return before_word.lower() in _TITLES or len(before_word) == 1
    return stripped in ("&",)


def _first_person(word: str) -> bool:
    """I or we, with or without a contraction ("we'll", "I've")."""
    return word in _WRITER or word.split("'", 1)[0] in _WRITER


def _adverb(word: str) -> bool:
    """A lowercase word ending in -ly ("ultimately"): no part of a noun phrase."""
    return word[:1].islower() and len(word) > 4 and word.endswith("ly")


def _lowercase_verb(word: str) -> bool:
    """A lowercase word ending like a past tense verb ("voted", "asked"): no part of a name."""
    return word[:1].islower() and len(word) > 4 and word.endswith("ed")
