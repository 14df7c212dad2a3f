"""The arguments of the library's public callables, checked at the entry, the same way everywhere.

A caller's mistake — a date written as text, a float where money belongs, ``None`` or a number
where an object belongs — gets the same answer wherever it is made: a
:class:`~khuyencong.exceptions.ValidationError` whose path names the argument (``$.on``,
``$.project``) and whose message says what would be right, in the language in force; never a
``TypeError`` or ``AttributeError`` from deep inside. The conventions:

- a date is a ``datetime.date`` (not text, not a ``datetime``);
- money is whole đồng, an ``int`` of zero or more (never a ``float``);
- an object is of the class the signature names; several objects are a collection (a list, a
  tuple, a generator), never a text;
- a path is a ``str`` or a :class:`pathlib.Path`;
- an enum's constructor refuses an unknown value with the library's error
  (:class:`CheckedEnum`).

:class:`Arguments` collects the problems of several arguments and raises them together;
:func:`expect` checks one argument at once. The rules add their own conventions (scores,
shares, rule sets) in :mod:`khuyencong.rules`.

>>> args = Arguments()
>>> args.day("2024-07-01", "on")
'2024-07-01'
>>> args.check()
Traceback (most recent call last):
khuyencong.exceptions.ValidationError: $.on: ...
"""

from __future__ import annotations

import datetime as dt
import enum
import os
from collections.abc import Iterable
from typing import Any, TypeVar

from khuyencong.exceptions import Problem, ValidationError
from khuyencong.messages import text

__all__ = ["Arguments", "CheckedEnum", "date_problem", "expect", "is_int", "many_problem"]

T = TypeVar("T")


def _date_problem(value: object) -> tuple[str, dict[str, object]] | None:
    if type(value) is dt.date:
        return None
    if isinstance(value, dt.datetime):
        return "date_not_datetime", {}
    if isinstance(value, str):
        return "date_not_text", {"value": value}
    if isinstance(value, dt.date):  # a subclass of date that is not a datetime
        return None
    return "not_a_date", {"given": type(value).__name__}


def date_problem(value: object) -> str | None:
    """What is wrong with ``value`` as a date, in the language in force; ``None`` if nothing.

    >>> from khuyencong.messages import language
    >>> with language("en"):
    ...     date_problem("2024-07-01")
    'must be a date (datetime.date), not text: convert it with ...fromisoformat("2024-07-01")'
    """
    problem = _date_problem(value)
    return None if problem is None else text(f"rules.{problem[0]}", **problem[1])


def many_problem(value: object) -> str | None:
    """What is wrong with ``value`` as a collection of objects; ``None`` if nothing."""
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        return text("rules.not_many", given=type(value).__name__)
    return None


def is_int(value: object) -> bool:
    """Whether ``value`` is a whole number (an ``int``, not a ``bool``)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _kinds(kinds: tuple[type, ...]) -> str:
    return " | ".join(k.__name__ for k in kinds)


class Arguments:
    """The problems of several arguments, raised together (every one is listed).

    >>> import datetime as dt
    >>> args = Arguments()
    >>> args.money(1.5, "eligible_cost"), args.day(dt.date(2024, 7, 1), "on")
    (1.5, datetime.date(2024, 7, 1))
    >>> args.check()
    Traceback (most recent call last):
    khuyencong.exceptions.ValidationError: $.eligible_cost: ...
    """

    __slots__ = ("problems",)

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def _add(self, name: str, value: object, key: str, /, **fields: object) -> None:
        self.problems.append(Problem(f"$.{name}", text(f"rules.{key}", **fields), value))

    def day(self, value: Any, name: str = "on") -> Any:
        """Note a problem with the date argument ``name``; return the value."""
        problem = _date_problem(value)
        if problem is not None:
            self._add(name, value, problem[0], **problem[1])
        return value

    def optional_day(self, value: Any, name: str) -> Any:
        """As :meth:`day`, ``None`` allowed."""
        return value if value is None else self.day(value, name)

    def days(self, values: object, name: str) -> frozenset[dt.date]:
        """Note a problem with the argument ``name``, a collection of dates (not text); return
        the dates."""
        if isinstance(values, str | bytes) or not isinstance(values, Iterable):
            self._add(name, values, "not_dates")
            return frozenset()
        return frozenset(self.day(v, f"{name}[{i}]") for i, v in enumerate(values))

    def money(self, value: Any, name: str) -> Any:
        """Note a problem with the money argument ``name``; return the value."""
        if not is_int(value) or value < 0:
            self._add(name, value, "not_money")
        return value

    def optional_money(self, value: Any, name: str) -> Any:
        """As :meth:`money`, ``None`` allowed."""
        return value if value is None else self.money(value, name)

    def count(self, value: Any, name: str, minimum: int = 0, maximum: int | None = None) -> Any:
        """Note a problem with the whole-number argument ``name`` (at least ``minimum``, at
        most ``maximum``)."""
        if maximum is not None:
            if not is_int(value) or not minimum <= value <= maximum:
                self._add(name, value, "not_a_count_within", minimum=minimum, maximum=maximum)
        elif not is_int(value) or value < minimum:
            self._add(name, value, "not_a_count", minimum=minimum)
        return value

    def optional_count(self, value: Any, name: str, minimum: int = 0) -> Any:
        """As :meth:`count`, ``None`` allowed."""
        return value if value is None else self.count(value, name, minimum)

    def year(self, value: Any, name: str) -> Any:
        """Note a problem with the year argument ``name`` (a whole number, 1900 to 2100)."""
        if not is_int(value) or not 1900 <= value <= 2100:
            self._add(name, value, "not_a_year")
        return value

    def optional_year(self, value: Any, name: str) -> Any:
        """As :meth:`year`, ``None`` allowed."""
        return value if value is None else self.year(value, name)

    def flag(self, value: Any, name: str) -> Any:
        """Note a problem with the yes/no argument ``name`` (``True`` or ``False``)."""
        if not isinstance(value, bool):
            self._add(name, value, "not_a_flag")
        return value

    def text(self, value: Any, name: str) -> Any:
        """Note a problem with the text argument ``name`` (non-empty text)."""
        if not isinstance(value, str) or not value.strip():
            self._add(name, value, "not_text")
        return value

    def instance(self, value: Any, name: str, *kinds: type) -> Any:
        """Note a problem if ``value`` is not one of ``kinds``."""
        if not isinstance(value, kinds):
            self._add(name, value, "not_a", kind=_kinds(kinds))
        return value

    def optional(self, value: Any, name: str, *kinds: type) -> Any:
        """As :meth:`instance`, ``None`` allowed."""
        return value if value is None else self.instance(value, name, *kinds)

    def function(self, value: Any, name: str) -> Any:
        """Note a problem if ``value`` is neither ``None`` nor something to call."""
        if value is not None and not callable(value):
            self._add(name, value, "not_a", kind="function")
        return value

    def many(self, value: Any, name: str) -> Any:
        """Note a problem if ``value`` is not a collection of objects (a list, a tuple, a
        generator …; a text is one value, not a collection)."""
        problem = many_problem(value)
        if problem is not None:
            self.problems.append(Problem(f"$.{name}", problem, value))
        return value

    def path(self, value: Any, name: str) -> Any:
        """Note a problem if ``value`` is not a path (a ``str`` or a ``pathlib.Path``)."""
        if not isinstance(value, str | os.PathLike):
            self._add(name, value, "not_a_path", given=type(value).__name__)
        return value

    def each(self, values: Any, name: str, *kinds: type) -> Any:
        """Note a problem if ``values`` is not a collection of ``kinds`` (each item named by its
        index: ``$.grants[2]``); return it as a tuple (empty when it is no collection)."""
        if many_problem(self.many(values, name)) is not None:
            return ()
        items = tuple(values)
        if not all(isinstance(item, kinds) for item in items):  # one pass when all are right
            for i, item in enumerate(items):
                self.instance(item, f"{name}[{i}]", *kinds)
        return items

    def stream(self, value: Any, name: str, method: str) -> Any:
        """Note a problem if ``value`` is neither a path nor an open stream with ``method``
        (``read`` or ``write``)."""
        if not isinstance(value, str | os.PathLike) and not callable(getattr(value, method, None)):
            self._add(name, value, "not_a_stream", method=method, given=type(value).__name__)
        return value

    def check(self) -> None:
        """Raise every problem noted, in one error.

        Raises:
            ValidationError: Listing every problem, each with its argument's path.
        """
        if self.problems:
            raise ValidationError(self.problems)


def expect(value: T, name: str, *kinds: type, optional: bool = False) -> T:
    """``value``, if it is one of ``kinds`` (or ``None``, when ``optional``).

    >>> from decimal import Decimal
    >>> expect(Decimal("0.3"), "rate", Decimal, int)
    Decimal('0.3')

    Raises:
        ValidationError: Naming the argument (``$.<name>``) and the kinds it may be.
    """
    if optional and value is None:
        return value
    args = Arguments()
    args.instance(value, name, *kinds)
    args.check()
    return value


class CheckedEnum(enum.StrEnum):
    """A string enum whose constructor refuses an unknown value with the library's error.

    >>> class Colour(CheckedEnum):
    ...     RED = "red"
    >>> Colour("blue")
    Traceback (most recent call last):
    khuyencong.exceptions.ValidationError: $: ...
    """

    @classmethod
    def _missing_(cls, value: object) -> None:
        accepted = ", ".join(member.value for member in cls)
        raise ValidationError.single("$", value, text("rules.enum_unknown", accepted=accepted))
