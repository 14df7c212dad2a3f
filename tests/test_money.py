"""Money is integer đồng; rates are exact; rounding is named; formatting is Vietnamese."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from khuyencong.domain import (
    MAX_DONG,
    BudgetEnvelope,
    Fund,
    SupportContent,
    SupportRecord,
    format_vnd,
    million,
    parse_rate,
    round_down,
)
from khuyencong.exceptions import ValidationError
from khuyencong.units import MapId, UnitRef


class TestRoundDown:
    def test_support_is_rounded_down_to_whole_dong(self) -> None:
        """30% of 1,234,567 đ is 370,370.1 đ, paid as 370,370 đ (never more than rate × cost)."""
        assert round_down(Decimal("0.3") * 1_234_567) == 370_370

    @pytest.mark.parametrize("bad", [0.1, "12", None, True])
    def test_anything_but_a_decimal_or_an_int_is_refused_naming_the_argument(
        self, bad: object
    ) -> None:
        """A float cannot hold money exactly, and text or None is no amount: each is refused
        with the library's ValidationError naming ``amount``."""
        with pytest.raises(ValidationError) as caught:
            round_down(bad)  # type: ignore[arg-type]
        assert caught.value.paths == ("$.amount",)

    @given(st.integers(0, 10**12), st.integers(0, 100))
    def test_rounded_amount_never_exceeds_the_exact_amount(self, cost: int, pct: int) -> None:
        """Rounding down never pays more than the exact share, and loses less than 1 đ."""
        exact = Decimal(pct) / 100 * cost
        paid = round_down(exact)
        assert paid <= exact < paid + 1


class TestMillion:
    def test_amounts_in_millions_become_dong(self) -> None:
        """Circulars write caps in million đồng: 35 million is 35,000,000 đ."""
        assert million(35) == 35_000_000
        assert million("1.5") == 1_500_000
        assert million(Decimal("0.000001")) == 1

    @pytest.mark.parametrize("bad", ["0.0000001", 1.5, "mười", None, Decimal("NaN")])
    def test_fractions_of_a_dong_floats_and_words_are_refused(self, bad: object) -> None:
        """A cap must be whole đồng, a number, and never typed as a float: each mistake is the
        library's ValidationError (a ValueError) naming ``amount``."""
        with pytest.raises(ValidationError) as caught:
            million(bad)  # type: ignore[arg-type]
        assert caught.value.paths == ("$.amount",)


class TestParseRate:
    def test_percent_and_fraction_forms_are_the_same_rate(self) -> None:
        """'30%' and '0.3' are the same exact rate."""
        assert parse_rate("30%") == parse_rate("0.3") == Decimal("0.3")

    @pytest.mark.parametrize("bad", ["abc", "NaN", "Infinity", 0.3, None])
    def test_anything_but_a_finite_number_is_refused_naming_the_argument(self, bad: object) -> None:
        """A rate is a finite number, never a float (support amounts would be inexact): each
        mistake is the library's ValidationError (a ValueError) naming ``text``."""
        with pytest.raises(ValidationError) as caught:
            parse_rate(bad)  # type: ignore[arg-type]
        assert caught.value.paths == ("$.text",)


class TestFormatVnd:
    def test_vietnamese_amounts_use_dots_and_the_dong_sign(self) -> None:
        """Vietnamese output writes 1.234.567 đ; English writes VND 1,234,567."""
        assert format_vnd(1_234_567) == "1.234.567 đ"
        assert format_vnd(1_234_567, "en") == "VND 1,234,567"
        assert format_vnd(0) == "0 đ"

    @pytest.mark.parametrize("bad", ["1000", None, 1.5])
    def test_anything_but_whole_dong_is_refused(self, bad: object) -> None:
        """Only whole đồng are formatted; anything else is refused naming ``amount``."""
        with pytest.raises(ValidationError) as caught:
            format_vnd(bad)  # type: ignore[arg-type]
        assert caught.value.paths == ("$.amount",)


class TestMaxDong:
    """Money is bounded so that every store holds every valid amount and its sums."""

    def test_the_bound_is_ten_to_the_fifteen_dong(self) -> None:
        """One million billion đồng (10^15) is the largest amount the library holds."""
        assert MAX_DONG == 10**15

    @pytest.mark.parametrize(
        "field", ["national_amount", "local_amount", "co_funding", "income_change"]
    )
    def test_an_amount_above_the_bound_is_refused_naming_the_field(self, field: str) -> None:
        """10^20 đồng is a typing slip, not a support amount: it is refused, naming the field."""
        with pytest.raises(ValidationError) as info:
            _record(**{field: 10**20})
        assert info.value.paths == (f"$.{field}",)
        assert "10^15" in str(info.value) or "1.000.000.000.000.000" in str(info.value)

    def test_a_fall_in_income_below_minus_the_bound_is_refused(self) -> None:
        """A change of income may be negative, but not beyond the bound either."""
        with pytest.raises(ValidationError) as info:
            _record(income_change=-(10**15) - 1)
        assert info.value.paths == ("$.income_change",)
        assert _record(income_change=-(10**15)).income_change == -(10**15)

    @given(st.integers(0, 10**15))
    def test_every_amount_up_to_the_bound_is_valid(self, amount: int) -> None:
        """Every whole amount from 0 to 10^15 đồng is accepted, in every money field."""
        assert _record(national_amount=amount, co_funding=amount).national_amount == amount
        env = BudgetEnvelope(Fund.LOCAL, UnitRef(MapId.MAP_2021, "24"), 2019, amount)
        assert env.total == amount

    def test_an_envelope_above_the_bound_is_refused(self) -> None:
        """A budget envelope is money too: above 10^15 đồng it is refused."""
        with pytest.raises(ValidationError) as info:
            BudgetEnvelope(Fund.LOCAL, UnitRef(MapId.MAP_2021, "24"), 2019, MAX_DONG + 1)
        assert info.value.paths == ("$.total",)


def _record(**overrides: Any) -> SupportRecord:
    return SupportRecord(
        id="SR-1",
        establishment_id="E-1",
        content=SupportContent.MACHINERY,
        delivered_on=dt.date(2019, 6, 1),
        **overrides,
    )
