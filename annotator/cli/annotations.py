"""``annotator annotations``: add, remove and list annotations from the command line.

Every change goes through ``annotator.service.annotating.Annotating``, the same operations the
annotate screen uses, so a command and a key give the same answer and the same message.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any

import typer

from annotator.cli.common import DOCUMENT_ID, UserError, open_repo, say, shown, stdout, user_errors
from annotator.cli.root import command_group

if TYPE_CHECKING:
    from rich.text import Text

    from annotator.core.scheme import Scheme
    from annotator.service.annotating import Outcome
    from annotator.store.dto import Annotation, Document

annotations_app = command_group("annotations", "Add, remove and list annotations.")

AsOption = Annotated[str, typer.Option("--as", metavar="NAME", help="Who is annotating.")]


def excerpt(text: str, limit: int = 60) -> str:
    """``text`` on one line, cut with an ellipsis past ``limit`` characters.

    Only the start of ``text`` is looked at, so a span of millions of characters costs no more
    than a word.
    """
    flat = " ".join(text[: 4 * limit + 64].split())
    if len(flat) <= limit and len(text) <= 4 * limit + 64:
        return flat
    return flat[: limit - 1] + "…" if len(flat) >= limit else flat + "…"


def _say(outcome: Outcome[Any]) -> None:
    if outcome.notice:
        say(outcome.notice)


@annotations_app.command("add")
def annotations_add(
    ctx: typer.Context,
    as_: AsOption,
    doc: Annotated[str, typer.Option("--doc", metavar="ID", help=f"The document: {DOCUMENT_ID}.")],
    layer: Annotated[str, typer.Option("--layer", metavar="L", help="Layer of the scheme.")],
    label: Annotated[str, typer.Option("--label", metavar="X", help="Label of that layer.")],
    start: Annotated[
        int | None, typer.Option("--start", metavar="S", help="Span start (code points).")
    ] = None,
    end: Annotated[
        int | None, typer.Option("--end", metavar="E", help="Span end, exclusive.")
    ] = None,
    segment: Annotated[
        int | None,
        typer.Option("--segment", metavar="N", help="Sentence number, from 1 (segment layers)."),
    ] = None,
    note: Annotated[str | None, typer.Option("--note", metavar="T", help="A note.")] = None,
) -> None:
    """Add a span (--start S --end E) or label a sentence (--segment N)."""
    from annotator.service import checks
    from annotator.service.annotating import Annotating
    from annotator.service.documents import resolve_document

    with user_errors(), open_repo(ctx) as repo:
        desk = Annotating(repo, as_)
        summary = resolve_document(repo, doc)
        scheme_layer = checks.check_layer(repo.scheme(), layer)
        if scheme_layer.kind == "span":
            if start is None or end is None or segment is not None:
                raise UserError(
                    f"layer {layer!r} holds spans: give --start and --end (not --segment)"
                )
            made = desk.tag(summary.id, layer, label, start, end, note=note)
        else:
            if segment is None or start is not None or end is not None:
                raise UserError(
                    f"layer {layer!r} labels sentences: give --segment N (not --start/--end)"
                )
            index = checks.check_sentence(segment, summary.n_segments, f"--segment {segment}")
            made = desk.classify(summary.id, layer, index, label, note=note)
        document = repo.document(summary.id)
        a = made.value
        verb = "annotation {} is already there" if made.existed else "added annotation {}"
        say(
            f"{verb.format(a.id)}: {a.layer}/{a.label} [{a.start}, {a.end}) "
            f"{excerpt(document.text[a.start : a.end])!r} on {document.external_id!r}"
            f" by {a.annotator!r}"
        )
        if not made.existed:
            _say(made)


@annotations_app.command("remove")
def annotations_remove(
    ctx: typer.Context,
    as_: AsOption,
    annotation_id: Annotated[int, typer.Argument(metavar="ID", help="Annotation id.")],
) -> None:
    """Remove one of your annotations (undoable from the UI's history)."""
    from annotator.service.annotating import Annotating

    with user_errors(), open_repo(ctx) as repo:
        gone = Annotating(repo, as_).remove(annotation_id)
        a = gone.value
        say(f"removed annotation {a.id}: {a.layer}/{a.label} [{a.start}, {a.end})")
        _say(gone)


LIST_WIDTHS = (8, 16, 12, 24, 12)
"""Widest the id, doc, who, label and where columns of ``annotations list`` may grow."""


def one_line_rows(header: list[str], rows: list[list[Text]], width: int) -> list[Text]:
    """A header and rows, one line each within ``width``: the last column takes what is
    left and every cell too long for its column ends in an ellipsis."""
    from rich.text import Text

    fixed = [
        min(cap, max([len(header[i]), *(row[i].cell_len for row in rows)]))
        for i, cap in enumerate(LIST_WIDTHS)
    ]
    rest = max(16, width - sum(fixed) - 2 * len(fixed))
    lines = []
    for cells in [[Text(name, style="bold") for name in header], *rows]:
        line = Text()
        for i, cell in enumerate(cells):
            fitted = cell.copy()
            column = fixed[i] if i < len(fixed) else rest
            fitted.truncate(column, overflow="ellipsis", pad=i < len(fixed))
            if i:
                line.append("  ")
            line.append_text(fitted)
        lines.append(line)
    return lines


def describe_text(annotation: Annotation, document: Document, scheme: Scheme) -> Text:
    """What an annotation covers, with an attributed statement's source and cue and its
    note, on one line."""
    from rich.text import Text

    text = document.text
    cell = Text(repr(excerpt(text[annotation.start : annotation.end], 48)))
    layer = scheme.layer(annotation.layer)
    label = layer.label(annotation.label) if layer is not None else None
    for role in label.requires if label is not None else ():
        span = annotation.attrs.get(role)
        if isinstance(span, Mapping) and "start" in span and "end" in span:
            quoted = excerpt(text[int(span["start"]) : int(span["end"])], 30)
            cell.append(f" {role} ", style="dim")
            cell.append(repr(quoted))
        else:
            cell.append(f" {role} missing", style="dim")
    note = annotation.attrs.get("note")
    if isinstance(note, str) and note:
        cell.append(" note ", style="dim")
        cell.append(repr(excerpt(note, 40)))
    return cell


@annotations_app.command("list")
def annotations_list(
    ctx: typer.Context,
    as_: Annotated[
        str | None, typer.Option("--as", metavar="NAME", help="Only this annotator's.")
    ] = None,
    doc: Annotated[
        str | None,
        typer.Option("--doc", metavar="ID", help=f"Only this document: {DOCUMENT_ID}."),
    ] = None,
) -> None:
    """List annotations, one line each: what, where (offsets or sentence), and the text."""

    from annotator.service import checks
    from annotator.service.documents import resolve_document

    with user_errors(), open_repo(ctx) as repo:
        scheme = repo.scheme()
        document_ids = [resolve_document(repo, doc).id] if doc is not None else None
        annotators = [checks.check_name(as_, "--as")] if as_ is not None else None
        rows: list[list[Text]] = []
        texts: dict[int, tuple[Document, dict[tuple[int, int], int]]] = {}
        for a in repo.iter_annotations(annotators=annotators, document_ids=document_ids):
            if a.document_id not in texts:
                read = repo.document(a.document_id)
                texts[a.document_id] = (read, {seg: i for i, seg in enumerate(read.segments, 1)})
            document, segments = texts[a.document_id]
            number = segments.get((a.start, a.end))
            layer = scheme.layer(a.layer)
            where = (
                f"sentence {number}"
                if layer is not None and layer.kind == "segment" and number is not None
                else f"{a.start}-{a.end}"
            )
            rows.append(
                [
                    shown(str(a.id)),
                    shown(document.external_id),
                    shown(a.annotator),
                    shown(f"{a.layer}/{a.label}"),
                    shown(where),
                    describe_text(a, document, scheme),
                ]
            )
        console = stdout()
        for line in one_line_rows(
            ["id", "doc", "who", "label", "where", "text"], rows, console.width
        ):
            console.print(line, soft_wrap=True)
