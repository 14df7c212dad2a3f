"""Tax identification numbers (mã số thuế): shapes and the check digit."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from khuyencong.domain import check_digit, normalise_tax_number, tax_number_problem
from khuyencong.exceptions import ValidationError
from khuyencong.messages import language
from khuyencong.testing.strategies import personal_numbers, tax_numbers


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The reasons below are compared in English; ``TestVietnamese`` reads the default."""
    with language("en"):
        yield


# Real, public company tax numbers (the three the domain reference checked them on).
REAL_NUMBERS = ["0100109106", "0300588569", "0101248141"]


class TestCheckDigit:
    @pytest.mark.parametrize("number", REAL_NUMBERS)
    def test_real_public_numbers_have_a_valid_check_digit(self, number: str) -> None:
        """The 10th digit of a real tax number is 10 − (Σ weights × digits mod 11)."""
        assert check_digit(number[:9]) == int(number[9])
        assert tax_number_problem(number) is None

    @pytest.mark.parametrize("number", REAL_NUMBERS)
    def test_changing_the_check_digit_makes_the_number_invalid(self, number: str) -> None:
        """Any other 10th digit is refused, and the message says which digit is right."""
        wrong = f"{number[:9]}{(int(number[9]) + 1) % 10}"
        assert tax_number_problem(wrong) == (
            f"the check digit is {wrong[9]} but should be {number[9]}"
        )

    def test_nine_digits_whose_check_would_be_ten_start_no_valid_number(self) -> None:
        """A weighted sum divisible by 11 gives check 10: no tax number starts that way."""
        assert check_digit("000000000") is None
        assert "would be 10" in str(tax_number_problem("0000000000"))

    @given(st.text(alphabet="0123456789", min_size=9, max_size=9))
    def test_exactly_one_check_digit_or_none_fits_nine_digits(self, nine: str) -> None:
        """For any nine digits, at most one tenth digit makes a valid number."""
        valid = [d for d in "0123456789" if tax_number_problem(nine + d) is None]
        expected = check_digit(nine)
        assert valid == ([] if expected is None else [str(expected)])


class TestTaxNumberProblem:
    def test_a_branch_number_is_a_valid_parent_and_three_digits(self) -> None:
        """A dependent unit's 13-digit number is the parent's number, a dash and 001–999."""
        assert tax_number_problem("0100109106-001") is None
        assert tax_number_problem("0100109106-000") == "a branch suffix starts at 001"
        assert tax_number_problem("0100109106-01") is not None
        assert tax_number_problem("0100109107-001") is not None

    def test_a_personal_number_is_a_tax_number_only_for_individuals(self) -> None:
        """From 1/7/2025 households use their 12-digit personal number; companies cannot."""
        assert tax_number_problem("001085012345", allow_personal=True) is None
        assert "only for individuals" in str(tax_number_problem("001085012345"))

    @pytest.mark.parametrize(
        ("text", "fragment"),
        [("01001091", "has 8 digits"), ("01001091O6", "digits only"), ("", "is empty")],
    )
    def test_malformed_numbers_are_refused_with_a_reason(self, text: str, fragment: str) -> None:
        """Wrong lengths and letters are refused, saying what a tax number looks like."""
        assert fragment in str(tax_number_problem(text))


class TestNormaliseTaxNumber:
    def test_spaces_are_ignored_and_branches_get_their_dash(self) -> None:
        """People type numbers with spaces; the canonical form has none, and one dash."""
        assert normalise_tax_number(" 0100 109 106 ") == "0100109106"
        assert normalise_tax_number("0100109106001") == "0100109106-001"

    def test_an_invalid_number_raises_naming_the_path(self) -> None:
        """The error names where the bad number was."""
        with pytest.raises(ValidationError) as info:
            normalise_tax_number("0100109107", path="$.tax_number")
        assert info.value.paths == ("$.tax_number",)

    @given(tax_numbers())
    def test_generated_numbers_are_valid_and_canonical(self, number: str) -> None:
        """Every number the shipped strategy draws is valid and already canonical."""
        assert normalise_tax_number(number) == number

    @given(personal_numbers())
    def test_generated_personal_numbers_are_valid_for_households(self, number: str) -> None:
        """Every 12-digit personal number is accepted for an individual."""
        assert normalise_tax_number(number, allow_personal=True) == number


class TestVietnamese:
    def test_the_reason_is_in_vietnamese_by_default(self) -> None:
        """In the default language the reason is Vietnamese, naming the right check digit."""
        with language("vi"):
            assert tax_number_problem("0100109107") == ("chữ số kiểm tra là 7 nhưng phải là 6")
