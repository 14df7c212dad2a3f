"""Pausing Python's cyclic garbage collector around the library's big allocation loops.

A batch of a million records allocates millions of objects that all stay alive; the cyclic
collector, triggered by those allocations, rescans the whole growing heap again and again and
finds nothing to free (measured: a fifth of a million-record run). The loops that build such
batches run with it paused; reference counting still frees everything as usual, and the
collector runs again, as it was, when the loop ends (also on error).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block, if it is running; restore it after."""
    if not gc.isenabled():  # paused by the caller (or an enclosing block): leave it so
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
