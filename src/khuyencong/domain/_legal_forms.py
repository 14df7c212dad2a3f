"""Legal forms of establishments, SME size classes and artisan titles.

Large enterprises and unregistered individuals are not beneficiaries of khuyến công, but they
can be represented, so that an application can record them and the rules can refuse them with
a reason.
"""

from __future__ import annotations

from khuyencong.domain._labels import LabelledEnum, register_labels

__all__ = ["ArtisanTitle", "LegalForm", "SizeClass"]


class LegalForm(LabelledEnum):
    """The legal form of an establishment."""

    COOPERATIVE = "cooperative"
    COOPERATIVE_UNION = "cooperative_union"
    COOPERATIVE_GROUP = "cooperative_group"
    SME = "sme"
    HOUSEHOLD_BUSINESS = "household_business"
    LARGE_ENTERPRISE = "large_enterprise"
    UNREGISTERED_INDIVIDUAL = "unregistered_individual"
    ARTISAN = "artisan"
    SERVICE_ORGANISATION = "service_organisation"

    @property
    def is_cooperative_kind(self) -> bool:
        """Cooperatives, unions of cooperatives and cooperative groups (they have members)."""
        return self in _COOPERATIVE_KINDS

    @property
    def is_enterprise(self) -> bool:
        """An enterprise (SME or large): it has a size class."""
        return self in (LegalForm.SME, LegalForm.LARGE_ENTERPRISE)

    @property
    def is_individual(self) -> bool:
        """A natural person or household, who may use a 12-digit personal number as tax number."""
        return self in _INDIVIDUAL_KINDS


_COOPERATIVE_KINDS = frozenset(
    {LegalForm.COOPERATIVE, LegalForm.COOPERATIVE_UNION, LegalForm.COOPERATIVE_GROUP}
)
_INDIVIDUAL_KINDS = frozenset(
    {LegalForm.HOUSEHOLD_BUSINESS, LegalForm.UNREGISTERED_INDIVIDUAL, LegalForm.ARTISAN}
)

register_labels(
    LegalForm,
    {
        LegalForm.COOPERATIVE: ("Hợp tác xã", "Cooperative"),
        LegalForm.COOPERATIVE_UNION: ("Liên hiệp hợp tác xã", "Union of cooperatives"),
        LegalForm.COOPERATIVE_GROUP: ("Tổ hợp tác", "Cooperative group"),
        LegalForm.SME: ("Doanh nghiệp nhỏ và vừa", "Small or medium enterprise"),
        LegalForm.HOUSEHOLD_BUSINESS: ("Hộ kinh doanh", "Household business"),
        LegalForm.LARGE_ENTERPRISE: ("Doanh nghiệp lớn", "Large enterprise"),
        LegalForm.UNREGISTERED_INDIVIDUAL: (
            "Cá nhân chưa đăng ký kinh doanh",
            "Unregistered individual",
        ),
        LegalForm.ARTISAN: (
            "Nghệ nhân (nhân dân, ưu tú)",
            "Artisan (People's or Meritorious)",
        ),
        LegalForm.SERVICE_ORGANISATION: (
            "Tổ chức dịch vụ khuyến công",
            "Industrial promotion service organisation",
        ),
    },
)


class SizeClass(LabelledEnum):
    """Enterprise size class (Nghị định 80/2021/NĐ-CP Điều 5 and its predecessors)."""

    MICRO = "micro"
    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"


register_labels(
    SizeClass,
    {
        SizeClass.MICRO: ("Siêu nhỏ", "Micro"),
        SizeClass.SMALL: ("Nhỏ", "Small"),
        SizeClass.MEDIUM: ("Vừa", "Medium"),
        SizeClass.LARGE: ("Lớn", "Large"),
    },
)


class ArtisanTitle(LabelledEnum):
    """State titles for craft artisans (beneficiaries from 15/10/2025, Nghị định 235/2025)."""

    PEOPLES_ARTISAN = "peoples_artisan"
    MERITORIOUS_ARTISAN = "meritorious_artisan"


register_labels(
    ArtisanTitle,
    {
        ArtisanTitle.PEOPLES_ARTISAN: ("Nghệ nhân nhân dân", "People's Artisan"),
        ArtisanTitle.MERITORIOUS_ARTISAN: ("Nghệ nhân ưu tú", "Meritorious Artisan"),
    },
)
