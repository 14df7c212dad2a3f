"""Importing CSV and Excel tables: every bad row reported with its row, column and reason."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from khuyencong.datafiles import SAMPLE_DATASET, load_dataset
from khuyencong.domain import LegalForm, Sector, SupportContent
from khuyencong.exceptions import ValidationError
from khuyencong.importing import (
    ImportKind,
    import_table,
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
from khuyencong.testing.strategies import establishments, fair_participations, support_records
from khuyencong.units import MapId

HEADER = ["STT", "Mã cơ sở", "Tên cơ sở", "Loại hình", "Ngành nghề", "Mã đơn vị hành chính"]


def est_rows(*rows: list[object]) -> list[list[object]]:
    return [HEADER, *rows]


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
        for text in (
            "15/03/2019",
            "15-3-2019",
            "15.03.2019",
            "2019-03-15",
            day,
            dt.datetime(2019, 3, 15, 0, 0),  # noqa: DTZ001 - Excel cells hold naive dates
        ):
            assert parse_date(text) == day
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
        for text in ("cooperative", "Hợp tác xã", "hop tac xa", "COOPERATIVE"):
            assert parse_enum(LegalForm, text) is LegalForm.COOPERATIVE
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
        result = import_table(rows, "establishments", default_map=MapId.MAP_2021)
        assert [str(p) for p in result.problems] == [
            "row 3, column 'Tên cơ sở': required; fill it in",
            (
                "row 4, column 'Loại hình': not a LegalForm; write one of: cooperative, "
                "cooperative_union, cooperative_group, sme, household_business, "
                "large_enterprise, unregistered_individual, artisan, service_organisation "
                "(or its label) (got 'công ty')"
            ),
            (
                "row 4, column 'Mã đơn vị hành chính': no administrative unit with code 99999 "
                "in the 2021-11 map; codes keep their leading zeros (province 2 digits, "
                "district 3, commune 5) (got '99999')"
            ),
            "row 5, column 'Mã cơ sở': duplicate id: row 2 has it (got 'HTX-1')",
        ]
        assert [e.id for e in result.objects] == ["HTX-1"]
        assert result.rows == (2,)
        assert result.bad_rows == (3, 4, 5)
        assert not result.ok
        assert result.total_rows == 4

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
        assert "twice" in twice.problems[0].message

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
        assert "where it produces" in result.problems[0].message

    def test_an_empty_table_says_so(self) -> None:
        """A file with no header row is reported, not crashed on."""
        assert "empty" in import_table([["", ""]], "establishments").problems[0].message

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

    def test_the_english_template_has_english_headers(self, tmp_path: Path) -> None:
        """lang='en' writes English headers, which the importer also reads."""
        path = write_template(tmp_path / "t.xlsx", ["establishments"], lang="en")
        book = openpyxl.load_workbook(path)
        assert book["Establishments"]["A1"].value == "Establishment id"

    def test_the_sample_round_trips_through_csv(self, tmp_path: Path) -> None:
        """Sample records written to CSV import back unchanged."""
        ds = load_dataset(SAMPLE_DATASET)
        path = write_csv(tmp_path / "ho-tro.csv", ds.support_records, "support_records")
        assert import_table(path, "support_records").objects == ds.support_records


class TestRoundTrip:
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
