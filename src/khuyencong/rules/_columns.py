"""Columnar batch evaluation: many applications given as columns, objects built only when read.

:func:`evaluate_many` takes :class:`Application` objects; building a validated
:class:`~khuyencong.domain.Establishment` and an application per record is most of the time of
a batch of a million. :func:`evaluate_columns` takes the same fields as columns (one list per
field, the values the constructors take) and gives the same answers — from the same memoised
parts of :class:`~khuyencong.rules._eligibility.Profile` and the same formulas — with the
objects built only for the records a caller reads (:meth:`ColumnResults.__getitem__`), and
then through their validating constructors: a decision is still read back with every
condition.

Every row is checked before any is evaluated: the common case column by column (exact types,
ASCII identifiers); a row that is not plainly valid is built through the constructors, so its
errors are theirs (located under ``$.applications[i]``).

>>> import datetime as dt
>>> from khuyencong.domain import LegalForm, Sector, SupportContent
>>> from khuyencong.units import MapId, UnitRef
>>> place = UnitRef(MapId.MAP_2021, "07525")
>>> results = evaluate_columns(
...     {
...         "id": ["HTX-1", "HKD-2"],
...         "name": ["HTX Mỳ Chũ", "Hộ Lan"],
...         "legal_form": [LegalForm.COOPERATIVE, LegalForm.HOUSEHOLD_BUSINESS],
...         "location": [place, place],
...         "sectors": [(Sector.HANDICRAFTS,), (Sector.OTHER,)],
...         "members": [9, None],
...         "content": [SupportContent.BRAND, SupportContent.BRAND],
...         "eligible_cost": [80_000_000, 80_000_000],
...     },
...     dt.date(2016, 3, 1),
... )
>>> results.eligible, results.amount_value
([True, False], [35000000, 0])
>>> [c.code for c in results[1].decision.conditions if not c.held]
['sector']
"""

from __future__ import annotations

import datetime as dt
import itertools
import operator
from bisect import bisect_left
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from khuyencong._gc import collector_paused
from khuyencong.domain import (
    AreaDifficulty,
    BusinessSectorGroup,
    Dong,
    Establishment,
    Fund,
    LegalForm,
    Sector,
    SupportContent,
)
from khuyencong.domain._converters import sorted_unique
from khuyencong.domain._establishments import plain_count, plain_identifier, plain_money
from khuyencong.domain._money import MAX_DONG as _MAX_DONG
from khuyencong.domain._validation import NUL
from khuyencong.exceptions import (
    CoverageError,
    NotConfiguredError,
    RuleConflictError,
    UnitMappingError,
    ValidationError,
)
from khuyencong.messages import text
from khuyencong.rules._arguments import Arguments, dated
from khuyencong.rules._batch import Application, BatchResult, Day
from khuyencong.rules._cooperatives import COOPERATIVE_KINDS
from khuyencong.rules._eligibility import EMPTY_PART, Part, Place, Profile
from khuyencong.rules._rulesets import DatedRules, RuleSet
from khuyencong.rules._sme_size import classifier, thresholds
from khuyencong.rules._support import Formula
from khuyencong.units import UnitRef

__all__ = ["APPLICATION_COLUMNS", "ColumnResults", "evaluate_columns"]

APPLICATION_COLUMNS: tuple[str, ...] = (
    "id",
    "name",
    "legal_form",
    "location",
    "sectors",
    "members",
    "employees",
    "revenue",
    "total_capital",
    "business_sector_group",
    "area_difficulty",
    "polluting_brick_kiln",
    "content",
    "eligible_cost",
)
"""The columns :func:`evaluate_columns` takes: the :class:`~khuyencong.domain.Establishment`
fields that eligibility reads without a labelled exception, and the content and eligible cost
of the :class:`Application` (national fund, one unit, no priority). The first five are
required; the others default as in the constructors."""

_REQUIRED = APPLICATION_COLUMNS[:5]
_DEFAULTS: dict[str, Any] = {
    "members": None,
    "employees": None,
    "revenue": None,
    "total_capital": None,
    "business_sector_group": None,
    "area_difficulty": AreaDifficulty.NONE,
    "polluting_brick_kiln": False,
    "content": None,
    "eligible_cost": 0,
}
_RULE_ERRORS = (NotConfiguredError, CoverageError, RuleConflictError, UnitMappingError)
_SME = LegalForm.SME
_SERVICE = LegalForm.SERVICE_ORGANISATION


class ColumnResults:
    """The answers of :func:`evaluate_columns`, as columns in input order.

    The results keep the caller's columns (not a copy), to build a record when it is read:
    change neither the columns nor their values afterwards.

    Attributes:
        eligible: Whether each establishment is eligible (``False`` when an error stopped the
            decision).
        amount_value: The support in đồng (0 when not eligible, ``None`` without a content or
            on error).
        error: The error of each record (not configured, coverage, conflict, a unit that
            cannot be placed on the post-reform map), or ``None``.
    """

    __slots__ = (
        "_columns",
        "_day",
        "_plain",
        "_what",
        "_where",
        "_who",
        "amount_value",
        "eligible",
        "error",
    )

    def __init__(self, columns: dict[str, Sequence[Any]], day: Day, n: int) -> None:
        self._columns = columns
        self._day = day
        # Whether each row's values are as the constructors keep them (None: all are).
        self._plain: list[bool] | None = None
        self._who: list[Part | None] = [None] * n
        self._where: list[Part] = [EMPTY_PART] * n
        self._what: list[Part] = [EMPTY_PART] * n
        self.eligible: list[bool] = [False] * n
        self.amount_value: list[Dong | None] = [None] * n
        self.error: list[Exception | None] = [None] * n

    def __len__(self) -> int:
        return len(self.eligible)

    @property
    def columns(self) -> Mapping[str, Sequence[Any]]:
        """The columns evaluated (the caller's lists, not a copy; a column not given is
        absent)."""
        return self._columns

    def __getitem__(self, index: int) -> BatchResult:
        """Record ``index`` as a :class:`BatchResult`: its establishment and application built
        (validated) now, its decision with every condition and its explained amount readable.

        Raises:
            IndexError: Past the end.
        """
        index = range(len(self))[index]  # negative indexes, and the IndexError
        result = BatchResult(application(self._columns, index))
        result._day = self._day
        result._who = self._who[index]
        result._where = self._where[index]
        result._what = self._what[index]
        result.amount_value = self.amount_value[index]
        result.error = self.error[index]
        return result


def application(columns: Mapping[str, Sequence[Any]], index: int) -> Application:
    """Row ``index`` of ``columns`` built as an :class:`Application` through the validating
    constructors.

    Raises:
        ValidationError: The row's problems, under ``$.applications[index]``.
    """
    return application_of({name: column[index] for name, column in columns.items()}, index)


def application_of(row: dict[str, Any], index: int) -> Application:
    """One row's values (keyed by the names of :data:`APPLICATION_COLUMNS`, absent ones
    defaulted) built as an :class:`Application`; the row's problems under
    ``$.applications[index]``."""
    content, cost = row.pop("content", None), row.pop("eligible_cost", 0)
    try:
        return Application(Establishment(**row), content, cost)
    except ValidationError as exc:
        raise exc.prefixed(f"$.applications[{index}]") from None


def _checked(columns: object) -> tuple[dict[str, Sequence[Any]], int]:
    """The columns (each a list or tuple, all of one length) and that length."""
    if not isinstance(columns, Mapping):
        raise ValidationError.single("$.columns", columns, text("rules.columns_not_a_mapping"))
    unknown = sorted(set(columns) - set(APPLICATION_COLUMNS), key=str)
    if unknown:
        known = ", ".join(APPLICATION_COLUMNS)
        message = text("rules.columns_unknown", unknown=", ".join(map(str, unknown)), known=known)
        raise ValidationError.single("$.columns", unknown, message)
    missing = [name for name in _REQUIRED if name not in columns]
    if missing:
        message = text("rules.columns_missing", missing=", ".join(missing))
        raise ValidationError.single("$.columns", missing, message)
    lengths = {name: len(c) for name, c in columns.items() if type(c) in {list, tuple}}
    if len(lengths) != len(columns):
        bad = sorted(set(columns) - set(lengths))
        message = text("rules.columns_not_lists", names=", ".join(bad))
        raise ValidationError.single("$.columns", bad, message)
    if len(set(lengths.values())) != 1:
        message = text(
            "rules.columns_lengths", lengths=", ".join(f"{k} {v}" for k, v in lengths.items())
        )
        raise ValidationError.single("$.columns", lengths, message)
    return dict(columns), lengths["id"]


def _plain_column(name: str, column: Sequence[Any]) -> bool:
    """Whether every value of a column is plainly valid, decided at C speed over the whole
    column (``False``: check it value by value)."""
    types = set(map(type, column))
    if name in ("id", "name"):
        if types != {str}:
            return False
        joined = "".join(column)
        if name == "name":  # kept in NFC, stripped: normalising maps nothing to a space or NUL
            return NUL not in joined and all(map(str.strip, column))  # none only spaces
        if not (joined.isascii() and joined.isprintable()):  # in ASCII: no control character
            return False
        lengths = list(map(len, column))
        return (
            min(lengths) > 0
            and max(lengths) <= _MAX_IDENTIFIER
            # The one printable ASCII space is " ": without it, no id has spaces around it.
            and (" " not in joined or len(joined) == len("".join(map(str.strip, column))))
        )
    if name == "sectors":
        return (
            types == {tuple}
            and all(column)
            and set(map(type, itertools.chain.from_iterable(column))) == {Sector}
        )
    if name in _MONEY or name in _COUNTS:
        if not types <= ({int} if name == "eligible_cost" else {int, _NONE}):
            return False  # an application's cost is never None
        numbers = column
        if _NONE in types:
            numbers = list(itertools.compress(column, map(operator.is_not, column, _NONES)))
        top = _MAX_DONG if name in _MONEY else None
        return not numbers or (min(numbers) >= 0 and (top is None or max(numbers) <= top))
    if name == "legal_form" and LegalForm.ARTISAN in column:  # needs a title: check in full
        return False
    return types <= _TYPES[name]


def _plain_rows(c: dict[str, Sequence[Any]], n: int) -> list[bool]:
    """Whether each row would pass every check of the constructors, decided cheaply for the
    common case (as :meth:`Establishment._plainly_valid` does); ``False``: check it in full."""
    ok = [True] * n
    for name, column in c.items():
        if name == "members" or _plain_blocks(name, column):
            continue
        test = _ROW_TESTS[name]
        for i, value in enumerate(column):
            if not test(value):
                ok[i] = False
    members = c.get("members")
    if members is not None and not _plain_members(c["legal_form"], members):
        kinds = COOPERATIVE_KINDS
        for i, (form, m) in enumerate(zip(c["legal_form"], members, strict=True)):
            if m is not None and not (form in kinds and plain_count(m)):
                ok[i] = False
    return ok


def _plain_blocks(name: str, column: Sequence[Any]) -> bool:
    """:func:`_plain_column` over the whole column; a text column a block of rows at a time.

    Every test of :func:`_plain_column` holds for a column exactly when it holds for each
    block. The strings of a column read from JSON lie far apart in memory (between the other
    values of their record): each pass over the whole column misses the cache once per
    value, while the later passes over a block find its strings still in the cache (measured:
    the id column three times faster at 100,000 rows)."""
    if name not in _TEXT or len(column) <= _BLOCK:
        return _plain_column(name, column)
    return all(_plain_column(name, column[i : i + _BLOCK]) for i in range(0, len(column), _BLOCK))


_TEXT = ("id", "name")
_BLOCK = 2048


def _plain_members(forms: Sequence[Any], members: Sequence[Any]) -> bool:
    """Whether every member count is plainly valid: ``None``, or a count of a cooperative
    kind (decided at C speed: the forms of the rows with members, by identity)."""
    given_at = list(map(operator.is_not, members, _NONES))
    given = list(itertools.compress(forms, given_at))
    if not given:
        return True
    if not set(map(id, given)) <= _COOPERATIVE_IDS:
        return False
    return _plain_column("employees", list(itertools.compress(members, given_at)))


_COOPERATIVE_IDS = frozenset(map(id, COOPERATIVE_KINDS))


_MAX_IDENTIFIER = 64
_MONEY = ("revenue", "total_capital", "eligible_cost")
_COUNTS = ("employees",)
_NONE = type(None)
_NONES = itertools.repeat(None)
_TYPES: dict[str, set[type[Any]]] = {
    "legal_form": {LegalForm},
    "location": {UnitRef},
    "business_sector_group": {_NONE, BusinessSectorGroup},
    "area_difficulty": {AreaDifficulty},
    "polluting_brick_kiln": {bool},
    "content": {_NONE, SupportContent},
}
"""The types the other columns hold when every value is plainly valid."""
_ROW_TESTS: dict[str, Callable[[Any], bool]] = {
    "legal_form": lambda v: type(v) is LegalForm and v is not LegalForm.ARTISAN,
    "location": lambda v: type(v) is UnitRef,
    "business_sector_group": lambda v: v is None or type(v) is BusinessSectorGroup,
    "area_difficulty": lambda v: type(v) is AreaDifficulty,
    "polluting_brick_kiln": lambda v: type(v) is bool,
    "content": lambda v: v is None or type(v) is SupportContent,
    "id": plain_identifier,
    "name": lambda v: type(v) is str and v.strip() != "" and NUL not in v,
    "sectors": lambda v: type(v) is tuple and len(v) > 0 and all(type(s) is Sector for s in v),
    "employees": lambda v: v is None or plain_count(v),
    "revenue": lambda v: v is None or plain_money(v),
    "total_capital": lambda v: v is None or plain_money(v),
    "eligible_cost": plain_money,
}
"""The test of one value of each column, for a column that is not plainly valid as a whole."""


def evaluate_columns(
    columns: Mapping[str, Sequence[Any]],
    on: dt.date,
    *,
    rules: RuleSet | DatedRules | None = None,
    plan_year: int | None = None,
) -> ColumnResults:
    """Evaluate eligibility and support amounts for applications given as columns.

    The answers are those of :func:`evaluate_many` over the same applications (national fund,
    one unit, no priority), from the same implementations; no object is built for a record
    unless it needs one (a memo the batch has not filled yet, a row that is not plainly
    valid) or a caller reads it.

    Args:
        columns: One list (or tuple) per column of :data:`APPLICATION_COLUMNS`, all of one
            length, holding the values the constructors take (members of the enums, a
            :class:`~khuyencong.units.UnitRef`, a tuple of sectors, whole đồng).
        on: The date.
        rules: A rule set or its view dated ``on`` (national baseline by default).
        plan_year: The plan year for the 5-year ward rule.

    Returns:
        The answers as columns; ``results[i]`` is record ``i`` as a :class:`BatchResult`.

    Raises:
        ValidationError: For an argument of the wrong kind, an unknown or missing column,
            columns of different lengths, or a row the constructors refuse (its problems
            under ``$.applications[i]``).
    """
    args = Arguments()
    args.day(on)
    args.rules(rules)
    args.optional_year(plan_year, "plan_year")
    args.check()
    c, n = _checked(columns)
    day = Day(dated(rules, on))
    with collector_paused():  # millions of objects that stay alive: see khuyencong._gc
        ok = _plain_rows(c, n)
        if not all(ok):
            for i, plain in enumerate(ok):
                if not plain:
                    application(c, i)  # raises the row's problems, if it has any
        results = ColumnResults(c, day, n)
        results._plain = ok
        _evaluate(c, ok, plan_year, results)
    return results


def _column(c: dict[str, Sequence[Any]], name: str, n: int) -> Sequence[Any]:
    found = c.get(name)
    return found if found is not None else [_DEFAULTS[name]] * n


def _evaluate(  # noqa: PLR0915  (the hot loop is inlined on purpose)
    c: dict[str, Sequence[Any]],
    plain: list[bool],
    plan_year: int | None,
    out: ColumnResults,
) -> None:
    """Fill ``out`` row by row. The memos of this call are keyed by the identity of the
    column values (enum members, unit references and sector tuples the columns keep alive:
    an enum's hash is a Python call); each holds the part (or the error) the profile gives
    for the same values, so that a row costs a few dictionary lookups."""
    day, n = out._day, len(plain)
    profile = day.profile
    forms, places, ids = c["legal_form"], c["location"], c["id"]
    members, employees = _column(c, "members", n), _column(c, "employees", n)
    revenue, capital = _column(c, "revenue", n), _column(c, "total_capital", n)
    groups, areas = _column(c, "business_sector_group", n), _column(c, "area_difficulty", n)
    kilns, contents = _column(c, "polluting_brick_kiln", n), _column(c, "content", n)
    costs, sectors = _column(c, "eligible_cost", n), c["sectors"]
    outs_who, outs_where, outs_what = out._who, out._where, out._what
    eligible, amounts, errs = out.eligible, out.amount_value, out.error
    # Each maps to a part (or a formula), or to the error to record.
    whos: dict[Any, Any] = {}
    wheres: dict[Any, Any] = {}
    whats: dict[Any, Any] = {}
    formulas: dict[Any, Any] = {}
    smes: dict[Any, Any] = {}
    key: Any
    found: Any
    who: Any  # a part, or the error memoised for its key
    where: Any
    what: Any
    applied: Any
    sme = _SME
    part = tuple

    # Each part from the profile's memo, else the one-record way (which fills that memo).
    def who_of(i: int) -> Part | Exception:
        form = forms[i]
        key = (form, members[i]) if form in COOPERATIVE_KINDS else form
        return _memoised(profile.who_parts, profile, key) or profile.who(est(i))

    def where_of(i: int) -> Part | Exception:
        ref = places[i]
        key = (ref.map_id, ref.code, plan_year, None)
        # A plain row's id and place are as the constructors keep them: no establishment.
        site = Place(ids[i], ref)
        return _memoised(profile.location, profile, key) or profile.where(site, plan_year)

    def what_of(i: int) -> Part | Exception:
        key = (sorted_unique(sectors[i]), areas[i], kilns[i])
        return _memoised(profile.sector, profile, key) or profile.what(est(i))

    def est(i: int) -> Establishment:
        return application(c, i).establishment

    rules = day.dated

    cuts: dict[int, Any] = {}

    def size_index(group: Any, e: Any, r: Any, k: Any) -> tuple[Any, ...] | None:
        """The key of an SME's *who* part: its group and the place of each figure among the
        size thresholds (:func:`~khuyencong.rules._sme_size.thresholds`: the class and its
        citation depend on nothing else); ``None``: ask the profile for this row alone."""
        if group is None:
            return None
        found: Any = cuts.get(id(group))
        if found is None:
            try:
                found = thresholds(classifier(rules, group)[1])
            except _RULE_ERRORS:  # the profile raises it, in the order of the conditions
                found = False
            cuts[id(group)] = found
        if found is False:
            return None
        te, tr, tk = found
        return (
            id(group),
            None if e is None else bisect_left(te, e),
            None if r is None else bisect_left(tr, r),
            None if k is None else bisect_left(tk, k),
        )

    def formula_of(content: SupportContent) -> Formula | Exception:
        try:
            return day.formula_of(content, Fund.NATIONAL, False)
        except (*_RULE_ERRORS, ValidationError) as exc:
            return exc

    who_get, where_get, what_get = whos.get, wheres.get, whats.get
    formula_get, sme_get = formulas.get, smes.get
    columns = zip(
        range(n), plain, forms, members, places, sectors, areas, kilns, contents, strict=True
    )
    for i, ok, form, m, place, sector, area, kiln, given in columns:
        content = given
        try:
            if not ok or form is _SERVICE:  # the one-record path
                app = application(c, i)  # the values as the constructors keep them
                content = app.content
                who, where, what = profile.parts(app.establishment, plan_year)
            else:
                if form is sme:
                    group, e, r, k = groups[i], employees[i], revenue[i], capital[i]
                    size = size_index(group, e, r, k)
                    found = sme_get(size) if size is not None else None
                    if found is None:
                        found = profile.sme_who(group, e, r, k, None)
                        if size is not None:
                            smes[size] = found
                    who = found
                else:
                    key = (id(form), m)
                    who = who_get(key)
                    if who is None:
                        who = whos[key] = _caught(who_of, i)
                    if type(who) is not part:
                        raise who  # an error memoised above
                key = id(place)
                where = where_get(key)
                if where is None:
                    where = wheres[key] = _caught(where_of, i)
                if type(where) is not part:
                    raise where
                key = (id(sector), id(area), kiln)
                what = what_get(key)
                if what is None:
                    what = whats[key] = _caught(what_of, i)
                if type(what) is not part:
                    raise what
            outs_who[i], outs_where[i], outs_what[i] = who, where, what
            held = who[0] and where[0] and what[0]
            eligible[i] = held
            if content is not None:
                applied = formula_get(id(content))
                if applied is None:
                    applied = formulas[id(content)] = formula_of(content)
                if type(applied) is not Formula:
                    raise applied  # the error memoised above
                amounts[i] = applied.apply(costs[i], 1) if held else 0
        except (*_RULE_ERRORS, ValidationError) as exc:
            errs[i] = exc


def _memoised(table: dict[Any, Part], profile: Profile, key: Any) -> Part | None:
    """The profile's part at ``key``; its memoised error raised; ``None`` if not known yet."""
    found = table.get(key)
    if found is None:
        error = profile.errors.get((id(table), key))
        if error is not None:
            raise error
    return found


def _caught(get: Callable[[int], Part | Exception], i: int) -> Part | Exception:
    """``get(i)``, or the rule error it raised."""
    try:
        return get(i)
    except _RULE_ERRORS as exc:
        return exc
