"""Benchmark the import of khuyencong and the loading of each administrative map.

Prints figures only; it asserts nothing about time. Run: ``python benchmarks/bench_units.py``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import common

SRC = str(Path(__file__).resolve().parent.parent / "src")
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([SRC, os.environ.get("PYTHONPATH", "")])}
MAPS = ["2021-11", "2025-07", "2025-reform"]


def best_of(code: str, runs: int) -> int:
    """Best wall time in microseconds of ``code`` run in a fresh interpreter (it prints it)."""
    times = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=ENV
        )
        times.append(int(out.stdout.strip()))
    return min(times)


def main() -> None:
    """Print import, cold-load and warm-load times."""
    common.parser(__doc__).parse_args()
    timer = (
        "import time; t = time.perf_counter_ns(); {stmt}; "
        "print((time.perf_counter_ns() - t) // 1000)"
    )
    base = best_of(timer.format(stmt="import attrs, cattrs, dateutil.relativedelta, json"), 5)
    print(f"baseline: import attrs, cattrs, dateutil, json: {base / 1000:8.1f} ms")
    us = best_of(timer.format(stmt="import khuyencong"), 5)
    print(
        f"import khuyencong:        {us / 1000:8.1f} ms (best of 5, fresh process; "
        f"{us / base:.2f}× the baseline of its own dependencies)"
    )
    us = best_of(timer.format(stmt="import khuyencong.units"), 5)
    print(f"import khuyencong.units:  {us / 1000:8.1f} ms (best of 5, fresh process)")
    for map_id in MAPS:
        stmt = f"import khuyencong.units as u; t = time.perf_counter_ns(); u.load_map({map_id!r})"
        cold = best_of(f"import time; {stmt}; print((time.perf_counter_ns() - t) // 1000)", 3)
        stmt_find = (
            f"import khuyencong.units as u; m = u.load_map({map_id!r}); "
            "t = time.perf_counter_ns(); m.find('tan son')"
        )
        index = best_of(f"import time; {stmt_find}; print((time.perf_counter_ns() - t) // 1000)", 3)
        raw = best_of(
            "import time, json, pathlib, khuyencong.units._types as t0; "
            f"p = t0.DATA_DIR / 'map_{map_id}.json'; t = time.perf_counter_ns(); "
            "json.loads(p.read_bytes()); print((time.perf_counter_ns() - t) // 1000)",
            3,
        )
        print(f"load_map({map_id!r:14}) cold: {cold / 1000:8.1f} ms", end="; ")
        print(f"raw json.loads of its file: {raw / 1000:6.1f} ms ({cold / raw:.1f}×)", end="; ")
        print(f"first find() (builds the name index): {index / 1000:6.1f} ms")
    sys.path.insert(0, SRC)
    import khuyencong.units as units  # noqa: PLC0415  (timed after the subprocess runs)

    for map_id in MAPS:
        units.load_map(map_id)
        t = time.perf_counter_ns()
        for _ in range(1000):
            units.load_map(map_id)
        print(f"load_map({map_id!r:14}) warm: {(time.perf_counter_ns() - t) / 1000 / 1000:8.3f} µs")


if __name__ == "__main__":
    main()
