"""Tests of ``khuyencong.rules._columns``: applications given as columns decide and pay as
:func:`evaluate_many` does over the same applications, and refuse what the constructors
refuse."""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khuyencong.domain import (
    AreaDifficulty,
    BusinessSectorGroup,
    Establishment,
    LegalForm,
    Sector,
    SizeClass,
    SupportContent,
)
from khuyencong.exceptions import CoverageError, NotConfiguredError, ValidationError
from khuyencong.rules import (
    APPLICATION_COLUMNS,
    Application,
    ColumnResults,
    RuleSet,
    _columns,
    check_eligibility,
    evaluate_columns,
    evaluate_many,
)
from khuyencong.rules._columns import application
from khuyencong.testing.strategies import establishments, money, unit_refs
from khuyencong.units import MapId, UnitRef

TOWNSHIP = UnitRef(MapId.MAP_2021, "07525")
BN = 1_000_000_000
ON = dt.date(2020, 6, 1)
ESTABLISHMENT_COLUMNS = APPLICATION_COLUMNS[:-2]
FORMS = st.sampled_from([f for f in LegalForm if f is not LegalForm.ARTISAN])
"""An artisan needs a title, which is no column."""


def row_of(est: Establishment) -> dict[str, Any]:
    """An establishment's values of the columns."""
    return {name: getattr(est, name) for name in ESTABLISHMENT_COLUMNS}


def columns_of(rows: list[dict[str, Any]]) -> dict[str, list[Any]]:
    return {name: [r[name] for r in rows] for name in rows[0]}


def simple(n: int = 2, **overrides: list[Any]) -> dict[str, list[Any]]:
    columns: dict[str, list[Any]] = {
        "id": [f"CS-{i}" for i in range(n)],
        "name": ["Cơ sở"] * n,
        "legal_form": [LegalForm.HOUSEHOLD_BUSINESS] * n,
        "location": [TOWNSHIP] * n,
        "sectors": [(Sector.HANDICRAFTS,)] * n,
        "content": [SupportContent.MACHINERY] * n,
        "eligible_cost": [100_000_000] * n,
    }
    columns.update(overrides)
    return columns


def _variants(est: Establishment) -> st.SearchStrategy[dict[str, Any]]:
    """The establishment's column values, some written as a caller may write them: a name in
    NFD with spaces around it, sectors as a list or repeated (rows that take the one-record
    path)."""
    row = row_of(est)
    nfd = dict(row, name=f" {unicodedata.normalize('NFD', est.name)} ")
    listed = dict(row, sectors=[*est.sectors, *est.sectors])
    return st.sampled_from([row, row, nfd, listed])


@st.composite
def batches(draw: st.DrawFn) -> list[dict[str, Any]]:
    rows = []
    for i in range(draw(st.integers(1, 10))):
        est = draw(establishments(FORMS, unit_refs(MapId.MAP_2021) | unit_refs(), decidable=False))
        row = draw(_variants(est))
        row["id"] = f"{est.id[:50]}-{i}"  # distinct ids, as a batch of applications has
        content = draw(st.none() | st.sampled_from(list(SupportContent)))
        row["content"] = content.value if content is not None and draw(st.booleans()) else content
        row["eligible_cost"] = draw(money(10**10))
        rows.append(row)
    return rows


SME_FIGURES = st.lists(
    st.tuples(
        # On and around the thresholds of every decree, so that rows share places.
        st.none() | st.sampled_from([0, 10, 11, 50, 51, 100, 101, 200, 201, 300, 301]),
        st.none() | st.sampled_from([0, 3, 4, 10, 11, 50, 51, 100, 101, 200, 201, 300]),
        st.none() | st.sampled_from([0, 3, 4, 20, 21, 50, 51, 100, 101]),
        st.none() | st.sampled_from(list(BusinessSectorGroup)[:2]),
    ),
    min_size=1,
    max_size=60,
)
"""SMEs' employees, revenue and capital (in billion đồng) and group, around the size limits."""


class TestSameAnswersAsTheObjectBatch:
    @settings(max_examples=60, deadline=None)
    @given(
        batches(),
        st.dates(dt.date(2014, 4, 8), dt.date(2026, 12, 31)),
        st.sampled_from([None, 2019]),
    )
    def test_columns_decide_and_pay_as_evaluate_many(
        self, rows: list[dict[str, Any]], on: dt.date, plan_year: int | None
    ) -> None:
        """Every record's decision (with its conditions), eligibility, amount and error are
        those of evaluate_many over the same applications built through the constructors —
        also for rows the columns give as a caller may write them (text contents, NFD names,
        repeated sectors)."""
        columns = columns_of(rows)
        found = evaluate_columns(columns, on, plan_year=plan_year)
        apps = [application(columns, i) for i in range(len(rows))]
        expected = evaluate_many(apps, on, plan_year=plan_year)
        assert len(found) == len(expected)
        for i, want in enumerate(expected):
            got = found[i]
            assert type(found.error[i]) is type(want.error)
            assert str(found.error[i]) == str(want.error)
            assert found.eligible[i] == want.eligible == got.eligible
            assert found.amount_value[i] == want.amount_value == got.amount_value
            assert got.decision == want.decision
            assert got.application.establishment.same_state(want.application.establishment)
            assert got.application.content is want.application.content

    @settings(max_examples=80, deadline=None)
    @given(
        SME_FIGURES,
        st.sampled_from(
            [dt.date(2016, 3, 1), dt.date(2018, 3, 11), dt.date(2022, 1, 1), dt.date(2026, 3, 1)]
        ),
    )
    def test_smes_sharing_a_size_memo_decide_as_one_by_one(
        self, figures: list[tuple[Any, Any, Any, Any]], on: dt.date
    ) -> None:
        """Many SMEs of plainly valid rows (sized once per place of their figures among the
        thresholds, under 56/2009, 39/2018, 80/2021 and 235/2025) decide, with the same
        conditions, as check_eligibility decides each one alone."""
        n = len(figures)
        columns = simple(
            n,
            legal_form=[LegalForm.SME] * n,
            employees=[f[0] for f in figures],
            revenue=[None if f[1] is None else f[1] * 10**9 for f in figures],
            total_capital=[None if f[2] is None else f[2] * 10**9 for f in figures],
            business_sector_group=[f[3] for f in figures],
        )
        found = evaluate_columns(columns, on)
        for i in range(n):
            est = application(columns, i).establishment
            expected: Any
            try:
                expected = check_eligibility(est, on)
            except (NotConfiguredError, CoverageError) as exc:
                expected = exc
            if isinstance(expected, Exception):
                assert type(found.error[i]) is type(expected)
                continue
            assert found.error[i] is None
            assert found.eligible[i] is expected.outcome
            assert found[i].decision == expected

    @pytest.mark.parametrize(
        ("employees", "revenue", "capital", "classes"),
        [
            ([10, 10, 11], [3 * BN, 4 * BN, 3 * BN], [None] * 3, ["micro", "small", "small"]),
            ([10, 10], [None, None], [3 * BN, 3 * BN + 1], ["micro", "small"]),
            (
                [100, 100, 100],
                [50 * BN, 50 * BN + 1, 50 * BN + 1],
                [None, None, 20 * BN],
                ["small", "medium", "small"],
            ),
        ],
    )
    def test_smes_on_and_just_past_a_size_limit_are_sized_apart(
        self,
        employees: list[int],
        revenue: list[int | None],
        capital: list[int | None],
        classes: list[str],
    ) -> None:
        """Under 80/2021 a limit is inclusive: an SME exactly at a class limit and one a
        đồng (or a person) past it, otherwise alike, get their own classes in one batch."""
        n = len(employees)
        on = dt.date(2022, 1, 1)
        group = BusinessSectorGroup.AGRICULTURE_INDUSTRY_CONSTRUCTION
        columns = simple(
            n,
            legal_form=[LegalForm.SME] * n,
            employees=employees,
            revenue=revenue,
            total_capital=capital,
            business_sector_group=[group] * n,
        )
        found = evaluate_columns(columns, on)
        sizes = []
        for i in range(n):
            expected = check_eligibility(application(columns, i).establishment, on)
            decision = found[i].decision
            assert decision == expected
            assert decision is not None
            sizes += [c.found for c in decision.conditions if c.code == "sme.size"]
        assert [SizeClass(s) for s in sizes] == [SizeClass(c) for c in classes]

    def test_a_missing_eligible_cost_is_refused_at_its_row(self) -> None:
        """An eligible cost of None is refused as the Application constructor refuses it
        (the whole-column check took None for an optional figure's)."""
        with pytest.raises(ValidationError) as info:
            evaluate_columns(simple(3, eligible_cost=[5, None, 5]), ON)
        assert info.value.paths == ("$.applications[1].eligible_cost",)

    def test_a_memoised_rule_error_is_recorded_for_every_row_it_concerns(self) -> None:
        """From 15/10/2025 the sector list is not configured: every row naming only an
        unlisted sector records that error (the same one), the others are decided."""
        columns = simple(
            4,
            sectors=[(Sector.OTHER,), (Sector.HANDICRAFTS,), (Sector.OTHER,), (Sector.OTHER,)],
        )
        on = dt.date(2026, 3, 1)
        found = evaluate_columns(columns, on)
        expected = evaluate_many([application(columns, i) for i in range(4)], on)
        assert [type(e) for e in found.error] == [type(r.error) for r in expected]
        assert found.error[0] is not None
        assert found.error[0] is found.error[2] is found.error[3]
        assert found.error[1] is None


TEXT_VALUES = (
    st.sampled_from(
        ["CS-1", "Cơ sở", "", " ", " CS", "CS ", "C S", "CS\x00", "CS\n", "x" * 64, "x" * 65, "Đ"]
    )
    | st.text(max_size=70)
    | st.sampled_from([None, 7, b"CS", ("CS",)])
)
"""Ids and names, valid and not: empty, only spaces, spaces around or inside, NUL and control
characters, 64 and 65 characters, non-ASCII, values of other types."""


class TestTextColumnsInBlocks:
    @settings(max_examples=150, deadline=None)
    @given(
        st.sampled_from(["id", "name"]),
        st.lists(TEXT_VALUES, min_size=1, max_size=12),
        st.integers(1, 5),
    )
    def test_a_text_column_is_plain_in_blocks_exactly_when_it_is_whole(
        self, name: str, column: list[Any], block: int
    ) -> None:
        """Checked a block of rows at a time (for the cache), an id or name column is plainly
        valid exactly when the whole column is, wherever a bad value lies."""
        whole = _columns._plain_column(name, column)
        saved = _columns._BLOCK
        _columns._BLOCK = block
        try:
            assert _columns._plain_blocks(name, column) is whole
        finally:
            _columns._BLOCK = saved

    @pytest.mark.parametrize("name", ["id", "name"])
    def test_a_bad_text_value_past_the_first_block_is_refused_at_its_row(self, name: str) -> None:
        """Rows beyond the first block are checked: an id with a space before it, or a name
        of spaces only, at row 5000 of a batch refuses that row, as the constructor does."""
        n = 6000
        columns = simple(n)
        columns[name][5000] = " CS-5000" if name == "id" else "   "
        with pytest.raises(ValidationError) as info:
            evaluate_columns(columns, ON)
        with pytest.raises(ValidationError) as single:
            application(columns, 5000)
        assert info.value.problems == single.value.problems
        assert info.value.paths == (f"$.applications[5000].{name}",)


class TestResults:
    def test_a_record_is_built_when_read_with_its_conditions(self) -> None:
        """results[i] builds the application and gives the decision with every condition;
        negative indexes count from the end; past the end is an IndexError."""
        found = evaluate_columns(simple(2), ON)
        assert isinstance(found, ColumnResults)
        first = found[0]
        assert isinstance(first.application, Application)
        assert first.application.establishment.id == "CS-0"
        assert first.decision is not None
        assert {c.code for c in first.decision.conditions} >= {"legal_form", "location"}
        assert found[-1].application.establishment.id == "CS-1"
        assert first.amount is not None
        assert first.amount.amount == found.amount_value[0]
        with pytest.raises(IndexError):
            found[2]

    def test_optional_columns_default_as_the_constructors(self) -> None:
        """Without a content column there is no amount; SME figures decide the size."""
        columns = simple(1)
        del columns["content"], columns["eligible_cost"]
        found = evaluate_columns(columns, ON)
        assert found.amount_value == [None]
        sme = simple(
            1,
            legal_form=[LegalForm.SME],
            employees=[300],
            revenue=[10**12],
            total_capital=[10**12],
            business_sector_group=[BusinessSectorGroup.AGRICULTURE_INDUSTRY_CONSTRUCTION],
            area_difficulty=[AreaDifficulty.NONE],
            polluting_brick_kiln=[False],
        )
        found = evaluate_columns(sme, ON)
        assert found.eligible == [False]
        assert found[0].decision is not None
        assert "sme.size" in found[0].decision.failed_codes


class TestRefusals:
    def test_a_row_the_constructors_refuse_is_named_by_its_index(self) -> None:
        """A bad value raises the constructor's problems under $.applications[i]."""
        columns = simple(3, employees=[1, -3, None])
        with pytest.raises(ValidationError) as info:
            evaluate_columns(columns, ON)
        with pytest.raises(ValidationError) as single:
            Establishment(
                id="CS-1",
                name="Cơ sở",
                legal_form=LegalForm.HOUSEHOLD_BUSINESS,
                location=TOWNSHIP,
                sectors=(Sector.HANDICRAFTS,),
                employees=-3,
            )
        assert info.value.problems == single.value.prefixed("$.applications[1]").problems

    @pytest.mark.parametrize(
        ("column", "value"),
        [("business_sector_group", "industry_construction"), ("area_difficulty", "hard")],
    )
    def test_an_enum_column_holding_text_is_refused_at_its_row(
        self, column: str, value: str
    ) -> None:
        """An SME's sector group or an area written as text (not a member) is refused naming
        the row and the field; it used to reach the size rules and fail with an
        AttributeError."""
        columns = simple(
            2,
            legal_form=[LegalForm.SME] * 2,
            employees=[40, 40],
            revenue=[10**10, 10**10],
            business_sector_group=[BusinessSectorGroup.TRADE_SERVICES] * 2,
        )
        columns[column] = [columns.get(column, [AreaDifficulty.NONE] * 2)[0], value]
        with pytest.raises(ValidationError) as info:
            evaluate_columns(columns, ON)
        assert [p.path for p in info.value.problems] == [f"$.applications[1].{column}"]

    def test_members_of_a_household_business_are_refused(self) -> None:
        """A cross-field rule of the establishment holds in columns too."""
        with pytest.raises(ValidationError) as info:
            evaluate_columns(simple(1, members=[7]), ON)
        assert info.value.paths == ("$.applications[0].members",)

    @pytest.mark.parametrize(
        ("columns", "fragment"),
        [
            ([("id", ["x"])], "columns"),
            ({**simple(1), "tax_number": [None]}, "tax_number"),
            ({k: v for k, v in simple(1).items() if k != "location"}, "location"),
            ({**simple(1), "content": SupportContent.MACHINERY}, "content"),
            ({**simple(2), "eligible_cost": [1]}, "eligible_cost 1"),
        ],
    )
    def test_columns_of_the_wrong_shape_are_refused(self, columns: Any, fragment: str) -> None:
        """Not a mapping, an unknown column, a missing required one, a column that is no
        list, columns of different lengths: each refused naming $.columns."""
        with pytest.raises(ValidationError) as info:
            evaluate_columns(columns, ON)
        assert info.value.paths == ("$.columns",)
        assert fragment in str(info.value)

    def test_arguments_of_the_wrong_kind_are_refused(self) -> None:
        """The date and the rules are checked as evaluate_many checks them."""
        with pytest.raises(ValidationError):
            evaluate_columns(simple(1), "2020-06-01")  # type: ignore[arg-type]
        with pytest.raises(ValidationError):
            evaluate_columns(simple(1), ON, rules="national")  # type: ignore[arg-type]
        assert evaluate_columns(simple(1), ON, rules=RuleSet.national()).eligible == [True]
