"""Writing establishments and records back out as tables the importer reads.

:func:`table_rows` gives the header and one row per object, in the template's columns, so
that ``import_table(table_rows(objs, kind), kind)`` gives back the same objects; :func:`write_csv`
writes them as UTF-8 CSV (with a byte-order mark, so that Excel shows Vietnamese correctly).
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from khuyencong.domain import Lang
from khuyencong.importing._columns import CRAFT_VILLAGE_FIELDS
from khuyencong.importing._tables import ImportKind

__all__ = ["table_rows", "write_csv"]


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple):
        return "; ".join(str(_cell(v)) for v in value)
    return value


def table_rows(
    objects: Iterable[Any], kind: ImportKind | str, *, lang: Lang = "vi"
) -> list[list[object]]:
    """The header and one row per object, in the columns of ``kind``.

    >>> from khuyencong.datafiles import SAMPLE_DATASET, load_dataset
    >>> rows = table_rows(load_dataset(SAMPLE_DATASET).establishments, "establishments")
    >>> rows[0][:3], rows[1][0]
    (['Mã cơ sở', 'Tên cơ sở', 'Loại hình'], 'BG-HTX-001')
    """
    kind = ImportKind(kind)
    columns = [c for c in kind.columns if c.field not in {"commune", "district", "province"}]
    rows: list[list[object]] = [[c.header_vi if lang == "vi" else c.header_en for c in columns]]
    for obj in objects:
        row: list[object] = []
        for col in columns:
            if col.field in {"unit_code", "map_id"}:
                ref = obj.location
                value: object = (
                    None if ref is None else getattr(ref, col.field.removeprefix("unit_"))
                )
            elif col.field in CRAFT_VILLAGE_FIELDS:
                claim = obj.craft_village
                value = None if claim is None else getattr(claim, CRAFT_VILLAGE_FIELDS[col.field])
            else:
                value = getattr(obj, col.field)
            row.append(_cell(value))
        rows.append(row)
    return rows


def write_csv(
    path: str | Path, objects: Iterable[Any], kind: ImportKind | str, *, lang: Lang = "vi"
) -> Path:
    """Write objects as a UTF-8 CSV table that :func:`import_table` reads back."""
    out = Path(path)
    with out.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(table_rows(objects, kind, lang=lang))
    return out
