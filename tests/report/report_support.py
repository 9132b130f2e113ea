"""Builders for the report tests: small multi-annotator corpora in the native JSONL shape."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

GENERATED_AT = "2026-01-02T03:04:05+00:00"


def find(text: str, phrase: str, nth: int = 0) -> tuple[int, int]:
    """The code-point span of the ``nth`` occurrence of ``phrase`` in ``text``."""
    at = -1
    for _ in range(nth + 1):
        at = text.index(phrase, at + 1)
    return at, at + len(phrase)


def sentences(parts: Sequence[str]) -> tuple[str, list[list[int]]]:
    """Join sentences with one space; return the text and their segments."""
    text, segments, pos = "", [], 0
    for i, part in enumerate(parts):
        if i:
            text += " "
            pos += 1
        segments.append([pos, pos + len(part)])
        text += part
        pos += len(part)
    return text, segments


def write_jsonl(path: Path, documents: Sequence[dict[str, Any]]) -> Path:
    path.write_text(
        "".join(json.dumps(doc, ensure_ascii=False) + "\n" for doc in documents), encoding="utf-8"
    )
    return path


def news_corpus() -> list[dict[str, Any]]:
    """Three articles, three annotators (ann, bob, cat), every kind of disagreement, hostile
    text ([/], [@click=app.quit], <script>, emoji, combining marks) in the sentences."""
    text1, seg1 = sentences(
        [
            "The mayor said the budget was balanced.",
            "Critics argue the [/] plan is a disaster.",
            "The regime slammed the [@click=app.quit] protesters 😀.",
            "Officials claimed <script>alert(1)</script> the q\u0307ueue was closed.",
        ]
    )
    text2, seg2 = sentences(
        [
            "The council met on Tuesday.",
            "The senator admitted the illegals crossed at night.",
            "Prices soared to the worst level in history.",
        ]
    )
    text3, seg3 = sentences(["Nothing here is loaded.", "The report was published."])

    def seg(
        segments: list[list[int]], i: int, who: str, label: str, **attrs: Any
    ) -> dict[str, Any]:
        return {
            "annotator": who,
            "layer": "statement",
            "label": label,
            "start": segments[i][0],
            "end": segments[i][1],
            "attrs": attrs,
        }

    def span(text: str, phrase: str, who: str, label: str, nth: int = 0) -> dict[str, Any]:
        start, end = find(text, phrase, nth)
        return {"annotator": who, "layer": "loaded", "label": label, "start": start, "end": end}

    def sc(text: str, source: str, cue: str) -> dict[str, Any]:
        s, c = find(text, source), find(text, cue)
        return {"source": {"start": s[0], "end": s[1]}, "cue": {"start": c[0], "end": c[1]}}

    a1 = [
        seg(seg1, 0, "ann", "attributed", **sc(text1, "The mayor", "said")),
        seg(seg1, 0, "bob", "attributed", **sc(text1, "mayor", "said")),
        seg(seg1, 0, "cat", "attributed", **sc(text1, "the budget", "said")),
        seg(seg1, 1, "ann", "vague"),
        seg(seg1, 1, "bob", "vague"),
        seg(seg1, 1, "cat", "editorial"),
        seg(seg1, 2, "ann", "editorial"),
        seg(seg1, 2, "bob", "mixed"),
        seg(seg1, 3, "ann", "mixed"),
        seg(seg1, 3, "bob", "mixed"),
        seg(seg1, 3, "cat", "mixed"),
        span(text1, "disaster", "ann", "emotive"),
        span(text1, "a disaster", "bob", "emotive"),
        span(text1, "The regime", "ann", "labeling"),
        span(text1, "The regime", "bob", "emotive"),
        span(text1, "The regime", "cat", "labeling"),
        span(text1, "slammed", "ann", "emotive"),
        span(text1, "slammed", "bob", "emotive"),
        span(text1, "slammed", "cat", "emotive"),
        span(text1, "claimed", "cat", "epistemic"),
    ]
    a2 = [
        seg(seg2, 0, "ann", "reporting"),
        seg(seg2, 0, "bob", "reporting"),
        seg(seg2, 0, "cat", "reporting"),
        seg(seg2, 1, "ann", "attributed", **sc(text2, "The senator", "admitted")),
        seg(seg2, 1, "bob", "attributed", **sc(text2, "The senator", "admitted")),
        seg(seg2, 1, "cat", "attributed", **sc(text2, "The senator", "admitted")),
        seg(seg2, 2, "ann", "editorial"),
        seg(seg2, 2, "bob", "editorial"),
        seg(seg2, 2, "cat", "reporting"),
        span(text2, "illegals", "ann", "labeling"),
        span(text2, "illegals", "bob", "labeling"),
        span(text2, "illegals", "cat", "labeling"),
        span(text2, "admitted", "ann", "epistemic"),
        span(text2, "admitted", "bob", "epistemic"),
        span(text2, "soared", "ann", "exaggeration"),
        span(text2, "soared", "bob", "exaggeration"),
        span(text2, "soared", "cat", "exaggeration"),
        span(text2, "the worst level in history", "ann", "exaggeration"),
        span(text2, "worst level in history", "cat", "exaggeration"),
    ]
    a3 = [
        seg(seg3, 0, "ann", "reporting"),
        seg(seg3, 1, "ann", "reporting"),
        seg(seg3, 0, "cat", "editorial"),
    ]
    done = {"ann": "done", "bob": "done", "cat": "done"}
    return [
        {
            "id": "city-budget",
            "title": "City budget",
            "text": text1,
            "segments": seg1,
            "status": done,
            "annotations": a1,
        },
        {
            "id": "senate-night",
            "title": "Senate at night",
            "text": text2,
            "segments": seg2,
            "status": done,
            "annotations": a2,
        },
        {
            "id": "quiet-day",
            "title": "A quiet day",
            "text": text3,
            "segments": seg3,
            "status": {"ann": "done", "bob": "todo", "cat": "in_progress"},
            "annotations": a3,
        },
    ]


def published_vectors() -> dict[str, Any]:
    """The published worked examples in ``tests/data/agreement_vectors/agreement_vectors.py``."""
    import math
    import runpy

    import pytest

    data = Path(__file__).resolve().parents[1] / "data"
    path = data / "agreement_vectors" / "agreement_vectors.py"
    if not path.is_file():
        pytest.fail(f"the agreement vectors are missing: expected {path}")
    vectors = runpy.run_path(str(path))
    assert math.isnan(vectors["nan"])
    return vectors


K_SCHEME = """\
name: k2011
version: 1
layers:
  - name: value
    kind: segment
    level: nominal
    labels: [v1, v2, v3, v4, v5]
"""


def k2011_corpus(matrix: Sequence[Sequence[float]]) -> list[dict[str, Any]]:
    """Krippendorff's (2011) reliability data as 12 one-sentence documents: coder i's value v
    on unit u is the label ``v{v}`` on document u; a missing value is no annotation from an
    annotator who marked the document done."""
    import math

    coders = [f"coder{i + 1}" for i in range(len(matrix))]
    docs = []
    for unit in range(len(matrix[0])):
        text = f"Unit {unit + 1} is one sentence."
        annotations = [
            {
                "annotator": coder,
                "layer": "value",
                "label": f"v{int(row[unit])}",
                "start": 0,
                "end": len(text),
            }
            for coder, row in zip(coders, matrix, strict=True)
            if not math.isnan(row[unit])
        ]
        docs.append(
            {
                "id": f"unit-{unit + 1:02d}",
                "title": f"Unit {unit + 1}",
                "text": text,
                "segments": [[0, len(text)]],
                "status": dict.fromkeys(coders, "done"),
                "annotations": annotations,
            }
        )
    return docs


SPAN_SCHEME = """\
name: spans-only
version: 1
layers:
  - name: loaded
    kind: span
    labels: [A, B]
"""


def unitizing_corpus(
    units: Sequence[tuple[int, int, int, str]], length: int, coders: int
) -> list[dict[str, Any]]:
    """One document whose text is ``length`` characters long holding the units
    ``(coder, begin, length, label)`` of a unitizing example; every coder is done."""
    text = ("abcdefghij" * (length // 10 + 1))[:length]
    names = [f"coder{i}" for i in range(coders)]
    return [
        {
            "id": "continuum",
            "title": "Continuum",
            "text": text,
            "segments": [[0, length]],
            "status": dict.fromkeys(names, "done"),
            "annotations": [
                {
                    "annotator": names[coder],
                    "layer": "loaded",
                    "label": label,
                    "start": begin,
                    "end": begin + size,
                }
                for coder, begin, size, label in units
            ],
        }
    ]


PARADOX_SCHEME = """\
name: paradox
version: 1
layers:
  - name: claim
    kind: segment
    level: nominal
    labels: [plain, flagged]
  - name: loaded
    kind: span
    labels: [A, B]
  - name: unused
    kind: span
    labels: [C]
"""

PARADOX_FLAGGED = {"ann": (18,), "bob": (19,), "cat": (18,)}
"""The sentences (0-based over both documents) each annotator labels ``flagged``; every other
sentence is ``plain`` for all three. So ann and cat agree everywhere, bob disagrees with them
on sentences 18 and 19: 90% agreement on a scale where one label dominates."""


def paradox_corpus() -> list[dict[str, Any]]:
    """Two documents, three annotators who all finished both, hand-computable figures.

    ``claim`` (20 sentences, 12 + 8): the kappa paradox of ``PARADOX_FLAGGED``. ``loaded``:
    every annotator marks the same spans, 7 in the first document (21 spans together, enough
    for its own alpha_U) and 2 in the second (6 spans, too few). ``unused``: nobody marks
    anything, so gamma is undefined."""
    long_text, long_segments = sentences([f"Sentence {i} has word{i} in it." for i in range(12)])
    short_text, short_segments = sentences([f"Line {i} has term{i} in it." for i in range(8)])
    docs = []
    offset = 0
    for external_id, text, segments, word, n_spans in (
        ("long", long_text, long_segments, "word", 7),
        ("short", short_text, short_segments, "term", 2),
    ):
        annotations: list[dict[str, Any]] = []
        for who, flagged in PARADOX_FLAGGED.items():
            for i, (start, end) in enumerate(segments):
                label = "flagged" if offset + i in flagged else "plain"
                annotations.append(
                    {"annotator": who, "layer": "claim", "label": label, "start": start, "end": end}
                )
            for i in range(n_spans):
                start, end = find(text, f"{word}{i}")
                annotations.append(
                    {
                        "annotator": who,
                        "layer": "loaded",
                        "label": "AB"[i % 2],
                        "start": start,
                        "end": end,
                    }
                )
        offset += len(segments)
        docs.append(
            {
                "id": external_id,
                "title": f"The {external_id} one",
                "text": text,
                "segments": segments,
                "status": dict.fromkeys(PARADOX_FLAGGED, "done"),
                "annotations": annotations,
            }
        )
    return docs
