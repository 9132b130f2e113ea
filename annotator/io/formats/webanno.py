"""INCEpTION / WebAnno TSV 3 (``#FORMAT=WebAnno TSV 3.x``), one file per annotator.

The document text is rebuilt as INCEpTION rebuilds it: each sentence's ``#Text=`` lines (joined
by line breaks) placed at its first token's offset, gaps filled with spaces. Offsets count
UTF-16 code units; each token's text is checked against the rebuilt text. Span layers
(``#T_SP``) become entities: an annotation spread over several tokens carries a ``[N]`` id,
stacked annotations on one token are separated by ``|``; the label is the layer's ``value`` (or
``label``, or first) feature, or the layer's short name when the feature is empty (``*``); the
other features become attributes. Relation layers (``#T_RL``) become relations between the span
annotations they join. Chains and slot features are not kept (counted in the import's notes).
Reserved characters are unescaped (``\\_``, ``\\|``, ``\\[``, ``\\t`` ...).

INCEpTION's project export keeps ``annotation/<document>/<user>.tsv``: without
``--annotator`` the file's name is the annotator and its folder the document; with it, the
file's name is the document.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.offsets import utf16_length, utf16_map
from annotator.core.wording import counted
from annotator.io.errors import ImportFileError, quote
from annotator.io.formats.common import ReadOptions, display, given_paths, read_raw, walk
from annotator.io.formats.model import Entity, ForeignDocument, Link, ReadResult

_FORMAT = re.compile(r"^#FORMAT=WebAnno TSV 3(\.\d+)?\s*$")
_STACK = re.compile(r"(?<!\\)\|")
_SUFFIX = re.compile(r"^(.*?)(?<!\\)\[(\d+)(?:_(\d+))?\]$")
_UNIT = re.compile(r"^(\d+)-(\d+)(?:\.(\d+))?$")
_ESCAPES = {
    "\\": "\\",
    "t": "\t",
    "n": "\n",
    "r": "\r",
    "[": "[",
    "]": "]",
    "|": "|",
    "_": "_",
    ";": ";",
    "*": "*",
}


def unescape(value: str) -> str:
    """A TSV value or text with its backslash escapes undone (``\\->`` is ``->``)."""
    if "\\" not in value:
        return value
    out: list[str] = []
    index = 0
    while index < len(value):
        ch = value[index]
        if ch == "\\" and index + 1 < len(value):
            if value.startswith("->", index + 1):
                out.append("->")
                index += 3
                continue
            nxt = value[index + 1]
            if nxt in _ESCAPES:
                out.append(_ESCAPES[nxt])
                index += 2
                continue
        out.append(ch)
        index += 1
    return "".join(out)


@dataclass(slots=True)
class _Column:
    kind: str  # span, chain, relation
    layer: str
    feature: str
    role: str  # primitive, placeholder, slot_role, slot_target, chain, ref


@dataclass(slots=True)
class _Span:
    layer: str
    begin: int
    end: int
    line: int
    features: dict[str, str | None] = field(default_factory=dict)


def _short(layer: str) -> str:
    return layer.rsplit(".", 1)[-1]


def _header(lines: list[str], shown: str) -> tuple[list[_Column], int]:
    if not lines or not _FORMAT.match(lines[0].lstrip("\ufeff")):
        raise ImportFileError(
            shown, "not a WebAnno TSV 3 file: the first line must be '#FORMAT=WebAnno TSV 3.x'", 1
        )
    columns: list[_Column] = []
    index = 1
    while index < len(lines) and lines[index].startswith(("#T_SP=", "#T_CH=", "#T_RL=")):
        prefix, _, rest = lines[index].partition("=")
        kind = {"#T_SP": "span", "#T_CH": "chain", "#T_RL": "relation"}[prefix]
        layer, *features = rest.split("|")
        if not features:
            columns.append(_Column(kind, layer, "", "placeholder"))
        previous = ""
        for feature in features:
            if kind == "chain":
                columns.append(_Column(kind, layer, feature, "chain"))
            elif kind == "relation" and feature.startswith("BT_"):
                columns.append(_Column(kind, layer, feature[3:], "ref"))
            elif kind == "span" and feature.startswith("ROLE_"):
                columns.append(_Column(kind, layer, feature, "slot_role"))
            elif kind == "span" and previous == "slot_role":
                columns.append(_Column(kind, layer, feature, "slot_target"))
            else:
                columns.append(_Column(kind, layer, feature, "primitive"))
            previous = columns[-1].role
        index += 1
    return columns, index


def _label(span: _Span) -> tuple[str, dict[str, str]]:
    names = list(span.features)
    chosen = next((n for n in ("value", "label") if n in span.features), names[0] if names else "")
    value = span.features.get(chosen) if chosen else None
    label = value if value else _short(span.layer)
    attributes = {k: v for k, v in span.features.items() if k != chosen and v is not None}
    return label, attributes


def parse_tsv(
    content: str, shown: str, annotator: str, doc_id: str, ignored: dict[str, int]
) -> ForeignDocument:
    """One TSV file as a document with ``annotator``'s spans and relations."""
    lines = [line.rstrip("\r") for line in content.split("\n")]
    columns, index = _header(lines, shown)
    text = ""
    units_length = 0
    sentence: list[str] = []
    in_sentence = False
    rows: list[tuple[int, str, int, int, list[str]]] = []
    for number in range(index + 1, len(lines) + 1):
        line = lines[number - 1]
        if not line:
            in_sentence = False
            continue
        if line.startswith("#Text="):
            sentence.append(unescape(line[len("#Text=") :]))
            continue
        if line.startswith("#"):
            continue
        fields = line.split("\t")
        match = _UNIT.match(fields[0])
        offsets = fields[1].split("-") if len(fields) > 1 else []
        if match is None or len(offsets) != 2 or not all(o.isdigit() for o in offsets):
            raise ImportFileError(
                shown,
                f"expected a token line 'S-T<TAB>begin-end<TAB>token', got {quote(line)}",
                number,
            )
        if len(fields) < 3 + len(columns):
            raise ImportFileError(
                shown,
                f"the line has {counted(len(fields) - 3, 'annotation column(s)')}, the header "
                f"declares {len(columns)}",
                number,
            )
        begin, end = int(offsets[0]), int(offsets[1])
        if not in_sentence and match.group(3) is None:
            if not sentence:
                raise ImportFileError(shown, "a sentence without '#Text=' lines", number)
            if units_length > begin and text.endswith("\n"):
                text = text[:-1]
                units_length -= 1
            if units_length < begin:
                text += " " * (begin - units_length)
                units_length = begin
            block = "\n".join(sentence) + "\n"
            text += block
            units_length += utf16_length(block)
            sentence = []
            in_sentence = True
        rows.append((number, fields[0], begin, end, fields))
    to_cp = utf16_map(text)
    spans: dict[tuple[str, str], _Span] = {}
    at_unit: dict[tuple[str, str], list[tuple[str, str]]] = {}
    relations: list[
        tuple[int, str, str, dict[str, str | None], tuple[str, str | None, str | None]]
    ] = []
    for number, unit, begin, end, fields in rows:
        b, e = to_cp(begin), to_cp(end)
        if b is None or e is None or e < b or e > len(text):
            raise ImportFileError(
                shown,
                f"token offsets {begin}-{end} do not fit the text "
                f"rebuilt from the #Text lines ({utf16_length(text)} UTF-16 "
                "units)",
                number,
            )
        token = unescape(fields[2])
        if text[b:e] != token:
            raise ImportFileError(
                shown,
                f"token {quote(token)} differs from the text "
                f"{quote(text[b:e])} at {begin}-{end}; fix the offsets or "
                "the #Text line",
                number,
            )
        pending_relations: dict[tuple[str, int], dict[str, str | None]] = {}
        for column_index, column in enumerate(columns):
            cell = fields[3 + column_index]
            if cell in ("_", ""):
                continue
            if column.kind == "chain" or column.role in ("slot_role", "slot_target"):
                what = "chain links" if column.kind == "chain" else "slot features"
                ignored[what] = ignored.get(what, 0) + 1
                continue
            for stack, raw_value in enumerate(_STACK.split(cell)):
                suffix = _SUFFIX.match(raw_value)
                value, ident = (suffix.group(1), suffix.group(2)) if suffix else (raw_value, None)
                if column.kind == "relation":
                    slot = pending_relations.setdefault((column.layer, stack), {})
                    if column.role == "ref":
                        slot["\0ref"] = raw_value
                    elif column.role == "primitive":
                        slot[column.feature] = None if value == "*" else unescape(value)
                    continue
                key = (
                    (column.layer, ident)
                    if ident and ident != "0"
                    else (column.layer, f"{unit}#{stack}")
                )
                span = spans.get(key)
                if span is None:
                    span = _Span(column.layer, b, e, number)
                    spans[key] = span
                else:
                    span.end = max(span.end, e)
                units = at_unit.setdefault((unit, column.layer), [])
                if key not in units:
                    units.append(key)
                if column.role == "primitive":
                    span.features[column.feature] = None if value == "*" else unescape(value)
        for (layer, _), slot in pending_relations.items():
            ref = slot.pop("\0ref", None)
            if ref is None:
                raise ImportFileError(
                    shown, f"relation of layer {_short(layer)!r} without its source column", number
                )
            relations.append((number, unit, layer, slot, _parse_ref(ref, shown, number)))
    document = ForeignDocument(shown, None, doc_id, text)
    keys: dict[tuple[str, str], str] = {}
    for key, span in spans.items():
        if span.end <= span.begin:
            ignored["zero-width annotations"] = ignored.get("zero-width annotations", 0) + 1
            continue
        label, attributes = _label(span)
        keys[key] = f"{span.layer}:{key[1]}"
        document.entities.append(
            Entity(
                keys[key],
                annotator,
                label,
                ((span.begin, span.end),),
                span.line,
                attributes=attributes,
            )
        )
    base_of = _bases(columns)
    for number, unit, layer, features, (source_unit, source_id, target_id) in relations:
        base = base_of.get(layer, "")
        source = _pick(at_unit.get((source_unit, base), []), base, source_id)
        target = _pick(at_unit.get((unit, base), []), base, target_id)
        if source is None or target is None or source not in keys or target not in keys:
            raise ImportFileError(
                shown,
                f"relation of layer {_short(layer)!r} joins no "
                f"{_short(base)} annotations at {source_unit} and {unit}",
                number,
            )
        names = [k for k in features if features[k] is not None]
        kind = features[names[0]] if names else _short(layer)
        document.links.append(Link(annotator, str(kind), keys[source], keys[target], number))
    document.done.append(annotator)
    return document


def _parse_ref(ref: str, shown: str, number: int) -> tuple[str, str | None, str | None]:
    match = re.match(r"^(\d+-\d+(?:\.\d+)?)(?:\[(\d+)_(\d+)\])?$", ref)
    if match is None:
        raise ImportFileError(shown, f"relation source {quote(ref)} is not a token id", number)
    return match.group(1), match.group(2), match.group(3)


def _bases(columns: list[_Column]) -> dict[str, str]:
    return {c.layer: c.feature for c in columns if c.kind == "relation" and c.role == "ref"}


def _pick(keys: list[tuple[str, str]], layer: str, ident: str | None) -> tuple[str, str] | None:
    if ident and ident != "0":
        return (layer, ident) if (layer, ident) in keys else None
    return keys[0] if keys else None


def read_webanno(paths: Sequence[str], options: ReadOptions) -> ReadResult:
    """Every ``.tsv`` file under ``paths``, one annotator's document each."""
    result = ReadResult()
    ignored: dict[str, int] = {}
    for path, shown in given_paths(paths):
        files = (
            [(path, shown)]
            if path.is_file()
            else [(f, display(shown, path, f)) for f in walk(path, (".tsv",))]
        )
        if not files:
            raise ImportFileError(shown, "no .tsv files in this folder; nothing to import")
        for file, file_shown in files:
            if options.annotator:
                who = options.annotator.strip()
                relative = file.relative_to(path) if path.is_dir() else Path(file.name)
                doc_id = relative.with_suffix("").as_posix()
            else:
                who = file.stem
                doc_id = file.parent.name
                if doc_id.lower().endswith(".txt"):
                    doc_id = doc_id[:-4]
            content = read_raw(file, file_shown).lstrip("\ufeff")
            result.documents.append(parse_tsv(content, file_shown, who, doc_id, ignored))
    for what, count in sorted(ignored.items()):
        result.notes.append(f"ignored {count} {what} (not kept)")
    return result
