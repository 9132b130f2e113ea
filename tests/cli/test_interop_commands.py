"""``annotator import --format F`` and ``annotator export --format F`` from the command line."""

from __future__ import annotations

from cli_support import Cli, digest, one_error_line

TEXT = "The mayor slammed the plan.\n"


def test_import_brat_then_export_brat(cli: Cli) -> None:
    cli.write("in/ana/d.txt", TEXT)
    cli.write("in/ana/d.ann", "T1\temotive 10 17\tslammed\n")
    result = cli("import", "--format", "brat", str(cli.folder / "in"))
    assert result.exit_code == 0, result.output
    assert "imported 1 document" in result.stdout
    result = cli("export", "--format", "brat", "-o", str(cli.folder / "out"))
    assert result.exit_code == 0, result.output
    assert (cli.folder / "out" / "ana" / "d.ann").read_text() == "T1\temotive 10 17\tslammed\n"


def test_unmapped_labels_print_a_map_and_one_error_line(cli: Cli) -> None:
    cli.write("ptc/article1.txt", TEXT)
    cli.write("ptc/article1.labels", "1\tLoaded_Language\t10\t17\n")
    result = cli("import", "--format", "ptc", "--annotator", "gold", str(cli.folder / "ptc"))
    line = one_error_line(result)
    assert "article1.labels:1: labels with no layer/label" in line
    assert "Loaded_Language: loaded/emotive" in result.stdout
    assert not cli.db.exists()
    cli.write("map.yaml", result.stdout)
    result = cli(
        "import",
        "--format",
        "ptc",
        "--annotator",
        "gold",
        "--map",
        str(cli.folder / "map.yaml"),
        str(cli.folder / "ptc"),
    )
    assert result.exit_code == 0, result.output


def test_export_lists_losses_and_writes_nothing_without_force(cli: Cli) -> None:
    cli.write("in/ana/d.txt", TEXT)
    cli.write("in/ana/d.ann", "T1\temotive 0 3;10 17\tThe slammed\n")
    assert cli("import", "--format", "brat", str(cli.folder / "in")).exit_code == 0
    before = digest(cli.db)
    result = cli("export", "--format", "ptc", "-o", str(cli.folder / "out"))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "loss: discontinuous spans: 1 in 1 document (first: 'd')",
        "error: ptc cannot hold everything in this export (1 kind of loss listed above); "
        "nothing was written; pass --force to write it anyway",
    ]
    assert not (cli.folder / "out").exists() and digest(cli.db) == before
    result = cli("export", "--format", "ptc", "-o", str(cli.folder / "out"), "--force")
    assert result.exit_code == 0, result.output
    assert (cli.folder / "out" / "articled.labels").read_text() == "d\temotive\t0\t17\n"


def test_format_options_need_a_format_and_other_formats_need_an_output(cli: Cli) -> None:
    cli.write("a.txt", TEXT)
    line = one_error_line(cli("import", "--annotator", "x", str(cli.folder / "a.txt")))
    assert "--format" in line
    assert cli("import", str(cli.folder / "a.txt")).exit_code == 0
    line = one_error_line(cli("export", "--format", "brat"))
    assert line == "error: --format brat writes a folder; name it with -o PATH"
