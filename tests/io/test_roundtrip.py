"""Native JSONL is lossless: export -> import into an empty database -> export is byte-identical.

Every exported line also validates against ``schemas/annotations.schema.json``.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.text import canonicalize
from annotator.io.errors import ExportError
from annotator.io.export import CSV_COLUMNS, export_csv, export_jsonl
from annotator.io.importer import import_paths
from annotator.resources import examples_dir, schemas_dir
from annotator.store.repository import Repository

HOSTILE = (
    "Officials said [/] the deal [@click=app.quit] was \x1b[31mdone\x1b[0m.\r\n"
    "“We will not wait,” the mayor said 😀👩🏽‍⚖️.\tq\u0307 and Z\u0335al\u0336go\u0337 too.\n\n"
    "Critics argue [bold]it[/bold] will fail."
)


def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads((schemas_dir() / "annotations.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def exported(repo: Repository, annotators: list[str] | None = None) -> str:
    out = io.StringIO(newline="")
    export_jsonl(repo, out, annotators)
    return out.getvalue()


def populate(repo: Repository, folder: Path) -> None:
    """A hostile document from CSV plus a plain one, annotated by two people in every way."""
    with (folder / "in.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "title", "outlet", "text"])
        writer.writerow(["h1", "[b]Bold[/b] \x1b[2J title", 'Daily "News"', HOSTILE])
        writer.writerow(["p1", "Plain", "Weekly", "The budget passed. It was close."])
    import_paths(repo, [folder / "in.csv"])
    hostile = repo.document_by_external_id("h1")
    assert hostile is not None
    text = hostile.text
    assert "[@click=app.quit]" in text and "\ufffd[31m" in text and "\t" not in text
    start = text.index("[@click")
    repo.add_span("ann", hostile.id, "loaded", "fear", start, start + 17, attrs={"note": "[/]"})
    emoji = text.index("😀")
    repo.add_span("ann", hostile.id, "loaded", "emotive", emoji, emoji + 1)
    repo.add_span("bob", hostile.id, "loaded", "labeling", start, start + 17, origin="suggestion")
    quote = hostile.segments[1]
    cue = text.index("said", quote[0])
    mayor = text.index("the mayor")
    repo.set_segment_label(
        "bob",
        hostile.id,
        "statement",
        1,
        "attributed",
        attrs={"source": {"start": mayor, "end": mayor + 9}, "cue": {"start": cue, "end": cue + 4}},
    )
    repo.set_segment_label("ann", hostile.id, "statement", 0, "vague")
    repo.set_status("ann", hostile.id, "done")
    repo.set_status("bob", hostile.id, "in_progress")


def test_export_import_export_is_byte_identical(tmp_path: Path) -> None:
    with Repository.in_memory() as first:
        populate(first, tmp_path)
        once = exported(first)
    assert once.count("\n") == 2 and once.endswith("\n")
    (tmp_path / "once.jsonl").write_text(once, encoding="utf-8", newline="")
    with Repository.in_memory() as second:
        result = import_paths(second, [tmp_path / "once.jsonl"])
        assert (result.added, result.skipped, result.annotations) == (2, 0, 5)
        twice = exported(second)
    assert twice.encode("utf-8") == once.encode("utf-8")
    check = validator()
    for line in once.splitlines():
        check.validate(json.loads(line))
    record = json.loads(once.splitlines()[0])
    assert list(record) == ["id", "title", "text", "meta", "segments", "status", "annotations"]
    assert record["title"] == "[b]Bold[/b] \ufffd[2J title"
    assert record["meta"] == {"outlet": 'Daily "News"'}
    assert record["status"] == {"ann": "done", "bob": "in_progress"}
    assert "😀" in once and "\\u" not in once


def test_annotator_filter_keeps_only_their_annotations_and_status(tmp_path: Path) -> None:
    with Repository.in_memory() as repo:
        populate(repo, tmp_path)
        lines = [json.loads(x) for x in exported(repo, ["bob"]).splitlines()]
        with pytest.raises(ExportError, match="no annotator named 'carol'; annotators: ann, bob"):
            exported(repo, ["carol"])
    assert {a["annotator"] for a in lines[0]["annotations"]} == {"bob"}
    assert lines[0]["status"] == {"bob": "in_progress"}
    assert lines[1]["annotations"] == [] and lines[1]["status"] == {}


def test_csv_export_has_one_row_per_annotation(tmp_path: Path) -> None:
    with Repository.in_memory() as repo:
        populate(repo, tmp_path)
        out = io.StringIO(newline="")
        assert export_csv(repo, out) == 5
        hostile = repo.document_by_external_id("h1")
    assert hostile is not None
    rows = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == 5
    for row in rows:
        assert row["document"] == "h1"
        assert row["text"] == hostile.text[int(row["start"]) : int(row["end"])]
    attributed = next(r for r in rows if r["label"] == "attributed")
    assert json.loads(attributed["attrs"])["source"]["end"] > 0
    assert {r["origin"] for r in rows} == {"manual", "suggestion"}


texts = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=80
).filter(lambda t: canonicalize(t).strip() != "")


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(raw=texts, title=st.text(max_size=20))
def test_any_text_survives_the_round_trip(tmp_path: Path, raw: str, title: str) -> None:
    source = tmp_path / "any.jsonl"
    source.write_text(json.dumps({"id": "x", "title": title, "text": raw}) + "\n", "utf-8")
    with Repository.in_memory() as first:
        import_paths(first, [source])
        document = first.document_by_external_id("x")
        assert document is not None and document.text == canonicalize(raw)
        start, end = document.segments[0]
        first.add_span("ann", document.id, "loaded", "emotive", start, end)
        once = exported(first)
    again = tmp_path / "again.jsonl"
    again.write_text(once, "utf-8", newline="")
    with Repository.in_memory() as second:
        import_paths(second, [again])
        assert exported(second) == once


def test_the_sample_reviews_follow_the_schema_and_round_trip(tmp_path: Path) -> None:
    check = validator()
    reviews = examples_dir() / "reviews.jsonl"
    for line in reviews.read_text(encoding="utf-8").splitlines():
        check.validate(json.loads(line))
    with Repository.in_memory() as first:
        import_paths(first, [examples_dir()])
        once = exported(first)
    (tmp_path / "once.jsonl").write_text(once, encoding="utf-8", newline="")
    with Repository.in_memory() as second:
        import_paths(second, [tmp_path / "once.jsonl"])
        assert exported(second) == once
    for line in once.splitlines():
        check.validate(json.loads(line))
