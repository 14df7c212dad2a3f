"""Support contents (nội dung khuyến công) and funds.

The contents follow Nghị định 45/2012/NĐ-CP Điều 4 and the support tables of TTLT
26/2014/TTLT-BTC-BCT Điều 6 and Thông tư 28/2018/TT-BTC Điều 8, fine enough that each has one
support formula. Values are stable identifiers used in data files, JSON and storage.
"""

from __future__ import annotations

from khuyencong.domain._labels import LabelledEnum, register_labels

__all__ = ["ContentGroup", "Fund", "SupportContent"]


class ContentGroup(LabelledEnum):
    """Reporting groups of contents, as provincial reports count them."""

    TRAINING = "training"
    MANAGEMENT = "management"
    MODELS_TECHNOLOGY = "models_technology"
    DESIGN_CONSULTING = "design_consulting"
    SHOWROOM = "showroom"
    FAIRS = "fairs"
    MARKET_BRAND = "market_brand"
    AWARDS = "awards"
    INFORMATION = "information"
    CLUSTERS_ENVIRONMENT = "clusters_environment"
    COOPERATION_MANAGEMENT = "cooperation_management"
    DIGITAL = "digital"
    OTHER = "other"


register_labels(
    ContentGroup,
    {
        ContentGroup.TRAINING: ("Đào tạo nghề, truyền nghề", "Vocational training"),
        ContentGroup.MANAGEMENT: ("Nâng cao năng lực quản lý", "Management capacity"),
        ContentGroup.MODELS_TECHNOLOGY: (
            "Mô hình trình diễn, chuyển giao công nghệ, máy móc tiên tiến",
            "Demonstration models, technology transfer, advanced machinery",
        ),
        ContentGroup.DESIGN_CONSULTING: (
            "Tư vấn thiết kế mẫu mã, bao bì, nhãn mác, tem truy xuất",
            "Design consulting: packaging, labels, traceability",
        ),
        ContentGroup.SHOWROOM: ("Phòng trưng bày, giới thiệu sản phẩm", "Showrooms"),
        ContentGroup.FAIRS: ("Hội chợ, triển lãm", "Fairs and exhibitions"),
        ContentGroup.MARKET_BRAND: ("Thương hiệu, thị trường", "Brand and market"),
        ContentGroup.AWARDS: ("Bình chọn sản phẩm tiêu biểu", "Product awards"),
        ContentGroup.INFORMATION: ("Thông tin tuyên truyền", "Information and media"),
        ContentGroup.CLUSTERS_ENVIRONMENT: (
            "Liên kết, cụm công nghiệp, môi trường",
            "Linkages, industrial clusters, environment",
        ),
        ContentGroup.COOPERATION_MANAGEMENT: (
            "Hợp tác quốc tế, quản lý chương trình",
            "International cooperation, programme management",
        ),
        ContentGroup.DIGITAL: ("Chuyển đổi số", "Digital transformation"),
        ContentGroup.OTHER: ("Khác", "Other"),
    },
)


class SupportContent(LabelledEnum):
    """One support content, with its own support formula."""

    VOCATIONAL_TRAINING = "vocational_training"
    CRAFT_TRANSMISSION = "craft_transmission"
    MANAGEMENT_TRAINING = "management_training"
    WORKSHOP_STUDY_TOUR = "workshop_study_tour"
    ENTERPRISE_FOUNDING = "enterprise_founding"
    DEMONSTRATION_MODEL = "demonstration_model"
    REPLICATION_MODEL = "replication_model"
    MACHINERY = "machinery"
    TECHNOLOGY_TRANSFER = "technology_transfer"
    TECHNOLOGY_LINE = "technology_line"
    CLEANER_PRODUCTION_PILOT = "cleaner_production_pilot"
    DOMESTIC_FAIR_ORGANISING = "domestic_fair_organising"
    DOMESTIC_FAIR_PARTICIPATION = "domestic_fair_participation"
    OVERSEAS_FAIR = "overseas_fair"
    STUDY_TOUR_AIR_TICKETS = "study_tour_air_tickets"
    AWARD_ROUND_REGIONAL = "award_round_regional"
    AWARD_ROUND_NATIONAL = "award_round_national"
    AWARD_PRIZE_REGIONAL = "award_prize_regional"
    AWARD_PRIZE_NATIONAL = "award_prize_national"
    BRAND = "brand"
    SHOWROOM = "showroom"
    DESIGN_CONSULTING = "design_consulting"
    CONSULTING = "consulting"
    MEDIA = "media"
    ASSOCIATION_REGIONAL = "association_regional"
    ASSOCIATION_NATIONAL = "association_national"
    LINKAGE_CLUSTER = "linkage_cluster"
    RELOCATION_INTEREST = "relocation_interest"
    POLLUTION_TREATMENT_ESTABLISHMENT = "pollution_treatment_establishment"
    POLLUTION_TREATMENT_CLUSTER = "pollution_treatment_cluster"
    CLUSTER_PLANNING = "cluster_planning"
    CLUSTER_INFRASTRUCTURE = "cluster_infrastructure"
    INTERNATIONAL_COOPERATION = "international_cooperation"
    PROGRAMME_MANAGEMENT = "programme_management"
    DIGITAL_TRANSFORMATION = "digital_transformation"
    SUSTAINABLE_PRODUCTION = "sustainable_production"
    ARTISAN_SUPPORT = "artisan_support"
    OTHER = "other"

    @property
    def group(self) -> ContentGroup:
        """The reporting group this content is counted under."""
        return _GROUPS[self]


_G = ContentGroup
_C = SupportContent
_GROUPS: dict[SupportContent, ContentGroup] = {
    _C.VOCATIONAL_TRAINING: _G.TRAINING,
    _C.CRAFT_TRANSMISSION: _G.TRAINING,
    _C.MANAGEMENT_TRAINING: _G.MANAGEMENT,
    _C.WORKSHOP_STUDY_TOUR: _G.MANAGEMENT,
    _C.ENTERPRISE_FOUNDING: _G.MANAGEMENT,
    _C.DEMONSTRATION_MODEL: _G.MODELS_TECHNOLOGY,
    _C.REPLICATION_MODEL: _G.MODELS_TECHNOLOGY,
    _C.MACHINERY: _G.MODELS_TECHNOLOGY,
    _C.TECHNOLOGY_TRANSFER: _G.MODELS_TECHNOLOGY,
    _C.TECHNOLOGY_LINE: _G.MODELS_TECHNOLOGY,
    _C.CLEANER_PRODUCTION_PILOT: _G.MODELS_TECHNOLOGY,
    _C.DOMESTIC_FAIR_ORGANISING: _G.FAIRS,
    _C.DOMESTIC_FAIR_PARTICIPATION: _G.FAIRS,
    _C.OVERSEAS_FAIR: _G.FAIRS,
    _C.STUDY_TOUR_AIR_TICKETS: _G.MANAGEMENT,
    _C.AWARD_ROUND_REGIONAL: _G.AWARDS,
    _C.AWARD_ROUND_NATIONAL: _G.AWARDS,
    _C.AWARD_PRIZE_REGIONAL: _G.AWARDS,
    _C.AWARD_PRIZE_NATIONAL: _G.AWARDS,
    _C.BRAND: _G.MARKET_BRAND,
    _C.SHOWROOM: _G.SHOWROOM,
    _C.DESIGN_CONSULTING: _G.DESIGN_CONSULTING,
    _C.CONSULTING: _G.MARKET_BRAND,
    _C.MEDIA: _G.INFORMATION,
    _C.ASSOCIATION_REGIONAL: _G.CLUSTERS_ENVIRONMENT,
    _C.ASSOCIATION_NATIONAL: _G.CLUSTERS_ENVIRONMENT,
    _C.LINKAGE_CLUSTER: _G.CLUSTERS_ENVIRONMENT,
    _C.RELOCATION_INTEREST: _G.CLUSTERS_ENVIRONMENT,
    _C.POLLUTION_TREATMENT_ESTABLISHMENT: _G.CLUSTERS_ENVIRONMENT,
    _C.POLLUTION_TREATMENT_CLUSTER: _G.CLUSTERS_ENVIRONMENT,
    _C.CLUSTER_PLANNING: _G.CLUSTERS_ENVIRONMENT,
    _C.CLUSTER_INFRASTRUCTURE: _G.CLUSTERS_ENVIRONMENT,
    _C.INTERNATIONAL_COOPERATION: _G.COOPERATION_MANAGEMENT,
    _C.PROGRAMME_MANAGEMENT: _G.COOPERATION_MANAGEMENT,
    _C.DIGITAL_TRANSFORMATION: _G.DIGITAL,
    _C.SUSTAINABLE_PRODUCTION: _G.CLUSTERS_ENVIRONMENT,
    _C.ARTISAN_SUPPORT: _G.TRAINING,
    _C.OTHER: _G.OTHER,
}

register_labels(
    SupportContent,
    {
        _C.VOCATIONAL_TRAINING: ("Đào tạo nghề", "Vocational training"),
        _C.CRAFT_TRANSMISSION: ("Truyền nghề", "Craft transmission"),
        _C.MANAGEMENT_TRAINING: (
            "Đào tạo, tập huấn nâng cao năng lực quản lý",
            "Management capacity training",
        ),
        _C.WORKSHOP_STUDY_TOUR: (
            "Hội thảo, diễn đàn, tham quan khảo sát học tập kinh nghiệm",
            "Workshops, forums and study tours",
        ),
        _C.ENTERPRISE_FOUNDING: (
            "Hỗ trợ khởi sự, thành lập doanh nghiệp công nghiệp nông thôn",
            "Founding a rural industrial enterprise",
        ),
        _C.DEMONSTRATION_MODEL: (
            "Xây dựng mô hình trình diễn kỹ thuật (công nghệ mới, sản phẩm mới)",
            "Technical demonstration model (new technology or product)",
        ),
        _C.REPLICATION_MODEL: (
            "Mô hình trình diễn của cơ sở đang hoạt động để nhân rộng",
            "Demonstration model of an existing establishment, for replication",
        ),
        _C.MACHINERY: (
            "Ứng dụng máy móc thiết bị tiên tiến",
            "Application of advanced machinery",
        ),
        _C.TECHNOLOGY_TRANSFER: ("Chuyển giao công nghệ", "Technology transfer"),
        _C.TECHNOLOGY_LINE: ("Dây chuyền công nghệ", "Technology line"),
        _C.CLEANER_PRODUCTION_PILOT: (
            "Mô hình thí điểm áp dụng sản xuất sạch hơn",
            "Cleaner production pilot",
        ),
        _C.DOMESTIC_FAIR_ORGANISING: (
            "Tổ chức hội chợ, triển lãm hàng công nghiệp nông thôn trong nước",
            "Organising a domestic rural-industry fair",
        ),
        _C.DOMESTIC_FAIR_PARTICIPATION: (
            "Tham gia hội chợ, triển lãm trong nước",
            "Joining a domestic fair",
        ),
        _C.OVERSEAS_FAIR: (
            "Tổ chức, tham gia hội chợ, triển lãm ở nước ngoài",
            "Organising or joining a fair abroad",
        ),
        _C.STUDY_TOUR_AIR_TICKETS: (
            "Vé máy bay đi khảo sát, học tập kinh nghiệm ở nước ngoài",
            "Air tickets for study trips abroad",
        ),
        _C.AWARD_ROUND_REGIONAL: (
            "Tổ chức bình chọn sản phẩm CNNT tiêu biểu cấp khu vực",
            "Organising the regional award round",
        ),
        _C.AWARD_ROUND_NATIONAL: (
            "Tổ chức bình chọn sản phẩm CNNT tiêu biểu cấp quốc gia",
            "Organising the national award round",
        ),
        _C.AWARD_PRIZE_REGIONAL: (
            "Thưởng sản phẩm CNNT tiêu biểu cấp khu vực",
            "Prize for a regional typical product",
        ),
        _C.AWARD_PRIZE_NATIONAL: (
            "Thưởng sản phẩm CNNT tiêu biểu cấp quốc gia",
            "Prize for a national typical product",
        ),
        _C.BRAND: ("Xây dựng, đăng ký thương hiệu", "Building and registering a brand"),
        _C.SHOWROOM: (
            "Phòng trưng bày, giới thiệu, bán sản phẩm",
            "Showroom or sales point",
        ),
        _C.DESIGN_CONSULTING: (
            "Tư vấn thiết kế mẫu mã, bao bì, nhãn mác, tem truy xuất nguồn gốc",
            "Design consulting: packaging, labels, traceability stamps",
        ),
        _C.CONSULTING: (
            "Tư vấn (lập dự án, marketing, quản lý sản xuất, tài chính, nhân lực, công nghệ)",
            "Consulting (investment, marketing, management, finance, HR, technology)",
        ),
        _C.MEDIA: (
            "Chương trình truyền hình, truyền thanh, bản tin, tờ rơi",
            "TV, radio, bulletins and leaflets",
        ),
        _C.ASSOCIATION_REGIONAL: (
            "Thành lập hiệp hội, hội ngành nghề cấp vùng",
            "Founding a regional trade association",
        ),
        _C.ASSOCIATION_NATIONAL: (
            "Thành lập hiệp hội, hội ngành nghề cấp quốc gia",
            "Founding a national trade association",
        ),
        _C.LINKAGE_CLUSTER: (
            "Xây dựng cụm liên kết doanh nghiệp công nghiệp",
            "Forming an industrial linkage cluster",
        ),
        _C.RELOCATION_INTEREST: (
            "Hỗ trợ lãi suất vốn vay di dời cơ sở gây ô nhiễm vào cụm công nghiệp",
            "Interest support for relocating polluting establishments into clusters",
        ),
        _C.POLLUTION_TREATMENT_ESTABLISHMENT: (
            "Sửa chữa, nâng cấp hệ thống xử lý ô nhiễm tại cơ sở CNNT",
            "Pollution treatment at an establishment",
        ),
        _C.POLLUTION_TREATMENT_CLUSTER: (
            "Sửa chữa, nâng cấp hệ thống xử lý ô nhiễm tại cụm công nghiệp",
            "Pollution treatment at an industrial cluster",
        ),
        _C.CLUSTER_PLANNING: (
            "Lập quy hoạch chi tiết cụm công nghiệp",
            "Detailed planning of an industrial cluster",
        ),
        _C.CLUSTER_INFRASTRUCTURE: (
            "Đầu tư xây dựng hạ tầng cụm công nghiệp",
            "Industrial-cluster infrastructure",
        ),
        _C.INTERNATIONAL_COOPERATION: (
            "Hợp tác quốc tế về khuyến công",
            "International cooperation on industrial promotion",
        ),
        _C.PROGRAMME_MANAGEMENT: (
            "Quản lý, tổ chức thực hiện chương trình khuyến công",
            "Programme management",
        ),
        _C.DIGITAL_TRANSFORMATION: ("Chuyển đổi số", "Digital transformation"),
        _C.SUSTAINABLE_PRODUCTION: (
            "Sản xuất và tiêu dùng bền vững",
            "Sustainable production and consumption",
        ),
        _C.ARTISAN_SUPPORT: (
            "Hỗ trợ nghệ nhân bảo tồn, phát triển nghề thủ công",
            "Support for artisans to preserve and develop crafts",
        ),
        _C.OTHER: ("Nội dung khác", "Other content"),
    },
)


class Fund(LabelledEnum):
    """Which public fund pays: the national or the local (provincial) promotion fund."""

    NATIONAL = "national"
    LOCAL = "local"


register_labels(
    Fund,
    {
        Fund.NATIONAL: ("Kinh phí khuyến công quốc gia", "National promotion fund"),
        Fund.LOCAL: ("Kinh phí khuyến công địa phương", "Local promotion fund"),
    },
)
