"""Mapping units of the old maps to the map after the reform of 1 July 2025."""

from __future__ import annotations

import functools
from typing import Any

import attrs

from khuyencong._arguments import CheckedEnum, expect
from khuyencong.exceptions import NotFoundError, UnitMappingError
from khuyencong.messages import Text
from khuyencong.units._map import AdminUnit, UnitRef, load_map
from khuyencong.units._types import MapId, UnitLevel, read_data_file

__all__ = [
    "ReformMapping",
    "ReformMethod",
    "ReformProblem",
    "province_to_reform",
    "reform_mapping_problems",
    "to_reform",
]


class ReformMethod(CheckedEnum):
    """How an old unit was matched to its post-reform unit."""

    UNCHANGED = "unchanged"
    """The unit already belongs to the post-reform map."""
    PROVINCE = "province"
    """A province, mapped through the merger list of provinces."""
    MERGER_LIST = "merger_list"
    """A commune named (within its province) in exactly one new unit's merger list."""
    BY_ELIMINATION = "by_elimination"
    """A commune whose name is shared by several old communes of the merged province; the
    others are listed elsewhere, so the one remaining listing is its own."""
    DISTRICT_WHOLE = "district_whole"
    """A district without communes that became one new unit as a whole (island districts)."""

    @property
    def label_vi(self) -> str:
        """The Vietnamese label."""
        return _METHOD_LABELS[self][0]

    @property
    def label_en(self) -> str:
        """The English label."""
        return _METHOD_LABELS[self][1]


_METHOD_LABELS = {
    ReformMethod.UNCHANGED: ("đã thuộc bản đồ sau sắp xếp", "already in the post-reform map"),
    ReformMethod.PROVINCE: ("theo danh sách sáp nhập tỉnh", "by the province merger list"),
    ReformMethod.MERGER_LIST: ("theo danh sách sáp nhập xã", "by the commune merger list"),
    ReformMethod.BY_ELIMINATION: ("suy ra bằng loại trừ", "by elimination"),
    ReformMethod.DISTRICT_WHOLE: ("cả huyện thành một đơn vị", "whole district to one unit"),
}


@attrs.frozen
class ReformMapping:
    """Where an old unit lies in the post-reform map.

    Attributes:
        old: The unit as given (of the 2021 or 2025 map).
        new_commune: The post-reform commune or ward, ``None`` for a province-level mapping.
        new_province: The post-reform province.
        method: How the match was made.
        note: A plain-English account of the match.
        via: For a unit of the 2021 map, the unit of the 2025 map it was matched through.
    """

    old: AdminUnit
    new_commune: AdminUnit | None
    new_province: AdminUnit
    method: ReformMethod
    note: str
    via: AdminUnit | None = None


@attrs.frozen
class ReformProblem:
    """An old unit that cannot be mapped to the post-reform map without a guess.

    Attributes:
        map_id: The old map the unit belongs to.
        code: The old unit's code.
        kind: ``"split"``, ``"ambiguous"`` or ``"unmatched"``.
        candidates: The codes of the post-reform units it could map to.
        note: Why.
    """

    map_id: MapId
    code: str
    kind: str
    candidates: tuple[str, ...]
    note: str


@functools.cache
def _merger() -> dict[str, Any]:
    raw: dict[str, Any] = read_data_file("reform_2025.json")
    return {
        "provinces": dict(raw["provinces"]),
        "communes": {row[0]: row[1:] for row in raw["communes"]},
        "districts": {row[0]: row[1:] for row in raw["districts"]},
        "gone_2021": {row[0]: row[1:] for row in raw["gone_2021"]},
    }


@functools.cache
def _former_provinces() -> dict[str, frozenset[str]]:
    """Post-reform commune code → the codes of the former provinces its old units lay in."""
    map_2025 = load_map(MapId.MAP_2025)
    found: dict[str, set[str]] = {}
    for old_code, (kind, new_codes, _note) in _merger()["communes"].items():
        if kind not in ("one", "split") or old_code not in map_2025:
            continue  # an ambiguous or unmatched row names candidates, not facts
        province = map_2025.get(old_code).province_code
        for new_code in new_codes or ():
            found.setdefault(new_code, set()).add(province)
    return {code: frozenset(codes) for code, codes in found.items()}


def _merged_into(new_code: str) -> list[str]:
    """The codes of the old provinces that became post-reform province ``new_code``."""
    return sorted(old for old, new in _merger()["provinces"].items() if new == new_code)


def former_provinces(unit: UnitRef | AdminUnit) -> tuple[AdminUnit, ...]:
    """The provinces before the reform whose territory a post-reform commune, ward or special
    zone covers (one for most units; several where the reform joined land of two provinces).

    Provincial documents issued before the merger of 1 July 2025 stay in force in their former
    territory until the merged province replaces them, so a local rule for a post-reform unit
    depends on the former province it lay in.

    Args:
        unit: A unit of the post-reform map (or of an older map: its own province is returned).

    Returns:
        The former provinces, as units of the July 2025 map, by code.

    Raises:
        UnitMappingError: For a post-reform unit the merger list does not name.
        ValidationError: If ``unit`` is neither a unit nor a reference to one.

    >>> [p.name for p in former_provinces(UnitRef(MapId.MAP_REFORM, "07582"))]  # Xã Lục Ngạn
    ['Bắc Giang']
    """
    expect(unit, "unit", UnitRef, AdminUnit)
    resolved = unit.resolve() if isinstance(unit, UnitRef) else unit
    old_map = load_map(MapId.MAP_2025)
    if resolved.map_id is not MapId.MAP_REFORM:
        return (load_map(resolved.map_id).get(resolved.province_code),)
    if resolved.level is UnitLevel.PROVINCE:
        return tuple(old_map.get(c) for c in _merged_into(resolved.code))
    codes = _former_provinces().get(resolved.code)
    if not codes:
        # Not reached from the merger list: unambiguous only if its province merged with none.
        merged = _merged_into(resolved.province_code)
        if len(merged) != 1:
            names = ", ".join(f"{old_map.get(c).name} ({c})" for c in merged)
            msg = (
                f"{resolved.full_name} ({resolved.code}) is not matched in the 2025 merger list, "
                f"and its province was formed from {names}: its former province is not known"
            )
            raise UnitMappingError(resolved.code, msg, tuple(merged))
        codes = frozenset(merged)
    return tuple(old_map.get(c) for c in sorted(codes))


def province_to_reform(code: str) -> AdminUnit:
    """The post-reform province an old province (of the 2021 or 2025 map) became part of.

    Args:
        code: The old province code (the 63 codes are the same in both old maps).

    Returns:
        The province of the post-reform map.

    Raises:
        NotFoundError: ``code`` is not an old province code.

    >>> province_to_reform("24").full_name  # Bắc Giang merged into Bắc Ninh
    'Tỉnh Bắc Ninh'
    """
    new_code = _merger()["provinces"].get(code)
    if new_code is None:
        raise NotFoundError("old province", code, Text.message("units.hint.old_province"))
    return load_map(MapId.MAP_REFORM).get(new_code)


def to_reform(unit: UnitRef | AdminUnit) -> ReformMapping:
    """Map an old unit to the post-reform map (after 1 July 2025).

    A commune, ward or township of the 2025 map is matched through the official merger list
    (by its name within its province). A commune of the 2021 map goes through the 2025 map:
    by its code when it still exists there, otherwise by its name within its old district.
    A province maps to the province it merged into. Nothing is guessed: a unit split between
    several new units, or named ambiguously in the list, or absent from it, raises.

    Args:
        unit: The old unit, or a reference to it.

    Returns:
        The mapping, with the new commune (``None`` for a province) and the new province.

    Raises:
        UnitMappingError: The unit was split or is ambiguous (``candidates`` lists the
            possible new codes), or cannot be matched (no candidates), or is a district
            (districts were abolished; ``candidates`` lists the new units its communes went to).
        ValidationError: If ``unit`` is neither a unit nor a reference to one.

    >>> m = to_reform(UnitRef(MapId.MAP_2021, "07525"))  # Thị trấn Chũ, Lục Ngạn, Bắc Giang
    >>> m.new_commune.full_name, m.new_province.name
    ('Phường Chũ', 'Bắc Ninh')
    """
    expect(unit, "unit", UnitRef, AdminUnit)
    old = unit.resolve() if isinstance(unit, UnitRef) else unit
    new_map = load_map(MapId.MAP_REFORM)
    if old.map_id is MapId.MAP_REFORM:
        commune = old if old.level is UnitLevel.COMMUNE else None
        province = new_map.get(old.province_code)
        return ReformMapping(old, commune, province, ReformMethod.UNCHANGED, "already post-reform")
    province = province_to_reform(old.province_code)
    if old.level is UnitLevel.PROVINCE:
        note = f"{old.full_name} became part of {province.full_name}"
        return ReformMapping(old, None, province, ReformMethod.PROVINCE, note)
    if old.level is UnitLevel.DISTRICT:
        return _district(old, province)
    via = None
    if old.map_id is MapId.MAP_2021:
        via = _via_2025(old, province)
        mapping = _commune_2025(via, province)
        note = f"{mapping.note}; matched to the 2025 map as {via.full_name} ({via.code})"
        return attrs.evolve(mapping, old=old, via=via, note=note)
    return _commune_2025(old, province)


def _via_2025(old: AdminUnit, province: AdminUnit) -> AdminUnit:
    map_2025 = load_map(MapId.MAP_2025)
    if old.code in map_2025:
        return map_2025.get(old.code)
    new_code, note = _merger()["gone_2021"].get(old.code, (None, "not in the 2025 map"))
    if new_code is None:
        message = (
            f"{old.full_name} ({old.code}, 2021 map) cannot be mapped: {note}. It lay in what "
            f"is now {province.full_name} ({province.code}); look up the commune by hand"
        )
        raise UnitMappingError(old.code, message)
    return map_2025.get(new_code)


def _commune_2025(old: AdminUnit, province: AdminUnit) -> ReformMapping:
    new_map = load_map(MapId.MAP_REFORM)
    status, candidates, note = _merger()["communes"][old.code]
    if status == "one":
        commune = new_map.get(candidates[0])
        method = (
            ReformMethod.BY_ELIMINATION if note.startswith("deduced") else ReformMethod.MERGER_LIST
        )
        text = f"{old.full_name} became part of {commune.full_name} ({note})"
        return ReformMapping(old, commune, new_map.get(commune.province_code), method, text)
    names = ", ".join(f"{c} {new_map.get(c).full_name}" for c in candidates)
    if status == "unmatched":
        message = (
            f"{old.full_name} ({old.code}, {old.map_id.value} map) is not in the merger list; "
            f"it lay in what is now {province.full_name} ({province.code})"
        )
    else:
        message = (
            f"{old.full_name} ({old.code}, {old.map_id.value} map) is {status}: {note}; "
            f"possible new units: {names}"
        )
    raise UnitMappingError(old.code, message, candidates)


def _district(old: AdminUnit, province: AdminUnit) -> ReformMapping:
    whole = _merger()["districts"].get(old.code)
    if whole is not None and whole[0] == "one":
        commune = load_map(MapId.MAP_REFORM).get(whole[1][0])
        note = f"{old.full_name} became {commune.full_name} as a whole"
        return ReformMapping(old, commune, province, ReformMethod.DISTRICT_WHOLE, note)
    old_map = load_map(old.map_id)
    candidates: set[str] = set()
    for commune in old_map.children(old.code):
        try:
            mapping = to_reform(commune)
        except UnitMappingError as exc:
            candidates.update(exc.candidates)
        else:
            if mapping.new_commune is not None:  # always set for a commune
                candidates.add(mapping.new_commune.code)
    message = (
        f"{old.full_name} ({old.code}) is a district; districts were abolished on 1 July 2025 "
        f"and its communes went to {len(candidates)} new unit(s) of {province.full_name}; "
        "map each commune instead"
    )
    raise UnitMappingError(old.code, message, sorted(candidates))


def reform_mapping_problems() -> list[ReformProblem]:
    """Every old commune that :func:`to_reform` refuses to map, with the reason.

    Lists the communes of the 2025 map that were split, are ambiguous or are absent from the
    merger list, and the communes of the 2021 map that are gone from the 2025 map and could
    not be matched to it (communes of the 2021 map that reach a problem commune of the 2025
    map are not repeated).

    Returns:
        The problems, 2025 map first, each by code.

    >>> kinds = {p.kind for p in reform_mapping_problems()}
    >>> sorted(kinds)
    ['ambiguous', 'split', 'unmatched']
    """
    data = _merger()
    out = [
        ReformProblem(MapId.MAP_2025, code, status, tuple(candidates), note)
        for code, (status, candidates, note) in sorted(data["communes"].items())
        if status != "one"
    ]
    out.extend(
        ReformProblem(MapId.MAP_2021, code, "unmatched", (), note)
        for code, (new_code, note) in sorted(data["gone_2021"].items())
        if new_code is None
    )
    return out
