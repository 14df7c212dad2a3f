"""What every file the library writes as text shares: CSV cells that cannot run as formulas, and
one way to write text to a path or a stream.

A spreadsheet program opening a CSV file runs a cell that begins with ``=``, ``+``, ``-`` or
``@`` as a formula (and a tab or a carriage return can hide such a cell), so a name typed as
``=HYPERLINK(...)`` by a hostile user would run on an officer's computer. Following the OWASP
advice on CSV injection, a text cell that begins with one of these characters is written with a
single quote in front (``'=HYPERLINK(...)``), which spreadsheet programs show as text. Numbers
written as numbers (``-4``, ``-0.5``) are not text and are left alone; so is text that is a
plain number (``-12``, ``+84``), which no program runs. The library's CSV readers take the
quote off again (:func:`restore_formula`), so a round trip gives back the original text.

>>> neutralise_formula("=1+2"), neutralise_formula("-5"), neutralise_formula("Hà Nội")
("'=1+2", '-5', 'Hà Nội')
>>> restore_formula(neutralise_formula("=1+2"))
'=1+2'
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO

from khuyencong._arguments import Arguments
from khuyencong.exceptions import FileWriteError
from khuyencong.messages import text

__all__ = [
    "FORMULA_STARTS",
    "csv_text",
    "neutralise_cell",
    "neutralise_formula",
    "output_path",
    "restore_formula",
    "write_failed",
    "write_text",
]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""The first characters that make a spreadsheet program read a CSV cell as a formula."""

_QUOTE = "'"
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?")


def neutralise_formula(value: str) -> str:
    """``value`` as a CSV cell that no spreadsheet program runs as a formula.

    A text beginning with one of :data:`FORMULA_STARTS` gets a single quote in front, unless it
    is a plain number; so does a text that already begins with a quote followed by one of them
    or by another quote, so that :func:`restore_formula` gives back exactly ``value``.
    """
    if not value or _PLAIN_NUMBER.fullmatch(value):
        return value
    first = value[0]
    if first in FORMULA_STARTS:
        return _QUOTE + value
    if first == _QUOTE and len(value) > 1 and (value[1] in FORMULA_STARTS or value[1] == _QUOTE):
        return _QUOTE + value
    return value


def restore_formula(value: str) -> str:
    """The text :func:`neutralise_formula` was given: one leading quote taken off, if it is
    followed by a formula's first character or by another quote.

    >>> restore_formula("'@SUM(A1)"), restore_formula("'tis"), restore_formula("''=x")
    ('@SUM(A1)', "'tis", "'=x")
    """
    if len(value) > 1 and value[0] == _QUOTE and (value[1] in FORMULA_STARTS or value[1] == _QUOTE):
        return value[1:]
    return value


def neutralise_cell(value: object) -> object:
    """A cell ready for a CSV writer: text neutralised, anything else (numbers) unchanged."""
    return neutralise_formula(value) if isinstance(value, str) else value


def csv_text(rows: Iterable[Sequence[object]], *, neutralise_formulas: bool) -> str:
    """Rows as CSV text, their text cells neutralised unless ``neutralise_formulas`` is false.

    Lines end in CR LF (RFC 4180), which also makes the writer quote a cell holding a lone
    carriage return, so that no reader splits a row there.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([neutralise_cell(c) for c in row] if neutralise_formulas else row)
    return out.getvalue()


def output_path(target: str | Path) -> Path:
    """``target`` as a path to write to, once its folder is known to exist.

    Raises:
        FileWriteError: If the folder does not exist.
    """
    path = Path(target)
    if not path.parent.is_dir():
        message = text("importing.write.no_folder", path=str(path), folder=str(path.parent))
        raise FileWriteError(str(path), message)
    return path


def write_failed(path: Path, exc: OSError) -> FileWriteError:
    """The library's error for a write the system refused (permission, disk full, a folder)."""
    reason = exc.strerror or type(exc).__name__
    return FileWriteError(str(path), text("importing.write.failed", path=str(path), reason=reason))


def write_text(target: str | Path | IO[str], content: str, *, encoding: str = "utf-8") -> None:
    """Write ``content`` to a path (in ``encoding``) or to an open text stream.

    Raises:
        FileWriteError: If the path's folder does not exist, or the system refuses the write.
        ValidationError: If ``target`` is neither a path nor a stream one can write to.
    """
    args = Arguments()
    args.stream(target, "target", "write")
    args.check()
    if not isinstance(target, str | Path):
        target.write(content)
        return
    path = output_path(target)
    try:
        # newline="" keeps the text's own line ends (a CSV writer's \r\n, a quoted cell's \n).
        with path.open("w", encoding=encoding, newline="") as handle:
            handle.write(content)
    except OSError as exc:
        raise write_failed(path, exc) from exc
