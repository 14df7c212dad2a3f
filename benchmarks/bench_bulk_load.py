"""Benchmark: bulk load of support records into SQLite, 10k → 100k (→ 1M), against raw sqlite3.

At each size the same records (those of ``bench_indicators.py``) are loaded into a fresh file:

- library: ``store_dataset`` into ``open_store("sqlite:///…")`` (serialising each record with
  the converter and inserting in one unit of work; the store's defaults: WAL, synchronous
  FULL), timed from the open store to the commit as the raw loads are;
- raw, best settings: the rows the library wrote (read back, so the very same values), with
  ``executemany`` into the same schema: one transaction, a 512 MiB page cache, the secondary
  indexes dropped before the load and built after it inside that transaction (same WAL and
  synchronous FULL);
- raw, naive: the same ``executemany`` with the indexes in place and the default cache (what
  "index maintenance" costs).

Prints seconds and µs per record at each size, and the ratio of the library to the best raw
load (goal of issue 13: ≤ 1.5×, cost per record flat from 10k to 1M). Asserts no time.

    .venv/bin/python benchmarks/bench_bulk_load.py            # 10k, 100k
    .venv/bin/python benchmarks/bench_bulk_load.py --full     # 10k, 100k, 1M
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

import common
from bench_indicators import make_data

from khuyencong.domain import Dataset
from khuyencong.storage import open_store, store_dataset

TABLE = "support_records"


def library_load(path: Path, data: Any) -> common.Clocked:
    """``store_dataset`` of the support records into a store already holding the establishments
    they name (loaded first, not timed: a record naming an unknown establishment is refused).

    Timed like the raw loads: from the open store to the commit (opening the file and closing
    it, which checkpoints the WAL, are outside the clock in both).
    """
    with open_store(f"sqlite:///{path}") as store:
        store_dataset(store, Dataset(establishments=data.establishments))
        with common.Clocked() as clock:
            store_dataset(store, Dataset(support_records=data.support_records))
    return clock


def rows_of(path: Path) -> tuple[list[str], list[tuple[Any, ...]]]:
    """The columns and rows of the support table as the library wrote them (insertion order)."""
    con = sqlite3.connect(path)
    cols = [r[1] for r in con.execute(f"PRAGMA table_info({TABLE})")]
    rows = con.execute(f"SELECT {', '.join(cols)} FROM {TABLE} ORDER BY rowid").fetchall()
    con.close()
    return cols, rows


def empty_schema(path: Path) -> None:
    """A fresh file with the library's schema (tables and indexes), empty."""
    open_store(f"sqlite:///{path}").close()


def raw_load(
    path: Path, cols: list[str], rows: list[tuple[Any, ...]], *, best: bool
) -> common.Clocked:
    empty_schema(path)
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA journal_mode = WAL")
    con.execute("PRAGMA synchronous = FULL")
    sql = f"INSERT INTO {TABLE} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
    indexes = [
        (name, ddl)
        for name, ddl in con.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
            "AND sql IS NOT NULL",
            (TABLE,),
        )
    ]
    clock = common.Clocked().__enter__()
    if best:
        con.execute("PRAGMA cache_size = -524288")  # 512 MiB
        con.execute("PRAGMA temp_store = MEMORY")
    con.execute("BEGIN IMMEDIATE")
    if best:
        for name, _ddl in indexes:
            con.execute(f"DROP INDEX {name}")
    con.executemany(sql, rows)
    if best:
        for _name, ddl in indexes:
            con.execute(ddl)
    con.execute("COMMIT")
    clock.__exit__()
    (count,) = con.execute(f"SELECT count(*) FROM {TABLE}").fetchone()
    assert count == len(rows)
    con.close()
    return clock


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = common.parser(__doc__)
    common.add_sizes(parser)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    sizes = common.chosen_sizes(args)
    out = []
    for n in sizes:
        t0 = time.perf_counter()
        data = make_data(n)
        print(f"{n:,}: generated in {time.perf_counter() - t0:.1f} s", flush=True)
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            lib = library_load(folder / "library.db", data)
            del data
            cols, rows = rows_of(folder / "library.db")
            best = raw_load(folder / "best.db", cols, rows, best=True)
            naive = raw_load(folder / "naive.db", cols, rows, best=False)
            del rows
        print(
            f"  library {lib.wall:.2f} s, raw best {best.wall:.2f} s, raw naive {naive.wall:.2f} s",
            flush=True,
        )
        out.append((n, lib, best, naive))

    def cells(n: int, c: common.Clocked) -> list[str]:
        return [common.seconds(c.wall), f"{c.wall / n * 1e6:.1f}", common.seconds(c.cpu)]

    rows_out = [
        [
            f"{n:,}",
            *cells(n, lib),
            *cells(n, best),
            *cells(n, naive),
            common.ratio(lib.wall, best.wall),
            common.ratio(lib.cpu, best.cpu),
        ]
        for n, lib, best, naive in out
    ]
    print()
    print("bulk load of support records into a fresh SQLite file (WAL, synchronous FULL)")
    print(common.load_note())
    headers = ["records"]
    for who in ("library", "raw best", "raw naive"):
        headers += [f"{who} wall", "µs/record", "CPU"]
    headers += ["library ÷ raw best (wall)", "(CPU)"]
    print(common.table(headers, rows_out))
    (n0, lib0, best0, _v0), (n1, lib1, best1, _v1) = out[0], out[-1]
    # CPU first: on a shared machine the wall clock swings with the other processes, and at
    # the smallest size it is mostly fixed costs.
    print(
        f"goal: library ≤ 1.5× raw best at {n1:,}: {lib1.cpu / best1.cpu:.2f}× CPU, "
        f"{lib1.wall / best1.wall:.2f}× wall (ours {lib1.cpu:.2f} s CPU; "
        f"peer {best1.cpu:.2f} s CPU)"
    )

    def per(n: int, c: common.Clocked) -> float:
        return c.cpu / n * 1e6

    print(
        f"goal: µs per record flat from {n0:,} to {n1:,} (growth ≤ 1.25×): "
        f"{per(n1, lib1) / per(n0, lib0):.2f}× CPU, "
        f"{(lib1.wall / n1) / (lib0.wall / n0):.2f}× wall "
        f"(ours {per(n0, lib0):.1f} → {per(n1, lib1):.1f} µs CPU; "
        f"peer {per(n0, best0):.1f} → {per(n1, best1):.1f} µs CPU)"
    )


if __name__ == "__main__":
    main()
