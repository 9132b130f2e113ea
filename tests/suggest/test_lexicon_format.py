"""The lexicon file format: entries, operators, weights, errors, and the built-in lexicons."""

from __future__ import annotations

from pathlib import Path

import pytest
from suggest_support import default_scheme

from annotator.core.scheme_loader import load_scheme_text
from annotator.suggest import LexiconError, builtin_lexicon, load_lexicon, parse_lexicon
from annotator.suggest.inflect import inflections
from annotator.suggest.lexicon import BUILTIN_DIR, scheme_lexicons
from annotator.suggest.tokens import words_of

DATA = Path(__file__).resolve().parents[1] / "data" / "lexicons"


def found(lexicon_text: str, text: str) -> list[tuple[str, str]]:
    lexicon = parse_lexicon(lexicon_text)
    return [(m.entry.tag, text[m.start : m.end]) for m in lexicon.find(words_of(text))]


def test_fields_comments_and_weights() -> None:
    lexicon = parse_lexicon(
        "# a comment\n\nfat cats\tloaded/labeling\t0.8\nslam+   loaded/emotive\n"
    )
    first, second = lexicon.entries
    assert (first.expression, first.tag, first.weight, first.line) == (
        "fat cats",
        "loaded/labeling",
        0.8,
        3,
    )
    assert (second.expression, second.weight, second.line) == ("slam+", 1.0, 4)


def test_words_match_whole_and_across_any_whitespace() -> None:
    assert found("fat cats loaded/labeling", "The fat\n  cats, fatcats, fat cat.") == [
        ("loaded/labeling", "fat\n  cats")
    ]


def test_plus_adds_regular_inflections() -> None:
    text = "slams, slammed, slamming, slam; soared, soaring; decried"
    assert [t for _, t in found("slam+ x/y\nsoar+ x/y\ndecry+ x/y", text)] == [
        "slams",
        "slammed",
        "slamming",
        "slam",
        "soared",
        "soaring",
        "decried",
    ]
    assert {"admits", "admitted", "admitting"} <= inflections("admit")
    assert {"carries", "carried", "carrying"} <= inflections("carry")
    assert {"concedes", "conceded", "conceding"} <= inflections("concede")


def test_alternatives_and_wildcards() -> None:
    assert found("sink|sank|sunk x/y", "It sank.") == [("x/y", "sank")]
    assert found("sellout+|sell-out+ x/y", "two sell-outs") == [("x/y", "sell-outs")]
    assert found("red mark on ** report card x/y", "a red mark on the mayor’s report card") == [
        ("x/y", "red mark on the mayor’s report card")
    ]
    assert found("red mark on ** report card x/y", "a red mark on report card") == [
        ("x/y", "red mark on report card")
    ]
    assert found("hold+ * hostage x/y", "holding them hostage, held hostage") == [
        ("x/y", "holding them hostage")
    ]


def test_case_is_ignored_unless_the_expression_has_a_capital() -> None:
    assert found("regime x/y", "The Regime and the REGIME") == [
        ("x/y", "Regime"),
        ("x/y", "REGIME"),
    ]
    assert found("Big Brother x/y", "big brother, Big Brother") == [("x/y", "Big Brother")]


def test_punctuation_written_in_the_expression_must_be_in_the_text() -> None:
    assert found("U.S. officials source:vague", "U.S. officials and US officials") == [
        ("source:vague", "U.S. officials")
    ]
    assert found("so-called “reform” x/y", 'the so-called "reform" and so-called reform') == [
        ("x/y", 'so-called "reform"')
    ]
    assert found("guess what? x/y", "guess what would happen. Guess what?") == [
        ("x/y", "Guess what?")
    ]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("slam", "a line needs an expression and a tag"),
        ("slam loaded/emotive 1.5", "weight 1.5 is out of range"),
        ("slam loaded/emotive 0", "weight 0 is out of range"),
        ("slam emotive", "unknown tag 'emotive'"),
        ("said cue:strong", "unknown cue flag 'strong'"),
        ("* report card loaded/emotive", "cannot start or end with * or **"),
        ("red mark ** loaded/emotive", "cannot start or end with * or **"),
        ("sank|sunk. x/y", "alternatives 'sank|sunk.' must each be one word"),
        ("— loaded/emotive", "has no letters or digits"),
    ],
)
def test_errors_name_the_line_and_the_fix(line: str, message: str) -> None:
    with pytest.raises(LexiconError) as caught:
        parse_lexicon(f"# header\n{line}\n", "words.txt")
    assert str(caught.value).startswith("words.txt:2: ")
    assert message in str(caught.value)


def test_a_user_lexicon_must_fit_the_scheme() -> None:
    lexicon = parse_lexicon("fat cats loaded/labelling\n", "words.txt")
    with pytest.raises(LexiconError, match=r"words.txt:1: .*no label 'labelling'.* labeling"):
        lexicon.check(default_scheme())
    lexicon = parse_lexicon("fat cats spin/labeling\n", "words.txt")
    with pytest.raises(LexiconError, match=r"no layer 'spin'.*loaded, statement"):
        lexicon.check(default_scheme())


def test_missing_and_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(LexiconError, match="no such lexicon file"):
        load_lexicon(tmp_path / "absent.txt")
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("caf\xe9 x/y\n".encode("latin-1"))
    with pytest.raises(LexiconError, match="not UTF-8"):
        load_lexicon(bad)


def test_a_scheme_names_lexicon_files_relative_to_itself(tmp_path: Path) -> None:
    (tmp_path / "words").mkdir()
    (tmp_path / "words" / "ours.txt").write_text("fat cats loaded/labeling\n", encoding="utf-8")
    body = tmp_path / "scheme.yaml"
    body.write_text(
        "name: s\nlexicons: [words/ours.txt]\nlayers:\n"
        "  - {name: loaded, kind: span, labels: [labeling]}\n",
        encoding="utf-8",
    )
    from annotator.core.scheme_loader import load_scheme

    scheme = load_scheme(body)
    assert scheme.lexicons == ("words/ours.txt",)
    (lexicon,) = scheme_lexicons(scheme)
    assert [e.expression for e in lexicon.entries] == ["fat cats"]


def test_a_stored_scheme_resolves_its_lexicons_from_a_base_folder(tmp_path: Path) -> None:
    (tmp_path / "ours.txt").write_text("fat cats loaded/emotive\n", encoding="utf-8")
    scheme = load_scheme_text(
        "name: s\nlexicons: ours.txt\nlayers:\n  - {name: loaded, kind: span, labels: [x]}\n"
    )
    with pytest.raises(LexiconError, match="no label 'emotive'"):
        scheme_lexicons(scheme, base=tmp_path)
    with pytest.raises(
        LexiconError, match=r"no such lexicon file.*named in the lexicons of scheme 's'"
    ):
        scheme_lexicons(scheme, base=tmp_path / "elsewhere")


def test_builtin_lexicons_parse_and_fit_the_default_scheme() -> None:
    lexicon = builtin_lexicon()
    assert len(lexicon) > 600
    lexicon.check(default_scheme())
    tags = {entry.tag.split(":")[0].split("/")[0] for entry in lexicon.entries}
    assert tags == {"loaded", "statement", "cue", "source"}


def test_builtin_lexicons_live_in_the_package_with_their_licence() -> None:
    """Inside the package that is imported, so an installed wheel carries them too."""
    import annotator

    package = Path(annotator.__file__).resolve().parent
    assert BUILTIN_DIR.resolve().is_relative_to(package)
    assert (BUILTIN_DIR / "LICENSE-ggt-MIT").read_bytes() == (DATA / "LICENSE-ggt-MIT").read_bytes()


def test_every_verb_form_of_the_source_list_is_a_cue() -> None:
    """The reporting cues are derived from the Gender Gap Tracker list: none of it is lost."""
    source = (DATA / "quote_verbs_ggt.txt").read_text(encoding="utf-8").split()
    cues = parse_lexicon((BUILTIN_DIR / "reporting-cues.txt").read_text(encoding="utf-8"))
    forms = {
        form
        for entry in cues.entries
        if entry.cue_flags is not None and len(entry.items) == 1
        for form in entry.items[0]  # type: ignore[union-attr]
    }
    assert len(source) == 257
    assert sorted(set(source) - forms) == []
