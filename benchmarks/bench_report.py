"""Benchmark: the report from a store, and reading N records, at growing sizes, with peak RSS.

At each size a SQLite store holds N support records and their establishments (those of
``bench_indicators.py``, one province; loaded with ``store_dataset``, not timed). Each figure
comes from a fresh process, with that process's own peak RSS:

- ``khuyencong report --store sqlite:///… --from 2017 --to 2020`` (the command, Markdown);
- ``compute_standard(source_for(store), phase)`` with drill-down on (what the report did
  before issue 13) and off (what it does now, unless ``build_report(..., drill_down=True)``):
  the cost of the record lists behind the figures;
- reading every support record: iterating ``store.support_records`` and ``find()``, against a
  plain loop over ``sqlite3`` rows (``json.loads`` of each record's JSON, streamed; and kept in
  a list of dicts, as a plain-loop analysis would).

Goals of issue 13: the report from a 1M-record store ≤ 5 s; reading streams so memory stays
flat; peak RSS at 1M no higher than the plain loop's. Asserts no time.

    .venv/bin/python benchmarks/bench_report.py               # 10k, 100k
    .venv/bin/python benchmarks/bench_report.py --full        # 10k, 100k, 1M
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import common

PHASE = (2017, 2020)
REPORT = "khuyencong report --store (CLI, whole process)"
WORKERS = {
    "compute, drill-down on": "compute-drill",
    "compute, drill-down off": "compute",
    "read: iterate store.support_records": "read-iter",
    "read: store.support_records.find()": "read-find",
    "read: plain sqlite3 + json.loads, streamed": "read-plain",
    "read: plain sqlite3 + json.loads, list of dicts": "read-plain-list",
}


def worker(kind: str, db: Path) -> None:
    """One measurement in this fresh process; prints a JSON line."""
    common.install_peak_hook()
    clock = common.Clocked().__enter__()
    total = 0
    if kind.startswith("compute"):
        from khuyencong.domain import Period  # noqa: PLC0415
        from khuyencong.indicators import compute_standard, source_for  # noqa: PLC0415
        from khuyencong.storage import open_store  # noqa: PLC0415

        with open_store(f"sqlite:///{db}") as store:
            results = compute_standard(
                source_for(store), Period.phase(*PHASE), drill_down=kind == "compute-drill"
            )
            total = results["establishments_supported"].value
    elif kind in ("read-iter", "read-find"):
        from khuyencong.storage import open_store  # noqa: PLC0415

        with open_store(f"sqlite:///{db}") as store:
            records = store.support_records
            rows = records if kind == "read-iter" else records.find()
            for r in rows:
                total += r.national_amount
    else:
        con = sqlite3.connect(db)
        cursor = con.execute("SELECT data FROM support_records ORDER BY id")
        if kind == "read-plain":
            for (text,) in cursor:
                total += json.loads(text)["national_amount"]
        else:
            dicts = [json.loads(text) for (text,) in cursor]
            total = sum(d["national_amount"] for d in dicts)
        con.close()
    clock.__exit__()
    print(json.dumps({"wall": clock.wall, "cpu": clock.cpu, "total": total}))


def build_store(db: Path, n: int) -> None:
    from bench_indicators import make_data  # noqa: PLC0415

    from khuyencong.domain import Dataset  # noqa: PLC0415
    from khuyencong.storage import open_store, store_dataset  # noqa: PLC0415

    t0 = time.perf_counter()
    data = make_data(n)
    partial = db.with_suffix(".part")
    with open_store(f"sqlite:///{partial}") as store:
        store_dataset(
            store, Dataset(establishments=data.establishments, support_records=data.support_records)
        )
    partial.rename(db)
    for suffix in ("-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    print(f"{n:,}: store built in {time.perf_counter() - t0:.1f} s (not counted)", flush=True)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = common.parser(__doc__)
    common.add_sizes(parser)
    parser.add_argument("--runs", type=int, default=1, help="fresh processes per figure (median)")
    parser.add_argument("--data-dir", type=Path, help="keep the stores here (reused)")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def measure(argv: list[str], runs: int, own: bool) -> tuple[float, float, float]:
    """Median wall and CPU seconds (the worker's own timing of its work when ``own``, else
    the whole process's) and peak RSS of ``runs`` fresh processes."""
    walls, cpus, peaks = [], [], []
    for _ in range(runs):
        ran = common.run(argv)
        if own:
            got = common.worker_json(ran.out)
            walls.append(got["wall"])
            cpus.append(got["cpu"])
        else:
            walls.append(ran.wall)
            cpus.append(ran.cpu)
        peaks.append(ran.rss)
    return common.median(walls), common.median(cpus), common.median(peaks)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.worker:
        worker(args.worker, args.db)
        return
    sizes = common.chosen_sizes(args)
    figures: dict[int, dict[str, tuple[float, float, float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.data_dir or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for n in sizes:
            db = folder / f"report-{n}.db"
            if not db.exists():
                build_store(db, n)
            here: dict[str, tuple[float, float, float]] = {}
            cmd = [*common.khuyencong_cli(), "report", "--store", f"sqlite:///{db}"]
            cmd += ["--from", str(PHASE[0]), "--to", str(PHASE[1])]
            here[REPORT] = measure(cmd, args.runs, own=False)
            for label, kind in WORKERS.items():
                here[label] = measure(
                    [sys.executable, __file__, "--worker", kind, "--db", str(db)],
                    args.runs,
                    own=True,
                )
            figures[n] = here
            for label, (wall, cpu, peak) in here.items():
                print(
                    f"  {n:>9,} {label:<50} {wall:7.2f} s wall {cpu:7.2f} s CPU {peak:8,.0f} MB",
                    flush=True,
                )
    labels = list(next(iter(figures.values())))
    headers = (
        ["what"]
        + [f"{n:,}: wall" for n in sizes]
        + [f"{n:,}: CPU" for n in sizes]
        + [f"{n:,}: peak RSS" for n in sizes]
    )
    rows = [
        [label]
        + [common.seconds(figures[n][label][0]) for n in sizes]
        + [common.seconds(figures[n][label][1]) for n in sizes]
        + [common.mib(figures[n][label][2]) for n in sizes]
        for label in labels
    ]
    print()
    print(f"report and reads from a SQLite store, phase {PHASE[0]}–{PHASE[1]}, fresh processes")
    print(common.load_note())
    print(common.table(headers, rows))
    big = sizes[-1]
    report_s, report_cpu, report_peak = figures[big][REPORT]
    print(
        f"goal: report from a {big:,}-record store ≤ 5 s: {report_cpu:.2f} s CPU "
        f"(wall {report_s:.2f} s, peak RSS {report_peak:,.0f} MB)"
    )
    ours = figures[big]["read: iterate store.support_records"][2]
    plain = figures[big]["read: plain sqlite3 + json.loads, list of dicts"][2]
    print(f"goal: peak RSS reading {big:,} ≤ the plain loop's: {ours / plain:.2f}×")
    small = sizes[0]
    first = figures[small]["read: iterate store.support_records"][2]
    streamed = [figures[n]["read: plain sqlite3 + json.loads, streamed"][2] for n in (small, big)]
    print(
        f"goal: peak RSS reading flat from {small:,} to {big:,} (growth ≤ 1.5×): "
        f"{ours / first:.2f}× (ours {first:,.0f} → {ours:,.0f} MB; "
        f"peer streamed {streamed[0]:,.0f} → {streamed[1]:,.0f} MB)"
    )


if __name__ == "__main__":
    main()
