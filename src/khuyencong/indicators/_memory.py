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
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from khuyencong._arguments import Arguments, many_problem
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
            args.each(getattr(self, name), name, cls)
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
        table = self._table(kind)
        by_id = table.row_of_id()
        out: list[object] = []
        for rid in ids:
            if rid not in by_id:
                raise NotFoundError(f"{kind.value} record", rid)
            out.append(self.records(kind)[by_id[rid]])
        return out

    def get_establishments(self, ids: Sequence[str]) -> list[Establishment]:
        """The establishments with these ids, in that order."""
        return [self.establishment(i) for i in ids]

    def _table(self, kind: RecordKind) -> _Table:
        table = self._tables.get(kind)
        if table is None:
            table = _Table.build(kind, self.records(kind), self._est_by_id)
            self._tables[kind] = table
        return table


def _ordinal(day: dt.date | None) -> int:
    return 0 if day is None else day.toordinal()


def _support_funds(r: SupportRecord) -> tuple[str, ...]:
    if r.national_amount and r.local_amount:
        return ("national", "local")
    if r.national_amount:
        return ("national",)
    if r.local_amount:
        return ("local",)
    return ("none",)


class _Table:
    """Columns of one kind of record, aligned by row."""

    def __init__(self, kind: RecordKind, n: int) -> None:
        self.kind = kind
        self.n = n
        self.ids: list[str] = []
        self.est: list[str] = []
        self.dates: dict[DateField, list[int]] = {}
        self.measures: dict[Measure, list[int]] = {}
        self.reported: dict[Measure, list[int | None]] = {}
        # Every dimension column holds a str, or a tuple of str for multi-valued ones.
        self.keys: dict[Dimension, list[Any]] = {}
        self.content: list[SupportContent | None] = []
        self.loc: list[UnitRef | None] = []
        self.partners: list[tuple[str, ...]] = []
        self.lead: list[str | None] = []
        self.funds: list[tuple[str, ...]] = []
        self.product: list[str] = []
        self.extra: dict[str, list[Any]] = {}
        self._row_of_id: dict[str, int] | None = None
        self._est_by_id: Mapping[str, Establishment] = {}
        self._est_cols: dict[str, list[Any]] = {}
        self._unit_cols: dict[Breakdown, list[str]] = {}
        self._in_period: dict[tuple[DateField, int, int], list[int]] = {}

    def row_of_id(self) -> dict[str, int]:
        if self._row_of_id is None:
            self._row_of_id = {rid: i for i, rid in enumerate(self.ids)}
        return self._row_of_id

    @classmethod
    def build(
        cls, kind: RecordKind, records: Sequence[Any], est_by_id: Mapping[str, Establishment]
    ) -> _Table:
        t = cls(kind, len(records))
        t._est_by_id = est_by_id
        t.ids = [r.id for r in records]
        if kind is RecordKind.PROJECT:
            t.est = [r.beneficiary_ids[0] for r in records]
            t.extra["beneficiaries"] = [r.beneficiary_ids for r in records]
        else:
            t.est = [r.establishment_id for r in records]
        getattr(t, f"_build_{kind.value}")(records)
        if len(set(t.ids)) != t.n:
            dupes = sorted({i for i in t.ids if t.ids.count(i) > 1})[:5]
            raise ValidationError.single(f"$.{kind.value}", dupes, text("indicators.ids_unique"))
        return t

    def _build_support(self, rs: Sequence[SupportRecord]) -> None:
        self.content = [r.content for r in rs]
        self.dates[DateField.DELIVERED_ON] = [r.delivered_on.toordinal() for r in rs]
        self.dates[DateField.DECIDED_ON] = [_ordinal(r.decided_on) for r in rs]
        self.dates[DateField.ACCEPTED_ON] = [_ordinal(r.accepted_on) for r in rs]
        reported = [_ordinal(r.outcome_reported_on) for r in rs]
        self.dates[DateField.OUTCOME_REPORTED_ON] = reported
        self.dates[DateField.REPORTED_OR_DELIVERED_ON] = [
            o or d for o, d in zip(reported, self.dates[DateField.DELIVERED_ON], strict=True)
        ]
        nat = [r.national_amount for r in rs]
        loc = [r.local_amount for r in rs]
        co = [r.co_funding for r in rs]
        self.measures[Measure.NATIONAL] = nat
        self.measures[Measure.LOCAL] = loc
        self.measures[Measure.CO_FUNDING] = co
        self.measures[Measure.PUBLIC] = [a + b for a, b in zip(nat, loc, strict=True)]
        self.measures[Measure.TOTAL_COST] = [
            a + b + c for a, b, c in zip(nat, loc, co, strict=True)
        ]
        self.measures[Measure.TRAINEES] = [r.trainees for r in rs]
        self.measures[Measure.PARTICIPANTS] = [r.participants for r in rs]
        self.measures[Measure.QUANTITY] = [r.quantity for r in rs]
        # Outcomes are optional: ``reported`` keeps None where nothing was reported (such rows
        # are never selected for these measures), ``measures`` the values to sum.
        for m, col in (
            (Measure.JOBS_CREATED, [r.jobs_created for r in rs]),
            (Measure.INCOME_CHANGE, [r.income_change for r in rs]),
        ):
            self.reported[m] = col
            self.measures[m] = [0 if v is None else v for v in col]
        self.funds = [_support_funds(r) for r in rs]
        self.partners = [r.partners for r in rs]
        self.lead = [r.lead_agency for r in rs]
        self.loc = [r.location for r in rs]
        self.extra["project_id"] = [r.project_id for r in rs]

    def _build_fair(self, rs: Sequence[FairParticipation]) -> None:
        self.content = [_FAIR_CONTENT[r.fair_kind] for r in rs]
        self.dates[DateField.START_ON] = [r.start_on.toordinal() for r in rs]
        self.dates[DateField.END_ON] = [_ordinal(r.end_on) for r in rs]
        self.measures[Measure.FAIR_SUPPORT] = [r.supported_amount for r in rs]
        self.funds = [(r.fund.value,) if r.fund is not None else ("none",) for r in rs]
        self.partners = [r.partners for r in rs]
        self.lead = [r.lead_agency for r in rs]
        self.loc = [r.location for r in rs]
        self.keys[Dimension.FAIR_KIND] = [r.fair_kind.value for r in rs]
        self.extra["project_id"] = [r.project_id for r in rs]

    def _build_award(self, rs: Sequence[AwardEntry]) -> None:
        self.content = [None] * len(rs)
        self.dates[DateField.CERTIFICATE_ISSUED_ON] = [
            _ordinal(r.certificate_issued_on) for r in rs
        ]
        self.dates[DateField.ENTERED_ON] = [_ordinal(r.entered_on) for r in rs]
        self.dates[DateField.ROUND_YEAR] = [dt.date(r.round_year, 1, 1).toordinal() for r in rs]
        self.product = [f"{r.establishment_id}|{fold(r.product_name)}" for r in rs]
        self.loc = [r.location for r in rs]
        self.keys[Dimension.AWARD_LEVEL] = [r.level.value for r in rs]
        self.extra["award_level"] = [r.level for r in rs]
        self.extra["recognised"] = [bool(r.recognised) for r in rs]
        self._no_agencies(len(rs))

    def _build_ocop(self, rs: Sequence[OcopRating]) -> None:
        self.content = [None] * len(rs)
        self.dates[DateField.RATED_ON] = [r.rated_on.toordinal() for r in rs]
        self.product = [f"{r.establishment_id}|{fold(r.product_name)}" for r in rs]
        self.loc = [r.location for r in rs]
        self.keys[Dimension.STARS] = [str(r.stars) for r in rs]
        self.extra["stars"] = [r.stars for r in rs]
        self._no_agencies(len(rs))

    def _build_project(self, rs: Sequence[Project]) -> None:
        self.content = [None] * len(rs)
        self.keys[Dimension.CONTENT] = [
            tuple(sorted({pc.content.value for pc in r.contents})) for r in rs
        ]
        self.keys[Dimension.CONTENT_GROUP] = [
            tuple(sorted({pc.content.group.value for pc in r.contents})) for r in rs
        ]
        self.extra["contents"] = [frozenset(pc.content for pc in r.contents) for r in rs]
        self.dates[DateField.APPROVED_ON] = [_ordinal(r.approved_on) for r in rs]
        self.dates[DateField.ACCEPTED_ON] = [_ordinal(r.accepted_on) for r in rs]
        self.dates[DateField.SETTLED_ON] = [_ordinal(r.settled_on) for r in rs]
        self.measures[Measure.APPROVED] = [r.approved_amount or 0 for r in rs]
        self.funds = [(r.fund.value,) for r in rs]
        self.partners = [r.partners for r in rs]
        self.lead = [r.lead_agency for r in rs]
        self.loc = [r.province for r in rs]
        self.extra["status"] = [r.status for r in rs]
        self.extra["project_id"] = list(self.ids)

    def _no_agencies(self, n: int) -> None:
        self.partners = [()] * n
        self.lead = [None] * n
        self.funds = [("none",)] * n

    # -- establishment-derived columns ---------------------------------------------------

    def _est_col(self, name: str) -> list[Any]:
        col = self._est_cols.get(name)
        if col is None:
            ests = self._est_by_id
            by: dict[str, Any] = {k: getattr(e, name) for k, e in ests.items()}
            col = [by.get(e) for e in self.est]
            self._est_cols[name] = col
        return col

    def unit_refs(self) -> frozenset[UnitRef]:
        """Every unit reference the rows are located at (their own, else their establishment's).

        Hashing a unit reference is a Python call; the distinct establishments of the rows
        without a location of their own are far fewer than the rows.
        """
        own = {r for r in self.loc if r is not None}
        ests = {e for e, r in zip(self.est, self.loc, strict=True) if r is None}
        by_id = self._est_by_id
        found = {by_id[e].location for e in ests if e in by_id}
        return frozenset(own | found)

    def _location(self) -> list[UnitRef | None]:
        col = self._est_cols.get("where")
        if col is None:
            own = self._est_col("location")
            col = [r if r is not None else o for r, o in zip(self.loc, own, strict=True)]
            self._est_cols["where"] = col
        return col

    # -- filtering -----------------------------------------------------------------------

    def select(self, q: AggregateQuery) -> list[int]:
        f = q.filter
        rows: list[int] | range = range(self.n)
        if q.period is not None:
            lo, hi = q.period.start.toordinal(), q.period.end.toordinal()
            key = (q.date_field, lo, hi)
            placed = self._in_period.get(key)
            if placed is None:
                # The indicators of a report share their period (and mostly their date field):
                # placed in it once per date field (a few kept, e.g. delivery and outcomes).
                if len(self._in_period) >= 3:
                    self._in_period.clear()
                col = self.dates[q.date_field]
                placed = self._in_period[key] = [i for i in rows if lo <= col[i] <= hi]
            rows = placed
        if q.measure in OPTIONAL_MEASURES and q.measure in self.reported:
            # A missing outcome is not zero: only the records that reported it count.
            reported = self.reported[q.measure]
            rows = [i for i in rows if reported[i] is not None]
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
            funds, want_f = self.funds, {fd.value for fd in f.funds}
            rows = [i for i in rows if not want_f.isdisjoint(funds[i])]
        rows = self._kind_filter(rows, f)
        if f.with_partners is not None:
            p, flag = self.partners, f.with_partners
            rows = [i for i in rows if bool(p[i]) is flag]
        if f.partners is not None:
            p, want_p = self.partners, f.partners
            rows = [i for i in rows if not want_p.isdisjoint(p[i])]
        if f.lead_agencies is not None:
            lead, want_l = self.lead, f.lead_agencies
            rows = [i for i in rows if lead[i] in want_l]
        if f.project_ids is not None:
            pid, want_id = self.extra.get("project_id", [None] * self.n), f.project_ids
            rows = [i for i in rows if pid[i] in want_id]
        if f.establishment_ids is not None:
            est, want_e = self.est, f.establishment_ids
            rows = [i for i in rows if est[i] in want_e]
        return list(rows)

    def _content_filter(self, rows: list[int] | range, f: Filter) -> list[int] | range:
        if f.contents is None and f.groups is None and not f.exclude_contents:
            return rows
        if self.kind is RecordKind.PROJECT:
            contents = self.extra["contents"]
            return [i for i in rows if any(f.content_allowed(c) for c in contents[i])]
        allowed = {c for c in SupportContent if f.content_allowed(c)}
        content = self.content
        return [i for i in rows if content[i] in allowed]

    def _kind_filter(self, rows: list[int] | range, f: Filter) -> list[int] | range:
        if self.kind is RecordKind.FAIR and f.fair_kinds is not None:
            col, want = self.keys[Dimension.FAIR_KIND], {k.value for k in f.fair_kinds}
            rows = [i for i in rows if col[i] in want]
        if self.kind is RecordKind.AWARD:
            if f.award_levels is not None:
                lv, want_lv = self.extra["award_level"], f.award_levels
                rows = [i for i in rows if lv[i] in want_lv]
            if f.recognised_only:
                rec = self.extra["recognised"]
                rows = [i for i in rows if rec[i]]
        if self.kind is RecordKind.OCOP and f.stars is not None:
            st, want_st = self.extra["stars"], f.stars
            rows = [i for i in rows if st[i] in want_st]
        if self.kind is RecordKind.PROJECT and f.project_statuses is not None:
            status, want_s = self.extra["status"], f.project_statuses
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
        cached = self.keys.get(d)
        if cached is not None:
            return cached
        col = self._dimension_column(d)
        self.keys[d] = col
        return col

    def _dimension_column(self, d: Dimension) -> list[Any]:
        unknown = UNKNOWN_KEY
        if d is Dimension.CONTENT:
            return [unknown if c is None else c.value for c in self.content]
        if d is Dimension.CONTENT_GROUP:
            return [unknown if c is None else c.group.value for c in self.content]
        if d is Dimension.LEGAL_FORM:
            return [unknown if v is None else v.value for v in self._est_col("legal_form")]
        if d is Dimension.SECTOR:
            return [
                (unknown,) if v is None else tuple(s.value for s in v)
                for v in self._est_col("sectors")
            ]
        if d is Dimension.FUND:
            return list(self.funds)
        if d is Dimension.LEAD_AGENCY:
            return [unknown if v is None else v for v in self.lead]
        if d is Dimension.PARTNER:
            return [p if p else ("none",) for p in self.partners]
        if d is Dimension.COORDINATION:
            return ["with_partners" if p else "alone" for p in self.partners]
        if d is Dimension.YEAR:
            raise AssertionError  # handled by aggregate (depends on the date field)
        if d is Dimension.PROJECT:
            pid = self.extra.get("project_id", [None] * self.n)
            return [unknown if v is None else v for v in pid]
        if d is Dimension.ESTABLISHMENT:
            return list(self.est)
        return [unknown] * self.n  # FAIR_KIND, AWARD_LEVEL, STARS of another kind

    def aggregate(self, q: AggregateQuery) -> Aggregate:
        rows = self.select(q)
        value = self._reducer(q)
        ids = self.ids
        total = Cell(value(rows, None), tuple(ids[i] for i in rows) if q.drill_down else ())
        if not q.by:
            return Aggregate(total)
        cols: list[list[Any]] = []
        multi: list[bool] = []
        for j, b in enumerate(q.by):
            if b.dimension is Dimension.YEAR:
                dcol = self.dates[q.date_field]
                cols.append([str(dt.date.fromordinal(o).year) if o else UNKNOWN_KEY for o in dcol])
                multi.append(False)
            else:
                unit_keys = q.unit_keys[j] if j < len(q.unit_keys) else None
                col = self.key_column(b, unit_keys)
                cols.append(col)
                multi.append(bool(col) and isinstance(col[0], tuple))
        split_fund = (
            self.kind is RecordKind.SUPPORT
            and q.counting is Counting.MONEY
            and q.measure is Measure.PUBLIC
            and any(b.dimension is Dimension.FUND for b in q.by)
        )
        groups: dict[tuple[str, ...], list[int]] = {}
        if len(cols) == 1 and not multi[0]:
            col = cols[0]
            by_value: dict[Any, list[int]] = {}
            for i in rows:
                v = col[i]
                g = by_value.get(v)
                if g is None:
                    by_value[v] = [i]
                else:
                    g.append(i)
            groups = {(v,): g for v, g in by_value.items()}
        else:
            for i in rows:
                parts = [c[i] if m else (c[i],) for c, m in zip(cols, multi, strict=True)]
                for combo in itertools.product(*parts):
                    groups.setdefault(combo, []).append(i)
        fund_at = next((j for j, b in enumerate(q.by) if b.dimension is Dimension.FUND), None)
        out: dict[tuple[str, ...], Cell] = {}
        for key, g in groups.items():
            fund = key[fund_at] if split_fund and fund_at is not None else None
            out[key] = Cell(value(g, fund), tuple(ids[i] for i in g) if q.drill_down else ())
        return Aggregate(total, out)

    def _reducer(self, q: AggregateQuery) -> Callable[[list[int], str | None], int]:
        c = q.counting
        if c is Counting.DISTINCT_ESTABLISHMENTS:
            if self.kind is RecordKind.PROJECT:
                ben = self.extra["beneficiaries"]
                return lambda g, _f: len({e for i in g for e in ben[i]})
            est = self.est.__getitem__
            return lambda g, _f: len(set(map(est, g)))
        if c is Counting.OCCURRENCES:
            return lambda g, _f: len(g)
        if c is Counting.PRODUCTS:
            prod = self.product.__getitem__
            return lambda g, _f: len(set(map(prod, g)))
        if q.measure is None or q.measure not in self.measures:
            raise ValidationError.single(
                "$.measure", q.measure, text("storage.no_such_measure", kind=self.kind.value)
            )
        m = self.measures[q.measure]
        if q.measure is Measure.PUBLIC and self.kind is RecordKind.SUPPORT:
            nat, loc = self.measures[Measure.NATIONAL], self.measures[Measure.LOCAL]

            def public(g: list[int], fund: str | None) -> int:
                if fund == Fund.NATIONAL.value:
                    return sum([nat[i] for i in g])
                if fund == Fund.LOCAL.value:
                    return sum([loc[i] for i in g])
                if fund is not None:
                    return 0
                return sum([m[i] for i in g])

            return public
        at = m.__getitem__
        return lambda g, _f: sum(map(at, g))
