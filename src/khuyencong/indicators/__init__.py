"""Outcome indicators: definitions, computation over records, coverage, ratios and targets.

An indicator is a definition (:class:`Indicator`) with explicit counting semantics: distinct
establishments, occurrences ("lượt"), persons, products, money or quantities; the date that
places a record in a period; and a filter. :func:`compute` evaluates one over a
:class:`~khuyencong.domain.Period` with any :class:`Breakdown`, against any
:class:`IndicatorSource` (the in-memory :class:`RecordSet`, or a store), and every figure lists
the records behind it.

>>> from khuyencong.domain import Period
>>> from khuyencong.indicators import STANDARD_INDICATORS, RecordSet, compute
>>> compute(STANDARD_INDICATORS["establishments_supported"], RecordSet(), Period.year(2020)).value
0
"""

from khuyencong.indicators._applications import EligibleSupport
from khuyencong.indicators._columnar import ColumnarSource
from khuyencong.indicators._engine import (
    compute,
    compute_standard,
    counterpart_ratio,
    coverage,
    disbursement_rate,
    key_label,
    project_size,
    sector_mix,
    unit_keys,
)
from khuyencong.indicators._memory import FILES, RecordSet
from khuyencong.indicators._model import (
    COLLECTIVE_CONTENTS,
    DATE_FIELDS,
    MEASURES,
    OPTIONAL_MEASURES,
    STANDARD_INDICATORS,
    Breakdown,
    Counting,
    DateField,
    Dimension,
    Filter,
    Indicator,
    Measure,
    RecordKind,
    Unit,
)
from khuyencong.indicators._results import (
    Coverage,
    Figure,
    IndicatorResult,
    ProjectSize,
    Ratio,
    SectorMix,
    Table,
    format_number,
    format_percent,
    format_value,
)
from khuyencong.indicators._source import (
    UNKNOWN_KEY,
    Aggregate,
    AggregateQuery,
    Cell,
    IndicatorSource,
)
from khuyencong.indicators._stores import source_for
from khuyencong.indicators._targets import (
    NOT_FROM_RECORDS,
    PROGRAMME_INDICATORS,
    Programme,
    ProgrammeStatus,
    Progress,
    Target,
    TargetProgress,
    TargetSet,
    load_programme,
    load_targets,
    national_programmes,
    national_progress,
    national_targets,
    progress,
    progress_of,
)

__all__ = [
    "COLLECTIVE_CONTENTS",
    "DATE_FIELDS",
    "FILES",
    "MEASURES",
    "NOT_FROM_RECORDS",
    "OPTIONAL_MEASURES",
    "PROGRAMME_INDICATORS",
    "STANDARD_INDICATORS",
    "UNKNOWN_KEY",
    "Aggregate",
    "AggregateQuery",
    "Breakdown",
    "Cell",
    "ColumnarSource",
    "Counting",
    "Coverage",
    "DateField",
    "Dimension",
    "EligibleSupport",
    "Figure",
    "Filter",
    "Indicator",
    "IndicatorResult",
    "IndicatorSource",
    "Measure",
    "Programme",
    "ProgrammeStatus",
    "Progress",
    "ProjectSize",
    "Ratio",
    "RecordKind",
    "RecordSet",
    "SectorMix",
    "Table",
    "Target",
    "TargetProgress",
    "TargetSet",
    "Unit",
    "compute",
    "compute_standard",
    "counterpart_ratio",
    "coverage",
    "disbursement_rate",
    "format_number",
    "format_percent",
    "format_value",
    "key_label",
    "load_programme",
    "load_targets",
    "national_programmes",
    "national_progress",
    "national_targets",
    "progress",
    "progress_of",
    "project_size",
    "sector_mix",
    "source_for",
    "unit_keys",
]
