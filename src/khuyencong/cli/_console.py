"""The console: safe output on any terminal, JSON output, notes, and the progress bar.

Results go to standard output; notes, progress and failures to standard error, so that
``khuyencong report > bao-cao.md`` keeps only the report.
"""

from __future__ import annotations

import codecs
import contextlib
import importlib
import json
import sys
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TextIO

from khuyencong.cli._errors import ExitCode, Failure
from khuyencong.converters import parse_json
from khuyencong.messages import text

__all__ = [
    "PLAIN_ERRORS",
    "emit_json",
    "note",
    "progress_bar",
    "read_json",
    "readable",
    "safe_streams",
    "writable",
]

PLAIN_ERRORS = "khuyencong.plain"
"""The codec error handler that writes Vietnamese without its marks on a console that cannot
show them ("Không tìm thấy" → "Khong tim thay"), instead of failing."""

_SYMBOLS = {
    "đ": "d",
    "Đ": "D",
    "—": "-",
    "–": "-",
    "→": "->",
    "✓": "+",
    "✗": "x",
    "…": "...",
    "“": '"',
    "”": '"',
    "‘": "'",
    "’": "'",
    "·": "*",
    "×": "x",
    "█": "#",
}
_SAMPLE = "Không tìm thấy — ạ ✓ →"


def _plain(exc: UnicodeError) -> tuple[str, int]:
    """Replace what the console cannot encode by its plain-letter form (ASCII at worst)."""
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    chunk = "".join(_SYMBOLS.get(c, c) for c in exc.object[exc.start : exc.end])
    bare = "".join(c for c in unicodedata.normalize("NFD", chunk) if not unicodedata.combining(c))
    return bare.encode("ascii", "replace").decode("ascii"), exc.end


codecs.register_error(PLAIN_ERRORS, _plain)


def safe_streams() -> None:
    """Make standard output and error safe for Vietnamese on a console that cannot show it.

    On a console whose encoding cannot encode Vietnamese (``LANG=C``, ``PYTHONIOENCODING=ascii``,
    an old Windows code page), letters lose their marks rather than end the command with a
    ``UnicodeEncodeError``. A UTF-8 console is left alone.
    """
    for stream in (sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", None) or "ascii"
        try:
            _SAMPLE.encode(encoding)
        except (UnicodeEncodeError, LookupError):
            reconfigure = getattr(stream, "reconfigure", None)
            if reconfigure is not None:
                reconfigure(errors=PLAIN_ERRORS)


def note(message: str) -> None:
    """Print a note (what was counted, what was not stored) on standard error."""
    print(message, file=sys.stderr)


def emit_json(data: object, out: TextIO | None = None) -> None:
    """Print ``data`` as indented JSON (UTF-8 text, not escaped) on standard output."""
    print(json.dumps(data, ensure_ascii=False, indent=2), file=out or sys.stdout)


def read_json(path: Path) -> Any:
    """The JSON document in the file at ``path``, read as the library reads every JSON file.

    Raises:
        FileFormatError: If the file is not JSON that can be read safely (see
            :func:`~khuyencong.converters.parse_json`), naming the file and where.
        OSError: If it cannot be read.
    """
    return parse_json(path.read_bytes(), source=str(path))


def readable(path: Path) -> Path:
    """``path``, checked to be a file before it is read.

    Raises:
        Failure: Exit status 2, for a path that does not exist or is a folder.
    """
    if path.is_dir():
        raise Failure(
            ExitCode.USAGE, text("cli.error.is_a_folder", path=path), text("cli.hint.path")
        )
    if not path.exists():
        raise Failure(
            ExitCode.USAGE, text("cli.error.file_not_found", path=path), text("cli.hint.path")
        )
    return path


def writable(path: Path, *, force: bool) -> Path:
    """``path``, checked before anything is written to it: its folder exists, and it does
    not exist unless ``force``.

    Raises:
        Failure: Exit status 2, saying which and how to fix it.
    """
    folder = path.parent
    if not folder.is_dir():
        raise Failure(
            ExitCode.USAGE,
            text("cli.error.no_folder", folder=folder),
            text("cli.hint.no_folder"),
        )
    if path.is_dir():
        raise Failure(ExitCode.USAGE, text("cli.error.is_a_folder", path=path))
    if path.exists() and not force:
        raise Failure(ExitCode.USAGE, text("cli.error.exists", path=path), text("cli.hint.force"))
    return path


@contextlib.contextmanager
def progress_bar(total_label: str) -> Iterator[Callable[[int, int], None] | None]:
    """A progress callback ``(done, total)`` drawing a bar with rate and time left.

    The bar is drawn by tqdm (the ``cli`` extra), on standard error, only when standard error
    is a terminal; tqdm redraws it a few times a second, not once per row. Without a terminal
    or without tqdm, there is no bar (``None``).

    Args:
        total_label: What is counted ("rows"), in the reader's language.
    """
    if not sys.stderr.isatty():
        yield None
        return
    try:
        tqdm: Any = importlib.import_module("tqdm").tqdm
    except ImportError:
        yield None
        return
    bar: Any = None

    def show(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(
                total=total, unit=f" {total_label}", file=sys.stderr, leave=False, mininterval=0.2
            )
        bar.update(done - bar.n)

    try:
        yield show
    finally:
        if bar is not None:
            bar.close()
