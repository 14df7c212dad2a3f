"""Helpers the benchmark scripts share: fresh-process runs with peak memory, medians, tables.

Not a benchmark itself. The scripts in ``benchmarks/`` import it directly (their folder is on
``sys.path`` when run as ``python benchmarks/NAME.py``); those in ``benchmarks/peers/`` put this
folder on the path first (:func:`on_path`).
"""

from __future__ import annotations

import argparse
import atexit
import hashlib
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


def on_path() -> None:
    """Put ``benchmarks/`` on ``sys.path`` (for scripts in its subfolders)."""
    if str(HERE) not in sys.path:
        sys.path.insert(0, str(HERE))


def load_note() -> str:
    """The machine's load average, for the record: other work on the cores slows wall times."""
    one, five, _fifteen = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} cores"


PEAK_FILE = "KHUYENCONG_BENCH_PEAK_FILE"
"""The variable naming the file a child writes its peak RSS to as it exits."""


def peak_rss_mb() -> float:
    """This process's peak resident set size so far, in MiB.

    Linux's ``VmHWM`` (the high-water mark of this process's own memory since its ``exec``).
    ``getrusage``'s ``ru_maxrss`` is no use for a child: it starts from the parent's resident
    size at the fork, so every small child would report the benchmark's own size.
    """
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return int(status.split("VmHWM:")[1].split()[0]) / 1024


def install_peak_hook() -> None:
    """Write this process's peak RSS to the file :func:`run` named, as the process exits."""
    path = os.environ.get(PEAK_FILE)
    if path:
        atexit.register(lambda: Path(path).write_text(f"{peak_rss_mb()}"))


class Ran(NamedTuple):
    """What :func:`run` measured of a fresh process."""

    out: str
    """Its standard output."""
    wall: float
    """Wall-clock seconds, start to exit."""
    rss: float
    """Its own peak resident set size, in MiB."""
    cpu: float
    """Its CPU seconds (user + system): steadier than wall time on a shared machine."""


def run(argv: Sequence[str], *, env: dict[str, str] | None = None) -> Ran:
    """Run ``argv`` in a fresh process and measure it.

    The CPU time is that child's alone (``os.wait4``); the peak RSS is what the child wrote
    with :func:`install_peak_hook` (our workers, and :func:`khuyencong_cli`), else its
    ``ru_maxrss`` (an overestimate for a child smaller than this process). A non-zero exit
    stops the benchmark, showing the child's stderr.
    """
    with tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile("r") as peak:
        env = {**(env or os.environ), PEAK_FILE: peak.name}
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
        written = Path(peak.name).read_text().strip()
    rss = float(written) if written else usage.ru_maxrss / 1024
    return Ran(out, wall, rss, usage.ru_utime + usage.ru_stime)


def worker_json(out: str) -> dict[str, Any]:
    """The last JSON object a worker printed."""
    for line in reversed(out.strip().splitlines()):
        if line.startswith("{"):
            result: dict[str, Any] = json.loads(line)
            return result
    msg = f"no JSON result in the worker's output: {out[-500:]!r}"
    raise SystemExit(msg)


class Clocked:
    """Wall and CPU seconds of a ``with`` block (``with Clocked() as c: …; c.wall, c.cpu``)."""

    wall = cpu = 0.0

    def __enter__(self) -> Clocked:
        self._t0, self._c0 = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.wall = time.perf_counter() - self._t0
        self.cpu = time.process_time() - self._c0


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


def parser(doc: str | None) -> argparse.ArgumentParser:
    """An argument parser whose description is the script's docstring, first paragraph first."""
    return argparse.ArgumentParser(
        description=(doc or "").split("\n\n")[0],
        epilog="\n\n".join((doc or "").split("\n\n")[1:]),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def size_argument(doc: str | None, default: int, what: str) -> int:
    """The size given as the optional positional argument of the older scripts (``--help``
    works)."""
    parser_ = parser(doc)
    parser_.add_argument("n", nargs="?", type=int, default=default, help=f"{what} ({default:,})")
    n: int = parser_.parse_args().n
    return n


def add_sizes(parser: argparse.ArgumentParser) -> None:
    """``--sizes`` (default 10k,100k) and ``--full`` (adds 1M)."""
    parser.add_argument("--sizes", default="10k,100k", help="sizes (default 10k,100k)")
    parser.add_argument("--full", action="store_true", help="add 1M (several minutes)")


def chosen_sizes(args: argparse.Namespace) -> list[int]:
    """The sizes :func:`add_sizes` asked for."""
    out = sizes(args.sizes)
    if args.full and 1_000_000 not in out:
        out.append(1_000_000)
    return out


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
    """The ``khuyencong`` command, as its console script runs it, reporting its peak RSS."""
    code = (
        f"import sys; sys.path.insert(0, {str(HERE)!r}); import common; "
        "common.install_peak_hook(); sys.path.pop(0); "
        "from khuyencong.cli import main; sys.exit(main())"
    )
    return [sys.executable, "-c", code]


def bytecode_envs(folder: Path, warm_up: Callable[[], Sequence[str]]) -> dict[str, dict[str, str]]:
    """Environments that run a command with the library's bytecode compiled, as an installed
    package has it, or compiled from source at every start, as a checkout runs it when
    ``PYTHONDONTWRITEBYTECODE`` is set.

    ``pip install`` compiles a package's modules to bytecode once, at install; a checkout run
    with ``PYTHONDONTWRITEBYTECODE=1`` (as this machine's environment sets it) compiles the
    library's ~60 modules from source at every start. Each environment has its own bytecode
    folder (``PYTHONPYCACHEPREFIX`` under ``folder``: nothing is written beside the sources),
    filled by running the command ``warm_up()`` gives once, untimed; the ``"source"`` one then
    has the library's bytecode removed, so only the library compiles (the standard library
    and the dependencies read their bytecode in both). Neither writes bytecode when timed.

    Returns:
        ``{"compiled": env, "source": env}``, for :func:`run`.
    """
    import shutil  # noqa: PLC0415  (only the scripts that time the command need it)

    import khuyencong  # noqa: PLC0415

    package = Path(khuyencong.__file__).resolve().parent
    envs: dict[str, dict[str, str]] = {}
    for name in ("compiled", "source"):
        prefix = folder / f"pycache-{name}"
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(prefix)
        subprocess.run(list(warm_up()), env=env, check=True, stdout=subprocess.DEVNULL)
        if name == "source":
            shutil.rmtree(prefix / package.relative_to(package.anchor))
        envs[name] = {**env, "PYTHONDONTWRITEBYTECODE": "1"}
    return envs
