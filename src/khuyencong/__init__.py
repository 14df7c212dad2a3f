"""khuyencong: Vietnamese industrial promotion (khuyến công) as a typed Python SDK.

Domain objects (establishments, projects, support records, awards), administrative units
before and after the 2025 reform, rules that explain themselves, storage and indicators.

>>> import khuyencong
>>> khuyencong.LegalForm.COOPERATIVE.label_en
'Cooperative'
"""

from khuyencong.converters import dumps, loads, structure, unstructure
from khuyencong.domain import (
    AreaDifficulty,
    Artisan,
    ArtisanTitle,
    AwardEntry,
    AwardLevel,
    BudgetEnvelope,
    BusinessSectorGroup,
    Citation,
    Confidence,
    ContentGroup,
    CraftVillageClaim,
    Establishment,
    FairKind,
    FairParticipation,
    Fund,
    LegalForm,
    OcopRating,
    Period,
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
from khuyencong.exceptions import KhuyenCongError, NotFoundError, ValidationError
from khuyencong.units import AdminUnit, MapId, UnitRef, load_map, map_for

__version__ = "0.1.0.dev0"

__all__ = [
    "AdminUnit",
    "AreaDifficulty",
    "Artisan",
    "ArtisanTitle",
    "AwardEntry",
    "AwardLevel",
    "BudgetEnvelope",
    "BusinessSectorGroup",
    "Citation",
    "Confidence",
    "ContentGroup",
    "CraftVillageClaim",
    "Establishment",
    "FairKind",
    "FairParticipation",
    "Fund",
    "KhuyenCongError",
    "LegalForm",
    "MapId",
    "NotFoundError",
    "OcopRating",
    "Period",
    "ProductGroup",
    "Project",
    "ProjectContent",
    "ProjectKind",
    "ProjectStatus",
    "Sector",
    "SizeClass",
    "SupportContent",
    "SupportRecord",
    "UnitRef",
    "ValidationError",
    "__version__",
    "dumps",
    "load_map",
    "loads",
    "map_for",
    "structure",
    "unstructure",
]
