"""Budget envelopes: the money a fund allots to a province for a year.

>>> from khuyencong.units import MapId, UnitRef
>>> env = BudgetEnvelope(Fund.LOCAL, UnitRef(MapId.MAP_2021, "24"), 2019, 5_000_000_000)
>>> env.key
'local/24/2019'
"""

from __future__ import annotations

import attrs

from khuyencong.domain._contents import Fund
from khuyencong.domain._converters import nfc
from khuyencong.domain._money import Dong
from khuyencong.domain._validation import Checks
from khuyencong.units import UnitRef

__all__ = ["BudgetEnvelope"]


@attrs.frozen
class BudgetEnvelope:
    """An envelope per fund, province and year, against which approvals are committed.

    Attributes:
        fund: National or local fund.
        province: The province (a unit reference of province level).
        year: The budget year.
        total: The envelope, in đồng.
        decision: The decision that allotted it (number and date, free text).
    """

    fund: Fund
    province: UnitRef
    year: int
    total: Dong
    decision: str = attrs.field(default="", converter=nfc)

    def __attrs_post_init__(self) -> None:
        c = Checks()
        c.money("total", self.total)
        if isinstance(self.year, bool) or not isinstance(self.year, int):
            c.fail("year", self.year, "must be a year")
        c.raise_if_any()

    @property
    def key(self) -> str:
        """A stable key: ``fund/province/year``."""
        return f"{self.fund.value}/{self.province.code}/{self.year}"
