"""``to_data()`` and ``from_data()`` for the library's result types, in one place.

A result — an amount, an advance, an indicator result, a ratio, a table, a report — becomes
JSON-ready data through the library's converter (enums by value, dates as ISO text, Decimals as
text, exact ratios as text such as ``"3/7"``, citations as tables). A type that can be read
back exactly has ``from_data()`` too (:class:`AsData`); a type whose data cannot say which
Python type a value was (a table's cells: text or an exact ratio written as text) has only
``to_data()`` (:class:`ToData`). A :class:`~khuyencong.rules.Decision` has its own pair.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

from khuyencong.converters import structure, unstructure

__all__ = ["AsData", "ToData"]


class ToData:
    """Gives an attrs result type ``to_data()``."""

    __slots__ = ()

    def to_data(self) -> dict[str, Any]:
        """JSON-ready data: enums by value, dates as ISO text, Decimals as text, exact ratios as
        text (``"3/7"``), citations as tables (as :func:`khuyencong.converters.unstructure`
        writes them).

        >>> import datetime as dt
        >>> from khuyencong.rules import support_amount
        >>> data = support_amount("brand", 50_000_000, dt.date(2015, 1, 1)).to_data()
        >>> data["content"], data["amount"], data["rate"], data["on"]
        ('brand', 25000000, '0.5', '2015-01-01')
        """
        data: dict[str, Any] = unstructure(self)
        return data


class AsData(ToData):
    """Gives an attrs result type ``to_data()`` and ``from_data()``, which reads it back equal."""

    __slots__ = ()

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Self:
        """Read back what :meth:`to_data` wrote.

        Raises:
            khuyencong.exceptions.ValidationError: If the data does not fit the type, listing
                every problem with its ``$.path``.
        """
        return structure(dict(data), cls)
