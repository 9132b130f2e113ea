"""Write ``examples/reviews.jsonl``: two reviewers' finished annotations of the sample articles.

The reviewers, ``ana`` and ``ben``, are fictional. Their annotations are written here as phrases,
not offsets: every offset in the output is computed from the article text, so it is always
right. Each statement (sentence) gets one label from each reviewer; ``attributed`` and
``mixed`` statements carry ``source`` and ``cue`` spans. The two disagree the way real
reviewers do: some statement labels differ, some loaded spans have other boundaries or another
label, each misses a span the other marked, and ben picks one wrong source. Each article
carries the (fictional) outlet that ran it in its ``meta``, so ``annotator report --group-by
outlet`` has two groups to compare.

The document text is the canonical text that ``annotator import`` stores for the ``.txt`` file
(everything after the title line and the blank line) and the segments are ``split_sentences``
of it, so importing ``examples/`` and this file yields the same documents.

Run from the repository root: ``python examples/make_reviews.py``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotator.core.scheme_loader import load_scheme
from annotator.core.segment import split_sentences
from annotator.core.text import canonicalize
from annotator.io.build import build_document
from annotator.io.jsonl import parse_jsonl_file
from annotator.io.plaintext import split_title
from annotator.resources import default_scheme_path

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "reviews.jsonl"
REVIEWERS = ("ana", "ben")


@dataclass(frozen=True)
class Said:
    """A statement label with its source and cue phrases (found nearest to the sentence)."""

    label: str
    source: str
    cue: str


Statement = str | Said
# One entry per sentence, in order: (start of the sentence, ana's label, ben's label).
Statements = list[tuple[str, Statement, Statement]]
# A loaded span: (label, phrase) or (label, phrase, a longer unique stretch that holds it).
Span = tuple[str, str] | tuple[str, str, str]

A, M = "attributed", "mixed"

OUTLETS: dict[str, str] = {
    "riverton-bridge": "Valley Courier",
    "harlow-vale-clinic": "Valley Courier",
    "kessen-ferry": "Harbour Ledger",
    "pellar-border": "Harbour Ledger",
}
"""The outlet of each article (``meta.outlet``): two fictional papers."""

ARTICLES: dict[str, tuple[Statements, dict[str, list[Span]]]] = {
    "riverton-bridge": (
        [
            ("RIVERTON — The Riverton city council", "reporting", "reporting"),
            (
                "The cost of the work has soared",
                Said(A, "the city’s public works department", "according to figures released by"),
                Said(A, "public works department", "according to"),
            ),
            (
                "Mayor Dana Oduya said",
                Said(A, "Mayor Dana Oduya", "said"),
                Said(A, "Mayor Dana Oduya", "said"),
            ),
            ("“We have the steel", Said(A, "she", "told"), Said(A, "she", "told reporters")),
            ("“What we need now", Said(A, "she", "told"), Said(A, "she", "told reporters")),
            ("I am not going to promise", Said(A, "she", "told"), Said(A, "she", "told reporters")),
            (
                "Councillor Marcus Hale slammed",
                Said(M, "Councillor Marcus Hale", "slammed"),
                Said(A, "Marcus Hale", "slammed"),
            ),
            ("He voted against it", "reporting", "reporting"),
            ("Critics argue", "vague", "vague"),
            ("It is widely believed", "vague", "editorial"),
            ("The delay is a red mark", "editorial", "editorial"),
            (
                "Shop owners on Mill Street say",
                "vague",
                Said(A, "Shop owners on Mill Street", "say"),
            ),
            (
                "Elena Varga, who runs",
                Said(A, "Elena Varga", "said"),
                Said(A, "Elena Varga", "said"),
            ),
            ("“People simply stopped", Said(A, "she", "said"), Said(A, "she", "said")),
            (
                "A spokesperson for Greyford",
                Said(A, "A spokesperson for Greyford Civil Works", "said"),
                "vague",
            ),
            (
                "Dr. Helen Achebe",
                Said(A, "Dr. Helen Achebe", "said"),
                Said(M, "Dr. Helen Achebe", "said"),
            ),
            ("“This was not a surprise", Said(A, "she", "said"), Said(A, "she", "said")),
            ("Officials say the bridge", "vague", "vague"),
            ("Whether the council has learned", "editorial", "editorial"),
        ],
        {
            "ana": [
                ("exaggeration", "soared"),
                ("emotive", "slammed"),
                ("emotive", "a blank cheque"),
                ("emotive", "a red mark on the mayor’s report card"),
                ("emotive", "fiasco"),
            ],
            "ben": [
                ("exaggeration", "has soared"),
                ("emotive", "slammed"),
                ("emotive", "a blank cheque for a contractor"),
                ("emotive", "red mark on the mayor’s report card"),
                ("emotive", "long before anyone at City Hall paid attention"),
            ],
        },
    ),
    "kessen-ferry": (
        [
            (
                "PORT ALDER — Bluewater Lines",
                Said(A, "the company", "confirmed"),
                "reporting",
            ),
            ("It is the third increase", "reporting", "reporting"),
            ("Fares have skyrocketed", "editorial", "editorial"),
            (
                "Bluewater’s chief executive",
                Said(A, "Bluewater’s chief executive, Mr. Owen Pryce", "said"),
                Said(A, "Mr. Owen Pryce", "said"),
            ),
            ("He insisted", Said(M, "He", "insisted"), Said(A, "He", "insisted")),
            ("“We are not trying", Said(A, "he", "said"), Said(A, "he", "said")),
            ("“If we do not cover", Said(A, "he", "said"), Said(A, "he", "said")),
            ("The company reportedly", "vague", "vague"),
            (
                "Island councillor Bríd Keane",
                Said(A, "Island councillor Bríd Keane", "accused"),
                Said(M, "Bríd Keane", "accused"),
            ),
            ("“Families here", Said(A, "she", "said"), Said(A, "she", "said")),
            ("“Every increase", Said(A, "she", "said"), Said(A, "she", "said")),
            ("Many on the island", "vague", "editorial"),
            ("Some residents say", "vague", "vague"),
            (
                "According to the harbour authority",
                Said(A, "the harbour authority", "According to"),
                Said(A, "the harbour authority", "According to"),
            ),
            ("The so-called", "reporting", "editorial"),
            (
                "Dr. Nadia Osei",
                Said(A, "Dr. Nadia Osei", "said"),
                Said(A, "Dr. Nadia Osei", "said"),
            ),
            ("“It is a spiral", Said(A, "she", "said"), Said(A, "she", "said")),
            ("The regional transport minister", "reporting", "reporting"),
            ("Nobody should hold", "editorial", "editorial"),
        ],
        {
            "ana": [
                ("exaggeration", "skyrocketed"),
                ("epistemic", "insisted"),
                ("epistemic", "reportedly"),
                ("emotive", "price gouging"),
                ("fear", "holding the island hostage"),
                ("exaggeration", "the worst crisis in Kessen’s history"),
                ("labeling", "the fat cats"),
                ("epistemic", "so-called “efficiency plan”"),
            ],
            "ben": [
                ("exaggeration", "Fares have skyrocketed"),
                ("epistemic", "insisted"),
                ("emotive", "squeeze", "trying to squeeze anyone"),
                ("epistemic", "reportedly"),
                ("emotive", "price gouging"),
                ("emotive", "holding the island hostage"),
                ("exaggeration", "the worst crisis"),
                ("labeling", "fat cats"),
            ],
        },
    ),
    "pellar-border": (
        [
            ("PELLAR — Trucks lined up", "reporting", "reporting"),
            ("The regime in Castavia", "reporting", "reporting"),
            (
                "Customs officers now open",
                Said(A, "a notice posted at the checkpoint", "according to"),
                Said(A, "Customs officers", "according to"),
            ),
            ("Local hauliers say", "vague", "vague"),
            ("“I used to cross", Said(A, "Tomasz Orlov", "said"), Said(A, "Tomasz Orlov", "said")),
            (
                "Yesterday it took me",
                Said(A, "Tomasz Orlov", "said"),
                Said(A, "Tomasz Orlov", "said"),
            ),
            ("“Nobody told us", Said(A, "Tomasz Orlov", "said"), Said(A, "Tomasz Orlov", "said")),
            ("We read about it", Said(A, "Tomasz Orlov", "said"), Said(A, "Tomasz Orlov", "said")),
            (
                "Castavia’s trade minister",
                Said(A, "Castavia’s trade minister, Irina Velasco", "said"),
                Said(A, "Irina Velasco", "said"),
            ),
            ("She did not say", "reporting", "editorial"),
            ("Some residents of Pellar", "vague", "mixed"),
            (
                "Arrests for irregular crossings",
                Said(A, "the regional police", "according to"),
                Said(A, "the regional police", "according to"),
            ),
            ("It is understood", "vague", "vague"),
            ("Sources close to the talks", "vague", "vague"),
            (
                "The mayor of Pellar",
                Said(A, "The mayor of Pellar, Jonas Brandt", "warned"),
                Said(A, "Jonas Brandt", "warned"),
            ),
            ("“Every day the lorries", Said(A, "he", "said"), Said(A, "he", "said")),
            ("He admitted", Said(M, "He", "admitted"), Said(M, "He", "admitted")),
            ("Analysts warn", "vague", "vague"),
            (
                "Dr. Sofia Marren",
                Said(A, "Dr. Sofia Marren", "put the cost to traders at"),
                Said(A, "Dr. Sofia Marren", "put"),
            ),
            ("The new checks are a cynical", "editorial", "editorial"),
            ("A U.S. trade delegation", "reporting", "reporting"),
        ],
        {
            "ana": [
                ("labeling", "The regime"),
                ("labeling", "illegals"),
                ("epistemic", "admitted"),
                ("fear", "plunged into chaos"),
                ("emotive", "a cynical attempt to squeeze a small neighbour"),
            ],
            "ben": [
                ("labeling", "The regime in Castavia"),
                ("labeling", "illegals"),
                ("exaggeration", "the whole region could be plunged into chaos"),
                ("emotive", "cynical attempt"),
                ("emotive", "squeeze a small neighbour"),
            ],
        },
    ),
    "harlow-vale-clinic": (
        [
            ("HARLOW VALE — The St. Brigid", "reporting", "reporting"),
            (
                "The board chair, Ruth Calloway",
                Said(A, "The board chair, Ruth Calloway", "said"),
                Said(A, "Ruth Calloway", "said"),
            ),
            ("The ward has operated", Said(A, "she", "said"), Said(A, "she", "said")),
            (
                "Dr. Amir Sato",
                Said(A, "Dr. Amir Sato", "described the closure as"),
                Said(A, "Dr. Amir Sato", "described"),
            ),
            ("“We see heart attacks", Said(A, "he", "said"), Said(A, "he", "said")),
            ("Those patients will now", Said(A, "he", "said"), Said(A, "he", "said")),
            ("Some of them will not", Said(A, "he", "said"), Said(A, "he", "said")),
            (
                "The clinic’s own figures",
                Said(A, "The clinic’s own figures", "show"),
                "reporting",
            ),
            ("Critics argue", "vague", "vague"),
            ("It has been suggested", "vague", "vague"),
            ("Health officials say", "vague", "vague"),
            ("Residents say one ambulance", "vague", "vague"),
            (
                "Ms. Calloway claimed",
                Said(M, "Ms. Calloway", "claimed"),
                Said(A, "Ms. Calloway", "claimed"),
            ),
            ("Few people in Harlow Vale", "editorial", "editorial"),
            ("Families are terrified", "editorial", "editorial"),
            (
                "The regional health authority",
                Said(A, "The regional health authority", "said"),
                Said(A, "The regional health authority", "said"),
            ),
            (
                "A spokesperson for the authority",
                Said(A, "A spokesperson for the authority", "said"),
                "vague",
            ),
            ("The closure is the latest blow", "editorial", "editorial"),
            ("Whatever the board says", "editorial", "editorial"),
        ],
        {
            "ana": [
                ("emotive", "a disaster waiting to happen"),
                ("emotive", "starved"),
                ("epistemic", "claimed"),
                ("emotive", "terrified"),
                ("fear", "no one in the valley will be safe after dark"),
                ("emotive", "the latest blow"),
                ("epistemic", "so-called “consultation”"),
            ],
            "ben": [
                ("fear", "a disaster waiting to happen"),
                ("emotive", "starved the ward of money"),
                ("epistemic", "claimed"),
                ("emotive", "terrified"),
                ("fear", "no one in the valley will be safe"),
                ("epistemic", "so-called"),
            ],
        },
    ),
}


def occurrences(text: str, phrase: str) -> list[int]:
    """Start offsets of ``phrase`` in ``text`` as a whole word or words."""
    pattern = re.compile(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)")
    return [match.start() for match in pattern.finditer(text)]


def unique_span(text: str, phrase: str, within: str | None = None) -> tuple[int, int]:
    """The one place ``phrase`` occurs (inside ``within``, when given, which must be unique)."""
    holder = within or phrase
    starts = occurrences(text, holder)
    if len(starts) != 1:
        raise SystemExit(f"{holder!r} occurs {len(starts)} times; give a unique stretch")
    start = starts[0] + holder.index(phrase)
    return start, start + len(phrase)


def nearest_span(text: str, phrase: str, segment: tuple[int, int]) -> tuple[int, int]:
    """``phrase`` inside the sentence if it is there, else its nearest occurrence."""
    starts = occurrences(text, phrase)
    if not starts:
        raise SystemExit(f"{phrase!r} does not occur in the text")
    seg_start, seg_end = segment

    def distance(start: int) -> int:
        if seg_start <= start and start + len(phrase) <= seg_end:
            return -1
        return min(abs(start - seg_start), abs(start - seg_end))

    best = min(starts, key=distance)
    return best, best + len(phrase)


def annotation(
    text: str, annotator: str, layer: str, label: str, span: tuple[int, int], attrs: dict[str, Any]
) -> dict[str, Any]:
    start, end = span
    assert text[start:end].strip() == text[start:end] and end > start
    return {
        "annotator": annotator,
        "layer": layer,
        "label": label,
        "start": start,
        "end": end,
        "text": text[start:end],
        "attrs": {key: attrs[key] for key in sorted(attrs)},
        "origin": "import",
    }


def document(doc_id: str, statements: Statements, spans: dict[str, list[Span]]) -> dict[str, Any]:
    raw = (HERE / f"{doc_id}.txt").read_text(encoding="utf-8")
    title, text = split_title(canonicalize(raw), doc_id)
    segments = split_sentences(text)
    if len(segments) != len(statements):
        raise SystemExit(f"{doc_id}: {len(segments)} sentences but {len(statements)} statements")
    by_reviewer: dict[str, list[dict[str, Any]]] = {name: [] for name in REVIEWERS}
    for segment, (opening, *labels) in zip(segments, statements, strict=True):
        if not text.startswith(opening, segment[0]):
            found = text[segment[0] : segment[1]]
            raise SystemExit(f"{doc_id}: sentence {found!r} does not start with {opening!r}")
        for name, statement in zip(REVIEWERS, labels, strict=True):
            attrs: dict[str, Any] = {}
            label = statement
            if isinstance(statement, Said):
                label = statement.label
                for key, phrase in (("source", statement.source), ("cue", statement.cue)):
                    start, end = nearest_span(text, phrase, segment)
                    attrs[key] = {"start": start, "end": end}
            assert isinstance(label, str)
            by_reviewer[name].append(annotation(text, name, "statement", label, segment, attrs))
    for name in REVIEWERS:
        loaded = []
        for span in spans[name]:
            label, phrase = span[0], span[1]
            within = span[2] if len(span) == 3 else None
            where = unique_span(text, phrase, within)
            loaded.append(annotation(text, name, "loaded", label, where, {}))
        by_reviewer[name].extend(sorted(loaded, key=lambda a: (a["start"], a["end"])))
    return {
        "id": doc_id,
        "title": title,
        "text": text,
        "meta": {"outlet": OUTLETS[doc_id]},
        "segments": [[start, end] for start, end in segments],
        "status": {name: "done" for name in REVIEWERS},
        "annotations": [a for name in REVIEWERS for a in by_reviewer[name]],
    }


def render() -> str:
    """The content of ``reviews.jsonl``: one JSON document per line, sorted by id."""
    lines = [
        json.dumps(document(doc_id, statements, spans), ensure_ascii=False)
        for doc_id, (statements, spans) in sorted(ARTICLES.items())
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    content = render()
    OUTPUT.write_text(content, encoding="utf-8")
    # Check the file the way `annotator import` will: shape, offsets, labels, segments.
    scheme = load_scheme(default_scheme_path())
    for record in parse_jsonl_file(OUTPUT, str(OUTPUT), OUTPUT.stem):
        build_document(record, scheme)
    print(f"wrote {OUTPUT.name}: {content.count(chr(10))} documents")


if __name__ == "__main__":
    main()
