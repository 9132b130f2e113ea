"""The team's own lexicon: tagged once, suggested wherever else it occurs."""

from __future__ import annotations

import json
from pathlib import Path

from suggest_support import default_scheme

from annotator.suggest import Suggester, TaggedSpan, team_lexicon

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def tag(text: str, phrase: str, label: str, annotator: str, layer: str = "loaded") -> TaggedSpan:
    start = text.index(phrase)
    return TaggedSpan(start, start + len(phrase), layer, label, annotator)


def test_the_label_most_annotators_gave_wins() -> None:
    one = "The fat cats in the capital voted again."
    two = "Fat cats never pay. The fat  cats won."
    lexicon = team_lexicon(
        [
            (
                one,
                [tag(one, "fat cats", "labeling", "ana"), tag(one, "fat cats", "emotive", "ben")],
            ),
            (two, [tag(two, "Fat cats", "labeling", "cy")]),
        ]
    )
    (entry,) = lexicon.entries
    assert (entry.tag, entry.source) == ("loaded/labeling", "team")
    assert entry.weight == 2 / 4  # two of the three annotators who tagged it, plus one


def test_ties_go_to_the_label_used_most_then_by_name() -> None:
    text = "a power grab, a power grab, a power grab"
    spans = [tag(text, "power grab", "emotive", "ana")]
    spans.append(TaggedSpan(text.rindex("power grab"), len(text), "loaded", "emotive", "ana"))
    spans.append(tag(text, "power grab", "labeling", "ben"))
    (entry,) = team_lexicon([(text, spans)]).entries
    assert entry.tag == "loaded/emotive"
    (entry,) = team_lexicon(
        [
            (
                text,
                [
                    tag(text, "power grab", "labeling", "ana"),
                    tag(text, "power grab", "emotive", "ben"),
                ],
            )
        ]
    ).entries
    assert entry.tag == "loaded/emotive"


def test_what_is_not_learnt() -> None:
    text = "The illegals crossed. A statement that goes on for far too many words here."
    spans = [
        TaggedSpan(4, 11, "loaded", "labeling", "ana"),  # "illegal", cut inside "illegals"
        tag(text, "A statement that goes on for far too many words here.", "emotive", "ana"),
        tag(text, "The illegals crossed.", "reporting", "ana", layer="statement"),
    ]
    assert len(team_lexicon([(text, spans)], layers=["loaded"])) == 0
    assert (
        len(team_lexicon([(text, [tag(text, "illegals", "labeling", "ana")])], min_annotators=2))
        == 0
    )


def test_expressions_are_suggested_elsewhere_with_the_team_rule() -> None:
    tagged = "Islanders call the owners fat cats."
    lexicon = team_lexicon([(tagged, [tag(tagged, "fat cats", "labeling", "ana")])])
    suggester = Suggester(default_scheme(), [lexicon], builtin=False)
    text = "The Fat   Cats of Port Alder met; fatcats did not."
    found = [s for s in suggester.suggest(text).suggestions if s.layer == "loaded"]
    assert [(text[s.start : s.end], s.label, s.rule, s.confidence) for s in found] == [
        ("Fat   Cats", "labeling", "team-lexicon", 0.5)
    ]
    assert found[0].attrs == {"expression": "fat cats"}


def test_special_characters_in_tagged_text_are_taken_literally() -> None:
    tagged = "They called it a so-called “reform” (again)."
    lexicon = team_lexicon([(tagged, [tag(tagged, "“reform”", "labeling", "ana")])])
    suggester = Suggester(default_scheme(), [lexicon], builtin=False)
    text = "Another “reform” and another reform."
    found = [
        text[s.start : s.end]
        for s in suggester.suggest(text).suggestions
        if s.rule == "team-lexicon"
    ]
    assert found == ["“reform”"]


def test_learnt_from_the_sample_reviews_and_found_in_the_other_articles() -> None:
    """Leave one article out: what ana and ben tagged in the other three, suggested in it."""
    docs = [json.loads(line) for line in (EXAMPLES / "reviews.jsonl").read_text().splitlines()]
    for held_out in docs:
        others = [
            (
                d["text"],
                [
                    TaggedSpan(a["start"], a["end"], a["layer"], a["label"], a["annotator"])
                    for a in d["annotations"]
                    if a["layer"] == "loaded"
                ],
            )
            for d in docs
            if d is not held_out
        ]
        lexicon = team_lexicon(others)
        suggester = Suggester(default_scheme(), [lexicon], builtin=False)
        text = held_out["text"]
        for s in suggester.suggest(text).suggestions:
            if s.rule == "team-lexicon":
                # every suggestion is an expression some annotator tagged elsewhere, whole words
                assert text[s.start : s.end].lower() == " ".join(
                    s.attrs["expression"].lower().split()
                )
                assert s.label in {"labeling", "emotive", "exaggeration", "epistemic", "fear"}
