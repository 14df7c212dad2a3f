"""``khuyencong report``: the outcome report of a phase, from a data folder, a file or a store.

::

    khuyencong report --example [NAME] [--from 2017 --to 2020] [--by district] [--lang en]
    khuyencong report --data DIR [--format html]
    khuyencong report --store sqlite:///kc.db --from 2017 --to 2020 [--legal-form cooperative]
    khuyencong report --store URL --config report.json [--targets targets.toml] [--json]

With ``--store`` the indicators are computed in the database (SQL pushdown for SQLite and
PostgreSQL). A store holds records, not a report's settings: they come from ``--config FILE``
(the ``report.json`` of a data folder) and/or options, options winning. A store holds every
legal form, so without ``--legal-form`` (or a config naming the forms) the report counts every
establishment, and a note on standard error says what was counted, form by form.

>>> import argparse
>>> parser = argparse.ArgumentParser(prog="khuyencong")
>>> sub = parser.add_subparsers(dest="command")
>>> _ = add_parser(sub)
>>> args = parser.parse_args(["report", "--example", "--lang", "en", "--no-charts"])
>>> args.lang, args.format, args.by, args.example
('en', 'md', None, 'bac-giang-2017-2020')
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from khuyencong.cli._console import emit_json, note
from khuyencong.cli._errors import ExitCode, guarded
from khuyencong.cli._options import add_common
from khuyencong.cli._sources import (
    Records,
    add_settings_options,
    add_source_options,
    check_settings,
    open_records,
    report_settings,
    targets_for,
)
from khuyencong.indicators import STANDARD_INDICATORS, Breakdown, Dimension, compute
from khuyencong.messages import get_language, text
from khuyencong.reports import ReportConfig, build_report
from khuyencong.units import MapId

__all__ = ["add_parser", "default_level", "run"]


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``report`` command to ``subparsers`` (from ``ArgumentParser.add_subparsers``)."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "report",
        help=text("cli.help.report"),
        description=text("cli.help.report_description"),
    )
    add_source_options(parser)
    add_settings_options(parser)
    parser.add_argument(
        "--by", default=None, choices=("province", "district", "commune"), help=text("cli.help.by")
    )
    parser.add_argument(
        "--format", default="md", choices=["md", "html"], help=text("cli.help.report_format")
    )
    parser.add_argument("--no-charts", action="store_true", help=text("cli.help.no_charts"))
    parser.add_argument("--json", action="store_true", help=text("cli.help.report_json"))
    add_common(parser)
    parser.set_defaults(func=run)
    return parser


def default_level(map_id: MapId | str) -> str:
    """The default breakdown of a report on ``map_id``: districts, or communes on the
    post-reform two-level map (which has no districts).

    >>> default_level("2025-reform"), default_level("2021-11")
    ('commune', 'district')
    """
    return "commune" if MapId(map_id) is MapId.MAP_REFORM else "district"


@guarded("khuyencong report")
def run(args: argparse.Namespace) -> int:
    """Run ``khuyencong report``; print the report (or its data) on standard output.

    Returns:
        0 on success; 2 for a usage or data error, 3 when the rules lack a value, 4 for a store
        that cannot be read (the message goes to standard error).
    """
    check_settings(args)
    lang = get_language()
    want_json = getattr(args, "json", False)
    with open_records(args) as records:
        config = report_settings(args, records)
        map_id = args.map_id or config.province.map_id
        by = Breakdown.parse(args.by or default_level(map_id), map_id)
        report = build_report(
            records.source,
            config,
            lang=lang,
            by=by,
            targets=targets_for(args, records),
            charts=not args.no_charts and args.format == "html" and not want_json,
        )
        if not config.legal_forms:
            _explain_scope(records, config)
    if want_json:
        emit_json(report.to_data())
    else:
        sys.stdout.write(report.to_html() if args.format == "html" else report.to_markdown())
    return ExitCode.OK


def _explain_scope(records: Records, config: ReportConfig) -> None:
    """Say on standard error what a report over every legal form counted, form by form.

    A store holds every legal form; the Bắc Giang example's own report counts cooperatives
    only (its ``report.json`` says so), so the same records give 56 establishments here and
    52 cooperatives there.
    """
    result = compute(
        STANDARD_INDICATORS["establishments_supported"],
        records.source,
        config.as_period,
        by=[Breakdown.of(Dimension.LEGAL_FORM)],
        drill_down=False,
    )
    lang = get_language()
    forms = [f"{row.labels(lang)[0].lower()}: {row.value}" for row in result.rows]
    if len(forms) < 2:
        return
    note(text("cli.report.scope", total=result.value, forms=", ".join(forms)))
