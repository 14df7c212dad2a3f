"""The PostgreSQL store passes the storage conformance suite.

The server is found through ``KHUYENCONG_TEST_POSTGRES_URL``
(e.g. ``postgresql://postgres@127.0.0.1:5432/test``). Without it the tests are skipped on a
developer's machine, and fail in CI (when ``CI`` is set). Every test uses its own schema,
dropped afterwards, so parallel runs never collide.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import uuid
from collections.abc import Iterator

import attrs
import psycopg
import pytest
from psycopg import sql

from _figures import PG_THREAD_COMMITS, PG_THREADS
from _stores import postgres_url
from khuyencong.domain import Period, SupportRecord
from khuyencong.exceptions import BudgetExceededError, SchemaVersionError, StoreError
from khuyencong.messages import language
from khuyencong.storage import SCHEMA_VERSION, PostgresStore, Store, open_store
from khuyencong.storage import _sql as sql_module
from khuyencong.testing.conformance import (
    StoreConformance,
    sample_envelope,
    sample_establishment,
    sample_support_record,
)

pytestmark = pytest.mark.postgres


def _with_schema(url: str, schema: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}schema={schema}"


@pytest.fixture
def pg_schema() -> Iterator[tuple[str, str]]:
    """A fresh schema name and the server URL; the schema is dropped afterwards."""

    url = postgres_url()
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
            types: dict[str, str] = dict(
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
    with language("en"), pytest.raises(SchemaVersionError, match="not a khuyencong database"):
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
    with language("en"), pytest.raises(SchemaVersionError, match="newer"):
        open_store(_with_schema(url, name))


def _record_indexes(url: str, schema: str) -> set[str]:
    """The names of the support records' indexes in ``schema``."""
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT indexname FROM pg_indexes WHERE schemaname = %s "
            "AND tablename = 'support_records'",
            [schema],
        ).fetchall()
    return {str(r[0]) for r in rows}


def _at_older_version(
    url: str, schema: str, version: int, index: str, columns: str
) -> list[SupportRecord]:
    """Three support records (delivered in 2020, 2021, 2022) in a new store in ``schema``,
    then the store put back at ``version`` with the support records' index ``index`` on
    ``columns`` that a later step drops; the records, in id order."""
    records = [
        attrs.evolve(sample_support_record(i), delivered_on=dt.date(2019 + i, 5, 1))
        for i in (1, 2, 3)
    ]
    with open_store(_with_schema(url, schema)) as store:
        store.establishments.add(sample_establishment(1))
        store.support_records.add_many(records)
    at = sql.Identifier(schema)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("CREATE INDEX {} ON {}.support_records ({})").format(
                sql.Identifier(index), at, sql.SQL(columns)
            )
        )
        conn.execute(
            sql.SQL("UPDATE {}.meta SET value = {} WHERE key = 'schema_version'").format(
                at, sql.Literal(str(version))
            )
        )
    return records


def test_version_4_schema_drops_the_redundant_day_index(pg_schema: tuple[str, str]) -> None:
    """A schema at version 4 (the current tables plus the support records' index on the day)
    is migrated to the current version on open: that index is dropped, the records are kept,
    and a period is still found."""

    url, name = pg_schema
    records = _at_older_version(url, name, 4, "ix_support_records_day", "day")

    before = _record_indexes(url, name)
    period = Period(dt.date(2021, 1, 1), dt.date(2022, 12, 31))
    with open_store(_with_schema(url, name)) as store:
        assert store.schema_version == SCHEMA_VERSION == 6
        assert store.check_integrity() == []
        assert store.support_records.find() == records
        assert store.support_records.find(period=period) == records[1:]
    assert before - _record_indexes(url, name) == {"ix_support_records_day"}
    assert "ix_support_records_indicators" in _record_indexes(url, name)


def test_version_5_schema_drops_the_content_day_index(pg_schema: tuple[str, str]) -> None:
    """A schema at version 5 (the current tables plus the support records' index on the
    content and the day) is migrated to version 6 on open: that index is dropped and nothing
    else, the records are kept, and a content is still found, alone and with a period."""

    url, name = pg_schema
    records = _at_older_version(url, name, 5, "ix_support_records_content_day", "content, day")

    before = _record_indexes(url, name)
    content = records[0].content
    period = Period(dt.date(2021, 1, 1), dt.date(2022, 12, 31))
    with open_store(_with_schema(url, name)) as store:
        assert store.schema_version == SCHEMA_VERSION == 6
        assert store.check_integrity() == []
        assert store.support_records.find(content=content) == records
        assert store.support_records.find(content=content, period=period) == records[1:]
    assert before - _record_indexes(url, name) == {"ix_support_records_content_day"}
    assert "ix_support_records_indicators" in _record_indexes(url, name)


class TestPostgresOnly:
    """What only the PostgreSQL store has to get right: threads, URLs, sessions."""

    def test_a_store_shared_by_two_threads_refuses_the_second(
        self, pg_schema: tuple[str, str]
    ) -> None:
        """A commitment made from another thread than the store's is refused at once with
        StoreError (it used to join the first thread's transaction and be rolled back after
        being reported as done); the first thread's work is unaffected."""
        url, name = pg_schema
        with open_store(_with_schema(url, name)) as store:
            env = sample_envelope(total=1_000)
            store.budgets.add_envelope(env)
            caught: list[BaseException] = []
            done: list[int] = []

            def officer_b() -> None:
                try:
                    store.budgets.commit(env.key, "P-B", 300, actor="b")
                    done.append(300)
                except BaseException as exc:  # reported below
                    caught.append(exc)

            with store.unit_of_work() as uow:
                uow.budgets.commit(env.key, "P-A", 200, actor="a")
                worker = threading.Thread(target=officer_b)
                worker.start()
                worker.join()
            assert done == []
            assert [type(e) for e in caught] == [StoreError]
            assert store.budgets.committed(env.key) == 200
            assert [c.project_id for c in store.budgets.commitments()] == ["P-A"]

    @pytest.mark.slow
    def test_a_store_per_thread_loses_no_commitment(self, pg_schema: tuple[str, str]) -> None:
        """Sixteen threads, each with its own store, commit 25 times each against one
        envelope: nothing is overspent and every commitment reported done is stored."""
        url, name = pg_schema
        store_url = _with_schema(url, name)
        with open_store(store_url) as store:
            env = sample_envelope(total=80_000)
            store.budgets.add_envelope(env)
        done: list[int] = []
        refused: list[int] = []
        failures: list[BaseException] = []
        lock = threading.Lock()

        def officer(n: int) -> None:
            try:
                with open_store(store_url) as mine:
                    for i in range(PG_THREAD_COMMITS):
                        amount = 200 + 10 * ((n + i) % 7)
                        try:
                            mine.budgets.commit(env.key, f"P-{n}-{i}", amount, actor=f"o{n}")
                        except BudgetExceededError:
                            with lock:
                                refused.append(amount)
                        else:
                            with lock:
                                done.append(amount)
            except BaseException as exc:  # reported below
                failures.append(exc)

        threads = [threading.Thread(target=officer, args=(n,)) for n in range(PG_THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert failures == []
        assert len(done) + len(refused) == PG_THREADS * PG_THREAD_COMMITS
        assert refused  # demand (92,000) exceeded the envelope
        with open_store(store_url) as store:
            assert store.budgets.committed(env.key) == sum(done) <= env.total
            stored = sorted(c.amount for c in store.budgets.commitments(envelope_key=env.key))
            assert stored == sorted(done)
            assert store.check_integrity() == []

    def test_url_parameters_keep_their_spaces(self, pg_schema: tuple[str, str]) -> None:
        """A libpq parameter with a space (``%20``) reaches the server with its space, not
        as a ``+``."""
        url, name = pg_schema
        sep = "&" if "?" in url else "?"
        with open_store(f"{url}{sep}application_name=kc%20report%202026&schema={name}") as store:
            assert isinstance(store, PostgresStore)
            (shown,) = store._one("SHOW application_name", [])
        assert shown == "kc report 2026"

    def test_a_read_only_session_reads_and_refuses_writes(self, pg_schema: tuple[str, str]) -> None:
        """Opened read-only, a store reads (a report) and refuses a write saying it is
        read-only; an empty schema is refused, and not created."""
        url, name = pg_schema
        with pytest.raises(StoreError):
            open_store(_with_schema(url, name), read_only=True)
        with psycopg.connect(url) as conn:
            found = conn.execute(
                "SELECT count(*) FROM information_schema.schemata WHERE schema_name = %s", [name]
            ).fetchone()
        assert found == (0,)
        with open_store(_with_schema(url, name)) as store:
            store.establishments.add(sample_establishment())
        with open_store(_with_schema(url, name), read_only=True) as store:
            assert store.establishments.count() == 1
            with language("en"), pytest.raises(StoreError, match="read_only=True") as info:
                store.establishments.add(sample_establishment(2))
            assert "file permissions" not in str(info.value)  # not a file's read-only state
            assert store.establishments.count() == 1

    def test_a_damaged_row_and_an_orphan_are_reported(self, pg_schema: tuple[str, str]) -> None:
        """A row whose JSON is not a record gives StoreError from get and find; a record whose
        establishment was deleted past the library is reported by check_integrity."""
        url, name = pg_schema
        with open_store(_with_schema(url, name)) as store:
            store.establishments.add(sample_establishment())
            store.support_records.add_many([sample_support_record(1), sample_support_record(2)])
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(name)))
                conn.execute(
                    """UPDATE support_records SET data = '{"id": 7}' WHERE id = 'SR-000001'"""
                )
                conn.execute("DELETE FROM establishments")
            with pytest.raises(StoreError):
                store.support_records.get("SR-000001")
            with pytest.raises(StoreError):
                store.support_records.find()
            problems = store.check_integrity()
        assert any("SR-000001" in p for p in problems)
        assert any("SR-000002" in p and "E-1" in p for p in problems)


class TestPostgresPagedReads:
    """Reading a whole table goes through a server-side cursor, a page at a time."""

    @pytest.fixture
    def store(self, pg_schema: tuple[str, str], monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
        """A store whose reads fetch 3 rows at a time, with 2 establishments and 10 records."""
        monkeypatch.setattr(sql_module, "PAGE", 3)
        url, name = pg_schema
        store = open_store(_with_schema(url, name))
        store.establishments.add_many([sample_establishment(1), sample_establishment(2)])
        store.support_records.add_many(
            sample_support_record(n, establishment_id=f"E-{1 + n % 2}") for n in range(10, 0, -1)
        )
        yield store
        store.close()

    def test_iterating_reads_every_object_in_id_order(self, store: Store) -> None:
        """Iteration gives what ``find()`` gives, in the stores' one id order."""
        ids = [r.id for r in store.support_records]
        assert ids == sorted(ids) == [r.id for r in store.support_records.find()]
        assert len(ids) == 10

    def test_a_filtered_find_and_a_read_inside_a_unit_of_work(self, store: Store) -> None:
        """Filters apply, and a read inside a unit of work sees that unit's own writes."""
        with store.unit_of_work() as uow:
            uow.support_records.add(sample_support_record(99, establishment_id="E-1"))
            found = uow.support_records.find(establishment_id="E-1")
            assert len(list(uow.support_records)) == 11
        expected = [f"SR-{n:06d}" for n in [*range(2, 11, 2), 99]]
        assert [r.id for r in found] == expected

    def test_a_read_left_half_way_leaves_the_store_usable(self, store: Store) -> None:
        """Stopping a read early closes its cursor; the store reads and writes as before."""
        reading = iter(store.support_records)
        assert next(reading).id == "SR-000001"
        del reading
        store.support_records.add(sample_support_record(99, establishment_id="E-1"))
        assert store.support_records.count() == 11
