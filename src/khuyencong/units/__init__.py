"""Việt Nam's administrative units: three maps, name search, and the 2025 reform.

Three packaged snapshots (see :class:`MapId`): the three-level map of November 2021, the last
three-level map before the reform (July 2025), and the two-level map after the reform of
1 July 2025 (34 provinces, no districts). Domain objects store a :class:`UnitRef` (map and
code); :func:`load_map` gives a map's units, :func:`to_reform` maps an old commune or province
to the post-reform map. Nothing is loaded until it is first used.

The data derives from thanglequoc/vietnamese-provinces-database (MIT licence, © 2021 Thang Le
Quoc); see ``khuyencong/data/units/NOTICE``.

>>> from khuyencong.units import MapId, load_map, to_reform
>>> unit = load_map(MapId.MAP_2021).find_one("luc ngan")
>>> unit.full_name, to_reform(load_map(MapId.MAP_2021).get("24")).new_province.name
('Huyện Lục Ngạn', 'Bắc Ninh')
"""

from khuyencong.units._map import AdminUnit, UnitMap, UnitRef, load_map
from khuyencong.units._reform import (
    ReformMapping,
    ReformMethod,
    ReformProblem,
    former_provinces,
    province_to_reform,
    reform_mapping_problems,
    to_reform,
)
from khuyencong.units._text import fold
from khuyencong.units._types import MapId, UnitLevel, UnitType, map_for

__all__ = [
    "AdminUnit",
    "MapId",
    "ReformMapping",
    "ReformMethod",
    "ReformProblem",
    "UnitLevel",
    "UnitMap",
    "UnitRef",
    "UnitType",
    "fold",
    "former_provinces",
    "load_map",
    "map_for",
    "province_to_reform",
    "reform_mapping_problems",
    "to_reform",
]
