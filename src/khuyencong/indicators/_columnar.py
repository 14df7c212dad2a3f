"""Records as Polars columns: :class:`ColumnarSource`, the optional engine for large record sets.

A :class:`~khuyencong.indicators.RecordSet` answers every query with Python list
comprehensions over its columns; over a million support records each indicator costs a
second or more. A :class:`ColumnarSource` holds the same records (it wraps a record set) and
answers the same :class:`~khuyencong.indicators.AggregateQuery` with Polars: the columns a
query reads are built once from the records (as the record set builds its own), then filtered,
exploded, grouped and counted in Polars' native code. The figures are exactly the record set's:

- counts are Polars' integer counts (``len``, ``n_unique``);
- sums are exact at any size: Polars adds 64-bit integers, which could wrap, so each amount is
  split into its billions and the rest (``v // 10^9`` and ``v % 10^9``; each part's sum stays
  far within 64 bits) and Python joins the two sums into one integer, as the SQLite pushdown
  does. No float is ever made;
- keys, filters, multi-valued dimensions (a record under each of its sectors, partners,
  funds), the money of each fund, unit roll-ups and drill-down ids (in record order) follow the
  semantics of :class:`~khuyencong.indicators.IndicatorSource`, and a property test
  (``tests/test_indicators_sql.py``) checks every kind, breakdown, scope, date field and ratio
  against the record set and the SQL stores.

Needs the ``columnar`` extra (``pip install "khuyencong[columnar]"``); Polars is imported
only when a :class:`ColumnarSource` is made, never by ``import khuyencong``.

>>> from khuyencong.domain import Period
>>> from khuyencong.indicators import STANDARD_INDICATORS, compute
>>> from khuyencong.reports import load_example
>>> data = load_example()
>>> fast = ColumnarSource(data)
>>> ind = STANDARD_INDICATORS["supported_by_content"]
>>> compute(ind, fast, Period.phase(2017, 2020)) == compute(ind, data, Period.phase(2017, 2020))
True
"""

from __future__ import annotations

import datetime as dt
import operator
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from khuyencong._gc import collector_paused
from khuyencong.domain import Dataset, Establishment, FairKind, SupportContent
from khuyencong.exceptions import MissingExtraError, ValidationError
from khuyencong.indicators._memory import FILES, RecordSet
from khuyencong.indicators._model import (
    OPTIONAL_MEASURES,
    Counting,
    DateField,
    Dimension,
    Filter,
    Measure,
    RecordKind,
)
from khuyencong.indicators._source import UNKNOWN_KEY, Aggregate, AggregateQuery, Cell
from khuyencong.messages import text
from khuyencong.units import UnitRef, fold

if TYPE_CHECKING:
    import polars as pl

    from khuyencong.storage import Store

__all__ = ["ColumnarSource"]

EXTRA = "columnar"
"""The extra that installs Polars: ``pip install "khuyencong[columnar]"``."""

_SPLIT = 10**9
"""Sums are taken of ``v // _SPLIT`` and ``v % _SPLIT`` apart, then joined in Python: an amount
up to 10^15 đồng gives parts of at most 10^6 and 10^9, so 64-bit sums of billions of records
cannot wrap."""

_FUND_LISTS = (("none",), ("local",), ("national",), ("national", "local"))
"""A support record's funds by ``2 × (national ≠ 0) + (local ≠ 0)``."""

_FAIR_CONTENT = {
    FairKind.DOMESTIC: SupportContent.DOMESTIC_FAIR_PARTICIPATION.value,
    FairKind.OVERSEAS: SupportContent.OVERSEAS_FAIR.value,
}
_GROUP_OF = {c.value: c.group.value for c in SupportContent}


def _polars() -> Any:
    """The polars module, or a :class:`MissingExtraError` naming the extra to install."""
    try:
        import polars  # noqa: PLC0415  (an optional extra, imported when used)
    except ImportError:
        raise MissingExtraError(EXTRA, text("common.missing_extra", extra=EXTRA)) from None
    return polars


def _values(items: Iterable[Any]) -> list[Any]:
    """The stored values of filter members (an enum member's value; a text or number as is)."""
    return sorted({getattr(v, "value", v) for v in items if v is not None}, key=str)


def _is_in(expr: pl.Expr, values: Sequence[Any]) -> pl.Expr:
    """``expr`` is one of ``values`` (null, so not kept, for a null). A Python list means the
    same in every Polars from 1.0 (a Series is read differently from one version to another)."""
    return expr.is_in(list(values))


def _any_in(expr: pl.Expr, values: Sequence[Any]) -> pl.Expr:
    """Some element of the list ``expr`` is one of ``values`` (false for an empty list)."""
    import polars as pl  # noqa: PLC0415

    return expr.list.eval(_is_in(pl.element(), values)).list.any()


def _record_set(records: RecordSet | Dataset | Store) -> RecordSet:
    if isinstance(records, RecordSet):
        return records
    if not hasattr(records, "support_records"):
        kind = "RecordSet | Dataset | Store"
        raise ValidationError.single("$.records", records, text("rules.not_a", kind=kind))
    return RecordSet(**{name: tuple(getattr(records, name)) for name in FILES})


class ColumnarSource:
    """Records answered by Polars: an ``IndicatorSource`` for large record sets.

    Give it a :class:`~khuyencong.indicators.RecordSet`, a :class:`~khuyencong.domain.Dataset`
    or a store (read once through its repositories), then pass it wherever indicators take a
    source (:func:`~khuyencong.indicators.compute`, ``compute_standard``, ``coverage``, the
    ratios, reports). Every figure equals the record set's, drill-down ids included. Columns
    are built from the records the first time a query reads them and kept: the first
    indicator pays for its columns, the following ones reuse them.

    Args:
        records: The records.

    Attributes:
        records: The records, as a record set (what drill-down reads records back from).

    Raises:
        MissingExtraError: If Polars is not installed (``pip install "khuyencong[columnar]"``).
        ValidationError: If ``records`` holds no records.

    >>> from khuyencong.indicators import RecordSet
    >>> ColumnarSource(RecordSet())
    ColumnarSource(establishments=0, support_records=0, fair_participations=0, award_entries=0, ocop_ratings=0, projects=0)
    """  # noqa: E501  (a doctest output line cannot be wrapped)

    def __init__(self, records: RecordSet | Dataset | Store) -> None:
        _polars()
        self.records = _record_set(records)
        self._frames: dict[RecordKind, _Frame] = {}
        # Unit references by index: a location column holds indices into this list. Rows share
        # their establishments' references, so each object is looked up once, by identity (the
        # list keeps them alive meanwhile).
        self._refs: list[UnitRef] = []
        self._ref_at: dict[int, int] = {}
        self._est: _Establishments | None = None

    def __repr__(self) -> str:
        counts = ", ".join(f"{name}={n}" for name, n in self.records.summary().items())
        return f"ColumnarSource({counts})"

    # -- IndicatorSource -----------------------------------------------------------------

    def aggregate(self, query: AggregateQuery) -> Aggregate:
        """Answer one grouped count or sum (see :class:`IndicatorSource`)."""
        with collector_paused():
            return _Query(self._frame(query.kind), query).run()

    def unit_refs(self, kind: RecordKind) -> frozenset[UnitRef]:
        """Every unit reference records of ``kind`` are located at (record or establishment)."""
        where = self._frame(kind).series("where").drop_nulls().unique()
        return frozenset(self._refs[i] for i in where.to_list())

    def get_records(self, kind: RecordKind, ids: Sequence[str]) -> list[object]:
        """The records with these ids, in that order.

        Raises:
            NotFoundError: If an id is unknown.
        """
        return self.records.get_records(kind, ids)

    def get_establishments(self, ids: Sequence[str]) -> list[Establishment]:
        """The establishments with these ids, in that order.

        Raises:
            NotFoundError: If an id is unknown.
        """
        return self.records.get_establishments(ids)

    # -- columns -------------------------------------------------------------------------

    def _frame(self, kind: RecordKind) -> _Frame:
        frame = self._frames.get(kind)
        if frame is None:
            frame = _Frame(self, kind, self.records.records(kind))
            self._frames[kind] = frame
        return frame

    def _ref_indices(self, refs: Iterable[UnitRef | None]) -> pl.Series:
        """The index of each unit reference in :attr:`_refs` (null for none)."""
        import polars as pl  # noqa: PLC0415

        at, seen = self._refs, self._ref_at
        known: list[int | None] = []
        for r in refs:
            if r is None:
                known.append(None)
                continue
            i = seen.get(id(r))
            if i is None:
                i = seen[id(r)] = len(at)
                at.append(r)
            known.append(i)
        return pl.Series(known, dtype=pl.UInt32)

    def _establishments(self) -> _Establishments:
        if self._est is None:
            self._est = _Establishments(self)
        return self._est


class _Establishments:
    """The establishments' columns, aligned with their ids; record rows gather from them."""

    def __init__(self, owner: ColumnarSource) -> None:
        import polars as pl  # noqa: PLC0415

        ests = owner.records.establishments
        self.ids = [e.id for e in ests]
        self.legal_form = pl.Series([e.legal_form.value for e in ests], dtype=pl.String)
        self.sectors = pl.Series(
            [[s.value for s in e.sectors] for e in ests], dtype=pl.List(pl.String)
        )
        self.location = owner._ref_indices(e.location for e in ests)


_Builder = Callable[["_Frame"], "pl.Series"]


class _Frame:
    """The records of one kind as Polars series aligned by row, each built on first use."""

    def __init__(self, owner: ColumnarSource, kind: RecordKind, records: Sequence[Any]) -> None:
        self.owner = owner
        self.kind = kind
        self.records = records
        self.n = len(records)
        self._builders = {**_COMMON, **_COLUMNS[kind]}
        self._series: dict[str, pl.Series] = {}

    def has(self, name: str) -> bool:
        """Whether records of this kind have the column ``name``."""
        return name in self._builders

    def series(self, name: str) -> pl.Series:
        """The column ``name`` (see :data:`_COLUMNS`), built on first use."""
        found = self._series.get(name)
        if found is None:
            with collector_paused():
                found = self._builders[name](self).alias(name)
            if name == "id" and found.n_unique() != self.n:
                dupes = sorted(i for i, c in Counter(found.to_list()).items() if c > 1)[:5]
                raise ValidationError.single(
                    f"$.{self.kind.value}", dupes, text("indicators.ids_unique")
                )
            self._series[name] = found
        return found

    def attr(self, name: str) -> list[Any]:
        """One attribute of every record."""
        return list(map(operator.attrgetter(name), self.records))


# -- column builders -------------------------------------------------------------------------


def _text(name: str) -> _Builder:
    def build(f: _Frame) -> pl.Series:
        import polars as pl  # noqa: PLC0415

        return pl.Series(f.attr(name), dtype=pl.String)

    return build


def _int(name: str) -> _Builder:
    def build(f: _Frame) -> pl.Series:
        import polars as pl  # noqa: PLC0415

        return pl.Series(f.attr(name), dtype=pl.Int64)

    return build


_EPOCH = dt.date(1970, 1, 1).toordinal()


def _date(name: str) -> dict[str, _Builder]:
    def build(f: _Frame) -> pl.Series:
        import polars as pl  # noqa: PLC0415

        days = f.attr(name)
        if None in days:
            return pl.Series(days, dtype=pl.Date)
        # Day numbers convert twice as fast as date objects (the same dates).
        ordinals = pl.Series(list(map(dt.date.toordinal, days)), dtype=pl.Int32)
        return (ordinals - _EPOCH).cast(pl.Date)

    return {f"date.{name}": build}


def _texts(name: str) -> _Builder:
    """A tuple of texts per record, as a list column."""

    def build(f: _Frame) -> pl.Series:
        import polars as pl  # noqa: PLC0415

        return pl.Series(list(map(list, f.attr(name))), dtype=pl.List(pl.String))

    return build


def _enum(name: str) -> _Builder:
    """A text-valued enum attribute (or None) as its value (Polars reads a ``str`` enum member
    as its value, in native code)."""

    def build(f: _Frame) -> pl.Series:
        import polars as pl  # noqa: PLC0415

        return pl.Series(f.attr(name), dtype=pl.String)

    return build


def _none(dtype: str) -> _Builder:
    """A column of nulls (``content`` of the kinds without one)."""

    def build(f: _Frame) -> pl.Series:
        import polars as pl  # noqa: PLC0415

        return pl.Series([None] * f.n, dtype=getattr(pl, dtype))

    return build


def _lists(make: Callable[[Any], Sequence[str]]) -> _Builder:
    def build(f: _Frame) -> pl.Series:
        import polars as pl  # noqa: PLC0415

        return pl.Series([list(make(r)) for r in f.records], dtype=pl.List(pl.String))

    return build


def _same_list(values: Sequence[str]) -> _Builder:
    def build(f: _Frame) -> pl.Series:
        import polars as pl  # noqa: PLC0415

        one = pl.Series([list(values)], dtype=pl.List(pl.String))
        return one.gather(pl.Series([0] * f.n, dtype=pl.UInt32))

    return build


def _support_funds(f: _Frame) -> pl.Series:
    import polars as pl  # noqa: PLC0415

    nat, loc = f.series("measure.national_amount"), f.series("measure.local_amount")
    code = (nat != 0).cast(pl.UInt32) * 2 + (loc != 0).cast(pl.UInt32)
    return pl.Series([list(v) for v in _FUND_LISTS], dtype=pl.List(pl.String)).gather(code)


def _reported_or_delivered(f: _Frame) -> pl.Series:
    reported = f.series(f"date.{DateField.OUTCOME_REPORTED_ON.value}")
    return reported.fill_null(f.series(f"date.{DateField.DELIVERED_ON.value}"))


def _est_index(f: _Frame) -> pl.Series:
    """Each row's establishment as its index among the establishments (null if unknown)."""
    import polars as pl  # noqa: PLC0415

    ids = f.owner._establishments().ids
    return f.series("est").replace_strict(
        pl.Series(ids, dtype=pl.String),
        pl.Series(range(len(ids)), dtype=pl.UInt32),
        default=None,
        return_dtype=pl.UInt32,
    )


def _est_field(name: str) -> _Builder:
    def build(f: _Frame) -> pl.Series:
        series: pl.Series = getattr(f.owner._establishments(), name)
        return series.gather(f.series("est_index"))

    return build


def _where(f: _Frame) -> pl.Series:
    """The row's own location, else its establishment's (indices of unit references)."""
    return f.series("loc").fill_null(f.series("est.location"))


def _product(f: _Frame) -> pl.Series:
    import polars as pl  # noqa: PLC0415

    return pl.Series(
        [f"{r.establishment_id}|{fold(r.product_name)}" for r in f.records], dtype=pl.String
    )


def _loc(name: str) -> _Builder:
    return lambda f: f.owner._ref_indices(f.attr(name))


def _from_records(make: Callable[[Any], Any], dtype: str) -> _Builder:
    def build(f: _Frame) -> pl.Series:
        import polars as pl  # noqa: PLC0415

        return pl.Series(list(map(make, f.records)), dtype=getattr(pl, dtype))

    return build


_COMMON: Mapping[str, _Builder] = {
    "est_index": _est_index,
    "est.legal_form": _est_field("legal_form"),
    "est.sectors": _est_field("sectors"),
    "est.location": _est_field("location"),
    "where": _where,
}
_AGENCIES: Mapping[str, _Builder] = {
    "partners": _texts("partners"),
    "lead": _text("lead_agency"),
}
_NO_AGENCIES: Mapping[str, _Builder] = {
    "partners": _same_list(()),
    "lead": _none("String"),
    "funds": _same_list(("none",)),
    "content": _none("String"),
}

# The columns of each kind of record, as in :mod:`khuyencong.indicators._memory`: ``est`` is
# the establishment a row counts for; ``date.*`` dates (null where a record has none);
# ``measure.*`` whole numbers (``reported.*`` keeps null where an outcome was not reported);
# ``key.*`` the keys of a dimension only that kind has.
_COLUMNS: Mapping[RecordKind, Mapping[str, _Builder]] = {
    RecordKind.SUPPORT: {
        "id": _text("id"),
        "est": _text("establishment_id"),
        "content": _enum("content"),
        **_date(DateField.DELIVERED_ON.value),
        **_date(DateField.DECIDED_ON.value),
        **_date(DateField.ACCEPTED_ON.value),
        **_date(DateField.OUTCOME_REPORTED_ON.value),
        f"date.{DateField.REPORTED_OR_DELIVERED_ON.value}": _reported_or_delivered,
        "measure.national_amount": _int("national_amount"),
        "measure.local_amount": _int("local_amount"),
        "measure.co_funding": _int("co_funding"),
        "measure.trainees": _int("trainees"),
        "measure.participants": _int("participants"),
        "measure.quantity": _int("quantity"),
        "reported.jobs_created": _int("jobs_created"),
        "reported.income_change": _int("income_change"),
        "funds": _support_funds,
        **_AGENCIES,
        "loc": _loc("location"),
        "project_id": _text("project_id"),
    },
    RecordKind.FAIR: {
        "id": _text("id"),
        "est": _text("establishment_id"),
        "content": _from_records(lambda r: _FAIR_CONTENT[r.fair_kind], "String"),
        **_date(DateField.START_ON.value),
        **_date(DateField.END_ON.value),
        "measure.supported_amount": _int("supported_amount"),
        "funds": _lists(lambda r: ("none",) if r.fund is None else (r.fund.value,)),
        **_AGENCIES,
        "loc": _loc("location"),
        "key.fair_kind": _enum("fair_kind"),
        "project_id": _text("project_id"),
    },
    RecordKind.AWARD: {
        "id": _text("id"),
        "est": _text("establishment_id"),
        **_NO_AGENCIES,
        **_date(DateField.CERTIFICATE_ISSUED_ON.value),
        **_date(DateField.ENTERED_ON.value),
        f"date.{DateField.ROUND_YEAR.value}": _from_records(
            lambda r: dt.date(r.round_year, 1, 1), "Date"
        ),
        "product": _product,
        "loc": _loc("location"),
        "key.award_level": _enum("level"),
        "recognised": _from_records(lambda r: bool(r.recognised), "Boolean"),
    },
    RecordKind.OCOP: {
        "id": _text("id"),
        "est": _text("establishment_id"),
        **_NO_AGENCIES,
        **_date(DateField.RATED_ON.value),
        "product": _product,
        "loc": _loc("location"),
        "key.stars": _from_records(lambda r: str(r.stars), "String"),
        "stars": _int("stars"),
    },
    RecordKind.PROJECT: {
        "id": _text("id"),
        "est": _from_records(lambda r: r.beneficiary_ids[0], "String"),
        "beneficiaries": _texts("beneficiary_ids"),
        "content": _none("String"),
        "key.content": _lists(lambda r: sorted({pc.content.value for pc in r.contents})),
        "key.content_group": _lists(
            lambda r: sorted({pc.content.group.value for pc in r.contents})
        ),
        **_date(DateField.APPROVED_ON.value),
        **_date(DateField.ACCEPTED_ON.value),
        **_date(DateField.SETTLED_ON.value),
        "measure.approved_amount": _from_records(lambda r: r.approved_amount or 0, "Int64"),
        "funds": _lists(lambda r: (r.fund.value,)),
        **_AGENCIES,
        "loc": _loc("province"),
        "status": _enum("status"),
        "project_id": _text("id"),
    },
}


# -- one query -------------------------------------------------------------------------------


class _Query:
    """One aggregate query over a frame: the columns it reads, its filter, keys and values."""

    def __init__(self, frame: _Frame, q: AggregateQuery) -> None:
        self.frame = frame
        self.kind = frame.kind
        self.q = q
        self.used: dict[str, pl.Series] = {}

    def c(self, name: str) -> pl.Expr:
        """The column ``name``, read by this query."""
        import polars as pl  # noqa: PLC0415

        if name not in self.used:
            self.used[name] = self.frame.series(name)
        return pl.col(name)

    def add(self, name: str, series: pl.Series) -> pl.Expr:
        """A column made for this query only (the unit keys of a breakdown)."""
        import polars as pl  # noqa: PLC0415

        self.used[name] = series.alias(name)
        return pl.col(name)

    # -- filter --------------------------------------------------------------------------

    def conditions(self) -> list[pl.Expr]:
        q, f = self.q, self.q.filter
        out: list[pl.Expr] = []
        if q.period is not None:
            out.append(
                self.c(f"date.{q.date_field.value}").is_between(q.period.start, q.period.end)
            )
        reported = f"reported.{q.measure.value}" if q.measure is not None else ""
        if q.measure in OPTIONAL_MEASURES and self.frame.has(reported):
            # A missing outcome is not zero: only the records that reported it count.
            out.append(self.c(reported).is_not_null())
        out += self.content_filter(f)
        if f.legal_forms is not None:
            out.append(_is_in(self.c("est.legal_form"), _values(f.legal_forms)))
        if f.sectors is not None:
            out.append(_any_in(self.c("est.sectors"), _values(f.sectors)))
        if f.exclude_sectors:
            sec = self.c("est.sectors")
            out.append(sec.is_not_null() & ~_any_in(sec, _values(f.exclude_sectors)))
        if f.funds is not None:
            out.append(_any_in(self.c("funds"), _values(f.funds)))
        out += self.kind_filter(f)
        if f.with_partners is not None:
            out.append((self.c("partners").list.len() > 0) == f.with_partners)
        if f.partners is not None:
            out.append(_any_in(self.c("partners"), _values(f.partners)))
        if f.lead_agencies is not None:
            out.append(_is_in(self.c("lead"), _values(f.lead_agencies)))
        if f.project_ids is not None:
            out.append(self.optional_in("project_id", f.project_ids))
        if f.establishment_ids is not None:
            out.append(_is_in(self.c("est"), _values(f.establishment_ids)))
        if f.reported is not None:
            import polars as pl  # noqa: PLC0415

            # Reported one of the outcomes; a kind without outcomes: no record.
            names = [f"reported.{m.value}" for m in Measure if m in f.reported]
            has = [self.c(n).is_not_null() for n in names if self.frame.has(n)]
            out.append(pl.any_horizontal(has) if has else pl.lit(False))
        return out

    def optional_in(self, name: str, want: frozenset[Any]) -> pl.Expr:
        """A nullable column is in ``want`` (a null only when ``want`` holds None)."""
        import polars as pl  # noqa: PLC0415

        if not self.frame.has(name):
            return pl.lit(None in want)
        col = self.c(name)
        found = _is_in(col, _values(want))
        return (found | col.is_null()) if None in want else found

    def content_filter(self, f: Filter) -> list[pl.Expr]:
        if f.contents is None and f.groups is None and not f.exclude_contents:
            return []
        allowed = [c.value for c in SupportContent if f.content_allowed(c)]
        if self.kind is RecordKind.PROJECT:
            return [_any_in(self.c("key.content"), allowed)]
        return [_is_in(self.c("content"), allowed)]

    def kind_filter(self, f: Filter) -> list[pl.Expr]:

        out: list[pl.Expr] = []
        if self.kind is RecordKind.FAIR and f.fair_kinds is not None:
            out.append(_is_in(self.c("key.fair_kind"), _values(f.fair_kinds)))
        if self.kind is RecordKind.AWARD:
            if f.award_levels is not None:
                out.append(_is_in(self.c("key.award_level"), _values(f.award_levels)))
            if f.recognised_only:
                out.append(self.c("recognised"))
        if self.kind is RecordKind.OCOP and f.stars is not None:
            out.append(_is_in(self.c("stars"), sorted(f.stars)))
        if self.kind is RecordKind.PROJECT and f.project_statuses is not None:
            out.append(_is_in(self.c("status"), _values(f.project_statuses)))
        return out

    # -- keys ----------------------------------------------------------------------------

    def key(self, j: int) -> tuple[pl.Expr, bool]:
        """Breakdown ``j``'s key of each row, and whether it is a list (multi-valued)."""
        import polars as pl  # noqa: PLC0415

        b, kind, unknown = self.q.by[j], self.kind, pl.lit(UNKNOWN_KEY)
        d = b.dimension
        if d is Dimension.UNIT:
            mapping = (self.q.unit_keys[j] if j < len(self.q.unit_keys) else None) or {}
            keys = pl.Series(
                [mapping.get(r, UNKNOWN_KEY) for r in self.frame.owner._refs], dtype=pl.String
            )
            where = self.frame.series("where")
            return self.add(f"unit{j}", keys.gather(where)).fill_null(unknown), False
        if d is Dimension.YEAR:
            day = self.c(f"date.{self.q.date_field.value}")
            return day.dt.year().cast(pl.String).fill_null(unknown), False
        if d in (Dimension.CONTENT, Dimension.CONTENT_GROUP):
            if kind is RecordKind.PROJECT:
                return self.c(f"key.{d.value}"), True
            content = self.c("content")
            if d is Dimension.CONTENT_GROUP:
                group = content.replace_strict(_GROUP_OF, default=None, return_dtype=pl.String)
                return group.fill_null(unknown), False
            return content.fill_null(unknown), False
        if d is Dimension.LEGAL_FORM:
            return self.c("est.legal_form").fill_null(unknown), False
        if d is Dimension.SECTOR:
            return self.c("est.sectors").fill_null(pl.concat_list(unknown)), True
        if d is Dimension.FUND:
            return self.c("funds"), True
        if d is Dimension.LEAD_AGENCY:
            return self.c("lead").fill_null(unknown), False
        if d is Dimension.PARTNER:
            p = self.c("partners")
            return pl.when(p.list.len() == 0).then(pl.concat_list(pl.lit("none"))).otherwise(
                p
            ), True
        if d is Dimension.COORDINATION:
            has = self.c("partners").list.len() > 0
            return pl.when(has).then(pl.lit("with_partners")).otherwise(pl.lit("alone")), False
        if d is Dimension.PROJECT:
            if not self.frame.has("project_id"):
                return unknown, False
            return self.c("project_id").fill_null(unknown), False
        if d is Dimension.ESTABLISHMENT:
            return self.c("est"), False
        own = f"key.{d.value}"  # FAIR_KIND, AWARD_LEVEL, STARS: unknown for other kinds
        return (self.c(own) if self.frame.has(own) else unknown), False

    # -- values --------------------------------------------------------------------------

    def measure(self) -> pl.Expr:
        """The summed values of each row."""
        m = self.q.measure
        name = "" if m is None else m.value
        if self.kind is RecordKind.SUPPORT and m is Measure.PUBLIC:
            return self.c("measure.national_amount") + self.c("measure.local_amount")
        if self.kind is RecordKind.SUPPORT and m is Measure.TOTAL_COST:
            nat, loc = self.c("measure.national_amount"), self.c("measure.local_amount")
            return nat + loc + self.c("measure.co_funding")
        if m in OPTIONAL_MEASURES and self.frame.has(f"reported.{name}"):
            return self.c(f"reported.{name}").fill_null(0)
        if not self.frame.has(f"measure.{name}"):
            raise ValidationError.single(
                "$.measure", m, text("storage.no_such_measure", kind=self.kind.value)
            )
        return self.c(f"measure.{name}")

    def values(self, fund: pl.Expr | None) -> list[pl.Expr]:
        """The aggregate columns: ``n`` (a count) or ``hi`` and ``lo`` (a sum's two parts)."""
        import polars as pl  # noqa: PLC0415

        c = self.q.counting
        if c is Counting.DISTINCT_ESTABLISHMENTS:
            if self.kind is RecordKind.PROJECT:
                return [self.c("beneficiaries").explode().n_unique().alias("n")]
            return [self.c("est").n_unique().alias("n")]
        if c is Counting.OCCURRENCES:
            return [pl.len().alias("n")]
        if c is Counting.PRODUCTS:
            return [self.c("product").n_unique().alias("n")]
        v = self.measure()
        if fund is not None:
            nat, loc = self.c("measure.national_amount"), self.c("measure.local_amount")
            v = (
                pl.when(fund == "national")
                .then(nat)
                .when(fund == "local")
                .then(loc)
                .otherwise(pl.lit(0, dtype=pl.Int64))
            )
        return [(v // _SPLIT).sum().alias("hi"), (v % _SPLIT).sum().alias("lo")]

    # -- the answer ----------------------------------------------------------------------

    def run(self) -> Aggregate:
        import polars as pl  # noqa: PLC0415

        q = self.q
        conditions = self.conditions()
        drill = q.drill_down
        keys = [self.key(j) for j in range(len(q.by))]
        split_fund = (
            self.kind is RecordKind.SUPPORT
            and q.counting is Counting.MONEY
            and q.measure is Measure.PUBLIC
        )
        fund_at = next((j for j, b in enumerate(q.by) if b.dimension is Dimension.FUND), None)
        fund = pl.col(f"k{fund_at}") if split_fund and fund_at is not None else None
        total_values = self.values(None)
        group_values = self.values(fund) if keys else []
        if drill or not self.used:  # a frame of no columns would have no rows
            self.c("id")
        frame = pl.DataFrame(list(self.used.values()))
        if conditions:
            frame = frame.filter(pl.all_horizontal(conditions))
        total = Cell(
            _value(frame.select(total_values).row(0, named=True)),
            tuple(frame.get_column("id").to_list()) if drill else (),
        )
        if not keys:
            return Aggregate(total)
        names = [f"k{j}" for j in range(len(keys))]
        frame = frame.with_columns(
            [expr.alias(n) for n, (expr, _) in zip(names, keys, strict=True)]
        )
        for n, (_, multi) in zip(names, keys, strict=True):
            if multi:
                # Lists are never empty here (an empty partner list is ["none"], a missing
                # establishment's sectors ["unknown"]); a null left by an empty list in older
                # Polars is dropped, as an empty list is in newer ones and in memory.
                frame = frame.explode(n).filter(pl.col(n).is_not_null())
        aggs = list(group_values)
        if drill:
            aggs.append(pl.col("id").alias("ids"))
        found = frame.group_by(names).agg(aggs)
        groups: dict[tuple[str, ...], Cell] = {}
        for row in found.iter_rows(named=True):
            key = tuple(row[n] for n in names)
            groups[key] = Cell(_value(row), tuple(row["ids"]) if drill else ())
        return Aggregate(total, groups)


def _value(row: Mapping[str, Any]) -> int:
    """A count, or a sum joined from its two parts, as one Python integer."""
    if "n" in row:
        return int(row["n"] or 0)
    return int(row["hi"] or 0) * _SPLIT + int(row["lo"] or 0)
