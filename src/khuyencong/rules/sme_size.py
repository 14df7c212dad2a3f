"""SME size classes by Nghị định 80/2021/NĐ-CP Điều 5 (from 15 October 2021).

The class needs the headcount (insured employees, yearly average) AND (revenue OR total
capital) within the limits of the sector group; the smallest class that fits wins; none →
large. Before 15/10/2021 the thresholds of the earlier decrees are not configured, so asking
raises :class:`~khuyencong.exceptions.NotConfiguredError`.

>>> import datetime as dt
>>> from khuyencong.domain import BusinessSectorGroup as G
>>> sme_size_class(8, 2_000_000_000, None, G.AGRICULTURE_INDUSTRY_CONSTRUCTION, dt.date(2022, 1, 1))
<SizeClass.MICRO: 'micro'>
>>> sme_size_class(150, 10**12, 90_000_000_000, G.AGRICULTURE_INDUSTRY_CONSTRUCTION,
...                dt.date(2022, 1, 1))
<SizeClass.MEDIUM: 'medium'>
>>> sme_size_class(8, 1, 1, G.TRADE_SERVICES, dt.date(2021, 10, 14))
Traceback (most recent call last):
khuyencong.exceptions.NotConfiguredError: parameter 'sme.trade_services.micro.max_employees' is not configured for 2021-10-14: its value should come from 56/2009/NĐ-CP Điều 3 (until 10/3/2018) or 39/2018/NĐ-CP Điều 6 (from 11/3/2018 [U]) — thresholds not yet found; load a rule-set overlay that supplies it
"""  # noqa: E501

from __future__ import annotations

import datetime as dt

from khuyencong.domain import BusinessSectorGroup, Citation, Dong, SizeClass
from khuyencong.rules.rulesets import DatedRules, RuleSet

__all__ = ["size_class_cited", "sme_size_class"]

_CLASSES = (SizeClass.MICRO, SizeClass.SMALL, SizeClass.MEDIUM)


def size_class_cited(
    employees: int,
    revenue: Dong | None,
    total_capital: Dong | None,
    group: BusinessSectorGroup,
    rules: DatedRules,
) -> tuple[SizeClass, Citation]:
    """The size class and the citation of the threshold that decided it."""
    base = f"sme.{group.value}."
    citation: Citation | None = None
    for cls in _CLASSES:
        max_emp, citation = rules.cited(f"{base}{cls.value}.max_employees")
        max_rev = rules.value(f"{base}{cls.value}.max_revenue")
        max_cap = rules.value(f"{base}{cls.value}.max_capital")
        money_ok = (revenue is not None and revenue <= max_rev) or (
            total_capital is not None and total_capital <= max_cap
        )
        if employees <= max_emp and money_ok:
            return cls, citation
    assert citation is not None
    return SizeClass.LARGE, citation


def sme_size_class(
    employees: int,
    revenue: Dong | None,
    total_capital: Dong | None,
    group: BusinessSectorGroup,
    on: dt.date,
    *,
    rules: RuleSet | None = None,
) -> SizeClass:
    """The size class of an enterprise on ``on`` (``LARGE`` if no SME class fits).

    Args:
        employees: Insured employees, yearly average.
        revenue: Revenue of the year, in đồng (``None`` if unknown).
        total_capital: Total capital of the year, in đồng (``None`` if unknown).
        group: The sector group of the main registered line.
        on: The date.
        rules: The rule set (national baseline by default).

    Raises:
        khuyencong.exceptions.NotConfiguredError: Before 15/10/2021.
    """
    return size_class_cited(
        employees, revenue, total_capital, group, (rules or RuleSet.national()).at(on)
    )[0]
