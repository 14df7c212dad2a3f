"""The harness workload: N synthetic applications as JSON lines, and the legal values once.

Every implementation reads the same file. A line holds what an application form says: the
legal form, the place of production (its unit code for the library; its *kind*, the kind of
its parent or province, the grade of its city and the years since a ward was converted, for
the implementations that have no map), the sector, the area's difficulty, a brick kiln,
members, headcount, revenue, capital, the content asked for and its eligible cost.

The library reads its unit's kind from the map and the city grades and ward conversions from
its rule set (:func:`unit_facts`, the same data the generator wrote as fields), so equal
results also check the library's location test against the written-out one.

:func:`legal_values` reads every parameter the plain loop and the OpenFisca model need from
the library's :class:`~khuyencong.rules.RuleSet`, once, at the rules date.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from decimal import Decimal
from pathlib import Path
from typing import Any

from khuyencong.domain import (
    AreaDifficulty,
    BusinessSectorGroup,
    Fund,
    LegalForm,
    Sector,
    SupportContent,
)
from khuyencong.exceptions import CoverageError, NotConfiguredError
from khuyencong.indicators import COLLECTIVE_CONTENTS
from khuyencong.rules import CityGrade, RuleSet, WardConversion, support_level
from khuyencong.units import AdminUnit, MapId, UnitLevel, UnitType, load_map

FORMS = [
    LegalForm.COOPERATIVE,
    LegalForm.SME,
    LegalForm.HOUSEHOLD_BUSINESS,
    LegalForm.COOPERATIVE_GROUP,
    LegalForm.COOPERATIVE_UNION,
    LegalForm.LARGE_ENTERPRISE,
]
CONTENTS = [
    SupportContent.MACHINERY,
    SupportContent.TECHNOLOGY_TRANSFER,
    SupportContent.TECHNOLOGY_LINE,  # its cap is 1.5 × the machinery cap (a derived cap)
    SupportContent.DEMONSTRATION_MODEL,
    SupportContent.ENTERPRISE_FOUNDING,
    SupportContent.OVERSEAS_FAIR,  # uncapped
    SupportContent.CLUSTER_INFRASTRUCTURE,  # collective: left out of establishment counts
]
SECTORS = [
    Sector.AGRO_FOOD_PROCESSING,
    Sector.HANDICRAFTS,
    Sector.CONSUMER_EXPORT_GOODS,
    Sector.MINING_MINERAL_PROCESSING,
    Sector.OTHER,  # unlisted: refused under 45/2012, not configured from 15/10/2025
]
AREAS = [AreaDifficulty.NONE, AreaDifficulty.NONE, AreaDifficulty.DIFFICULT]
GROUP = BusinessSectorGroup.AGRICULTURE_INDUSTRY_CONSTRUCTION
"""The SME sector group of every synthetic enterprise."""
CITY_TYPES = (UnitType.PROVINCIAL_CITY, UnitType.MUNICIPAL_CITY)
SEED = 2024


def map_of(on: dt.date) -> MapId:
    """The map the synthetic places are on: the 2021 map for 45/2012, the reform map after."""
    return MapId.MAP_2021 if on < dt.date(2025, 7, 1) else MapId.MAP_REFORM


def _cities(umap: Any) -> list[AdminUnit]:
    return sorted((u for u in umap if u.unit_type in CITY_TYPES), key=lambda u: u.code)


def unit_facts(on: dt.date) -> tuple[list[CityGrade], list[WardConversion]]:
    """City grades and ward conversions (dated data the unit files do not hold), synthetic
    but deterministic: cities take grades 1, 2, 3 in turn; a ward of a grade-1 city was
    converted from a commune on 31 December of a year from 2010 to 2023 (one in eight never).
    """
    umap = load_map(map_of(on))
    if map_of(on) is MapId.MAP_REFORM:
        return [], []
    grades = []
    grade_of = {}
    for i, city in enumerate(_cities(umap)):
        grade = (1, 2, 3)[i % 3]
        grade_of[city.code] = grade
        grades.append(CityGrade(city.code, umap.map_id, grade, dt.date(2000, 1, 1)))
    conversions = []
    wards = sorted(
        (u for u in umap if u.unit_type is UnitType.WARD and grade_of.get(u.parent_code) == 1),
        key=lambda u: u.code,
    )
    for k, ward in enumerate(wards):
        if k % 8 == 7:
            continue
        year = 2010 + (k * 5) % 14
        conversions.append(WardConversion(ward.code, umap.map_id, dt.date(year, 12, 31)))
    return grades, conversions


def rules_for(on: dt.date) -> RuleSet:
    """The national rule set with the workload's unit facts."""
    grades, conversions = unit_facts(on)
    rules = RuleSet.national()
    if grades or conversions:
        rules = rules.with_unit_facts(grades, conversions)
    return rules


def _places(on: dt.date) -> list[dict[str, Any]]:
    """Every place the generator draws from, with the fields that describe its kind."""
    map_id = map_of(on)
    umap = load_map(map_id)
    places = []
    if map_id is MapId.MAP_REFORM:
        for u in umap:
            if u.level is UnitLevel.COMMUNE:
                province = umap.get(u.province_code)
                places.append(
                    {
                        "unit": u.code,
                        "unit_type": u.unit_type.value,
                        "area": province.unit_type.value,
                        "city_grade": None,
                        "ward_years": None,
                    }
                )
        return places
    grades, conversions = unit_facts(on)
    grade_of = {g.code: g.grade for g in grades}
    converted = {c.code: c.converted_on.year for c in conversions}
    for u in umap:
        if u.unit_type not in (UnitType.COMMUNE, UnitType.TOWNSHIP, UnitType.WARD):
            continue
        parent = umap.get(u.parent_code) if u.parent_code else None
        is_ward = u.unit_type is UnitType.WARD
        year = converted.get(u.code)
        places.append(
            {
                "unit": u.code,
                "unit_type": u.unit_type.value,
                "area": parent.unit_type.value if parent is not None else None,
                "city_grade": grade_of.get(u.parent_code) if is_ward else None,
                # Years from the conversion to 31 December of the year before the plan year.
                "ward_years": (on.year - 1 - year) if year is not None else None,
            }
        )
    return places


def generate(path: Path, n: int, on: dt.date, seed: int = SEED) -> None:
    """Write ``n`` applications to ``path`` as JSON lines (deterministic for a seed)."""
    rng = random.Random(seed)
    places = _places(on)[::7]
    map_id = map_of(on).value
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            form = rng.choice(FORMS)
            place = rng.choice(places)
            member_kind = form in (
                LegalForm.COOPERATIVE,
                LegalForm.COOPERATIVE_UNION,
                LegalForm.COOPERATIVE_GROUP,
            )
            sme = form is LegalForm.SME
            record = {
                "id": f"A{i:07d}",
                "est": f"E{i:07d}",
                "name": f"Cơ sở sản xuất {i}",
                "form": form.value,
                "map": map_id,
                **place,
                "sector": rng.choice(SECTORS).value,
                "difficulty": rng.choice(AREAS).value,
                "kiln": rng.random() < 0.03,
                "members": rng.randint(1, 30) if member_kind else None,
                "employees": rng.randint(1, 260) if sme else None,
                "revenue": rng.randint(1, 260) * 1_000_000_000 if sme else None,
                "capital": (
                    rng.randint(1, 130) * 1_000_000_000 if sme and rng.random() < 0.5 else None
                ),
                "content": rng.choice(CONTENTS).value,
                "cost": rng.randint(1, 4_000) * 1_000_000,
            }
            f.write(json.dumps(record, ensure_ascii=False))
            f.write("\n")


def _fraction(rate: Decimal) -> tuple[int, int]:
    return rate.as_integer_ratio()


def legal_values(rules: RuleSet, on: dt.date) -> dict[str, Any]:
    """Every legal value the peers need, read once from the rule set at ``on`` (JSON-able).

    Raises:
        SystemExit: If the rules on ``on`` have a shape the peers do not model.
    """
    p = rules.at(on)

    def value(name: str) -> Any:
        return p.value(name)

    def optional(name: str) -> Any:
        try:
            return p.value(name)
        except (NotConfiguredError, CoverageError):
            return None

    forms = list(value("eligibility.beneficiary_forms"))
    if not value("eligibility.cooperative_group_eligible") and "cooperative_group" in forms:
        forms.remove("cooperative_group")
    shape = value("sme.size_rule")
    if shape != "employees_and_revenue_or_capital":
        msg = f"the peers model the 39/2018 and 80/2021 SME size rule, not {shape!r} on {on}"
        raise SystemExit(msg)
    sme_rows = [
        [
            value(f"sme.{GROUP.value}.{cls}.max_employees"),
            value(f"sme.{GROUP.value}.{cls}.max_revenue"),
            value(f"sme.{GROUP.value}.{cls}.max_capital"),
        ]
        for cls in ("micro", "small", "medium")
    ]
    test = value("eligibility.location_test")
    location: dict[str, Any] = {"test": test}
    if test == "45/2012":
        location |= {
            "unit_types": list(value("eligibility.eligible_unit_types")),
            "ward_city_grades": list(value("eligibility.ward_city_grades")),
            "converted_ward_city_grade": value("eligibility.converted_ward_city_grade"),
            "ward_conversion_years": value("eligibility.ward_conversion_years"),
        }
    elif test == "235/2025":
        location |= {
            "province_unit_types": list(value("eligibility.province_unit_types")),
            "city_unit_types": list(value("eligibility.city_unit_types")),
        }
    else:
        msg = f"the peers do not model the location test {test!r}"
        raise SystemExit(msg)
    levels = {}
    for content in CONTENTS:
        level = support_level(content, on, fund=Fund.NATIONAL, rules=p)
        num, den = _fraction(level.rate)
        levels[content.value] = [num, den, level.cap]
    return {
        "on": on.isoformat(),
        "forms": forms,
        "min_members": {
            "cooperative": value("cooperative.min_members"),
            "cooperative_union": value("cooperative_union.min_members"),
            "cooperative_group": value("cooperative_group.min_members"),
        },
        "sme_rows": sme_rows,
        "location": location,
        "sectors": list(value("eligibility.eligible_sectors")),
        "mining_difficult_only": bool(value("eligibility.mining_difficult_areas_only")),
        # None: not configured on this date (an unlisted sector is then an error, not a no).
        "unlisted_excluded": optional("eligibility.unlisted_sectors_excluded"),
        "kiln_excluded": bool(value("eligibility.brick_kiln_excluded")),
        "levels": levels,
        "groups": {c.value: c.group.value for c in CONTENTS},
        "direct": [c.value for c in CONTENTS if c not in COLLECTIVE_CONTENTS],
        "year": str(on.year),
    }


def record_line(rid: str, status: str, amount: int | None) -> str:
    """One result as hashed: ``id:Y|N|E:amount`` (``E``, an error, has no amount)."""
    return f"{rid}:{status}:{'-' if status == 'E' else amount}"
