"""``khuyencong validate [FILE ...]``: what dataset files hold, and every problem in them.

Exit status: 0 when every file is clean, 1 when a problem was found, 2 when a file cannot be
read (the others are still validated). ``--json`` prints one object per file read:
``{"source", "counts", "ok", "problems"}``, each problem as the converter writes a
:class:`~khuyencong.exceptions.Problem` (``path``, ``message``, ``value``).
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from khuyencong.cli._console import emit_json
from khuyencong.cli._errors import ExitCode, debug_wanted, guarded, report_failure
from khuyencong.cli._options import MAX_PROBLEMS, add_common, add_max_problems
from khuyencong.converters import unstructure
from khuyencong.datafiles import SAMPLE_DATASET, DatasetReading, read_dataset
from khuyencong.exceptions import Problem
from khuyencong.messages import text

__all__ = ["add_parser", "print_problems", "reading_data", "run"]


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``validate`` command."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "validate",
        help=text("cli.help.validate"),
        description=text("cli.help.validate_description"),
    )
    parser.add_argument("files", nargs="*", metavar="FILE", help=text("cli.help.validate_files"))
    parser.add_argument("--json", action="store_true", help=text("cli.help.validate_json"))
    add_max_problems(parser, "cli.help.validate_max_problems")
    add_common(parser)
    parser.set_defaults(handler=run)
    return parser


def reading_data(reading: DatasetReading) -> dict[str, Any]:
    """What ``validate --json`` prints for one file.

    >>> data = reading_data(read_dataset(SAMPLE_DATASET))
    >>> data["ok"], data["counts"]["establishments"], data["problems"]
    (True, 4, [])
    """
    return {
        "source": reading.source,
        "counts": reading.dataset.summary(),
        "ok": reading.ok,
        "problems": [unstructure(p) for p in reading.problems],
    }


def _print(reading: DatasetReading, limit: int) -> None:
    print(text("cli.validate.file", path=reading.source))
    for section, count in reading.dataset.summary().items():
        print(f"  {text(f'cli.section.{section}'):<28} {count:>6}")
    if reading.ok:
        print(text("cli.validate.clean"))
    else:
        print(text("cli.validate.problems", count=len(reading.problems)))
        print_problems(reading.problems, limit)
    print()


def print_problems(problems: Sequence[Problem], limit: int) -> None:
    """List the problems, one line each, up to ``limit`` of them (``0``: all); past it, every
    problem grouped by where it is (its path with any position as ``[*]``) and its reason.

    >>> from khuyencong.messages import language
    >>> with language("en"):
    ...     print_problems([Problem(f"$.r[{i}].day", "not a date", "x") for i in range(3)], 1)
      - $.r[0].day: not a date (got 'x')
    … and 2 more problems not listed. Every problem, grouped by where it is and its reason:
      - $.r[*].day: not a date (got 'x' in the first) — 3 times, $.r[0].day to $.r[2].day
    """
    shown = problems if limit == 0 else problems[:limit]
    for problem in shown:
        print(f"  - {problem}")
    if len(shown) == len(problems):
        return
    print(text("cli.validate.more_problems", count=len(problems) - len(shown)))
    groups: dict[tuple[str, str], list[Problem]] = {}
    for problem in problems:
        groups.setdefault((_ANY_POSITION.sub("[*]", problem.path), problem.message), []).append(
            problem
        )
    for (where, message), found in list(groups.items())[:limit]:
        first = found[0]
        got = (
            ""
            if first.value is None
            else " " + text("importing.problems.first_value", value=first.shown_value)
        )
        if len(found) == 1:
            times = text("cli.validate.once", path=first.path)
        else:
            times = text(
                "cli.validate.times", count=len(found), first=first.path, last=found[-1].path
            )
        print(f"  - {where}: {message}{got} — {times}")
    if len(groups) > limit:
        print(text("cli.import.more_groups", count=len(groups) - limit))


_ANY_POSITION = re.compile(r"\[\d+\]")


@guarded("khuyencong validate")
def run(args: argparse.Namespace) -> int:
    """Validate each file; a file that cannot be read is reported and the others still read."""
    files = [Path(f) for f in args.files] or [SAMPLE_DATASET]
    want_json = getattr(args, "json", False)
    status = ExitCode.OK
    readings = []
    for path in files:
        try:
            reading = read_dataset(path)
        except OSError as exc:
            status = max(
                status, report_failure(exc, "khuyencong validate", debug=debug_wanted(args))
            )
            continue
        readings.append(reading)
        if not reading.ok:
            status = max(status, ExitCode.NO)
        if not want_json:
            _print(reading, getattr(args, "max_problems", MAX_PROBLEMS))
    if want_json:
        emit_json([reading_data(r) for r in readings])
    return status
