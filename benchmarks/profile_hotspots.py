"""Where the time goes: cProfile of each workload of issue 13, the hottest functions listed.

For each workload it prints the functions with the largest own time (``tottime``) as a share
of the workload's profiled time, with ``file:line``, and the library's functions with the
largest cumulative time. Profiling slows Python code unevenly (calls cost more), so read the
shares, not the seconds. The ``.prof`` files stay in ``--out`` for ``snakeviz`` or
``python -m pstats``.

Workloads: ``build`` (the harness's columns), ``compute`` (``evaluate_columns``),
``indicators`` (the harness's support records and figures), ``memory`` (the three indicators
over a ``RecordSet`` of support records, column build included), ``csv`` (``import_table``
of support records), ``bulk`` (``store_dataset`` into SQLite), ``report``
(``khuyencong report --store``).

    .venv/bin/python benchmarks/profile_hotspots.py --n 100000 --out /tmp/kc-prof
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import datetime as dt
import io
import pstats
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import common

WORKLOADS = ("build", "compute", "indicators", "memory", "csv", "bulk", "report")


def where(func: tuple[str, int, str]) -> str:
    """``path:line(function)`` with the path from ``khuyencong/`` or the package, short."""
    path, line, name = func
    if path == "~":
        return name  # a built-in
    for marker in ("/src/khuyencong/", "/site-packages/", "/lib/python3"):
        if marker in path:
            path = path.split(marker, 1)[1]
            if marker == "/src/khuyencong/":
                path = "khuyencong/" + path
            break
    return f"{path}:{line}({name})"


def show(title: str, prof: Path, top: int) -> None:
    stats = pstats.Stats(str(prof))
    raw = stats.stats  # type: ignore[attr-defined]
    total = sum(tt for (_cc, _nc, tt, _ct, _callers) in raw.values())
    print(f"\n## {title}: {total:.2f} s profiled ({prof.name})")
    print("own time (tottime), share of the workload:")
    rows = sorted(raw.items(), key=lambda kv: kv[1][2], reverse=True)[:top]
    for func, (_cc, nc, tt, ct, _callers) in rows:
        print(f"  {tt / total:6.1%} own {ct / total:6.1%} cum {nc:>10,} calls  {where(func)}")
    print("library functions by cumulative time:")
    ours = [
        (func, v)
        for func, v in raw.items()
        if "khuyencong/" in func[0] and "benchmarks" not in func[0]
    ]
    for func, (_cc, nc, _tt, ct, _callers) in sorted(ours, key=lambda kv: kv[1][3], reverse=True)[
        :top
    ]:
        print(f"  {ct / total:6.1%} cum {nc:>10,} calls  {where(func)}")


def profiled(path: Path, fn: Callable[[], object]) -> None:
    prof = cProfile.Profile()
    prof.enable()
    try:
        fn()
    finally:
        prof.disable()
    prof.dump_stats(path)


def main(argv: list[str] | None = None) -> None:
    parser = common.parser(__doc__)
    parser.add_argument("--n", type=int, default=100_000, help="records (default 100000)")
    parser.add_argument("--csv-n", type=int, default=10_000, help="CSV rows (default 10000)")
    parser.add_argument("--top", type=int, default=12, help="functions listed per view")
    parser.add_argument("--only", default=",".join(WORKLOADS), help="workloads, comma-separated")
    parser.add_argument("--out", type=Path, help="keep the .prof files here")
    args = parser.parse_args(argv)
    only = {w.strip() for w in args.only.split(",")}
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        run(args, only, out, Path(tmp))


def run(args: argparse.Namespace, only: set[str], out: Path, tmp: Path) -> None:
    from bench_indicators import make_data  # noqa: PLC0415

    sys.path.insert(0, str(common.HERE / "peers"))
    import workload  # noqa: PLC0415

    if only & {"build", "compute", "indicators"}:
        on = dt.date(2024, 8, 1)
        jsonl = tmp / "applications.jsonl"
        workload.generate(jsonl, args.n, on)
        for old in out.glob("khuyencong-*.prof"):
            old.unlink()
        harness = common.HERE / "peers" / "harness.py"
        cmd = [sys.executable, str(harness), "--worker", "khuyencong", "--input", str(jsonl)]
        subprocess.run([*cmd, "--profile", str(out)], check=True, capture_output=True)
        for phase in ("build", "compute", "indicators"):
            if phase in only:
                show(
                    f"harness {phase}, {args.n:,} applications",
                    out / f"khuyencong-{phase}.prof",
                    args.top,
                )
    need_data = only & {"memory", "csv", "bulk", "report"}
    data = make_data(args.n) if need_data else None
    if "memory" in only and data is not None:
        import indicators as peers_indicators  # noqa: PLC0415

        from khuyencong.indicators import RecordSet  # noqa: PLC0415

        path = out / "memory.prof"
        profiled(
            path,
            lambda: peers_indicators.ours(
                RecordSet(establishments=data.establishments, support_records=data.support_records)
            ),
        )
        show(f"indicators in memory, {args.n:,} support records", path, args.top)
    if "csv" in only and data is not None:
        from khuyencong.importing import import_table, write_csv  # noqa: PLC0415

        csv = tmp / "support.csv"
        write_csv(data.support_records[: args.csv_n], csv, "support_records")
        path = out / "csv.prof"
        profiled(path, lambda: import_table(csv, "support_records"))
        show(f"import_table of {args.csv_n:,} CSV rows", path, args.top)
    if only & {"bulk", "report"} and data is not None:
        from khuyencong.domain import Dataset  # noqa: PLC0415
        from khuyencong.storage import open_store, store_dataset  # noqa: PLC0415

        db = tmp / "store.db"
        path = out / "bulk.prof"

        def load() -> None:
            with open_store(f"sqlite:///{db}") as store:
                store_dataset(
                    store,
                    Dataset(
                        establishments=data.establishments, support_records=data.support_records
                    ),
                )

        profiled(path, load)
        if "bulk" in only:
            show(f"store_dataset of {args.n:,} support records into SQLite", path, args.top)
        if "report" in only:
            from khuyencong.cli import main as cli  # noqa: PLC0415

            path = out / "report.prof"
            argv = ["report", "--store", f"sqlite:///{db}", "--from", "2017", "--to", "2020"]
            with contextlib.redirect_stdout(io.StringIO()):
                profiled(path, lambda: cli(argv))
            show(f"khuyencong report --store, {args.n:,} support records", path, args.top)


if __name__ == "__main__":
    main()
