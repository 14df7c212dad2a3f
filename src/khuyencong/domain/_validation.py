"""Collecting every problem of an object before refusing it.

attrs runs field validators one after the other and stops at the first failure. A user who
fixes a spreadsheet row wants to see every problem of the row at once, so the domain classes
run their checks through a :class:`Checks` collector in ``__attrs_post_init__`` and raise one
:class:`~khuyencong.exceptions.ValidationError` listing them all.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import attrs

from khuyencong._arguments import date_problem, many_problem
from khuyencong.domain._money import MAX_DONG
from khuyencong.exceptions import Problem, ValidationError
from khuyencong.messages import text as message

__all__ = ["Checks", "has_control_character"]

NUL = "\x00"


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
"""Unicode's control characters (category Cc): C0, DEL and C1."""


def has_control_character(value: str) -> bool:
    """Whether ``value`` holds a control character (NUL, tab, line break, …)."""
    return _CONTROL.search(value) is not None


class Checks:
    """A collector of problems found while checking one object."""

    __slots__ = ("problems",)

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def fail(self, field: str, value: object = None, message: str = "is invalid") -> None:
        """Record a problem with ``field`` (a name, or a ``$.`` path)."""
        path = field if field.startswith("$") else f"$.{field}"
        self.problems.append(Problem(path=path, message=message, value=value))

    def require(self, held: bool, field: str, value: object, check: str) -> None:
        """Record a problem unless ``held``: the message ``domain.check.<check>``, looked up
        only when the check fails (objects are built by the 100,000)."""
        if not held:
            self.fail(field, value, message(f"domain.check.{check}"))

    def text(self, field: str, value: object, *, optional: bool = False) -> None:
        """A required (or optional) non-blank string."""
        if value is None and optional:
            return
        if not isinstance(value, str) or not value.strip():
            self.fail(field, value, message("domain.check.non_empty_text"))
        elif NUL in value:
            self.fail(field, value, message("storage.nul_in_text"))

    def date(self, field: str, value: object, *, optional: bool = False) -> bool:
        """A ``datetime.date`` (not text, not a ``datetime``); whether it is one (``None``
        when ``optional`` is not one, but no problem either)."""
        if value is None and optional:
            return False
        problem = date_problem(value)
        if problem is not None:
            self.fail(field, value, problem)
        return problem is None

    def many(self, field: str, value: object) -> tuple[Any, ...]:
        """A collection of objects (a list, a tuple …, not a text), as a tuple; an empty tuple
        (and a problem) for anything else, so that the object's other checks can go on."""
        problem = many_problem(value)
        if problem is not None:
            self.fail(field, value, problem)
            return ()
        return tuple(value)  # type: ignore[arg-type]  # checked just above

    def count(self, field: str, value: object, *, optional: bool = False) -> None:
        """A whole number of people, members or units: an int, zero or more."""
        if value is None and optional:
            return
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(field, value, message("domain.check.whole_number"))
        elif value < 0:
            self.fail(field, value, message("domain.check.not_negative"))

    def money(self, field: str, value: object, *, optional: bool = False) -> None:
        """An amount in integer đồng, zero or more (floats are refused: money is exact)."""
        if value is None and optional:
            return
        if isinstance(value, float):
            self.fail(field, value, message("domain.check.money_float"))
        elif isinstance(value, bool) or not isinstance(value, int):
            self.fail(field, value, message("domain.check.money_int"))
        elif value < 0:
            self.fail(field, value, message("domain.check.not_negative"))
        elif value > MAX_DONG:
            self.fail(field, value, message("storage.money_too_large"))

    def signed_money(self, field: str, value: object, *, optional: bool = False) -> None:
        """A change of an amount in integer đồng: it may be negative (floats are refused)."""
        if value is None and optional:
            return
        if isinstance(value, float):
            self.fail(field, value, message("domain.check.money_float"))
        elif isinstance(value, bool) or not isinstance(value, int):
            self.fail(field, value, message("domain.check.money_int"))
        elif not -MAX_DONG <= value <= MAX_DONG:
            self.fail(field, value, message("storage.money_too_large"))

    def no_nul(self, obj: object) -> None:
        """Record every text field of ``obj`` (an attrs object) that holds a NUL character.

        Looks at text fields, tuples of texts and tuples of attrs objects (a project's
        history); a field that already has a problem is not reported twice. PostgreSQL cannot
        store NUL, so no store accepts it.
        """
        if not _holds_nul(obj):  # the usual case, kept cheap: objects come by the 100,000
            return
        found = [(name, value) for name, value in _texts(obj) if NUL in value]
        seen = {p.path for p in self.problems}
        for name, value in found:
            path = f"$.{name}"
            if path not in seen:
                self.fail(path, value, message("storage.nul_in_text"))

    def extend(self, field: str, error: ValidationError) -> None:
        """Record the problems of a nested object, under ``field``."""
        self.problems.extend(error.prefixed(f"$.{field}").problems)

    def each(self, problems: Iterable[Problem]) -> None:
        """Record already-built problems."""
        self.problems.extend(problems)

    def raise_if_any(self) -> None:
        """Raise one :class:`ValidationError` listing every problem recorded, if any."""
        if self.problems:
            raise ValidationError(self.problems)


_FIELDS: dict[type[Any], tuple[tuple[str, ...], Callable[[Any], tuple[Any, ...]]]] = {}


def _fields_of(cls: type[Any]) -> tuple[tuple[str, ...], Callable[[Any], tuple[Any, ...]]]:
    """The fields of an attrs class that may hold text (a text, or a tuple of texts or of
    objects), and a getter of all their values at once."""
    found = _FIELDS.get(cls)
    if found is None:
        names = tuple(
            f.name for f in attrs.fields(cls) if any(w in str(f.type) for w in ("str", "tuple"))
        )
        getter = operator.attrgetter(*names) if names else (lambda o: ())
        found = _FIELDS[cls] = (names, getter if len(names) != 1 else lambda o: (getter(o),))
    return found


_IS_ATTRS: dict[type[Any], bool] = {}
"""Whether a type is an attrs class (``attrs.has`` of an enum goes through the enum's slow
``__getattr__``: asked once per type)."""


def _is_attrs(kind: type[Any]) -> bool:
    found = _IS_ATTRS.get(kind)
    if found is None:
        found = _IS_ATTRS[kind] = attrs.has(kind)
    return found


def _holds_nul(obj: object) -> bool:
    """Whether a text of ``obj`` (see :func:`_texts`) holds a NUL; fast for the usual no."""
    for value in _fields_of(type(obj))[1](obj):
        if type(value) is str:
            if NUL in value:
                return True
        elif type(value) is tuple:
            for item in value:
                kind = type(item)
                if (kind is str and NUL in item) or (_is_attrs(kind) and _holds_nul(item)):
                    return True
    return False


def _texts(obj: object, prefix: str = "") -> Iterator[tuple[str, str]]:
    """``(field path, text)`` for every text in ``obj``'s fields, one level of tuples deep
    (enum values are not texts here: they cannot hold a NUL)."""
    names, values = _fields_of(type(obj))
    for name, value in zip(names, values(obj), strict=True):
        kind = type(value)
        if kind is str:
            yield f"{prefix}{name}", value
        elif kind is tuple and value:
            for i, item in enumerate(value):
                if type(item) is str:
                    yield f"{prefix}{name}[{i}]", item
                elif _is_attrs(type(item)):
                    yield from _texts(item, f"{prefix}{name}[{i}].")
