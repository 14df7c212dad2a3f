"""Benchmark: ``khuyencong import`` of support records from CSV against the library's bulk import.

N support records (those of ``bench_indicators.py``) are written as the import template's CSV
(``khuyencong.importing.write_csv``), then, each into a fresh SQLite file:

- ``khuyencong import --kind support_records FILE --store sqlite:///…``, the command in a fresh
  process (interpreter start and imports included), and without ``--store`` (validate only);
  the command runs with the library's modules compiled to bytecode, as a package installed by
  ``pip install`` has them (compiled once, before timing, into a bytecode folder of the run's
  own: ``common.bytecode_envs``); for the record, the same command also runs with the library
  compiled from source at each start, as a checkout runs under ``PYTHONDONTWRITEBYTECODE=1``
  (about 0.1 s more);
- the API in this process: ``khuyencong.importing.import_table`` (parse and validate every
  row), then ``khuyencong.storage.store_dataset`` of its objects;
- the library's bulk import of the same records, already built: ``store_dataset`` alone (the
  baseline of the goal).

The command reads a clean table by column (``khuyencong.importing.read_columns``) and stores it
with ``khuyencong.storage.store_columns``; ``import_table`` is the row-by-row reading it falls
back to on a problem.

Prints rows/s and the ratio of each to the bulk import (goal of issue 13: the command ≥ 50,000
rows/s and within 1.5× of the bulk import). Runs in the dev environment; asserts no time.

    .venv/bin/python benchmarks/bench_import.py --n 100000
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import common
from bench_indicators import make_data

from khuyencong.domain import Dataset
from khuyencong.importing import import_table, write_csv
from khuyencong.storage import open_store, store_dataset

CLI = "khuyencong import --store (CLI)"
CLI_SOURCE = "khuyencong import --store (CLI, library compiled at each start)"
BULK = "bulk import: store_dataset of built records"
VALIDATE = "khuyencong import, validate only (CLI)"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = common.parser(__doc__)
    parser.add_argument(
        "--n", type=int, default=20_000, help="CSV rows (default 20000; issue: 100000)"
    )
    parser.add_argument("--runs", type=int, default=1, help="runs of each (median; default 1)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    n = args.n
    t0 = time.perf_counter()
    data = make_data(n)
    records = data.support_records
    print(f"generated {n:,} support records in {time.perf_counter() - t0:.1f} s", flush=True)
    wall: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    rss: dict[str, list[float]] = {}

    def note(name: str, w: float, c: float, peak: float | None = None) -> None:
        wall.setdefault(name, []).append(w)
        cpu.setdefault(name, []).append(c)
        if peak is not None:
            rss.setdefault(name, []).append(peak)

    def fresh_store(path: Path) -> str:
        """A store holding the establishments the records name (records naming an unknown
        establishment are refused), not timed."""
        url = f"sqlite:///{path}"
        with open_store(url) as store:
            store_dataset(store, Dataset(establishments=data.establishments))
        return url

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        csv = folder / "support_records.csv"
        write_csv(records, csv, "support_records")
        print(f"CSV: {csv.stat().st_size / 2**20:.1f} MiB", flush=True)
        one_row = folder / "one_row.csv"
        one_row.write_text("\n".join(csv.read_text(encoding="utf-8").splitlines()[:2]) + "\n")
        imp = [*common.khuyencong_cli(), "import", "--kind", "support_records"]
        warm = iter(range(2))
        envs = common.bytecode_envs(
            folder,
            lambda: [*imp, str(one_row), "--store", fresh_store(folder / f"warm-{next(warm)}.db")],
        )
        for k in range(args.runs):
            cli = [*imp, str(csv)]
            for name, env in ((CLI, envs["compiled"]), (CLI_SOURCE, envs["source"])):
                db = folder / f"cli-{k}-{len(name)}.db"
                ran = common.run([*cli, "--store", fresh_store(db)], env=env)
                note(name, ran.wall, ran.cpu, ran.rss)
                with open_store(f"sqlite:///{db}") as store:
                    assert store.support_records.count() == n, "the command stored every row"
            ran = common.run(cli, env=envs["compiled"])
            note(VALIDATE, ran.wall, ran.cpu, ran.rss)

            with common.Clocked() as parsed:
                result = import_table(csv, "support_records")
            assert result.ok, result.problems[:3]
            assert len(result.objects) == n
            api = fresh_store(folder / f"api-{k}.db")
            with common.Clocked() as stored, open_store(api) as store:
                store_dataset(store, Dataset(support_records=result.objects))
            note("import_table (parse + validate)", parsed.wall, parsed.cpu)
            note(
                "import_table + store_dataset",
                parsed.wall + stored.wall,
                parsed.cpu + stored.cpu,
            )
            del result

            bulk_url = fresh_store(folder / f"bulk-{k}.db")
            with common.Clocked() as bulk, open_store(bulk_url) as store:
                store_dataset(store, Dataset(support_records=records))
            note(BULK, bulk.wall, bulk.cpu)
    med = {name: common.median(ts) for name, ts in wall.items()}
    med_cpu = {name: common.median(ts) for name, ts in cpu.items()}
    rows = [
        [
            name,
            common.seconds(t),
            common.seconds(med_cpu[name]),
            f"{n / t:,.0f}",
            common.ratio(t, med[BULK]),
            common.ratio(med_cpu[name], med_cpu[BULK]),
            common.mib(common.median(rss[name])) if name in rss else "(this process)",
        ]
        for name, t in med.items()
    ]
    print()
    print(f"{n:,} support records from CSV into a fresh SQLite store, median of {args.runs}")
    print(common.load_note())
    print(
        common.table(
            ["what", "wall", "CPU", "rows/s (wall)", "÷ bulk (wall)", "÷ bulk (CPU)", "peak RSS"],
            rows,
        )
    )
    ours_s, bulk_s = med[CLI], med[BULK]
    print(f"khuyencong import, validate only: {n / med[VALIDATE]:,.0f} rows/s (wall)")
    print(
        f"khuyencong import, library compiled at each start: {n / med[CLI_SOURCE]:,.0f} rows/s "
        f"wall, {n / med_cpu[CLI_SOURCE]:,.0f} CPU ({med_cpu[CLI_SOURCE] / med_cpu[BULK]:.2f}× "
        "the bulk import's CPU)"
    )
    print(
        f"goal: khuyencong import ≥ 50,000 rows/s: {n / ours_s:,.0f} rows/s wall, "
        f"{n / med_cpu[CLI]:,.0f} CPU (ours {ours_s:.2f} s for {n:,} rows; "
        f"peer bulk import {bulk_s:.2f} s)"
    )
    print(
        f"goal: khuyencong import ≤ 1.5× the bulk import: {ours_s / bulk_s:.2f}× wall, "
        f"{med_cpu[CLI] / med_cpu[BULK]:.2f}× CPU (ours {ours_s:.2f} s; peer {bulk_s:.2f} s)"
    )


if __name__ == "__main__":
    main()
