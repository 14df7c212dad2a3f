"""``khuyencong import`` and ``khuyencong template``: CSV and Excel tables in, the template out.

``import FILE --kind KIND`` validates every row and lists every bad one (row, column, reason);
with ``--store URL`` it stores the rows in one unit of work, nothing when a row is bad unless
``--valid-only``. The store is opened first, so that a wrong URL is reported before a large
file is read. ``template FILE`` writes the Excel template the importer reads.
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs

from khuyencong._gc import collector_paused
from khuyencong.cli._console import note, progress_bar, readable, writable
from khuyencong.cli._errors import ExitCode, Failure, guarded
from khuyencong.cli._options import (
    add_common,
    add_max_problems,
    choices_help,
    kinds_help,
    map_arg,
    positive_arg,
)
from khuyencong.domain import Dataset, support_record_columns
from khuyencong.exceptions import DuplicateIdError, ValidationError
from khuyencong.importing import (
    ImportKind,
    ImportLimits,
    RowProblem,
    group_problems,
    import_table,
    read_columns,
    write_problems,
    write_template,
)
from khuyencong.messages import get_language, text
from khuyencong.storage import Store, open_store, store_columns, store_dataset
from khuyencong.units import MapId

__all__ = [
    "add_parsers",
    "print_problems",
    "problem_line",
    "run_import",
    "run_template",
    "store_objects",
]

_MB = 1024 * 1024

_SECTIONS = {
    ImportKind.ESTABLISHMENTS: "establishments",
    ImportKind.SUPPORT_RECORDS: "support_records",
    ImportKind.FAIR_PARTICIPATIONS: "fair_participations",
}


def add_parsers(subparsers: Any) -> None:
    """Add the ``import`` and ``template`` commands."""
    kinds = kinds_help(_SECTIONS.values())
    limits = ImportLimits()
    imp: argparse.ArgumentParser = subparsers.add_parser(
        "import",
        help=text("cli.help.import"),
        description=text(
            "cli.help.import_description",
            unpacked_mb=limits.max_unpacked_bytes // _MB,
            columns=limits.max_columns,
            cell_chars=limits.max_cell_chars,
        ),
    )
    imp.add_argument("file", metavar="FILE", help=text("cli.help.import_file"))
    imp.add_argument(
        "--kind",
        required=True,
        choices=[k.value for k in ImportKind],
        metavar="KIND",
        help=text("cli.help.import_kind", choices=kinds),
    )
    imp.add_argument(
        "--map",
        type=map_arg,
        metavar="MAP",
        help=text("cli.help.import_map", choices=choices_help(MapId)),
    )
    imp.add_argument("--sheet", help=text("cli.help.import_sheet"))
    imp.add_argument("--store", metavar="URL", help=text("cli.help.store_write"))
    imp.add_argument(
        "--max-rows",
        type=positive_arg,
        metavar="ROWS",
        help=text("cli.help.max_rows", default=limits.max_rows),
    )
    imp.add_argument(
        "--max-file-mb",
        type=positive_arg,
        metavar="MB",
        help=text("cli.help.max_file_mb", default=limits.max_file_bytes // _MB),
    )
    imp.add_argument("--valid-only", action="store_true", help=text("cli.help.valid_only"))
    add_max_problems(imp, "cli.help.max_problems")
    imp.add_argument("--problems", metavar="FILE", help=text("cli.help.problems_file"))
    add_common(imp)
    imp.set_defaults(handler=run_import)

    template: argparse.ArgumentParser = subparsers.add_parser(
        "template",
        help=text("cli.help.template"),
        description=text("cli.help.template_description"),
    )
    template.add_argument("file", metavar="FILE", help=text("cli.help.template_file"))
    template.add_argument("--force", action="store_true", help=text("cli.help.force"))
    add_common(template)
    template.set_defaults(handler=run_template)


def problem_line(problem: RowProblem) -> str:
    """A bad row as the reader reads it: where (row, column), what, and the value found.

    >>> from khuyencong.messages import language
    >>> with language("vi"):
    ...     problem_line(RowProblem(3, "Số lao động", "must not be negative", -3))
    "dòng 3, cột 'Số lao động': must not be negative (giá trị: -3)"
    """
    if problem.column:
        where = text("cli.import.cell", row=problem.row, column=problem.column)
    else:
        where = text("cli.import.row", row=problem.row)
    got = "" if problem.value is None else " " + text("cli.import.got", value=repr(problem.value))
    return f"{where}: {problem.message}{got}"


def print_problems(problems: Sequence[RowProblem], limit: int, *, hint: bool = True) -> None:
    """List the problems, one line each, up to ``limit`` of them (``0``: all); past it, every
    problem grouped by column and reason (at most ``limit`` groups), then, with ``hint``, how
    to see each problem."""
    shown = problems if limit == 0 else problems[:limit]
    for problem in shown:
        print(f"  - {problem_line(problem)}")
    if len(shown) == len(problems):
        return
    print(text("cli.import.more_problems", count=len(problems) - len(shown)))
    groups = group_problems(problems)
    for group in groups[:limit]:
        print(f"  - {group}")
    if len(groups) > limit:
        print(text("cli.import.more_groups", count=len(groups) - limit))
    if hint:
        note(text("cli.import.see_all"))


def _problems_file(args: argparse.Namespace, source: Path) -> Path | None:
    """The ``--problems`` file, checked before the table is read: its folder exists, it is
    not a folder, and it is not the file being imported."""
    if args.problems is None:
        return None
    path = writable(Path(args.problems), force=True)
    if path.exists() and path.resolve() == source.resolve():
        raise Failure(ExitCode.USAGE, text("cli.import.problems_is_input", path=path))
    return path


def _write_problems(path: Path | None, problems: Sequence[RowProblem]) -> None:
    """Write every problem (none: the header alone, so no earlier run's file is left)."""
    if path is None:
        return
    write_problems(problems, path)
    note(text("cli.import.problems_written", count=len(problems), path=path))


def store_objects(store: Store, kind: ImportKind, objects: Sequence[Any]) -> int:
    """Store imported objects in one unit of work (all or nothing); returns how many."""
    section = _SECTIONS[kind]
    return store_dataset(store, Dataset(**{section: tuple(objects)}))[section]


def _limits(args: argparse.Namespace) -> ImportLimits:
    """The limits of ``import``: the defaults, with ``--max-rows`` and ``--max-file-mb``."""
    limits = ImportLimits()
    if args.max_rows is not None:
        limits = attrs.evolve(limits, max_rows=args.max_rows)
    if args.max_file_mb is not None:
        limits = attrs.evolve(limits, max_file_bytes=args.max_file_mb * _MB)
    return limits


def _summary(source: str, total: int, valid: int) -> str:
    # Data rows only: a problem of the header row is listed below, not counted.
    return text("cli.import.summary", source=source, total=total, valid=valid, bad=total - valid)


def _import_columns(
    args: argparse.Namespace, path: Path, store: Store | None, problems: Path | None
) -> int | None:
    """Read, check and store a table of plain rows column by column (no object per row);
    ``None`` (nothing stored) when a row has a problem: the row-by-row import says which."""
    with progress_bar(text("cli.import.rows_unit")) as progress:
        table = read_columns(
            path,
            args.kind,
            default_map=args.map,
            sheet=args.sheet,
            progress=progress,
            limits=_limits(args),
        )
    if table is None:
        return None
    total = table.total_rows
    try:
        if store is None:
            checked = support_record_columns(table.columns)
            if len(set(checked["id"])) != total:
                return None  # an id given twice
        else:
            stored = store_columns(store, _SECTIONS[table.kind], table.columns)
    except (ValidationError, DuplicateIdError):  # bad rows, unknown or repeated ids
        return None
    except Exception:
        print(_summary(table.source, total, total))  # as the row-by-row import says first
        raise
    print(_summary(table.source, total, total))
    _write_problems(problems, ())
    if store is None:
        note(text("cli.import.not_stored"))
        return ExitCode.OK
    print(text("cli.import.stored", count=stored, store=args.store))
    return ExitCode.OK


@guarded("khuyencong import")
def run_import(args: argparse.Namespace) -> int:
    """Validate a table; store its rows when asked and when they are all valid."""
    path = readable(Path(args.file))
    problems_path = _problems_file(args, path)
    with contextlib.ExitStack() as stack:
        # Open the store first: a wrong URL is reported before a large file is read.
        store = stack.enter_context(open_store(args.store)) if args.store else None
        stack.enter_context(collector_paused())  # the rows' many objects have no cycles
        done = _import_columns(args, path, store, problems_path)
        if done is not None:
            return done
        with progress_bar(text("cli.import.rows_unit")) as progress:
            result = import_table(
                path,
                args.kind,
                default_map=args.map,
                sheet=args.sheet,
                progress=progress,
                limits=_limits(args),
                # Records naming an establishment the store lacks are bad rows, not orphans.
                establishments=None if store is None else store.establishments,
                projects=None if store is None else store.projects,
            )
        print(_summary(result.source, result.total_rows, len(result.objects)))
        print_problems(result.problems, args.max_problems, hint=problems_path is None)
        _write_problems(problems_path, result.problems)
        if result.problems and not args.valid_only:
            raise Failure(ExitCode.NO, text("cli.import.refused"), text("cli.hint.valid_only"))
        status = ExitCode.OK if result.ok else ExitCode.NO
        if store is None:
            note(text("cli.import.not_stored"))
            return status
        stored = store_objects(store, result.kind, result.objects)
        print(text("cli.import.stored", count=stored, store=args.store))
        return status


@guarded("khuyencong template")
def run_template(args: argparse.Namespace) -> int:
    """Write the Excel import template; refuse to overwrite a file without ``--force``."""
    path = writable(Path(args.file), force=args.force)
    write_template(path, lang=get_language())
    print(text("cli.template.written", path=path))
    return ExitCode.OK
