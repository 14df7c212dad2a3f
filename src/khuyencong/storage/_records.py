"""What each record type stores besides its JSON: the queried columns, and how filters map.

Every adapter keeps, per record type, the converter's JSON (the source of truth for round
trips) and a few columns taken from the object for queries. This module says which columns,
how to compute them, which stored objects an object names (establishments, projects, a prior
award entry), and how a query's filters (a
:class:`~khuyencong.storage.RecordQuery`) become conditions on them; the memory adapter
evaluates the conditions in Python, the SQL adapters render them as parameterised SQL.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import json
import json.encoder
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

import attrs

from khuyencong.domain import (
    AwardEntry,
    Establishment,
    FairParticipation,
    Fund,
    OcopRating,
    Project,
    SupportRecord,
)
from khuyencong.exceptions import ValidationError
from khuyencong.messages import text as message
from khuyencong.units import UnitLevel, UnitRef, fold, load_map

if TYPE_CHECKING:
    from khuyencong.storage._port import RecordQuery

__all__ = [
    "REFERENCED",
    "SPECS",
    "SPECS_BY_TABLE",
    "Column",
    "Condition",
    "RecordSpec",
    "compile_filters",
    "json_list",
    "mapped",
    "product_key",
    "unit_columns",
]

T = TypeVar("T")
ColumnKind = Literal["text", "int", "date"]


@attrs.frozen
class Column:
    """A queried column: its name, kind (text, integer, date) and the schema version adding it.

    Columns of version 2 and later are added by a migration and back-filled from ``data``
    (version 2: the indicator columns; version 4: the outcomes of support records);
    multi-valued fields (partners, sectors, contents) are a JSON array in a text column.
    """

    name: str
    kind: ColumnKind
    since: int = 1


@attrs.frozen
class Condition:
    """One condition of a query.

    ``op`` is ``eq`` (column equals value), ``range`` (``value <= column <= high``),
    ``positive`` (column above zero) or ``legal_form`` (the record's establishment has the
    legal form ``value``).
    """

    op: Literal["eq", "range", "positive", "legal_form"]
    column: str
    value: object = None
    high: object = None

    def matches(self, row: Mapping[str, object], legal_form_of: Callable[[object], object]) -> bool:
        """Whether a row (column values) meets the condition, in Python."""
        value = row.get(self.column)
        if self.op == "eq":
            return value is not None and value == self.value
        if self.op == "range":
            return value is not None and self.value <= value <= self.high  # type: ignore[operator]
        if self.op == "positive":
            return isinstance(value, int) and value > 0
        return legal_form_of(value) == self.value


_UNIT_COLUMNS = (
    Column("map_id", "text"),
    Column("unit_code", "text"),
    Column("district_code", "text"),
    Column("province_code", "text"),
)


def unit_columns(ref: UnitRef | None) -> tuple[str | None, str | None, str | None, str | None]:
    """``(map_id, unit_code, district_code, province_code)`` for a unit reference."""
    if ref is None:
        return (None, None, None, None)
    return _unit_columns(ref)


@functools.lru_cache(maxsize=8192)  # a store writes the same few thousand units over and over
def _unit_columns(ref: UnitRef) -> tuple[str | None, str | None, str | None, str | None]:
    unit = load_map(ref.map_id).get(ref.code)
    if unit.level is UnitLevel.DISTRICT:
        district: str | None = unit.code
    elif unit.level is UnitLevel.COMMUNE and unit.parent_code and len(unit.parent_code) == 3:
        district = unit.parent_code
    else:
        district = None
    return (ref.map_id.value, unit.code, district, unit.province_code)


# The filters' values were type-checked by RecordQuery; these only map them to conditions.


def _unit_conditions(value: Any) -> list[Condition]:
    unit = value.resolve()
    column = {
        UnitLevel.PROVINCE: "province_code",
        UnitLevel.DISTRICT: "district_code",
        UnitLevel.COMMUNE: "unit_code",
    }[unit.level]
    return [Condition("eq", "map_id", value.map_id.value), Condition("eq", column, unit.code)]


def _value(value: Any) -> object:
    """An enum filter's stored value; a text filter as it is."""
    return value.value if isinstance(value, enum.Enum) else value


def _by_day(column: str) -> Callable[[Any], list[Condition]]:
    return lambda p: [Condition("range", column, p.start, p.end)]


def _by_year(column: str) -> Callable[[Any], list[Condition]]:
    return lambda p: [Condition("range", column, p.start.year, p.end.year)]


def _eq(column: str) -> Callable[[Any], list[Condition]]:
    return lambda value: [Condition("eq", column, _value(value))]


def _legal_form_join(value: Any) -> list[Condition]:
    return [Condition("legal_form", "establishment_id", _value(value))]


def _fund_amounts(value: Any) -> list[Condition]:
    column = "national_amount" if value is Fund.NATIONAL else "local_amount"
    return [Condition("positive", column)]


Reference = tuple[str, str, str]
"""A stored object named by another: ``(field, table it is in, its id)``."""


def _establishment(obj: Any) -> tuple[Reference, ...]:
    return (("establishment_id", "establishments", obj.establishment_id),)


def _establishment_and_project(obj: Any) -> tuple[Reference, ...]:
    if obj.project_id is None:
        return _establishment(obj)
    return (*_establishment(obj), ("project_id", "projects", obj.project_id))


def _establishment_and_prior_entry(obj: AwardEntry) -> tuple[Reference, ...]:
    if obj.prior_entry_id is None:
        return _establishment(obj)
    return (*_establishment(obj), ("prior_entry_id", "award_entries", obj.prior_entry_id))


def _beneficiaries(p: Project) -> tuple[Reference, ...]:
    return tuple(
        (f"beneficiary_ids[{i}]", "establishments", b) for i, b in enumerate(p.beneficiary_ids)
    )


def _none(obj: Any) -> tuple[Reference, ...]:
    return ()


@attrs.frozen
class RecordSpec(Generic[T]):
    """How one record type is stored: table, queried columns, filters.

    Attributes:
        table: The table name.
        kind: The record kind in plain words, for messages.
        cls: The domain class.
        columns: The queried columns (besides ``id`` and ``data``).
        row: The values of ``columns`` for one object (dates as :class:`datetime.date`).
        filters: Filter name → conditions.
        indexes: The column tuples schema version 1 indexes (later versions may drop one).
        references: The stored objects an object names, as ``(field, table, id)``: its
            establishment (or a project's beneficiaries), the project of a record, the prior
            entry of an award entry (none for an establishment).
        from_columns: What ``row`` gives, for many objects given as their fields' columns,
            column by column (``None``: the type is stored from objects only).
        column_references: The fields naming stored objects, with their table, for objects
            given as columns.
    """

    table: str
    kind: str
    cls: type[T]
    columns: tuple[Column, ...]
    row: Callable[[T], tuple[Any, ...]]
    filters: Mapping[str, Callable[[Any], list[Condition]]]
    indexes: tuple[tuple[str, ...], ...]
    references: Callable[[T], tuple[Reference, ...]] = _none
    from_columns: Callable[[Mapping[str, Sequence[Any]]], list[Sequence[Any]]] | None = None
    column_references: tuple[tuple[str, str], ...] = ()

    @property
    def label(self) -> str:
        """The record kind in the language in force, for messages."""
        return message(f"storage.kind_{self.table}")


def compile_filters(spec: RecordSpec[Any], query: RecordQuery) -> list[Condition]:
    """The conditions for the filters a query sets.

    Raises:
        ValidationError: If a filter does not apply to this record type (naming those that do).
    """
    conditions: list[Condition] = []
    for name, value in query.given().items():
        build = spec.filters.get(name)
        if build is None:
            allowed = ", ".join(sorted(spec.filters))
            raise ValidationError.single(
                f"$.{name}",
                value,
                message("storage.filter_not_applicable", kind=spec.label, allowed=allowed),
            )
        conditions.extend(build(value))
    return conditions


# What ``json.dumps(value, ensure_ascii=False, separators=(",", ":"))`` uses, made once:
# ``json.dumps`` with arguments builds a new encoder on every call.
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_string = json.encoder.encode_basestring  # a text as the encoder writes it (UTF-8 kept)


def json_list(values: Iterable[str]) -> str:
    """A JSON array of texts as stored in a multi-valued column (compact, order kept)."""
    items = list(values)
    if not items:
        return "[]"
    if all(type(v) is str for v in items):  # what the encoder writes, without its machinery
        return "[" + ",".join(map(_string, items)) + "]"
    return _encode(items)


def product_key(establishment_id: str, product_name: str) -> str:
    """The key of a product: its establishment and folded name (what PRODUCTS counts)."""
    return f"{establishment_id}|{fold(product_name)}"


def _establishment_row(e: Establishment) -> tuple[Any, ...]:
    return (
        e.legal_form.value,
        *unit_columns(e.location),
        json_list(s.value for s in e.sectors),
    )


def _project_row(p: Project) -> tuple[Any, ...]:
    return (
        p.status.value,
        p.fund.value,
        p.plan_year,
        *unit_columns(p.province),
        p.beneficiary_ids[0] if p.beneficiary_ids else None,
        json_list(p.beneficiary_ids),
        json_list(sorted({pc.content.value for pc in p.contents})),
        json_list(sorted({pc.content.group.value for pc in p.contents})),
        p.approved_amount,
        p.approved_on,
        p.accepted_on,
        p.settled_on,
        p.lead_agency,
        json_list(p.partners),
    )


QueryPart = tuple[str, Callable[[Any], Any] | None, int]
"""One field's part of the queried columns: ``(field, transform, width)``; the transform
(``None``: the value as it is) gives one column's value, or ``width`` columns' values."""


def _enum_value(value: enum.Enum) -> object:
    return value.value


def mapped(
    transform: Callable[[Any], Any],
    column: Sequence[Any],
    kinds: set[type[Any]] | None = None,
) -> list[Any]:
    """``[transform(v) for v in column]``, calling ``transform`` once per distinct value when
    the column's values are of one type besides ``None`` (of a checked record's field: equal
    values of one such type are the same value); ``kinds``: the types of the column's values,
    when the caller has them already (a pass over the column less)."""
    if column and column[0] is None and column.count(None) == len(column):
        return [transform(None)] * len(column)  # an empty optional column
    kinds = set(map(type, column)) if kinds is None else set(kinds)
    kinds.discard(type(None))
    if len(kinds) <= 1 and not kinds & {bool, float}:
        distinct = set(column)
        if len(distinct) * 2 <= len(column):
            memo = {value: transform(value) for value in distinct}
            return list(map(memo.__getitem__, column))
    return list(map(transform, column))


def _query_row(parts: tuple[QueryPart, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """The queried columns of one object, as one generated function of its attributes."""
    names: dict[str, Any] = {"_get": operator.attrgetter(*(field for field, _, _ in parts))}
    items: list[str] = []
    for i, (_, transform, width) in enumerate(parts):
        if transform is None:
            items.append(f"v[{i}]")
        else:
            names[f"t{i}"] = transform
            items.append(f"*t{i}(v[{i}])" if width else f"t{i}(v[{i}])")
    source = f"def row(o):\n    v = _get(o)\n    return ({', '.join(items)},)\n"
    exec(compile(source, "<khuyencong query columns>", "exec"), names)  # noqa: S102
    row: Callable[[Any], tuple[Any, ...]] = names["row"]
    return row


def _query_columns(
    parts: tuple[QueryPart, ...],
) -> Callable[[Mapping[str, Sequence[Any]]], list[Sequence[Any]]]:
    """The queried columns of many objects given as their fields' columns (what
    ``_query_row`` gives for each object, column by column)."""

    def columns(fields: Mapping[str, Sequence[Any]]) -> list[Sequence[Any]]:
        found: list[Sequence[Any]] = []
        for field, transform, width in parts:
            column = fields[field]
            if transform is None:
                found.append(column)
            elif not width:
                found.append(mapped(transform, column))
            elif column:
                found.extend(zip(*mapped(transform, column), strict=True))
            else:
                found.extend([()] * width)
        return found

    return columns


_SUPPORT_QUERY: tuple[QueryPart, ...] = (
    ("delivered_on", None, 0),
    ("location", unit_columns, len(_UNIT_COLUMNS)),
    ("content", _enum_value, 0),
    ("establishment_id", None, 0),
    ("project_id", None, 0),
    ("national_amount", None, 0),
    ("local_amount", None, 0),
    ("co_funding", None, 0),
    ("decided_on", None, 0),
    ("accepted_on", None, 0),
    ("trainees", None, 0),
    ("participants", None, 0),
    ("quantity", None, 0),
    ("lead_agency", None, 0),
    ("partners", json_list, 0),
    ("jobs_created", None, 0),
    ("income_change", None, 0),
    ("outcome_reported_on", None, 0),
)
"""A support record's queried columns, in the order of ``SUPPORT_RECORDS.columns``."""
_support_row = _query_row(_SUPPORT_QUERY)


def _fair_row(f: FairParticipation) -> tuple[Any, ...]:
    return (
        f.start_on,
        *unit_columns(f.location),
        None if f.fund is None else f.fund.value,
        f.establishment_id,
        f.project_id,
        f.supported_amount,
        f.end_on,
        f.fair_kind.value,
        f.lead_agency,
        json_list(f.partners),
    )


def _award_row(a: AwardEntry) -> tuple[Any, ...]:
    return (
        a.round_year,
        *unit_columns(a.location),
        a.level.value,
        a.establishment_id,
        a.certificate_issued_on,
        a.entered_on,
        1 if a.recognised else 0,
        product_key(a.establishment_id, a.product_name),
    )


def _ocop_row(o: OcopRating) -> tuple[Any, ...]:
    return (
        o.rated_on,
        *unit_columns(o.location),
        o.stars,
        o.establishment_id,
        product_key(o.establishment_id, o.product_name),
    )


def _v2(name: str, kind: ColumnKind) -> Column:
    return Column(name, kind, since=2)


_LEAD_PARTNERS = (_v2("lead_agency", "text"), _v2("partners", "text"))


_UNIT_INDEXES = (("map_id", "province_code"), ("map_id", "district_code"), ("map_id", "unit_code"))
_UNIT_FILTER = {"unit": _unit_conditions}
_EST = {"establishment_id": _eq("establishment_id")}
_PROJECT = {"project_id": _eq("project_id")}

ESTABLISHMENTS: RecordSpec[Establishment] = RecordSpec(
    table="establishments",
    kind="establishment",
    cls=Establishment,
    columns=(Column("legal_form", "text"), *_UNIT_COLUMNS, _v2("sectors", "text")),
    row=_establishment_row,
    filters={**_UNIT_FILTER, "legal_form": _eq("legal_form")},
    indexes=(("legal_form",), *_UNIT_INDEXES),
)

PROJECTS: RecordSpec[Project] = RecordSpec(
    table="projects",
    kind="project",
    cls=Project,
    columns=(
        Column("status", "text"),
        Column("fund", "text"),
        Column("plan_year", "int"),
        *_UNIT_COLUMNS,
        _v2("establishment_id", "text"),
        _v2("beneficiaries", "text"),
        _v2("contents", "text"),
        _v2("content_groups", "text"),
        _v2("approved_amount", "int"),
        _v2("approved_on", "date"),
        _v2("accepted_on", "date"),
        _v2("settled_on", "date"),
        *_LEAD_PARTNERS,
    ),
    row=_project_row,
    filters={
        **_UNIT_FILTER,
        "period": _by_year("plan_year"),
        "fund": _eq("fund"),
        "status": _eq("status"),
    },
    indexes=(("plan_year",), ("status",), ("map_id", "province_code")),
    references=_beneficiaries,
)

SUPPORT_RECORDS: RecordSpec[SupportRecord] = RecordSpec(
    table="support_records",
    kind="support record",
    cls=SupportRecord,
    columns=(
        Column("day", "date"),
        *_UNIT_COLUMNS,
        Column("content", "text"),
        Column("establishment_id", "text"),
        Column("project_id", "text"),
        Column("national_amount", "int"),
        Column("local_amount", "int"),
        Column("co_funding", "int"),
        _v2("decided_on", "date"),
        _v2("accepted_on", "date"),
        _v2("trainees", "int"),
        _v2("participants", "int"),
        _v2("quantity", "int"),
        *_LEAD_PARTNERS,
        # Outcomes reported by beneficiaries (schema version 4); NULL when not reported.
        Column("jobs_created", "int", since=4),
        Column("income_change", "int", since=4),
        Column("outcome_reported_on", "date", since=4),
    ),
    row=_support_row,
    filters={
        **_UNIT_FILTER,
        **_EST,
        **_PROJECT,
        "period": _by_day("day"),
        "content": _eq("content"),
        "fund": _fund_amounts,
        "legal_form": _legal_form_join,
    },
    # Schema version 1's indexes; version 5 drops the one on the day (the covering index of
    # version 3 begins with the day and serves the same ranges), version 6 the one on the
    # content and the day (no query of the library needs it).
    indexes=(("day",), *_UNIT_INDEXES, ("content", "day"), ("establishment_id",)),
    references=_establishment_and_project,
    from_columns=_query_columns(_SUPPORT_QUERY),
    column_references=(("establishment_id", "establishments"), ("project_id", "projects")),
)

FAIR_PARTICIPATIONS: RecordSpec[FairParticipation] = RecordSpec(
    table="fair_participations",
    kind="fair participation",
    cls=FairParticipation,
    columns=(
        Column("day", "date"),
        *_UNIT_COLUMNS,
        Column("fund", "text"),
        Column("establishment_id", "text"),
        Column("project_id", "text"),
        Column("supported_amount", "int"),
        _v2("end_on", "date"),
        _v2("fair_kind", "text"),
        *_LEAD_PARTNERS,
    ),
    row=_fair_row,
    filters={
        **_UNIT_FILTER,
        **_EST,
        **_PROJECT,
        "period": _by_day("day"),
        "fund": _eq("fund"),
        "legal_form": _legal_form_join,
    },
    indexes=(("day",), ("map_id", "province_code"), ("establishment_id",)),
    references=_establishment_and_project,
)

AWARD_ENTRIES: RecordSpec[AwardEntry] = RecordSpec(
    table="award_entries",
    kind="award entry",
    cls=AwardEntry,
    columns=(
        Column("round_year", "int"),
        *_UNIT_COLUMNS,
        Column("level", "text"),
        Column("establishment_id", "text"),
        _v2("certificate_issued_on", "date"),
        _v2("entered_on", "date"),
        _v2("recognised", "int"),
        _v2("product_key", "text"),
    ),
    row=_award_row,
    filters={
        **_UNIT_FILTER,
        **_EST,
        "period": _by_year("round_year"),
        "legal_form": _legal_form_join,
    },
    indexes=(("round_year",), ("map_id", "province_code"), ("establishment_id",)),
    references=_establishment_and_prior_entry,
)

OCOP_RATINGS: RecordSpec[OcopRating] = RecordSpec(
    table="ocop_ratings",
    kind="OCOP rating",
    cls=OcopRating,
    columns=(
        Column("day", "date"),
        *_UNIT_COLUMNS,
        Column("stars", "int"),
        Column("establishment_id", "text"),
        _v2("product_key", "text"),
    ),
    row=_ocop_row,
    filters={
        **_UNIT_FILTER,
        **_EST,
        "period": _by_day("day"),
        "legal_form": _legal_form_join,
    },
    indexes=(("day",), ("map_id", "province_code"), ("establishment_id",)),
    references=_establishment,
)

SPECS: tuple[RecordSpec[Any], ...] = (
    ESTABLISHMENTS,
    PROJECTS,
    SUPPORT_RECORDS,
    FAIR_PARTICIPATIONS,
    AWARD_ENTRIES,
    OCOP_RATINGS,
)

SPECS_BY_TABLE: dict[str, RecordSpec[Any]] = {spec.table: spec for spec in SPECS}
"""Every record type, by its table."""

REFERENCED: dict[str, str] = {
    spec.table: spec.kind for spec in (ESTABLISHMENTS, PROJECTS, AWARD_ENTRIES)
}
"""The tables other objects name (see ``RecordSpec.references``), with their kind."""


def today_utc() -> dt.datetime:
    """Now, aware, in UTC (the audit clock)."""
    return dt.datetime.now(dt.UTC)
