"""The ``khuyencong`` command line.

Commands:

- ``khuyencong demo``: the main job on the founding example: load the Bắc Giang 2017–2020
  records into an SQLite store, check the example projects with the rules, compute the
  indicators from the store and print the report. ``--example bac-ninh-2026`` runs a synthetic
  2026 plan of post-reform Bắc Ninh under NĐ 235/2025 instead.
- ``khuyencong check FILE.json``: decide an establishment or a project, with reasons.
- ``khuyencong report --store URL | --data DIR | --example``: the outcome report of a phase.
- ``khuyencong validate [FILE ...]``: read dataset files (the bundled sample by default), print
  what they hold and every problem found. Exit status 0 when clean, 1 when problems were found,
  2 when a file cannot be read.
- ``khuyencong units find NAME`` / ``units show CODE`` / ``units reform CODE``: look up
  administrative units, case- and diacritic-insensitive, and their post-reform units.
- ``khuyencong import FILE --kind KIND``: validate a CSV or Excel table row by row and list every
  bad row (row, column, reason); with ``--store URL``, store it (nothing when a row is bad,
  unless ``--valid-only``).
- ``khuyencong template FILE.xlsx``: write the Excel import template.
- ``khuyencong version``.

Output is Vietnamese by default; ``--lang en`` switches to English.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from khuyencong import __version__
from khuyencong.cli import _check as rules_cli
from khuyencong.cli import _report as reports_cli
from khuyencong.datafiles import SAMPLE_DATASET, read_dataset
from khuyencong.demo import DEMO_EXAMPLES, example_label, run_demo
from khuyencong.domain import Dataset, Lang
from khuyencong.exceptions import KhuyenCongError
from khuyencong.importing import ImportKind, import_table, write_template
from khuyencong.storage import open_store, store_dataset
from khuyencong.units import MapId, UnitLevel, load_map, to_reform

__all__ = ["build_parser", "main"]

_SECTION_LABELS: dict[str, tuple[str, str]] = {
    "establishments": ("Cơ sở", "Establishments"),
    "projects": ("Đề án", "Projects"),
    "support_records": ("Lượt hỗ trợ", "Support records"),
    "fair_participations": ("Lượt tham gia hội chợ", "Fair participations"),
    "award_entries": ("Sản phẩm dự bình chọn", "Award entries"),
    "ocop_ratings": ("Đánh giá OCOP", "OCOP ratings"),
    "budgets": ("Dự toán kinh phí", "Budget envelopes"),
}


def _t(lang: Lang, vi: str, en: str) -> str:
    return vi if lang == "vi" else en


def _cmd_validate(args: argparse.Namespace) -> int:
    lang: Lang = args.lang
    files = [Path(f) for f in args.files] or [SAMPLE_DATASET]
    status = 0
    for path in files:
        try:
            reading = read_dataset(path)
        except OSError as exc:
            print(_t(lang, f"Không đọc được tệp {path}: {exc}", f"Cannot read {path}: {exc}"))
            status = 2
            continue
        print(_t(lang, f"Tệp dữ liệu: {path}", f"Data file: {path}"))
        for section, count in reading.dataset.summary().items():
            vi, en = _SECTION_LABELS[section]
            print(f"  {_t(lang, vi, en):<28} {count:>6}")
        if reading.ok:
            print(_t(lang, "Không phát hiện lỗi.", "No problems found."))
        else:
            n = len(reading.problems)
            print(_t(lang, f"Phát hiện {n} lỗi:", f"{n} problem(s) found:"))
            for problem in reading.problems:
                print(f"  - {problem}")
            status = max(status, 1)
        print()
    return status


def _map_arg(text: str) -> MapId:
    try:
        return MapId(text)
    except ValueError:
        allowed = ", ".join(m.value for m in MapId)
        msg = f"unknown map {text!r}; choose one of {allowed}"
        raise argparse.ArgumentTypeError(msg) from None


def _describe(code: str, map_id: MapId, lang: Lang) -> str:
    units = load_map(map_id)
    unit = units.get(code)
    chain = [unit, *units.ancestors(code)]
    where = ", ".join(u.full_name for u in chain)
    return f"{unit.code}  {where}  [{unit.unit_type.label(lang)}; {map_id.value}]"


def _cmd_units(args: argparse.Namespace) -> int:
    lang: Lang = args.lang
    if args.units_command == "find":
        level = UnitLevel(args.level) if args.level else None
        found = load_map(args.map).find(args.name, level=level)
        if not found:
            print(_t(lang, "Không tìm thấy.", "Nothing found."))
            return 1
        for unit in found:
            print(_describe(unit.code, args.map, lang))
        return 0
    if args.units_command == "show":
        print(_describe(args.code, args.map, lang))
        return 0
    mapping = to_reform(load_map(args.map).get(args.code).ref)
    new = mapping.new_commune or mapping.new_province
    print(_describe(args.code, args.map, lang))
    print(f"  → {_describe(new.code, MapId.MAP_REFORM, lang)}")
    print(f"    ({mapping.method.value}{': ' + mapping.note if mapping.note else ''})")
    return 0


def _progress(lang: Lang) -> Callable[[int, int], None] | None:
    if not sys.stderr.isatty():
        return None
    word = _t(lang, "dòng", "rows")

    def show(done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        bar = "█" * filled + "·" * (width - filled)
        end = "\n" if done == total else ""
        print(f"\r[{bar}] {done}/{total} {word}", end=end, file=sys.stderr, flush=True)

    return show


def _cmd_import(args: argparse.Namespace) -> int:
    lang: Lang = args.lang
    try:
        result = import_table(
            args.file,
            args.kind,
            default_map=args.map,
            sheet=args.sheet,
            progress=_progress(lang),
        )
    except OSError as exc:
        print(_t(lang, f"Không đọc được tệp: {exc}", f"Cannot read the file: {exc}"))
        return 2
    bad = len(result.bad_rows)
    print(
        _t(
            lang,
            f"{result.source}: {result.total_rows} dòng, {len(result.objects)} hợp lệ, "
            f"{bad} dòng có lỗi.",
            f"{result.source}: {result.total_rows} rows, {len(result.objects)} valid, "
            f"{bad} with problems.",
        )
    )
    for problem in result.problems:
        print(f"  - {problem}")
    if result.problems and not args.valid_only:
        print(
            _t(
                lang,
                "Không nhập dòng nào vì tệp có lỗi (dùng --valid-only để chỉ nhập dòng hợp lệ).",
                "Nothing imported because the file has problems "
                "(use --valid-only to import the valid rows only).",
            )
        )
        return 1
    if args.store is None:
        print(_t(lang, "Chưa lưu (không có --store).", "Nothing stored (no --store given)."))
        return 0 if result.ok else 1
    stored = store_objects(args.store, result.kind, result.objects)
    print(_t(lang, f"Đã lưu {stored} bản ghi vào {args.store}.", f"Stored {stored} records."))
    return 0 if result.ok else 1


def store_objects(url: str, kind: ImportKind, objects: Sequence[Any]) -> int:
    """Store imported objects in one unit of work (all or nothing); returns how many."""
    section = {
        ImportKind.ESTABLISHMENTS: "establishments",
        ImportKind.SUPPORT_RECORDS: "support_records",
        ImportKind.FAIR_PARTICIPATIONS: "fair_participations",
    }[kind]
    with open_store(url) as store:
        return store_dataset(store, Dataset(**{section: tuple(objects)}))[section]


def _cmd_demo(args: argparse.Namespace) -> int:
    lang: Lang = args.lang
    result = run_demo(
        args.db, lang=lang, fmt=args.format, charts=not args.no_charts, example=args.example
    )
    if args.format == "html":
        print(result.report)
        return 0
    stored = sum(result.stored.values())
    label = example_label(args.example, lang)
    print(
        _t(
            lang,
            f"Đã nạp {stored} bản ghi của {label} vào {result.database}",
            f"Loaded {stored} records of {label} into {result.database}",
        )
    )
    print(result.checks_summary(lang))
    print()
    print(result.report)
    return 0


def _cmd_template(args: argparse.Namespace) -> int:
    path = write_template(args.file, lang=args.lang)
    print(_t(args.lang, f"Đã ghi mẫu nhập liệu: {path}", f"Wrote the import template: {path}"))
    return 0


def _cmd_version(_: argparse.Namespace) -> int:
    print(f"khuyencong {__version__}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``khuyencong`` command."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--lang", choices=["vi", "en"], default="vi", help="output language (default: vi)"
    )
    parser = argparse.ArgumentParser(
        prog="khuyencong",
        description="Vietnamese industrial promotion (khuyến công): rules, records, reports.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = sub.add_parser(
        "validate",
        parents=[common],
        help="validate dataset files (default: the bundled sample) and list every problem",
    )
    validate.add_argument("files", nargs="*", metavar="FILE", help="JSON dataset files")
    validate.set_defaults(handler=_cmd_validate)

    units = sub.add_parser("units", parents=[common], help="look up administrative units")
    units_sub = units.add_subparsers(dest="units_command", required=True, metavar="ACTION")
    find = units_sub.add_parser("find", parents=[common], help="find units by name")
    find.add_argument("name", help='a name, with or without diacritics ("luc ngan")')
    find.add_argument("--level", choices=[lv.value for lv in UnitLevel])
    for action in (find,):
        action.add_argument("--map", type=_map_arg, default=MapId.MAP_REFORM)
    show = units_sub.add_parser("show", parents=[common], help="show a unit by code")
    reform = units_sub.add_parser(
        "reform", parents=[common], help="map an old unit to the post-reform map"
    )
    for action, default in ((show, MapId.MAP_REFORM), (reform, MapId.MAP_2021)):
        action.add_argument("code", help="the GSO code, with its leading zeros")
        action.add_argument("--map", type=_map_arg, default=default)
    units.set_defaults(handler=_cmd_units)

    imp = sub.add_parser(
        "import",
        parents=[common],
        help="validate (and store) a CSV or Excel table, reporting every bad row",
    )
    imp.add_argument("file", help="a .csv or .xlsx file")
    imp.add_argument("--kind", required=True, choices=[k.value for k in ImportKind])
    imp.add_argument("--map", type=_map_arg, help="the map of the unit codes, if not in the file")
    imp.add_argument("--sheet", help="the worksheet of an Excel file (default: the first)")
    imp.add_argument("--store", help="store URL, e.g. sqlite:///khuyencong.db")
    imp.add_argument(
        "--valid-only",
        action="store_true",
        help="import the valid rows even when others have problems",
    )
    imp.set_defaults(handler=_cmd_import)

    template = sub.add_parser("template", parents=[common], help="write the Excel import template")
    template.add_argument("file", help="where to write the .xlsx template")
    template.set_defaults(handler=_cmd_template)

    demo = sub.add_parser(
        "demo",
        parents=[common],
        help="load an example (default: Bắc Giang 2017–2020) into SQLite, check it, report",
    )
    demo.add_argument(
        "--db", type=Path, help="the SQLite file to create (default: a new temp file)"
    )
    demo.add_argument("--format", choices=["md", "html"], default="md")
    demo.add_argument("--no-charts", action="store_true", help="no charts in the HTML report")
    demo.add_argument(
        "--example",
        choices=list(DEMO_EXAMPLES),
        default="bac-giang-2017-2020",
        help="which example: "
        + "; ".join(f"{name}: {what}" for name, what in DEMO_EXAMPLES.items()),
    )
    demo.set_defaults(handler=_cmd_demo)

    rules_cli.add_parser(sub)
    reports_cli.add_parser(sub)

    version = sub.add_parser("version", help="print the version")
    version.set_defaults(handler=_cmd_version)

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status.

    >>> main(["version"])  # doctest: +ELLIPSIS
    khuyencong ...
    0
    """
    args = build_parser().parse_args(argv)
    # The rules and reports commands register ``func``; the others ``handler``.
    handler: Callable[[argparse.Namespace], int] = getattr(args, "handler", None) or args.func
    try:
        return handler(args)
    except KhuyenCongError as exc:
        print(f"khuyencong: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader went away (``khuyencong demo | head``): stop quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
