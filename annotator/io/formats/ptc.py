"""SemEval-2020 task 11 / the Propaganda Techniques Corpus (PTC).

A folder of ``article<id>.txt`` files, with label files ``article<id>*.labels`` beside them or
in a sibling folder (the corpus ships ``train-articles/`` next to
``train-labels-task2-technique-classification/``). A label line is
``<id>\\t<technique>\\t<start>\\t<end>``, split on tabs only: technique names contain commas
(``Name_Calling,Labeling``). Offsets count the characters of the article file as Python reads
it, so a byte-order mark at the start is character 0 and CRLF is two characters; both are
mapped onto the canonical text, so spans come out on the same words. Label files of the span
identification task (three fields, no technique) are skipped and counted.

The labels name no annotator: ``--annotator NAME`` says whose they are. A label file, even an
empty one, says the article was finished. The writer makes ``article<id>.txt`` and
``article<id>.labels`` for one annotator.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from annotator.core.wording import counted
from annotator.io.errors import ExportError, ImportFileError
from annotator.io.formats.common import ReadOptions, given_paths, need_annotator, read_raw, walk
from annotator.io.formats.graph import EMPTY_DONE
from annotator.io.formats.model import Entity, ForeignDocument, ReadResult
from annotator.store.dto import Annotation, DocStatus, Document

HOLDS = frozenset({EMPTY_DONE})
_ARTICLE = re.compile(r"^article(.+)\.txt$")


def _label_files(txt: Path, ident: str) -> list[Path]:
    pattern = f"article{ident}*.labels"
    beside = sorted(txt.parent.glob(pattern))
    if beside:
        return beside
    found: list[Path] = []
    for sibling in sorted(txt.parent.parent.iterdir()):
        if sibling.is_dir() and sibling != txt.parent and not sibling.name.startswith("."):
            found.extend(sorted(sibling.glob(pattern)))
    return [
        f for f in found if re.fullmatch(rf"article{re.escape(ident)}(\.[^/]*)?\.labels", f.name)
    ]


def _read_labels(path: Path, ident: str, annotator: str, raw_length: int) -> list[Entity] | None:
    """The spans of one label file, or None for a span-identification file (no technique)."""
    shown = str(path)
    entities: list[Entity] = []
    for number, line in enumerate(read_raw(path, shown).lstrip("\ufeff").split("\n"), 1):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) == 3 and not entities:
            return None
        if len(fields) != 4:
            raise ImportFileError(
                shown,
                f"expected '<id>\\t<technique>\\t<start>\\t<end>' (tab-separated), "
                f"got {counted(len(fields), 'field(s)')}",
                number,
            )
        article, technique, start_text, end_text = fields
        if article.strip() != ident:
            raise ImportFileError(
                shown,
                f"article id {article!r} does not match the file's article {ident!r}",
                number,
            )
        try:
            start, end = int(start_text), int(end_text)
        except ValueError:
            raise ImportFileError(
                shown, f"offsets {start_text!r} {end_text!r} are not integers", number
            ) from None
        if not technique.strip():
            raise ImportFileError(shown, "the technique is empty", number)
        if not 0 <= start < end <= raw_length:
            raise ImportFileError(
                shown,
                f"span [{start}, {end}) is empty or past the end of the article "
                f"({raw_length} characters); fix the offsets",
                number,
            )
        entities.append(
            Entity(f"{path.name}:{number}", annotator, technique, ((start, end),), number)
        )
    return entities


def read_ptc(paths: Sequence[str], options: ReadOptions) -> ReadResult:
    """Every ``article<id>.txt`` under ``paths`` with its labels."""
    result = ReadResult()
    skipped = 0
    for path, shown in given_paths(paths):
        articles = [path] if path.is_file() else walk(path, (".txt",))
        articles = [a for a in articles if _ARTICLE.match(a.name)]
        if not articles:
            raise ImportFileError(shown, "no article<id>.txt files here; nothing to import")
        annotator = need_annotator(options, shown, "PTC label files")
        for txt in articles:
            match = _ARTICLE.match(txt.name)
            assert match is not None
            ident = match.group(1)
            raw = read_raw(txt, str(txt))
            document = ForeignDocument(path=str(txt), line=None, external_id=ident, raw_text=raw)
            for labels in _label_files(txt, ident):
                entities = _read_labels(labels, ident, annotator, len(raw))
                if entities is None:
                    skipped += 1
                    continue
                if entities and not document.entities:
                    document.path = str(labels)
                document.entities.extend(entities)
                if annotator not in document.done:
                    document.done.append(annotator)
            result.documents.append(document)
    if skipped:
        result.notes.append(
            f"skipped {counted(skipped, 'span-identification label file(s)')}:"
            " they name no technique"
        )
    return result


class PtcWriter:
    """``article<id>.txt`` and ``article<id>.labels`` per document, for one annotator."""

    def __init__(self, folder: Path, names: Mapping[tuple[str, str], str]) -> None:
        self._folder = folder
        self._names = dict(names)

    def add(
        self,
        document: Document,
        per_annotator: Sequence[tuple[str, Sequence[Annotation]]],
        status: Mapping[str, DocStatus],
    ) -> None:
        ident = document.external_id
        if any(ch in ident for ch in "/\\\t\n") or not ident.strip():
            raise ExportError(
                f"document id {ident!r} cannot be a PTC article id (no slashes, tabs or line "
                "breaks); export the other formats or rename it"
            )
        (self._folder / f"article{ident}.txt").write_text(
            document.text, encoding="utf-8", newline=""
        )
        lines = []
        for _, found in per_annotator:
            for a in sorted(found, key=lambda a: (a.start, a.end, a.layer, a.label)):
                label = self._names.get((a.layer, a.label), f"{a.layer}/{a.label}")
                lines.append(f"{ident}\t{label}\t{a.start}\t{a.end}\n")
        (self._folder / f"article{ident}.labels").write_text(
            "".join(lines), encoding="utf-8", newline=""
        )

    def close(self) -> None:
        pass
