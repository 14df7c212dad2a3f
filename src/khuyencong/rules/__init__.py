"""Rules as code: dated legal parameters, eligibility, support amounts, awards — explained.

Every answer takes its date explicitly and explains itself (conditions with what was required,
what was found, whether it held, the citation, and messages in Vietnamese and English). Legal
values live in ``khuyencong/data/legal/*.toml``, one file per document, read by one validating
loader; rule sets compose the national baseline, a provincial overlay and what-if overrides.

>>> import datetime as dt
>>> from khuyencong.domain import SupportContent
>>> support_amount(SupportContent.MACHINERY, 900_000_000, dt.date(2017, 1, 1)).amount
200000000

Every rule function takes its subject, then the date ``on``, then keyword arguments, among
them ``rules=`` (a rule set or its view dated ``on``; the national baseline by default). An
argument of the wrong kind — a date given as text, money as a float, a percentage where a
share belongs — raises :class:`~khuyencong.exceptions.ValidationError` naming it.
"""

from khuyencong.rules._awards import (
    award_levels,
    certificate_valid_until,
    check_award_entry,
    complaint_answer_deadline,
    passes,
    total_score,
)
from khuyencong.rules._batch import Application, BatchResult, evaluate_many
from khuyencong.rules._columns import APPLICATION_COLUMNS, ColumnResults, evaluate_columns
from khuyencong.rules._conditions import (
    PriorityClaim,
    check_support_conditions,
    priority_claim,
    rank_applications,
)
from khuyencong.rules._cooperatives import check_cooperative
from khuyencong.rules._eligibility import EXCEPTIONS, check_eligibility
from khuyencong.rules._explain import Condition, Decision, format_value
from khuyencong.rules._frame import FRAME_COLUMNS, FrameResults, evaluate_frame, frame_columns
from khuyencong.rules._ocop import is_ocop_product, ocop_score, ocop_stars, part_maxima
from khuyencong.rules._parameters import (
    DerivedCap,
    Parameter,
    ParameterEntry,
    ParameterSet,
    legal_data_files,
    load_parameters,
)
from khuyencong.rules._projects import (
    Advance,
    DossierDeadlines,
    adjustment_approver,
    check_models_per_district,
    check_project_amounts,
    dossier_deadlines,
    final_settlement_deadline,
    first_advance,
    monthly_report_deadline,
    refund_due,
    remaining_advance,
    settlement_deadline,
)
from khuyencong.rules._provinces import (
    LocalLevel,
    ProvinceOverlays,
    ProvincialDocument,
    for_province,
    for_unit,
    provinces,
    provincial_overlay_files,
)
from khuyencong.rules._regimes import regime_on, rules_date
from khuyencong.rules._rulesets import (
    CityGrade,
    CraftVillage,
    DatedRules,
    RuleSet,
    UnitFacts,
    WardConversion,
)
from khuyencong.rules._sme_size import sme_size_class
from khuyencong.rules._support import Amount, SupportLevel, support_amount, support_level

__all__ = [
    "APPLICATION_COLUMNS",
    "EXCEPTIONS",
    "FRAME_COLUMNS",
    "Advance",
    "Amount",
    "Application",
    "BatchResult",
    "CityGrade",
    "ColumnResults",
    "Condition",
    "CraftVillage",
    "DatedRules",
    "Decision",
    "DerivedCap",
    "DossierDeadlines",
    "FrameResults",
    "LocalLevel",
    "Parameter",
    "ParameterEntry",
    "ParameterSet",
    "PriorityClaim",
    "ProvinceOverlays",
    "ProvincialDocument",
    "RuleSet",
    "SupportLevel",
    "UnitFacts",
    "WardConversion",
    "adjustment_approver",
    "award_levels",
    "certificate_valid_until",
    "check_award_entry",
    "check_cooperative",
    "check_eligibility",
    "check_models_per_district",
    "check_project_amounts",
    "check_support_conditions",
    "complaint_answer_deadline",
    "dossier_deadlines",
    "evaluate_columns",
    "evaluate_frame",
    "evaluate_many",
    "final_settlement_deadline",
    "first_advance",
    "for_province",
    "for_unit",
    "format_value",
    "frame_columns",
    "is_ocop_product",
    "legal_data_files",
    "load_parameters",
    "monthly_report_deadline",
    "ocop_score",
    "ocop_stars",
    "part_maxima",
    "passes",
    "priority_claim",
    "provinces",
    "provincial_overlay_files",
    "rank_applications",
    "refund_due",
    "regime_on",
    "remaining_advance",
    "rules_date",
    "settlement_deadline",
    "sme_size_class",
    "support_amount",
    "support_level",
    "total_score",
]
