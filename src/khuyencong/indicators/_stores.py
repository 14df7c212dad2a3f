"""Indicators over a store: :func:`source_for` picks the store's SQL pushdown when it has one.

Every indicator function (:func:`~khuyencong.indicators.compute` and its neighbours) passes the
source it is given through :func:`source_for`, so a store or a dataset can be given directly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Union

from khuyencong.exceptions import ValidationError
from khuyencong.indicators._memory import RecordSet
from khuyencong.indicators._source import IndicatorSource
from khuyencong.messages import text

if TYPE_CHECKING:
    from khuyencong.domain import Dataset
    from khuyencong.storage import Store

__all__ = ["Source", "source_for"]

Source = Union[IndicatorSource, "Store", "Dataset"]
"""What indicators are computed over: a source, a store or a dataset."""


def source_for(store: Source) -> IndicatorSource:
    """The :class:`IndicatorSource` to compute indicators over ``store``.

    A store with an ``indicator_source()`` method (the SQLite and PostgreSQL stores) answers
    in SQL, without loading its records; any other store (the memory store, a third-party
    adapter) and a :class:`~khuyencong.domain.Dataset` are read once into a
    :class:`RecordSet`. A source given is returned as is.

    Raises:
        khuyencong.exceptions.ValidationError: For anything that holds no records, naming
            ``source``.

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
    holds_records = hasattr(store, "support_records")
    if not holds_records and isinstance(store, IndicatorSource):
        return store
    if not holds_records:
        kind = "IndicatorSource | Store | Dataset"
        raise ValidationError.single("$.source", store, text("rules.not_a", kind=kind))
    s: Store = store  # type: ignore[assignment]
    return RecordSet(
        establishments=tuple(s.establishments),
        support_records=tuple(s.support_records),
        fair_participations=tuple(s.fair_participations),
        award_entries=tuple(s.award_entries),
        ocop_ratings=tuple(s.ocop_ratings),
        projects=tuple(s.projects),
    )
