"""Benchmark: eligibility over HTTP at 1, 8 and 32 concurrent clients, next to the same calls
in-process.

Starts ``khuyencong serve`` in its own process on 127.0.0.1 (in-memory store, no rate limit),
then for each concurrency sends a bounded number of ``POST /v1/eligibility`` requests from that
many client threads, each on its own keep-alive connection, and measures every request's
latency. The same decisions are then made in-process (``check_eligibility`` on the converter's
structured establishment, and the whole request's work without HTTP: read the JSON, structure,
decide, write the answer). Prints requests per second and p50/p99 latency; never asserts a
time. The server and the clients share the machine's cores, so the figures are a floor.

    .venv/bin/python benchmarks/bench_http.py [REQUESTS_PER_LEVEL]    (default 3,000)
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from khuyencong.converters import structure
from khuyencong.domain import Establishment
from khuyencong.rules import RuleSet, check_eligibility

LEVELS = (1, 8, 32)
ON = "2026-12-07"
BODY = {
    "establishment": {
        "id": "BN-HTX-01",
        "name": "HTX Chế biến vải thiều Lục Ngạn",
        "legal_form": "cooperative",
        "members": 15,
        "location": {"map_id": "2025-reform", "code": "07582"},
        "sectors": ["agro_food_processing"],
    }
}
PAYLOAD = json.dumps(BODY).encode("utf-8")
HEADERS = {"Content-Type": "application/json", "Accept-Language": "vi"}
TIME_LIMIT = 60.0
"""No level runs longer than this many seconds, whatever the count asked for."""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def service() -> Iterator[int]:
    """``khuyencong serve`` in a subprocess; yields its port once it answers."""
    port = _free_port()
    folder = tempfile.mkdtemp(prefix="khuyencong-bench-")
    env = {
        **os.environ,
        "KHUYENCONG_STORE": "memory://",
        "KHUYENCONG_PORT": str(port),
        "KHUYENCONG_RATE_LIMIT": "0",
        "KHUYENCONG_TOKENS_FILE": str(Path(folder) / "tokens.json"),
    }
    command = [sys.executable, "-m", "khuyencong", "serve"]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            try:
                connection.request("GET", "/v1/health")
                if connection.getresponse().status == 200:
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    msg = "the service did not start"
                    raise RuntimeError(msg) from None
                time.sleep(0.1)
            finally:
                connection.close()
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def _summary(latencies: list[float], elapsed: float) -> dict[str, float]:
    ordered = sorted(latencies)
    return {
        "requests": len(ordered),
        "per_second": len(ordered) / elapsed,
        "p50_ms": 1000 * statistics.median(ordered),
        "p99_ms": 1000 * ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))],
    }


def _run_threads(
    clients: int, total: int, work: Callable[[], Callable[[], Any]]
) -> dict[str, float]:
    """``total`` calls of ``work()``'s function shared by ``clients`` threads."""
    per_client = max(1, total // clients)
    latencies: list[float] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + TIME_LIMIT
    failures: list[BaseException] = []

    def client() -> None:
        call, done = work()
        mine = []
        try:
            for _ in range(per_client):
                if time.monotonic() > stop_at:
                    break
                start = time.perf_counter()
                call()
                mine.append(time.perf_counter() - start)
        except BaseException as exc:  # reported after the run
            failures.append(exc)
        finally:
            done()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    if failures:
        raise failures[0]
    return _summary(latencies, elapsed)


def over_http(port: int, clients: int, total: int) -> dict[str, float]:
    """Eligibility over HTTP: each client thread on its own keep-alive connection."""

    def work() -> tuple[Callable[[], Any], Callable[[], None]]:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

        def call() -> None:
            connection.request("POST", f"/v1/eligibility?on={ON}", PAYLOAD, HEADERS)
            response = connection.getresponse()
            body = response.read()
            if response.status != 200:
                msg = f"{response.status}: {body[:200]!r}"
                raise RuntimeError(msg)

        return call, connection.close

    return _run_threads(clients, total, work)


def in_process(clients: int, total: int, *, whole_request: bool) -> dict[str, float]:
    """The same decisions without HTTP: the rule call alone, or the request's whole work."""
    on = dt.date.fromisoformat(ON)
    rules = RuleSet.national()
    establishment = structure(BODY["establishment"], Establishment)

    def work() -> tuple[Callable[[], Any], Callable[[], None]]:
        if not whole_request:
            return (lambda: check_eligibility(establishment, on, rules=rules)), _nothing

        def call() -> bytes:
            data = json.loads(PAYLOAD)
            decision = check_eligibility(
                structure(data["establishment"], Establishment), on, rules=rules
            )
            answer = {
                "result": decision.to_data(),
                "text": decision.render("vi"),
                "reasons": [c.message("vi") for c in decision.failed],
            }
            return json.dumps(answer, ensure_ascii=False).encode("utf-8")

        return call, _nothing

    return _run_threads(clients, total, work)


def _nothing() -> None:
    """Nothing to close."""


def run(total: int) -> list[tuple[str, int, dict[str, float]]]:
    """Every measurement: (what, clients, figures)."""
    rows = []
    with service() as port:
        over_http(port, 1, 50)  # warm up: maps, rule set, first decisions
        rows.extend(("http", n, over_http(port, n, total)) for n in LEVELS)
    for n in LEVELS:
        rows.append(("in-process request", n, in_process(n, total, whole_request=True)))
        rows.append(("in-process rule", n, in_process(n, total, whole_request=False)))
    return rows


def main() -> None:
    """Print the table."""
    import common  # noqa: PLC0415  (beside this script; the load test imports run() only)

    total = common.size_argument(__doc__, 3_000, "requests per level")
    print(f"POST /v1/eligibility, {total} requests per level, {os.cpu_count()} cores")
    print(f"{'path':<20} {'clients':>7} {'requests':>8} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}")
    for what, clients, figures in run(total):
        print(
            f"{what:<20} {clients:>7} {figures['requests']:>8.0f} {figures['per_second']:>9.0f} "
            f"{figures['p50_ms']:>8.3f} {figures['p99_ms']:>8.3f}"
        )


if __name__ == "__main__":
    main()
