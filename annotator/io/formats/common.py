"""What every format reader and writer shares: options, file walking, safe output paths."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from annotator.io.errors import ExportError, ImportFileError


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """``--annotator`` (who made annotations a file does not attribute) and ``--text-key``."""

    annotator: str | None = None
    text_key: str | None = None


def need_annotator(options: ReadOptions, where: str, what: str) -> str:
    """The ``--annotator`` given, or a one-line error saying why it is needed."""
    if options.annotator is None or not options.annotator.strip():
        raise ImportFileError(
            where, f"{what} name no annotator; pass --annotator NAME to say whose they are"
        )
    return options.annotator.strip()


def read_raw(path: Path, display: str) -> str:
    """A UTF-8 file's text exactly as its offsets count it: a byte-order mark stays."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(display, f"cannot read the file: {exc.strerror or exc}") from None
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.find(b"\x00")) + 1
        raise ImportFileError(display, "binary file (NUL byte); only UTF-8 text is read", line)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ImportFileError(
            display,
            f"not valid UTF-8 (byte 0x{data[exc.start]:02X}); re-save the file as UTF-8",
            line,
        ) from None


def given_paths(paths: Sequence[str | os.PathLike[str]]) -> list[tuple[Path, str]]:
    """Each path given, checked to exist, with how messages name it."""
    if not paths:
        raise ImportFileError("import", "no paths given; name files or folders to import")
    found = []
    for given in paths:
        shown = os.fspath(given)
        path = Path(shown).expanduser()
        if not path.exists():
            raise ImportFileError(shown, "no such file or folder; check the path")
        found.append((path, shown))
    return found


def walk(root: Path, suffixes: tuple[str, ...]) -> list[Path]:
    """Files under ``root`` with one of ``suffixes``, sorted, hidden files and folders skipped."""
    files: list[Path] = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in names:
            if not name.startswith(".") and name.lower().endswith(suffixes):
                files.append(Path(folder, name))
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())


def display(shown: str, root: Path, path: Path) -> str:
    return os.path.join(shown, *path.relative_to(root).parts)


def safe_part(name: str, what: str) -> str:
    """``name`` as a relative path for an export (no ``..``, no absolute path, no NUL)."""
    parts = name.split("/")
    if (
        not name
        or "\x00" in name
        or name.startswith("/")
        or any(p in ("", ".", "..") for p in parts)
    ):
        raise ExportError(
            f"{what} {name!r} cannot be a file name; rename it (no empty, '.' or '..' parts)"
        )
    return name


@contextmanager
def new_folder(path: Path) -> Iterator[Path]:
    """A folder filled by the caller, moved to ``path`` only when all of it is written.

    ``path`` must not exist yet or be an empty folder: an export never mixes with old files.
    """
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise ExportError(f"{path} already exists and is not an empty folder; name a new folder")
    parent = path.parent if str(path.parent) else Path(".")
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{path.name}.", dir=parent))
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        yield staging
        if path.exists():
            path.rmdir()
        os.replace(staging, path)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


@contextmanager
def new_file(path: Path, *, binary: bool = False) -> Iterator[Path]:
    """A temporary file beside ``path``, moved there only when the caller is done."""
    parent = path.parent if str(path.parent) else Path(".")
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=parent)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from None
    os.close(handle)
    staging = Path(name)
    try:
        yield staging
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(staging, 0o666 & ~umask)
        os.replace(staging, path)
    except BaseException:
        staging.unlink(missing_ok=True)
        raise
