"""Tests of ``khuyencong.rules._projects``, ``conditions`` and ``cooperatives``."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from khuyencong.domain import (
    Fund,
    LegalForm,
    Project,
    ProjectContent,
    ProjectKind,
    SupportContent,
    million,
)
from khuyencong.exceptions import CoverageError, NotConfiguredError, ValidationError
from khuyencong.messages import Text, language
from khuyencong.rules import (
    Advance,
    PriorityClaim,
    RuleSet,
    adjustment_approver,
    check_cooperative,
    check_models_per_district,
    check_project_amounts,
    check_support_conditions,
    dossier_deadlines,
    final_settlement_deadline,
    first_advance,
    monthly_report_deadline,
    rank_applications,
    refund_due,
    remaining_advance,
    settlement_deadline,
)
from khuyencong.testing.strategies import money
from khuyencong.units import MapId, UnitRef

ON = dt.date(2016, 5, 1)


@st.composite
def _advances(draw: st.DrawFn) -> tuple[Advance, int] | None:
    """A first advance of any content, support, progress and acceptance on ``ON``, with its
    support (``None`` for a content Điều 13 does not list)."""
    support = draw(money())
    try:
        advance = first_advance(
            draw(st.sampled_from(SupportContent)),
            support,
            ON,
            progress=draw(st.decimals(0, 1, places=2)),
            accepted=draw(st.booleans()),
        )
    except NotConfiguredError:
        return None
    return advance, support


ADVANCES = _advances()


def project(*contents: ProjectContent) -> Project:
    return Project(
        id="DA-1",
        title="Đề án máy móc",
        kind=ProjectKind.SINGLE_BENEFICIARY,
        beneficiary_ids=("CS-1",),
        contents=contents,
        fund=Fund.NATIONAL,
        province=UnitRef(MapId.MAP_2021, "24"),
        plan_year=2016,
        lead_agency="Trung tâm Khuyến công",
    )


class TestCheckProjectAmounts:
    def test_requested_within_the_computed_maximum(self) -> None:
        """Machinery in 2016: 50% of 300 million is 150 million; asking 150 million holds."""
        pc = ProjectContent(
            SupportContent.MACHINERY, eligible_cost=million(300), requested=million(150)
        )
        assert check_project_amounts(project(pc), ON).outcome is True

    def test_requested_above_the_cap_fails_with_money_in_the_message(self) -> None:
        """Asking 250 million for machinery in 2016 exceeds the 200 million cap."""
        pc = ProjectContent(
            SupportContent.MACHINERY, eligible_cost=million(600), requested=million(250)
        )
        decision = check_project_amounts(project(pc), ON)
        assert decision.failed_codes == ("project.requested",)
        assert decision.failed[0].required == "200000000"
        assert decision.failed[0].message_en == (
            "requested VND 250,000,000 exceeds the maximum VND 200,000,000"
        )

    def test_each_content_is_checked(self) -> None:
        """Two contents give two conditions, one per content, in order."""
        a = ProjectContent(
            SupportContent.MACHINERY, eligible_cost=million(100), requested=million(50)
        )
        b = ProjectContent(SupportContent.BRAND, eligible_cost=million(100), requested=million(40))
        decision = check_project_amounts(project(a, b), ON)
        assert [c.held for c in decision.conditions] == [False, True]


class TestFirstAdvance:
    def test_machinery_70_percent_after_70_percent_investment(self) -> None:
        """Machinery: 70% of the support once more than 70% of the investment is done."""
        advance = first_advance(
            SupportContent.MACHINERY, million(200), ON, progress=Decimal("0.71")
        )
        assert (advance.kind, advance.rate, advance.amount) == (
            "investment",
            Decimal("0.7"),
            million(140),
        )
        assert advance.citation.document == "36/2013/TT-BCT"

    def test_a_cluster_40_percent_done_gets_nothing_yet(self) -> None:
        """Cluster infrastructure 40% done: no advance (more than 50% of the work is needed);
        the same share as a Fraction gives the same answer."""
        for progress in (Decimal("0.4"), Fraction(2, 5)):
            advance = first_advance("cluster infrastructure", million(3000), ON, progress=progress)
            assert (advance.amount, advance.condition_met) == (0, False)

    @pytest.mark.parametrize("progress", [40, 0.4, Decimal("1.01"), Decimal(-1), "0.4"])
    def test_a_percentage_or_a_float_is_refused(self, progress: object) -> None:
        """Progress is a share from 0 to 1 as a Decimal or Fraction: 40 (a percentage by
        mistake, which once paid 900 million for a cluster 40% done), a float or text is a
        ValidationError naming ``progress``."""
        with pytest.raises(ValidationError) as info:
            first_advance(
                SupportContent.CLUSTER_INFRASTRUCTURE,
                million(3000),
                ON,
                progress=progress,  # type: ignore[arg-type]
            )
        assert info.value.paths == ("$.progress",)

    def test_unlisted_content_is_not_configured(self) -> None:
        """Fairs abroad are not listed in Điều 13: the ministry's department decides."""
        with pytest.raises(NotConfiguredError, match=r"Điều 16\.2"):
            first_advance(SupportContent.OVERSEAS_FAIR, million(100), ON)

    @given(ADVANCES)
    def test_never_more_than_the_support(self, drawn: tuple[Advance, int] | None) -> None:
        """A first advance is never negative and never above the approved support."""
        if drawn is None:
            return  # a content Điều 13 does not list
        advance, support = drawn
        assert 0 <= advance.amount <= support
        assert advance.condition_met or advance.amount == 0


class TestAdvanceData:
    @given(ADVANCES)
    def test_to_data_round_trips_through_json(self, drawn: tuple[Advance, int] | None) -> None:
        """An advance written with to_data reads back equal through JSON text."""
        if drawn is not None:
            advance = drawn[0]
            assert Advance.from_data(json.loads(json.dumps(advance.to_data()))) == advance


class TestRemainingAdvance:
    def test_only_after_acceptance(self) -> None:
        """The rest is paid only after acceptance (Điều 14)."""
        assert remaining_advance(million(200), million(140), accepted=False) == 0
        assert remaining_advance(million(200), million(140), accepted=True) == million(60)

    def test_never_negative(self) -> None:
        """Advances above the approved total leave nothing to pay."""
        assert remaining_advance(100, 120, accepted=True) == 0


class TestRefundDue:
    def test_unused_advance_is_refunded(self) -> None:
        """Advanced 140, settled 120: 20 is refunded (Điều 12.6)."""
        assert refund_due(140, 120) == 20
        assert refund_due(100, 120) == 0


class TestSettlementDeadline:
    def test_fifteen_days_or_22_january(self) -> None:
        """The earlier of acceptance + 15 days and 22 January of the next year."""
        assert settlement_deadline(dt.date(2016, 5, 2)) == dt.date(2016, 5, 17)
        assert settlement_deadline(dt.date(2016, 12, 31)) == dt.date(2017, 1, 15)

    @given(st.dates(dt.date(2014, 2, 10), dt.date(2030, 12, 31)))
    def test_is_the_minimum_of_both_limits(self, accepted: dt.date) -> None:
        """The deadline is min(acceptance + 15 days, 22 January of the next year)."""
        expected = min(accepted + dt.timedelta(days=15), dt.date(accepted.year + 1, 1, 22))
        assert settlement_deadline(accepted) == expected


class TestDossierDeadlines:
    def test_20_may_and_15_june_of_the_year_before(self) -> None:
        """Dossiers filed in 2019 (for plan year 2020): 20/5/2019 to the department, 15/6/2019
        to the ministry; the result names both."""
        deadlines = dossier_deadlines(dt.date(2019, 3, 1))
        assert deadlines == (dt.date(2019, 5, 20), dt.date(2019, 6, 15))
        assert (deadlines.to_department, deadlines.to_ministry) == tuple(deadlines)

    @given(st.dates(dt.date(2014, 2, 10), dt.date(2040, 12, 31)))
    def test_the_deadlines_are_json_ready_data(self, on: dt.date) -> None:
        """``to_data()`` names both deadlines as ISO dates that read back equal."""
        deadlines = dossier_deadlines(on)
        data = json.loads(json.dumps(deadlines.to_data()))
        assert {k: dt.date.fromisoformat(v) for k, v in data.items()} == deadlines._asdict()

    def test_not_before_36_2013(self) -> None:
        """There is no calendar in 2013 (for plan year 2014): 36/2013 took effect on 10/2/2014."""
        with pytest.raises(CoverageError):
            dossier_deadlines(dt.date(2013, 6, 1))

    def test_a_plan_year_is_no_longer_a_date(self) -> None:
        """The plan year of the old signature is refused, naming ``on``."""
        with pytest.raises(ValidationError) as info:
            dossier_deadlines(2020)  # type: ignore[arg-type]
        assert info.value.paths == ("$.on",)


class TestFinalSettlementDeadline:
    def test_22_january_of_the_next_year(self) -> None:
        """The work of a plan year is liquidated and settled by 22 January of the next year
        (36/2013 Điều 18.2), whatever day of the year is given."""
        assert final_settlement_deadline(dt.date(2019, 1, 1)) == dt.date(2020, 1, 22)
        assert final_settlement_deadline(dt.date(2019, 12, 31)) == dt.date(2020, 1, 22)

    @given(st.dates(dt.date(2014, 2, 10), dt.date(2030, 12, 31)))
    def test_the_settlement_dossier_is_never_due_after_it(self, accepted: dt.date) -> None:
        """The settlement dossier deadline (Điều 18.1) never falls after the final deadline of
        the same year (Điều 18.2), and never before the acceptance."""
        due = settlement_deadline(accepted)
        assert accepted <= due <= final_settlement_deadline(accepted)


class TestMonthlyReportDeadline:
    def test_before_the_25th(self) -> None:
        """Implementers report progress monthly before the 25th (Điều 22), for the month of the
        date given."""
        assert monthly_report_deadline(dt.date(2019, 11, 3)) == dt.date(2019, 11, 25)


class TestAdjustmentApprover:
    @pytest.mark.parametrize(
        ("change", "group", "approver"),
        [
            ("increase_total_support", False, "ministry"),
            ("extend_to_next_year", True, "ministry"),
            ("change_beneficiary", False, "department"),
            ("change_beneficiary", True, "province"),
            ("other_without_increase", True, "department"),
        ],
    )
    def test_who_approves(self, change: str, group: bool, approver: str) -> None:
        """The ministry approves increases and stops; its department site and beneficiary
        changes; the provincial department those of group projects (Điều 11)."""
        assert adjustment_approver(change, ON, group_project=group) == approver

    def test_unknown_change_is_refused(self) -> None:
        """A change the article does not name has no approver: a ValidationError naming
        ``change`` and listing the changes the article names."""
        with language("en"), pytest.raises(ValidationError, match="increase_total_support") as info:
            adjustment_approver("paint_the_office", ON)
        assert info.value.paths == ("$.change",)


class TestCheckModelsPerDistrict:
    def test_one_model_per_district(self) -> None:
        """One national-fund demonstration model per district holds, two fail (20/2017)."""
        assert check_models_per_district("219", 1, dt.date(2018, 1, 1)).outcome is True
        decision = check_models_per_district("219", 2, dt.date(2018, 1, 1))
        assert decision.failed_codes == ("project.models_per_district",)
        assert decision.subject == "219"

    def test_still_one_per_kind_on_30_june_2025(self) -> None:
        """The limit of 20/2017/TT-BCT applies until the last day of the districts."""
        assert check_models_per_district("219", 1, dt.date(2025, 6, 30)).outcome is True
        assert check_models_per_district("219", 2, dt.date(2025, 6, 30)).outcome is False

    def test_not_configured_once_districts_ended(self) -> None:
        """From 1/7/2025 there are no districts: the limit is not configured, naming 20/2017."""
        with pytest.raises(NotConfiguredError) as info:
            check_models_per_district("219", 1, dt.date(2025, 7, 1))
        assert "20/2017/TT-BCT" in Text.of(info.value.source_document).vi

    def test_a_province_can_supply_the_successor_limit(self) -> None:
        """An overlay (here a what-if) may set a limit for the post-reform units."""
        sim = RuleSet.national().what_if(
            {"project.models_per_district_max": 1},
            label="one per commune",
            start=dt.date(2025, 7, 1),
        )
        assert check_models_per_district("07582", 1, dt.date(2026, 1, 1), rules=sim).outcome is True


class TestParametersAcross17of2018:
    @pytest.mark.parametrize(
        "name",
        [
            "project.dossier_deadline",
            "project.settlement_final_deadline",
            "project.advance.contract.rate",
        ],
    )
    def test_values_after_17_2018_are_unverified(self, name: str) -> None:
        """17/2018/TT-BCT (10/7/2018) amended 36/2013: its values are kept after that day as [U]."""
        national = RuleSet.national()
        before = national.entry(name, dt.date(2018, 7, 9))
        after = national.entry(name, dt.date(2018, 7, 10))
        assert before.value == after.value
        assert (before.confidence.value, after.confidence.value) == ("V", "U")
        assert "17/2018/TT-BCT" in after.citation.note


class TestCheckSupportConditions:
    def test_all_four_conditions_hold(self) -> None:
        """Eligible, approved, counterpart committed, no other state funding: support holds."""
        decision = check_support_conditions(
            "DA-1",
            ON,
            content_and_sector_eligible=True,
            approved=True,
            counterpart_committed=True,
            other_state_funding=False,
        )
        assert decision.outcome is True
        assert len(decision.conditions) == 4

    def test_other_state_funding_fails(self) -> None:
        """Other state funding for the same cost item excludes support (26/2014 Điều 7)."""
        decision = check_support_conditions(
            "DA-1",
            ON,
            content_and_sector_eligible=True,
            approved=True,
            counterpart_committed=False,
            other_state_funding=True,
        )
        assert set(decision.failed_codes) == {
            "condition.counterpart_committed",
            "condition.no_other_state_funding",
        }

    @given(st.booleans(), st.booleans(), st.booleans(), st.booleans())
    def test_outcome_is_the_conjunction(self, a: bool, b: bool, c: bool, d: bool) -> None:
        """The decision holds exactly when all its conditions hold."""
        decision = check_support_conditions(
            "X",
            ON,
            content_and_sector_eligible=a,
            approved=b,
            counterpart_committed=c,
            other_state_funding=d,
        )
        assert decision.outcome == all(x.held for x in decision.conditions)
        assert decision.outcome == (a and b and c and not d)


class TestRankApplications:
    def test_areas_before_sectors_cleaner_production_last(self) -> None:
        """Area priority wins over sector priority; cleaner production has no rank."""
        claims = [
            PriorityClaim("clean", cleaner_production=True),
            PriorityClaim("sector", sectors=frozenset({"export_product"})),
            PriorityClaim("none"),
            PriorityClaim("area", areas=frozenset({"poor_district_30a"})),
        ]
        ranked = rank_applications(claims, ON)
        assert [c.id for c, _ in ranked] == ["area", "sector", "none", "clean"]

    def test_unknown_priority_is_refused(self) -> None:
        """A priority value not in the legal lists is an error naming the application."""
        with language("en"), pytest.raises(ValueError, match="X: not priority areas"):
            rank_applications([PriorityClaim("X", areas=frozenset({"nowhere"}))], ON)


class TestCheckCooperative:
    def test_minimum_changes_on_1_july_2024(self) -> None:
        """Six members: not a cooperative on 30/6/2024 (7 needed), one from 1/7/2024 (5)."""
        assert check_cooperative(LegalForm.COOPERATIVE, 6, dt.date(2024, 6, 30)).outcome is False
        assert check_cooperative(LegalForm.COOPERATIVE, 6, dt.date(2024, 7, 1)).outcome is True

    @pytest.mark.parametrize(
        ("on", "members", "ok"),
        [
            (dt.date(2012, 7, 5), 2, False),
            (dt.date(2019, 11, 24), 2, False),
            (dt.date(2019, 11, 24), 3, True),
            (dt.date(2019, 11, 25), 2, True),
            (dt.date(2024, 6, 30), 1, False),
        ],
    )
    def test_group_minimum_3_under_151_2007_then_2_under_77_2019(
        self, on: dt.date, members: int, ok: bool
    ) -> None:
        """A cooperative group needs 3 members before 25/11/2019 (151/2007), 2 after (77/2019)."""
        assert check_cooperative(LegalForm.COOPERATIVE_GROUP, members, on).outcome is ok

    def test_group_minimum_cites_the_decree_in_force(self) -> None:
        """The decision cites 151/2007/NĐ-CP, then 77/2019/NĐ-CP Điều 3.1, then 17/2023/QH15."""
        documents = [
            check_cooperative(LegalForm.COOPERATIVE_GROUP, 3, on).conditions[0].citation.document
            for on in (dt.date(2019, 11, 24), dt.date(2019, 11, 25), dt.date(2024, 7, 1))
        ]
        assert documents == ["151/2007/NĐ-CP", "77/2019/NĐ-CP", "17/2023/QH15"]

    def test_union_needs_four_under_the_2012_law(self) -> None:
        """Luật HTX 2012 Điều 3.2: a union needs four cooperatives until 30/6/2024, three after."""
        on, after = dt.date(2024, 6, 30), dt.date(2024, 7, 1)
        assert check_cooperative(LegalForm.COOPERATIVE_UNION, 3, on).outcome is False
        assert check_cooperative(LegalForm.COOPERATIVE_UNION, 3, after).outcome is True

    def test_before_the_2012_law_the_minimums_are_unverified(self) -> None:
        """5/7/2012 – 30/6/2013 fell under the 2003 law, whose minimum was not found: [U]."""
        decision = check_cooperative(LegalForm.COOPERATIVE, 7, dt.date(2013, 6, 30))
        cite = decision.conditions[0].citation
        assert (decision.outcome, cite.document, cite.confidence.value) == (
            True,
            "18/2003/QH11",
            "U",
        )
        cite = (
            check_cooperative(LegalForm.COOPERATIVE, 7, dt.date(2013, 7, 1)).conditions[0].citation
        )
        assert (cite.document, cite.confidence.value) == ("23/2012/QH13", "V2")

    def test_group_needs_two_members(self) -> None:
        """A cooperative group needs at least two members."""
        decision = check_cooperative(
            LegalForm.COOPERATIVE_GROUP, 1, dt.date(2024, 7, 1), subject="T"
        )
        assert (decision.subject, decision.failed_codes) == ("T", ("cooperative_group.members",))

    def test_not_a_cooperative_kind(self) -> None:
        """An SME has no member minimum: a ValidationError naming ``form``."""
        with pytest.raises(ValidationError) as info:
            check_cooperative(LegalForm.SME, 3, dt.date(2024, 7, 1))
        assert info.value.paths == ("$.form",)

    def test_the_form_may_be_written_as_people_write_it(self) -> None:
        """'HTX' and 'union' name a cooperative and a union of cooperatives."""
        on = dt.date(2024, 7, 1)
        assert check_cooperative("HTX", 5, on).outcome is True
        assert check_cooperative("union", 2, on).failed_codes == ("cooperative_union.members",)

    def test_rules_dated_the_same_day_are_accepted(self) -> None:
        """A dated view of the rules is accepted as support_amount accepts it."""
        on = dt.date(2024, 7, 1)
        dated = RuleSet.national().at(on)
        assert check_cooperative(LegalForm.COOPERATIVE, 4, on, rules=dated) == check_cooperative(
            LegalForm.COOPERATIVE, 4, on
        )

    def test_a_rule_set_can_be_given(self) -> None:
        """A what-if minimum of 10 members makes nine too few."""
        sim = RuleSet.national().what_if({"cooperative.min_members": 10}, label="ten")
        assert (
            check_cooperative(LegalForm.COOPERATIVE, 9, dt.date(2024, 7, 1), rules=sim).outcome
            is False
        )
