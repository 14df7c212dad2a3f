"""``khuyencong export FORMAT FILE``: records out as CSV, Excel, 360Giving or IATI.

::

    khuyencong export csv co-so.csv --kind establishments --store sqlite:///kc.db
    khuyencong export xlsx ho-tro.xlsx --kind support_records --data du-lieu.json
    khuyencong export 360giving-json grants.json --prefix 360G-khuyencong-bacgiang- \\
        --funder-name "Trung tâm Khuyến công Bắc Giang" --example
    khuyencong export iati-xml results.xml --example

CSV and Excel write one kind of record: establishments, support records and fair
participations in the import template's columns (so that ``khuyencong import`` reads them
back), any other kind as flat columns. 360Giving writes the approved projects and the support
records as grants. IATI writes the targets with their actuals, computed over the phase, and
needs targets (a folder's ``targets.toml`` or ``--targets``).

Every call into the library's writers is in :func:`_write`, so that a change of the
exchange API touches one function.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from khuyencong.cli._console import writable
from khuyencong.cli._errors import ExitCode, Failure, guarded
from khuyencong.cli._options import add_common, kinds_help
from khuyencong.cli._sources import (
    Records,
    add_settings_options,
    add_source_options,
    check_settings,
    open_records,
    report_settings,
    targets_for,
)
from khuyencong.domain import Dataset
from khuyencong.exchange import iati, threesixty
from khuyencong.exchange.iati import IatiResult, iati_result
from khuyencong.exchange.threesixty import Organisation, dataset_grants
from khuyencong.exports import records_table, write_records_csv
from khuyencong.importing import ImportKind, table_rows
from khuyencong.importing import write_csv as write_import_csv
from khuyencong.indicators import (
    Ratio,
    compute_standard,
    counterpart_ratio,
    coverage,
    disbursement_rate,
)
from khuyencong.messages import get_language, text
from khuyencong.reports import ReportConfig

__all__ = ["FORMATS", "add_parser", "run"]

FORMATS = ("csv", "xlsx", "360giving-json", "360giving-csv", "iati-xml", "iati-json")
"""The formats ``khuyencong export`` writes."""

_KINDS = (
    "establishments",
    "projects",
    "support_records",
    "fair_participations",
    "award_entries",
    "ocop_ratings",
    "budgets",
)
_IMPORTABLE = {k.value for k in ImportKind}


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``export`` command."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "export", help=text("cli.help.export"), description=text("cli.help.export_description")
    )
    parser.add_argument(
        "format",
        choices=FORMATS,
        metavar="FORMAT",
        help=text("cli.help.export_format", choices=", ".join(FORMATS)),
    )
    parser.add_argument("file", metavar="FILE", help=text("cli.help.export_file"))
    add_source_options(parser)
    parser.add_argument(
        "--kind",
        choices=_KINDS,
        metavar="KIND",
        help=text("cli.help.export_kind", choices=kinds_help(_KINDS)),
    )
    parser.add_argument("--force", action="store_true", help=text("cli.help.force"))
    giving = parser.add_argument_group(text("cli.help.threesixty_title"))
    giving.add_argument("--prefix", help=text("cli.help.prefix"))
    giving.add_argument("--funder-name", help=text("cli.help.funder_name"))
    giving.add_argument("--funder-id", help=text("cli.help.funder_id"))
    add_settings_options(parser)
    add_common(parser)
    parser.set_defaults(handler=run)
    return parser


def _check_options(args: argparse.Namespace) -> None:
    """Refuse, before anything is read, options the format needs and does not have."""
    if args.format in ("csv", "xlsx") and not args.kind:
        raise Failure(ExitCode.USAGE, text("cli.error.export_kind"), text("cli.hint.export_kind"))
    if args.format.startswith("360giving") and not (args.prefix and args.funder_name):
        raise Failure(
            ExitCode.USAGE, text("cli.error.export_funder"), text("cli.hint.export_funder")
        )
    if args.format.startswith("iati"):
        check_settings(args)


def _rows(objects: Sequence[Any], kind: str) -> list[list[object]]:
    """Header and rows: the import template's columns when the importer reads the kind."""
    if kind in _IMPORTABLE:
        return table_rows(objects, kind, lang=get_language())
    table = records_table(objects)
    header: list[object] = list(table[0]) if table else []
    return [header, *([row[str(c)] for c in header] for row in table)]


def _write_xlsx(path: Path, rows: list[list[object]], title: str) -> None:
    """Write rows to a one-sheet workbook; text stays text (never a formula)."""
    try:
        from openpyxl import Workbook  # noqa: PLC0415 - optional extra
    except ImportError as exc:
        msg = "writing Excel needs the excel extra: pip install 'khuyencong[excel]'"
        raise ImportError(msg, name="openpyxl") from exc
    book: Any = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # a name beginning with "=" is text, not a formula
    book.save(path)


def _ratios(records: Records, config: ReportConfig, codes: set[str]) -> list[Ratio]:
    """The shares the IATI targets refer to, computed over the report's phase and scope."""
    period, scope = config.as_period, config.scope
    ratios: list[Ratio] = []
    for code in sorted(codes):
        if code.startswith("coverage[") and code.endswith("]"):
            level = code[len("coverage[") : -1]
            found = coverage(
                records.source,
                period,
                level=level,
                map_id=config.province.map_id,
                within=config.province.code,
                scope=scope,
            )
            ratios.append(found.share)
        elif code == "disbursement_rate":
            ratios.append(disbursement_rate(records.source, period, scope=scope))
        elif code == "counterpart_ratio":
            ratios.append(counterpart_ratio(records.source, period, scope=scope))
    return ratios


def _iati(records: Records, args: argparse.Namespace) -> IatiResult:
    config = report_settings(args, records)
    targets = targets_for(args, records)
    wanted = targets.for_period(config.as_period) if targets is not None else ()
    if not wanted:
        raise Failure(
            ExitCode.USAGE,
            text("cli.error.no_targets", period=str(config.as_period)),
            text("cli.hint.targets"),
        )
    results = compute_standard(records.source, config.as_period, scope=config.scope)
    return iati_result(
        wanted,
        results,
        ratios=_ratios(records, config, {t.indicator for t in wanted}),
        title_vi=config.title_vi,
        title_en=config.title_en,
    )


def _write(args: argparse.Namespace, records: Records, path: Path) -> tuple[int, str]:
    """Write the file; return how many items and what they are, for the closing line."""
    lang = get_language()
    if args.format.startswith("iati"):
        result = _iati(records, args)
        iati.write([result], path, fmt=args.format.removeprefix("iati-"))
        return len(result.indicators), text("cli.export.indicators")
    dataset: Dataset = records.dataset()
    if args.format.startswith("360giving"):
        funder = Organisation(args.funder_id or args.prefix.rstrip("-"), args.funder_name)
        selection = dataset_grants(dataset, prefix=args.prefix, funder=funder, lang=lang)
        threesixty.write(selection.grants, path, fmt=args.format.removeprefix("360giving-"))
        if selection.left_out:
            print(text("cli.export.left_out", count=len(selection.left_out)), file=sys.stderr)
            for item in selection.left_out:
                print(f"  - {item.reason}", file=sys.stderr)
        return len(selection.grants), text("cli.export.grants")
    objects = getattr(dataset, args.kind)
    what = text(f"cli.section.{args.kind}").lower()
    if args.format == "csv":
        if args.kind in _IMPORTABLE:
            write_import_csv(objects, path, args.kind, lang=lang)
        else:
            write_records_csv(objects, path)
    else:
        _write_xlsx(path, _rows(objects, args.kind), text(f"cli.section.{args.kind}"))
    return len(objects), what


@guarded("khuyencong export")
def run(args: argparse.Namespace) -> int:
    """Export records from a store, a data file or folder, or an example."""
    _check_options(args)
    path = writable(Path(args.file), force=args.force)
    with open_records(args) as records:
        count, what = _write(args, records, path)
    print(text("cli.export.written", count=count, what=what, path=path))
    return ExitCode.OK
