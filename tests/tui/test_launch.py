"""The commands that open the terminal UI: annotate, demo, and bare ``annotator``.

The app itself is replaced by a recorder here (its screens have their own Pilot tests); these
tests check what the commands hand it and the one-line errors they give.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tui_support import seed
from typer.testing import CliRunner

from annotator.cli import app as cli_app
from annotator.resources import examples_dir
from annotator.store.repository import Repository
from annotator.tui.app import AnnotatorApp
from annotator.tui.launch import build_demo


class Recorded:
    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Recorded:
    """Replace ``AnnotatorApp.run`` by a recorder; work in a temporary folder."""
    seen = Recorded()

    def run(self: AnnotatorApp, *args: Any, **kwargs: Any) -> None:
        seen.calls.append(
            {
                "annotator": self.session.reviewer,
                "document": self.start_document,
                "theme": self.session.config.theme,
                "documents": len(self.session.repo.documents()),
            }
        )

    monkeypatch.setattr(AnnotatorApp, "run", run)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ANNOTATOR_DB", raising=False)
    monkeypatch.delenv("ANNOTATOR_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config-home"))
    return seen


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli_app, list(args))
    return result.exit_code, result.output


def seeded_db(path: Path) -> list[int]:
    repo = Repository.open(str(path))
    try:
        return seed(repo)
    finally:
        repo.close()


def test_annotate_opens_the_app_as_the_reviewer(recorded: Recorded, tmp_path: Path) -> None:
    ids = seeded_db(tmp_path / "a.db")
    code, output = invoke(
        "--db", str(tmp_path / "a.db"), "annotate", "--as", "cleo", "--doc", "valley"
    )
    assert code == 0, output
    assert recorded.calls == [
        {"annotator": "cleo", "document": ids[1], "theme": "textual-dark", "documents": 2}
    ]
    repo = Repository.open(str(tmp_path / "a.db"))
    try:
        assert "cleo" in [a.name for a in repo.annotators()]
    finally:
        repo.close()


def test_annotate_takes_a_document_number_and_a_config(recorded: Recorded, tmp_path: Path) -> None:
    ids = seeded_db(tmp_path / "a.db")
    config = tmp_path / "config.yaml"
    config.write_text("theme: textual-light\n", encoding="utf-8")
    code, output = invoke(
        "--db", str(tmp_path / "a.db"), "annotate", "--as", "ana", "--doc", str(ids[0]),
        "--config", str(config),
    )  # fmt: skip
    assert code == 0, output
    assert recorded.calls[0]["document"] == ids[0]
    assert recorded.calls[0]["theme"] == "textual-light"


def test_doc_follows_the_one_rule_for_documents(recorded: Recorded, tmp_path: Path) -> None:
    """An argument equal to an external id means that document, even when it looks like a
    number; ``#N`` always means number N (the rule of ``annotator docs``)."""
    from tui_support import HARBOUR, VALLEY, new_document

    repo = Repository.open(str(tmp_path / "n.db"))
    try:
        repo.import_documents([new_document("2", "Harbour", HARBOUR)])
        repo.import_documents([new_document("1", "Valley", VALLEY)])
        numbers = {doc.external_id: doc.id for doc in repo.documents()}
    finally:
        repo.close()
    assert numbers == {"2": 1, "1": 2}
    for ref, expected in [("1", 2), ("2", 1), ("#1", 1), ("#2", 2)]:
        code, output = invoke(
            "--db", str(tmp_path / "n.db"), "annotate", "--as", "ana", "--doc", ref
        )
        assert code == 0, output
        assert recorded.calls[-1]["document"] == expected, ref


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["annotate", "--as", "  "], "--as: give the reviewer's name"),
        (["annotate", "--as", "ana", "--doc", "nope"], "no document 'nope'; `annotator docs list`"),
        (["annotate", "--as", "ana", "--config", "missing.yaml"], "no such settings file"),
        (["annotate", "--as", "ana", "--config", "typo.yaml"], "keymap: no key has the id 'undoo'"),
    ],
)
def test_annotate_mistakes_are_one_line(
    recorded: Recorded, tmp_path: Path, args: list[str], message: str
) -> None:
    seeded_db(tmp_path / "a.db")
    (tmp_path / "typo.yaml").write_text("keymap:\n  undoo: z\n", encoding="utf-8")
    code, output = invoke("--db", str(tmp_path / "a.db"), *args)
    assert code == 2
    assert message in output
    assert output.count("\n") == 1
    assert recorded.calls == []


def test_bad_name_creates_no_database(recorded: Recorded, tmp_path: Path) -> None:
    code, _output = invoke("--db", str(tmp_path / "new.db"), "annotate", "--as", "")
    assert code == 2
    assert not (tmp_path / "new.db").exists()


def test_bare_command_reopens_the_last_reviewer(recorded: Recorded, tmp_path: Path) -> None:
    ids = seeded_db(tmp_path / "a.db")
    repo = Repository.open(str(tmp_path / "a.db"))
    repo.add_span("ben", ids[0], "loaded", "emotive", 10, 17)
    repo.close()
    code, output = invoke("--db", str(tmp_path / "a.db"))
    assert code == 0, output
    assert recorded.calls[0]["annotator"] == "ben"


def test_bare_command_without_anyone_is_one_line(recorded: Recorded, tmp_path: Path) -> None:
    seeded_db(tmp_path / "a.db")
    code, output = invoke("--db", str(tmp_path / "a.db"))
    assert code == 2
    assert "nobody has annotated here yet" in output
    assert "annotator annotate --as NAME" in output
    assert recorded.calls == []


def test_demo_builds_its_database_keeps_your_work_and_rebuilds_on_request(
    recorded: Recorded, tmp_path: Path
) -> None:
    code, output = invoke("demo")
    assert code == 0, output
    assert recorded.calls[0]["annotator"] == "you"
    articles = sorted(p for p in examples_dir().iterdir() if p.suffix == ".txt")
    assert recorded.calls[0]["documents"] == len(articles) > 0
    repo = Repository.open(str(tmp_path / "demo.db"))
    try:
        names = sorted(a.name for a in repo.annotators())
        assert names == ["ana", "ben", "you"]
        assert any(p.classified for p in repo.progress("ana"))
        first = repo.documents()[0].id
        repo.add_span("you", first, "loaded", "emotive", 0, 3)
    finally:
        repo.close()
    code, output = invoke("demo")
    assert code == 0, output
    repo = Repository.open(str(tmp_path / "demo.db"))
    try:
        kept = repo.annotations(repo.documents()[0].id, "you")
        assert [(a.label, a.start, a.end) for a in kept] == [("emotive", 0, 3)]
    finally:
        repo.close()
    code, output = invoke("demo", "--fresh")
    assert code == 0, output
    repo = Repository.open(str(tmp_path / "demo.db"))
    try:
        assert repo.annotations(repo.documents()[0].id, "you") == []
    finally:
        repo.close()


def test_demo_articles_are_not_imported_twice(tmp_path: Path) -> None:
    repo = build_demo(tmp_path / "demo.db")
    try:
        shas = [doc.sha256 for doc in repo.documents()]
        assert len(shas) == len(set(shas))
    finally:
        repo.close()


def test_every_documented_id_is_known() -> None:
    from annotator.core.scheme_loader import load_scheme
    from annotator.resources import default_scheme_path
    from annotator.tui.bindings import binding_ids

    ids = binding_ids(load_scheme(default_scheme_path()))
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- section:tui:begin -->")[1].split("<!-- section:tui:end -->")[0]
    id_cells = [
        cells[2]
        for line in block.splitlines()
        if line.startswith("| ") and len(cells := line.strip().strip("|").split("|")) >= 3
    ]
    documented = {
        part.strip("` ")
        for cell in id_cells
        for part in cell.split(",")
        if part.strip("` ") and "<" not in part and "…" not in part
    }
    assert documented - {"Binding id"} <= ids
    assert {"tag-labeling", "classify-attributed", "undo", "search", "done"} <= ids
