"""Shared pytest configuration: hypothesis profiles.

``dev`` (the default) keeps property tests quick on a laptop; ``ci`` (chosen when the ``CI``
environment variable is set, or with ``HYPOTHESIS_PROFILE=ci``) runs more examples, with no
deadline so that a loaded CI machine does not fail a test for being slow.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Helpers shared by test modules (``_walk.py``) live beside this file; the suite runs with
# ``--import-mode=importlib``, which puts no test folder on the path.
sys.path.insert(0, str(Path(__file__).parent))

# The legal case files (tests/cases/*.toml) run through the library's own pytest plugin. It is
# enabled here rather than installed as a pytest11 entry point, so that installing khuyencong
# never changes other projects' test runs (and coverage sees the package imported).
pytest_plugins = ["khuyencong.testing.cases"]

settings.register_profile(
    "dev",
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    derandomize=False,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--run-slow",
        action="store_true",
        default=False,
        help="also run tests marked slow (always on when the CI variable is set)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip ``slow`` tests on a developer's run; CI (``CI`` set) and ``--run-slow`` run them."""
    if config.getoption("--run-slow") or os.environ.get("CI"):
        return
    skip = pytest.mark.skip(reason="slow: runs in CI, or locally with --run-slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
