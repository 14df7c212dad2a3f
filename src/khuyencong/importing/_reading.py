"""Reading the rows of a CSV or Excel file, within limits, and refusing what cannot be read.

A file that arrives through a web form may be mistaken or hostile: a workbook that unpacks to
gigabytes (a few shared strings repeated a million times compress to almost nothing), a sheet
whose ``<dimension>`` tag hides most of its rows, a CSV cell of a million characters, XML that
declares entities. :func:`read_rows` checks a file against :class:`ImportLimits` *before*
reading it (its size on disk, the size and the compression ratio of every part of a workbook,
no document type declaration in any part), then reads every row whatever the workbook's own
tags say, checking the number of rows, of columns and the length of every cell as it goes.

Whatever goes wrong with the file itself raises :class:`~khuyencong.exceptions.FileFormatError`
(or :class:`~khuyencong.exceptions.InputLimitError`, when a limit is reached), naming the file,
and the row when there is one. Rows that are merely invalid are not its business: that is
:func:`~khuyencong.importing.import_table`'s.

>>> ImportLimits().max_rows
200000
>>> ImportLimits(max_rows=0)
Traceback (most recent call last):
khuyencong.exceptions.ValidationError: $.max_rows: ...
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import io
import itertools
import re
import warnings
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from operator import methodcaller
from pathlib import Path
from typing import Any, Literal

import attrs

from khuyencong._files import restore_formula
from khuyencong.exceptions import (
    FileFormatError,
    InputLimitError,
    KhuyenCongError,
    MissingExtraError,
    Problem,
    ValidationError,
)
from khuyencong.messages import text
from khuyencong.units import fold

__all__ = [
    "CSV_FIELD_LIMIT",
    "EXCEL_ERRORS",
    "ErrorCell",
    "ImportLimits",
    "PlainTable",
    "UnsavedFormula",
    "check_rows",
    "load_openpyxl",
    "read_plain_csv",
    "read_table_file",
]

CSV_FIELD_LIMIT = 131_072
"""The longest CSV cell Python's ``csv`` module reads; ``max_cell_chars`` may not exceed it."""

_MiB = 1024 * 1024


def _positive(maximum: int) -> Any:
    def check(_: object, attribute: attrs.Attribute[int], value: int) -> None:
        if type(value) is not int or not 0 < value <= maximum:
            if maximum == _NO_MAXIMUM:
                message = text("importing.limit.positive", name=attribute.name)
            else:
                message = text(
                    "importing.limit.invalid", name=attribute.name, maximum=_count(maximum)
                )
            raise ValidationError.single(f"$.{attribute.name}", value, message)

    return check


_NO_MAXIMUM = 2**63


@attrs.frozen
class ImportLimits:
    """How much of a file the importer reads before it refuses the file.

    The defaults let through any real table of a provincial centre — 200,000 rows is several
    times the records a province keeps in a decade, 32,767 characters is what one Excel cell
    holds — and refuse, before reading far, files made to exhaust a server's memory. Raise a
    limit for a known large file; lower them for uploads from the public.

    Attributes:
        max_file_bytes: The largest file read, in bytes (64 MiB).
        max_unpacked_bytes: The largest total of a workbook's unpacked parts, in bytes
            (512 MiB; a workbook is a zip archive of XML parts).
        max_compression_ratio: How many times a workbook part larger than 1 MiB may grow when
            unpacked (100; real workbooks compress 5 to 20 times, a "zip bomb" thousands).
        max_rows: The highest row number read, the header included (200,000).
        max_columns: The most columns a row may fill (500).
        max_cell_chars: The longest cell, in characters (32,767, Excel's own limit; at most
            131,072, the limit of Python's CSV reader).

    Raises:
        ValidationError: If a limit is not a positive whole number (or ``max_cell_chars`` is
            over 131,072).
    """

    max_file_bytes: int = attrs.field(default=64 * _MiB, validator=_positive(_NO_MAXIMUM))
    max_unpacked_bytes: int = attrs.field(default=512 * _MiB, validator=_positive(_NO_MAXIMUM))
    max_compression_ratio: int = attrs.field(default=100, validator=_positive(_NO_MAXIMUM))
    max_rows: int = attrs.field(default=200_000, validator=_positive(_NO_MAXIMUM))
    max_columns: int = attrs.field(default=500, validator=_positive(_NO_MAXIMUM))
    max_cell_chars: int = attrs.field(default=32_767, validator=_positive(CSV_FIELD_LIMIT))


@attrs.frozen
class UnsavedFormula:
    """A workbook cell holding a formula whose result the file does not keep.

    Excel saves the result of every formula beside it; files written by other programs (or by
    scripts) may not, and the result is then unknown until a spreadsheet program recalculates
    it. :func:`~khuyencong.importing.import_table` reports such a cell as a problem of its row
    rather than reading it as empty.

    Attributes:
        formula: The formula, as the file holds it (``=B2*1000``).
    """

    formula: str


EXCEL_ERRORS = frozenset(
    {
        "#NULL!",
        "#DIV/0!",
        "#VALUE!",
        "#REF!",
        "#NAME?",
        "#NUM!",
        "#N/A",
        "#GETTING_DATA",
        "#SPILL!",
        "#CALC!",
        "#FIELD!",
        "#BLOCKED!",
        "#CONNECT!",
        "#BUSY!",
        "#UNKNOWN!",
        "#EXTERNAL!",
        "#PYTHON!",
    }
)
"""The error values a spreadsheet shows in a cell (``#N/A``, ``#REF!`` …): in a workbook, an
error cell or a formula's saved result; in a CSV, what was saved from one."""


@attrs.frozen
class ErrorCell:
    """A cell holding a spreadsheet's error value instead of a value.

    A formula that failed (``=VLOOKUP(…)`` finding nothing, a deleted reference, a division by
    zero) leaves its error in the cell, and a CSV saved from the sheet keeps its text.
    :func:`~khuyencong.importing.import_table` reports such a cell as a problem of its row
    rather than reading ``#N/A`` as a name or an id.

    Attributes:
        code: The error value (``#N/A``, ``#REF!``, ``#DIV/0!`` …).
    """

    code: str


Rows = list[tuple[int, list[object]]]


def read_table_file(
    path: Path, *, sheet: str | None, sheet_names: Sequence[str], limits: ImportLimits
) -> Rows:
    """The non-blank rows of a ``.csv`` or ``.xlsx``/``.xlsm`` file, each with its number.

    Args:
        path: The file.
        sheet: The worksheet to read in a workbook (``None``: the first of ``sheet_names`` the
            workbook has, else its first sheet).
        sheet_names: Worksheet names to look for when ``sheet`` is ``None``, compared without
            case or diacritics.
        limits: What to refuse.

    Raises:
        FileFormatError: If the file cannot be read.
        InputLimitError: If it goes over a limit.
        MissingExtraError: For a workbook, when openpyxl is not installed.
        OSError: If the file cannot be opened.
    """
    size = path.stat().st_size
    label = str(path)
    if size > limits.max_file_bytes:
        raise _limit(label, "$", "max_file_bytes", limits.max_file_bytes, size, key="file_bytes")
    if path.suffix.lower() in _WORKBOOKS:
        return _read_workbook(path, label, sheet, sheet_names, limits)
    return _read_csv(path.read_bytes(), label, limits)


def _limit(
    source: str,
    where: str,
    limit: str,
    maximum: int,
    found: int | None,
    *,
    key: str,
    **extra: str,
) -> InputLimitError:
    message = text(
        f"importing.limit.{key}",
        maximum=_count(maximum),
        found="?" if found is None else _count(found),
        **extra,
    )
    problem = Problem(where, message)
    return InputLimitError([problem], source=source, limit=limit, maximum=maximum, found=found)


def _count(number: int) -> str:
    """A whole number with the reader's thousands separator (``64.000`` or ``64,000``)."""
    return f"{number:,}".replace(",", text("importing.thousands_separator"))


def _row(number: int) -> str:
    return text("importing.where.row", row=number)


def _row_column(number: int, column: int) -> str:
    return text("importing.where.row_column", row=number, column=column)


class _RowChecker:
    """Checks each row against the limits and turns its cells into the importer's values."""

    def __init__(self, label: str, limits: ImportLimits, *, restore: bool = True) -> None:
        self.label = label
        self.limits = limits
        self.restore = restore

    def _as_they_are(self, values: Sequence[object], *, texts: bool) -> bool:
        """Whether the cells are the values as they are: texts (``texts``: known to be, as a
        CSV reader's are) within the length limit, none a spreadsheet error or starting with a
        quote. A NUL inside a cell may make it say no where the answer is yes, never the other
        way round."""
        if not texts and not all(v.__class__ is str for v in values):
            return False
        cells: Sequence[str] = values  # type: ignore[assignment]  # all texts (checked above)
        if max(map(len, cells)) > self.limits.max_cell_chars:
            return False
        joined = "\x00".join(cells)  # one search for every cell's first character
        return (
            not joined.startswith("'")
            and "\x00'" not in joined
            and ("#" not in joined or EXCEL_ERRORS.isdisjoint(cells))
        )

    def cells(
        self, number: int, values: Sequence[object], *, texts: bool = False, plain: bool = False
    ) -> list[object] | None:
        """The row's cells (``""`` for an empty one), or ``None`` for a blank row; ``texts``:
        every value is a text (a CSV reader's row); ``plain``: a CSV reader's row (a list) of
        texts none of which starts with a quote or a hash (known of the whole file: see
        :func:`_read_csv`)."""
        if number > self.limits.max_rows:
            maximum = self.limits.max_rows
            raise _limit(self.label, _row(number), "max_rows", maximum, None, key="rows")
        width = len(values)
        while width and (values[width - 1] is None or values[width - 1] == ""):
            width -= 1
        if not width:
            return None
        if width > self.limits.max_columns:
            maximum = self.limits.max_columns
            raise _limit(self.label, _row(number), "max_columns", maximum, width, key="columns")
        if plain:
            cells_: list[str] = values[:width]  # type: ignore[assignment]  # a CSV row's texts
            if max(map(len, cells_)) <= self.limits.max_cell_chars:
                return cells_  # type: ignore[return-value]  # a list (a CSV row's slice)
        elif self._as_they_are(values[:width], texts=texts):
            return list(values[:width])
        cells: list[object] = []
        for i in range(width):
            value = values[i]
            if value is None:
                value = ""
            elif isinstance(value, str):
                if len(value) > self.limits.max_cell_chars:
                    where = _row_column(number, i + 1)
                    maximum = self.limits.max_cell_chars
                    raise _limit(
                        self.label, where, "max_cell_chars", maximum, len(value), key="cell_chars"
                    )
                if value in EXCEL_ERRORS:
                    value = ErrorCell(value)
                elif self.restore:
                    value = restore_formula(value)
            cells.append(value)
        return cells


def check_rows(rows: Iterable[Sequence[object]], limits: ImportLimits) -> Rows:
    """Rows already in memory, numbered from 1, checked against ``limits``; blank rows left out.

    Their text is taken as given: only the library's file readers take off the quote that the
    library's CSV writers put before a formula's first character.
    """
    check = _RowChecker("<rows>", limits, restore=False)
    found: Rows = []
    for number, row in enumerate(rows, start=1):
        cells = check.cells(number, list(row))
        if cells is not None:
            found.append((number, cells))
    return found


# --- CSV --------------------------------------------------------------------------------------


def _sniffed(content: str) -> Any:
    """The CSV dialect a file's first lines show (Excel's when they show none)."""
    try:
        return csv.Sniffer().sniff(content[:4096], delimiters=",;\t")
    except csv.Error:
        return csv.excel


def _csv_reader(content: str, dialect: Any = None) -> Any:
    """The CSV reader of a file's text, in ``dialect`` (by default the one its first lines
    show)."""
    if dialect is None:
        dialect = _sniffed(content)
    # newline="" leaves line ends to the CSV reader: a quoted cell keeps its own, and a file
    # with old Mac line ends (a lone CR) is read as rows, not refused.
    return csv.reader(io.StringIO(content, newline=""), dialect)


PlainTable = tuple[list[str], list[Sequence[str]]]
"""A plain CSV file's header and its data rows' cells, column by column (every column as long
as the data rows; a row shorter than the widest has empty cells at its end)."""


def read_plain_csv(path: Path, limits: ImportLimits) -> PlainTable | None:
    """The header and the columns of the non-blank records of a CSV file whose every cell is a
    text as it is (no quote or hash in the file) and within every limit, decided for the whole
    file at once; ``None`` for any other file (:func:`read_table_file` then reads it, or says
    what is wrong).

    The cells are the CSV reader's, untrimmed. A file whose lines all hold the header's number
    of cells, with no quote character, carriage return (but in a line end) or NUL, is split
    by its delimiter and its lines (what the CSV reader does with such a file), the columns
    sliced from one list of every cell; any other file goes through the CSV reader.
    """
    if path.suffix.lower() in _WORKBOOKS or path.stat().st_size > limits.max_file_bytes:
        return None
    try:
        content = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    if "'" in content or "#" in content:
        return None
    dialect = _sniffed(content)
    table = _split_plain(content, dialect, limits)
    return _read_plain(content, dialect, limits) if table is False else table


def _read_plain(content: str, dialect: Any, limits: ImportLimits) -> PlainTable | None:
    """:func:`read_plain_csv`'s answer for a file's text, through the CSV reader."""
    try:
        records = list(_csv_reader(content, dialect))
    except csv.Error:
        return None
    if len(records) > limits.max_rows or not records:
        return None
    if max(map(len, records)) > limits.max_columns:
        return None
    if max(map(len, itertools.chain.from_iterable(records)), default=0) > limits.max_cell_chars:
        return None
    # Blank records: no cell, or only empty cells and spaces (every cell joined, stripped).
    records = list(itertools.compress(records, map(str.strip, map("".join, records))))
    if not records:
        return None
    header = records[0]
    del records[0]
    columns: list[Sequence[str]] = list(itertools.zip_longest(*records, fillvalue=""))
    return header, columns


def _split_plain(
    content: str, dialect: Any, limits: ImportLimits
) -> PlainTable | Literal[False] | None:
    """:func:`read_plain_csv`'s answer for a file split without the CSV reader, or ``False``
    when the file needs the reader (a quote character, a lone carriage return, a NUL, spaces
    skipped after a delimiter, a blank line, lines of different widths, no data row)."""
    if (
        dialect.skipinitialspace
        or dialect.escapechar is not None
        or (dialect.quotechar or '"') in content
        or "\0" in content
    ):
        return False
    content = content.replace("\r\n", "\n")
    if "\r" in content:
        return False
    if content.endswith("\n"):  # the last line's end
        content = content[:-1]
    lines = content.split("\n")  # one record a line, as the reader reads them
    if len(lines) > limits.max_rows:
        return None
    if len(lines) < 2:  # no data row
        return False
    delimiter: str = dialect.delimiter
    width = lines[0].count(delimiter) + 1
    if width > limits.max_columns:
        return None
    if set(map(methodcaller("count", delimiter), lines)) != {width - 1}:
        return False
    cells = content.replace("\n", delimiter).split(delimiter)  # width cells a line
    # A blank line (no cell, or only empty cells and spaces) is left out by the reader's path.
    # A line whose first cell holds more than spaces is not blank: when every line's does (an
    # id column), that is known from one column; else each line is looked at whole.
    if not all(map(str.strip, cells[::width])) and not all(
        map(str.strip, map(methodcaller("replace", delimiter, ""), lines))
    ):
        return False
    # No cell is longer than its line: the cells are measured only when a line is too long.
    too_long = max(map(len, lines)) > limits.max_cell_chars
    if too_long and max(map(len, cells)) > limits.max_cell_chars:
        return None
    return cells[:width], [cells[width + i :: width] for i in range(width)]


_WORKBOOKS = frozenset({".xlsx", ".xlsm"})
"""The files :func:`read_table_file` reads as workbooks."""


def _read_csv(data: bytes, label: str, limits: ImportLimits) -> Rows:
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileFormatError.at(label, "$", text("importing.not_utf8", offset=exc.start)) from None
    reader = _csv_reader(content)
    check = _RowChecker(label, limits)
    # A file without a quote or a hash has no cell starting with either (no protected formula,
    # no spreadsheet error): known once for the whole file, not cell by cell.
    plain = "'" not in content and "#" not in content
    rows: Rows = []
    number = 0
    try:
        for number, row in enumerate(reader, start=1):
            cells = check.cells(number, row, texts=True, plain=plain)
            if cells is not None:
                rows.append((number, cells))
    except csv.Error as exc:
        where = _row(number + 1)
        if "field larger than field limit" in str(exc):
            raise _limit(
                label, where, "max_cell_chars", limits.max_cell_chars, None, key="cell_chars"
            ) from None
        raise FileFormatError.at(label, where, text("importing.bad_csv", reason=str(exc))) from None
    return rows


# --- Excel -------------------------------------------------------------------------------------


def load_openpyxl() -> Any:
    """The openpyxl module, or the library's error naming the extra that installs it."""
    try:
        import openpyxl  # noqa: PLC0415 - an optional extra, imported only for Excel files
    except ImportError as exc:
        raise MissingExtraError("excel", text("common.missing_extra", extra="excel")) from exc
    return openpyxl


_XML_PART = re.compile(r"\.(xml|rels|vml)$", re.IGNORECASE)
_ELEMENT_START = re.compile(r"<[A-Za-z_:]")
_PROLOG_LIMIT = _MiB  # a real part's prolog (declaration, comments) is a few hundred bytes
_RATIO_FLOOR = _MiB  # parts smaller than this cannot exhaust anything, whatever their ratio


def _check_archive(path: Path, label: str, limits: ImportLimits) -> list[str]:
    """Check a workbook's parts before any is parsed; returns the sheet names it lists."""
    try:
        archive = zipfile.ZipFile(path)
    except Exception as exc:  # BadZipFile, and whatever a damaged directory makes zipfile raise
        reason = f"{type(exc).__name__}: {exc}"
        raise FileFormatError.at(
            label, "$", text("importing.not_workbook", reason=reason)
        ) from None
    with archive:
        infos = archive.infolist()
        unpacked = sum(info.file_size for info in infos)
        if unpacked > limits.max_unpacked_bytes:
            maximum = limits.max_unpacked_bytes
            raise _limit(label, "$", "max_unpacked_bytes", maximum, unpacked, key="unpacked_bytes")
        for info in infos:
            floor = max(_RATIO_FLOOR, limits.max_compression_ratio * max(info.compress_size, 1))
            if info.file_size > floor:
                ratio = info.file_size // max(info.compress_size, 1)
                raise _limit(
                    label,
                    "$",
                    "max_compression_ratio",
                    limits.max_compression_ratio,
                    ratio,
                    key="compression_ratio",
                    member=info.filename,
                )
        try:
            for info in infos:
                if _XML_PART.search(info.filename):
                    _refuse_doctype(archive, info.filename, label)
            return _listed_sheets(archive)
        except KhuyenCongError:
            raise
        except Exception as exc:  # a damaged part: zlib.error, a bad CRC, an unknown method
            reason = f"{type(exc).__name__}: {exc}"
            raise FileFormatError.at(
                label, "$", text("importing.not_workbook", reason=reason)
            ) from None


def _refuse_doctype(archive: zipfile.ZipFile, member: str, label: str) -> None:
    """Refuse a part whose prolog declares a document type (the door to entity expansion).

    Only the prolog is read: a DTD can only come before the first element.
    """
    with archive.open(member) as stream:
        head = stream.read(4)
        encoding = (
            "utf-16" if head[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in head else "utf-8"
        )
        decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        prolog = decoder.decode(head)
        while len(prolog) < _PROLOG_LIMIT:
            if "<!DOCTYPE" in prolog or "<!ENTITY" in prolog:
                raise FileFormatError.at(label, "$", text("importing.doctype", member=member))
            # Comments and processing instructions start with "<!" and "<?"; an element with
            # a letter. Nothing after the first element can declare a document type.
            if _ELEMENT_START.search(prolog):
                return
            chunk = stream.read(4096)
            if not chunk:
                return
            prolog += decoder.decode(chunk)
    raise FileFormatError.at(label, "$", text("importing.doctype", member=member))


def _listed_sheets(archive: zipfile.ZipFile) -> list[str]:
    """The worksheet names ``xl/workbook.xml`` lists (empty when the part is elsewhere)."""
    if "xl/workbook.xml" not in archive.namelist():
        return []
    root = ET.fromstring(archive.read("xl/workbook.xml"))  # noqa: S314 - no DTD (checked above)
    return [e.get("name", "") for e in root.iter() if str(e.tag).rsplit("}", 1)[-1] == "sheet"]


def _read_workbook(
    path: Path, label: str, sheet: str | None, sheet_names: Sequence[str], limits: ImportLimits
) -> Rows:
    openpyxl = load_openpyxl()
    listed = _check_archive(path, label, limits)
    with warnings.catch_warnings():
        # openpyxl warns of features it drops (extensions, styles) and of bad dates, which it
        # reads as errors that the importer then reports; none is the caller's business.
        warnings.simplefilter("ignore")
        with _opened(openpyxl, path, label, data_only=False) as book:
            title = _choose_sheet(book, label, sheet, sheet_names, listed)
            rows, formulas = _read_sheet(book[title], label, limits)
        if formulas:
            # The first reading saw formulas; a second one reads the results the file saved.
            with _opened(openpyxl, path, label, data_only=True) as book:
                _read_results(book[title], label, limits, formulas)
    return rows


@contextlib.contextmanager
def _opened(openpyxl: Any, path: Path, label: str, *, data_only: bool) -> Iterator[Any]:
    """The workbook read-only, its file closed on the way out whatever happened.

    The file is opened here, not by openpyxl: when openpyxl fails on a damaged workbook it
    leaves its archive open, to be closed by the garbage collector (in any order, so the file
    could be finalised first: a ``ResourceWarning``, and a descriptor held until then).
    """
    with path.open("rb") as stream:
        try:
            book = openpyxl.load_workbook(stream, read_only=True, data_only=data_only)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            reason = f"{type(exc).__name__}: {exc}"
            raise FileFormatError.at(
                label, "$", text("importing.not_workbook", reason=reason)
            ) from None
        try:
            yield book
        finally:
            book.close()


def _choose_sheet(
    book: Any, label: str, sheet: str | None, sheet_names: Sequence[str], listed: Sequence[str]
) -> str:
    present = list(book.sheetnames)
    missing = [name for name in listed if name not in present]
    if missing or not present:
        reason = ", ".join(repr(name) for name in missing) or "—"
        message = text("importing.not_workbook", reason=f"missing worksheet {reason}")
        raise FileFormatError.at(label, "$", message)
    if sheet is None:
        wanted = {fold(name) for name in sheet_names}
        sheet = next((name for name in present if fold(name) in wanted), present[0])
    if sheet not in present:
        message = text("importing.no_sheet", sheets=", ".join(present))
        raise FileFormatError.at(label, "$", message, sheet)
    return sheet


_PLAIN = (str, int, float, bool, dt.datetime, dt.date, dt.time, dt.timedelta, type(None))


def _is_formula(value: object) -> bool:
    # A formula read without its result: text "=…" (or array and table formulas, objects).
    return (isinstance(value, str) and value.startswith("=")) or not isinstance(value, _PLAIN)


def _read_sheet(
    ws: Any, label: str, limits: ImportLimits
) -> tuple[Rows, dict[int, tuple[list[object], list[int]]]]:
    """Every non-blank row of a sheet, and where formulas are (row → its cells, columns)."""
    check = _RowChecker(label, limits)
    rows: Rows = []
    formulas: dict[int, tuple[list[object], list[int]]] = {}
    number = 0
    try:
        # A read-only sheet trusts the <dimension> tag the saving program wrote, which may be
        # wrong (or forged): forget it and read every row there is.
        ws.reset_dimensions()
        for number, values in enumerate(
            ws.iter_rows(min_row=1, min_col=1, values_only=True), start=1
        ):
            columns = [i for i, v in enumerate(values) if _is_formula(v)]
            if not columns:
                cells = check.cells(number, values)
            else:
                cells = check.cells(number, [None if _is_formula(v) else v for v in values])
                cells = cells or []
                cells.extend([""] * (max(columns) + 1 - len(cells)))
                for i in columns:  # until the second reading finds the saved results
                    cells[i] = UnsavedFormula(_formula_text(values[i]))
                formulas[number] = (cells, columns)
            if cells is not None:
                rows.append((number, cells))
    except KhuyenCongError:
        raise
    except Exception as exc:  # a damaged sheet fails in openpyxl or in expat
        raise _damaged(label, ws.title, number + 1, exc) from None
    return rows, formulas


def _formula_text(value: object) -> str:
    text_ = getattr(value, "text", value)  # ArrayFormula and DataTableFormula keep it in .text
    return str(text_)


def _read_results(
    ws: Any, label: str, limits: ImportLimits, formulas: dict[int, tuple[list[object], list[int]]]
) -> None:
    """Put the saved result of each formula in its cell; a formula without one stays unsaved."""
    check = _RowChecker(label, limits)
    last = max(formulas)
    number = 0
    try:
        ws.reset_dimensions()
        for number, values in enumerate(
            ws.iter_rows(min_row=1, min_col=1, max_row=last, values_only=True), start=1
        ):
            if number not in formulas:
                continue
            cells, columns = formulas[number]
            results = check.cells(number, values) or []
            for i in columns:
                result = results[i] if i < len(results) else ""
                if result != "":
                    cells[i] = result
    except KhuyenCongError:
        raise
    except Exception as exc:
        raise _damaged(label, ws.title, number + 1, exc) from None


def _damaged(label: str, sheet: str, number: int, exc: Exception) -> FileFormatError:
    reason = f"{type(exc).__name__}: {exc}"
    message = text("importing.damaged_sheet", sheet=repr(sheet), row=number, reason=reason)
    return FileFormatError.at(label, _row(number), message)
