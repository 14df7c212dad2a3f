"""Indicator aggregation pushed down to SQL, for the SQLite and PostgreSQL stores.

:class:`SqlIndicatorSource` answers the engine's
:class:`~khuyencong.indicators.AggregateQuery` with one SQL statement per figure set, so that
an indicator over a million support records never loads them into Python:

- the kept records are a common table expression ``kept`` over the record table (joined to
  ``establishments`` only when the query needs a legal form, the sectors or the location of the
  establishment), with one column per breakdown key and the values to count or sum;
- the administrative-unit roll-up the engine resolved (``query.unit_keys``) is left-joined on
  the record's location (its own, else its establishment's): on SQLite written into a small
  indexed temporary table ``kc_unit_keys (slot, map_id, code, key)``, on PostgreSQL passed as
  one JSON parameter read by ``jsonb_to_recordset`` (a read-only transaction, as a report's,
  may not create a table there); a unit the mapping does not know, or no location, is
  :data:`~khuyencong.indicators.UNKNOWN_KEY`;
- a multi-valued dimension (sectors, partners, funds of a support record, contents of a
  project) is a JSON array, exploded with ``json_each`` (SQLite) or
  ``jsonb_array_elements_text`` (PostgreSQL): a record falls under each of its keys, exactly as
  in :class:`~khuyencong.indicators.RecordSet`;
- distinct establishments are ``COUNT(DISTINCT …)``, occurrences ``COUNT(*)``, products
  ``COUNT(DISTINCT product_key)``, persons, quantities and money ``SUM``; the total is its own
  query over the kept records, never a sum of groups;
- sums are exact whatever their size: PostgreSQL sums integers as ``NUMERIC``; SQLite, whose
  ``SUM`` stops at 2^63 − 1, sums the billions and the rest of each value apart
  (``SUM(v / 10^9)`` and ``SUM(v % 10^9)``) and Python joins them, so a sum of any number of
  amounts up to :data:`~khuyencong.domain.MAX_DONG` cannot overflow;
- drill-down ids are read by a second statement (ids only, in id order).

These keep a report over a million records cheap (each gives the figures of the general
statement, which the SQL-vs-memory property test checks on both databases):

- a count of distinct establishments that reads the establishments' table first reduces the
  kept records to their distinct (establishment, record columns the keys read) combinations
  and joins the establishments to those only (``_Plan.build(distinct_first=True)``);
- support records broken down by fund get one column per fund (``_by_fund``) instead of a
  JSON array of funds exploded and sorted row by row;
- a total, and the units the records use, are kept per statement while the data is unchanged
  (``SqlIndicatorSource._fresh``): a report asks for the establishments' total with five
  breakdowns;
- on SQLite, those distinct combinations are kept in a temporary table per selection while the
  data is unchanged (``SqlIndicatorSource._distinct_table``), which the total and every
  breakdown of the same records read (the distinct pass was half of each statement), and the
  establishments are joined through their covering index (``_Statement.covering``).

Every value reaches the database as a named parameter; only identifiers and fixed SQL words
written in this module are part of the statement text. The record columns read here are
those of :mod:`khuyencong.storage._records` (schema versions 2 and 4); the covering indexes of
schema version 3 hold every one the standard support-record indicators read, and the partial
index of version 4 the records whose beneficiaries reported outcomes.

Drill-down ids come in id order, so a :class:`~khuyencong.indicators.RecordSet` built from the
store's contents (which the store lists in id order) gives identical results.
"""

# Only identifiers and fixed SQL of this module are formatted into statements; every value is
# a named parameter, so the string-built-query warning does not apply.
# ruff: noqa: S608

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from khuyencong.domain import ContentGroup, Establishment, FairKind, Fund, SupportContent
from khuyencong.exceptions import NotFoundError, ValidationError
from khuyencong.indicators import (
    DATE_FIELDS,
    MEASURES,
    OPTIONAL_MEASURES,
    UNKNOWN_KEY,
    Aggregate,
    AggregateQuery,
    Breakdown,
    Cell,
    Counting,
    DateField,
    Dimension,
    Filter,
    Measure,
    RecordKind,
)
from khuyencong.messages import text as message
from khuyencong.storage import _records as rec
from khuyencong.storage._common import from_data
from khuyencong.units import MapId, UnitRef

if TYPE_CHECKING:
    from khuyencong.storage._sql import SqlStore

__all__ = ["SqlIndicatorSource"]

_SPECS: Mapping[RecordKind, rec.RecordSpec[Any]] = {
    RecordKind.SUPPORT: rec.SUPPORT_RECORDS,
    RecordKind.FAIR: rec.FAIR_PARTICIPATIONS,
    RecordKind.AWARD: rec.AWARD_ENTRIES,
    RecordKind.OCOP: rec.OCOP_RATINGS,
    RecordKind.PROJECT: rec.PROJECTS,
}

# The date column of each date field (``round_year`` is handled apart).
_DATES: Mapping[RecordKind, Mapping[DateField, str]] = {
    RecordKind.SUPPORT: {
        DateField.DELIVERED_ON: "r.day",
        DateField.DECIDED_ON: "r.decided_on",
        DateField.ACCEPTED_ON: "r.accepted_on",
        DateField.OUTCOME_REPORTED_ON: "r.outcome_reported_on",
        DateField.REPORTED_OR_DELIVERED_ON: "COALESCE(r.outcome_reported_on, r.day)",
    },
    RecordKind.FAIR: {DateField.START_ON: "r.day", DateField.END_ON: "r.end_on"},
    RecordKind.AWARD: {
        DateField.CERTIFICATE_ISSUED_ON: "r.certificate_issued_on",
        DateField.ENTERED_ON: "r.entered_on",
    },
    RecordKind.OCOP: {DateField.RATED_ON: "r.day"},
    RecordKind.PROJECT: {
        DateField.APPROVED_ON: "r.approved_on",
        DateField.ACCEPTED_ON: "r.accepted_on",
        DateField.SETTLED_ON: "r.settled_on",
    },
}

_NAT, _LOC = "r.national_amount", "r.local_amount"
_MEASURES: Mapping[RecordKind, Mapping[Measure, str]] = {
    RecordKind.SUPPORT: {
        Measure.NATIONAL: _NAT,
        Measure.LOCAL: _LOC,
        Measure.CO_FUNDING: "r.co_funding",
        Measure.PUBLIC: f"({_NAT} + {_LOC})",
        Measure.TOTAL_COST: f"({_NAT} + {_LOC} + r.co_funding)",
        Measure.TRAINEES: "r.trainees",
        Measure.PARTICIPANTS: "r.participants",
        Measure.QUANTITY: "r.quantity",
        Measure.JOBS_CREATED: "r.jobs_created",
        Measure.INCOME_CHANGE: "r.income_change",
    },
    RecordKind.FAIR: {Measure.FAIR_SUPPORT: "r.supported_amount"},
    RecordKind.AWARD: {},
    RecordKind.OCOP: {},
    RecordKind.PROJECT: {Measure.APPROVED: "COALESCE(r.approved_amount, 0)"},
}

_FAIR_CONTENT = {
    FairKind.DOMESTIC: SupportContent.DOMESTIC_FAIR_PARTICIPATION,
    FairKind.OVERSEAS: SupportContent.OVERSEAS_FAIR,
}
_HAS_AGENCIES = frozenset({RecordKind.SUPPORT, RecordKind.FAIR, RecordKind.PROJECT})
_EMPTY = rec.json_list([])
_SPLIT = 10**9
"""SQLite sums ``v / _SPLIT`` and ``v % _SPLIT`` apart: each part of an amount up to 10^15 is at
most 10^6 or 10^9, so the parts' sums stay within 64 bits for billions of records."""
_NONE = "none"
_KEPT_MAX = 512
"""How many answers a source keeps at most (each a row or a list of unit references)."""
_BIG_LIST = 32
_ESTABLISHMENTS_INDEX = "ix_establishments_indicators"
"""The establishments' covering index (schema version 3): id, legal form, place, sectors."""


class _Statement:
    """SQL text built piece by piece, with its named parameters."""

    def __init__(self, dialect: str) -> None:
        self.dialect = dialect
        self.params: dict[str, object] = {}

    def p(self, value: object) -> str:
        """A placeholder for ``value``."""
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f":{name}" if self.dialect == "sqlite" else f"%({name})s"

    def t(self, value: str) -> str:
        """A text parameter, typed for both databases."""
        return f"CAST({self.p(value)} AS TEXT)"

    def is_in(self, expr: str, values: Sequence[object]) -> str:
        """``expr`` is one of ``values`` (false for none; one parameter for long lists)."""
        if not values:
            return "1 = 0"
        if len(values) > _BIG_LIST and all(isinstance(v, str) for v in values):
            if self.dialect == "sqlite":
                return f"{expr} IN (SELECT value FROM json_each({self.p(json.dumps(values))}))"
            return f"{expr} = ANY({self.p(list(values))})"
        return f"{expr} IN ({', '.join(self.p(v) for v in values)})"

    def unindexed(self, expr: str) -> str:
        """``expr`` such that SQLite does not pick an index on it (unary ``+``; same value).

        A filter on the content would otherwise lead SQLite to the ``(content, day)`` index,
        then to every row it finds; the covering index on the day (schema version 3) answers
        the same query from the index alone, several times faster.
        """
        return f"+{expr}" if self.dialect == "sqlite" else expr

    def covering(self) -> str:
        """SQLite: read the establishments joined to records through their covering index.

        The planner picks the primary key's index for ``e.id = …``, then reads each
        establishment's row, past its JSON, for its legal form, place or sectors; the covering
        index of schema version 3 holds them all (a distinct-establishment breakdown over
        50,000 establishments: about a third less).
        """
        return f" INDEXED BY {_ESTABLISHMENTS_INDEX}" if self.dialect == "sqlite" else ""

    def each(self, json_expr: str, alias: str) -> str:
        """A FROM item: the elements of a JSON array of texts, as ``alias.value``."""
        if self.dialect == "sqlite":
            return f"json_each({json_expr}) AS {alias}"
        return f"jsonb_array_elements_text(CAST({json_expr} AS jsonb)) AS {alias}(value)"

    def any_of(self, json_expr: str, values: Sequence[str], alias: str) -> str:
        """Some element of a JSON array of texts is one of ``values``."""
        cond = self.is_in(f"{alias}.value", values)
        return f"EXISTS (SELECT 1 FROM {self.each(json_expr, alias)} WHERE {cond})"

    def sums(self, expr: str) -> list[str]:
        """The columns whose joined values (:func:`_joined`) are ``SUM(expr)``, exactly."""
        if self.dialect == "sqlite":
            return [
                f"COALESCE(SUM(({expr}) / {_SPLIT}), 0)",
                f"COALESCE(SUM(({expr}) % {_SPLIT}), 0)",
            ]
        return [f"COALESCE(SUM({expr}), 0)"]

    def year(self, date_expr: str) -> str:
        """The year of a date column, as text (``2018``)."""
        if self.dialect == "sqlite":
            return f"CAST(CAST(substr({date_expr}, 1, 4) AS INTEGER) AS TEXT)"
        return f"CAST(CAST(EXTRACT(YEAR FROM {date_expr}) AS INTEGER) AS TEXT)"


class _Plan:
    """The SQL of one aggregate query: the ``kept`` CTE, its keys and its values."""

    def __init__(
        self,
        store: SqlStore,
        query: AggregateQuery,
        distinct: Callable[[str, Mapping[str, object]], str] | None = None,
    ) -> None:
        self.q = query
        self.distinct = distinct
        self.kind = query.kind
        self.s = _Statement(store._dialect.name)
        self.store = store
        self.joins: list[str] = []
        self.needs_est = False
        self.where: list[str] = []
        self.est_where: list[str] = []
        self.cols: list[str] = ["r.id AS id", "r.establishment_id AS est"]
        self.multi: list[bool] = []
        self.unit_rows: list[tuple[int, str, str, str]] = []

    # -- record fields ------------------------------------------------------------------

    def est(self, column: str) -> str:
        self.needs_est = True
        return f"e.{column}"

    def content(self) -> str | None:
        if self.kind is RecordKind.SUPPORT:
            return "r.content"
        if self.kind is RecordKind.FAIR:
            whens = " ".join(
                f"WHEN {self.s.t(k.value)} THEN {self.s.t(c.value)}"
                for k, c in _FAIR_CONTENT.items()
            )
            return f"(CASE r.fair_kind {whens} END)"
        return None

    def partners(self) -> str:
        return "r.partners" if self.kind in _HAS_AGENCIES else self.s.t(_EMPTY)

    def lead(self) -> str:
        return "r.lead_agency" if self.kind in _HAS_AGENCIES else "NULL"

    def project_id(self) -> str:
        if self.kind is RecordKind.PROJECT:
            return "r.id"
        if self.kind in (RecordKind.SUPPORT, RecordKind.FAIR):
            return "r.project_id"
        return "NULL"

    def location(self) -> tuple[str, str]:
        m, c = self.est("map_id"), self.est("unit_code")
        return (
            f"COALESCE(r.map_id, {m})",
            f"(CASE WHEN r.map_id IS NULL THEN {c} ELSE r.unit_code END)",
        )

    def date(self, field: DateField) -> str:
        if field not in DATE_FIELDS[self.kind]:
            raise ValidationError.single(
                "$.date_field", field.value, message("storage.no_such_date", kind=self.kind.value)
            )
        if field is DateField.ROUND_YEAR:
            return "r.round_year"
        return _DATES[self.kind][field]

    def measure(self) -> str:
        m = self.q.measure
        if m is None or m not in MEASURES[self.kind]:
            raise ValidationError.single(
                "$.measure", m, message("storage.no_such_measure", kind=self.kind.value)
            )
        return _MEASURES[self.kind][m]

    # -- filter -------------------------------------------------------------------------

    def build_where(self) -> None:
        q, s, w = self.q, self.s, self.where
        f = q.filter
        if q.period is not None:
            lo, hi = q.period.start, q.period.end
            if q.date_field is DateField.ROUND_YEAR:
                first = lo.year if (lo.month, lo.day) == (1, 1) else lo.year + 1
                w.append(f"r.round_year BETWEEN {s.p(first)} AND {s.p(hi.year)}")
            else:
                col, d = self.date(q.date_field), self.store._dialect
                w.append(f"{col} BETWEEN {s.p(d.date(lo))} AND {s.p(d.date(hi))}")
        if q.measure in OPTIONAL_MEASURES and q.measure in MEASURES[self.kind]:
            # A missing outcome is not zero: only the records that reported it count. (This
            # term also lets the partial outcome index of schema version 4 answer.)
            w.append(f"{_MEASURES[self.kind][q.measure]} IS NOT NULL")
        self.content_filter(f)
        # The terms on the establishment go apart: a distinct-establishment count applies them
        # after reducing the records to their distinct establishments (see ``build``).
        ew = self.est_where
        if f.legal_forms is not None:
            ew.append(s.is_in(self.est("legal_form"), sorted(v.value for v in f.legal_forms)))
        if f.sectors is not None:
            ew.append(s.any_of(self.est("sectors"), sorted(v.value for v in f.sectors), "js"))
        if f.exclude_sectors:
            avoid = sorted(v.value for v in f.exclude_sectors)
            sectors = self.est("sectors")
            ew.append(f"{sectors} IS NOT NULL AND NOT {s.any_of(sectors, avoid, 'jx')}")
        if f.funds is not None:
            w.append(self.fund_filter({fd.value for fd in f.funds}))
        self.kind_filter(f)
        if f.with_partners is not None:
            op = "<>" if f.with_partners else "="
            w.append(f"{self.partners()} {op} {s.t(_EMPTY)}")
        if f.partners is not None:
            w.append(s.any_of(self.partners(), sorted(f.partners), "jp"))
        if f.lead_agencies is not None:
            w.append(s.is_in(self.lead(), sorted(f.lead_agencies)))
        if f.project_ids is not None:
            w.append(s.is_in(self.project_id(), sorted(f.project_ids)))
        if f.establishment_ids is not None:
            w.append(s.is_in("r.establishment_id", sorted(f.establishment_ids)))
        if f.reported is not None:
            w.append(self.reported(f.reported))

    def reported(self, outcomes: frozenset[Measure]) -> str:
        """The record reported one of ``outcomes`` (``Filter.reported``).

        Written in the order of the partial outcome index's condition (schema version 4), so
        that SQLite sees the index applies (each single outcome implies that condition too).
        """
        own = _MEASURES[self.kind]
        terms = [f"{own[m]} IS NOT NULL" for m in Measure if m in outcomes and m in own]
        return "(" + " OR ".join(terms) + ")" if terms else "1 = 0"

    def content_filter(self, f: Filter) -> None:
        if f.contents is None and f.groups is None and not f.exclude_contents:
            return
        allowed = sorted(c.value for c in SupportContent if f.content_allowed(c))
        if self.kind is RecordKind.PROJECT:
            self.where.append(self.s.any_of("r.contents", allowed, "jc"))
            return
        content = self.content()
        if content is None:
            self.where.append("1 = 0")
            return
        if self.kind is RecordKind.SUPPORT:
            content = self.s.unindexed(content)
        self.where.append(self.s.is_in(content, allowed))

    def fund_filter(self, want: set[str]) -> str:
        s = self.s
        if self.kind is RecordKind.SUPPORT:
            parts = []
            if Fund.NATIONAL.value in want:
                parts.append(f"{_NAT} <> 0")
            if Fund.LOCAL.value in want:
                parts.append(f"{_LOC} <> 0")
            if _NONE in want:
                parts.append(f"({_NAT} = 0 AND {_LOC} = 0)")
            return "(" + " OR ".join(parts) + ")" if parts else "1 = 0"
        if self.kind is RecordKind.FAIR:
            return s.is_in(f"COALESCE(r.fund, {s.t(_NONE)})", sorted(want))
        if self.kind is RecordKind.PROJECT:
            return s.is_in("r.fund", sorted(want))
        return "1 = 0"  # awards and ratings have no fund ("none" is not a Fund)

    def kind_filter(self, f: Filter) -> None:
        s, w = self.s, self.where
        if self.kind is RecordKind.FAIR and f.fair_kinds is not None:
            w.append(s.is_in("r.fair_kind", sorted(k.value for k in f.fair_kinds)))
        if self.kind is RecordKind.AWARD:
            if f.award_levels is not None:
                w.append(s.is_in("r.level", sorted(lv.value for lv in f.award_levels)))
            if f.recognised_only:
                w.append("r.recognised = 1")
        if self.kind is RecordKind.OCOP and f.stars is not None:
            w.append(s.is_in("r.stars", sorted(f.stars)))
        if self.kind is RecordKind.PROJECT and f.project_statuses is not None:
            w.append(s.is_in("r.status", sorted(st.value for st in f.project_statuses)))

    # -- keys ---------------------------------------------------------------------------

    def key(self, j: int, b: Breakdown) -> tuple[str, bool]:
        """The SQL of breakdown ``j`` and whether it is a JSON array (multi-valued)."""
        s, d, kind = self.s, b.dimension, self.kind
        unk = s.t(UNKNOWN_KEY)
        if d is Dimension.UNIT:
            mapping = self.q.unit_keys[j] if j < len(self.q.unit_keys) else None
            m, c = self.location()
            u = f"u{j}"
            if s.dialect == "sqlite":
                for ref, key in (mapping or {}).items():
                    self.unit_rows.append((j, ref.map_id.value, ref.code, key))
                table = f"kc_unit_keys AS {u}"
                on = f"{u}.slot = {s.p(j)} AND "
            else:
                # No table written: a read-only transaction (a report) may not create one.
                rows = [
                    {"map_id": ref.map_id.value, "code": ref.code, "key": key}
                    for ref, key in (mapping or {}).items()
                ]
                table = (
                    f"jsonb_to_recordset(CAST({s.p(json.dumps(rows))} AS jsonb)) "
                    f"AS {u}(map_id TEXT, code TEXT, key TEXT)"
                )
                on = ""
            self.joins.append(f"LEFT JOIN {table} ON {on}{u}.map_id = {m} AND {u}.code = {c}")
            return f"COALESCE({u}.key, {unk})", False
        if d is Dimension.YEAR:
            if self.q.date_field is DateField.ROUND_YEAR:
                return "CAST(r.round_year AS TEXT)", False
            col = self.date(self.q.date_field)
            return f"(CASE WHEN {col} IS NULL THEN {unk} ELSE {s.year(col)} END)", False
        if d is Dimension.CONTENT:
            if kind is RecordKind.PROJECT:
                return "r.contents", True
            content = self.content()
            return (unk if content is None else f"COALESCE({content}, {unk})"), False
        if d is Dimension.CONTENT_GROUP:
            if kind is RecordKind.PROJECT:
                return "r.content_groups", True
            content = self.content()
            if content is None:
                return unk, False
            whens = " ".join(
                f"WHEN {s.is_in(content, [c.value for c in SupportContent if c.group is g])} "
                f"THEN {s.t(g.value)}"
                for g in ContentGroup
                if any(c.group is g for c in SupportContent)
            )
            return f"(CASE {whens} ELSE {unk} END)", False
        if d is Dimension.LEGAL_FORM:
            return f"COALESCE({self.est('legal_form')}, {unk})", False
        if d is Dimension.SECTOR:
            return f"COALESCE({self.est('sectors')}, {s.t(rec.json_list([UNKNOWN_KEY]))})", True
        if d is Dimension.FUND:
            return self.fund_key()
        if d is Dimension.LEAD_AGENCY:
            return f"COALESCE({self.lead()}, {unk})", False
        if d is Dimension.PARTNER:
            p = self.partners()
            none = s.t(rec.json_list([_NONE]))
            return f"(CASE WHEN {p} = {s.t(_EMPTY)} THEN {none} ELSE {p} END)", True
        if d is Dimension.COORDINATION:
            p = self.partners()
            alone, with_p = s.t("alone"), s.t("with_partners")
            return f"(CASE WHEN {p} = {s.t(_EMPTY)} THEN {alone} ELSE {with_p} END)", False
        if d is Dimension.PROJECT:
            pid = self.project_id()
            return (unk if pid == "NULL" else f"COALESCE({pid}, {unk})"), False
        if d is Dimension.ESTABLISHMENT:
            return "r.establishment_id", False
        own = {
            Dimension.FAIR_KIND: (RecordKind.FAIR, "r.fair_kind"),
            Dimension.AWARD_LEVEL: (RecordKind.AWARD, "r.level"),
            Dimension.STARS: (RecordKind.OCOP, "CAST(r.stars AS TEXT)"),
        }
        owner, expr = own[d]
        return (expr if kind is owner else unk), False

    def fund_key(self) -> tuple[str, bool]:
        s = self.s
        if self.kind is RecordKind.SUPPORT:
            both, nat, loc, none = (
                s.t(rec.json_list(v))
                for v in (["national", "local"], ["national"], ["local"], [_NONE])
            )
            return (
                f"(CASE WHEN {_NAT} <> 0 AND {_LOC} <> 0 THEN {both} "
                f"WHEN {_NAT} <> 0 THEN {nat} WHEN {_LOC} <> 0 THEN {loc} ELSE {none} END)"
            ), True
        if self.kind is RecordKind.FAIR:
            return f"COALESCE(r.fund, {s.t(_NONE)})", False
        if self.kind is RecordKind.PROJECT:
            return "r.fund", False
        return s.t(_NONE), False

    # -- values -------------------------------------------------------------------------

    def split_fund(self) -> bool:
        q = self.q
        return (
            self.kind is RecordKind.SUPPORT
            and q.counting is Counting.MONEY
            and q.measure is Measure.PUBLIC
            and any(b.dimension is Dimension.FUND for b in q.by)
        )

    def values(self) -> None:
        """Add the counted columns to ``kept`` (``v``, ``nat``/``loc``, ``product``, ``ben``)."""
        c = self.q.counting
        if c is Counting.PRODUCTS:
            if self.kind not in (RecordKind.AWARD, RecordKind.OCOP):
                raise ValidationError.single(
                    "$.counting", c.value, message("storage.products_counted")
                )
            self.cols.append("r.product_key AS product")
        elif c is Counting.DISTINCT_ESTABLISHMENTS:
            if self.kind is RecordKind.PROJECT:
                self.cols.append("r.beneficiaries AS ben")
        elif c is not Counting.OCCURRENCES:
            self.cols.append(f"{self.measure()} AS v")
            if self.split_fund():
                self.cols += [f"{_NAT} AS nat", f"{_LOC} AS loc"]

    def reducer(self, fund_key: str | None) -> tuple[list[str], str]:
        """The aggregate columns (one, or a sum's two parts) and any FROM item they need."""
        c = self.q.counting
        if c is Counting.DISTINCT_ESTABLISHMENTS:
            if self.kind is RecordKind.PROJECT:
                return ["COUNT(DISTINCT jb.value)"], f" CROSS JOIN {self.s.each('kept.ben', 'jb')}"
            return ["COUNT(DISTINCT kept.est)"], ""
        if c is Counting.OCCURRENCES:
            return ["COUNT(*)"], ""
        if c is Counting.PRODUCTS:
            return ["COUNT(DISTINCT kept.product)"], ""
        if fund_key is not None:
            nat, loc = self.s.t(Fund.NATIONAL.value), self.s.t(Fund.LOCAL.value)
            return self.s.sums(
                f"CASE WHEN {fund_key} = {nat} THEN kept.nat "
                f"WHEN {fund_key} = {loc} THEN kept.loc ELSE 0 END"
            ), ""
        return self.s.sums("kept.v"), ""

    # -- statements ---------------------------------------------------------------------

    def build(self, *, distinct_first: bool = False) -> tuple[str, list[str]]:
        """The ``WITH kept AS (…)`` prefix and the key expression of each breakdown.

        With ``distinct_first`` (the figures, not the drill-down ids, of a count of distinct
        establishments that reads the establishments' table), ``kept`` is built from the *distinct*
        combinations of a record's establishment and the record columns the keys read, under
        the record terms of the filter; the establishments are joined, and their terms applied,
        only then. Every key and every term is a function of that combination, so each key
        gets the same set of establishments, at the cost of one join per distinct combination
        (about 50,000 for a million records) instead of one per record. ``kept.id`` is then
        the establishment's id, so the plan reads no ids.
        """
        keys: list[str] = []
        for j, b in enumerate(self.q.by):
            expr, multi = self.key(j, b)
            self.cols.append(f"{expr} AS k{j}")
            self.multi.append(multi)
            keys.append(f"j{j}.value" if multi else f"kept.k{j}")
        self.values()
        self.build_where()
        table = _SPECS[self.kind].table
        est_join = (
            f" LEFT JOIN establishments AS e{self.s.covering()} ON e.id = r.establishment_id"
            if self.needs_est
            else ""
        )
        joins = "".join(f" {j}" for j in self.joins)
        if distinct_first and self.distinct_first():
            read = sorted({"establishment_id"} | _record_columns([*self.cols[1:], *self.joins]))
            inner = " AND ".join(self.where)
            select = (
                f"SELECT DISTINCT {', '.join(f'r.{c}' for c in read)} FROM {table} AS r"
                f"{' WHERE ' + inner if inner else ''}"
            )
            source = (
                f"({select}) AS r"
                if self.distinct is None
                else f"{self.distinct(select, self.s.params)} AS r"
            )
            cols = ["r.establishment_id AS id", *self.cols[1:]]
            outer = " AND ".join(self.est_where)
            select = (
                f"SELECT {', '.join(cols)} FROM {source}{est_join}{joins}"
                f"{' WHERE ' + outer if outer else ''}"
            )
            return f"WITH kept AS ({select})", keys
        terms = self.where + self.est_where
        where = " WHERE " + " AND ".join(terms) if terms else ""
        select = f"SELECT {', '.join(self.cols)} FROM {table} AS r{est_join}{joins}{where}"
        return f"WITH kept AS ({select})", keys

    def distinct_first(self) -> bool:
        """Whether ``build(distinct_first=True)`` applies: distinct establishments of a record
        kind that names one, over the establishments' table."""
        return (
            self.q.counting is Counting.DISTINCT_ESTABLISHMENTS
            and self.kind is not RecordKind.PROJECT
            and self.needs_est
        )

    def explode(self) -> str:
        return "".join(
            f" CROSS JOIN {self.s.each(f'kept.k{j}', f'j{j}')}"
            for j, multi in enumerate(self.multi)
            if multi
        )


_RECORD_COLUMN = re.compile(r"\br\.([a-z_]+)\b")
_PLACEHOLDER = re.compile(r":(p[0-9]+)\b")
_TABLES_MAX = 8
"""How many tables of distinct combinations a store keeps at most (a report makes two)."""


def _record_columns(sql: Sequence[str]) -> set[str]:
    """The record columns (``r.<name>``) these pieces of this module's SQL read."""
    return {m.group(1) for piece in sql for m in _RECORD_COLUMN.finditer(piece)}


def _joined(parts: Sequence[Any]) -> int:
    """A count, a sum, or a sum's two parts (SQLite: billions and the rest) as one integer."""
    if len(parts) == 2:
        return int(parts[0] or 0) * _SPLIT + int(parts[1] or 0)
    return int(parts[0] or 0)


class SqlIndicatorSource:
    """An SQL store as an :class:`~khuyencong.indicators.IndicatorSource`.

    Made by :meth:`~khuyencong.storage.SQLiteStore.indicator_source` (or
    :func:`khuyencong.indicators.source_for`). Aggregates run in the database; drill-down ids
    come in id order; :meth:`get_records` and :meth:`get_establishments` read only the rows
    asked for.
    """

    def __init__(self, store: SqlStore) -> None:
        self._store = store
        self._order = store._dialect.order_by_id.replace("ORDER BY id", "ORDER BY kept.id")
        self._version: object = None
        self._kept: dict[tuple[str, str], Any] = {}
        self._distinct = self._distinct_table if store._dialect.name == "sqlite" else None

    def _fresh(self) -> None:
        """Forget every kept answer if the data may have changed since they were read."""
        version = self._store._data_version()
        if version != self._version:
            self._kept.clear()
            self._version = version

    def _plan(self, query: AggregateQuery) -> _Plan:
        """The plan of a figure (distinct combinations kept in tables on SQLite)."""
        return _Plan(self._store, query, self._distinct)

    def _distinct_table(self, select: str, params: Mapping[str, object]) -> str:
        """SQLite: a temporary table holding the rows of ``select`` (distinct combinations of
        a record's establishment and columns), made once per statement and parameters while
        the data is unchanged.

        A report counts the establishments it supported in the period by their legal form, by
        sector, outside a sector and by two levels of units: each statement read the same
        800,000 records of a million down to the same 50,000 establishments (with their places
        for the units), the dearest half of it. Now two tables, each read by the statements
        that need it. (A total over the records alone is one statement, kept as an answer.)
        The tables belong to the store (its connection), are named for it, are dropped as soon
        as its data changed (:meth:`SqlStore._data_version`, as the kept answers) and are at
        most :data:`_TABLES_MAX` at a time.
        """
        store = self._store
        # The placeholders numbered in order of appearance: the same selection in two
        # statements is one table whatever the rest of each statement.
        names = list(dict.fromkeys(_PLACEHOLDER.findall(select)))
        text = _PLACEHOLDER.sub(lambda m: f":d{names.index(m.group(1))}", select)
        values = {f"d{i}": params[n] for i, n in enumerate(names)}
        key = (text, repr(sorted(values.items())))
        tables = store._temp_tables
        if tables.version != self._version:
            self._drop(tables.names.values())
            tables.names.clear()
            tables.version = self._version
        name = tables.names.get(key)
        if name is None:
            if len(tables.names) >= _TABLES_MAX:
                self._drop(tables.names.values())
                tables.names.clear()
            name = f"kc_distinct_{tables.made}"
            tables.made += 1
            with store._guard():
                cur = store._cursor()
                cur.execute(f"DROP TABLE IF EXISTS temp.{name}")
                cur.execute(f"CREATE TEMP TABLE {name} AS {text}", values)  # type: ignore[arg-type]
            tables.names[key] = name
        return f"temp.{name}"

    def _drop(self, names: Iterable[str]) -> None:
        with self._store._guard():
            cur = self._store._cursor()
            for name in names:
                cur.execute(f"DROP TABLE IF EXISTS temp.{name}")

    def _kept_rows(self, sql: str, params: Mapping[str, object]) -> list[Any]:
        """:meth:`_rows`, answered once per statement and parameters while the data is
        unchanged (:meth:`_fresh`, called first by :meth:`aggregate` and :meth:`unit_refs`,
        forgets them).

        A report asks for the same total in many queries (the establishments supported, then
        broken down by legal form, sector, district, commune: five times the same statement)
        and for the units the records use once per geographic breakdown.
        """
        key = (sql, repr(sorted(params.items())))
        if key not in self._kept:
            if len(self._kept) >= _KEPT_MAX:  # a long-lived source asked ever new questions
                self._kept.clear()
            self._kept[key] = self._rows(sql, params)
        return list(self._kept[key])

    def _rows(self, sql: str, params: Mapping[str, object]) -> list[Any]:
        with self._store._guard():
            cur = self._store._cursor()
            cur.execute(sql, params)  # type: ignore[arg-type]
            return cur.fetchall()

    def _load_units(self, rows: list[tuple[int, str, str, str]]) -> None:
        """Write SQLite's unit keys (PostgreSQL's go in the statement: :meth:`_Plan.key`)."""
        if self._store._dialect.name != "sqlite":
            return
        with self._store._guard():
            cur = self._store._cursor()
            cur.execute(
                "CREATE TEMP TABLE IF NOT EXISTS kc_unit_keys (slot INTEGER NOT NULL, "
                "map_id TEXT NOT NULL, code TEXT NOT NULL, key TEXT NOT NULL, "
                "PRIMARY KEY (slot, map_id, code))"
            )
            cur.execute("DELETE FROM kc_unit_keys")
            if rows:
                cur.executemany(
                    self._store._dialect.sql("INSERT INTO kc_unit_keys VALUES (?, ?, ?, ?)"), rows
                )

    def aggregate(self, query: AggregateQuery) -> Aggregate:
        """Answer one grouped count or sum (see :class:`IndicatorSource`)."""
        self._fresh()
        # The total is its own statement over the kept records, without the breakdown keys:
        # no join with the establishments or the unit keys unless the filter needs them.
        total = self._total(attrs.evolve(query, by=(), unit_keys=()))
        if not query.by:
            return Aggregate(total)
        if not query.drill_down and self._pivots(query):
            return Aggregate(total, self._by_fund(query))
        plan = self._plan(query)
        cte, keys = plan.build(distinct_first=True)
        if any(b.dimension is Dimension.UNIT for b in query.by):
            self._load_units(plan.unit_rows)
        fund_at = next((j for j, b in enumerate(query.by) if b.dimension is Dimension.FUND), None)
        fund_key = keys[fund_at] if plan.split_fund() and fund_at is not None else None
        value, extra = plan.reducer(fund_key)
        explode = plan.explode()
        listed = ", ".join(keys)
        found = self._rows(
            f"{cte} SELECT {listed}, {', '.join(value)} FROM kept{explode}{extra} "
            f"GROUP BY {listed}",
            plan.s.params,
        )
        n = len(keys)
        values = {tuple(str(k) for k in r[:n]): _joined(r[n:]) for r in found}
        ids: dict[tuple[str, ...], list[str]] = {k: [] for k in values}
        if query.drill_down:
            plan = _Plan(self._store, query)
            cte, keys = plan.build()
            listed = ", ".join(keys)
            for r in self._rows(
                f"{cte} SELECT {listed}, kept.id FROM kept{plan.explode()} {self._ids(query)}",
                plan.s.params,
            ):
                ids[tuple(str(k) for k in r[:n])].append(str(r[n]))
        return Aggregate(total, {k: Cell(v, tuple(ids[k])) for k, v in values.items()})

    @staticmethod
    def _pivots(query: AggregateQuery) -> bool:
        """Whether :meth:`_by_fund` answers ``query``: support records by fund (once)."""
        funds = [b for b in query.by if b.dimension is Dimension.FUND]
        return query.kind is RecordKind.SUPPORT and len(funds) == 1

    def _by_fund(self, query: AggregateQuery) -> dict[tuple[str, ...], Cell]:
        """The groups of a support-record query broken down by fund, without drill-down.

        A support record's funds are those of its non-zero amounts (``none`` if both are
        zero): a multi-valued key that the general statement builds as a JSON array and
        explodes, then sorts a million and more rows by. Here each fund is a column instead:
        the figure of the records the fund's condition keeps (``CASE WHEN … END`` inside the
        count or sum) and how many records it keeps (a fund no record has is no group), in one
        pass grouped by the other keys only. Public money by fund gives each fund its own
        amount, as the general statement does.
        """
        at = next(j for j, b in enumerate(query.by) if b.dimension is Dimension.FUND)
        units = [*query.unit_keys, *([None] * (len(query.by) - len(query.unit_keys)))]
        rest = attrs.evolve(
            query,
            by=query.by[:at] + query.by[at + 1 :],
            unit_keys=tuple(units[:at] + units[at + 1 :]),
        )
        plan = self._plan(rest)
        plan.cols += [f"{_NAT} AS fn", f"{_LOC} AS fl"]
        cte, keys = plan.build(distinct_first=True)
        if any(b.dimension is Dimension.UNIT for b in rest.by):
            self._load_units(plan.unit_rows)
        split = query.counting is Counting.MONEY and query.measure is Measure.PUBLIC
        funds = {
            Fund.NATIONAL.value: ("kept.fn <> 0", "kept.fn"),
            Fund.LOCAL.value: ("kept.fl <> 0", "kept.fl"),
            _NONE: ("(kept.fn = 0 AND kept.fl = 0)", "0"),
        }
        columns: list[str] = []
        widths: list[int] = []
        for cond, amount in funds.values():
            if query.counting is Counting.DISTINCT_ESTABLISHMENTS:
                value = [f"COUNT(DISTINCT CASE WHEN {cond} THEN kept.est END)"]
            elif query.counting is Counting.OCCURRENCES:
                value = [f"COUNT(CASE WHEN {cond} THEN 1 END)"]
            else:
                value = plan.s.sums(f"CASE WHEN {cond} THEN {amount if split else 'kept.v'} END")
            columns += [f"COUNT(CASE WHEN {cond} THEN 1 END)", *value]
            widths.append(len(value))
        listed = ", ".join(keys)
        group = f" GROUP BY {listed}" if keys else ""
        found = self._rows(
            f"{cte} SELECT {listed + ', ' if keys else ''}{', '.join(columns)} "
            f"FROM kept{plan.explode()}{group}",
            plan.s.params,
        )
        n = len(keys)
        out: dict[tuple[str, ...], Cell] = {}
        for r in found:
            others = [str(k) for k in r[:n]]
            i = n
            for fund, width in zip(funds, widths, strict=True):
                kept, value = r[i], r[i + 1 : i + 1 + width]
                i += 1 + width
                if kept:
                    out[(*others[:at], fund, *others[at:])] = Cell(_joined(value))
        return out

    def _ids(self, query: AggregateQuery) -> str:
        """The ``ORDER BY`` of a drill-down statement: by id.

        An outcome (a measure a record may not report) keeps only the records in the partial
        outcome index of schema version 4, about one in ten; SQLite would rather walk every id
        in order, reading each row, than read that index and sort what it keeps. ``+kept.id``
        (the same value, the same order) stops it from using the id index, which takes a
        third off those statements.
        """
        if self._store._dialect.name == "sqlite" and query.measure in OPTIONAL_MEASURES:
            return "ORDER BY +kept.id"
        return self._order

    def _total(self, query: AggregateQuery) -> Cell:
        plan = self._plan(query)
        cte, _ = plan.build(distinct_first=True)
        value, extra = plan.reducer(None)
        (row,) = self._kept_rows(f"{cte} SELECT {', '.join(value)} FROM kept{extra}", plan.s.params)
        total_ids: tuple[str, ...] = ()
        if query.drill_down:
            plan = _Plan(self._store, query)
            cte, _ = plan.build()
            found = self._rows(f"{cte} SELECT kept.id FROM kept {self._ids(query)}", plan.s.params)
            total_ids = tuple(str(r[0]) for r in found)
        return Cell(_joined(row), total_ids)

    def unit_refs(self, kind: RecordKind) -> frozenset[UnitRef]:
        """Every unit reference records of ``kind`` are located at (record or establishment)."""
        self._fresh()
        table = _SPECS[kind].table
        rows = self._kept_rows(
            f"SELECT DISTINCT map_id, unit_code FROM {table} WHERE map_id IS NOT NULL "
            "UNION SELECT e.map_id, e.unit_code FROM establishments AS e WHERE EXISTS "
            f"(SELECT 1 FROM {table} AS r WHERE r.establishment_id = e.id AND r.map_id IS NULL)",
            {},
        )
        return frozenset(UnitRef(MapId(m), c) for m, c in rows if m is not None)

    def _by_ids(self, spec: rec.RecordSpec[Any], ids: Sequence[str], what: str) -> list[Any]:
        found: dict[str, Any] = {}
        wanted = list(dict.fromkeys(ids))
        for start in range(0, len(wanted), 500):
            s = _Statement(self._store._dialect.name)
            chunk = wanted[start : start + 500]
            cond = s.is_in("id", chunk)
            for key, data in self._rows(
                f"SELECT id, data FROM {spec.table} WHERE {cond}", s.params
            ):
                found[str(key)] = from_data(data, spec.cls, spec.kind)
        out: list[Any] = []
        for rid in ids:
            if rid not in found:
                raise NotFoundError(what, rid)
            out.append(found[rid])
        return out

    def get_records(self, kind: RecordKind, ids: Sequence[str]) -> list[object]:
        """The records with these ids, in that order.

        Raises:
            NotFoundError: If an id is unknown.
        """
        return self._by_ids(_SPECS[kind], ids, f"{kind.value} record")

    def get_establishments(self, ids: Sequence[str]) -> list[Establishment]:
        """The establishments with these ids, in that order.

        Raises:
            NotFoundError: If an id is unknown.
        """
        return self._by_ids(rec.ESTABLISHMENTS, ids, "establishment")
