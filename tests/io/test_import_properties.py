"""Whatever an import is given, it ends in a clean import or one error line, never in between.

Random bytes, random JSON documents whose every string may hold lone surrogates, combining
marks, right-to-left text, NUL and ESC, and nesting of any depth go through the whole import
into a database file that already holds a document. Either the import succeeds, and the
database passes ``annotator db check`` with no control character in any id, title, note or
name; or it raises the one error a user sees as ``error: ...``, on one line, and the file is
byte for byte as it was.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.text import has_control
from annotator.io.errors import ImportFileError
from annotator.io.importer import run_import
from annotator.store.errors import StoreError
from annotator.store.health import check_database
from annotator.store.repository import Repository

HOSTILE = [
    "\x00",
    "\x1b[2J",
    "\x1b]0;pwned\x07",
    "\u202e",
    "\u200f",
    "مرحبا",
    "e\u0301",
    "\ud800",
    "\udfff",
    "\r\n",
    "\t",
    "[/]",
    "[@click=app.quit]",
    "=1+1",
    "\u2028",
    "\ufeff",
]
hostile_text = st.lists(st.sampled_from(HOSTILE) | st.text(max_size=4), max_size=5).map("".join)


def nested(depth: int) -> object:
    value: object = "deep"
    for _ in range(depth):
        value = {"n": value}
    return value


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | hostile_text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(hostile_text, inner, max_size=3),
    max_leaves=8,
) | st.integers(0, 80).map(nested)

annotation = st.fixed_dictionaries(
    {
        "annotator": st.sampled_from(["ana", "ben"]) | hostile_text,
        "layer": st.sampled_from(["loaded", "statement"]),
        "label": st.sampled_from(["emotive", "fear", "vague", "editorial"]),
        "start": st.integers(0, 12),
        "end": st.integers(0, 30),
    },
    optional={
        "attrs": st.fixed_dictionaries({}, optional={"note": hostile_text, "x": json_values})
    },
)
document = st.fixed_dictionaries(
    {"text": st.sampled_from(["He slammed it. Then left town.", "A calm report."]) | hostile_text},
    optional={
        "id": hostile_text,
        "title": hostile_text,
        "meta": st.dictionaries(hostile_text, json_values, max_size=3),
        "status": st.dictionaries(
            st.sampled_from(["ana", "ben"]) | hostile_text, st.sampled_from(["done", "todo"])
        ),
        "annotations": st.lists(annotation, max_size=4),
    },
)


def digest(path: Path) -> str:
    h = hashlib.sha256(path.read_bytes())
    wal = path.with_name(path.name + "-wal")
    if wal.exists():
        h.update(wal.read_bytes())
    return h.hexdigest()


def attempt(name: str, content: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = folder / "team.db"
        with Repository.open(str(db)) as repo:
            repo.add_span("ana", 1, "loaded", "emotive", 0, 1) if repo.documents() else None
        source = folder / name
        source.write_bytes(content)
        before = digest(db)
        try:
            run_import(str(db), [source])
        except (ImportFileError, StoreError) as exc:
            message = str(exc)
            assert "\n" not in message and message
            assert digest(db) == before
            return
        assert check_database(str(db))[1] == []
        with Repository.open(str(db)) as repo:
            for summary in repo.documents():
                assert not has_control(summary.external_id) and not has_control(summary.title)
            for person in repo.annotators():
                assert not has_control(person.name)
            for a in repo.iter_annotations():
                assert not has_control(json.dumps(a.attrs, ensure_ascii=False), newlines=True)


SLOW_IO = [HealthCheck.too_slow]


@settings(max_examples=120, deadline=None, suppress_health_check=SLOW_IO)
@given(lines=st.lists(document, min_size=1, max_size=3))
def test_any_documents(lines: list[object]) -> None:
    content = "\n".join(json.dumps(line) for line in lines).encode("utf-8")
    attempt("x.jsonl", content)


@settings(max_examples=60, deadline=None, suppress_health_check=SLOW_IO)
@given(content=st.binary(max_size=300))
@pytest.mark.parametrize("name", ["x.jsonl", "x.csv", "x.txt"])
def test_any_bytes(name: str, content: bytes) -> None:
    attempt(name, content)


@settings(max_examples=40, deadline=None, suppress_health_check=SLOW_IO)
@given(text=hostile_text, title=hostile_text, identifier=hostile_text)
def test_any_csv_row(text: str, title: str, identifier: str) -> None:
    row = [json.dumps(value)[1:-1] for value in (identifier, title, text)]
    content = ("id,title,text\n" + ",".join(f'"{v}"' for v in row) + "\n").encode(
        "utf-8", "surrogatepass"
    )
    attempt("x.csv", content)


@pytest.mark.parametrize("depth", [32, 33, 490, 100_000])
def test_nesting_is_refused_past_the_documented_limit(depth: int) -> None:
    line = '{"text": "A calm report.", "meta": ' + '{"n": ' * depth + "1" + "}" * depth + "}"
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "deep.jsonl"
        source.write_text(line + "\n", encoding="utf-8")
        db = Path(tmp) / "team.db"
        if depth <= 32:  # MAX_JSON_DEPTH
            assert run_import(str(db), [source]).added == 1
            return
        with pytest.raises(ImportFileError, match="nested"):
            run_import(str(db), [source])
        assert not db.exists()
