"""Support amounts: min(rate × eligible cost, cap), in whole đồng rounded down.

The rate, cap and the unit the cap applies to come from the data files per content, date and
fund (``support.<fund>.<content>.rate|cap|per``). A cap is per unit (model, establishment,
brand, round, cluster…) and is multiplied by the quantity; a cap may be "none" (100% contents
such as fairs abroad) or a multiple of another content's cap (the technology line's 1.5 × the
machinery cap, 28/2018). Priority support (26/2014 Điều 6.2.t: up to 1.5 × for the priority
areas and sectors) is the named option ``priority=True``, which applies the maximum multiplier
of that date to the rate (to at most 100%) and the cap; a smaller multiplier may be given as a
``Decimal``; from 11/5/2018 the multiplier is not configured. The local fund's levels come from
a provincial overlay; without one they are not configured.

The formula exists once (:class:`Formula`): :func:`support_amount` and batch evaluation
(:func:`khuyencong.rules.evaluate_many`) both apply the formula memoised for the date, content,
fund and multiplier, in exact integer arithmetic.

>>> import datetime as dt
>>> from khuyencong.domain import SupportContent as C
>>> support_amount(C.MACHINERY, 1_000_000_000, dt.date(2018, 5, 10)).amount
200000000
>>> support_amount(C.MACHINERY, 1_000_000_000, dt.date(2018, 5, 11)).amount
300000000
>>> support_amount(C.TECHNOLOGY_LINE, 2_000_000_000, dt.date(2019, 1, 1)).amount
450000000
>>> support_amount(C.BRAND, 50_000_000, dt.date(2015, 1, 1)).amount
25000000
>>> support_amount("máy móc", 1_000_000_000, dt.date(2016, 1, 1), priority=True).amount
300000000
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs

from khuyencong._data import AsData
from khuyencong.display import escape, fragment, summary_table
from khuyencong.domain import (
    Citation,
    Dong,
    Fund,
    SupportContent,
    format_date,
    format_vnd,
    round_down,
)
from khuyencong.exceptions import ContentNotInForceError, ValidationError
from khuyencong.messages import Lang, Text, catalogue, text
from khuyencong.rules._arguments import Arguments, dated
from khuyencong.rules._parameters import DerivedCap
from khuyencong.rules._rulesets import DatedRules, RuleSet

__all__ = [
    "Amount",
    "Formula",
    "SupportLevel",
    "formula",
    "level_of",
    "support_amount",
    "support_level",
]

_ONE = Decimal(1)


@attrs.frozen
class SupportLevel(AsData):
    """The support formula of one content on one date and fund.

    ``to_data()`` writes it as JSON-ready data, ``from_data()`` reads it back.

    Attributes:
        content: The content.
        fund: The fund.
        rate: Share of the eligible cost (Decimal, at most 1).
        cap: Cap per unit in đồng, ``None`` when uncapped.
        per: The unit the cap applies to (``model``, ``establishment``, …).
        citation: Where the rate and cap come from.
    """

    content: SupportContent
    fund: Fund
    rate: Decimal
    cap: Dong | None
    per: str
    citation: Citation


def support_level(
    content: SupportContent | str,
    on: dt.date,
    *,
    fund: Fund | str = Fund.NATIONAL,
    rules: RuleSet | DatedRules | None = None,
) -> SupportLevel:
    """The support level (rate, cap, unit, citation) of ``content`` from ``fund`` on ``on``.

    Args:
        content: The support content (a member, or text such as ``"máy móc"``).
        on: The date.
        fund: National (default) or local (needs a provincial overlay).
        rules: A rule set or its view dated ``on`` (national baseline by default).

    Raises:
        ValidationError: For an argument of the wrong kind, naming it.
        khuyencong.exceptions.NotConfiguredError: If the level is unknown ([?]) on that date,
            or the local fund has no provincial overlay.
        khuyencong.exceptions.CoverageError: If the date is before the first support table.
        khuyencong.exceptions.ContentNotInForceError: If ``content`` is not a khuyến công
            content on that date (``contents.recognised``: the three contents 235/2025/NĐ-CP
            adds exist from 15/10/2025).

    >>> import datetime as dt
    >>> support_level("brand", dt.date(2015, 1, 1)).rate
    Decimal('0.5')
    """
    args = Arguments()
    content = args.member(SupportContent, content, "content")
    fund = args.member(Fund, fund, "fund")
    args.day(on)
    args.rules(rules)
    args.check()
    return level_of(content, fund, dated(rules, on))


def level_of(content: SupportContent, fund: Fund, rules: DatedRules) -> SupportLevel:
    """The support level of ``content`` from ``fund`` on the rules' date (memoised per date;
    arguments already checked)."""
    key = ("support", content, fund)
    level: SupportLevel | None = rules.cache.get(key)
    if level is not None:
        return level
    recognised, recognised_by = rules.cited("contents.recognised")
    if content.value not in recognised:
        raise ContentNotInForceError(
            content.value,
            rules.on,
            Text(recognised_by.text("vi"), recognised_by.text("en")),
            Text(content.label("vi"), content.label("en")),
        )
    base = f"support.{fund.value}.{content.value}"
    rate, citation = rules.cited(f"{base}.rate")
    cap: Any = rules.value(f"{base}.cap")
    per: str = rules.value(f"{base}.per")
    if isinstance(cap, DerivedCap):
        other = level_of(SupportContent(cap.of), fund, rules)
        cap = None if other.cap is None else round_down(cap.factor * other.cap)
    level = rules.cache[key] = SupportLevel(content, fund, rate, cap, per, citation)
    return level


class Formula:
    """The support formula of one level with a multiplier: ``min(rate × cost, cap × quantity)``.

    The one implementation of the amount: :func:`support_amount` and batch evaluation both
    apply it. The rate is kept as an exact fraction, so that an amount is
    ``cost × numerator // denominator`` in integers (rounded down, exact for any cost).

    Attributes:
        level: The level it applies.
        multiplier: The priority multiplier (1 when none).
        rate: The effective rate (after the multiplier, at most 1).
        cap: The effective cap per unit (after the multiplier), ``None`` if uncapped.
    """

    __slots__ = ("cap", "denominator", "level", "multiplier", "numerator", "rate")

    def __init__(self, level: SupportLevel, multiplier: Decimal = _ONE) -> None:
        self.level = level
        self.multiplier = multiplier
        rate, cap = level.rate, level.cap
        if multiplier != _ONE:
            rate = min(rate * multiplier, _ONE)
            cap = None if cap is None else round_down(cap * multiplier)
        self.rate: Decimal = rate
        self.cap: Dong | None = cap
        self.numerator, self.denominator = rate.as_integer_ratio()

    def apply(self, eligible_cost: Dong, quantity: int = 1) -> Dong:
        """The support for ``eligible_cost`` and ``quantity`` units, in whole đồng (rounded
        down). Arguments are not checked here: callers check them at their entry."""
        raw = eligible_cost * self.numerator // self.denominator
        cap = self.cap
        if cap is None:
            return raw
        total = cap * quantity
        return total if raw >= total else raw


def formula(
    content: SupportContent, fund: Fund, priority: bool | Decimal, rules: DatedRules
) -> Formula:
    """The formula of ``content`` from ``fund`` with ``priority`` on the rules' date (memoised
    per date; the content and fund already checked).

    Raises:
        ValidationError: For a priority multiplier outside ``[1, maximum of that date]``.
        khuyencong.exceptions.NotConfiguredError: If the level, or the maximum multiplier
            asked for, is unknown on that date.
    """
    level = level_of(content, fund, rules)
    multiplier = _multiplier(priority, rules)
    key = ("formula", content, fund, multiplier)
    found: Formula | None = rules.cache.get(key)
    if found is None:
        found = rules.cache[key] = Formula(level, multiplier)
    return found


def _multiplier(priority: bool | Decimal, rules: DatedRules) -> Decimal:
    """The multiplier of a priority option: 1, the maximum of the date, or one up to it."""
    if priority is False:
        return _ONE
    maximum: Decimal = rules.value("support.priority_multiplier_max")
    if priority is True:
        return maximum
    if _ONE <= priority <= maximum:
        return priority
    raise ValidationError.single(
        "$.priority", priority, text("rules.not_a_priority", maximum=maximum)
    )


@attrs.frozen
class Amount(AsData):
    """A computed support amount, with everything needed to explain it.

    ``to_data()`` writes it as JSON-ready data, ``from_data()`` reads it back.

    Attributes:
        content: The content.
        fund: The fund.
        on: The date.
        eligible_cost: The eligible cost, in đồng.
        quantity: Units the cap applies to.
        priority_multiplier: The multiplier applied (1 when none).
        rate: The effective rate (after the multiplier, at most 1).
        cap: The effective total cap (per-unit cap × multiplier × quantity), ``None`` if
            uncapped.
        per: The cap's unit.
        amount: The support, in whole đồng (rounded down).
        cap_reached: Whether the cap, not the rate, decided the amount.
        citation: Where the level comes from.
    """

    content: SupportContent
    fund: Fund
    on: dt.date
    eligible_cost: Dong
    quantity: int
    priority_multiplier: Decimal
    rate: Decimal
    cap: Dong | None
    per: str
    amount: Dong
    cap_reached: bool
    citation: Citation

    def render(self, lang: Lang | None = None) -> str:
        """The computation as readable text (in the language in force by default)."""
        return text(
            "explain.amount.line",
            lang,
            content=self.content.label(lang),
            rate=self._rate_text(),
            cost=format_vnd(self.eligible_cost, lang),
            cap=self._cap_text(lang),
            per=self.per_text(lang),
            amount=format_vnd(self.amount, lang),
            reason=text(
                "explain.amount.cap_reached" if self.cap_reached else "explain.amount.by_rate", lang
            ),
            citation=self.citation.text(lang),
        )

    def per_text(self, lang: Lang | None = None) -> str:
        """How many of what the cap applies to: ``1 cơ sở`` / ``1 establishment``."""
        key = f"explain.per.{self.per}.{'one' if self.quantity == 1 else 'other'}"
        if key not in catalogue():
            return f"{self.quantity} {self.per}"
        return text(key, lang, quantity=self.quantity)

    def _rate_text(self) -> str:
        return f"{(self.rate * 100).normalize():f}%"

    def _cap_text(self, lang: Lang | None) -> str:
        return "—" if self.cap is None else format_vnd(self.cap, lang)

    def _repr_html_(self) -> str:
        rows = [
            (text("explain.amount.eligible_cost"), format_vnd(self.eligible_cost)),
            (text("explain.amount.rate"), self._rate_text()),
            (text("explain.amount.cap"), f"{self._cap_text(None)} ({self.per_text()})"),
            (text("explain.amount.amount"), format_vnd(self.amount)),
            (text("explain.amount.fund"), self.fund.label()),
            (text("explain.amount.on"), format_date(self.on)),
            (text("explain.decision.source"), self.citation.text()),
        ]
        reason = text(
            "explain.amount.cap_reached" if self.cap_reached else "explain.amount.by_rate"
        )
        note = f'<p class="kc-note">{escape(reason)}</p>'
        return fragment(summary_table(self.content.label(), rows) + note)


def support_amount(
    content: SupportContent | str,
    eligible_cost: Dong,
    on: dt.date,
    *,
    rules: RuleSet | DatedRules | None = None,
    fund: Fund | str = Fund.NATIONAL,
    quantity: int = 1,
    priority: bool | Decimal = False,
) -> Amount:
    """The support for ``content`` on ``on`` from ``fund``: min(rate × cost, cap × quantity).

    Args:
        content: The support content: a member, or the text a person writes (``"máy móc"``,
            ``"advanced machinery"``), read by :meth:`SupportContent.parse
            <khuyencong.domain.LabelledEnum.parse>`.
        eligible_cost: The eligible cost, in whole đồng (an ``int``; floats are refused).
        on: The date of the decision.
        rules: A rule set or its view dated ``on`` (national baseline by default).
        fund: National (default) or local (needs a provincial overlay).
        quantity: How many units the per-unit cap applies to.
        priority: ``True`` for a priority area or sector (26/2014 Điều 6.2.t): the maximum
            multiplier of that date; a ``Decimal`` multiplier between 1 and that maximum for
            less; ``False`` (default) for none.

    Raises:
        ValidationError: Naming each argument of the wrong kind: a content or fund that names
            nothing, a negative or non-integer cost, a quantity below 1, a date that is not a
            ``datetime.date``, a priority multiplier outside ``[1, maximum]``.
        khuyencong.exceptions.NotConfiguredError: If a needed value is unknown on ``on`` (the
            priority multiplier from 11/5/2018, the local fund without an overlay).
        khuyencong.exceptions.CoverageError: If ``on`` is before the first support table.
        khuyencong.exceptions.ContentNotInForceError: If ``content`` is not a khuyến công
            content on ``on``.
    """
    args = Arguments()
    content = args.member(SupportContent, content, "content")
    args.money(eligible_cost, "eligible_cost")
    args.day(on)
    args.rules(rules)
    fund = args.member(Fund, fund, "fund")
    args.count(quantity, "quantity", 1)
    args.instance(priority, "priority", bool, Decimal)
    args.check()
    applied = formula(content, fund, priority, dated(rules, on))
    amount = applied.apply(eligible_cost, quantity)
    cap = None if applied.cap is None else applied.cap * quantity
    level = applied.level
    return Amount(
        content,
        fund,
        on,
        eligible_cost,
        quantity,
        applied.multiplier,
        applied.rate,
        cap,
        level.per,
        amount,
        cap is not None and amount == cap,
        level.citation,
    )
