"""The SQLite store passes the storage conformance suite, and keeps its file healthy."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from khuyencong.storage import SQLiteStore, Store, open_store
from khuyencong.testing.conformance import StoreConformance, sample_support_record


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
            assert "USING INDEX ix_support_records_day" in str(plan)
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
