"""Indicator definitions, computation, ratios, targets and the counting semantics."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khuyencong.domain import (
    Citation,
    Establishment,
    FairKind,
    FairParticipation,
    Fund,
    LegalForm,
    Period,
    Sector,
    SupportContent,
    SupportRecord,
)
from khuyencong.exceptions import DataFileError, NotFoundError, ValidationError
from khuyencong.indicators import (
    STANDARD_INDICATORS,
    Aggregate,
    Breakdown,
    DateField,
    Filter,
    IndicatorSource,
    RecordKind,
    RecordSet,
    Target,
    compute,
    counterpart_ratio,
    load_targets,
    progress,
)
from khuyencong.reports import example_path
from khuyencong.units import MapId, UnitRef

COMMUNES = ["07525", "07603", "07260", "07441", "07348"]
CONTENTS = [
    SupportContent.DESIGN_CONSULTING,
    SupportContent.MACHINERY,
    SupportContent.SHOWROOM,
    SupportContent.VOCATIONAL_TRAINING,
]
ESTABLISHMENTS = [
    Establishment(
        id=f"E{i}",
        name=f"HTX {i}",
        legal_form=LegalForm.COOPERATIVE if i % 3 else LegalForm.SME,
        location=UnitRef(MapId.MAP_2021, COMMUNES[i % len(COMMUNES)]),
        sectors=(Sector.AGRO_FOOD_PROCESSING,) if i % 2 else (Sector.HANDICRAFTS, Sector.OTHER),
    )
    for i in range(8)
]
ESTABLISHES = STANDARD_INDICATORS["establishments_supported"]


@st.composite
def support_records(draw: st.DrawFn) -> list[SupportRecord]:
    n = draw(st.integers(0, 40))
    return [
        SupportRecord(
            id=f"S{i}",
            establishment_id=f"E{draw(st.integers(0, 7))}",
            content=draw(st.sampled_from(CONTENTS)),
            delivered_on=dt.date(2017, 1, 1) + dt.timedelta(days=draw(st.integers(0, 1800))),
            national_amount=draw(st.integers(0, 10**9)),
            local_amount=draw(st.integers(0, 10**9)),
            trainees=draw(st.integers(0, 50)),
            partners=draw(st.sampled_from([(), ("P1",), ("P1", "P2")])),
        )
        for i in range(n)
    ]


def make(records: list[SupportRecord]) -> RecordSet:
    return RecordSet(establishments=ESTABLISHMENTS, support=records)


def rec(i: int, est: str, content: SupportContent, day: dt.date, **kw: object) -> SupportRecord:
    return SupportRecord(
        id=f"S{i}",
        establishment_id=est,
        content=content,
        delivered_on=day,
        **kw,  # type: ignore[arg-type]
    )


class TestCountingSemantics:
    @given(support_records())
    @settings(max_examples=60, deadline=None)
    def test_distinct_at_most_occurrences(self, records: list[SupportRecord]) -> None:
        """Distinct establishments never exceed the number of support records (participations)."""
        data = make(records)
        phase = Period.phase(2017, 2020)
        distinct = compute(ESTABLISHES.where(Filter()), data, phase, by=[]).value
        occurrences = len([r for r in records if r.delivered_on in phase])
        assert distinct <= occurrences

    @given(support_records())
    @settings(max_examples=60, deadline=None)
    def test_breakdown_at_least_total(self, records: list[SupportRecord]) -> None:
        """A breakdown of a distinct count sums to at least the total (one per key it touches)."""
        data = make(records)
        for by in ("content", "sector", "partner", "district", "fund"):
            r = compute(ESTABLISHES, data, Period.phase(2017, 2020), by=[Breakdown.parse(by)])
            assert r.breakdown_total >= r.value

    @given(support_records())
    @settings(max_examples=60, deadline=None)
    def test_period_additivity(self, records: list[SupportRecord]) -> None:
        """Occurrence counts and sums of the years add up to the phase's."""
        data = make(records)
        phase = Period.phase(2017, 2020)
        for code in ("funds_disbursed", "trainees"):
            ind = STANDARD_INDICATORS[code].where(Filter())
            whole = compute(ind, data, phase, by=[]).value
            assert whole == sum(compute(ind, data, y, by=[]).value for y in phase.years())

    @given(support_records())
    @settings(max_examples=40, deadline=None)
    def test_fund_split_adds_up(self, records: list[SupportRecord]) -> None:
        """Money broken down by fund gives each fund its own part; the parts add to the total."""
        r = compute(STANDARD_INDICATORS["funds_disbursed"], make(records), Period.phase(2017, 2020))
        assert r.breakdown_total == r.value
        assert r.get("national") == sum(
            x.national_amount for x in records if x.delivered_on.year <= 2020
        )

    def test_participations_count_every_fair(self) -> None:
        """The same cooperative at five fairs is five participations and one establishment."""
        fairs = [
            FairParticipation(
                id=f"F{i}",
                establishment_id="E1",
                fair_name="Hội chợ",
                fair_kind=FairKind.DOMESTIC,
                start_on=dt.date(2018, i + 1, 1),
            )
            for i in range(5)
        ]
        data = RecordSet(establishments=ESTABLISHMENTS, fairs=fairs)
        r = compute(STANDARD_INDICATORS["fair_participations"], data, Period.year(2018))
        assert r.value == 5
        assert r.get(FairKind.DOMESTIC) == 5

    def test_distinct_over_several_supports(self) -> None:
        """An establishment supported three times counts once, under each content it had."""
        day = dt.date(2019, 5, 5)
        data = make(
            [
                rec(1, "E1", SupportContent.DESIGN_CONSULTING, day),
                rec(2, "E1", SupportContent.MACHINERY, day),
                rec(3, "E1", SupportContent.MACHINERY, day),
            ]
        )
        r = compute(STANDARD_INDICATORS["supported_by_content"], data, Period.year(2019))
        assert (r.value, r.breakdown_total) == (1, 2)
        assert r.records_behind("models_technology") == ("S2", "S3")


class TestDateField:
    def test_declared_date_places_record(self) -> None:
        """Decided in 2018 and delivered in 2019: in 2019 by delivery, in 2018 by decision."""
        data = make(
            [
                rec(
                    1,
                    "E1",
                    SupportContent.SHOWROOM,
                    dt.date(2019, 2, 1),
                    decided_on=dt.date(2018, 11, 1),
                )
            ]
        )
        ind = STANDARD_INDICATORS["showrooms"]
        assert compute(ind, data, Period.year(2019)).value == 1
        assert compute(ind, data, Period.year(2018), date_field=DateField.DECIDED_ON).value == 1
        assert compute(ind, data, Period.year(2019), date_field=DateField.DECIDED_ON).value == 0

    def test_wrong_date_field_refused(self) -> None:
        """A support record has no fair start date: the indicator refuses it."""
        with pytest.raises(ValidationError, match="no such date"):
            STANDARD_INDICATORS["showrooms"].with_date(DateField.START_ON)


class TestBreakdownsAndFilters:
    def test_unknown_breakdown(self) -> None:
        """A breakdown name that is not a dimension is refused with the list of names."""
        with pytest.raises(ValidationError, match="district"):
            Breakdown.parse("village")

    def test_reform_map_has_no_districts(self) -> None:
        """The post-reform map has no districts to roll up to."""
        with pytest.raises(ValidationError, match="no districts"):
            Breakdown.district(MapId.MAP_REFORM)

    def test_filters_combine(self) -> None:
        """Combining filters keeps what both keep and excludes what either excludes."""
        f = Filter(funds={Fund.LOCAL, Fund.NATIONAL}) & Filter(funds={Fund.LOCAL})
        assert f.funds == frozenset({Fund.LOCAL})
        with pytest.raises(ValidationError):
            _ = Filter(with_partners=True) & Filter(with_partners=False)

    def test_missing_figure(self) -> None:
        """Asking for a key nobody has gives 0 with get() and NotFoundError with figure()."""
        r = compute(ESTABLISHES, make([]), Period.year(2020), by=[Breakdown.district()])
        assert r.get("219") == 0
        with pytest.raises(NotFoundError):
            r.figure("219")

    def test_in_memory_is_a_source(self) -> None:
        """The in-memory record set implements the source protocol a store implements."""
        data = make([])
        assert isinstance(data, IndicatorSource)
        assert Aggregate is not None
        assert data.unit_refs(RecordKind.SUPPORT) == frozenset()


class TestRatios:
    def test_counterpart_ratio_exact(self) -> None:
        """Co-funding ÷ total cost is an exact fraction of integer đồng."""
        data = make(
            [
                rec(
                    1,
                    "E1",
                    SupportContent.MACHINERY,
                    dt.date(2019, 1, 2),
                    local_amount=300,
                    co_funding=700,
                )
            ]
        )
        assert counterpart_ratio(data, Period.year(2019)).value == Fraction(7, 10)

    def test_empty_ratio_undefined(self) -> None:
        """Without records a ratio is undefined, not zero."""
        r = counterpart_ratio(make([]), Period.year(2019))
        assert (r.value, r.text("vi")) == (None, "—")


class TestTargets:
    def test_iati_progress(self) -> None:
        """Progress is (actual − baseline) ÷ (target − baseline), clamped for display only."""
        t = Target("x", "2017-2020", Decimal(60), Citation("Ví dụ"), baseline=Decimal(10))
        p = progress(t, 35)
        assert (p.raw, p.clamped) == (Fraction(1, 2), Fraction(1, 2))
        over = progress(t, 110)
        assert (over.raw, over.clamped) == (Fraction(2), Fraction(1))
        under = progress(t, 0)
        assert (under.raw, under.clamped) == (Fraction(-1, 5), Fraction(0))

    def test_target_equal_to_baseline(self) -> None:
        """A target equal to its baseline has no defined progress."""
        t = Target("x", "2020", Decimal(5), Citation("Ví dụ"), baseline=Decimal(5))
        assert progress(t, 7).raw is None

    def test_load_example_targets(self) -> None:
        """The example's targets load with citations and are flagged as invented."""
        targets = load_targets(example_path() / "targets.toml")
        assert len(targets) == 5
        assert all(t.invented for t in targets)

    def test_bad_target_file(self, tmp_path: Path) -> None:
        """A target with a float value or an unknown field is refused with its path."""
        path = tmp_path / "t.json"
        path.write_text(
            '{"target": [{"indicator": "x", "period": "2020", "target": 1.5, '
            '"citation": {"document": "d"}, "oops": 1}]}'
        )
        with pytest.raises(DataFileError) as err:
            load_targets(path)
        paths = {p.path for p in err.value.problems}
        assert paths == {"$.target[0].target", "$.target[0].oops"}
