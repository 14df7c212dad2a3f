"""The main job: the founding example loaded into SQLite, checked with the rules, reported."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest

from khuyencong.demo import (
    CACHE_VARIABLE,
    DEMO_EXAMPLES,
    DemoResult,
    ProjectCheck,
    cache_dir,
    default_database,
    example_label,
    run_demo,
)
from khuyencong.domain import Lang
from khuyencong.exceptions import DuplicateIdError, NotFoundError
from khuyencong.messages import catalogue, language
from khuyencong.storage import open_store


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test writes to the user's real cache folder."""
    cache = tmp_path / "cache"
    monkeypatch.setenv(CACHE_VARIABLE, str(cache))
    return cache


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
        assert all("chưa cấu hình" in c.reasons[-1][0] for c in unknown)
        summary = result.checks_summary("en")
        assert "8 request amounts within the legal maximum, 0 above it" in summary
        assert "Bắc Giang: QĐ 734/2014/QĐ-UBND + Bắc Giang: QĐ 30/2019/QĐ-UBND" in summary

    def test_an_existing_store_is_not_mixed_with_the_example(self, tmp_path: Path) -> None:
        """Running the demo twice into one file of the caller's refuses the second load."""
        path = tmp_path / "demo.db"
        run_demo(path)
        with pytest.raises(DuplicateIdError, match="đã có trong kho dữ liệu"):
            run_demo(path)

    def test_the_report_is_available_in_english_and_html(self, tmp_path: Path) -> None:
        """The demo speaks English on request, and writes HTML."""
        english = run_demo(tmp_path / "en.db", lang="en", fmt="html", charts=False)
        assert english.report.startswith("<!DOCTYPE html>")
        assert "52 cooperatives" in english.report

    def test_the_language_in_force_is_the_default(self, tmp_path: Path) -> None:
        """Without ``lang``, the report and summary follow the language setting."""
        with language("en"):
            result = run_demo(tmp_path / "d.db", example="bac-ninh-2026")
            assert result.checks_summary().startswith("The synthetic post-reform Bắc Ninh")
        assert "Checked 12 example projects" in result.checks_summary("en")
        assert "Kiểm tra 12 đề án mẫu" in result.checks_summary("vi")

    def test_an_unknown_example_names_those_that_ship(self, tmp_path: Path) -> None:
        """Asking for an example that does not ship lists the ones that do."""
        with pytest.raises(NotFoundError, match="bac-ninh-2026"):
            run_demo(tmp_path / "x.db", example="ha-noi-2030")


class TestDefaultDatabase:
    def test_without_a_path_the_store_is_in_the_cache_and_rebuilt(self, own_cache: Path) -> None:
        """The demo's own store lives in the cache folder, is replaced by a second run (not
        refused), and nothing else is left beside it."""
        first = run_demo(example="bac-ninh-2026")
        second = run_demo(example="bac-ninh-2026")
        expected = own_cache / "demo" / "bac-ninh-2026.db"
        assert first.database == second.database == expected
        assert sorted(p.name for p in expected.parent.iterdir()) == ["bac-ninh-2026.db"]
        with open_store(f"sqlite:///{expected}") as store:
            assert store.projects.count() == 12

    def test_nothing_is_left_in_the_temporary_folder(self) -> None:
        """A run without a path creates no folder in the system's temporary folder."""
        before = set(Path(tempfile.gettempdir()).glob("khuyencong-demo-*"))
        run_demo(example="bac-ninh-2026")
        assert set(Path(tempfile.gettempdir()).glob("khuyencong-demo-*")) == before

    def test_a_failed_run_keeps_the_previous_store_and_leaves_no_partial_file(
        self, own_cache: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """If a run fails after loading, the previous store stays whole, with no leftovers."""
        run_demo(example="bac-ninh-2026")
        store = default_database("bac-ninh-2026")
        before = store.read_bytes()

        def broken(*_: object, **__: object) -> object:
            raise RuntimeError("report failed")

        monkeypatch.setattr("khuyencong.demo.build_report", broken)
        with pytest.raises(RuntimeError, match="report failed"):
            run_demo(example="bac-ninh-2026")
        assert store.read_bytes() == before
        assert sorted(p.name for p in store.parent.iterdir()) == ["bac-ninh-2026.db"]

    def test_the_cache_folder_follows_the_platforms_convention(
        self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        """KHUYENCONG_CACHE_DIR wins; on Linux, XDG_CACHE_HOME, else ~/.cache."""
        assert cache_dir() == tmp_path / "cache"
        monkeypatch.delenv(CACHE_VARIABLE)
        monkeypatch.setattr("sys.platform", "linux")
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
        assert cache_dir() == tmp_path / "xdg" / "khuyencong"
        monkeypatch.setenv("XDG_CACHE_HOME", "relative/is/ignored")
        monkeypatch.setenv("HOME", str(tmp_path / "home"))
        assert cache_dir() == tmp_path / "home" / ".cache" / "khuyencong"
        monkeypatch.setattr("sys.platform", "darwin")
        assert cache_dir() == tmp_path / "home" / "Library" / "Caches" / "khuyencong"
        monkeypatch.setattr("sys.platform", "win32")
        monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "local"))
        assert cache_dir() == tmp_path / "local" / "khuyencong" / "Cache"


class TestDemoResult:
    def test_the_summary_is_in_the_language_asked(self, tmp_path: Path) -> None:
        """The summary of the Bắc Giang demo reads in Vietnamese or English, never mixed in
        its own sentences."""
        result = run_demo(tmp_path / "d.db")
        vi, en = result.checks_summary("vi"), result.checks_summary("en")
        assert vi.startswith("Kiểm tra 27 đề án mẫu theo quy định")
        assert "Giá trị chưa cấu hình (9)" in vi
        assert "Quy định áp dụng: quốc gia + " in vi
        assert en.startswith("Checked 27 example projects against the rules")
        assert "Rules applied: national + " in en
        assert isinstance(result, DemoResult)


class TestDemoResultData:
    def test_what_the_demo_did_is_json_ready_data(self, tmp_path: Path) -> None:
        """``to_data()`` goes through JSON text with every check, gap and artisan decision."""
        result = run_demo(tmp_path / "d.db", example="bac-ninh-2026")
        data = json.loads(json.dumps(result.to_data(), ensure_ascii=False))
        assert data["database"] == str(tmp_path / "d.db")
        assert [c["project_id"] for c in data["checks"]] == [c.project_id for c in result.checks]
        assert [len(c["gaps"]) for c in data["checks"]] == [len(c.gaps) for c in result.checks]
        assert [a["subject"] for a in data["artisans"]] == ["BN-NN-01"]
        assert data["stored"] == result.stored


class TestProjectCheck:
    def test_reasons_come_in_both_languages(self, tmp_path: Path) -> None:
        """Every reason of every project check has a Vietnamese and an English side."""
        result = run_demo(tmp_path / "d.db", example="bac-ninh-2026")
        reasons = [r for c in result.checks for r in c.reasons]
        assert reasons
        assert all(isinstance(c, ProjectCheck) for c in result.checks)
        assert all(vi and en and vi != en for vi, en in reasons)

    @pytest.mark.parametrize("lang", ["vi", "en"])
    def test_a_value_not_configured_is_a_gap_shown_once_not_a_failure(
        self, lang: Lang, tmp_path: Path
    ) -> None:
        """A level the law leaves unknown is marked ? with the document that should set it, once
        per project; ✗ is kept for conditions that failed."""
        result = run_demo(tmp_path / "d.db", example="bac-ninh-2026")
        gapped = [c for c in result.checks if c.gaps]
        assert gapped
        assert all(set(c.gaps) <= set(c.reasons) for c in result.checks)
        summary = result.checks_summary(lang)
        for check in gapped:
            block = summary.split(f"  {check.project_id}: ", 1)[1].split("\n  DA-", 1)[0]
            marked = [line.strip() for line in block.splitlines()[1:]]
            index = 0 if lang == "vi" else 1
            assert [f"? {gap[index]}" for gap in check.gaps] == [
                m for m in marked if m.startswith("?")
            ]
        failed = next(c for c in result.checks if c.project_id == "DA-2026-10")
        assert not failed.gaps
        assert "✗ " in summary.split("  DA-2026-10: ", 1)[1].split("\n  DA-", 1)[0]


class TestExamples:
    def test_every_example_has_a_label_and_description_in_both_languages(self) -> None:
        """Each shipped example is named and described in the catalogue, in both languages."""
        for name in DEMO_EXAMPLES:
            assert catalogue()[f"demo.example.{name}.label"][0] == example_label(name, "vi")
            assert catalogue()[f"demo.example.{name}.description"][1] == DEMO_EXAMPLES[name]
        assert example_label("bac-ninh-2026", "en") == (
            "the synthetic post-reform Bắc Ninh 2026 example"
        )
