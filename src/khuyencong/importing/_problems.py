"""The problems of an import, grouped by column and reason, and written out as a table.

A table with one systematic mistake (a date written the wrong way in every row, a column of
codes from another map) has thousands of problems that all say the same thing.
:func:`group_problems` gathers them by column and reason, with their rows as ranges, so that a
reader sees the mistake once; :func:`write_problems` writes every problem, a line each, as a CSV
table that a spreadsheet program opens (UTF-8 with a byte-order mark), to be fixed row by row.

>>> from khuyencong.messages import language
>>> problems = [
...     RowProblem(row, "Ngày thực hiện", "phải là ngày có thật", "31/02/2020")
...     for row in (2, 3, 4, 9)
... ]
>>> [group] = group_problems(problems)
>>> group.count, group.row_ranges()
(4, ((2, 4), (9, 9)))
>>> with language("en"):
...     str(group)
"column 'Ngày thực hiện': phải là ngày có thật (got '31/02/2020' in the first) — 4 rows: 2–4, 9"
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import IO

import attrs

from khuyencong._arguments import Arguments
from khuyencong._data import ToData
from khuyencong._files import csv_text, write_text
from khuyencong.importing._tables import RowProblem
from khuyencong.messages import Lang, text

__all__ = ["ProblemGroup", "dumps_problems", "group_problems", "write_problems"]


@attrs.frozen
class ProblemGroup(ToData):
    """The problems one column has for one reason, in every row where it has them.

    Attributes:
        column: The column's header as written in the file, or ``None`` for problems of the
            whole row.
        message: The reason, the same for every row of the group.
        rows: The row numbers, ascending, each once.
        value: The offending value of the group's first row, if any (the other rows' values
            may differ: :func:`write_problems` writes each).
    """

    column: str | None
    message: str
    rows: tuple[int, ...]
    value: object = None

    @property
    def count(self) -> int:
        """How many rows have this problem."""
        return len(self.rows)

    def row_ranges(self) -> tuple[tuple[int, int], ...]:
        """The rows as runs of consecutive numbers, ``(first, last)`` each (``(9, 9)`` for a
        row alone)."""
        runs: list[tuple[int, int]] = []
        for row in self.rows:
            if runs and runs[-1][1] == row - 1:
                runs[-1] = (runs[-1][0], row)
            else:
                runs.append((row, row))
        return tuple(runs)

    def rows_text(self, max_ranges: int = 10) -> str:
        """The rows as ranges (``2–4, 9``), at most ``max_ranges`` of them, then how many
        rows are not shown."""
        runs = self.row_ranges()
        shown = [f"{a}" if a == b else f"{a}–{b}" for a, b in runs[:max_ranges]]
        if len(runs) > max_ranges:
            left = sum(b - a + 1 for a, b in runs[max_ranges:])
            more = "more_rows_one" if left == 1 else "more_rows"
            shown.append(text(f"importing.problems.{more}", count=left))
        return ", ".join(shown)

    def __str__(self) -> str:
        """``cột 'X': lý do (giá trị ở dòng đầu: …) — 4 dòng: 2–4, 9`` in the language in
        force."""
        if self.column:
            where = text("importing.problems.column", column=repr(self.column))
        else:
            where = text("importing.problems.whole_row")
        got = ""
        if self.value is not None:
            got = " " + text("importing.problems.first_value", value=repr(self.value))
        key = "importing.problems.rows_one" if self.count == 1 else "importing.problems.rows"
        rows = text(key, count=self.count, rows=self.rows_text())
        return f"{where}: {self.message}{got} — {rows}"


def group_problems(problems: Iterable[RowProblem]) -> tuple[ProblemGroup, ...]:
    """The problems grouped by column and reason, in the order each group first appears.

    Args:
        problems: Problems as :func:`~khuyencong.importing.import_table` gives them
            (:attr:`~khuyencong.importing.TableImport.problems`).

    Raises:
        ValidationError: If an item is not a :class:`~khuyencong.importing.RowProblem`.
    """
    args = Arguments()
    items = args.each(problems, "problems", RowProblem)
    args.check()
    rows: dict[tuple[str | None, str], dict[int, None]] = {}
    first: dict[tuple[str | None, str], object] = {}
    for problem in items:
        key = (problem.column, problem.message)
        if key not in rows:
            rows[key] = {}
            first[key] = problem.value
        rows[key][problem.row] = None
    return tuple(
        ProblemGroup(column, message, tuple(sorted(found)), first[column, message])
        for (column, message), found in rows.items()
    )


def dumps_problems(problems: Iterable[RowProblem], *, lang: Lang | None = None) -> str:
    """Every problem as CSV text, a line each: row, column, value, problem (headers in
    ``lang``, the language in force by default). A text cell that a spreadsheet program would
    run as a formula is written with a ``'`` in front.

    >>> print(dumps_problems([RowProblem(7, "Số lao động", "must not be negative", -3)],
    ...                      lang="en"), end="")
    Row,Column,Value,Problem\r
    7,Số lao động,-3,must not be negative\r
    """
    args = Arguments()
    items = args.each(problems, "problems", RowProblem)
    args.check()
    header = [text(f"importing.problems.header.{h}", lang) for h in _HEADERS]
    rows = [
        [p.row, p.column or "", "" if p.value is None else _plain(p.value), p.message]
        for p in items
    ]
    return csv_text([header, *rows], neutralise_formulas=True)


def write_problems(
    problems: Iterable[RowProblem], target: str | Path | IO[str], *, lang: Lang | None = None
) -> None:
    """Write every problem as a CSV table (:func:`dumps_problems`): a path in UTF-8 with a
    byte-order mark, so that a spreadsheet program shows Vietnamese, a text stream as it is.

    Raises:
        FileWriteError: If the folder does not exist, or the file cannot be written.
        ValidationError: If an argument is not what it says.
    """
    write_text(target, dumps_problems(problems, lang=lang), encoding="utf-8-sig")


_HEADERS = ("row", "column", "value", "problem")


def _plain(value: object) -> object:
    """A value as a cell: text and numbers as they are, anything else as its text."""
    return value if isinstance(value, str | int) and not isinstance(value, bool) else str(value)
