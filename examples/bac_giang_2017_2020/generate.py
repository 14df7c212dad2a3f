"""Generate the synthetic Bắc Giang 2017–2020 example dataset, deterministically.

The data is invented but shaped like the provincial centre's report (the project's seed): 52
cooperatives in real districts and communes of the 2021 map, each supported under exactly one
content (1 vocational training, 16 demonstration models / machinery / technology transfer,
34 design consulting, 1 showroom), 12 provincial and 1 national typical products, 100 domestic
fair participations, the machinery support delivered with the MOIT regional centre no. 1, and the
150-trainee management class. A few records outside the phase and a few non-cooperative
establishments check that periods and scopes are applied.

Names of cooperatives are invented; villages and products are those the report names. Where the
commune of a craft village is not verified (Đông Thương woodwork) the choice is an assumption.

Run from the repository root::

    .venv/bin/python examples/bac_giang_2017_2020/generate.py

It writes ``src/khuyencong/data/examples/bac_giang_2017_2020/`` (committed) through the library's
converter, so the files are exactly what :meth:`khuyencong.indicators.RecordSet.from_directory`
reads.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from decimal import Decimal
from pathlib import Path

from khuyencong.domain import (
    AwardEntry,
    AwardLevel,
    ContentGroup,
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
    SupportContent,
    SupportRecord,
)
from khuyencong.indicators import RecordSet
from khuyencong.units import MapId, UnitRef

OUT = (
    Path(__file__).resolve().parents[2]
    / "src"
    / "khuyencong"
    / "data"
    / "examples"
    / "bac_giang_2017_2020"
)

CENTRE = "Trung tâm Khuyến công và Xúc tiến thương mại tỉnh Bắc Giang"
TTKC1 = "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp 1"
CUC = "Cục Công Thương địa phương"
SCHOOL = "Trường Đào tạo, bồi dưỡng Cán bộ Công Thương Trung ương"

A = Sector.AGRO_FOOD_PROCESSING
H = Sector.HANDICRAFTS
M = Sector.MECHANICAL_ELECTRICAL_SUPPORTING
G = Sector.CONSUMER_EXPORT_GOODS

C = SupportContent
TRAINING, SHOWROOM, DESIGN = C.VOCATIONAL_TRAINING, C.SHOWROOM, C.DESIGN_CONSULTING
DEMO, MACHINE, TRANSFER = C.DEMONSTRATION_MODEL, C.MACHINERY, C.TECHNOLOGY_TRANSFER

# (name, commune code of the 2021 map, sectors, product, content)
COOPERATIVES: list[tuple[str, str, tuple[Sector, ...], str, SupportContent]] = [
    # Lục Ngạn (219)
    ("HTX Mỳ Chũ Lục Ngạn", "07525", (A,), "Mỳ gạo Chũ", SHOWROOM),
    ("HTX Sản xuất và Kinh doanh Mỳ Chũ Thanh Hải", "07525", (A,), "Mỳ gạo Chũ", DEMO),
    ("HTX Mỳ gạo Phố Chũ", "07525", (A,), "Mỳ gạo Chũ", DESIGN),
    ("HTX Mỳ Thủ Dương", "07603", (A,), "Mỳ gạo Thủ Dương", TRAINING),
    ("HTX Sản xuất mỳ gạo Nam Dương", "07603", (A,), "Mỳ gạo Thủ Dương", MACHINE),
    ("HTX Dịch vụ Nông nghiệp Thủ Dương", "07603", (A,), "Mỳ gạo Thủ Dương", DESIGN),
    ("HTX Vải thiều Thanh Hải", "07549", (A,), "Vải thiều Lục Ngạn sấy khô", MACHINE),
    ("HTX Vải thiều Hồng Giang", "07561", (A,), "Vải thiều Lục Ngạn", DESIGN),
    ("HTX Nông sản Phượng Sơn", "07612", (A,), "Vải thiều Lục Ngạn", DESIGN),
    ("HTX Vải sấy Quý Sơn", "07576", (A,), "Vải thiều sấy Quý Sơn", TRANSFER),
    ("HTX Mật ong Kiên Lao", "07552", (A,), "Mật ong hoa vải", DESIGN),
    ("HTX Chế biến nông sản Tân Sơn", "07531", (A,), "Miến dong Tân Sơn", DESIGN),
    # Lục Nam (218)
    ("HTX Nấm Đồi Ngô", "07444", (A,), "Nấm sò", DEMO),
    ("HTX Rượu làng Tân Sơn", "07459", (A,), "Rượu làng Tân Sơn", DESIGN),
    ("HTX Na Cẩm Lý", "07519", (A,), "Na dai Lục Nam", DESIGN),
    ("HTX Chăn nuôi Lan Mẫu", "07495", (A,), "Thịt lợn sạch", DESIGN),
    ("HTX Nông sản Huyền Sơn", "07504", (A,), "Na Huyền Sơn", DESIGN),
    ("HTX Miến Tiên Nha", "07468", (A,), "Miến dong Tiên Nha", DESIGN),
    # Yên Thế (215)
    ("HTX Gà đồi Yên Thế Đồng Tâm", "07260", (A,), "Gà đồi Yên Thế", DEMO),
    ("HTX Chăn nuôi gà Đồng Tâm", "07260", (A,), "Gà đồi Yên Thế", DESIGN),
    ("HTX Gà đồi Phồn Xương", "07288", (A,), "Gà đồi Yên Thế", DESIGN),
    ("HTX Chế biến gà Tam Tiến", "07252", (A,), "Gà ủ muối Yên Thế", MACHINE),
    ("HTX Nông sản Bố Hạ", "07294", (A,), "Cam Bố Hạ", DESIGN),
    ("HTX Chăn nuôi lợn Đồng Kỳ", "07282", (A,), "Thịt lợn sạch Đồng Kỳ", DESIGN),
    ("HTX Gà đồi Hương Vĩ", "07279", (A,), "Gà đồi Yên Thế", DESIGN),
    # Sơn Động (220)
    ("HTX Mật ong An Châu", "07615", (A,), "Mật ong rừng Sơn Động", DESIGN),
    ("HTX Dược liệu Vân Sơn", "07621", (A,), "Trà hoa vàng", TRANSFER),
    ("HTX Lâm sản Tuấn Đạo", "07663", (H,), "Đũa tre Tuấn Đạo", DESIGN),
    # Lạng Giang (217)
    ("HTX Cơ khí Kép", "07399", (M,), "Máy tuốt lúa Kép", MACHINE),
    ("HTX Thịt lợn Tân Dĩnh", "07432", (A,), "Thịt lợn sạch", DESIGN),
    ("HTX Nông sản Vôi", "07375", (A,), "Lạc Vôi", DESIGN),
    ("HTX Nấm Nghĩa Hòa", "07378", (A,), "Nấm rơm", DEMO),
    ("HTX Bánh đa Mỹ Thái", "07420", (A,), "Bánh đa Kế", DESIGN),
    # Tân Yên (216)
    ("HTX Mỳ gạo Châu Sơn", "07348", (A,), "Mỳ gạo Châu Sơn", MACHINE),
    ("HTX Sản xuất mỳ Ngọc Châu", "07348", (A,), "Mỳ gạo Châu Sơn", DESIGN),
    ("HTX Chổi chít Nội Hạc", "07354", (G,), "Chổi chít Nội Hạc", DESIGN),
    ("HTX Nông sản Cao Xá", "07336", (A,), "Tinh bột nghệ", DESIGN),
    ("HTX Lạc Nhã Nam", "07306", (A,), "Lạc Nhã Nam", DESIGN),
    ("HTX Chè Phúc Hòa", "07324", (A,), "Chè xanh Phúc Hòa", DESIGN),
    # Hiệp Hòa (223)
    ("HTX Mây tre đan Hợp Thịnh", "07858", (H,), "Mây tre đan", DESIGN),
    ("HTX Nông sản Đoan Bái", "07867", (A,), "Gạo nếp cái hoa vàng", DESIGN),
    ("HTX Bún Mai Đình", "07885", (A,), "Bún khô Mai Đình", MACHINE),
    ("HTX Dịch vụ nông nghiệp Thắng", "07840", (A,), "Rau an toàn", DESIGN),
    # Việt Yên (222)
    ("HTX Bánh đa nem Thổ Hà", "07804", (A,), "Bánh đa nem Thổ Hà", DEMO),
    ("HTX Rượu làng Vân", "07804", (A,), "Rượu làng Vân", DESIGN),
    ("HTX Nông sản Nếnh", "07795", (A,), "Mật ong", DESIGN),
    ("HTX Gốm Thổ Hà", "07804", (H,), "Gốm Thổ Hà", DESIGN),
    # Yên Dũng (221)
    ("HTX Mộc Đông Thương", "07717", (H,), "Đồ gỗ mỹ nghệ Đông Thương", MACHINE),
    ("HTX Nông sản Nham Biền", "07681", (A,), "Gạo sạch Nham Biền", DESIGN),
    ("HTX Chăn nuôi Tiền Phong", "07711", (A,), "Trứng gà sạch", DESIGN),
    # TP Bắc Giang (213)
    ("HTX Mộc Bãi Ổi", "07441", (H,), "Đồ gỗ Bãi Ổi", MACHINE),
    ("HTX Thực phẩm Đa Mai", "07228", (A,), "Giò chả Đa Mai", DEMO),
]

OTHERS: list[tuple[str, str, LegalForm, tuple[Sector, ...]]] = [
    ("Công ty TNHH Đồ gỗ Dĩnh Trì", "07441", LegalForm.SME, (H,)),
    ("Công ty TNHH Nông sản Lục Ngạn", "07525", LegalForm.SME, (A,)),
    ("Hộ kinh doanh mỳ Chũ Thủ Dương", "07603", LegalForm.HOUSEHOLD_BUSINESS, (A,)),
    ("Hộ kinh doanh gà đồi Yên Thế", "07260", LegalForm.HOUSEHOLD_BUSINESS, (A,)),
]

FAIRS = [
    ("Hội chợ Công Thương vùng Đông Bắc", "Hạ Long, Quảng Ninh"),
    ("Hội chợ triển lãm hàng công nghiệp nông thôn tiêu biểu khu vực phía Bắc", "Hà Nội"),
    ("Tuần hàng vải thiều Lục Ngạn và nông sản Bắc Giang", "Hà Nội"),
    ("Hội chợ Thương mại - Du lịch tỉnh Bắc Giang", "TP Bắc Giang"),
    ("Hội chợ OCOP và sản phẩm làng nghề", "Hà Nội"),
    ("Hội chợ Xúc tiến thương mại nông sản an toàn", "Hải Phòng"),
]

rng = random.Random(2017)  # noqa: S311  (reproducible example data, not security)


def ref(code: str) -> UnitRef:
    return UnitRef(MapId.MAP_2021, code)


def money(low: int, high: int, step: int = 1_000_000) -> int:
    """A whole amount between ``low`` and ``high`` million đồng, in steps of ``step`` đồng."""
    return rng.randrange(low * 1_000_000, high * 1_000_000 + 1, step)


def day(year: int) -> dt.date:
    return dt.date(year, rng.randint(3, 11), rng.randint(1, 28))


# Amounts (million đồng) and fund of each content: (public low, high, fund, co-funding share).
TERMS = {
    TRAINING: (60, 90, Fund.LOCAL, 0),
    SHOWROOM: (120, 150, Fund.LOCAL, 55),
    DESIGN: (20, 45, Fund.LOCAL, 30),
    # National demonstration models: 30% of the cost, capped at 500 million until 10/5/2018
    # (TTLT 26/2014 Điều 6.2.b) and 1,000 million after (28/2018 Điều 8.2), so that the
    # example's projects pass the rules' check of requested amounts.
    DEMO: (250, 480, Fund.NATIONAL, 70),
    MACHINE: (150, 300, Fund.LOCAL, 70),
    TRANSFER: (150, 250, Fund.LOCAL, 50),
}


def _co_funding(public: int, co_share: int) -> int:
    """The beneficiary's share for ``public`` at ``co_share`` %, rounded up to a million."""
    if not co_share:
        return 0
    exact = public * co_share // (100 - co_share)
    return -(-exact // 1_000_000) * 1_000_000


def build() -> RecordSet:
    establishments: list[Establishment] = []
    support: list[SupportRecord] = []
    projects: list[Project] = []
    for n, (name, commune, sectors, _product, _content) in enumerate(COOPERATIVES, 1):
        establishments.append(
            Establishment(
                id=f"BG-HTX-{n:03d}",
                name=name,
                legal_form=LegalForm.COOPERATIVE,
                location=ref(commune),
                sectors=sectors,
                founded_on=dt.date(rng.randint(2005, 2016), rng.randint(1, 12), 1),
                members=rng.randint(7, 45),
            )
        )
    for n, (name, commune, form, sectors) in enumerate(OTHERS, 1):
        establishments.append(
            Establishment(
                id=f"BG-CS-{n:03d}",
                name=name,
                legal_form=form,
                location=ref(commune),
                sectors=sectors,
            )
        )

    # One content per cooperative, one project per support (design consulting: one group
    # project per year). The partner-delivered machinery support is the mechanical one.
    design_by_year: dict[int, list[tuple[str, int, int]]] = {}
    seq = 0
    for n, (name, _commune, _sectors, product, content) in enumerate(COOPERATIVES, 1):
        est_id = f"BG-HTX-{n:03d}"
        year = 2017 + (n * 7) % 4
        low, high, fund, co_share = TERMS[content]
        public = money(low, high, 500_000)
        co = _co_funding(public, co_share)
        delivered = day(year)
        decided = delivered - dt.timedelta(days=rng.randint(60, 150))
        partners: tuple[str, ...] = ()
        note = f"{content.label_vi}: {product}"
        if content is MACHINE and name == "HTX Cơ khí Kép":
            partners = (TTKC1,)
            note = "Ứng dụng máy móc thiết bị tiên tiến vào sản xuất cơ khí"
        if content is DESIGN:
            design_by_year.setdefault(year, []).append((est_id, public, co))
            project_id = f"DA-{year}-TKMM"
        else:
            seq += 1
            project_id = f"DA-{year}-{seq:03d}"
            # Two projects were paid a little less than approved (savings at settlement).
            approved = public + (5_000_000 if seq in (3, 9) else 0)
            co = max(co, _co_funding(approved, co_share))
            projects.append(
                _project(
                    project_id,
                    f"{content.label_vi} - {name}",
                    [est_id],
                    content,
                    approved,
                    co,
                    fund,
                    year,
                    decided,
                    partners,
                )
            )
        seq_id = len(support) + 1
        support.append(
            SupportRecord(
                id=f"BG-SR-{seq_id:03d}",
                establishment_id=est_id,
                content=content,
                delivered_on=delivered,
                national_amount=public if fund is Fund.NATIONAL else 0,
                local_amount=public if fund is Fund.LOCAL else 0,
                co_funding=co,
                trainees=35 if content is TRAINING else 0,
                project_id=project_id,
                lead_agency=CENTRE,
                partners=partners,
                decided_on=decided,
                accepted_on=delivered + dt.timedelta(days=rng.randint(10, 40)),
                note=note,
            )
        )
    for year, items in sorted(design_by_year.items()):
        ids = [e for e, _p, _c in items]
        total = sum(p for _e, p, _c in items)
        co_total = sum(c for _e, _p, c in items)
        projects.append(
            _project(
                f"DA-{year}-TKMM",
                f"Tư vấn thiết kế mẫu mã, bao bì, nhãn mác năm {year}",
                ids,
                DESIGN,
                total,
                co_total,
                Fund.LOCAL,
                year,
                dt.date(year, 3, 1),
                (),
            )
        )

    # The management class: 150 cadres and members of cooperatives, recorded once under the
    # cooperative that hosted it; counted in persons, not in establishments.
    host = "BG-HTX-001"
    class_amount = 135_000_000
    projects.append(
        _project(
            "DA-2019-QL",
            "Bồi dưỡng nâng cao năng lực quản lý hợp tác xã",
            [host],
            C.MANAGEMENT_TRAINING,
            class_amount,
            0,
            Fund.NATIONAL,
            2019,
            dt.date(2019, 4, 10),
            (CUC, SCHOOL),
        )
    )
    support.append(
        SupportRecord(
            id="BG-SR-QL-2019",
            establishment_id=host,
            content=C.MANAGEMENT_TRAINING,
            delivered_on=dt.date(2019, 8, 20),
            national_amount=class_amount,
            trainees=150,
            participants=150,
            project_id="DA-2019-QL",
            lead_agency=CENTRE,
            partners=(CUC, SCHOOL),
            decided_on=dt.date(2019, 4, 10),
            accepted_on=dt.date(2019, 9, 5),
            note="Lớp bồi dưỡng, tập huấn nâng cao năng lực quản lý cho cán bộ quản lý và "
            "thành viên hợp tác xã",
        )
    )

    # Outside the phase or outside the cooperatives: must not change the phase's figures.
    extra = [
        ("BG-SR-X01", "BG-HTX-003", DESIGN, dt.date(2016, 10, 12), 30_000_000),
        ("BG-SR-X02", "BG-HTX-020", DESIGN, dt.date(2021, 5, 18), 35_000_000),
        ("BG-SR-X03", "BG-HTX-030", MACHINE, dt.date(2021, 9, 2), 220_000_000),
        ("BG-SR-X04", "BG-CS-001", MACHINE, dt.date(2018, 6, 14), 180_000_000),
        ("BG-SR-X05", "BG-CS-002", DESIGN, dt.date(2019, 7, 3), 30_000_000),
        ("BG-SR-X06", "BG-CS-003", DESIGN, dt.date(2020, 4, 21), 25_000_000),
        ("BG-SR-X07", "BG-CS-004", TRAINING, dt.date(2018, 11, 8), 40_000_000),
    ]
    for rid, est_id, content, delivered, amount in extra:
        support.append(
            SupportRecord(
                id=rid,
                establishment_id=est_id,
                content=content,
                delivered_on=delivered,
                local_amount=amount,
                co_funding=amount // 2,
                lead_agency=CENTRE,
                trainees=20 if content is TRAINING else 0,
            )
        )

    fairs = _fairs(projects)
    awards = _awards()
    ocop = _ocop()
    return RecordSet(
        establishments=establishments,
        support_records=support,
        fair_participations=fairs,
        award_entries=awards,
        ocop_ratings=ocop,
        projects=projects,
    )


def _project(  # noqa: PLR0917  (a private builder called positionally in this script)
    pid: str,
    title: str,
    beneficiaries: list[str],
    content: SupportContent,
    approved: int,
    co: int,
    fund: Fund,
    year: int,
    approved_on: dt.date,
    partners: tuple[str, ...],
) -> Project:
    return Project(
        id=pid,
        title=title,
        kind=ProjectKind.SINGLE_BENEFICIARY if fund is Fund.NATIONAL else ProjectKind.LOCAL,
        beneficiary_ids=beneficiaries,
        contents=(
            ProjectContent(
                content,
                eligible_cost=approved + co,
                requested=approved,
                quantity=len(beneficiaries),
            ),
        ),
        fund=fund,
        province=ref("24"),
        plan_year=year,
        lead_agency=CENTRE,
        partners=partners,
        status=ProjectStatus.SETTLED,
        approved_amount=approved,
        approved_on=approved_on,
        accepted_on=dt.date(year, 12, 10),
        settled_on=dt.date(year, 12, 28),
    )


def _fairs(projects: list[Project]) -> list[FairParticipation]:
    """100 domestic participations in the phase (some cooperatives at several fairs)."""
    out: list[FairParticipation] = []
    by_year: dict[int, list[tuple[str, int]]] = {}
    coops = [f"BG-HTX-{n:03d}" for n in range(1, len(COOPERATIVES) + 1)]
    for i in range(100):
        year = 2017 + i % 4
        est = coops[(i * 11) % 37] if i % 3 else coops[(i * 5) % len(coops)]
        name, place = FAIRS[i % len(FAIRS)]
        start = dt.date(year, 3 + (i % 6) * 1 + (i % 2), 5 + i % 20)
        amount = money(5, 12, 500_000)
        by_year.setdefault(year, []).append((est, amount))
        out.append(
            FairParticipation(
                id=f"BG-HC-{i + 1:03d}",
                establishment_id=est,
                fair_name=f"{name} {year}",
                fair_kind=FairKind.DOMESTIC,
                start_on=start,
                end_on=start + dt.timedelta(days=4),
                place=place,
                supported_amount=amount,
                fund=Fund.LOCAL,
                project_id=f"DA-{year}-HC",
                lead_agency=CENTRE,
            )
        )
    for year, items in sorted(by_year.items()):
        ids = sorted({e for e, _a in items})
        total = sum(a for _e, a in items)
        projects.append(
            _project(
                f"DA-{year}-HC",
                f"Hỗ trợ tham gia hội chợ, triển lãm năm {year}",
                ids,
                C.DOMESTIC_FAIR_PARTICIPATION,
                total,
                0,
                Fund.LOCAL,
                year,
                dt.date(year, 2, 15),
                (),
            )
        )
    # Outside the phase, or not a cooperative.
    for i, (est, start) in enumerate(
        [
            ("BG-HTX-001", dt.date(2021, 4, 10)),
            ("BG-HTX-007", dt.date(2016, 6, 2)),
            ("BG-CS-001", dt.date(2019, 10, 1)),
            ("BG-CS-002", dt.date(2020, 10, 12)),
        ],
        101,
    ):
        out.append(
            FairParticipation(
                id=f"BG-HC-{i:03d}",
                establishment_id=est,
                fair_name=f"Hội chợ Công Thương vùng Đông Bắc {start.year}",
                fair_kind=FairKind.DOMESTIC,
                start_on=start,
                place="Hạ Long, Quảng Ninh",
                lead_agency=CENTRE,
            )
        )
    return out


def _awards() -> list[AwardEntry]:
    """12 provincial products recognised in the 2017 and 2019 rounds, 1 national (2019)."""
    out: list[AwardEntry] = []
    winners = [1, 4, 7, 19, 29, 34, 44, 48, 51, 10, 13, 36]
    for i, n in enumerate(winners):
        _name, _commune, sectors, product, _content = COOPERATIVES[n - 1]
        year = 2017 if i < 6 else 2019
        group = (
            ProductGroup.FINE_ART_HANDICRAFTS
            if H in sectors
            else ProductGroup.EQUIPMENT_MACHINERY
            if M in sectors
            else ProductGroup.PROCESSED_AGRO_FOOD
        )
        out.append(
            AwardEntry(
                id=f"BG-BC-T{i + 1:02d}",
                product_name=product,
                establishment_id=f"BG-HTX-{n:03d}",
                product_group=group,
                level=AwardLevel.PROVINCE,
                round_year=year,
                entered_on=dt.date(year, 6, 15),
                score=Decimal(f"{rng.randint(72, 90)}.{rng.randint(0, 9)}"),
                passed=True,
                recognised=True,
                certificate_no=f"{year}/BC-T{i + 1:02d}",
                certificate_issued_on=dt.date(year, 10, 20),
            )
        )
    out.append(
        AwardEntry(
            id="BG-BC-QG01",
            product_name="Mỳ gạo Chũ",
            establishment_id="BG-HTX-001",
            product_group=ProductGroup.PROCESSED_AGRO_FOOD,
            level=AwardLevel.NATION,
            round_year=2019,
            entered_on=dt.date(2019, 11, 1),
            score=Decimal("81.5"),
            passed=True,
            recognised=True,
            certificate_no="QG-2019-117",
            certificate_issued_on=dt.date(2019, 12, 27),
            prior_entry_id="BG-BC-T01",
        )
    )
    # Entered but not recognised, and a round after the phase.
    for i, n in enumerate([22, 41, 46], 1):
        _name, _c, _s, product, _content = COOPERATIVES[n - 1]
        out.append(
            AwardEntry(
                id=f"BG-BC-K{i:02d}",
                product_name=product,
                establishment_id=f"BG-HTX-{n:03d}",
                product_group=ProductGroup.PROCESSED_AGRO_FOOD,
                level=AwardLevel.PROVINCE,
                round_year=2019,
                entered_on=dt.date(2019, 6, 15),
                score=Decimal("64.0"),
                passed=False,
                recognised=False,
            )
        )
    out.append(
        AwardEntry(
            id="BG-BC-T21",
            product_name="Gà ủ muối Yên Thế",
            establishment_id="BG-HTX-022",
            product_group=ProductGroup.PROCESSED_AGRO_FOOD,
            level=AwardLevel.PROVINCE,
            round_year=2021,
            entered_on=dt.date(2021, 6, 15),
            score=Decimal("78.0"),
            passed=True,
            recognised=True,
            certificate_no="2021/BC-T01",
            certificate_issued_on=dt.date(2021, 10, 20),
        )
    )
    return out


def _ocop() -> list[OcopRating]:
    ratings = [(1, 4), (4, 3), (7, 4), (19, 3), (26, 3), (41, 3), (44, 4), (13, 3), (10, 3)]
    out = []
    for i, (n, stars) in enumerate(ratings, 1):
        product = COOPERATIVES[n - 1][3]
        year = 2019 if i <= 4 else 2020
        out.append(
            OcopRating(
                id=f"BG-OCOP-{i:02d}",
                product_name=product,
                establishment_id=f"BG-HTX-{n:03d}",
                rated_on=dt.date(year, 12, 15),
                score=Decimal(50 + stars * 10 + i),
                stars=stars,
            )
        )
    return out


def main() -> None:
    data = build()
    data.to_directory(OUT)
    for name in ("targets.toml", "overlay.toml"):
        source = Path(__file__).with_name(name)
        (OUT / name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    report = Path(__file__).with_name("report.json")
    config = json.loads(report.read_text(encoding="utf-8"))
    (OUT / "report.json").write_text(
        json.dumps(config, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    print(f"wrote {OUT}")
    groups = dict.fromkeys(ContentGroup, 0)
    for r in data.support_records:
        groups[r.content.group] += 1
    print({g.value: n for g, n in groups.items() if n})


if __name__ == "__main__":
    main()
