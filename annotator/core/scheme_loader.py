"""Load, validate and write annotation schemes (``schemas/*.yaml``).

The YAML is read with PyYAML's node API (``yaml.compose``) rather than ``safe_load``, for two
reasons: every error can name the line it comes from, and scalars keep the text the user typed
(YAML 1.1 would otherwise turn a hotkey ``y`` into ``True`` and a label ``1`` into an integer).

Defaults, for what a scheme leaves out:

* hotkeys: span labels get ``1`` to ``9`` in scheme order across all span layers, then none;
  a segment label gets its uppercase initial when that key is free, else the first free
  uppercase letter of its name, else none. ``key: null`` asks for no hotkey.
* colours: slots ``0`` to ``7``, round-robin by position within each layer.
* ``level``: ``nominal`` for segment layers; ``version``: 1; descriptions: empty.
* ``lexicons`` (user lexicon files for ``annotator.suggest``, a path or a list of paths
  relative to the scheme file): none.

Errors are ``SchemeError``: one line with file, line, field, what is wrong and how to fix it.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from annotator.core.scheme import Label, Layer, LayerKind, Level, Scheme

__all__ = [
    "COLOR_SLOTS",
    "RESERVED_KEYS",
    "SPAN_ATTRIBUTES",
    "SchemeError",
    "load_scheme",
    "load_scheme_text",
    "scheme_to_yaml",
]

COLOR_SLOTS = 8
"""Number of label colour slots in the UI palette; a label's ``color`` is ``0`` to ``7``."""

RESERVED_KEYS = frozenset("hjklwbegGvnNuxcqD?/><0[]{}(),.")
"""Keys the annotation screen uses for motions and commands; no label may take one."""

SPAN_ATTRIBUTES = ("source", "cue")
"""Span attributes a segment label may require (PARC 3.0: source, cue, content)."""

MAX_VERSION = 2**31 - 1
"""Highest scheme version: the database keeps it in a 32-bit column."""

_SPAN_KEYS = "123456789"
_NAME = re.compile(r"\w[\w.\-]*")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
"""Characters a scheme's text may not hold: C0/C1 controls but tab and line feed."""
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_INT_TAG = "tag:yaml.org,2002:int"
_NULL_TAG = "tag:yaml.org,2002:null"

_TOP_KEYS = ("name", "version", "description", "lexicons", "layers")
_LAYER_KEYS = ("name", "kind", "level", "description", "labels")
_LABEL_KEYS = ("name", "key", "color", "description", "examples", "requires")
_KINDS: tuple[LayerKind, ...] = ("span", "segment")
_LEVELS: tuple[Level, ...] = ("nominal", "ordinal", "interval")


class SchemeError(ValueError):
    """A scheme file that cannot be used, with where and why.

    ``path`` is the file (or ``<string>``), ``line`` the 1-based line or None, ``field`` the
    dotted path of the offending field (``layers[1].labels[2]``) or None, ``reason`` the rest.
    ``str()`` is one line: ``FILE:LINE: field 'F': REASON``.
    """

    def __init__(self, path: str, line: int | None, field: str | None, reason: str) -> None:
        self.path = path
        self.line = line
        self.field = field
        self.reason = reason
        where = path if line is None else f"{path}:{line}"
        what = reason if field is None else f"field '{field}': {reason}"
        super().__init__(f"{where}: {what}")


def load_scheme(path: str | Path) -> Scheme:
    """Read and validate the scheme file at ``path``."""
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise SchemeError(source, None, None, "no such file; check the path") from None
    except UnicodeDecodeError as exc:
        raise SchemeError(
            source, None, None, f"not UTF-8 text ({exc.reason}); save it as UTF-8"
        ) from None
    except OSError as exc:
        raise SchemeError(source, None, None, f"cannot read it: {exc.strerror}") from None
    return replace(load_scheme_text(text, source), source_path=source)


def load_scheme_text(text: str, source: str = "<string>") -> Scheme:
    """Parse and validate a scheme from YAML ``text``; ``source`` names it in errors."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except RecursionError:
        raise SchemeError(
            source, None, None, "the YAML is nested too deeply to read; a scheme is a few levels"
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = " ".join(str(exc.problem or exc.context or "invalid YAML").split())
        raise SchemeError(
            source,
            None if mark is None else mark.line + 1,
            None,
            f"YAML syntax error: {problem}; fix the indentation or quoting there",
        ) from None
    except yaml.YAMLError as exc:
        raise SchemeError(source, None, None, f"YAML error: {exc}") from None
    if root is None:
        raise SchemeError(source, None, None, "the file is empty; it needs name and layers")
    return _Reader(source).scheme(root)


@dataclass(frozen=True, slots=True)
class _Field:
    """A node together with its dotted field path, for error messages."""

    node: Node
    path: str


class _Reader:
    """Turns a composed YAML node tree into a validated ``Scheme``."""

    def __init__(self, source: str) -> None:
        self.source = source
        # hotkey -> field path that claimed it, across the whole scheme
        self.keys: dict[str, str] = {}

    def error(self, at: _Field | Node, reason: str) -> SchemeError:
        node = at.node if isinstance(at, _Field) else at
        path = at.path if isinstance(at, _Field) else None
        return SchemeError(self.source, node.start_mark.line + 1, path or None, reason)

    # ---- generic node readers -------------------------------------------------------------

    def mapping(self, at: _Field, allowed: tuple[str, ...], what: str) -> dict[str, _Field]:
        if not isinstance(at.node, MappingNode):
            raise self.error(at, f"{what} must be a mapping of {', '.join(allowed)}")
        out: dict[str, _Field] = {}
        for key_node, value_node in at.node.value:
            if not isinstance(key_node, ScalarNode):
                raise self.error(at, f"{what} keys must be plain names")
            key = key_node.value
            child = f"{at.path}.{key}" if at.path else key
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = f"did you mean '{close[0]}'?" if close else f"use {', '.join(allowed)}"
                raise self.error(_Field(key_node, child), f"unknown key '{key}'; {hint}")
            if key in out:
                raise self.error(
                    _Field(key_node, child), f"key '{key}' appears twice; keep one of them"
                )
            out[key] = _Field(value_node, child)
        return out

    def sequence(self, at: _Field, what: str) -> list[_Field]:
        if not isinstance(at.node, SequenceNode):
            raise self.error(at, f"{what} must be a list")
        return [_Field(item, f"{at.path}[{i}]") for i, item in enumerate(at.node.value)]

    def string(self, at: _Field, what: str) -> str:
        node = at.node
        if not isinstance(node, ScalarNode) or node.tag == _NULL_TAG:
            raise self.error(at, f"{what} must be text")
        value = str(node.value)
        bad = _CONTROL.search(value)
        if bad is not None:
            # A quoted "\e[2J" is valid YAML; shown as a definition it would clear the screen.
            raise self.error(
                at,
                f"{what} holds the control character U+{ord(bad.group()):04X}; remove it"
                " (a scheme is text shown to reviewers)",
            )
        return value

    def name(self, at: _Field, what: str) -> str:
        value = self.string(at, what).strip()
        if not _NAME.fullmatch(value):
            raise self.error(
                at,
                f"{what} {value!r} is not a name; use letters, digits, '_', '-' or '.' (no spaces)",
            )
        return value

    def integer(self, at: _Field, what: str) -> int:
        node = at.node
        if not isinstance(node, ScalarNode) or node.tag != _INT_TAG:
            raise self.error(at, f"{what} must be a whole number")
        if len(node.value) > 20:
            raise self.error(at, f"{what} has {len(node.value)} digits; write a smaller number")
        value = yaml.constructor.SafeConstructor().construct_yaml_int(node)
        return int(value)

    def strings(self, at: _Field, what: str) -> tuple[str, ...]:
        if isinstance(at.node, ScalarNode) and at.node.tag != _NULL_TAG:
            return (self.string(at, what),)
        return tuple(self.string(item, what) for item in self.sequence(at, f"{what}s"))

    # ---- the scheme -----------------------------------------------------------------------

    def scheme(self, root: Node) -> Scheme:
        fields = self.mapping(_Field(root, ""), _TOP_KEYS, "a scheme")
        for required in ("name", "layers"):
            if required not in fields:
                raise self.error(root, f"the scheme has no '{required}'; add `{required}:`")
        name = self.name(fields["name"], "the scheme name")
        version = 1
        if "version" in fields:
            version = self.integer(fields["version"], "version")
            if not 1 <= version <= MAX_VERSION:
                raise self.error(
                    fields["version"], f"version must be a whole number from 1 to {MAX_VERSION}"
                )
        description = self.text(fields.get("description"))
        layer_fields = self.sequence(fields["layers"], "layers")
        if not layer_fields:
            raise self.error(fields["layers"], "a scheme needs at least one layer")

        drafts = [self.layer(at) for at in layer_fields]
        seen: dict[str, _Field] = {}
        for draft in drafts:
            if draft.name in seen:
                raise self.error(
                    draft.at, f"duplicate layer name '{draft.name}'; rename or remove it"
                )
            seen[draft.name] = draft.at
        layers = self.assign_defaults(drafts)
        lexicons: tuple[str, ...] = ()
        if "lexicons" in fields:
            lexicons = tuple(
                path.strip() for path in self.strings(fields["lexicons"], "lexicon file")
            )
            if any(not path for path in lexicons):
                raise self.error(
                    fields["lexicons"], "a lexicon file path is empty; write the file's path"
                )
        return Scheme(
            name=name,
            version=version,
            layers=layers,
            description=description,
            lexicons=lexicons,
        )

    def text(self, at: _Field | None) -> str:
        if at is None or (isinstance(at.node, ScalarNode) and at.node.tag == _NULL_TAG):
            return ""
        return self.string(at, "a description").strip()

    def layer(self, at: _Field) -> _LayerDraft:
        fields = self.mapping(at, _LAYER_KEYS, "a layer")
        for required in ("name", "kind", "labels"):
            if required not in fields:
                raise self.error(at, f"the layer has no '{required}'; add `{required}:`")
        name = self.name(fields["name"], "the layer name")
        kind_text = self.string(fields["kind"], "kind")
        kind = next((k for k in _KINDS if k == kind_text), None)
        if kind is None:
            raise self.error(
                fields["kind"], f"unknown kind '{kind_text}'; use {' or '.join(_KINDS)}"
            )
        level: Level = "nominal"
        if "level" in fields:
            if kind == "span":
                raise self.error(fields["level"], "level applies to segment layers only; remove it")
            level_text = self.string(fields["level"], "level")
            found = next((lv for lv in _LEVELS if lv == level_text), None)
            if found is None:
                raise self.error(
                    fields["level"], f"unknown level '{level_text}'; use {', '.join(_LEVELS)}"
                )
            level = found
        labels = [self.label(item, kind) for item in self.sequence(fields["labels"], "labels")]
        if not labels:
            raise self.error(fields["labels"], "a layer needs at least one label")
        names: set[str] = set()
        for draft in labels:
            if draft.name in names:
                raise self.error(draft.at, f"duplicate label '{draft.name}'; rename or remove it")
            names.add(draft.name)
        if level == "ordinal" and len(labels) < 2:
            raise self.error(
                fields["labels"],
                "an ordinal layer needs at least two labels, listed from lowest to highest",
            )
        if level == "interval":
            for draft in labels:
                if not _NUMBER.fullmatch(draft.name):
                    raise self.error(
                        draft.at,
                        f"label '{draft.name}' of an interval layer must be a number"
                        " (its value); use ordinal for ordered names",
                    )
        return _LayerDraft(
            at=at,
            name=name,
            kind=kind,
            level=level,
            description=self.text(fields.get("description")),
            labels=tuple(labels),
        )

    def label(self, at: _Field, kind: LayerKind) -> _LabelDraft:
        if isinstance(at.node, ScalarNode):
            return _LabelDraft(at=at, name=self.name(at, "a label name"))
        fields = self.mapping(at, _LABEL_KEYS, "a label")
        if "name" not in fields:
            raise self.error(at, "the label has no 'name'; add `name:`")
        name = self.name(fields["name"], "a label name")
        key: str | Literal[False] | None = False  # False: not given
        if "key" in fields:
            key = self.hotkey(fields["key"])
        color: int | None = None
        if "color" in fields:
            color = self.integer(fields["color"], "color")
            if not 0 <= color < COLOR_SLOTS:
                raise self.error(
                    fields["color"], f"color must be a slot from 0 to {COLOR_SLOTS - 1}"
                )
        examples: tuple[str, ...] = ()
        if "examples" in fields:
            examples = tuple(e.strip() for e in self.strings(fields["examples"], "example"))
        requires: tuple[str, ...] = ()
        if "requires" in fields:
            requires = self.strings(fields["requires"], "required attribute")
            if requires and kind != "segment":
                raise self.error(
                    fields["requires"],
                    "requires applies to segment labels only; remove it from this span label",
                )
            for attribute in requires:
                if attribute not in SPAN_ATTRIBUTES:
                    raise self.error(
                        fields["requires"],
                        f"unknown span attribute '{attribute}'; use {', '.join(SPAN_ATTRIBUTES)}",
                    )
            if len(set(requires)) != len(requires):
                raise self.error(fields["requires"], "an attribute is listed twice; list it once")
        return _LabelDraft(
            at=at,
            name=name,
            key=key,
            key_at=fields.get("key"),
            color=color,
            description=self.text(fields.get("description")),
            examples=examples,
            requires=requires,
        )

    def hotkey(self, at: _Field) -> str | None:
        node = at.node
        if isinstance(node, ScalarNode) and (node.tag == _NULL_TAG or node.value == ""):
            return None
        key = self.string(at, "key")
        if len(key) != 1 or not key.isprintable() or key.isspace():
            raise self.error(at, f"key {key!r} must be one printable character, such as 'a'")
        if key in RESERVED_KEYS:
            raise self.error(
                at,
                f"key '{key}' is reserved for a motion or command; choose another"
                f" (reserved: {' '.join(sorted(RESERVED_KEYS))})",
            )
        return key

    def claim(self, key: str, at: _Field) -> None:
        if key in self.keys:
            raise self.error(
                at,
                f"key '{key}' is already used by {self.keys[key]}; a key maps to one label,"
                " choose another",
            )
        self.keys[key] = at.path

    def assign_defaults(self, drafts: list[_LayerDraft]) -> tuple[Layer, ...]:
        # Explicit keys first, in file order, so a default never takes a key the user chose.
        for layer in drafts:
            for label in layer.labels:
                if isinstance(label.key, str):
                    assert label.key_at is not None
                    self.claim(label.key, label.key_at)
        layers: list[Layer] = []
        for layer in drafts:
            labels: list[Label] = []
            for index, label in enumerate(layer.labels):
                if label.key is False:
                    if layer.kind == "span":
                        key = next((k for k in _SPAN_KEYS if k not in self.keys), "")
                    else:
                        key = self.segment_key(label.name)
                    if key:
                        self.claim(key, label.at)
                else:
                    key = label.key or ""
                labels.append(
                    Label(
                        name=label.name,
                        key=key,
                        color=index % COLOR_SLOTS if label.color is None else label.color,
                        description=label.description,
                        examples=label.examples,
                        requires=label.requires,
                    )
                )
            layers.append(
                Layer(
                    name=layer.name,
                    kind=layer.kind,
                    labels=tuple(labels),
                    level=layer.level,
                    description=layer.description,
                )
            )
        return tuple(layers)

    def segment_key(self, name: str) -> str:
        for char in name:
            key = char.upper()
            if (
                len(key) == 1
                and key.isalpha()
                and key.isupper()
                and key not in RESERVED_KEYS
                and key not in self.keys
            ):
                return key
        return ""


@dataclass(frozen=True, slots=True)
class _LabelDraft:
    at: _Field
    name: str
    key: str | Literal[False] | None = False
    key_at: _Field | None = None
    color: int | None = None
    description: str = ""
    examples: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _LayerDraft:
    at: _Field
    name: str
    kind: LayerKind
    level: Level
    description: str
    labels: tuple[_LabelDraft, ...]


def scheme_to_yaml(scheme: Scheme) -> str:
    """The scheme in its full, explicit form: every default written out.

    ``load_scheme_text(scheme_to_yaml(s)) == s`` for every valid scheme ``s``.
    """
    body: dict[str, Any] = {"name": scheme.name, "version": scheme.version}
    if scheme.description:
        body["description"] = scheme.description
    if scheme.lexicons:
        body["lexicons"] = list(scheme.lexicons)
    layers: list[dict[str, Any]] = []
    for layer in scheme.layers:
        entry: dict[str, Any] = {"name": layer.name, "kind": layer.kind}
        if layer.kind == "segment":
            entry["level"] = layer.level
        if layer.description:
            entry["description"] = layer.description
        labels: list[dict[str, Any]] = []
        for label in layer.labels:
            item: dict[str, Any] = {
                "name": label.name,
                "key": label.key or None,
                "color": label.color,
                "description": label.description,
                "examples": list(label.examples),
            }
            if label.requires:
                item["requires"] = list(label.requires)
            labels.append(item)
        entry["labels"] = labels
        layers.append(entry)
    body["layers"] = layers
    dumped: str = yaml.safe_dump(
        body, sort_keys=False, allow_unicode=True, width=96, default_flow_style=False
    )
    return dumped
