"""Indicator definitions, computation, ratios, targets and the counting semantics."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khuyencong.converters import structure, unstructure
from khuyencong.domain import (
    Citation,
    Dataset,
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
from khuyencong.exceptions import DataFileError, FileFormatError, NotFoundError, ValidationError
from khuyencong.indicators import (
    STANDARD_INDICATORS,
    Aggregate,
    Breakdown,
    Counting,
    DateField,
    Filter,
    Indicator,
    IndicatorSource,
    Measure,
    RecordKind,
    RecordSet,
    Target,
    Unit,
    compute,
    counterpart_ratio,
    load_targets,
    progress,
)
from khuyencong.messages import language, text
from khuyencong.reports import example_path
from khuyencong.storage import open_store
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
    return RecordSet(establishments=ESTABLISHMENTS, support_records=records)


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
        data = RecordSet(establishments=ESTABLISHMENTS, fair_participations=fairs)
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

    @given(
        st.integers(1, 30),
        st.dates(dt.date(2018, 12, 30), dt.date(2020, 1, 2)),
        st.none() | st.dates(dt.date(2018, 12, 30), dt.date(2020, 1, 2)),
        st.booleans(),
    )
    @settings(max_examples=80, deadline=None)
    def test_records_sharing_one_date_are_placed_as_one_by_one(
        self, n: int, day: dt.date, other: dt.date | None, copies: bool
    ) -> None:
        """Records that share one delivery date (the support records of one evaluation, placed
        at once) are in a year exactly when each one alone is — also when the date is the same
        day as separate objects, or one record has another day."""
        days = [dt.date(day.year, day.month, day.day) if copies else day for _ in range(n)]
        if other is not None:
            days[-1] = other
        records = [
            rec(i, "E1", SupportContent.SHOWROOM, d, national_amount=1) for i, d in enumerate(days)
        ]
        ind = STANDARD_INDICATORS["funds_disbursed"]  # one đồng each: the records in the year
        for year in (2018, 2019, 2020):
            expected = sum(d.year == year for d in days)
            assert compute(ind, make(records), Period.year(year)).value == expected

    def test_wrong_date_field_refused(self) -> None:
        """A support record has no fair start date: the indicator refuses it."""
        with language("en"), pytest.raises(ValidationError, match="no such date"):
            STANDARD_INDICATORS["showrooms"].with_date(DateField.START_ON)


JOBS = STANDARD_INDICATORS["jobs_created"]
INCOME = STANDARD_INDICATORS["income_change"]


class TestOutcomeIndicators:
    """``jobs_created`` and ``income_change``: outcomes beneficiaries reported after support."""

    def test_definitions(self) -> None:
        """Jobs are a sum of persons, income change a sum of đồng; both placed in the period by
        the report date, else the delivery date, with bilingual labels."""
        assert (JOBS.counting, JOBS.measure, JOBS.unit) == (
            Counting.PERSONS,
            Measure.JOBS_CREATED,
            Unit.JOBS,
        )
        assert (INCOME.counting, INCOME.measure, INCOME.unit) == (
            Counting.MONEY,
            Measure.INCOME_CHANGE,
            Unit.VND,
        )
        for ind in (JOBS, INCOME):
            assert ind.date_field is DateField.REPORTED_OR_DELIVERED_ON
            assert ind.label("vi") != ind.label("en")
            assert "0" in ind.note("vi")
            assert "zero" in ind.note("en")
        assert JOBS.unit.label("vi") == "việc làm"

    def test_missing_value_is_not_zero(self) -> None:
        """Records without a reported value are left out: the figure sums the reports, and the
        records behind it are only those that reported (a reported 0 is a report)."""
        day = dt.date(2019, 3, 1)
        data = make(
            [
                rec(1, "E1", SupportContent.MACHINERY, day, jobs_created=5),
                rec(2, "E2", SupportContent.MACHINERY, day),
                rec(3, "E3", SupportContent.SHOWROOM, day, jobs_created=0, income_change=0),
                rec(4, "E4", SupportContent.DESIGN_CONSULTING, day, income_change=12_000_000),
            ]
        )
        jobs = compute(JOBS, data, Period.year(2019), by=[])
        income = compute(INCOME, data, Period.year(2019), by=[])
        assert (jobs.value, jobs.records_behind()) == (5, ("S1", "S3"))
        assert (income.value, income.records_behind()) == (12_000_000, ("S3", "S4"))

    def test_nothing_reported(self) -> None:
        """With no outcome recorded, both figures are 0 with no record behind them."""
        data = make([rec(1, "E1", SupportContent.MACHINERY, dt.date(2019, 3, 1))])
        for ind in (JOBS, INCOME):
            r = compute(ind, data, Period.year(2019))
            assert (r.value, r.records_behind()) == (0, ())

    def test_income_fall_is_negative(self) -> None:
        """A fall in income is a negative amount, and sums with rises."""
        day = dt.date(2020, 6, 1)
        data = make(
            [
                rec(1, "E1", SupportContent.MACHINERY, day, income_change=-30_000_000),
                rec(2, "E2", SupportContent.SHOWROOM, day, income_change=10_000_000),
            ]
        )
        assert compute(INCOME, data, Period.year(2020), by=[]).value == -20_000_000

    def test_report_date_places_the_record(self) -> None:
        """Delivered in 2019 and reported in 2021: in 2021 by the outcome indicators, in 2019
        when they are asked for the delivery date; without a report date, the delivery date."""
        data = make(
            [
                rec(
                    1,
                    "E1",
                    SupportContent.MACHINERY,
                    dt.date(2019, 9, 1),
                    jobs_created=7,
                    outcome_reported_on=dt.date(2021, 2, 1),
                ),
                rec(2, "E2", SupportContent.MACHINERY, dt.date(2019, 10, 1), jobs_created=2),
            ]
        )
        by_year = compute(JOBS, data, Period.phase(2017, 2025), by=[Breakdown.of("year")])
        assert {r.key[0]: r.value for r in by_year.rows} == {"2019": 2, "2021": 7}
        assert compute(JOBS, data, Period.year(2019), date_field=DateField.DELIVERED_ON).value == 9
        strict = compute(
            JOBS, data, Period.phase(2017, 2025), date_field=DateField.OUTCOME_REPORTED_ON
        )
        assert (strict.value, strict.records_behind()) == (7, ("S1",))

    def test_reported_records_are_counted(self) -> None:
        """An occurrence count with an outcome measure counts the records that reported it."""
        day = dt.date(2019, 3, 1)
        data = make(
            [
                rec(1, "E1", SupportContent.MACHINERY, day, jobs_created=5),
                rec(2, "E1", SupportContent.MACHINERY, day),
                rec(3, "E2", SupportContent.SHOWROOM, day, jobs_created=1),
            ]
        )
        reported = Indicator(
            "jobs_reported",
            "Số bản ghi báo cáo việc làm",
            "Records reporting jobs",
            Unit.RECORDS,
            RecordKind.SUPPORT,
            Counting.OCCURRENCES,
            DateField.REPORTED_OR_DELIVERED_ON,
            measure=Measure.JOBS_CREATED,
        )
        assert compute(reported, data, Period.year(2019), by=[]).value == 2

    @given(support_records(), st.lists(st.none() | st.integers(-(10**8), 10**8), min_size=40))
    @settings(max_examples=40, deadline=None)
    def test_sum_of_reports(self, records: list[SupportRecord], incomes: list[int | None]) -> None:
        """The income change over a phase is the sum of the values reported in it; the records
        behind it are those that reported."""
        records = [attrs.evolve(r, income_change=v) for r, v in zip(records, incomes, strict=False)]
        phase = Period.phase(2017, 2020)
        r = compute(INCOME, make(records), phase, by=[])
        kept = [x for x in records if x.income_change is not None and x.delivered_on in phase]
        assert r.value == sum(x.income_change or 0 for x in kept)
        assert len(r.records_behind()) == len(kept)

    @given(
        support_records(),
        st.lists(st.tuples(st.none() | st.integers(0, 9), st.none() | st.integers(-9, 9))),
        st.sets(st.sampled_from([Measure.JOBS_CREATED, Measure.INCOME_CHANGE])),
    )
    @settings(max_examples=40, deadline=None)
    def test_reported_filter_keeps_the_records_that_reported(
        self,
        records: list[SupportRecord],
        outcomes: list[tuple[int | None, int | None]],
        wanted: set[Measure],
    ) -> None:
        """``Filter(reported=…)`` keeps the records with a value for one of the outcomes named
        (a reported 0 is a report), each once: counted, and the records behind the count."""
        records = [
            attrs.evolve(r, jobs_created=jobs, income_change=income)
            for r, (jobs, income) in zip(records, outcomes, strict=False)
        ]
        either = Indicator(
            "either_reported",
            "Số bản ghi có báo cáo kết quả",
            "Records with reported outcomes",
            Unit.RECORDS,
            RecordKind.SUPPORT,
            Counting.OCCURRENCES,
            DateField.DELIVERED_ON,
            filter=Filter(reported=wanted),
        )
        phase = Period.phase(2017, 2020)
        r = compute(either, make(records), phase, by=[])
        values = {Measure.JOBS_CREATED: "jobs_created", Measure.INCOME_CHANGE: "income_change"}
        kept = [
            x.id
            for x in sorted(records, key=lambda x: x.id)
            if x.delivered_on in phase and any(getattr(x, values[m]) is not None for m in wanted)
        ]
        assert r.value == len(kept)
        assert sorted(r.records_behind()) == kept

    def test_reported_filter_names_outcomes_only(self) -> None:
        """Only an outcome a beneficiary reports can be asked for (in either language); two
        filters keep the outcomes both name; a filter without it is written as before."""
        with language("en"), pytest.raises(ValidationError, match="only outcomes") as caught:
            Filter(reported={Measure.JOBS_CREATED, Measure.TRAINEES})
        assert caught.value.problems[0].path == "$.reported"
        with language("vi"), pytest.raises(ValidationError, match="kết quả do cơ sở báo cáo"):
            Filter(reported={Measure.NATIONAL})
        both = Filter(reported={Measure.JOBS_CREATED, Measure.INCOME_CHANGE})
        assert (both & Filter(reported={Measure.INCOME_CHANGE})).reported == frozenset(
            {Measure.INCOME_CHANGE}
        )
        assert (both & Filter()).reported == both.reported
        assert "reported" not in unstructure(Filter())
        assert unstructure(both)["reported"] == ["income_change", "jobs_created"]
        assert structure(unstructure(both), Filter) == both
        assert structure(unstructure(Filter()), Filter) == Filter()

    def test_reported_filter_keeps_no_record_without_outcomes(self) -> None:
        """Fairs have no outcomes: a fair count with the filter is 0."""
        fair = FairParticipation(
            id="F1",
            establishment_id="E1",
            fair_kind=FairKind.DOMESTIC,
            fair_name="Hội chợ",
            start_on=dt.date(2019, 3, 1),
            end_on=dt.date(2019, 3, 3),
        )
        data = RecordSet(establishments=ESTABLISHMENTS, fair_participations=[fair])
        fairs = STANDARD_INDICATORS["fair_participations"]
        assert compute(fairs, data, Period.year(2019)).value == 1
        outcome = Filter(reported={Measure.JOBS_CREATED})
        assert compute(fairs.where(outcome), data, Period.year(2019)).value == 0


class TestBreakdownsAndFilters:
    def test_unknown_breakdown(self) -> None:
        """A breakdown name that is not a dimension is refused with the list of names."""
        with pytest.raises(ValidationError, match="district"):
            Breakdown.parse("village")

    def test_reform_map_has_no_districts(self) -> None:
        """The post-reform map has no districts to roll up to."""
        with language("en"), pytest.raises(ValidationError, match="no districts"):
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


class TestComputeSources:
    @settings(max_examples=25, deadline=None)
    @given(support_records())
    def test_a_store_or_a_dataset_is_computed_over_directly(
        self, records: list[SupportRecord]
    ) -> None:
        """compute() takes a store or a dataset as it takes a RecordSet, with the same figures:
        no source_for() is needed first."""
        period = Period.phase(2017, 2021)
        expected = compute(ESTABLISHES, make(records), period)
        dataset = Dataset(establishments=tuple(ESTABLISHMENTS), support_records=tuple(records))
        with open_store("memory://") as memory, open_store("sqlite:///:memory:") as sqlite:
            for store in (memory, sqlite):
                with store.unit_of_work():
                    store.establishments.add_many(ESTABLISHMENTS)
                    store.support_records.add_many(records)
            for source in (dataset, memory, sqlite):
                result = compute(ESTABLISHES, source, period)
                assert (result.value, result.rows) == (expected.value, expected.rows)

    def test_what_holds_no_records_is_refused_naming_the_source(self) -> None:
        """A source that is neither a RecordSet, a store nor a dataset is a ValidationError
        naming ``source``; a period given as text names ``period``."""
        with pytest.raises(ValidationError) as info:
            compute(ESTABLISHES, 42, Period.year(2020))  # type: ignore[arg-type]
        assert info.value.paths == ("$.source",)
        with pytest.raises(ValidationError) as info:
            compute(ESTABLISHES, RecordSet(), "2020")  # type: ignore[arg-type]
        assert info.value.paths == ("$.period",)


class TestRecordSet:
    def test_a_folder_written_is_read_back(self, tmp_path: Path) -> None:
        """to_directory and from_directory round-trip the records."""
        records = RecordSet(establishments=ESTABLISHMENTS)
        records.to_directory(tmp_path)
        assert RecordSet.from_directory(tmp_path).establishments == records.establishments

    def test_a_key_given_twice_in_a_file_is_refused(self, tmp_path: Path) -> None:
        """A record file is read as the library reads every JSON file: a key written twice is
        refused (naming the file and the key's $.path), not silently the last one taken."""
        RecordSet(establishments=ESTABLISHMENTS).to_directory(tmp_path)
        path = tmp_path / "establishments.json"
        path.write_text(
            path.read_text(encoding="utf-8").replace('"members":', '"members": 3, "members":', 1),
            encoding="utf-8",
        )
        with pytest.raises(FileFormatError) as caught:
            RecordSet.from_directory(tmp_path)
        assert caught.value.source == str(path)
        assert caught.value.paths == ("$[0].members",)

    def test_a_file_that_is_not_utf8_is_a_file_format_error(self, tmp_path: Path) -> None:
        """Bytes that are not UTF-8 end in the library's error naming the file."""
        (tmp_path / "support_records.json").write_bytes(b'[{"id": "\xff"}]')
        with pytest.raises(FileFormatError) as caught:
            RecordSet.from_directory(tmp_path)
        assert caught.value.source == str(tmp_path / "support_records.json")

    def test_a_record_of_the_wrong_kind_is_named_by_its_place(self) -> None:
        """The set refuses an item that is not a record of its kind, naming where it is."""
        good = rec(1, "E1", SupportContent.DESIGN_CONSULTING, dt.date(2018, 1, 1))
        with pytest.raises(ValidationError) as info:
            RecordSet(establishments=ESTABLISHMENTS, support_records=[good, "S2"])
        assert info.value.paths == ("$.support_records[1]",)

    def test_record_ids_behind_figures_must_be_unique(self) -> None:
        """Two records under one id cannot be told apart behind a figure: drill-down and
        lookups by id refuse them, naming the id (figures alone never read ids)."""
        day = dt.date(2018, 1, 1)
        twice = make(
            [
                rec(1, "E1", SupportContent.DESIGN_CONSULTING, day),
                rec(1, "E2", SupportContent.SHOWROOM, day),
            ]
        )
        assert compute(ESTABLISHES, twice, Period.year(2018), drill_down=False).value == 2
        unique = text("indicators.ids_unique")
        with pytest.raises(ValidationError) as info:
            compute(ESTABLISHES, twice, Period.year(2018))
        assert (info.value.problems[0].message, info.value.problems[0].value) == (unique, ["S1"])
        with pytest.raises(ValidationError) as info:
            twice.get_records(RecordKind.SUPPORT, ["S1"])
        assert info.value.problems[0].message == unique
