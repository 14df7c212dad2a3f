"""Applications in a Polars DataFrame of wire values, decided once per distinct key.

:func:`evaluate_frame` takes the applications as a :class:`polars.DataFrame` holding the values
the JSON and CSV formats hold (enum values as text, the place as its map and code, whole đồng
as Int64), so that the coding is the caller's build step, as a numpy-based engine's is. The
answers are exactly those of :func:`~khuyencong.rules.evaluate_columns` over the same rows
converted to objects (:func:`frame_columns`): the checks run as Polars expressions, each part
of the decision (who, where, what: the parts :class:`~khuyencong.rules._eligibility.Profile`
memoises) is asked of the profile once per distinct key, for the first row that reaches it,
and the answers are joined back; only the amount formula is computed in Polars (in Int64 when
no product can pass 2**63, in Python integers otherwise). A row the checks do not find plainly
valid, and a service organisation, takes the one-record way, as in ``evaluate_columns``.

>>> import datetime as dt
>>> import polars as pl
>>> frame = pl.DataFrame(
...     {
...         "id": ["HTX-1", "HKD-2"],
...         "name": ["HTX Mỳ Chũ", "Hộ Lan"],
...         "legal_form": ["cooperative", "household_business"],
...         "map_id": ["2021-11", "2021-11"],
...         "unit_code": ["07525", "07525"],
...         "sectors": ["handicrafts", "other"],
...         "members": [9, None],
...         "content": ["brand", "brand"],
...         "eligible_cost": [80_000_000, 80_000_000],
...     }
... )
>>> results = evaluate_frame(frame, dt.date(2016, 3, 1))
>>> results.frame.rows()
[(True, 35000000, None), (False, 0, None)]
>>> [c.code for c in results[1].decision.conditions if not c.held]
['sector']
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from khuyencong._gc import collector_paused
from khuyencong.domain import (
    AreaDifficulty,
    BusinessSectorGroup,
    Fund,
    LegalForm,
    Sector,
    SupportContent,
)
from khuyencong.domain._money import MAX_DONG
from khuyencong.exceptions import MissingExtraError, ValidationError
from khuyencong.messages import text
from khuyencong.rules._arguments import Arguments, dated
from khuyencong.rules._batch import Application, BatchResult, Day
from khuyencong.rules._columns import (
    _DEFAULTS,
    _RULE_ERRORS,
    APPLICATION_COLUMNS,
    application_of,
)
from khuyencong.rules._cooperatives import COOPERATIVE_KINDS
from khuyencong.rules._eligibility import EMPTY_PART, Part, Place
from khuyencong.rules._rulesets import DatedRules, RuleSet
from khuyencong.rules._sme_size import classifier, thresholds
from khuyencong.rules._support import Formula
from khuyencong.units import MapId, UnitRef

__all__ = ["FRAME_COLUMNS", "FrameResults", "evaluate_frame", "frame_columns"]

EXTRA = "columnar"

FRAME_COLUMNS: tuple[str, ...] = (
    *APPLICATION_COLUMNS[:3],
    "map_id",
    "unit_code",
    *APPLICATION_COLUMNS[4:],
)
"""The columns :func:`evaluate_frame` takes: those of
:data:`~khuyencong.rules.APPLICATION_COLUMNS` with ``location`` as two String columns,
``map_id`` and ``unit_code``. The first six are required; the others default as in
:func:`~khuyencong.rules.evaluate_columns`."""

_REQUIRED = FRAME_COLUMNS[:6]
_ENUMS: dict[str, Any] = {
    "legal_form": LegalForm,
    "business_sector_group": BusinessSectorGroup,
    "area_difficulty": AreaDifficulty,
    "content": SupportContent,
}
_SERVICE = LegalForm.SERVICE_ORGANISATION
_SME = LegalForm.SME
_INT64_MAX = (1 << 63) - 1
# The columns the *who* part reads of the row it asks.
_WHO_FIELDS = ("legal_form", "business_sector_group", "employees", "revenue", "total_capital")
# A name is plain when it has a character Python's str.strip keeps: not Unicode White_Space
# (Polars' \s) and not the separators \x1c-\x1f, which Python also strips.
_HAS_NON_SPACE = r"[^\s\x1c-\x1f]"
# A plain id: 1 to 64 printable ASCII characters, no space first or last.
_PLAIN_ID = r"^[!-~](?:[ -~]{0,62}[!-~])?$"


def _polars() -> Any:
    """The polars module, or a :class:`MissingExtraError` naming the extra to install."""
    try:
        import polars  # noqa: PLC0415  (an optional extra, imported when used)
    except ImportError:
        raise MissingExtraError(EXTRA, text("common.missing_extra", extra=EXTRA)) from None
    return polars


def _checked(pl: Any, frame: object) -> None:
    """A DataFrame with known columns and every required one."""
    if not isinstance(frame, pl.DataFrame):
        raise ValidationError.single("$.frame", frame, text("rules.frame_not_a_frame"))
    unknown = sorted(set(frame.columns) - set(FRAME_COLUMNS))
    if unknown:
        known = ", ".join(FRAME_COLUMNS)
        message = text("rules.columns_unknown", unknown=", ".join(unknown), known=known)
        raise ValidationError.single("$.frame", unknown, message)
    missing = [name for name in _REQUIRED if name not in frame.columns]
    if missing:
        message = text("rules.columns_missing", missing=", ".join(missing))
        raise ValidationError.single("$.frame", missing, message)


def _member(enum: Any, value: Any) -> Any:
    """The member of ``enum`` with this wire value; any other value as it is (for the
    constructor to refuse, naming its field)."""
    try:
        return enum._value2member_map_.get(value, value)
    except TypeError:  # unhashable
        return value


def _wire(series: Any) -> list[Any]:
    """A column's values as Python values (an Enum or Categorical column as its text)."""
    pl = _polars()
    dtype = series.dtype
    if isinstance(dtype, pl.Enum | pl.Categorical):
        series = series.cast(pl.String)
    elif isinstance(dtype, pl.List) and isinstance(dtype.inner, pl.Enum | pl.Categorical):
        series = series.cast(pl.List(pl.String))
    values: list[Any] = series.to_list()
    return values


def frame_columns(frame: Any) -> dict[str, list[Any]]:
    """The rows of ``frame`` as the columns :func:`~khuyencong.rules.evaluate_columns` takes:
    each enum value as its member, ``map_id`` and ``unit_code`` as a
    :class:`~khuyencong.units.UnitRef`, ``sectors`` as a tuple of members (one member for a
    String column). A value that converts to nothing (an unknown enum value, a unit not on
    its map, a null) is kept as it is, so that the constructors refuse it naming its field;
    a column the frame lacks is absent.

    Raises:
        MissingExtraError: If Polars is not installed.
        ValidationError: For something other than a DataFrame, or an unknown or missing
            column.
    """
    pl = _polars()
    _checked(pl, frame)
    out: dict[str, list[Any]] = {}
    refs: dict[tuple[Any, Any], Any] = {}
    for name in APPLICATION_COLUMNS:
        if name == "location":
            pairs = zip(_wire(frame["map_id"]), _wire(frame["unit_code"]), strict=True)
            out[name] = [_ref(refs, pair) for pair in pairs]
        elif name not in frame.columns:
            continue
        elif name in _ENUMS:
            enum = _ENUMS[name]
            out[name] = [_member(enum, v) for v in _wire(frame[name])]
        elif name == "sectors":
            out[name] = [_sectors(v) for v in _wire(frame[name])]
        else:
            out[name] = _wire(frame[name])
    return out


def _ref(refs: dict[tuple[Any, Any], Any], pair: tuple[Any, Any]) -> Any:
    """The unit reference of a (map, code) pair; the pair itself when it names no unit."""
    try:
        return refs[pair]
    except KeyError:
        pass
    except TypeError:
        return pair
    try:
        found: Any = UnitRef(MapId(pair[0]), pair[1])
    except (ValueError, TypeError, ValidationError):
        found = pair
    refs[pair] = found
    return found


def _sectors(value: Any) -> Any:
    if isinstance(value, str):
        return (_member(Sector, value),)
    if isinstance(value, list):
        return tuple(_member(Sector, v) for v in value)
    return value


class FrameResults:
    """The answers of :func:`evaluate_frame`.

    Attributes:
        frame: One row per application, in input order: ``eligible`` (Boolean; ``False`` when
            an error stopped the decision), ``amount`` (Int64 đồng; 0 when not eligible, null
            without a content or on error) and ``error`` (the error's message, or null).
        errors: The error of each row as the exception (or ``None``), as
            :class:`~khuyencong.rules.ColumnResults` gives it.

    The results read as :class:`~khuyencong.rules.ColumnResults` do (``eligible``,
    ``amount_value``, ``error`` and ``columns`` as lists, made when first read), so that
    :class:`~khuyencong.indicators.EligibleSupport` takes them:
    ``EligibleSupport(results, on)`` gives the support records of the eligible rows (it picks
    them in :attr:`frame`, without reading these lists).
    The results keep the caller's frame (not a copy): do not change it afterwards.
    """

    __slots__ = ("_day", "_input", "_lists", "_parts", "_plain_col", "errors", "frame")

    def __init__(
        self,
        source: Any,
        day: Day,
        frame: Any,
        *,
        errors: list[Exception | None],
        parts: Callable[[int], tuple[Part | None, Part, Part]],
        plain: Any,
    ) -> None:
        self._input = source
        self._day = day
        self.frame = frame
        self.errors = errors
        self._parts = parts
        self._plain_col = plain
        self._lists: dict[str, Any] = {}

    def __len__(self) -> int:
        height: int = self.frame.height
        return height

    def __getitem__(self, index: int) -> BatchResult:
        """Row ``index`` as a :class:`BatchResult`: its establishment and application built
        (validated) now from the row's values, its decision with every condition.

        Raises:
            IndexError: Past the end.
        """
        index = range(len(self))[index]
        row = {k: v[0] for k, v in frame_columns(self._input.slice(index, 1)).items()}
        result = BatchResult(application_of(row, index))
        result._day = self._day
        result._who, result._where, result._what = self._parts(index)
        result.amount_value = self.frame["amount"][index]
        result.error = self.errors[index]
        return result

    # What EligibleSupport reads (as of ColumnResults): Python lists, made when first read.

    @property
    def eligible(self) -> list[bool]:
        """``frame["eligible"]`` as a list."""
        found: list[bool] = self._list("eligible")
        return found

    @property
    def amount_value(self) -> list[int | None]:
        """``frame["amount"]`` as a list."""
        found: list[int | None] = self._list("amount")
        return found

    @property
    def error(self) -> list[Exception | None]:
        """The same as :attr:`errors` (the name :class:`~khuyencong.rules.ColumnResults`
        gives it)."""
        return self.errors

    @property
    def columns(self) -> Mapping[str, Sequence[Any]]:
        """The ``id`` and ``content`` columns as :func:`~khuyencong.rules.evaluate_columns`
        takes them (the content as its member; a value that is none, as ``None``: such a
        row was refused or is not plain)."""
        if "columns" not in self._lists:
            pl = _polars()
            given = self._input
            contents: list[Any] = [None] * len(self)
            if "content" in given.columns:
                coded = _coded_enum(pl, given["content"], SupportContent).to_physical()
                members = list(SupportContent)
                contents = [None if k is None else members[k] for k in coded.to_list()]
            self._lists["columns"] = {"id": _wire(given["id"]), "content": contents}
        found: Mapping[str, Sequence[Any]] = self._lists["columns"]
        return found

    @property
    def _plain(self) -> list[bool] | None:
        """Whether each row's values are as the constructors keep them (``None``: every
        row's are), as :class:`~khuyencong.rules.ColumnResults` gives it."""
        if self._plain_col.all():
            return None
        found: list[bool] = self._list("plain")
        return found

    def _eligible_support(self) -> tuple[list[int], list[Any], list[Any], list[Any]]:
        """What :class:`~khuyencong.indicators.EligibleSupport` keeps, picked in the frame:
        the rows that are eligible, without an error and with a content, and their ``id``
        (as :attr:`columns` gives it), content member and amount: the lists of the kept
        rows alone, not of every row."""
        pl = _polars()
        given, out = self._input, self.frame
        n = len(self)
        if "content" in given.columns:
            codes = _coded_enum(pl, given["content"], SupportContent).to_physical()
        else:
            codes = pl.Series("content", [None] * n, dtype=pl.UInt32)
        kept = pl.DataFrame(
            {
                "row": pl.int_range(n, dtype=pl.Int64, eager=True),
                "id": given["id"],
                "content": codes,
                "amount": out["amount"],
            }
        ).filter(out["eligible"] & out["error"].is_null() & codes.is_not_null())
        members = list(SupportContent)
        contents = list(map(members.__getitem__, kept["content"].to_list()))
        rows: list[int] = kept["row"].to_list()
        return rows, _wire(kept["id"]), contents, kept["amount"].to_list()

    def _list(self, name: str) -> Any:
        if name not in self._lists:
            column = self._plain_col if name == "plain" else self.frame[name]
            self._lists[name] = column.to_list()
        return self._lists[name]


def _coded_enum(pl: Any, series: Any, enum: Any) -> Any:
    """The column as a Polars Enum of the members' values (null where the value is none)."""
    dtype = pl.Enum([m.value for m in enum])
    if series.dtype == pl.String or isinstance(series.dtype, pl.Enum | pl.Categorical):
        return series.cast(pl.String).cast(dtype, strict=False)
    return pl.Series(series.name, [None] * len(series), dtype=dtype)


def evaluate_frame(
    frame: Any,
    on: dt.date,
    *,
    rules: RuleSet | DatedRules | None = None,
    plan_year: int | None = None,
) -> FrameResults:
    """Evaluate eligibility and support amounts for applications in a Polars DataFrame.

    The answers are exactly those of :func:`~khuyencong.rules.evaluate_columns` over
    ``frame_columns(frame)``: the same eligibility, amounts and errors, and the same refusal
    (every row is checked before any is evaluated).

    Args:
        frame: One row per application, the columns of :data:`FRAME_COLUMNS` holding wire
            values: ``id`` and ``name`` String; the enum columns String (or Enum,
            Categorical) of the members' values; ``map_id`` and ``unit_code`` String;
            ``sectors`` List(String), or String for one sector; the counts and amounts
            Int64 (nullable where the constructor takes ``None``); ``polluting_brick_kiln``
            Boolean.
        on: The date.
        rules: A rule set or its view dated ``on`` (national baseline by default).
        plan_year: The plan year for the 5-year ward rule.

    Returns:
        The answers as a DataFrame (:attr:`FrameResults.frame`); ``results[i]`` is row ``i``
        as a :class:`BatchResult`.

    Raises:
        MissingExtraError: If Polars is not installed (``pip install "khuyencong[columnar]"``).
        ValidationError: For an argument of the wrong kind, an unknown or missing column, or
            a row the constructors refuse (its problems under ``$.applications[i]``).
    """
    pl = _polars()
    args = Arguments()
    args.day(on)
    args.rules(rules)
    args.optional_year(plan_year, "plan_year")
    args.check()
    _checked(pl, frame)
    day = Day(dated(rules, on))
    with collector_paused():
        return _Evaluation(pl, frame, day, plan_year).run()


class _Evaluation:
    """One call of :func:`evaluate_frame`."""

    def __init__(self, pl: Any, frame: Any, day: Day, plan_year: int | None) -> None:
        self.pl, self.frame, self.day, self.plan_year = pl, frame, day, plan_year
        self.n: int = frame.height
        self.errors: list[Exception] = []  # error index -> the error
        self.solo: dict[int, tuple[bool, int | None, int | None, tuple[Any, Any, Any]]] = {}
        self.apps: dict[int, Application] = {}
        self.whole = False  # whether every row is decided by keys (no row taken alone)
        # Each part's answers ("who", "where", "what"), by the row asked for its key.
        self.parts: dict[str, dict[int, Any]] = {}

    # -- coding and checks ------------------------------------------------------------

    def _coded(self) -> Any:  # noqa: PLR0915  (one check per column)
        """The frame coded (enum columns as Enums, the place as an index into
        ``self.refs``) with a ``plain`` column: whether each row passes every check of the
        constructors plainly (``False``: check it in full)."""
        pl, f, n = self.pl, self.frame, self.n
        have = set(f.columns)
        schema = f.schema
        integer = {pl.Int8, pl.Int16, pl.Int32, pl.Int64, pl.UInt8, pl.UInt16, pl.UInt32}
        integer.add(pl.UInt64)
        checks: list[Any] = []
        two = pl.lit(2, dtype=pl.Int64)
        cols: dict[str, Any] = {"row": pl.int_range(n, dtype=pl.Int64)}

        def text_ok(name: str, pattern: str) -> Any:
            if schema[name] != pl.String:
                return pl.lit(value=False)
            return pl.col(name).str.contains(pattern).fill_null(value=False)

        checks.append(text_ok("id", _PLAIN_ID))
        name_ok = text_ok("name", _HAS_NON_SPACE)
        if schema["name"] == pl.String:
            name_ok = name_ok & ~pl.col("name").str.contains("\x00", literal=True)
        checks.append(name_ok.fill_null(value=False))

        for name, enum in _ENUMS.items():
            if name in have:
                coded = pl.lit(_coded_enum(pl, f[name], enum))
                given = pl.col(name).is_not_null()
                checks.append(coded.is_not_null() | ~given)  # known, or absent where allowed
                if name in ("legal_form", "area_difficulty"):
                    checks.append(given)
            else:
                default = _DEFAULTS.get(name)
                coded = pl.lit(default.value if default is not None else None)
                coded = coded.cast(pl.Enum([m.value for m in enum]))
            cols[name] = coded
        form = cols["legal_form"]
        checks.append(form != LegalForm.ARTISAN.value)  # needs a title

        # The place: each distinct (map, code) pair made a reference once.
        pairs = f.select(pl.col("map_id"), pl.col("unit_code"))
        places = pairs.unique(maintain_order=True)
        refs: dict[tuple[Any, Any], Any] = {}
        self.refs = [_ref(refs, pair) for pair in places.iter_rows()]
        good = [type(r) is UnitRef for r in self.refs]
        places = places.with_columns(
            place=pl.int_range(places.height, dtype=pl.Int64),
            place_ok=pl.Series(good, dtype=pl.Boolean),
        )
        joined = pairs.join(places, on=["map_id", "unit_code"], how="left", nulls_equal=True)
        joined = joined.select("place", "place_ok")
        cols["place"] = pl.lit(joined["place"])
        checks.append(pl.lit(joined["place_ok"]))

        # Sectors: the set as a bit mask of the members' positions.
        sdtype = schema["sectors"]
        sector_enum = pl.Enum([m.value for m in Sector])
        if sdtype == pl.String or isinstance(sdtype, pl.Enum | pl.Categorical):
            one = pl.col("sectors").cast(pl.String).cast(sector_enum, strict=False)
            checks.append(one.is_not_null())
            cols["sectors"] = two.pow(one.to_physical().cast(pl.Int64))
        elif isinstance(sdtype, pl.List) and (
            sdtype.inner == pl.String or isinstance(sdtype.inner, pl.Enum | pl.Categorical)
        ):
            # Cast as a whole list (some Polars releases refuse an Enum cast in list.eval).
            texts = pl.col("sectors").cast(pl.List(pl.String))
            coded = texts.cast(pl.List(sector_enum), strict=False)
            checks.append(
                (pl.col("sectors").list.len() > 0)
                & (coded.list.eval(pl.element().is_null()).list.any().not_())
            )
            bits = two.pow(pl.element().to_physical().cast(pl.Int64))
            cols["sectors"] = coded.list.eval(bits).list.unique().list.sum()
        else:
            checks.append(pl.lit(value=False))
            cols["sectors"] = pl.lit(None, dtype=pl.Int64)
        checks.append(pl.col("sectors").is_not_null())

        for name in ("members", "employees", "revenue", "total_capital", "eligible_cost"):
            if name not in have:
                cols[name] = pl.lit(_DEFAULTS[name], dtype=pl.Int64)
                continue
            value = pl.col(name)
            if schema[name] not in integer:
                checks.append(value.is_null())
                cols[name] = pl.lit(None, dtype=pl.Int64)
                continue
            fine = (value >= 0) & (value <= _INT64_MAX)
            if name in ("revenue", "total_capital", "eligible_cost"):
                fine = fine & (value <= MAX_DONG)
            if name == "members":
                kinds = [k.value for k in COOPERATIVE_KINDS]
                fine = fine & form.cast(pl.String).is_in(kinds)
            if name == "eligible_cost":
                checks.append(fine.fill_null(value=False))
            else:
                checks.append(value.is_null() | fine.fill_null(value=False))
            cols[name] = value.cast(pl.Int64, strict=False)

        if "polluting_brick_kiln" in have:
            if schema["polluting_brick_kiln"] == pl.Boolean:
                checks.append(pl.col("polluting_brick_kiln").is_not_null())
                cols["polluting_brick_kiln"] = pl.col("polluting_brick_kiln")
            else:
                checks.append(pl.lit(value=False))
                cols["polluting_brick_kiln"] = pl.lit(None, dtype=pl.Boolean)
        else:
            cols["polluting_brick_kiln"] = pl.lit(value=False)

        plain = pl.all_horizontal(checks).fill_null(value=False).alias("plain")
        return f.select(plain, *(v.alias(k) for k, v in cols.items()))

    # -- the row by row way -----------------------------------------------------------

    def _built(self, rows: list[int]) -> None:
        """Build ``rows`` through the constructors, in order (the first refusal raises)."""
        if not rows:
            return
        columns = frame_columns(self.frame[rows])
        for j, i in enumerate(rows):
            self.apps[i] = application_of({k: v[j] for k, v in columns.items()}, i)

    def _one(self, i: int) -> None:
        """Row ``i`` the one-record way, as ``evaluate_columns`` takes it."""
        app = self.apps[i]
        day = self.day
        try:
            parts = day.profile.parts(app.establishment, self.plan_year)
        except _RULE_ERRORS as exc:
            self.solo[i] = (False, None, self._error(exc), (None, EMPTY_PART, EMPTY_PART))
            return
        held = parts[0][0] and parts[1][0] and parts[2][0]
        amount: int | None = None
        if app.content is not None:
            try:
                formula = day.formula_of(app.content, Fund.NATIONAL, False)
            except (*_RULE_ERRORS, ValidationError) as exc:
                self.solo[i] = (held, None, self._error(exc), parts)
                return
            amount = formula.apply(app.eligible_cost, 1) if held else 0
        self.solo[i] = (held, amount, None, parts)

    def _error(self, exc: Exception) -> int:
        self.errors.append(exc)
        return len(self.errors) - 1

    # -- the parts, once per key ------------------------------------------------------

    def _asked(
        self,
        d: Any,
        keys: list[str],
        reached: Any,
        name: str,
        *,
        ask: Callable[[int, dict[str, Any]], Any],
        fields: Sequence[str] = (),
        before: Iterable[int] = (),
        build: bool = False,
    ) -> Any:
        """Ask ``ask`` for the first row of each key among the rows ``reached`` (in input
        order, with the one-record rows ``before`` taken in their turn), and give every row
        the answer of its key: columns ``{name}_rep`` (the row asked), ``{name}_held`` and
        ``{name}_err`` (an index into ``self.errors``). ``ask`` is given the row's coded
        ``fields`` (and its ``id`` for the place)."""
        pl = self.pl
        rep = pl.when(reached).then(pl.col("row")).min().over(keys)
        d = d.with_columns(rep.alias(f"{name}_rep"))
        reps = d.select(pl.col(f"{name}_rep").filter(reached).unique().sort())
        reps = reps[:, 0].to_list()
        values = self._rows_of(d, reps, fields)
        if name == "where":  # the id a place error names, read for the rows asked alone
            for i, rid in zip(reps, _wire(self.frame["id"].gather(reps)), strict=True):
                values[i]["id"] = rid
        if build:  # the establishments the profile reads, built at once
            self._built([i for i in reps if i not in self.apps])
        solo = set(before)
        held: dict[int, bool] = {}
        errs: dict[int, int] = {}
        parts: dict[int, Any] = {}
        for i in sorted(solo.union(reps)):
            if i in solo:
                self._one(i)
                continue
            try:
                part = ask(i, values[i])
            except _RULE_ERRORS as exc:
                errs[i] = self._error(exc)
                held[i] = False
            else:
                parts[i] = part
                held[i] = part[0]
        self.parts[name] = parts
        repcol = pl.col(f"{name}_rep")
        return d.with_columns(
            repcol.replace_strict(held, default=None, return_dtype=pl.Boolean).alias(
                f"{name}_held"
            ),
            repcol.replace_strict(errs, default=None, return_dtype=pl.Int64).alias(f"{name}_err"),
        )

    def _rows_of(self, d: Any, rows: list[int], fields: Sequence[str]) -> dict[int, dict[str, Any]]:
        """The coded ``fields`` of ``rows`` as Python values, by row."""
        if not rows:
            return {}
        d = d.select("row", *fields)
        picked = d[rows] if self.whole else d.filter(self.pl.col("row").is_in(rows))
        out: dict[int, dict[str, Any]] = {}
        for r in picked.iter_rows(named=True):
            out[r["row"]] = r
        return out

    def _who(self, i: int, r: dict[str, Any]) -> Any:
        profile = self.day.profile
        form = LegalForm(r["legal_form"])
        if form is _SME:
            group = r["business_sector_group"]
            group = None if group is None else BusinessSectorGroup(group)
            return profile.sme_who(group, r["employees"], r["revenue"], r["total_capital"], None)
        return profile.who(self._establishment(i))

    def _where(self, i: int, r: dict[str, Any]) -> Any:
        site = Place(r["id"], self.refs[r["place"]])
        return self.day.profile.where(site, self.plan_year)

    def _what(self, i: int, r: dict[str, Any]) -> Any:
        return self.day.profile.what(self._establishment(i))

    def _establishment(self, i: int) -> Any:
        if i not in self.apps:
            self._built([i])
        return self.apps[i].establishment

    def _size_keys(self, d: Any) -> list[Any]:
        """The *who* key of an SME: its group and the place of each figure among the size
        thresholds (``bisect_left``: how many thresholds are below it); the figures
        themselves when the thresholds are not known."""
        pl = self.pl
        rules = self.day.dated
        groups = d.filter(pl.col("legal_form") == _SME.value)["business_sector_group"]
        e, r, k = pl.col("employees"), pl.col("revenue"), pl.col("total_capital")
        keys = [e, r, k]  # by default, the figures (a null group, unknown thresholds)
        for value in groups.drop_nulls().unique().to_list():
            group = BusinessSectorGroup(value)
            try:
                cuts = thresholds(classifier(rules, group)[1])
            except _RULE_ERRORS:
                continue
            this = pl.col("business_sector_group") == value
            for j, (column, cut) in enumerate(zip((e, r, k), cuts, strict=True)):
                below = pl.sum_horizontal([(column > c) for c in cut]) if cut else pl.lit(0)
                # Below any figure (>= 0), so that a place is never taken for a figure.
                place = below.cast(pl.Int64) - (1 << 62)
                place = pl.when(column.is_null()).then(None).otherwise(place)
                keys[j] = pl.when(this).then(place).otherwise(keys[j])
        sme = pl.col("legal_form") == _SME.value
        out = [pl.when(sme).then(x).otherwise(None).alias(f"w{j}") for j, x in enumerate(keys)]
        out.append(pl.when(sme).then(pl.col("business_sector_group")).alias("wg"))
        return out

    def run(self) -> FrameResults:
        pl = self.pl
        k = self._coded()
        plain_col = k["plain"]
        service = (pl.col("legal_form") == _SERVICE.value).fill_null(value=False)
        solo = ~pl.col("plain") | service
        not_plain = k.select(pl.col("row").filter(~pl.col("plain")))[:, 0].to_list()
        solo_rows = k.select(pl.col("row").filter(solo))[:, 0].to_list()
        self._built(not_plain)  # every row checked before any is evaluated
        self._built([i for i in solo_rows if i not in self.apps])
        # The common case, every row plain and none a service organisation: no copy.
        self.whole = not solo_rows
        d = k if self.whole else k.filter(~solo)
        kinds = [f.value for f in COOPERATIVE_KINDS]
        coop = pl.col("legal_form").cast(pl.String).is_in(kinds)
        d = d.with_columns(pl.when(coop).then(pl.col("members")).alias("wm"), *self._size_keys(d))
        true = pl.lit(value=True)
        who_keys = ["legal_form", "wm", "wg", "w0", "w1", "w2"]
        d = self._asked(d, who_keys, true, "who", ask=self._who, fields=_WHO_FIELDS, build=True)
        ok = pl.col("who_err").is_null()
        d = self._asked(
            d, ["place"], ok, "where", ask=self._where, fields=("place",), before=solo_rows
        )
        ok = ok & pl.col("where_err").is_null()
        what_keys = ["sectors", "area_difficulty", "polluting_brick_kiln"]
        d = self._asked(d, what_keys, ok, "what", ask=self._what, build=True)
        ok = ok & pl.col("what_err").is_null()
        d = self._amounts(d, ok)
        return self._results(d, plain_col)

    def _amounts(self, d: Any, ok: Any) -> Any:
        """Each row's amount and error after the parts: the formula of its content (its
        error memoised per content), ``min(cost × numerator // denominator, cap)``."""
        pl = self.pl
        held = pl.col("who_held") & pl.col("where_held") & pl.col("what_held")
        d = d.with_columns(
            pl.when(ok).then(held).otherwise(pl.lit(value=False)).alias("eligible"),
            pl.coalesce("who_err", "where_err", "what_err").alias("err"),
        )
        # Only the two columns the formulas read (not a copy of every column).
        reached = d.select("content", "eligible_cost", ok.alias("ok")).filter(
            pl.col("ok") & pl.col("content").is_not_null()
        )
        amount: Any = pl.lit(None, dtype=pl.Int64)
        content_err: Any = pl.lit(None, dtype=pl.Int64)
        python: list[tuple[Any, Formula]] = []
        for value in reached["content"].unique().to_list():
            content = SupportContent(value)
            this = pl.col("content") == value
            try:
                formula = self.day.formula_of(content, Fund.NATIONAL, False)
            except (*_RULE_ERRORS, ValidationError) as exc:
                content_err = pl.when(this).then(self._error(exc)).otherwise(content_err)
                continue
            costs = reached.filter(this)["eligible_cost"]
            top = costs.max()
            if top is not None and max(int(top), 1) * formula.numerator > _INT64_MAX:
                python.append((value, formula))
                continue
            raw = pl.col("eligible_cost") * formula.numerator // formula.denominator
            pay = raw if formula.cap is None else pl.min_horizontal(raw, pl.lit(formula.cap))
            amount = pl.when(this).then(pay).otherwise(amount)
        with_content = ok & pl.col("content").is_not_null()
        d = d.with_columns(
            pl.when(with_content).then(content_err).otherwise(pl.col("err")).alias("err")
        )
        paid = with_content & pl.col("err").is_null()
        d = d.with_columns(
            pl.when(paid & pl.col("eligible"))
            .then(amount)
            .when(paid)
            .then(pl.lit(0, dtype=pl.Int64))
            .otherwise(None)
            .cast(pl.Int64)
            .alias("amount")
        )
        for value, formula in python:  # a product past 2**63: in Python integers
            rows = d.filter(paid & pl.col("eligible") & (pl.col("content") == value))
            got = [formula.apply(c, 1) for c in rows["eligible_cost"].to_list()]
            fix = pl.DataFrame({"row": rows["row"], "fixed": pl.Series(got, dtype=pl.Int64)})
            d = d.join(fix, on="row", how="left").with_columns(
                pl.coalesce("fixed", "amount").alias("amount")
            )
            d = d.drop("fixed")
        return d

    def _results(self, d: Any, plain: Any) -> FrameResults:
        pl, n = self.pl, self.n
        full = pl.DataFrame({"row": pl.int_range(n, dtype=pl.Int64, eager=True)})
        picked = d.select("row", "eligible", "amount", "err", "who_rep", "where_rep", "what_rep")
        if self.whole:
            out = picked
        else:
            out = full.join(picked, on="row", how="left", maintain_order="left")
        eligible = out["eligible"].fill_null(value=False)
        amount, err = out["amount"], out["err"]
        if self.solo:
            rows = list(self.solo)
            answers = list(self.solo.values())
            eligible = eligible.scatter(rows, [a[0] for a in answers])
            amount = amount.scatter(rows, [a[1] for a in answers])
            err = err.scatter(rows, [a[2] for a in answers])
        errors: list[Exception | None] = [None] * n
        codes = err.to_list() if err.null_count() < n else []
        for i, code in enumerate(codes):
            if code is not None:
                errors[i] = self.errors[code]
        messages = [str(e) for e in self.errors]
        if messages:
            error = err.replace_strict(
                list(range(len(messages))), messages, default=None, return_dtype=pl.String
            )
        else:
            error = pl.Series("error", [None] * n, dtype=pl.String)
        frame = pl.DataFrame(
            {"eligible": eligible, "amount": amount.cast(pl.Int64), "error": error}
        )
        reps = (out["who_rep"], out["where_rep"], out["what_rep"])
        tables = tuple(self.parts.get(name, {}) for name in ("who", "where", "what"))
        solo = self.solo

        def parts(i: int) -> tuple[Part | None, Part, Part]:
            if i in solo:
                found = solo[i][3]
                if solo[i][2] is not None and found[0] is None:
                    return None, EMPTY_PART, EMPTY_PART
                return found[0], found[1], found[2]
            got: list[Any] = [table.get(rep[i]) for table, rep in zip(tables, reps, strict=True)]
            if None in got:  # an error stopped the parts
                return None, EMPTY_PART, EMPTY_PART
            who, where, what = got
            return who, where, what

        return FrameResults(self.frame, self.day, frame, errors=errors, parts=parts, plain=plain)
