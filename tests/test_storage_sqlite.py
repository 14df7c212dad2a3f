"""The SQLite store passes the storage conformance suite, and keeps its file healthy."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import cast

import pytest

from _figures import BOUND_SUM_RECORDS
from khuyencong.domain import MAX_DONG, Fund, Period
from khuyencong.exceptions import DuplicateIdError, StoreError
from khuyencong.indicators import STANDARD_INDICATORS, Breakdown, Dimension, compute, source_for
from khuyencong.messages import language
from khuyencong.messages import text as message
from khuyencong.storage import SQLiteStore, Store, open_store
from khuyencong.storage import _sql as sql_module
from khuyencong.storage import _sqlite as sqlite_module
from khuyencong.testing.conformance import (
    StoreConformance,
    sample_envelope,
    sample_establishment,
    sample_project,
    sample_support_record,
)


class TestSQLiteStore(StoreConformance):
    """The SQLite store behaves like every other store."""

    @pytest.fixture
    def make_store(self, tmp_path: Path) -> Iterator[Store]:
        """A fresh SQLite file in a temporary directory."""
        store = open_store(f"sqlite:///{tmp_path}/kc.db")
        yield store
        store.close()

    def test_file_is_in_wal_mode_with_indexes(self, store: Store) -> None:
        """The database runs in WAL mode and answers period and unit queries from indexes."""
        assert isinstance(store, SQLiteStore)
        path = store.url.removeprefix("sqlite:///")
        with sqlite3.connect(path) as conn:
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            plan = conn.execute(
                "EXPLAIN QUERY PLAN SELECT data FROM support_records WHERE day BETWEEN ? AND ?",
                ["2019-01-01", "2019-12-31"],
            ).fetchall()
            # The covering index begins with the day (schema version 5 dropped the day's own).
            assert "USING INDEX ix_support_records_indicators" in str(plan)
            plan = conn.execute(
                "EXPLAIN QUERY PLAN SELECT data FROM support_records "
                "WHERE map_id = ? AND province_code = ?",
                ["2021-11", "24"],
            ).fetchall()
            assert "ix_support_records_map_id_province_code" in str(plan)
        conn.close()

    def test_money_is_stored_as_integers(self, store: Store) -> None:
        """Amounts sit in INTEGER columns, never as floats."""
        self.establish(store, 1)
        store.support_records.add(sample_support_record(1, national_amount=7))
        path = store.url.removeprefix("sqlite:///")
        conn = sqlite3.connect(path)
        try:
            row = conn.execute(
                "SELECT typeof(national_amount), typeof(local_amount) FROM support_records"
            ).fetchone()
        finally:
            conn.close()
        assert row == ("integer", "integer")

    def test_audit_table_refuses_update_and_delete(self, store: Store) -> None:
        """Even through raw SQL, the audit table refuses to be changed or emptied."""
        store.audit.append("note", "x", actor="a")
        path = store.url.removeprefix("sqlite:///")
        conn = sqlite3.connect(path)
        try:
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                conn.execute("UPDATE audit SET actor = 'b'")
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                conn.execute("DELETE FROM audit")
        finally:
            conn.close()
        assert len(store.audit) == 1

    def test_a_damaged_row_is_a_store_error(self, store: Store) -> None:
        """A stored row whose JSON was cut short gives StoreError from get and find, never a
        raw JSONDecodeError, and the integrity check names it."""
        self.establish(store, 1)
        store.support_records.add(sample_support_record(1))
        with _raw(store) as conn:
            conn.execute('UPDATE support_records SET data = \'{"id": "SR-0\'')
        with pytest.raises(StoreError):
            store.support_records.get("SR-000001")
        with pytest.raises(StoreError):
            store.support_records.find()
        assert any("SR-000001" in p for p in store.check_integrity())

    def test_the_integrity_check_reports_orphans(self, store: Store) -> None:
        """A record naming an establishment the store does not hold (left by an older
        version, or written past the library) is reported by check_integrity."""
        self.establish(store, 1)
        store.support_records.add(sample_support_record(1))
        with _raw(store) as conn:
            conn.execute("PRAGMA foreign_keys = OFF")
            conn.execute("DELETE FROM establishments")
        problems = store.check_integrity()
        assert len(problems) == 1
        assert "SR-000001" in problems[0]
        assert "E-1" in problems[0]

    def test_the_integrity_check_reports_records_of_missing_projects(self, store: Store) -> None:
        """A record naming a project deleted past the library is reported, naming both."""
        self.establish(store, 1)
        store.projects.add(sample_project())
        store.support_records.add(sample_support_record(1, project_id="P-1"))
        with _raw(store) as conn:
            conn.execute("DELETE FROM projects")
        with language("en"):
            problems = store.check_integrity()
        assert problems == [
            "support record SR-000001: project_id names project P-1, which the store does not hold"
        ]

    def test_a_store_belongs_to_its_thread(self, store: Store) -> None:
        """Used from another thread, the store raises StoreError saying to open one per
        thread, and nothing is written."""
        env = sample_envelope()
        store.budgets.add_envelope(env)
        caught: list[BaseException] = []

        def other_thread() -> None:
            try:
                store.budgets.commit(env.key, "P-1", 10, actor="b")
            except BaseException as exc:  # reported below
                caught.append(exc)

        worker = threading.Thread(target=other_thread)
        worker.start()
        worker.join()
        assert len(caught) == 1
        assert isinstance(caught[0], StoreError)
        with language("en"):
            assert "thread" in str(
                StoreError(message("storage.other_thread", where="SQLite database x.db"))
            )
        assert store.budgets.committed(env.key) == 0

    def test_sums_of_amounts_at_the_bound_do_not_overflow(self, store: Store) -> None:
        """Indicator sums in SQL are exact however large: 9,300 records of 2 × 10^15 đồng in
        public money sum to 1.86 × 10^19 đồng, beyond SQLite's 64-bit integers."""
        self.establish(store, 1)
        n = BOUND_SUM_RECORDS
        store.support_records.add_many(
            sample_support_record(i, national_amount=MAX_DONG, local_amount=MAX_DONG)
            for i in range(n)
        )
        assert isinstance(store, SQLiteStore)
        source = source_for(store)
        period = Period.year(2019)
        funds = STANDARD_INDICATORS["funds_disbursed"]
        assert compute(funds, source, period).value == n * 2 * MAX_DONG
        by_fund = compute(funds, source, period, by=[Breakdown(Dimension.FUND)])
        assert (by_fund.get(Fund.NATIONAL), by_fund.get(Fund.LOCAL)) == (n * MAX_DONG,) * 2


def _indexes(path: str) -> list[tuple[str, str]]:
    with sqlite3.connect(path) as conn:
        found = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            "ORDER BY name"
        ).fetchall()
    conn.close()
    return found


class TestSQLiteBulkInsert:
    """A large batch into a small table builds the indexes after its rows, all or nothing."""

    @pytest.fixture
    def store(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SQLiteStore]:
        """A fresh store whose bulk path starts at 20 rows, with the establishment E-1."""
        monkeypatch.setattr(sqlite_module, "BULK_ROWS", 20)
        store = SQLiteStore(str(tmp_path / "kc.db"))
        store.establishments.add(sample_establishment(1))
        yield store
        store.close()

    def test_a_large_batch_keeps_every_index_and_answers_from_them(
        self, store: SQLiteStore
    ) -> None:
        """After a bulk insert the file has the same indexes, and queries find every row."""
        path = store.url.removeprefix("sqlite:///")
        before = _indexes(path)
        statements: list[str] = []
        store._conn.set_trace_callback(statements.append)
        store.support_records.add_many(sample_support_record(n) for n in range(1, 51))
        store._conn.set_trace_callback(None)
        assert any(s.startswith("DROP INDEX") for s in statements)
        assert _indexes(path) == before
        assert store.support_records.count(period=Period.year(2019)) == 50
        assert store.check_integrity() == []

    def test_a_duplicate_in_a_large_batch_leaves_rows_and_indexes_as_they_were(
        self, store: SQLiteStore
    ) -> None:
        """A refused batch writes no row and drops no index (the rebuild rolls back too)."""
        path = store.url.removeprefix("sqlite:///")
        before = _indexes(path)
        cache = store._conn.execute("PRAGMA cache_size").fetchone()[0]
        batch = [sample_support_record(n) for n in range(1, 51)] + [sample_support_record(7)]
        with pytest.raises(DuplicateIdError):
            store.support_records.add_many(batch)
        assert store.support_records.count() == 0
        assert _indexes(path) == before
        assert store._conn.execute("PRAGMA cache_size").fetchone()[0] == cache

    def test_a_batch_into_a_larger_table_updates_the_indexes(self, store: SQLiteStore) -> None:
        """A batch smaller than the table is inserted with its indexes in place, and found."""
        store.support_records.add_many(sample_support_record(n) for n in range(1, 61))
        statements: list[str] = []
        store._conn.set_trace_callback(statements.append)
        store.support_records.add_many(sample_support_record(n) for n in range(61, 91))
        store._conn.set_trace_callback(None)
        assert not any(s.startswith("DROP INDEX") for s in statements)
        assert store.support_records.count(establishment_id="E-1") == 90
        assert store.check_integrity() == []


class TestSQLitePagedReads:
    """Reading a whole table goes through it a page at a time, every object once, by id."""

    @pytest.fixture
    def store(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SQLiteStore]:
        """A store whose reads hold 3 rows at a time, with 2 establishments and 10 records."""
        monkeypatch.setattr(sql_module, "PAGE", 3)
        store = SQLiteStore(str(tmp_path / "kc.db"))
        store.establishments.add_many([sample_establishment(1), sample_establishment(2)])
        store.support_records.add_many(
            sample_support_record(n, establishment_id=f"E-{1 + n % 2}") for n in range(10, 0, -1)
        )
        yield store
        store.close()

    def test_iterating_reads_every_object_in_id_order_in_pages(self, store: SQLiteStore) -> None:
        """Iteration gives what ``find()`` gives, asking for one page after another."""
        statements: list[str] = []
        store._conn.set_trace_callback(statements.append)
        ids = [r.id for r in store.support_records]
        store._conn.set_trace_callback(None)
        assert ids == sorted(ids) == [r.id for r in store.support_records.find()]
        assert len(ids) == 10
        assert sum("LIMIT 3" in s for s in statements) == 4

    def test_pages_are_read_without_the_memory_map(self, store: SQLiteStore) -> None:
        """Each page is read with the map off (a mapped scan keeps the whole file resident),
        and the map is back on for every other query once the page is read."""
        statements: list[str] = []
        store._conn.set_trace_callback(statements.append)
        assert len(list(store.support_records)) == 10
        store._conn.set_trace_callback(None)
        pages = [i for i, s in enumerate(statements) if "LIMIT 3" in s]
        assert all(statements[i - 1] == "PRAGMA mmap_size = 0" for i in pages)
        assert store._conn.execute("PRAGMA mmap_size").fetchone()[0] == sqlite_module._MMAP_SIZE

    def test_a_filtered_find_is_one_statement_fetched_in_pages(self, store: SQLiteStore) -> None:
        """A filtered read is one statement fetched a page at a time, in id order, with the
        map off while it is read and on again after: pages by id would each read the whole
        range of an indexed condition again to sort it (a year of a million records: 46 s)."""
        statements: list[str] = []
        store._conn.set_trace_callback(statements.append)
        found = store.support_records.find(establishment_id="E-1")
        store._conn.set_trace_callback(None)
        assert [r.id for r in found] == [f"SR-{n:06d}" for n in range(1, 11) if n % 2 == 0]
        selects = [s for s in statements if s.startswith("SELECT data FROM support_records")]
        assert len(selects) == 1
        assert "LIMIT" not in selects[0]
        at = statements.index(selects[0])
        assert statements[at - 1] == "PRAGMA mmap_size = 0"
        assert store._conn.execute("PRAGMA mmap_size").fetchone()[0] == sqlite_module._MMAP_SIZE

    def test_a_period_read_gives_what_the_memory_store_gives(
        self, store: SQLiteStore, tmp_path: Path
    ) -> None:
        """A period over more rows than a page: the same records, in id order, as the memory
        store (the reference adapter) gives."""
        memory = open_store("memory://")
        memory.establishments.add_many([sample_establishment(1), sample_establishment(2)])
        memory.support_records.add_many(store.support_records.find())
        period = Period.year(sample_support_record(1).delivered_on.year)
        ours = store.support_records.find(period=period, establishment_id="E-2")
        assert len(ours) > 3  # more than a page
        assert ours == memory.support_records.find(period=period, establishment_id="E-2")
        assert [r.id for r in ours] == sorted(r.id for r in ours)

    def test_a_write_between_pages_is_allowed(self, store: SQLiteStore) -> None:
        """Each page is its own query: the loop may write to the store as it reads."""
        for r in store.support_records:
            if r.id == "SR-000002":
                store.support_records.add(sample_support_record(99, establishment_id="E-1"))
        assert store.support_records.count() == 11


@contextmanager
def _raw(store: Store) -> Iterator[sqlite3.Connection]:
    """A second, raw connection to a store's file, committing on exit."""
    conn = sqlite3.connect(store.url.removeprefix("sqlite:///"))
    try:
        yield conn
        conn.commit()
    finally:
        conn.close()


class TestInsertColumns:
    """Rows given column by column are stored as the same rows given one by one."""

    @pytest.mark.parametrize("count", [3, sqlite_module.BULK_ROWS])
    def test_none_is_stored_as_null_and_every_other_value_as_it_is(self, count: int) -> None:
        """A column holding values and ``None`` stores NULL for ``None`` (bound as an empty
        text through ``NULLIF``) and every value as it is, with its type; a column that also
        holds an empty text binds ``None`` itself, so that its empty texts stay texts. Both
        below and above the size where the indexes are rebuilt after the rows."""
        conn = sqlite3.connect(":memory:", isolation_level=None)
        conn.execute("CREATE TABLE t (id TEXT PRIMARY KEY, n INTEGER, day TEXT, note TEXT)")
        conn.execute("CREATE INDEX ix_t_n ON t (n)")
        dialect = sqlite_module._SQLiteDialect("test", ":memory:")
        base = [
            (f"r{i}", *[(1, None, ""), (None, "2020-01-02", None), (-5, None, "x")][i % 3])
            for i in range(count)
        ]
        values = [list(column) for column in zip(*base, strict=True)]
        cur = cast(sql_module.Cursor, conn.cursor())  # the protocol the store types it by
        cur.execute("BEGIN")
        dialect.insert_columns(cur, "t", ["id", "n", "day", "note"], values, count=count)
        cur.execute("COMMIT")
        stored = conn.execute(
            "SELECT id, n, day, note, typeof(n), typeof(day), typeof(note) FROM t ORDER BY rowid"
        ).fetchall()
        kinds = {int: "integer", str: "text", type(None): "null"}
        assert stored == [
            (*row, kinds[type(row[1])], kinds[type(row[2])], kinds[type(row[3])]) for row in base
        ]
        assert [r[1] for r in conn.execute("PRAGMA index_list(t)")].count("ix_t_n") == 1
