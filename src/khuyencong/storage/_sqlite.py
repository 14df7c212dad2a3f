"""The SQLite store: the embedded default (``sqlite:///path/to.db``), stdlib :mod:`sqlite3`.

The database is one file, opened in WAL mode (readers never block the writer) with a busy
timeout (writers wait for each other instead of failing) and ``synchronous=FULL`` (a committed
transaction survives a crash of the machine, not only of the process); it is read through a
memory map and sorts in memory, for read-heavy work such as indicators. Every write transaction
starts with ``BEGIN IMMEDIATE``, so two processes never both read an envelope and then both
commit against it: budgets cannot be overspent, whatever the number of processes.

A file that is not an SQLite database, or an SQLite database of another application, is
refused with a clear :class:`~khuyencong.exceptions.StoreError` or
:class:`~khuyencong.exceptions.SchemaVersionError` *before anything is written to it*: the
schema is read first, and only a khuyencong database (or a new, empty file) is switched to WAL
and migrated.

Opened with ``read_only=True`` (a report, a file on a read-only disk or archive), nothing is
ever written: the file must already be a khuyencong database of the current version (a missing
or empty file is refused rather than made into an empty store), and a write raises a
:class:`~khuyencong.exceptions.StoreError` that says the store is read-only.

>>> from khuyencong.storage import SQLiteStore
>>> with SQLiteStore(":memory:") as store:
...     store.schema_version
6
"""

from __future__ import annotations

import datetime as dt
import math
import os
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote

from khuyencong._arguments import Arguments
from khuyencong.exceptions import ConcurrencyError, StoreError, StoreOptionError
from khuyencong.messages import text as message
from khuyencong.storage import _schema as schema
from khuyencong.storage._common import say
from khuyencong.storage._sql import Cursor, Dialect, SqlStore, UniqueViolationError

__all__ = ["SQLiteStore", "check_sqlite_options"]

Synchronous = Literal["full", "normal", "extra"]
SYNCHRONOUS: tuple[Synchronous, ...] = ("full", "normal", "extra")

_MMAP_SIZE = 1 << 30
"""How much of the database file SQLite maps into memory for reading (address space only)."""

BULK_ROWS = 10_000
"""From how many rows an insert into a table no larger than the batch rebuilds the table's
secondary indexes after its rows instead of updating them row by row."""

_BULK_CACHE_KIB = 256 * 1024
"""The page cache (KiB) a bulk insert may use; SQLite takes it as pages are read or written."""

_MAX_TIMEOUT = 24 * 3600.0
"""The longest busy timeout accepted, in seconds (SQLite's own limit is about 24 days)."""


def check_sqlite_options(timeout: object, synchronous: object) -> tuple[float, Synchronous]:
    """The busy timeout (finite seconds, 0 to one day) and the synchronous level, checked.

    Raises:
        StoreOptionError: Naming the option and the value, if either is invalid.
    """
    if isinstance(timeout, bool) or not isinstance(timeout, int | float):
        raise StoreOptionError("timeout", timeout, message("storage.option_timeout", value=timeout))
    if not (math.isfinite(timeout) and 0 <= timeout <= _MAX_TIMEOUT):
        raise StoreOptionError("timeout", timeout, message("storage.option_timeout", value=timeout))
    if synchronous not in SYNCHRONOUS:
        raise StoreOptionError(
            "synchronous", synchronous, message("storage.option_synchronous", value=synchronous)
        )
    return float(timeout), synchronous


def _read_only_place(path: str) -> bool:
    """Whether the file, or the file system it is on, cannot be written."""
    file = Path(path).absolute()
    if file.exists() and not os.access(file, os.W_OK):
        return True
    try:
        return bool(os.statvfs(file.parent).f_flag & os.ST_RDONLY)
    except OSError:
        return False


class _SQLiteDialect(Dialect):
    name = "sqlite"
    types = schema.SQLITE_TYPES
    begin = "BEGIN IMMEDIATE"

    def __init__(self, where: str, path: str) -> None:
        self.where = where
        self.path = path

    date_param = staticmethod(dt.date.isoformat)

    def timestamp(self, value: Any) -> object:
        return value.isoformat()

    def translate(self, exc: BaseException) -> BaseException | None:
        if not isinstance(exc, sqlite3.Error):
            return None
        code = getattr(exc, "sqlite_errorname", "") or ""
        if isinstance(exc, sqlite3.IntegrityError):
            if "UNIQUE" in str(exc) or "PRIMARY KEY" in str(exc):
                return UniqueViolationError(f"{self.where}: {exc}")
            return StoreError(say("storage.constraint", where=self.where, problem=exc))
        if code.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
            return ConcurrencyError(say("storage.busy", where=self.where, problem=exc))
        if code.startswith("SQLITE_FULL"):
            return StoreError(say("storage.disk_full", where=self.where))
        if code.startswith("SQLITE_READONLY") or (
            code.startswith("SQLITE_CANTOPEN") and _read_only_place(self.path)
        ):
            return StoreError(say("storage.read_only", where=self.where))
        if code.startswith("SQLITE_CANTOPEN"):
            return StoreError(say("storage.cannot_open", where=self.where, problem=exc))
        if code.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
            return StoreError(say("storage.damaged", where=self.where, problem=exc))
        return StoreError(say("storage.database_error", where=self.where, problem=exc))

    def data_version(self, cur: Cursor) -> object:
        # Changes when another connection commits; this connection's own writes are counted
        # by the store (SQLite leaves the value as it is for them).
        cur.execute("PRAGMA data_version")
        return cur.fetchone()[0]

    def bulk_insert(
        self,
        cur: Cursor,
        table: str,
        columns: Sequence[str],
        rows: Iterable[Sequence[Any]],
        *,
        count: int = 0,
    ) -> None:
        """Insert the rows; a batch of at least :data:`BULK_ROWS` rows into a table that holds
        fewer rows than the batch drops the table's secondary indexes, inserts, and builds them
        again, all inside the caller's transaction (a failure rolls the indexes back with the
        rows), with a larger page cache while it runs.

        Maintaining seven indexes row by row makes each insert dearer as the table grows;
        building an index from the finished table is one sort, so the cost per row stays flat.
        """
        self._insert(cur, table, columns, rows, count, ["?"] * len(columns))

    def insert_columns(
        self,
        cur: Cursor,
        table: str,
        columns: Sequence[str],
        values: Sequence[Sequence[Any]],
        *,
        count: int = 0,
    ) -> None:
        """:meth:`bulk_insert` of rows given column by column, binding no ``None``.

        The driver binds ``None`` through its adapter lookup (a failed attribute lookup or
        two, each making an exception's message: about ten times the cost of binding a
        text), so a column holding both values and NULLs (a record's optional dates,
        outcomes, project) is bound with an empty text where it holds ``None``, which
        ``NULLIF(?, '')`` stores as NULL: only in a column where no value is an empty text,
        so that every other value is stored as it is (an integer is never equal to a text).
        """
        marks = ["?"] * len(columns)
        bound = list(values)
        for i, column in enumerate(values):
            if None in column and "" not in column:
                marks[i] = "NULLIF(?, '')"
                bound[i] = ["" if v is None else v for v in column]
        self._insert(cur, table, columns, zip(*bound, strict=True), count, marks)

    def _insert(  # noqa: PLR0917  (private; bulk_insert's arguments and the marks)
        self,
        cur: Cursor,
        table: str,
        columns: Sequence[str],
        rows: Iterable[Sequence[Any]],
        count: int,
        marks: Sequence[str],
    ) -> None:
        # A table and columns of the schema, and the store's own marks: no value in the text.
        statement = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(marks)})"  # noqa: S608
        if count < BULK_ROWS:
            cur.executemany(statement, rows)
            return
        cur.execute(f"SELECT max(rowid) FROM {table}")  # noqa: S608  (a table of the schema)
        (last,) = cur.fetchone()
        if (last or 0) > count:  # a large table: updating its indexes is cheaper
            cur.executemany(statement, rows)
            return
        cur.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
            "AND sql IS NOT NULL ORDER BY name",
            (table,),
        )
        indexes = [(str(name), str(sql)) for name, sql in cur.fetchall()]
        cur.execute("PRAGMA cache_size")
        (cache,) = cur.fetchone()
        cur.execute(f"PRAGMA cache_size = {-_BULK_CACHE_KIB}")
        try:
            for name, _ in indexes:
                cur.execute(f'DROP INDEX "{name.replace(chr(34), chr(34) * 2)}"')
            cur.executemany(statement, rows)
            for _, sql in indexes:
                cur.execute(sql)
        finally:
            cur.execute(f"PRAGMA cache_size = {int(cache)}")

    def scan(self, cur: Cursor, sql: str, params: Sequence[Any]) -> list[Any]:
        """One page of a read through a whole table, through read calls instead of the memory
        map: read through the map, every page of the file would stay in the process's memory
        (its resident size would grow to the size of the file) however few rows it holds."""
        cur.execute("PRAGMA mmap_size = 0")
        try:
            return super().scan(cur, sql, params)
        finally:
            cur.execute(f"PRAGMA mmap_size = {_MMAP_SIZE}")

    def stream_cursor(self, connection: Any) -> Cursor:
        """A plain cursor (SQLite steps to each row as it is fetched), reading through read
        calls instead of the memory map for as long as it is open (see :meth:`scan`)."""
        cur: Cursor = connection.cursor()
        cur.execute("PRAGMA mmap_size = 0")
        return cur

    def stream_done(self, cur: Cursor) -> None:
        try:
            cur.execute(f"PRAGMA mmap_size = {_MMAP_SIZE}")
        finally:
            cur.close()

    def tables(self, cur: Cursor) -> list[str]:
        cur.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
        return [str(r[0]) for r in cur.fetchall()]

    def integrity(self, cur: Cursor) -> list[str]:
        cur.execute("PRAGMA integrity_check")
        found = [str(r[0]) for r in cur.fetchall()]
        problems = [] if found == ["ok"] else found
        cur.execute("PRAGMA foreign_key_check")
        problems += [f"foreign key broken: {tuple(r)}" for r in cur.fetchall()]
        return problems


class SQLiteStore(SqlStore):
    """A store in one SQLite file.

    Args:
        path: The database file (created if missing), or ``":memory:"``.
        url: The URL it was opened with (default: ``sqlite:///`` + path).
        timeout: Seconds a writer waits for another one before giving up (0 to one day).
        synchronous: SQLite's ``synchronous`` setting; ``full`` (default) survives power
            loss, ``normal`` is faster and survives a crash of the process.
        read_only: Open to read only (a report, a read-only disk): nothing is written; the
            file must be a khuyencong database of the current schema version.

    Raises:
        StoreOptionError: If ``timeout`` or ``synchronous`` is invalid.
        StoreError: If the file cannot be opened, is not an SQLite database, or (read-only) is
            missing or empty.
        SchemaVersionError: If it is another application's database, or a newer khuyencong one
            (or, read-only, an older one that needs migrating).
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        url: str | None = None,
        timeout: float = 30.0,
        synchronous: Synchronous = "full",
        read_only: bool = False,
    ) -> None:
        args = Arguments()
        args.path(path, "path")
        args.check()
        path = os.fspath(path)
        timeout, synchronous = check_sqlite_options(timeout, synchronous)
        where = message("storage.where_sqlite", path=path)
        dialect = _SQLiteDialect(where, path)
        if read_only:
            conn = self._connect_read_only(path, where, dialect, timeout)
        else:
            conn = self._connect(path, dialect, timeout)
        super().__init__(
            url or f"sqlite:///{path}",
            conn,
            dialect,
            where,
            read_only=read_only,
            before_write=lambda: self._settle(dialect, timeout, synchronous),
        )

    @staticmethod
    def _connect(path: str, dialect: _SQLiteDialect, timeout: float) -> sqlite3.Connection:
        try:
            return sqlite3.connect(path, isolation_level=None, timeout=timeout)
        except sqlite3.Error as exc:
            raise (dialect.translate(exc) or exc) from exc

    @staticmethod
    def _connect_read_only(
        path: str, where: str, dialect: _SQLiteDialect, timeout: float
    ) -> sqlite3.Connection:
        if path == ":memory:":
            raise StoreOptionError("read_only", True, message("storage.read_only_memory"))
        file = Path(path)
        if not file.is_file():
            raise StoreError(say("storage.missing_file", where=where))
        if file.stat().st_size == 0:
            raise StoreError(say("storage.empty_file", where=where))
        uri = f"file:{quote(str(file.absolute()))}"
        conn = None
        try:
            conn = sqlite3.connect(
                f"{uri}?mode=ro", uri=True, isolation_level=None, timeout=timeout
            )
            conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError as exc:
            if conn is not None:
                conn.close()
            # A database in WAL mode on a read-only file system cannot be opened plainly (its
            # shared-memory file cannot be made); read it as immutable, unless a journal holds
            # committed changes the main file lacks (reading would miss them).
            journal = Path(f"{path}-wal")
            if not _read_only_place(path) or (journal.exists() and journal.stat().st_size):
                raise (dialect.translate(exc) or exc) from exc
            conn = sqlite3.connect(
                f"{uri}?immutable=1", uri=True, isolation_level=None, timeout=timeout
            )
        except sqlite3.Error as exc:
            raise (dialect.translate(exc) or exc) from exc
        for pragma in (
            f"PRAGMA busy_timeout = {int(timeout * 1000)}",
            f"PRAGMA mmap_size = {_MMAP_SIZE}",
            "PRAGMA temp_store = MEMORY",
        ):
            conn.execute(pragma)
        return conn

    def _settle(self, dialect: _SQLiteDialect, timeout: float, synchronous: str) -> None:
        """The settings of a writable khuyencong database, applied once its schema was checked
        (so that another application's file is never switched to WAL)."""
        try:
            for pragma in (
                f"PRAGMA busy_timeout = {int(timeout * 1000)}",
                "PRAGMA journal_mode = WAL",
                f"PRAGMA synchronous = {synchronous.upper()}",
                "PRAGMA foreign_keys = ON",
                # Read-heavy work (indicators over a million records, reading a whole table):
                # reads through a memory map instead of a read() call per page (SQLite
                # writes through its journal as before), and sorts for GROUP BY and
                # COUNT(DISTINCT) in memory.
                f"PRAGMA mmap_size = {_MMAP_SIZE}",
                "PRAGMA temp_store = MEMORY",
            ):
                self._conn.execute(pragma)
        except sqlite3.Error as exc:
            raise (dialect.translate(exc) or exc) from exc

    def __enter__(self) -> SQLiteStore:
        return self
