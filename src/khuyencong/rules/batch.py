"""Batch evaluation: eligibility and support amounts for many applications at once.

For notebooks and nightly jobs. Results come back in input order. Parameter lookups are
memoised per date (no re-validation of the rule set per record), location and sector verdicts
are memoised per unit and sector set, and explanations are kept as compact tuples until read.
A record whose answer needs an unknown value keeps its error instead of stopping the batch.

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

from khuyencong.domain import Dong, Establishment, Fund, SupportContent
from khuyencong.exceptions import CoverageError, NotConfiguredError, RuleConflictError
from khuyencong.rules.eligibility import eligibility_facts
from khuyencong.rules.explain import Decision
from khuyencong.rules.rulesets import DatedRules, RuleSet
from khuyencong.rules.support import Amount, SupportLevel, compute, support_level

__all__ = ["Application", "BatchResult", "evaluate_many"]

_ONE = Decimal(1)
_RULE_ERRORS = (NotConfiguredError, CoverageError, RuleConflictError)


class Application:
    """One application: an establishment, and optionally a content with its eligible cost.

    Args:
        establishment: Who applies.
        content: The support content asked for, if any.
        eligible_cost: The eligible cost, in đồng.
        quantity: Units the per-unit cap applies to.
        fund: National or local.
        priority_multiplier: For priority areas and sectors.
        on: The date, when it differs from the batch's.
    """

    __slots__ = (
        "content",
        "eligible_cost",
        "establishment",
        "fund",
        "on",
        "priority_multiplier",
        "quantity",
    )

    def __init__(
        self,
        establishment: Establishment,
        content: SupportContent | None = None,
        eligible_cost: Dong = 0,
        *,
        quantity: int = 1,
        fund: Fund = Fund.NATIONAL,
        priority_multiplier: Decimal | None = None,
        on: dt.date | None = None,
    ) -> None:
        self.establishment = establishment
        self.content = content
        self.eligible_cost = eligible_cost
        self.quantity = quantity
        self.fund = fund
        self.priority_multiplier = priority_multiplier
        self.on = on


class BatchResult:
    """The answer for one application: its eligibility decision and support amount.

    Attributes:
        application: The input.
        decision: The eligibility decision (``None`` if an error stopped it).
        amount_value: The support in đồng (0 when not eligible, ``None`` without a content
            or on error).
        error: The rule error for this record (not configured, coverage, conflict), if any.
    """

    __slots__ = ("_level", "_multiplier", "_on", "amount_value", "application", "decision", "error")

    def __init__(self, application: Application) -> None:
        self.application = application
        self.decision: Decision | None = None
        self.amount_value: Dong | None = None
        self.error: Exception | None = None
        self._level: SupportLevel | None = None
        self._multiplier = _ONE
        self._on: dt.date | None = None

    @property
    def eligible(self) -> bool:
        """Whether the establishment is eligible (``False`` on error)."""
        return self.decision is not None and self.decision.outcome

    @property
    def amount(self) -> Amount | None:
        """The full, explained amount (built when read)."""
        level, app = self._level, self.application
        if level is None or self._on is None or self.amount_value is None:
            return None
        rate, cap, value, reached = compute(
            level, app.eligible_cost, app.quantity, self._multiplier
        )
        if not self.eligible:
            value, reached = 0, False
        return Amount(
            level.content,
            level.fund,
            self._on,
            app.eligible_cost,
            app.quantity,
            self._multiplier,
            rate,
            cap,
            level.per,
            value,
            reached,
            level.citation,
        )


def evaluate_many(
    applications: Iterable[Application],
    on: dt.date,
    rules: RuleSet | None = None,
    *,
    plan_year: int | None = None,
    raise_errors: bool = False,
) -> list[BatchResult]:
    """Evaluate eligibility and support amounts for many applications, in input order.

    Args:
        applications: The applications.
        on: The date (an application's own ``on`` wins).
        rules: The rule set (national baseline by default).
        plan_year: The plan year for the 5-year ward rule.
        raise_errors: Raise the first rule error instead of recording it in the result.

    Returns:
        One :class:`BatchResult` per application, in order.
    """
    ruleset = rules or RuleSet.national()
    dated_cache: dict[dt.date, DatedRules] = {}
    results: list[BatchResult] = []
    append = results.append
    for app in applications:
        day = app.on or on
        dated = dated_cache.get(day)
        if dated is None:
            dated = dated_cache[day] = ruleset.at(day)
        result = BatchResult(app)
        result._on = day
        try:
            est = app.establishment
            decision = Decision(
                "eligibility", day, est.id, eligibility_facts(est, dated, plan_year)
            )
            result.decision = decision
            if app.content is not None:
                level = support_level(app.content, app.fund, dated)
                result._level = level
                multiplier = app.priority_multiplier
                if multiplier is not None and multiplier != _ONE:
                    maximum = dated.value("support.priority_multiplier_max")
                    result._multiplier = min(multiplier, maximum)
                if decision.outcome:
                    result.amount_value = compute(
                        level, app.eligible_cost, app.quantity, result._multiplier
                    )[2]
                else:
                    result.amount_value = 0
        except _RULE_ERRORS as exc:
            if raise_errors:
                raise
            result.error = exc
        append(result)
    return results
