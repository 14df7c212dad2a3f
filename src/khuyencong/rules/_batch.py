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

from khuyencong.domain import Dong, Establishment, Fund, LegalForm, SupportContent
from khuyencong.exceptions import (
    CoverageError,
    NotConfiguredError,
    RuleConflictError,
    UnitMappingError,
)
from khuyencong.rules._eligibility import Part, eligibility_facts, has_exception_flag, profile
from khuyencong.rules._explain import Decision
from khuyencong.rules._regimes import regime_on
from khuyencong.rules._rulesets import DatedRules, RuleSet
from khuyencong.rules._support import Amount, SupportLevel, compute, support_level

__all__ = ["Application", "BatchResult", "evaluate_many"]

_ONE = Decimal(1)
_RULE_ERRORS = (NotConfiguredError, CoverageError, RuleConflictError, UnitMappingError)
_NATIONAL = Fund.NATIONAL
_SERVICE = LegalForm.SERVICE_ORGANISATION
_SME = LegalForm.SME
_MEMBER_FORMS = frozenset(
    {LegalForm.COOPERATIVE, LegalForm.COOPERATIVE_UNION, LegalForm.COOPERATIVE_GROUP}
)
_EMPTY: Part = (True, ())
"""The part of a decision that has no conditions (a service organisation has one part)."""


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

    Kept compact: the eligibility conditions stay shared, memoised parts (who, where, what;
    see :class:`~khuyencong.rules._eligibility.Profile`) until :attr:`decision` is read; the
    explained :attr:`amount` is built when read.

    Attributes:
        application: The input.
        amount_value: The support in đồng (0 when not eligible, ``None`` without a content
            or on error).
        error: The rule error for this record (not configured, coverage, conflict, a unit
            that cannot be placed on the post-reform map), if any.
    """

    __slots__ = (
        "_ctx",
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
        self._ctx: _Context | None = None

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
        if decision is None and self._who is not None and self._ctx is not None:
            decision = self._decision = Decision(
                "eligibility",
                self._ctx.on,
                self.application.establishment.id,
                self._who[1] + self._where[1] + self._what[1],
                outcome=self.eligible,
                regime=self._ctx.regime,
            )
        return decision

    @property
    def amount(self) -> Amount | None:
        """The full, explained amount (built when read)."""
        ctx, app = self._ctx, self.application
        if ctx is None or ctx.level is None or self.amount_value is None:
            return None
        level = ctx.level
        rate, cap, value, reached = compute(level, app.eligible_cost, app.quantity, ctx.multiplier)
        if not self.eligible:
            value, reached = 0, False
        return Amount(
            level.content,
            level.fund,
            ctx.on,
            app.eligible_cost,
            app.quantity,
            ctx.multiplier,
            rate,
            cap,
            level.per,
            value,
            reached,
            level.citation,
        )


class _Context:
    """What records of one date, content, fund and multiplier share: the level, precomputed.

    ``numerator / denominator`` is the level's rate as an exact fraction, so that an amount is
    ``cost × numerator // denominator`` in integers: the same as rounding ``rate × cost`` down
    whenever the Decimal product is exact (costs below :data:`_EXACT_BELOW` đồng).
    """

    __slots__ = ("cap", "denominator", "level", "multiplier", "numerator", "on", "regime")

    def __init__(
        self,
        on: dt.date,
        level: SupportLevel | None,
        multiplier: Decimal,
        regime: str | None = None,
    ) -> None:
        self.on = on
        self.regime = regime
        self.level = level
        self.multiplier = multiplier
        self.numerator, self.denominator = (1, 1)
        self.cap: Dong | None = None
        if level is not None:
            self.numerator, self.denominator = level.rate.as_integer_ratio()
            self.cap = level.cap


_EXACT_BELOW = 10**20
"""Below this many đồng, ``rate × cost`` is exact in Decimal's 28 digits for any shipped rate."""


class _Day:
    """The per-date state of one batch: the dated rules, their eligibility profile, levels."""

    __slots__ = ("bare", "contexts", "dated", "national", "profile", "regime")

    def __init__(self, dated: DatedRules) -> None:
        self.dated = dated
        self.profile = profile(dated)
        self.regime = regime_on(dated.on, dated)
        self.bare = _Context(dated.on, None, _ONE, self.regime)
        self.contexts: dict[tuple[object, ...], _Context | Exception] = {}
        self.national: dict[SupportContent, _Context] = {}
        """The contexts of national-fund contents without a multiplier (the common case)."""

    def context(self, app: Application) -> _Context:
        """The shared context of ``app``'s content, fund and multiplier (memoised)."""
        key = (app.content, app.fund, app.priority_multiplier)
        ctx = self.contexts.get(key)
        if ctx is None:
            try:
                ctx = self._context(app)
            except _RULE_ERRORS as exc:
                ctx = exc
            self.contexts[key] = ctx
            if (
                app.fund is _NATIONAL
                and app.priority_multiplier is None
                and app.content
                and isinstance(ctx, _Context)
            ):
                self.national[app.content] = ctx
        if isinstance(ctx, Exception):
            raise ctx
        return ctx

    def _context(self, app: Application) -> _Context:
        assert app.content is not None  # checked by the caller
        level = support_level(app.content, app.fund, self.dated)
        multiplier = app.priority_multiplier
        if multiplier is not None and multiplier != _ONE:
            maximum = self.dated.value("support.priority_multiplier_max")
            return _Context(self.dated.on, level, min(multiplier, maximum), self.regime)
        return _Context(self.dated.on, level, _ONE, self.regime)


def evaluate_many(  # noqa: PLR0915  (the hot loop is inlined on purpose: see the docstring)
    applications: Iterable[Application],
    on: dt.date,
    rules: RuleSet | None = None,
    *,
    plan_year: int | None = None,
    raise_errors: bool = False,
) -> list[BatchResult]:
    """Evaluate eligibility and support amounts for many applications, in input order.

    The rule set is validated once, parameters are read once per date, and eligibility is
    decided from memoised parts (legal form and size, location per unit, sectors); each
    result keeps references to those shared parts and builds its :class:`Decision` and
    :class:`Amount` only when read. The answers are those of :func:`check_eligibility` and
    :func:`support_amount`.

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
    days: dict[dt.date, _Day] = {}
    results: list[BatchResult] = []
    append = results.append
    new = object.__new__
    result_type = BatchResult
    last_day: dt.date | None = None
    day_state: _Day | None = None
    for app in applications:
        day = app.on or on
        if day is not last_day:
            day_state = days.get(day)
            if day_state is None:
                day_state = days[day] = _Day(ruleset.at(day))
            last_day = day
        assert day_state is not None  # set above
        # Built without __init__ (the slots are set here): the batch's hot loop.
        result = new(result_type)
        result.application = app
        result._decision = None
        result._ctx = day_state.bare
        result._who = None
        result.amount_value = None
        result.error = None
        est = app.establishment
        try:
            form = est.legal_form
            if has_exception_flag(est):
                facts = tuple(eligibility_facts(est, day_state.dated, plan_year))
                who: Part = (all(f[1] for f in facts), facts)
                where = what = _EMPTY
            elif form is _SERVICE:
                who = day_state.profile.who(est)
                where = what = _EMPTY
            else:
                # The profile's memo lookups, inlined; a miss goes through the profile.
                p = day_state.profile
                if form is _SME:
                    who = p.who(est)
                else:
                    key = (form, est.members) if form in _MEMBER_FORMS else (form,)
                    who = p.who_parts.get(key) or p.who(est)
                ref = est.location
                where = p.location.get(
                    (ref.map_id, ref.code, plan_year, est.craft_village)
                ) or p.where(est, plan_year)
                what = p.sector.get(
                    (est.sectors, est.area_difficulty, est.polluting_brick_kiln)
                ) or p.what(est)
            result._who = who
            result._where = where
            result._what = what
            content = app.content
            if content is not None:
                ctx = (
                    day_state.national.get(content)
                    if app.fund is _NATIONAL and app.priority_multiplier is None
                    else None
                ) or day_state.context(app)
                result._ctx = ctx
                if not (who[0] and where[0] and what[0]):
                    result.amount_value = 0
                else:
                    cost = app.eligible_cost
                    if ctx.multiplier is _ONE and type(cost) is int and 0 <= cost < _EXACT_BELOW:
                        value = cost * ctx.numerator // ctx.denominator
                        cap = ctx.cap
                        if cap is not None:
                            total_cap = cap * app.quantity
                            value = min(value, total_cap)
                        result.amount_value = value
                    else:
                        level = ctx.level
                        assert level is not None  # set with the content
                        result.amount_value = compute(level, cost, app.quantity, ctx.multiplier)[2]
        except _RULE_ERRORS as exc:
            if raise_errors:
                raise
            result.error = exc
        append(result)
    return results
