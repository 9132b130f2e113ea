"""The suggester as a whole: shapes the store accepts, any text, any scheme."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from suggest_support import default_scheme, default_suggester

from annotator.core.scheme_loader import load_scheme_text
from annotator.core.segment import split_sentences
from annotator.core.text import canonicalize, text_sha256
from annotator.store.dto import NewAnnotation, NewDocument
from annotator.store.repository import Repository
from annotator.suggest import LexiconError, Suggester, parse_lexicon

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
HOSTILE = (
    "[/] [@click=app.quit] said \x1b[31m“red”\x1b[0m.\r\nCafe\u0301 😀 officials said “no”.\n\n"
    "‘unclosed and ” stray \" marks ' everywhere"
)


def article(name: str) -> str:
    return canonicalize((EXAMPLES / f"{name}.txt").read_text(encoding="utf-8")).split("\n\n", 1)[1]


def test_suggestions_are_stored_as_a_machine_annotators_suggestions(repo: Repository) -> None:
    """The store takes every suggestion of the sample articles as it is, and gives it back."""
    docs = []
    expected = {}
    for name in ("riverton-bridge", "harlow-vale-clinic", "kessen-ferry", "pellar-border"):
        text = article(name)
        segments = tuple(split_sentences(text))
        found = default_suggester().suggest(text, segments).suggestions
        expected[name] = {(s.layer, s.label, s.start, s.end) for s in found}
        annotations = tuple(
            NewAnnotation(
                "suggester", s.layer, s.label, s.start, s.end, s.annotation_attrs(), "suggestion"
            )
            for s in found
        )
        docs.append(NewDocument(name, name, text, text_sha256(text), {}, segments, {}, annotations))
    repo.ensure_annotator("suggester", "machine")
    assert repo.import_documents(docs).added == 4
    for summary in repo.documents():
        stored = repo.annotations(summary.id, "suggester")
        assert {(a.layer, a.label, a.start, a.end) for a in stored} == expected[summary.external_id]
        assert {a.origin for a in stored} == {"suggestion"}
        for a in stored:
            assert a.attrs["rule"] and 0 < a.attrs["confidence"] <= 1
            if a.label == "attributed":
                assert set(a.attrs) >= {"source", "cue"}


def test_every_sentence_gets_one_statement_and_the_given_segments_are_used() -> None:
    text = article("kessen-ferry")
    segments = split_sentences(text)
    found = default_suggester().suggest(text, segments).suggestions
    assert [s.span for s in found if s.layer == "statement"] == segments
    whole = default_suggester().suggest(text, [(0, len(text))]).suggestions
    assert [s.span for s in whole if s.layer == "statement"] == [(0, len(text))]


def test_the_same_text_gives_the_same_suggestions() -> None:
    text = article("pellar-border")
    assert default_suggester().suggest(text) == Suggester(default_scheme()).suggest(text)


@given(
    st.text(alphabet=st.sampled_from(list("ab said “”\"'‘’ .,?!\n—Dr.MrOfficials")), max_size=300)
)
def test_any_text_gives_suggestions_inside_it(raw: str) -> None:
    text = canonicalize(raw)
    result = default_suggester().suggest(text)
    sentences = split_sentences(text)
    assert [s.span for s in result.suggestions if s.layer == "statement"] == sentences
    for s in result.suggestions:
        assert 0 <= s.start < s.end <= len(text)
        assert 0 < s.confidence <= 1
        for value in s.attrs.values():
            if isinstance(value, dict):
                assert 0 <= value["start"] < value["end"] <= len(text)


def test_hostile_text() -> None:
    text = canonicalize(HOSTILE)
    result = default_suggester().suggest(text)
    assert any(s.label == "vague" for s in result.suggestions)
    assert result.notes


def test_a_scheme_without_a_statement_layer_gets_spans_only() -> None:
    scheme = load_scheme_text(
        "name: spans-only\nlayers:\n  - {name: loaded, kind: span, labels: [emotive, epistemic]}\n"
    )
    text = "Officials claimed the plan was a fiasco. The so-called “reform” passed."
    found = Suggester(scheme).suggest(text).suggestions
    assert {s.layer for s in found} == {"loaded"}
    assert {text[s.start : s.end] for s in found} == {"fiasco", "so-called “reform”"}


def test_a_user_lexicon_adds_spans_and_segment_labels_on_its_own_layers() -> None:
    scheme = load_scheme_text(
        "name: custom\nlayers:\n"
        "  - {name: tone, kind: span, labels: [snark]}\n"
        "  - {name: opinion, kind: segment, labels: [factual, opinion]}\n"
    )
    lexicon = parse_lexicon(
        "bless their hearts   tone/snark  0.9\nfrankly              opinion/opinion  0.7\n",
        "mine.txt",
    )
    text = "Frankly, bless their hearts. The ferry left at nine."
    found = Suggester(scheme, [lexicon]).suggest(text).suggestions
    assert [(s.layer, s.label, text[s.start : s.end], s.rule) for s in found] == [
        ("opinion", "opinion", "Frankly, bless their hearts.", "lexicon.segment"),
        ("tone", "snark", "bless their hearts", "lexicon:mine"),
    ]


def test_a_user_lexicon_for_another_scheme_is_refused() -> None:
    lexicon = parse_lexicon("fat cats tone/snark\n", "mine.txt")
    with pytest.raises(LexiconError, match=r"^mine.txt:1: the scheme 'source-bias' has no layer"):
        Suggester(default_scheme(), [lexicon])


def test_the_threshold_trades_editorial_for_reporting() -> None:
    text = "The plan should be dropped."  # one "should": weight 0.6
    assert default_suggester().suggest(text).suggestions[0].label == "editorial"
    strict = Suggester(default_scheme(), threshold=1.0)
    assert strict.suggest(text).suggestions[0].label == "reporting"
    with pytest.raises(ValueError, match="threshold"):
        Suggester(default_scheme(), threshold=0)


def test_the_package_loads_no_database_or_ui() -> None:
    code = (
        "import sys, pkgutil, importlib, annotator.suggest as pkg\n"
        "for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "    importlib.import_module(m.name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in"
        " {'sqlalchemy', 'alembic', 'textual'} or m.startswith('annotator.store'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_suggest_many_is_suggest_over_each_document() -> None:
    texts = [article("riverton-bridge"), article("kessen-ferry")]
    segments = split_sentences(texts[1])
    many = list(default_suggester().suggest_many([texts[0], (texts[1], segments)]))
    assert many == [default_suggester().suggest(texts[0]), default_suggester().suggest(texts[1])]
