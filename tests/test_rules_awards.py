"""Tests of ``khuyencong.rules._awards`` and ``ocop``: the product award and OCOP stars."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from khuyencong.domain import AwardEntry, AwardLevel, ProductGroup
from khuyencong.exceptions import CoverageError, RuleConflictError, ValidationError
from khuyencong.rules import (
    RuleSet,
    award_levels,
    certificate_valid_until,
    check_award_entry,
    complaint_answer_deadline,
    is_ocop_product,
    ocop_score,
    ocop_stars,
    part_maxima,
    passes,
    total_score,
)
from khuyencong.rules._awards import CRITERIA
from khuyencong.testing.strategies import scores

ON = dt.date(2020, 6, 1)


def entry(level: AwardLevel, **kw: object) -> AwardEntry:
    fields: dict[str, object] = {
        "id": f"E-{level.value}",
        "product_name": "Mỳ Chũ",
        "establishment_id": "CS-1",
        "product_group": next(iter(ProductGroup)),
        "level": level,
        "round_year": 2020,
    }
    fields.update(kw)
    return AwardEntry(**fields)  # type: ignore[arg-type]


def certified(level: AwardLevel, issued_on: dt.date) -> AwardEntry:
    return entry(
        level,
        id=f"P-{level.value}",
        score=Decimal(80),
        passed=True,
        recognised=True,
        certificate_no="GCN-1",
        certificate_issued_on=issued_on,
    )


class TestAwardLevels:
    def test_district_until_30_june_2025_commune_from_1_july(self) -> None:
        """The ladder starts at the district until 30/6/2025 and at the commune from 1/7/2025."""
        assert award_levels(dt.date(2025, 6, 30))[0] is AwardLevel.DISTRICT
        assert award_levels(dt.date(2025, 7, 1)) == (
            AwardLevel.COMMUNE,
            AwardLevel.PROVINCE,
            AwardLevel.REGION,
            AwardLevel.NATION,
        )

    def test_a_rule_set_can_be_given(self) -> None:
        """The ladder is read from the rule set given, e.g. a what-if with three levels."""
        sim = RuleSet.national().what_if(
            {"award.levels": ("province", "region", "nation")}, label="no district round"
        )
        assert award_levels(ON, rules=sim) == (
            AwardLevel.PROVINCE,
            AwardLevel.REGION,
            AwardLevel.NATION,
        )


class TestPasses:
    def test_pass_mark_is_70(self) -> None:
        """An average of 70 passes, 69.99 does not (26/2014 Điều 17.1)."""
        assert passes(Decimal(70), ON) is True
        assert passes(Decimal("69.99"), ON) is False

    def test_a_plain_int_score_is_accepted(self) -> None:
        """Scores are written as they are read: passes(70, on) and passes(69, on)."""
        assert (passes(70, ON), passes(69, ON)) == (True, False)

    @pytest.mark.parametrize("score", [Decimal(-1), Decimal("100.01"), 70.0, "70", True, 101])
    def test_score_outside_0_100_or_of_another_type_is_refused(self, score: object) -> None:
        """A score is an int or a Decimal between 0 and 100; anything else (a float, text, a
        bool) is a validation error naming the score."""
        with pytest.raises(ValidationError) as info:
            passes(score, ON)  # type: ignore[arg-type]
        assert info.value.paths == ("$.score",)

    @given(scores())
    def test_passes_exactly_from_the_pass_mark(self, score: Decimal) -> None:
        """A score passes exactly when it reaches 70."""
        assert passes(score, ON) is (score >= 70)


class TestTotalScore:
    def test_weights_are_the_maxima(self) -> None:
        """Each criterion is capped by its weight (40/40/10/10): 41 for the market is refused."""
        with pytest.raises(ValidationError) as info:
            total_score({"market": Decimal(41), "culture": Decimal(5)}, ON)
        assert [p.path for p in info.value.problems] == ["$.market"]

    def test_unknown_criterion_is_refused(self) -> None:
        """Only the four criteria of Điều 7.1 are scored."""
        with pytest.raises(ValidationError) as info:
            total_score({"beauty": Decimal(5)}, ON)
        assert [p.path for p in info.value.problems] == ["$.beauty"]

    def test_full_marks_are_100(self) -> None:
        """The four weights add up to 100."""
        full = {"market": 40, "economic_technical": 40, "culture": 10, "other": 10}
        assert total_score({k: Decimal(v) for k, v in full.items()}, ON) == Decimal(100)


class TestCertificateValidUntil:
    def test_to_31_december_of_the_third_year(self) -> None:
        """A certificate issued on 15/3/2019 is valid to 31/12/2021."""
        assert certificate_valid_until(dt.date(2019, 3, 15)) == dt.date(2021, 12, 31)

    @given(st.dates(dt.date(2015, 1, 1), dt.date(2030, 12, 31)))
    def test_always_31_december_two_years_after_the_issue_year(self, issued: dt.date) -> None:
        """Counting the issue year, the third year ends on 31 December of issue year + 2."""
        assert certificate_valid_until(issued) == dt.date(issued.year + 2, 12, 31)


class TestComplaintAnswerDeadline:
    def test_ten_working_days_after_receipt(self) -> None:
        """A complaint received on Friday 4/12/2026 is answered by Friday 18/12/2026: ten
        working days, Saturdays and Sundays not counted, the day of receipt not counted."""
        assert complaint_answer_deadline(dt.date(2026, 12, 4)) == dt.date(2026, 12, 18)

    def test_public_holidays_given_are_not_working_days(self) -> None:
        """Holidays the caller gives (here New Year's Day 2027) push the deadline back."""
        received = dt.date(2026, 12, 28)
        plain = complaint_answer_deadline(received)
        later = complaint_answer_deadline(received, holidays=[dt.date(2027, 1, 1)])
        assert (plain, later) == (dt.date(2027, 1, 11), dt.date(2027, 1, 12))

    def test_holidays_as_text_are_refused(self) -> None:
        """Holidays are dates: a text is refused, naming ``holidays``."""
        with pytest.raises(ValidationError) as info:
            complaint_answer_deadline(ON, holidays="2027-01-01")  # type: ignore[arg-type]
        assert info.value.paths == ("$.holidays",)

    @given(
        st.dates(dt.date(2014, 10, 21), dt.date(2030, 12, 31)),
        st.lists(st.dates(dt.date(2014, 10, 21), dt.date(2031, 3, 1)), max_size=10),
    )
    def test_exactly_ten_working_days_end_on_a_working_day(
        self, received: dt.date, holidays: list[dt.date]
    ) -> None:
        """The deadline is a working day after the receipt, and exactly ten working days lie
        between them (the deadline included)."""
        due = complaint_answer_deadline(received, holidays=holidays)
        off = set(holidays)
        working = [
            received + dt.timedelta(days=n)
            for n in range(1, (due - received).days + 1)
            if (received + dt.timedelta(days=n)).isoweekday() < 6
            and received + dt.timedelta(days=n) not in off
        ]
        assert len(working) == 10
        assert working[-1] == due


class TestCheckAwardEntry:
    def test_district_entry_needs_no_certificate(self) -> None:
        """The bottom level of the ladder has no prerequisite."""
        decision = check_award_entry(entry(AwardLevel.DISTRICT), dt.date(2024, 5, 1))
        assert decision.outcome is True
        assert [c.code for c in decision.conditions] == ["award.level", "award.entry_conditions"]

    def test_district_level_is_off_the_ladder_from_1_july_2025(self) -> None:
        """From 1/7/2025 there is no district round (38/2025/TT-BCT); the reason names the day."""
        decision = check_award_entry(entry(AwardLevel.DISTRICT), dt.date(2025, 7, 1))
        assert decision.failed_codes == ("award.level_ended",)
        assert decision.failed[0].required == "2025-07-01"
        assert "bình chọn Cấp huyện kể từ ngày 01/07/2025" in decision.failed[0].message_vi
        assert "there are no District level rounds from 2025-07-01" in (
            decision.failed[0].message_en
        )

    def test_district_entry_before_1_july_2025_is_valid(self) -> None:
        """A district entry dated 30/6/2025 is judged on the ladder of its own date."""
        decision = check_award_entry(entry(AwardLevel.DISTRICT), dt.date(2025, 6, 30))
        assert decision.outcome is True

    def test_commune_level_is_not_on_the_ladder_before_1_july_2025(self) -> None:
        """Before 38/2025/TT-BCT there was no commune round; that is not an ended level."""
        decision = check_award_entry(entry(AwardLevel.COMMUNE), dt.date(2025, 6, 30))
        assert decision.failed_codes == ("award.level",)

    def test_commune_entry_from_1_july_2025_needs_no_certificate(self) -> None:
        """The commune is the bottom of the ladder from 1/7/2025."""
        assert check_award_entry(entry(AwardLevel.COMMUNE), dt.date(2025, 7, 1)).outcome is True

    def test_district_certificate_before_the_reform_still_qualifies_the_province(self) -> None:
        """A district certificate of 10/2024, valid to 31/12/2026, qualifies a provincial entry of
        2026 as the certificate of the level that was below the province when it was issued
        (labelled exception earlier_ladder, an interpretation [U])."""
        prior = certified(AwardLevel.DISTRICT, dt.date(2024, 10, 1))
        decision = check_award_entry(entry(AwardLevel.PROVINCE), dt.date(2026, 3, 1), prior=prior)
        assert decision.outcome is True
        condition = decision.conditions[1]
        assert (condition.code, condition.exception) == ("award.prerequisite", "earlier_ladder")
        assert condition.citation.document == "38/2025/TT-BCT"
        assert condition.citation.confidence.value == "U"

    def test_expired_district_certificate_does_not_qualify(self) -> None:
        """The same certificate no longer counts from 1/1/2027 (Điều 17.3 validity)."""
        prior = certified(AwardLevel.DISTRICT, dt.date(2024, 10, 1))
        decision = check_award_entry(entry(AwardLevel.PROVINCE), dt.date(2027, 1, 1), prior=prior)
        assert decision.failed_codes == ("award.prerequisite",)

    def test_district_certificate_dated_after_the_reform_does_not_qualify(self) -> None:
        """A 'district' certificate issued on 1/7/2025 was not of the level below the province
        on its issue date, so it does not count."""
        prior = certified(AwardLevel.DISTRICT, dt.date(2025, 7, 1))
        decision = check_award_entry(entry(AwardLevel.PROVINCE), dt.date(2026, 3, 1), prior=prior)
        assert decision.failed_codes == ("award.prerequisite",)

    def test_commune_certificate_qualifies_the_province_after_the_reform(self) -> None:
        """From 1/7/2025 a provincial entry needs a valid commune certificate."""
        prior = certified(AwardLevel.COMMUNE, dt.date(2025, 9, 1))
        decision = check_award_entry(entry(AwardLevel.PROVINCE), dt.date(2026, 3, 1), prior=prior)
        assert decision.outcome is True
        assert decision.conditions[1].exception is None

    def test_the_interpretation_can_be_switched_off(self) -> None:
        """With award.earlier_level_certificates_count false, only a commune certificate counts."""
        strict = RuleSet.national().what_if(
            {"award.earlier_level_certificates_count": False},
            label="commune certificates only",
            start=dt.date(2025, 7, 1),
        )
        prior = certified(AwardLevel.DISTRICT, dt.date(2024, 10, 1))
        decision = check_award_entry(
            entry(AwardLevel.PROVINCE), dt.date(2026, 3, 1), rules=strict, prior=prior
        )
        assert decision.failed_codes == ("award.prerequisite",)

    def test_a_provincial_certificate_never_stands_for_a_regional_one(self) -> None:
        """The earlier ladder only helps a certificate that was the level below on its date."""
        prior = certified(AwardLevel.PROVINCE, dt.date(2024, 10, 1))
        decision = check_award_entry(entry(AwardLevel.NATION), dt.date(2025, 9, 1), prior=prior)
        assert decision.failed_codes == ("award.prerequisite",)

    def test_earlier_certificate_and_no_lower_round_are_a_conflict(self) -> None:
        """Presenting a pre-reform district certificate while claiming no lower round is two
        grounds at once."""
        prior = certified(AwardLevel.DISTRICT, dt.date(2024, 10, 1))
        with pytest.raises(RuleConflictError):
            check_award_entry(
                entry(AwardLevel.PROVINCE),
                dt.date(2026, 3, 1),
                prior=prior,
                lower_round_held=False,
            )

    def test_national_entry_needs_a_valid_regional_certificate(self) -> None:
        """A national entry with a regional certificate issued 2019 is valid until 31/12/2021."""
        prior = certified(AwardLevel.REGION, dt.date(2019, 9, 1))
        ok = check_award_entry(entry(AwardLevel.NATION), dt.date(2021, 12, 31), prior=prior)
        late = check_award_entry(entry(AwardLevel.NATION), dt.date(2022, 1, 1), prior=prior)
        assert ok.outcome is True
        assert late.failed_codes == ("award.prerequisite",)

    def test_wrong_level_or_no_certificate_fails(self) -> None:
        """A provincial certificate does not qualify a national entry; nor does no certificate."""
        prior = certified(AwardLevel.PROVINCE, dt.date(2020, 1, 1))
        wrong = check_award_entry(entry(AwardLevel.NATION), ON, prior=prior)
        none = check_award_entry(entry(AwardLevel.NATION), ON)
        assert wrong.failed_codes == ("award.prerequisite",)
        assert none.failed_codes == ("award.prerequisite",)
        assert none.failed[0].found == "none"

    def test_no_lower_round_is_a_labelled_exception_for_the_province(self) -> None:
        """Without a district round, a provincial entry needs no certificate (Điều 12.2.d)."""
        decision = check_award_entry(entry(AwardLevel.PROVINCE), ON, lower_round_held=False)
        assert decision.outcome is True
        assert decision.conditions[1].exception == "no_lower_round"
        assert "ngoại lệ: no_lower_round" in decision.conditions[1].message_vi

    def test_exception_and_certificate_together_are_a_conflict(self) -> None:
        """Claiming 'no lower round' while presenting a valid certificate is two grounds."""
        prior = certified(AwardLevel.DISTRICT, dt.date(2020, 1, 1))
        with pytest.raises(RuleConflictError):
            check_award_entry(entry(AwardLevel.PROVINCE), ON, prior=prior, lower_round_held=False)

    def test_failed_entry_conditions_are_listed(self) -> None:
        """A one-off piece that is not mass-producible cannot enter."""
        decision = check_award_entry(
            entry(AwardLevel.DISTRICT), ON, entry_conditions={"mass_producible": False}
        )
        assert decision.failed_codes == ("award.entry_conditions",)
        assert decision.failed[0].found == "mass_producible"


class TestPartMaxima:
    def test_2019_and_2023_part_maxima(self) -> None:
        """Parts A/B/C are 35/25/40 until 23/2/2023 and 40/25/35 from 24/2/2023."""
        assert part_maxima(dt.date(2023, 2, 23)) == (35, 25, 40)
        assert part_maxima(dt.date(2023, 2, 24)) == (40, 25, 35)


class TestOcopScore:
    def test_sum_of_parts(self) -> None:
        """The total is the sum of the three parts, each within its maximum."""
        total = ocop_score(Decimal(40), Decimal(25), Decimal("24.5"), dt.date(2024, 1, 1))
        assert total == Decimal("89.5")

    def test_parts_above_their_maxima_are_listed(self) -> None:
        """Under the 2023 criteria part A above 40 and a negative part C are both refused."""
        with pytest.raises(ValidationError) as info:
            ocop_score(Decimal(41), Decimal(0), Decimal(-1), dt.date(2024, 1, 1))
        assert [p.path for p in info.value.problems] == ["$.part_a", "$.part_c"]


class TestOcopStars:
    @pytest.mark.parametrize(
        ("score", "stars"),
        [("90", 5), ("89.99", 4), ("70", 4), ("50", 3), ("49.99", 2), ("30", 2), ("29.99", 1)],
    )
    def test_band_edges(self, score: str, stars: int) -> None:
        """5★ ≥ 90, 4★ ≥ 70, 3★ ≥ 50, 2★ ≥ 30, else 1★."""
        assert ocop_stars(Decimal(score), dt.date(2024, 1, 1)) == stars

    def test_score_out_of_range_is_refused(self) -> None:
        """A score above 100 is not a score."""
        with pytest.raises(ValidationError):
            ocop_stars(Decimal(101), dt.date(2024, 1, 1))

    def test_no_criteria_before_2019(self) -> None:
        """Before 1048/QĐ-TTg there are no OCOP star bands."""
        with pytest.raises(CoverageError):
            ocop_stars(Decimal(80), dt.date(2019, 1, 1))

    @given(scores(), scores())
    def test_monotone_in_score(self, a: Decimal, b: Decimal) -> None:
        """A higher score never gives fewer stars."""
        low, high = sorted((a, b))
        on = dt.date(2024, 1, 1)
        assert ocop_stars(low, on) <= ocop_stars(high, on)


class TestIsOcopProduct:
    def test_from_three_stars(self) -> None:
        """An OCOP product has at least 3 stars."""
        on = dt.date(2024, 1, 1)
        assert [is_ocop_product(s, on) for s in range(1, 6)] == [False, False, True, True, True]


class TestAwardParametersAcrossAmendments:
    def test_weights_are_the_scoring_sheet_of_phu_luc_4(self) -> None:
        """26/2014/TT-BCT Phụ lục 4: market 40, economic-technical 40, culture 10, other 10 [V2]."""
        national = RuleSet.national()
        on = dt.date(2016, 1, 1)
        weights = [national.value(f"award.weight.{c}", on) for c in CRITERIA]
        assert weights == [40, 40, 10, 10]
        entry_ = national.entry("award.weight.other", on)
        assert entry_.confidence.value == "V2"
        assert "luatminhkhue.vn" in entry_.citation.note

    @pytest.mark.parametrize(
        "name",
        [
            "award.pass_mark",
            "award.certificate_validity_years",
            "award.prerequisites",
            "award.weight.market",
        ],
    )
    def test_values_after_14_2018_are_unverified(self, name: str) -> None:
        """14/2018/TT-BCT (in force 16/8/2018) amended 26/2014: values read in the original text
        are kept after it only as [U] defaults."""
        national = RuleSet.national()
        before = national.entry(name, dt.date(2018, 8, 15))
        after = national.entry(name, dt.date(2018, 8, 16))
        assert before.value == after.value
        assert before.confidence.value in ("V", "V2")
        assert after.confidence.value == "U"
        assert "14/2018/TT-BCT" in after.citation.note

    def test_ladder_after_14_2018_is_confirmed(self) -> None:
        """14/2018/TT-BCT keeps the four levels district → nation [V2]."""
        after = RuleSet.national().entry("award.levels", dt.date(2018, 8, 16))
        assert after.confidence.value == "V2"
        assert after.value == ("district", "province", "region", "nation")

    def test_38_2025_keeps_the_pass_mark_as_unverified(self) -> None:
        """From 1/7/2025 the 70-point mark is the 26/2014 value carried as [U]."""
        entry_ = RuleSet.national().entry("award.pass_mark", dt.date(2025, 7, 1))
        assert (entry_.value, entry_.confidence.value) == (70, "U")
        assert entry_.citation.document == "38/2025/TT-BCT"
