"""The figures the guarantee tests run with, kept in one place.

The tests that establish the library's guarantees (killed imports, PostgreSQL threads, the
fuzz suite, sums at the money bound) take their sizes from here, and
``test_guarantees_page.py`` checks that ``docs/explanation/guarantees.md`` quotes these same
numbers, so the page cannot drift from what the tests do. The conformance suite's own figures
(threads and processes against one envelope) live in ``khuyencong.testing.conformance``,
which third-party adapters run too.

(The tests run with ``--import-mode=importlib``; ``conftest.py`` puts this folder on the path.)
"""

from __future__ import annotations

__all__ = [
    "BOUND_SUM_RECORDS",
    "FUZZ_EXAMPLES",
    "FUZZ_EXAMPLES_CI",
    "KILL_BATCH",
    "KILL_RUNS_POSTGRES",
    "KILL_RUNS_SQLITE",
    "PG_THREADS",
    "PG_THREAD_COMMITS",
]

KILL_BATCH = 3_000
"""Support records in each bulk import that ``test_storage_durability.py`` kills."""

KILL_RUNS_SQLITE = 24
"""Imports killed with SIGKILL at a random moment, into one SQLite file."""

KILL_RUNS_POSTGRES = 8
"""Imports killed with SIGKILL at a random moment, into one PostgreSQL schema."""

PG_THREADS = 16
"""Threads, each with its own PostgreSQL store, committing against one envelope."""

PG_THREAD_COMMITS = 25
"""Commitments each of those threads attempts."""

FUZZ_EXAMPLES = 60
"""Examples of every fuzz test in an ordinary run."""

FUZZ_EXAMPLES_CI = 400
"""Examples of every fuzz test's ``slow`` twin, run in CI."""

BOUND_SUM_RECORDS = 9_300
"""Records at the money bound summed in SQLite, beyond its 64-bit integers."""
