"""``annotator report`` end to end: import JSONL with ``annotator import``, report in every
format, figures equal to the service's, bad input as one ``error:`` line with exit code 2."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from html_dom import parse
from report_support import k2011_corpus, news_corpus, published_vectors, write_jsonl
from typer.testing import CliRunner, Result

from annotator.cli import app
from annotator.report import ReportOptions, build_report, render_json
from annotator.report.render_html import sort_script
from annotator.service.checks import check_layer
from annotator.service.documents import resolve_documents
from annotator.store.errors import StoreError
from annotator.store.repository import Repository


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ANNOTATOR_DB", raising=False)
    path = tmp_path / "news.db"
    source = write_jsonl(tmp_path / "news.jsonl", news_corpus())
    result = run("--db", str(path), "import", str(source))
    assert result.exit_code == 0, result.output
    return path


def one_error(result: Result) -> str:
    assert result.exit_code == 2, (result.exit_code, result.output)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    assert "Traceback" not in result.output
    return lines[0]


def test_json_equals_the_service(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    result = run("--db", str(db), "report", "--format", "json", "-o", str(out), "--seed", "7",
                 "--bootstrap", "100")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "wrote the json report" in result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    with Repository.open(str(db)) as repo:
        expected = json.loads(render_json(build_report(repo, ReportOptions(bootstrap=100, seed=7))))
    data["provenance"].pop("generated_at")
    expected["provenance"].pop("generated_at")
    assert data == expected
    assert data["provenance"]["bootstrap"] == {"B": 100, "seed": 7}


def test_markdown_to_stdout(db: Path) -> None:
    result = run("--db", str(db), "report", "--bootstrap", "50")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("# Inter-annotator report")
    assert "## Layer `statement`" in out and "## Layer `loaded`" in out
    assert "| ann / bob |" in out
    # hostile document text stays literal text
    assert "&lt;script&gt;" in out and "<script>" not in out
    assert r"\[/\]" in out


def test_html_needs_an_output_file(db: Path) -> None:
    line = one_error(run("--db", str(db), "report", "--format", "html"))
    assert "--output" in line


def test_html_file(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = run("--db", str(db), "report", "-f", "html", "-o", str(out), "--bootstrap", "50")
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "<svg" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # one script, inline: the reliability table's sorter, and the policy names only it
    scripts = parse(html).find_all("script")
    assert [(s.attrs, s.text()) for s in scripts] == [({}, " ".join(sort_script()[0].split()))]
    policy = next(
        m.attrs["content"]
        for m in parse(html).find_all("meta")
        if m.attrs.get("http-equiv") == "Content-Security-Policy"
    )
    assert policy == f"default-src 'none'; style-src 'unsafe-inline'; script-src {sort_script()[1]}"
    for external in ("http://", "https://", "src=", "<link", "@import", "url("):
        if external == "http://":
            # the SVG namespace is an identifier, not a fetch
            assert html.count("http://") == html.count('xmlns="http://www.w3.org/2000/svg"')
        else:
            assert external not in html, external


def test_csv_folder(db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "tables"
    result = run("--db", str(db), "report", "-f", "csv", "-o", str(folder), "--bootstrap", "0")
    assert result.exit_code == 0, result.output
    names = {p.name for p in folder.iterdir()}
    assert f"wrote {len(names)} tables to {folder}" in " ".join(result.stderr.split())
    assert {"layers.csv", "segment_pairwise.csv", "span_pairwise.csv", "documents.csv",
            "bias.csv", "disagreements.csv", "provenance.csv", "counted.csv"} <= names  # fmt: skip
    with Repository.open(str(db)) as repo:
        report = build_report(repo, ReportOptions(bootstrap=0))
    rows = list(csv.DictReader(io.StringIO((folder / "segment_pairwise.csv").read_text())))
    statement = next(layer for layer in report.layers if layer.name == "statement")
    for row, pair in zip(rows, statement.pairwise, strict=True):
        assert (row["a"], row["b"], int(row["n"])) == (pair.a, pair.b, pair.n)
        assert float(row["cohen_kappa"]) == pytest.approx(pair.cohen_kappa.value)
    layers = list(csv.DictReader(io.StringIO((folder / "layers.csv").read_text())))
    alpha = next(r for r in layers if r["measure"] == "krippendorff_alpha")
    assert float(alpha["value"]) == pytest.approx(statement.krippendorff_alpha.value)
    assert alpha["ci95_low"] == ""  # bootstrap off


def test_csv_refuses_a_file(db: Path, tmp_path: Path) -> None:
    target = tmp_path / "exists.csv"
    target.write_text("x", encoding="utf-8")
    line = one_error(run("--db", str(db), "report", "-f", "csv", "-o", str(target)))
    assert "folder" in line


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--layer", "nope"), "layer 'nope' is not in scheme 'source-bias'"),
        (("--annotator", "zed"), "no annotator named 'zed'"),
        (("--documents", "missing"), "no document 'missing'"),
        (("--format", "pdf"), "pdf"),
        (("--bootstrap", "-1"), "--bootstrap"),
    ],
)
def test_bad_options_are_one_line(db: Path, args: tuple[str, ...], expected: str) -> None:
    assert expected in one_error(run("--db", str(db), "report", *args))


def test_documents_are_named_by_the_rule_of_docs(tmp_path: Path) -> None:
    """``--documents 2`` is the document imported as ``2`` (it is number 1); ``'#2'`` is the
    document numbered 2, whatever its id."""
    corpus = news_corpus()[:2]
    corpus[0]["id"] = "2"
    db = tmp_path / "ids.db"
    source = write_jsonl(tmp_path / "ids.jsonl", corpus)
    assert run("--db", str(db), "import", str(source)).exit_code == 0
    with Repository.open(str(db)) as repo:
        assert [(d.id, d.external_id) for d in repo.documents()] == [(1, "2"), (2, "senate-night")]

    def counted(*refs: str) -> list[str]:
        args = [arg for ref in refs for arg in ("--documents", ref)]
        result = run("--db", str(db), "report", "-f", "json", "--bootstrap", "0", *args)
        assert result.exit_code == 0, result.output
        return list(json.loads(result.stdout)["provenance"]["counted"])

    assert counted("2") == ["2"]
    assert counted("#2") == ["senate-night"]
    assert counted("#1", "senate-night") == ["2", "senate-night"]


def test_an_unknown_document_or_layer_gets_the_rulebook_message(db: Path) -> None:
    with Repository.open(str(db)) as repo:
        with pytest.raises(StoreError) as document:
            resolve_documents(repo, ["nope"])
        with pytest.raises(StoreError) as layer:
            check_layer(repo.scheme(), "nope")
    assert one_error(run("--db", str(db), "report", "--documents", "nope")) == (
        f"error: {document.value}"
    )
    assert one_error(run("--db", str(db), "report", "--layer", "nope")) == f"error: {layer.value}"


def test_nothing_finished_is_one_line_and_no_tables(tmp_path: Path) -> None:
    corpus = news_corpus()
    for doc in corpus:
        doc["status"] = {"ann": "done"}
    db = tmp_path / "solo.db"
    assert (
        run("--db", str(db), "import", str(write_jsonl(tmp_path / "s.jsonl", corpus))).exit_code
        == 0
    )
    for fmt in ("md", "json"):
        result = run("--db", str(db), "report", "-f", fmt)
        line = one_error(result)
        assert line.startswith("error: only ann has marked any document done,")
        assert "--include-unfinished" in line
        assert result.stdout == ""
    assert not (tmp_path / "out.html").exists()
    one_error(run("--db", str(db), "report", "-f", "html", "-o", str(tmp_path / "out.html")))
    assert not (tmp_path / "out.html").exists()


def test_missing_database_is_one_line(tmp_path: Path) -> None:
    line = one_error(run("--db", str(tmp_path / "none.db"), "report"))
    assert "no database" in line
    assert not (tmp_path / "none.db").exists()


def test_krippendorff_2011_through_the_command_line(tmp_path: Path) -> None:
    vectors = published_vectors()
    scheme = tmp_path / "k2011.yaml"
    from report_support import K_SCHEME

    scheme.write_text(K_SCHEME, encoding="utf-8")
    db = tmp_path / "k.db"
    assert run("--db", str(db), "init", "--scheme", str(scheme)).exit_code == 0
    source = write_jsonl(tmp_path / "k.jsonl", k2011_corpus(vectors["P1_K2011"]))
    assert run("--db", str(db), "import", str(source)).exit_code == 0
    result = run("--db", str(db), "report", "-f", "json", "--bootstrap", "0")
    assert result.exit_code == 0, result.output
    alpha = json.loads(result.stdout)["layers"]["value"]["krippendorff_alpha"]
    assert round(alpha, 3) == vectors["P1_EXPECTED"]["nominal"] == 0.743
