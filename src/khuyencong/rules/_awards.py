"""The typical rural-industrial product award (26/2014/TT-BCT, amended by 14/2018/TT-BCT and
38/2025/TT-BCT).

Levels by date (district until 30/6/2025, commune from 1/7/2025), progression (an entry needs a
valid certificate of the level below; 26/2014 Điều 12, with the labelled exception of Điều
12.2.d when no lower round was held), scoring out of 100 with the criteria weights (Phụ lục 4:
40/40/10/10), the pass mark (≥ 70, Điều 17.1), passed vs recognised, and certificate validity
to 31 December of the third year counting the issue year (Điều 17.3).

The change of ladder on 1/7/2025 (38/2025/TT-BCT):

- an entry at a level that is no longer on the ladder (a district round from 1/7/2025) fails
  ``award.level_ended``, saying from which day the level is gone;
- entries and results of district rounds before 1/7/2025 keep their meaning: an entry dated
  before that day is judged on the ladder of its own date, and a district certificate issued
  before it, still valid, qualifies a provincial entry after it — as the certificate of the
  level that was below the province *on its issue date*. That reading is an interpretation
  [U] (no transition provision was read), made a parameter,
  ``award.earlier_level_certificates_count``, that an overlay can switch off; the condition
  then carries the labelled exception ``earlier_ladder``.

>>> import datetime as dt
>>> from decimal import Decimal
>>> passes(70, dt.date(2019, 5, 1)), passes(Decimal("69.99"), dt.date(2019, 5, 1))
(True, False)
>>> certificate_valid_until(dt.date(2019, 11, 20))
datetime.date(2021, 12, 31)
>>> [level.value for level in award_levels(dt.date(2025, 7, 1))]
['commune', 'province', 'region', 'nation']
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal

from khuyencong.domain import AwardEntry, AwardLevel, Citation
from khuyencong.exceptions import (
    CoverageError,
    NotConfiguredError,
    Problem,
    RuleConflictError,
)
from khuyencong.messages import text
from khuyencong.rules._arguments import Arguments, dated, dated_on, score_on
from khuyencong.rules._explain import Decision, Fact
from khuyencong.rules._rulesets import DatedRules, RuleSet

__all__ = [
    "CRITERIA",
    "award_levels",
    "certificate_valid_until",
    "check_award_entry",
    "complaint_answer_deadline",
    "passes",
    "total_score",
]

CRITERIA = ("market", "economic_technical", "culture", "other")
"""The four criteria of 26/2014/TT-BCT Điều 7.1 (a–d)."""


_ENTRY_CONDITIONS = ("own_product", "no_ip_infringement", "meets_standards", "mass_producible")


_ONE_DAY = dt.timedelta(days=1)


def _needed(pairs: tuple[str, ...], level: AwardLevel) -> str | None:
    """The level whose certificate an entry at ``level`` needs, from ``level:below`` pairs."""
    return dict(p.split(":") for p in pairs).get(level.value)


def _needed_on(rules: RuleSet, day: dt.date, level: AwardLevel) -> str | None:
    """The level below ``level`` on the ladder of ``day`` (``None`` if that day has no known
    ladder: a certificate from before the data files' coverage does not count)."""
    try:
        return _needed(rules.at(day).value("award.prerequisites"), level)
    except (CoverageError, NotConfiguredError):
        return None


def _level_fact(
    level: AwardLevel, levels: tuple[str, ...], cite: Citation, rules: RuleSet, on: dt.date
) -> Fact:
    """The ``award.level`` fact, or ``award.level_ended`` when the level was on an earlier
    ladder (the district before 1/7/2025), naming the first day without it."""
    if level.value in levels:
        return ("award.level", True, levels, level, cite, None)
    param = rules.parameters.get("award.levels")
    earlier = [
        e
        for e in (param.entries if param else ())
        if e.end is not None and e.end < on and e.configured and level.value in e.value
    ]
    if earlier:
        last = earlier[-1]
        assert last.end is not None  # filtered above
        return ("award.level_ended", False, last.end + _ONE_DAY, level, cite, None)
    return ("award.level", False, levels, level, cite, None)


def award_levels(
    on: dt.date, *, rules: RuleSet | DatedRules | None = None
) -> tuple[AwardLevel, ...]:
    """The award levels on ``on``, bottom to top.

    Raises:
        ValidationError: If ``on`` is not a date or ``rules`` not a rule set.
    """
    return tuple(AwardLevel(v) for v in dated_on(on, rules).value("award.levels"))


def passes(score: int | Decimal, on: dt.date, *, rules: RuleSet | DatedRules | None = None) -> bool:
    """Whether an average jury score reaches the pass mark on ``on`` (the same at every level).

    Args:
        score: The average jury score, 0 to 100: an ``int`` or a ``Decimal`` (never a float).
        on: The date.
        rules: A rule set or its view dated ``on`` (national baseline by default).

    Raises:
        ValidationError: For a score outside 0–100 or of another type, naming ``score``.
    """
    value, day = score_on(score, on, rules)
    return bool(value >= day.value("award.pass_mark"))


def total_score(
    scores: Mapping[str, int | Decimal],
    on: dt.date,
    *,
    rules: RuleSet | DatedRules | None = None,
) -> Decimal:
    """The total of the four criteria, each checked against its maximum weight.

    Args:
        scores: Criterion (``market``, ``economic_technical``, ``culture``, ``other``) → score,
            an ``int`` or a ``Decimal``.
        on: The date.
        rules: A rule set or its view dated ``on`` (national baseline by default).

    Raises:
        ValidationError: For an unknown criterion or a score above its weight.

    >>> total_score({"market": 35, "economic_technical": 30,
    ...              "culture": Decimal(8), "other": 5}, dt.date(2020, 1, 1))
    Decimal('78')
    """
    args = Arguments()
    args.instance(scores, "scores", Mapping)
    args.day(on)
    args.rules(rules)
    args.check()
    day = dated(rules, on)
    total = Decimal(0)
    for name, value in scores.items():
        if name not in CRITERIA:
            args.problems.append(
                Problem(
                    f"$.{name}",
                    text("rules.unknown_criterion", accepted=", ".join(CRITERIA)),
                    value,
                )
            )
            continue
        total += args.score(value, name, day.value(f"award.weight.{name}"))
    args.check()
    return total


def certificate_valid_until(
    issued_on: dt.date, *, rules: RuleSet | DatedRules | None = None
) -> dt.date:
    """The last day a certificate issued on ``issued_on`` is valid: 31 December of the third
    year counting the issue year (26/2014/TT-BCT Điều 17.3).

    Raises:
        ValidationError: If ``issued_on`` is not a date or ``rules`` not a rule set.
    """
    years = dated_on(issued_on, rules, "issued_on").value("award.certificate_validity_years")
    return dt.date(issued_on.year + years - 1, 12, 31)


def complaint_answer_deadline(
    received_on: dt.date,
    *,
    holidays: Iterable[dt.date] = (),
    rules: RuleSet | DatedRules | None = None,
) -> dt.date:
    """The last day to answer a complaint about an award round (26/2014/TT-BCT Điều 20.2).

    It is the 10th working day after ``received_on``, the day the complaint was received.

    The days are counted from the day after the complaint was received (Bộ luật Dân sự
    91/2015/QH13 Điều 147.2: the first day of a period counted in days is not counted); a
    working day is one that is not a weekly rest day of state bodies (Saturday and Sunday,
    Quyết định 188/1999/QĐ-TTg Điều 1: ``calendar.rest_weekdays``) nor one of ``holidays``.
    Public holidays are not shipped (Tết follows the lunar calendar): pass those of the
    period, or the answer may fall too early.

    Args:
        received_on: The day the complaint was received.
        holidays: Public holidays (and compensatory days off) that fall in the period.
        rules: A rule set or its view dated ``received_on`` (national baseline by default).

    Raises:
        ValidationError: If a date is not a ``datetime.date`` (naming it).

    >>> complaint_answer_deadline(dt.date(2026, 12, 7))  # a Monday: two weeks later
    datetime.date(2026, 12, 21)
    >>> complaint_answer_deadline(dt.date(2026, 12, 31), holidays=[dt.date(2027, 1, 1)])
    datetime.date(2027, 1, 15)
    """
    args = Arguments()
    args.day(received_on, "received_on")
    days_off = args.days(holidays, "holidays")
    args.rules(rules)
    args.check()
    day = dated(rules, received_on)
    count: int = day.value("award.complaint_answer_working_days")
    rest = frozenset(day.value("calendar.rest_weekdays"))
    deadline = received_on
    while count:
        deadline += _ONE_DAY
        if deadline.isoweekday() not in rest and deadline not in days_off:
            count -= 1
    return deadline


def check_award_entry(
    entry: AwardEntry,
    on: dt.date,
    *,
    rules: RuleSet | DatedRules | None = None,
    prior: AwardEntry | None = None,
    lower_round_held: bool = True,
    entry_conditions: Mapping[str, bool] | None = None,
) -> Decision:
    """Whether ``entry`` may enter its round on ``on``, and why.

    Args:
        entry: The entry (its level and round).
        on: The date of entry.
        rules: A rule set or its view dated ``on`` (national baseline by default).
        prior: The lower-level entry whose certificate qualifies it.
        lower_round_held: ``False`` when no lower round was held (Điều 12.2.d, the labelled
            exception ``no_lower_round``; it applies to the provincial level only).
        entry_conditions: The four conditions of Điều 4 (own product, no IP infringement,
            meets standards, mass-producible); all assumed met when not given.

    Raises:
        ValidationError: For an argument of the wrong kind, naming it.
        RuleConflictError: If the exception is claimed while a valid certificate is also
            presented (two grounds at once; the council decides).
    """
    args = Arguments()
    args.instance(entry, "entry", AwardEntry)
    args.day(on)
    args.rules(rules)
    if prior is not None:
        args.instance(prior, "prior", AwardEntry)
    args.flag(lower_round_held, "lower_round_held")
    if entry_conditions is not None:
        args.instance(entry_conditions, "entry_conditions", Mapping)
    args.check()
    day = dated(rules, on)
    base = day.ruleset
    levels, levels_cite = day.cited("award.levels")
    facts: list[Fact] = [_level_fact(entry.level, levels, levels_cite, base, on)]
    pairs, pairs_cite = day.cited("award.prerequisites")
    needed = _needed(pairs, entry.level)
    if needed is not None:
        valid = (
            prior is not None
            and bool(prior.recognised)
            and prior.certificate_issued_on is not None
            and on <= certificate_valid_until(prior.certificate_issued_on, rules=base)
        )
        exception = None
        cite = pairs_cite
        if valid and prior is not None and prior.level.value != needed:
            valid = False
            issued = prior.certificate_issued_on
            assert issued is not None  # valid
            counts, counts_cite = day.cited("award.earlier_level_certificates_count")
            if counts and _needed_on(base, issued, entry.level) == prior.level.value:
                valid, exception, cite = True, "earlier_ladder", counts_cite
        if not lower_round_held and entry.level is AwardLevel.PROVINCE:
            if valid:
                raise RuleConflictError(
                    "award.prerequisite", ["valid_certificate", "no_lower_round"]
                )
            valid, exception = True, "no_lower_round"
        found = "none" if prior is None else f"{prior.level.value} {prior.id}"
        facts.append(("award.prerequisite", valid, needed, found, cite, exception))
    conditions = dict.fromkeys(_ENTRY_CONDITIONS, True) | dict(entry_conditions or {})
    failed = tuple(k for k in _ENTRY_CONDITIONS if not conditions.get(k, False))
    facts.append(
        (
            "award.entry_conditions",
            not failed,
            _ENTRY_CONDITIONS,
            failed or "all met",
            levels_cite,
            None,
        )
    )
    return Decision("award_entry", on, entry.id, facts)
