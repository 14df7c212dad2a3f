"""What the fuzz suite shares: its settings and its hostile values (JSON of any shape, text
that spreadsheets run, numbers too long to convert, nesting deeper than parsers follow).

Every fuzz test runs ``FAST`` examples in an ordinary run (a few seconds each) and, as its
``slow``-marked twin, ``LONG`` examples in CI (``CI`` set) or with ``--run-slow``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from _figures import FUZZ_EXAMPLES, FUZZ_EXAMPLES_CI

# Text a file may hold: any character but a lone surrogate (which no file can encode).
TEXT = st.text(st.characters(blacklist_categories=["Cs"]), max_size=20)

HOSTILE_TEXT = st.one_of(
    TEXT,
    st.sampled_from(["=1+2", "+84", "-5", "@SUM(A1)", "\t=x", "\r=x", "'=x", "''", "\x00", "NaN"]),
    st.builds(lambda n: "9" * n, st.integers(4000, 5000)),
    st.builds(lambda n: "x" * n, st.integers(30_000, 140_000)),
)

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=10**30, max_value=10**4000),
    st.floats(allow_nan=True, allow_infinity=True),
    HOSTILE_TEXT,
)

JSON: st.SearchStrategy[Any] = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)
"""Any JSON-ready value (and some that are not JSON: NaN, huge integers)."""


def nested(depth: int) -> Any:
    """A list nested ``depth`` levels deep."""
    value: Any = []
    for _ in range(depth):
        value = [value]
    return value


CELLS = st.one_of(
    HOSTILE_TEXT,
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.dates(min_value=dt.date(1900, 1, 1)),
)
"""What a spreadsheet cell may hold when rows arrive already read (a web form, pandas)."""


FAST = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
LONG = settings(FAST, max_examples=FUZZ_EXAMPLES_CI)
