"""The Excel import template: the columns :func:`~khuyencong.importing.import_table` reads.

The workbook has one sheet per importable kind (headers in Vietnamese, or English), drop-down
lists for every coded column, and a guide sheet describing each column in both languages.
Generated from the same column definitions the importer uses, so the two cannot disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from khuyencong.domain import Lang
from khuyencong.importing._tables import ImportKind, template_sheet_names

__all__ = ["write_template"]


def write_template(
    path: str | Path,
    kinds: Sequence[ImportKind | str] = tuple(ImportKind),
    *,
    lang: Lang = "vi",
) -> Path:
    """Write the Excel import template.

    Args:
        path: Where to write the ``.xlsx`` file.
        kinds: Which tables to include (all by default).
        lang: The language of the headers and the guide.

    Returns:
        The path written.

    Raises:
        ImportError: If openpyxl (the ``excel`` extra) is not installed.
    """
    try:
        from openpyxl import Workbook  # noqa: PLC0415 - optional extra
        from openpyxl.styles import Font  # noqa: PLC0415
        from openpyxl.worksheet.datavalidation import DataValidation  # noqa: PLC0415
    except ImportError as exc:  # pragma: no cover - the test extra installs openpyxl
        msg = "writing the Excel template needs the excel extra: pip install 'khuyencong[excel]'"
        raise ImportError(msg) from exc
    book: Any = Workbook()
    guide = book.active
    guide.title = "Huong dan" if lang == "vi" else "Guide"
    lists = book.create_sheet("Danh muc" if lang == "vi" else "Lists")
    lists.sheet_state = "hidden"
    guide.append(
        ["Bảng", "Cột", "Column", "Trường", "Bắt buộc", "Hướng dẫn", "Guidance", "Giá trị"]
        if lang == "vi"
        else ["Table", "Column", "Cột", "Field", "Required", "Guidance", "Hướng dẫn", "Values"]
    )
    bold = Font(bold=True)
    for cell in guide[1]:
        cell.font = bold
    list_col = 0
    for raw_kind in kinds:
        kind = ImportKind(raw_kind)
        title = template_sheet_names(kind)[0 if lang == "vi" else 1]
        ws = book.create_sheet(title)
        for i, col in enumerate(kind.columns, start=1):
            header = col.header_vi if lang == "vi" else col.header_en
            cell = ws.cell(row=1, column=i, value=header)
            cell.font = bold
            ws.column_dimensions[cell.column_letter].width = max(14, len(header) + 4)
            guide.append(
                [
                    title,
                    col.header_vi if lang == "vi" else col.header_en,
                    col.header_en if lang == "vi" else col.header_vi,
                    col.field,
                    ("có" if lang == "vi" else "yes") if col.required else "",
                    col.help_vi if lang == "vi" else col.help_en,
                    col.help_en if lang == "vi" else col.help_vi,
                    "; ".join(col.choices),
                ]
            )
            if col.choices:
                list_col += 1
                letter = lists.cell(row=1, column=list_col).column_letter
                for r, choice in enumerate(col.choices, start=1):
                    lists.cell(row=r, column=list_col, value=choice)
                ref = f"'{lists.title}'!${letter}$1:${letter}${len(col.choices)}"
                dv = DataValidation(type="list", formula1=ref, allow_blank=True)
                dv.add(f"{cell.column_letter}2:{cell.column_letter}5000")
                ws.add_data_validation(dv)
        ws.freeze_panes = "A2"
    for letter, width in zip("ABCDEFGH", (16, 30, 30, 22, 10, 50, 50, 60), strict=True):
        guide.column_dimensions[letter].width = width
    out = Path(path)
    book.save(out)
    return out
