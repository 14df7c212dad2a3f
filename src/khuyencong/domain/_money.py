"""Money: integer đồng, exact rates, named rounding, Vietnamese formatting.

Money is always an ``int`` number of đồng (VND has no minor unit in practice), from
``-MAX_DONG`` to :data:`MAX_DONG` (10^15 đồng; only a change of income may be negative). Rates are
:class:`~decimal.Decimal`. Applying a rate gives a Decimal, which is turned back into đồng by an
explicitly named rounding: :func:`round_down` (the legal support amounts are rounded down, so a
support never exceeds its rate × cost).

>>> from decimal import Decimal
>>> round_down(Decimal("0.3") * 1_234_567)
370370
>>> format_vnd(1_234_567)
'1.234.567 đ'
>>> format_vnd(1_234_567, "en")
'VND 1,234,567'
>>> million(1.5)
Traceback (most recent call last):
khuyencong.exceptions.ValidationError: $.amount: ...
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal
from typing import Final

from khuyencong.exceptions import ValidationError
from khuyencong.messages import Lang, text

__all__ = ["MAX_DONG", "Dong", "format_vnd", "group_digits", "million", "parse_rate", "round_down"]

Dong = int
"""An amount of money in đồng. Never a float."""

MAX_DONG: Final = 10**15
"""The largest amount of money the library holds: 10^15 đồng (một triệu tỷ đồng).

Every money field of every domain object is at most this (and at least its negative, for the
one field that may fall: a change of income). The bound is chosen so that every store holds
every valid value and its sums, with room to spare:

- a database integer (SQLite ``INTEGER``, PostgreSQL ``BIGINT``) holds up to 2^63 − 1 ≈ 9.2 ×
  10^18, so even the sum of a record's three amounts (national, local, co-funding) fits;
- an envelope's committed and paid totals never exceed its total, so they fit too;
- indicator sums over any number of records are computed without overflow (PostgreSQL sums
  integers as ``NUMERIC``; the SQLite store sums the thousands of millions and the rest apart);
- it is about half of the whole state budget's yearly spending, and a thousand times the
  largest khuyến công programme, so no true amount comes near it: 10^20 đồng is a typing slip.
"""

_MILLION = Decimal(1_000_000)


def _refused(name: str, value: object, key: str, /, **fields: object) -> ValidationError:
    return ValidationError.single(f"$.{name}", value, text(key, **fields))


def _exact(value: object, name: str, kinds: tuple[type, ...]) -> None:
    """Refuse a float (money and rates are exact), a bool, or anything not of ``kinds``."""
    if isinstance(value, bool) or not isinstance(value, kinds):
        raise _refused(name, value, "rules.not_a", kind=" | ".join(k.__name__ for k in kinds))


def round_down(amount: Decimal | int) -> Dong:
    """Round an exact amount down to whole đồng (towards minus infinity).

    Raises:
        ValidationError: For a float (which cannot hold money exactly) or anything but a
            finite ``Decimal`` or an ``int``, naming ``amount``.
    """
    _exact(amount, "amount", (Decimal, int))
    if isinstance(amount, int):
        return amount
    if not amount.is_finite():
        raise _refused("amount", amount, "domain.money.not_a_number")
    return int(amount.to_integral_value(rounding=ROUND_FLOOR))


def million(amount: Decimal | int | str) -> Dong:
    """An amount given in million đồng (as the circulars write it) in whole đồng.

    >>> million(35), million("1.5")
    (35000000, 1500000)

    Raises:
        ValidationError: Naming ``amount``, for a float, text that is not a number, or an amount
            that is not a whole number of đồng.
    """
    _exact(amount, "amount", (Decimal, int, str))
    try:
        value = Decimal(amount) * _MILLION
    except ArithmeticError:  # text that is not a number
        raise _refused("amount", amount, "domain.money.not_a_number") from None
    if not value.is_finite():
        raise _refused("amount", amount, "domain.money.not_a_number")
    if value != value.to_integral_value():
        raise _refused("amount", amount, "storage.amount_not_whole")
    return int(value)


def parse_rate(text: str | Decimal | int) -> Decimal:
    """A rate as an exact Decimal: ``"0.3"``, ``"30%"`` and ``Decimal("0.3")`` are the same.

    >>> parse_rate("30%"), parse_rate("0.5"), parse_rate(1)
    (Decimal('0.3'), Decimal('0.5'), Decimal('1'))

    Raises:
        ValidationError: Naming ``text``, for a float, or anything that is not a finite number.
    """
    _exact(text, "text", (str, Decimal, int))
    raw = text.strip() if isinstance(text, str) else text
    percent = isinstance(raw, str) and raw.endswith("%")
    try:
        value = Decimal(raw.removesuffix("%").strip() if isinstance(raw, str) else raw)
    except ArithmeticError:
        raise _refused("text", text, "domain.money.not_a_number") from None
    if not value.is_finite():
        raise _refused("text", text, "domain.money.not_a_number")
    return value / 100 if percent else value


def group_digits(n: int, lang: Lang | None = None) -> str:
    """A whole number with the thousands separator of ``lang`` (``1.234`` / ``1,234``)."""
    return f"{n:,}".replace(",", text("domain.number.thousands", lang))


def format_vnd(amount: Dong, lang: Lang | None = None) -> str:
    """Format đồng the Vietnamese way (``1.234.567 đ``) or the English way (``VND 1,234,567``),
    in the language in force by default.

    Raises:
        ValidationError: If ``amount`` is not whole đồng (an ``int``), naming it.
    """
    _exact(amount, "amount", (int,))
    return text("domain.vnd", lang, amount=group_digits(amount, lang))
