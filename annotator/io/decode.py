"""Reading an input file as UTF-8 text, refusing binary files, other encodings and empty files.

Every refusal is an :class:`ImportFileError` naming the file and, for a decoding error, the line
of the first bad byte.
"""

from __future__ import annotations

from pathlib import Path

from annotator.io.errors import ImportFileError


def read_utf8(path: Path, display: str) -> str:
    """The file's text, decoded as UTF-8 (a leading byte-order mark is dropped)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ImportFileError(display, f"cannot read the file: {reason}") from None
    if not data.strip():
        raise ImportFileError(display, "the file is empty; remove it or give it some text")
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise ImportFileError(
            display,
            f"binary file (NUL byte at offset {nul}); only UTF-8 text files can be imported",
            line,
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        byte = data[exc.start]
        raise ImportFileError(
            display,
            f"not valid UTF-8 (byte 0x{byte:02X} at offset {exc.start}); re-save the file as UTF-8",
            line,
        ) from None
