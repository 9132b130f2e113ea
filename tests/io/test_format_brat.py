"""brat standoff: hand-written collections in, the same files out; hostile text; bad input."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from interop_support import comparable, exported, files, imported, native, put

from annotator.io.errors import ImportFileError
from annotator.io.formats.importing import import_format
from annotator.io.importer import import_paths, run_import
from annotator.report import ReportOptions, build_report, report_dict
from annotator.store.repository import Repository

TEXT = "The mayor 😀 slammed the plan. Critics say the regime will fail.\n"


def at(phrase: str, text: str = TEXT) -> str:
    start = text.index(phrase)
    return f"{start} {start + len(phrase)}"


ALICE = (
    f"T1\tlabeling {at('The mayor')};{at('the plan')}\tThe mayor the plan\n"
    f"T2\temotive {at(' slammed')}\t slammed\n"
    f"T3\temotive {at('slammed the plan')}\tslammed the plan\n"
    f"T4\tattributed {at('Critics say the regime will fail.')}\tCritics say the regime will fail.\n"
    f"T5\tlabeling {at('regime')}\tregime\n"
    f"T6\tsource {at('Critics')}\tCritics\n"
    f"T7\tcue {at('say')}\tsay\n"
    "E1\tattributed:T4 cue:T7 source:T6\n"
    "R1\tCause Arg1:T2 Arg2:T5\n"
    "A1\tNegation T2\n"
    "A2\tConfidence T5 High\n"
    "N1\tReference T5 Wikipedia:534366\tRegime (politics)\n"
    "#1\tAnnotatorNotes T3\tverb of attack\n"
)
BOB = f"T1\temotive {at('slammed')}\tslammed\nT2\tlabeling {at('the regime')}\tthe regime\n"


def collection(root: Path) -> Path:
    put(root / "alice" / "news" / "d1.txt", TEXT)
    put(root / "alice" / "news" / "d1.ann", ALICE)
    put(root / "bob" / "news" / "d1.txt", TEXT)
    put(root / "bob" / "news" / "d1.ann", BOB)
    put(root / "carol" / "news" / "d1.txt", TEXT)
    put(root / "carol" / "news" / "d1.ann", "")
    return root


def test_collection_of_several_annotators_is_one_document(tmp_path: Path) -> None:
    repo, report = imported("brat", collection(tmp_path / "in"))
    [record] = native(repo)
    assert record["id"] == "news/d1"
    assert record["status"] == {"alice": "done", "bob": "done", "carol": "done"}
    by = {(a["annotator"], a["label"], a["text"]): a for a in record["annotations"]}
    assert by[("alice", "emotive", " slammed")]["attrs"]["attributes"] == {"Negation": True}
    discontinuous = by[("alice", "labeling", "The mayor 😀 slammed the plan")]
    plan = TEXT.index("the plan")
    assert discontinuous["attrs"]["fragments"] == [[0, 9], [plan, plan + 8]]
    statement = by[("alice", "attributed", "Critics say the regime will fail.")]
    assert statement["layer"] == "statement"
    critics, say = TEXT.index("Critics"), TEXT.index("say")
    assert statement["attrs"] == {
        "cue": {"start": say, "end": say + 3},
        "source": {"start": critics, "end": critics + 7},
    }
    assert by[("alice", "emotive", "slammed the plan")]["attrs"]["note"] == "verb of attack"
    regime = by[("alice", "labeling", "regime")]["attrs"]
    assert regime["normalizations"] == [
        {"type": "Reference", "db": "Wikipedia", "id": "534366", "text": "Regime (politics)"}
    ]
    assert by[("alice", "emotive", " slammed")]["attrs"]["relations"] == [
        {
            "type": "Cause",
            "to": {
                "layer": "loaded",
                "label": "labeling",
                "start": TEXT.index("regime"),
                "end": TEXT.index("regime") + 6,
            },
        }
    ]
    assert report.added == 1 and report.annotations == 7


def test_brat_to_ours_to_brat_gives_the_same_files(tmp_path: Path) -> None:
    source = collection(tmp_path / "in")
    repo, _ = imported("brat", source)
    exported(repo, "brat", tmp_path / "out")
    assert files(tmp_path / "out") == files(source)


def test_ours_to_brat_to_ours_is_identical(tmp_path: Path) -> None:
    first, _ = imported("brat", collection(tmp_path / "in"))
    exported(first, "brat", tmp_path / "out")
    second, _ = imported("brat", tmp_path / "out")
    assert comparable(native(second)) == comparable(native(first))


HOSTILE = "\ufeffCafe\u0301 owner 😀 said:\r\n\tthe plan is a \u201cdisaster\u201d.\r\n"


def test_bom_crlf_nfd_and_tabs_map_onto_the_canonical_text(tmp_path: Path) -> None:
    def raw(phrase: str) -> str:
        return at(phrase, HOSTILE)

    cafe, said, disaster = "Cafe\u0301", "said:\r\n\tthe", "disaster\u201d.\r\n"
    put(tmp_path / "in" / "x.txt", HOSTILE)
    put(
        tmp_path / "in" / "x.ann",
        f"T1\tlabeling {raw(cafe)}\t{cafe}\n"
        f"T2\temotive {raw(' owner 😀')}\t owner 😀\n"
        f"T3\temotive {raw(said)}\tsaid:  \tthe\n"
        f"T4\texaggeration {raw(disaster)}\tdisaster\u201d.  \n",
    )
    repo, _ = imported("brat", tmp_path / "in", annotator="ana")
    [record] = native(repo)
    text = record["text"]
    assert text == "Café owner 😀 said:\n the plan is a \u201cdisaster\u201d.\n"
    got = [a["text"] for a in sorted(record["annotations"], key=lambda a: a["start"])]
    assert got == ["Café", " owner 😀", "said:\n the", "disaster\u201d.\n"]
    for annotation in record["annotations"]:
        # the stored text is the NFC of the source slice (with canonical line ends)
        assert annotation["text"] == unicodedata.normalize("NFC", annotation["text"])
    exported(repo, "brat", tmp_path / "out")
    expected_ann = (
        "T1\tlabeling 0 4\tCafé\n"
        "T2\temotive 4 12\t owner 😀\n"
        "T3\temotive 13 23\tsaid:  the\n"
        "T4\texaggeration 35 46\tdisaster\u201d. \n"
    )
    assert files(tmp_path / "out") == {"ana/x.txt": text, "ana/x.ann": expected_ann}


@pytest.mark.parametrize(
    ("ann", "line", "message"),
    [
        ("T1\temotive 0 3\tThe\nT2\temotive 60 99\tx\n", 2, "past the end of the text"),
        ("T1\temotive 4 9\tmayer\n", 1, "differs from the .txt"),
        ("T1\temotive 0 3\tThe\nE1\tattributed:T1 source:T9\n", 2, "unknown id 'T9'"),
        ("T1\temotive 0 3\tThe\nR1\tCause Arg1:T1 Arg2:T2\n", 2, "unknown id 'T2'"),
        ("T1\temotive zero 3\tThe\n", 1, "not 'start end' integers"),
        ("X1\twhat\n", 1, "unknown annotation line"),
        ("T1\temotive 0 3\tThe\nT1\temotive 0 3\tThe\n", 2, "used twice"),
    ],
)
def test_malformed_ann_fails_with_file_and_line_and_writes_nothing(
    tmp_path: Path, ann: str, line: int, message: str
) -> None:
    put(tmp_path / "in" / "ann" / "d.txt", TEXT)
    put(tmp_path / "in" / "ann" / "d.ann", ann)
    db = tmp_path / "x.db"
    with pytest.raises(ImportFileError) as caught:
        run_import(str(db), [tmp_path / "in"], fmt="brat")
    assert str(caught.value).startswith(f"{tmp_path / 'in' / 'ann' / 'd.ann'}:{line}: ")
    assert message in str(caught.value)
    assert not db.exists()


def test_a_span_edge_inside_a_composed_character_is_refused(tmp_path: Path) -> None:
    put(tmp_path / "in" / "d.txt", "Cafe\u0301 owner\n")
    put(tmp_path / "in" / "d.ann", "T1\temotive 0 4\tCafe\n")
    with pytest.raises(ImportFileError, match=r"d\.ann:1: .*inside a character"):
        imported("brat", tmp_path / "in", annotator="ana")


def test_top_level_files_need_an_annotator(tmp_path: Path) -> None:
    put(tmp_path / "in" / "d.txt", TEXT)
    put(tmp_path / "in" / "d.ann", "")
    with pytest.raises(ImportFileError, match="--annotator"):
        imported("brat", tmp_path / "in")


def _corpus() -> list[dict[str, object]]:
    texts = [
        "The council slammed the budget. Critics say it will fail. The vote is on Monday.\n",
        "Rents soared again. The regime denied it. Officials said the plan was reckless.\n",
    ]
    spans = {
        "ana": [
            (0, "slammed", "emotive"),
            (0, "Critics", "labeling"),
            (1, "soared", "exaggeration"),
            (1, "regime", "labeling"),
        ],
        "bob": [
            (0, "slammed the budget", "emotive"),
            (1, "soared", "exaggeration"),
            (1, "reckless", "emotive"),
        ],
        "cy": [(0, "slammed", "emotive"), (1, "regime", "labeling"), (1, "reckless", "fear")],
    }
    statements = {
        "ana": ["reporting", "vague"],
        "bob": ["editorial", "vague"],
        "cy": ["reporting", "reporting"],
    }
    documents = []
    for index, text in enumerate(texts):
        first = text.index(".") + 1
        second = text.index(".", first) + 1
        annotations = []
        for who, items in spans.items():
            for doc, phrase, label in items:
                if doc == index:
                    start = text.index(phrase)
                    annotations.append(
                        {
                            "annotator": who,
                            "layer": "loaded",
                            "label": label,
                            "start": start,
                            "end": start + len(phrase),
                        }
                    )
            for number, label in enumerate(statements[who]):
                start, end = (0, first) if number == 0 else (first + 1, second)
                annotations.append(
                    {
                        "annotator": who,
                        "layer": "statement",
                        "label": label,
                        "start": start,
                        "end": end,
                    }
                )
        documents.append(
            {
                "id": f"doc{index}",
                "title": f"doc{index}",
                "text": text,
                "status": {who: "done" for who in spans},
                "annotations": annotations,
            }
        )
    return documents


def test_brat_collection_gives_the_same_report_as_native_jsonl(tmp_path: Path) -> None:
    documents = _corpus()
    put(
        tmp_path / "native.jsonl",
        "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in documents),
    )
    for document in documents:
        for who in ("ana", "bob", "cy"):
            mine = [a for a in document["annotations"] if a["annotator"] == who]  # type: ignore[index]
            lines = [
                f"T{n}\t{a['label']} {a['start']} {a['end']}\t"
                f"{document['text'][a['start'] : a['end']]}\n"  # type: ignore[index]
                for n, a in enumerate(mine, 1)
            ]
            put(tmp_path / "brat" / who / f"{document['id']}.txt", document["text"])  # type: ignore[arg-type]
            put(tmp_path / "brat" / who / f"{document['id']}.ann", "".join(lines))
    options = ReportOptions(bootstrap=200, generated_at="2026-01-01T00:00:00+00:00", workers=0)
    reports = []
    for load in (
        lambda repo: import_paths(repo, [tmp_path / "native.jsonl"]),
        lambda repo: import_format(repo, "brat", [tmp_path / "brat"]),
    ):
        with Repository.in_memory() as repo:
            load(repo)
            body = report_dict(build_report(repo, options))
            body.pop("provenance")
            reports.append(body)
    assert reports[0] == reports[1]
    assert reports[0]["layers"]
