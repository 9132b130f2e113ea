"""``annotator annotations``: add, remove and list annotations from the command line."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from annotator.cli.common import UserError, open_repo, resolve_document, stdout, user_errors
from annotator.cli.root import command_group

if TYPE_CHECKING:
    from rich.text import Text

    from annotator.store.dto import Document

annotations_app = command_group("annotations", "Add, remove and list annotations.")

AsOption = Annotated[str, typer.Option("--as", metavar="NAME", help="Who is annotating.")]


def _excerpt(text: str, limit: int = 60) -> Text:
    from rich.text import Text

    flat = " ".join(text.split())
    return Text(flat if len(flat) <= limit else flat[: limit - 1] + "…")


@annotations_app.command("add")
def annotations_add(
    ctx: typer.Context,
    as_: AsOption,
    doc: Annotated[str, typer.Option("--doc", metavar="ID", help="Document id (or #).")],
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
        typer.Option("--segment", metavar="N", help="Sentence number, from 0 (segment layers)."),
    ] = None,
    note: Annotated[str | None, typer.Option("--note", metavar="T", help="A note.")] = None,
) -> None:
    """Add a span (--start S --end E) or label a sentence (--segment N)."""
    with user_errors(), open_repo(ctx) as repo:
        document = resolve_document(repo, doc)
        scheme_layer = repo.scheme().layer(layer)
        if scheme_layer is None:
            names = ", ".join(layer.name for layer in repo.scheme().layers)
            raise UserError(f"unknown layer {layer!r}; the scheme has {names}")
        attrs = {"note": note} if note else None
        if scheme_layer.kind == "span":
            if start is None or end is None or segment is not None:
                raise UserError(
                    f"layer {layer!r} holds spans: give --start and --end (not --segment)"
                )
            made = repo.add_span(as_, document.id, layer, label, start, end, attrs=attrs)
        else:
            if segment is None or start is not None or end is not None:
                raise UserError(
                    f"layer {layer!r} labels sentences: give --segment N (not --start/--end)"
                )
            made = repo.set_segment_label(as_, document.id, layer, segment, label, attrs=attrs)
        quoted = document.text[made.start : made.end]
        typer.echo(
            f"added annotation {made.id}: {made.layer}/{made.label} [{made.start}, {made.end}) "
            f"{_excerpt(quoted).plain!r} on {document.external_id!r} by {made.annotator!r}"
        )


@annotations_app.command("remove")
def annotations_remove(
    ctx: typer.Context,
    as_: AsOption,
    annotation_id: Annotated[int, typer.Argument(metavar="ID", help="Annotation id.")],
) -> None:
    """Remove one of your annotations (undoable from the UI's history)."""
    with user_errors(), open_repo(ctx) as repo:
        gone = repo.remove_annotation(as_, annotation_id)
        typer.echo(
            f"removed annotation {gone.id}: {gone.layer}/{gone.label} [{gone.start}, {gone.end})"
        )


@annotations_app.command("list")
def annotations_list(
    ctx: typer.Context,
    as_: Annotated[
        str | None, typer.Option("--as", metavar="NAME", help="Only this annotator's.")
    ] = None,
    doc: Annotated[
        str | None, typer.Option("--doc", metavar="ID", help="Only this document.")
    ] = None,
) -> None:
    """List annotations with their text."""
    from rich.table import Table
    from rich.text import Text

    with user_errors(), open_repo(ctx) as repo:
        document_ids = [resolve_document(repo, doc).id] if doc is not None else None
        annotators = [as_] if as_ is not None else None
        table = Table("id", "doc", "annotator", "layer", "label", "start", "end", "text", "note")
        texts: dict[int, Document] = {}
        for a in repo.iter_annotations(annotators=annotators, document_ids=document_ids):
            if a.document_id not in texts:
                texts[a.document_id] = repo.document(a.document_id)
            document = texts[a.document_id]
            note = a.attrs.get("note")
            table.add_row(
                str(a.id),
                Text(document.external_id),
                Text(a.annotator),
                Text(a.layer),
                Text(a.label),
                str(a.start),
                str(a.end),
                _excerpt(document.text[a.start : a.end]),
                _excerpt(note) if isinstance(note, str) else Text(""),
            )
        stdout().print(table)
