"""The domain: value objects and entities of industrial promotion.

Money, periods, citations, legal forms, sectors, support contents, establishments, projects
and their lifecycle, records of support, fairs, awards and OCOP ratings, budget envelopes. The
domain knows nothing of rules, storage, files or the command line.
"""

from khuyencong.domain._artisans import Artisan
from khuyencong.domain._budgets import BudgetEnvelope
from khuyencong.domain._citations import Citation, Confidence, confidence_legend
from khuyencong.domain._contents import ContentGroup, Fund, SupportContent
from khuyencong.domain._datasets import Dataset
from khuyencong.domain._establishments import CraftVillageClaim, Establishment
from khuyencong.domain._labels import LabelledEnum, Lang
from khuyencong.domain._legal_forms import ArtisanTitle, LegalForm, SizeClass
from khuyencong.domain._money import MAX_DONG, Dong, format_vnd, million, parse_rate, round_down
from khuyencong.domain._periods import Period, PeriodKind, format_date
from khuyencong.domain._projects import (
    Project,
    ProjectContent,
    ProjectKind,
    ProjectStatus,
    StatusChange,
    allowed_transitions,
    check_new_project,
    check_project_history,
    check_project_update,
)
from khuyencong.domain._records import (
    AwardEntry,
    AwardLevel,
    FairKind,
    FairParticipation,
    OcopRating,
    ProductGroup,
    SupportRecord,
    support_record_columns,
)
from khuyencong.domain._sectors import AreaDifficulty, BusinessSectorGroup, Sector
from khuyencong.domain._tax_numbers import check_digit, normalise_tax_number, tax_number_problem

__all__ = [
    "MAX_DONG",
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
    "Dataset",
    "Dong",
    "Establishment",
    "FairKind",
    "FairParticipation",
    "Fund",
    "LabelledEnum",
    "Lang",
    "LegalForm",
    "OcopRating",
    "Period",
    "PeriodKind",
    "ProductGroup",
    "Project",
    "ProjectContent",
    "ProjectKind",
    "ProjectStatus",
    "Sector",
    "SizeClass",
    "StatusChange",
    "SupportContent",
    "SupportRecord",
    "allowed_transitions",
    "check_digit",
    "check_new_project",
    "check_project_history",
    "check_project_update",
    "confidence_legend",
    "format_date",
    "format_vnd",
    "million",
    "normalise_tax_number",
    "parse_rate",
    "round_down",
    "support_record_columns",
    "tax_number_problem",
]
