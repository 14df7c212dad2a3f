"""Tests of ``khuyencong.indicators._applications``: the eligible applications of a columnar
evaluation give, as :class:`EligibleSupport`, exactly the figures of the support records they
become in a :class:`RecordSet`."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khuyencong.domain import (
    LegalForm,
    Period,
    Sector,
    SupportContent,
    SupportRecord,
)
from khuyencong.exceptions import NotFoundError, ValidationError
from khuyencong.indicators import (
    STANDARD_INDICATORS,
    Breakdown,
    Dimension,
    EligibleSupport,
    IndicatorSource,
    RecordKind,
    RecordSet,
    compute,
)
from khuyencong.rules import ColumnResults, evaluate_columns
from khuyencong.testing.strategies import money, unit_refs
from khuyencong.units import MapId, UnitRef

TOWNSHIP = UnitRef(MapId.MAP_2021, "07525")
ON = dt.date(2020, 6, 1)
INDICATORS = ["establishments_supported", "supported_by_content", "funds_disbursed", "trainees"]
BREAKDOWNS: list[list[Breakdown] | None] = [
    None,
    [],
    [Breakdown.of(Dimension.FUND), Breakdown.of(Dimension.YEAR)],
    [Breakdown.of(Dimension.CONTENT)],
    [Breakdown.of(Dimension.LEGAL_FORM)],
]


def records_of(
    results: ColumnResults, on: dt.date, record_ids: list[str] | None
) -> list[SupportRecord]:
    """The support records the eligible applications become, built one by one through the
    constructors (the way :class:`EligibleSupport` replaces)."""
    out = []
    for i in range(len(results)):
        if not results.eligible[i] or results.error[i] is not None:
            continue
        app = results[i].application
        if app.content is None:
            continue
        out.append(
            SupportRecord(
                id=app.establishment.id if record_ids is None else record_ids[i],
                establishment_id=app.establishment.id,
                content=app.content,
                delivered_on=on,
                national_amount=results.amount_value[i] or 0,
            )
        )
    return out


@st.composite
def applications(draw: st.DrawFn) -> dict[str, list[Any]]:
    """Applications as columns: a few establishments (an id may repeat: one establishment
    applying for two contents), forms, places, sectors and costs; some values written as a
    caller may write them (a content as text, an id in lower case with an accent); in half
    the batches every application names a content, in half every place is one township."""
    n = draw(st.integers(1, 25))
    ids = draw(st.lists(st.sampled_from(["CS-1", "CS-2", "HTX-3", "Cơ-4", "cs-5"]), min_size=n))
    ids = ids[:n]
    forms = [f for f in LegalForm if f is not LegalForm.ARTISAN]
    contents: st.SearchStrategy[SupportContent | None] = st.sampled_from(list(SupportContent))
    if draw(st.booleans()):  # else a content on every row (the common case, decided at once)
        contents = st.none() | contents
    places = st.just(TOWNSHIP)
    if draw(st.booleans()):  # else no rule error (a place whose city grade is unknown)
        places = places | unit_refs(MapId.MAP_2021)
    rows: dict[str, list[Any]] = {
        "id": ids,
        "name": ["Cơ sở"] * n,
        "legal_form": draw(st.lists(st.sampled_from(forms), min_size=n, max_size=n)),
        "location": draw(st.lists(places, min_size=n, max_size=n)),
        "sectors": draw(
            st.lists(
                st.sampled_from([(Sector.HANDICRAFTS,), (Sector.OTHER,), (Sector.HANDICRAFTS,)]),
                min_size=n,
                max_size=n,
            )
        ),
        "members": draw(st.lists(st.none() | st.integers(0, 30), min_size=n, max_size=n)),
        "content": draw(st.lists(contents, min_size=n, max_size=n)),
        "eligible_cost": draw(st.lists(money(10**10), min_size=n, max_size=n)),
    }
    cooperative = {LegalForm.COOPERATIVE, LegalForm.COOPERATIVE_UNION, LegalForm.COOPERATIVE_GROUP}
    rows["members"] = [
        m if f in cooperative else None
        for f, m in zip(rows["legal_form"], rows["members"], strict=True)
    ]
    as_text = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    rows["content"] = [
        c.value if c is not None and t else c for c, t in zip(rows["content"], as_text, strict=True)
    ]
    return rows


def same(found: Any, expected: Any) -> None:
    assert found.total == expected.total
    assert found.rows == expected.rows
    assert found.unmapped == expected.unmapped


def small() -> dict[str, list[Any]]:
    """A cooperative, a household business without a content and a large enterprise."""
    return {
        "id": ["HTX-1", "HKD-2", "HKD-3"],
        "name": ["HTX A", "Hộ B", "Hộ C"],
        "legal_form": [
            LegalForm.COOPERATIVE,
            LegalForm.HOUSEHOLD_BUSINESS,
            LegalForm.LARGE_ENTERPRISE,
        ],
        "location": [TOWNSHIP] * 3,
        "sectors": [(Sector.HANDICRAFTS,)] * 3,
        "members": [9, None, None],
        "content": [SupportContent.MACHINERY, None, SupportContent.MACHINERY],
        "eligible_cost": [80_000_000, 80_000_000, 80_000_000],
    }


class TestEligibleSupport:
    @settings(max_examples=60, deadline=None)
    @given(
        applications(),
        st.sampled_from([dt.date(2018, 3, 1), dt.date(2026, 3, 1)]),
        st.dates(dt.date(2017, 1, 1), dt.date(2027, 12, 31)),
        st.booleans(),
        st.booleans(),
    )
    def test_figures_are_those_of_the_support_records_in_a_record_set(
        self,
        columns: dict[str, list[Any]],
        on: dt.date,
        delivered: dt.date,
        own_ids: bool,
        drill_down: bool,
    ) -> None:
        """Every standard support indicator, with every breakdown and drill-down on or off,
        over the eligible applications kept as columns equals the same indicator over the
        support records they become (built through the constructors) in a RecordSet — under
        45/2012 and under 235/2025, over the year of delivery and over all time."""
        results = evaluate_columns(columns, on)
        n = len(columns["id"])
        record_ids = [f"S-{i}" for i in range(n)] if own_ids else None
        expected_set = RecordSet(support_records=records_of(results, delivered, record_ids))
        found_set = EligibleSupport(results, delivered, record_ids=record_ids)
        assert len(found_set) == len(expected_set.support_records)
        for code in INDICATORS:
            for by in BREAKDOWNS:
                for period in (Period.year(delivered.year), Period.year(2019)):
                    kwargs: dict[str, Any] = {"by": by, "drill_down": drill_down and own_ids}
                    indicator = STANDARD_INDICATORS[code]
                    expected = compute(indicator, expected_set, period, **kwargs)
                    found = compute(indicator, found_set, period, **kwargs)
                    same(found, expected)

    @settings(max_examples=30, deadline=None)
    @given(applications(), st.dates(dt.date(2017, 1, 1), dt.date(2020, 12, 31)))
    def test_a_record_asked_for_is_the_record_the_application_becomes(
        self, columns: dict[str, list[Any]], delivered: dt.date
    ) -> None:
        """get_records builds each record asked for, equal to the record built one by one."""
        results = evaluate_columns(columns, ON)
        record_ids = [f"S-{i}" for i in range(len(columns["id"]))]
        expected = records_of(results, delivered, record_ids)
        source = EligibleSupport(results, delivered, record_ids=record_ids)
        found = source.get_records(RecordKind.SUPPORT, [r.id for r in reversed(expected)])
        assert found == list(reversed(expected))

    def test_only_eligible_applications_with_a_content_become_records(self) -> None:
        """An application without a content or not eligible (a large enterprise) is no
        support record; the source is an IndicatorSource."""
        source = EligibleSupport(evaluate_columns(small(), ON), ON)
        assert isinstance(source, IndicatorSource)
        assert len(source) == 1
        (record,) = source.get_records(RecordKind.SUPPORT, ["HTX-1"])
        assert isinstance(record, SupportRecord)
        assert record.national_amount == 40_000_000
        with pytest.raises(NotFoundError):
            source.get_records(RecordKind.SUPPORT, ["HKD-3"])
        with pytest.raises(NotFoundError):
            source.get_establishments(["HTX-1"])
        assert source.unit_refs(RecordKind.SUPPORT) == frozenset()

    def test_record_ids_of_another_length_are_refused(self) -> None:
        """One record id per application, or the source says how many are needed."""
        results = evaluate_columns(small(), ON)
        with pytest.raises(ValidationError, match=r"record_ids"):
            EligibleSupport(results, ON, record_ids=["S-1"])

    def test_arguments_of_the_wrong_kind_are_refused(self) -> None:
        """Results that are not a columnar evaluation's, or a delivery date given as text,
        are refused, naming the argument."""
        with pytest.raises(ValidationError, match=r"\$\.results"):
            EligibleSupport([], ON)  # type: ignore[arg-type]
        results = evaluate_columns(small(), ON)
        with pytest.raises(ValidationError, match=r"\$\.delivered_on"):
            EligibleSupport(results, "2020-06-01")  # type: ignore[arg-type]

    def test_a_record_id_the_constructor_refuses_is_named_by_its_application(self) -> None:
        """A record id with a line break is refused, under the application's index."""
        results = evaluate_columns(small(), ON)
        with pytest.raises(ValidationError, match=r"applications\[0\]"):
            EligibleSupport(results, ON, record_ids=["S\n1", "S-2", "S-3"])

    def test_repeated_record_ids_are_refused_on_drill_down(self) -> None:
        """Drill-down names records by id: two eligible applications of one establishment
        need their own record ids."""
        columns = small()
        columns["id"] = ["HTX-1", "HKD-2", "HTX-1"]
        columns["legal_form"][2] = LegalForm.COOPERATIVE
        columns["members"][2] = 9
        source = EligibleSupport(evaluate_columns(columns, ON), ON)
        indicator = STANDARD_INDICATORS["establishments_supported"]
        assert compute(indicator, source, Period.year(2020), drill_down=False).value == 1
        with pytest.raises(ValidationError, match=r"\$\.support"):
            compute(indicator, source, Period.year(2020))
