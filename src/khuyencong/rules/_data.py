"""``to_data()`` and ``from_data()`` for the rules' result types, in one place.

An amount, a support level, an advance or a province's overlays becomes JSON-ready data through
the library's converter (enums by value, dates as ISO text, Decimals as text, citations as
tables) and reads back equal; a :class:`~khuyencong.rules.Decision` has its own pair.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

from khuyencong.converters import structure, unstructure

__all__ = ["AsData"]


class AsData:
    """Gives an attrs result type ``to_data()`` and ``from_data()``."""

    __slots__ = ()

    def to_data(self) -> dict[str, Any]:
        """JSON-ready data: enums by value, dates as ISO text, Decimals as text, citations as
        tables (as :func:`khuyencong.converters.unstructure` writes them).

        >>> import datetime as dt
        >>> from khuyencong.rules import support_amount
        >>> data = support_amount("brand", 50_000_000, dt.date(2015, 1, 1)).to_data()
        >>> data["content"], data["amount"], data["rate"], data["on"]
        ('brand', 25000000, '0.5', '2015-01-01')
        """
        data: dict[str, Any] = unstructure(self)
        return data

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Self:
        """Read back what :meth:`to_data` wrote.

        Raises:
            khuyencong.exceptions.ValidationError: If the data does not fit the type, listing
                every problem with its ``$.path``.
        """
        return structure(dict(data), cls)
