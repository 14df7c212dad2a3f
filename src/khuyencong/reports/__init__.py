"""Reports: the outcome report of a phase in Vietnamese (default) or English, Markdown or HTML.

A report computes the standard indicators (:mod:`khuyencong.indicators`) over a source and
writes a narrative paragraph per section in the style of a provincial centre's report, with the
indicator tables and, when matplotlib is installed, charts.

>>> from khuyencong.reports import demo_report
>>> print(demo_report("en").splitlines()[0])
# Industrial promotion support to cooperatives in Bắc Giang province
"""

from khuyencong.reports._charts import bar_chart, charts_available
from khuyencong.reports._example import (
    EXAMPLES,
    demo_report,
    example_path,
    load_example,
    load_folder_targets,
    load_report_config,
)
from khuyencong.reports._report import Report, ReportConfig, Section, build_report, target_actual

__all__ = [
    "EXAMPLES",
    "Report",
    "ReportConfig",
    "Section",
    "bar_chart",
    "build_report",
    "charts_available",
    "demo_report",
    "example_path",
    "load_example",
    "load_folder_targets",
    "load_report_config",
    "target_actual",
]
