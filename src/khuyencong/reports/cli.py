"""The ``khuyencong report`` command: the outcome report of a phase from a data folder or store.

``khuyencong/cli.py`` wires it in with :func:`add_parser` and :func:`run`::

    khuyencong report --data DIR --from 2017 --to 2020 [--by district] [--lang en] [--format html]

>>> import argparse
>>> parser = argparse.ArgumentParser(prog="khuyencong")
>>> sub = parser.add_subparsers(dest="command")
>>> _ = add_parser(sub)
>>> args = parser.parse_args(["report", "--example", "--lang", "en", "--no-charts"])
>>> args.lang, args.format, args.by
('en', 'md', 'district')
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from khuyencong.domain import Period
from khuyencong.exceptions import KhuyenCongError, StoreError
from khuyencong.indicators import Breakdown, RecordSet
from khuyencong.reports._example import (
    example_path,
    load_folder_targets,
    load_report_config,
)
from khuyencong.reports._report import build_report
from khuyencong.units import MapId

__all__ = ["add_parser", "run"]


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``report`` command to ``subparsers`` (from ``ArgumentParser.add_subparsers``)."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "report",
        help="print the outcome report of a phase",
        description="Compute the standard indicators over a phase and print the report.",
    )
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--data", metavar="DIR", help="a folder of JSON records and report.json")
    source.add_argument("--store", metavar="URL", help="a store URL (sqlite:///…, postgresql://…)")
    source.add_argument("--example", action="store_true", help="the Bắc Giang 2017–2020 example")
    parser.add_argument("--from", dest="first", type=int, help="first year of the phase")
    parser.add_argument("--to", dest="last", type=int, help="last year of the phase")
    parser.add_argument(
        "--by", default="district", help="geographic breakdown: province, district or commune"
    )
    parser.add_argument(
        "--map",
        dest="map_id",
        default=None,
        choices=[m.value for m in MapId],
        help="the map to roll up to (default: the map of the report's province)",
    )
    parser.add_argument("--lang", default="vi", choices=["vi", "en"])
    parser.add_argument("--format", default="md", choices=["md", "html"])
    parser.add_argument("--no-charts", action="store_true", help="do not draw charts (HTML)")
    parser.set_defaults(func=run)
    return parser


def run(args: argparse.Namespace) -> int:
    """Run ``khuyencong report``; print the report to standard output.

    Returns:
        0 on success, 2 for a usage or data error (the message goes to standard error).
    """
    try:
        text = _report(args)
    except KhuyenCongError as exc:
        sys.stderr.write(f"khuyencong report: {exc}\n")
        return 2
    sys.stdout.write(text)
    return 0


def _report(args: argparse.Namespace) -> str:
    if args.store:
        msg = (
            f"storage is not available yet: cannot open {args.store}; "
            "use --data DIR (a folder of JSON records) or --example"
        )
        raise StoreError(msg)
    folder = example_path() if args.example else args.data
    data = RecordSet.from_directory(folder)
    config = load_report_config(folder)
    period = config.as_period
    if args.first is not None or args.last is not None:
        first = args.first if args.first is not None else period.start.year
        last = args.last if args.last is not None else period.end.year
        period = Period.phase(first, last)
    map_id = args.map_id or config.province.map_id
    by = Breakdown.parse(args.by, map_id)
    report = build_report(
        data,
        config,
        period=period,
        lang=args.lang,
        by=by,
        targets=load_folder_targets(folder),
        charts=not args.no_charts and args.format == "html",
    )
    return report.to_html() if args.format == "html" else report.to_markdown()
