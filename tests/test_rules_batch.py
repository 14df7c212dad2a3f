"""Tests of ``khuyencong.rules._batch``, ``explain`` and ``eligibility`` (decisions and batches)."""

from __future__ import annotations

import datetime as dt
import enum
import json
from decimal import Decimal

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khuyencong.converters import dumps
from khuyencong.domain import (
    AreaDifficulty,
    Citation,
    Establishment,
    Fund,
    LegalForm,
    Sector,
    SupportContent,
    million,
)
from khuyencong.exceptions import (
    CoverageError,
    NotConfiguredError,
    RuleConflictError,
    UnitMappingError,
    ValidationError,
)
from khuyencong.rules import (
    Application,
    BatchResult,
    CityGrade,
    Condition,
    Decision,
    RuleSet,
    WardConversion,
    check_eligibility,
    evaluate_many,
    format_value,
    support_amount,
)
from khuyencong.rules._explain import Money
from khuyencong.testing.strategies import establishments, money, unit_refs
from khuyencong.units import MapId, UnitRef

TOWNSHIP = UnitRef(MapId.MAP_2021, "07525")
CITY_WARD = UnitRef(MapId.MAP_2021, "00688")  # Quang Trung, a ward of Hà Giang city (024)
URBAN_WARD = UnitRef(MapId.MAP_2021, "00001")  # Phúc Xá, a ward of Ba Đình (urban district)
ON = dt.date(2020, 6, 1)
NATIONAL = RuleSet.national()
PROVINCE = RuleSet.for_province("24", map_id="2021-11")  # Bắc Giang: local levels from 2020
LOCAL_SET = [  # the contents whose local levels Bắc Giang's QĐ 30/2019/QĐ-UBND sets
    SupportContent.MACHINERY,
    SupportContent.TECHNOLOGY_TRANSFER,
    SupportContent.DEMONSTRATION_MODEL,
]
CITE = Citation("17/2023/QH15", "4", "7")


def est(**kw: object) -> Establishment:
    fields: dict[str, object] = {
        "id": "CS-1",
        "name": "Cơ sở",
        "legal_form": LegalForm.HOUSEHOLD_BUSINESS,
        "location": TOWNSHIP,
        "sectors": (Sector.HANDICRAFTS,),
    }
    fields.update(kw)
    return Establishment(**fields)  # type: ignore[arg-type]


def graded(grade: int, converted_on: dt.date | None = None) -> RuleSet:
    conversions = [WardConversion("00688", MapId.MAP_2021, converted_on)] if converted_on else []
    return NATIONAL.with_unit_facts(
        [CityGrade("024", MapId.MAP_2021, grade, dt.date(2000, 1, 1), document="QĐ xếp loại")],
        conversions,
    )


class _Plain(enum.Enum):
    VALUE = "plain"


class TestFormatValue:
    @pytest.mark.parametrize(
        ("value", "lang", "text"),
        [
            (True, "vi", "có"),
            (False, "en", "no"),
            (None, "en", "—"),
            ((), "en", "—"),
            (frozenset({"b", "a"}), "en", "a, b"),
            (Decimal("0.50"), "en", "0.5"),
            (dt.date(2024, 7, 1), "vi", "01/07/2024"),
            (dt.date(2024, 7, 1), "en", "2024-07-01"),
            (Money(1_500_000), "en", "VND 1,500,000"),
            (_Plain.VALUE, "en", "plain"),
            (MapId.MAP_2021, "en", "three-level map of November 2021"),
            (7, "vi", "7"),
        ],
    )
    def test_values_read_as_written(self, value: object, lang: str, text: str) -> None:
        """Booleans, dates, money, decimals and sets read as a person would write them."""
        assert format_value(value, lang) == text  # type: ignore[arg-type]


class TestCondition:
    def test_message_in_each_language(self) -> None:
        """A condition carries its reason in Vietnamese and English."""
        c = Condition("x", True, "1", "2", CITE, "vi text", "en text")
        assert (c.message("vi"), c.message("en")) == ("vi text", "en text")


class TestBatchDecision:
    def test_outcome_is_the_conjunction(self) -> None:
        """A decision holds when all its facts hold; without facts it holds."""
        assert Decision("r", ON, "s", [("a", True, 1, 1, CITE, None)]).outcome is True
        assert Decision("r", ON, "s").outcome is True
        assert Decision("r", ON, "s", [("a", False, 1, 0, CITE, None)]).outcome is False

    def test_unknown_code_gets_a_generic_message(self) -> None:
        """A condition without registered templates still explains itself."""
        d = Decision("r", ON, "s", [("custom.check", False, 1, 0, CITE, None)])
        assert d.conditions[0].message_en == "custom.check: failed"
        assert d.conditions[0].message_vi == "custom.check: không đạt"

    def test_failed_first_and_codes_without_materialising(self) -> None:
        """Failed conditions come first; their codes are available before materialising."""
        d = Decision(
            "r",
            ON,
            "s",
            [("ok", True, 1, 1, CITE, None), ("bad", False, 1, 0, CITE, None)],
        )
        assert d.failed_codes == ("bad",)
        assert [c.code for c in d.conditions] == ["bad", "ok"]
        assert [c.code for c in d.failed] == ["bad"]
        assert d.failed_codes == ("bad",)
        assert repr(d) == "Decision('r', 2020-06-01, 's', outcome=False, failed=[bad])"

    def test_json_round_trip(self) -> None:
        """A decision written as JSON reads back equal, in both directions."""
        d = check_eligibility(est(legal_form=LegalForm.LARGE_ENTERPRISE), ON)
        data = json.loads(dumps(d))
        assert data["outcome"] is False
        assert Decision.from_data(data) == d
        assert d != "a decision"

    def test_from_data_refuses_non_decisions(self) -> None:
        """Data without a rule is not a decision."""
        with pytest.raises(ValidationError):
            Decision.from_data({"on": "2020-01-01"})

    def test_renders_vietnamese_verdict(self) -> None:
        """In Vietnamese the verdict is ĐẠT / KHÔNG ĐẠT with the date as dd/mm/yyyy."""
        d = check_eligibility(est(), ON)
        assert d.render("vi").splitlines()[0] == (
            "CS-1 — điều kiện hưởng hỗ trợ khuyến công ngày 01/06/2020: ĐẠT — áp dụng 45/2012/NĐ-CP"
        )


class TestBatchEligibility:
    def test_large_enterprise_is_not_a_beneficiary(self) -> None:
        """Large enterprises are not beneficiaries (45/2012 Điều 1.2)."""
        decision = check_eligibility(est(legal_form=LegalForm.LARGE_ENTERPRISE), ON)
        assert decision.failed_codes == ("legal_form",)

    def test_cleaner_production_lifts_form_and_location_limits(self) -> None:
        """A large enterprise applying cleaner production in a city ward is eligible."""
        large = est(
            legal_form=LegalForm.LARGE_ENTERPRISE, location=URBAN_WARD, cleaner_production=True
        )
        decision = check_eligibility(large, ON)
        assert decision.outcome is True
        assert {c.exception for c in decision.conditions} == {"cleaner_production", None}

    def test_mining_only_in_difficult_areas(self) -> None:
        """Mining is eligible only in difficult or especially difficult areas."""
        mining = est(sectors=(Sector.MINING_MINERAL_PROCESSING,))
        assert check_eligibility(mining, ON).failed_codes == ("sector",)
        hard = attrs.evolve(mining, area_difficulty=AreaDifficulty.DIFFICULT)
        assert check_eligibility(hard, ON).outcome is True

    def test_polluting_brick_kiln_is_excluded(self) -> None:
        """A polluting fired-clay brick kiln is excluded (46/2012 Điều 5.1)."""
        assert check_eligibility(est(polluting_brick_kiln=True), ON).failed_codes == ("brick_kiln",)

    def test_sme_without_figures_or_declared_class(self) -> None:
        """An SME must show its size: figures, or a declared class."""
        decision = check_eligibility(est(legal_form=LegalForm.SME), dt.date(2022, 1, 1))
        assert decision.failed_codes == ("sme.size",)

    def test_ward_of_an_urban_district_is_not_eligible(self) -> None:
        """A ward of an urban district is not a rural place."""
        assert check_eligibility(est(location=URBAN_WARD), ON).failed_codes == ("location",)

    def test_ward_of_a_grade_2_city_is_eligible(self) -> None:
        """Wards of grade-2 and grade-3 cities are eligible places."""
        assert check_eligibility(est(location=CITY_WARD), ON, rules=graded(2)).outcome is True

    def test_ward_of_a_city_without_a_grade_is_not_configured(self) -> None:
        """City grades are data the caller supplies; without one the answer is unknown."""
        with pytest.raises(NotConfiguredError, match=r"city_grade\.2021-11\.024"):
            check_eligibility(est(location=CITY_WARD), ON)

    def test_grade_1_city_ward_converted_within_5_years(self) -> None:
        """A grade-1 city ward converted 1/1/2016 is eligible for plan year 2020, not 2022."""
        rules = graded(1, dt.date(2016, 1, 1))
        ward = est(location=CITY_WARD)
        assert check_eligibility(ward, ON, rules=rules, plan_year=2020).outcome is True
        assert check_eligibility(ward, ON, rules=rules, plan_year=2022).failed_codes == (
            "location",
        )
        assert check_eligibility(ward, ON, rules=graded(1), plan_year=2020).failed_codes == (
            "location",
        )

    def test_special_grade_city_ward_is_not_eligible(self) -> None:
        """A ward of a special-grade city (grade 0) is not an eligible place."""
        assert check_eligibility(est(location=CITY_WARD), ON, rules=graded(0)).failed_codes == (
            "location",
        )

    def test_rules_dated_another_day_are_refused(self) -> None:
        """Rules dated one day cannot decide another: a ValidationError naming ``rules``."""
        with pytest.raises(ValidationError) as info:
            check_eligibility(est(), ON, rules=NATIONAL.at(dt.date(2020, 1, 1)))
        assert info.value.paths == ("$.rules",)

    def test_rules_dated_the_same_day_decide_as_the_rule_set(self) -> None:
        """A dated view of the decision day gives the rule set's own answer."""
        assert check_eligibility(est(), ON, rules=NATIONAL.at(ON)) == check_eligibility(est(), ON)

    def test_service_organisation(self) -> None:
        """Organisations delivering khuyến công services are beneficiaries until 14/10/2025."""
        decision = check_eligibility(est(legal_form=LegalForm.SERVICE_ORGANISATION), ON)
        assert decision.outcome is True
        assert [c.code for c in decision.conditions] == ["legal_form"]

    @settings(max_examples=60, deadline=None)
    @given(
        establishments(locations=unit_refs(MapId.MAP_2021)),
        st.dates(dt.date(2012, 7, 5), dt.date(2025, 6, 30)),
    )
    def test_outcome_is_the_conjunction_of_conditions(self, e: Establishment, on: dt.date) -> None:
        """For any establishment and date, a decision holds exactly when all conditions hold."""
        try:
            decision = check_eligibility(e, on)
        except (NotConfiguredError, CoverageError, RuleConflictError, UnitMappingError):
            return
        assert decision.outcome == all(c.held for c in decision.conditions)
        assert decision.outcome == (decision.failed_codes == ())

    @settings(max_examples=60, deadline=None)
    @given(
        establishments(locations=unit_refs(MapId.MAP_2021)),
        # Any name a domain object can hold: no NUL, which no store can keep.
        st.text(min_size=1, max_size=20).filter(lambda s: s.strip() and "\x00" not in s),
        st.none() | st.dates(dt.date(1990, 1, 1), dt.date(2020, 1, 1)),
        st.sampled_from(["CS-X", "HTX-9"]),
    )
    def test_irrelevant_fields_do_not_change_eligibility(
        self, e: Establishment, name: str, founded: dt.date | None, new_id: str
    ) -> None:
        """The id, name, founding date and tax number never change eligibility or its reasons."""
        on = dt.date(2020, 1, 1)
        other = attrs.evolve(e, id=new_id, name=name.strip(), founded_on=founded, tax_number=None)
        try:
            before = check_eligibility(e, on)
        except (NotConfiguredError, CoverageError, RuleConflictError, UnitMappingError) as exc:
            with pytest.raises(type(exc)):
                check_eligibility(other, on)
            return
        after = check_eligibility(other, on)
        assert (after.outcome, after.failed_codes) == (before.outcome, before.failed_codes)


class TestApplication:
    def test_defaults(self) -> None:
        """An application without a content asks for eligibility only, on the batch's date."""
        app = Application(est())
        assert (app.content, app.eligible_cost, app.quantity, app.fund, app.on) == (
            None,
            0,
            1,
            Fund.NATIONAL,
            None,
        )


class TestBatchResult:
    def test_a_bare_result_has_no_answer(self) -> None:
        """A result that was never evaluated is not eligible and has no decision or amount."""
        result = BatchResult(Application(est()))
        assert (result.eligible, result.decision, result.amount) == (False, None, None)

    def test_amount_is_explained_when_read(self) -> None:
        """The explained amount of an eligible machinery application matches support_amount."""
        [r] = evaluate_many([Application(est(), SupportContent.MACHINERY, million(500))], ON)
        assert r.amount == support_amount(SupportContent.MACHINERY, million(500), ON)
        assert r.decision is r.decision  # built once

    def test_not_eligible_amount_is_zero(self) -> None:
        """An ineligible applicant gets no support; the explained amount says 0."""
        app = Application(
            est(legal_form=LegalForm.LARGE_ENTERPRISE), SupportContent.MACHINERY, million(80)
        )
        [r] = evaluate_many([app], ON)
        assert r.amount_value == 0
        assert r.amount is not None
        assert (r.amount.amount, r.amount.cap_reached) == (0, False)


class TestBatchEvaluation:
    def test_eligibility_only(self) -> None:
        """Without a content the batch decides eligibility and gives no amount."""
        [r] = evaluate_many([Application(est())], ON)
        assert (r.eligible, r.amount_value, r.amount) == (True, None, None)

    def test_each_application_may_have_its_own_date(self) -> None:
        """An application's own date wins: the machinery cap is 200 million in 2017, 300 in 2019."""
        apps = [
            Application(est(), SupportContent.MACHINERY, million(1000), on=dt.date(2017, 1, 1)),
            Application(est(), SupportContent.MACHINERY, million(1000), on=dt.date(2019, 1, 1)),
            Application(est(), SupportContent.MACHINERY, million(1000)),
        ]
        assert [r.amount_value for r in evaluate_many(apps, dt.date(2017, 6, 1))] == [
            million(200),
            million(300),
            million(200),
        ]

    def test_exceptions_conflicts_and_services(self) -> None:
        """Cleaner production is decided with its exception; two exceptions are an error;
        service organisations are not configured from 15/10/2025 (a gap of 235/2025)."""
        clean = est(legal_form=LegalForm.LARGE_ENTERPRISE, cleaner_production=True)
        both = attrs.evolve(clean, cluster_infrastructure_investor=True)
        service = est(legal_form=LegalForm.SERVICE_ORGANISATION)
        a, b, c = evaluate_many(
            [Application(clean), Application(both), Application(service)], dt.date(2025, 10, 15)
        )
        assert a.eligible is True
        assert a.decision is not None
        assert "cleaner_production" in {x.exception for x in a.decision.conditions}
        assert isinstance(b.error, RuleConflictError)
        assert (b.eligible, b.decision) == (False, None)
        assert isinstance(c.error, NotConfiguredError)  # a 235/2025 gap: an overlay fills it

    def test_raise_errors(self) -> None:
        """With raise_errors the first rule error stops the batch."""
        app = Application(est(), SupportContent.BRAND, million(80))
        with pytest.raises(NotConfiguredError):
            evaluate_many([app], dt.date(2019, 1, 1), raise_errors=True)

    def test_a_multiplier_above_the_maximum_is_refused_as_support_amount_refuses_it(self) -> None:
        """A multiplier of 2 (above 1.5) is not capped silently: the record keeps the same
        ValidationError support_amount raises, and its eligibility is still decided."""
        app = Application(est(), SupportContent.MACHINERY, million(1000), priority=Decimal(2))
        [r] = evaluate_many([app], dt.date(2016, 1, 1))
        assert isinstance(r.error, ValidationError)
        assert r.error.paths == ("$.priority",)
        assert (r.amount_value, r.amount, r.eligible) == (None, None, True)
        with pytest.raises(ValidationError):
            evaluate_many([app], dt.date(2016, 1, 1), raise_errors=True)

    def test_priority_applies_the_maximum_of_the_date(self) -> None:
        """priority=True gives 1.5 × in 2016: machinery's cap of 200 million becomes 300."""
        app = Application(est(), SupportContent.MACHINERY, million(1000), priority=True)
        [r] = evaluate_many([app], dt.date(2016, 1, 1))
        assert r.amount_value == million(300)
        assert r.amount is not None
        assert r.amount.priority_multiplier == Decimal("1.5")

    def test_local_fund_and_memoised_errors(self) -> None:
        """Local-fund applications without an overlay each keep their 'not configured' error."""
        apps = [Application(est(), SupportContent.MACHINERY, million(100), fund=Fund.LOCAL)] * 2
        a, b = evaluate_many(apps, ON)
        assert isinstance(a.error, NotConfiguredError)
        assert isinstance(b.error, NotConfiguredError)
        assert a.eligible is True  # the decision was made before the level was needed

    def test_large_costs_take_the_exact_path(self) -> None:
        """Costs beyond the integer fast path give the same amount as support_amount."""
        cost = 10**21 + 7
        [r] = evaluate_many([Application(est(), SupportContent.OVERSEAS_FAIR, cost)], ON)
        assert r.amount_value == support_amount(SupportContent.OVERSEAS_FAIR, cost, ON).amount

    @settings(max_examples=60, deadline=None)
    @given(
        st.lists(
            st.tuples(
                establishments(locations=unit_refs(MapId.MAP_2021)),
                # Any content, and often one Bắc Giang sets a local level for (from 10/1/2020).
                st.none() | st.sampled_from(list(SupportContent)) | st.sampled_from(LOCAL_SET),
                money(10**10),
                st.integers(1, 3),
                st.sampled_from([Fund.NATIONAL, Fund.LOCAL]),
                st.sampled_from([False, True, Decimal("1.2"), Decimal("1.5"), Decimal(2)]),
            ),
            min_size=1,
            max_size=12,
        ),
        st.dates(dt.date(2014, 4, 8), dt.date(2026, 12, 31)),
        st.sampled_from([NATIONAL, PROVINCE]),
    )
    def test_same_answers_as_the_one_record_api(
        self,
        rows: list[tuple[Establishment, SupportContent | None, int, int, Fund, bool | Decimal]],
        on: dt.date,
        rules: RuleSet,
    ) -> None:
        """The batch decides and pays exactly as check_eligibility and support_amount do, for
        either fund, with or without a province's local levels, and for every priority option
        (none, the maximum, a multiplier within it, one above it that both refuse)."""
        apps = [
            Application(e, c, cost, quantity=q, fund=fund, priority=priority)
            for e, c, cost, q, fund, priority in rows
        ]
        for app, result in zip(apps, evaluate_many(apps, on, rules=rules), strict=True):
            try:
                expected = check_eligibility(app.establishment, on, rules=rules)
            except (NotConfiguredError, CoverageError, RuleConflictError, UnitMappingError) as exc:
                error: Exception | None = exc
            else:
                error = None
            if error is not None:
                assert type(result.error) is type(error)
                assert result.decision is None
                continue
            assert result.decision == expected
            assert result.eligible == expected.outcome
            if app.content is None:
                assert result.amount_value is None
                continue
            try:
                amount = support_amount(
                    app.content,
                    app.eligible_cost,
                    on,
                    rules=rules,
                    fund=app.fund,
                    quantity=app.quantity,
                    priority=app.priority,
                )
            except (NotConfiguredError, CoverageError, ValidationError) as exc:
                error = exc
            if error is not None:
                assert type(result.error) is type(error)
                assert result.amount_value is None
                continue
            assert result.error is None
            assert result.amount_value == (amount.amount if expected.outcome else 0)
            if expected.outcome:
                assert result.amount == amount
