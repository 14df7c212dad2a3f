"""Benchmark: 100,000 support records written and read back through each store, against raw.

For each adapter the same records are written with ``add_many`` (one unit of work) and read
back with ``find()``; in the same run the same rows (already serialised) go through raw
``sqlite3`` ``executemany``/``fetchall`` into an identical schema (same table, same indexes),
and, when ``KHUYENCONG_TEST_POSTGRES_URL`` is set, through raw psycopg ``COPY``/``SELECT``.
The ratios show what the library adds: serialising with the one converter on write, and
building validated domain objects on read. It also prints the query plans of the period and
unit queries. It prints figures only and asserts nothing about time.

Run: ``python benchmarks/bench_storage.py [N]``.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import sqlite3
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import common

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from khuyencong.domain import Period, SupportContent, SupportRecord
from khuyencong.storage import SQLiteStore, open_store
from khuyencong.storage._common import to_json
from khuyencong.storage._records import SUPPORT_RECORDS
from khuyencong.testing.conformance import (
    COMMUNE,
    HANOI_COMMUNE,
    OTHER_COMMUNE,
    sample_establishment,
    sample_project,
)
from khuyencong.units import MapId, UnitRef

CONTENTS = list(SupportContent)
UNITS = [COMMUNE, OTHER_COMMUNE, HANOI_COMMUNE, None]


def records(n: int) -> list[SupportRecord]:
    """``n`` varied support records over 2015–2024."""
    start = dt.date(2015, 1, 1)
    return [
        SupportRecord(
            id=f"SR-{i:07d}",
            establishment_id=f"E-{i % 5000}",
            content=CONTENTS[i % len(CONTENTS)],
            delivered_on=start + dt.timedelta(days=i % 3650),
            national_amount=(i % 3) * 10_000_000,
            local_amount=50_000_000 + i,
            co_funding=20_000_000,
            participants=i % 40,
            project_id=f"P-{i % 700}",
            lead_agency="Trung tâm Khuyến công",
            location=UNITS[i % len(UNITS)],
            note="Hỗ trợ máy móc",
        )
        for i in range(n)
    ]


def establish(store: Any) -> None:
    """The 5,000 establishments and 700 projects the records name (a store refuses orphans);
    not timed."""
    store.establishments.add_many(sample_establishment(n) for n in range(5000))
    store.projects.add_many(sample_project(n) for n in range(700))


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    """Seconds taken by ``fn`` and its result."""
    t = time.perf_counter()
    result = fn()
    return time.perf_counter() - t, result


def raw_rows(recs: list[SupportRecord]) -> list[tuple[Any, ...]]:
    """The rows the SQLite adapter writes, prepared in advance (what 'raw' inserts)."""
    rows = []
    for r in recs:
        cols = list(SUPPORT_RECORDS.row(r))
        cols[0] = cols[0].isoformat()
        rows.append((r.id, *cols, to_json(r)))
    return rows


def best(k: int, fn: Callable[[], Any]) -> tuple[float, Any]:
    """Seconds taken by the quickest of ``k`` runs of ``fn`` (reads are short and noisy).

    Each run includes a young-generation garbage collection after ``fn``: the store pauses the
    collector while it builds objects, and the collection it puts off belongs to the read.
    """

    def settled() -> Any:
        result = fn()
        gc.collect(1)
        return result

    runs = [timed(settled) for _ in range(k)]
    return min(t for t, _ in runs), runs[-1][1]


def line(label: str, store_s: float, raw_s: float, n: int, raw: str = "raw") -> None:
    """One printed comparison."""
    print(
        f"  {label:6} store {store_s:6.2f} s ({n / store_s:9,.0f}/s)   {raw} {raw_s:6.2f} s   "
        f"ratio {store_s / raw_s:5.2f}×"
    )


def bench_sqlite(recs: list[SupportRecord], tmp: Path) -> None:
    """SQLite store against raw sqlite3 executemany/fetchall into the same schema."""
    n = len(recs)
    print(f"SQLite (synchronous=FULL, WAL), {n:,} support records")
    store = open_store(f"sqlite:///{tmp}/store.db")
    establish(store)
    w, _ = timed(lambda: store.support_records.add_many(recs))
    got = store.support_records.find()
    assert got == recs  # the same records back, in id order
    del got

    SQLiteStore(tmp / "raw.db").close()  # the same schema and indexes, empty
    rows = raw_rows(recs)
    conn = sqlite3.connect(tmp / "raw.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA mmap_size = 1073741824")  # the settings the store uses, for fairness
    conn.execute("PRAGMA temp_store = MEMORY")
    cols = ["id", *(c.name for c in SUPPORT_RECORDS.columns), "data"]
    sql = f"INSERT INTO support_records ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"

    def raw_write() -> None:
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(sql, rows)
        conn.execute("COMMIT")

    rw, _ = timed(raw_write)
    select = "SELECT data FROM support_records ORDER BY id"  # the store's query for find()
    rr, texts = best(3, lambda: conn.execute(select).fetchall())
    rd, _ = best(3, lambda: [json.loads(t) for (t,) in conn.execute(select)])
    r, _ = best(3, store.support_records.find)
    print("  write: store add_many (serialise with the converter + insert) vs raw executemany")
    print("         of the same rows already serialised, into the same schema and indexes")
    line("write", w, rw, n)
    print(f"  read:  store find() vs raw {select!r} + fetchall (the JSON texts, not decoded)")
    print("         store find() = the same query + json decode + build validated objects")
    print("         (best of 3 runs each, each including the garbage collection it leaves)")
    line("read", r, rr, n)
    line("read", r, rd, n, "raw+json.loads")
    prep, _ = timed(lambda: raw_rows(recs))
    print(f"  (serialising the rows alone, which raw write is spared: {prep:.2f} s;")
    dec, _ = best(3, lambda: [json.loads(t) for (t,) in texts])
    print(f"   decoding the {n:,} JSON texts alone, which raw read is spared: {dec:.2f} s)")

    period = Period.year(2019)
    unit = UnitRef(MapId.MAP_2021, "24")
    qp, got = timed(lambda: store.support_records.find(period=period))
    qu, got_u = timed(lambda: store.support_records.find(unit=unit, period=period))
    print(
        f"  find(period=2019): {len(got):,} records in {qp * 1000:.0f} ms; "
        f"find(unit=Bắc Giang, period=2019): {len(got_u):,} in {qu * 1000:.0f} ms"
    )
    for label, query, params in (
        (
            "period",
            "SELECT data FROM support_records WHERE day BETWEEN ? AND ? ORDER BY id",
            ["2019-01-01", "2019-12-31"],
        ),
        (
            "unit",
            "SELECT data FROM support_records WHERE map_id = ? AND province_code = ? ORDER BY id",
            ["2021-11", "24"],
        ),
    ):
        plan = conn.execute(f"EXPLAIN QUERY PLAN {query}", params).fetchall()
        print(f"  plan ({label}): " + " | ".join(str(row[-1]) for row in plan))
    conn.close()
    store.close()


def bench_memory(recs: list[SupportRecord]) -> None:
    """The memory store (serialises through the converter like the others)."""
    store = open_store("memory://")
    establish(store)
    w, _ = timed(lambda: store.support_records.add_many(recs))
    r, _ = timed(store.support_records.find)
    print(f"Memory: write {w:.2f} s, read {r:.2f} s")


def bench_postgres(recs: list[SupportRecord], url: str) -> None:
    """PostgreSQL store against raw psycopg COPY/SELECT into the same schema."""
    import psycopg  # noqa: PLC0415
    from psycopg import sql  # noqa: PLC0415

    n = len(recs)
    print(f"PostgreSQL, {n:,} support records")
    names = [f"kc_bench_{uuid.uuid4().hex[:8]}", f"kc_bench_raw_{uuid.uuid4().hex[:8]}"]
    sep = "&" if "?" in url else "?"
    try:
        store = open_store(f"{url}{sep}schema={names[0]}")
        establish(store)
        w, _ = timed(lambda: store.support_records.add_many(recs))
        r, got = timed(store.support_records.find)
        assert len(got) == n
        store.close()
        open_store(f"{url}{sep}schema={names[1]}").close()
        rows = [(r.id, *SUPPORT_RECORDS.row(r), to_json(r)) for r in recs]
        cols = ["id", *(c.name for c in SUPPORT_RECORDS.columns), "data"]
        with psycopg.connect(url) as conn:
            conn.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(names[1])))

            def raw_write() -> None:
                with (
                    conn.cursor() as cur,
                    cur.copy(f"COPY support_records ({', '.join(cols)}) FROM STDIN") as copy,
                ):
                    for row in rows:
                        copy.write_row(row)
                conn.commit()

            rw, _ = timed(raw_write)
            rr, _ = timed(
                lambda: conn.execute(
                    'SELECT data FROM support_records ORDER BY id COLLATE "C"'
                ).fetchall()
            )
            line("write", w, rw, n)
            line("read", r, rr, n)
            for label, query in (
                (
                    "period",
                    (
                        "SELECT data FROM support_records WHERE day BETWEEN "
                        "'2019-01-01' AND '2019-12-31'"
                    ),
                ),
                (
                    "unit",
                    (
                        "SELECT data FROM support_records WHERE map_id = '2021-11' "
                        "AND province_code = '24'"
                    ),
                ),
            ):
                conn.execute("ANALYZE support_records")
                plan = conn.execute(f"EXPLAIN {query}").fetchall()
                print(f"  plan ({label}): " + " | ".join(row[0].strip() for row in plan))
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            for name in names:
                conn.execute(
                    sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(name))
                )


def main() -> None:
    """Run every benchmark and print the figures."""
    n = common.size_argument(__doc__, 100_000, "support records")
    recs = records(n)
    with tempfile.TemporaryDirectory() as tmp:
        bench_sqlite(recs, Path(tmp))
    bench_memory(recs)
    url = os.environ.get("KHUYENCONG_TEST_POSTGRES_URL")
    if url:
        bench_postgres(recs, url)
    else:
        print("PostgreSQL: skipped (set KHUYENCONG_TEST_POSTGRES_URL)")


if __name__ == "__main__":
    main()
