"""CSV cells that a spreadsheet opens as text, never as a formula.

A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula to
Excel, LibreOffice and Google Sheets, so an imported note such as ``=HYPERLINK(...)`` would
run when a colleague opens the export. OWASP's advice for CSV injection is followed: such a
text cell gets a leading ``'``, which spreadsheets hide and which keeps the rest as typed.
Numbers (and text that is just a number, such as ``-0.25``) are left alone; control characters
are shown as U+FFFD in every cell, as everywhere else output is written.

Every CSV writer calls :func:`safe_row` (the native export, the report's tables, and each
format that writes CSV); ``raw=True`` (``--raw`` on the command line) skips the ``'`` for
tools that read the file as data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from annotator.core.text import printable

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula."""
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def safe_cell(value: object, *, raw: bool = False) -> object:
    """``value`` as it may go into a CSV cell (non-text values unchanged)."""
    if not isinstance(value, str):
        return value
    shown = printable(value, newlines=True)
    if raw or not value.startswith(FORMULA_START) or _NUMBER.fullmatch(value):
        return shown
    return "'" + shown


def safe_row(row: Iterable[object], *, raw: bool = False) -> list[object]:
    """Every cell of ``row`` through :func:`safe_cell`."""
    return [safe_cell(value, raw=raw) for value in row]
