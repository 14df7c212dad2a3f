"""The database schema of the SQL stores, its version, and the migrations between versions.

A database made by khuyencong has a ``meta`` table with two rows: ``application`` =
``khuyencong`` and ``schema_version`` = an integer. When a store opens a database:

- an empty database is created at :data:`SCHEMA_VERSION` by running every migration in order;
- an older one is migrated forward, all steps in one transaction (if a step fails, the
  database stays as it was);
- a newer one, or one that is not khuyencong's (other tables, no marker), is refused with
  :class:`~khuyencong.exceptions.SchemaVersionError`. No table, column or row is ever dropped.

Migrations add tables, columns, indexes and triggers; the one thing a step may drop is an
index, which holds no data: one that another index has made redundant (version 5: the support
records' index on the day, a prefix of their covering index of version 3), or one that no
query of the library needs and every import paid for (version 6: the support records' index
on the content and the day). Each is a numbered
list of statements per dialect, so a reviewer sees exactly what will run. A step may also name the
tables whose new columns the store back-fills from each row's ``data`` (computed by the same
Python code that fills them on insert, so old and new rows always agree).

>>> [m.version for m in MIGRATIONS], SCHEMA_VERSION
([1, 2, 3, 4, 5, 6], 6)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import attrs

from khuyencong.exceptions import SchemaVersionError
from khuyencong.storage._common import say
from khuyencong.storage._records import SPECS, Column

__all__ = [
    "APPLICATION",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "Migration",
    "SqlTypes",
    "check_schema",
    "pending",
]

APPLICATION = "khuyencong"
"""The marker in the ``meta`` table that says the database is khuyencong's."""


@attrs.frozen
class SqlTypes:
    """The column types of one SQL dialect.

    Attributes:
        dialect: ``sqlite`` or ``postgresql``.
        text: Text.
        int: Integer (64 bits: money in đồng).
        date: A calendar date.
        timestamp: An aware timestamp.
        json: The converter's JSON.
        serial_pk: An auto-increasing integer primary key.
    """

    dialect: str
    text: str
    int: str
    date: str
    timestamp: str
    json: str
    serial_pk: str

    def of(self, column: Column) -> str:
        """The SQL type of a queried column."""
        return {"text": self.text, "int": self.int, "date": self.date}[column.kind]


SQLITE_TYPES = SqlTypes(
    "sqlite", "TEXT", "INTEGER", "TEXT", "TEXT", "TEXT", "INTEGER PRIMARY KEY AUTOINCREMENT"
)
POSTGRES_TYPES = SqlTypes(
    "postgresql",
    "TEXT",
    "BIGINT",
    "DATE",
    "TIMESTAMPTZ",
    "JSONB",
    "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
)


@attrs.frozen
class Migration:
    """One step of the schema: the statements that take it from ``version - 1`` to ``version``.

    Attributes:
        version: The version reached.
        description: What the step does, in plain words.
        statements: The SQL statements for a dialect's types (no values: pure DDL).
        backfill: Tables whose columns added at ``version`` the store then computes from each
            row's ``data`` (in the same transaction).
        reads_alike: Whether a database one step short of ``version`` answers every query of
            this library as one at ``version`` does (the step only drops an index another one
            covers): a read-only open then reads it as it is, since it cannot migrate it.
    """

    version: int
    description: str
    statements: Callable[[SqlTypes], Sequence[str]]
    backfill: tuple[str, ...] = ()
    reads_alike: bool = False


def _v1(t: SqlTypes) -> list[str]:
    out = ["CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"]
    for spec in SPECS:
        cols = ["id TEXT PRIMARY KEY"]
        if spec.table == "projects":
            cols.append(f"version {t.int} NOT NULL")
        cols += [f"{c.name} {t.of(c)}" for c in spec.columns if c.since == 1]
        cols.append(f"data {t.json} NOT NULL")
        out.append(f"CREATE TABLE {spec.table} ({', '.join(cols)})")
        for index in spec.indexes:
            name = f"ix_{spec.table}_{'_'.join(index)}"
            out.append(f"CREATE INDEX {name} ON {spec.table} ({', '.join(index)})")
    out += [
        (
            "CREATE TABLE budget_envelopes ("
            "key TEXT PRIMARY KEY, fund TEXT NOT NULL, map_id TEXT NOT NULL, "
            f"province_code TEXT NOT NULL, year {t.int} NOT NULL, total {t.int} NOT NULL, "
            f"committed {t.int} NOT NULL DEFAULT 0, disbursed {t.int} NOT NULL DEFAULT 0, "
            f"data {t.json} NOT NULL, "
            "CHECK (total >= 0 AND committed >= 0 AND committed <= total "
            "AND disbursed >= 0 AND disbursed <= committed))"
        ),
    ]
    for table in ("budget_commitments", "budget_disbursements"):
        out += [
            (
                f"CREATE TABLE {table} (seq {t.serial_pk}, id TEXT NOT NULL UNIQUE, "
                "envelope_key TEXT NOT NULL REFERENCES budget_envelopes (key), "
                f"project_id TEXT NOT NULL, amount {t.int} NOT NULL CHECK (amount > 0), "
                f"at {t.timestamp} NOT NULL, actor TEXT NOT NULL, "
                f"rule_set_version TEXT NOT NULL, data {t.json} NOT NULL)"
            ),
            f"CREATE INDEX ix_{table}_envelope_project ON {table} (envelope_key, project_id)",
            f"CREATE INDEX ix_{table}_project ON {table} (project_id)",
        ]
    out += [
        (
            f"CREATE TABLE audit (seq {t.serial_pk}, at {t.timestamp} NOT NULL, "
            "actor TEXT NOT NULL, action TEXT NOT NULL, subject TEXT NOT NULL, "
            f"rule_set_version TEXT NOT NULL, data {t.json} NOT NULL)"
        ),
        "CREATE INDEX ix_audit_subject ON audit (subject)",
        "CREATE INDEX ix_audit_action ON audit (action)",
    ]
    if t.dialect == "sqlite":
        out += [
            f"CREATE TRIGGER audit_no_{verb.lower()} BEFORE {verb} ON audit "
            "BEGIN SELECT RAISE(ABORT, 'the khuyencong audit log is append-only'); END"
            for verb in ("UPDATE", "DELETE")
        ]
    else:
        out += [
            (
                "CREATE FUNCTION khuyencong_audit_append_only() RETURNS trigger "
                "LANGUAGE plpgsql AS $$ BEGIN "
                "RAISE EXCEPTION 'the khuyencong audit log is append-only'; END $$"
            ),
            (
                "CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit "
                "FOR EACH ROW EXECUTE FUNCTION khuyencong_audit_append_only()"
            ),
            (
                "CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit "
                "FOR EACH STATEMENT EXECUTE FUNCTION khuyencong_audit_append_only()"
            ),
        ]
    return out


def _v2(t: SqlTypes) -> list[str]:
    # The fields the indicator aggregation reads in SQL: dates, head counts, quantities,
    # agencies, partners and sectors (JSON arrays in text), product keys, project contents.
    return [
        f"ALTER TABLE {spec.table} ADD COLUMN {c.name} {t.of(c)}"
        for spec in SPECS
        for c in spec.columns
        if c.since == 2
    ]


INDICATOR_INDEX = (
    "day",
    "content",
    "establishment_id",
    "national_amount",
    "local_amount",
    "co_funding",
    "trainees",
    "participants",
    "quantity",
    "partners",
    "map_id",
    "unit_code",
)
"""The columns of the support records' covering index (version 3), in order."""


def _v3(t: SqlTypes) -> list[str]:
    # Covering indexes for the indicator queries. Over support records: the period is a range
    # on the first column and every column those queries read is in the index, so an indicator
    # over a million records reads the index alone, never the rows with their JSON. Over
    # establishments: what a record's establishment contributes (legal form, location,
    # sectors), found by id without reading the row.
    return [
        (
            "CREATE INDEX ix_support_records_indicators ON support_records "
            f"({', '.join(INDICATOR_INDEX)})"
        ),
        (
            "CREATE INDEX ix_establishments_indicators ON establishments "
            "(id, legal_form, map_id, unit_code, sectors)"
        ),
    ]


OUTCOME_INDEX = (
    "outcome_reported_on",
    "day",
    "jobs_created",
    "income_change",
    "content",
    "establishment_id",
    "national_amount",
    "local_amount",
    "partners",
    "map_id",
    "unit_code",
)
"""The columns of the support records' partial covering index for outcomes (version 4)."""


def _v4(t: SqlTypes) -> list[str]:
    # The outcomes beneficiaries report after support (new jobs, income change, the report
    # date), NULL when not reported. The outcome indicators keep only the records that reported
    # and place them by the report date, else the delivery date: a range on no single column.
    # A partial covering index holds just the records that reported, so those indicators read
    # it alone (most records report nothing), never a full scan of the rows.
    added = [
        f"ALTER TABLE {spec.table} ADD COLUMN {c.name} {t.of(c)}"
        for spec in SPECS
        for c in spec.columns
        if c.since == 4
    ]
    return [
        *added,
        (
            "CREATE INDEX ix_support_records_outcomes ON support_records "
            f"({', '.join(OUTCOME_INDEX)}) "
            "WHERE jobs_created IS NOT NULL OR income_change IS NOT NULL"
        ),
    ]


def _v5(t: SqlTypes) -> list[str]:
    # The index on the support records' day (version 1) is a prefix of their covering index
    # (version 3, whose first column is the day): every query it served, a range on the day
    # with or without more conditions, the covering index serves as well (the plans were
    # compared over the report, the indicators and the repositories' filters), and every
    # insert paid for it, a bulk import one more index build. Version 1 still creates it (a
    # store is built by running every step), so a new store drops it here too.
    return ["DROP INDEX IF EXISTS ix_support_records_day"]


def _v6(t: SqlTypes) -> list[str]:
    # The index on the support records' content and day (version 1) serves no statement of
    # the report, the indicators (with or without drill-down) or the outcome indicators, by
    # their query plans; a content with a period is a range of the covering index (version 3,
    # which holds the content beside the day), and only a repository's filter on the content
    # alone read it (it now reads the covering index or the rows). Every insert paid for it,
    # every bulk import (``khuyencong import``) one more index build of the whole table.
    # Version 1 still creates it (a store is built by running every step), so a new store
    # drops it here too.
    return ["DROP INDEX IF EXISTS ix_support_records_content_day"]


MIGRATIONS: list[Migration] = [
    Migration(1, "records, projects, budgets, audit log", _v1),
    Migration(
        2,
        "indicator columns: dates, head counts, agencies, partners, sectors, product keys",
        _v2,
        backfill=tuple(spec.table for spec in SPECS),
    ),
    Migration(3, "covering indexes for indicators: support records, establishments", _v3),
    Migration(
        4,
        "outcomes of support records: jobs created, income change, report date",
        _v4,
        backfill=("support_records",),
    ),
    Migration(
        5,
        "drop the support records' index on the day: the covering index serves",
        _v5,
        reads_alike=True,  # a version-4 store has one index more, which no answer depends on
    ),
    Migration(
        6,
        "drop the support records' index on the content and the day: no query needs it",
        _v6,
        reads_alike=True,  # a version-5 store has one index more, which no answer depends on
    ),
]
"""Every migration, in order. Version ``n`` is reached by running steps 1 to ``n``."""

SCHEMA_VERSION = MIGRATIONS[-1].version
"""The schema version this library writes."""


def check_schema(
    where: str,
    *,
    marker: str | None,
    version: str | None,
    tables: Sequence[str],
    current: int | None = None,
) -> int:
    """The version found, after refusing a foreign or newer database.

    Args:
        where: The database, for messages.
        marker: The ``application`` value of ``meta`` (``None`` when there is no meta table).
        version: The ``schema_version`` value of ``meta``.
        tables: The tables in the database (or schema).
        current: The version this library writes (default :data:`SCHEMA_VERSION`).

    Returns:
        The version found; 0 for an empty database.

    Raises:
        SchemaVersionError: If the database is not khuyencong's or is newer than this library.

    >>> from khuyencong.messages import language
    >>> check_schema("SQLite database x.db", marker=None, version=None, tables=[])
    0
    >>> with language("en"):
    ...     check_schema("SQLite database x.db", marker=None, version=None, tables=["invoices"])
    Traceback (most recent call last):
    khuyencong.exceptions.SchemaVersionError: SQLite database x.db is not a khuyencong database: it has tables (invoices) but no khuyencong marker; open an empty database or a khuyencong one. Nothing was changed.
    """  # noqa: E501  (a doctest output line cannot be wrapped)
    current = SCHEMA_VERSION if current is None else current
    if marker is None:
        if tables:
            listed = ", ".join(sorted(tables)[:8])
            raise SchemaVersionError(say("storage.schema_foreign", where=where, tables=listed))
        return 0
    if marker != APPLICATION:
        raise SchemaVersionError(say("storage.schema_other", where=where, marker=marker))
    # The library writes the version as plain ASCII digits without a leading zero; anything
    # else ("04", "٤", "4 ") was not written by it and is a damaged marker, not a version.
    if version is None or not _VERSION.fullmatch(version):
        raise SchemaVersionError(say("storage.schema_bad_version", where=where, version=version))
    found = int(version)
    if found > current:
        raise SchemaVersionError(
            say("storage.schema_newer", where=where, found=found, current=current)
        )
    return found


_VERSION = re.compile(r"[1-9][0-9]{0,8}", re.ASCII)


def pending(found: int) -> list[Migration]:
    """The migrations to run on a database at version ``found``, in order."""
    return [m for m in MIGRATIONS if m.version > found]


def readable_as_is(found: int) -> bool:
    """Whether a database at version ``found`` (older than this library's) can be read
    without migrating it: every pending step reads alike.

    >>> readable_as_is(5), readable_as_is(4), readable_as_is(3)
    (True, True, False)
    """
    steps = pending(found)
    return bool(steps) and found > 0 and all(m.reads_alike for m in steps)
