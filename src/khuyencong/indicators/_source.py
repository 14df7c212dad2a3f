"""The seam between the indicator engine and where records live.

The engine never iterates records itself. It asks an :class:`IndicatorSource` for one
:class:`AggregateQuery` at a time: "for support records whose delivery date is in 2017–2020,
kept by this filter, count distinct establishments grouped by these keys". The in-memory
:class:`~khuyencong.indicators.RecordSet` answers in Python; a store answers in SQL
(``GROUP BY`` with ``COUNT(DISTINCT establishment_id)``, ``SUM(trainees)``, …) and gives
identical results.

Geographic breakdowns are resolved by the engine, not the source: the engine asks
:meth:`IndicatorSource.unit_refs` which unit references the records use, maps each to the key of
the target unit (rolling old-map units up to post-reform provinces and communes), and passes the
mapping in :attr:`AggregateQuery.unit_keys`. A SQL store joins it as a small table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol, runtime_checkable

import attrs

from khuyencong.domain import Establishment, Period
from khuyencong.indicators._model import Breakdown, Counting, DateField, Filter, Measure, RecordKind
from khuyencong.units import UnitRef

__all__ = ["UNKNOWN_KEY", "Aggregate", "AggregateQuery", "Cell", "IndicatorSource"]

UNKNOWN_KEY = "unknown"
"""The key of records with no value for a dimension (no location, an unmappable unit, …)."""


@attrs.frozen
class AggregateQuery:
    """One grouped count or sum, as the engine asks a source for it.

    Attributes:
        kind: Which records.
        counting: What to count.
        measure: The field summed (PERSONS, MONEY, QUANTITY).
        date_field: The date that places a record in ``period``.
        period: The period, or ``None`` for all time.
        filter: Which records to keep.
        by: The breakdown dimensions (empty for a total only).
        unit_keys: For each entry of ``by``: for a ``UNIT`` breakdown, the key of every unit
            reference the records use (the target unit's code, or :data:`UNKNOWN_KEY`);
            ``None`` for other dimensions.
        drill_down: Whether to return the ids of the records behind each figure.
    """

    kind: RecordKind
    counting: Counting
    measure: Measure | None
    date_field: DateField
    period: Period | None
    filter: Filter
    by: tuple[Breakdown, ...] = ()
    unit_keys: tuple[Mapping[UnitRef, str] | None, ...] = ()
    drill_down: bool = True


@attrs.frozen
class Cell:
    """One figure as a source returns it: its value and the ids of the records behind it."""

    value: int
    record_ids: tuple[str, ...] = ()


@attrs.frozen
class Aggregate:
    """A source's answer to an :class:`AggregateQuery`.

    Attributes:
        total: The figure over every kept record (a distinct count is not the sum of groups).
        groups: One figure per key tuple (one key per breakdown dimension).
    """

    total: Cell
    groups: Mapping[tuple[str, ...], Cell] = attrs.field(factory=dict)


@runtime_checkable
class IndicatorSource(Protocol):
    """What a store implements so that indicators can be computed over it.

    Key semantics a store must reproduce exactly (the in-memory source is the reference):

    - a record is placed in the period by ``query.date_field``; a missing date excludes it;
    - the location of a record is its own ``location``, else its establishment's;
    - keys are strings: enum values, ``str(year)``, ``str(stars)``, agency names, unit keys;
      :data:`UNKNOWN_KEY` when a record has none; ``coordination`` is ``alone`` or
      ``with_partners``; a support record's funds are those with a non-zero amount (``none``
      if neither);
    - a multi-valued dimension puts the record under each of its keys; money of support
      records broken down by fund gives each fund its own amount;
    - ``total`` is computed over the kept records, never by adding groups.
    """

    def aggregate(self, query: AggregateQuery) -> Aggregate:
        """Answer one grouped count or sum."""
        ...

    def unit_refs(self, kind: RecordKind) -> frozenset[UnitRef]:
        """Every unit reference records of ``kind`` are located at (record or establishment)."""
        ...

    def get_records(self, kind: RecordKind, ids: Sequence[str]) -> list[object]:
        """The records with these ids, in that order (for drill-down display)."""
        ...

    def get_establishments(self, ids: Sequence[str]) -> list[Establishment]:
        """The establishments with these ids, in that order."""
        ...
