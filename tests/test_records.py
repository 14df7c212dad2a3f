"""Records of support, fairs, awards and OCOP ratings: immutable, validated facts."""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from khuyencong.converters import structure, unstructure
from khuyencong.domain import (
    MAX_DONG,
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
from khuyencong.exceptions import BudgetExceededError, ValidationError
from khuyencong.messages import language
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

    def test_a_commitment_is_allowed_up_to_what_is_left(self) -> None:
        """An envelope of 1,000 đ with 700 đ committed takes 300 đ more, and not 301 đ."""
        env = BudgetEnvelope(Fund.LOCAL, UnitRef(MapId.MAP_2021, "24"), 2019, 1_000)
        assert env.check_commitment(300, committed=700) == 300
        with pytest.raises(BudgetExceededError) as info:
            env.check_commitment(301, committed=700)
        err = info.value
        assert (err.envelope, err.requested, err.available, err.shortfall) == (
            "local/24/2019",
            301,
            300,
            1,
        )
        assert err.project_id is None

    def test_a_disbursement_is_allowed_up_to_the_unpaid_commitment(self) -> None:
        """A project with 400 đ committed and 250 đ paid is paid 150 đ more, not 151 đ; the
        error names the envelope by its key and the project apart."""
        env = BudgetEnvelope(Fund.LOCAL, UnitRef(MapId.MAP_2021, "24"), 2019, 1_000)
        assert env.check_disbursement(150, project_id="P-1", committed=400, disbursed=250) == 150
        with pytest.raises(BudgetExceededError) as info:
            env.check_disbursement(151, project_id="P-1", committed=400, disbursed=250)
        err = info.value
        assert (err.envelope, err.project_id, err.available, err.shortfall) == (
            "local/24/2019",
            "P-1",
            150,
            1,
        )
        with language("en"):
            assert "P-1" in str(BudgetExceededError("local/24/2019", 2, 1, project_id="P-1"))

    @pytest.mark.parametrize("bad", [0, -5, 1.5, True, "10", MAX_DONG + 1])
    def test_amounts_are_positive_whole_dong_within_the_bound(self, bad: object) -> None:
        """A commitment or payment is a positive whole number of đồng, at most 10^15."""
        env = BudgetEnvelope(Fund.LOCAL, UnitRef(MapId.MAP_2021, "24"), 2019, MAX_DONG)
        with pytest.raises(ValidationError) as info:
            env.check_commitment(bad, committed=0)
        assert info.value.paths == ("$.amount",)
        with pytest.raises(ValidationError):
            env.check_disbursement(bad, project_id="P-1", committed=MAX_DONG, disbursed=0)

    @given(st.integers(0, 10**6), st.integers(0, 10**6), st.integers(1, 10**6))
    def test_a_commitment_never_takes_the_envelope_over_its_total(
        self, total: int, committed: int, amount: int
    ) -> None:
        """Whatever the sums, an allowed commitment keeps committed + amount within the total,
        and a refused one says by how much it falls short."""
        env = BudgetEnvelope(Fund.LOCAL, UnitRef(MapId.MAP_2021, "24"), 2019, total)
        if committed + amount <= total:
            assert env.check_commitment(amount, committed=committed) == amount
        else:
            with pytest.raises(BudgetExceededError) as info:
                env.check_commitment(amount, committed=committed)
            assert info.value.shortfall == committed + amount - total


class TestIdentifiers:
    """Every id a record holds, and every text, is in NFC and free of NUL characters."""

    def test_references_written_in_nfd_name_the_nfc_id(self) -> None:
        """A record typed with combining accents refers to the establishment stored in NFC."""
        nfd = unicodedata.normalize("NFD", "HTX-MỲ-CHŨ")
        r = support(id=nfd, establishment_id=nfd, project_id=nfd)
        assert (r.id, r.establishment_id, r.project_id) == ("HTX-MỲ-CHŨ",) * 3
        fair = FairParticipation(
            id=nfd,
            establishment_id=nfd,
            fair_name="Hội chợ",
            fair_kind=FairKind.DOMESTIC,
            start_on=DAY,
            project_id=nfd,
        )
        assert {fair.id, fair.establishment_id, fair.project_id} == {"HTX-MỲ-CHŨ"}
        award = AwardEntry(
            id=nfd,
            product_name="Mỳ",
            establishment_id=nfd,
            product_group=ProductGroup.PROCESSED_AGRO_FOOD,
            level=AwardLevel.PROVINCE,
            round_year=2019,
            prior_entry_id=nfd,
        )
        assert {award.id, award.establishment_id, award.prior_entry_id} == {"HTX-MỲ-CHŨ"}
        ocop = OcopRating(
            id=nfd,
            product_name="Mỳ",
            establishment_id=nfd,
            rated_on=DAY,
            score=Decimal(80),
            stars=4,
        )
        assert {ocop.id, ocop.establishment_id} == {"HTX-MỲ-CHŨ"}

    @pytest.mark.parametrize(
        "field", ["id", "establishment_id", "project_id", "note", "lead_agency", "partners"]
    )
    def test_a_nul_character_is_refused_naming_the_field(self, field: str) -> None:
        """NUL cannot be stored in PostgreSQL, so no record holds one; the field is named."""
        value: object = ["Hội\x00 Nông dân"] if field == "partners" else "X\x00Y"
        found = paths(support, **{field: value})
        assert found == {"$.partners[0]" if field == "partners" else f"$.{field}"}

    def test_a_nul_character_is_refused_in_fairs_awards_and_ratings(self) -> None:
        """Fair names, places and product names are text like any other."""
        fair = {"id": "F-1", "establishment_id": "E-1", "fair_kind": FairKind.DOMESTIC}
        assert paths(FairParticipation, fair_name="Hội\x00", start_on=DAY, **fair) == {
            "$.fair_name"
        }
        assert paths(
            FairParticipation, fair_name="Hội chợ", place="Hà\x00Nội", start_on=DAY, **fair
        ) == {"$.place"}
        assert paths(
            OcopRating,
            id="O-1",
            product_name="Mỳ\x00",
            establishment_id="E-1",
            rated_on=DAY,
            score=Decimal(80),
            stars=4,
        ) == {"$.product_name"}
