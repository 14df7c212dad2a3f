"""Sectors: the eligible sector groups of Nghị định 45/2012/NĐ-CP Điều 5, and the SME groups.

The letters follow the decree (a, b, c, d, đ, e, g); ``other`` records anything outside them, so
that the rules can refuse it with a reason.
"""

from __future__ import annotations

from khuyencong.domain._labels import LabelledEnum, register_labels

__all__ = ["AreaDifficulty", "BusinessSectorGroup", "Sector"]


class Sector(LabelledEnum):
    """A sector group eligible under 45/2012 Điều 5 (details in 46/2012 Điều 5), or ``other``."""

    AGRO_FOOD_PROCESSING = "agro_food_processing"
    CONSUMER_EXPORT_GOODS = "consumer_export_goods"
    CHEMICALS_BUILDING_MATERIALS = "chemicals_building_materials"
    MECHANICAL_ELECTRICAL_SUPPORTING = "mechanical_electrical_supporting"
    HANDICRAFTS = "handicrafts"
    MINING_MINERAL_PROCESSING = "mining_mineral_processing"
    CLEANER_PRODUCTION_POLLUTION = "cleaner_production_pollution"
    HIGH_TECH_INDUSTRY = "high_tech_industry"
    CLEAN_INDUSTRY = "clean_industry"
    ENERGY_SAVING = "energy_saving"
    ENVIRONMENTAL_INDUSTRY = "environmental_industry"
    GREEN_ENERGY = "green_energy"
    OTHER = "other"

    @property
    def decree_point(self) -> str:
        """The point of 45/2012 Điều 5 that names this sector (``""`` for ``other``)."""
        return _POINTS[self]


_POINTS = {
    Sector.AGRO_FOOD_PROCESSING: "a",
    Sector.CONSUMER_EXPORT_GOODS: "b",
    Sector.CHEMICALS_BUILDING_MATERIALS: "c",
    Sector.MECHANICAL_ELECTRICAL_SUPPORTING: "d",
    Sector.HANDICRAFTS: "đ",
    Sector.MINING_MINERAL_PROCESSING: "e",
    Sector.CLEANER_PRODUCTION_POLLUTION: "g",
    # Added to 45/2012 Điều 5 by 235/2025/NĐ-CP from 15/10/2025; their points are not known.
    Sector.HIGH_TECH_INDUSTRY: "",
    Sector.CLEAN_INDUSTRY: "",
    Sector.ENERGY_SAVING: "",
    Sector.ENVIRONMENTAL_INDUSTRY: "",
    Sector.GREEN_ENERGY: "",
    Sector.OTHER: "",
}

register_labels(
    Sector,
    {
        Sector.AGRO_FOOD_PROCESSING: (
            "Chế biến nông, lâm, thủy sản và chế biến thực phẩm",
            "Processing of agricultural, forestry and aquatic products; food processing",
        ),
        Sector.CONSUMER_EXPORT_GOODS: (
            "Sản xuất hàng công nghiệp phục vụ tiêu dùng, xuất khẩu, thay thế hàng nhập khẩu",
            "Industrial goods for consumption and export; import substitutes",
        ),
        Sector.CHEMICALS_BUILDING_MATERIALS: (
            "Hóa chất phục vụ nông nghiệp, nông thôn; vật liệu xây dựng",
            "Chemicals for agriculture and rural areas; building materials",
        ),
        Sector.MECHANICAL_ELECTRICAL_SUPPORTING: (
            (
                "Sản phẩm, phụ tùng; lắp ráp, sửa chữa máy móc cơ khí, điện, điện tử; "
                "công nghiệp hỗ trợ"
            ),
            "Products and spare parts; assembly and repair of machinery; supporting industry",
        ),
        Sector.HANDICRAFTS: ("Sản xuất sản phẩm thủ công mỹ nghệ", "Small handicrafts"),
        Sector.MINING_MINERAL_PROCESSING: (
            "Khai thác, chế biến khoáng sản tại địa bàn khó khăn",
            "Mining and mineral processing (difficult areas only)",
        ),
        Sector.CLEANER_PRODUCTION_POLLUTION: (
            "Sản xuất sạch hơn; xử lý ô nhiễm môi trường",
            "Cleaner production; pollution treatment",
        ),
        Sector.HIGH_TECH_INDUSTRY: ("Công nghiệp công nghệ cao", "High-tech industry"),
        Sector.CLEAN_INDUSTRY: ("Công nghiệp sạch", "Clean industry"),
        Sector.ENERGY_SAVING: ("Tiết kiệm năng lượng", "Energy saving"),
        Sector.ENVIRONMENTAL_INDUSTRY: ("Công nghiệp môi trường", "Environmental industry"),
        Sector.GREEN_ENERGY: (
            "Năng lượng thân thiện với môi trường",
            "Environmentally friendly energy",
        ),
        Sector.OTHER: ("Ngành nghề khác", "Other sector"),
    },
)


class BusinessSectorGroup(LabelledEnum):
    """The sector group of an enterprise's main line, for SME size (80/2021 Điều 5)."""

    AGRICULTURE_INDUSTRY_CONSTRUCTION = "agriculture_industry_construction"
    TRADE_SERVICES = "trade_services"


register_labels(
    BusinessSectorGroup,
    {
        BusinessSectorGroup.AGRICULTURE_INDUSTRY_CONSTRUCTION: (
            "Nông nghiệp, lâm nghiệp, thủy sản; công nghiệp và xây dựng",
            "Agriculture, forestry, fishery; industry and construction",
        ),
        BusinessSectorGroup.TRADE_SERVICES: ("Thương mại và dịch vụ", "Trade and services"),
    },
)


class AreaDifficulty(LabelledEnum):
    """Socio-economic difficulty of the place of production."""

    NONE = "none"
    DIFFICULT = "difficult"
    ESPECIALLY_DIFFICULT = "especially_difficult"


register_labels(
    AreaDifficulty,
    {
        AreaDifficulty.NONE: ("Không thuộc địa bàn khó khăn", "Not a difficult area"),
        AreaDifficulty.DIFFICULT: (
            "Địa bàn có điều kiện kinh tế - xã hội khó khăn",
            "Area with difficult socio-economic conditions",
        ),
        AreaDifficulty.ESPECIALLY_DIFFICULT: (
            "Địa bàn có điều kiện kinh tế - xã hội đặc biệt khó khăn",
            "Area with especially difficult socio-economic conditions",
        ),
    },
)
