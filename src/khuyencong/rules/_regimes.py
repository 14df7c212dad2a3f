"""Which body of rules a decision applies: the regime in force, and the transition to a new one.

The khuyến công decree was amended by Nghị định 235/2025/NĐ-CP from 15/10/2025. Projects
approved before a new regime takes effect continue under the rules they were approved under
(the transitional provision of 235/2025, ``regime.keeps_approval_date_rules``), so a decision
about such a project, taken today, applies the rules of its approval date. Everything else is
decided under the rules in force on its own date. Both are data: ``eligibility.regime`` names
the documents of each regime, and a new amendment is a new data file.

>>> import datetime as dt
>>> rules_date(dt.date(2026, 1, 10), approved_on=dt.date(2025, 9, 1))
(datetime.date(2025, 9, 1), '45/2012/NĐ-CP')
>>> rules_date(dt.date(2026, 1, 10), approved_on=dt.date(2025, 11, 3))
(datetime.date(2026, 1, 10), '45/2012/NĐ-CP, 235/2025/NĐ-CP')
"""

from __future__ import annotations

import datetime as dt

from khuyencong.exceptions import CoverageError, NotConfiguredError
from khuyencong.rules._arguments import Arguments, dated_on, ruleset
from khuyencong.rules._rulesets import DatedRules, RuleSet

__all__ = ["regime_on", "rules_date"]


def regime_on(on: dt.date, *, rules: RuleSet | DatedRules | None = None) -> str | None:
    """The documents of the regime in force on ``on`` (``None`` if no regime covers it).

    Raises:
        khuyencong.exceptions.ValidationError: If ``on`` is not a date or ``rules`` not a rule
            set.

    >>> regime_on(dt.date(2020, 1, 1))
    '45/2012/NĐ-CP'
    """
    return _regime(on, dated_on(on, rules).ruleset)


def _regime(on: dt.date, rules: RuleSet) -> str | None:
    try:
        value: str = rules.at(on).value("eligibility.regime")
    except (NotConfiguredError, CoverageError):
        return None
    return value


def rules_date(
    on: dt.date,
    *,
    approved_on: dt.date | None = None,
    rules: RuleSet | DatedRules | None = None,
) -> tuple[dt.date, str | None]:
    """The date whose rules decide a question asked on ``on``, and that date's regime.

    Args:
        on: The date of the decision.
        approved_on: The approval date of the project the decision is about, if any.
        rules: A rule set or a dated view of it (national baseline by default).

    Returns:
        ``(approved_on, its regime)`` when the project was approved under an earlier regime
        and the regime in force on ``on`` keeps the approval-date rules; otherwise
        ``(on, the regime on on)``.

    Raises:
        khuyencong.exceptions.ValidationError: For an argument of the wrong kind, naming it.
        khuyencong.exceptions.NotConfiguredError: If the transitional rule is unknown.
    """
    args = Arguments()
    args.day(on)
    args.optional_day(approved_on, "approved_on")
    args.rules(rules)
    args.check()
    base = ruleset(rules)
    regime = _regime(on, base)
    if approved_on is None or approved_on >= on:
        return on, regime
    earlier = _regime(approved_on, base)
    if earlier is None or earlier == regime:
        return on, regime
    keeps = bool(base.at(on).value("regime.keeps_approval_date_rules"))
    return (approved_on, earlier) if keeps else (on, regime)
