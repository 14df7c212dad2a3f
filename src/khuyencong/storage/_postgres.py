"""The PostgreSQL store (``postgresql://…``), on psycopg 3 (the ``postgres`` extra).

psycopg is imported only when a PostgreSQL store is opened, so ``import khuyencong`` never
needs it. The store keeps its tables in the connection's current schema, or in the schema named
by a ``schema`` query parameter of the URL (created if missing), so that several stores, or a
store and another application, can share one database::

    postgresql://officer@db.example/khuyencong?schema=bac_giang

Commitments lock the envelope's row (``SELECT … FOR UPDATE``), so concurrent officers never
overspend it; money columns are ``BIGINT`` (amounts are bounded by
:data:`~khuyencong.domain.MAX_DONG`, far below its limit, and PostgreSQL sums them as
``NUMERIC``); the ``data`` column is ``JSONB``.

A store is one connection, used by the thread that opened it: another thread gets a
:class:`~khuyencong.exceptions.StoreError` (open one store per thread). Opened with
``read_only=True`` the session is read-only, the schema is neither created nor migrated, and a
write raises a :class:`~khuyencong.exceptions.StoreError` saying so.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from contextlib import suppress
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from khuyencong._arguments import expect
from khuyencong.exceptions import ConcurrencyError, StoreError
from khuyencong.messages import text as message
from khuyencong.storage import _schema as schema
from khuyencong.storage._common import say
from khuyencong.storage._sql import Cursor, Dialect, SqlStore, UniqueViolationError

__all__ = ["PostgresStore"]


class _PostgresDialect(Dialect):
    name = "postgresql"
    types = schema.POSTGRES_TYPES
    begin = "BEGIN"
    for_update = " FOR UPDATE"
    order_by_id = 'ORDER BY id COLLATE "C"'
    page_by_id = False  # the id index is in the database's collation, not "C"

    def __init__(self, where: str, psycopg: Any) -> None:
        self.where = where
        self.psycopg = psycopg

    def sql(self, text: str) -> str:
        return text.replace("?", "%s")

    def translate(self, exc: BaseException) -> BaseException | None:
        errors = self.psycopg.errors
        if isinstance(exc, errors.UniqueViolation):
            return UniqueViolationError(f"{self.where}: {exc}")
        if isinstance(
            exc, errors.SerializationFailure | errors.DeadlockDetected | errors.LockNotAvailable
        ):
            return ConcurrencyError(say("storage.concurrent_change", where=self.where, problem=exc))
        if isinstance(exc, errors.DiskFull):
            return StoreError(say("storage.disk_full", where=self.where))
        if isinstance(exc, errors.ReadOnlySqlTransaction):
            return StoreError(say("storage.read_only_transaction", where=self.where))
        if isinstance(exc, self.psycopg.Error):
            return StoreError(say("storage.database_error", where=self.where, problem=exc))
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
        # COPY is one statement: it inserts every row or none.
        statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with cur.copy(statement) as copy:  # type: ignore[attr-defined]
            for row in rows:
                copy.write_row(row)

    def stream_cursor(self, connection: Any) -> Cursor:
        # A server-side cursor; WITH HOLD lets it outlive the statement's own transaction
        # when the store is in autocommit (outside a unit of work).
        cursor: Cursor = connection.cursor(name=f"kc_read_{uuid.uuid4().hex}", withhold=True)
        return cursor

    def tables(self, cur: Cursor) -> list[str]:
        cur.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        )
        return [str(r[0]) for r in cur.fetchall()]

    def data_version(self, cur: Cursor) -> object:
        # Two snapshots with the same xmin, xmax and in-progress list see the same committed
        # transactions; any transaction started or ended in between (in any database of the
        # server) changes it, which only costs a recomputation.
        cur.execute("SELECT CAST(pg_current_snapshot() AS TEXT)")
        return cur.fetchone()[0]

    def lock_schema(self, cur: Cursor) -> None:
        cur.execute("SELECT pg_advisory_xact_lock(hashtext('khuyencong:' || current_schema()))")


def _split_url(url: str) -> tuple[str, str | None]:
    """The libpq URL without our ``schema`` parameter, and that parameter.

    The other parameters are passed on percent-encoded (``%20`` for a space): libpq does not
    read ``+`` as a space, as an HTML form would.

    >>> _split_url("postgresql://h/db?application_name=b%C3%A1o%20c%C3%A1o&schema=bg")
    ('postgresql://h/db?application_name=b%C3%A1o%20c%C3%A1o', 'bg')
    """
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    schemas = [v for k, v in query if k == "schema"]
    rest = [(k, v) for k, v in query if k != "schema"]
    scheme = "postgresql" if parts.scheme in ("postgres", "postgresql") else parts.scheme
    encoded = urlencode(rest, quote_via=quote)
    clean = urlunsplit((scheme, parts.netloc, parts.path, encoded, parts.fragment))
    return clean, (schemas[-1] if schemas else None)


class PostgresStore(SqlStore):
    """A store in a PostgreSQL database (or one schema of it).

    Args:
        url: ``postgresql://user@host:port/dbname``, optionally with ``?schema=name``.
        read_only: Open a read-only session: nothing is written, the schema is neither created
            nor migrated (an empty or older schema is refused).

    Raises:
        StoreError: If psycopg is missing or the server cannot be reached.
        SchemaVersionError: If the schema holds another application's tables, or a newer
            khuyencong schema.
    """

    def __init__(self, url: str, *, read_only: bool = False) -> None:
        expect(url, "url", str)
        try:
            import psycopg  # noqa: PLC0415  (optional extra, imported only when used)
            from psycopg import sql  # noqa: PLC0415
        except ImportError as exc:  # pragma: no cover  (the test environment has it)
            raise StoreError(message("storage.postgres_missing")) from exc
        conninfo, schema_name = _split_url(url)
        parts = urlsplit(conninfo)
        database, host = parts.path.lstrip("/") or "(default)", parts.hostname
        where = (
            message(
                "storage.where_postgres_schema", database=database, host=host, schema=schema_name
            )
            if schema_name
            else message("storage.where_postgres", database=database, host=host)
        )
        dialect = _PostgresDialect(where, psycopg)
        try:
            conn = psycopg.connect(conninfo, autocommit=True)
        except psycopg.Error as exc:
            raise StoreError(say("storage.cannot_connect", where=where, problem=exc)) from exc
        try:
            if read_only:
                conn.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
            if schema_name:
                ident = sql.Identifier(schema_name)
                if not read_only:
                    # Another process may create it at the same moment.
                    with suppress(psycopg.errors.UniqueViolation, psycopg.errors.DuplicateSchema):
                        conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(ident))
                conn.execute(sql.SQL("SET search_path TO {}").format(ident))
        except psycopg.Error as exc:
            conn.close()
            raise StoreError(say("storage.cannot_connect", where=where, problem=exc)) from exc
        super().__init__(url, conn, dialect, where, read_only=read_only)

    def __enter__(self) -> PostgresStore:
        return self
