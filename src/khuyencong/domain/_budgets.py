"""Budget envelopes: the money a fund allots to a province for a year, and what it allows.

The envelope guards its own invariant: money committed against it never goes over its total,
and a project is never paid more than is committed to it and not yet paid. A store keeps the
running sums and the locks; it asks the envelope whether a commitment or a payment is allowed
(:meth:`BudgetEnvelope.check_commitment`, :meth:`BudgetEnvelope.check_disbursement`), so that
every store, including a third-party one, applies the same rule.

>>> from khuyencong.units import MapId, UnitRef
>>> env = BudgetEnvelope(Fund.LOCAL, UnitRef(MapId.MAP_2021, "24"), 2019, 5_000_000_000)
>>> env.key
'local/24/2019'
>>> env.check_commitment(1_000_000_000, committed=3_500_000_000)
1000000000
>>> env.check_commitment(2_000_000_000, committed=3_500_000_000)  # doctest: +ELLIPSIS
Traceback (most recent call last):
khuyencong.exceptions.BudgetExceededError: ...
"""

from __future__ import annotations

import attrs

from khuyencong.domain._contents import Fund
from khuyencong.domain._converters import nfc
from khuyencong.domain._money import MAX_DONG, Dong
from khuyencong.domain._validation import Checks
from khuyencong.exceptions import BudgetExceededError, ValidationError
from khuyencong.messages import text as message
from khuyencong.units import UnitRef

__all__ = ["BudgetEnvelope", "check_amount"]


def check_amount(amount: object) -> Dong:
    """An amount to commit or pay: a positive whole number of đồng, at most ``MAX_DONG``.

    >>> check_amount(150_000_000)
    150000000

    Raises:
        ValidationError: If it is not (path ``$.amount``).
    """
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise ValidationError.single("$.amount", amount, message("storage.amount_not_whole"))
    if amount <= 0:
        raise ValidationError.single("$.amount", amount, message("storage.amount_not_positive"))
    if amount > MAX_DONG:
        raise ValidationError.single("$.amount", amount, message("storage.money_too_large"))
    return amount


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
            c.fail("year", self.year, message("domain.check.year"))
        c.no_nul(self)
        c.raise_if_any()

    @property
    def key(self) -> str:
        """A stable key: ``fund/province/year``."""
        return f"{self.fund.value}/{self.province.code}/{self.year}"

    def check_commitment(self, amount: object, *, committed: Dong) -> Dong:
        """Whether ``amount`` may be committed when ``committed`` already is; the amount if so.

        Args:
            amount: The amount to commit, in đồng.
            committed: What is already committed against the envelope, in đồng.

        Returns:
            ``amount``, checked.

        Raises:
            ValidationError: If ``amount`` is not a positive whole number of đồng within bounds.
            BudgetExceededError: If less than ``amount`` is left; names the envelope's key and
                the shortfall.
        """
        checked = check_amount(amount)
        available = self.total - committed
        if checked > available:
            raise BudgetExceededError(self.key, checked, available)
        return checked

    def check_disbursement(
        self, amount: object, *, project_id: str, committed: Dong, disbursed: Dong
    ) -> Dong:
        """Whether ``amount`` may be paid to a project; the amount if so.

        A project is paid at most what is committed to it in this envelope and not yet paid.

        Args:
            amount: The amount to pay, in đồng.
            project_id: The project.
            committed: What is committed to the project in this envelope, in đồng.
            disbursed: What the project was already paid out of this envelope, in đồng.

        Returns:
            ``amount``, checked.

        Raises:
            ValidationError: If ``amount`` is not a positive whole number of đồng within bounds.
            BudgetExceededError: If the unpaid commitment is smaller; ``envelope`` is the key and
                ``project_id`` the project.
        """
        checked = check_amount(amount)
        available = committed - disbursed
        if checked > available:
            raise BudgetExceededError(self.key, checked, available, project_id=project_id)
        return checked
