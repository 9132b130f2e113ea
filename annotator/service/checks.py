"""The checks an annotation, a name or an imported document must pass, written once.

Every front end (the CLI's ``annotations add``, the annotate screen, an import of any format,
the report's options) calls these before anything reaches the store, and the store trusts
what it is handed. Each check raises one of the store's errors with one line a user can act
on; ``where`` prefixes it with the place (``document 'x', annotation 3``) so an import can
name the file, line and annotation.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from annotator.core.scheme import Layer, Scheme
from annotator.core.segment import validate_segments
from annotator.core.text import canonical_line, canonicalize, has_control
from annotator.service.names import MAX_NAME as MAX_NAME
from annotator.service.names import check_name as check_name  # one of the rulebook's checks
from annotator.store.dto import (
    ORIGIN_VALUES,
    ROLE_VALUES,
    STATUS_VALUES,
    NewAnnotation,
    NewDocument,
)
from annotator.store.errors import InvalidAnnotation, InvalidInput

if TYPE_CHECKING:
    from annotator.store.repository import Repository

MAX_ID = 512
"""Longest document id, in characters."""
MAX_JSON_DEPTH = 32
"""Deepest nesting of a document's ``meta`` or an annotation's ``attrs``: ``{"a": {"b": 1}}``
is 2 deep. Deeper data is refused on the way in, since every reader after it (export, the
report, a JSON library elsewhere) would have to survive it too."""


def _at(where: str, message: str) -> str:
    return f"{where}: {message}" if where else message


def _fail(where: str, message: str) -> InvalidAnnotation:
    return InvalidAnnotation(_at(where, message))


def check_reviewer(repo: Repository, name: object) -> str:
    """The reviewer's name, which on a database that knows who is connected (a PostgreSQL
    login made by ``annotator db grant``) must be that login's: one account per reviewer."""
    cleaned = check_name(name)
    account = repo.account()
    if account is not None and cleaned != account:
        raise InvalidInput(
            f"--as {cleaned!r}: you are connected to {repo.url} as {account!r}; work as"
            f" {account!r}, or connect with the login of {cleaned!r}"
        )
    return cleaned


def check_external_id(external_id: object, where: str = "") -> str:
    """A document id as stored: canonical, on one line, not empty, at most ``MAX_ID`` long.

    Control characters (an ESC that would clear a reviewer's screen in ``docs list``) become
    U+FFFD, as in a document's text.
    """
    if not isinstance(external_id, str):
        raise InvalidInput(
            _at(where, f"document id must be text, not {type(external_id).__name__}")
        )
    cleaned = canonical_line(external_id)
    if not cleaned.strip():
        raise InvalidInput(_at(where, "document id is empty; give the document an id"))
    if len(cleaned) > MAX_ID:
        raise InvalidInput(
            _at(where, f"document id is {len(cleaned)} characters long; use at most {MAX_ID}")
        )
    return cleaned


def clean_json(value: Any, where: str = "", what: str = "meta") -> Any:
    """``value`` (decoded JSON: a document's ``meta``, an annotation's ``attrs``) as stored:
    every string and key canonical (control characters as U+FFFD, as in the text), nested at
    most ``MAX_JSON_DEPTH`` deep, and nothing JSON cannot hold."""
    return _clean_json(value, 0, where, what)


def _clean_json(value: Any, depth: int, where: str, what: str) -> Any:
    if isinstance(value, str):
        return canonicalize(value) if has_control(value, newlines=True) else value
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise _fail(where, f"{what} cannot be stored as JSON (it holds {value}); use a number")
        return value
    if isinstance(value, Mapping | list | tuple):
        if depth >= MAX_JSON_DEPTH:
            raise _fail(
                where,
                f"{what} is nested more than {MAX_JSON_DEPTH} levels deep; flatten it",
            )
        if isinstance(value, Mapping):
            out: dict[str, Any] = {}
            for key, item in value.items():
                if not isinstance(key, str):
                    raise _fail(where, f"{what} key {key!r} is not a string")
                out[_clean_json(key, depth, where, what)] = _clean_json(
                    item, depth + 1, where, what
                )
            return out
        return [_clean_json(item, depth + 1, where, what) for item in value]
    raise _fail(where, f"{what} cannot be stored as JSON ({type(value).__name__})")


def check_role(role: str) -> None:
    if role not in ROLE_VALUES:
        raise InvalidInput(f"role {role!r} is not one of {', '.join(ROLE_VALUES)}")


def check_status(status: str, where: str = "") -> None:
    if status not in STATUS_VALUES:
        raise InvalidInput(
            _at(where, f"status {status!r} is not one of {', '.join(STATUS_VALUES)}")
        )


def check_layer(scheme: Scheme, layer_name: str, where: str = "") -> Layer:
    """The layer called ``layer_name``; the message lists the scheme's layers."""
    layer = scheme.layer(layer_name)
    if layer is None:
        names = ", ".join(item.name for item in scheme.layers)
        raise _fail(where, f"layer {layer_name!r} is not in scheme {scheme.name!r} ({names})")
    return layer


def check_layer_label(scheme: Scheme, layer_name: str, label: str, where: str = "") -> Layer:
    """The layer, if it exists in ``scheme`` and has ``label``."""
    layer = check_layer(scheme, layer_name, where)
    if layer.label(label) is None:
        names = ", ".join(layer.label_names)
        raise _fail(where, f"label {label!r} is not in layer {layer_name!r} ({names})")
    return layer


def check_kind(layer: Layer, kind: str, where: str = "") -> None:
    """A span on a span layer, a sentence label on a segment layer."""
    if layer.kind == kind:
        return
    if layer.kind == "segment":
        raise _fail(
            where,
            f"layer {layer.name!r} labels whole sentences: label a sentence on it, not a span",
        )
    raise _fail(where, f"layer {layer.name!r} holds spans: mark a span on it, not a sentence")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_offsets(start: object, end: object, n_chars: int, where: str = "") -> None:
    """``0 <= start < end <= n_chars``, in code points."""
    if not (_is_int(start) and _is_int(end)):
        raise _fail(where, f"offsets must be integers, got {start!r}..{end!r}")
    assert isinstance(start, int) and isinstance(end, int)
    if not 0 <= start < end <= n_chars:
        raise _fail(
            where,
            f"span [{start}, {end}) is outside the text (0..{n_chars} code points)"
            " or empty; offsets are code points, half-open",
        )


def check_span_text(text: str, start: int, end: int, quoted: str | None, where: str = "") -> None:
    """A span's quoted text, when a file gives one, must be the text under its offsets."""
    if quoted is not None and quoted != text[start:end]:
        raise _fail(
            where,
            f"span text {_quote(quoted)} != text[{start}:{end}] {_quote(text[start:end])};"
            " fix the offsets or the text",
        )


def _quote(value: str, limit: int = 60) -> str:
    shown = value if len(value) <= limit else value[: limit - 1] + "…"
    return repr(shown)


def check_segment(
    layer: Layer, start: int, end: int, segments: Collection[tuple[int, int]], where: str = ""
) -> None:
    """A segment-layer annotation must cover exactly one segment."""
    if (start, end) not in segments:
        raise _fail(
            where,
            f"layer {layer.name!r} labels whole sentences, but [{start}, {end}) is not one"
            " of the document's sentences",
        )


def check_sentence(number: int, n_sentences: int, where: str = "") -> int:
    """A sentence number as people count (from 1); returns its 0-based index."""
    if not _is_int(number) or not 1 <= number <= n_sentences:
        counted = "1 sentence" if n_sentences == 1 else f"{n_sentences} sentences"
        raise InvalidAnnotation(
            _at(where, f"there is no sentence {number}: the document has {counted}, counted from 1")
        )
    return number - 1


def check_origin(origin: str, where: str = "") -> None:
    if origin not in ORIGIN_VALUES:
        raise _fail(where, f"origin {origin!r} is not one of {', '.join(ORIGIN_VALUES)}")


def check_attrs(attrs: Mapping[str, Any] | None, n_chars: int, where: str = "") -> dict[str, Any]:
    """``attrs`` as stored (see :func:`clean_json`); attribute spans (``{"start", "end"}``)
    must be in bounds."""
    if attrs is None:
        return {}
    if not isinstance(attrs, Mapping):
        raise _fail(where, f"attrs must be a mapping, got {type(attrs).__name__}")
    result: dict[str, Any] = clean_json(attrs, where, "attrs")
    for key, value in result.items():
        if isinstance(value, Mapping) and ("start" in value or "end" in value):
            inner = f"{where}, attribute {key!r}" if where else f"attribute {key!r}"
            check_offsets(value.get("start"), value.get("end"), n_chars, inner)
    return result


def check_annotation(
    scheme: Scheme,
    item: NewAnnotation,
    n_chars: int,
    segments: Collection[tuple[int, int]],
    where: str = "",
) -> Layer:
    """Everything one annotation must satisfy on its own: layer, label, offsets, origin,
    attributes, and a segment layer's whole-sentence rule."""
    layer = check_layer_label(scheme, item.layer, item.label, where)
    check_offsets(item.start, item.end, n_chars, where)
    check_origin(item.origin, where)
    check_attrs(item.attrs, n_chars, where)
    if layer.kind == "segment":
        check_segment(layer, item.start, item.end, segments, where)
    return layer


def check_segments(text: str, segments: Sequence[tuple[int, int]], where: str = "") -> None:
    """Sentence offsets sorted, disjoint, non-empty and inside the text."""
    problem = validate_segments(text, segments)
    if problem is not None:
        raise InvalidInput(_at(where, f"{problem}; fix the segments or leave them out"))


def check_new_document(scheme: Scheme, doc: NewDocument) -> None:
    """A document about to be imported: its segments, statuses and every annotation.

    The first problem raises, naming the document and the annotation (counted from 1).
    """
    where = f"document {doc.external_id!r}"
    n_chars = len(doc.text)
    check_segments(doc.text, doc.segments, where)
    for name, status in doc.status.items():
        check_name(name, f"{where}, status")
        check_status(status, f"{where}, status of {name!r}")
    if not doc.annotations:
        return
    segments = frozenset(doc.segments)
    labelled: set[tuple[str, str, int, int]] = set()
    spans: dict[tuple[str, str, str, int, int], int] = {}
    for number, item in enumerate(doc.annotations, 1):
        at = f"{where}, annotation {number}"
        name = check_name(item.annotator, at)
        layer = check_annotation(scheme, item, n_chars, segments, at)
        first = spans.setdefault((name, item.layer, item.label, item.start, item.end), number)
        if first != number:
            raise _fail(
                at,
                f"the same span as annotation {first} ({name}, {item.layer}/{item.label},"
                f" [{item.start}, {item.end})); keep one of them",
            )
        if layer.kind == "segment":
            key = (name, item.layer, item.start, item.end)
            if key in labelled:
                raise _fail(
                    at,
                    f"{name} labels sentence [{item.start}, {item.end}) on layer"
                    f" {item.layer!r} twice; keep one label per sentence",
                )
            labelled.add(key)
