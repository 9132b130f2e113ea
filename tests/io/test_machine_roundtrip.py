"""A machine's suggestions survive an export and an import as a machine's suggestions.

The native formats carry each annotation's origin but not its annotator's role, so an import
makes an annotator who brings only suggestions (origin ``suggestion``) and no status a
machine: reviewers in the new database see those annotations as suggestions to accept or
reject, and the agreement figures leave the machine out, as in the database exported. A
reviewer who accepted a suggestion (their copy has origin ``suggestion`` too) has a status,
and stays a reviewer.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from annotator.io.export import export_jsonl
from annotator.io.importer import import_paths
from annotator.service.annotating import Annotating
from annotator.service.suggesting import SuggestionReview
from annotator.store import bulk
from annotator.store.repository import Repository

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_export_and_import_keep_the_machine_and_the_reviewers(tmp_path: Path) -> None:
    with Repository.in_memory() as before:
        import_paths(before, [EXAMPLES / "harlow-vale-clinic.txt"])
        document = before.documents()[0]
        before.ensure_annotator("rules", "machine")
        before.add_span("rules", document.id, "loaded", "emotive", 0, 6, origin="suggestion")
        before.add_span("rules", document.id, "loaded", "fear", 10, 16, origin="suggestion")
        ana = Annotating(before, "ana")
        [first, _] = before.suggestions(document.id)
        SuggestionReview(ana).accept(first.id)
        dump = io.StringIO()
        export_jsonl(before, dump)
    path = tmp_path / "exported.jsonl"
    path.write_text(dump.getvalue(), encoding="utf-8")
    with Repository.in_memory() as after:
        import_paths(after, [path])
        roles = {a.name: a.role for a in after.annotators()}
        assert roles == {"rules": "machine", "ana": "annotator"}
        document_id = after.documents()[0].id
        assert {(s.annotator, s.label) for s in after.suggestions(document_id)} == {
            ("rules", "emotive"),
            ("rules", "fear"),
        }
        assert [(a.label, a.origin) for a in after.annotations(document_id, "ana")] == [
            ("emotive", "suggestion")
        ]


def test_a_name_that_later_brings_its_own_work_is_a_reviewer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk, "BATCH", 1)  # the suggestion and the own work in two batches

    def line(external_id: str, text: str, **origin: str) -> str:
        span = {"annotator": "kim", "layer": "loaded", "label": "fear", "start": 0, "end": 3}
        return json.dumps({"id": external_id, "text": text, "annotations": [span | origin]})

    path = tmp_path / "two.jsonl"
    suggested = line("a", "One line here.", origin="suggestion")
    path.write_text(suggested + "\n" + line("b", "Another line.") + "\n", encoding="utf-8")
    with Repository.in_memory() as repo:
        import_paths(repo, [path])
        assert {a.name: a.role for a in repo.annotators()} == {"kim": "annotator"}
        assert [a.origin for a in repo.iter_annotations()] == ["suggestion", "import"]
