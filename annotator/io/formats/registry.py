"""The formats ``annotator import --format F`` reads and ``annotator export --format F`` writes.

Each :class:`Format` names its reader (paths and options in, a
:class:`~annotator.io.formats.model.ReadResult` out) and, when it can be written, its writer
and what it holds (the features listed in :mod:`annotator.io.formats.graph`); an export lists
whatever else a database holds as a loss before writing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from annotator.io.errors import ExportError, ImportFileError
from annotator.io.formats.common import ReadOptions
from annotator.io.formats.model import ReadResult
from annotator.store.dto import Annotation, DocStatus, Document

Reader = Callable[[Sequence[str], ReadOptions], ReadResult]


class Writer(Protocol):
    """Receives each document with its annotations per annotator, then ``close()``."""

    def add(
        self,
        document: Document,
        per_annotator: Sequence[tuple[str, Sequence[Annotation]]],
        status: Mapping[str, DocStatus],
    ) -> None: ...

    def close(self) -> None: ...


WriterFactory = Callable[[Path, Mapping[tuple[str, str], str]], Writer]
"""``(staging path, label names) -> Writer``."""


@dataclass(frozen=True, slots=True)
class Format:
    """One format: its name, what it reads and writes, what an export to it keeps."""

    name: str
    description: str
    reader: Reader | None = None
    writer: WriterFactory | None = None
    holds: frozenset[str] = frozenset()
    output: str = "file"
    """``file`` or ``folder``: what ``-o`` names."""
    one_annotator: bool = False


def _formats() -> dict[str, Format]:
    from annotator.io.formats import (
        brat,
        csv_table,
        doccano,
        label_studio,
        ptc,
        spacy_docbin,
        webanno,
    )

    formats = [
        Format(
            "brat",
            "brat standoff: X.txt + X.ann, one subfolder per annotator",
            brat.read_brat,
            brat.BratWriter,
            brat.HOLDS,
            output="folder",
        ),
        Format(
            "label-studio",
            "Label Studio JSON export (a list of tasks)",
            label_studio.read_label_studio,
            label_studio.LabelStudioWriter,
            label_studio.HOLDS,
        ),
        Format(
            "doccano",
            "doccano JSONL, one <annotator>.jsonl file each",
            doccano.read_doccano,
            doccano.DoccanoWriter,
            doccano.HOLDS,
            output="folder",
        ),
        Format(
            "ptc",
            "SemEval-2020 task 11 / PTC: article<id>.txt + article<id>.labels",
            ptc.read_ptc,
            ptc.PtcWriter,
            ptc.HOLDS,
            output="folder",
            one_annotator=True,
        ),
        Format(
            "webanno",
            "INCEpTION / WebAnno TSV 3, one file per annotator",
            webanno.read_webanno,
        ),
        Format(
            "csv",
            "the CSV table `export --format csv` writes, with the documents' texts",
            csv_table.read_csv_table,
        ),
        Format(
            "spacy",
            "spaCy DocBin (.spacy), one Doc per document and annotator (needs spaCy)",
            None,
            spacy_docbin.DocBinWriter,
            spacy_docbin.HOLDS,
        ),
    ]
    return {f.name: f for f in formats}


ALIASES = {"inception": "webanno", "labelstudio": "label-studio", "ls": "label-studio"}


def names() -> list[str]:
    """Every format name, for help texts."""
    return list(_formats())


def get_format(name: str, *, for_export: bool) -> Format:
    """The format called ``name`` (or an alias); a one-line error names the choices."""
    formats = _formats()
    found = formats.get(ALIASES.get(name.lower(), name.lower()))
    usable = [
        f.name for f in formats.values() if (f.writer if for_export else f.reader) is not None
    ]
    if found is None or (found.writer if for_export else found.reader) is None:
        what = "export to" if for_export else "import from"
        message = f"cannot {what} format {name!r}; use one of {', '.join(usable)}"
        if for_export:
            raise ExportError(message)
        raise ImportFileError("--format", message)
    return found
