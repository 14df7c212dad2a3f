"""The OpenFisca peer: a tax-benefit system with the same eligibility and capped amount.

One person entity, ``application``. Inputs are integer codes (the categories' positions in
the library's enums; ``-1`` for a missing number) set as numpy columns; the legal values are an
OpenFisca parameter tree built from the library's rule set at the rules date (see
:func:`khuyencong_parameters`), so both sides apply the same law.

Money is int64 throughout: OpenFisca's ``int`` variables default to int32 and its floats to
float32, which overflow or round amounts in đồng (a 4-billion cost does not fit in int32), so
every ``int`` variable's dtype is forced to int64 after the system is built, and the rate is
applied as an exact fraction (``cost × numerator // denominator``) rather than as a float.

Needs ``openfisca-core`` (the benchmark environment only: ``benchmarks/peers/requirements.txt``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from openfisca_core.entities import build_entity
from openfisca_core.parameters import ParameterNode
from openfisca_core.periods import DateUnit
from openfisca_core.simulations import SimulationBuilder
from openfisca_core.taxbenefitsystems import TaxBenefitSystem
from openfisca_core.variables import Variable
from workload import CONTENTS

from khuyencong.domain import AreaDifficulty, LegalForm, Sector
from khuyencong.units import UnitType

FORMS = [f.value for f in LegalForm]
SECTORS = [s.value for s in Sector]
UNIT_TYPES = [t.value for t in UnitType]
DIFFICULTIES = [a.value for a in AreaDifficulty]
CONTENT_CODES = [c.value for c in CONTENTS]
NONE = -1

Application = build_entity(
    key="application",
    plural="applications",
    label="An application for khuyến công support",
    is_person=True,
)


def _input(name: str, value_type: type) -> type[Variable]:
    return type(
        name,
        (Variable,),
        {
            "value_type": value_type,
            "entity": Application,
            "definition_period": DateUnit.DAY,
            "label": name,
        },
    )


INPUTS: dict[str, type] = {
    "form": int,
    "members": int,
    "employees": int,
    "revenue": int,
    "capital": int,
    "unit_type": int,
    "area": int,
    "city_grade": int,
    "ward_years": int,
    "sector": int,
    "difficulty": int,
    "kiln": bool,
    "content": int,
    "cost": int,
}


def _flags(node: Any, names: list[str]) -> np.ndarray:
    """A boolean lookup table by code from a parameter node of one flag per name."""
    return np.array([bool(getattr(node, name)) for name in names], dtype=bool)


def _ints(node: Any, names: list[str]) -> np.ndarray:
    return np.array([int(getattr(node, name)) for name in names], dtype=np.int64)


class who_ok(Variable):  # noqa: N801  (OpenFisca names a variable by its class)
    value_type = bool
    entity = Application
    definition_period = DateUnit.DAY
    label = "Beneficiary form, with its member minimum or SME size"

    def formula(application: Any, period: Any, parameters: Any) -> Any:  # noqa: N805
        p = parameters(period).khuyencong
        form = application("form", period)
        ok = _flags(p.forms, FORMS)[form]
        minimum = _ints(p.min_members, FORMS)
        members = application("members", period)
        needs = minimum[form] > 0
        ok &= ~needs | ((members != NONE) & (members >= minimum[form]))
        employees = application("employees", period)
        revenue = application("revenue", period)
        capital = application("capital", period)
        size_known = (employees != NONE) & ((revenue != NONE) | (capital != NONE))
        fits = np.zeros(form.shape, dtype=bool)
        for cls in ("micro", "small", "medium"):
            row = getattr(p.sme, cls)
            fits |= (employees <= int(row.max_employees)) & (
                ((revenue != NONE) & (revenue <= int(row.max_revenue)))
                | ((capital != NONE) & (capital <= int(row.max_capital)))
            )
        is_sme = form == FORMS.index("sme")
        return ok & (~is_sme | (size_known & fits))


class where_ok(Variable):  # noqa: N801
    value_type = bool
    entity = Application
    definition_period = DateUnit.DAY
    label = "The place of production is an eligible place"

    def formula(application: Any, period: Any, parameters: Any) -> Any:  # noqa: N805
        p = parameters(period).khuyencong.location
        unit_type = application("unit_type", period)
        area = application("area", period)
        if int(p.test_235) == 1:
            in_city = area == UNIT_TYPES.index("centrally_run_city")
            return np.where(
                in_city,
                _flags(p.city_unit_types, UNIT_TYPES)[unit_type],
                _flags(p.province_unit_types, UNIT_TYPES)[unit_type],
            )
        types = _flags(p.unit_types, UNIT_TYPES)
        grade = application("city_grade", period)
        years = application("ward_years", period)
        ward = unit_type == UNIT_TYPES.index("ward")
        area_ok = (area != NONE) & types[np.maximum(area, 0)]
        grades = _flags(p.ward_city_grades, ["g0", "g1", "g2", "g3"])
        grade_ok = (grade != NONE) & grades[np.maximum(grade, 0)]
        converted = (
            (grade == int(p.converted_ward_city_grade))
            & (years != NONE)
            & (years <= int(p.ward_conversion_years))
        )
        return types[unit_type] | (ward & (area_ok | grade_ok | converted))


class sector_error(Variable):  # noqa: N801
    value_type = bool
    entity = Application
    definition_period = DateUnit.DAY
    label = "An unlisted sector where the full sector list is not configured"

    def formula(application: Any, period: Any, parameters: Any) -> Any:  # noqa: N805
        p = parameters(period).khuyencong
        listed = _flags(p.sectors, SECTORS)[application("sector", period)]
        return ~listed & (int(p.unlisted_excluded) == NONE)


class what_ok(Variable):  # noqa: N801
    value_type = bool
    entity = Application
    definition_period = DateUnit.DAY
    label = "An eligible sector (mining only in difficult areas), no polluting brick kiln"

    def formula(application: Any, period: Any, parameters: Any) -> Any:  # noqa: N805
        p = parameters(period).khuyencong
        sector = application("sector", period)
        ok = _flags(p.sectors, SECTORS)[sector]
        if bool(p.mining_difficult_only):
            mining = sector == SECTORS.index("mining_mineral_processing")
            easy = application("difficulty", period) == DIFFICULTIES.index("none")
            ok &= ~(mining & easy)
        if bool(p.kiln_excluded):
            ok &= ~application("kiln", period)
        return ok


class eligible(Variable):  # noqa: N801
    value_type = bool
    entity = Application
    definition_period = DateUnit.DAY
    label = "Eligible for khuyến công"

    def formula(application: Any, period: Any, _parameters: Any) -> Any:  # noqa: N805
        return (
            application("who_ok", period)
            & application("where_ok", period)
            & application("what_ok", period)
            & ~application("sector_error", period)
        )


class support_amount(Variable):  # noqa: N801
    value_type = int
    entity = Application
    definition_period = DateUnit.DAY
    label = "Support from the national fund: min(rate × eligible cost, cap), in đồng"

    def formula(application: Any, period: Any, parameters: Any) -> Any:  # noqa: N805
        p = parameters(period).khuyencong.support
        content = application("content", period)
        cost = application("cost", period).astype(np.int64)
        num = np.array([int(getattr(p, c).numerator) for c in CONTENT_CODES], dtype=np.int64)
        den = np.array([int(getattr(p, c).denominator) for c in CONTENT_CODES], dtype=np.int64)
        cap = np.array([int(getattr(p, c).cap) for c in CONTENT_CODES], dtype=np.int64)
        raw = cost * num[content] // den[content]
        capped = np.where(cap[content] == NONE, raw, np.minimum(raw, cap[content]))
        return np.where(application("eligible", period), capped, 0)


def _value(on: str, value: object) -> dict[str, Any]:
    return {"values": {on: {"value": value}}}


def _flag_node(on: str, names: list[str], allowed: list[Any]) -> dict[str, Any]:
    return {name: _value(on, name in allowed) for name in names}


def khuyencong_parameters(v: dict[str, Any]) -> ParameterNode:
    """The OpenFisca parameter tree of the legal values the library's rule set gives on one
    date (``workload.legal_values``), dated that day."""
    on = v["on"]
    loc = v["location"]
    location: dict[str, Any] = {"test_235": _value(on, int(loc["test"] == "235/2025"))}
    if loc["test"] == "45/2012":
        location |= {
            "unit_types": _flag_node(on, UNIT_TYPES, loc["unit_types"]),
            "ward_city_grades": _flag_node(
                on, ["g0", "g1", "g2", "g3"], [f"g{g}" for g in loc["ward_city_grades"]]
            ),
            "converted_ward_city_grade": _value(on, loc["converted_ward_city_grade"]),
            "ward_conversion_years": _value(on, loc["ward_conversion_years"]),
        }
    else:
        location |= {
            "province_unit_types": _flag_node(on, UNIT_TYPES, loc["province_unit_types"]),
            "city_unit_types": _flag_node(on, UNIT_TYPES, loc["city_unit_types"]),
        }
    unlisted = v["unlisted_excluded"]
    data = {
        "forms": _flag_node(on, FORMS, v["forms"]),
        "min_members": {f: _value(on, v["min_members"].get(f, 0)) for f in FORMS},
        "sme": {
            cls: {
                "max_employees": _value(on, row[0]),
                "max_revenue": _value(on, row[1]),
                "max_capital": _value(on, row[2]),
            }
            for cls, row in zip(("micro", "small", "medium"), v["sme_rows"], strict=True)
        },
        "location": location,
        "sectors": _flag_node(on, SECTORS, v["sectors"]),
        "mining_difficult_only": _value(on, v["mining_difficult_only"]),
        "unlisted_excluded": _value(on, NONE if unlisted is None else int(unlisted)),
        "kiln_excluded": _value(on, v["kiln_excluded"]),
        "support": {
            c: {
                "numerator": _value(on, num),
                "denominator": _value(on, den),
                "cap": _value(on, NONE if cap is None else cap),
            }
            for c, (num, den, cap) in v["levels"].items()
        },
    }
    return ParameterNode("", data={"khuyencong": data})


class KhuyenCongSystem(TaxBenefitSystem):
    """The tax-benefit system: the entity, the variables and the parameters of one date."""

    def __init__(self, legal: dict[str, Any]) -> None:
        super().__init__([Application])
        self.add_variables(
            *(_input(name, t) for name, t in INPUTS.items()),
            who_ok,
            where_ok,
            sector_error,
            what_ok,
            eligible,
            support_amount,
        )
        for variable in self.variables.values():
            if variable.value_type is int:
                variable.dtype = np.int64  # int32 by default: amounts in đồng overflow
        self.parameters = khuyencong_parameters(legal)


def _code(table: list[str]) -> dict[str | None, int]:
    out: dict[str | None, int] = {name: i for i, name in enumerate(table)}
    out[None] = NONE
    return out


def columns(dicts: list[dict[str, Any]]) -> dict[str, np.ndarray]:
    """The input columns of the applications (categories as codes, missing numbers ``-1``)."""
    form, types, sector = _code(FORMS), _code(UNIT_TYPES), _code(SECTORS)
    difficulty, content = _code(DIFFICULTIES), _code(CONTENT_CODES)

    def num(key: str) -> np.ndarray:
        return np.array([NONE if d[key] is None else d[key] for d in dicts], dtype=np.int64)

    def coded(key: str, codes: dict[str | None, int]) -> np.ndarray:
        return np.array([codes[d[key]] for d in dicts], dtype=np.int64)

    return {
        "form": coded("form", form),
        "members": num("members"),
        "employees": num("employees"),
        "revenue": num("revenue"),
        "capital": num("capital"),
        "unit_type": coded("unit_type", types),
        "area": coded("area", types),
        "city_grade": num("city_grade"),
        "ward_years": num("ward_years"),
        "sector": coded("sector", sector),
        "difficulty": coded("difficulty", difficulty),
        "kiln": np.array([d["kiln"] for d in dicts], dtype=bool),
        "content": coded("content", content),
        "cost": num("cost"),
    }


def simulation(system: KhuyenCongSystem, cols: dict[str, np.ndarray], on: str) -> Any:
    """A simulation of ``len(cols['cost'])`` applications with their inputs set."""
    sim = SimulationBuilder().build_default_simulation(system, count=len(cols["cost"]))
    for name, array in cols.items():
        sim.set_input(name, on, array)
    return sim


def indicators(
    eligible_: np.ndarray, amount: np.ndarray, content: np.ndarray, est: np.ndarray, v: dict
) -> dict[str, Any]:
    """The indicator totals with numpy over the simulation's results."""
    direct = np.array([c in v["direct"] for c in CONTENT_CODES], dtype=bool)
    group_names = sorted({v["groups"][c] for c in CONTENT_CODES})
    group_of = np.array([group_names.index(v["groups"][c]) for c in CONTENT_CODES])
    chosen = eligible_ & direct[content]
    by_group = {}
    groups = group_of[content]
    for g, name in enumerate(group_names):
        n = int(np.unique(est[chosen & (groups == g)]).size)
        if n:
            by_group[name] = n
    national = int(amount[eligible_].sum(dtype=np.int64))
    funds = {}
    if bool((eligible_ & (amount > 0)).any()):
        funds[f"national|{v['year']}"] = national
    if bool((eligible_ & (amount == 0)).any()):
        funds[f"none|{v['year']}"] = 0
    return {
        "supported_by_content": [int(np.unique(est[chosen]).size), by_group],
        "funds_disbursed": [national, funds],
    }
