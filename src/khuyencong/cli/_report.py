"""The ``khuyencong report`` command: the outcome report of a phase from a data folder or store.

``khuyencong/cli.py`` wires it in with :func:`add_parser` and :func:`run`::

    khuyencong report --data DIR --from 2017 --to 2020 [--by district] [--lang en] [--format html]
    khuyencong report --store sqlite:///kc.db --from 2017 --to 2020 [--province 24]
    khuyencong report --store URL --config report.json [--targets targets.toml]

With ``--store`` the indicators are computed in the database (SQL pushdown for SQLite and
PostgreSQL). A store holds records, not a report's settings, so these come from
``--config FILE`` (the ``report.json`` of a data folder) and/or options, options winning:
``--province CODE`` (of ``--map``, default the 2021 map; default: the one province the
records reach), ``--title``, ``--centre``, ``--legal-form`` (repeatable; default: all) and the
phase ``--from``/``--to`` (required without a config).

>>> import argparse
>>> parser = argparse.ArgumentParser(prog="khuyencong")
>>> sub = parser.add_subparsers(dest="command")
>>> _ = add_parser(sub)
>>> args = parser.parse_args(["report", "--example", "--lang", "en", "--no-charts"])
>>> args.lang, args.format, args.by
('en', 'md', None)
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from khuyencong.converters import structure
from khuyencong.domain import LegalForm, Period
from khuyencong.exceptions import KhuyenCongError, NotFoundError, ValidationError
from khuyencong.indicators import (
    Breakdown,
    IndicatorSource,
    RecordKind,
    RecordSet,
    load_targets,
    source_for,
    unit_keys,
)
from khuyencong.reports import (
    ReportConfig,
    build_report,
    example_path,
    load_folder_targets,
    load_report_config,
)
from khuyencong.units import MapId, UnitRef

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
        "--by",
        default=None,
        help=(
            "geographic breakdown: province, district or commune (default: district on a "
            "three-level map, commune on the post-reform map)"
        ),
    )
    parser.add_argument(
        "--map",
        dest="map_id",
        default=None,
        choices=[m.value for m in MapId],
        help="the map to roll up to (default: the map of the report's province)",
    )
    store = parser.add_argument_group(
        "report settings for --store",
        "a store holds records only; give a report.json with --config and/or these options "
        "(options win over the config)",
    )
    store.add_argument("--config", metavar="FILE", help="report settings (a report.json)")
    store.add_argument(
        "--province",
        metavar="CODE",
        help="province code on --map (default: the one province the records reach)",
    )
    store.add_argument("--title", help="report title (default: a generic title)")
    store.add_argument("--centre", help="the reporting centre (default: a generic name)")
    store.add_argument(
        "--legal-form",
        dest="legal_forms",
        action="append",
        choices=[f.value for f in LegalForm],
        help="only establishments of this legal form (repeatable; default: all)",
    )
    store.add_argument("--targets", metavar="FILE", help="targets (TOML or JSON) to report against")
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


_DEFAULT_TITLE = ("Báo cáo kết quả hoạt động khuyến công", "Industrial promotion results")
_DEFAULT_CENTRE = "Trung tâm Khuyến công"


def _store_config(args: argparse.Namespace, source: IndicatorSource) -> ReportConfig:
    """The report settings for a store: ``--config``, then the options over it."""
    base: dict[str, Any] = {}
    if args.config:
        path = Path(args.config)
        if not path.is_file():
            raise NotFoundError("report configuration", str(path), "give an existing report.json")
        try:
            base = dict(json.loads(path.read_text(encoding="utf-8")))
        except ValueError as exc:
            raise ValidationError.single(f"{path}:$", None, f"not valid JSON: {exc}") from exc
    elif args.first is None and args.last is None:
        raise ValidationError.single(
            "--from", None, "give the phase with --from/--to (or a report.json with --config)"
        )
    map_id = MapId(args.map_id or base.get("province", {}).get("map_id", MapId.MAP_2021))
    if args.province:
        base["province"] = {"map_id": map_id.value, "code": args.province}
    elif "province" not in base:
        reached, _bad = unit_keys(source.unit_refs(RecordKind.SUPPORT), Breakdown.province(map_id))
        codes = sorted({k for k in reached.values() if k != "unknown"})
        if len(codes) != 1:
            found = ", ".join(codes) or "none"
            msg = f"the records reach {len(codes)} provinces ({found}); choose one with --province"
            raise ValidationError.single("--province", None, msg)
        base["province"] = {"map_id": map_id.value, "code": codes[0]}
    if args.title:
        base["title_vi"] = base["title_en"] = args.title
    base.setdefault("title_vi", _DEFAULT_TITLE[0])
    base.setdefault("title_en", _DEFAULT_TITLE[1])
    if args.centre:
        base["centre"] = args.centre
    base.setdefault("centre", _DEFAULT_CENTRE)
    if args.legal_forms:
        base["legal_forms"] = list(args.legal_forms)
    first = args.first if args.first is not None else args.last
    last = args.last if args.last is not None else args.first
    if first is not None:
        base["period"] = f"{first}-{last}"
    config: ReportConfig = structure(base, ReportConfig)
    UnitRef(config.province.map_id, config.province.code).resolve()  # an unknown code fails here
    return config


def default_level(map_id: MapId | str) -> str:
    """The default breakdown of a report on ``map_id``: districts, or communes on the
    post-reform two-level map (which has no districts)."""
    return "commune" if MapId(map_id) is MapId.MAP_REFORM else "district"


def _store_report(args: argparse.Namespace) -> str:
    from khuyencong.storage import open_store  # noqa: PLC0415  (only this path needs storage)

    with open_store(args.store) as store:
        source = source_for(store)
        config = _store_config(args, source)
        store_map = args.map_id or config.province.map_id
        by = Breakdown.parse(args.by or default_level(store_map), store_map)
        report = build_report(
            source,
            config,
            lang=args.lang,
            by=by,
            targets=load_targets(args.targets) if args.targets else None,
            charts=not args.no_charts and args.format == "html",
        )
        return report.to_html() if args.format == "html" else report.to_markdown()


def _report(args: argparse.Namespace) -> str:
    if args.store:
        return _store_report(args)
    folder = example_path() if args.example else args.data
    data = RecordSet.from_directory(folder)
    config = load_report_config(folder)
    period = config.as_period
    if args.first is not None or args.last is not None:
        first = args.first if args.first is not None else period.start.year
        last = args.last if args.last is not None else period.end.year
        period = Period.phase(first, last)
    map_id = args.map_id or config.province.map_id
    by = Breakdown.parse(args.by or default_level(map_id), map_id)
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
