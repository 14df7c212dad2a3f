"""Batch evaluation: eligibility and support amounts for many applications at once.

For notebooks and nightly jobs. Results come back in input order. The batch does not hold a
rule of its own: it calls the one-record rules' implementations, memoised per day and rule set
— eligibility as the three shared parts of
:meth:`Profile.parts <khuyencong.rules._eligibility.Profile.parts>` (who, where, what, each
memoised on the few fields it reads), amounts through the memoised
:class:`~khuyencong.rules._support.Formula` of each content, fund and priority — and keeps
explanations compact until read (the explained amount is :func:`support_amount` itself). A
record whose answer needs an unknown value, or whose priority is out of range, keeps its error
instead of stopping the batch.

>>> import datetime as dt
>>> from khuyencong.domain import Establishment, LegalForm, Sector, SupportContent
>>> from khuyencong.units import MapId, UnitRef
>>> coop = Establishment(id="HTX-1", name="HTX", legal_form=LegalForm.COOPERATIVE,
...     location=UnitRef(MapId.MAP_2021, "07525"), sectors=[Sector.HANDICRAFTS], members=9)
>>> [r] = evaluate_many([Application(coop, SupportContent.BRAND, 80_000_000)],
...                     dt.date(2016, 3, 1))
>>> r.eligible, r.amount_value
(True, 35000000)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import attrs

from khuyencong._gc import collector_paused
from khuyencong.domain import Dong, Establishment, Fund, SupportContent
from khuyencong.exceptions import (
    CoverageError,
    NotConfiguredError,
    RuleConflictError,
    UnitMappingError,
    ValidationError,
)
from khuyencong.messages import text
from khuyencong.rules._arguments import Arguments, dated
from khuyencong.rules._eligibility import EMPTY_PART as _EMPTY
from khuyencong.rules._eligibility import Part, Profile, profile
from khuyencong.rules._explain import Decision
from khuyencong.rules._regimes import regime_on
from khuyencong.rules._rulesets import DatedRules, RuleSet
from khuyencong.rules._support import Amount, Formula, formula, support_amount

__all__ = ["Application", "BatchResult", "Day", "evaluate_many"]

_RULE_ERRORS = (NotConfiguredError, CoverageError, RuleConflictError, UnitMappingError)
_AMOUNT_ERRORS = (NotConfiguredError, CoverageError, ValidationError)
_NATIONAL = Fund.NATIONAL


class Application:
    """One application: an establishment, and optionally a content with its eligible cost.

    The arguments are checked when the application is made, as :func:`support_amount` checks
    its own.

    Args:
        establishment: Who applies.
        content: The support content asked for, if any (a member, or text such as
            ``"máy móc"``).
        eligible_cost: The eligible cost, in whole đồng.
        quantity: Units the per-unit cap applies to.
        fund: National or local.
        priority: ``True`` for priority support (the maximum multiplier of the date), a
            ``Decimal`` multiplier up to it, or ``False``; see :func:`support_amount`.
        on: The date, when it differs from the batch's.

    Raises:
        ValidationError: For an argument of the wrong kind, naming it.
    """

    __slots__ = (
        "content",
        "eligible_cost",
        "establishment",
        "fund",
        "on",
        "priority",
        "quantity",
    )

    def __init__(
        self,
        establishment: Establishment,
        content: SupportContent | str | None = None,
        eligible_cost: Dong = 0,
        *,
        quantity: int = 1,
        fund: Fund | str = Fund.NATIONAL,
        priority: bool | Decimal = False,
        on: dt.date | None = None,
    ) -> None:
        if (  # the common case, checked cheaply (applications come by the 100,000)
            type(establishment) is Establishment
            and (content is None or type(content) is SupportContent)
            and type(eligible_cost) is int
            and eligible_cost >= 0
            and quantity == 1
            and type(quantity) is int
            and type(fund) is Fund
            and priority is False
            and on is None
        ):
            self._set(establishment, content, eligible_cost, 1, fund, False, None)
            return
        args = Arguments()
        args.instance(establishment, "establishment", Establishment)
        if content is not None:
            content = args.member(SupportContent, content, "content")
        args.money(eligible_cost, "eligible_cost")
        args.count(quantity, "quantity", 1)
        fund = args.member(Fund, fund, "fund")
        args.instance(priority, "priority", bool, Decimal)
        args.optional_day(on, "on")
        args.check()
        self._set(establishment, content, eligible_cost, quantity, fund, priority, on)

    def _set(  # noqa: PLR0917  (the fields, checked by __init__)
        self,
        establishment: Establishment,
        content: SupportContent | None,
        eligible_cost: Dong,
        quantity: int,
        fund: Fund,
        priority: bool | Decimal,
        on: dt.date | None,
    ) -> None:
        self.establishment = establishment
        self.content = content
        self.eligible_cost = eligible_cost
        self.quantity = quantity
        self.fund = fund
        self.priority = priority
        self.on = on


class BatchResult:
    """The answer for one application: its eligibility decision and support amount.

    Kept compact: the eligibility conditions stay shared, memoised parts (who, where, what)
    until :attr:`decision` is read; the explained :attr:`amount` is built when read.

    Attributes:
        application: The input.
        amount_value: The support in đồng (0 when not eligible, ``None`` without a content
            or on error).
        error: The error for this record (not configured, coverage, conflict, a unit that
            cannot be placed on the post-reform map, a priority out of range), if any.
    """

    # The three parts are kept in three slots, not one tuple: a tuple per record would be one
    # more object for the garbage collector to track, which costs the batch about 15%.
    __slots__ = (
        "_day",
        "_decision",
        "_what",
        "_where",
        "_who",
        "amount_value",
        "application",
        "error",
    )

    def __init__(self, application: Application) -> None:
        self.application = application
        self.amount_value: Dong | None = None
        self.error: Exception | None = None
        self._who: Part | None = None
        self._where: Part = _EMPTY
        self._what: Part = _EMPTY
        self._decision: Decision | None = None
        self._day: Day | None = None

    @property
    def eligible(self) -> bool:
        """Whether the establishment is eligible (``False`` when an error stopped the decision)."""
        who = self._who
        return who is not None and who[0] and self._where[0] and self._what[0]

    @property
    def decision(self) -> Decision | None:
        """The eligibility decision, with every condition (built when first read; ``None`` if
        an error stopped it)."""
        decision = self._decision
        who, day = self._who, self._day
        if decision is None and who is not None and day is not None:
            decision = self._decision = Decision(
                "eligibility",
                day.on,
                self.application.establishment.id,
                who[1] + self._where[1] + self._what[1],
                outcome=self.eligible,
                regime=day.regime,
            )
        return decision

    @property
    def amount(self) -> Amount | None:
        """The full, explained amount: :func:`support_amount` of the application on its date
        (with 0 support when the establishment is not eligible); built when read."""
        app, day = self.application, self._day
        if day is None or app.content is None or self.amount_value is None:
            return None
        amount = support_amount(
            app.content,
            app.eligible_cost,
            day.on,
            rules=day.dated,
            fund=app.fund,
            quantity=app.quantity,
            priority=app.priority,
        )
        return amount if self.eligible else attrs.evolve(amount, amount=0, cap_reached=False)

    def to_data(self) -> dict[str, Any]:
        """JSON-ready data: the application's establishment and content, the decision, the
        amount and the error, if any.

        >>> import datetime as dt
        >>> from khuyencong.domain import Establishment, LegalForm, Sector
        >>> from khuyencong.units import UnitRef
        >>> est = Establishment(id="HKD-1", name="Hộ", legal_form=LegalForm.HOUSEHOLD_BUSINESS,
        ...     location=UnitRef("2021", "07525"), sectors=[Sector.HANDICRAFTS])
        >>> [r] = evaluate_many([Application(est, "brand", 80_000_000)], dt.date(2016, 3, 1))
        >>> data = r.to_data()
        >>> data["establishment_id"], data["eligible"], data["amount"]["amount"]
        ('HKD-1', True, 35000000)
        """
        app = self.application
        decision, amount = self.decision, self.amount
        return {
            "establishment_id": app.establishment.id,
            "content": None if app.content is None else app.content.value,
            "eligible": self.eligible,
            "decision": None if decision is None else decision.to_data(),
            "amount": None if amount is None else amount.to_data(),
            "error": None if self.error is None else str(self.error),
        }


class Day:
    """The per-date state of one batch: the dated rules, their eligibility profile, the regime
    and the memoised formulas."""

    __slots__ = ("dated", "formulas", "national", "on", "profile", "regime")

    def __init__(self, rules: DatedRules) -> None:
        self.dated = rules
        self.on = rules.on
        self.profile: Profile = profile(rules)
        self.regime = regime_on(rules.on, rules=rules)
        self.formulas: dict[tuple[object, ...], Formula | Exception] = {}
        self.national: dict[SupportContent, Formula] = {}
        """The formulas of national-fund contents without priority (the common case)."""

    def formula(self, app: Application) -> Formula:
        """The formula of ``app``'s content, fund and priority (memoised, errors too)."""
        assert app.content is not None  # checked by the caller
        return self.formula_of(app.content, app.fund, app.priority)

    def formula_of(self, content: SupportContent, fund: Fund, priority: bool | Decimal) -> Formula:
        """The formula of a content, fund and priority (memoised, errors too)."""
        # True == Decimal(1) == 1: the type keeps the options apart.
        key = (content, fund, priority, type(priority))
        found = self.formulas.get(key)
        if found is None:
            try:
                found = formula(content, fund, priority, self.dated)
            except _AMOUNT_ERRORS as exc:
                found = exc
            self.formulas[key] = found
            if fund is _NATIONAL and priority is False and isinstance(found, Formula):
                self.national[content] = found
        if isinstance(found, Exception):
            raise found
        return found


def evaluate_many(  # noqa: PLR0915  (the hot loop is inlined on purpose: see the docstring)
    applications: Iterable[Application],
    on: dt.date,
    *,
    rules: RuleSet | DatedRules | None = None,
    plan_year: int | None = None,
    raise_errors: bool = False,
) -> list[BatchResult]:
    """Evaluate eligibility and support amounts for many applications, in input order.

    The answers are those of :func:`check_eligibility` and :func:`support_amount`, from the same
    implementations memoised per day: parameters are read once per date, eligibility is
    decided from memoised parts (legal form and size, location per unit, sectors), and each
    result keeps references to those shared parts and builds its :class:`Decision` and
    :class:`Amount` only when read.

    Args:
        applications: The applications.
        on: The date (an application's own ``on`` wins).
        rules: A rule set or its view dated ``on`` (national baseline by default).
        plan_year: The plan year for the 5-year ward rule.
        raise_errors: Raise the first error instead of recording it in the result.

    Returns:
        One :class:`BatchResult` per application, in order.

    Raises:
        ValidationError: For an argument of the wrong kind, naming it (an item that is not an
            :class:`Application` names its index).
    """
    args = Arguments()
    args.day(on)
    args.rules(rules)
    args.optional_year(plan_year, "plan_year")
    args.flag(raise_errors, "raise_errors")
    args.check()
    first = dated(rules, on)
    ruleset = first.ruleset
    days: dict[dt.date, Day] = {on: Day(first)}
    results: list[BatchResult] = []
    append = results.append
    new = object.__new__
    result_type, app_type = BatchResult, Application
    last_day: dt.date | None = None
    day_state: Day = days[on]
    parts = day_state.profile.parts
    app: Any = None
    with collector_paused():  # millions of objects that stay alive: see khuyencong._gc
        try:
            for app in applications:
                day = app.on or on
                if day is not last_day:
                    found = days.get(day)
                    if found is None:
                        found = days[day] = Day(ruleset.at(day))
                    day_state, last_day, parts = found, day, found.profile.parts
                # Built without __init__ (the slots are set here): the batch's hot loop.
                result = new(result_type)
                result.application = app
                result._decision = None
                result._who = None
                result._day = day_state
                result.amount_value = None
                result.error = None
                try:
                    who, where, what = parts(app.establishment, plan_year)
                    result._who, result._where, result._what = who, where, what
                    content = app.content
                    if content is not None:
                        applied = (
                            day_state.national.get(content)
                            if app.fund is _NATIONAL and app.priority is False
                            else None
                        ) or day_state.formula(app)
                        if who[0] and where[0] and what[0]:
                            result.amount_value = applied.apply(app.eligible_cost, app.quantity)
                        else:
                            result.amount_value = 0
                except (*_RULE_ERRORS, ValidationError) as exc:
                    if raise_errors:
                        raise
                    result.error = exc
                append(result)
        except AttributeError:
            # Checked here rather than per record (the hot loop): an item that is no Application.
            if type(app) is not app_type:
                raise ValidationError.single(
                    f"$.applications[{len(results)}]", app, text("rules.not_a", kind="Application")
                ) from None
            raise
    return results
