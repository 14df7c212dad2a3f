"""Flat tables of records for notebooks and spreadsheets."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import attrs
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from khuyencong._files import FORMULA_STARTS, neutralise_formula, restore_formula
from khuyencong.datafiles import SAMPLE_DATASET, load_dataset
from khuyencong.domain import Project, SupportRecord
from khuyencong.exceptions import FileWriteError
from khuyencong.exports import (
    dumps_records_csv,
    records_dataframe,
    records_table,
    write_records_csv,
)
from khuyencong.indicators import Table
from khuyencong.testing.strategies import projects, support_records

DATASET = load_dataset(SAMPLE_DATASET)


class TestRecordsTable:
    def test_nested_units_become_dotted_columns(self) -> None:
        """A record's unit is two columns, map and code, as an analyst filters on them."""
        rows = records_table(DATASET.support_records)
        assert rows[0]["location.map_id"] == "2021-11"
        assert rows[0]["location.code"] == "07525"
        assert "location" not in rows[0]

    def test_lists_are_joined_and_object_lists_are_json(self) -> None:
        """Partners read as 'A; B'; a project's contents keep their structure as JSON."""
        partners = records_table(DATASET.support_records)[3]["partners"]
        assert partners == (
            "Trung tâm Khuyến công và Xúc tiến thương mại tỉnh Bắc Giang; "
            "Trường Đào tạo, bồi dưỡng Cán bộ Công Thương Trung ương"
        )
        contents = json.loads(str(records_table(DATASET.projects)[0]["contents"]))
        assert contents[0]["content"] == "machinery"

    def test_every_row_has_every_column(self) -> None:
        """A record without a location still has the location columns, empty."""
        with_unit, without = DATASET.support_records[0], DATASET.support_records[0]
        without = SupportRecord(
            id="X",
            establishment_id=with_unit.establishment_id,
            content=with_unit.content,
            delivered_on=with_unit.delivered_on,
        )
        rows = records_table([without, with_unit])
        assert list(rows[0]) == list(rows[1])
        assert rows[0]["location.code"] is None

    @given(st.lists(support_records(), max_size=5))
    def test_money_stays_whole_dong(self, records: list[SupportRecord]) -> None:
        """Amounts are integers in the table, never floats."""
        for row, record in zip(records_table(records), records, strict=True):
            assert row["national_amount"] == record.national_amount
            assert type(row["national_amount"]) is int

    @given(st.lists(projects(), max_size=3))
    def test_projects_flatten_without_error(self, items: list[Project]) -> None:
        """Any valid project flattens to one row with its id."""
        assert [r["id"] for r in records_table(items)] == [p.id for p in items]


class TestRecordsDataframe:
    def test_a_dataframe_with_dates_as_dates(self) -> None:
        """In a notebook, delivery dates are dates and amounts are integers."""
        frame = records_dataframe(DATASET.support_records)
        assert len(frame) == 4
        assert pd.api.types.is_datetime64_any_dtype(frame["delivered_on"])
        assert frame["local_amount"].sum() == 230_000_000
        assert frame.loc[0, "delivered_on"].date() == dt.date(2019, 9, 20)


class TestWriteRecordsCsv:
    def test_csv_has_a_header_and_a_row_per_record(self, tmp_path: Path) -> None:
        """The CSV opens in Excel with Vietnamese intact (UTF-8 with a byte-order mark)."""
        path = tmp_path / "co-so.csv"
        write_records_csv(DATASET.establishments, path)
        assert path.read_bytes().startswith(b"\xef\xbb\xbf")
        with path.open(encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f))
        assert [r["id"] for r in rows] == [e.id for e in DATASET.establishments]
        assert rows[0]["name"] == "Hợp tác xã Sản xuất và Chế biến Mỳ gạo Chũ"

    def test_no_records_write_an_empty_file(self, tmp_path: Path) -> None:
        """An empty selection writes an empty file rather than failing."""
        path = tmp_path / "empty.csv"
        write_records_csv([], path)
        assert path.read_text(encoding="utf-8-sig") == ""

    def test_a_text_stream_gets_the_text_of_dumps(self) -> None:
        """write takes an open text stream as well as a path, and writes what dumps gives."""
        stream = io.StringIO()
        write_records_csv(DATASET.support_records, stream)
        assert stream.getvalue() == dumps_records_csv(DATASET.support_records)

    def test_a_missing_folder_is_a_clear_error(self, tmp_path: Path) -> None:
        """Writing into a folder that does not exist names the folder."""
        with pytest.raises(FileWriteError, match="chua-co"):
            write_records_csv(DATASET.establishments, tmp_path / "chua-co" / "x.csv")


class TestExportFormulaNeutralisation:
    """A text cell beginning with =, +, -, @, a tab or a carriage return runs as a formula
    when a spreadsheet program opens the CSV; every CSV writer neutralises it (OWASP)."""

    @pytest.mark.parametrize("start", ["=", "+", "-", "@"])
    def test_a_formula_in_a_name_is_written_as_text(self, start: str) -> None:
        """A hostile name is written with a single quote in front."""
        hostile = attrs.evolve(DATASET.establishments[0], name=f'{start}HYPERLINK("http://x")')
        [row] = list(csv.DictReader(io.StringIO(dumps_records_csv([hostile]))))
        assert row["name"] == "'" + hostile.name

    @pytest.mark.parametrize("start", ["\t", "\r"])
    def test_a_tab_or_carriage_return_first_is_neutralised(self, start: str) -> None:
        """A cell that begins with a tab or a carriage return (which can hide a formula) is
        written with a single quote in front too."""
        table = Table("T", ("Tên",), ((f"{start}=1+2",),))
        assert next(csv.reader(io.StringIO(table.to_csv(), newline="")), None) == ["Tên"]
        assert list(csv.reader(io.StringIO(table.to_csv(), newline="")))[1] == [f"'{start}=1+2"]

    def test_numbers_stay_numbers(self) -> None:
        """A negative amount written as a number is not text and keeps its minus sign."""
        record = attrs.evolve(DATASET.support_records[0], income_change=-5_000_000)
        [row] = list(csv.DictReader(io.StringIO(dumps_records_csv([record]))))
        assert row["income_change"] == "-5000000"

    def test_neutralising_can_be_turned_off(self) -> None:
        """neutralise_formulas=False writes every cell as it is."""
        hostile = attrs.evolve(DATASET.establishments[0], name="=1+2")
        text = dumps_records_csv([hostile], neutralise_formulas=False)
        assert next(csv.DictReader(io.StringIO(text)))["name"] == "=1+2"

    def test_indicator_tables_are_neutralised_too(self) -> None:
        """Table.to_csv, the CSV of a report's tables, neutralises text and keeps numbers."""
        table = Table("T", ("Tên", "Số"), (("=cmd|' /C calc'!A0", -3), ("@SUM(A1)", 2)))
        assert table.to_csv().splitlines()[1:] == ["'=cmd|' /C calc'!A0,-3", "'@SUM(A1),2"]
        assert table.to_csv(neutralise_formulas=False).splitlines()[1].startswith("=cmd")

    @given(st.text(max_size=12))
    def test_the_quote_comes_off_again(self, value: str) -> None:
        """Whatever the text, taking the quote off gives back exactly what was neutralised,
        and a neutralised cell never begins with a formula's first character."""
        written = neutralise_formula(value)
        assert restore_formula(written) == value
        if written and written[0] in FORMULA_STARTS:
            assert _plain_number(written)


def _plain_number(value: str) -> bool:
    try:
        float(value.replace(",", "."))
    except ValueError:
        return False
    return True
