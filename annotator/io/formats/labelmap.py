"""The label map: which layer and label of our scheme each label of another tool becomes.

A map file (``--map FILE``) is YAML, one line per source label::

    "Name_Calling,Labeling": loaded/labeling
    Loaded_Language: loaded/emotive
    Repetition: drop

Without an entry, a source label that is already ``layer/label`` of the scheme, or that is the
name of a label in exactly one layer, maps to it. Every other label is *unmapped*: the import
stops, lists them all and prints a ready-to-edit map (:func:`map_template`), guessing a target
where a label of the scheme names the source label in its definition (the bundled scheme cites
the PTC technique names) or is a word of it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from annotator.core.scheme import Scheme
from annotator.io.errors import ImportFileError

DROP = "drop"


@dataclass(frozen=True, slots=True)
class Target:
    """A source label's place in the scheme: a layer and a label, or dropped."""

    layer: str
    label: str

    @property
    def dropped(self) -> bool:
        return not self.layer


DROPPED = Target("", "")


@dataclass(frozen=True, slots=True)
class LabelMap:
    """Explicit entries of a map file (source label -> target) and where the file is."""

    entries: Mapping[str, Target]
    path: str = ""

    @classmethod
    def empty(cls) -> LabelMap:
        return cls({})


def _target(value: str, scheme: Scheme) -> Target | None:
    if value.strip().lower() == DROP:
        return DROPPED
    layer_name, slash, label = value.partition("/")
    layer = scheme.layer(layer_name.strip()) if slash else None
    if layer is None or layer.label(label.strip()) is None:
        return None
    return Target(layer.name, label.strip())


def load_label_map(path: str | Path, scheme: Scheme) -> LabelMap:
    """Read and check a map file against ``scheme``; errors name the file and line."""
    shown = str(path)
    try:
        raw = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ImportFileError(shown, f"cannot read the map: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ImportFileError(shown, "the map is not UTF-8; re-save it as UTF-8") from None
    try:
        node = yaml.compose(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise ImportFileError(shown, f"broken YAML: {problem}; fix the line", line) from None
    if node is None:
        return LabelMap({}, shown)
    if not isinstance(node, yaml.MappingNode):
        raise ImportFileError(
            shown, "the map must be lines of 'source label: layer/label' or ': drop'", 1
        )
    entries: dict[str, Target] = {}
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 1
        if not isinstance(key_node, yaml.ScalarNode) or not isinstance(value_node, yaml.ScalarNode):
            raise ImportFileError(shown, "expected 'source label: layer/label'", line)
        key, value = str(key_node.value), str(value_node.value)
        if key in entries:
            raise ImportFileError(shown, f"label {key!r} is mapped twice; keep one line", line)
        target = _target(value, scheme)
        if target is None:
            raise ImportFileError(
                shown,
                f"{key!r}: {value!r} is not a layer/label of scheme {scheme.name!r}; use "
                f"{_choices(scheme)} or drop",
                line,
            )
        entries[key] = target
    return LabelMap(entries, shown)


def _choices(scheme: Scheme) -> str:
    first = scheme.layers[0]
    return f"one of {', '.join(f'{layer.name}/<label>' for layer in scheme.layers)} (e.g. " + (
        f"{first.name}/{first.labels[0].name})" if first.labels else f"{first.name}/x)"
    )


def resolve_label(source: str, scheme: Scheme, mapping: LabelMap) -> Target | None:
    """Where ``source`` goes: the map's entry, ``layer/label`` itself, a unique label; else None."""
    explicit = mapping.entries.get(source)
    if explicit is not None:
        return explicit
    if "/" in source:
        direct = _target(source, scheme)
        if direct is not None and not direct.dropped:
            return direct
    owners = [layer for layer in scheme.layers if layer.label(source) is not None]
    if len(owners) == 1:
        return Target(owners[0].name, source)
    return None


def _guess(source: str, scheme: Scheme) -> str:
    """A likely ``layer/label`` for an unmapped label, or ``drop``."""
    lowered = source.lower()
    for layer in scheme.layers:
        for label in layer.labels:
            if source in label.description:
                return f"{layer.name}/{label.name}"
    words = set(re.findall(r"[a-z]+", lowered))
    for layer in scheme.layers:
        for label in layer.labels:
            if label.name.lower() in words:
                return f"{layer.name}/{label.name}"
    return DROP


def _yaml_key(label: str) -> str:
    dumped = yaml.safe_dump({label: None}, allow_unicode=True, width=10_000).strip()
    return dumped[: -len(": null")] if dumped.endswith(": null") else repr(label)


def map_template(unmapped: Iterable[str], scheme: Scheme, mapping: LabelMap) -> str:
    """A ready-to-edit map for the ``unmapped`` labels (plus the entries already given)."""
    lines = [
        f"# Label map for scheme {scheme.name!r}: one 'source label: layer/label' per line, "
        "or 'drop'.",
        "# Layers and labels: "
        + "; ".join(f"{layer.name}: {', '.join(layer.label_names)}" for layer in scheme.layers),
    ]
    for source, target in mapping.entries.items():
        value = DROP if target.dropped else f"{target.layer}/{target.label}"
        lines.append(f"{_yaml_key(source)}: {value}")
    for source in unmapped:
        lines.append(f"{_yaml_key(source)}: {_guess(source, scheme)}")
    return "\n".join(lines) + "\n"


class UnmappedLabels(ImportFileError):
    """Labels of the input with no place in the scheme; ``template`` is a map to edit."""

    def __init__(self, path: str, line: int | None, labels: Mapping[str, int], template: str):
        listed = ", ".join(f"{label!r} ({count})" for label, count in labels.items())
        super().__init__(
            path,
            f"labels with no layer/label in the database's scheme: {listed}; map them with "
            "--map FILE (a map to edit is printed on stdout)",
            line,
        )
        self.labels = dict(labels)
        self.template = template
