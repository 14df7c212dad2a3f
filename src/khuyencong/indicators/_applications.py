"""Indicators over the eligible applications of a columnar evaluation, without building records.

:func:`khuyencong.rules.evaluate_columns` decides many applications given as columns. The
support the eligible ones receive is usually counted next (establishments supported by content
group, public money by fund and year): building a :class:`~khuyencong.domain.SupportRecord` per
eligible application for a :class:`~khuyencong.indicators.RecordSet` is most of the time of
that step. :class:`EligibleSupport` is an :class:`~khuyencong.indicators.IndicatorSource` over
the same records kept as columns — the record set's own columns, answered by its own code — and
builds a record only when one is asked for (:meth:`EligibleSupport.get_records`).

>>> import datetime as dt
>>> from khuyencong.domain import LegalForm, Period, Sector, SupportContent
>>> from khuyencong.indicators import STANDARD_INDICATORS, RecordKind, compute
>>> from khuyencong.rules import evaluate_columns
>>> from khuyencong.units import MapId, UnitRef
>>> place = UnitRef(MapId.MAP_2021, "07525")
>>> results = evaluate_columns(
...     {
...         "id": ["HTX-1", "HKD-2"],
...         "name": ["HTX Mỳ Chũ", "Hộ Lan"],
...         "legal_form": [LegalForm.COOPERATIVE, LegalForm.HOUSEHOLD_BUSINESS],
...         "location": [place, place],
...         "sectors": [(Sector.HANDICRAFTS,), (Sector.HANDICRAFTS,)],
...         "members": [9, None],
...         "content": [SupportContent.BRAND, SupportContent.MACHINERY],
...         "eligible_cost": [80_000_000, 300_000_000],
...     },
...     dt.date(2016, 3, 1),
... )
>>> support = EligibleSupport(results, dt.date(2016, 9, 30))
>>> compute(STANDARD_INDICATORS["funds_disbursed"], support, Period.year(2016)).value
185000000
>>> support.get_records(RecordKind.SUPPORT, ["HKD-2"])[0].national_amount
150000000
"""

from __future__ import annotations

import datetime as dt
import itertools
import operator
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, Protocol

from khuyencong._arguments import Arguments
from khuyencong._gc import collector_paused
from khuyencong.domain import Establishment, SupportContent, SupportRecord
from khuyencong.domain._establishments import plain_identifier
from khuyencong.exceptions import NotFoundError, Problem, ValidationError
from khuyencong.indicators._memory import _Table
from khuyencong.indicators._model import DateField, Measure, RecordKind
from khuyencong.indicators._source import Aggregate, AggregateQuery
from khuyencong.messages import text
from khuyencong.units import UnitRef


class _Evaluation(Protocol):
    """What :class:`EligibleSupport` reads of :class:`khuyencong.rules.ColumnResults`
    (indicators sit beside the rules, not above them: the results are taken as they are)."""

    @property
    def eligible(self) -> list[bool]: ...

    @property
    def error(self) -> list[Exception | None]: ...

    @property
    def amount_value(self) -> list[int | None]: ...

    @property
    def _plain(self) -> list[bool] | None: ...

    @property
    def columns(self) -> Mapping[str, Sequence[Any]]: ...

    def __len__(self) -> int: ...

    def __getitem__(self, index: int) -> Any: ...


__all__ = ["EligibleSupport"]


class _Columns(_Table):
    """A table of support records given as columns (ids checked unique when first read)."""

    def ids(self) -> list[str]:
        if not self._ids_checked:
            ids = self._cols["id"]
            if len(set(ids)) != self.n:
                dupes = sorted(i for i, c in Counter(ids).items() if c > 1)[:5]
                raise ValidationError.single(
                    f"$.{self.kind.value}", dupes, text("indicators.ids_unique")
                )
            self._ids_checked = True
        return self._cols["id"]

    _ids_checked = False


class _Rows:
    """The index of each kept row, built when first read (a drill-down's record, a row given
    as a caller may write it): figures alone never need it."""

    def __init__(self, mask: Sequence[bool], rows: list[int] | None = None) -> None:
        self._mask = mask
        self._rows: list[int] | None = rows

    def _all(self) -> list[int]:
        if self._rows is None:
            self._rows = list(itertools.compress(range(len(self._mask)), self._mask))
        return self._rows

    def __getitem__(self, j: int) -> int:
        return self._all()[j]

    def __iter__(self) -> Iterator[int]:
        return iter(self._all())


class EligibleSupport:
    """The support records the eligible applications of a columnar evaluation become; an
    :class:`~khuyencong.indicators.IndicatorSource`.

    Each application that is eligible, has no error and names a content is one support
    record: its establishment is the application's ``id``, its content the application's, its
    national amount the computed amount, delivered on ``delivered_on``; every other field
    keeps the :class:`~khuyencong.domain.SupportRecord` default. Every figure equals the one
    computed over a :class:`~khuyencong.indicators.RecordSet` of those records (and no
    establishments: a breakdown by the establishment's legal form, sector or place finds
    none, as there), from the same code; a record is built only when
    :meth:`get_records` asks for it.

    The source keeps the evaluation's columns (not a copy): change neither afterwards.

    Given :func:`khuyencong.rules.evaluate_frame`'s results, the kept rows are picked in
    their Polars frame and only those rows' values become Python lists (the same records,
    the same figures as over the same rows through ``evaluate_columns``).

    Args:
        results: What :func:`khuyencong.rules.evaluate_columns` or
            :func:`khuyencong.rules.evaluate_frame` returned.
        delivered_on: The delivery date of every record.
        record_ids: One record id per application (all of them, in input order; default:
            the establishment ids, which must then be unique among the eligible ones for a
            drill-down).

    Raises:
        ValidationError: For an argument of the wrong kind, record ids of another length, or
            a record the :class:`~khuyencong.domain.SupportRecord` constructor refuses (its
            problems under ``$.applications[i]``).
    """

    def __init__(
        self,
        results: _Evaluation,
        delivered_on: dt.date,
        *,
        record_ids: Sequence[str] | None = None,
    ) -> None:
        args = Arguments()
        args.day(delivered_on, "delivered_on")
        # Looked up on the class first: a property there (the lists of a frame's results,
        # made when first read) is not run to learn that it exists.
        if not all(hasattr(type(results), name) or hasattr(results, name) for name in _RESULTS):
            kind = "khuyencong.rules.ColumnResults"
            args.problems.append(Problem("$.results", text("rules.not_a", kind=kind), results))
        else:
            given = args.optional(record_ids, "record_ids", list, tuple)
            if isinstance(given, list | tuple) and len(given) != len(results):
                message = text("indicators.record_ids_length", n=len(results))
                args.problems.append(Problem("$.record_ids", message, record_ids))
        args.check()
        self._results = results
        self._on = delivered_on
        with collector_paused():
            self._rows, columns = self._kept(results, record_ids)
        self._record_ids = record_ids
        k = len(columns["est"])
        prototype = SupportRecord(
            id="-",
            establishment_id="-",
            content=SupportContent.MACHINERY,
            delivered_on=delivered_on,
        )
        self._support = table = _Columns(RecordKind.SUPPORT, [prototype] * k, {})
        table._cols.update(columns)
        self._empty: dict[RecordKind, _Table] = {}

    def _kept(
        self, results: _Evaluation, record_ids: Sequence[str] | None
    ) -> tuple[_Rows, dict[str, list[Any]]]:
        """Which rows become records, and the columns of those records that differ from the
        defaults (each value as the constructors keep it)."""
        # Results that hold their columns elsewhere (a Polars frame) pick the kept rows there.
        picked: Callable[[], _Kept] | None = getattr(results, "_eligible_support", None)
        if picked is not None:
            index, ests, content, amounts = picked()
            rows = _Rows((), index)
            rids = ests if record_ids is None else [record_ids[i] for i in index]
        else:
            rows, ests, content, amounts = _kept_of(results)
            rids = ests if record_ids is None else list(itertools.compress(record_ids, rows._mask))
        plain = results._plain  # whether each row's values are as the constructors keep them
        if plain is not None and False in plain:
            # A row given as a caller may write it (an NFD id, a content as text): its values
            # as the constructors keep them.
            for j, i in enumerate(rows):
                if not plain[i]:
                    app = results[i].application
                    ests[j], content[j] = app.establishment.id, app.content
        if record_ids is None:
            rids = ests
        elif not _plain_ids(rids):
            for j, i in enumerate(rows):
                if not plain_identifier(rids[j]):
                    rids[j] = self._build(i, rids[j], ests[j], content[j], amounts[j]).id
        return rows, {
            "id": rids,
            "est": ests,
            "content": content,
            _DELIVERED: [self._on] * len(ests),
            _NATIONAL: amounts,
        }

    def _build(
        self, index: int, rid: str, est: str, content: SupportContent, amount: int
    ) -> SupportRecord:
        try:
            return SupportRecord(
                id=rid,
                establishment_id=est,
                content=content,
                delivered_on=self._on,
                national_amount=amount,
            )
        except ValidationError as exc:
            raise exc.prefixed(f"$.applications[{index}]") from None

    def __len__(self) -> int:
        """How many support records the eligible applications make."""
        return self._support.n

    def __repr__(self) -> str:
        return f"EligibleSupport({len(self)} records of {len(self._results)})"

    # -- IndicatorSource -----------------------------------------------------------------

    def aggregate(self, query: AggregateQuery) -> Aggregate:
        """Answer one grouped count or sum (see :class:`~khuyencong.indicators.IndicatorSource`)."""
        return self._table(query.kind).aggregate(query)

    def unit_refs(self, kind: RecordKind) -> frozenset[UnitRef]:
        """Every unit reference records of ``kind`` are located at (none: the records have no
        location and no establishment)."""
        return self._table(kind).unit_refs()

    def get_records(self, kind: RecordKind, ids: Sequence[str]) -> list[object]:
        """The records with these ids, in that order, built now.

        Raises:
            NotFoundError: If an id is unknown.
        """
        table = self._table(kind)
        cols = table._cols
        return [
            self._build(
                self._rows[j], cols["id"][j], cols["est"][j], cols["content"][j], cols[_NATIONAL][j]
            )
            for j in table.rows_of(ids)
        ]

    def get_establishments(self, ids: Sequence[str]) -> list[Establishment]:
        """The establishments with these ids (there are none here).

        Raises:
            NotFoundError: For the first id.
        """
        for est_id in ids:
            raise NotFoundError("establishment", est_id)
        return []

    def _table(self, kind: RecordKind) -> _Table:
        if kind is RecordKind.SUPPORT:
            return self._support
        table = self._empty.get(kind)
        if table is None:
            table = self._empty[kind] = _Table(kind, (), {})
        return table


_Kept = tuple[list[int], list[Any], list[Any], list[Any]]
"""The kept rows' indexes, establishment ids, contents and national amounts."""


def _kept_of(results: _Evaluation) -> tuple[_Rows, list[Any], list[Any], list[Any]]:
    """The rows that become records (eligible, without an error, with a content), and their
    establishment ids, contents and amounts, from the results' Python lists."""
    c = results.columns
    contents = c.get("content")
    if contents is None:
        contents = [None] * len(results.eligible)
    eligible, errors = results.eligible, results.error
    mask: Sequence[bool]
    if errors.count(None) == len(errors) and None not in contents:
        mask = eligible  # the common case: no error and a content on every row
    else:
        has = map(operator.is_not, contents, itertools.repeat(None))
        fine = map(operator.is_, errors, itertools.repeat(None))  # a content not in force
        mask = list(map(operator.and_, map(operator.and_, eligible, has), fine))

    def kept(column: Sequence[Any]) -> list[Any]:
        return list(itertools.compress(column, mask))

    return _Rows(mask), kept(c["id"]), kept(contents), kept(results.amount_value)


def _plain_ids(ids: list[Any]) -> bool:
    """Whether every id is plainly valid (as :func:`plain_identifier` decides: printable
    ASCII text of 1 to 64 characters without surrounding spaces), decided at C speed over
    the whole column; ``False``: check each."""
    if not ids:
        return True
    if set(map(type, ids)) != {str} or max(map(len, ids)) > _MAX_ID:
        return False
    joined = "\x00".join(ids)  # no id holds a NUL (not printable): the count shows one
    return (
        joined.isascii()
        and joined.count("\x00") == len(ids) - 1
        and joined.replace("\x00", "").isprintable()
        and not (joined.startswith((" ", "\x00")) or joined.endswith((" ", "\x00")))
        and all(bad not in joined for bad in ("\x00\x00", "\x00 ", " \x00"))
        and joined != ""
    )


_MAX_ID = 64
_NATIONAL = f"measure.{Measure.NATIONAL.value}"
_DELIVERED = f"date.{DateField.DELIVERED_ON.value}"
_RESULTS = ("eligible", "error", "amount_value", "columns", "_plain")
