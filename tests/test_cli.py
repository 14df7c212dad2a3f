"""The `khuyencong` command line: validate data files, look up units."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from khuyencong.cli import main
from khuyencong.datafiles import SAMPLE_DATASET, load_dataset
from khuyencong.importing import write_csv
from khuyencong.storage import open_store


class TestValidate:
    def test_the_bundled_sample_is_clean_and_summarised(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """With no file, the bundled sample is validated: what it holds, and no problems."""
        assert main(["validate"]) == 0
        out = capsys.readouterr().out
        assert "Cơ sở" in out
        assert "Không phát hiện lỗi." in out

    def test_every_problem_of_a_bad_file_is_listed_in_english(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A file with problems exits 1 and lists each problem with its path."""
        data = json.loads(SAMPLE_DATASET.read_text(encoding="utf-8"))
        data["establishments"][0]["employees"] = -5
        data["support_records"][0]["establishment_id"] = "NOBODY"
        bad = tmp_path / "bad.json"
        bad.write_text(json.dumps(data), encoding="utf-8")
        assert main(["validate", str(bad), "--lang", "en"]) == 1
        out = capsys.readouterr().out
        assert "2 problem(s) found" in out
        assert "$.establishments[0].employees: must not be negative" in out
        assert "$.support_records[0].establishment_id" in out

    def test_an_unreadable_file_exits_2(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A missing file is reported, not a traceback."""
        assert main(["validate", str(tmp_path / "missing.json")]) == 2
        assert "Không đọc được" in capsys.readouterr().out


class TestUnits:
    def test_find_works_without_diacritics(self, capsys: pytest.CaptureFixture[str]) -> None:
        """'luc ngan' finds Huyện Lục Ngạn on the 2021 map."""
        assert main(["units", "find", "luc ngan", "--map", "2021-11"]) == 0
        assert "Huyện Lục Ngạn, Tỉnh Bắc Giang" in capsys.readouterr().out

    def test_find_reports_nothing_found(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A name that matches no unit exits 1 with a message."""
        assert main(["units", "find", "atlantis", "--lang", "en"]) == 1
        assert "Nothing found." in capsys.readouterr().out

    def test_reform_maps_an_old_township_to_its_new_ward(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Thị trấn Chũ (Bắc Giang, 2021) became Phường Chũ in Bắc Ninh."""
        assert main(["units", "reform", "07525"]) == 0
        out = capsys.readouterr().out
        assert "Phường Chũ, Tỉnh Bắc Ninh" in out

    def test_show_names_the_unit_and_its_parents(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A code shows the unit with its province."""
        assert main(["units", "show", "219", "--map", "2021-11", "--lang", "en"]) == 0
        assert "Huyện Lục Ngạn" in capsys.readouterr().out

    def test_an_unknown_code_is_a_clear_error(self, capsys: pytest.CaptureFixture[str]) -> None:
        """An unknown code exits 2 with the library's message, not a traceback."""
        assert main(["units", "show", "99999"]) == 2
        assert "99999" in capsys.readouterr().err

    def test_an_unknown_map_is_refused_by_the_parser(self) -> None:
        """The map must be one of the packaged maps."""
        with pytest.raises(SystemExit):
            main(["units", "show", "24", "--map", "1999"])


class TestEntryPoint:
    def test_the_module_runs_as_a_program(self) -> None:
        """`python -m khuyencong.cli version` prints the version."""
        result = subprocess.run(
            [sys.executable, "-m", "khuyencong.cli", "version"],
            capture_output=True,
            text=True,
            check=True,
        )
        assert result.stdout.startswith("khuyencong ")


class TestDemo:
    def test_demo_prints_the_checks_and_the_report(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """`khuyencong demo` loads the example into SQLite and prints checks and report."""
        assert main(["demo", "--db", str(tmp_path / "d.db"), "--lang", "en"]) == 0
        out = capsys.readouterr().out
        assert "Loaded 273 records" in out
        assert "Checked 27 example projects" in out
        assert "52 cooperatives" in out

    def test_demo_writes_html(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """`--format html` prints the HTML report only."""
        assert (
            main(["demo", "--db", str(tmp_path / "d.db"), "--format", "html", "--no-charts"]) == 0
        )
        assert capsys.readouterr().out.startswith("<!DOCTYPE html>")


class TestImport:
    def test_a_clean_file_is_validated_and_stored(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A clean CSV is stored in one unit of work when a store is given."""
        ds = load_dataset(SAMPLE_DATASET)
        path = write_csv(tmp_path / "co-so.csv", ds.establishments, "establishments")
        url = f"sqlite:///{tmp_path / 's.db'}"
        assert main(["import", str(path), "--kind", "establishments", "--lang", "en"]) == 0
        assert "Nothing stored (no --store given)." in capsys.readouterr().out
        assert main(["import", str(path), "--kind", "establishments", "--store", url]) == 0
        assert "Đã lưu 4 bản ghi" in capsys.readouterr().out
        with open_store(url) as store:
            assert store.establishments.count() == 4

    def test_a_file_with_a_bad_row_imports_nothing_unless_asked(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """One bad row stops the import; --valid-only imports the rest."""
        path = tmp_path / "co-so.csv"
        path.write_text(
            "Mã cơ sở,Tên cơ sở,Loại hình,Ngành nghề,Mã đơn vị hành chính,Số lao động\n"
            "A,HTX A,cooperative,handicrafts,07525,3\n"
            "B,HTX B,cooperative,handicrafts,07525,-3\n",
            encoding="utf-8",
        )
        url = f"sqlite:///{tmp_path / 's.db'}"
        args = ["import", str(path), "--kind", "establishments", "--map", "2021-11"]
        assert main([*args, "--store", url]) == 1
        out = capsys.readouterr().out
        assert "row 3, column 'Số lao động': must not be negative (got -3)" in out
        assert "Không nhập dòng nào" in out
        with open_store(url) as store:
            assert store.establishments.count() == 0
        assert main([*args, "--store", url, "--valid-only"]) == 1
        with open_store(url) as store:
            assert [e.id for e in store.establishments] == ["A"]

    def test_an_unreadable_file_exits_2(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A missing file is reported with exit status 2."""
        assert main(["import", str(tmp_path / "none.csv"), "--kind", "establishments"]) == 2

    def test_the_template_command_writes_the_workbook(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """`khuyencong template` writes the Excel import template."""
        path = tmp_path / "mau.xlsx"
        assert main(["template", str(path)]) == 0
        assert path.exists()
        assert "mẫu nhập liệu" in capsys.readouterr().out


class TestCheck:
    def test_check_decides_an_establishment_from_json(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """`khuyencong check` prints the decision; exit 1 when not eligible."""
        path = tmp_path / "e.json"
        path.write_text(
            json.dumps(
                {
                    "id": "H",
                    "name": "HTX",
                    "legal_form": "cooperative",
                    "members": 4,
                    "location": {"map_id": "2021-11", "code": "07525"},
                    "sectors": ["handicrafts"],
                }
            ),
            encoding="utf-8",
        )
        assert main(["check", str(path), "--date", "2024-07-01", "--lang", "en"]) == 1
        assert "at least 5 official members" in capsys.readouterr().out
        assert main(["check", str(path), "--date", "2024-06-30"]) == 1
        assert main(["check", str(tmp_path / "missing.json")]) == 2


class TestPipes:
    def test_a_closed_pipe_ends_the_output_quietly(
        self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        """`khuyencong demo | head` stops without a traceback when head closes the pipe."""
        read_end, write_end = os.pipe()
        os.close(read_end)  # the reader has gone away: every write now fails with EPIPE
        closed = os.fdopen(write_end, "w", buffering=1)
        monkeypatch.setattr(sys, "stdout", closed)
        try:
            assert main(["demo", "--db", str(tmp_path / "d.db")]) == 0
        finally:
            closed.close()
