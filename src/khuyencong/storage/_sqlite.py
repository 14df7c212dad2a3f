"""The SQLite store: the embedded default (``sqlite:///path/to.db``), stdlib :mod:`sqlite3`.

The database is one file, opened in WAL mode (readers never block the writer) with a busy
timeout (writers wait for each other instead of failing) and ``synchronous=FULL`` (a committed
transaction survives a crash of the machine, not only of the process); it is read through a
memory map and sorts in memory, for read-heavy work such as indicators. Every write transaction
starts with ``BEGIN IMMEDIATE``, so two processes never both read an envelope and then both
commit against it: budgets cannot be overspent, whatever the number of processes.

A file that is not an SQLite database, or an SQLite database of another application, is
refused with a clear :class:`~khuyencong.exceptions.StoreError` or
:class:`~khuyencong.exceptions.SchemaVersionError`.

>>> from khuyencong.storage import SQLiteStore
>>> with SQLiteStore(":memory:") as store:
...     store.schema_version
4
"""

from __future__ import annotations

import os
import sqlite3
from typing import Any, Literal

from khuyencong.exceptions import ConcurrencyError, StoreError
from khuyencong.storage import _schema as schema
from khuyencong.storage._sql import Cursor, Dialect, SqlStore, UniqueViolationError

__all__ = ["SQLiteStore"]

Synchronous = Literal["full", "normal", "extra"]

_MMAP_SIZE = 1 << 30
"""How much of the database file SQLite maps into memory for reading (address space only)."""


class _SQLiteDialect(Dialect):
    name = "sqlite"
    types = schema.SQLITE_TYPES
    begin = "BEGIN IMMEDIATE"

    def __init__(self, where: str) -> None:
        self.where = where

    def date(self, value: Any) -> object:
        return None if value is None else value.isoformat()

    def timestamp(self, value: Any) -> object:
        return value.isoformat()

    def translate(self, exc: BaseException) -> BaseException | None:
        if isinstance(exc, sqlite3.IntegrityError):
            if "UNIQUE" in str(exc) or "PRIMARY KEY" in str(exc):
                return UniqueViolationError(f"{self.where}: {exc}")
            return StoreError(f"{self.where}: a constraint refused the change: {exc}")
        if isinstance(exc, sqlite3.OperationalError) and (
            "locked" in str(exc) or "busy" in str(exc)
        ):
            return ConcurrencyError(
                f"{self.where}: another process held the database longer than the busy "
                f"timeout ({exc}); try again"
            )
        if isinstance(exc, sqlite3.Error):
            return StoreError(
                f"{self.where} cannot be used: {exc}; check that the path names a khuyencong "
                "SQLite database (or restore it from a backup)"
            )
        return None

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
        timeout: Seconds a writer waits for another one before giving up.
        synchronous: SQLite's ``synchronous`` setting; ``full`` (default) survives power
            loss, ``normal`` is faster and survives a crash of the process.

    Raises:
        StoreError: If the file cannot be opened or is not an SQLite database.
        SchemaVersionError: If it is another application's database, or a newer khuyencong one.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        url: str | None = None,
        timeout: float = 30.0,
        synchronous: Synchronous = "full",
    ) -> None:
        path = os.fspath(path)
        where = f"SQLite database {path}"
        dialect = _SQLiteDialect(where)
        if synchronous not in ("full", "normal", "extra"):
            msg = f"synchronous must be full, normal or extra, not {synchronous!r}"
            raise ValueError(msg)
        try:
            conn = sqlite3.connect(path, isolation_level=None, timeout=timeout)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open {where}: {exc}") from exc
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
                conn.execute(pragma)
        except sqlite3.Error as exc:
            conn.close()
            translated = dialect.translate(exc)
            raise (translated or exc) from exc
        super().__init__(url or f"sqlite:///{path}", conn, dialect, where)

    def __enter__(self) -> SQLiteStore:
        return self
