"""The in-memory store passes the storage conformance suite."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from khuyencong.storage import MemoryStore, Store, open_store
from khuyencong.testing.conformance import StoreConformance


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
