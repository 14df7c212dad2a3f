"""Reading dataset files: every problem found, valid items kept."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from khuyencong.converters import structure
from khuyencong.datafiles import SAMPLE_DATASET, load_dataset, read_dataset, write_dataset
from khuyencong.domain import Dataset
from khuyencong.exceptions import FileFormatError, NotFoundError, ValidationError
from khuyencong.messages import language
from khuyencong.reports import example_path, load_report_config
from khuyencong.testing.strategies import establishments, support_records


def sample() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SAMPLE_DATASET.read_text(encoding="utf-8"))
    return data


def read(data: object) -> list[str]:
    return [p.path for p in read_dataset("<text>", text=json.dumps(data)).problems]


class TestReadDataset:
    def test_the_sample_dataset_is_clean(self) -> None:
        """The shipped sample validates without a problem."""
        reading = read_dataset(SAMPLE_DATASET)
        assert reading.ok
        assert reading.dataset.summary()["support_records"] == 4

    def test_bad_items_are_reported_and_left_out(self) -> None:
        """A bad establishment is reported with its path; the good ones are kept."""
        data = sample()
        data["establishments"][1]["tax_number"] = "123"
        reading = read_dataset("<text>", text=json.dumps(data))
        paths = [p.path for p in reading.problems]
        assert paths[0] == "$.establishments[1].tax_number"
        assert reading.dataset.summary()["establishments"] == 3
        # its records are not reported again as pointing at a missing establishment
        assert paths == ["$.establishments[1].tax_number"]

    def test_duplicates_and_dangling_references_are_reported(self) -> None:
        """Ids are unique per kind; records point at establishments and projects that exist."""
        data = sample()
        data["establishments"].append(data["establishments"][0])
        data["support_records"][2]["project_id"] = "DA-NONE"
        data["award_entries"][1]["prior_entry_id"] = "BC-NONE"
        data["ocop_ratings"][0]["establishment_id"] = "NOBODY"
        data["projects"][0]["beneficiary_ids"] = ["NOBODY"]
        data["budgets"].append(data["budgets"][0])
        assert read(data) == [
            "$.establishments[4]",
            "$.budgets[1]",
            "$.projects[0].beneficiary_ids[0]",
            "$.support_records[2].project_id",
            "$.ocop_ratings[0].establishment_id",
            "$.award_entries[1].prior_entry_id",
        ]

    @pytest.mark.parametrize(
        ("document", "path"),
        [
            ("[1, 2]", "$"),
            ('{"establishment": []}', "$.establishment"),
            ('{"establishments": {}}', "$.establishments"),
        ],
    )
    def test_wrong_shapes_are_problems_not_crashes(self, document: str, path: str) -> None:
        """A file that is not a dataset gets a problem at the right place."""
        reading = read_dataset("<text>", text=document)
        assert [p.path for p in reading.problems] == [path]

    @pytest.mark.parametrize(
        "document",
        [
            '{"x": "Hà Nôi"}'.encode("latin-1"),
            '{"establishments": [',
            '{"establishments": ' + "[" * 100_000,
            '{"establishments": [{"employees": ' + "9" * 5000 + "}]}",
        ],
        ids=["not-utf8", "broken", "nested-deep", "huge-number"],
    )
    def test_a_file_that_is_not_json_cannot_be_read(self, document: str | bytes) -> None:
        """A file that is not JSON at all (legacy-encoded, broken, nested thousands deep, a
        number of thousands of digits) raises FileFormatError naming it: it is not a dataset
        with problems but a file that cannot be read."""
        with pytest.raises(FileFormatError) as caught:
            read_dataset("upload.json", text=document)
        assert caught.value.source == "upload.json"
        assert caught.value.paths == ("$",)

    def test_load_dataset_raises_for_a_dirty_file(self, tmp_path: Path) -> None:
        """The strict loader raises a ValidationError listing the problems."""
        data = sample()
        data["support_records"][0]["national_amount"] = -1
        path = tmp_path / "d.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        with pytest.raises(ValidationError) as info:
            load_dataset(path)
        assert info.value.paths == ("$.support_records[0].national_amount",)
        assert load_dataset(SAMPLE_DATASET).summary()["projects"] == 1


class TestDatasetReadingData:
    def test_a_reading_is_json_ready_data_with_its_dataset_and_problems(self) -> None:
        """``to_data()`` goes through JSON text; its dataset reads back equal."""
        document = json.loads(SAMPLE_DATASET.read_text(encoding="utf-8"))
        document["establishments"][0]["legal_form"] = "guild"
        reading = read_dataset("broken.json", text=json.dumps(document))
        data = json.loads(json.dumps(reading.to_data(), ensure_ascii=False))
        assert data["source"] == "broken.json"
        assert structure(data["dataset"], Dataset) == reading.dataset
        assert [p["path"] for p in data["problems"]] == [p.path for p in reading.problems]
        assert data["problems"]


class TestWriteDataset:
    @given(
        st.lists(establishments(), max_size=3, unique_by=lambda e: e.id),
        st.lists(support_records(), max_size=3, unique_by=lambda r: r.id),
    )
    def test_written_datasets_read_back_unchanged(self, es: list[Any], rs: list[Any]) -> None:
        """write_dataset then read_dataset gives the same objects (references aside)."""
        dataset = Dataset(establishments=tuple(es), support_records=tuple(rs))
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "d.json"
            write_dataset(dataset, path)
            back = read_dataset(path).dataset
        assert [e.same_state(b) for e, b in zip(es, back.establishments, strict=True)] == [
            True
        ] * len(es)
        assert back.support_records == tuple(rs)


class TestReportConfig:
    """report.json is read through the same safe JSON reader: a number, a list or a broken
    file ends in a library error naming the file, never a TypeError."""

    @pytest.mark.parametrize(
        ("content", "error"),
        [
            ("42", ValidationError),
            ("[1, 2]", ValidationError),
            ('{"period": ', FileFormatError),
            ("[" * 100_000, FileFormatError),
        ],
    )
    def test_a_config_of_the_wrong_shape_is_a_library_error(
        self, tmp_path: Path, content: str, error: type[Exception]
    ) -> None:
        """A configuration holding a number or a list, or not JSON, is refused plainly."""
        path = tmp_path / "report.json"
        path.write_text(content, encoding="utf-8")
        with language("en"), pytest.raises(error) as caught:
            load_report_config(path)
        assert str(path) in str(caught.value)
        if error is ValidationError:
            assert "must be a JSON object" in str(caught.value)

    def test_a_folder_or_its_report_json_may_be_given(self) -> None:
        """The loader takes the data folder or the report.json file itself."""
        folder = example_path()
        assert load_report_config(folder) == load_report_config(folder / "report.json")

    def test_a_missing_config_is_not_found(self, tmp_path: Path) -> None:
        """A folder without report.json says so."""
        with pytest.raises(NotFoundError):
            load_report_config(tmp_path)
