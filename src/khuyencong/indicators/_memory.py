"""Records in memory: :class:`RecordSet`, the reference implementation of the source seam.

A record set is built once into columns (lists aligned by row), then every
:class:`~khuyencong.indicators.AggregateQuery` is answered by list comprehensions over those
columns: filter, place in the period, group, count or sum.

>>> import datetime as dt
>>> from khuyencong.domain import Establishment, LegalForm, Sector, SupportContent, SupportRecord
>>> from khuyencong.units import MapId, UnitRef
>>> coop = Establishment(id="E1", name="HTX A", legal_form=LegalForm.COOPERATIVE,
...     location=UnitRef(MapId.MAP_2021, "07525"), sectors=[Sector.AGRO_FOOD_PROCESSING])
>>> rs = RecordSet(establishments=[coop], support_records=[
...     SupportRecord(id="S1", establishment_id="E1", content=SupportContent.DESIGN_CONSULTING,
...                   delivered_on=dt.date(2018, 5, 2), local_amount=30_000_000)])
>>> len(rs.support_records), rs.establishment("E1").name
(1, 'HTX A')
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import operator
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from khuyencong._arguments import Arguments, many_problem
from khuyencong._gc import collector_paused
from khuyencong.converters import parse_json, structure, unstructure
from khuyencong.display import fragment, summary_table
from khuyencong.domain import (
    AwardEntry,
    Dataset,
    Establishment,
    FairKind,
    FairParticipation,
    Fund,
    OcopRating,
    Project,
    SupportContent,
    SupportRecord,
)
from khuyencong.exceptions import NotFoundError, ValidationError
from khuyencong.indicators._model import (
    OPTIONAL_MEASURES,
    Breakdown,
    Counting,
    DateField,
    Dimension,
    Filter,
    Measure,
    RecordKind,
)
from khuyencong.indicators._results import format_number
from khuyencong.indicators._source import UNKNOWN_KEY, Aggregate, AggregateQuery, Cell
from khuyencong.messages import Text, text
from khuyencong.units import UnitRef, fold

__all__ = ["FILES", "RecordSet"]

FILES: Mapping[str, tuple[str, type[Any]]] = {
    "establishments": ("establishments.json", Establishment),
    "support_records": ("support_records.json", SupportRecord),
    "fair_participations": ("fair_participations.json", FairParticipation),
    "award_entries": ("award_entries.json", AwardEntry),
    "ocop_ratings": ("ocop_ratings.json", OcopRating),
    "projects": ("projects.json", Project),
}
"""The files of a record-set folder: attribute → (file name, record type)."""

_FAIR_CONTENT = {
    FairKind.DOMESTIC: SupportContent.DOMESTIC_FAIR_PARTICIPATION,
    FairKind.OVERSEAS: SupportContent.OVERSEAS_FAIR,
}


def _tuple(items: Iterable[Any]) -> tuple[Any, ...]:
    problem = many_problem(items)
    if problem is not None:
        raise ValidationError.single("$", items, problem)
    return tuple(items)


@attrs.frozen(eq=False)
class RecordSet:
    """Establishments and every kind of record, in memory; an ``IndicatorSource``.

    Attributes:
        establishments: The establishments records refer to.
        support_records: Support records.
        fair_participations: Fair participations.
        award_entries: Award entries.
        ocop_ratings: OCOP ratings.
        projects: Projects.
    """

    establishments: tuple[Establishment, ...] = attrs.field(default=(), converter=_tuple)
    support_records: tuple[SupportRecord, ...] = attrs.field(default=(), converter=_tuple)
    fair_participations: tuple[FairParticipation, ...] = attrs.field(default=(), converter=_tuple)
    award_entries: tuple[AwardEntry, ...] = attrs.field(default=(), converter=_tuple)
    ocop_ratings: tuple[OcopRating, ...] = attrs.field(default=(), converter=_tuple)
    projects: tuple[Project, ...] = attrs.field(default=(), converter=_tuple)
    _tables: dict[RecordKind, _Table] = attrs.field(init=False, factory=dict, repr=False)
    _est_by_id: dict[str, Establishment] = attrs.field(init=False, factory=dict, repr=False)

    def __attrs_post_init__(self) -> None:
        args = Arguments()
        for name, (_, cls) in FILES.items():
            items = getattr(self, name)
            # One pass in C when every item is right; the argument check names the wrong ones.
            if not all(map(isinstance, items, itertools.repeat(cls))):
                args.each(items, name, cls)
        args.check()
        for est in self.establishments:
            if est.id in self._est_by_id:
                raise ValidationError.single(
                    "$.establishments", est.id, text("indicators.establishment_twice")
                )
            self._est_by_id[est.id] = est

    def summary(self) -> dict[str, int]:
        """How many records of each kind the set holds.

        >>> RecordSet().summary()["support_records"]
        0
        """
        return {name: len(getattr(self, name)) for name in FILES}

    def __repr__(self) -> str:
        counts = ", ".join(f"{name}={n}" for name, n in self.summary().items())
        return f"RecordSet({counts})"

    def _repr_html_(self) -> str:
        rows = [
            (text(f"domain.display.{name}"), format_number(n)) for name, n in self.summary().items()
        ]
        return fragment(summary_table(text("indicators.display.records"), rows))

    @classmethod
    def from_directory(cls, folder: str | Path) -> RecordSet:
        """Load a folder of JSON files (see :data:`FILES`) through the library's converter.

        A missing file is an empty list.

        Raises:
            FileFormatError: If a file is not JSON that can be read safely (see
                :func:`~khuyencong.converters.parse_json`), naming the file.
            ValidationError: Naming the file and every problem with its ``$.path``.
        """
        base = Path(folder)
        if not base.is_dir():
            raise NotFoundError(
                "record folder", str(base), Text.message("errors.hint.not_a_folder")
            )
        loaded: dict[str, list[Any]] = {}
        for attr, (name, cl) in FILES.items():
            path = base / name
            if not path.exists():
                loaded[attr] = []
                continue
            data = parse_json(path.read_bytes(), source=str(path))
            try:
                loaded[attr] = structure(data, list[cl])  # type: ignore[valid-type]
            except ValidationError as exc:
                raise exc.prefixed(f"{name}:$") from None
        return cls(**loaded)

    def to_directory(self, folder: str | Path) -> None:
        """Write the records as the JSON files :meth:`from_directory` reads."""
        base = Path(folder)
        base.mkdir(parents=True, exist_ok=True)
        for attr, (name, _cl) in FILES.items():
            data = unstructure(list(getattr(self, attr)))
            text = json.dumps(data, ensure_ascii=False, indent=1)
            (base / name).write_text(text + "\n", encoding="utf-8")

    def to_dataset(self) -> Dataset:
        """The same records as a :class:`~khuyencong.domain.Dataset` (no budgets).

        >>> RecordSet().to_dataset().summary()["support_records"]
        0
        """
        return Dataset(**{name: getattr(self, name) for name in FILES})

    def establishment(self, est_id: str) -> Establishment:
        """The establishment with an id.

        Raises:
            NotFoundError: If there is none.
        """
        try:
            return self._est_by_id[est_id]
        except KeyError:
            raise NotFoundError("establishment", est_id) from None

    def records(self, kind: RecordKind) -> tuple[Any, ...]:
        """Every record of ``kind``."""
        return {
            RecordKind.SUPPORT: self.support_records,
            RecordKind.FAIR: self.fair_participations,
            RecordKind.AWARD: self.award_entries,
            RecordKind.OCOP: self.ocop_ratings,
            RecordKind.PROJECT: self.projects,
        }[kind]

    # -- IndicatorSource -----------------------------------------------------------------

    def aggregate(self, query: AggregateQuery) -> Aggregate:
        """Answer one grouped count or sum (see :class:`IndicatorSource`)."""
        return self._table(query.kind).aggregate(query)

    def unit_refs(self, kind: RecordKind) -> frozenset[UnitRef]:
        """Every unit reference records of ``kind`` are located at."""
        return self._table(kind).unit_refs()

    def get_records(self, kind: RecordKind, ids: Sequence[str]) -> list[object]:
        """The records with these ids, in that order.

        Raises:
            NotFoundError: If an id is unknown.
        """
        records = self.records(kind)
        return [records[j] for j in self._table(kind).rows_of(ids)]

    def get_establishments(self, ids: Sequence[str]) -> list[Establishment]:
        """The establishments with these ids, in that order."""
        return [self.establishment(i) for i in ids]

    def _table(self, kind: RecordKind) -> _Table:
        table = self._tables.get(kind)
        if table is None:
            table = _Table(kind, self.records(kind), self._est_by_id)
            self._tables[kind] = table
        return table


_FUNDS: Mapping[tuple[bool, bool], tuple[str, ...]] = {
    (True, True): ("national", "local"),
    (True, False): ("national",),
    (False, True): ("local",),
    (False, False): ("none",),
}
_CONTENT_KEY: Mapping[SupportContent | None, str] = {
    None: UNKNOWN_KEY,
    **{c: c.value for c in SupportContent},
}
_GROUP_KEY: Mapping[SupportContent | None, str] = {
    None: UNKNOWN_KEY,
    **{c: c.group.value for c in SupportContent},
}
# The same, by the identity of the member (the columns hold members or None).
_CONTENT_KEY_BY_ID = {id(c): k for c, k in _CONTENT_KEY.items()}
_GROUP_KEY_BY_ID = {id(c): k for c, k in _GROUP_KEY.items()}

_Builder = Callable[["_Table"], list[Any]]
_NATIONAL = f"measure.{Measure.NATIONAL.value}"
_LOCAL = f"measure.{Measure.LOCAL.value}"
_PUBLIC = f"measure.{Measure.PUBLIC.value}"
_CO_FUNDING = f"measure.{Measure.CO_FUNDING.value}"


def _field(name: str) -> _Builder:
    """The column of one attribute of every record."""
    get = operator.attrgetter(name)
    return lambda t: list(map(get, t.records))


def _date(name: str) -> dict[str, _Builder]:
    return {f"date.{name}": _field(name)}


def _measure(m: Measure, name: str) -> dict[str, _Builder]:
    return {f"measure.{m.value}": _field(name)}


def _constant(value: object) -> _Builder:
    return lambda t: [value] * t.n


def _outcome(m: Measure) -> dict[str, _Builder]:
    """An optional outcome: ``reported.*`` keeps None where nothing was reported (such rows are
    never selected for it), ``measure.*`` the values to sum."""
    reported = f"reported.{m.value}"
    return {
        reported: _field(m.value),
        f"measure.{m.value}": lambda t: [0 if v is None else v for v in t.col(reported)],
    }


_NO_AGENCIES: dict[str, _Builder] = {
    "partners": _constant(()),
    "lead": _constant(None),
    "funds": _constant(("none",)),
    "content": _constant(None),
}


def _product(t: _Table) -> list[str]:
    return [f"{r.establishment_id}|{fold(r.product_name)}" for r in t.records]


class _Table:
    """The records of one kind as columns aligned by row, each built the first time a query
    reads it: an indicator over delivery dates and contents never builds the others."""

    def __init__(
        self, kind: RecordKind, records: Sequence[Any], est_by_id: Mapping[str, Establishment]
    ) -> None:
        self.kind = kind
        self.records = records
        self.n = len(records)
        self._builders = _COLUMNS[kind]
        self._cols: dict[str, list[Any]] = {}
        self._row_of_id: dict[str, int] | None = None
        self._est_by_id = est_by_id
        self._est_cols: dict[str, list[Any]] = {}
        self._unit_cols: dict[Breakdown, list[str]] = {}
        self._in_period: dict[tuple[DateField, dt.date, dt.date], list[int]] = {}

    def col(self, name: str) -> list[Any]:
        """The column ``name`` (see :data:`_COLUMNS`), built on first use."""
        col = self._cols.get(name)
        if col is None:
            with collector_paused():
                col = self._builders[name](self)
            self._cols[name] = col
        return col

    def has(self, name: str) -> bool:
        """Whether records of this kind have the column ``name``."""
        return name in self._builders

    def ids(self) -> list[str]:
        """The record ids, checked unique the first time they are needed (drill-down, lookups
        by id): figures alone never read them."""
        if "id" not in self._cols:
            with collector_paused():
                ids = [r.id for r in self.records]
            if len(set(ids)) != self.n:
                dupes = sorted(i for i, c in Counter(ids).items() if c > 1)[:5]
                raise ValidationError.single(
                    f"$.{self.kind.value}", dupes, text("indicators.ids_unique")
                )
            self._cols["id"] = ids
        return self._cols["id"]

    def rows_of(self, ids: Sequence[str]) -> list[int]:
        """The rows of these record ids, in that order.

        Raises:
            NotFoundError: If an id is unknown.
        """
        if self._row_of_id is None:
            self._row_of_id = {rid: i for i, rid in enumerate(self.ids())}
        by_id = self._row_of_id
        for rid in ids:
            if rid not in by_id:
                raise NotFoundError(f"{self.kind.value} record", rid)
        return [by_id[rid] for rid in ids]

    # -- establishment-derived columns ---------------------------------------------------

    def _est_col(self, name: str) -> list[Any]:
        col = self._est_cols.get(name)
        if col is None:
            ests = self._est_by_id
            by: dict[str, Any] = {k: getattr(e, name) for k, e in ests.items()}
            with collector_paused():
                col = list(map(by.get, self.col("est")))
            self._est_cols[name] = col
        return col

    def unit_refs(self) -> frozenset[UnitRef]:
        """Every unit reference the rows are located at (their own, else their establishment's).

        Hashing a unit reference is a Python call; the distinct establishments of the rows
        without a location of their own are far fewer than the rows.
        """
        loc = self.col("loc")
        own = {r for r in loc if r is not None}
        ests = {e for e, r in zip(self.col("est"), loc, strict=True) if r is None}
        by_id = self._est_by_id
        found = {by_id[e].location for e in ests if e in by_id}
        return frozenset(own | found)

    def _location(self) -> list[UnitRef | None]:
        col = self._est_cols.get("where")
        if col is None:
            own = self._est_col("location")
            col = [r if r is not None else o for r, o in zip(self.col("loc"), own, strict=True)]
            self._est_cols["where"] = col
        return col

    # -- filtering -----------------------------------------------------------------------

    def _placed(self, q: AggregateQuery) -> list[int] | range:
        """The rows whose date is in the query's period (every row without one)."""
        if q.period is None:
            return range(self.n)
        lo, hi = q.period.start, q.period.end
        key = (q.date_field, lo, hi)
        placed = self._in_period.get(key)
        if placed is None:
            # The indicators of a report share their period (and mostly their date field):
            # placed in it once per date field (a few kept, e.g. delivery and outcomes).
            if len(self._in_period) >= 3:
                self._in_period.clear()
            col = self.col(f"date.{q.date_field.value}")
            first = col[0] if col else None
            if first is not None and col.count(first) == len(col):
                # One date on every row (the support records of one evaluation): placed once.
                placed = list(range(len(col))) if lo <= first <= hi else []
            elif any(map(operator.is_, col, itertools.repeat(None))):
                placed = [i for i, d in enumerate(col) if d is not None and lo <= d <= hi]
            else:  # every row has the date: compared in C
                inside = map(
                    operator.and_,
                    map(operator.le, itertools.repeat(lo), col),
                    map(operator.ge, itertools.repeat(hi), col),
                )
                placed = list(itertools.compress(range(len(col)), inside))
            self._in_period[key] = placed
        return placed

    def select(self, q: AggregateQuery) -> list[int]:
        f = q.filter
        rows = self._placed(q)
        reported = f"reported.{q.measure.value}" if q.measure is not None else ""
        if q.measure in OPTIONAL_MEASURES and self.has(reported):
            # A missing outcome is not zero: only the records that reported it count.
            values = self.col(reported)
            rows = [i for i in rows if values[i] is not None]
        rows = self._content_filter(rows, f)
        if f.legal_forms is not None:
            lf, keep = self._est_col("legal_form"), f.legal_forms
            rows = [i for i in rows if lf[i] in keep]
        if f.sectors is not None or f.exclude_sectors:
            sec = self._est_col("sectors")
            if f.sectors is not None:
                want = f.sectors
                rows = [i for i in rows if sec[i] is not None and not want.isdisjoint(sec[i])]
            if f.exclude_sectors:
                avoid = f.exclude_sectors
                rows = [i for i in rows if sec[i] is not None and avoid.isdisjoint(sec[i])]
        if f.funds is not None:
            funds, want_f = self.col("funds"), {fd.value for fd in f.funds}
            rows = [i for i in rows if not want_f.isdisjoint(funds[i])]
        rows = self._kind_filter(rows, f)
        if f.with_partners is not None:
            p, flag = self.col("partners"), f.with_partners
            rows = [i for i in rows if bool(p[i]) is flag]
        if f.partners is not None:
            p, want_p = self.col("partners"), f.partners
            rows = [i for i in rows if not want_p.isdisjoint(p[i])]
        if f.lead_agencies is not None:
            lead, want_l = self.col("lead"), f.lead_agencies
            rows = [i for i in rows if lead[i] in want_l]
        if f.project_ids is not None:
            want_id = f.project_ids
            if self.has("project_id"):
                pid = self.col("project_id")
                rows = [i for i in rows if pid[i] in want_id]
            else:
                rows = [i for i in rows if None in want_id]
        if f.establishment_ids is not None:
            est, want_e = self.col("est"), f.establishment_ids
            rows = [i for i in rows if est[i] in want_e]
        if f.reported is not None:
            # A record passes if it has a value for one of the outcomes (none: it reported
            # nothing); a kind without outcomes has no such column, and no record passes.
            names = [f"reported.{m.value}" for m in Measure if m in f.reported]
            outcomes = [self.col(n) for n in names if self.has(n)]
            rows = [i for i in rows if any(c[i] is not None for c in outcomes)]
        return list(rows)

    def _content_filter(self, rows: list[int] | range, f: Filter) -> list[int] | range:
        if f.contents is None and f.groups is None and not f.exclude_contents:
            return rows
        if self.kind is RecordKind.PROJECT:
            contents = self.col("contents")
            return [i for i in rows if any(f.content_allowed(c) for c in contents[i])]
        # By identity (the column holds members or None): an enum's hash is a Python call.
        allowed = {id(c) for c in SupportContent if f.content_allowed(c)}
        content = self.col("content")
        kept = map(allowed.__contains__, map(id, map(content.__getitem__, rows)))
        return list(itertools.compress(rows, kept))

    def _kind_filter(self, rows: list[int] | range, f: Filter) -> list[int] | range:
        if self.kind is RecordKind.FAIR and f.fair_kinds is not None:
            col, want = self.col("key.fair_kind"), {k.value for k in f.fair_kinds}
            rows = [i for i in rows if col[i] in want]
        if self.kind is RecordKind.AWARD:
            if f.award_levels is not None:
                lv, want_lv = self.col("award_level"), f.award_levels
                rows = [i for i in rows if lv[i] in want_lv]
            if f.recognised_only:
                rec = self.col("recognised")
                rows = [i for i in rows if rec[i]]
        if self.kind is RecordKind.OCOP and f.stars is not None:
            st, want_st = self.col("stars"), f.stars
            rows = [i for i in rows if st[i] in want_st]
        if self.kind is RecordKind.PROJECT and f.project_statuses is not None:
            status, want_s = self.col("status"), f.project_statuses
            rows = [i for i in rows if status[i] in want_s]
        return rows

    # -- grouping ------------------------------------------------------------------------

    def key_column(self, b: Breakdown, unit_keys: Mapping[UnitRef, str] | None) -> list[Any]:
        d = b.dimension
        if d is Dimension.UNIT:
            col = self._unit_cols.get(b)
            if col is None:
                mapping = unit_keys or {}
                # Rows share their establishments' unit references: look each object up once
                # (by identity; the objects are held by the column meanwhile).
                seen: dict[int, str] = {}
                col = []
                for r in self._location():
                    if r is None:
                        col.append(UNKNOWN_KEY)
                        continue
                    k = seen.get(id(r))
                    if k is None:
                        k = seen[id(r)] = mapping.get(r, UNKNOWN_KEY)
                    col.append(k)
                self._unit_cols[b] = col
            return col
        name = f"key.{d.value}"
        if name not in self._cols and not self.has(name):
            with collector_paused():
                self._cols[name] = self._dimension_column(d)
        return self.col(name)

    def _est_keys(self, name: str, key: Callable[[Any], Any], missing: Any) -> list[Any]:
        """The key of each row's establishment (``missing`` for an unknown establishment),
        computed once per establishment."""
        by = {k: key(getattr(e, name)) for k, e in self._est_by_id.items()}
        return [by.get(e, missing) for e in self.col("est")]

    def _dimension_column(self, d: Dimension) -> list[Any]:
        unknown = UNKNOWN_KEY
        if d is Dimension.CONTENT:
            return list(map(_CONTENT_KEY_BY_ID.__getitem__, map(id, self.col("content"))))
        if d is Dimension.CONTENT_GROUP:
            return list(map(_GROUP_KEY_BY_ID.__getitem__, map(id, self.col("content"))))
        if d is Dimension.LEGAL_FORM:
            return self._est_keys("legal_form", lambda v: v.value, unknown)
        if d is Dimension.SECTOR:
            return self._est_keys("sectors", lambda v: tuple(s.value for s in v), (unknown,))
        if d is Dimension.FUND:
            return self.col("funds")
        if d is Dimension.LEAD_AGENCY:
            return [unknown if v is None else v for v in self.col("lead")]
        if d is Dimension.PARTNER:
            return [p if p else ("none",) for p in self.col("partners")]
        if d is Dimension.COORDINATION:
            return ["with_partners" if p else "alone" for p in self.col("partners")]
        if d is Dimension.YEAR:
            raise AssertionError  # handled by aggregate (depends on the date field)
        if d is Dimension.PROJECT:
            if not self.has("project_id"):
                return [unknown] * self.n
            return [unknown if v is None else v for v in self.col("project_id")]
        if d is Dimension.ESTABLISHMENT:
            return self.col("est")
        return [unknown] * self.n  # FAIR_KIND, AWARD_LEVEL, STARS of another kind

    def _keys_of(self, q: AggregateQuery, rows: list[int]) -> list[list[Any]]:
        """Each breakdown's key of every selected row (aligned with ``rows``)."""
        out: list[list[Any]] = []
        for j, b in enumerate(q.by):
            if b.dimension is Dimension.YEAR:
                days = list(map(self.col(f"date.{q.date_field.value}").__getitem__, rows))
                if q.period is None:  # rows without the date are kept: "unknown"
                    out.append([UNKNOWN_KEY if d is None else str(d.year) for d in days])
                else:  # each distinct date's year written once (rows share their dates)
                    years = {d: str(d.year) for d in set(days)}
                    out.append(list(map(years.__getitem__, days)))
            else:
                unit_keys = q.unit_keys[j] if j < len(q.unit_keys) else None
                out.append(list(map(self.key_column(b, unit_keys).__getitem__, rows)))
        return out

    def aggregate(self, q: AggregateQuery) -> Aggregate:
        with collector_paused():
            rows = self.select(q)
            value = self._reducer(q)
            ids = self.ids() if q.drill_down else []
            total = Cell(value(rows, None), tuple(map(ids.__getitem__, rows)) if ids else ())
            if not q.by:
                return Aggregate(total)
            groups = _group(rows, self._keys_of(q, rows))
            split_fund = (
                self.kind is RecordKind.SUPPORT
                and q.counting is Counting.MONEY
                and q.measure is Measure.PUBLIC
            )
            fund_at = next((j for j, b in enumerate(q.by) if b.dimension is Dimension.FUND), None)
            if not split_fund:
                fund_at = None
            out: dict[tuple[str, ...], Cell] = {}
            for key, g in groups.items():
                fund = None if fund_at is None else key[fund_at]
                out[key] = Cell(value(g, fund), tuple(map(ids.__getitem__, g)) if ids else ())
            return Aggregate(total, out)

    def _reducer(self, q: AggregateQuery) -> Callable[[list[int], str | None], int]:
        c = q.counting
        if c is Counting.DISTINCT_ESTABLISHMENTS:
            if self.kind is RecordKind.PROJECT:
                ben = self.col("beneficiaries")
                return lambda g, _f: len({e for i in g for e in ben[i]})
            est = self.col("est").__getitem__
            return lambda g, _f: len(set(map(est, g)))
        if c is Counting.OCCURRENCES:
            return lambda g, _f: len(g)
        if c is Counting.PRODUCTS:
            prod = self.col("product").__getitem__
            return lambda g, _f: len(set(map(prod, g)))
        name = "" if q.measure is None else f"measure.{q.measure.value}"
        if not self.has(name):
            raise ValidationError.single(
                "$.measure", q.measure, text("storage.no_such_measure", kind=self.kind.value)
            )
        if q.measure is Measure.PUBLIC and self.kind is RecordKind.SUPPORT:
            by_fund = {
                Fund.NATIONAL.value: self.col(_NATIONAL).__getitem__,
                Fund.LOCAL.value: self.col(_LOCAL).__getitem__,
            }

            both = self.col(name).__getitem__

            def public(g: list[int], fund: str | None) -> int:
                if fund is None:
                    return sum(map(both, g))
                at = by_fund.get(fund)
                return 0 if at is None else sum(map(at, g))

            return public
        at = self.col(name).__getitem__
        return lambda g, _f: sum(map(at, g))


# The columns of each kind of record, built the first time a query reads them. ``est`` is the
# establishment a row counts for; ``date.*`` hold dates (None where a record has none),
# ``measure.*`` whole numbers, ``key.*`` the keys of a dimension only that kind has.
_COLUMNS: Mapping[RecordKind, Mapping[str, _Builder]] = {
    RecordKind.SUPPORT: {
        "est": _field("establishment_id"),
        "content": _field("content"),
        **_date(DateField.DELIVERED_ON.value),
        **_date(DateField.DECIDED_ON.value),
        **_date(DateField.ACCEPTED_ON.value),
        **_date(DateField.OUTCOME_REPORTED_ON.value),
        f"date.{DateField.REPORTED_OR_DELIVERED_ON.value}": lambda t: [
            o or d
            for o, d in zip(
                t.col(f"date.{DateField.OUTCOME_REPORTED_ON.value}"),
                t.col(f"date.{DateField.DELIVERED_ON.value}"),
                strict=True,
            )
        ],
        **_measure(Measure.NATIONAL, "national_amount"),
        **_measure(Measure.LOCAL, "local_amount"),
        **_measure(Measure.CO_FUNDING, "co_funding"),
        f"measure.{Measure.PUBLIC.value}": lambda t: list(
            map(operator.add, t.col(_NATIONAL), t.col(_LOCAL))
        ),
        f"measure.{Measure.TOTAL_COST.value}": lambda t: list(
            map(operator.add, t.col(_PUBLIC), t.col(_CO_FUNDING))
        ),
        **_measure(Measure.TRAINEES, "trainees"),
        **_measure(Measure.PARTICIPANTS, "participants"),
        **_measure(Measure.QUANTITY, "quantity"),
        **_outcome(Measure.JOBS_CREATED),
        **_outcome(Measure.INCOME_CHANGE),
        "funds": lambda t: list(
            map(
                _FUNDS.__getitem__,
                zip(map(bool, t.col(_NATIONAL)), map(bool, t.col(_LOCAL)), strict=True),
            )
        ),
        "partners": _field("partners"),
        "lead": _field("lead_agency"),
        "loc": _field("location"),
        "project_id": _field("project_id"),
    },
    RecordKind.FAIR: {
        "est": _field("establishment_id"),
        "content": lambda t: [_FAIR_CONTENT[r.fair_kind] for r in t.records],
        **_date(DateField.START_ON.value),
        **_date(DateField.END_ON.value),
        **_measure(Measure.FAIR_SUPPORT, "supported_amount"),
        "funds": lambda t: [("none",) if r.fund is None else (r.fund.value,) for r in t.records],
        "partners": _field("partners"),
        "lead": _field("lead_agency"),
        "loc": _field("location"),
        f"key.{Dimension.FAIR_KIND.value}": lambda t: [r.fair_kind.value for r in t.records],
        "project_id": _field("project_id"),
    },
    RecordKind.AWARD: {
        "est": _field("establishment_id"),
        **_NO_AGENCIES,
        **_date(DateField.CERTIFICATE_ISSUED_ON.value),
        **_date(DateField.ENTERED_ON.value),
        f"date.{DateField.ROUND_YEAR.value}": lambda t: [
            dt.date(r.round_year, 1, 1) for r in t.records
        ],
        "product": _product,
        "loc": _field("location"),
        f"key.{Dimension.AWARD_LEVEL.value}": lambda t: [r.level.value for r in t.records],
        "award_level": _field("level"),
        "recognised": lambda t: [bool(r.recognised) for r in t.records],
    },
    RecordKind.OCOP: {
        "est": _field("establishment_id"),
        **_NO_AGENCIES,
        **_date(DateField.RATED_ON.value),
        "product": _product,
        "loc": _field("location"),
        f"key.{Dimension.STARS.value}": lambda t: [str(r.stars) for r in t.records],
        "stars": _field("stars"),
    },
    RecordKind.PROJECT: {
        "est": lambda t: [r.beneficiary_ids[0] for r in t.records],
        "beneficiaries": _field("beneficiary_ids"),
        "content": _constant(None),
        f"key.{Dimension.CONTENT.value}": lambda t: [
            tuple(sorted({pc.content.value for pc in r.contents})) for r in t.records
        ],
        f"key.{Dimension.CONTENT_GROUP.value}": lambda t: [
            tuple(sorted({pc.content.group.value for pc in r.contents})) for r in t.records
        ],
        "contents": lambda t: [frozenset(pc.content for pc in r.contents) for r in t.records],
        **_date(DateField.APPROVED_ON.value),
        **_date(DateField.ACCEPTED_ON.value),
        **_date(DateField.SETTLED_ON.value),
        f"measure.{Measure.APPROVED.value}": lambda t: [r.approved_amount or 0 for r in t.records],
        "funds": lambda t: [(r.fund.value,) for r in t.records],
        "partners": _field("partners"),
        "lead": _field("lead_agency"),
        "loc": _field("province"),
        "status": _field("status"),
        "project_id": _field("id"),
    },
}


def _group(rows: list[int], keys: list[list[Any]]) -> dict[tuple[str, ...], list[int]]:
    """The selected rows by key tuple; a multi-valued key (a tuple of keys) puts its row under
    each combination. Rows stay in their order within a group."""
    raw: dict[Any, list[int]] = {}
    if rows and all(col.count(col[0]) == len(col) for col in keys):
        # One value per breakdown (a year, a fund): one group, without a tuple per row.
        first = tuple(col[0] for col in keys)
        raw[first if len(keys) > 1 else first[0]] = list(rows)
    else:  # group by the raw values first (a dict lookup per row); their combinations are few
        for i, k in zip(rows, zip(*keys, strict=True) if len(keys) > 1 else keys[0], strict=True):
            g = raw.get(k)
            if g is None:
                raw[k] = [i]
            else:
                g.append(i)
    if len(keys) == 1:
        multi = bool(raw) and isinstance(next(iter(raw)), tuple)
        if not multi:
            return {(k,): g for k, g in raw.items()}
        raw = {(k,): g for k, g in raw.items()}
    groups: dict[tuple[str, ...], list[int]] = {}
    merged: set[tuple[str, ...]] = set()
    for k, g in raw.items():
        parts = [v if isinstance(v, tuple) else (v,) for v in k]
        for combo in itertools.product(*parts):
            have = groups.get(combo)
            if have is None:
                groups[combo] = g
            else:
                groups[combo] = have + g
                merged.add(combo)
    for combo in merged:
        groups[combo].sort()
    return groups
