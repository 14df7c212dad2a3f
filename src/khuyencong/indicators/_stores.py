"""Indicators over a store: :func:`source_for` picks the store's SQL pushdown when it has one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from khuyencong.indicators._memory import RecordSet
from khuyencong.indicators._source import IndicatorSource

if TYPE_CHECKING:
    from khuyencong.storage import Store

__all__ = ["source_for"]


def source_for(store: Store | IndicatorSource) -> IndicatorSource:
    """The :class:`IndicatorSource` to compute indicators over ``store``.

    A store with an ``indicator_source()`` method (the SQLite and PostgreSQL stores) answers
    in SQL, without loading its records; any other store (the memory store, a third-party
    adapter) is read once into a :class:`RecordSet`. A source given is returned as is.

    >>> from khuyencong.storage import open_store
    >>> with open_store("sqlite:///:memory:") as store:
    ...     type(source_for(store)).__name__
    'SqlIndicatorSource'
    >>> with open_store("memory://") as store:
    ...     type(source_for(store)).__name__
    'RecordSet'
    """
    if isinstance(store, RecordSet):
        return store
    make = getattr(store, "indicator_source", None)
    if callable(make):
        source: IndicatorSource = make()
        return source
    if not hasattr(store, "support_records") and isinstance(store, IndicatorSource):
        return store
    s: Store = store  # type: ignore[assignment]
    return RecordSet(
        establishments=tuple(s.establishments),
        support=tuple(s.support_records),
        fairs=tuple(s.fair_participations),
        awards=tuple(s.award_entries),
        ocop=tuple(s.ocop_ratings),
        projects=tuple(s.projects),
    )
