"""Loaded-language spans from the built-in lexicon, and scare quotes."""

from __future__ import annotations

from suggest_support import only_statement, spans


def test_inflected_and_multi_word_entries() -> None:
    found = spans("Rents soared. The senator slammed the plan and lashed out at critics.")
    assert ("exaggeration", "soared", "lexicon:loaded-language") in found
    assert ("emotive", "slammed", "lexicon:loaded-language") in found
    assert ("emotive", "lashed out", "lexicon:loaded-language") in found


def test_each_category_of_the_default_scheme() -> None:
    text = (
        "The regime called the protesters thugs. Prices skyrocketed. It was a fiasco."
        " Outsiders are flooding into our schools. The so-called reform passed."
    )
    labels = {label for label, _, _ in spans(text)}
    assert labels == {"labeling", "exaggeration", "emotive", "fear", "epistemic"}


def test_a_metaphor_with_a_wildcard_spans_its_words() -> None:
    found = spans("The audit is a red mark on his report card.")
    assert ("emotive", "red mark on his report card", "lexicon:loaded-language") in found


def test_nested_matches_of_one_label_keep_the_longest() -> None:
    found = [text for label, text, _ in spans("It is the worst crisis in the town’s history.")]
    assert found == ["the worst crisis in the town’s history"]


def test_words_inside_a_quote_are_suggested_with_less_confidence() -> None:
    from suggest_support import default_suggester

    text = "“It is a fiasco,” she said. It is a fiasco."
    found = [s for s in default_suggester().suggest(text).suggestions if s.label == "emotive"]
    assert [text[s.start : s.end] for s in found] == ["fiasco", "fiasco"]
    assert found[0].confidence < found[1].confidence


def test_scare_quotes_are_epistemic() -> None:
    text = "The council’s “reform” doubles the fee."
    assert ("epistemic", "“reform”", "quotes.scare") in spans(text)
    assert only_statement(text).label == "editorial"


def test_so_called_joins_its_scare_quote() -> None:
    found = spans("The so-called “efficiency plan” cut two sailings a day.")
    assert ("epistemic", "so-called “efficiency plan”", "quotes.scare") in found


def test_a_quoted_fragment_with_a_speaker_is_no_scare_quote() -> None:
    assert not [s for s in spans("He said the plan was “dead on arrival”.") if s[0] == "epistemic"]
    assert not [s for s in spans("“Never,” she said.") if s[0] == "epistemic"]


def test_a_quoted_name_being_reported_is_no_scare_quote() -> None:
    found = spans("Activists, whom one columnist called “professional agitators”, gathered.")
    assert ("epistemic", "“professional agitators”", "quotes.scare") not in found
    assert ("labeling", "professional agitators", "lexicon:loaded-language") in found


def test_a_long_quotation_is_no_scare_quote() -> None:
    text = "The sign read “no entry for trucks after dark on weekdays”."
    assert not [s for s in spans(text) if s[2] == "quotes.scare"]
