"""The main job: the founding example loaded into SQLite, checked with the rules, reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from khuyencong.demo import run_demo
from khuyencong.exceptions import DuplicateIdError
from khuyencong.storage import open_store


class TestRunDemo:
    def test_the_example_is_stored_checked_and_reported(self, tmp_path: Path) -> None:
        """The demo stores every record in SQLite and the report states the seed's figures."""
        result = run_demo(tmp_path / "demo.db")
        assert result.stored == {
            "establishments": 56,
            "projects": 27,
            "support_records": 60,
            "fair_participations": 104,
            "award_entries": 17,
            "ocop_ratings": 9,
            "budgets": 0,
        }
        with open_store(f"sqlite:///{result.database}") as store:
            assert store.support_records.count() == 60
            assert store.check_integrity() == []
        for figure in ("52 hợp tác xã", "12 sản phẩm", "khoảng 100 lượt", "150 học viên"):
            assert figure in result.report

    def test_every_example_project_is_checked_with_the_rules(self, tmp_path: Path) -> None:
        """National projects are checked against the legal maxima, local ones against Bắc
        Giang's own documents (QĐ 734/2014 as amended by QĐ 30/2019): the two 2020 machinery
        projects against the 2020 levels; where a level was not read the check says 'not
        configured' and names the decision rather than guess (21 before the overlays, 19 now)."""
        result = run_demo(tmp_path / "demo.db")
        assert len(result.checks) == 27
        assert all(c.eligible for c in result.checks)
        checked = [c for c in result.checks if c.within_maxima is not None]
        assert len(checked) == 8
        assert all(c.within_maxima for c in checked)
        assert sorted(c.project_id for c in checked if c.unverified_levels) == [
            "DA-2020-004",
            "DA-2020-011",
        ]
        unknown = [c for c in result.checks if c.within_maxima is None]
        assert len(unknown) == 19
        assert all("not configured" in c.reasons[-1][1] for c in unknown)
        summary = result.checks_summary("en")
        assert "8 request amounts within the legal maximum, 0 above it" in summary
        assert "Bắc Giang: QĐ 734/2014/QĐ-UBND + Bắc Giang: QĐ 30/2019/QĐ-UBND" in summary

    def test_an_existing_store_is_not_mixed_with_the_example(self, tmp_path: Path) -> None:
        """Running the demo twice into one file refuses the second load (ids are taken)."""
        path = tmp_path / "demo.db"
        run_demo(path)
        with pytest.raises(DuplicateIdError, match="already stored"):
            run_demo(path)

    def test_the_report_is_available_in_english_and_html(self, tmp_path: Path) -> None:
        """The demo speaks English on request, and writes HTML."""
        english = run_demo(tmp_path / "en.db", lang="en", fmt="html", charts=False)
        assert english.report.startswith("<!DOCTYPE html>")
        assert "52 cooperatives" in english.report
