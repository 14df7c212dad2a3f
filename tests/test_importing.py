"""Importing CSV and Excel tables: every bad row reported with its row, column and reason."""

from __future__ import annotations

import csv
import datetime as dt
import gc
import io
import json
import pickle
import re
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, ClassVar

import attrs
import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khuyencong._files import restore_formula
from khuyencong.cli import main
from khuyencong.converters import structure
from khuyencong.datafiles import SAMPLE_DATASET, load_dataset
from khuyencong.domain import (
    Dataset,
    Establishment,
    LegalForm,
    Sector,
    SupportContent,
    SupportRecord,
    support_record_columns,
)
from khuyencong.exceptions import (
    FileFormatError,
    FileWriteError,
    InputLimitError,
    MissingExtraError,
    Problem,
    ValidationError,
)
from khuyencong.importing import (
    ImportKind,
    ImportLimits,
    dumps_csv,
    import_table,
    read_columns,
    read_rows,
    table_rows,
    write_csv,
    write_template,
)
from khuyencong.importing._columns import (
    CellError,
    parse_bool,
    parse_date,
    parse_decimal,
    parse_enum,
    parse_int,
)
from khuyencong.importing._reading import (
    EXCEL_ERRORS,
    ErrorCell,
    _read_plain,
    _RowChecker,
    _sniffed,
    _split_plain,
    read_plain_csv,
)
from khuyencong.messages import language, text
from khuyencong.storage import open_store, store_dataset
from khuyencong.testing.conformance import sample_support_record
from khuyencong.testing.strategies import establishments, fair_participations, support_records
from khuyencong.units import MapId

HEADER = [
    "STT",
    "Mã cơ sở",
    "Tên cơ sở",
    "Loại hình",
    "Ngành nghề",
    "Mã đơn vị hành chính",
]
EST_HEADER = [
    "Mã cơ sở",
    "Tên cơ sở",
    "Loại hình",
    "Ngành nghề",
    "Mã đơn vị hành chính",
    "Bản đồ",
]


def est_rows(*rows: Sequence[object]) -> list[Sequence[object]]:
    return [HEADER, *rows]


def est_row(i: int) -> list[object]:
    """A valid establishment row of the EST_HEADER columns."""
    return [f"HTX-{i}", f"Hợp tác xã số {i}", "cooperative", "handicrafts", "07525", "2021-11"]


def workbook(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    """An .xlsx file whose first sheet holds ``rows``."""
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def rewrite(path: Path, member: str, change: Callable[[bytes], bytes]) -> Path:
    """The workbook at ``path`` with one zip member changed (as a crafted file would be)."""
    with zipfile.ZipFile(path) as old:
        items = [(info.filename, old.read(info.filename)) for info in old.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for name, data in items:
            new.writestr(name, change(data) if name == member else data)
    return path


SHEET = "xl/worksheets/sheet1.xml"


def shared_strings_bomb(path: Path, *, megabytes: int) -> Path:
    """A small workbook whose shared-strings part unpacks to ``megabytes`` MB of one-letter
    strings: each becomes a Python object when read, so memory grows several times faster
    than the part, which compresses about a thousand times."""
    workbook(path, [EST_HEADER, est_row(1)])
    override = (
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    )
    rewrite(path, "[Content_Types].xml", lambda xml: xml.replace(b"</Types>", override))
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as book,
        book.open("xl/sharedStrings.xml", "w", force_zip64=True) as part,
    ):
        part.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
        chunk = b"<si><t>A</t></si>" * 62_500  # 1,062,500 bytes
        for _ in range(megabytes):
            part.write(chunk)
        part.write(b"</sst>")
    return path


class TestCellParsers:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("1234567", 1234567),
            ("1.234.567", 1234567),
            ("1,234,567", 1234567),
            ("1.234.567 đ", 1234567),
            (12.0, 12),
            (7, 7),
            ("-3", -3),
            ("-5.000.000", -5_000_000),
            ("-1,234,567 đ", -1_234_567),
        ],
    )
    def test_amounts_are_read_as_spreadsheets_write_them(self, text: object, expected: int) -> None:
        """Vietnamese thousands separators and whole Excel numbers are whole đồng."""
        assert parse_int(text) == expected

    @pytest.mark.parametrize("bad", ["1.5", 12.5, "12,5", "mười", True])
    def test_fractions_and_words_are_not_amounts(self, bad: object) -> None:
        """A fraction of a đồng, or a word, is refused."""
        with pytest.raises(CellError):
            parse_int(bad)

    def test_dates_are_day_first_or_iso(self) -> None:
        """15/03/2019, 15-3-2019, 2019-03-15 and Excel dates are 15 March 2019."""
        day = dt.date(2019, 3, 15)
        for written in (
            "15/03/2019",
            "15-3-2019",
            "15.03.2019",
            "2019-03-15",
            day,
            dt.datetime(2019, 3, 15, 0, 0),  # noqa: DTZ001 - Excel cells hold naive dates
        ):
            assert parse_date(written) == day
        for bad in ("31/02/2019", "03/15/2019", "tháng 3"):
            with pytest.raises(CellError):
                parse_date(bad)

    def test_yes_and_no_in_both_languages(self) -> None:
        """có/x/yes/1 are yes; không/no/0/empty are no; anything else is refused."""
        assert [parse_bool(v) for v in ("có", "X", "yes", 1, "không", "No", 0, "")] == [
            True,
            True,
            True,
            True,
            False,
            False,
            False,
            False,
        ]
        with pytest.raises(CellError):
            parse_bool("có lẽ")

    def test_codes_and_labels_both_name_an_enum_member(self) -> None:
        """'cooperative', 'Hợp tác xã' and 'hop tac xa' are the same legal form."""
        for written in ("cooperative", "Hợp tác xã", "hop tac xa", "COOPERATIVE"):
            assert parse_enum(LegalForm, written) is LegalForm.COOPERATIVE
        with pytest.raises(CellError, match="household_business"):
            parse_enum(LegalForm, "công ty")

    def test_decimals_accept_a_decimal_comma(self) -> None:
        """Scores may be written 82,5 (Vietnamese) or 82.5."""
        assert str(parse_decimal("82,5")) == "82.5"
        assert str(parse_decimal(82.5)) == "82.5"
        with pytest.raises(CellError):
            parse_decimal("NaN")
        with pytest.raises(CellError):
            parse_decimal("abc")


class TestImportTable:
    def test_every_bad_row_is_reported_with_row_column_and_reason(self) -> None:
        """Each bad row is named by its spreadsheet number, its column header and why."""
        rows = est_rows(
            ["1", "HTX-1", "HTX Mỳ Chũ", "Hợp tác xã", "agro_food_processing", "07525"],
            ["2", "HTX-2", "", "hợp tác xã", "handicrafts", "07525"],
            ["3", "HTX-3", "HTX C", "công ty", "handicrafts", "99999"],
            ["4", "HTX-1", "HTX D", "cooperative", "handicrafts", "07525"],
        )
        with language("en"):
            result = import_table(rows, "establishments", default_map=MapId.MAP_2021)
            shown = [str(p) for p in result.problems]
        assert shown == [
            "row 3, column 'Tên cơ sở': required; fill it in",
            (
                "row 4, column 'Loại hình': not a valid value; write one of: cooperative, "
                "cooperative_union, cooperative_group, sme, household_business, "
                "large_enterprise, unregistered_individual, artisan, service_organisation "
                "(or its label) (got 'công ty')"
            ),
            (
                "row 4, column 'Mã đơn vị hành chính': no administrative unit of the 2021-11 map "
                "has the code 99999; codes keep their leading zeros (province 2 digits, "
                "district 3, commune 5) (got '99999')"
            ),
            "row 5, column 'Mã cơ sở': duplicate id: row 2 has it (got 'HTX-1')",
        ]
        assert [e.id for e in result.objects] == ["HTX-1"]
        assert result.rows == (2,)
        assert result.bad_rows == (3, 4, 5)
        assert not result.ok
        assert result.total_rows == 4

    def test_a_cell_repeated_down_a_column_is_judged_alike_on_every_row(self) -> None:
        """Each distinct cell is read once per import; every row holding it gets the same
        value or the same problem, each reported at its own row."""
        rows: list[list[object]] = [[*EST_HEADER, "Số lao động"]]
        for i in range(1, 7):
            form = "công ty" if i % 2 else "hợp tác xã"
            rows.append([*est_row(i)[:2], form, *est_row(i)[3:], "-4" if i % 3 == 0 else "12"])
        with language("en"):
            result = import_table(rows, "establishments")
        assert [(p.row, p.column, p.value) for p in result.problems] == [
            (2, "Loại hình", "công ty"),
            (4, "Loại hình", "công ty"),
            (6, "Loại hình", "công ty"),
            (7, "Số lao động", -4),
        ]
        assert len({p.message for p in result.problems[:3]}) == 1
        assert [(e.id, e.legal_form, e.employees) for e in result.objects] == [
            ("HTX-2", LegalForm.COOPERATIVE, 12),
            ("HTX-4", LegalForm.COOPERATIVE, 12),
        ]

    def test_a_whole_number_cell_is_not_taken_for_a_yes(self) -> None:
        """In rows given in memory, ``True`` in a count column is refused where ``1`` is read,
        however the two fall in the column."""
        rows: list[list[object]] = [
            [*EST_HEADER, "Số lao động"],
            [*est_row(1), 1],
            [*est_row(2), True],
            [*est_row(3), 1.0],
        ]
        with language("en"):
            result = import_table(rows, "establishments")
        assert [e.employees for e in result.objects] == [1, 1]
        assert [(p.row, p.column) for p in result.problems] == [(3, "Số lao động")]

    def test_the_garbage_collector_is_as_the_caller_left_it(self) -> None:
        """The import pauses Python's collector while it builds rows, and leaves it running
        (even after a refused file) or paused, as the caller had it."""
        rows = est_rows(*([f"{i}", *est_row(i)[:5]] for i in range(1, 4)))
        assert gc.isenabled()
        assert len(import_table(rows, "establishments", default_map=MapId.MAP_2021).objects) == 3
        with pytest.raises(InputLimitError):
            import_table(rows, "establishments", limits=ImportLimits(max_rows=2))
        assert gc.isenabled()
        gc.disable()
        try:
            import_table(rows, "establishments", default_map=MapId.MAP_2021)
            assert not gc.isenabled()
        finally:
            gc.enable()

    def test_problems_speak_vietnamese_by_default(self) -> None:
        """In Vietnamese (the default language) a problem names the row and the column in
        Vietnamese and says what is wrong in Vietnamese."""
        rows: list[list[object]] = [[*EST_HEADER, "Ngày thành lập"], [*est_row(1), "31/02/2019"]]
        with language("vi"):
            result = import_table(rows, "establishments")
            shown = [str(p) for p in result.problems]
        expected = (
            "dòng 2, cột 'Ngày thành lập': phải là ngày có thật: 2019-03-15 hoặc 15/03/2019 "
            "(giá trị: '31/02/2019')"
        )
        assert shown == [expected]

    def test_domain_rules_are_reported_against_the_column(self) -> None:
        """A negative headcount or a wrong check digit names the column it came from."""
        rows = [
            [*HEADER, "Số lao động", "Mã số thuế"],
            ["1", "HTX-1", "HTX", "cooperative", "handicrafts", "07525", "-4", "0100109107"],
        ]
        result = import_table(rows, "establishments", default_map="2021-11")
        assert [(p.row, p.column) for p in result.problems] == [
            (2, "Mã số thuế"),
            (2, "Số lao động"),
        ]

    def test_a_missing_required_column_stops_the_file(self) -> None:
        """Without the legal form column no row can be read; the file-level problem says so."""
        rows = [["Mã cơ sở", "Tên cơ sở", "Ngành nghề"], ["A", "B", "handicrafts"]]
        result = import_table(rows, "establishments", default_map="2021-11")
        assert not result.objects
        assert any("Loại hình" in p.message for p in result.problems)

    def test_unknown_and_repeated_columns_are_reported(self) -> None:
        """A typo in a header is reported; a column given twice stops the file."""
        rows = [[*HEADER, "Số lao độ"], ["1", "A", "B", "sme", "handicrafts", "07525", "3"]]
        result = import_table(rows, "establishments", default_map="2021-11")
        assert [p.column for p in result.problems] == ["Số lao độ"]
        twice = import_table([[*HEADER, "name"], ["1"]], "establishments")
        assert twice.problems[0].message == text("importing.column_twice", column="'Tên cơ sở'")

    def test_headers_match_in_either_language_without_diacritics(self) -> None:
        """'Ma co so', 'Name', 'legal_form' and 'nganh nghe' are all recognised headers."""
        rows = [
            ["Ma co so", "Name", "legal_form", "nganh nghe", "Administrative unit code", "Map"],
            ["A", "HTX A", "cooperative", "handicrafts; agro_food_processing", "07525", "2021-11"],
        ]
        result = import_table(rows, "establishments")
        assert result.ok
        assert result.objects[0].sectors == (Sector.AGRO_FOOD_PROCESSING, Sector.HANDICRAFTS)

    def test_an_establishment_needs_its_map(self) -> None:
        """Unit codes belong to a map: the file or the caller must say which."""
        result = import_table(
            est_rows(["1", "A", "B", "sme", "handicrafts", "07525"]), "establishments"
        )
        assert result.problems[0].column == "Bản đồ"

    def test_a_record_date_picks_the_map_in_force(self) -> None:
        """A 2018 support record's unit code is read on the 2021 map; a 2026 one on the new."""
        rows = [
            ["Mã bản ghi", "Mã cơ sở", "Nội dung hỗ trợ", "Ngày thực hiện", "Mã đơn vị hành chính"],
            [
                "SR-1",
                "A",
                "Tư vấn thiết kế mẫu mã, bao bì, nhãn mác, tem truy xuất nguồn gốc",
                "15/06/2018",
                "07528",
            ],
            ["SR-2", "A", "design_consulting", "2026-01-10", "07525"],
        ]
        result = import_table(rows, "support_records")
        assert result.ok, result.problems
        assert [r.location.map_id for r in result.objects] == [MapId.MAP_2021, MapId.MAP_REFORM]
        assert result.objects[0].content is SupportContent.DESIGN_CONSULTING

    def test_outcomes_are_read_and_checked(self) -> None:
        """New jobs, a (possibly negative) income change and the report date are read from
        their columns in either language; an empty cell is no report (not zero); a report
        dated before the delivery is named against its column."""
        rows = [
            [
                "Mã bản ghi",
                "Mã cơ sở",
                "Nội dung hỗ trợ",
                "Ngày thực hiện",
                "Số việc làm mới",
                "Income change (VND per year)",
                "Ngày báo cáo kết quả",
            ],
            ["SR-1", "A", "machinery", "15/06/2018", "3", "-5.000.000", "01/03/2019"],
            ["SR-2", "A", "machinery", "15/06/2018", "", "", ""],
            ["SR-3", "A", "machinery", "15/06/2018", "1", "1.200.000 đ", "01/03/2018"],
        ]
        result = import_table(rows, "support_records")
        first, second = result.objects
        assert (first.jobs_created, first.income_change, first.outcome_reported_on) == (
            3,
            -5_000_000,
            dt.date(2019, 3, 1),
        )
        assert (second.jobs_created, second.income_change, second.outcome_reported_on) == (
            None,
            None,
            None,
        )
        assert [(p.row, p.column) for p in result.problems] == [(4, "Ngày báo cáo kết quả")]

    def test_units_may_be_given_by_name(self) -> None:
        """'Tân Sơn' is found within Lục Ngạn district; a missing commune name is asked for."""
        rows = [
            ["Mã cơ sở", "Tên cơ sở", "Loại hình", "Ngành nghề", "Xã/phường", "Huyện", "Tỉnh"],
            ["A", "HTX A", "cooperative", "handicrafts", "tan son", "luc ngan", "Bắc Giang"],
            ["B", "HTX B", "cooperative", "handicrafts", "", "luc ngan", ""],
            ["C", "HTX C", "cooperative", "handicrafts", "Atlantis", "", ""],
        ]
        result = import_table(rows, "establishments", default_map="2021-11")
        assert result.objects[0].location.resolve().full_name == "Xã Tân Sơn"
        assert [(p.row, p.column) for p in result.problems] == [(3, "Xã/phường"), (4, "Xã/phường")]

    def test_an_unknown_map_is_named(self) -> None:
        """The map column accepts the three packaged maps only."""
        rows = [[*HEADER, "Bản đồ"], ["1", "A", "B", "sme", "handicrafts", "07525", "2019"]]
        result = import_table(rows, "establishments")
        assert result.problems[0].column == "Bản đồ"

    def test_an_establishment_without_a_location_is_refused(self) -> None:
        """Eligibility depends on where it produces, so the location is required."""
        rows = [["Mã cơ sở", "Tên cơ sở", "Loại hình", "Ngành nghề"], ["A", "B", "sme", "other"]]
        result = import_table(rows, "establishments", default_map="2021-11")
        assert result.problems[0].column is None
        assert result.problems[0].message == text("importing.location_needed")

    def test_an_empty_table_says_so(self) -> None:
        """A file with no header row is reported, not crashed on."""
        problem = import_table([["", ""]], "establishments").problems[0]
        assert problem.message == text("importing.empty_table")

    def test_progress_is_reported_row_by_row(self) -> None:
        """The progress callback sees every row, ending at the total."""
        seen: list[tuple[int, int]] = []
        import_table(
            est_rows(
                ["1", "A", "B", "sme", "other", "07525"], ["2", "C", "D", "sme", "other", "07525"]
            ),
            "establishments",
            default_map="2021-11",
            progress=lambda done, total: seen.append((done, total)),
        )
        assert seen == [(1, 2), (2, 2)]


class TestFiles:
    def test_csv_with_semicolons_and_a_bom_is_read(self, tmp_path: Path) -> None:
        """Excel's 'CSV UTF-8' with ';' delimiters is read as written."""
        path = tmp_path / "co-so.csv"
        path.write_text(
            "\ufeffMã cơ sở;Tên cơ sở;Loại hình;Ngành nghề;Mã đơn vị hành chính;Bản đồ\n"
            "HTX-1;Hợp tác xã Mỳ Chũ;Hợp tác xã;agro_food_processing;07525;2021-11\n",
            encoding="utf-8",
        )
        result = import_table(path, "establishments")
        assert result.ok
        assert result.objects[0].name == "Hợp tác xã Mỳ Chũ"

    def test_a_legacy_encoded_csv_is_refused_with_advice(self, tmp_path: Path) -> None:
        """A CSV that is not UTF-8 is refused, saying how to save it."""
        path = tmp_path / "old.csv"
        path.write_bytes(b"M\xe3 c\xf4 s\xf5\n")  # Latin-1 bytes, as old exports hold
        with pytest.raises(ValidationError, match="CSV UTF-8"):
            read_rows(path)

    def test_a_broken_workbook_is_a_clear_error(self, tmp_path: Path) -> None:
        """A file named .xlsx that is not a workbook gives a ValidationError."""
        path = tmp_path / "broken.xlsx"
        path.write_bytes(b"not a zip")
        with pytest.raises(ValidationError, match="workbook"):
            read_rows(path)

    def test_the_template_imports_what_is_typed_into_it(self, tmp_path: Path) -> None:
        """Rows typed into the generated template (Excel numbers and dates) import cleanly."""
        path = write_template(tmp_path / "mau.xlsx")
        book = openpyxl.load_workbook(path)
        assert book.sheetnames == ["Huong dan", "Danh muc", "Co so", "Ho tro", "Hoi cho"]
        ws = book["Ho tro"]
        headers = [c.value for c in ws[1]]
        row = dict.fromkeys(headers, None)
        row.update(
            {
                "Mã bản ghi": "SR-1",
                "Mã cơ sở": "HTX-1",
                "Nội dung hỗ trợ": "showroom",
                "Ngày thực hiện": dt.datetime(2019, 5, 2),  # noqa: DTZ001 - as Excel holds it
                "Kinh phí KC địa phương (đồng)": 150000000.0,
                "Mã đơn vị hành chính": "07525",
            }
        )
        ws.append([row[h] for h in headers])
        book.save(path)
        result = import_table(path, "support_records")  # finds the template's own sheet
        assert result.ok, result.problems
        record = result.objects[0]
        assert (record.local_amount, record.delivered_on) == (150_000_000, dt.date(2019, 5, 2))
        assert record.location.map_id is MapId.MAP_2021

    def test_the_template_into_a_missing_folder_is_a_clear_error(self, tmp_path: Path) -> None:
        """Writing the template into a folder that does not exist names the folder."""
        folder = tmp_path / "chua-co"
        with pytest.raises(FileWriteError) as caught:
            write_template(folder / "mau.xlsx")
        assert caught.value.path == str(folder / "mau.xlsx")
        assert str(folder) in str(caught.value)

    def test_the_english_template_has_english_headers(self, tmp_path: Path) -> None:
        """lang='en' writes English headers, which the importer also reads."""
        path = write_template(tmp_path / "t.xlsx", ["establishments"], lang="en")
        book = openpyxl.load_workbook(path)
        assert book["Establishments"]["A1"].value == "Establishment id"

    def test_the_sample_round_trips_through_csv(self, tmp_path: Path) -> None:
        """Sample records written to CSV import back unchanged."""
        ds = load_dataset(SAMPLE_DATASET)
        path = tmp_path / "ho-tro.csv"
        write_csv(ds.support_records, path, "support_records")
        assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # for Excel
        assert import_table(path, "support_records").objects == ds.support_records


class TestImportRoundTrip:
    @given(st.lists(establishments(), max_size=4, unique_by=lambda e: e.id))
    def test_establishments_survive_export_and_import(self, items: list) -> None:  # type: ignore[type-arg]
        """Any valid establishments exported as a table import back with the same state."""
        back = import_table(table_rows(items, "establishments"), "establishments")
        assert back.ok, back.problems
        assert all(a.same_state(b) for a, b in zip(items, back.objects, strict=True))

    @given(st.lists(support_records(), max_size=4, unique_by=lambda r: r.id))
    def test_support_records_survive_export_and_import(self, items: list) -> None:  # type: ignore[type-arg]
        """Any valid support records exported as a table import back equal."""
        back = import_table(
            table_rows(items, ImportKind.SUPPORT_RECORDS, lang="en"), "support_records"
        )
        assert back.ok, back.problems
        assert back.objects == tuple(items)

    @given(st.lists(fair_participations(), max_size=4, unique_by=lambda r: r.id))
    def test_fair_participations_survive_export_and_import(self, items: list) -> None:  # type: ignore[type-arg]
        """Any valid fair participations exported as a table import back equal."""
        back = import_table(table_rows(items, "fair_participations"), "fair_participations")
        assert back.ok, back.problems
        assert back.objects == tuple(items)


class TestImportResultData:
    @given(
        st.lists(support_records(), max_size=3, unique_by=lambda r: r.id),
        st.lists(st.text(alphabet="xyz#!1é", min_size=1, max_size=8), min_size=1, max_size=3),
    )
    def test_an_import_result_is_json_ready_data(
        self,
        items: list,  # type: ignore[type-arg]
        junk: list[str],
    ) -> None:
        """Valid rows and rows with problems alike: ``to_data()`` goes through JSON text, the
        valid rows read back equal and every problem keeps its row, column and message."""
        rows = table_rows(items, ImportKind.SUPPORT_RECORDS, lang="en")
        rows.append([*junk, *[""] * (len(rows[0]) - len(junk))])
        result = import_table(rows, "support_records")
        data = json.loads(json.dumps(result.to_data(), ensure_ascii=False))
        assert data["kind"] == "support_records"
        assert data["total_rows"] == len(items) + 1
        assert structure(data["objects"], list[SupportRecord]) == list(result.objects)
        assert [(p["row"], p["column"], p["message"]) for p in data["problems"]] == [
            (p.row, p.column, p.message) for p in result.problems
        ]


class TestFormulaNeutralisation:
    @given(
        st.lists(establishments(), min_size=1, max_size=3, unique_by=lambda e: e.id),
        st.sampled_from(["=", "+", "-", "@", "'", "''", "'=", "'@", "-1", "+84"]),
    )
    def test_formula_like_text_survives_a_csv_round_trip(
        self, items: list[Establishment], start: str
    ) -> None:
        """Names beginning with a formula's first character are written with a quote in front
        and read back as they were: the CSV written for Excel is safe and loses nothing."""
        hostile = [attrs.evolve(e, name=start + e.name) for e in items]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "co-so.csv"
            write_csv(hostile, path, "establishments")
            back = import_table(path, "establishments")
        assert back.ok, back.problems
        assert [e.name for e in back.objects] == [e.name for e in hostile]

    @given(st.lists(st.text(alphabet="ab#'=\x00 N/A!REF", max_size=6), max_size=6))
    def test_a_csv_row_reads_as_its_cells_one_by_one(self, row: list[str]) -> None:
        """A CSV row is taken as it is only when no cell starts with a quote or is an error
        value: every row reads as the cell-by-cell reading gives it."""
        width = max((i + 1 for i, v in enumerate(row) if v != ""), default=0)
        expected = [ErrorCell(v) if v in EXCEL_ERRORS else restore_formula(v) for v in row[:width]]
        found = _RowChecker("rows.csv", ImportLimits()).cells(1, row, texts=True)
        assert found == (expected or None)

    def test_a_formula_is_written_with_a_quote_and_numbers_are_not(self) -> None:
        """In the CSV text a formula-like name has a quote in front; a negative income
        change written as a number keeps its minus sign."""
        ds = load_dataset(SAMPLE_DATASET)
        record = attrs.evolve(ds.support_records[0], note="=1+2", income_change=-5_000_000)
        [row] = list(csv.DictReader(io.StringIO(dumps_csv([record], "support_records"))))
        assert (row["Ghi chú"], row["Thay đổi thu nhập (đồng/năm)"]) == ("'=1+2", "-5000000")
        raw = dumps_csv([record], "support_records", neutralise_formulas=False)
        assert next(csv.DictReader(io.StringIO(raw)))["Ghi chú"] == "=1+2"


class TestColumnNames:
    def test_problems_name_columns_as_the_file_wrote_them(self) -> None:
        """An English file's problem names the English header it used."""
        rows = [
            ["Establishment id", "Name", "Legal form", "Sectors", "Administrative unit code"],
            ["A", "B", "sme", "other", "07525"],
            ["C", "D", "sme", "nope", "07525"],
        ]
        result = import_table(rows, "establishments", default_map="2021-11")
        assert [p.column for p in result.problems] == ["Sectors"]

    def test_an_unknown_worksheet_is_named(self, tmp_path: Path) -> None:
        """Asking for a sheet the workbook lacks lists the sheets it has."""
        path = write_template(tmp_path / "t.xlsx", ["establishments"])
        with pytest.raises(ValidationError, match="Huong dan"):
            import_table(path, "establishments", sheet="Sheet9")


class TestWorkbooks:
    def test_every_row_is_read_whatever_the_dimension_tag_says(self, tmp_path: Path) -> None:
        """A sheet whose <dimension> tag claims A1:F2 but holds 200 rows imports 200 rows:
        the tag is a hint written by the saving program, never a reason to stop reading."""
        path = workbook(tmp_path / "cut.xlsx", [EST_HEADER, *(est_row(i) for i in range(200))])
        rewrite(
            path,
            SHEET,
            lambda xml: re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:F2"/>', xml),
        )
        result = import_table(path, "establishments")
        assert (result.total_rows, len(result.objects)) == (200, 200)

    def test_a_formula_without_a_saved_result_is_a_problem_of_its_row(self, tmp_path: Path) -> None:
        """A formula cell whose result the file does not keep (files written by scripts) is
        reported against its row and column, never read as an empty cell."""
        header = [*EST_HEADER, "Số lao động"]
        path = workbook(tmp_path / "f.xlsx", [header, [*est_row(1), "=2*6"], [*est_row(2), 7]])
        with language("en"):
            result = import_table(path, "establishments")
        assert [(p.row, p.column, p.message) for p in result.problems] == [
            (2, "Số lao động", text("importing.cell.unsaved_formula", "en", formula="=2*6"))
        ]
        assert [e.employees for e in result.objects] == [7]

    def test_a_formula_with_a_saved_result_imports_the_result(self, tmp_path: Path) -> None:
        """Excel saves each formula's result beside it; that result is what is imported."""
        header = [*EST_HEADER, "Số lao động"]
        path = workbook(tmp_path / "f.xlsx", [header, [*est_row(1), "=2*6"]])
        rewrite(path, SHEET, lambda xml: xml.replace(b"<f>2*6</f><v />", b"<f>2*6</f><v>12</v>"))
        result = import_table(path, "establishments")
        assert result.ok, result.problems
        assert result.objects[0].employees == 12

    def test_an_error_cell_is_a_problem_of_its_row_naming_the_cell(self, tmp_path: Path) -> None:
        """A cell holding Excel's error value (#N/A, #REF!, …), typed or the saved result of a
        formula, is reported against its row and column with the error; it is never imported
        as the text "#N/A"."""
        header = [*EST_HEADER, "Số lao động"]
        named = [*est_row(1), 5]
        named[1] = "#REF!"
        path = workbook(
            tmp_path / "e.xlsx",
            [header, named, [*est_row(2), "#N/A"], [*est_row(3), "=2/0"], [*est_row(4), 7]],
        )
        rewrite(
            path,
            SHEET,
            lambda xml: xml.replace(b"<f>2/0</f><v />", b"<f>2/0</f><v>#DIV/0!</v>").replace(
                b'<c r="G4"><f>', b'<c r="G4" t="e"><f>'
            ),
        )
        with language("en"):
            result = import_table(path, "establishments")
        assert [(p.row, p.column, p.value) for p in result.problems] == [
            (2, "Tên cơ sở", "#REF!"),
            (3, "Số lao động", "#N/A"),
            (4, "Số lao động", "#DIV/0!"),
        ]
        assert result.problems[0].message == text("importing.cell.excel_error", "en", code="#REF!")
        assert [e.id for e in result.objects] == ["HTX-4"]

    def test_text_that_looks_like_a_formula_stays_text(self, tmp_path: Path) -> None:
        """A text cell beginning with '=' (typed as text) is read as that text."""
        path = workbook(tmp_path / "t.xlsx", [EST_HEADER, est_row(1)])
        book = openpyxl.load_workbook(path)
        book.active["B2"].value = "=HTX"
        book.active["B2"].data_type = "s"
        book.save(path)
        result = import_table(path, "establishments")
        assert [e.name for e in result.objects] == ["=HTX"]


class TestImportLimits:
    def test_limits_are_positive_whole_numbers(self) -> None:
        """A limit of zero, a negative one, or a cell longer than the CSV reader reads, is
        refused, naming the limit."""
        for changes in ({"max_rows": 0}, {"max_columns": -1}, {"max_cell_chars": 200_000}):
            with pytest.raises(ValidationError) as caught:
                ImportLimits(**changes)
            assert caught.value.paths == (f"$.{next(iter(changes))}",)

    def test_a_file_over_the_size_limit_is_refused_unread(self, tmp_path: Path) -> None:
        """A file larger than max_file_bytes is refused from its size on disk."""
        path = tmp_path / "big.csv"
        path.write_text("Mã cơ sở\n" + "x\n" * 600, encoding="utf-8")
        with pytest.raises(InputLimitError) as caught:
            import_table(path, "establishments", limits=ImportLimits(max_file_bytes=1000))
        error = caught.value
        assert (error.limit, error.maximum, error.found) == ("max_file_bytes", 1000, 1213)
        assert error.source == str(path)

    def test_a_csv_over_the_row_limit_is_refused(self, tmp_path: Path) -> None:
        """Row numbers beyond max_rows are refused, naming the first row over it."""
        path = tmp_path / "rows.csv"
        path.write_text("\n".join(",".join(map(str, est_row(i))) for i in range(12)), "utf-8")
        with pytest.raises(InputLimitError) as caught:
            read_rows(path, limits=ImportLimits(max_rows=10))
        assert (caught.value.limit, caught.value.problems[0].path) == ("max_rows", "dòng 11")

    def test_rows_in_memory_keep_to_the_limits_too(self) -> None:
        """Rows a web application passes in are held to the same limits as a file."""
        rows: list[Sequence[object]] = [EST_HEADER, *(est_row(i) for i in range(5))]
        with pytest.raises(InputLimitError):
            import_table(rows, "establishments", limits=ImportLimits(max_rows=3))

    @pytest.mark.parametrize("length", [40_000, 200_000])
    def test_a_csv_cell_over_the_length_limit_is_refused(self, tmp_path: Path, length: int) -> None:
        """A cell longer than max_cell_chars (or than the 131,072 characters Python's CSV
        reader reads) is refused as over the limit, never a raw csv.Error."""
        path = tmp_path / "long.csv"
        path.write_text(
            ",".join(EST_HEADER) + "\nHTX-1," + "x" * length + ",sme,other,07525,2021-11\n",
            "utf-8",
        )
        with pytest.raises(InputLimitError) as caught:
            import_table(path, "establishments")
        assert caught.value.limit == "max_cell_chars"
        assert caught.value.problems[0].path.startswith("dòng 2")

    def test_a_row_over_the_column_limit_is_refused(self, tmp_path: Path) -> None:
        """A row filling more than max_columns columns is refused."""
        path = workbook(tmp_path / "wide.xlsx", [EST_HEADER, [*est_row(1), *range(20)]])
        with pytest.raises(InputLimitError) as caught:
            read_rows(path, limits=ImportLimits(max_columns=10))
        assert (caught.value.limit, caught.value.found) == ("max_columns", 26)

    def test_a_workbook_over_the_unpacked_limit_is_refused_before_unpacking(
        self, tmp_path: Path
    ) -> None:
        """The sizes a workbook's parts unpack to are added up before any is unpacked."""
        path = workbook(tmp_path / "w.xlsx", [EST_HEADER, *(est_row(i) for i in range(50))])
        with pytest.raises(InputLimitError) as caught:
            read_rows(path, limits=ImportLimits(max_unpacked_bytes=10_000))
        assert caught.value.limit == "max_unpacked_bytes"

    def test_a_zip_bomb_is_refused_by_its_compression_ratio(self, tmp_path: Path) -> None:
        """A part that grows thousands of times when unpacked (a shared-strings bomb) is
        refused from the archive's directory, before it is unpacked."""
        path = shared_strings_bomb(tmp_path / "bomb.xlsx", megabytes=20)
        with pytest.raises(InputLimitError) as caught:
            import_table(path, "establishments")
        assert caught.value.limit == "max_compression_ratio"
        assert "xl/sharedStrings.xml" in str(caught.value)

    def test_a_zip_bomb_does_not_grow_the_process(self, tmp_path: Path) -> None:
        """Reading a 263 KB workbook whose shared strings unpack to 106 MB (5 million strings)
        is refused without the memory growing: the peak resident size of a fresh process
        stays far below what reading it takes (today's reader: 620 MB and a minute)."""
        path = shared_strings_bomb(tmp_path / "bomb.xlsx", megabytes=100)
        assert path.stat().st_size < 300_000
        # The peak resident size of the child alone: /proc's VmHWM belongs to the process's
        # own memory after exec, whereas ru_maxrss may keep the parent's peak from the fork.
        script = (
            "import resource, sys\n"
            "from khuyencong.exceptions import InputLimitError\n"
            "from khuyencong.importing import import_table\n"
            "try:\n"
            "    import_table(sys.argv[1], 'establishments')\n"
            "except InputLimitError as exc:\n"
            "    print(exc.limit)\n"
            "try:\n"
            "    with open('/proc/self/status') as status:\n"
            "        line = next(x for x in status if x.startswith('VmHWM:'))\n"
            "    print(line.split()[1])\n"
            "except OSError:\n"
            "    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", script, str(path)],
            capture_output=True,
            text=True,
            check=True,
            timeout=600,
        )
        limit, peak_kib = done.stdout.split()
        assert limit == "max_compression_ratio"
        assert int(peak_kib) < 200 * 1024  # KiB: the interpreter, openpyxl and the library


class TestUnreadableFiles:
    """A file that cannot be read ends in a FileFormatError naming the file and the place,
    never a raw traceback, and never shares its exit code with rows refused."""

    def test_a_truncated_sheet_is_a_file_format_error(self, tmp_path: Path) -> None:
        """A sheet whose XML stops half-way names the sheet and the row it stopped near."""
        path = workbook(tmp_path / "cut.xlsx", [EST_HEADER, *(est_row(i) for i in range(30))])
        rewrite(path, SHEET, lambda xml: xml[: len(xml) // 2])
        with pytest.raises(FileFormatError) as caught:
            import_table(path, "establishments")
        assert caught.value.source == str(path)
        assert caught.value.problems[0].path.startswith("dòng ")

    def test_malformed_sheet_xml_is_a_file_format_error(self, tmp_path: Path) -> None:
        """Broken XML in a sheet is refused with the parser's reason."""
        path = workbook(tmp_path / "bad.xlsx", [EST_HEADER, est_row(1)])
        rewrite(path, SHEET, lambda xml: xml.replace(b"<row ", b"<row <", 1))
        with pytest.raises(FileFormatError, match="ParseError"):
            read_rows(path)

    def test_entity_declarations_are_refused(self, tmp_path: Path) -> None:
        """A part declaring a document type (the door to 'billion laughs' entity expansion)
        is refused before any part is parsed."""
        path = workbook(tmp_path / "lol.xlsx", [EST_HEADER, est_row(1)])
        doctype = b'<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
        rewrite(path, SHEET, lambda xml: doctype + xml.replace(b">HTX-1<", b">&b;<"))
        with pytest.raises(FileFormatError) as caught:
            read_rows(path)
        assert caught.value.problems == (Problem("$", text("importing.doctype", member=SHEET)),)

    @pytest.mark.parametrize("value", [b"abc", b"1" * 5000, b"1.2.3"])
    def test_a_numeric_cell_holding_text_is_a_file_format_error(
        self, tmp_path: Path, value: bytes
    ) -> None:
        """A cell marked as a number whose value is text (or a number no program writes) is
        refused as a damaged sheet, naming the row."""
        path = workbook(tmp_path / "n.xlsx", [[*EST_HEADER, "Số lao động"], [*est_row(1), 7]])
        rewrite(path, SHEET, lambda xml: xml.replace(b"<v>7</v>", b"<v>" + value + b"</v>"))
        with pytest.raises(FileFormatError) as caught:
            read_rows(path)
        assert caught.value.problems[0].path == "dòng 2"

    def test_a_damaged_compressed_part_is_a_file_format_error(self, tmp_path: Path) -> None:
        """Bytes damaged inside a compressed part (zlib's 'invalid distance') are refused as a
        damaged workbook; the fuzz suite found them escaping as zlib.error."""
        path = workbook(tmp_path / "z.xlsx", [EST_HEADER, *(est_row(i) for i in range(40))])
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo(SHEET)
        data = bytearray(path.read_bytes())
        start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
        for i in range(start + 10, start + info.compress_size - 10, 7):
            data[i] ^= 0x5A
        path.write_bytes(bytes(data))
        with pytest.raises(FileFormatError):
            import_table(path, "establishments")

    def test_a_sheet_missing_from_the_archive_is_a_file_format_error(self, tmp_path: Path) -> None:
        """A workbook that lists a worksheet its archive does not hold is damaged."""
        path = write_template(tmp_path / "t.xlsx", ["establishments"])
        with zipfile.ZipFile(path) as old:
            items = [(i.filename, old.read(i.filename)) for i in old.infolist()]
        with zipfile.ZipFile(path, "w") as new:
            for name, data in items:
                if name != "xl/worksheets/sheet3.xml":
                    new.writestr(name, data)
        with pytest.raises(FileFormatError, match="Co so"):
            import_table(path, "establishments")

    def test_a_number_of_thousands_of_digits_is_a_problem_of_its_row(self) -> None:
        """An amount of 5,000 digits (more than Python converts) is a row problem."""
        rows: list[list[object]] = [[*EST_HEADER, "Số lao động"], [*est_row(1), "9" * 5000]]
        with language("en"):
            result = import_table(rows, "establishments")
        assert [(p.row, p.column) for p in result.problems] == [(2, "Số lao động")]
        assert "too many digits" in result.problems[0].message

    def test_an_error_value_exported_to_csv_is_a_problem_of_its_row(self, tmp_path: Path) -> None:
        """A CSV saved from a sheet with an error cell holds "#VALUE!": a problem of its row
        and column, never the text of a name."""
        row = est_row(1)
        row[1] = "#VALUE!"
        path = tmp_path / "e.csv"
        path.write_text(
            ",".join(EST_HEADER) + "\n" + ",".join(str(v) for v in row) + "\n", encoding="utf-8"
        )
        with language("en"):
            result = import_table(path, "establishments")
        assert [(p.row, p.column, p.value, p.message) for p in result.problems] == [
            (2, "Tên cơ sở", "#VALUE!", text("importing.cell.excel_error", "en", code="#VALUE!"))
        ]

    def test_a_csv_with_old_mac_line_ends_is_read(self, tmp_path: Path) -> None:
        """Lines ended by a lone carriage return are rows, not an error."""
        path = tmp_path / "cr.csv"
        lines = [",".join(EST_HEADER), ",".join(map(str, est_row(1)))]
        path.write_bytes("\r".join(lines).encode())
        assert import_table(path, "establishments").ok

    def test_a_broken_csv_names_the_row(self, tmp_path: Path) -> None:
        """A CSV the reader cannot parse (a quote in the middle of a strict file) names the
        row where it failed."""
        path = tmp_path / "nul.csv"
        path.write_bytes(b"a,b\n\xef\xbb\xbf\xff,c\n")
        with pytest.raises(FileFormatError, match="UTF-8"):
            read_rows(path)

    def test_without_openpyxl_the_error_says_what_to_install(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Excel is an optional extra: without it, reading a workbook says the exact
        command that installs it."""
        path = workbook(tmp_path / "w.xlsx", [EST_HEADER])
        monkeypatch.setitem(sys.modules, "openpyxl", None)
        with pytest.raises(MissingExtraError) as caught:
            import_table(path, "establishments")
        assert caught.value.extra == "excel"
        assert 'pip install "khuyencong[excel]"' in str(caught.value)

    @pytest.mark.parametrize(
        "error",
        [
            FileFormatError.at("a.csv", "dòng 3", "bad"),
            InputLimitError(
                [Problem("$", "big")], source="b.xlsx", limit="max_rows", maximum=3, found=4
            ),
            MissingExtraError("excel", 'pip install "khuyencong[excel]"'),
            FileWriteError("x/y.csv", "cannot write"),
        ],
        ids=lambda e: type(e).__name__,
    )
    def test_the_errors_keep_their_context_when_pickled(self, error: Exception) -> None:
        """An error sent back from a worker process keeps its message and its attributes."""
        back = pickle.loads(pickle.dumps(error))
        assert (type(back), str(back), vars(back)) == (type(error), str(error), vars(error))

    def test_a_crash_and_a_refusal_are_different_errors(self, tmp_path: Path) -> None:
        """Rows refused come back in the result; only an unreadable file raises."""
        good = tmp_path / "bad-rows.csv"
        good.write_text(",".join(EST_HEADER) + "\nHTX-1,,sme,other,07525,2021-11\n", "utf-8")
        assert not import_table(good, "establishments").ok
        broken = tmp_path / "broken.csv"
        broken.write_bytes(b"\xff\xfe\x00")
        with pytest.raises(FileFormatError):
            import_table(broken, "establishments")


class TestOrphans:
    ROWS: ClassVar[list[list[object]]] = [
        ["Mã bản ghi", "Mã cơ sở", "Nội dung hỗ trợ", "Ngày thực hiện"],
        ["SR-1", "BG-HTX-001", "machinery", "2019-06-01"],
        ["SR-2", "BG-HTX-999", "machinery", "2019-06-01"],
    ]

    def test_a_record_of_an_unknown_establishment_is_refused(self) -> None:
        """A support record naming an establishment that is neither in the file nor in the
        store is a problem of its row, against the establishment column."""
        result = import_table(self.ROWS, "support_records", establishments={"BG-HTX-001"})
        assert [r.id for r in result.objects] == ["SR-1"]
        assert [(p.row, p.column, p.value) for p in result.problems] == [
            (3, "Mã cơ sở", "BG-HTX-999")
        ]

    def test_a_record_of_an_unknown_project_is_refused(self) -> None:
        """A support record or fair participation naming a project that the store does not
        hold is a problem of its row, against the project column; without ``projects`` the
        column is not checked."""
        rows: list[list[object]] = [
            [*self.ROWS[0], "Mã đề án"],
            ["SR-1", "BG-HTX-001", "machinery", "2019-06-01", "DA-2019-BG-03"],
            ["SR-2", "BG-HTX-001", "machinery", "2019-06-01", "DA-KHONG-CO"],
            ["SR-3", "BG-HTX-001", "machinery", "2019-06-01", ""],
        ]
        store = open_store("memory://")
        store_dataset(store, load_dataset(SAMPLE_DATASET))
        result = import_table(
            rows,
            "support_records",
            establishments=store.establishments,
            projects=store.projects,
        )
        assert [r.id for r in result.objects] == ["SR-1", "SR-3"]
        assert [(p.row, p.column, p.value) for p in result.problems] == [
            (3, "Mã đề án", "DA-KHONG-CO")
        ]
        assert import_table(rows, "support_records").ok

    def test_a_store_repository_answers_which_establishments_exist(self) -> None:
        """store.establishments may be given as it is: it says whether an id is stored."""
        store = open_store("memory://")
        store_dataset(store, load_dataset(SAMPLE_DATASET))
        rows = [
            ["Mã cơ sở", "Tên hội chợ", "Trong nước/nước ngoài", "Ngày bắt đầu", "Mã bản ghi"],
            ["BG-HTX-001", "Hội chợ", "domestic", "2019-06-01", "F-1"],
            ["NOPE", "Hội chợ", "domestic", "2019-06-01", "F-2"],
        ]
        result = import_table(rows, "fair_participations", establishments=store.establishments)
        assert (result.rows, result.bad_rows) == ((2,), (3,))

    def test_the_import_command_refuses_records_of_establishments_not_stored(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """khuyencong import --store names, as a bad row, a record whose establishment the
        store does not hold, and stores nothing (status 1, rows refused)."""
        url = f"sqlite:///{tmp_path / 'kc.db'}"
        with open_store(url) as store:
            store_dataset(store, load_dataset(SAMPLE_DATASET))
            before = store.support_records.count()
        path = tmp_path / "ho-tro.csv"
        path.write_text(
            "\n".join(",".join(map(str, row)) for row in self.ROWS) + "\n", encoding="utf-8"
        )
        status = main(["import", str(path), "--kind", "support_records", "--store", url])
        assert status == 1
        assert "BG-HTX-999" in capsys.readouterr().out
        with open_store(url) as store:
            assert store.support_records.count() == before

    def test_the_import_command_refuses_records_of_projects_not_stored(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """khuyencong import --store names, as a bad row, a record whose project the store
        does not hold (status 1), where it used to store it as an orphan."""
        url = f"sqlite:///{tmp_path / 'kc.db'}"
        with open_store(url) as store:
            store_dataset(store, load_dataset(SAMPLE_DATASET))
        path = tmp_path / "ho-tro.csv"
        path.write_text(
            "Mã bản ghi,Mã cơ sở,Nội dung hỗ trợ,Ngày thực hiện,Mã đề án\n"
            "SR-9,BG-HTX-001,machinery,2019-06-01,DA-KHONG-CO\n",
            encoding="utf-8",
        )
        status = main(["import", str(path), "--kind", "support_records", "--store", url])
        assert status == 1
        assert "DA-KHONG-CO" in capsys.readouterr().out
        with open_store(url) as store:
            assert "SR-9" not in store.support_records

    def test_the_valid_rows_are_a_dataset_to_store(self) -> None:
        """The valid objects of an import are stored all at once through a Dataset."""
        store = open_store("memory://")
        store_dataset(store, Dataset(establishments=load_dataset(SAMPLE_DATASET).establishments))
        result = import_table(self.ROWS[:2], "support_records", establishments=store.establishments)
        assert store_dataset(store, result.dataset)["support_records"] == 1


def _messy(rows: list[list[object]], mess: tuple[int, int, str] | None) -> list[list[object]]:
    """The rows as a CSV file's texts, with one cell (row, column, counted around) replaced
    if ``mess`` says so."""
    rows = [[str(c) for c in r] for r in rows]
    if mess is not None and len(rows) > 1:
        row, column, cell = mess
        target = rows[1 + row % (len(rows) - 1)]
        target[column % len(target)] = cell
    return rows


MESSES = st.none() | st.tuples(
    st.integers(0, 50),
    st.integers(0, 30),
    st.sampled_from(["", " ", "-3", "abc", "31/02/2019", "#N/A", "1,5", "SR-000000", "=1+1"]),
)


class TestReadColumns:
    @settings(max_examples=60, deadline=None)
    @given(
        items=st.lists(support_records(), max_size=6, unique_by=lambda r: r.id),
        lang=st.sampled_from(["vi", "en"]),
        mess=MESSES,
    )
    def test_the_same_values_as_the_row_by_row_import(
        self, items: list[SupportRecord], lang: str, mess: tuple[int, int, str] | None
    ) -> None:
        """A table read column by column gives the values of the records the row-by-row
        import builds; a table that import finds a problem in is not read by column."""
        rows = _messy(table_rows(items, "support_records", lang=lang), mess)  # type: ignore[arg-type]
        slow = import_table(rows, "support_records")
        table = read_columns(rows, "support_records")
        try:
            checked = None if table is None else support_record_columns(table.columns)
        except ValidationError:
            checked = None
        if checked is not None and len(set(checked["id"])) < len(checked["id"]):
            checked = None  # an id twice: refused by the store, the command or import_table
        if not slow.ok or not slow.objects:
            assert checked is None or not slow.total_rows
            return
        assert checked is not None
        assert table is not None
        assert table.total_rows == slow.total_rows
        assert checked == {
            f.name: [getattr(r, f.name) for r in slow.objects] for f in attrs.fields(SupportRecord)
        }

    def test_a_workbook_or_another_kind_is_read_row_by_row(self, tmp_path: Path) -> None:
        """Cells that are not texts (a workbook's numbers) and kinds other than support
        records are left to import_table."""
        rows = _messy(table_rows([sample_support_record(1)], "support_records"), None)
        assert read_columns(rows, "support_records") is not None
        with_number = [rows[0], [*rows[1][:4], 5, *rows[1][5:]]]
        assert read_columns(with_number, "support_records") is None
        assert read_columns(est_rows(est_row(1)), "establishments") is None

    def test_a_csv_holding_a_spreadsheet_error_is_read_row_by_row(self, tmp_path: Path) -> None:
        """A CSV cell holding a spreadsheet's error value (``#N/A``) is left to import_table,
        which says where it is."""
        rows = _messy(table_rows([sample_support_record(1)], "support_records"), None)
        rows[1][rows[0].index("Ghi chú")] = "#N/A"
        path = tmp_path / "sr.csv"
        path.write_text("\n".join(",".join(map(str, r)) for r in rows), encoding="utf-8")
        assert read_columns(path, "support_records") is None
        assert [(p.row, p.column) for p in import_table(path, "support_records").problems] == [
            (2, "Ghi chú")
        ]


_PLAIN_CELLS = st.text(alphabet=st.sampled_from(list("ab1 é-")), min_size=1, max_size=4)


@st.composite
def _plain_csv_texts(draw: st.DrawFn) -> str:
    """A CSV file's text: mostly a grid of cells joined by a delimiter and a line end (now and
    then a cell holding what the split path refuses), or any text of the characters that
    matter to a CSV reader."""
    if draw(st.integers(0, 3)) == 0:
        any_cell = st.text(
            alphabet=st.sampled_from(list('ab ,;\t\r\n"\x00é\x85\u2028\x0c')), max_size=12
        )
        return draw(any_cell)
    width = draw(st.integers(1, 4))
    odd = st.sampled_from(["", " ", ",", ";", "\t", '"', "\r", "\x00", "\n", "\x85", "\u3000"])
    cells = st.one_of(*[_PLAIN_CELLS] * 12, odd)  # mostly plain
    rows = draw(st.lists(st.lists(cells, min_size=width, max_size=width), min_size=2, max_size=6))
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    end = draw(st.sampled_from(["\n", "\r\n"]))
    text = end.join(delimiter.join(row) for row in rows)
    return text + end if draw(st.booleans()) else text


class TestPlainCsv:
    @settings(max_examples=400, deadline=None)
    @given(
        content=_plain_csv_texts(),
        rows=st.integers(1, 6),
        columns=st.integers(1, 5),
        chars=st.integers(1, 5),
    )
    def test_a_file_split_without_the_reader_gives_the_readers_table(
        self, content: str, rows: int, columns: int, chars: int
    ) -> None:
        """A file split by its delimiter and its lines gives the header and columns the CSV
        reader's path gives (limits included), or is left to that reader."""
        limits = ImportLimits(max_rows=rows, max_columns=columns, max_cell_chars=chars)
        dialect = _sniffed(content)
        split = _split_plain(content, dialect, limits)
        if split is False:
            return
        read = _read_plain(content, dialect, limits)
        if split is None or read is None:
            assert split is read
            return
        assert (split[0], [list(c) for c in split[1]]) == (read[0], [list(c) for c in read[1]])

    def test_a_plain_file_is_split_without_the_reader(self, tmp_path: Path) -> None:
        """A file of plain cells, every line as wide as the header, Windows line ends
        included, is split without the CSV reader, column by column."""
        content = "id,name,day\r\nS1,a b,2019-01-02\r\nS2,,2019-01-03\r\n"
        assert _split_plain(content, _sniffed(content), ImportLimits()) == (
            ["id", "name", "day"],
            [["S1", "S2"], ["a b", ""], ["2019-01-02", "2019-01-03"]],
        )
        path = tmp_path / "plain.csv"
        path.write_bytes(b"\xef\xbb\xbf" + content.encode())
        assert read_plain_csv(path, ImportLimits()) == _split_plain(
            content, _sniffed(content), ImportLimits()
        )

    @pytest.mark.parametrize(
        "content",
        [
            'id,name\nS1,"a, b"\n',  # a quoted cell
            "id,name\rS1,a\r",  # old Mac line ends
            "id,name\nS1\n",  # a short line
            "id,name\n,\nS1,a\n",  # a blank line
            "id, name\nS1, a\nS2, b\n",  # spaces after every delimiter (skipped by the reader)
        ],
    )
    def test_a_file_the_split_cannot_read_goes_to_the_reader(self, content: str) -> None:
        """Quotes, lone carriage returns, lines of another width, blank lines and spaces the
        reader skips after a delimiter send the file to the CSV reader."""
        assert _split_plain(content, _sniffed(content), ImportLimits()) is False

    def test_a_file_of_a_header_alone_is_not_read_by_column(self, tmp_path: Path) -> None:
        """No data row: no columns (import_table reads and reports the file)."""
        path = tmp_path / "header.csv"
        path.write_text("Mã bản ghi,Mã cơ sở,Nội dung hỗ trợ,Ngày thực hiện\n", encoding="utf-8")
        assert read_columns(path, "support_records") is None

    def test_a_limit_refuses_the_split_file_as_the_reader_s(self) -> None:
        """Too many rows, columns or characters in a cell: no table, either way."""
        content = "id,name\nS1,abc\nS2,d\n"
        for limits in (
            ImportLimits(max_rows=2),
            ImportLimits(max_columns=1),
            ImportLimits(max_cell_chars=2),
        ):
            assert _split_plain(content, _sniffed(content), limits) is None
            assert _read_plain(content, _sniffed(content), limits) is None


class TestImportCommandByColumns:
    @settings(max_examples=15, deadline=None)
    @given(
        items=st.lists(support_records(), min_size=1, max_size=5, unique_by=lambda r: r.id),
        mess=MESSES,
        store=st.booleans(),
        plain=st.sampled_from(["", "\n", "\r\n"]),
    )
    def test_the_same_output_and_store_as_row_by_row(
        self,
        items: list[SupportRecord],
        mess: tuple[int, int, str] | None,
        store: bool,
        plain: str,
        tmp_path_factory: pytest.TempPathFactory,
    ) -> None:
        """khuyencong import prints the same lines, exits with the same status and leaves the
        store holding the same rows whether it reads the table by column or row by row; the
        file's cells quoted, or (``plain``: its line end) written as they are when none needs
        a quote."""
        folder = tmp_path_factory.mktemp("by-columns")
        items = [attrs.evolve(r, establishment_id="BG-HTX-001", project_id=None) for r in items]
        path = folder / "sr.csv"
        rows = _messy(table_rows(items, "support_records"), mess)
        cells = [list(map(str, row)) for row in rows]
        if plain and not any(set(c) & set(',"\r\n') for row in cells for c in row):
            path.write_text(plain.join(",".join(row) for row in cells), encoding="utf-8")
        else:
            path.write_text(
                "\n".join(",".join(f'"{c}"' for c in row) for row in cells), encoding="utf-8"
            )
        found = []
        read: list[object] = []

        def reading(*args: Any, **kwargs: Any) -> object:
            read.append(read_columns(*args, **kwargs))
            return read[-1]

        for by_columns in (True, False):
            url = f"sqlite:///{folder / f'{by_columns}.db'}"
            with open_store(url) as s:
                store_dataset(s, load_dataset(SAMPLE_DATASET))
            argv = ["import", str(path), "--kind", "support_records"]
            with pytest.MonkeyPatch.context() as m:
                if by_columns:
                    m.setattr("khuyencong.cli._tables.read_columns", reading)
                else:
                    m.setattr("khuyencong.cli._tables.read_columns", lambda *a, **k: None)
                out = io.StringIO()
                m.setattr(sys, "stdout", out)
                status = main([*argv, "--store", url] if store else argv)
            with open_store(url) as s:
                held = s._all("SELECT * FROM support_records ORDER BY id", [])  # type: ignore[attr-defined]
            found.append((status, out.getvalue().replace(url, "URL"), held))
        assert found[0] == found[1]
        if mess is None:  # a clean table: read by column indeed
            assert read[0] is not None
