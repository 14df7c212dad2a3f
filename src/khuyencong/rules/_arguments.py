"""The arguments of the rule functions, checked at the entry, the same way everywhere.

Every public rule function reads its arguments through these helpers, so a mistake gets the
same answer wherever it is made: a :class:`~khuyencong.exceptions.ValidationError` whose path
names the argument (``$.on``, ``$.eligible_cost``, ``$.rules``) and whose message says what would
be right, in the language in force. The conventions they enforce:

- a date is a ``datetime.date`` (not text, not a ``datetime``);
- money is whole đồng, an ``int`` of zero or more (never a ``float``);
- a score is an ``int`` or a ``Decimal`` from 0 to 100;
- a share (the progress of a project) is a ``Decimal`` or ``Fraction`` from 0 to 1, so that
  ``40`` (a percentage by mistake) is refused rather than read as 4,000%;
- an enum may be given as a member or as the text a person writes (``"máy móc"``), read by the
  enum's ``parse``;
- ``rules`` is a :class:`~khuyencong.rules.RuleSet` or its view dated the same day
  (``RuleSet.at(on)``); the national baseline when omitted.

>>> args = Arguments()
>>> args.day("2024-07-01", "on")
'2024-07-01'
>>> args.check()
Traceback (most recent call last):
khuyencong.exceptions.ValidationError: $.on: ...
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from typing import Any, TypeVar, cast

from khuyencong._arguments import Arguments as CheckedArguments
from khuyencong._arguments import is_int
from khuyencong.domain import LabelledEnum
from khuyencong.exceptions import ValidationError
from khuyencong.messages import text
from khuyencong.rules._rulesets import DatedRules, RuleSet

__all__ = ["Arguments", "dated", "dated_on", "ruleset", "score_on"]

E = TypeVar("E", bound=LabelledEnum)

_ZERO = Decimal(0)
_HUNDRED = Decimal(100)


def _fail(name: str, value: object, key: str, /, **fields: object) -> ValidationError:
    return ValidationError.single(f"$.{name}", value, text(f"rules.{key}", **fields))


_is_int = is_int


def _finite(value: object) -> bool:
    """A finite Decimal (a NaN cannot even be compared)."""
    return isinstance(value, Decimal) and value.is_finite()


def ruleset(rules: object) -> RuleSet:
    """The rule set ``rules`` names: itself, the set behind a dated view, or the national one.

    Raises:
        ValidationError: If ``rules`` is neither a rule set nor a dated view.
    """
    if rules is None:
        return RuleSet.national()
    if isinstance(rules, RuleSet):
        return rules
    if isinstance(rules, DatedRules):
        return rules.ruleset
    raise _fail("rules", rules, "not_rules")


def dated(rules: object, on: dt.date) -> DatedRules:
    """The rules as of ``on``: ``rules.at(on)``, or a view already dated ``on``.

    Raises:
        ValidationError: If ``rules`` is not a rule set, or is a view dated another day.
    """
    if isinstance(rules, DatedRules):
        if rules.on != on:
            raise _fail("rules", rules.on, "rules_other_day", dated=rules.on, on=on)
        return rules
    return ruleset(rules).at(on)


def dated_on(on: object, rules: object, name: str = "on") -> DatedRules:
    """The rules of the date argument ``name``, for a function that takes only a date and
    ``rules``: both checked, then :func:`dated`.

    Raises:
        ValidationError: If ``on`` is not a date or ``rules`` not a rule set of that day.
    """
    args = Arguments()
    args.day(on, name)
    args.rules(rules)
    args.check()
    return dated(rules, on)  # type: ignore[arg-type]


def score_on(score: object, on: object, rules: object) -> tuple[Decimal, DatedRules]:
    """A score (0 to 100) and the rules of its date, for the functions that read a score
    against the thresholds of a date (the award's pass mark, OCOP stars).

    Raises:
        ValidationError: For a score that is not an ``int`` or ``Decimal`` from 0 to 100, a date
            that is not a date, or rules that are not a rule set of that day.
    """
    args = Arguments()
    value = args.score(score)
    args.day(on)
    args.rules(rules)
    args.check()
    return value, dated(rules, on)  # type: ignore[arg-type]


class Arguments(CheckedArguments):
    """The problems of several arguments, raised together (every one is listed): the library's
    argument checks (:class:`khuyencong._arguments.Arguments`: dates, money, counts, objects),
    with the rules' own (scores, shares, enums read from words, rule sets).

    >>> from decimal import Decimal
    >>> args = Arguments()
    >>> args.score(Decimal("78.5")), args.share(40, "progress")
    (Decimal('78.5'), 40)
    >>> args.check()
    Traceback (most recent call last):
    khuyencong.exceptions.ValidationError: $.progress: ...
    """

    __slots__ = ()

    def score(self, value: Any, name: str = "score", top: int | Decimal = _HUNDRED) -> Any:
        """Note a problem with the score ``name`` (an ``int`` or ``Decimal``, 0 to ``top``);
        return it as a ``Decimal``."""
        if (_is_int(value) or _finite(value)) and _ZERO <= value <= top:
            return Decimal(value)
        self._add(name, value, "not_a_score", top=top)
        return value

    def share(self, value: Any, name: str) -> Any:
        """Note a problem with the share ``name`` (a ``Decimal`` or ``Fraction`` from 0 to 1);
        return it as a ``Fraction``."""
        if (isinstance(value, Fraction) or _finite(value)) and 0 <= value <= 1:
            return Fraction(value)
        self._add(name, value, "not_a_share")
        return value

    def member(self, enum_cls: type[E], value: object, name: str) -> E:
        """``value`` as a member of ``enum_cls`` (text is read by ``enum_cls.parse``); note a
        problem if it names none (the value is then returned as is, for :meth:`check`)."""
        if type(value) is enum_cls:
            return value
        try:
            return enum_cls.parse(value)
        except ValidationError as exc:
            self.problems.extend(exc.prefixed(f"$.{name}").problems)
            return cast("E", value)

    def rules(self, rules: Any) -> Any:
        """Note a problem if ``rules`` is neither ``None``, a rule set nor a dated view."""
        if rules is not None and not isinstance(rules, RuleSet | DatedRules):
            self._add("rules", rules, "not_rules")
        return rules
