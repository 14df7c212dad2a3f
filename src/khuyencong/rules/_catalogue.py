"""The catalogue of legal parameters: every name a rule may ask for, its type and meaning.

The catalogue holds no legal value (those live in ``khuyencong/data/legal/*.toml``); it says
which names exist, what type their values have, and which document should supply a parameter
that no file configures. The loader refuses names that are not in the catalogue, so a typo in
a data file never passes silently.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from khuyencong.domain import Fund, SupportContent
from khuyencong.messages import Text

__all__ = [
    "CATALOGUE",
    "FAMILIES",
    "LOCATION_TEST_PARAMETERS",
    "ParameterSpec",
    "ParameterType",
    "spec_for",
]

ParameterType = str
"""One of ``text``, ``text_list``, ``int``, ``int_list``, ``bool``, ``rate``, ``decimal``,
``money``, ``cap`` (money, ``none`` or a multiple of another content's cap), ``month_day``."""

TYPES = frozenset(
    {"text", "text_list", "int", "int_list", "bool", "rate", "decimal", "money", "cap", "month_day"}
)


def as_text(value: str | Text | Mapping[str, object]) -> Text:
    """A data value as a :class:`Text` (a converter for attrs fields)."""
    return Text.of(value)


_NO_SOURCE = Text(
    "văn bản pháp luật điều chỉnh giá trị này (danh mục chưa nêu tên)",
    "the legal document that governs it (not named in the catalogue)",
)


@attrs.frozen
class ParameterSpec:
    """What a parameter is.

    Attributes:
        name: The dotted name, e.g. ``support.national.machinery.cap``.
        type: The value type (see :data:`ParameterType`).
        family: The rule family that reads it (``eligibility``, ``support``, ...).
        description_en: What it means, in English.
        description_vi: What it means, in Vietnamese.
        missing_source: The document that should supply it when no data file does, in both
            languages.
    """

    name: str
    type: ParameterType
    family: str
    description_en: str
    description_vi: str
    missing_source: Text = attrs.field(default=_NO_SOURCE, converter=as_text)


def _spec(  # noqa: PLR0917  (a catalogue row)
    name: str, type_: str, family: str, en: str, vi: str, source: str | Text = ""
) -> tuple[str, ParameterSpec]:
    return name, ParameterSpec(name, type_, family, en, vi, source or _NO_SOURCE)


_LOCAL_SOURCE = Text(
    "quyết định của Ủy ban nhân dân hoặc nghị quyết của Hội đồng nhân dân tỉnh về mức hỗ trợ "
    "khuyến công địa phương, do Điều 6.3 Thông tư liên tịch 26/2014/TTLT-BTC-BCT và Thông tư "
    "28/2018/TT-BTC giao cho tỉnh; hãy nạp bộ quy định của tỉnh",
    "the province's own decision (People's Committee) or resolution (People's Council) "
    "on local khuyến công support levels, which 26/2014/TTLT-BTC-BCT Art. 6(3) and "
    "28/2018/TT-BTC leave to the province; load the province's overlay",
)
_NATIONAL_SOURCE = Text(
    "Điều 8 Thông tư 28/2018/TT-BTC, sửa đổi bởi Thông tư 64/2024/TT-BTC (từ 11/5/2018); "
    "Điều 6 Thông tư liên tịch 26/2014/TTLT-BTC-BCT trước đó",
    "28/2018/TT-BTC Art. 8, with its amendment 64/2024/TT-BTC (from 11/5/2018); "
    "26/2014/TTLT-BTC-BCT Art. 6 before",
)
_NEW_CONTENT_SOURCE = Text(
    "thông tư của Bộ Tài chính quy định mức chi cho các nội dung do Nghị định 235/2025/NĐ-CP "
    "bổ sung từ 15/10/2025 (chưa tìm thấy)",
    "the Ministry of Finance circular setting spending levels for the contents that "
    "235/2025/NĐ-CP added from 15/10/2025 (not found yet)",
)
_NEW_CONTENTS = frozenset({"digital_transformation", "sustainable_production", "artisan_support"})


def _support_specs() -> dict[str, ParameterSpec]:
    specs: dict[str, ParameterSpec] = {}
    for fund in Fund:
        for content in SupportContent:
            source = _LOCAL_SOURCE if fund is Fund.LOCAL else _NATIONAL_SOURCE
            if content.value in _NEW_CONTENTS:
                source = _NEW_CONTENT_SOURCE
            base = f"support.{fund.value}.{content.value}"
            for field, type_, en, vi in (
                ("rate", "rate", "share of the eligible cost", "tỷ lệ hỗ trợ trên chi phí"),
                ("cap", "cap", "cap per unit, in đồng", "mức hỗ trợ tối đa mỗi đơn vị"),
                ("per", "text", "the unit the cap applies to", "đơn vị tính mức tối đa"),
            ):
                specs[f"{base}.{field}"] = ParameterSpec(
                    f"{base}.{field}",
                    type_,
                    "support",
                    f"{content.label_en} ({fund.label_en}): {en}",
                    f"{content.label_vi} ({fund.label_vi}): {vi}",
                    source,
                )
    return specs


_SME: dict[str, ParameterSpec] = {}
_SME_GROUPS = {
    "agriculture_industry_construction": "nông, lâm nghiệp, thủy sản; công nghiệp và xây dựng",
    "trade_services": "thương mại và dịch vụ",
}
_SME_CLASSES = {"micro": "siêu nhỏ", "small": "nhỏ", "medium": "vừa"}
for _group, _group_vi in _SME_GROUPS.items():
    for _cls, _cls_vi in _SME_CLASSES.items():
        for _field, _type, _en, _vi in (
            (
                "max_employees",
                "int",
                "insured employees, yearly average, at most",
                "số lao động tham gia bảo hiểm xã hội bình quân năm, tối đa",
            ),
            ("max_revenue", "money", "revenue of the year, at most", "doanh thu của năm, tối đa"),
            (
                "max_capital",
                "money",
                "total capital of the year, at most",
                "tổng nguồn vốn của năm, tối đa",
            ),
        ):
            _n = f"sme.{_group}.{_cls}.{_field}"
            _SME[_n] = ParameterSpec(
                _n,
                _type,
                "sme_size",
                f"{_cls} enterprise ({_group.replace('_', ' ')}): {_en}",
                f"doanh nghiệp {_cls_vi} ({_group_vi}): {_vi}",
                Text(
                    "Điều 5 Nghị định 80/2021/NĐ-CP (từ 15/10/2021); Điều 6 Nghị định "
                    "39/2018/NĐ-CP (11/3/2018 – 14/10/2021); trước đó Điều 3 Nghị định "
                    "56/2009/NĐ-CP",
                    "80/2021/NĐ-CP Điều 5 (from 15/10/2021); 39/2018/NĐ-CP Điều 6 (11/3/2018 "
                    "– 14/10/2021); 56/2009/NĐ-CP Điều 3 before",
                ),
            )

CATALOGUE: dict[str, ParameterSpec] = dict(
    [
        _spec(
            "eligibility.beneficiary_forms",
            "text_list",
            "eligibility",
            "legal forms that are rural industrial establishments",
            "loại hình là cơ sở công nghiệp nông thôn",
            Text(
                "Điều 1.2.a Nghị định 45/2012/NĐ-CP, sửa đổi bởi Nghị định 235/2025/NĐ-CP từ "
                "15/10/2025",
                "45/2012/NĐ-CP Điều 1.2.a, as amended by 235/2025/NĐ-CP from 15/10/2025",
            ),
        ),
        _spec(
            "eligibility.service_organisation_eligible",
            "bool",
            "eligibility",
            "organisations delivering promotion services are beneficiaries",
            "tổ chức dịch vụ khuyến công là đối tượng",
            Text(
                "Điều 1.2.c Nghị định 45/2012/NĐ-CP, sửa đổi bởi Nghị định 235/2025/NĐ-CP từ "
                "15/10/2025",
                "45/2012/NĐ-CP Điều 1.2.c, as amended by 235/2025/NĐ-CP from 15/10/2025",
            ),
        ),
        _spec(
            "eligibility.cooperative_group_eligible",
            "bool",
            "eligibility",
            "cooperative groups remain beneficiaries",
            "tổ hợp tác là đối tượng",
            Text(
                "Điều 1.2.a Nghị định 45/2012/NĐ-CP, sửa đổi bởi Nghị định 235/2025/NĐ-CP từ "
                "15/10/2025",
                "45/2012/NĐ-CP Điều 1.2.a, as amended by 235/2025/NĐ-CP from 15/10/2025",
            ),
        ),
        _spec(
            "eligibility.cleaner_production_exempt",
            "bool",
            "eligibility",
            "cleaner production lifts the size and location limits",
            "sản xuất sạch hơn không giới hạn quy mô, địa bàn",
            Text(
                "Điều 1.2.b Nghị định 45/2012/NĐ-CP và Điều 3.2 Thông tư 46/2012/TT-BCT; Nghị"
                " định 235/2025/NĐ-CP từ 15/10/2025",
                "45/2012/NĐ-CP Điều 1.2.b and 46/2012/TT-BCT Điều 3.2; 235/2025/NĐ-CP from "
                "15/10/2025",
            ),
        ),
        _spec(
            "eligibility.cluster_investor_eligible",
            "bool",
            "eligibility",
            "investors in cluster infrastructure are beneficiaries",
            "doanh nghiệp đầu tư hạ tầng cụm công nghiệp là đối tượng",
            Text(
                "Điều 1 Nghị định 235/2025/NĐ-CP, sửa đổi Điều 1.2 Nghị định 45/2012/NĐ-CP từ"
                " 15/10/2025",
                "235/2025/NĐ-CP Điều 1, amending Điều 1.2 of 45/2012/NĐ-CP from 15/10/2025",
            ),
        ),
        _spec(
            "eligibility.location_test",
            "text",
            "eligibility",
            "which location test applies ('45/2012' or 'none')",
            "phép thử địa bàn áp dụng",
            Text(
                "Điều 1.2.a Nghị định 45/2012/NĐ-CP, sửa đổi bởi Nghị định 235/2025/NĐ-CP từ "
                "15/10/2025; tỉnh có thể tự quy định trong văn bản địa phương (overlay)",
                "45/2012/NĐ-CP Điều 1.2.a, as amended by 235/2025/NĐ-CP from 15/10/2025; a "
                "province may set its own rule in its overlay",
            ),
        ),
        _spec(
            "eligibility.eligible_unit_types",
            "text_list",
            "eligibility",
            "unit types where production is eligible",
            "loại đơn vị hành chính đủ điều kiện",
            Text(
                "Điều 1.2.a Nghị định 45/2012/NĐ-CP",
                "45/2012/NĐ-CP Điều 1.2.a",
            ),
        ),
        _spec(
            "eligibility.ward_city_grades",
            "int_list",
            "eligibility",
            "city grades whose wards are eligible",
            "loại đô thị có phường đủ điều kiện",
            Text(
                "Điều 1.2.a Nghị định 45/2012/NĐ-CP",
                "45/2012/NĐ-CP Điều 1.2.a",
            ),
        ),
        _spec(
            "eligibility.converted_ward_city_grade",
            "int",
            "eligibility",
            "city grade whose wards qualify only if recently converted from communes",
            "loại đô thị có phường chuyển từ xã",
            Text(
                "Điều 1.2.a Nghị định 45/2012/NĐ-CP",
                "45/2012/NĐ-CP Điều 1.2.a",
            ),
        ),
        _spec(
            "eligibility.ward_conversion_years",
            "int",
            "eligibility",
            "years since a ward's conversion from a commune, at most",
            "số năm tối đa kể từ khi chuyển từ xã lên phường",
            Text(
                "Điều 3.1.đ Thông tư 46/2012/TT-BCT",
                "46/2012/TT-BCT Điều 3.1.đ",
            ),
        ),
        _spec(
            "eligibility.eligible_sectors",
            "text_list",
            "eligibility",
            "eligible sector groups",
            "ngành nghề được hưởng chính sách",
            Text(
                "Điều 5 Nghị định 45/2012/NĐ-CP, sửa đổi bởi Nghị định 235/2025/NĐ-CP từ "
                "15/10/2025",
                "45/2012/NĐ-CP Điều 5, as amended by 235/2025/NĐ-CP from 15/10/2025",
            ),
        ),
        _spec(
            "eligibility.mining_difficult_areas_only",
            "bool",
            "eligibility",
            "mining only in difficult areas",
            "khai khoáng chỉ tại địa bàn khó khăn",
            Text(
                "Điều 5.1.e Nghị định 45/2012/NĐ-CP",
                "45/2012/NĐ-CP Điều 5.1.e",
            ),
        ),
        _spec(
            "eligibility.brick_kiln_excluded",
            "bool",
            "eligibility",
            "polluting fired-clay brick kilns are excluded",
            "không hỗ trợ lò gạch nung gây ô nhiễm",
            Text(
                "Điều 5.1 Thông tư 46/2012/TT-BCT",
                "46/2012/TT-BCT Điều 5.1",
            ),
        ),
        _spec(
            "cooperative.min_members",
            "int",
            "cooperatives",
            "official members of a cooperative, at least",
            "số thành viên chính thức tối thiểu",
            Text(
                "Điều 4.7 Luật Hợp tác xã 17/2023/QH15 (từ 1/7/2024); trước đó Điều 3.1 Luật "
                "Hợp tác xã 23/2012/QH13",
                "Luật Hợp tác xã 17/2023/QH15 Điều 4.7 (from 1/7/2024); Luật Hợp tác xã "
                "23/2012/QH13 Điều 3.1 before",
            ),
        ),
        _spec(
            "cooperative_union.min_members",
            "int",
            "cooperatives",
            "member cooperatives of a union, at least",
            "số hợp tác xã thành viên tối thiểu",
            Text(
                "Điều 4.8 Luật Hợp tác xã 17/2023/QH15 (từ 1/7/2024); trước đó Điều 3.2 Luật "
                "Hợp tác xã 23/2012/QH13",
                "Luật Hợp tác xã 17/2023/QH15 Điều 4.8 (from 1/7/2024); Luật Hợp tác xã "
                "23/2012/QH13 Điều 3.2 before",
            ),
        ),
        _spec(
            "cooperative_group.min_members",
            "int",
            "cooperatives",
            "members of a cooperative group, at least",
            "số thành viên tổ hợp tác tối thiểu",
            Text(
                "Điều 4.21 Luật Hợp tác xã 17/2023/QH15 (từ 1/7/2024); Điều 3.1 Nghị định "
                "77/2019/NĐ-CP (25/11/2019 – 30/6/2024); trước đó Điều 1 Nghị định "
                "151/2007/NĐ-CP",
                "Luật Hợp tác xã 17/2023/QH15 Điều 4.21 (from 1/7/2024); Nghị định "
                "77/2019/NĐ-CP Điều 3.1 (25/11/2019 – 30/6/2024); Nghị định 151/2007/NĐ-CP "
                "Điều 1 before",
            ),
        ),
        _spec(
            "support.priority_multiplier_max",
            "decimal",
            "support",
            "priority multiplier of the support levels, at most",
            "hệ số ưu tiên tối đa của mức hỗ trợ",
            Text(
                "Điều 8 Thông tư 28/2018/TT-BTC",
                "28/2018/TT-BTC Điều 8",
            ),
        ),
        _spec(
            "support.managing_body_share_max",
            "rate",
            "support",
            "share of the annual allocation for programme management, at most",
            "tỷ lệ kinh phí quản lý chương trình tối đa",
            Text(
                "Thông tư 28/2018/TT-BTC (trước 11/5/2018: Thông tư liên tịch "
                "26/2014/TTLT-BTC-BCT)",
                "28/2018/TT-BTC (26/2014/TTLT-BTC-BCT before 11/5/2018)",
            ),
        ),
        _spec(
            "support.local_levels_source",
            "text",
            "support",
            "who sets the local-fund levels",
            "thẩm quyền quy định mức hỗ trợ địa phương",
            Text(
                "Điều 6.3 Thông tư liên tịch 26/2014/TTLT-BTC-BCT; Thông tư 28/2018/TT-BTC từ"
                " 11/5/2018",
                "26/2014/TTLT-BTC-BCT Điều 6.3; 28/2018/TT-BTC from 11/5/2018",
            ),
        ),
        _spec(
            "conditions.required",
            "text_list",
            "conditions",
            "conditions for receiving support",
            "điều kiện được hỗ trợ",
            Text(
                "Điều 7 Thông tư liên tịch 26/2014/TTLT-BTC-BCT; Thông tư 28/2018/TT-BTC từ "
                "11/5/2018",
                "26/2014/TTLT-BTC-BCT Điều 7; 28/2018/TT-BTC from 11/5/2018",
            ),
        ),
        _spec(
            "priority.area_order",
            "text_list",
            "conditions",
            "priority areas, in order",
            "thứ tự ưu tiên địa bàn",
            Text(
                "Điều 6 Thông tư 46/2012/TT-BCT",
                "46/2012/TT-BCT Điều 6",
            ),
        ),
        _spec(
            "priority.sector_order",
            "text_list",
            "conditions",
            "priority sectors, in order",
            "thứ tự ưu tiên ngành nghề",
            Text(
                "Điều 6 Thông tư 46/2012/TT-BCT",
                "46/2012/TT-BCT Điều 6",
            ),
        ),
        _spec(
            "priority.local_raw_material_share",
            "rate",
            "conditions",
            "share of local materials above which production counts as local-material",
            "tỷ lệ nguyên liệu tại chỗ",
            Text(
                "Điều 6.2.b Thông tư 46/2012/TT-BCT",
                "46/2012/TT-BCT Điều 6.2.b",
            ),
        ),
        _spec(
            "priority.labour_intensive_workers",
            "int",
            "conditions",
            "workers from which an establishment is labour-intensive",
            "số lao động để là cơ sở sử dụng nhiều lao động",
            Text(
                "Điều 6.2.c Thông tư 46/2012/TT-BCT",
                "46/2012/TT-BCT Điều 6.2.c",
            ),
        ),
        _spec(
            "project.dossier_deadline",
            "month_day",
            "projects",
            "dossiers to the provincial department before (month-day)",
            "hạn gửi hồ sơ về Sở Công Thương",
            Text(
                "Điều 10.1 Thông tư 36/2013/TT-BCT",
                "36/2013/TT-BCT Điều 10.1",
            ),
        ),
        _spec(
            "project.ministry_deadline",
            "month_day",
            "projects",
            "department files with the ministry before (month-day)",
            "hạn Sở gửi Bộ",
            Text(
                "Điều 10.2 Thông tư 36/2013/TT-BCT",
                "36/2013/TT-BCT Điều 10.2",
            ),
        ),
        _spec(
            "project.monthly_report_day",
            "int",
            "projects",
            "monthly progress report before this day of the month",
            "báo cáo tiến độ hằng tháng trước ngày",
            Text(
                "Điều 22 Thông tư 36/2013/TT-BCT",
                "36/2013/TT-BCT Điều 22",
            ),
        ),
        _spec(
            "project.settlement_dossier_days",
            "int",
            "projects",
            "days after the last acceptance to file the settlement dossier",
            "số ngày lập hồ sơ quyết toán sau nghiệm thu",
            Text(
                "Điều 18.1 Thông tư 36/2013/TT-BCT",
                "36/2013/TT-BCT Điều 18.1",
            ),
        ),
        _spec(
            "project.settlement_final_deadline",
            "month_day",
            "projects",
            "settlement no later than (month-day of the next year)",
            "hạn thanh lý, quyết toán năm sau",
            Text(
                "Điều 18.2 Thông tư 36/2013/TT-BCT",
                "36/2013/TT-BCT Điều 18.2",
            ),
        ),
        *[
            _spec(
                f"project.advance.{kind}.{field}",
                type_,
                "projects",
                f"first advance ({kind}): {field}",
                f"tạm ứng lần một ({kind}): {field}",
                Text(
                    "Điều 13 Thông tư 36/2013/TT-BCT (nội dung khác: Điều 16, do Bộ quyết định)",
                    "36/2013/TT-BCT Điều 13 (other contents: Điều 16, decided by the ministry)",
                ),
            )
            for kind in ("infrastructure", "contract", "investment", "after_acceptance")
            for field, type_ in (
                ("contents", "text_list"),
                ("rate", "rate"),
                ("progress_above", "rate"),
            )
            if field != "progress_above" or kind in ("infrastructure", "investment")
        ],
        _spec(
            "project.adjustment.ministry",
            "text_list",
            "projects",
            "adjustments the Ministry approves",
            "điều chỉnh do Bộ phê duyệt",
            Text(
                "Điều 11.2.a Thông tư 36/2013/TT-BCT",
                "36/2013/TT-BCT Điều 11.2.a",
            ),
        ),
        _spec(
            "project.adjustment.department",
            "text_list",
            "projects",
            "adjustments the ministry's department approves",
            "điều chỉnh do Cục phê duyệt",
            Text(
                "Điều 11.2.b Thông tư 36/2013/TT-BCT",
                "36/2013/TT-BCT Điều 11.2.b",
            ),
        ),
        _spec(
            "project.adjustment.province_group",
            "text_list",
            "projects",
            "adjustments of group projects the provincial department decides",
            "điều chỉnh đề án nhóm do Sở Công Thương quyết định",
            Text(
                "Điều 11.4 Thông tư 36/2013/TT-BCT",
                "36/2013/TT-BCT Điều 11.4",
            ),
        ),
        _spec(
            "project.models_per_district_max",
            "int",
            "projects",
            "national-fund demonstration models per content per district per year, at most",
            "số mô hình trình diễn tối đa mỗi huyện",
            Text(
                "Thông tư 20/2017/TT-BCT (sửa đổi Thông tư 36/2013/TT-BCT); sau khi bỏ cấp "
                "huyện từ 1/7/2025, quy định của Bộ Công Thương cho đơn vị thay thế (chưa tìm"
                " thấy)",
                "20/2017/TT-BCT (amending 36/2013/TT-BCT); after districts ended on 1/7/2025,"
                " the Ministry of Industry and Trade's rule for the unit replacing them (not "
                "found yet)",
            ),
        ),
        _spec(
            "award.levels",
            "text_list",
            "awards",
            "award levels, bottom to top",
            "các cấp bình chọn",
            Text(
                "Điều 6.2 Thông tư 26/2014/TT-BCT, sửa đổi bởi Thông tư 38/2025/TT-BCT từ 1/7/2025",
                "26/2014/TT-BCT Điều 6.2, as amended by 38/2025/TT-BCT from 1/7/2025",
            ),
        ),
        _spec(
            "award.prerequisites",
            "text_list",
            "awards",
            "level:prerequisite pairs (a valid certificate of the lower level)",
            "điều kiện giấy chứng nhận cấp dưới",
            Text(
                "Điều 12 Thông tư 26/2014/TT-BCT",
                "26/2014/TT-BCT Điều 12",
            ),
        ),
        _spec(
            "award.pass_mark",
            "int",
            "awards",
            "average jury score needed, at least",
            "điểm bình quân tối thiểu",
            Text(
                "Điều 17.1 Thông tư 26/2014/TT-BCT",
                "26/2014/TT-BCT Điều 17.1",
            ),
        ),
        _spec(
            "award.certificate_validity_years",
            "int",
            "awards",
            "certificate valid to 31 December of this year, counting the issue year",
            "thời hạn giấy chứng nhận",
            Text(
                "Điều 17.3 Thông tư 26/2014/TT-BCT",
                "26/2014/TT-BCT Điều 17.3",
            ),
        ),
        _spec(
            "award.round_interval_years",
            "int",
            "awards",
            "years between rounds",
            "chu kỳ bình chọn",
            Text(
                "Điều 14 Thông tư 26/2014/TT-BCT",
                "26/2014/TT-BCT Điều 14",
            ),
        ),
        *[
            _spec(
                f"award.weight.{c}",
                "int",
                "awards",
                f"maximum score of criterion '{c}'",
                f"điểm tối đa tiêu chí '{c}'",
                Text(
                    "Điều 7 Thông tư 26/2014/TT-BCT và phiếu chấm điểm kèm theo",
                    "26/2014/TT-BCT Điều 7 and the scoring sheet annexed to it",
                ),
            )
            for c in ("market", "economic_technical", "culture", "other")
        ],
        _spec(
            "award.complaint_answer_working_days",
            "int",
            "awards",
            "working days to answer a complaint",
            "thời hạn giải quyết khiếu nại",
            Text(
                "Điều 20.2 Thông tư 26/2014/TT-BCT",
                "26/2014/TT-BCT Điều 20.2",
            ),
        ),
        _spec(
            "calendar.rest_weekdays",
            "int_list",
            "awards",
            "weekly rest days of state bodies (ISO weekday numbers: 6 Saturday, 7 Sunday), "
            "not counted as working days",
            "ngày nghỉ hằng tuần của cơ quan nhà nước (không tính là ngày làm việc)",
            Text(
                "Điều 1 Quyết định 188/1999/QĐ-TTg (tuần làm việc 40 giờ của cơ quan nhà nước)",
                "Quyết định 188/1999/QĐ-TTg Điều 1 (the 40-hour working week of state bodies)",
            ),
        ),
        _spec(
            "ocop.part_max",
            "int_list",
            "ocop",
            "maximum scores of parts A, B, C",
            "điểm tối đa phần A, B, C",
            Text(
                "Quyết định 148/QĐ-TTg (24/2/2023); trước đó Quyết định 1048/QĐ-TTg (21/8/2019)",
                "148/QĐ-TTg (24/2/2023); 1048/QĐ-TTg (21/8/2019) before",
            ),
        ),
        _spec(
            "ocop.star_bands",
            "int_list",
            "ocop",
            "score thresholds for 5, 4, 3, 2 stars",
            "ngưỡng điểm 5, 4, 3, 2 sao",
            Text(
                "Quyết định 148/QĐ-TTg (24/2/2023); trước đó Quyết định 1048/QĐ-TTg (21/8/2019)",
                "148/QĐ-TTg (24/2/2023); 1048/QĐ-TTg (21/8/2019) before",
            ),
        ),
        _spec(
            "ocop.min_ocop_stars",
            "int",
            "ocop",
            "stars from which a product is an OCOP product",
            "số sao tối thiểu là sản phẩm OCOP",
            Text(
                "Quyết định 148/QĐ-TTg (24/2/2023); trước đó Quyết định 1048/QĐ-TTg (21/8/2019)",
                "148/QĐ-TTg (24/2/2023); 1048/QĐ-TTg (21/8/2019) before",
            ),
        ),
    ]
)
CATALOGUE.update(_SME)
CATALOGUE.update(_support_specs())

# ---------------------------------------------------------------------------------------------
# Issue 9 (awards, SME size): the rule shape of the SME decree in force, and the award
# transition of 38/2025/TT-BCT. Added apart so that the rows above stay as they were.
CATALOGUE.update(
    dict(
        [
            _spec(
                "sme.size_rule",
                "text",
                "sme_size",
                "which SME size test applies: 'employees_and_revenue_or_capital' (39/2018, "
                "80/2021) or 'capital_or_employees' (56/2009, capital the priority criterion)",
                "cách xác định quy mô doanh nghiệp nhỏ và vừa áp dụng",
                Text(
                    "Điều 5 Nghị định 80/2021/NĐ-CP; Điều 6 Nghị định 39/2018/NĐ-CP; Điều 3 "
                    "Nghị định 56/2009/NĐ-CP",
                    "80/2021/NĐ-CP Điều 5; 39/2018/NĐ-CP Điều 6; 56/2009/NĐ-CP Điều 3",
                ),
            ),
            _spec(
                "award.earlier_level_certificates_count",
                "bool",
                "awards",
                "a certificate of the level that was below on its issue date still qualifies "
                "an entry after the ladder changed (a district certificate after 1/7/2025)",
                "giấy chứng nhận cấp dưới theo thang cấp tại ngày cấp vẫn được dùng",
                Text(
                    "Thông tư 38/2025/TT-BCT (chưa đọc các quy định chuyển tiếp)",
                    "38/2025/TT-BCT (transition provisions not read)",
                ),
            ),
        ]
    )
)

# --- The regime of Nghị định 235/2025/NĐ-CP (from 15/10/2025) and the transition to it. ---
CATALOGUE.update(
    [
        _spec(
            "eligibility.regime",
            "text",
            "eligibility",
            "the body of rules in force (the decree and its amendments)",
            "chế độ pháp lý đang áp dụng (nghị định và các văn bản sửa đổi)",
            Text(
                "Nghị định 45/2012/NĐ-CP; Nghị định 235/2025/NĐ-CP từ 15/10/2025",
                "45/2012/NĐ-CP; 235/2025/NĐ-CP from 15/10/2025",
            ),
        ),
        _spec(
            "regime.keeps_approval_date_rules",
            "bool",
            "eligibility",
            "projects approved before this regime stay under the rules of their approval date",
            "đề án đã phê duyệt trước khi chế độ này có hiệu lực tiếp tục theo quy định cũ",
            Text(
                "Điều 1 Nghị định 235/2025/NĐ-CP (sửa đổi Nghị định 45/2012/NĐ-CP), quy định "
                "chuyển tiếp",
                "Nghị định 235/2025/NĐ-CP Điều 1 (amending 45/2012/NĐ-CP), transitional provision",
            ),
        ),
        _spec(
            "eligibility.province_unit_types",
            "text_list",
            "eligibility",
            "unit types of a province where production is eligible (two-level map)",
            "loại đơn vị cấp xã của tỉnh có cơ sở sản xuất được hỗ trợ",
            Text(
                "Khoản 1 Điều 1 Nghị định 235/2025/NĐ-CP (sửa đổi Nghị định 45/2012/NĐ-CP), "
                "Điều 1.2.a Nghị định 45/2012",
                "Nghị định 235/2025/NĐ-CP Điều 1 (amending 45/2012/NĐ-CP).1, Điều 1.2.a of 45/2012",
            ),
        ),
        _spec(
            "eligibility.city_unit_types",
            "text_list",
            "eligibility",
            "unit types of a centrally run city where production is eligible (two-level map)",
            "loại đơn vị cấp xã của thành phố trực thuộc trung ương được hỗ trợ",
            Text(
                "Khoản 1 Điều 1 Nghị định 235/2025/NĐ-CP (sửa đổi Nghị định 45/2012/NĐ-CP), "
                "Điều 1.2.a Nghị định 45/2012",
                "Nghị định 235/2025/NĐ-CP Điều 1 (amending 45/2012/NĐ-CP).1, Điều 1.2.a of 45/2012",
            ),
        ),
        _spec(
            "eligibility.craft_villages_eligible",
            "bool",
            "eligibility",
            "a craft village recognised by the provincial People's Committee is eligible anywhere",
            "làng nghề được Ủy ban nhân dân cấp tỉnh công nhận là địa bàn được hỗ trợ",
            Text(
                "Khoản 1 Điều 1 Nghị định 235/2025/NĐ-CP (sửa đổi Nghị định 45/2012/NĐ-CP), "
                "Điều 1.2.a Nghị định 45/2012",
                "Nghị định 235/2025/NĐ-CP Điều 1 (amending 45/2012/NĐ-CP).1, Điều 1.2.a of 45/2012",
            ),
        ),
        _spec(
            "eligibility.sustainable_production_exempt",
            "bool",
            "eligibility",
            "sustainable production and consumption lifts the form, size and location limits",
            "sản xuất và tiêu dùng bền vững không giới hạn loại hình, quy mô, địa bàn",
            Text(
                "Khoản 1 Điều 1 Nghị định 235/2025/NĐ-CP (sửa đổi Nghị định 45/2012/NĐ-CP), "
                "Điều 1.2.b Nghị định 45/2012",
                "Nghị định 235/2025/NĐ-CP Điều 1 (amending 45/2012/NĐ-CP).1, Điều 1.2.b of 45/2012",
            ),
        ),
        _spec(
            "eligibility.artisan_titles",
            "text_list",
            "eligibility",
            "artisan titles whose holders are beneficiaries",
            "danh hiệu nghệ nhân là đối tượng được hỗ trợ",
            Text(
                "Khoản 1 Điều 1 Nghị định 235/2025/NĐ-CP (sửa đổi Nghị định 45/2012/NĐ-CP), "
                "Điều 1.2 Nghị định 45/2012",
                "Nghị định 235/2025/NĐ-CP Điều 1 (amending 45/2012/NĐ-CP).1, Điều 1.2 of 45/2012",
            ),
        ),
        _spec(
            "eligibility.unlisted_sectors_excluded",
            "bool",
            "eligibility",
            "the sector list is complete: a sector it does not name is not eligible",
            "danh mục ngành nghề là đầy đủ: ngành nghề không có trong danh mục không được hỗ trợ",
            Text(
                "văn bản của Nghị định 235/2025/NĐ-CP sửa đổi Điều 5 Nghị định 45/2012/NĐ-CP",
                "the text of 235/2025/NĐ-CP amending Điều 5 of 45/2012/NĐ-CP",
            ),
        ),
        _spec(
            "priority.owner_order",
            "text_list",
            "eligibility",
            "owners whose establishments have priority, in order",
            "đối tượng chủ sở hữu được ưu tiên, theo thứ tự",
            Text(
                "Điều 1 Nghị định 235/2025/NĐ-CP (sửa đổi Nghị định 45/2012/NĐ-CP), Điều 6 "
                "Nghị định 45/2012",
                "Nghị định 235/2025/NĐ-CP Điều 1 (amending 45/2012/NĐ-CP), Điều 6 of 45/2012",
            ),
        ),
        _spec(
            "contents.recognised",
            "text_list",
            "support",
            "the support contents that are khuyến công contents",
            "các nội dung hoạt động khuyến công",
            Text(
                "Điều 4 Nghị định 45/2012/NĐ-CP; Nghị định 235/2025/NĐ-CP từ 15/10/2025",
                "45/2012/NĐ-CP Điều 4; 235/2025/NĐ-CP from 15/10/2025",
            ),
        ),
    ]
)

LOCATION_TEST_PARAMETERS: dict[str, tuple[str, ...]] = {
    "45/2012": (
        "eligibility.eligible_unit_types",
        "eligibility.ward_city_grades",
        "eligibility.converted_ward_city_grade",
        "eligibility.ward_conversion_years",
    ),
    "235/2025": (
        "eligibility.province_unit_types",
        "eligibility.city_unit_types",
        "eligibility.craft_villages_eligible",
    ),
    "none": (),
}
"""The parameters each location test reads (``eligibility.location_test`` names the test);
a coverage check asks only for those of the test in force."""

FAMILIES: tuple[str, ...] = tuple(sorted({s.family for s in CATALOGUE.values()}))
"""The rule families, as named in the catalogue."""


def spec_for(name: str) -> ParameterSpec | None:
    """The spec of ``name``, or ``None`` if the catalogue does not know it."""
    return CATALOGUE.get(name)
