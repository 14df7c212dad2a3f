"""The columns of importable tables, and how a cell's text becomes a typed value.

Each importable kind (establishments, support records, fair participations) has a list of
:class:`Column`: its field, its Vietnamese and English headers, whether it is required, and a
parser. Headers are matched without case or diacritics, in either language or by the field's
own name, so ``"Mã số thuế"``, ``"ma so thue"`` and ``"tax_number"`` are the same column.

Cell parsers accept what Vietnamese spreadsheets hold: dates as ``2019-03-15`` or
``15/03/2019``, amounts as ``1.234.567`` or ``1,234,567`` (never a fractional đồng), enum
values by their code or their label in either language, lists separated by ``;``, yes/no as
``có``/``không``/``x``/``yes``/``no``/``1``/``0``.

>>> parse_int("1.234.567"), parse_date("15/03/2019"), parse_bool("có")
(1234567, datetime.date(2019, 3, 15), True)
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

import attrs

from khuyencong.domain import (
    AreaDifficulty,
    ArtisanTitle,
    BusinessSectorGroup,
    FairKind,
    Fund,
    LegalForm,
    Sector,
    SizeClass,
    SupportContent,
)
from khuyencong.exceptions import Problem, ValidationError
from khuyencong.messages import Lang, resolve_language, text
from khuyencong.units import fold

__all__ = [
    "CellError",
    "Column",
    "parse_bool",
    "parse_date",
    "parse_decimal",
    "parse_enum",
    "parse_int",
    "parse_list",
    "parse_text",
]

E = TypeVar("E", bound=enum.Enum)


class CellError(ValidationError):
    """A cell's text cannot be read as the column's type; the message says what would do.

    A :class:`~khuyencong.exceptions.ValidationError` (and a ``ValueError``) with one problem at
    ``$``, whose text is the message alone.
    """

    def __init__(self, message: str) -> None:
        super().__init__([Problem("$", message)])
        self.args = (message,)


def parse_text(value: object) -> str:
    """Text, stripped; numbers typed into a text column (a tax number) become their digits."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


MAX_DIGITS = 30
"""The most digits a whole number cell may have (10^30 đồng is far beyond any budget)."""

_INT_SEPARATORS = re.compile(r"^-?\d{1,3}([.,  ]\d{3})+$")


def parse_int(value: object) -> int:
    """A whole number: ``1234567``, ``1.234.567``, ``1,234,567`` or a whole Excel number.

    Raises:
        CellError: For a fraction (money is whole đồng) or text that is not a number.
    """
    if isinstance(value, bool):
        raise CellError(text("importing.cell.whole_not_boolean"))
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        # Excel stores every number as a float; a whole one is exact below 2**53.
        if value.is_integer() and abs(value) < 2**53:
            return int(value)
        raise CellError(text("importing.cell.whole_not_fraction"))
    digits = str(value).strip().replace("đ", "").replace("VND", "").strip()
    if _INT_SEPARATORS.match(digits):
        digits = re.sub(r"[.,  ]", "", digits)
    if not re.fullmatch(r"-?\d+", digits):
        raise CellError(text("importing.cell.whole"))
    if len(digits.lstrip("-")) > MAX_DIGITS:
        # int() refuses more than 4,300 digits; no count or amount comes near 30.
        raise CellError(text("importing.cell.too_many_digits", digits=MAX_DIGITS))
    return int(digits)


def parse_decimal(value: object) -> Decimal:
    """An exact decimal: ``82.5`` or ``82,5`` (a Vietnamese decimal comma).

    Raises:
        CellError: If the text is not a finite number.
    """
    if isinstance(value, float):
        value = repr(value)
    number = str(value).strip().replace(",", ".")
    if len(number) > MAX_DIGITS + 2:  # a sign and a decimal point
        raise CellError(text("importing.cell.too_many_digits", digits=MAX_DIGITS))
    try:
        result = Decimal(number)
    except InvalidOperation:
        raise CellError(text("importing.cell.number")) from None
    if not result.is_finite():
        raise CellError(text("importing.cell.finite"))
    return result


_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def parse_date(value: object) -> dt.date:
    """A date: ``2019-03-15``, ``15/03/2019`` (day first, as Vietnam writes it), or an Excel date.

    The one date reader of the package: the importer reads cells with it, and the command line
    reads ``--date`` with it.

    Raises:
        CellError: If it is not a real date in one of these forms (a ``ValueError``).

    >>> parse_date("15/03/2019") == parse_date("2019-03-15")
    True
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    written = str(value).strip()
    try:
        m = _DMY.match(written)
        if m:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        return dt.date.fromisoformat(written)
    except ValueError:
        raise CellError(text("importing.cell.date")) from None


_TRUE = {"co", "x", "yes", "y", "true", "1", "dung", "v"}
_FALSE = {"khong", "no", "n", "false", "0", "sai", ""}


def parse_bool(value: object) -> bool:
    """Yes or no: ``có``/``x``/``yes``/``true``/``1`` or ``không``/``no``/``false``/``0``/empty.

    Raises:
        CellError: For anything else.
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    key = fold(str(value))
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise CellError(text("importing.cell.yes_no"))


def parse_enum(enum_cls: type[E], value: object) -> E:
    """An enum member by its code, its label in Vietnamese or English, or an alias
    (:meth:`khuyencong.domain.LabelledEnum.parse`).

    Raises:
        CellError: Listing the accepted codes.
    """
    parse = getattr(enum_cls, "parse", None)
    if parse is not None:  # the enum's own vocabulary: one fold and one lookup per cell
        try:
            found: E = parse(str(value).strip())
        except ValidationError:
            pass
        else:
            return found
    else:
        key = fold(str(value))
        for member in enum_cls:
            names = {fold(str(member.value)), fold(member.name)}
            for attr in ("label_vi", "label_en"):
                label = getattr(member, attr, None)
                if isinstance(label, str):
                    names.add(fold(label))
            if key in names:
                return member
    allowed = ", ".join(str(m.value) for m in enum_cls)
    msg = text("converters.enum_cell", allowed=allowed)
    raise CellError(msg)


def parse_list(item: Callable[[object], Any], value: object) -> tuple[Any, ...]:
    """Items separated by ``;`` (or new lines), each read by ``item``."""
    parts = [p.strip() for p in re.split(r"[;\n]", str(value))]
    return tuple(item(p) for p in parts if p)


def _enum(enum_cls: type[enum.Enum]) -> Callable[[object], Any]:
    return lambda v: parse_enum(enum_cls, v)


def _enums(enum_cls: type[enum.Enum]) -> Callable[[object], Any]:
    return lambda v: parse_list(_enum(enum_cls), v)


def _texts(value: object) -> tuple[str, ...]:
    return parse_list(parse_text, value)


@attrs.frozen
class Column:
    """One column of an importable table.

    Attributes:
        field: The domain field it fills (``unit_code`` and ``map_id`` make the location).
        header_vi: The Vietnamese header (used by the template).
        header_en: The English header.
        parse: Turns a non-empty cell into the field's value.
        required: Whether a row must fill it.
        help_vi: What to write, in Vietnamese.
        help_en: What to write, in English.
        choices: The accepted codes, for enum columns (the template offers them as a list).
    """

    field: str
    header_vi: str
    header_en: str
    parse: Callable[[object], Any]
    required: bool = False
    help_vi: str = ""
    help_en: str = ""
    choices: tuple[str, ...] = ()

    def header(self, lang: Lang | None = None) -> str:
        """The header in ``lang`` (the language in force by default)."""
        return {"vi": self.header_vi, "en": self.header_en}[resolve_language(lang)]

    def help(self, lang: Lang | None = None) -> str:
        """What to write in the column, in ``lang`` (the language in force by default)."""
        return {"vi": self.help_vi, "en": self.help_en}[resolve_language(lang)]

    def matches(self, header: str) -> bool:
        """Whether a file's header names this column (any language, any case, no diacritics)."""
        key = fold(header)
        return key in {fold(self.field), fold(self.header_vi), fold(self.header_en)}


def _choices(enum_cls: type[enum.Enum]) -> tuple[str, ...]:
    return tuple(str(m.value) for m in enum_cls)


def _col(
    field: str,
    vi: str,
    en: str,
    parse: Callable[[object], Any],
    *,
    required: bool = False,
    help_vi: str = "",
    help_en: str = "",
    choices: Sequence[str] = (),
) -> Column:
    return Column(field, vi, en, parse, required, help_vi, help_en, tuple(choices))


_UNIT = [
    _col(
        "unit_code",
        "Mã đơn vị hành chính",
        "Administrative unit code",
        parse_text,
        help_vi="Mã xã/phường (5 chữ số) theo bản đồ ở cột Bản đồ",
        help_en="Commune/ward code (5 digits) on the map named in the Map column",
    ),
    _col(
        "map_id",
        "Bản đồ",
        "Map",
        parse_text,
        help_vi="2021-11, 2025-07 hoặc 2025-reform; để trống: theo ngày của bản ghi",
        help_en="2021-11, 2025-07 or 2025-reform; empty: the map in force on the record's date",
        choices=("2021-11", "2025-07", "2025-reform"),
    ),
    _col(
        "commune",
        "Xã/phường",
        "Commune/ward",
        parse_text,
        help_vi="Tên xã nếu không có mã",
        help_en="Commune name when there is no code",
    ),
    _col(
        "district",
        "Huyện",
        "District",
        parse_text,
        help_vi="Tên huyện (bản đồ cũ), để phân biệt xã trùng tên",
        help_en="District name (old maps), to tell same-named communes apart",
    ),
    _col(
        "province",
        "Tỉnh",
        "Province",
        parse_text,
        help_vi="Tên tỉnh, để phân biệt xã trùng tên",
        help_en="Province name, to tell same-named communes apart",
    ),
]

ESTABLISHMENT_COLUMNS: tuple[Column, ...] = (
    _col("id", "Mã cơ sở", "Establishment id", parse_text, required=True),
    _col("name", "Tên cơ sở", "Name", parse_text, required=True),
    _col(
        "legal_form",
        "Loại hình",
        "Legal form",
        _enum(LegalForm),
        required=True,
        choices=_choices(LegalForm),
    ),
    _col(
        "sectors",
        "Ngành nghề",
        "Sectors",
        _enums(Sector),
        required=True,
        help_vi="Một hoặc nhiều, cách nhau bởi dấu ;",
        help_en="One or more, separated by ;",
        choices=_choices(Sector),
    ),
    *_UNIT,
    _col("tax_number", "Mã số thuế", "Tax number", parse_text),
    _col("founded_on", "Ngày thành lập", "Founded on", parse_date),
    _col("employees", "Số lao động", "Employees", parse_int),
    _col("revenue", "Doanh thu (đồng)", "Revenue (VND)", parse_int),
    _col("total_capital", "Tổng nguồn vốn (đồng)", "Total capital (VND)", parse_int),
    _col("members", "Số thành viên", "Members", parse_int),
    _col(
        "size_class",
        "Quy mô doanh nghiệp",
        "Size class",
        _enum(SizeClass),
        choices=_choices(SizeClass),
    ),
    _col(
        "business_sector_group",
        "Lĩnh vực (NĐ 80/2021)",
        "Sector group (80/2021)",
        _enum(BusinessSectorGroup),
        choices=_choices(BusinessSectorGroup),
    ),
    _col(
        "area_difficulty",
        "Địa bàn khó khăn",
        "Area difficulty",
        _enum(AreaDifficulty),
        choices=_choices(AreaDifficulty),
    ),
    _col("cleaner_production", "Sản xuất sạch hơn", "Cleaner production", parse_bool),
    _col("polluting_brick_kiln", "Lò gạch nung gây ô nhiễm", "Polluting brick kiln", parse_bool),
    _col(
        "artisan_title",
        "Danh hiệu nghệ nhân",
        "Artisan title",
        _enum(ArtisanTitle),
        choices=_choices(ArtisanTitle),
    ),
    _col(
        "cluster_infrastructure_investor",
        "Đầu tư hạ tầng cụm công nghiệp",
        "Cluster infrastructure investor",
        parse_bool,
    ),
    _col(
        "sustainable_production",
        "Sản xuất và tiêu dùng bền vững",
        "Sustainable production",
        parse_bool,
    ),
    _col(
        "craft_village",
        "Làng nghề nơi sản xuất",
        "Craft village",
        parse_text,
        help_vi="Tên làng nghề được UBND tỉnh công nhận (từ 15/10/2025, NĐ 235/2025)",
        help_en="A craft village recognised by the provincial People's Committee (235/2025)",
    ),
    _col(
        "craft_village_decision",
        "Quyết định công nhận làng nghề",
        "Craft village recognition decision",
        parse_text,
    ),
    _col(
        "craft_village_recognised_on",
        "Ngày công nhận làng nghề",
        "Craft village recognised on",
        parse_date,
    ),
    _col("owned_by_women", "Chủ cơ sở là phụ nữ", "Owned by a woman", parse_bool),
    _col(
        "owned_by_ethnic_minority",
        "Chủ cơ sở là người dân tộc thiểu số",
        "Owned by an ethnic-minority person",
        parse_bool,
    ),
)

CRAFT_VILLAGE_FIELDS: dict[str, str] = {
    "craft_village": "name",
    "craft_village_decision": "decision",
    "craft_village_recognised_on": "recognised_on",
}
"""The establishment columns that make its declared craft village, and the claim's fields."""

SUPPORT_RECORD_COLUMNS: tuple[Column, ...] = (
    _col("id", "Mã bản ghi", "Record id", parse_text, required=True),
    _col("establishment_id", "Mã cơ sở", "Establishment id", parse_text, required=True),
    _col(
        "content",
        "Nội dung hỗ trợ",
        "Support content",
        _enum(SupportContent),
        required=True,
        choices=_choices(SupportContent),
    ),
    _col("delivered_on", "Ngày thực hiện", "Delivered on", parse_date, required=True),
    _col("national_amount", "Kinh phí KC quốc gia (đồng)", "National fund (VND)", parse_int),
    _col("local_amount", "Kinh phí KC địa phương (đồng)", "Local fund (VND)", parse_int),
    _col("co_funding", "Vốn đối ứng (đồng)", "Co-funding (VND)", parse_int),
    _col("participants", "Số người tham gia", "Participants", parse_int),
    _col("trainees", "Số học viên", "Trainees", parse_int),
    _col("quantity", "Số lượng", "Quantity", parse_int),
    _col("project_id", "Mã đề án", "Project id", parse_text),
    _col("lead_agency", "Đơn vị chủ trì", "Lead agency", parse_text),
    _col(
        "partners",
        "Đơn vị phối hợp",
        "Partners",
        _texts,
        help_vi="Cách nhau bởi dấu ;",
        help_en="Separated by ;",
    ),
    *_UNIT,
    _col("decided_on", "Ngày quyết định", "Decided on", parse_date),
    _col("accepted_on", "Ngày nghiệm thu", "Accepted on", parse_date),
    _col("note", "Ghi chú", "Note", parse_text),
    _col(
        "jobs_created",
        "Số việc làm mới",
        "New jobs",
        parse_int,
        help_vi="Số việc làm mới cơ sở báo cáo sau hỗ trợ; để trống nếu chưa báo cáo (khác 0)",
        help_en="New jobs the beneficiary reported after support; empty if not reported (not 0)",
    ),
    _col(
        "income_change",
        "Thay đổi thu nhập (đồng/năm)",
        "Income change (VND per year)",
        parse_int,
        help_vi="Thay đổi thu nhập của thành viên, người lao động; số âm nếu giảm; để trống nếu "
        "chưa báo cáo",
        help_en="Change in members' or workers' income; negative for a fall; empty if not reported",
    ),
    _col(
        "outcome_reported_on",
        "Ngày báo cáo kết quả",
        "Outcome reported on",
        parse_date,
        help_vi="Ngày cơ sở báo cáo kết quả, không trước ngày thực hiện",
        help_en="When the beneficiary reported the outcomes, not before the delivery",
    ),
)

FAIR_COLUMNS: tuple[Column, ...] = (
    _col("id", "Mã bản ghi", "Record id", parse_text, required=True),
    _col("establishment_id", "Mã cơ sở", "Establishment id", parse_text, required=True),
    _col("fair_name", "Tên hội chợ", "Fair", parse_text, required=True),
    _col(
        "fair_kind",
        "Trong nước/nước ngoài",
        "Domestic/overseas",
        _enum(FairKind),
        required=True,
        choices=_choices(FairKind),
    ),
    _col("start_on", "Ngày bắt đầu", "Start date", parse_date, required=True),
    _col("end_on", "Ngày kết thúc", "End date", parse_date),
    _col("place", "Địa điểm", "Place", parse_text),
    _col("supported_amount", "Kinh phí hỗ trợ (đồng)", "Support (VND)", parse_int),
    _col("fund", "Nguồn kinh phí", "Fund", _enum(Fund), choices=_choices(Fund)),
    _col("project_id", "Mã đề án", "Project id", parse_text),
    _col("lead_agency", "Đơn vị chủ trì", "Lead agency", parse_text),
    _col("partners", "Đơn vị phối hợp", "Partners", _texts),
    *_UNIT,
)
