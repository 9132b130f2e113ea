"""``annotator import``: what it reads; every bad input refused in one line, nothing written."""

from __future__ import annotations

import json

import pytest
from cli_support import Cli, digest, one_error_line

from annotator.store.repository import Repository

ARTICLE = 'Mr. Smith slammed the plan. "It is bad," he said.\n\nCritics argue it will fail.\n'
# segments: [0, 27) [28, 49) [51, 78)


def line(**fields: object) -> str:
    record: dict[str, object] = {"id": "j1", "text": ARTICLE}
    record.update(fields)
    return json.dumps(record, ensure_ascii=False)


def span(**fields: object) -> dict[str, object]:
    value: dict[str, object] = {
        "annotator": "ann",
        "layer": "loaded",
        "label": "emotive",
        "start": 10,
        "end": 17,
        "text": "slammed",
    }
    value.update(fields)
    return value


def test_import_reads_folders_of_every_format(cli: Cli) -> None:
    cli.write("in/a.txt", "Budget vote\n\nThe budget passed.\nIt was close.\n")
    cli.write("in/sub/b.md", "# Heading here\n\nThe council met. It voted.\n")
    cli.write("in/c.csv", "id,title,outlet,text\nc1,CSV one,Daily,One sentence. Two.\n")
    cli.write(
        "in/d.jsonl",
        line(
            id="d1",
            status={"ann": "done"},
            annotations=[
                span(),
                span(layer="statement", label="vague", start=51, end=78, text=None),
            ],
        )
        + "\n",
    )
    cli.write("in/skip.pdf", b"%PDF-1.4")
    result = cli("import", "in")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("imported 4 documents, 2 annotations into ")
    assert result.stdout.rstrip().endswith("0 skipped (text already stored or repeated)")
    with Repository.open(str(cli.db)) as repo:
        docs = {d.external_id: d for d in repo.documents()}
        assert set(docs) == {"a", "sub/b", "c1", "d1"}
        assert docs["a"].title == "Budget vote"
        assert docs["sub/b"].title == "Heading here"
        a = repo.document(docs["a"].id)
        assert a.text == "The budget passed.\nIt was close.\n"
        assert a.segments == ((0, 18), (19, 32))
        assert repo.document(docs["c1"].id).meta == {"outlet": "Daily"}
        assert repo.statuses([docs["d1"].id]) == {docs["d1"].id: {"ann": "done"}}
        labels = [(x.layer, x.label) for x in repo.annotations(docs["d1"].id, "ann")]
        assert sorted(labels) == [("loaded", "emotive"), ("statement", "vague")]
    again = cli("import", "in")
    assert again.exit_code == 0
    assert again.stdout.startswith("imported 0 documents, 0 annotations")
    assert "4 skipped (text already stored or repeated)" in again.stdout


def test_an_import_into_a_new_database_that_fails_creates_no_file(cli: Cli) -> None:
    cli.write("bad.jsonl", line(annotations=[span(label="nonsense")]) + "\n")
    one_error_line(cli("import", "bad.jsonl"))
    assert not cli.db.exists()


BAD_INPUTS: list[tuple[str, str | bytes, str]] = [
    ("binary.txt", b"Text\x00\x01\x02", "binary.txt:1: binary file (NUL byte at offset 4)"),
    ("latin1.txt", "Café au lait.".encode("latin-1"), "latin1.txt:1: not valid UTF-8 (byte 0xE9"),
    ("empty.txt", b"", "empty.txt: the file is empty"),
    ("empty.csv", b"", "empty.csv: the file is empty"),
    ("broken.jsonl", line() + '\n{"id": "j2", "text": "x"\n', "broken.jsonl:2: broken JSON:"),
    (
        "past.jsonl",
        line(annotations=[span(start=70, end=90, text=None)]),
        "past.jsonl:1: document 'j1', annotation 1: span [70, 90) is outside the text (0..79",
    ),
    (
        "label.jsonl",
        line(annotations=[span(), span(label="snark")]),
        "label.jsonl:1: document 'j1', annotation 2: label 'snark' is not in layer 'loaded'",
    ),
    (
        "layer.jsonl",
        line(annotations=[span(layer="tone")]),
        "layer.jsonl:1: document 'j1', annotation 1: layer 'tone' is not in scheme",
    ),
    (
        "spantext.jsonl",
        "\n\n" + line(annotations=[span(), span(label="labeling", text="slamed")]),
        "spantext.jsonl:3: annotation 2: span text 'slamed' != text[10:17] 'slammed'; "
        "fix the offsets or the text",
    ),
    (
        "segment.jsonl",
        line(annotations=[span(layer="statement", label="vague", start=0, end=20, text=None)]),
        "segment.jsonl:1: document 'j1', annotation 1: layer 'statement' labels whole sentences,"
        " but [0, 20) is not one of the document's sentences",
    ),
    (
        "dupes.jsonl",
        line(id="same") + "\n" + line(id="same", text="Other text."),
        "dupes.jsonl:2: duplicate id 'same' (first at later/dupes.jsonl:1) with another text",
    ),
    (
        "crlf.jsonl",
        line(text="A line.\r\nAnother.", annotations=[span(start=0, end=1, text="A")]),
        "crlf.jsonl:1: the text is not canonical",
    ),
    (
        "nocol.csv",
        "id,body\n1,Text.\n",
        "nocol.csv:1: no 'text' column in the header (id, body)",
    ),
    ("scan.pdf", b"%PDF", "scan.pdf: cannot import .pdf files"),
]


@pytest.mark.parametrize(
    ("name", "content", "expected"), BAD_INPUTS, ids=[case[0] for case in BAD_INPUTS]
)
def test_bad_input_is_one_line_exit_2_and_leaves_the_database_untouched(
    cli: Cli, name: str, content: str | bytes, expected: str
) -> None:
    cli.write("good/first.txt", "A good article. It has two sentences.")
    assert cli("import", "good").exit_code == 0
    before = digest(cli.db)
    cli.write("later/ok.txt", "Another good article that would be imported.")
    cli.write(f"later/{name}", content)
    message = one_error_line(cli("import", "later/ok.txt", f"later/{name}"))
    assert message.startswith(f"error: later/{expected}"), message
    assert digest(cli.db) == before


def test_missing_path_is_refused(cli: Cli) -> None:
    cli.write("a.txt", "Fine.")
    assert cli("import", "a.txt").exit_code == 0
    before = digest(cli.db)
    message = one_error_line(cli("import", "a.txt", "nowhere/b.txt"))
    assert message == "error: nowhere/b.txt: no such file or folder; check the path"
    assert digest(cli.db) == before


def test_an_id_taken_by_another_text_is_refused(cli: Cli) -> None:
    cli.write("one/story.txt", "The first text.")
    assert cli("import", "one").exit_code == 0
    before = digest(cli.db)
    cli.write("two/story.txt", "A different text under the same id.")
    message = one_error_line(cli("import", "two"))
    assert message == (
        "error: two/story.txt: id 'story' is already in the database with a different text; "
        "give this document another id"
    )
    assert digest(cli.db) == before


def test_a_large_import_shows_progress_on_stderr(cli: Cli) -> None:
    lines = [json.dumps({"id": f"n{i}", "text": f"Article number {i}."}) for i in range(210)]
    cli.write("many.jsonl", "\n".join(lines) + "\n")
    result = cli("import", "many.jsonl")
    assert result.exit_code == 0, result.output
    assert "writing" in result.stderr
    assert "210/210" in result.stderr
    assert result.stdout.startswith("imported 210 documents")


def test_a_large_export_shows_progress_on_stderr_not_in_the_file(cli: Cli) -> None:
    lines = [json.dumps({"id": f"n{i}", "text": f"Article number {i}."}) for i in range(210)]
    cli.write("many.jsonl", "\n".join(lines) + "\n")
    assert cli("import", "many.jsonl").exit_code == 0
    result = cli("export")
    assert result.exit_code == 0, result.output
    assert "export" in result.stderr
    assert "210/210" in result.stderr
    assert len(result.stdout.splitlines()) == 210
    assert all(line.startswith("{") for line in result.stdout.splitlines())
