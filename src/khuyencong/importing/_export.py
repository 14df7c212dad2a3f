"""Writing establishments and records back out as tables the importer reads.

:func:`table_rows` gives the header and one row per object, in the template's columns, so
that ``import_table(table_rows(objs, kind), kind)`` gives back the same objects;
:func:`dumps_csv` gives them as CSV text and :func:`write_csv` writes them to a file (UTF-8 with
a byte-order mark, so that Excel shows Vietnamese correctly) or to a text stream.

A text cell that a spreadsheet program would run as a formula (``=``, ``+``, ``-``, ``@``, a tab
or a carriage return first) is written with a ``'`` in front, and the importer takes it off
again, so a round trip gives back the original text; ``neutralise_formulas=False`` writes
cells as they are.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from khuyencong._arguments import Arguments
from khuyencong._files import csv_text, write_text
from khuyencong.importing._columns import CRAFT_VILLAGE_FIELDS
from khuyencong.importing._tables import ImportKind
from khuyencong.messages import Lang

__all__ = ["dumps_csv", "table_rows", "write_csv"]


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
    objects: Iterable[Any], kind: ImportKind | str, *, lang: Lang | None = None
) -> list[list[object]]:
    """The header and one row per object, in the columns of ``kind``.

    Headers are in ``lang`` (the language in force by default); cells are as the importer
    reads them (codes, ISO dates, whole numbers, ``yes``/``no``).

    >>> from khuyencong.datafiles import SAMPLE_DATASET, load_dataset
    >>> rows = table_rows(load_dataset(SAMPLE_DATASET).establishments, "establishments")
    >>> rows[0][:3], rows[1][0]
    (['Mã cơ sở', 'Tên cơ sở', 'Loại hình'], 'BG-HTX-001')

    Raises:
        ValidationError: If ``kind`` is not a kind of table, or ``objects`` are not of that kind.
    """
    kind = ImportKind(kind)
    args = Arguments()
    objects = args.each(objects, "objects", kind.cls)
    args.check()
    columns = [c for c in kind.columns if c.field not in {"commune", "district", "province"}]
    rows: list[list[object]] = [[c.header(lang) for c in columns]]
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


def dumps_csv(
    objects: Iterable[Any],
    kind: ImportKind | str,
    *,
    lang: Lang | None = None,
    neutralise_formulas: bool = True,
) -> str:
    """The objects as CSV text in the columns of ``kind``, which :func:`import_table` reads.

    Args:
        objects: Establishments, support records or fair participations.
        kind: What they are.
        lang: The language of the headers (the language in force by default).
        neutralise_formulas: Write a text cell beginning with ``=``, ``+``, ``-``, ``@``, a
            tab or a carriage return with a ``'`` in front (numbers are left alone), so that a
            spreadsheet program shows it as text instead of running it; the importer takes the
            quote off again.

    >>> from khuyencong.datafiles import SAMPLE_DATASET, load_dataset
    >>> text = dumps_csv(load_dataset(SAMPLE_DATASET).establishments, "establishments")
    >>> text.splitlines()[1][:30]
    'BG-HTX-001,Hợp tác xã Sản xuất'
    """
    rows = table_rows(objects, kind, lang=lang)
    return csv_text(rows, neutralise_formulas=neutralise_formulas)


def write_csv(
    objects: Iterable[Any],
    target: str | Path | IO[str],
    kind: ImportKind | str,
    *,
    lang: Lang | None = None,
    neutralise_formulas: bool = True,
) -> None:
    """Write the objects as a CSV table that :func:`import_table` reads back.

    A path is written in UTF-8 with a byte-order mark (so that Excel shows Vietnamese); a text
    stream gets the text of :func:`dumps_csv` as it is.

    Args:
        objects: Establishments, support records or fair participations.
        target: A path, or an open text stream.
        kind: What they are.
        lang: The language of the headers (the language in force by default).
        neutralise_formulas: As for :func:`dumps_csv`.

    Raises:
        FileWriteError: If the folder does not exist, or the file cannot be written.
    """
    content = dumps_csv(objects, kind, lang=lang, neutralise_formulas=neutralise_formulas)
    write_text(target, content, encoding="utf-8-sig")
