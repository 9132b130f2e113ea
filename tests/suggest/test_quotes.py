"""Pairing quotation marks: curly and straight, apostrophes, unpaired marks."""

from __future__ import annotations

from annotator.suggest.quotes import find_quotes


def quoted(text: str) -> list[str]:
    quotes, _ = find_quotes(text)
    return [text[q.start : q.end] for q in quotes]


def unpaired(text: str) -> list[tuple[int, str]]:
    _, notes = find_quotes(text)
    return [(n.start, text[n.start]) for n in notes]


def test_curly_and_straight_double_quotes() -> None:
    assert quoted('He said “yes” and then "no".') == ["“yes”", '"no"']


def test_apostrophes_are_not_quotes() -> None:
    text = "The mayor’s plan, the Smiths’ house, the ’90s and don't."
    assert quoted(text) == []
    assert unpaired(text) == []


def test_single_quotes_pair_around_words() -> None:
    assert quoted("Why ‘left behind’ places needed ‘levelling up’.") == [
        "‘left behind’",
        "‘levelling up’",
    ]
    assert quoted("It was 'odd' and it's over.") == ["'odd'"]


def test_nested_quotes() -> None:
    assert quoted("He said “a ‘nested’ quote” here.") == ["“a ‘nested’ quote”", "‘nested’"]


def test_unbalanced_marks_are_reported_not_guessed() -> None:
    text = "Theresa May said: ‘Socialism is about levelling down."
    assert quoted(text) == []
    assert unpaired(text) == [(18, "‘")]
    text = "The plan” was dropped."
    assert quoted(text) == []
    assert unpaired(text) == [(8, "”")]


def test_an_opening_mark_of_a_kind_already_open_reports_the_first() -> None:
    text = "He said “one thing. Then “another thing” here."
    assert quoted(text) == ["“another thing”"]
    assert unpaired(text) == [(8, "“")]


def test_a_quotation_running_on_into_the_next_paragraph() -> None:
    text = "“The first paragraph goes on.\n\n“And the second ends,” he said."
    quotes, notes = find_quotes(text)
    assert notes == []
    assert [(text[q.start : q.end], q.continued) for q in quotes] == [
        ("“The first paragraph goes on.", True),
        ("“And the second ends,”", False),
    ]


def test_an_unclosed_quote_at_a_paragraph_end_is_reported() -> None:
    assert unpaired("“Never closed.\n\nNext paragraph.") == [(0, "“")]


def test_unbalanced_marks_lower_the_confidence_and_say_why() -> None:
    from suggest_support import default_suggester

    balanced = default_suggester().suggest("The plan was dropped on Monday.").suggestions[0]
    text = "The plan” was dropped on Monday."
    result = default_suggester().suggest(text)
    statement = result.suggestions[0]
    assert statement.confidence < balanced.confidence
    assert "closing quotation mark" in statement.attrs["note"]
    assert [(n.start, n.rule) for n in result.notes] == [(8, "quotes.unbalanced")]
