"""Project rules of the national fund (36/2013/TT-BCT; 20/2017/TT-BCT).

Requested amounts against computed maxima; the first advance by content kind (30% / 70% /
100%, each with its condition, Điều 13), the rest only after acceptance (Điều 14), refunds of
unused advances (Điều 12.6), totals ≤ approved; a function for each deadline: dossiers
(Điều 10, :func:`dossier_deadlines`), monthly progress reports (Điều 22,
:func:`monthly_report_deadline`), the settlement dossier (Điều 18.1,
:func:`settlement_deadline`) and the final liquidation and settlement (Điều 18.2,
:func:`final_settlement_deadline`); who approves an adjustment or a stop (Điều 11); one
national-fund demonstration model of each kind per district (20/2017/TT-BCT: one
new-technology and one new-product model), not configured from 1/7/2025 when districts ended.

Progress (the condition of a first advance) is a share from 0 to 1, as a ``Decimal`` or a
``Fraction``: ``Decimal("0.71")`` is 71%. A percentage given by mistake (``40``) is refused, not
read as 4,000%.

>>> import datetime as dt
>>> from decimal import Decimal
>>> from khuyencong.domain import SupportContent as C
>>> first_advance(C.MACHINERY, 200_000_000, dt.date(2016, 5, 1), progress=Decimal("0.71")).amount
140000000
>>> settlement_deadline(dt.date(2016, 12, 20))
datetime.date(2017, 1, 4)
>>> settlement_deadline(dt.date(2016, 5, 2))
datetime.date(2016, 5, 17)
>>> final_settlement_deadline(dt.date(2016, 5, 2))
datetime.date(2017, 1, 22)
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

import attrs

from khuyencong._data import AsData
from khuyencong.domain import Citation, Dong, Project, SupportContent, round_down
from khuyencong.exceptions import NotConfiguredError, ValidationError
from khuyencong.messages import Text, text
from khuyencong.rules._arguments import Arguments, dated, dated_on, ruleset
from khuyencong.rules._explain import Decision, Fact, Money
from khuyencong.rules._regimes import rules_date
from khuyencong.rules._rulesets import DatedRules, RuleSet
from khuyencong.rules._support import support_amount

__all__ = [
    "Advance",
    "DossierDeadlines",
    "adjustment_approver",
    "check_models_per_district",
    "check_project_amounts",
    "dossier_deadlines",
    "final_settlement_deadline",
    "first_advance",
    "monthly_report_deadline",
    "refund_due",
    "remaining_advance",
    "settlement_deadline",
]

_KINDS = ("infrastructure", "contract", "investment", "after_acceptance")
_ADJUSTERS = ("ministry", "department", "province_group")


def check_project_amounts(
    project: Project, on: dt.date, *, rules: RuleSet | DatedRules | None = None
) -> Decision:
    """Each content's requested support against its computed maximum, decided on ``on``.

    A project approved before a new regime took effect (before 15/10/2025, Nghị định
    235/2025/NĐ-CP) keeps the rules of its approval date (``project.approved_on``); the decision
    names the regime and the date whose rules it applied (see
    :func:`khuyencong.rules.rules_date`).

    Args:
        project: The project.
        on: The date of the decision.
        rules: A rule set or its view dated ``on`` (national baseline by default).

    Raises:
        ValidationError: For an argument of the wrong kind, naming it.
        khuyencong.exceptions.NotConfiguredError: If a content's level is unknown on that date.
    """
    args = Arguments()
    args.instance(project, "project", Project)
    args.day(on)
    args.rules(rules)
    args.check()
    dated(rules, on)  # a view dated another day is refused
    base = ruleset(rules)
    applied, regime = rules_date(on, approved_on=project.approved_on, rules=base)
    facts: list[Fact] = []
    for pc in project.contents:
        amount = support_amount(
            pc.content,
            pc.eligible_cost,
            applied,
            rules=base,
            fund=project.fund,
            quantity=pc.quantity,
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
class Advance(AsData):
    """A first advance: the amount, the rate, and the condition it needs.

    ``to_data()`` writes it as JSON-ready data, ``from_data()`` reads it back.

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
    content: SupportContent | str,
    support: Dong,
    on: dt.date,
    *,
    progress: Decimal | Fraction = Decimal(0),
    accepted: bool = False,
    rules: RuleSet | DatedRules | None = None,
) -> Advance:
    """The first advance for a content (36/2013 Điều 13).

    Args:
        content: The content (a member, or text such as ``"máy móc"``).
        support: The approved support, in whole đồng.
        on: The date.
        progress: The share of the work (infrastructure) or investment (models, machinery)
            done, from 0 to 1 as a ``Decimal`` or ``Fraction`` (``Decimal("0.4")`` is 40%);
            a percentage such as ``40`` is refused.
        accepted: Whether the project was accepted (founding an enterprise).
        rules: A rule set or its view dated ``on`` (national baseline by default).

    Raises:
        ValidationError: For an argument of the wrong kind (a progress outside 0–1 or given as
            a percentage, a float or a negative amount), naming it.
        NotConfiguredError: For contents Điều 13 does not list (the ministry's department decides
            under Điều 16.2).

    >>> first_advance("cluster infrastructure", 1_000_000_000, dt.date(2016, 5, 1),
    ...               progress=Decimal("0.4")).amount
    0
    """
    args = Arguments()
    content = args.member(SupportContent, content, "content")
    args.money(support, "support")
    args.day(on)
    share = args.share(progress, "progress")
    args.flag(accepted, "accepted")
    args.rules(rules)
    args.check()
    day = dated(rules, on)
    for kind in _KINDS:
        if content.value in day.value(f"project.advance.{kind}.contents"):
            rate, cite = day.cited(f"project.advance.{kind}.rate")
            if kind in ("infrastructure", "investment"):
                met = share > Fraction(day.value(f"project.advance.{kind}.progress_above"))
            elif kind == "after_acceptance":
                met = accepted
            else:
                met = True
            return Advance(kind, rate, round_down(rate * support) if met else 0, met, cite)
    raise NotConfiguredError(
        f"project.advance.{content.value}",
        on,
        Text.message("rules.advance_source"),
    )


def remaining_advance(approved: Dong, advanced: Dong, *, accepted: bool) -> Dong:
    """The rest of the support: paid only after acceptance (36/2013 Điều 14), never above the
    approved total.

    Raises:
        ValidationError: For an amount that is not whole đồng, naming it.

    >>> remaining_advance(100, 70, accepted=False), remaining_advance(100, 70, accepted=True)
    (0, 30)
    """
    args = Arguments()
    args.money(approved, "approved")
    args.money(advanced, "advanced")
    args.flag(accepted, "accepted")
    args.check()
    if not accepted:
        return 0
    return max(approved - advanced, 0)


def refund_due(advanced: Dong, settled: Dong) -> Dong:
    """The part of the advances not covered by settled work, to be refunded (Điều 12.6).

    Raises:
        ValidationError: For an amount that is not whole đồng, naming it.

    >>> refund_due(140, 120)
    20
    """
    args = Arguments()
    args.money(advanced, "advanced")
    args.money(settled, "settled")
    args.check()
    return max(advanced - settled, 0)


def _month_day(rules: DatedRules, name: str, year: int) -> dt.date:
    month, day = rules.value(name)
    return dt.date(year, month, day)


def final_settlement_deadline(on: dt.date, *, rules: RuleSet | DatedRules | None = None) -> dt.date:
    """The last day to settle the work of the year of ``on`` (36/2013/TT-BCT Điều 18.2).

    Contracts are liquidated and the year's work settled by 22 January of the next year.

    Args:
        on: Any date of the plan year (the approval, the last acceptance…).
        rules: A rule set or its view dated ``on`` (national baseline by default).

    Raises:
        ValidationError: If ``on`` is not a date or ``rules`` not a rule set.

    >>> final_settlement_deadline(dt.date(2025, 9, 30))
    datetime.date(2026, 1, 22)
    """
    day = dated_on(on, rules)
    return _month_day(day, "project.settlement_final_deadline", on.year + 1)


def settlement_deadline(
    last_acceptance: dt.date, *, rules: RuleSet | DatedRules | None = None
) -> dt.date:
    """The settlement dossier deadline: 15 days after the last acceptance (36/2013 Điều 18.1).

    It is no later than the final settlement deadline of that year (22 January of the next
    year, Điều 18.2; :func:`final_settlement_deadline`).

    Args:
        last_acceptance: The date of the last acceptance (in the plan year).
        rules: A rule set or its view dated ``last_acceptance`` (national baseline by default).

    Raises:
        ValidationError: If ``last_acceptance`` is not a date or ``rules`` not a rule set.
    """
    day = dated_on(last_acceptance, rules, "last_acceptance")
    days = day.value("project.settlement_dossier_days")
    final = final_settlement_deadline(last_acceptance, rules=day)
    return min(last_acceptance + dt.timedelta(days=days), final)


class DossierDeadlines(NamedTuple):
    """The two dossier deadlines of a year (36/2013/TT-BCT Điều 10).

    To the provincial department (``to_department``), then from it to the ministry
    (``to_ministry``).
    """

    to_department: dt.date
    to_ministry: dt.date

    def to_data(self) -> dict[str, str]:
        """The two deadlines as ISO dates, by name.

        >>> DossierDeadlines(dt.date(2026, 5, 20), dt.date(2026, 6, 15)).to_data()
        {'to_department': '2026-05-20', 'to_ministry': '2026-06-15'}
        """
        return {name: day.isoformat() for name, day in self._asdict().items()}


def dossier_deadlines(
    on: dt.date, *, rules: RuleSet | DatedRules | None = None
) -> DossierDeadlines:
    """The dossier deadlines in the year of ``on``, for the next year's plan (36/2013 Điều 10).

    To the provincial department (Điều 10.1.b), then from it to the ministry (Điều 10.2.b).

    Args:
        on: A date of the year the dossiers are filed in (the year before the plan year).
        rules: A rule set or its view dated ``on`` (national baseline by default).

    Raises:
        ValidationError: If ``on`` is not a date or ``rules`` not a rule set.

    >>> dossier_deadlines(dt.date(2016, 1, 1))
    DossierDeadlines(to_department=datetime.date(2016, 5, 20), to_ministry=datetime.date(2016, 6, 15))
    """  # noqa: E501
    day = dated_on(on, rules)
    return DossierDeadlines(
        _month_day(day, "project.dossier_deadline", on.year),
        _month_day(day, "project.ministry_deadline", on.year),
    )


def monthly_report_deadline(on: dt.date, *, rules: RuleSet | DatedRules | None = None) -> dt.date:
    """The monthly progress report of the month of ``on`` is due before this day (Điều 22).

    Raises:
        ValidationError: If ``on`` is not a date or ``rules`` not a rule set.

    >>> monthly_report_deadline(dt.date(2016, 2, 3))
    datetime.date(2016, 2, 25)
    """
    day = dated_on(on, rules)
    return dt.date(on.year, on.month, day.value("project.monthly_report_day"))


def adjustment_approver(
    change: str,
    on: dt.date,
    *,
    group_project: bool = False,
    rules: RuleSet | DatedRules | None = None,
) -> str:
    """Who approves an adjustment or a stop (36/2013 Điều 11): ``ministry``, ``department``
    (the ministry's department) or ``province`` (the provincial department, group projects).

    Args:
        change: The change (``increase_total_support``, ``change_site``, …).
        on: The date.
        group_project: Whether the project is a group project.
        rules: A rule set or its view dated ``on`` (national baseline by default).

    Raises:
        ValidationError: For a change the article does not name (listing those it names), or
            another argument of the wrong kind.

    >>> adjustment_approver("increase_total_support", dt.date(2016, 1, 1))
    'ministry'
    >>> adjustment_approver("change_site", dt.date(2016, 1, 1), group_project=True)
    'province'
    """
    args = Arguments()
    args.text(change, "change")
    args.day(on)
    args.flag(group_project, "group_project")
    args.rules(rules)
    args.check()
    day = dated(rules, on)
    if group_project and change in day.value("project.adjustment.province_group"):
        return "province"
    if change in day.value("project.adjustment.ministry"):
        return "ministry"
    if change in day.value("project.adjustment.department"):
        return "department"
    known = sorted({c for a in _ADJUSTERS for c in day.value(f"project.adjustment.{a}")})
    raise ValidationError.single(
        "$.change", change, text("rules.unknown_change", accepted=", ".join(known))
    )


def check_models_per_district(
    district_code: str,
    models_in_district: int,
    on: dt.date,
    *,
    rules: RuleSet | DatedRules | None = None,
) -> Decision:
    """At most the configured number of national-fund demonstration models of one kind per
    district (20/2017/TT-BCT [V2]: one new-technology model and one new-product model).

    Count the models of one kind (call once per kind). Not configured before 20/2017, nor from
    1/7/2025: districts ended that day and the unit that replaces them is not known.

    Args:
        district_code: The district (for the decision's subject).
        models_in_district: Models of one kind in the district, this one included.
        on: The date.
        rules: A rule set or its view dated ``on`` (national baseline by default).

    Raises:
        ValidationError: For an argument of the wrong kind, naming it.
        khuyencong.exceptions.NotConfiguredError: Before 13/11/2017 or from 1/7/2025,
            naming 20/2017/TT-BCT.

    >>> check_models_per_district("219", 2, dt.date(2018, 1, 1)).outcome
    False
    >>> check_models_per_district("219", 1, dt.date(2025, 7, 1))
    Traceback (most recent call last):
    khuyencong.exceptions.NotConfiguredError: tham số “project.models_per_district_max” chưa được cấu hình cho ngày 01/07/2025: giá trị phải lấy từ Thông tư 20/2017/TT-BCT (sửa đổi Thông tư 46/2012/TT-BCT) quy định theo cấp huyện; chưa rõ đơn vị thay thế sau khi bỏ cấp huyện từ 01/7/2025; hãy nạp bộ quy định bổ sung (overlay) có giá trị này
    """  # noqa: E501
    args = Arguments()
    args.text(district_code, "district_code")
    args.count(models_in_district, "models_in_district", 1)
    args.day(on)
    args.rules(rules)
    args.check()
    maximum, cite = dated(rules, on).cited("project.models_per_district_max")
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
