"""The plain-Python peer: a loop over dicts with the legal values read once, no explanations.

The same rules as the library (see ``benchmarks/bench_rules.py``, whose loop this one
widens to the harness workload: the kind of place with city grades and ward conversions,
or the 235/2025 test; capital in the SME size; the difficult-area rule for mining; an
unlisted sector that is an error where the sector list is not configured), and the same
indicator totals with dicts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

Decide = Callable[[dict[str, Any]], tuple[str, int | None]]


def decider(v: dict[str, Any]) -> Decide:
    """A function deciding one application dict: ``(Y|N|E, amount)``."""
    forms = frozenset(v["forms"])
    minimum = v["min_members"]
    rows = [tuple(r) for r in v["sme_rows"]]
    loc = v["location"]
    sectors = frozenset(v["sectors"])
    mining_rule = v["mining_difficult_only"]
    unlisted_error = v["unlisted_excluded"] is None
    kiln_rule = v["kiln_excluded"]
    levels = {c: tuple(level) for c, level in v["levels"].items()}
    if loc["test"] == "45/2012":
        types = frozenset(loc["unit_types"])
        grades = frozenset(loc["ward_city_grades"])
        converted = loc["converted_ward_city_grade"]
        years = loc["ward_conversion_years"]

        def where(d: dict[str, Any]) -> bool:
            if d["unit_type"] in types:
                return True
            if d["unit_type"] != "ward":
                return False
            if d["area"] in types:
                return True
            grade = d["city_grade"]
            if grade is None:  # a ward of an urban district
                return False
            if grade in grades:
                return True
            return grade == converted and d["ward_years"] is not None and d["ward_years"] <= years

    else:
        in_province = frozenset(loc["province_unit_types"])
        in_city = frozenset(loc["city_unit_types"])

        def where(d: dict[str, Any]) -> bool:
            allowed = in_city if d["area"] == "centrally_run_city" else in_province
            return d["unit_type"] in allowed

    def sme(d: dict[str, Any]) -> bool:
        employees, revenue, capital = d["employees"], d["revenue"], d["capital"]
        if employees is None or (revenue is None and capital is None):
            return False  # no figures and no declared class: not shown to be an SME
        for max_emp, max_rev, max_cap in rows:
            if employees <= max_emp and (
                (revenue is not None and revenue <= max_rev)
                or (capital is not None and capital <= max_cap)
            ):
                return True
        return False

    def decide(d: dict[str, Any]) -> tuple[str, int | None]:
        sector = d["sector"]
        if sector not in sectors and unlisted_error:
            return "E", None
        form = d["form"]
        ok = form in forms
        if ok and form in minimum:
            ok = d["members"] is not None and d["members"] >= minimum[form]
        if ok and form == "sme":
            ok = sme(d)
        ok = ok and where(d)
        ok = ok and sector in sectors
        ok = ok and not (
            mining_rule and sector == "mining_mineral_processing" and d["difficulty"] == "none"
        )
        ok = ok and not (kiln_rule and d["kiln"])
        if not ok:
            return "N", 0
        num, den, cap = levels[d["content"]]
        amount = d["cost"] * num // den
        if cap is not None and amount > cap:
            amount = cap
        return "Y", amount

    return decide


def indicators(
    results: Iterator[tuple[dict[str, Any], str, int | None]], v: dict[str, Any]
) -> dict[str, Any]:
    """Establishments supported by content group (direct contents) and public money by fund
    and year, over the eligible applications."""
    groups = v["groups"]
    direct = frozenset(v["direct"])
    year = v["year"]
    by_group: dict[str, set[str]] = {}
    everyone: set[str] = set()
    national = 0
    has_national = has_none = False
    for d, status, amount in results:
        if status != "Y":
            continue
        content = d["content"]
        if content in direct:
            everyone.add(d["est"])
            by_group.setdefault(groups[content], set()).add(d["est"])
        if amount:
            national += amount
            has_national = True
        else:
            has_none = True
    funds = {}
    if has_national:
        funds[f"national|{year}"] = national
    if has_none:
        funds[f"none|{year}"] = 0
    return {
        "supported_by_content": [len(everyone), {g: len(e) for g, e in by_group.items()}],
        "funds_disbursed": [national, funds],
    }
