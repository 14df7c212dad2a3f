"""Project rules of the national fund (36/2013/TT-BCT; 20/2017/TT-BCT).

Requested amounts against computed maxima; the first advance by content kind (30% / 70% /
100%, each with its condition, Điều 13), the rest only after acceptance (Điều 14), refunds of
unused advances (Điều 12.6), totals ≤ approved; deadlines (Điều 10, 18, 22); who approves an
adjustment or a stop (Điều 11); one national-fund demonstration model of each kind per district
(20/2017/TT-BCT: one new-technology and one new-product model), not configured from 1/7/2025
when districts ended.

>>> import datetime as dt
>>> from decimal import Decimal
>>> from khuyencong.domain import SupportContent as C
>>> first_advance(C.MACHINERY, 200_000_000, dt.date(2016, 5, 1), progress=Decimal("0.71")).amount
140000000
>>> settlement_deadline(dt.date(2016, 12, 20))
datetime.date(2017, 1, 4)
>>> settlement_deadline(dt.date(2016, 5, 2))
datetime.date(2016, 5, 17)
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs

from khuyencong.domain import Citation, Dong, Project, SupportContent, round_down
from khuyencong.exceptions import NotConfiguredError
from khuyencong.rules._explain import Decision, Fact, Money, register_messages
from khuyencong.rules._regimes import rules_date
from khuyencong.rules._rulesets import RuleSet
from khuyencong.rules._support import support_amount

__all__ = [
    "Advance",
    "adjustment_approver",
    "check_models_per_district",
    "check_project_amounts",
    "dossier_deadlines",
    "first_advance",
    "monthly_report_deadline",
    "refund_due",
    "remaining_advance",
    "settlement_deadline",
]

_KINDS = ("infrastructure", "contract", "investment", "after_acceptance")

register_messages(
    {
        "project.requested": (
            "số đề nghị {found} không vượt mức tối đa {required}",
            "số đề nghị {found} vượt mức tối đa {required}",
            "requested {found} is within the maximum {required}",
            "requested {found} exceeds the maximum {required}",
        ),
        "project.models_per_district": (
            "số mô hình cùng loại trong huyện ({found}) không vượt {required}",
            "số mô hình cùng loại trong huyện ({found}) vượt {required}",
            "models of this kind in the district ({found}) within {required}",
            "models of this kind in the district ({found}) exceed {required}",
        ),
    }
)


def _rules(rules: RuleSet | None) -> RuleSet:
    return rules or RuleSet.national()


def check_project_amounts(project: Project, on: dt.date, rules: RuleSet | None = None) -> Decision:
    """Each content's requested support against its computed maximum, decided on ``on``.

    A project approved before a new regime took effect (before 15/10/2025, Nghị định
    235/2025/NĐ-CP) keeps the rules of its approval date (``project.approved_on``); the decision
    names the regime and the date whose rules it applied (see
    :func:`khuyencong.rules.rules_date`).

    Raises:
        khuyencong.exceptions.NotConfiguredError: If a content's level is unknown on that date.
    """
    applied, regime = rules_date(on, approved_on=project.approved_on, rules=rules)
    facts: list[Fact] = []
    for pc in project.contents:
        amount = support_amount(
            pc.content, pc.eligible_cost, applied, rules, fund=project.fund, quantity=pc.quantity
        )
        facts.append(
            (
                "project.requested",
                pc.requested <= amount.amount,
                Money(amount.amount),
                Money(pc.requested),
                amount.citation,
                None,
            )
        )
    return Decision("project_amounts", on, project.id, facts, regime=regime, rules_on=applied)


@attrs.frozen
class Advance:
    """A first advance: the amount, the rate, and the condition it needs.

    Attributes:
        kind: ``infrastructure``, ``contract``, ``investment`` or ``after_acceptance``.
        rate: The share of the support.
        amount: The advance, in đồng (0 while the condition is not met).
        condition_met: Whether the condition (progress, acceptance) is met.
        citation: 36/2013/TT-BCT Điều 13.
    """

    kind: str
    rate: Decimal
    amount: Dong
    condition_met: bool
    citation: Citation


def first_advance(
    content: SupportContent,
    support: Dong,
    on: dt.date,
    *,
    progress: Decimal = Decimal(0),
    accepted: bool = False,
    rules: RuleSet | None = None,
) -> Advance:
    """The first advance for a content (36/2013 Điều 13).

    Args:
        content: The content.
        support: The approved support, in đồng.
        on: The date.
        progress: The share of the work (infrastructure) or investment (models, machinery) done.
        accepted: Whether the project was accepted (founding an enterprise).
        rules: The rule set.

    Raises:
        NotConfiguredError: For contents Điều 13 does not list (the ministry's department decides
            under Điều 16.2).
    """
    dated = _rules(rules).at(on)
    for kind in _KINDS:
        if content.value in dated.value(f"project.advance.{kind}.contents"):
            rate, cite = dated.cited(f"project.advance.{kind}.rate")
            if kind in ("infrastructure", "investment"):
                met = progress > dated.value(f"project.advance.{kind}.progress_above")
            elif kind == "after_acceptance":
                met = accepted
            else:
                met = True
            return Advance(kind, rate, round_down(rate * support) if met else 0, met, cite)
    raise NotConfiguredError(
        f"project.advance.{content.value}",
        on,
        "the decision of the ministry's department (36/2013/TT-BCT Điều 16.2)",
    )


def remaining_advance(approved: Dong, advanced: Dong, *, accepted: bool) -> Dong:
    """The rest of the support: paid only after acceptance (36/2013 Điều 14), never above the
    approved total.

    >>> remaining_advance(100, 70, accepted=False), remaining_advance(100, 70, accepted=True)
    (0, 30)
    """
    if not accepted:
        return 0
    return max(approved - advanced, 0)


def refund_due(advanced: Dong, settled: Dong) -> Dong:
    """The part of the advances not covered by settled work, to be refunded (Điều 12.6).

    >>> refund_due(140, 120)
    20
    """
    return max(advanced - settled, 0)


def settlement_deadline(last_acceptance: dt.date, rules: RuleSet | None = None) -> dt.date:
    """The settlement dossier deadline: 15 days after the last acceptance, and no later than
    22 January of the next year (36/2013 Điều 18)."""
    dated = _rules(rules).at(last_acceptance)
    days = dated.value("project.settlement_dossier_days")
    month, day = dated.value("project.settlement_final_deadline")
    final = dt.date(last_acceptance.year + 1, month, day)
    return min(last_acceptance + dt.timedelta(days=days), final)


def dossier_deadlines(plan_year: int, rules: RuleSet | None = None) -> tuple[dt.date, dt.date]:
    """The dossier deadlines for a plan year: to the provincial department, then to the
    ministry (36/2013 Điều 10; in the year before the plan year).

    >>> dossier_deadlines(2017)
    (datetime.date(2016, 5, 20), datetime.date(2016, 6, 15))
    """
    year = plan_year - 1
    dated = _rules(rules).at(dt.date(year, 1, 1))
    m1, d1 = dated.value("project.dossier_deadline")
    m2, d2 = dated.value("project.ministry_deadline")
    return dt.date(year, m1, d1), dt.date(year, m2, d2)


def monthly_report_deadline(year: int, month: int, rules: RuleSet | None = None) -> dt.date:
    """The monthly progress report is due before this day (36/2013 Điều 22).

    >>> monthly_report_deadline(2016, 2)
    datetime.date(2016, 2, 25)
    """
    day = _rules(rules).value("project.monthly_report_day", dt.date(year, month, 1))
    return dt.date(year, month, day)


def adjustment_approver(
    change: str, on: dt.date, *, group_project: bool = False, rules: RuleSet | None = None
) -> str:
    """Who approves an adjustment or a stop (36/2013 Điều 11): ``ministry``, ``department``
    (the ministry's department) or ``province`` (the provincial department, group projects).

    Raises:
        ValueError: For a change the article does not name.

    >>> adjustment_approver("increase_total_support", dt.date(2016, 1, 1))
    'ministry'
    >>> adjustment_approver("change_site", dt.date(2016, 1, 1), group_project=True)
    'province'
    """
    dated = _rules(rules).at(on)
    if group_project and change in dated.value("project.adjustment.province_group"):
        return "province"
    if change in dated.value("project.adjustment.ministry"):
        return "ministry"
    if change in dated.value("project.adjustment.department"):
        return "department"
    msg = f"unknown change {change!r}"
    raise ValueError(msg)


def check_models_per_district(
    district_code: str, models_in_district: int, on: dt.date, rules: RuleSet | None = None
) -> Decision:
    """At most the configured number of national-fund demonstration models of one kind per
    district (20/2017/TT-BCT [V2]: one new-technology model and one new-product model).

    Count the models of one kind (call once per kind). Not configured before 20/2017, nor from
    1/7/2025: districts ended that day and the unit that replaces them is not known.

    Args:
        district_code: The district (for the decision's subject).
        models_in_district: Models of one kind in the district, this one included.
        on: The date.
        rules: The rule set (national baseline by default).

    Raises:
        khuyencong.exceptions.NotConfiguredError: Before 13/11/2017 or from 1/7/2025,
            naming 20/2017/TT-BCT.

    >>> check_models_per_district("219", 2, dt.date(2018, 1, 1)).outcome
    False
    >>> check_models_per_district("219", 1, dt.date(2025, 7, 1))
    Traceback (most recent call last):
    khuyencong.exceptions.NotConfiguredError: parameter 'project.models_per_district_max' is not configured for 2025-07-01: its value should come from 20/2017/TT-BCT (amending 46/2012/TT-BCT) names the district; the unit that replaces it after districts ended on 1/7/2025 is not known; load a rule-set overlay that supplies it
    """  # noqa: E501
    maximum, cite = _rules(rules).at(on).cited("project.models_per_district_max")
    return Decision(
        "models_per_district",
        on,
        district_code,
        [
            (
                "project.models_per_district",
                models_in_district <= maximum,
                maximum,
                models_in_district,
                cite,
                None,
            )
        ],
    )
