"""The shipped strategies: valid tax numbers built (not filtered), and establishments the
national rules can decide by default, with a switch for every valid one."""

from __future__ import annotations

import datetime as dt
import functools

import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st

from khuyencong.domain import Establishment, LegalForm, tax_number_problem
from khuyencong.exceptions import NotConfiguredError
from khuyencong.rules import check_eligibility
from khuyencong.testing.strategies import dates, establishments, tax_numbers
from khuyencong.units import UnitType


def _ends_with(digit: str, number: str) -> bool:
    return number.endswith(digit)


class TestTaxNumbers:
    @settings(max_examples=300, deadline=None)
    @given(tax_numbers())
    def test_every_drawn_tax_number_is_valid(self, number: str) -> None:
        """A drawn tax number (or branch number) passes the library's own check."""
        assert tax_number_problem(number) is None

    def test_numbers_are_built_not_filtered(self) -> None:
        """The strategy computes the check digit instead of discarding the 1 in 11 prefixes
        that have none, so no example is aborted."""
        assert "filter" not in repr(tax_numbers())

    def test_every_check_digit_is_reachable(self) -> None:
        """Building does not narrow what is drawn: a number ending in each digit exists."""
        for last in "0123456789":
            number = find(tax_numbers(branches=False), functools.partial(_ends_with, last))
            assert tax_number_problem(number) is None


def _left_open(est: Establishment) -> bool:
    """Whether deciding ``est`` on 1/1/2026 stops at the service-organisation question."""
    try:
        check_eligibility(est, dt.date(2026, 1, 1))
    except NotConfiguredError as exc:
        return exc.parameter == "eligibility.service_organisation_eligible"
    return False


class TestDecidableEstablishments:
    @settings(max_examples=150, deadline=None)
    @given(establishments(), dates())
    def test_the_national_rules_decide_every_default_establishment(
        self, est: Establishment, on: dt.date
    ) -> None:
        """On any date the strategies draw (2012–2030, across 45/2012, the 2025 window and
        235/2025), an establishment drawn by default gets a decision, never an error, and the
        decision holds exactly when all its conditions hold."""
        decision = check_eligibility(est, on)
        assert decision.outcome == all(c.held for c in decision.conditions)

    @settings(max_examples=100, deadline=None)
    @given(establishments(), st.dates(dt.date(2025, 10, 15), dt.date(2030, 12, 31)))
    def test_decidable_under_the_2025_regime_too(self, est: Establishment, on: dt.date) -> None:
        """Under 235/2025 (post-reform map, new sector list) the default draws stay decidable."""
        assert check_eligibility(est, on).regime is not None

    @settings(max_examples=100, deadline=None)
    @given(establishments())
    def test_a_default_establishment_has_at_most_one_exception_flag(
        self, est: Establishment
    ) -> None:
        """Two flags that each lift a limit would conflict; the default draws at most one."""
        flags = (est.cleaner_production, est.sustainable_production)
        assert sum(flags) + est.cluster_infrastructure_investor <= 1

    def test_the_switch_draws_every_valid_establishment(self) -> None:
        """``decidable=False`` draws the cases an application must handle: a ward (whose city
        grade the caller supplies), and a service organisation after 15/10/2025."""
        # Any example will do: without the shrink phase ``find`` returns the first it meets
        # (shrinking to a minimal one took over 30 s of the suite).
        first = settings(phases=[Phase.generate], database=None, max_examples=2_000)
        ward = find(
            establishments(decidable=False),
            lambda e: e.location.resolve().unit_type is UnitType.WARD,
            settings=first,
        )
        assert ward.location.resolve().unit_type is UnitType.WARD
        # The first service organisation met may fail an earlier condition (its place, say):
        # look for one whose decision reaches the question the law leaves open.
        organisation = find(
            establishments(decidable=False),
            lambda e: e.legal_form is LegalForm.SERVICE_ORGANISATION and _left_open(e),
            settings=first,
        )
        with pytest.raises(NotConfiguredError) as info:
            check_eligibility(organisation, dt.date(2026, 1, 1))
        assert info.value.parameter == "eligibility.service_organisation_eligible"
