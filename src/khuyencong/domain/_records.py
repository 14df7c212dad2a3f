"""Records of what happened: support delivered, fair participations, award entries, OCOP ratings.

Records are immutable facts. They carry the administrative unit *as it was* on the event date,
the lead agency and its partners (so that a national roll-up does not count joint work twice),
and money in integer đồng by fund, with the beneficiary's co-funding kept apart.

>>> import datetime as dt
>>> r = SupportRecord(
...     id="SR-1", establishment_id="BG-HTX-001", content=SupportContent.DESIGN_CONSULTING,
...     delivered_on=dt.date(2018, 6, 1), local_amount=20_000_000, co_funding=20_000_000,
... )
>>> r.public_amount
20000000
"""

from __future__ import annotations

import datetime as dt
import itertools
import operator
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from khuyencong._arguments import expect
from khuyencong.domain._contents import Fund, SupportContent
from khuyencong.domain._converters import (
    column_converter,
    nfc,
    nfc_identifier,
    nfc_optional,
    text_tuple,
)
from khuyencong.domain._establishments import (
    check_identifier,
    plain_count,
    plain_identifier,
    plain_money,
)
from khuyencong.domain._labels import LabelledEnum, register_labels
from khuyencong.domain._money import MAX_DONG, Dong
from khuyencong.domain._validation import NUL, Checks
from khuyencong.exceptions import ValidationError
from khuyencong.messages import text as message
from khuyencong.units import UnitRef

__all__ = [
    "AwardEntry",
    "AwardLevel",
    "FairKind",
    "FairParticipation",
    "OcopRating",
    "ProductGroup",
    "SupportRecord",
    "plain_support_rows",
    "support_record_columns",
]


def _check_agencies(c: Checks, lead: object, partners: object) -> None:
    c.text("lead_agency", lead, optional=True)
    for i, partner in enumerate(c.many("partners", partners)):
        c.text(f"partners[{i}]", partner)


_DATE_ORDER: tuple[tuple[str, Callable[[dt.date, dt.date], bool], str], ...] = (
    ("decided_on", operator.le, "decided_after_delivery"),
    ("accepted_on", operator.ge, "accepted_before_delivery"),
    ("outcome_reported_on", operator.ge, "outcome_before_delivery"),
)
"""The dates of a support record kept in order with its delivery: the field, what holds of
``(date, delivery date)``, and the message (``domain.check.<key>``) when it does not."""


def _check_order(
    c: Checks,
    delivered: dt.date | None,
    dates: Mapping[str, dt.date | None],
    order: Sequence[tuple[str, Callable[[dt.date, dt.date], bool], str]],
) -> None:
    for field, holds, key in order:
        value = dates[field]
        if delivered and value and not holds(value, delivered):
            text = message(f"domain.check.{key}", delivered=delivered.isoformat())
            c.fail(field, value.isoformat(), text)


@attrs.frozen
class SupportRecord:
    """Support delivered to one establishment under one content.

    Attributes:
        id: The record identifier.
        establishment_id: Who received it.
        content: What was delivered.
        delivered_on: When it was delivered (or completed).
        national_amount: Paid from the national fund, in đồng.
        local_amount: Paid from the local fund, in đồng.
        co_funding: Paid by the beneficiary (đối ứng), in đồng.
        participants: Persons taking part (workshops, classes).
        trainees: Persons trained (vocational, craft transmission, management).
        quantity: Units delivered (models, showrooms, machines…).
        project_id: The project it was delivered under, if any.
        lead_agency: Who led the delivery.
        partners: Who delivered it in coordination (phối hợp).
        location: The administrative unit of delivery, as it was on the delivery date.
        decided_on: Date of the decision to support.
        accepted_on: Date of acceptance.
        note: Free text.
        jobs_created: New jobs the beneficiary reported after the support (persons, zero or
            more); ``None`` when no outcome was reported (not the same as zero).
        income_change: The change in members' or workers' income the beneficiary reported
            after the support, in đồng per year; negative for a fall; ``None`` when not
            reported.
        outcome_reported_on: When the beneficiary reported these outcomes (not before the
            delivery); ``None`` when unknown. The outcome indicators place a record in a period
            by this date, else by the delivery date.
    """

    id: str = attrs.field(converter=nfc_identifier)
    establishment_id: str = attrs.field(converter=nfc_identifier)
    content: SupportContent
    delivered_on: dt.date
    national_amount: Dong = 0
    local_amount: Dong = 0
    co_funding: Dong = 0
    participants: int = 0
    trainees: int = 0
    quantity: int = 1
    project_id: str | None = attrs.field(default=None, converter=nfc_identifier)
    lead_agency: str | None = attrs.field(default=None, converter=nfc_optional)
    partners: tuple[str, ...] = attrs.field(default=(), converter=text_tuple)
    location: UnitRef | None = None
    decided_on: dt.date | None = None
    accepted_on: dt.date | None = None
    note: str = attrs.field(default="", converter=nfc)
    jobs_created: int | None = None
    income_change: Dong | None = None
    outcome_reported_on: dt.date | None = None

    def __attrs_post_init__(self) -> None:
        if self._plainly_valid():
            return
        c = Checks()
        check_identifier(c, "id", self.id)
        check_identifier(c, "establishment_id", self.establishment_id)
        c.require(
            isinstance(self.content, SupportContent),
            "content",
            self.content,
            "support_content",
        )
        for field in ("national_amount", "local_amount", "co_funding"):
            c.money(field, getattr(self, field))
        for field in ("participants", "trainees", "quantity"):
            c.count(field, getattr(self, field))
        if self.project_id is not None:
            check_identifier(c, "project_id", self.project_id)
        _check_agencies(c, self.lead_agency, self.partners)
        delivered = self.delivered_on if c.date("delivered_on", self.delivered_on) else None
        dates = {
            f: getattr(self, f) if c.date(f, getattr(self, f), optional=True) else None
            for f, _, _ in _DATE_ORDER
        }
        _check_order(c, delivered, dates, _DATE_ORDER[:2])
        c.count("jobs_created", self.jobs_created, optional=True)
        c.signed_money("income_change", self.income_change, optional=True)
        _check_order(c, delivered, dates, _DATE_ORDER[2:])
        c.no_nul(self)
        c.raise_if_any()

    def _plainly_valid(self) -> bool:
        """Whether every check below would pass, decided cheaply for the common case: exact
        types, ASCII identifiers, only the delivery date, no agencies. ``False`` only means
        "run the full checks" (they name every problem), so the errors are theirs."""
        delivered = self.delivered_on
        return (
            type(self.content) is SupportContent
            and type(delivered) is dt.date
            and plain_identifier(self.id)
            and plain_identifier(self.establishment_id)
            and self.project_id is None
            and self.lead_agency is None
            and self.decided_on is None
            and self.accepted_on is None
            and self.outcome_reported_on is None
            and self.jobs_created is None
            and self.income_change is None
            and type(self.partners) is tuple
            and not self.partners
            and plain_money(self.national_amount)
            and plain_money(self.local_amount)
            and plain_money(self.co_funding)
            and plain_count(self.participants)
            and plain_count(self.trainees)
            and plain_count(self.quantity)
            and type(self.note) is str
            and NUL not in self.note
        )

    @property
    def public_amount(self) -> Dong:
        """National plus local fund."""
        return self.national_amount + self.local_amount

    def amount(self, fund: Fund) -> Dong:
        """The amount paid from ``fund``."""
        return self.national_amount if fund is Fund.NATIONAL else self.local_amount


# --- support records as columns -------------------------------------------------------------
#
# The tests below decide, for a whole column at C speed, what SupportRecord._plainly_valid
# decides for one record (and a little more: the outcomes, the project, the agencies): that
# every check of the constructor passes. A column that is not plain as a whole is tested value
# by value; a row with a value that is not plain goes through the constructor. The dates kept in
# order with the delivery are compared by the constructor's own table (_DATE_ORDER).


def _plain_identifiers(column: Sequence[Any]) -> bool:
    """Whether every value is a :func:`plain_identifier`, decided over the whole column."""
    if set(map(type, column)) != {str}:
        return False
    joined = "".join(column)
    return (
        joined.isascii()
        and joined.isprintable()  # in ASCII: no control character (nor a NUL); a space may be
        and "" not in column
        and max(map(len, column)) <= 64
        # No surrounding spaces (the only ASCII space that is printable is " ").
        and (" " not in joined or len(joined) == len("".join(map(str.strip, column))))
    )


def _plain_numbers(low: int, high: int | None, *, optional: bool) -> Callable[..., bool]:
    def plain(column: Sequence[Any]) -> bool:
        numbers = [v for v in column if v is not None] if optional else column
        if set(map(type, numbers)) - {int}:
            return False
        return not numbers or (min(numbers) >= low and (high is None or max(numbers) <= high))

    return plain


def _plain_texts(column: Sequence[Any]) -> bool:
    """Whether every value is a text with something besides spaces and no NUL."""
    return (
        set(map(type, column)) == {str}
        and all(map(str.strip, column))
        and (NUL not in "".join(column))
    )


def _plain_optional(test: Callable[[Sequence[Any]], bool]) -> Callable[..., bool]:
    def plain(column: Sequence[Any]) -> bool:
        given = [v for v in column if v is not None]
        return not given or test(given)

    return plain


def _plain_partners(column: Sequence[Any]) -> bool:
    if set(map(type, column)) != {tuple}:
        return False
    items = list(itertools.chain.from_iterable(column))
    return not items or _plain_texts(items)


def _plain_types(*kinds: type[Any]) -> Callable[..., bool]:
    return lambda column: set(map(type, column)) <= set(kinds)


_NONE: type[Any] = type(None)

_PLAIN_COLUMNS: dict[str, Callable[[Sequence[Any]], bool]] = {
    "id": _plain_identifiers,
    "establishment_id": _plain_identifiers,
    "content": _plain_types(SupportContent),
    "delivered_on": _plain_types(dt.date),
    "national_amount": _plain_numbers(0, MAX_DONG, optional=False),
    "local_amount": _plain_numbers(0, MAX_DONG, optional=False),
    "co_funding": _plain_numbers(0, MAX_DONG, optional=False),
    "participants": _plain_numbers(0, None, optional=False),
    "trainees": _plain_numbers(0, None, optional=False),
    "quantity": _plain_numbers(0, None, optional=False),
    "project_id": _plain_optional(_plain_identifiers),
    "lead_agency": _plain_optional(_plain_texts),
    "partners": _plain_partners,
    "location": _plain_types(_NONE, UnitRef),
    "note": lambda column: set(map(type, column)) == {str} and NUL not in "".join(column),
    "jobs_created": _plain_numbers(0, None, optional=True),
    "income_change": _plain_numbers(-MAX_DONG, MAX_DONG, optional=True),
}
"""For each field of :class:`SupportRecord`, whether a whole column of its values is plain."""


def plain_support_rows(columns: Mapping[str, Sequence[Any]]) -> list[bool]:
    """For support records given as columns, whether each row would pass every check of
    :class:`SupportRecord`, decided cheaply for the common case.

    Args:
        columns: One sequence per field of :class:`SupportRecord` (every field), of equal
            lengths, holding the values the record would hold (after its fields' converters).

    Returns:
        For each row, ``True`` if its record is valid; ``False`` only means "build it through
        the constructor", whose checks name every problem.
    """
    n = len(columns["id"])
    plain = [True] * n
    for field, test in _PLAIN_COLUMNS.items():
        column = columns[field]
        if test(column):
            continue
        for i, value in enumerate(column):
            if plain[i] and not test((value,)):
                plain[i] = False
    delivered = columns["delivered_on"]
    for field, holds, _ in _DATE_ORDER:  # the constructor's own comparisons, where given
        column = columns[field]
        if column.count(None) == n:
            continue
        for i, value in enumerate(column):
            if value is not None and not (
                type(value) is dt.date
                and type(delivered[i]) is dt.date
                and holds(value, delivered[i])
            ):
                plain[i] = False
    return plain


def support_record_columns(columns: Mapping[str, Sequence[Any]]) -> dict[str, list[Any]]:
    """Support records given as columns, checked as :class:`SupportRecord` checks them.

    What ``SupportRecord(**row)`` does for each row, without building the records: a field
    without a column takes its default, each field's converter is applied (once per distinct
    value), and every row passes the constructor's checks — decided column by column for the
    common case (:func:`plain_support_rows`), through the constructor for the other rows.

    Args:
        columns: Lists or tuples of equal lengths, one per field given, holding the values the
            constructor takes (``id``, ``establishment_id``, ``content`` and ``delivered_on``
            are required).

    Returns:
        Every field's column (lists), holding the values the records hold.

    Raises:
        ValidationError: Listing every problem of every invalid row at ``$[row].field``, or a
            column that is unknown, missing, not a list or tuple, or of another length at
            ``$.field`` (``$.columns`` when it is not a mapping).

    >>> import datetime as dt
    >>> c = support_record_columns({
    ...     "id": ["SR-1", "SR-2"], "establishment_id": ["E-1", "E-1"],
    ...     "content": [SupportContent.BRAND] * 2, "delivered_on": [dt.date(2018, 6, 1)] * 2,
    ...     "note": ["  mẫu ", ""],
    ... })
    >>> c["quantity"], c["note"]
    ([1, 1], ['mẫu', ''])
    """
    expect(columns, "columns", Mapping)
    fields = attrs.fields_dict(SupportRecord)
    for name, column in columns.items():
        if type(column) not in {list, tuple}:
            message_ = message("domain.check.column_not_list")
            raise ValidationError.single(f"$.{name}", type(column).__name__, message_)
    unknown = sorted(set(columns) - set(fields))
    if unknown:
        message_ = message("domain.check.unknown_field")
        raise ValidationError.single(f"$.{unknown[0]}", unknown[0], message_)
    n = -1
    for name in fields:
        given: Sequence[Any] | None = columns.get(name)
        if given is None:
            if fields[name].default is attrs.NOTHING:
                message_ = message("domain.check.required_field")
                raise ValidationError.single(f"$.{name}", None, message_)
            continue
        if n < 0:
            n = len(given)
        elif len(given) != n:
            raise ValidationError.single(
                f"$.{name}", len(given), message("domain.check.column_length", rows=n)
            )
    filled: dict[str, list[Any]] = {}
    for name, field in fields.items():
        given = columns.get(name)
        convert: Callable[[Any], Any] | None = field.converter  # type: ignore[assignment]
        if given is None:
            default = field.default
            value = default if convert is None else convert(default)
            filled[name] = [value] * n
        elif convert is None:
            filled[name] = list(given)
        else:
            filled[name] = _converted(convert, given)
    problems: list[Any] = []
    for i, plain in enumerate(plain_support_rows(filled)):
        if plain:
            continue
        try:
            record = SupportRecord(**{name: filled[name][i] for name in fields})
        except ValidationError as exc:
            problems.extend(exc.prefixed(f"$[{i}]").problems)
            continue
        for name in fields:  # what the record holds (the converters are idempotent)
            filled[name][i] = getattr(record, name)
    if problems:
        raise ValidationError(problems)
    return filled


def _converted(convert: Callable[[Any], Any], column: Sequence[Any]) -> list[Any]:
    """``[convert(v) for v in column]``: by the converter's own column form if it has one,
    else converting each distinct value once where the values are of one type (a dict would
    take ``1`` and ``True`` for one key)."""
    whole = column_converter(convert)
    if whole is not None:
        return whole(column)
    distinct: set[Any] | None = None
    if set(map(type, column)) <= _DISTINCT_KEYS and (
        len(set(column[:_SAMPLE])) * 2 <= min(len(column), _SAMPLE)
    ):
        distinct = set(column)
    if distinct is None or len(distinct) * 2 > len(column):
        return list(map(convert, column))
    memo = {value: convert(value) for value in distinct}
    return list(map(memo.__getitem__, column))


_SAMPLE = 1000
"""How many values of a column tell whether it repeats enough to convert it by value."""
_DISTINCT_KEYS = {str, int, _NONE, dt.date}
"""Types whose equal values are the same value (not ``1`` and ``True``, nor ``1`` and
``Decimal(1)``): a column of these may be converted once per distinct value."""


class FairKind(LabelledEnum):
    """Where a fair is held."""

    DOMESTIC = "domestic"
    OVERSEAS = "overseas"


register_labels(
    FairKind,
    {
        FairKind.DOMESTIC: ("Hội chợ, triển lãm trong nước", "Domestic fair"),
        FairKind.OVERSEAS: ("Hội chợ, triển lãm nước ngoài", "Overseas fair"),
    },
)


@attrs.frozen
class FairParticipation:
    """One establishment at one fair (one "lượt": the same establishment at five fairs is five).

    Attributes:
        id: The record identifier.
        establishment_id: Who took part.
        fair_name: The fair or exhibition.
        fair_kind: Domestic or overseas.
        start_on: First day of the fair.
        end_on: Last day, if known.
        place: Where it was held (free text: city, country).
        supported_amount: Support paid, in đồng.
        fund: Which fund paid the support, if any was paid.
        project_id: The project it belonged to, if any.
        lead_agency: Who organised the participation.
        partners: Partners in coordination.
        location: The establishment's unit as it was on the fair date.
    """

    id: str = attrs.field(converter=nfc_identifier)
    establishment_id: str = attrs.field(converter=nfc_identifier)
    fair_name: str = attrs.field(converter=nfc)
    fair_kind: FairKind
    start_on: dt.date
    end_on: dt.date | None = None
    place: str = attrs.field(default="", converter=nfc)
    supported_amount: Dong = 0
    fund: Fund | None = None
    project_id: str | None = attrs.field(default=None, converter=nfc_identifier)
    lead_agency: str | None = attrs.field(default=None, converter=nfc_optional)
    partners: tuple[str, ...] = attrs.field(default=(), converter=text_tuple)
    location: UnitRef | None = None

    def __attrs_post_init__(self) -> None:
        c = Checks()
        check_identifier(c, "id", self.id)
        check_identifier(c, "establishment_id", self.establishment_id)
        c.text("fair_name", self.fair_name)
        c.money("supported_amount", self.supported_amount)
        start = self.start_on if c.date("start_on", self.start_on) else None
        end = self.end_on if c.date("end_on", self.end_on, optional=True) else None
        if start and end and end < start:
            c.fail(
                "end_on",
                end.isoformat(),
                message("domain.check.ends_before_start", start=start.isoformat()),
            )
        if self.supported_amount and self.fund is None:
            c.fail("fund", None, message("domain.check.fund_needed"))
        if self.project_id is not None:
            check_identifier(c, "project_id", self.project_id)
        _check_agencies(c, self.lead_agency, self.partners)
        c.no_nul(self)
        c.raise_if_any()


class AwardLevel(LabelledEnum):
    """Levels of the typical rural-industrial product award (26/2014/TT-BCT, 38/2025/TT-BCT)."""

    COMMUNE = "commune"
    DISTRICT = "district"
    PROVINCE = "province"
    REGION = "region"
    NATION = "nation"


register_labels(
    AwardLevel,
    {
        AwardLevel.COMMUNE: ("Cấp xã", "Commune level"),
        AwardLevel.DISTRICT: ("Cấp huyện", "District level"),
        AwardLevel.PROVINCE: ("Cấp tỉnh", "Provincial level"),
        AwardLevel.REGION: ("Cấp khu vực", "Regional level"),
        AwardLevel.NATION: ("Cấp quốc gia", "National level"),
    },
)


class ProductGroup(LabelledEnum):
    """Product groups of the award (26/2014/TT-BCT)."""

    FINE_ART_HANDICRAFTS = "fine_art_handicrafts"
    PROCESSED_AGRO_FOOD = "processed_agro_food"
    EQUIPMENT_MACHINERY = "equipment_machinery"
    OTHER = "other"


register_labels(
    ProductGroup,
    {
        ProductGroup.FINE_ART_HANDICRAFTS: ("Thủ công mỹ nghệ", "Fine-art handicrafts"),
        ProductGroup.PROCESSED_AGRO_FOOD: (
            "Chế biến nông, lâm, thủy sản và thực phẩm",
            "Processed agricultural, forestry, aquatic products and food",
        ),
        ProductGroup.EQUIPMENT_MACHINERY: (
            "Thiết bị, máy móc, dụng cụ, phụ tùng cơ khí",
            "Equipment, machinery, tools and mechanical parts",
        ),
        ProductGroup.OTHER: ("Sản phẩm khác", "Other products"),
    },
)

_HUNDRED = Decimal(100)


def _check_score(c: Checks, score: object) -> None:
    if not isinstance(score, Decimal) or not score.is_finite():
        c.fail("score", score, message("domain.check.score_decimal"))
    elif not 0 <= score <= _HUNDRED:
        c.fail("score", str(score), message("domain.check.score_range"))


@attrs.frozen
class AwardEntry:
    """A product entered in one round of the award at one level, and its result.

    ``passed`` (the jury's average reached the pass mark) and ``recognised`` (the council
    certified it) are separate facts: the council decides how many passing products it certifies.

    Attributes:
        id: The entry identifier.
        product_name: The product.
        establishment_id: Who makes it.
        product_group: The award's product group.
        level: The level of the round.
        round_year: The year of the round.
        entered_on: Date of entry.
        score: Average jury score out of 100 (Decimal), once scored.
        passed: Whether the score reached the pass mark, once decided.
        recognised: Whether it was certified, once decided (only a passed product can be).
        certificate_no: The certificate number, when recognised.
        certificate_issued_on: The certificate's issue date, when recognised.
        prior_entry_id: The lower-level entry whose certificate qualified it, if any.
        location: The establishment's unit as it was on the round date.
    """

    id: str = attrs.field(converter=nfc_identifier)
    product_name: str = attrs.field(converter=nfc)
    establishment_id: str = attrs.field(converter=nfc_identifier)
    product_group: ProductGroup
    level: AwardLevel
    round_year: int
    entered_on: dt.date | None = None
    score: Decimal | None = None
    passed: bool | None = None
    recognised: bool | None = None
    certificate_no: str | None = attrs.field(default=None, converter=nfc_optional)
    certificate_issued_on: dt.date | None = None
    prior_entry_id: str | None = attrs.field(default=None, converter=nfc_identifier)
    location: UnitRef | None = None

    def __attrs_post_init__(self) -> None:
        c = Checks()
        check_identifier(c, "id", self.id)
        check_identifier(c, "establishment_id", self.establishment_id)
        c.text("product_name", self.product_name)
        if isinstance(self.round_year, bool) or not isinstance(self.round_year, int):
            c.fail("round_year", self.round_year, message("domain.check.year"))
        if self.score is not None:
            _check_score(c, self.score)
        if self.recognised and not self.passed:
            c.fail("recognised", value=True, message=message("domain.check.recognised_needs_pass"))
        if (self.certificate_no or self.certificate_issued_on) and not self.recognised:
            c.fail(
                "certificate_no",
                self.certificate_no,
                message("domain.check.certificate_needs_recognition"),
            )
        if self.prior_entry_id is not None:
            check_identifier(c, "prior_entry_id", self.prior_entry_id)
        c.no_nul(self)
        c.raise_if_any()


@attrs.frozen
class OcopRating:
    """An OCOP (One Commune One Product) rating of a product.

    Attributes:
        id: The rating identifier.
        product_name: The product.
        establishment_id: Who makes it.
        rated_on: The date of the rating decision.
        score: Total score out of 100 (Decimal).
        stars: The stars awarded (1–5), as decided.
        location: The establishment's unit as it was on the rating date.
    """

    id: str = attrs.field(converter=nfc_identifier)
    product_name: str = attrs.field(converter=nfc)
    establishment_id: str = attrs.field(converter=nfc_identifier)
    rated_on: dt.date
    score: Decimal
    stars: int
    location: UnitRef | None = None

    def __attrs_post_init__(self) -> None:
        c = Checks()
        check_identifier(c, "id", self.id)
        check_identifier(c, "establishment_id", self.establishment_id)
        c.text("product_name", self.product_name)
        _check_score(c, self.score)
        if isinstance(self.stars, bool) or not isinstance(self.stars, int):
            c.fail("stars", self.stars, message("domain.check.stars_int"))
        elif not 1 <= self.stars <= 5:
            c.fail("stars", self.stars, message("domain.check.stars_range"))
        c.no_nul(self)
        c.raise_if_any()
