"""Benchmark: ``import khuyencong`` against importing its own dependencies, and where it goes.

Fresh interpreters each time (``bench_units.best_of``, the runner ``bench_units.py`` uses):
the dependencies alone (attrs, cattrs, dateutil), then ``import khuyencong`` and its
subpackages, each the best of ``--runs`` in CPU time; the ratio is the goal of issue 13
(within 2.5×). Then
``python -X importtime -c "import khuyencong"`` once, listing the modules with the largest own
import time (the profile of the import). Asserts no time.

    .venv/bin/python benchmarks/bench_import_time.py
"""

from __future__ import annotations

import subprocess
import sys

import common
from bench_units import ENV, best_of

TIMER = (
    "import time; t = time.perf_counter_ns(); {stmt}; print((time.perf_counter_ns() - t) // 1000)"
)
DEPS = "import attrs, cattrs, dateutil.relativedelta"
SUBPACKAGES = (
    "khuyencong.units",
    "khuyencong.rules",
    "khuyencong.storage",
    "khuyencong.indicators",
    "khuyencong.importing",
    "khuyencong.reports",
    "khuyencong.cli",
)


def importtime(stmt: str) -> list[tuple[int, int, str]]:
    """``(self µs, cumulative µs, module)`` of every module imported by ``stmt``."""
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", stmt],
        capture_output=True,
        text=True,
        check=True,
        env=ENV,
    )
    rows = []
    for line in out.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        own, cumulative, name = line.removeprefix("import time:").split("|")
        rows.append((int(own), int(cumulative), name.rstrip()))
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = common.parser(__doc__)
    parser.add_argument("--runs", type=int, default=7, help="fresh processes per figure (best)")
    parser.add_argument("--top", type=int, default=15, help="modules to list by own time")
    args = parser.parse_args(argv)
    deps = best_of(TIMER.format(stmt=DEPS), args.runs)
    ours = best_of(TIMER.format(stmt="import khuyencong"), args.runs)
    print(f"{DEPS}: {deps / 1000:7.1f} ms (CPU, best of {args.runs}, fresh process)")
    print(f"import khuyencong: {ours / 1000:7.1f} ms, {ours / deps:.2f}× its dependencies")
    for name in SUBPACKAGES:
        us = best_of(TIMER.format(stmt=f"import {name}"), args.runs)
        print(f"import {name:<22} {us / 1000:7.1f} ms ({us / deps:.2f}× the dependencies)")
    print(f"goal: import khuyencong ≤ 2.5× its dependencies: {ours / deps:.2f}×")
    rows = importtime("import khuyencong")
    total = sum(own for own, _c, _n in rows)
    ours_only = sum(own for own, _c, n in rows if n.strip().startswith("khuyencong"))
    print(
        f"\n-X importtime: {total / 1000:.1f} ms in all, {ours_only / 1000:.1f} ms in "
        f"khuyencong's own modules; the largest own times:"
    )
    for own, cumulative, name in sorted(rows, reverse=True)[: args.top]:
        print(f"  {own / 1000:7.1f} ms own {cumulative / 1000:8.1f} ms cumulative  {name.strip()}")


if __name__ == "__main__":
    main()
