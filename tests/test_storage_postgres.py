"""The PostgreSQL store passes the storage conformance suite.

The server is found through ``KHUYENCONG_TEST_POSTGRES_URL``
(e.g. ``postgresql://postgres@127.0.0.1:5432/test``). Without it the tests are skipped on a
developer's machine, and fail in CI (when ``CI`` is set). Every test uses its own schema,
dropped afterwards, so parallel runs never collide.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import psycopg
import pytest
from psycopg import sql

from khuyencong.exceptions import SchemaVersionError
from khuyencong.storage import PostgresStore, Store, open_store
from khuyencong.testing.conformance import StoreConformance, sample_support_record

pytestmark = pytest.mark.postgres


def _server_url() -> str:
    url = os.environ.get("KHUYENCONG_TEST_POSTGRES_URL", "")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("KHUYENCONG_TEST_POSTGRES_URL must be set in CI: PostgreSQL is required")
        pytest.skip("set KHUYENCONG_TEST_POSTGRES_URL to run the PostgreSQL tests")
    return url


def _with_schema(url: str, schema: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}schema={schema}"


@pytest.fixture
def pg_schema() -> Iterator[tuple[str, str]]:
    """A fresh schema name and the server URL; the schema is dropped afterwards."""

    url = _server_url()
    name = f"kc_test_{os.getpid()}_{uuid.uuid4().hex[:10]}"
    yield url, name
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(name)))


class TestPostgresStore(StoreConformance):
    """The PostgreSQL store behaves like every other store."""

    @pytest.fixture
    def make_store(self, pg_schema: tuple[str, str]) -> Iterator[Store]:
        """A store in a fresh schema of the test server."""
        url, name = pg_schema
        store = open_store(_with_schema(url, name))
        yield store
        store.close()

    def test_is_postgres_with_bigint_money(self, store: Store) -> None:
        """Money columns are BIGINT and the data column is JSONB."""

        assert isinstance(store, PostgresStore)
        self.establish(store, 1)
        store.support_records.add(sample_support_record(1))
        url = os.environ["KHUYENCONG_TEST_POSTGRES_URL"]
        schema = store.url.rsplit("schema=", 1)[1]
        with psycopg.connect(url) as conn:
            types = dict(
                conn.execute(
                    "SELECT column_name, data_type FROM information_schema.columns "
                    "WHERE table_schema = %s AND table_name = 'support_records'",
                    [schema],
                ).fetchall()
            )
        assert types["local_amount"] == "bigint"
        assert types["data"] == "jsonb"
        assert types["day"] == "date"

    def test_audit_table_refuses_update(self, store: Store) -> None:
        """Even through raw SQL, the audit table refuses to be changed."""

        store.audit.append("note", "x", actor="a")
        schema = store.url.rsplit("schema=", 1)[1]
        with psycopg.connect(os.environ["KHUYENCONG_TEST_POSTGRES_URL"]) as conn:
            conn.execute(f'SET search_path TO "{schema}"')
            with pytest.raises(psycopg.Error, match="append-only"):
                conn.execute("DELETE FROM audit")
        assert len(store.audit) == 1


def test_foreign_schema_is_refused(pg_schema: tuple[str, str]) -> None:
    """A schema holding another application's tables is refused, and left untouched."""

    url, name = pg_schema
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE TABLE {}.invoices (id int)").format(sql.Identifier(name)))
    with pytest.raises(SchemaVersionError, match="not a khuyencong database"):
        open_store(_with_schema(url, name))


def test_newer_schema_is_refused(pg_schema: tuple[str, str]) -> None:
    """A khuyencong schema newer than the library is refused with SchemaVersionError."""

    url, name = pg_schema
    open_store(_with_schema(url, name)).close()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("UPDATE {}.meta SET value = '999' WHERE key = 'schema_version'").format(
                sql.Identifier(name)
            )
        )
    with pytest.raises(SchemaVersionError, match="newer"):
        open_store(_with_schema(url, name))
