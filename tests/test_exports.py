"""Flat tables of records for notebooks and spreadsheets."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from khuyencong.datafiles import SAMPLE_DATASET, load_dataset
from khuyencong.domain import Project, SupportRecord
from khuyencong.exports import records_dataframe, records_table, write_records_csv
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
        path = write_records_csv(DATASET.establishments, tmp_path / "co-so.csv")
        assert path.read_bytes().startswith(b"\xef\xbb\xbf")
        with path.open(encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f))
        assert [r["id"] for r in rows] == [e.id for e in DATASET.establishments]
        assert rows[0]["name"] == "Hợp tác xã Sản xuất và Chế biến Mỳ gạo Chũ"

    def test_no_records_write_an_empty_file(self, tmp_path: Path) -> None:
        """An empty selection writes an empty file rather than failing."""
        path = write_records_csv([], tmp_path / "empty.csv")
        assert path.read_text(encoding="utf-8-sig") == ""
