"""Scheme files: the smallest form, defaults, the default scheme, and every validation error."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.core.scheme import Label, Layer, Scheme
from annotator.core.scheme_loader import (
    RESERVED_KEYS,
    SchemeError,
    load_scheme,
    load_scheme_text,
    scheme_to_yaml,
)
from annotator.resources import default_scheme_path

SMALLEST = """\
name: my-scheme
version: 1
layers:
  - {name: loaded, kind: span, labels: [labeling, emotive]}
  - {name: statement, kind: segment, level: nominal, labels: [attributed, editorial]}
  - {name: opinion, kind: segment, level: ordinal, labels: [factual, somewhat, opinion]}
"""


def keys(scheme: Scheme) -> dict[str, str]:
    return {label.name: label.key for layer in scheme.layers for label in layer.labels}


def test_the_smallest_form_of_design_md_loads_with_defaults() -> None:
    scheme = load_scheme_text(SMALLEST)
    assert scheme.name == "my-scheme" and scheme.version == 1
    assert [layer.name for layer in scheme.layers] == ["loaded", "statement", "opinion"]
    loaded, statement, opinion = scheme.layers
    assert loaded.kind == "span" and statement.kind == "segment"
    assert opinion.level == "ordinal"
    assert opinion.label_names == ("factual", "somewhat", "opinion")
    assert keys(scheme) == {
        "labeling": "1",
        "emotive": "2",
        "attributed": "A",
        "editorial": "E",
        "factual": "F",
        "somewhat": "S",
        "opinion": "O",
    }
    assert [label.color for label in opinion.labels] == [0, 1, 2]
    assert all(label.description == "" for layer in scheme.layers for label in layer.labels)


def test_default_keys_skip_taken_and_reserved_keys() -> None:
    scheme = load_scheme_text(
        """\
name: s
layers:
  - name: spans
    kind: span
    labels: [a, {name: b, key: "2"}, c]
  - name: more
    kind: span
    labels: [d]
  - name: seg
    kind: segment
    labels: [novel, nice, "gone", {name: apple, key: C}, cat, zz, {name: xx, key: null}]
"""
    )
    assert keys(scheme) == {
        "a": "1",
        "b": "2",
        "c": "3",
        "d": "4",
        "novel": "O",  # N is reserved, O is the next letter of the name
        "nice": "I",  # N reserved, I free
        "gone": "E",  # G reserved, O taken by novel, N reserved, E free
        "apple": "C",
        "cat": "A",  # C taken by apple (explicit keys win), A free
        "zz": "Z",
        "xx": "",  # key: null asks for no hotkey
    }


def test_span_keys_run_out_after_nine() -> None:
    names = ", ".join(f"l{i}" for i in range(11))
    scheme = load_scheme_text(f"name: s\nlayers:\n  - {{name: x, kind: span, labels: [{names}]}}\n")
    assert [label.key for label in scheme.layers[0].labels] == [*"123456789", "", ""]
    assert [label.color for label in scheme.layers[0].labels] == [0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2]


def test_yaml_1_1_scalars_keep_the_text_typed() -> None:
    scheme = load_scheme_text(
        "name: s\nlayers:\n  - name: x\n    kind: segment\n    labels: [yes, {name: off, key: y}]\n"
    )
    assert scheme.layers[0].label_names == ("yes", "off")
    assert scheme.layers[0].labels[1].key == "y"


def test_interval_layer_labels_are_numbers() -> None:
    scheme = load_scheme_text(
        "name: s\nlayers:\n  - {name: x, kind: segment, level: interval, labels: [1, 2.5, 4]}\n"
    )
    assert scheme.layers[0].label_names == ("1", "2.5", "4")


def test_full_label_mapping() -> None:
    scheme = load_scheme_text(
        """\
name: s
version: 3
description: A test scheme.
layers:
  - name: statement
    kind: segment
    description: Whose voice.
    labels:
      - name: attributed
        key: T
        color: 6
        description: >-
          A named source.
        examples: [The mayor said so., "“No,” said Ana."]
        requires: [source, cue]
"""
    )
    assert scheme == Scheme(
        name="s",
        version=3,
        description="A test scheme.",
        layers=(
            Layer(
                name="statement",
                kind="segment",
                level="nominal",
                description="Whose voice.",
                labels=(
                    Label(
                        name="attributed",
                        key="T",
                        color=6,
                        description="A named source.",
                        examples=("The mayor said so.", "“No,” said Ana."),
                        requires=("source", "cue"),
                    ),
                ),
            ),
        ),
    )


def test_the_default_scheme_loads() -> None:
    scheme = load_scheme(default_scheme_path())
    assert scheme.name == "source-bias"
    assert scheme.source_path == str(default_scheme_path())
    loaded = scheme.layer("loaded")
    statement = scheme.layer("statement")
    assert loaded is not None and statement is not None
    assert loaded.kind == "span"
    assert loaded.label_names == ("labeling", "emotive", "exaggeration", "epistemic", "fear")
    assert [label.key for label in loaded.labels] == ["1", "2", "3", "4", "5"]
    assert statement.kind == "segment" and statement.level == "nominal"
    assert statement.label_names == ("attributed", "vague", "reporting", "editorial", "mixed")
    assert [label.key for label in statement.labels] == ["A", "V", "R", "E", "M"]
    attributed = statement.label("attributed")
    assert attributed is not None and attributed.requires == ("source", "cue")
    for layer in scheme.layers:
        assert len({label.color for label in layer.labels}) == len(layer.labels)
        for label in layer.labels:
            assert label.description, label.name
            assert 2 <= len(label.examples) <= 3, label.name


@pytest.mark.parametrize("source", [SMALLEST, str(default_scheme_path())])
def test_scheme_to_yaml_round_trips(source: str) -> None:
    scheme = load_scheme(source) if source.endswith(".yaml") else load_scheme_text(source)
    explicit = scheme_to_yaml(scheme)
    again = load_scheme_text(explicit)
    assert again == scheme
    assert scheme_to_yaml(again) == explicit
    assert "key:" in explicit and "color:" in explicit


NAMES = st.from_regex(r"[a-z][a-z0-9_-]{0,8}", fullmatch=True)


@given(
    st.lists(NAMES, min_size=1, max_size=12, unique=True),
    st.lists(NAMES, min_size=2, max_size=12, unique=True),
)
def test_defaults_never_collide_and_round_trip(spans: list[str], segments: list[str]) -> None:
    text = (
        "name: s\nlayers:\n"
        f"  - {{name: a, kind: span, labels: [{', '.join(spans)}]}}\n"
        f"  - {{name: b, kind: segment, level: ordinal, labels: [{', '.join(segments)}]}}\n"
    )
    scheme = load_scheme_text(text)
    used = [label.key for layer in scheme.layers for label in layer.labels if label.key]
    assert len(used) == len(set(used))
    assert not set(used) & RESERVED_KEYS
    assert load_scheme_text(scheme_to_yaml(scheme)) == scheme


# ---- errors: file, line, field, one line ----------------------------------------------------

BAD = [
    (
        "name: s\nlayers:\n  - {name: a, kind: span, labels: [emotive, x,\n      emotive]}\n",
        4,
        "layers[0].labels[2]",
        "duplicate label 'emotive'; rename or remove it",
    ),
    (
        "name: s\nlayers: [\n  {name: a, kind: span\n",
        4,
        None,
        "YAML syntax error",
    ),
    ("name: s\nlayer: []\n", 2, "layer", "unknown key 'layer'; did you mean 'layers'?"),
    ("name: s\n", 1, None, "the scheme has no 'layers'"),
    ("name: s\nversion: one\nlayers: []\n", 2, "version", "version must be a whole number"),
    ("name: s\nlayers: []\n", 2, "layers", "a scheme needs at least one layer"),
    (
        "name: s\nlayers:\n  - name: a\n    kind: spam\n    labels: [x]\n",
        4,
        "layers[0].kind",
        "unknown kind 'spam'; use span or segment",
    ),
    (
        "name: s\nlayers:\n  - name: a\n    kind: segment\n    level: ratio\n    labels: [x]\n",
        5,
        "layers[0].level",
        "unknown level 'ratio'; use nominal, ordinal, interval",
    ),
    (
        "name: s\nlayers:\n  - name: a\n    kind: span\n    level: ordinal\n    labels: [x]\n",
        5,
        "layers[0].level",
        "level applies to segment layers only",
    ),
    (
        "name: s\nlayers:\n  - name: a\n    kind: segment\n    level: ordinal\n    labels: [x]\n",
        6,
        "layers[0].labels",
        "an ordinal layer needs at least two labels",
    ),
    (
        "name: s\nlayers:\n  - {name: a, kind: segment, level: interval, labels: [low, high]}\n",
        3,
        "layers[0].labels[0]",
        "label 'low' of an interval layer must be a number",
    ),
    (
        "name: s\nlayers:\n  - {name: a, kind: span, labels: [x]}\n"
        "  - {name: a, kind: segment, labels: [y]}\n",
        4,
        "layers[1]",
        "duplicate layer name 'a'; rename or remove it",
    ),
    (
        "name: s\nlayers:\n  - {name: a, kind: segment, labels: [{name: x, key: Q}]}\n"
        "  - {name: b, kind: segment, labels: [{name: y, key: Q}]}\n",
        4,
        "layers[1].labels[0].key",
        "key 'Q' is already used by layers[0].labels[0].key",
    ),
    (
        "name: s\nlayers:\n  - {name: a, kind: span, labels: [{name: x, key: j}]}\n",
        3,
        "layers[0].labels[0].key",
        "key 'j' is reserved for a motion or command",
    ),
    (
        "name: s\nlayers:\n  - {name: a, kind: span, labels: [{name: x, key: 0}]}\n",
        3,
        "layers[0].labels[0].key",
        "key '0' is reserved",
    ),
    (
        "name: s\nlayers:\n  - {name: a, kind: span, labels: [{name: x, key: ctrl+a}]}\n",
        3,
        "layers[0].labels[0].key",
        "must be one printable character",
    ),
    (
        "name: s\nlayers:\n  - name: a\n    kind: span\n    labels:\n"
        "      - {name: x, requires: [source]}\n",
        6,
        "layers[0].labels[0].requires",
        "requires applies to segment labels only",
    ),
    (
        "name: s\nlayers:\n  - name: a\n    kind: segment\n    labels:\n"
        "      - name: x\n        requires: [source, speaker]\n",
        7,
        "layers[0].labels[0].requires",
        "unknown span attribute 'speaker'; use source, cue",
    ),
    (
        "name: s\nlayers:\n  - {name: a, kind: span, labels: [{name: x, color: 9}]}\n",
        3,
        "layers[0].labels[0].color",
        "color must be a slot from 0 to 7",
    ),
    (
        "name: s\nlayers:\n  - {name: a, kind: span, labels: [two words]}\n",
        3,
        "layers[0].labels[0]",
        "is not a name",
    ),
    (
        "name: s\nlayers:\n  - {name: a, kind: span, labels: [{key: x}]}\n",
        3,
        "layers[0].labels[0]",
        "the label has no 'name'",
    ),
    (
        "name: s\nname: t\nlayers: []\n",
        2,
        "name",
        "key 'name' appears twice",
    ),
    ("- just\n- a list\n", 1, None, "a scheme must be a mapping"),
]


@pytest.mark.parametrize(("text", "line", "field", "reason"), BAD)
def test_errors_name_file_line_and_field(
    text: str, line: int, field: str | None, reason: str
) -> None:
    with pytest.raises(SchemeError) as caught:
        load_scheme_text(text, "scheme.yaml")
    error = caught.value
    assert error.path == "scheme.yaml"
    assert error.line == line, str(error)
    assert error.field == field, str(error)
    assert reason in str(error)
    message = str(error)
    assert "\n" not in message
    prefix = f"scheme.yaml:{line}: " + (f"field '{field}': " if field else "")
    assert message.startswith(prefix), message
    assert isinstance(error, ValueError)


def test_error_message_format_of_the_brief() -> None:
    text = "name: s\nlayers:\n  - {name: a, kind: span, labels: [x]}\n"
    text += "  - {name: b, kind: span, labels: [y, emotive, emotive]}\n"
    with pytest.raises(SchemeError) as caught:
        load_scheme_text(text, "bias.yaml")
    assert str(caught.value) == (
        "bias.yaml:4: field 'layers[1].labels[2]': duplicate label 'emotive'; rename or remove it"
    )


def test_file_errors(tmp_path: Path) -> None:
    with pytest.raises(SchemeError, match="no such file"):
        load_scheme(tmp_path / "missing.yaml")
    empty = tmp_path / "empty.yaml"
    empty.write_text("# nothing\n", encoding="utf-8")
    with pytest.raises(SchemeError, match="the file is empty"):
        load_scheme(empty)
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("name: caf\xe9\n".encode("latin-1"))
    with pytest.raises(SchemeError, match="not UTF-8"):
        load_scheme(latin)
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: s\nlayers:\n  - {name: a, kind: span, labels: [x]}\n\tbad\n")
    with pytest.raises(SchemeError) as caught:
        load_scheme(broken)
    assert str(caught.value).startswith(f"{broken}:4: YAML syntax error")
