"""Importing CSV and Excel tables of establishments and records, with row-level errors.

:func:`import_table` validates every row of a file and reports every bad row with its row
number, column and reason; :func:`write_template` writes the Excel template whose columns it
reads. Excel needs the ``excel`` extra (``pip install "khuyencong[excel]"``); CSV needs nothing.
"""

from khuyencong.importing._columns import Column, parse_date
from khuyencong.importing._export import dumps_csv, table_rows, write_csv
from khuyencong.importing._problems import (
    ProblemGroup,
    dumps_problems,
    group_problems,
    write_problems,
)
from khuyencong.importing._reading import ErrorCell, ImportLimits, UnsavedFormula
from khuyencong.importing._tables import (
    ImportKind,
    RowProblem,
    TableColumns,
    TableImport,
    import_table,
    read_columns,
    read_rows,
)
from khuyencong.importing._template import write_template

__all__ = [
    "Column",
    "ErrorCell",
    "ImportKind",
    "ImportLimits",
    "ProblemGroup",
    "RowProblem",
    "TableColumns",
    "TableImport",
    "UnsavedFormula",
    "dumps_csv",
    "dumps_problems",
    "group_problems",
    "import_table",
    "parse_date",
    "read_columns",
    "read_rows",
    "table_rows",
    "write_csv",
    "write_problems",
    "write_template",
]
