"""A bounded load run of the service (benchmarks/bench_http.py): eligibility at 1, 8 and 32
concurrent clients over HTTP, next to the same calls in-process. It prints the figures and
checks that every request was answered; it never asserts a time."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).parents[2] / "benchmarks/bench_http.py"


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_http", BENCH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class TestLoad:
    @pytest.mark.slow
    def test_every_level_answers_every_request(self) -> None:
        """At 1, 8 and 32 clients every eligibility request gets its 200 answer (a failed
        request stops the run), and the in-process figures stand beside them."""
        bench = _bench()
        rows = bench.run(64)
        for what, clients, figures in rows:
            print(f"{what} {clients}: {figures}")
        http = {clients: f for what, clients, f in rows if what == "http"}
        assert {clients: f["requests"] for clients, f in http.items()} == {1: 64, 8: 64, 32: 64}
