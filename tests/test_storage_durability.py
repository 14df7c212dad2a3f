"""Durability: a bulk import killed part-way leaves all or none of its batch, never damage."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from _figures import KILL_BATCH, KILL_RUNS_POSTGRES, KILL_RUNS_SQLITE
from _stores import postgres_url
from khuyencong.storage import open_store
from khuyencong.testing.conformance import sample_establishment

pytestmark = pytest.mark.slow

_CHILD = """
import sys
from khuyencong.storage import open_store
from khuyencong.testing.conformance import sample_support_record

url, first, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
records = [sample_support_record(n) for n in range(first, first + count)]
store = open_store(url)
print("ready", flush=True)
with store.unit_of_work() as uow:
    uow.support_records.add_many(records)
    uow.audit.append("import", f"batch:{first}", actor="importer")
print("done", flush=True)
"""

BATCH = KILL_BATCH


def _run_and_kill(url: str, first: int, delay: float) -> bool:
    """Start an import of one batch, kill it ``delay`` seconds after it is ready.

    Returns whether the child finished before the kill.
    """
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, url, str(first), str(BATCH)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "ready"
    time.sleep(delay)
    child.send_signal(signal.SIGKILL)
    rest = child.stdout.read()
    child.wait()
    child.stdout.close()
    return "done" in rest


def _kill_many_times(url: str, runs: int, seed: int) -> tuple[int, int]:
    rnd = random.Random(seed)
    expected = 0
    for run in range(runs):
        completed = _run_and_kill(url, 1 + run * BATCH, rnd.uniform(0.0, 0.3))
        with open_store(url) as store:
            count = store.support_records.count()
            batches = len(store.audit.entries(action="import"))
        assert count in (expected, expected + BATCH), f"run {run}: a partial batch ({count})"
        assert count == batches * BATCH
        if completed:
            assert count == expected + BATCH
        expected = count
    with open_store(url) as store:
        assert store.check_integrity() == []
    return expected // BATCH, runs - expected // BATCH


def test_sqlite_import_killed_is_all_or_none(tmp_path: Path) -> None:
    """Killing an SQLite bulk import with SIGKILL at random points never leaves half a batch."""
    path = tmp_path / "kc.db"
    with open_store(str(path)) as store:
        store.establishments.add(sample_establishment())  # the records' establishment
    kept, lost = _kill_many_times(f"sqlite:///{path}", runs=KILL_RUNS_SQLITE, seed=20250701)
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        conn.close()
    assert kept + lost == KILL_RUNS_SQLITE


@pytest.mark.postgres
def test_postgres_import_killed_is_all_or_none() -> None:
    """Killing a PostgreSQL bulk import with SIGKILL never leaves half a batch."""
    url = postgres_url()
    name = f"kc_test_{os.getpid()}_{uuid.uuid4().hex[:10]}"
    store_url = f"{url}{'&' if '?' in url else '?'}schema={name}"
    try:
        with open_store(store_url) as store:
            store.establishments.add(sample_establishment())  # the records' establishment
        kept, lost = _kill_many_times(store_url, runs=KILL_RUNS_POSTGRES, seed=34)
        assert kept + lost == KILL_RUNS_POSTGRES
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(name)))
