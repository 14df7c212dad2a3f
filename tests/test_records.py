"""Records of support, fairs, awards and OCOP ratings: immutable, validated facts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from khuyencong.converters import structure, unstructure
from khuyencong.domain import (
    AwardEntry,
    AwardLevel,
    BudgetEnvelope,
    FairKind,
    FairParticipation,
    Fund,
    OcopRating,
    ProductGroup,
    SupportContent,
    SupportRecord,
)
from khuyencong.exceptions import ValidationError
from khuyencong.units import MapId, UnitRef

DAY = dt.date(2018, 6, 1)


def paths(factory: Any, **fields: Any) -> set[str]:
    with pytest.raises(ValidationError) as info:
        factory(**fields)
    return set(info.value.paths)


def support(**overrides: Any) -> SupportRecord:
    fields: dict[str, Any] = {
        "id": "SR-1",
        "establishment_id": "BG-HTX-001",
        "content": SupportContent.MACHINERY,
        "delivered_on": DAY,
        "national_amount": 150_000_000,
        "co_funding": 150_000_000,
        "lead_agency": "Trung tâm Khuyến công và XTTM Bắc Giang",
        "partners": ["Trung tâm Khuyến công và Tư vấn phát triển công nghiệp 1"],
    }
    fields.update(overrides)
    return SupportRecord(**fields)


class TestSupportRecord:
    def test_amounts_are_kept_by_fund_with_co_funding_apart(self) -> None:
        """National, local and the beneficiary's own money are separate sums."""
        r = support(local_amount=10)
        assert r.public_amount == 150_000_010
        assert r.amount(Fund.NATIONAL) == 150_000_000
        assert r.amount(Fund.LOCAL) == 10
        assert r.co_funding == 150_000_000

    def test_the_lead_and_partners_are_kept(self) -> None:
        """Joint delivery keeps the partner so a national roll-up does not count it twice."""
        assert support().partners == ("Trung tâm Khuyến công và Tư vấn phát triển công nghiệp 1",)

    def test_negative_or_float_money_is_refused(self) -> None:
        """Money is integer đồng, never negative, never a float."""
        assert paths(support, national_amount=-1, local_amount=1.5) == {
            "$.national_amount",
            "$.local_amount",
        }

    def test_dates_must_be_in_order(self) -> None:
        """A decision precedes the delivery; acceptance follows it."""
        assert paths(support, decided_on=DAY + dt.timedelta(days=1)) == {"$.decided_on"}
        assert paths(support, accepted_on=DAY - dt.timedelta(days=1)) == {"$.accepted_on"}

    def test_counts_are_whole_non_negative_numbers(self) -> None:
        """Trainees and participants are people: whole numbers, zero or more."""
        assert paths(support, trainees=-1, participants=True) == {"$.trainees", "$.participants"}

    def test_outcomes_are_optional_and_not_zero(self) -> None:
        """A record without reported outcomes has none (not zero); reported ones are kept."""
        assert (support().jobs_created, support().income_change) == (None, None)
        assert support().outcome_reported_on is None
        r = support(jobs_created=4, income_change=-6_000_000, outcome_reported_on=DAY)
        assert (r.jobs_created, r.income_change, r.outcome_reported_on) == (4, -6_000_000, DAY)

    def test_outcome_values_are_checked(self) -> None:
        """New jobs are a whole number of persons, zero or more; an income change is integer
        đồng (negative for a fall), never a float or a boolean."""
        assert paths(support, jobs_created=-1, income_change=1.5) == {
            "$.jobs_created",
            "$.income_change",
        }
        assert paths(support, jobs_created=True, income_change=False) == {
            "$.jobs_created",
            "$.income_change",
        }
        assert paths(support, income_change="5000000") == {"$.income_change"}

    def test_outcomes_are_reported_after_the_delivery(self) -> None:
        """Outcomes are reported on or after the delivery date, never before."""
        assert support(outcome_reported_on=DAY).outcome_reported_on == DAY
        before = DAY - dt.timedelta(days=1)
        assert paths(support, outcome_reported_on=before) == {"$.outcome_reported_on"}

    def test_old_json_without_outcomes_still_loads(self) -> None:
        """Records written before the outcome fields existed load with no outcome reported;
        records with outcomes round-trip through JSON."""
        r = support(jobs_created=3, income_change=-1, outcome_reported_on=DAY)
        data = unstructure(r)
        assert structure(data, SupportRecord) == r
        old = {
            k: v
            for k, v in data.items()
            if k not in {"jobs_created", "income_change", "outcome_reported_on"}
        }
        loaded = structure(old, SupportRecord)
        assert (loaded.jobs_created, loaded.income_change, loaded.outcome_reported_on) == (
            None,
            None,
            None,
        )

    def test_the_unit_is_kept_as_it_was(self) -> None:
        """A record carries the unit of the map in force on its date."""
        r = support(location=UnitRef(MapId.MAP_2021, "07525"))
        assert r.location is not None
        assert r.location.map_id is MapId.MAP_2021


class TestFairParticipation:
    def test_a_paid_participation_names_its_fund(self) -> None:
        """Support paid for a fair must say which fund paid it."""
        fields: dict[str, Any] = {
            "id": "HC-1",
            "establishment_id": "BG-HTX-001",
            "fair_name": "Hội chợ CNNT tiêu biểu khu vực phía Bắc",
            "fair_kind": FairKind.DOMESTIC,
            "start_on": DAY,
        }
        assert paths(FairParticipation, supported_amount=5_000_000, **fields) == {"$.fund"}
        ok = FairParticipation(supported_amount=5_000_000, fund=Fund.LOCAL, **fields)
        assert ok.fund is Fund.LOCAL
        assert paths(FairParticipation, end_on=DAY - dt.timedelta(days=1), **fields) == {"$.end_on"}


class TestAwardEntry:
    BASE: dict[str, Any] = {  # noqa: RUF012 - read-only test data
        "id": "BC-1",
        "product_name": "Mỳ gạo Chũ",
        "establishment_id": "BG-HTX-001",
        "product_group": ProductGroup.PROCESSED_AGRO_FOOD,
        "level": AwardLevel.PROVINCE,
        "round_year": 2019,
    }

    def test_passed_and_recognised_are_separate_facts(self) -> None:
        """A product may pass the mark without being certified; never certified without passing."""
        passed_only = AwardEntry(score=Decimal("75.5"), passed=True, recognised=False, **self.BASE)
        assert passed_only.passed
        assert not passed_only.recognised
        assert paths(AwardEntry, passed=False, recognised=True, **self.BASE) == {"$.recognised"}

    def test_a_certificate_goes_only_to_a_recognised_product(self) -> None:
        """No certificate number without recognition."""
        assert paths(AwardEntry, certificate_no="GCN-1", **self.BASE) == {"$.certificate_no"}

    def test_scores_are_exact_and_out_of_100(self) -> None:
        """A jury score is a Decimal between 0 and 100."""
        assert paths(AwardEntry, score=Decimal(101), **self.BASE) == {"$.score"}
        assert paths(AwardEntry, score=75.5, **self.BASE) == {"$.score"}


class TestOcopRating:
    def test_stars_run_from_one_to_five(self) -> None:
        """OCOP stars are 1 to 5 and the score is out of 100."""
        base: dict[str, Any] = {
            "id": "OCOP-1",
            "product_name": "Vải thiều Lục Ngạn",
            "establishment_id": "BG-HTX-002",
            "rated_on": DAY,
        }
        assert OcopRating(score=Decimal(72), stars=4, **base).stars == 4
        assert paths(OcopRating, score=Decimal(72), stars=6, **base) == {"$.stars"}
        assert paths(OcopRating, score=Decimal(-1), stars=3, **base) == {"$.score"}


class TestBudgetEnvelope:
    def test_an_envelope_is_keyed_by_fund_province_and_year(self) -> None:
        """Commitments are checked against one envelope per fund, province and year."""
        env = BudgetEnvelope(Fund.NATIONAL, UnitRef(MapId.MAP_2021, "24"), 2019, 1_000)
        assert env.key == "national/24/2019"
        assert paths(
            BudgetEnvelope, fund=Fund.LOCAL, province=env.province, year=2019, total=-1
        ) == {"$.total"}
