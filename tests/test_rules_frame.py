"""Tests of ``khuyencong.rules._frame``: applications in a DataFrame of wire values decide,
pay and fail exactly as :func:`evaluate_columns` over the same rows converted to objects, and
are refused at the same row with the same problems."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from khuyencong.domain import (
    AreaDifficulty,
    BusinessSectorGroup,
    LegalForm,
    Period,
    Sector,
    SupportContent,
)
from khuyencong.domain._money import MAX_DONG
from khuyencong.exceptions import MissingExtraError, ValidationError
from khuyencong.indicators import STANDARD_INDICATORS, EligibleSupport, RecordKind, compute
from khuyencong.rules import (
    FRAME_COLUMNS,
    RuleSet,
    evaluate_columns,
    evaluate_frame,
    frame_columns,
)
from khuyencong.testing.strategies import unit_refs
from khuyencong.units import MapId, UnitLevel
from test_rules_columns import SME_FIGURES

pl = pytest.importorskip("polars")

NATIONAL = RuleSet.national()
BN = 1_000_000_000
DATES = [dt.date(2016, 3, 1), dt.date(2020, 6, 1), dt.date(2024, 8, 1), dt.date(2026, 3, 1)]


def fresh() -> RuleSet:
    """A rule set with its own memos: a rule error naming a row is not one an earlier call
    made."""
    return RuleSet(NATIONAL.parameters)


def _values(enum: Any) -> list[str]:
    return [m.value for m in enum]


def one_of(clean: bool, good: st.SearchStrategy[Any], bad: list[Any]) -> Any:
    """A good value, or (in a batch that may have bad rows) now and then a bad one."""
    if clean:
        return good
    return st.one_of(good, good, good, st.sampled_from(bad))


@st.composite
def rows(draw: st.DrawFn, i: int, clean: bool) -> dict[str, Any]:
    place = draw(
        st.one_of(
            unit_refs(MapId.MAP_2021),
            unit_refs(),
            unit_refs(MapId.MAP_2021, UnitLevel.DISTRICT),  # no commune: not placed from 2025
        )
    )
    pair = (place.map_id.value, place.code)
    if not clean:
        pair = draw(st.sampled_from([pair, pair, pair, ("2021-11", "99999"), ("map", "07525")]))
    figures = [0, 3, 4, 10, 11, 20, 21, 50, 51, 100, 101, 200, 201, 300, 301]
    sector = st.sampled_from(_values(Sector))
    bad_sector = [[], ["nope"], None, ["handicrafts", "nope"]]
    form = draw(one_of(clean, st.sampled_from(_values(LegalForm)), ["nope", None]))
    members = draw(st.none() | st.sampled_from([0, 3, 7, 10, 100]))
    if clean and form not in ("cooperative", "cooperative_union", "cooperative_group"):
        members = None
    money = st.none() | st.sampled_from(figures).map(lambda f: f * BN) | st.just(MAX_DONG)
    return {
        "id": draw(one_of(clean, st.just(f"CS-{i}"), ["", " x", "x" * 65, "é", None, "a\tb"])),
        "name": draw(
            one_of(clean, st.sampled_from(["Cơ sở", " Hộ Lan ", "—"]), ["", "  ", "\x1c", None])
        ),
        "legal_form": form,
        "map_id": pair[0],
        "unit_code": pair[1],
        "sectors": draw(
            one_of(clean, st.lists(sector, min_size=1, max_size=3), bad_sector),
        ),
        "members": members,
        "employees": draw(one_of(clean, st.none() | st.sampled_from(figures), [-1])),
        "revenue": draw(one_of(clean, money, [MAX_DONG + 1, -1])),
        "total_capital": draw(one_of(clean, money, [-1])),
        "business_sector_group": draw(
            one_of(clean, st.none() | st.sampled_from(_values(BusinessSectorGroup)), ["nope"])
        ),
        "area_difficulty": draw(one_of(clean, st.sampled_from(_values(AreaDifficulty)), ["x"])),
        "polluting_brick_kiln": draw(st.booleans()),
        "content": draw(
            one_of(clean, st.none() | st.sampled_from(_values(SupportContent)), ["nope"])
        ),
        "eligible_cost": draw(
            one_of(
                clean,
                st.sampled_from([0, 1, 80_000_000, 10**12, MAX_DONG - 1, MAX_DONG])
                | st.integers(0, MAX_DONG),
                [-1, MAX_DONG + 1, None],
            )
        ),
    }


@st.composite
def frames(draw: st.DrawFn) -> Any:
    clean = draw(st.booleans())
    n = draw(st.integers(1, 25))
    drawn = [draw(rows(i, clean)) for i in range(n)]
    if draw(st.booleans()):  # rows sharing keys, as a real batch has
        drawn = [dict(drawn[j % max(1, n // 3)], id=f"CS-{j}") for j in range(n)]
    schema = {
        "id": pl.String,
        "name": pl.String,
        "legal_form": pl.String,
        "map_id": pl.String,
        "unit_code": pl.String,
        "sectors": pl.List(pl.String),
        "members": pl.Int64,
        "employees": pl.Int64,
        "revenue": pl.Int64,
        "total_capital": pl.Int64,
        "business_sector_group": pl.String,
        "area_difficulty": pl.String,
        "polluting_brick_kiln": pl.Boolean,
        "content": pl.String,
        "eligible_cost": pl.Int64,
    }
    frame = pl.DataFrame(drawn, schema=schema)
    if draw(st.booleans()):  # optional columns left out: their defaults
        dropped = draw(st.lists(st.sampled_from(FRAME_COLUMNS[6:]), unique=True))
        frame = frame.drop(dropped)
    if draw(st.booleans()) and frame["sectors"].list.len().eq(1).all():
        frame = frame.with_columns(pl.col("sectors").list.first())  # one sector as String
    return frame


def assert_same(frame: Any, on: dt.date, plan_year: int | None) -> None:
    """evaluate_frame's answers (or refusal) are evaluate_columns's over the same rows."""
    expected: Any
    found: Any
    try:
        expected = evaluate_columns(frame_columns(frame), on, rules=fresh(), plan_year=plan_year)
    except ValidationError as exc:
        expected = exc
    try:
        found = evaluate_frame(frame, on, rules=fresh(), plan_year=plan_year)
    except ValidationError as exc:
        found = exc
    if isinstance(expected, ValidationError):
        assert isinstance(found, ValidationError)
        assert found.problems == expected.problems
        return
    assert not isinstance(found, Exception)
    out = found.frame
    assert out.columns == ["eligible", "amount", "error"]
    assert out.schema["eligible"] == pl.Boolean
    assert out.schema["amount"] == pl.Int64
    assert out["eligible"].to_list() == expected.eligible
    assert out["amount"].to_list() == expected.amount_value
    assert [type(e) for e in found.errors] == [type(e) for e in expected.error]
    assert out["error"].to_list() == [None if e is None else str(e) for e in expected.error]
    for i in range(len(found)):
        got, want = found[i], expected[i]
        assert got.error is found.errors[i]
        assert got.amount_value == want.amount_value
        if want.error is None:
            assert got.decision == want.decision


class TestSameAnswersAsEvaluateColumns:
    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(frames(), st.sampled_from(DATES), st.sampled_from([None, 2019]))
    def test_a_frame_decides_pays_fails_and_is_refused_as_its_rows_as_objects(
        self, frame: Any, on: dt.date, plan_year: int | None
    ) -> None:
        """Random batches (valid and invalid rows, every legal form, SMEs on and around the
        size thresholds, null figures, costs up to MAX_DONG, unknown enum values, units on
        every map: both regimes) give evaluate_columns's eligibility, amounts, errors and
        decisions, and its refusal (the same first row, the same problems)."""
        assert_same(frame, on, plan_year)

    @settings(max_examples=80, deadline=None)
    @given(
        SME_FIGURES,
        st.sampled_from(DATES),
    )
    def test_smes_on_and_around_the_size_limits_decide_as_evaluate_columns(
        self, figures: list[tuple[Any, Any, Any, Any]], on: dt.date
    ) -> None:
        """SMEs keyed by the place of each figure among the size thresholds (a figure on a
        limit and one past it apart) decide as evaluate_columns decides them."""
        n = len(figures)
        frame = simple(
            n,
            legal_form=["sme"] * n,
            employees=[f[0] for f in figures],
            revenue=[None if f[1] is None else f[1] * BN for f in figures],
            total_capital=[None if f[2] is None else f[2] * BN for f in figures],
            business_sector_group=[None if f[3] is None else f[3].value for f in figures],
        )
        assert_same(frame, on, None)

    def test_a_cost_whose_product_passes_int64_is_paid_exactly(self) -> None:
        """MAX_DONG × the rate's numerator passes 2**63: that content is paid in Python
        integers, to the đồng."""
        frame = simple(3, eligible_cost=[MAX_DONG, MAX_DONG - 7, 80_000_000])
        found = evaluate_frame(frame, dt.date(2016, 3, 1))
        expected = evaluate_columns(frame_columns(frame), dt.date(2016, 3, 1))
        assert found.frame["amount"].to_list() == expected.amount_value
        assert found.frame["eligible"].all()

    def test_an_unknown_sector_group_is_refused_at_its_row(self) -> None:
        """An SME whose sector group is no member's value is refused naming the row and the
        field, as evaluate_columns refuses it (it used to fail in the size rules)."""
        frame = simple(
            2,
            legal_form=["sme", "sme"],
            employees=[40, 40],
            revenue=[10**10, 10**10],
            business_sector_group=["trade_services", "industry_construction"],
        )
        with pytest.raises(ValidationError) as info:
            evaluate_frame(frame, dt.date(2026, 12, 7))
        assert [p.path for p in info.value.problems] == ["$.applications[1].business_sector_group"]

    def test_the_first_row_refused_is_the_one_named(self) -> None:
        frame = simple(6, id=["A", "B", "C", " D", "E", ""])
        with pytest.raises(ValidationError) as caught:
            evaluate_frame(frame, dt.date(2016, 3, 1))
        assert caught.value.problems[0].path.startswith("$.applications[3].")

    def test_a_place_error_is_recorded_for_every_row_of_that_place(self) -> None:
        """From 1/7/2025 a district is not a place of production: every row there records
        evaluate_columns's error, also one taken the one-record way (its id not ASCII); a
        service organisation asks for no place (its own error: not configured then)."""
        frame = simple(
            4,
            id=["CS-0", "CƠ-1", "CS-2", "CS-3"],
            legal_form=["service_organisation"] + ["household_business"] * 3,
            unit_code=["219"] * 4,
        )
        on = dt.date(2026, 3, 1)
        assert_same(frame, on, None)
        found = evaluate_frame(frame, on, rules=fresh())
        errors = found.frame["error"].to_list()
        assert "service_organisation" in errors[0]
        assert errors[1] is not None
        assert errors[1] == errors[2] == errors[3]


def simple(n: int, **overrides: list[Any]) -> Any:
    columns: dict[str, list[Any]] = {
        "id": [f"CS-{i}" for i in range(n)],
        "name": ["Cơ sở"] * n,
        "legal_form": ["household_business"] * n,
        "map_id": ["2021-11"] * n,
        "unit_code": ["07525"] * n,
        "sectors": [["handicrafts"]] * n,
        "content": ["machinery"] * n,
        "eligible_cost": [100_000_000] * n,
    }
    columns.update(overrides)
    return pl.DataFrame(columns)


class TestReadingARow:
    def test_a_row_reads_back_as_its_application_with_every_condition(self) -> None:
        frame = simple(2, legal_form=["household_business", "large_enterprise"])
        found = evaluate_frame(frame, dt.date(2016, 3, 1))
        first, second = found[0], found[-1]
        assert first.application.establishment.id == "CS-0"
        assert first.application.content is SupportContent.MACHINERY
        assert first.decision is not None
        assert first.decision.outcome
        assert second.decision is not None
        assert not second.decision.outcome
        assert [c.code for c in second.decision.conditions if not c.held] == ["legal_form"]
        assert first.amount is not None
        with pytest.raises(IndexError):
            found[2]

    def test_an_enum_or_categorical_column_is_read_as_its_values(self) -> None:
        frame = simple(2).with_columns(
            pl.col("legal_form").cast(pl.Categorical),
            pl.col("content").cast(pl.Enum(_values(SupportContent))),
        )
        found = evaluate_frame(frame, dt.date(2016, 3, 1))
        assert found.frame["eligible"].to_list() == [True, True]
        assert len(found) == 2

    def test_an_unknown_column_and_a_missing_one_are_refused(self) -> None:
        with pytest.raises(ValidationError, match="location"):
            evaluate_frame(simple(1).with_columns(location=pl.lit("x")), dt.date(2016, 3, 1))
        with pytest.raises(ValidationError, match="sectors"):
            evaluate_frame(simple(1).drop("sectors"), dt.date(2016, 3, 1))
        with pytest.raises(ValidationError):
            evaluate_frame({"id": []}, dt.date(2016, 3, 1))

    def test_without_polars_the_extra_is_named(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setitem(sys.modules, "polars", None)
        with pytest.raises(MissingExtraError, match="columnar"):
            evaluate_frame(object(), dt.date(2016, 3, 1))


class TestIndicatorsOverAFrame:
    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(frames(), st.sampled_from(DATES))
    def test_the_support_records_give_the_figures_of_evaluate_columns(
        self, frame: Any, on: dt.date
    ) -> None:
        """The records the frame's results become (picked in the frame) are those of
        ``evaluate_columns``: the figures, each figure's records (drill-down), and each
        record as built."""
        try:
            expected = evaluate_columns(frame_columns(frame), on)
        except ValidationError:
            return
        found = evaluate_frame(frame, on)
        ours = EligibleSupport(found, on)
        theirs = EligibleSupport(expected, on)
        assert len(ours) == len(theirs)
        period = Period.year(on.year)
        for name in ("supported_by_content", "funds_disbursed", "establishments_supported"):
            if name not in STANDARD_INDICATORS:
                continue
            a = compute(STANDARD_INDICATORS[name], ours, period, drill_down=False)
            b = compute(STANDARD_INDICATORS[name], theirs, period, drill_down=False)
            assert a.value == b.value
            assert [(r.key, r.value) for r in a.rows] == [(r.key, r.value) for r in b.rows]
        try:  # the record ids are the establishment ids: unique here, or refused by both
            b = compute(STANDARD_INDICATORS["funds_disbursed"], theirs, period)
        except ValidationError:
            with pytest.raises(ValidationError):
                compute(STANDARD_INDICATORS["funds_disbursed"], ours, period)
            return
        a = compute(STANDARD_INDICATORS["funds_disbursed"], ours, period)
        assert a.total.record_ids == b.total.record_ids
        ids = list(a.total.record_ids)
        assert ours.get_records(RecordKind.SUPPORT, ids) == theirs.get_records(
            RecordKind.SUPPORT, ids
        )

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(frames(), st.sampled_from(DATES), st.data())
    def test_record_ids_given_follow_the_rows_kept(
        self, frame: Any, on: dt.date, data: st.DataObject
    ) -> None:
        try:
            expected = evaluate_columns(frame_columns(frame), on)
        except ValidationError:
            return
        found = evaluate_frame(frame, on)
        rids = [f"S-{i}" for i in range(len(found))]
        ours = EligibleSupport(found, on, record_ids=rids)
        theirs = EligibleSupport(expected, on, record_ids=rids)
        period = Period.year(on.year)
        a = compute(STANDARD_INDICATORS["funds_disbursed"], ours, period)
        b = compute(STANDARD_INDICATORS["funds_disbursed"], theirs, period)
        assert (a.value, a.total.record_ids) == (b.value, b.total.record_ids)
        if a.total.record_ids:
            rid = data.draw(st.sampled_from(sorted(a.total.record_ids)))
            assert ours.get_records(RecordKind.SUPPORT, [rid]) == theirs.get_records(
                RecordKind.SUPPORT, [rid]
            )
