"""The sample articles in ``examples/`` and the two reviewers' annotations of them."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from annotator.core.scheme_loader import load_scheme
from annotator.core.segment import split_sentences
from annotator.core.text import canonicalize, word_count
from annotator.resources import default_scheme_path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
ARTICLES = sorted(EXAMPLES.glob("*.txt"))
REVIEWS = EXAMPLES / "reviews.jsonl"


def make_reviews() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_reviews", EXAMPLES / "make_reviews.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def reviews() -> list[dict[str, Any]]:
    return [json.loads(line) for line in REVIEWS.read_text(encoding="utf-8").splitlines()]


def body(path: Path) -> tuple[str, str]:
    raw = path.read_text(encoding="utf-8")
    title, _, text = raw.partition("\n\n")
    return title, text


def test_there_are_at_least_three_articles() -> None:
    assert len(ARTICLES) >= 3


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.stem)
def test_article_is_clean_canonical_text_with_a_title(path: Path) -> None:
    raw = path.read_text(encoding="utf-8")
    assert canonicalize(raw) == raw
    title, text = body(path)
    assert title and "\n" not in title and not title.endswith(".")
    assert 250 <= word_count(text) <= 500
    assert "\ufffd" not in raw and "[" not in raw and "\x1b" not in raw


def test_articles_exercise_what_reviewers_meet() -> None:
    everything = "\n".join(body(path)[1] for path in ARTICLES)
    for needed in ["“", "”", "’", " — ", "Dr. ", "U.S. ", "slammed", "soared", "the regime"]:
        assert needed.lower() in everything.lower(), needed
    for needed in ["illegals", "Critics argue", "It is widely believed", "Officials say"]:
        assert needed in everything, needed
    assert "said she was confident" in everything


def test_reviews_file_is_up_to_date() -> None:
    assert make_reviews().render() == REVIEWS.read_text(encoding="utf-8"), (
        "examples/reviews.jsonl is stale; run `python examples/make_reviews.py`"
    )


def test_reviews_match_the_articles_the_text_importer_stores() -> None:
    documents = {doc["id"]: doc for doc in reviews()}
    assert set(documents) == {path.stem for path in ARTICLES}
    for path in ARTICLES:
        doc = documents[path.stem]
        title, text = body(path)
        assert doc["title"] == title
        assert doc["text"] == text
        assert doc["segments"] == [list(s) for s in split_sentences(text)]
        assert doc["status"] == {"ana": "done", "ben": "done"}


def test_every_statement_is_labelled_once_by_each_reviewer() -> None:
    scheme = load_scheme(default_scheme_path())
    statement = scheme.layer("statement")
    loaded = scheme.layer("loaded")
    assert statement is not None and loaded is not None
    for doc in reviews():
        text = doc["text"]
        segments = [tuple(s) for s in doc["segments"]]
        for reviewer in ("ana", "ben"):
            labelled = [
                (a["start"], a["end"])
                for a in doc["annotations"]
                if a["annotator"] == reviewer and a["layer"] == "statement"
            ]
            assert labelled == segments, (doc["id"], reviewer)
        for a in doc["annotations"]:
            assert text[a["start"] : a["end"]] == a["text"]
            assert a["origin"] == "import"
            layer = statement if a["layer"] == "statement" else loaded
            label = layer.label(a["label"])
            assert label is not None, a["label"]
            for required in label.requires:
                assert required in a["attrs"], (doc["id"], a["text"])
            for span in a["attrs"].values():
                assert 0 <= span["start"] < span["end"] <= len(text)
                piece = text[span["start"] : span["end"]]
                assert piece == piece.strip() and piece


def test_reviewers_disagree_in_the_ways_the_report_must_show() -> None:
    labels_differ = boundaries_differ = missed = sources_differ = 0
    for doc in reviews():
        by: dict[str, dict[tuple[str, int, int], dict[str, Any]]] = {"ana": {}, "ben": {}}
        for a in doc["annotations"]:
            by[a["annotator"]][(a["layer"], a["start"], a["end"])] = a
        for key, ana in by["ana"].items():
            ben = by["ben"].get(key)
            if key[0] == "statement":
                assert ben is not None
                if ana["label"] != ben["label"]:
                    labels_differ += 1
                elif ana["attrs"].get("source") != ben["attrs"].get("source"):
                    sources_differ += 1
            elif ben is None:
                overlapping = [
                    b
                    for (layer, s, e), b in by["ben"].items()
                    if layer == "loaded" and s < key[2] and key[1] < e
                ]
                if overlapping:
                    boundaries_differ += 1
                else:
                    missed += 1
    assert labels_differ >= 5
    assert boundaries_differ >= 3
    assert missed >= 1
    assert sources_differ >= 1
