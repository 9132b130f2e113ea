"""Lexicons: lists of expressions, each with a tag that says what finding it means.

The file format (the built-in lexicons in ``annotator/suggest/lexicons/`` use it too, and
``docs/suggestions.md`` documents it for users): UTF-8 text, one entry per line,
``EXPRESSION  TAG  [WEIGHT]``, fields separated by whitespace (a tab or spaces). Lines that
are blank or start with ``#`` are ignored.

* **EXPRESSION** is one or more words, matched as whole words with any whitespace (line breaks
  too) between them. Punctuation written inside or between the words must be there in the text
  (``U.S. officials``, ``so-called “reform”``). All lowercase matches any case; an expression
  with a capital letter matches that case exactly. Per word: ``a|b|c`` gives alternatives
  (``sink|sank|sunk``), a trailing ``+`` adds the regular -s, -ed and -ing forms (``slam+``
  finds slams, slammed, slamming), ``*`` stands for any one word and ``**`` for up to three
  (``a red mark on ** report card``). An expression cannot start or end with a wildcard.
* **TAG** is ``LAYER/LABEL`` to suggest that label (``loaded/emotive``): a span of the match on
  a span layer, or, on a segment layer, evidence for that label of the sentence that holds the
  match (``statement/editorial``). The attribution rules use a few more tags: ``cue`` (a
  reporting verb or phrase; ``cue:loaded`` one that also tilts belief, such as "claimed";
  ``cue:weak`` one that reports only with ``that``, a colon or a quotation after it;
  ``cue:prep`` one whose source follows it, such as "according to"; ``cue:vague`` one that
  hides its source, such as "it is believed"; flags combine: ``cue:loaded,weak``) and
  ``source:vague`` (an anonymous or collective source, such as "officials").
* **WEIGHT** (optional, default 1) is how sure the entry is, from above 0 to 1: the confidence
  of a span suggestion; for a segment label, the weights of the entries found in a sentence add
  up and the label is suggested once they reach 1.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from annotator.core.scheme import Scheme
from annotator.suggest.inflect import inflections
from annotator.suggest.tokens import WORD, Words, normalize_word

__all__ = [
    "BUILTIN_DIR",
    "CUE_FLAGS",
    "TEAM_SOURCE",
    "Entry",
    "Lexicon",
    "LexiconError",
    "Match",
    "builtin_lexicon",
    "literal_entry",
    "load_lexicon",
    "parse_lexicon",
    "scheme_lexicons",
]

TEAM_SOURCE = "team"
"""The ``source`` of lexicon entries learnt from the team's own annotations."""

BUILTIN_DIR = Path(__file__).resolve().parent / "lexicons"
"""Where the built-in lexicons live, inside the package (so they ship in the wheel)."""

CUE_FLAGS = ("loaded", "weak", "prep", "vague")
"""The flags a ``cue`` tag may carry (``cue:loaded,weak``)."""

ONE = 1
"""A pattern item standing for any one word (``*``)."""
MANY = 2
"""A pattern item standing for zero to three words (``**``)."""
_MANY_MAX = 3

_NAME = re.compile(r"\w[\w.\-]*")
_NUMBER = re.compile(r"\d+(?:\.\d*)?|\.\d+")
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'"})

Item = frozenset[str] | int


class LexiconError(ValueError):
    """A lexicon line that cannot be used: ``str()`` is ``FILE:LINE: what; how to fix``."""

    def __init__(self, source: str, line: int | None, reason: str) -> None:
        self.source = source
        self.line = line
        self.reason = reason
        super().__init__(f"{source}:{line}: {reason}" if line else f"{source}: {reason}")


@dataclass(frozen=True, slots=True)
class Entry:
    """One compiled lexicon line.

    ``items`` are the words to match: a set of accepted forms, or ``ONE``/``MANY`` for a
    wildcard. ``gaps[k]`` is the punctuation required between item ``k - 1`` and item ``k``
    (``""``: whitespace only); ``head`` and ``tail`` the punctuation written right before the
    first word and right after the last (the quote marks of ``“reform”``), which the text must
    have there too and which the match includes. ``exact_case`` entries compare the words as
    written.
    """

    expression: str
    tag: str
    weight: float
    source: str
    line: int
    items: tuple[Item, ...]
    gaps: tuple[str, ...]
    exact_case: bool
    head: str = ""
    tail: str = ""

    @property
    def where(self) -> str:
        return f"{self.source}:{self.line}"

    @property
    def layer_label(self) -> tuple[str, str] | None:
        """``(layer, label)`` for a ``LAYER/LABEL`` tag, else None."""
        if "/" not in self.tag:
            return None
        layer, label = self.tag.split("/", 1)
        return layer, label

    @property
    def cue_flags(self) -> frozenset[str] | None:
        """The flags of a ``cue`` tag (empty for a plain cue), None for any other tag."""
        if self.tag == "cue":
            return frozenset()
        if self.tag.startswith("cue:"):
            return frozenset(self.tag[4:].split(","))
        return None


@dataclass(frozen=True, slots=True)
class Match:
    """Entry ``entry`` found over words ``first`` to ``last`` (exclusive), at ``[start, end)``."""

    first: int
    last: int
    start: int
    end: int
    entry: Entry


def _probe(entry: Entry) -> tuple[frozenset[str], int]:
    """For an entry whose second item is a wildcard: the forms of the first word after the
    wildcards, and how many words after the first that word may lie at most."""
    reach = 0
    for item in entry.items[1:]:
        if isinstance(item, frozenset):
            forms = frozenset(f.lower() for f in item) if entry.exact_case else item
            return forms, reach + 1
        reach += 1 if item == ONE else _MANY_MAX
    return frozenset(), 0


@dataclass(frozen=True, slots=True)
class _Bucket:
    """The entries whose first word takes one form: by their second word where it is a word.

    Many expressions start with a common word ("the fact is", "of course"); keying them on the
    second word as well means a text's every "the" costs one look-up, not one try per entry.
    """

    alone: tuple[Entry, ...]
    by_next: dict[str, tuple[Entry, ...]]
    wild: tuple[tuple[Entry, frozenset[str], int], ...]


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Entries, indexed by the forms their first two words accept."""

    entries: tuple[Entry, ...] = ()
    _index: dict[str, _Bucket] = field(init=False, repr=False, compare=False, default_factory=dict)

    def __post_init__(self) -> None:
        alone: dict[str, list[Entry]] = {}
        by_next: dict[str, dict[str, list[Entry]]] = {}
        wild: dict[str, list[Entry]] = {}
        for entry in self.entries:
            first = entry.items[0]
            assert isinstance(first, frozenset)
            second = entry.items[1] if len(entry.items) > 1 else None
            for form in first:
                key = form.lower() if entry.exact_case else form
                if second is None:
                    alone.setdefault(key, []).append(entry)
                elif isinstance(second, frozenset):
                    nexts = by_next.setdefault(key, {})
                    for following in second:
                        nxt = following.lower() if entry.exact_case else following
                        nexts.setdefault(nxt, []).append(entry)
                else:
                    wild.setdefault(key, []).append(entry)
        for key in alone.keys() | by_next.keys() | wild.keys():
            self._index[key] = _Bucket(
                tuple(alone.get(key, ())),
                {nxt: tuple(found) for nxt, found in by_next.get(key, {}).items()},
                tuple((entry, *_probe(entry)) for entry in wild.get(key, ())),
            )

    def __add__(self, other: Lexicon) -> Lexicon:
        return Lexicon(self.entries + other.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def select(self, keep: Iterable[Entry]) -> Lexicon:
        """A lexicon of the given entries (of this one), in their order here."""
        wanted = {id(entry) for entry in keep}
        return Lexicon(tuple(entry for entry in self.entries if id(entry) in wanted))

    def find(self, words: Words, start: int = 0, end: int | None = None) -> list[Match]:
        """Every match of every entry in ``words[start:end]``, in text order.

        Matches of different entries may overlap; a match never runs past ``end``.
        """
        index = self._index
        norms = words.norms
        stop = len(norms) if end is None else end
        found: list[Match] = []
        for i in range(start, stop):
            bucket = index.get(norms[i])
            if bucket is None:
                continue
            candidates = bucket.alone
            if bucket.by_next and i + 1 < stop:
                candidates += bucket.by_next.get(norms[i + 1], ())
            for entry, probe, reach in bucket.wild:
                # the word after the wildcards must be near, or the entry cannot match here
                if not probe.isdisjoint(norms[i + 1 : min(stop, i + 1 + reach)]):
                    candidates += (entry,)
            for entry in candidates:
                last = _match_at(entry, words, i, stop)
                if last <= i:
                    continue
                begin, finish = words.starts[i], words.ends[last - 1]
                if entry.head or entry.tail:
                    text = words.text
                    if entry.head:
                        begin -= len(entry.head)
                        if (
                            begin < 0
                            or text[begin : begin + len(entry.head)].translate(_QUOTES)
                            != entry.head
                        ):
                            continue
                    if entry.tail:
                        if text[finish : finish + len(entry.tail)].translate(_QUOTES) != entry.tail:
                            continue
                        finish += len(entry.tail)
                found.append(Match(i, last, begin, finish, entry))
        return found

    def check(self, scheme: Scheme) -> None:
        """Raise ``LexiconError`` for the first entry whose layer or label ``scheme`` lacks."""
        for entry in self.entries:
            error = _scheme_problem(entry, scheme)
            if error:
                raise LexiconError(entry.source, entry.line, error)

    def for_scheme(self, scheme: Scheme) -> Lexicon:
        """The entries ``scheme`` can use (built-in lexicons name layers a scheme may lack)."""
        return self.select(e for e in self.entries if not _scheme_problem(e, scheme))


def _scheme_problem(entry: Entry, scheme: Scheme) -> str:
    pair = entry.layer_label
    if pair is None:
        return ""
    layer_name, label_name = pair
    layer = scheme.layer(layer_name)
    if layer is None:
        names = ", ".join(layer.name for layer in scheme.layers)
        return (
            f"the scheme '{scheme.name}' has no layer '{layer_name}' (tag '{entry.tag}');"
            f" use one of its layers: {names}"
        )
    if layer.label(label_name) is None:
        return (
            f"layer '{layer_name}' of the scheme '{scheme.name}' has no label '{label_name}'"
            f" (tag '{entry.tag}'); use one of: {', '.join(layer.label_names)}"
        )
    return ""


def _match_at(entry: Entry, words: Words, i: int, stop: int) -> int:
    """The end (exclusive word index) of a match of ``entry`` starting at word ``i``, or -1."""
    items = entry.items
    if entry.exact_case and words.raw[i].translate(_QUOTES) not in items[0]:  # type: ignore[operator]
        return -1
    if len(items) == 1:
        return i + 1
    return _match_rest(entry, words, 1, i + 1, stop)


def _match_rest(entry: Entry, words: Words, k: int, i: int, stop: int) -> int:
    items = entry.items
    if k == len(items):
        return i
    item = items[k]
    if item == MANY:
        for skip in range(_MANY_MAX + 1):
            if skip and (i + skip > stop or not _gap_ok(words, i + skip - 1, "")):
                break
            found = _match_rest(entry, words, k + 1, i + skip, stop)
            if found > 0:
                return found
        return -1
    if i >= stop or not _gap_ok(words, i, entry.gaps[k]):
        return -1
    if item != ONE:
        form = words.raw[i].translate(_QUOTES) if entry.exact_case else words.norms[i]
        if form not in item:  # type: ignore[operator]
            return -1
    return _match_rest(entry, words, k + 1, i + 1, stop)


def _gap_ok(words: Words, i: int, required: str) -> bool:
    """Whether the text before word ``i`` (after word ``i - 1``) is the required punctuation."""
    gap = words.text[words.ends[i - 1] : words.starts[i]]
    if not required:
        return gap.isspace()
    return "".join(gap.split()).translate(_QUOTES) == required


# ---- parsing -------------------------------------------------------------------------------


def parse_lexicon(text: str, source: str = "<string>") -> Lexicon:
    """Parse lexicon ``text`` (see the module docstring); ``source`` names it in errors."""
    entries: list[Entry] = []
    for number, raw_line in enumerate(text.splitlines(), start=1):
        line = raw_line.strip()
        if not line or line.startswith("#"):
            continue
        entries.append(_parse_line(line, source, number))
    return Lexicon(tuple(entries))


def load_lexicon(path: str | Path) -> Lexicon:
    """Read and parse the lexicon file at ``path``."""
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise LexiconError(source, None, "no such lexicon file; check the path") from None
    except UnicodeDecodeError as exc:
        raise LexiconError(
            source, None, f"not UTF-8 text ({exc.reason}); save it as UTF-8"
        ) from None
    except OSError as exc:
        raise LexiconError(source, None, f"cannot read it: {exc.strerror}") from None
    return parse_lexicon(text, source)


def scheme_lexicons(scheme: Scheme, base: str | Path | None = None) -> list[Lexicon]:
    """The user lexicons a scheme names (its ``lexicons:`` key), read and checked against it.

    A relative path is taken from the folder of the scheme file, or from ``base`` (the current
    folder by default) for a scheme that was not read from a file, such as one stored in a
    database. Errors say which scheme named the file.
    """
    if scheme.source_path is not None:
        folder = Path(scheme.source_path).parent
    else:
        folder = Path(base) if base is not None else Path.cwd()
    found: list[Lexicon] = []
    for written in scheme.lexicons:
        path = Path(written).expanduser()
        if not path.is_absolute():
            path = folder / path
        try:
            lexicon = load_lexicon(path)
        except LexiconError as exc:
            raise LexiconError(
                exc.source,
                exc.line,
                f"{exc.reason} (named in the lexicons of scheme '{scheme.name}')",
            ) from None
        lexicon.check(scheme)
        found.append(lexicon)
    return found


@lru_cache(maxsize=1)
def builtin_lexicon() -> Lexicon:
    """The lexicons shipped with annotator (``annotator/suggest/lexicons/*.txt``), in one."""
    lexicon = Lexicon()
    for path in sorted(BUILTIN_DIR.glob("*.txt")):
        lexicon = lexicon + parse_lexicon(
            path.read_text(encoding="utf-8"), f"annotator/suggest/lexicons/{path.name}"
        )
    return lexicon


def _parse_line(line: str, source: str, number: int) -> Entry:
    fields = line.split()
    weight = 1.0
    if len(fields) >= 3 and _NUMBER.fullmatch(fields[-1]):
        weight = float(fields.pop())
        if not 0 < weight <= 1:
            raise LexiconError(
                source, number, f"weight {weight:g} is out of range; use a number above 0, up to 1"
            )
    if len(fields) < 2:
        raise LexiconError(
            source,
            number,
            "a line needs an expression and a tag, such as `slam+  loaded/emotive`",
        )
    tag = fields.pop()
    _check_tag(tag, source, number)
    items, gaps, head, tail = _compile(fields, source, number)
    expression = " ".join(fields)
    return Entry(
        expression=expression,
        tag=tag,
        weight=weight,
        source=source,
        line=number,
        items=items,
        gaps=gaps,
        exact_case=any(char.isupper() for char in expression),
        head=head,
        tail=tail,
    )


def _check_tag(tag: str, source: str, number: int) -> None:
    if tag == "cue" or tag == "source:vague":
        return
    if tag.startswith("cue:"):
        flags = tag[4:].split(",")
        unknown = [flag for flag in flags if flag not in CUE_FLAGS]
        if unknown or not flags:
            raise LexiconError(
                source,
                number,
                f"unknown cue flag '{(unknown or [''])[0]}' in tag '{tag}';"
                f" use cue or cue: with {', '.join(CUE_FLAGS)} (comma-separated)",
            )
        return
    layer, slash, label = tag.partition("/")
    if slash and _NAME.fullmatch(layer) and _NAME.fullmatch(label):
        return
    raise LexiconError(
        source,
        number,
        f"unknown tag '{tag}'; use LAYER/LABEL (such as loaded/emotive), cue, cue:loaded,"
        " cue:weak, cue:prep, cue:vague or source:vague",
    )


def _compile(
    words: Sequence[str], source: str, number: int
) -> tuple[tuple[Item, ...], tuple[str, ...], str, str]:
    """The pattern items, the punctuation required before each, the head and the tail."""
    items: list[Item] = []
    gaps: list[str] = []
    pending = ""  # punctuation after the previous word, owed to the gap before the next item
    for word in words:
        if word in ("*", "**"):
            if pending:
                raise LexiconError(
                    source, number, f"punctuation before '{word}'; a wildcard stands alone"
                )
            items.append(ONE if word == "*" else MANY)
            gaps.append("")
            continue
        if "|" in word:
            alternatives = [
                (alt[:-1], True) if alt.endswith("+") else (alt, False) for alt in word.split("|")
            ]
            if not all(WORD.fullmatch(alt) for alt, _ in alternatives):
                raise LexiconError(
                    source,
                    number,
                    f"alternatives '{word}' must each be one word, without punctuation",
                )
            forms: set[str] = set()
            for alt, inflect_alt in alternatives:
                forms.update(_forms([alt], inflect_alt))
            items.append(frozenset(forms))
            gaps.append(pending)
            pending = ""
            continue
        inflect = word.endswith("+") and len(word) > 1
        body = word[:-1] if inflect else word
        tokens = list(WORD.finditer(body))
        if not tokens:
            raise LexiconError(
                source, number, f"'{word}' has no letters or digits; write words to match"
            )
        for k, token in enumerate(tokens):
            before = body[tokens[k - 1].end() if k else 0 : token.start()]
            last = k == len(tokens) - 1
            items.append(_forms([token.group()], inflect and last))
            gaps.append((pending + before).translate(_QUOTES) if k == 0 else before)
            pending = ""
        pending = body[tokens[-1].end() :].translate(_QUOTES)
    if items[0] in (ONE, MANY) or items[-1] in (ONE, MANY):
        raise LexiconError(
            source, number, "an expression cannot start or end with * or **; add a word there"
        )
    head, gaps[0] = gaps[0], ""
    return tuple(items), tuple(gaps), head, pending


def literal_entry(expression: str, tag: str, weight: float, source: str, line: int) -> Entry | None:
    """An entry that matches ``expression`` word for word, in any case, with no operators.

    For expressions taken from annotated text (the team lexicon), where ``|``, ``+`` or ``*``
    are characters, not instructions. None when the expression has no word in it.
    """
    tokens = list(WORD.finditer(expression))
    if not tokens:
        return None
    items: list[Item] = []
    gaps: list[str] = []
    for k, token in enumerate(tokens):
        items.append(frozenset((normalize_word(token.group()),)))
        before = expression[tokens[k - 1].end() : token.start()] if k else ""
        gaps.append("".join(before.split()).translate(_QUOTES))
    return Entry(
        expression=" ".join(expression.split()),
        tag=tag,
        weight=weight,
        source=source,
        line=line,
        items=tuple(items),
        gaps=tuple(gaps),
        exact_case=False,
        head="".join(expression[: tokens[0].start()].split()).translate(_QUOTES),
        tail="".join(expression[tokens[-1].end() :].split()).translate(_QUOTES),
    )


def _forms(written: Sequence[str], inflect: bool) -> frozenset[str]:
    forms: set[str] = set()
    for form in written:
        exact = any(char.isupper() for char in form)
        base = form.translate(_QUOTES) if exact else normalize_word(form)
        forms.update(inflections(base) if inflect else (base,))
    return frozenset(forms)
