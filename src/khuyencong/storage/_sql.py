"""The SQL store shared by the SQLite and PostgreSQL adapters.

Each record type has one table: the queried columns (real, indexed) and the converter's JSON in
``data``, the source of truth for round trips. Every value reaches the database as a parameter;
only identifiers from :mod:`khuyencong.storage._records` (never user input) are written into SQL.
A dialect object supplies what differs between databases.
"""

# Only identifiers from khuyencong.storage._records are formatted into SQL; values are always
# parameters, so the string-built-query warning does not apply to this module.
# ruff: noqa: S608

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, suppress
from operator import itemgetter
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import attrs

from khuyencong.domain import AwardEntry, BudgetEnvelope, Fund, Project
from khuyencong.exceptions import DuplicateIdError, NotFoundError, SchemaVersionError, StoreError
from khuyencong.storage import _records as rec
from khuyencong.storage import _schema as schema
from khuyencong.storage._common import (
    audit_entry,
    audit_from,
    audit_json,
    check_instance,
    duplicate_in,
    from_data,
    from_many,
    say,
    to_json,
)
from khuyencong.storage._json import json_column_writer, json_writer
from khuyencong.storage._port import (
    AuditEntry,
    Commitment,
    Disbursement,
    UnitOfWork,
    Versioned,
)
from khuyencong.storage._repository import (
    AuditLogBase,
    AwardRepositoryBase,
    BudgetRepositoryBase,
    ProjectRepositoryBase,
    RepositoryBase,
    dangling_problems,
)
from khuyencong.units import UnitRef

if TYPE_CHECKING:
    from khuyencong.storage._aggregate import SqlIndicatorSource

__all__ = ["Dialect", "SqlStore", "UniqueViolationError"]

T = TypeVar("T")

# For each kind of booking: its table, and the envelope column it adds to.
_BOOKINGS: dict[type[Commitment | Disbursement], tuple[str, str]] = {
    Commitment: ("budget_commitments", "committed"),
    Disbursement: ("budget_disbursements", "disbursed"),
}
Row = Sequence[Any]
_first = itemgetter(0)
_second = itemgetter(1)

PAGE = 1000
"""How many rows a read holds at once while it goes through a table."""


class UniqueViolationError(StoreError):
    """A unique constraint refused a row (translated to DuplicateIdError by the caller)."""


class Cursor(Protocol):
    """The part of a DB-API cursor the stores use."""

    rowcount: int

    def execute(self, sql: Any, params: Sequence[Any] = ..., /) -> Any: ...

    def executemany(self, sql: Any, params: Iterable[Sequence[Any]], /) -> Any: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def fetchmany(self, size: int = ..., /) -> list[Any]: ...

    def close(self) -> None: ...


class Dialect:
    """What differs between SQL databases. Subclasses override the methods that differ."""

    name = "sql"
    types: schema.SqlTypes = schema.SQLITE_TYPES
    begin = "BEGIN"
    for_update = ""
    order_by_id = "ORDER BY id"
    page_by_id = True
    """Read a table in pages, each a query for the ids after the last page's (keyset); else
    through a server-side cursor (:meth:`stream_cursor`)."""

    def sql(self, text: str) -> str:
        """The statement in the driver's parameter style (written with ``?``)."""
        return text

    date_param: Callable[[dt.date], object] | None = None
    """How a date becomes a parameter the driver takes, or ``None`` to pass it as it is."""

    def date(self, value: dt.date | None) -> object:
        """A date as the driver takes it."""
        return value if value is None or self.date_param is None else self.date_param(value)

    def timestamp(self, value: dt.datetime) -> object:
        """An aware timestamp as the driver takes it."""
        return value

    def json(self, text: str) -> object:
        """JSON text as the driver takes it for the ``data`` column."""
        return text

    def translate(self, exc: BaseException) -> BaseException | None:
        """The library error for a driver error, or ``None`` if it is not a driver error."""
        return None

    def bulk_insert(
        self,
        cur: Cursor,
        table: str,
        columns: Sequence[str],
        rows: Iterable[Sequence[Any]],
        *,
        count: int = 0,
    ) -> None:
        """Insert many rows (``count`` of them, when known) in one go, inside the caller's
        transaction."""
        marks = ", ".join("?" for _ in columns)
        cur.executemany(
            self.sql(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"), rows
        )

    def insert_columns(
        self,
        cur: Cursor,
        table: str,
        columns: Sequence[str],
        values: Sequence[Sequence[Any]],
        *,
        count: int = 0,
    ) -> None:
        """:meth:`bulk_insert` of rows given column by column (``values``: one sequence per
        column, each ``count`` long)."""
        self.bulk_insert(cur, table, columns, zip(*values, strict=True), count=count)

    def tables(self, cur: Cursor) -> list[str]:
        """The tables of the database (or schema)."""
        raise NotImplementedError

    def scan(self, cur: Cursor, sql: str, params: Sequence[Any]) -> list[Any]:
        """The rows of one page of a read through a whole table."""
        cur.execute(self.sql(sql), params)
        return cur.fetchall()

    def stream_cursor(self, connection: Any) -> Cursor:
        """A cursor whose rows stay in the database until fetched."""
        raise NotImplementedError

    def stream_done(self, cur: Cursor) -> None:
        """Close a cursor of :meth:`stream_cursor` (and undo what it set for the read)."""
        cur.close()

    def integrity(self, cur: Cursor) -> list[str]:
        """The database engine's own integrity problems."""
        return []

    def lock_schema(self, cur: Cursor) -> None:
        """Serialise schema creation between processes (inside the open transaction)."""

    def data_version(self, cur: Cursor) -> object:
        """A value that differs once another connection has committed a change this one can
        see (equal values: nothing committed elsewhere in between). A dialect that cannot
        tell returns a new object each time, equal to no other."""
        return object()


class _SqlRepository(RepositoryBase[T]):
    """The objects of one type in an SQL store."""

    _store: SqlStore

    def __init__(self, store: SqlStore, spec: rec.RecordSpec[T]) -> None:
        self._store = store
        self._spec = spec
        self._d = store._dialect
        names = [c.name for c in spec.columns]
        self._dates = [i for i, c in enumerate(spec.columns) if c.kind == "date"]
        self._versioned_table = spec.table == "projects"
        self._insert_columns = [
            "id",
            *(["version"] if self._versioned_table else []),
            *names,
            "data",
        ]
        self._set_columns = ", ".join(f"{n} = ?" for n in [*names, "data"])
        self._table = spec.table
        self._to_json = json_writer(spec.cls)
        self._json_columns = json_column_writer(spec.cls)
        first = 2 if self._versioned_table else 1  # the columns after id (and version)
        self._insert_dates = [first + i for i in self._dates]

    def _columns(self, obj: T) -> list[Any]:
        values = list(self._spec.row(obj))
        for i in self._dates:
            values[i] = self._d.date(values[i])
        return values

    def _insert_row(self, obj: T, ids: list[str]) -> list[Any]:
        key: str = obj.id  # type: ignore[attr-defined]
        ids.append(key)
        if self._versioned_table:
            row = [key, 1, *self._spec.row(obj), self._d.json(self._to_json(obj))]
        else:
            row = [key, *self._spec.row(obj), self._d.json(self._to_json(obj))]
        date = self._d.date_param
        if date is not None:
            for i in self._insert_dates:
                value = row[i]
                if value is not None:
                    row[i] = date(value)
        return row

    def _insert(self, objs: list[T]) -> None:
        ids: list[str] = []
        try:
            with self._store._write() as cur:
                self._d.bulk_insert(
                    cur,
                    self._table,
                    self._insert_columns,
                    (self._insert_row(obj, ids) for obj in objs),
                    count=len(objs),
                )
        except UniqueViolationError as exc:
            raise DuplicateIdError(self._spec.kind, self._duplicate(ids)) from exc

    def _insert_from_columns(self, columns: Mapping[str, Sequence[Any]]) -> bool:
        from_columns = self._spec.from_columns
        if from_columns is None or self._versioned_table:
            return False
        texts = self._json_columns(columns)
        if texts is None:
            return False
        query = from_columns(columns)
        date = self._d.date_param
        if date is not None:
            for i in self._dates:
                query[i] = rec.mapped(_optional(date), query[i])
        if type(self._d).json is not Dialect.json:
            texts = list(map(self._d.json, texts))  # type: ignore[arg-type]  # the driver's
        ids = list(columns["id"])
        names, values = _given_columns(self._insert_columns, [ids, *query, texts])
        try:
            with self._store._write() as cur:
                self._d.insert_columns(cur, self._table, names, values, count=len(ids))
        except UniqueViolationError as exc:
            raise DuplicateIdError(self._spec.kind, self._duplicate(ids)) from exc
        return True

    def _duplicate(self, ids: list[str]) -> str:
        dup = duplicate_in(ids)
        if dup is not None:
            return dup
        if len(ids) == 1:  # no query: the transaction may be the caller's, and aborted
            return ids[0]
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            row = self._store._one(
                f"SELECT id FROM {self._table} WHERE id IN ({marks}) {self._d.order_by_id} LIMIT 1",
                chunk,
            )
            if row is not None:
                return str(row[0])
        return ids[0] if ids else "?"

    def _read(self, key: str) -> T | None:
        row = self._store._one(f"SELECT data FROM {self._table} WHERE id = ?", [key])
        return None if row is None else from_data(row[0], self._spec.cls, self._spec.kind)

    def _has(self, key: str) -> bool:
        return self._store._one(f"SELECT 1 FROM {self._table} WHERE id = ?", [key]) is not None

    def _update(self, obj: T) -> bool:
        key: str = obj.id  # type: ignore[attr-defined]
        params = [*self._columns(obj), self._d.json(self._to_json(obj)), key]
        with self._store._write() as cur:
            cur.execute(
                self._d.sql(f"UPDATE {self._table} SET {self._set_columns} WHERE id = ?"), params
            )
            return bool(cur.rowcount == 1)

    def _where(self, conditions: list[rec.Condition]) -> tuple[str, list[Any]]:
        parts: list[str] = []
        params: list[Any] = []
        for c in conditions:
            if c.op == "eq":
                parts.append(f"{c.column} = ?")
                params.append(c.value)
            elif c.op == "range":
                parts.append(f"{c.column} BETWEEN ? AND ?")
                lo, hi = c.value, c.high
                if isinstance(lo, dt.date) and isinstance(hi, dt.date):
                    lo, hi = self._d.date(lo), self._d.date(hi)
                params += [lo, hi]
            elif c.op == "positive":
                parts.append(f"{c.column} > 0")
            else:
                parts.append(f"{c.column} IN (SELECT id FROM establishments WHERE legal_form = ?)")
                params.append(c.value)
        return (" WHERE " + " AND ".join(parts) if parts else ""), params

    def _select(self, conditions: list[rec.Condition]) -> list[T]:
        found: list[T] = []
        if conditions and self._d.page_by_id:
            # One statement, fetched a page at a time. Pages by id ("id > last") would each
            # read the whole range of an indexed condition again to sort it by id: a year of
            # a million records took 46 s on SQLite, growing with the square of the range.
            where, params = self._where(conditions)
            sql = f"SELECT data FROM {self._table}{where} {self._d.order_by_id}"
            cls, kind = self._spec.cls, self._spec.kind
            for rows in self._store._stream(sql, params, PAGE):
                found += from_many(map(_first, rows), cls, kind)
            return found
        for page in self._pages(conditions):
            found += page
        return found

    def _pages(self, conditions: list[rec.Condition]) -> Iterator[list[T]]:
        """The objects meeting every condition, sorted by id, :data:`PAGE` at a time: only
        one page of rows is held at once."""
        where, params = self._where(conditions)
        cls, kind = self._spec.cls, self._spec.kind
        if not self._d.page_by_id:
            sql = f"SELECT data FROM {self._table}{where} {self._d.order_by_id}"
            for rows in self._store._stream(sql, params, PAGE):
                yield from_many(map(_first, rows), cls, kind)
            return
        after = f"{where} AND id > ?" if where else " WHERE id > ?"
        sql = f"SELECT id, data FROM {self._table}{where} {self._d.order_by_id} LIMIT {PAGE}"
        rows = self._store._scan(sql, params)
        while rows:
            yield from_many(map(_second, rows), cls, kind)
            if len(rows) < PAGE:
                return
            sql = f"SELECT id, data FROM {self._table}{after} {self._d.order_by_id} LIMIT {PAGE}"
            rows = self._store._scan(sql, [*params, rows[-1][0]])

    def __iter__(self) -> Iterator[T]:
        """Every object, sorted by id, read a page at a time (memory stays flat however
        large the table)."""
        for page in self._pages([]):
            yield from page

    def _tally(self, conditions: list[rec.Condition]) -> int:
        where, params = self._where(conditions)
        row = self._store._one(f"SELECT COUNT(*) FROM {self._table}{where}", params)
        return int(row[0]) if row is not None else 0

    def _check(self, problems: list[str], known: Mapping[str, set[str]]) -> None:
        names = [c.name for c in self._spec.columns]
        rows = self._store._all(f"SELECT id, {', '.join(names)}, data FROM {self._table}", [])
        for row in rows:
            key = row[0]
            try:
                obj = from_data(row[-1], self._spec.cls, self._spec.kind)
            except StoreError as exc:
                problems.append(f"{self._spec.kind} {key!r}: {exc}")
                continue
            if obj.id != key:  # type: ignore[attr-defined]
                problems.append(f"{self._spec.kind} {key!r} holds id {obj.id!r}")  # type: ignore[attr-defined]
            elif list(row[1:-1]) != self._columns(obj):
                problems.append(f"{self._spec.kind} {key!r}: query columns disagree with data")
            problems += dangling_problems(self._spec, obj, known)


def _given_columns(
    names: Sequence[str], values: Sequence[Sequence[Any]]
) -> tuple[Sequence[str], Sequence[Sequence[Any]]]:
    """The columns of an insert (``names``, and the rows' ``values`` column by column) but
    those holding only NULLs, when there is a row: a record table's queried columns are
    declared without a default (:mod:`khuyencong.storage._schema`), so a row holds NULL there
    all the same, and the driver binds no parameter for it (a third of a support record's)."""
    keep = [
        i
        for i, column in enumerate(values)
        if not column or column[0] is not None or column.count(None) != len(column)
    ]
    if len(keep) == len(values) or not values or not values[0]:
        return names, values
    return [names[i] for i in keep], [values[i] for i in keep]


def _optional(convert: Callable[[Any], object]) -> Callable[[Any], object]:
    return lambda value: None if value is None else convert(value)


class _SqlProjects(_SqlRepository[Project], ProjectRepositoryBase):
    def _versioned(self, key: str, *, lock: bool) -> Versioned[Project] | None:
        sql = "SELECT data, version FROM projects WHERE id = ?"
        row = self._store._one(sql + (self._d.for_update if lock else ""), [key])
        if row is None:
            return None
        return Versioned(from_data(row[0], Project, "project"), int(row[1]))

    def _write_version(self, project: Project, version: int) -> None:
        params = [
            version,
            *self._columns(project),
            self._d.json(self._to_json(project)),
            project.id,
        ]
        with self._store._write() as cur:
            cur.execute(
                self._d.sql(f"UPDATE projects SET version = ?, {self._set_columns} WHERE id = ?"),
                params,
            )


class _SqlAwards(_SqlRepository[AwardEntry], AwardRepositoryBase):
    pass


class _SqlAudit(AuditLogBase):
    _store: SqlStore

    def __init__(self, store: SqlStore) -> None:
        self._store = store

    def _entries(
        self, subject: str | None, action: str | None, actor: str | None, since: dt.datetime | None
    ) -> list[AuditEntry]:
        parts: list[str] = []
        params: list[Any] = []
        for column, value in (("subject", subject), ("action", action), ("actor", actor)):
            if value is not None:
                parts.append(f"{column} = ?")
                params.append(value)
        where = " WHERE " + " AND ".join(parts) if parts else ""
        rows = self._store._all(f"SELECT seq, data FROM audit{where} ORDER BY seq", params)
        found = [audit_from(int(r[0]), r[1]) for r in rows]
        return [e for e in found if since is None or e.at >= since]

    def __len__(self) -> int:
        row = self._store._one("SELECT COUNT(*) FROM audit", [])
        return int(row[0]) if row is not None else 0


class _SqlBudgets(BudgetRepositoryBase):
    _store: SqlStore

    def __init__(self, store: SqlStore) -> None:
        self._store = store
        self._d = store._dialect

    def add_envelope(self, envelope: BudgetEnvelope) -> None:
        """Store a new envelope."""
        check_instance(envelope, BudgetEnvelope)
        params = [
            envelope.key,
            envelope.fund.value,
            envelope.province.map_id.value,
            envelope.province.code,
            envelope.year,
            envelope.total,
            self._d.json(to_json(envelope)),
        ]
        try:
            with self._store._write() as cur:
                cur.execute(
                    self._d.sql(
                        "INSERT INTO budget_envelopes "
                        "(key, fund, map_id, province_code, year, total, data) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?)"
                    ),
                    params,
                )
        except UniqueViolationError as exc:
            raise DuplicateIdError("budget envelope", envelope.key) from exc

    def get_envelope(self, key: str) -> BudgetEnvelope:
        """The envelope with this key."""
        row = self._store._one("SELECT data FROM budget_envelopes WHERE key = ?", [key])
        if row is None:
            raise NotFoundError("budget envelope", key)
        return from_data(row[0], BudgetEnvelope, "budget envelope")

    def envelopes(
        self, *, fund: Fund | None = None, province: UnitRef | None = None, year: int | None = None
    ) -> list[BudgetEnvelope]:
        """The envelopes matching every filter given, sorted by key."""
        parts: list[str] = []
        params: list[Any] = []
        if fund is not None:
            parts.append("fund = ?")
            params.append(fund.value)
        if province is not None:
            parts += ["map_id = ?", "province_code = ?"]
            params += [province.map_id.value, province.code]
        if year is not None:
            parts.append("year = ?")
            params.append(year)
        where = " WHERE " + " AND ".join(parts) if parts else ""
        order = self._d.order_by_id.replace("id", "key")
        rows = self._store._all(f"SELECT data FROM budget_envelopes{where} {order}", params)
        return from_many(map(_first, rows), BudgetEnvelope, "budget envelope")

    def _lock_envelope(self, key: str) -> tuple[BudgetEnvelope, int, int]:
        row = self._store._one(
            "SELECT data, committed, disbursed FROM budget_envelopes WHERE key = ?"
            + self._d.for_update,
            [key],
        )
        if row is None:
            raise NotFoundError("budget envelope", key)
        envelope = from_data(row[0], BudgetEnvelope, "budget envelope")
        return envelope, int(row[1]), int(row[2])

    def _project_sums(self, key: str, project_id: str) -> tuple[int, int]:
        sums = [
            self._store._one(
                f"SELECT COALESCE(SUM(amount), 0) FROM {table} "
                "WHERE envelope_key = ? AND project_id = ?",
                [key, project_id],
            )
            for table in ("budget_commitments", "budget_disbursements")
        ]
        return int(sums[0][0]), int(sums[1][0])

    def _record(self, item: Commitment | Disbursement) -> None:
        table, total = _BOOKINGS[type(item)]
        with self._store._write() as cur:
            cur.execute(
                self._d.sql(
                    f"INSERT INTO {table} (id, envelope_key, project_id, amount, at, actor, "
                    "rule_set_version, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                ),
                [
                    item.id,
                    item.envelope_key,
                    item.project_id,
                    item.amount,
                    self._d.timestamp(item.at),
                    item.actor,
                    item.rule_set_version,
                    self._d.json(to_json(item)),
                ],
            )
            cur.execute(
                self._d.sql(f"UPDATE budget_envelopes SET {total} = {total} + ? WHERE key = ?"),
                [item.amount, item.envelope_key],
            )

    def _sums(self, key: str) -> tuple[int, int, int]:
        row = self._store._one(
            "SELECT total, committed, disbursed FROM budget_envelopes WHERE key = ?", [key]
        )
        if row is None:
            raise NotFoundError("budget envelope", key)
        return int(row[0]), int(row[1]), int(row[2])

    def committed(self, envelope_key: str) -> int:
        """The total committed against the envelope."""
        return self._sums(envelope_key)[1]

    def disbursed(self, envelope_key: str) -> int:
        """The total disbursed out of the envelope."""
        return self._sums(envelope_key)[2]

    def available(self, envelope_key: str) -> int:
        """What is left to commit."""
        total, committed, _ = self._sums(envelope_key)
        return total - committed

    def _items(
        self, table: str, cls: type[T], envelope_key: str | None, project_id: str | None
    ) -> list[T]:
        parts: list[str] = []
        params: list[Any] = []
        for column, value in (("envelope_key", envelope_key), ("project_id", project_id)):
            if value is not None:
                parts.append(f"{column} = ?")
                params.append(value)
        where = " WHERE " + " AND ".join(parts) if parts else ""
        rows = self._store._all(f"SELECT data FROM {table}{where} ORDER BY seq", params)
        return from_many(map(_first, rows), cls)

    def commitments(
        self, *, envelope_key: str | None = None, project_id: str | None = None
    ) -> list[Commitment]:
        """Commitments, oldest first."""
        return self._items("budget_commitments", Commitment, envelope_key, project_id)

    def disbursements(
        self, *, envelope_key: str | None = None, project_id: str | None = None
    ) -> list[Disbursement]:
        """Disbursements, oldest first."""
        return self._items("budget_disbursements", Disbursement, envelope_key, project_id)


@attrs.define
class TempTables:
    """The temporary tables the store's indicator sources keep on its connection
    (:meth:`SqlIndicatorSource._distinct_table`): their names by statement and parameters,
    the data version they were made at, and how many were made (each name is new)."""

    names: dict[tuple[str, str], str] = attrs.field(factory=dict)
    version: object = None
    made: int = 0


class SqlStore:
    """A store on a DB-API connection; see :class:`SQLiteStore` and :class:`PostgresStore`.

    Args:
        url: The URL it was opened with.
        connection: An open connection in autocommit mode (the store issues BEGIN itself).
        dialect: What differs between databases.
        where: The database, in plain words, for messages.
    """

    def __init__(
        self,
        url: str,
        connection: Any,
        dialect: Dialect,
        where: str,
        *,
        read_only: bool = False,
        before_write: Callable[[], None] | None = None,
    ) -> None:
        self._url = url
        self._conn = connection
        self._dialect = dialect
        self._where_text = where
        self._read_only = read_only
        self._before_write = before_write
        self._in_uow = False
        self._op_depth = 0
        self._writes = 0
        self._closed = False
        self._thread = threading.get_ident()
        self._temp_tables = TempTables()
        self.establishments = _SqlRepository(self, rec.ESTABLISHMENTS)
        self.projects = _SqlProjects(self, rec.PROJECTS)
        self.support_records = _SqlRepository(self, rec.SUPPORT_RECORDS)
        self.fair_participations = _SqlRepository(self, rec.FAIR_PARTICIPATIONS)
        self.award_entries = _SqlAwards(self, rec.AWARD_ENTRIES)
        self.ocop_ratings = _SqlRepository(self, rec.OCOP_RATINGS)
        self.budgets = _SqlBudgets(self)
        self.audit = _SqlAudit(self)
        try:
            self._version = self._open_schema()
        except BaseException:
            self._close_quietly()
            raise

    # -- plumbing ------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The URL the store was opened with."""
        return self._url

    @property
    def schema_version(self) -> int:
        """The version of the database's schema."""
        return self._version

    @contextmanager
    def _guard(self) -> Iterator[None]:
        if self._closed:
            raise StoreError(say("storage.closed"))
        if threading.get_ident() != self._thread:
            # A connection shared by two threads would mix their transactions: one thread's
            # commit could join the other's and be rolled back after it was reported done.
            raise StoreError(say("storage.other_thread", where=self._where_text))
        try:
            yield
        except Exception as exc:
            translated = self._dialect.translate(exc)
            if translated is None:
                raise
            raise translated from exc

    def _cursor(self) -> Cursor:
        cur: Cursor = self._conn.cursor()
        return cur

    def _one(self, sql: str, params: Sequence[Any]) -> Any:
        with self._guard():
            cur = self._cursor()
            cur.execute(self._dialect.sql(sql), params)
            return cur.fetchone()

    def _all(self, sql: str, params: Sequence[Any]) -> list[Any]:
        with self._guard():
            cur = self._cursor()
            cur.execute(self._dialect.sql(sql), params)
            return cur.fetchall()

    def _scan(self, sql: str, params: Sequence[Any]) -> list[Any]:
        with self._guard():
            return self._dialect.scan(self._cursor(), sql, params)

    def _stream(self, sql: str, params: Sequence[Any], size: int) -> Iterator[list[Any]]:
        """The rows of a query, ``size`` at a time, from a cursor that keeps them in the
        database; every fetch is checked like any other call (thread, closed store)."""
        with self._guard():
            cur = self._dialect.stream_cursor(self._conn)
            try:
                cur.execute(self._dialect.sql(sql), params)
            except BaseException:
                self._dialect.stream_done(cur)
                raise
        try:
            while True:
                with self._guard():
                    rows = cur.fetchmany(size)
                if not rows:
                    return
                yield rows
        finally:
            if not self._closed:
                with suppress(Exception):
                    self._dialect.stream_done(cur)

    def _exec(self, sql: str) -> None:
        self._cursor().execute(sql)

    def _data_version(self) -> tuple[int, object]:
        """Equal for two calls only if the data this connection reads did not change between
        them: no write through this store (begun, done or rolled back) and nothing committed by
        another connection (:meth:`Dialect.data_version`)."""
        with self._guard():
            return self._writes, self._dialect.data_version(self._cursor())

    @contextmanager
    def _write(self) -> Iterator[Cursor]:
        """One call's changes: its own transaction, or a savepoint inside a unit of work."""
        with self._guard(), self._counted():
            cur = self._cursor()
            if self._op_depth:  # a call inside a call (e.g. record_result → replace)
                self._op_depth += 1
                try:
                    yield cur
                finally:
                    self._op_depth -= 1
                return
            savepoint = self._in_uow
            self._exec("SAVEPOINT kc_call" if savepoint else self._dialect.begin)
            self._op_depth = 1
            try:
                yield cur
            except BaseException:
                self._op_depth = 0
                self._rollback(savepoint)
                raise
            self._op_depth = 0
            try:
                self._exec("RELEASE SAVEPOINT kc_call" if savepoint else "COMMIT")
            except BaseException:
                self._rollback(savepoint)
                raise

    @contextmanager
    def _counted(self) -> Iterator[None]:
        """Count a write as it begins and as it ends (committed or rolled back), so that
        :meth:`_data_version` changes across either."""
        self._writes += 1
        try:
            yield
        finally:
            self._writes += 1

    def _atomic(self) -> AbstractContextManager[object]:
        return self._write()

    def _audit_add(
        self,
        action: str,
        subject: str,
        actor: str,
        rule_set_version: str,
        details: Mapping[str, str] | None,
    ) -> AuditEntry:
        entry = audit_entry(0, action, subject, actor, rule_set_version, details)
        with self._write() as cur:
            cur.execute(
                self._dialect.sql(
                    "INSERT INTO audit (at, actor, action, subject, rule_set_version, data) "
                    "VALUES (?, ?, ?, ?, ?, ?) RETURNING seq"
                ),
                [
                    self._dialect.timestamp(entry.at),
                    entry.actor,
                    entry.action,
                    entry.subject,
                    entry.rule_set_version,
                    self._dialect.json(audit_json(entry)),
                ],
            )
            return attrs.evolve(entry, seq=int(cur.fetchone()[0]))

    def _missing(self, table: str, ids: Collection[str]) -> set[str]:
        wanted = sorted(ids)
        found: set[str] = set()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            rows = self._all(f"SELECT id FROM {table} WHERE id IN ({marks})", chunk)
            found.update(str(r[0]) for r in rows)
        return set(wanted) - found

    def _rollback(self, savepoint: bool) -> None:
        try:
            if savepoint:
                self._exec("ROLLBACK TO SAVEPOINT kc_call")
                self._exec("RELEASE SAVEPOINT kc_call")
            else:
                self._exec("ROLLBACK")
        except Exception:  # noqa: S110  (the original error matters more)
            pass

    # -- schema --------------------------------------------------------------------------------

    def _found_schema(self, cur: Cursor, current: int) -> int:
        """The schema version of the database, after refusing a foreign or newer one."""
        tables = self._dialect.tables(cur)
        marker = version = None
        if "meta" in tables:
            cur.execute(self._dialect.sql("SELECT key, value FROM meta"))
            meta = dict(cur.fetchall())
            marker = meta.get("application")
            version = meta.get("schema_version")
            if marker is None:
                marker = "an unknown application"
        return schema.check_schema(
            self._where_text, marker=marker, version=version, tables=tables, current=current
        )

    def _open_schema(self) -> int:
        current = schema.MIGRATIONS[-1].version
        # Read first, write nothing: another application's database, or a newer one, is
        # refused before the store changes anything in it (even its journal mode).
        with self._guard():
            found = self._found_schema(self._cursor(), current)
        if self._read_only:
            if found == 0:
                raise StoreError(say("storage.empty_file", where=self._where_text))
            if found != current and not schema.readable_as_is(found):
                raise SchemaVersionError(
                    say(
                        "storage.read_only_older",
                        where=self._where_text,
                        found=found,
                        current=current,
                    )
                )
            return found
        if self._before_write is not None:
            self._before_write()
        with self._write() as cur:
            # Again under the schema lock: another process may have created it meanwhile.
            self._dialect.lock_schema(cur)
            found = self._found_schema(cur, current)
            if found == current:
                return found
            for step in schema.pending(found):
                for statement in step.statements(self._dialect.types):
                    cur.execute(statement)
                if found:  # a new database has no rows to back-fill
                    self._backfill(cur, step)
            upsert = self._dialect.sql(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
            )
            cur.execute(upsert, ["application", schema.APPLICATION])
            cur.execute(upsert, ["schema_version", str(current)])
            return current

    def _backfill(self, cur: Cursor, step: schema.Migration) -> None:
        """Compute the columns ``step`` added from each row's ``data``, as an insert would."""
        for spec in rec.SPECS:
            if spec.table not in step.backfill:
                continue
            at = [i for i, c in enumerate(spec.columns) if c.since == step.version]
            if not at:
                continue
            dates = {i for i in at if spec.columns[i].kind == "date"}
            names = ", ".join(f"{spec.columns[i].name} = ?" for i in at)
            update = self._dialect.sql(f"UPDATE {spec.table} SET {names} WHERE id = ?")
            cur.execute(f"SELECT id, data FROM {spec.table}")
            rows = cur.fetchall()
            for start in range(0, len(rows), 10_000):
                params: list[list[Any]] = []
                for key, data in rows[start : start + 10_000]:
                    values = spec.row(from_data(data, spec.cls, spec.kind))
                    params.append(
                        [self._dialect.date(values[i]) if i in dates else values[i] for i in at]
                        + [key]
                    )
                cur.executemany(update, params)

    # -- public --------------------------------------------------------------------------------

    def indicator_source(self) -> SqlIndicatorSource:
        """This store as an :class:`~khuyencong.indicators.IndicatorSource` answering in SQL.

        Indicators computed over it aggregate in the database (``GROUP BY``,
        ``COUNT(DISTINCT …)``, ``SUM``) and give the same figures as a
        :class:`~khuyencong.indicators.RecordSet` holding the same records.
        """
        from khuyencong.storage._aggregate import SqlIndicatorSource  # noqa: PLC0415  (no cycle)

        return SqlIndicatorSource(self)

    def unit_of_work(self) -> AbstractContextManager[UnitOfWork]:
        """A transaction: every change inside commits together or not at all.

        Raises:
            StoreError: If a unit of work is already open on this store (they do not nest).
        """
        return self._unit_of_work()

    @contextmanager
    def _unit_of_work(self) -> Iterator[UnitOfWork]:
        if self._in_uow:
            raise StoreError(say("storage.uow_nested"))
        with self._write():
            self._op_depth = 0
            self._in_uow = True
            try:
                yield self  # the store is its own unit of work
            finally:
                self._in_uow = False
                self._op_depth = 1

    def check_integrity(self) -> list[str]:
        """Problems in the stored data: engine checks, rows that no longer read back or whose
        query columns disagree with their data, objects naming establishments, projects or
        prior award entries the store does not hold, budget sums that disagree."""
        problems: list[str] = []
        with self._guard():
            problems += self._dialect.integrity(self._cursor())
        if problems:
            return problems
        known = {
            table: {str(r[0]) for r in self._all(f"SELECT id FROM {table}", [])}
            for table in rec.REFERENCED
        }
        for repo in (
            self.establishments,
            self.projects,
            self.support_records,
            self.fair_participations,
            self.award_entries,
            self.ocop_ratings,
        ):
            repo._check(problems, known)
        rows = self._all(
            "SELECT e.key, e.total, e.committed, e.disbursed, "
            "(SELECT COALESCE(SUM(amount), 0) FROM budget_commitments c "
            "WHERE c.envelope_key = e.key), "
            "(SELECT COALESCE(SUM(amount), 0) FROM budget_disbursements d "
            "WHERE d.envelope_key = e.key) FROM budget_envelopes e",
            [],
        )
        for key, total, committed, disbursed, c_sum, d_sum in rows:
            if committed != c_sum or disbursed != d_sum or committed > total:
                problems.append(
                    f"budget envelope {key}: committed {committed} (commitments sum {c_sum}), "
                    f"disbursed {disbursed} (disbursements sum {d_sum}), total {total}"
                )
        return problems

    def _close_quietly(self) -> None:
        # Closing a broken connection may fail too; the store is unusable either way.
        with suppress(Exception):
            self._conn.close()

    def close(self) -> None:
        """Close the connection."""
        if not self._closed:
            self._closed = True
            self._close_quietly()

    def __enter__(self) -> SqlStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
