"""Periods: years, quarters, months and phases of whole years, all inclusive."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given

from khuyencong.domain import Period, PeriodKind
from khuyencong.exceptions import ValidationError
from khuyencong.testing.strategies import dates, periods


class TestPeriod:
    def test_a_phase_is_whole_calendar_years_inclusive(self) -> None:
        """'Giai đoạn 2017–2020' runs from 1 January 2017 to 31 December 2020, both included."""
        phase = Period.phase(2017, 2020)
        assert (phase.start, phase.end) == (dt.date(2017, 1, 1), dt.date(2020, 12, 31))
        assert dt.date(2017, 1, 1) in phase
        assert dt.date(2020, 12, 31) in phase
        assert dt.date(2016, 12, 31) not in phase
        assert dt.date(2021, 1, 1) not in phase

    def test_quarters_and_months_end_on_their_last_day(self) -> None:
        """Q1 2020 ends on 31 March; February 2020 (a leap year) ends on the 29th."""
        assert Period.quarter(2020, 1).end == dt.date(2020, 3, 31)
        assert Period.quarter(2020, 4).end == dt.date(2020, 12, 31)
        assert Period.month(2020, 2).end == dt.date(2020, 2, 29)

    def test_a_period_cannot_end_before_it_starts(self) -> None:
        """An inverted range is refused, naming the end."""
        with pytest.raises(ValidationError) as info:
            Period(dt.date(2020, 1, 2), dt.date(2020, 1, 1))
        assert info.value.paths == ("$.end",)
        with pytest.raises(ValidationError):
            Period.phase(2020, 2017)

    def test_out_of_range_quarters_and_months_are_refused(self) -> None:
        """There is no fifth quarter or thirteenth month."""
        with pytest.raises(ValidationError) as info:
            Period.quarter(2020, 5)
        assert info.value.paths == ("$.quarter",)
        with pytest.raises(ValidationError) as info:
            Period.month(2020, 13)
        assert info.value.paths == ("$.month",)

    def test_datetimes_are_not_dates(self) -> None:
        """A period is made of dates; a timestamp is refused."""
        with pytest.raises(ValidationError):
            Period(dt.datetime(2020, 1, 1, tzinfo=dt.UTC), dt.date(2020, 1, 2))

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("2017-2020", Period.phase(2017, 2020)),
            ("2017–2020", Period.phase(2017, 2020)),
            ("2019", Period.year(2019)),
            ("2019-Q3", Period.quarter(2019, 3)),
            ("2019q3", Period.quarter(2019, 3)),
            ("2019-07", Period.month(2019, 7)),
            ("2019-01-01..2019-06-30", Period(dt.date(2019, 1, 1), dt.date(2019, 6, 30))),
        ],
    )
    def test_periods_parse_from_the_forms_people_write(self, text: str, expected: Period) -> None:
        """Reports and the CLI accept 2017-2020, 2019, 2019-Q3, 2019-07 and explicit ranges."""
        assert Period.parse(text) == expected

    def test_unreadable_period_text_is_refused_with_examples(self) -> None:
        """A period that cannot be read says which forms are accepted."""
        with pytest.raises(ValidationError, match="2019-Q3"):
            Period.parse("last year")

    def test_years_and_months_list_the_calendar_units_touched(self) -> None:
        """A phase splits into its years; a quarter into its three months."""
        assert [str(p) for p in Period.phase(2017, 2019).years()] == ["2017", "2018", "2019"]
        assert [str(p) for p in Period.quarter(2020, 2).months()] == [
            "2020-04",
            "2020-05",
            "2020-06",
        ]

    def test_labels_read_naturally_in_both_languages(self) -> None:
        """Reports say 'giai đoạn 2017–2020' and 'phase 2017–2020'."""
        phase = Period.phase(2017, 2020)
        assert phase.label("vi") == "giai đoạn 2017–2020"
        assert phase.label("en") == "phase 2017–2020"
        assert Period.year(2019).label("en") == "year 2019"
        assert Period.year(2019).label("vi") == "Năm 2019"
        custom = Period(dt.date(2019, 1, 1), dt.date(2019, 6, 30))
        assert custom.label("vi") == "01/01/2019 – 30/06/2019"
        assert custom.label("en") == "2019-01-01 – 2019-06-30"
        assert custom.kind is PeriodKind.CUSTOM

    def test_a_one_year_phase_reads_as_a_year(self) -> None:
        """A phase of one year is written as that year, never 'Phase 2019–2019'."""
        assert Period.phase(2019, 2019).label("en") == Period.year(2019).label("en")
        assert Period.phase(2019, 2019).label("vi") == "Năm 2019"

    @given(periods())
    def test_text_form_parses_back_to_the_same_period(self, period: Period) -> None:
        """str(period) is a form Period.parse reads back unchanged."""
        assert Period.parse(str(period)) == period

    @given(periods(), dates())
    def test_a_day_is_in_a_period_exactly_when_between_its_ends(
        self, period: Period, day: dt.date
    ) -> None:
        """Membership is start ≤ day ≤ end, and days counts both ends."""
        assert (day in period) == (period.start <= day <= period.end)
        assert period.days == (period.end - period.start).days + 1

    @given(periods(), periods())
    def test_overlap_is_symmetric(self, a: Period, b: Period) -> None:
        """Two periods overlap when they share a day, whichever is asked first."""
        assert a.overlaps(b) == b.overlaps(a)
        assert a.overlaps(b) == (max(a.start, b.start) <= min(a.end, b.end))
