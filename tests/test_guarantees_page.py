"""The guarantees page quotes the figures the tests actually run with.

``docs/explanation/guarantees.md`` says how hard the suite pushes on each guarantee (threads,
processes, killed imports, fuzz examples) and what the limits are. Each figure is checked here
against the constant the tests or the library use, so that changing one without the other fails.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import attrs
import pytest

from _figures import (
    BOUND_SUM_RECORDS,
    FUZZ_EXAMPLES,
    FUZZ_EXAMPLES_CI,
    KILL_BATCH,
    KILL_RUNS_POSTGRES,
    KILL_RUNS_SQLITE,
    PG_THREAD_COMMITS,
    PG_THREADS,
)
from khuyencong.domain import MAX_DONG
from khuyencong.importing import ImportLimits
from khuyencong.importing._reading import CSV_FIELD_LIMIT
from khuyencong.testing.conformance import PROCESS_COMMITS, PROCESSES, THREAD_COMMITS, THREADS

PAGE = Path(__file__).resolve().parent.parent / "docs" / "explanation" / "guarantees.md"

_MiB = 1024 * 1024


def _page() -> str:
    """The page's text with its lines joined, so a phrase may wrap."""
    return re.sub(r"\s+", " ", PAGE.read_text(encoding="utf-8"))


def _number(value: int) -> str:
    """A number as the page writes it: ``3,000``, ``64 MiB`` for whole mebibytes."""
    return f"{value:,}"


def _size(value: int) -> str:
    return f"{value // _MiB} MiB" if value >= _MiB and value % _MiB == 0 else _number(value)


def _power_of_ten(value: int) -> str:
    exponent = len(str(value)) - 1
    assert value == 10**exponent, "the page writes MAX_DONG as a power of ten"
    return f"10^{exponent}"


PHRASES = {
    "threads against every store": f"{THREADS} threads, {THREAD_COMMITS} commitments each",
    "processes against SQL stores": f"{PROCESSES} processes, {PROCESS_COMMITS} commitments each",
    "PostgreSQL threads": f"{PG_THREADS} threads, {PG_THREAD_COMMITS} commitments each",
    "killed import size": f"bulk imports of {_number(KILL_BATCH)} records each",
    "killed SQLite imports": f"{_number(KILL_RUNS_SQLITE)} imports into one SQLite file",
    "killed PostgreSQL imports": f"{_number(KILL_RUNS_POSTGRES)} imports into one PostgreSQL",
    "money bound": f"`khuyencong.domain.MAX_DONG`, {_power_of_ten(MAX_DONG)} đồng",
    "records summed at the bound": (
        f"{_number(BOUND_SUM_RECORDS)} records of 2 × {_power_of_ten(MAX_DONG)} đồng"
    ),
    "fuzz examples": (
        f"{FUZZ_EXAMPLES} examples in an ordinary run, and its slow twin "
        f"{FUZZ_EXAMPLES_CI} examples in CI"
    ),
    "CSV reader's field limit": f"raised to {_number(CSV_FIELD_LIMIT)}",
    "digits of a number": (
        f"more than {_number(sys.int_info.default_max_str_digits)} digits (Python's limit"
    ),
}


class TestGuaranteesPage:
    @pytest.mark.parametrize("phrase", PHRASES.values(), ids=list(PHRASES))
    def test_the_page_quotes_the_figure_the_tests_use(self, phrase: str) -> None:
        """Every figure of the page (threads, processes, killed imports, fuzz examples, the
        money bound) is the one the tests run with."""
        assert phrase in _page()

    @pytest.mark.parametrize("field", [f.name for f in attrs.fields(ImportLimits)])
    def test_every_import_limit_is_listed_with_its_default(self, field: str) -> None:
        """The page lists every import limit with its default, so a new or changed limit
        cannot go unmentioned."""
        default = getattr(ImportLimits(), field)
        shown = _size(default) if field.endswith("_bytes") else _number(default)
        assert f"| `{field}` | {shown} |" in _page()

    @pytest.mark.parametrize(
        "field",
        [
            "max_body_bytes",
            "max_import_bytes",
            "max_import_rows",
            "max_batch",
            "rate_limit_per_minute",
        ],
    )
    def test_the_services_limits_are_listed_with_their_defaults(self, field: str) -> None:
        """The HTTP service's own limits, the rate limit included, are listed with the
        defaults a client meets."""
        web = pytest.importorskip("khuyencong.web", reason="needs the web extra")
        default = getattr(web.ServiceConfig(), field)
        shown = _size(default) if field.endswith("_bytes") else _number(default)
        assert f"| `{field}` | {shown} |" in _page()

    def test_every_test_file_the_page_names_exists(self) -> None:
        """The page points at the tests that establish each guarantee; each file it names is
        there, so a moved test does not leave the page pointing nowhere."""
        named = set(re.findall(r"`(tests/[\w/]+\.py)`", _page()))
        assert named
        root = PAGE.parents[2]
        assert sorted(n for n in named if not (root / n).is_file()) == []

    def test_a_changed_figure_would_be_found(self) -> None:
        """The check compares numbers, not just words: a page quoting another count fails."""
        wrong = PHRASES["PostgreSQL threads"].replace(str(PG_THREADS), str(PG_THREADS + 1), 1)
        assert wrong not in _page()
