"""The present: a synthetic 2026 plan of post-reform Bắc Ninh, decided under NĐ 235/2025.

The demo runs it with ``example="bac-ninh-2026"``; ``khuyencong check`` decides the sample
establishments next to it with today's date (no date is frozen: the rules tested hold for any
date after 15/10/2025).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from khuyencong.cli import main
from khuyencong.converters import structure
from khuyencong.demo import DEMO_EXAMPLES, DemoResult, run_demo
from khuyencong.domain import Artisan, LegalForm
from khuyencong.exceptions import NotFoundError
from khuyencong.reports import example_path, load_example
from khuyencong.units import MapId, UnitLevel, UnitType, load_map

NAME = "bac-ninh-2026"
FOLDER = example_path("bac_ninh_2026")
CHECKS = FOLDER / "check"
SYNTHETIC = "(ví dụ tổng hợp)"

VERDICTS = {
    # project: (every beneficiary eligible, within the legal maximum; None: not configured)
    "DA-2025-09": (True, True),
    "DA-2026-01": (True, True),
    "DA-2026-02": (True, True),
    "DA-2026-03": (True, True),
    "DA-2026-04": (True, None),
    "DA-2026-05": (True, None),
    "DA-2026-06": (True, None),
    "DA-2026-07": (True, None),
    "DA-2026-08": (True, None),
    "DA-2026-09": (True, False),
    "DA-2026-10": (False, True),
    "DA-2026-11": (True, True),
}


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> DemoResult:
    return run_demo(tmp_path_factory.mktemp("bn") / "demo.db", example=NAME, lang="en")


class TestTheExampleRecords:
    def test_every_record_is_on_real_units_of_the_post_reform_province(self) -> None:
        """The plan is post-reform Bắc Ninh's (code 24 on the 2025-reform map): every place of
        production is a real commune or ward of it, one of them given on the 2021 map."""
        data = load_example("bac_ninh_2026")
        reform = load_map(MapId.MAP_REFORM)
        old = [e for e in data.establishments if e.location.map_id is not MapId.MAP_REFORM]
        assert [(e.id, e.location.map_id, e.location.code) for e in old] == [
            ("BN-HTX-03", MapId.MAP_2021, "07525")
        ]
        for est in data.establishments:
            if est.location.map_id is MapId.MAP_REFORM:
                unit = reform.get(est.location.code)
                assert unit.level is UnitLevel.COMMUNE
                assert unit.province_code == "24"
        assert reform.get("24").unit_type is UnitType.PROVINCE
        assert {p.province.code for p in data.projects} == {"24"}

    def test_every_name_says_the_records_are_synthetic(self) -> None:
        """A synthetic example says so in its data: every establishment, project and support
        record is labelled, and so is the artisan."""
        data = load_example("bac_ninh_2026")
        assert all(SYNTHETIC in e.name for e in data.establishments)
        assert all(SYNTHETIC in p.title for p in data.projects)
        assert all(SYNTHETIC in s.note for s in data.support_records)
        artisans = json.loads((FOLDER / "artisans.json").read_text(encoding="utf-8"))
        assert all(SYNTHETIC in a.name for a in structure(artisans, list[Artisan]))

    def test_the_plan_holds_each_beneficiary_form(self) -> None:
        """The plan covers cooperatives, a cooperative group, a union of cooperatives, SMEs
        (with the figures that size them) and a household business."""
        data = load_example("bac_ninh_2026")
        forms = {e.legal_form for e in data.establishments}
        assert forms == {
            LegalForm.COOPERATIVE,
            LegalForm.COOPERATIVE_GROUP,
            LegalForm.COOPERATIVE_UNION,
            LegalForm.SME,
            LegalForm.HOUSEHOLD_BUSINESS,
        }
        smes = [e for e in data.establishments if e.legal_form is LegalForm.SME]
        assert all(e.employees and e.revenue and e.total_capital for e in smes)


class TestRunDemoToday:
    def test_the_plan_is_stored_and_reported_as_synthetic(self, result: DemoResult) -> None:
        """The 2026 plan is loaded into SQLite and its report says it is synthetic."""
        assert result.stored["establishments"] == 12
        assert result.stored["projects"] == 12
        assert result.stored["support_records"] == 4
        assert result.report.startswith("# Industrial promotion plan 2026 in Bắc Ninh")
        assert "synthetic example, not real figures" in result.report

    def test_a_one_year_plan_is_reported_as_a_year_not_a_phase(self, result: DemoResult) -> None:
        """A plan of one year reads "In 2026", not "In 2026–2026"."""
        assert "In 2026, " in result.report
        assert "2026–2026" not in result.report
        assert "synthetic data, not real records" in result.checks_summary("en")
        assert "dữ liệu tổng hợp, không phải hồ sơ thật" in result.checks_summary("vi")

    def test_every_project_has_its_verdict(self, result: DemoResult) -> None:
        """Each project of the plan is decided on the review date (1/12/2026): eligible
        beneficiaries with amounts within 28/2018/TT-BTC's maxima; a request above the
        technology-line cap (450 million) refused; a polluting brick kiln refused
        (46/2012/TT-BCT Điều 5.1); and where a level is unknown, not configured."""
        assert {c.project_id: (c.eligible, c.within_maxima) for c in result.checks} == VERDICTS
        assert {c.decided_on for c in result.checks} == {dt.date(2026, 12, 1)}
        above = next(c for c in result.checks if c.project_id == "DA-2026-09")
        assert "exceeds the maximum VND 450,000,000" in above.reasons[0][1]
        kiln = next(c for c in result.checks if c.project_id == "DA-2026-10")
        assert "polluting" in kiln.reasons[0][1]

    def test_a_project_approved_before_235_keeps_the_rules_of_its_approval_date(
        self, result: DemoResult
    ) -> None:
        """A project approved on 10/9/2025, before NĐ 235/2025 took effect (15/10/2025), is
        judged in 2026 under the rules of its approval date: 45/2012 alone."""
        transition = next(c for c in result.checks if c.project_id == "DA-2025-09")
        assert transition.rules_on == dt.date(2025, 9, 10)
        assert transition.regime == (
            "áp dụng 45/2012/NĐ-CP theo quy định tại ngày phê duyệt 10/09/2025",
            "under 45/2012/NĐ-CP, the rules of the approval date 2025-09-10",
        )
        later = [c for c in result.checks if c.project_id != "DA-2025-09"]
        assert {c.regime[1] for c in later if c.regime} == {"under 45/2012/NĐ-CP, 235/2025/NĐ-CP"}

    def test_an_old_map_location_is_placed_on_the_new_map_and_says_so(
        self, result: DemoResult
    ) -> None:
        """Thị trấn Chũ (2021 map, 07525) is read as Phường Chũ by the 2025 merger list, and
        the verdict says so."""
        check = next(c for c in result.checks if c.project_id == "DA-2026-03")
        assert check.eligible
        assert any("placed on the post-reform map as Chũ ward" in n[1] for n in check.notes)

    def test_a_declared_craft_village_is_shown_as_declared_data(self, result: DemoResult) -> None:
        """A craft village the applicant declares rests on declared data, and the verdict
        says so (in a province the commune itself is an eligible place)."""
        check = next(c for c in result.checks if c.project_id == "DA-2026-04")
        assert any("Làng gốm Phù Lãng (declared data)" in n[1] for n in check.notes)

    def test_the_artisan_is_decided_as_a_person_with_a_title(self, result: DemoResult) -> None:
        """A Meritorious Artisan is a beneficiary from 15/10/2025 (235/2025), decided as a
        person holding a title, apart from the establishments."""
        assert [(d.subject, d.outcome) for d in result.artisans] == [("BN-NN-01", True)]
        assert "Meritorious Artisan" in result.checks_summary("en")

    def test_every_unknown_value_is_listed_with_its_document(self, result: DemoResult) -> None:
        """Five values the plan needs are unknown; each names the document that should set
        it: 28/2018/TT-BTC Điều 8 for training and digital transformation, the Ministry of
        Finance circular for 235/2025's new contents, and for the local fund the former
        provinces' decisions, which apply only in their own territories."""
        missing = dict(result.not_configured)
        assert set(missing) == {
            "support.local.design_consulting.rate",
            "support.local.machinery.rate",
            "support.national.digital_transformation.rate",
            "support.national.sustainable_production.rate",
            "support.national.vocational_training.rate",
        }
        assert (
            "Điều 8 Thông tư 28/2018/TT-BTC" in missing["support.national.vocational_training.rate"]
        )
        assert "235/2025" in missing["support.national.sustainable_production.rate"]
        for local in ("support.local.design_consulting.rate", "support.local.machinery.rate"):
            assert "734/2014/QĐ-UBND" in missing[local]
            assert "01/2020/QĐ-UBND" in missing[local]
        summary = result.checks_summary("en")
        assert "Values not configured (5), each with the document that should supply it:" in (
            summary
        )

    def test_no_invented_value_is_used(self, result: DemoResult) -> None:
        """The plan is decided with the national rules and the province's shipped documents
        only: no overlay of the example's own, no invented targets."""
        assert not (FOLDER / "overlay.toml").exists()
        assert not (FOLDER / "targets.toml").exists()
        assert result.rule_layers[0] == "national"
        assert not any("ví dụ / example" in layer for layer in result.rule_layers)

    def test_an_unknown_example_is_refused_with_the_choices(self, tmp_path: Path) -> None:
        """Asking for an example that does not ship names those that do."""
        with pytest.raises(NotFoundError, match="bac-ninh-2026"):
            run_demo(tmp_path / "x.db", example="ha-noi-2030")
        assert set(DEMO_EXAMPLES) == {"bac-giang-2017-2020", NAME}


class TestDemoCommand:
    def test_the_example_option_runs_the_2026_plan(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """``khuyencong demo --example bac-ninh-2026`` prints the checks and the report."""
        code = main(["demo", "--example", NAME, "--db", str(tmp_path / "d.db"), "--lang", "en"])
        out = capsys.readouterr().out
        assert code == 0
        assert out.startswith("Loaded 28 records of the synthetic post-reform Bắc Ninh 2026")
        assert "DA-2025-09: eligible; within the maximum — decided on 2026-12-01" in out
        assert "Values not configured (5)" in out

    def test_the_default_stays_the_founding_example(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Without ``--example`` the demo is still the Bắc Giang 2017–2020 one."""
        assert main(["demo", "--db", str(tmp_path / "d.db")]) == 0
        out = capsys.readouterr().out
        assert out.startswith("Đã nạp 273 bản ghi của ví dụ Bắc Giang 2017–2020")
        assert "52 hợp tác xã" in out


class TestCheckToday:
    """``khuyencong check FILE.json`` with no ``--date`` decides on today's date."""

    def run(self, name: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
        code = main(["check", str(CHECKS / name), "--lang", "en"])
        return code, capsys.readouterr().out

    def test_a_cooperative_in_a_commune_of_bac_ninh_is_eligible(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """From 15/10/2025 a commune of a province is an eligible place (235/2025 Điều 1.1):
        a cooperative in Xã Lục Ngạn is eligible, with every reason cited."""
        code, out = self.run("cooperative-in-a-commune.json", capsys)
        assert code == 0
        assert f"eligibility on {dt.date.today().isoformat()}: YES" in out  # noqa: DTZ011
        assert "under 45/2012/NĐ-CP, 235/2025/NĐ-CP" in out
        assert (
            "✓ production site Lục Ngạn commune, Bắc Ninh province (07582) is in an eligible place "
            "[235/2025/NĐ-CP, Art. 1(1) [V2]]"
        ) in out
        assert "✓ the cooperative has 15 official members, at least 5 [17/2023/QH15" in out

    def test_a_cooperative_in_a_ward_of_ha_noi_is_refused(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Wards of a centrally run city are not eligible places (235/2025 names only its
        communes and special zones): refused, with that reason, exit status 1."""
        code, out = self.run("cooperative-in-a-ward-of-ha-noi.json", capsys)
        assert code == 1
        assert ": NO — under 45/2012/NĐ-CP, 235/2025/NĐ-CP" in out
        assert (
            "✗ production site Hà Đông ward, Hà Nội city (09556) is not in an eligible "
            "place (a commune or special zone of a centrally run city"
        ) in out

    def test_the_same_cooperative_in_a_declared_craft_village_is_accepted(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A craft village recognised by the provincial People's Committee is an eligible
        place anywhere; declared by the applicant, it is accepted on declared data."""
        code, out = self.run("cooperative-in-a-craft-village-of-ha-noi.json", capsys)
        assert code == 0
        assert ": YES — under 45/2012/NĐ-CP, 235/2025/NĐ-CP" in out
        assert "Làng lụa Vạn Phúc" in out
        assert "craft village declared by the applicant" in out
        assert "[caller data [U]]" in out
