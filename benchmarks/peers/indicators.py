"""Indicators over N support records: the library (in memory, SQLite) against Polars and DuckDB.

The three indicators of issue 13 over the phase 2017–2020: establishments supported by
content group (``supported_by_content``: direct contents, each establishment once per group),
public money by fund and year (``funds_disbursed`` broken down by fund and year) and persons
trained (``trainees``). Computed by:

- the library in memory: a ``RecordSet`` over the records (its column build counted; and
  again warm, columns built);
- the library's SQLite pushdown: a store opened with ``open_store("sqlite:///…")``, loaded with
  the library's bulk import (``store_dataset``; the load is not counted), and
  ``source_for(store)``;
- the library's columnar engine (``ColumnarSource``, the ``columnar`` extra: Polars) over the
  same ``RecordSet``: cold (its Polars columns built from the records, counted) and warm
  (columns built);
- Polars and DuckDB over the same records as columns, in memory (the frame or table already
  built) and from a Parquet file (reading it counted); and DuckDB cold, its table built from
  the same objects (read column by column, handed over through Arrow) counted.

Every engine's figures must equal the library's (the run fails otherwise); the table gives
medians of ``--runs`` runs (wall, and the process's CPU time: Polars and DuckDB use threads)
and the ratio of each to DuckDB in memory (wall). The records are those of
``benchmarks/bench_indicators.py``. Never asserts a time.

    /work/venv-bench/bin/python benchmarks/peers/indicators.py --n 1000000
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/

import common
from bench_indicators import make_data

from khuyencong.domain import ContentGroup, Dataset, Period, SupportContent
from khuyencong.indicators import (
    COLLECTIVE_CONTENTS,
    STANDARD_INDICATORS,
    Breakdown,
    ColumnarSource,
    Dimension,
    IndicatorSource,
    RecordSet,
    compute,
    source_for,
)
from khuyencong.storage import open_store, store_dataset

PHASE = Period.phase(2017, 2020)
DIRECT = sorted(c.value for c in SupportContent if c not in COLLECTIVE_CONTENTS)
TRAINING = sorted(c.value for c in SupportContent if c.group is ContentGroup.TRAINING)
Figures = dict[str, tuple[int, dict[str, int]]]


def ours(source: IndicatorSource, period: Period = PHASE, *, trainees: bool = True) -> Figures:
    """The indicators through ``khuyencong.indicators.compute`` (no drill-down): establishments
    by content group, public money by fund and year, and (``trainees``) persons trained.

    The harness uses the first two over its eligible applications."""
    by_group = compute(
        STANDARD_INDICATORS["supported_by_content"], source, period, drill_down=False
    )
    funds = compute(
        STANDARD_INDICATORS["funds_disbursed"],
        source,
        period,
        by=[Breakdown.of(Dimension.FUND), Breakdown.of(Dimension.YEAR)],
        drill_down=False,
    )
    out: Figures = {
        "supported_by_content": (by_group.value, {"|".join(f.key): f.value for f in by_group.rows}),
        "funds_disbursed": (funds.value, {"|".join(f.key): f.value for f in funds.rows}),
    }
    if trainees:
        trained = compute(STANDARD_INDICATORS["trainees"], source, period, drill_down=False)
        out["trainees"] = (trained.value, {})
    return out


def columns(data: RecordSet) -> dict[str, list[Any]]:
    """The records as plain columns (what an analyst exports for Polars or DuckDB)."""
    s = data.support_records
    return {
        "est": [r.establishment_id for r in s],
        "content": [r.content.value for r in s],
        "content_group": [r.content.group.value for r in s],
        "day": [r.delivered_on for r in s],
        "national": [r.national_amount for r in s],
        "local": [r.local_amount for r in s],
        "trainees": [r.trainees for r in s],
    }


def by_polars(df: Any) -> Figures:
    import polars as pl  # noqa: PLC0415

    d = df.filter(pl.col("day").is_between(PHASE.start, PHASE.end)).with_columns(
        pl.col("day").dt.year().cast(pl.String).alias("year")
    )
    direct = d.filter(pl.col("content").is_in(DIRECT))
    groups = direct.group_by("content_group").agg(pl.col("est").n_unique().alias("n"))
    national = (
        d.filter(pl.col("national") > 0).group_by("year").agg(pl.col("national").sum().alias("v"))
    )
    local = d.filter(pl.col("local") > 0).group_by("year").agg(pl.col("local").sum().alias("v"))
    neither = d.filter((pl.col("national") == 0) & (pl.col("local") == 0)).select("year").unique()
    funds = {f"national|{y}": int(v) for y, v in national.iter_rows()}
    funds |= {f"local|{y}": int(v) for y, v in local.iter_rows()}
    funds |= {f"none|{y}": 0 for (y,) in neither.iter_rows()}
    trained = d.filter(pl.col("content").is_in(TRAINING)).select(pl.col("trainees").sum()).item()
    return {
        "supported_by_content": (
            int(direct.select(pl.col("est").n_unique()).item()),
            {g: int(n) for g, n in groups.iter_rows()},
        ),
        "funds_disbursed": (
            int(d.select(pl.col("national") + pl.col("local")).sum().item()),
            funds,
        ),
        "trainees": (int(trained or 0), {}),
    }


def by_duckdb(con: Any, table: str) -> Figures:
    """The same figures in SQL over ``table`` (a table, or ``read_parquet('…')``)."""
    period = f"day BETWEEN DATE '{PHASE.start}' AND DATE '{PHASE.end}'"
    direct = ", ".join(f"'{c}'" for c in DIRECT)
    training = ", ".join(f"'{c}'" for c in TRAINING)
    d = f"(SELECT *, CAST(year(day) AS VARCHAR) AS yr FROM {table} WHERE {period})"
    total_est = con.execute(
        f"SELECT count(DISTINCT est) FROM {d} WHERE content IN ({direct})"
    ).fetchone()[0]
    groups = con.execute(
        f"SELECT content_group, count(DISTINCT est) FROM {d} "
        f"WHERE content IN ({direct}) GROUP BY content_group"
    ).fetchall()
    funds = con.execute(
        f"SELECT 'national', yr, sum(national) FROM {d} WHERE national > 0 GROUP BY yr "
        f"UNION ALL SELECT 'local', yr, sum(local) FROM {d} WHERE local > 0 GROUP BY yr "
        f"UNION ALL SELECT 'none', yr, 0 FROM {d} WHERE national = 0 AND local = 0 GROUP BY yr"
    ).fetchall()
    money = con.execute(f"SELECT sum(national + local) FROM {d}").fetchone()[0]
    trained = con.execute(
        f"SELECT sum(trainees) FROM {d} WHERE content IN ({training})"
    ).fetchone()[0]
    return {
        "supported_by_content": (int(total_est), {g: int(n) for g, n in groups}),
        "funds_disbursed": (int(money), {f"{f}|{y}": int(v) for f, y, v in funds}),
        "trainees": (int(trained or 0), {}),
    }


def arrow_table(data: RecordSet) -> Any:
    """The records' columns as an Arrow table (how the peers are handed the records)."""
    import pyarrow as pa  # noqa: PLC0415

    cols = columns(data)
    return pa.table(
        {
            "est": pa.array(cols["est"], pa.string()),
            "content": pa.array(cols["content"], pa.string()),
            "content_group": pa.array(cols["content_group"], pa.string()),
            "day": pa.array(cols["day"], pa.date32()),
            "national": pa.array(cols["national"], pa.int64()),
            "local": pa.array(cols["local"], pa.int64()),
            "trainees": pa.array(cols["trainees"], pa.int64()),
        }
    )


def duckdb_from_records(data: RecordSet) -> Figures:
    """DuckDB cold: the records' columns read from the objects, handed over through Arrow into
    a table, then the same queries (what ``ColumnarSource`` pays cold, for the peer)."""
    import duckdb  # noqa: PLC0415

    con = duckdb.connect()
    con.register("arrow_records", arrow_table(data))
    con.execute("CREATE TABLE records AS SELECT * FROM arrow_records")
    con.unregister("arrow_records")
    try:
        return by_duckdb(con, "records")
    finally:
        con.close()


def timed(runs: int, fn: Callable[[], Figures]) -> tuple[float, float, Figures]:
    """The median wall and CPU seconds of ``runs`` calls, and the figures."""
    times, cpu, result = [], [], None
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        result = fn()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    assert result is not None
    return common.median(times), common.median(cpu), result


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = common.parser(__doc__)
    parser.add_argument(
        "--n", type=int, default=200_000, help="support records (default 200000; issue: 1000000)"
    )
    parser.add_argument("--runs", type=int, default=3, help="runs per engine (median)")
    parser.add_argument("--no-sqlite", action="store_true", help="skip the SQLite store")
    parser.add_argument(
        "--no-memory", action="store_true", help="skip the library's in-memory record set"
    )
    parser.add_argument("--data-dir", type=Path, help="keep the SQLite file and Parquet here")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    import duckdb  # noqa: PLC0415
    import polars as pl  # noqa: PLC0415
    import pyarrow.parquet as pq  # noqa: PLC0415

    t0 = time.perf_counter()
    data = make_data(args.n)
    print(f"generated {args.n:,} support records in {time.perf_counter() - t0:.1f} s", flush=True)
    print(common.load_note(), flush=True)
    results: dict[str, tuple[float, float, Figures]] = {}

    def records() -> RecordSet:
        return RecordSet(establishments=data.establishments, support_records=data.support_records)

    if not args.no_memory:
        results["khuyencong in memory (column build counted)"] = timed(
            args.runs, lambda: ours(records())
        )
        warm = records()
        ours(warm)
        results["khuyencong in memory (columns built)"] = timed(args.runs, lambda: ours(warm))
        print("library in memory done", flush=True)
    results["khuyencong columnar (frames built from the records counted)"] = timed(
        args.runs, lambda: ours(ColumnarSource(records()))
    )
    frames = ColumnarSource(records())
    ours(frames)
    results["khuyencong columnar (frames built)"] = timed(args.runs, lambda: ours(frames))
    print("library columnar done", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.data_dir or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        if not args.no_sqlite:
            db = folder / f"indicators-{args.n}.db"
            fresh = not db.exists()
            t0 = time.perf_counter()
            with open_store(f"sqlite:///{db}") as store:
                if fresh:
                    store_dataset(
                        store,
                        Dataset(
                            establishments=data.establishments, support_records=data.support_records
                        ),
                    )
                load = time.perf_counter() - t0
                print(
                    f"SQLite store {'loaded' if fresh else 'reused'} in {load:.1f} s "
                    "(store_dataset; not counted)",
                    flush=True,
                )
                source = source_for(store)
                results["khuyencong SQLite pushdown"] = timed(args.runs, lambda: ours(source))
        arrow = arrow_table(data)
        parquet = folder / f"support-{args.n}.parquet"
        pq.write_table(arrow, parquet)
        df = pl.from_arrow(arrow)
        results["Polars in memory"] = timed(args.runs, lambda: by_polars(df))
        results["Polars from Parquet"] = timed(
            args.runs, lambda: by_polars(pl.read_parquet(parquet))
        )
        con = duckdb.connect()
        con.register("arrow_records", arrow)
        con.execute("CREATE TABLE records AS SELECT * FROM arrow_records")
        con.unregister("arrow_records")
        results["DuckDB in memory"] = timed(args.runs, lambda: by_duckdb(con, "records"))
        results["DuckDB from Parquet"] = timed(
            args.runs, lambda: by_duckdb(con, f"read_parquet('{parquet}')")
        )
        con.close()
        results["DuckDB (table built from the records counted)"] = timed(
            args.runs, lambda: duckdb_from_records(data)
        )
    first = "khuyencong in memory (column build counted)"
    reference = results[first if first in results else next(iter(results))][2]
    duck = results["DuckDB in memory"][0]
    rows = [
        [
            name,
            common.seconds(t),
            common.seconds(cpu),
            common.ratio(t, duck),
            "yes" if figs == reference else "NO",
        ]
        for name, (t, cpu, figs) in results.items()
    ]
    print()
    print(
        f"3 indicators over {args.n:,} support records, phase 2017–2020, "
        f"median of {args.runs} runs (DuckDB {duckdb.__version__}, Polars {pl.__version__})"
    )
    print(
        common.table(
            ["engine", "wall", "CPU", "wall ratio to DuckDB in memory", "same figures"], rows
        )
    )
    print(common.load_note())
    goals = (
        "khuyencong in memory (column build counted)",
        "khuyencong in memory (columns built)",
        "khuyencong SQLite pushdown",
        "khuyencong columnar (frames built from the records counted)",
        "khuyencong columnar (frames built)",
    )
    for name in goals:
        if name in results:
            ours_s = results[name][0]
            print(
                f"goal: {name} ≤ 3× DuckDB: {common.ratio(ours_s, duck)} "
                f"(ours {common.seconds(ours_s)}; peer {common.seconds(duck)})"
            )
    cold = results.get("khuyencong columnar (frames built from the records counted)")
    duck_cold = results.get("DuckDB (table built from the records counted)")
    if cold and duck_cold:
        print(
            "on the same footing (each building its columns from the records): columnar "
            f"{common.seconds(cold[0])} ÷ DuckDB {common.seconds(duck_cold[0])} = "
            f"{common.ratio(cold[0], duck_cold[0])} wall, {common.ratio(cold[1], duck_cold[1])} CPU"
        )
    print(f"figures: {common.canonical(reference)[:300]}…")
    if any(figs != reference for _t, _c, figs in results.values()):
        for name, (_t, _c, figs) in results.items():
            if figs != reference:
                print(f"  {name}: {common.canonical(figs)[:300]}")
        print("FAIL: the engines' figures differ")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
