"""Run every benchmark of issue 13; print one table: goal, our figure, the peer's, ratio, met.

Each benchmark runs in its own process (the peers' in the benchmark environment, the others in
this interpreter's), prints its own tables as usual (kept in ``--log`` when given), and ends
with ``goal: <what> <≤|≥> <bound>: <result>`` lines; this script gathers those lines. A line may
add ``(ours <figure>; peer <figure>)``. The goal is met when the result's first number keeps to
the bound (a bound without a number, "≤ the plain loop's", is a ratio of 1). A benchmark that
fails or cannot run (the peers' environment missing) gets a row saying so, and the script
exits 1.

``--quick`` (the default) runs small sizes that finish in a few minutes on the 2-core machine;
``--full`` runs the sizes of issue 13 (100k and 1M applications, 1M records: about an hour).

    .venv/bin/python benchmarks/run_all.py                 # quick
    .venv/bin/python benchmarks/run_all.py --full --log /tmp/kc-bench.log
    .venv/bin/python benchmarks/run_all.py --only import,bulk
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import attrs
import common

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
PEERS_PYTHON = Path("/work/venv-bench/bin/python")


@attrs.frozen
class Bench:
    """One benchmark run: a name, its script, its arguments at each size, and who runs it."""

    name: str
    script: str
    quick: tuple[str, ...]
    full: tuple[str, ...]
    peers: bool = False


BENCHES = (
    Bench("import", "bench_import.py", ("--n", "20000"), ("--n", "100000")),
    Bench("bulk", "bench_bulk_load.py", ("--sizes", "10k,100k"), ("--full",)),
    Bench("report", "bench_report.py", ("--sizes", "10k,100k"), ("--full",)),
    Bench("import-time", "bench_import_time.py", ("--runs", "5"), ("--runs", "9")),
    Bench(
        "harness-100k",
        "peers/harness.py",
        ("--n", "20000", "--runs", "1"),
        ("--n", "100000", "--runs", "3"),
        peers=True,
    ),
    Bench(
        "harness-1m",
        "peers/harness.py",
        ("--n", "100000", "--runs", "1"),
        ("--n", "1000000", "--runs", "3"),
        peers=True,
    ),
    Bench("indicators", "peers/indicators.py", ("--n", "100000"), ("--n", "1000000"), peers=True),
)

_GOAL = re.compile(
    r"^goal: (?P<what>.+?): (?P<result>.+?)(?: \(ours (?P<ours>.+?); peer (?P<peer>.+?)\))?$"
)
_BOUND = re.compile(r"(?P<op>[≤≥])\s*(?P<bound>\d[\d.,]*)?")
_NUMBER = re.compile(r"-?[\d][\d,]*(?:\.\d+)?")


@attrs.frozen
class Goal:
    """A goal line of a benchmark's output, read."""

    bench: str
    what: str
    result: str
    ours: str
    peer: str
    met: bool | None

    @classmethod
    def parse(cls, bench: str, line: str) -> Goal | None:
        """The goal a ``goal: …`` line states, or ``None`` for any other line."""
        found = _GOAL.match(line.strip())
        if found is None:
            return None
        what, result = found["what"], found["result"]
        return cls(
            bench, what, result, found["ours"] or "", found["peer"] or "", _met(what, result)
        )


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _met(what: str, result: str) -> bool | None:
    """Whether the result's first number keeps to the bound the goal states (``None``: no
    bound or no number to compare)."""
    bound = _BOUND.search(what)
    value = _NUMBER.search(result)
    if bound is None or value is None:
        return None
    # "≤ the plain loop's": a ratio to the peer, whose bound is 1.
    limit, got = _number(bound["bound"] or "1"), _number(value[0])
    return got <= limit if bound["op"] == "≤" else got >= limit


def run(bench: Bench, *, full: bool, log: list[str]) -> tuple[list[Goal], str]:
    """Run one benchmark; its goals, and a note when it did not run to the end."""
    python = Path(sys.executable)
    if bench.peers:
        if not PEERS_PYTHON.exists():
            return [], f"not run: no peers' environment at {PEERS_PYTHON} (see README)"
        python = PEERS_PYTHON
    argv = [str(python), str(HERE / bench.script), *(bench.full if full else bench.quick)]
    print(f"== {bench.name}: {' '.join(argv[1:])}", flush=True)
    started = time.perf_counter()
    # The peers' environment has the library installed from some checkout: measure this one.
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
    }
    done = subprocess.run(argv, capture_output=True, text=True, check=False, env=env)
    log += [f"== {bench.name}: {' '.join(argv)}", done.stdout, done.stderr]
    print(f"   {time.perf_counter() - started:.0f} s, exit {done.returncode}", flush=True)
    goals = [g for line in done.stdout.splitlines() if (g := Goal.parse(bench.name, line))]
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["?"])[-1]
        return goals, f"failed (exit {done.returncode}): {last}"
    if not goals:
        return goals, "printed no goal line"
    return goals, ""


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = common.parser(__doc__)
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="small sizes (the default)")
    size.add_argument("--full", action="store_true", help="the sizes of issue 13 (about an hour)")
    names = ", ".join(b.name for b in BENCHES)
    parser.add_argument("--only", help=f"benchmarks to run, comma-separated (default all: {names})")
    parser.add_argument("--log", type=Path, help="write every benchmark's full output here")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    wanted = set(args.only.split(",")) if args.only else {b.name for b in BENCHES}
    unknown = wanted - {b.name for b in BENCHES}
    if unknown:
        sys.exit(f"run_all.py: no benchmark named {', '.join(sorted(unknown))}")
    log: list[str] = []
    rows: list[list[str]] = []
    failed = False
    for bench in BENCHES:
        if bench.name not in wanted:
            continue
        goals, note = run(bench, full=args.full, log=log)
        failed = failed or bool(note)
        for g in goals:
            met = {True: "yes", False: "no", None: "—"}[g.met]
            rows.append([g.bench, g.what, g.ours or "—", g.peer or "—", g.result, met])
        if note:
            rows.append([bench.name, note, "", "", "", "?"])
    if args.log is not None:
        args.log.write_text("\n".join(log), encoding="utf-8")
    print()
    print(f"issue 13 goals, {'full' if args.full else 'quick'} sizes")
    print(common.load_note())
    print(common.table(["benchmark", "goal", "ours", "peer", "ratio / result", "met"], rows))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
