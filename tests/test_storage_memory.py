"""The in-memory store passes the storage conformance suite."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from khuyencong.exceptions import StoreError
from khuyencong.messages import language
from khuyencong.storage import MemoryStore, Store, open_store
from khuyencong.testing.conformance import (
    StoreConformance,
    sample_project,
    sample_support_record,
)


class TestMemoryStore(StoreConformance):
    """The memory store behaves like every other store."""

    cross_process = False

    @pytest.fixture
    def make_store(self) -> Iterator[Store]:
        """A fresh memory store."""
        store = open_store("memory://")
        yield store
        store.close()

    def test_is_a_memory_store(self, store: Store) -> None:
        """``memory://`` opens the in-memory adapter, which reports the current schema."""
        assert isinstance(store, MemoryStore)
        assert store.url == "memory://"

    def test_a_damaged_row_is_a_store_error(self, store: Store) -> None:
        """A stored row that no longer decodes gives StoreError from get and find, never a
        raw JSONDecodeError, and the integrity check names it."""
        self.establish(store, 1)
        store.support_records.add(sample_support_record(1))
        assert isinstance(store, MemoryStore)
        store.support_records._rows["SR-000001"].data = '{"id": "SR-000001", "establ'
        with pytest.raises(StoreError):
            store.support_records.get("SR-000001")
        with pytest.raises(StoreError):
            store.support_records.find()
        assert len(store.check_integrity()) == 1

    def test_the_integrity_check_reports_orphans(self, store: Store) -> None:
        """A record naming an establishment the store does not hold, left by an older
        version, is reported by check_integrity (a report must not count it)."""
        self.establish(store, 1)
        store.support_records.add(sample_support_record(1))
        assert isinstance(store, MemoryStore)
        del store.establishments._rows["E-1"]  # as an older version could have left it
        problems = store.check_integrity()
        assert len(problems) == 1
        assert "SR-000001" in problems[0]
        assert "E-1" in problems[0]

    def test_the_integrity_check_reports_records_of_missing_projects(self, store: Store) -> None:
        """A record naming a project the store no longer holds is reported, naming both."""
        self.establish(store, 1)
        store.projects.add(sample_project())
        store.support_records.add(sample_support_record(1, project_id="P-1"))
        assert isinstance(store, MemoryStore)
        del store.projects._rows["P-1"]  # as an older version could have left it
        with language("en"):
            problems = store.check_integrity()
        assert problems == [
            "support record SR-000001: project_id names project P-1, which the store does not hold"
        ]
