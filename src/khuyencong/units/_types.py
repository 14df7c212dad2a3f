"""The enums of ``khuyencong.units`` and the small table of maps and their dates."""

from __future__ import annotations

import datetime as dt
import enum
import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Self, TypeVar

from khuyencong._arguments import Arguments
from khuyencong.exceptions import DataFileError, FileFormatError, Problem, ValidationError
from khuyencong.messages import Lang, get_language, text
from khuyencong.units._text import fold

__all__ = ["DATA_DIR", "MapId", "UnitLevel", "UnitType", "map_for", "read_data_file"]

#: The folder of the packaged unit data (maps, merger, NOTICE).
DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "units"


def read_data_file(name: str) -> Any:
    """Read one packaged JSON file, raising :class:`DataFileError` if it is missing or broken."""
    from khuyencong.converters import parse_json  # noqa: PLC0415  (the converter knows units)

    path = DATA_DIR / name
    try:
        raw = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise DataFileError(
            str(path), [Problem("$", text("errors.unreadable_file", reason=reason))]
        ) from None
    try:
        return parse_json(raw, source=str(path))
    except FileFormatError as exc:
        raise DataFileError(str(path), exc.problems) from None


class _Named(enum.StrEnum):
    """A string enum read from what people write: ``parse`` and the constructor accept a
    member's value, name, Vietnamese or English label, or one of its short forms."""

    @classmethod
    def parse(cls, value: object) -> Self:
        """The member ``value`` names: its value, its name, its label in either language or a
        short form, without regard to case, diacritics, ``_``, ``-`` or ``/``.

        Raises:
            khuyencong.exceptions.ValidationError: If ``value`` names no member (listing
                them).

        >>> MapId.parse("2025"), MapId.parse("post-reform"), UnitLevel.parse("cấp huyện")
        (<MapId.MAP_2025: '2025-07'>, <MapId.MAP_REFORM: '2025-reform'>, <UnitLevel.DISTRICT: 'district'>)
        """  # noqa: E501
        return _parse(cls, value)

    @classmethod
    def _missing_(cls, value: object) -> Self:
        return _parse(cls, value)


class MapId(_Named):
    """One snapshot of the administrative map of Việt Nam.

    The short forms people write name a map too, wherever a map id is accepted (``MapId(...)``,
    :func:`load_map`, :class:`UnitRef`, :meth:`parse`); case, diacritics, ``_``, ``-`` and
    ``/`` are ignored: ``2021``, ``11/2021`` and ``map_2021`` for the November 2021 map;
    ``2025``, ``7/2025``, ``pre-reform`` and ``map_2025`` for the July 2025 map (the last
    three-level one); ``reform``, ``2025-reform``, ``post-reform``, ``two-level``,
    ``sau sắp xếp`` and ``map_reform`` for the post-reform map.

    >>> MapId.MAP_2025.label_en
    'three-level map of July 2025 (last before the reform)'
    >>> MapId("2025-reform").snapshot_date
    datetime.date(2026, 7, 25)
    >>> MapId("2021"), MapId("reform")
    (<MapId.MAP_2021: '2021-11'>, <MapId.MAP_REFORM: '2025-reform'>)
    """

    MAP_2021 = "2021-11"
    MAP_2025 = "2025-07"
    MAP_REFORM = "2025-reform"

    @property
    def label_vi(self) -> str:
        """The Vietnamese label."""
        return self.label("vi")

    @property
    def label_en(self) -> str:
        """The English label."""
        return self.label("en")

    def label(self, lang: Lang | None = None) -> str:
        """The label in ``lang`` (the language in force by default), as the domain enums
        offer it."""
        return text(f"units.map.{self.value}", lang)

    @property
    def snapshot_date(self) -> dt.date:
        """The date of the snapshot the packaged map was taken from."""
        snapshot: dt.date = _map_table()[self]["snapshot_date"]
        return snapshot


_MAP_WORDS: dict[MapId, tuple[str, ...]] = {
    MapId.MAP_2021: ("2021", "11/2021", "nov 2021"),
    MapId.MAP_2025: ("2025", "7/2025", "07/2025", "jul 2025", "pre-reform", "trước sắp xếp"),
    MapId.MAP_REFORM: (
        "reform",
        "post-reform",
        "after the reform",
        "two-level",
        "2 level",
        "sau sắp xếp",
    ),
}
"""The short forms of each map id, besides its value, name and labels (see MapId.parse)."""

_SEPARATORS = str.maketrans({"_": " ", "-": " ", "/": " "})


def _key(value: str) -> str:
    return fold(value.translate(_SEPARATORS))


E = TypeVar("E", bound=enum.StrEnum)


@functools.cache
def _index(cls: type[E]) -> dict[str, E]:
    """Every word naming a member of ``cls`` (value, name, labels, short forms), as a key."""
    words: Mapping[Any, tuple[str, ...]] = _WORDS.get(cls, {})
    index: dict[str, E] = {}
    m: Any
    for m in cls:
        for word in (m.value, m.name, m.label_vi, m.label_en, *words.get(m, ())):
            index.setdefault(_key(word), m)
    return index


def _parse(cls: type[E], value: object) -> E:
    """The member of ``cls`` that ``value`` names, or a :class:`ValidationError` listing them."""
    if isinstance(value, cls):
        return value
    if isinstance(value, str):
        found = cls._value2member_map_.get(value) or _index(cls).get(_key(value))
        if found is not None:
            return found  # type: ignore[return-value]
    lang = get_language()
    labels = [getattr(m, "label_vi", m.value) for m in cls]
    accepted = "; ".join(labels) if lang == "vi" else ", ".join(cls)
    raise ValidationError.single("$", value, text("rules.enum_unknown", lang, accepted=accepted))


def _date(value: object) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(str(value))


@functools.cache
def _map_table() -> dict[MapId, dict[str, Any]]:
    """The rows of ``maps.json``, keyed by map, with their dates parsed."""
    raw = read_data_file("maps.json")
    table: dict[MapId, dict[str, Any]] = {}
    for row in raw["maps"]:
        table[MapId(row["map_id"])] = {
            "file": row["file"],
            "snapshot_date": _date(row["snapshot_date"]),
            "applies_from": _date(row["applies_from"]),
            "applies_until": _date(row["applies_until"]),
        }
    if set(table) != set(MapId):
        problem = Problem("$.maps", "must list every MapId exactly once", sorted(table))
        raise DataFileError(str(DATA_DIR / "maps.json"), [problem])
    return table


def map_for(on: dt.date) -> MapId:
    """The map that applies on a date.

    The boundaries come from ``data/units/maps.json``: the post-reform map from 1 July 2025
    (exact: the two-level government started that day), the July 2025 map from 1 January 2025
    to 30 June 2025, the November 2021 map before 2025. Apart from 1 July 2025 these are
    approximations: the maps are point-in-time snapshots, while the district and commune
    mergers they reflect took effect on many dates between 2019 and 2025. A unit that changed
    inside a period may therefore be found in the neighbouring map only.

    Args:
        on: The date of the record (e.g. the date of an application or an award).

    Returns:
        The map to read the record's unit codes against.

    >>> import datetime as dt
    >>> map_for(dt.date(2025, 6, 30)), map_for(dt.date(2025, 7, 1))
    (<MapId.MAP_2025: '2025-07'>, <MapId.MAP_REFORM: '2025-reform'>)

    Raises:
        ValidationError: If ``on`` is not a date.
    """
    args = Arguments()
    args.day(on, "on")
    args.check()
    for map_id, row in _map_table().items():
        start, end = row["applies_from"], row["applies_until"]
        if (start is None or start <= on) and (end is None or on <= end):
            return map_id
    problem = Problem("$.maps", f"no map applies on {on.isoformat()}; the periods have a gap")
    raise DataFileError(str(DATA_DIR / "maps.json"), [problem])


class UnitLevel(_Named):
    """The level of an administrative unit (read from ``"commune"``, ``"cấp xã"``, ``"xã"``…).

    >>> UnitLevel.COMMUNE.label_vi
    'cấp xã'
    """

    PROVINCE = "province"
    DISTRICT = "district"
    COMMUNE = "commune"

    @property
    def label_vi(self) -> str:
        """The Vietnamese label."""
        return self.label("vi")

    @property
    def label_en(self) -> str:
        """The English label."""
        return self.label("en")

    def label(self, lang: Lang | None = None) -> str:
        """The label in ``lang`` (the language in force by default), as the domain enums
        offer it."""
        return text(f"units.level.{self.value}", lang)


class UnitType(_Named):
    """The type of an administrative unit (its ``administrative_unit_id`` in the datasets),
    read from its value or label (``"Thị trấn"``, ``"ward"``).

    >>> UnitType.RURAL_DISTRICT.label_vi, UnitType.RURAL_DISTRICT.level
    ('huyện', <UnitLevel.DISTRICT: 'district'>)
    """

    CENTRALLY_RUN_CITY = "centrally_run_city"
    PROVINCE = "province"
    MUNICIPAL_CITY = "municipal_city"
    PROVINCIAL_CITY = "provincial_city"
    URBAN_DISTRICT = "urban_district"
    TOWN = "town"
    RURAL_DISTRICT = "rural_district"
    WARD = "ward"
    TOWNSHIP = "township"
    COMMUNE = "commune"
    SPECIAL_ZONE = "special_zone"

    @property
    def label_vi(self) -> str:
        """The Vietnamese label (lower case, as in running text)."""
        return self.label("vi")

    @property
    def label_en(self) -> str:
        """The English label."""
        return self.label("en")

    def label(self, lang: Lang | None = None) -> str:
        """The label in ``lang`` (the language in force by default), as the domain enums
        offer it."""
        return text(f"units.type.{self.value}.label", lang)

    @property
    def prefix_vi(self) -> str:
        """The prefix of a full name of this type ("Huyện" in "Huyện Lục Ngạn")."""
        return text(f"units.type.{self.value}.title", "vi")

    def name_of(self, name: str, lang: Lang | None = None) -> str:
        """A unit's name with its type, in ``lang``: ``Huyện Lục Ngạn`` / ``Lục Ngạn district``.

        The unit's own name is a proper name and keeps its diacritics in English.

        >>> UnitType.RURAL_DISTRICT.name_of("Lục Ngạn", "en")
        'Lục Ngạn district'
        """
        return text(
            "units.unit_name", lang, type=text(f"units.type.{self.value}.title", lang), name=name
        )

    @property
    def level(self) -> UnitLevel:
        """The level units of this type sit at."""
        return _TYPE_LEVELS[self]


_TYPE_LEVELS: dict[UnitType, UnitLevel] = {
    UnitType.CENTRALLY_RUN_CITY: UnitLevel.PROVINCE,
    UnitType.PROVINCE: UnitLevel.PROVINCE,
    UnitType.MUNICIPAL_CITY: UnitLevel.DISTRICT,
    UnitType.PROVINCIAL_CITY: UnitLevel.DISTRICT,
    UnitType.URBAN_DISTRICT: UnitLevel.DISTRICT,
    UnitType.TOWN: UnitLevel.DISTRICT,
    UnitType.RURAL_DISTRICT: UnitLevel.DISTRICT,
    UnitType.WARD: UnitLevel.COMMUNE,
    UnitType.TOWNSHIP: UnitLevel.COMMUNE,
    UnitType.COMMUNE: UnitLevel.COMMUNE,
    UnitType.SPECIAL_ZONE: UnitLevel.COMMUNE,
}


_WORDS: dict[type[enum.StrEnum], Mapping[Any, tuple[str, ...]]] = {
    MapId: _MAP_WORDS,
    UnitLevel: {
        UnitLevel.PROVINCE: ("tỉnh", "provincial"),
        UnitLevel.DISTRICT: ("huyện",),
        UnitLevel.COMMUNE: ("xã", "communal"),
    },
}
"""Words that name a member besides its value, name and labels (see the ``parse`` methods)."""
