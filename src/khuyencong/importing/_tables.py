"""Reading CSV and Excel tables of establishments and records, with row-level errors.

:func:`import_table` reads a ``.csv`` or ``.xlsx`` file (or rows already in memory), validates
every row, and returns a :class:`TableImport` holding the valid objects and every problem,
each with its row number (as the spreadsheet numbers it), its column (as the file names it)
and the reason. Nothing is written anywhere: storing the valid rows, or refusing the whole
file when any row is bad, is the caller's decision (the ``khuyencong import`` command refuses
by default).

>>> rows = [
...     ["Mã cơ sở", "Tên cơ sở", "Loại hình", "Ngành nghề", "Mã đơn vị hành chính", "Số lao động"],
...     ["HTX-1", "HTX Mỳ Chũ", "Hợp tác xã", "agro_food_processing", "07525", "12"],
...     ["HTX-2", "HTX Gà đồi", "cooperative", "handicrafts", "07243", "-4"],
... ]
>>> result = import_table(rows, "establishments", default_map="2021-11")
>>> len(result.objects), [str(p) for p in result.problems]
(1, ["dòng 3, cột 'Số lao động': không được là số âm (giá trị: -4)"])

Messages are in the language in force (:mod:`khuyencong.messages`); the domain's own rules
(here: a headcount is never negative) speak English for now.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Container, Iterable, Sequence
from pathlib import Path
from typing import Any

import attrs

from khuyencong._arguments import Arguments, CheckedEnum
from khuyencong._data import ToData
from khuyencong._gc import collector_paused
from khuyencong.domain import (
    CraftVillageClaim,
    Dataset,
    Establishment,
    FairParticipation,
    SupportRecord,
)
from khuyencong.exceptions import NotFoundError, Problem, ValidationError
from khuyencong.importing._columns import (
    CRAFT_VILLAGE_FIELDS,
    ESTABLISHMENT_COLUMNS,
    FAIR_COLUMNS,
    SUPPORT_RECORD_COLUMNS,
    CellError,
    Column,
    parse_text,
)
from khuyencong.importing._reading import (
    ErrorCell,
    ImportLimits,
    PlainTable,
    UnsavedFormula,
    check_rows,
    read_plain_csv,
    read_table_file,
)
from khuyencong.messages import text
from khuyencong.units import MapId, UnitLevel, UnitRef, fold, load_map, map_for

__all__ = [
    "ImportKind",
    "RowProblem",
    "TableColumns",
    "TableImport",
    "import_table",
    "read_columns",
    "read_rows",
]

_IGNORED_HEADERS = {"stt", "tt", "no", "no.", "#"}


class ImportKind(CheckedEnum):
    """What a table holds."""

    ESTABLISHMENTS = "establishments"
    SUPPORT_RECORDS = "support_records"
    FAIR_PARTICIPATIONS = "fair_participations"

    @property
    def columns(self) -> tuple[Column, ...]:
        """The columns a table of this kind may have."""
        return _KINDS[self][0]

    @property
    def cls(self) -> type[Any]:
        """The domain class each row becomes."""
        return _KINDS[self][1]

    @property
    def date_field(self) -> str | None:
        """The field whose date picks the map when a row does not name one."""
        return _KINDS[self][2]


def template_sheet_names(kind: ImportKind) -> tuple[str, str]:
    """The names of the template's worksheet for ``kind`` (Vietnamese, English)."""
    key = f"importing.sheet.{kind.value}"
    return text(key, "vi"), text(key, "en")


_KINDS: dict[ImportKind, tuple[tuple[Column, ...], type[Any], str | None]] = {
    ImportKind.ESTABLISHMENTS: (ESTABLISHMENT_COLUMNS, Establishment, None),
    ImportKind.SUPPORT_RECORDS: (SUPPORT_RECORD_COLUMNS, SupportRecord, "delivered_on"),
    ImportKind.FAIR_PARTICIPATIONS: (FAIR_COLUMNS, FairParticipation, "start_on"),
}

_LOCATION_FIELDS = {"unit_code", "map_id", "commune", "district", "province"}


@attrs.frozen
class RowProblem:
    """One problem of one row (or of the whole file, when ``row`` is the header's).

    Attributes:
        row: The row number as the spreadsheet shows it (the header is usually row 1).
        column: The column's header as written in the file, or ``None`` for the whole row.
        message: What is wrong and what would be right, in the language in force when the
            file was read.
        value: The offending value, if any.
    """

    row: int
    column: str | None
    message: str
    value: object = None

    def __str__(self) -> str:
        """``dòng 7, cột 'Ngày thành lập': …`` (``row 7, column …`` in English)."""
        if self.column:
            where = text("importing.where.row_column", row=self.row, column=repr(self.column))
        else:
            where = text("importing.where.row", row=self.row)
        return str(Problem(where, self.message, self.value))


@attrs.frozen
class TableImport(ToData):
    """The result of reading a table; ``to_data()`` gives it as JSON-ready data.

    Attributes:
        kind: What the table holds.
        source: Where it came from.
        objects: The valid rows as domain objects, in file order.
        rows: The row number of each valid object.
        problems: Every problem found, in file order.
        total_rows: How many data rows the file has.
    """

    kind: ImportKind
    source: str
    objects: tuple[Any, ...]
    rows: tuple[int, ...]
    problems: tuple[RowProblem, ...]
    total_rows: int

    @property
    def ok(self) -> bool:
        """Whether every row is valid."""
        return not self.problems

    @property
    def bad_rows(self) -> tuple[int, ...]:
        """The numbers of the rows with at least one problem."""
        return tuple(sorted({p.row for p in self.problems}))

    @property
    def dataset(self) -> Dataset:
        """The valid objects as a :class:`~khuyencong.domain.Dataset`, ready to store.

        ``khuyencong.storage.store_dataset(store, result.dataset)`` stores them in one unit of
        work, all or nothing.
        """
        return Dataset(**{_DATASET_SECTIONS[self.kind]: self.objects})


_DATASET_SECTIONS = {
    ImportKind.ESTABLISHMENTS: "establishments",
    ImportKind.SUPPORT_RECORDS: "support_records",
    ImportKind.FAIR_PARTICIPATIONS: "fair_participations",
}


def read_rows(
    path: str | Path,
    *,
    sheet: str | None = None,
    kind: ImportKind | None = None,
    limits: ImportLimits | None = None,
) -> list[tuple[int, list[object]]]:
    """The non-blank rows of a CSV or Excel file, each with its row number.

    CSV files are read as UTF-8 (with or without a byte-order mark), with ``,``, ``;`` or tab
    as delimiter. Excel files need the ``excel`` extra (openpyxl); without ``sheet``, the
    template's sheet for ``kind`` is read when the workbook has it, else the first sheet. Every
    row of a sheet is read, whatever its ``<dimension>`` tag says. Empty cells are ``""``; a
    formula whose result the workbook does not keep is an :class:`UnsavedFormula`; a
    spreadsheet's error value (``#N/A``, ``#REF!``, in a workbook or saved to a CSV) is an
    :class:`ErrorCell`; a text that
    the library's CSV writers protected from running as a formula (``'=…``) is given back as
    it was (``=…``).

    Args:
        path: A ``.csv``, ``.xlsx`` or ``.xlsm`` file.
        sheet: The worksheet to read in a workbook.
        kind: What the table holds, to find the template's sheet for it.
        limits: What to refuse (:class:`ImportLimits` by default).

    Raises:
        FileFormatError: If the file cannot be read: not UTF-8, not a workbook, a damaged sheet,
            a document type declaration, no such worksheet.
        InputLimitError: If the file goes over a limit (checked before it is unpacked).
        MissingExtraError: If an Excel file is given and openpyxl is not installed.
        OSError: If the file cannot be opened.
        ValidationError: If an argument is not what it says.
    """
    args = Arguments()
    args.path(path, "path")
    args.optional(sheet, "sheet", str)
    args.optional(kind, "kind", ImportKind)
    args.optional(limits, "limits", ImportLimits)
    args.check()
    names = template_sheet_names(kind) if kind is not None else ()
    return read_table_file(
        Path(path), sheet=sheet, sheet_names=names, limits=limits or ImportLimits()
    )


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _filled(row: Sequence[object]) -> bool:
    """Whether a row has a cell that is not blank (the first one, usually: decided cheaply)."""
    first = row[0] if row else None
    if first.__class__ is str and first and not first.isspace():
        return True
    return not all(_blank(v) for v in row)


def _match_headers(
    header: Sequence[object], columns: Sequence[Column], row: int
) -> tuple[dict[int, Column], list[RowProblem]]:
    found: dict[int, Column] = {}
    problems: list[RowProblem] = []
    for i, raw in enumerate(header):
        name = str(raw).strip()
        if not name or fold(name) in _IGNORED_HEADERS:
            continue
        col = next((c for c in columns if c.matches(name)), None)
        if col is None:
            problems.append(RowProblem(row, name, text("importing.unknown_column")))
        elif col in found.values():
            message = text("importing.column_twice", column=repr(col.header_vi))
            problems.append(RowProblem(row, name, message))
        else:
            found[i] = col
    present = set(found.values())
    problems.extend(
        RowProblem(
            row,
            None,
            text("importing.missing_column", column=repr(col.header_vi), field=col.field),
        )
        for col in columns
        if col.required and col not in present
    )
    return found, problems


_Located = tuple[UnitRef | None, str | None, str | None]


def _locate(
    values: dict[str, Any],
    default_map: MapId | None,
    on: dt.date | None,
    found: dict[tuple[object, ...], _Located],
) -> _Located:
    """The unit a row names, or (None, column, message) when it cannot be found; ``found``
    remembers the answers of one import (rows name the same units over and over)."""
    code = values.get("unit_code")
    names = {k: values.get(k) for k in ("commune", "district", "province")}
    if not code and not any(names.values()):
        return None, None, None
    raw_map = values.get("map_id")
    try:
        map_id = MapId(raw_map) if raw_map else default_map or (map_for(on) if on else None)
    except ValueError:
        allowed = ", ".join(m.value for m in MapId)
        return None, "map_id", text("importing.unknown_map", allowed=allowed)
    if map_id is None:
        return None, "map_id", text("importing.map_needed")
    key = (map_id, code, *names.values())
    answer = found.get(key)
    if answer is None:
        answer = found[key] = _unit(map_id, code, names)
    return answer


def _unit(map_id: MapId, code: str | None, names: dict[str, Any]) -> _Located:
    if code:
        try:
            return UnitRef(map_id, code), None, None
        except ValidationError as exc:
            return None, "unit_code", exc.problems[0].message
    units = load_map(map_id)
    within: str | None = None
    try:
        for level, key in ((UnitLevel.PROVINCE, "province"), (UnitLevel.DISTRICT, "district")):
            if names[key]:
                within = units.find_one(str(names[key]), level=level, within=within).code
        if not names["commune"]:
            return None, "commune", text("importing.commune_needed")
        unit = units.find_one(str(names["commune"]), level=UnitLevel.COMMUNE, within=within)
    except (NotFoundError, ValidationError) as exc:
        return None, "commune", str(exc)
    return unit.ref, None, None


def import_table(
    source: str | Path | Iterable[Sequence[object]],
    kind: ImportKind | str,
    *,
    default_map: MapId | str | None = None,
    sheet: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    limits: ImportLimits | None = None,
    establishments: Container[str] | None = None,
    projects: Container[str] | None = None,
) -> TableImport:
    """Read a table and validate every row.

    A file that cannot be read at all raises an error (nothing of it is looked at); rows that
    are invalid are listed in the result, each with its row, column and reason.

    Args:
        source: A ``.csv``/``.xlsx`` path, or rows (the first non-empty row is the header).
        kind: What the table holds (``establishments``, ``support_records``,
            ``fair_participations``).
        default_map: The map unit codes belong to when a row does not say; without it, a
            record's own date picks the map in force (establishments need one or the other).
        sheet: The worksheet to read in an Excel file (default: the template's sheet for
            ``kind``, else the first).
        progress: Called with (rows done, total rows) as rows are validated.
        limits: The limits of what is read (:class:`ImportLimits` by default).
        establishments: The ids of the establishments a record may name — a set, or a store's
            repository (``store.establishments``), which answers ``id in ...``. A support
            record or fair participation naming another establishment is a problem of its
            row. ``None`` (the default) does not check.
        projects: The ids of the projects a record may name, likewise (``store.projects``):
            a record naming another project is a problem of its row.

    Returns:
        The valid objects and every problem, each with its row, column and reason.

    Raises:
        FileFormatError: If the file cannot be read at all.
        InputLimitError: If the file (or the rows given) goes over a limit.
        MissingExtraError: If an Excel file is given and openpyxl is not installed.
        ValidationError: If an argument is not what it says (a path or rows, a kind, …).
    """
    kind = ImportKind(kind)
    args = Arguments()
    if not isinstance(source, str | Path):
        args.many(source, "source")
    args.optional(sheet, "sheet", str)
    args.function(progress, "progress")
    args.optional(limits, "limits", ImportLimits)
    args.check()
    default = MapId(default_map) if default_map is not None else None
    with collector_paused():  # an import's many small objects have no cycles
        return _import(
            source,
            kind,
            default,
            sheet,
            progress,
            limits or ImportLimits(),
            known=(establishments, projects),
        )


def _import(  # noqa: PLR0917  (private: import_table's checked arguments)
    source: str | Path | Iterable[Sequence[object]],
    kind: ImportKind,
    default: MapId | None,
    sheet: str | None,
    progress: Callable[[int, int], None] | None,
    limits: ImportLimits,
    *,
    known: tuple[Container[str] | None, Container[str] | None],
) -> TableImport:
    establishments, projects = known
    label = "<rows>"
    if isinstance(source, str | Path):
        label = str(source)
        rows = read_rows(source, sheet=sheet, kind=kind, limits=limits)
    else:
        rows = check_rows(source, limits)
    rows = [(n, r) for n, r in rows if _filled(r)]
    if not rows:
        problem = RowProblem(1, None, text("importing.empty_table"))
        return TableImport(kind, label, (), (), (problem,), 0)
    header_row, header = rows[0]
    columns, problems = _match_headers(header, kind.columns, header_row)
    if any(p.column is None or p.message != text("importing.unknown_column") for p in problems):
        return TableImport(kind, label, (), (), tuple(problems), len(rows) - 1)
    file_headers = {c.field: str(header[i]).strip() for i, c in columns.items()}
    references = (
        []
        if kind is ImportKind.ESTABLISHMENTS
        else [
            ("establishment_id", _Known(establishments), "importing.unknown_establishment"),
            ("project_id", _Known(projects), "importing.unknown_project"),
        ]
    )
    objects: list[Any] = []
    numbers: list[int] = []
    seen: dict[str, int] = {}
    total = len(rows) - 1
    context = _Context.of(kind, columns, file_headers, default)
    for done, (number, row) in enumerate(rows[1:], start=1):
        obj, row_problems = _build(context, number, row)
        if obj is not None:
            obj = _unique_and_known(obj, number, seen, references, file_headers, row_problems)
        problems.extend(row_problems)
        if obj is not None:
            objects.append(obj)
            numbers.append(number)
        if progress is not None:
            progress(done, total)
    return TableImport(kind, label, tuple(objects), tuple(numbers), tuple(problems), total)


@attrs.frozen
class TableColumns:
    """A table whose every cell was read plainly, as one column of values per field.

    Attributes:
        kind: What the table holds.
        source: Where it came from.
        columns: For each field of the kind's class given by the table (the location included
            when a row names one), the value of each data row, as the constructor takes it;
            a field's default where a row leaves its cell empty.
        total_rows: How many data rows the table has.
    """

    kind: ImportKind
    source: str
    columns: dict[str, list[Any]]
    total_rows: int


_COLUMN_KINDS = (ImportKind.SUPPORT_RECORDS,)


def read_columns(
    source: str | Path | Iterable[Sequence[object]],
    kind: ImportKind | str,
    *,
    default_map: MapId | str | None = None,
    sheet: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    limits: ImportLimits | None = None,
) -> TableColumns | None:
    """Read a table column by column, for a table whose cells all read plainly.

    The fast reading of a large, clean table: each column's distinct cells are read once
    (by the same parsers as :func:`import_table`), and the rows' values come out as columns,
    ready for :func:`~khuyencong.domain.support_record_columns` (which checks the rows as the
    constructor does) or :func:`~khuyencong.storage.store_columns`. Nothing is reported
    here: when a cell cannot be read, a required cell is empty, a header is unknown, a unit
    is not found, or a cell is not text (a workbook's numbers and dates), the answer is
    ``None``, and :func:`import_table` reads the table row by row and says what is wrong,
    where.

    Args:
        source: As for :func:`import_table`.
        kind: What the table holds: only ``support_records`` is read by column (``None`` for
            the others).
        default_map: As for :func:`import_table`.
        sheet: As for :func:`import_table`.
        progress: Called with (rows done, total rows) once the rows are read.
        limits: As for :func:`import_table`.

    Returns:
        The columns, or ``None`` when the table needs :func:`import_table`.

    Raises:
        FileFormatError: If the file cannot be read at all.
        InputLimitError: If the file (or the rows given) goes over a limit.
        MissingExtraError: If an Excel file is given and openpyxl is not installed.
        ValidationError: If an argument is not what it says.

    >>> rows = [["Mã bản ghi", "Mã cơ sở", "Nội dung hỗ trợ", "Ngày thực hiện", "Số học viên"],
    ...         ["SR-1", "E-1", "brand", "15/03/2019", "12"],
    ...         ["SR-2", "E-1", "Xây dựng, đăng ký thương hiệu", "2019-04-01", ""]]
    >>> table = read_columns(rows, "support_records")
    >>> table.columns["trainees"], table.columns["delivered_on"][1]
    ([12, 0], datetime.date(2019, 4, 1))
    >>> read_columns([*rows, ["SR-3", "E-1", "brand", "31/02/2019"]], "support_records")
    """
    kind = ImportKind(kind)
    args = Arguments()
    if not isinstance(source, str | Path):
        args.many(source, "source")
    args.optional(sheet, "sheet", str)
    args.function(progress, "progress")
    args.optional(limits, "limits", ImportLimits)
    args.check()
    default = MapId(default_map) if default_map is not None else None
    if kind not in _COLUMN_KINDS:
        return None
    limits = limits or ImportLimits()
    with collector_paused():
        label = "<rows>"
        texts = False  # whether every cell is known to be a text (a CSV file's)
        plain: PlainTable | None = None
        if isinstance(source, str | Path):
            label = str(source)
            plain = read_plain_csv(Path(source), limits)
            texts = Path(source).suffix.lower() not in _WORKBOOKS
        if plain is None:
            if isinstance(source, str | Path):
                rows = read_rows(source, sheet=sheet, kind=kind, limits=limits)
            else:
                rows = check_rows(source, limits)
            records = [r for _, r in rows if _filled(r)]
            del rows
            if not records:
                return None
            header: Sequence[object] = records[0]
            del records[0]  # the rows' lists go with the records as soon as they are columns
            table: list[Sequence[Any]] = list(itertools.zip_longest(*records, fillvalue=""))
            total = len(records)
            del records
        else:
            header, table = plain
            total = len(table[0]) if table else 0
        if total < 1:
            return None
        matched, problems = _match_headers(header, kind.columns, 1)
        if problems:
            return None
        file_headers = {c.field: str(header[i]).strip() for i, c in matched.items()}
        context = _Context.of(kind, matched, file_headers, default)
        columns = _read_columns(context, table, total, texts=texts)
        if columns is None:
            return None
        if progress is not None:
            progress(total, total)
        return TableColumns(kind, label, columns, total)


class _Absent:
    """An empty cell: the field takes its default."""


_ABSENT = _Absent()


_WORKBOOKS = {".xlsx", ".xlsm"}  # what read_table_file reads as a workbook


def _read_columns(
    context: _Context, table: list[Sequence[Any]], n: int, *, texts: bool
) -> dict[str, list[Any]] | None:
    """The rows' values by field (see :func:`read_columns`), or ``None``, from the table's
    ``n`` data rows by column (``table``: a column's cells, every column of length ``n``;
    a column beyond the widest row is empty); ``texts``: the
    cells are a CSV file's, texts but for a spreadsheet's error values (:class:`ErrorCell`),
    on which the text methods below fail before anything is read."""
    try:
        return _read_text_columns(context, table, n, texts=texts)
    except (TypeError, AttributeError):  # an ErrorCell where a text was taken for granted
        if texts:
            return None
        raise


def _read_text_columns(
    context: _Context, table: list[Sequence[Any]], n: int, *, texts: bool
) -> dict[str, list[Any]] | None:
    empty = ("",) * n
    fields = attrs.fields_dict(context.kind.cls)
    found: dict[str, list[Any]] = {}
    for i, col, read, _ in context.columns:
        cells = table[i] if i < len(table) else empty
        if not texts and set(map(type, cells)) != {str}:
            return None  # not text: a workbook's number, date, error or formula
        # An empty cell: the field's default (the location's columns: the marker).
        blank: Any = _ABSENT
        if col.field in fields:
            blank = fields[col.field].default
            if isinstance(blank, attrs.Factory):  # type: ignore[arg-type]  # a class
                return None
        if cells and cells[0] == "" and cells.count("") == n:  # an empty column
            if col.required:
                return None
            found[col.field] = [blank] * n
            continue
        if col.parse is parse_text:  # a text as it is, stripped (as parse_text reads it)
            stripped: list[Any] = list(map(str.strip, cells))  # texts (above)
            if not all(stripped):
                if col.required:
                    return None
                stripped = [t or blank for t in stripped] if any(stripped) else [blank] * n
            found[col.field] = stripped
            continue
        values: dict[object, Any] = {}
        for cell in set(cells):
            if not cell or cell.isspace():  # a text (above)
                if col.required:
                    return None
                values[cell] = blank
                continue
            value = read(cell)
            if value.__class__ is _Refused:
                return None
            values[cell] = value
        found[col.field] = list(map(values.__getitem__, cells))
    if not _locate_rows(context, found, n):
        return None
    return found


def _locate_rows(context: _Context, found: dict[str, list[Any]], n: int) -> bool:
    """Put each row's unit in ``found["location"]`` (when a row names one), taking the
    location columns out; ``False`` if a row's unit cannot be found."""
    given = [(k, found.pop(k)) for k in sorted(_LOCATION_FIELDS) if k in found]
    if all(column.count(_ABSENT) == n for _, column in given):
        return True
    date_field = context.kind.date_field
    dates = found.get(date_field, [None] * n) if date_field else [None] * n
    names = [k for k, _ in given]
    units: dict[tuple[object, ...], UnitRef | None] = {}
    located: list[UnitRef | None] = []
    for key in zip(*(column for _, column in given), dates, strict=True):
        ref = units.get(key, _ABSENT)
        if ref is _ABSENT:
            values = {k: v for k, v in zip(names, key, strict=False) if v is not _ABSENT}
            on = key[-1] if isinstance(key[-1], dt.date) else None
            ref, _, message = _locate(values, context.default_map, on, context.units)
            if message is not None:
                return False
            units[key] = ref
        located.append(ref)  # type: ignore[arg-type]  # a unit or None (not the marker)
    if any(ref is not None for ref in located):
        found["location"] = located
    return True


def _unique_and_known(  # noqa: PLR0917  (private; the loop's state)
    obj: Any,
    number: int,
    seen: dict[str, int],
    references: list[tuple[str, _Known, str]],
    file_headers: dict[str, str],
    problems: list[RowProblem],
) -> Any | None:
    """``obj`` if its id is new to the file and the ids it names are known, else ``None``
    with the problems added."""
    first = seen.setdefault(obj.id, number)
    if first != number:
        message = text("importing.duplicate_id", row=first)
        problems.append(RowProblem(number, file_headers["id"], message, obj.id))
        return None
    dangling = [
        (field, key, value)
        for field, known, key in references
        if (value := getattr(obj, field)) is not None and not known(value)
    ]
    for field, key, value in dangling:
        message = text(key, id=repr(value))
        problems.append(RowProblem(number, file_headers[field], message, value))
    return None if dangling else obj


class _Known:
    """Whether an id is known, asking ``ids`` (a set, a store's repository) once per id."""

    def __init__(self, ids: Container[str] | None) -> None:
        self.ids = ids
        self.answers: dict[str, bool] = {}

    def __call__(self, key: str) -> bool:
        if self.ids is None:
            return True
        answer = self.answers.get(key)
        if answer is None:
            answer = self.answers[key] = key in self.ids
        return answer


class _Refused:
    """A cell its column's parser refused: the messages (one per problem) to report."""

    __slots__ = ("messages",)

    def __init__(self, messages: list[str]) -> None:
        self.messages = messages


_MEMO_LIMIT = 20_000
"""How many distinct cells of one column an import remembers the reading of."""


def _cell_reader(col: Column) -> Callable[[object], Any]:
    """``col.parse`` that gives a :class:`_Refused` instead of raising, and reads each distinct
    cell once per import: a column repeats its dates, amounts, codes and labels row after row
    (text columns are read directly: stripping is as cheap as looking up)."""
    parse = col.parse

    def read(raw: object) -> Any:
        try:
            return parse(raw)
        except CellError as exc:
            return _Refused([str(exc)])
        except ValidationError as exc:  # a parser that speaks the library's error
            return _Refused([p.message for p in exc.problems])

    if parse is parse_text:
        return read
    memo: dict[object, Any] = {}

    def remembered(raw: object) -> Any:
        # 1, 1.0 and True are equal keys; only a text is its own key.
        key = raw if raw.__class__ is str else (raw.__class__, raw)
        try:
            return memo[key]
        except KeyError:
            value = read(raw)
            if len(memo) < _MEMO_LIMIT:
                memo[key] = value
            return value
        except TypeError:  # an unhashable cell
            return read(raw)

    return remembered


@attrs.frozen
class _Context:
    """What every row of one import shares: its columns, their readers and their headers."""

    kind: ImportKind
    columns: tuple[tuple[int, Column, Callable[[object], Any], str], ...]
    headers: dict[str, str]
    default_map: MapId | None
    units: dict[tuple[object, ...], _Located] = attrs.field(factory=dict)

    @classmethod
    def of(
        cls,
        kind: ImportKind,
        columns: dict[int, Column],
        file_headers: dict[str, str],
        default_map: MapId | None,
    ) -> _Context:
        # Problems name a column as the file wrote it (or the template's header if absent).
        headers = {col.field: col.header_vi for col in kind.columns} | file_headers
        readers = tuple(
            (i, col, _cell_reader(col), headers[col.field]) for i, col in columns.items()
        )
        return cls(kind, readers, headers, default_map)


def _build(
    context: _Context, number: int, row: Sequence[object]
) -> tuple[Any | None, list[RowProblem]]:
    problems: list[RowProblem] = []
    values: dict[str, Any] = {}
    width = len(row)
    for i, col, read, header in context.columns:
        raw = row[i] if i < width else ""
        if raw.__class__ is str:
            if not raw or raw.isspace():
                if col.required:
                    problems.append(RowProblem(number, header, text("importing.required")))
                continue
        elif isinstance(raw, UnsavedFormula):
            unsaved = text("importing.cell.unsaved_formula", formula=raw.formula)
            problems.append(RowProblem(number, header, unsaved))
            continue
        elif isinstance(raw, ErrorCell):
            error = text("importing.cell.excel_error", code=raw.code)
            problems.append(RowProblem(number, header, error, raw.code))
            continue
        elif _blank(raw):
            if col.required:
                problems.append(RowProblem(number, header, text("importing.required")))
            continue
        value = read(raw)
        if value.__class__ is _Refused:
            problems.extend(RowProblem(number, header, m, raw) for m in value.messages)
        else:
            values[col.field] = value
    return _finish(context, number, values, problems)


def _finish(
    context: _Context, number: int, values: dict[str, Any], problems: list[RowProblem]
) -> tuple[Any | None, list[RowProblem]]:
    """The row's object from its cells' values (its location found, its craft village
    claimed), or ``None`` and every problem of the row."""
    kind, headers = context.kind, context.headers
    location_values = {k: values.pop(k) for k in _LOCATION_FIELDS.intersection(values)}
    on = values.get(kind.date_field) if kind.date_field else None
    ref, column, message = _locate(location_values, context.default_map, on, context.units)
    if message is not None and column is not None:
        at = headers.get(column, column)
        problems.append(RowProblem(number, at, message, location_values.get(column)))
    elif ref is not None:
        values["location"] = ref
    elif kind is ImportKind.ESTABLISHMENTS:
        problems.append(RowProblem(number, None, text("importing.location_needed")))
    claim = {f: values.pop(k) for k, f in CRAFT_VILLAGE_FIELDS.items() if k in values}
    if claim:
        if "name" not in claim:
            header = headers.get("craft_village", "craft_village")
            problems.append(RowProblem(number, header, text("importing.craft_village_name")))
        else:
            try:
                values["craft_village"] = CraftVillageClaim(**claim)
            except ValidationError as exc:
                problems.extend(
                    RowProblem(number, headers.get("craft_village"), p.message, p.value)
                    for p in exc.problems
                )
    if problems:
        return None, problems
    try:
        return kind.cls(**values), []
    except ValidationError as exc:
        for p in exc.problems:
            field = p.path.removeprefix("$.").split(".")[0].split("[")[0]
            if field in {"location", "code"}:
                field = "unit_code"
            problems.append(RowProblem(number, headers.get(field, field), p.message, p.value))
        return None, problems
