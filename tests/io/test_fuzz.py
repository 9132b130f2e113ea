"""Whatever a file holds, reading and checking it either succeeds or raises ImportFileError."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.scheme import Scheme
from annotator.io.errors import ImportFileError
from annotator.io.importer import build_documents, read_sources

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 200) | st.floats() | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
annotation = st.fixed_dictionaries(
    {},
    optional={
        "annotator": st.sampled_from(["ann", "", " ", 3]),
        "layer": st.sampled_from(["loaded", "statement", "tone", None]),
        "label": st.sampled_from(["emotive", "editorial", "attributed", "x"]),
        "start": st.integers(-2, 30) | json_values,
        "end": st.integers(-2, 30) | json_values,
        "text": st.text(max_size=6) | json_values,
        "attrs": st.dictionaries(st.sampled_from(["source", "cue", "note"]), json_values),
        "origin": st.sampled_from(["manual", "import", "bogus"]),
    },
)
documents = st.fixed_dictionaries(
    {},
    optional={
        "id": st.text(max_size=5) | json_values,
        "title": st.text(max_size=5) | json_values,
        "text": st.sampled_from(["He slammed it. Then left.", "", "a\tb", "x"]) | json_values,
        "meta": json_values,
        "segments": st.lists(st.lists(st.integers(-1, 30), max_size=3), max_size=3) | json_values,
        "status": st.dictionaries(st.text(max_size=4), st.sampled_from(["done", "todo", 1])),
        "annotations": st.lists(annotation, max_size=3) | json_values,
    },
)


def check(name: str, content: bytes, scheme: Scheme) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(content)
        try:
            build_documents(read_sources([path]), scheme)
        except ImportFileError as exc:
            assert "\n" not in str(exc)
            assert str(exc).startswith(str(path))


# the scheme fixture is a frozen value: sharing it between examples is safe
FROZEN_FIXTURE = [HealthCheck.function_scoped_fixture]


@settings(max_examples=300, deadline=None, suppress_health_check=FROZEN_FIXTURE)
@given(lines=st.lists(documents | json_values, min_size=1, max_size=3))
def test_any_jsonl_lines(scheme: Scheme, lines: list[object]) -> None:
    content = "\n".join(json.dumps(line) for line in lines).encode("utf-8")
    check("x.jsonl", content, scheme)


@settings(max_examples=200, deadline=None, suppress_health_check=FROZEN_FIXTURE)
@given(content=st.binary(max_size=200))
@pytest.mark.parametrize("name", ["x.jsonl", "x.csv", "x.txt", "x.md"])
def test_any_bytes(scheme: Scheme, name: str, content: bytes) -> None:
    check(name, content, scheme)
