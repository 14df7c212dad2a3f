"""Flat tables of domain objects, for notebooks and spreadsheets.

Any records (establishments, projects, support records, fair participations, award entries,
OCOP ratings, budget envelopes) become flat rows through the library's converter: nested
objects are spread into dotted columns (``location.map_id``, ``location.code``), lists are
joined with ``"; "`` (sectors, partners) or, for lists of objects (a project's contents),
written as JSON text. Money stays integer đồng and scores stay exact (as text in CSV).

:func:`dumps_records_csv` gives the rows as CSV text and :func:`write_records_csv` writes them
to a file or a text stream. A text cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return is written with a ``'`` in front, so that a spreadsheet program shows it as
text instead of running it as a formula (numbers are left alone); ``neutralise_formulas=False``
writes cells as they are.

>>> from khuyencong.datafiles import SAMPLE_DATASET, load_dataset
>>> rows = records_table(load_dataset(SAMPLE_DATASET).support_records)
>>> rows[0]["content"], rows[0]["local_amount"], rows[0]["location.code"]
('machinery', 200000000, '07525')
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from khuyencong._files import csv_text, write_text
from khuyencong.converters import unstructure
from khuyencong.exceptions import KhuyenCongError, MissingExtraError
from khuyencong.messages import text
from khuyencong.units import load_map

__all__ = ["dumps_records_csv", "records_dataframe", "records_table", "write_records_csv"]

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _flatten(prefix: str, value: object, row: dict[str, object]) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            _flatten(f"{prefix}.{key}" if prefix else str(key), inner, row)
    elif isinstance(value, list):
        if any(isinstance(v, dict | list) for v in value):
            row[prefix] = json.dumps(value, ensure_ascii=False)
        else:
            row[prefix] = "; ".join("" if v is None else str(v) for v in value)
    else:
        row[prefix] = value


def records_table(objects: Iterable[object]) -> list[dict[str, object]]:
    """One flat row (a dict) per object, with the same columns for every row.

    A nested object that is absent in one row (a record without a location) gives empty
    values in its columns, so that every row has every column, in first-seen order.
    """
    rows: list[dict[str, object]] = []
    columns: dict[str, None] = {}
    for obj in objects:
        row: dict[str, object] = {}
        _flatten("", unstructure(obj), row)
        rows.append(row)
        columns.update(dict.fromkeys(row))
    # A column seen only as "location": None in one row and "location.code" in another:
    # keep the dotted ones and drop the bare placeholder.
    dotted = {c.split(".", 1)[0] for c in columns if "." in c}
    names = [c for c in columns if c not in dotted]
    return [{c: row.get(c) for c in names} for row in rows]


def records_dataframe(objects: Iterable[object]) -> Any:
    """The objects as a pandas DataFrame (needs the ``pandas`` extra); date columns as dates.

    Beside each unit code (``location.code``) a column holds the unit's name in the language
    in force (``location.name``: ``Thị trấn Chũ`` / ``Chũ township``).

    Raises:
        MissingExtraError: If pandas is not installed (the message says how to install it).
    """
    try:
        import pandas as pd  # noqa: PLC0415 - optional extra, imported only when asked for
    except ImportError:
        raise MissingExtraError("pandas", text("common.missing_extra", extra="pandas")) from None
    frame = pd.DataFrame.from_records(records_table(objects))
    for column in frame.columns:
        values = frame[column].dropna()
        if len(values) and values.map(_is_iso_date).all():
            frame[column] = pd.to_datetime(frame[column])
    for column in list(frame.columns):
        prefix = column.removesuffix(".code")
        if prefix != column and f"{prefix}.map_id" in frame.columns:
            pairs = zip(frame[f"{prefix}.map_id"], frame[column], strict=True)
            names = [_unit_name(m, c) for m, c in pairs]
            frame.insert(frame.columns.get_loc(column) + 1, f"{prefix}.name", names)
    return frame


def _unit_name(map_id: object, code: object) -> str | None:
    """The name of a unit in the language in force (``None`` when there is none to name)."""
    if not isinstance(map_id, str) or not isinstance(code, str):
        return None
    try:
        return load_map(map_id).get(code).label()
    except (KhuyenCongError, ValueError):
        return None


def _is_iso_date(value: object) -> bool:
    return isinstance(value, str) and _ISO_DATE.fullmatch(value) is not None


def dumps_records_csv(objects: Iterable[object], *, neutralise_formulas: bool = True) -> str:
    """The objects as CSV text: a header, then one row per object (empty for no object).

    Args:
        objects: Any records.
        neutralise_formulas: Write a text cell beginning with ``=``, ``+``, ``-``, ``@``, a
            tab or a carriage return with a ``'`` in front, so that a spreadsheet program does
            not run it as a formula.

    >>> from khuyencong.datafiles import SAMPLE_DATASET, load_dataset
    >>> dumps_records_csv(load_dataset(SAMPLE_DATASET).support_records).splitlines()[0][:27]
    'id,establishment_id,content'
    """
    rows = records_table(objects)
    if not rows:
        return ""
    header: list[object] = list(rows[0])
    table = [header, *([row[str(c)] for c in header] for row in rows)]
    return csv_text(table, neutralise_formulas=neutralise_formulas)


def write_records_csv(
    objects: Iterable[object],
    target: str | Path | IO[str],
    *,
    neutralise_formulas: bool = True,
) -> None:
    """Write the objects as CSV: to a path in UTF-8 with a byte-order mark (for Excel), or to
    an open text stream as it is.

    Raises:
        FileWriteError: If the folder does not exist, or the file cannot be written.
    """
    content = dumps_records_csv(objects, neutralise_formulas=neutralise_formulas)
    write_text(target, content, encoding="utf-8-sig")
