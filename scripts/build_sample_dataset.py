"""Write the small sample dataset shipped with the package (``khuyencong validate``'s default).

The data is invented but realistic: cooperatives and businesses of Bắc Giang on the 2021 map,
with the products the provincial report names. Run from the repository root:

    python scripts/build_sample_dataset.py
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from khuyencong.converters import dumps
from khuyencong.domain import (
    AwardEntry,
    AwardLevel,
    BudgetEnvelope,
    BusinessSectorGroup,
    Dataset,
    Establishment,
    FairKind,
    FairParticipation,
    Fund,
    LegalForm,
    OcopRating,
    ProductGroup,
    Project,
    ProjectContent,
    ProjectKind,
    ProjectStatus,
    Sector,
    SizeClass,
    SupportContent,
    SupportRecord,
)
from khuyencong.units import MapId, UnitRef

OUT = Path(__file__).resolve().parent.parent / "src/khuyencong/data/samples/sample-dataset.json"
CENTRE = "Trung tâm Khuyến công và Xúc tiến thương mại tỉnh Bắc Giang"


def unit(code: str) -> UnitRef:
    return UnitRef(MapId.MAP_2021, code)


def build() -> Dataset:
    establishments = [
        Establishment(
            id="BG-HTX-001",
            name="Hợp tác xã Sản xuất và Chế biến Mỳ gạo Chũ",
            legal_form=LegalForm.COOPERATIVE,
            location=unit("07525"),
            sectors=[Sector.AGRO_FOOD_PROCESSING],
            tax_number="0100109106",
            founded_on=dt.date(2009, 3, 12),
            members=25,
            employees=40,
        ),
        Establishment(
            id="BG-HTX-002",
            name="Hợp tác xã Vải thiều Thanh Hà Lục Ngạn",
            legal_form=LegalForm.COOPERATIVE,
            location=unit("07528"),
            sectors=[Sector.AGRO_FOOD_PROCESSING],
            members=9,
        ),
        Establishment(
            id="BG-DN-001",
            name="Công ty TNHH Cơ khí Đông Hưng",
            legal_form=LegalForm.SME,
            size_class=SizeClass.SMALL,
            business_sector_group=BusinessSectorGroup.AGRICULTURE_INDUSTRY_CONSTRUCTION,
            location=unit("07450"),
            sectors=[Sector.MECHANICAL_ELECTRICAL_SUPPORTING],
            tax_number="0300588569",
            employees=35,
            revenue=18_000_000_000,
            total_capital=6_000_000_000,
        ),
        Establishment(
            id="BG-HKD-001",
            name="Hộ kinh doanh Mộc Thượng Lan",
            legal_form=LegalForm.HOUSEHOLD_BUSINESS,
            location=unit("07759"),
            sectors=[Sector.HANDICRAFTS],
            tax_number="024085001234",
            employees=6,
        ),
    ]
    project = Project(
        id="DA-2019-BG-03",
        title="Hỗ trợ ứng dụng máy sấy và đóng gói mỳ gạo Chũ",
        kind=ProjectKind.LOCAL,
        beneficiary_ids=["BG-HTX-001"],
        contents=[
            ProjectContent(
                SupportContent.MACHINERY, eligible_cost=600_000_000, requested=200_000_000
            ),
            ProjectContent(
                SupportContent.DESIGN_CONSULTING, eligible_cost=60_000_000, requested=30_000_000
            ),
        ],
        fund=Fund.LOCAL,
        province=unit("24"),
        plan_year=2019,
        lead_agency=CENTRE,
    )
    day = dt.date(2019, 3, 15)
    for status in (
        ProjectStatus.SUBMITTED,
        ProjectStatus.APPROVED,
        ProjectStatus.IN_PROGRESS,
        ProjectStatus.ACCEPTED,
    ):
        day += dt.timedelta(days=45)
        amount = project.total_requested if status is ProjectStatus.APPROVED else None
        project = project.transition(status, on=day, actor="can-bo-kc", approved_amount=amount)
    records = [
        SupportRecord(
            id="SR-2019-001",
            establishment_id="BG-HTX-001",
            content=SupportContent.MACHINERY,
            delivered_on=dt.date(2019, 9, 20),
            local_amount=200_000_000,
            co_funding=400_000_000,
            project_id="DA-2019-BG-03",
            lead_agency=CENTRE,
            location=unit("07525"),
        ),
        SupportRecord(
            id="SR-2019-002",
            establishment_id="BG-HTX-001",
            content=SupportContent.DESIGN_CONSULTING,
            delivered_on=dt.date(2019, 10, 5),
            local_amount=30_000_000,
            co_funding=30_000_000,
            project_id="DA-2019-BG-03",
            lead_agency=CENTRE,
            location=unit("07525"),
        ),
        SupportRecord(
            id="SR-2018-014",
            establishment_id="BG-DN-001",
            content=SupportContent.MACHINERY,
            delivered_on=dt.date(2018, 11, 2),
            national_amount=150_000_000,
            co_funding=250_000_000,
            lead_agency="Trung tâm Khuyến công và Tư vấn phát triển công nghiệp 1",
            partners=[CENTRE],
            location=unit("07450"),
        ),
        SupportRecord(
            id="SR-2020-007",
            establishment_id="BG-HTX-002",
            content=SupportContent.MANAGEMENT_TRAINING,
            delivered_on=dt.date(2020, 8, 14),
            national_amount=80_000_000,
            participants=50,
            trainees=50,
            lead_agency="Cục Công Thương địa phương",
            partners=[CENTRE, "Trường Đào tạo, bồi dưỡng Cán bộ Công Thương Trung ương"],
            location=unit("07528"),
        ),
    ]
    fairs = [
        FairParticipation(
            id="HC-2019-001",
            establishment_id="BG-HTX-002",
            fair_name="Hội chợ Công Thương vùng Đông Bắc",
            fair_kind=FairKind.DOMESTIC,
            start_on=dt.date(2019, 6, 10),
            end_on=dt.date(2019, 6, 14),
            place="Lạng Sơn",
            supported_amount=12_000_000,
            fund=Fund.LOCAL,
            lead_agency=CENTRE,
        ),
        FairParticipation(
            id="HC-2019-002",
            establishment_id="BG-HKD-001",
            fair_name="Hội chợ Công Thương vùng Đông Bắc",
            fair_kind=FairKind.DOMESTIC,
            start_on=dt.date(2019, 6, 10),
            place="Lạng Sơn",
        ),
    ]
    awards = [
        AwardEntry(
            id="BC-2019-T-01",
            product_name="Mỳ gạo Chũ",
            establishment_id="BG-HTX-001",
            product_group=ProductGroup.PROCESSED_AGRO_FOOD,
            level=AwardLevel.PROVINCE,
            round_year=2019,
            score=Decimal("82.5"),
            passed=True,
            recognised=True,
            certificate_no="123/QĐ-UBND",
            certificate_issued_on=dt.date(2019, 7, 30),
        ),
        AwardEntry(
            id="BC-2019-KV-01",
            product_name="Mỳ gạo Chũ",
            establishment_id="BG-HTX-001",
            product_group=ProductGroup.PROCESSED_AGRO_FOOD,
            level=AwardLevel.REGION,
            round_year=2019,
            score=Decimal("78"),
            passed=True,
            recognised=False,
            prior_entry_id="BC-2019-T-01",
        ),
    ]
    ocop = [
        OcopRating(
            id="OCOP-2020-011",
            product_name="Mỳ gạo Chũ",
            establishment_id="BG-HTX-001",
            rated_on=dt.date(2020, 11, 20),
            score=Decimal("76"),
            stars=4,
        )
    ]
    budgets = [BudgetEnvelope(Fund.LOCAL, unit("24"), 2019, 4_500_000_000, "QĐ giao dự toán 2019")]
    return Dataset(
        establishments=establishments,
        projects=[project],
        support_records=records,
        fair_participations=fairs,
        award_entries=awards,
        ocop_ratings=ocop,
        budgets=budgets,
    )


if __name__ == "__main__":
    dataset = build()
    assert not dataset.problems(), dataset.problems()
    OUT.write_text(dumps(dataset, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")
