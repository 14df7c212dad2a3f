"""The Excel import template: the columns :func:`~khuyencong.importing.import_table` reads.

The workbook has one sheet per importable kind (headers in Vietnamese, or English), drop-down
lists for every coded column, and a guide sheet describing each column in both languages.
Generated from the same column definitions the importer uses, so the two cannot disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from khuyencong._arguments import Arguments
from khuyencong._files import output_path, write_failed
from khuyencong.importing._reading import load_openpyxl
from khuyencong.importing._tables import ImportKind, template_sheet_names
from khuyencong.messages import LANGS, Lang, resolve_language, text

__all__ = ["write_template"]


def write_template(
    path: str | Path,
    kinds: Sequence[ImportKind | str] = tuple(ImportKind),
    *,
    lang: Lang | None = None,
) -> Path:
    """Write the Excel import template.

    Args:
        path: Where to write the ``.xlsx`` file.
        kinds: Which tables to include (all by default).
        lang: The language of the headers and the guide (the language in force by default).

    Returns:
        The path written.

    Raises:
        FileWriteError: If the folder does not exist, or the file cannot be written.
        MissingExtraError: If openpyxl (the ``excel`` extra) is not installed.
        ValidationError: If ``path`` is not a path, or ``kinds`` not kinds of table.
    """
    args = Arguments()
    args.path(path, "path")
    kinds = [ImportKind(k) for k in args.each(kinds, "kinds", ImportKind, str)]
    args.check()
    openpyxl = load_openpyxl()
    from openpyxl.styles import Font  # noqa: PLC0415 - optional extra
    from openpyxl.worksheet.datavalidation import DataValidation  # noqa: PLC0415

    out = output_path(path)
    lang = resolve_language(lang)
    side = LANGS.index(lang)
    other = LANGS[1 - side]
    book: Any = openpyxl.Workbook()
    guide = book.active
    guide.title = text("importing.sheet.guide", lang)
    lists = book.create_sheet(text("importing.sheet.lists", lang))
    lists.sheet_state = "hidden"
    guide.append(
        [
            text("importing.template.table", lang),
            text("importing.template.column", lang),
            text("importing.template.column", other),
            text("importing.template.field", lang),
            text("importing.template.required", lang),
            text("importing.template.guidance", lang),
            text("importing.template.guidance", other),
            text("importing.template.values", lang),
        ]
    )
    bold = Font(bold=True)
    for cell in guide[1]:
        cell.font = bold
    list_col = 0
    for raw_kind in kinds:
        kind = ImportKind(raw_kind)
        title = template_sheet_names(kind)[side]
        ws = book.create_sheet(title)
        for i, col in enumerate(kind.columns, start=1):
            header = col.header(lang)
            cell = ws.cell(row=1, column=i, value=header)
            cell.font = bold
            ws.column_dimensions[cell.column_letter].width = max(14, len(header) + 4)
            guide.append(
                [
                    title,
                    header,
                    col.header(other),
                    col.field,
                    text("importing.template.yes", lang) if col.required else "",
                    col.help(lang),
                    col.help(other),
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
    try:
        book.save(out)
    except OSError as exc:
        raise write_failed(out, exc) from exc
    return out
