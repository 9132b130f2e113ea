"""One test per attribution rule, on sentences written for these tests."""

from __future__ import annotations

from suggest_support import only_statement, spans, statements


def test_named_source_with_said_before_the_quote() -> None:
    found = only_statement("Mayor Lin Park said: “The bridge will reopen in May.”")
    assert (found.label, found.source, found.cue) == ("attributed", "Mayor Lin Park", "said")
    assert found.rule == "attribution.cue"


def test_named_source_with_said_after_the_quote() -> None:
    found = only_statement("“The bridge will reopen in May,” said Lin Park, the city engineer.")
    assert (found.label, found.source, found.cue) == ("attributed", "Lin Park", "said")
    assert found.rule == "attribution.inverted"


def test_subject_after_the_quote_then_said() -> None:
    found = only_statement("“We did everything by the book,” the clinic's director said.")
    assert (found.label, found.source, found.cue) == (
        "attributed",
        "the clinic's director",
        "said",
    )


def test_straight_quotes_work_like_curly_ones() -> None:
    found = only_statement('"We did everything by the book," said Tomas Reyes.')
    assert (found.label, found.source) == ("attributed", "Tomas Reyes")


def test_a_quote_over_several_sentences_takes_the_speaker_named_at_its_end() -> None:
    text = (
        "“We ran out of steel. Then the rain came. Nobody could have planned for that,”"
        " said Tomas Reyes."
    )
    found = statements(text)
    assert [s.sentence for s in found] == [
        "“We ran out of steel.",
        "Then the rain came.",
        "Nobody could have planned for that,” said Tomas Reyes.",
    ]
    assert {(s.label, s.source, s.cue) for s in found} == {("attributed", "Tomas Reyes", "said")}
    assert [s.rule for s in found] == [
        "attribution.quote",
        "attribution.quote",
        "attribution.inverted",
    ]


def test_a_quote_over_several_sentences_takes_the_speaker_named_before_it() -> None:
    text = "Dr. Amara Obi said: “The ward is full. We turn people away every night.”"
    found = statements(text)
    assert len(found) == 2
    assert {(s.label, s.source, s.cue) for s in found} == {("attributed", "Dr. Amara Obi", "said")}


def test_according_to() -> None:
    found = only_statement(
        "Water use fell 4 percent last year, according to the Harlow water board."
    )
    assert (found.label, found.source, found.cue) == (
        "attributed",
        "the Harlow water board",
        "according to",
    )
    assert found.rule == "attribution.according-to"


def test_according_to_an_anonymous_source_is_vague() -> None:
    found = only_statement("According to sources close to the talks, a deal is near.")
    assert (found.label, found.source) == ("vague", "sources close to the talks")


def test_a_pronoun_source_is_resolved_to_the_last_named_person() -> None:
    text = (
        "Priya Raman, who chairs the board, said the ward would stay open."
        " She added that two nurses had been hired."
    )
    first, second = statements(text)
    assert (first.label, first.source) == ("attributed", "Priya Raman")
    assert (second.label, second.source, second.cue) == ("attributed", "She", "added")
    assert second.refers_to == "Priya Raman"
    assert second.rule == "attribution.pronoun"


def test_a_pronoun_source_found_from_a_name_in_an_earlier_sentence() -> None:
    text = "Dr. Amara Obi has run the clinic since 2011. He said the ward would close."
    _, second = statements(text)
    assert (second.label, second.source, second.refers_to) == ("attributed", "He", "Dr. Amara Obi")


def test_a_quote_continues_the_previous_speaker() -> None:
    text = "“We have the steel,” she told reporters. “What we need now is dry weather.”"
    first, second = statements(text)
    assert (first.label, first.source, first.cue) == ("attributed", "she", "told reporters")
    assert (second.label, second.source, second.cue) == ("attributed", "she", "told reporters")
    assert second.rule == "attribution.continued-quote"


def test_a_quote_after_a_new_paragraph_continues_the_speaker_too() -> None:
    text = "“The road is safe,” said Ana Ruiz.\n\n“Nobody has been hurt on it this year.”"
    _, second = statements(text)
    assert (second.label, second.source) == ("attributed", "Ana Ruiz")


def test_a_passive_estimate_is_vague() -> None:
    found = only_statement("It is estimated that 4,000 people have left the valley.")
    assert (found.label, found.cue, found.source) == ("vague", "It is estimated", None)
    assert found.rule == "attribution.passive"


def test_widely_believed_and_an_estimated_are_vague() -> None:
    assert only_statement("It is widely believed that the deal was struck months ago.").label == (
        "vague"
    )
    found = only_statement("An estimated 4,000 people left the valley last year.")
    assert (found.label, found.cue) == ("vague", "An estimated")


def test_anonymous_and_collective_sources_are_vague() -> None:
    for text, source in [
        ("Officials said the road may stay closed into spring.", "Officials"),
        ("Critics say the levy will drive small shops away.", "Critics"),
        (
            "Sources close to the talks said a compromise was possible.",
            "Sources close to the talks",
        ),
        ("A senior official said the plan had been dropped.", "A senior official"),
        ("Local hauliers say the queues have doubled.", "Local hauliers"),
    ]:
        found = only_statement(text)
        assert (found.label, found.source) == ("vague", source), text
        assert found.rule == "attribution.vague-source"


def test_a_loaded_cue_makes_the_statement_mixed_and_the_cue_epistemic() -> None:
    text = "The minister claimed that the figures were accurate."
    found = only_statement(text)
    assert (found.label, found.source, found.cue) == ("mixed", "The minister", "claimed")
    assert ("epistemic", "claimed", "attribution.loaded-cue") in spans(text)


def test_admitted_and_conceded_are_loaded_too() -> None:
    for text in (
        "The councillor admitted that the budget had grown.",
        "Dr. Park conceded the trial had failed.",
    ):
        assert only_statement(text).label == "mixed", text


def test_the_writers_judgement_of_a_source_makes_it_mixed() -> None:
    text = "The spokeswoman, who has made a career out of vitriol, said the act was immoral."
    found = only_statement(text)
    assert (found.label, found.rule) == ("mixed", "attribution.with-evaluation")


def test_no_false_attribution_inside_a_quote() -> None:
    # the reporting verbs inside the quotation belong to the speaker, not to the sentence
    found = only_statement(
        "“Officials say the road is safe, but I do not believe them,” said Ana Ruiz."
    )
    assert (found.label, found.source) == ("attributed", "Ana Ruiz")
    # a quotation with no speaker anywhere attributes nothing, whatever it says inside
    found = only_statement("“The minister told us the plan was dead.”")
    assert found.label in ("reporting", "editorial")
    assert found.source is None


def test_an_appositive_between_source_and_cue_is_stepped_over() -> None:
    text = "Dr. Helen Achebe, a structural engineer at the polytechnic, said the pier was weak."
    assert only_statement(text).source == "Dr. Helen Achebe"
    text = "The board chair, Ruth Calloway, said the decision was final."
    assert only_statement(text).source == "The board chair, Ruth Calloway"


def test_not_said_and_nouns_are_no_cues() -> None:
    assert only_statement("She did not say when the road would open.").label == "reporting"
    assert only_statement("The report was published on Monday.").label == "reporting"
    assert only_statement("The lights indicate the exit.").label == "reporting"


def test_a_weak_cue_counts_before_that() -> None:
    found = only_statement("The water board indicated that usage had fallen.")
    assert (found.label, found.source, found.cue) == ("attributed", "The water board", "indicated")


def test_first_person_outside_quotes_is_the_writer_not_a_source() -> None:
    found = only_statement("As I have written before, the plan cannot work.")
    assert (found.label, found.source) == ("editorial", None)


def test_plain_fact_is_reporting() -> None:
    found = only_statement("The council voted 7 to 2 on Tuesday to close the ferry terminal.")
    assert (found.label, found.rule) == ("reporting", "voice.reporting")


def test_speculation_and_rhetorical_questions_are_editorial() -> None:
    for text in (
        "The mayor will likely come to regret this decision, and perhaps soon.",
        "Who, exactly, asked for another parking garage?",
        "Whether the council has learned anything remains to be seen.",
    ):
        found = only_statement(text)
        assert (found.label, found.rule) == ("editorial", "voice.editorial"), text


def test_an_editorial_sentence_with_a_loaded_metaphor() -> None:
    text = "The audit is a red mark on the mayor’s report card."
    found = only_statement(text)
    assert found.label == "editorial"
    assert ("emotive", "red mark on the mayor’s report card", "lexicon:loaded-language") in spans(
        text
    )


def test_a_quote_after_an_anonymous_speaker_continues_them_as_vague() -> None:
    text = "“The road is safe,” a senior official said. “Nobody has been hurt on it.”"
    first, second = statements(text)
    assert (first.label, first.source) == ("vague", "a senior official")
    assert (second.label, second.source, second.rule) == (
        "vague",
        "a senior official",
        "attribution.continued-quote",
    )


def test_a_quote_after_a_passive_continues_nobody() -> None:
    text = "It is believed the deal is done. “Nobody will say so.”"
    _, second = statements(text)
    assert second.rule.startswith("voice.")
