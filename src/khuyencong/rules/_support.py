"""Support amounts: min(rate × eligible cost, cap), in whole đồng rounded down.

The rate, cap and the unit the cap applies to come from the data files per content, date and
fund (``support.<fund>.<content>.rate|cap|per``). A cap is per unit (model, establishment,
brand, round, cluster…) and is multiplied by the quantity; a cap may be "none" (100% contents
such as fairs abroad) or a multiple of another content's cap (the technology line's 1.5 × the
machinery cap, 28/2018). The priority multiplier of 26/2014 Điều 6.2.t (up to 1.5 ×) raises the
rate (to at most 100%) and the cap; from 11/5/2018 it is not configured. The local fund's
levels come from a provincial overlay; without one they are not configured.

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
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs

from khuyencong.domain import Citation, Dong, Fund, Lang, SupportContent, format_vnd, round_down
from khuyencong.exceptions import ContentNotInForceError, ValidationError
from khuyencong.rules._parameters import DerivedCap
from khuyencong.rules._rulesets import DatedRules, RuleSet

__all__ = ["Amount", "SupportLevel", "support_amount", "support_level"]

_ONE = Decimal(1)


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _decimal(value: object) -> bool:
    return isinstance(value, Decimal)


@attrs.frozen
class SupportLevel:
    """The support formula of one content on one date and fund.

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


def support_level(content: SupportContent, fund: Fund, rules: DatedRules) -> SupportLevel:
    """The support level of ``content`` from ``fund`` on the rules' date (memoised per date).

    Raises:
        khuyencong.exceptions.NotConfiguredError: If the level is unknown ([?]) on that date,
            or the local fund has no provincial overlay.
        khuyencong.exceptions.CoverageError: If the date is before the first support table.
        khuyencong.exceptions.ContentNotInForceError: If ``content`` is not a khuyến công
            content on that date (``contents.recognised``: the three contents 235/2025/NĐ-CP
            adds exist from 15/10/2025).
    """
    key = ("support", content, fund)
    level: SupportLevel | None = rules.cache.get(key)
    if level is not None:
        return level
    recognised, recognised_by = rules.cited("contents.recognised")
    if content.value not in recognised:
        raise ContentNotInForceError(content.value, rules.on, recognised_by.text("en"))
    base = f"support.{fund.value}.{content.value}"
    rate, citation = rules.cited(f"{base}.rate")
    cap: Any = rules.value(f"{base}.cap")
    per: str = rules.value(f"{base}.per")
    if isinstance(cap, DerivedCap):
        other = support_level(SupportContent(cap.of), fund, rules)
        cap = None if other.cap is None else round_down(cap.factor * other.cap)
    level = rules.cache[key] = SupportLevel(content, fund, rate, cap, per, citation)
    return level


@attrs.frozen
class Amount:
    """A computed support amount, with everything needed to explain it.

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

    def render(self, lang: Lang = "vi") -> str:
        """The computation as readable text."""
        cap = "—" if self.cap is None else format_vnd(self.cap, lang)
        rate = f"{(self.rate * 100).normalize():f}%"
        if lang == "vi":
            reason = "đạt mức tối đa" if self.cap_reached else "theo tỷ lệ"
            return (
                f"{self.content.label_vi}: {rate} × {format_vnd(self.eligible_cost, lang)}, "
                f"tối đa {cap} ({self.quantity} {self.per}) → {format_vnd(self.amount, lang)} "
                f"({reason}) [{self.citation.text(lang)}]"
            )
        reason = "cap reached" if self.cap_reached else "by the rate"
        return (
            f"{self.content.label_en}: {rate} × {format_vnd(self.eligible_cost, lang)}, "
            f"cap {cap} ({self.quantity} {self.per}) → {format_vnd(self.amount, lang)} "
            f"({reason}) [{self.citation.text(lang)}]"
        )


def compute(
    level: SupportLevel, eligible_cost: Dong, quantity: int, multiplier: Decimal
) -> tuple[Decimal, Dong | None, Dong, bool]:
    """``(rate, total cap, amount, cap reached)`` for a level (no validation: the batch path)."""
    rate = level.rate
    cap = level.cap
    if multiplier != _ONE:
        rate = min(rate * multiplier, _ONE)
        if cap is not None:
            cap = round_down(cap * multiplier)
    raw = round_down(rate * eligible_cost)
    if cap is None:
        return rate, None, raw, False
    total_cap = cap * quantity
    if raw >= total_cap:
        return rate, total_cap, total_cap, True
    return rate, total_cap, raw, False


def support_amount(
    content: SupportContent,
    eligible_cost: Dong,
    on: dt.date,
    rules: RuleSet | DatedRules | None = None,
    *,
    fund: Fund = Fund.NATIONAL,
    quantity: int = 1,
    priority_multiplier: Decimal | None = None,
) -> Amount:
    """The support for ``content`` on ``on`` from ``fund``: min(rate × cost, cap × quantity).

    Args:
        content: The support content.
        eligible_cost: The eligible cost, in đồng (an ``int``; floats are refused).
        on: The date of the decision.
        rules: A rule set (national baseline by default) or rules dated ``on``.
        fund: National (default) or local (needs a provincial overlay).
        quantity: How many units the per-unit cap applies to.
        priority_multiplier: For priority areas and sectors, at most the configured maximum.

    Raises:
        ValidationError: For a negative or non-integer cost, a quantity below 1, or a
            multiplier outside ``[1, maximum]``.
        khuyencong.exceptions.NotConfiguredError: If a needed value is unknown on ``on``.
        khuyencong.exceptions.CoverageError: If ``on`` is before the first support table.
        khuyencong.exceptions.ContentNotInForceError: If ``content`` is not a khuyến công
            content on ``on``.
    """
    if not _whole(eligible_cost) or eligible_cost < 0:
        raise ValidationError.single(
            "$.eligible_cost", eligible_cost, "must be whole đồng, zero or more (never a float)"
        )
    if not _whole(quantity) or quantity < 1:
        raise ValidationError.single("$.quantity", quantity, "must be a whole number ≥ 1")
    dated = rules if isinstance(rules, DatedRules) else (rules or RuleSet.national()).at(on)
    level = support_level(content, fund, dated)
    multiplier = _ONE
    if priority_multiplier is not None and priority_multiplier != _ONE:
        maximum = dated.value("support.priority_multiplier_max")
        if not _decimal(priority_multiplier) or not _ONE <= priority_multiplier <= maximum:
            raise ValidationError.single(
                "$.priority_multiplier", priority_multiplier, f"must be a Decimal in [1, {maximum}]"
            )
        multiplier = priority_multiplier
    rate, cap, amount, reached = compute(level, eligible_cost, quantity, multiplier)
    return Amount(
        content,
        fund,
        on,
        eligible_cost,
        quantity,
        multiplier,
        rate,
        cap,
        level.per,
        amount,
        reached,
        level.citation,
    )
