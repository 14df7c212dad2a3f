"""Administrative units, references to them, and the loaded maps."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

import attrs

from khuyencong._arguments import Arguments, expect
from khuyencong.exceptions import DataFileError, NotFoundError, Problem, ValidationError
from khuyencong.messages import Lang, Text, resolve_language, text
from khuyencong.units._text import match_key
from khuyencong.units._types import (
    DATA_DIR,
    MapId,
    UnitLevel,
    UnitType,
    _map_table,
    read_data_file,
)

__all__ = ["AdminUnit", "UnitMap", "UnitRef", "load_map"]

_LEVEL_BY_CODE_LENGTH = {2: UnitLevel.PROVINCE, 3: UnitLevel.DISTRICT, 5: UnitLevel.COMMUNE}


@attrs.frozen
class AdminUnit:
    """One administrative unit of one map.

    Attributes:
        code: The GSO code with its leading zeros (province 2 digits, district 3, commune 5).
        name: The name without its type, NFC ("Lục Ngạn").
        full_name: The name with its type, NFC ("Huyện Lục Ngạn").
        name_en: The name in English use, usually without diacritics ("Luc Ngan").
        unit_type: The type (rural district, ward, ...).
        level: Province, district or commune.
        parent_code: The code of the unit above, ``None`` for a province.
        province_code: The code of the province the unit lies in (its own code for a province).
        map_id: The map the unit belongs to.

    >>> unit = load_map(MapId.MAP_2021).get("219")
    >>> unit.full_name, unit.unit_type.label_vi, unit.province_code
    ('Huyện Lục Ngạn', 'huyện', '24')
    """

    code: str
    name: str
    full_name: str
    name_en: str
    unit_type: UnitType
    level: UnitLevel
    parent_code: str | None
    province_code: str
    map_id: MapId

    @property
    def ref(self) -> UnitRef:
        """A reference to this unit, to store in domain objects."""
        return UnitRef(self.map_id, self.code)

    def label(self, lang: Lang | None = None) -> str:
        """The unit's name as a reader of ``lang`` writes it (the language in force by default).

        >>> load_map(MapId.MAP_2021).get("219").label("en")
        'Lục Ngạn district'
        """
        return (
            self.full_name
            if resolve_language(lang) == "vi"
            else self.unit_type.name_of(self.name, "en")
        )


def _name(unit: AdminUnit) -> Text:
    """A unit's name in both languages (``Huyện Lục Ngạn``, ``Lục Ngạn district``)."""
    return Text(unit.label("vi"), unit.label("en"))


def _map_id(value: object) -> MapId:
    """A :class:`MapId` (or its value) as the member (a member given is kept as is)."""
    return value if type(value) is MapId else MapId(value)  # type: ignore[arg-type]


def _check_code(instance: UnitRef, attribute: attrs.Attribute[str], code: str) -> None:
    if not isinstance(code, str):
        raise ValidationError.single("$.code", code, text("units.hint.code_text"))
    # The map is looked up in the cache directly (the id is a MapId already, converted just
    # before): references are made by the 100,000.
    if code not in _load(instance.map_id):
        message = text("units.hint.no_code", code=code, map=instance.map_id.value)
        raise ValidationError.single("$.code", code, message)


@attrs.frozen
class UnitRef:
    """A reference to an administrative unit: what establishments and records store.

    The code is checked against the map when the reference is made.

    Attributes:
        map_id: The map the code belongs to.
        code: The unit's GSO code.

    >>> UnitRef(MapId.MAP_2021, "219").resolve().name
    'Lục Ngạn'
    >>> UnitRef(MapId.MAP_2021, "99999")
    Traceback (most recent call last):
    ...
    khuyencong.exceptions.ValidationError: $.code: không có đơn vị hành chính nào của bản đồ 2021-11 mang mã 99999; mã giữ nguyên các số 0 ở đầu (tỉnh 2 chữ số, huyện 3, xã 5) (giá trị: '99999')
    """  # noqa: E501  (a doctest output line cannot be wrapped)

    map_id: MapId = attrs.field(converter=_map_id)
    code: str = attrs.field(validator=_check_code)

    def resolve(self) -> AdminUnit:
        """The unit this reference points to.

        Returns:
            The unit, from the cached map.

        >>> UnitRef(MapId.MAP_REFORM, "24").resolve().full_name
        'Tỉnh Bắc Ninh'
        """
        return load_map(self.map_id).get(self.code)


class UnitMap:
    """One loaded map: every unit of one snapshot, with lookups by code, tree and name.

    Get one with :func:`load_map`; it is immutable and shared.

    >>> m = load_map(MapId.MAP_2021)
    >>> len(m), len(m.provinces()), "219" in m
    (11367, 63, True)
    """

    __slots__ = ("_by_code", "_children", "_name_index", "map_id", "snapshot_date", "source")

    def __init__(self, map_id: MapId, units: list[AdminUnit], source: str) -> None:
        args = Arguments()
        args.instance(map_id, "map_id", MapId)
        args.many(units, "units")
        args.check()
        units = list(units)
        if not all(type(u) is AdminUnit for u in units):  # one pass over 10,000 units
            for i, unit in enumerate(units):
                expect(unit, f"units[{i}]", AdminUnit)
        self.map_id = map_id
        self.source = source
        self.snapshot_date = map_id.snapshot_date
        self._by_code: dict[str, AdminUnit] = {u.code: u for u in units}
        self._children: dict[str | None, list[AdminUnit]] = {}
        for u in units:
            self._children.setdefault(u.parent_code, []).append(u)
        self._name_index: dict[str, list[AdminUnit]] | None = None

    def __repr__(self) -> str:
        return f"<UnitMap {self.map_id.value}: {len(self)} units>"

    def __len__(self) -> int:
        return len(self._by_code)

    def __iter__(self) -> Iterator[AdminUnit]:
        return iter(self._by_code.values())

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def get(self, code: str) -> AdminUnit:
        """The unit with a code.

        Args:
            code: The GSO code, with its leading zeros.

        Returns:
            The unit.

        Raises:
            NotFoundError: No unit has that code in this map.

        >>> load_map(MapId.MAP_2021).get("24").name
        'Bắc Giang'
        """
        try:
            return self._by_code[code]
        except KeyError:
            shape = code.isdigit() and len(code) not in (2, 3, 5)
            key = "units.hint.not_in_map_digits" if shape else "units.hint.not_in_map"
            hint = Text.message(key, map=self.map_id.value)
            raise NotFoundError("administrative unit", code, hint) from None

    def provinces(self) -> list[AdminUnit]:
        """Every province and centrally run city, by code.

        >>> len(load_map(MapId.MAP_REFORM).provinces())
        34
        """
        return list(self._children.get(None, []))

    def children(self, code: str) -> list[AdminUnit]:
        """The units directly under a unit, by code (empty for a commune).

        Raises:
            NotFoundError: No unit has that code in this map.

        >>> [u.name for u in load_map(MapId.MAP_2021).children("219")][:2]
        ['Chũ', 'Cấm Sơn']
        """
        self.get(code)
        return list(self._children.get(code, []))

    def districts(self, province_code: str) -> list[AdminUnit]:
        """The districts of a province (empty in the post-reform map, which has none).

        Raises:
            NotFoundError: No province has that code in this map.

        >>> len(load_map(MapId.MAP_2021).districts("24"))
        10
        """
        self._get_level(province_code, UnitLevel.PROVINCE)
        return [u for u in self.children(province_code) if u.level is UnitLevel.DISTRICT]

    def communes(self, parent_code: str) -> list[AdminUnit]:
        """The communes, wards and townships under a district, or under a province.

        For a province of a three-level map, this lists the communes of all its districts.

        Raises:
            NotFoundError: No province or district has that code in this map.

        >>> len(load_map(MapId.MAP_REFORM).communes("24"))
        99
        """
        parent = self.get(parent_code)
        if parent.level is UnitLevel.COMMUNE:
            hint = Text.message("units.hint.is_a_commune", name=_name(parent))
            raise NotFoundError("province or district", parent_code, hint)
        out: list[AdminUnit] = []
        for child in self.children(parent_code):
            if child.level is UnitLevel.COMMUNE:
                out.append(child)
            else:
                out.extend(self.children(child.code))
        return out

    def ancestors(self, code: str) -> list[AdminUnit]:
        """The units above a unit, from its parent up to its province (empty for a province).

        >>> [u.name for u in load_map(MapId.MAP_2021).ancestors("07525")]
        ['Lục Ngạn', 'Bắc Giang']
        """
        out: list[AdminUnit] = []
        unit = self.get(code)
        while unit.parent_code is not None:
            unit = self._by_code[unit.parent_code]
            out.append(unit)
        return out

    def province_of(self, code: str) -> AdminUnit:
        """The province a unit lies in (the unit itself for a province).

        >>> load_map(MapId.MAP_2021).province_of("07525").name
        'Bắc Giang'
        """
        return self._by_code[self.get(code).province_code]

    def find(
        self, name: str, *, level: UnitLevel | None = None, within: str | None = None
    ) -> list[AdminUnit]:
        """Every unit whose name matches, ignoring case, diacritics and spacing.

        The name may be given with its type ("Huyện Lục Ngạn") or without ("luc ngan"), in
        NFC or NFD; numbers match without leading zeros ("Phường 3" finds "Phường 03").

        Args:
            name: The name to look for.
            level: Only units of this level.
            within: Only units under this unit (a province or district code).

        Returns:
            The matching units, by code; empty when none match.

        Raises:
            NotFoundError: ``within`` is not a code of this map.

        >>> [u.full_name for u in load_map(MapId.MAP_2021).find("luc ngan")]
        ['Huyện Lục Ngạn']
        """
        if within is not None:
            self.get(within)
        found = self._names().get(match_key(name), [])
        return [
            u
            for u in found
            if (level is None or u.level is level)
            and (within is None or u.code == within or within in self._ancestor_codes(u))
        ]

    def find_one(
        self, name: str, *, level: UnitLevel | None = None, within: str | None = None
    ) -> AdminUnit:
        """The one unit whose name matches (see :meth:`find`).

        Raises:
            NotFoundError: No unit matches.
            ValidationError: Several units match; the message lists them. Narrow the search
                with ``level`` or ``within``.

        >>> load_map(MapId.MAP_2021).find_one("Lục Ngạn", level=UnitLevel.DISTRICT).code
        '219'
        """
        found = self.find(name, level=level, within=within)
        if len(found) == 1:
            return found[0]
        scope = Text.message("units.hint.within", name=_name(self.get(within))) if within else ""
        if not found:
            hint = Text.message("units.hint.no_unit_named", scope=scope, map=self.map_id.value)
            raise NotFoundError("administrative unit named", name, hint)
        listed = "; ".join(
            f"{u.code} {u.label()} ({', '.join(a.label() for a in self.ancestors(u.code))})"
            if u.parent_code
            else f"{u.code} {u.label()}"
            for u in found
        )
        message = text(
            "units.hint.several",
            count=len(found),
            scope=scope,
            map=self.map_id.value,
            listed=listed,
        )
        raise ValidationError.single("$.name", name, message)

    def _get_level(self, code: str, level: UnitLevel) -> AdminUnit:
        unit = self.get(code)
        if unit.level is not level:
            hint = Text.message(
                "units.hint.at_level",
                name=_name(unit),
                level=Text.message(f"units.level.{unit.level.value}"),
            )
            raise NotFoundError(level.value, code, hint)
        return unit

    def _ancestor_codes(self, unit: AdminUnit) -> tuple[str | None, str]:
        return (unit.parent_code, unit.province_code)

    def _names(self) -> dict[str, list[AdminUnit]]:
        if self._name_index is None:
            index: dict[str, list[AdminUnit]] = {}
            for u in self._by_code.values():
                keys = {match_key(u.name), match_key(u.full_name)}
                for key in keys:
                    index.setdefault(key, []).append(u)
            self._name_index = index
        return self._name_index


def _read_map(map_id: MapId) -> UnitMap:
    file = _map_table()[map_id]["file"]
    raw: dict[str, Any] = read_data_file(file)
    source = str(DATA_DIR / file)
    types = [UnitType(t) for t in raw.get("types", [])]
    if raw.get("map_id") != map_id.value or len(types) != len(UnitType):
        problem = Problem("$.map_id", f"expected a {map_id.value} map file", raw.get("map_id"))
        raise DataFileError(source, [problem])
    units: list[AdminUnit] = []
    province_of: dict[str, str] = {}
    for code, type_index, parent, name, name_en, *full in raw["rows"]:
        unit_type = types[type_index]
        province = code if parent is None else province_of[parent]
        province_of[code] = province
        units.append(
            AdminUnit(
                code,
                name,
                full[0] if full else f"{unit_type.prefix_vi} {name}",
                name_en,
                unit_type,
                _LEVEL_BY_CODE_LENGTH[len(code)],
                parent,
                province,
                map_id,
            )
        )
    return UnitMap(map_id, units, source=raw["source"])


@functools.cache
def _load(map_id: MapId) -> UnitMap:
    return _read_map(map_id)


def load_map(map_id: MapId | str) -> UnitMap:
    """The map with an id, loaded on first use and cached.

    Args:
        map_id: A :class:`MapId` or its value ("2021-11", "2025-07", "2025-reform").

    Returns:
        The shared, immutable map.

    Raises:
        NotFoundError: There is no such map.
        DataFileError: The packaged map file is missing or damaged.

    >>> load_map("2025-07") is load_map(MapId.MAP_2025)
    True
    """
    try:
        key = MapId(map_id)
    except ValueError:
        known = ", ".join(m.value for m in MapId)
        raise NotFoundError("map", map_id, Text.message("errors.hint.known", items=known)) from None
    return _load(key)
