"""The one error an import raises for bad input: what is wrong, in which file, on which line.

``str()`` is a single line ready to print after ``error: ``, e.g.
``examples/x.jsonl:3: annotation 2: span text 'slamed' != text[10:16] 'slammed'; fix the
offsets or the text``.
"""

from __future__ import annotations


class ImportFileError(ValueError):
    """Bad input to an import: the file (and line, when known) and a one-line reason."""

    def __init__(self, path: str, message: str, line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.message = " ".join(message.split("\n"))
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {self.message}")


def quote(text: str, limit: int = 40) -> str:
    """``text`` as a short, single-line Python-style literal for an error message."""
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return repr(text)


class ExportError(ValueError):
    """An export that cannot run as asked (an unknown annotator); one line for the user."""
