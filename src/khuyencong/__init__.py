"""khuyencong: Vietnamese industrial promotion (khuyến công) as a typed Python SDK.

Domain objects (establishments, projects, support records, awards), administrative units
before and after the 2025 reform, rules that explain themselves, storage and indicators.

The names the common jobs need are importable from ``khuyencong`` itself — eligibility, support
amounts, awards, advances and deadlines, indicators over a dataset, stores, errors — and are
loaded on first use, so ``import khuyencong`` loads none of the library. Each also keeps its
home in its package (``khuyencong.rules.support_amount`` is ``khuyencong.support_amount``).

>>> import khuyencong
>>> khuyencong.LegalForm.COOPERATIVE.label_en
'Cooperative'
>>> import datetime as dt
>>> khuyencong.support_amount("máy móc", 1_000_000_000, dt.date(2026, 12, 7)).amount
300000000
"""

from __future__ import annotations

import importlib

# Not ``typing.TYPE_CHECKING``: importing ``typing`` alone would double the import time of this
# module. Type checkers treat any ``TYPE_CHECKING`` as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    __version__: str

    from khuyencong.converters import (
        dumps,
        loads,
        structure,
        unstructure,
    )
    from khuyencong.datafiles import (
        SAMPLE_DATASET,
        load_dataset,
        read_dataset,
    )
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
        Dataset,
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
        format_vnd,
        million,
    )
    from khuyencong.exceptions import (
        CoverageError,
        KhuyenCongError,
        NotConfiguredError,
        NotFoundError,
        ValidationError,
    )
    from khuyencong.indicators import (
        STANDARD_INDICATORS,
        Breakdown,
        Filter,
        RecordSet,
        compute,
        compute_standard,
        coverage,
    )
    from khuyencong.messages import (
        language,
        set_language,
    )
    from khuyencong.reports import (
        load_example,
    )
    from khuyencong.rules import (
        Advance,
        Amount,
        Application,
        BatchResult,
        Decision,
        RuleSet,
        award_levels,
        certificate_valid_until,
        check_award_entry,
        check_cooperative,
        check_eligibility,
        check_project_amounts,
        check_support_conditions,
        dossier_deadlines,
        evaluate_many,
        final_settlement_deadline,
        first_advance,
        monthly_report_deadline,
        ocop_score,
        ocop_stars,
        passes,
        settlement_deadline,
        sme_size_class,
        support_amount,
        support_level,
        total_score,
    )
    from khuyencong.storage import (
        open_store,
    )
    from khuyencong.units import (
        AdminUnit,
        MapId,
        UnitLevel,
        UnitRef,
        load_map,
        map_for,
        to_reform,
    )

_FROM: dict[str, tuple[str, ...]] = {
    "khuyencong.converters": (
        "dumps",
        "loads",
        "structure",
        "unstructure",
    ),
    "khuyencong.datafiles": (
        "SAMPLE_DATASET",
        "load_dataset",
        "read_dataset",
    ),
    "khuyencong.domain": (
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
        "Establishment",
        "FairKind",
        "FairParticipation",
        "Fund",
        "LegalForm",
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
        "format_vnd",
        "million",
    ),
    "khuyencong.exceptions": (
        "CoverageError",
        "KhuyenCongError",
        "NotConfiguredError",
        "NotFoundError",
        "ValidationError",
    ),
    "khuyencong.indicators": (
        "STANDARD_INDICATORS",
        "Breakdown",
        "Filter",
        "RecordSet",
        "compute",
        "compute_standard",
        "coverage",
    ),
    "khuyencong.messages": (
        "language",
        "set_language",
    ),
    "khuyencong.reports": ("load_example",),
    "khuyencong.rules": (
        "Advance",
        "Amount",
        "Application",
        "BatchResult",
        "Decision",
        "RuleSet",
        "award_levels",
        "certificate_valid_until",
        "check_award_entry",
        "check_cooperative",
        "check_eligibility",
        "check_project_amounts",
        "check_support_conditions",
        "dossier_deadlines",
        "evaluate_many",
        "final_settlement_deadline",
        "first_advance",
        "monthly_report_deadline",
        "ocop_score",
        "ocop_stars",
        "passes",
        "settlement_deadline",
        "sme_size_class",
        "support_amount",
        "support_level",
        "total_score",
    ),
    "khuyencong.storage": ("open_store",),
    "khuyencong.units": (
        "AdminUnit",
        "MapId",
        "UnitLevel",
        "UnitRef",
        "load_map",
        "map_for",
        "to_reform",
    ),
}

__all__ = [
    "SAMPLE_DATASET",
    "STANDARD_INDICATORS",
    "AdminUnit",
    "Advance",
    "Amount",
    "Application",
    "AreaDifficulty",
    "Artisan",
    "ArtisanTitle",
    "AwardEntry",
    "AwardLevel",
    "BatchResult",
    "Breakdown",
    "BudgetEnvelope",
    "BusinessSectorGroup",
    "Citation",
    "Confidence",
    "ContentGroup",
    "CoverageError",
    "CraftVillageClaim",
    "Dataset",
    "Decision",
    "Establishment",
    "FairKind",
    "FairParticipation",
    "Filter",
    "Fund",
    "KhuyenCongError",
    "LegalForm",
    "MapId",
    "NotConfiguredError",
    "NotFoundError",
    "OcopRating",
    "Period",
    "ProductGroup",
    "Project",
    "ProjectContent",
    "ProjectKind",
    "ProjectStatus",
    "RecordSet",
    "RuleSet",
    "Sector",
    "SizeClass",
    "SupportContent",
    "SupportRecord",
    "UnitLevel",
    "UnitRef",
    "ValidationError",
    "__version__",
    "award_levels",
    "certificate_valid_until",
    "check_award_entry",
    "check_cooperative",
    "check_eligibility",
    "check_project_amounts",
    "check_support_conditions",
    "compute",
    "compute_standard",
    "coverage",
    "dossier_deadlines",
    "dumps",
    "evaluate_many",
    "final_settlement_deadline",
    "first_advance",
    "format_vnd",
    "language",
    "load_dataset",
    "load_example",
    "load_map",
    "loads",
    "map_for",
    "million",
    "monthly_report_deadline",
    "ocop_score",
    "ocop_stars",
    "open_store",
    "passes",
    "read_dataset",
    "set_language",
    "settlement_deadline",
    "sme_size_class",
    "structure",
    "support_amount",
    "support_level",
    "to_reform",
    "total_score",
    "unstructure",
]

_LAZY = {name: module for module, names in _FROM.items() for name in names}
"""Each name of :data:`__all__` and the package it is loaded from on first use."""


def __getattr__(name: str) -> Any:
    """Load a name of :data:`__all__` from its package on first use (then it is cached here)."""
    if name == "__version__":
        # One place for the version: the project's metadata (pyproject.toml), read on first use.
        from importlib.metadata import version  # noqa: PLC0415

        globals()[name] = value = version("khuyencong")
        return value
    module = _LAZY.get(name)
    if module is None:
        msg = f"module 'khuyencong' has no attribute {name!r}"
        raise AttributeError(msg)
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The module's names, the lazily loaded ones included."""
    return sorted({*globals(), *__all__})
