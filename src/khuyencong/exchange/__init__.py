"""Data exchange: khuyencong data in the shapes of open data standards.

- :mod:`khuyencong.exchange.threesixty`: grants in the 360Giving data standard shape, written
  as JSON or CSV from approved projects and support records, and read back.

Every export validates against the standard's required fields before it writes, and every
reader reports every problem with its ``$.path``.
"""

from khuyencong.exchange.threesixty import (
    CSV_COLUMNS,
    CURRENCY,
    GEO_CODE_TYPE_PREFIX,
    REQUIRED_FIELDS,
    Grant,
    GrantProgramme,
    Organisation,
    dumps_csv,
    dumps_json,
    grant_to_threesixty,
    grants_from,
    read_csv,
    read_csv_text,
    read_json,
    read_json_text,
    required_field_problems,
    write_csv,
    write_json,
)

__all__ = [
    "CSV_COLUMNS",
    "CURRENCY",
    "GEO_CODE_TYPE_PREFIX",
    "REQUIRED_FIELDS",
    "Grant",
    "GrantProgramme",
    "Organisation",
    "dumps_csv",
    "dumps_json",
    "grant_to_threesixty",
    "grants_from",
    "read_csv",
    "read_csv_text",
    "read_json",
    "read_json_text",
    "required_field_problems",
    "write_csv",
    "write_json",
]
