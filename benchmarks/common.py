"""Helpers the benchmark scripts share: fresh-process runs with peak memory, medians, tables.

Not a benchmark itself. The scripts in ``benchmarks/`` import it directly (their folder is on
``sys.path`` when run as ``python benchmarks/NAME.py``); those in ``benchmarks/peers/`` put this
folder on the path first (:func:`on_path`).
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


def on_path() -> None:
    """Put ``benchmarks/`` on ``sys.path`` (for scripts in its subfolders)."""
    if str(HERE) not in sys.path:
        sys.path.insert(0, str(HERE))


def peak_rss_mb() -> float:
    """This process's peak resident set size so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(argv: Sequence[str], *, env: dict[str, str] | None = None) -> tuple[str, float, float]:
    """Run ``argv`` in a fresh process: ``(its stdout, wall seconds, its peak RSS in MiB)``.

    The peak is that child's alone (``os.wait4``), not the largest of all children so far.
    A non-zero exit stops the benchmark, showing the child's stderr.
    """
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(list(argv), stdout=subprocess.PIPE, stderr=err, env=env)
        assert proc.stdout is not None
        out = proc.stdout.read().decode()
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            sys.stderr.write(err.read().decode(errors="replace"))
            msg = f"{' '.join(argv[:4])} … exited with {proc.returncode}"
            raise SystemExit(msg)
    return out, wall, usage.ru_maxrss / 1024


def worker_json(out: str) -> dict[str, Any]:
    """The last JSON object a worker printed."""
    for line in reversed(out.strip().splitlines()):
        if line.startswith("{"):
            result: dict[str, Any] = json.loads(line)
            return result
    msg = f"no JSON result in the worker's output: {out[-500:]!r}"
    raise SystemExit(msg)


def median(values: Iterable[float]) -> float:
    """The median (the figure a benchmark reports from several fresh runs)."""
    return statistics.median(list(values))


def sha256_lines(lines: Iterable[str]) -> str:
    """The sha256 of the lines, each ended by a newline (a canonical serialisation)."""
    h = hashlib.sha256()
    for line in lines:
        h.update(line.encode())
        h.update(b"\n")
    return h.hexdigest()


def canonical(value: object) -> str:
    """A canonical JSON text for hashing figures (sorted keys, tuples as lists)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def ratio(a: float | None, b: float | None) -> str:
    """``a / b`` as ``1.23×``, or ``—`` when either is missing."""
    if a is None or b is None or b == 0:
        return "—"
    return f"{a / b:.2f}×"


def seconds(value: float | None) -> str:
    """Seconds for a table cell."""
    if value is None:
        return "—"
    return f"{value:.2f} s" if value >= 0.1 else f"{value * 1000:.0f} ms"


def mib(value: float | None) -> str:
    """MiB for a table cell."""
    return "—" if value is None else f"{value:,.0f} MB"


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table (it reads as text in a terminal and pastes into the README)."""
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + " |"
    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    body = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in rows
    ]
    return "\n".join([line, rule, *body])


def sizes(text: str) -> list[int]:
    """``10k,100k,1M`` → ``[10000, 100000, 1000000]`` (for ``--sizes``)."""
    out = []
    for part in text.split(","):
        p = part.strip().lower().replace("_", "")
        mult = 1
        if p.endswith("k"):
            p, mult = p[:-1], 1_000
        elif p.endswith("m"):
            p, mult = p[:-1], 1_000_000
        out.append(int(float(p) * mult))
    return out


def khuyencong_cli() -> list[str]:
    """The ``khuyencong`` command of this interpreter's environment."""
    exe = Path(sys.executable).with_name("khuyencong")
    if exe.exists():
        return [str(exe)]
    return [sys.executable, "-c", "import sys; from khuyencong.cli import main; sys.exit(main())"]
