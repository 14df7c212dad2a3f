"""``khuyencong units find | show | reform``: administrative units and the 2025 reform.

Names are found case- and diacritic-insensitively (``"luc ngan"``); a unit prints with the units
above it, its type and its map; ``reform`` maps a unit of an older map to the post-reform map
and says how. ``--json`` prints the units as the library's converter writes them.
"""

from __future__ import annotations

import argparse
from typing import Any

from khuyencong.cli._console import emit_json
from khuyencong.cli._errors import ExitCode, Failure, guarded
from khuyencong.cli._options import add_common, choices_help, map_arg
from khuyencong.converters import unstructure
from khuyencong.exceptions import UnitMappingError
from khuyencong.messages import get_language, text
from khuyencong.units import (
    AdminUnit,
    MapId,
    ReformMapping,
    UnitLevel,
    load_map,
    to_reform,
)

__all__ = ["add_parser", "describe", "run"]


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``units`` and its actions ``find``, ``show`` and ``reform``."""
    units: argparse.ArgumentParser = subparsers.add_parser(
        "units", help=text("cli.help.units"), description=text("cli.help.units_description")
    )
    add_common(units)
    actions = units.add_subparsers(
        dest="units_command",
        required=True,
        metavar="ACTION",
        title=text("cli.help.actions"),
    )
    maps = choices_help(MapId)
    find = actions.add_parser("find", help=text("cli.help.units_find"))
    find.add_argument("name", metavar="NAME", help=text("cli.help.units_name"))
    find.add_argument(
        "--level",
        choices=[lv.value for lv in UnitLevel],
        metavar="LEVEL",
        help=text("cli.help.units_level", choices=choices_help(UnitLevel)),
    )
    find.add_argument(
        "--map",
        type=map_arg,
        default=MapId.MAP_REFORM,
        metavar="MAP",
        help=text("cli.help.units_map", choices=maps, default=MapId.MAP_REFORM.value),
    )
    show = actions.add_parser("show", help=text("cli.help.units_show"))
    reform = actions.add_parser("reform", help=text("cli.help.units_reform"))
    for action, default in ((show, MapId.MAP_REFORM), (reform, MapId.MAP_2021)):
        action.add_argument("code", metavar="CODE", help=text("cli.help.units_code"))
        action.add_argument(
            "--map",
            type=map_arg,
            default=default,
            metavar="MAP",
            help=text("cli.help.units_map", choices=maps, default=default.value),
        )
    for action in (find, show, reform):
        action.add_argument("--json", action="store_true", help=text("cli.help.units_json"))
        add_common(action)
    units.set_defaults(handler=run)
    return units


def describe(unit: AdminUnit) -> str:
    """One line: the code, the unit with the units above it, its type and its map.

    >>> from khuyencong.messages import language
    >>> with language("vi"):
    ...     describe(load_map("2021-11").get("07525"))
    '07525  Thị trấn Chũ, Huyện Lục Ngạn, Tỉnh Bắc Giang  [thị trấn; bản đồ 11/2021]'
    """
    units = load_map(unit.map_id)
    chain = [unit, *units.ancestors(unit.code)]
    where = ", ".join(u.full_name for u in chain)
    lang = get_language()
    kind = unit.unit_type.label(lang)
    return f"{unit.code}  {where}  [{kind}; {text(f'cli.map.{unit.map_id.value}')}]"


def _unit(code: str, map_id: MapId) -> AdminUnit:
    """The unit ``code`` on ``map_id``; a failure that says how to find it otherwise."""
    units = load_map(map_id)
    if code not in units:
        others = [m for m in MapId if m is not map_id and code in load_map(m)]
        hint = (
            text("cli.hint.other_map", maps=", ".join(m.value for m in others))
            if others
            else text("cli.hint.unit_code")
        )
        raise Failure(
            ExitCode.USAGE,
            text("cli.error.no_unit", code=code, map=text(f"cli.map.{map_id.value}")),
            hint,
        )
    return units.get(code)


def _reform_text(mapping: ReformMapping) -> list[str]:
    """How the old unit reached the post-reform map, as a reader would say it."""
    old = mapping.old
    lines = []
    if mapping.via is not None:
        lines.append(text("cli.units.via", name=mapping.via.full_name, code=mapping.via.code))
    before = mapping.via or old
    new = mapping.new_commune or mapping.new_province
    method: str = getattr(mapping.method, f"label_{get_language()}")
    key = "kept_name" if before.full_name == new.full_name else "became"
    lines.append(text(f"cli.units.{key}", old=before.full_name, new=new.full_name, method=method))
    return lines


def _not_mapped(unit: AdminUnit, exc: UnitMappingError) -> Failure:
    """A unit the reform cannot place without a guess, with its candidates."""
    new_map = load_map(MapId.MAP_REFORM)
    candidates = [f"{c}  {new_map.get(c).full_name}" for c in exc.candidates if c in new_map]
    name = f"{unit.full_name} ({unit.code})"
    if unit.level is UnitLevel.DISTRICT:
        message = text("cli.error.district", unit=name, count=len(candidates))
        hint = text("cli.hint.district")
    else:
        message = text("cli.error.no_reform", unit=name)
        hint = text("cli.hint.candidates") if candidates else text("cli.hint.by_hand")
    return Failure(ExitCode.NO, message, hint, candidates)


@guarded("khuyencong units")
def run(args: argparse.Namespace) -> int:
    """Run ``units find``, ``units show`` or ``units reform``."""
    want_json = getattr(args, "json", False)
    if args.units_command == "find":
        level = UnitLevel(args.level) if args.level else None
        found = load_map(args.map).find(args.name, level=level)
        if not found:
            raise Failure(
                ExitCode.NO,
                text("cli.error.no_unit_named", name=args.name, map=text(f"cli.map.{args.map}")),
                text("cli.hint.find"),
            )
        if want_json:
            emit_json([unstructure(u) for u in found])
        else:
            for unit in found:
                print(describe(unit))
        return ExitCode.OK
    unit = _unit(args.code, args.map)
    if args.units_command == "show":
        if want_json:
            emit_json(unstructure(unit))
        else:
            print(describe(unit))
        return ExitCode.OK
    try:
        mapping = to_reform(unit)
    except UnitMappingError as exc:
        raise _not_mapped(unit, exc) from exc
    if want_json:
        emit_json(unstructure(mapping))
        return ExitCode.OK
    new = mapping.new_commune or mapping.new_province
    print(describe(unit))
    print(f"  → {describe(new)}")
    for line in _reform_text(mapping):
        print(f"    {line}")
    return ExitCode.OK
