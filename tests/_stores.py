"""Where the tests' records live: in memory, or in an SQLite or PostgreSQL store.

Shared by the tests that run the same checks against every store (``test_example_bac_giang.py``
over the founding example, ``test_indicators_sql.py`` over drawn records) and by the storage
tests that need the PostgreSQL server. PostgreSQL is found
through ``KHUYENCONG_TEST_POSTGRES_URL``: without it its tests are skipped on a developer's
machine and fail in CI, where PostgreSQL is required. Each PostgreSQL user gets a schema of its
own, dropped afterwards.

(The tests run with ``--import-mode=importlib``; ``conftest.py`` puts this folder on the path.)
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from khuyencong.domain import Dataset
from khuyencong.indicators import IndicatorSource, source_for
from khuyencong.reports import load_example
from khuyencong.storage import SQLiteStore, Store, open_store, store_dataset
from khuyencong.storage._aggregate import SqlIndicatorSource

__all__ = ["RECORD_TABLES", "STORES", "PostgresSchema", "example_source", "postgres_url"]

RECORD_TABLES = (
    "establishments",
    "projects",
    "support_records",
    "fair_participations",
    "award_entries",
    "ocop_ratings",
)
"""The tables of the records, emptied between examples."""

STORES = ["memory", "sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
"""The parameters of a fixture that runs its checks against every store."""


def postgres_url() -> str:
    """The PostgreSQL server of the tests (skips the test without one, fails in CI)."""
    url = os.environ.get("KHUYENCONG_TEST_POSTGRES_URL", "")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("KHUYENCONG_TEST_POSTGRES_URL must be set in CI: PostgreSQL is required")
        pytest.skip("set KHUYENCONG_TEST_POSTGRES_URL to run the PostgreSQL tests")
    return url


class PostgresSchema:
    """A store in a fresh schema of the test server; :meth:`drop` removes it."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.schema = f"kc_test_ind_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        self.store_url = f"{url}{'&' if '?' in url else '?'}schema={self.schema}"
        """The URL of the store (what ``open_store`` and the command line take)."""
        self.store = open_store(self.store_url)

    def reset(self) -> None:
        """Empty the record tables."""
        tables = sql.SQL(", ").join(sql.Identifier(self.schema, t) for t in RECORD_TABLES)
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(sql.SQL("TRUNCATE {}").format(tables))

    def drop(self) -> None:
        """Close the store and drop its schema."""
        self.store.close()
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(self.schema))
            )


@contextmanager
def example_source(kind: str, folder: Path) -> Iterator[IndicatorSource]:
    """The Bắc Giang example as an indicator source: the in-memory record set (``memory``), or
    loaded through ``store_dataset`` into a store (``sqlite`` in ``folder``, ``postgresql``),
    whose source answers by SQL pushdown."""
    example = load_example()
    if kind == "memory":
        yield example
        return
    if kind == "sqlite":
        store: Store = SQLiteStore(folder / "bg.db", synchronous="normal")
        try:
            yield _pushdown(store, example.to_dataset())
        finally:
            store.close()
        return
    db = PostgresSchema(postgres_url())
    try:
        yield _pushdown(db.store, example.to_dataset())
    finally:
        db.drop()


def _pushdown(store: Store, dataset: Dataset) -> IndicatorSource:
    store_dataset(store, dataset)
    source = source_for(store)
    assert isinstance(source, SqlIndicatorSource)  # answered in SQL, not read into memory
    return source
