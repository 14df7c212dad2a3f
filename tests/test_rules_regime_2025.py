"""Tests of the 235/2025 regime: regimes and the transition, the location test on the post-reform
map, craft villages, artisans, the new contents, ownership priorities and the check command."""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khuyencong.cli._check import run
from khuyencong.converters import dumps, loads
from khuyencong.domain import (
    Artisan,
    ArtisanTitle,
    CraftVillageClaim,
    Establishment,
    LegalForm,
    Sector,
    SupportContent,
)
from khuyencong.exceptions import ContentNotInForceError, CoverageError, DataFileError
from khuyencong.reports import load_example
from khuyencong.rules import (
    CraftVillage,
    Decision,
    PriorityClaim,
    RuleSet,
    check_eligibility,
    check_project_amounts,
    format_value,
    priority_claim,
    rank_applications,
    regime_on,
    rules_date,
    support_amount,
)
from khuyencong.rules._explain import Text
from khuyencong.testing import strategies as ks
from khuyencong.units import MapId, UnitLevel, UnitRef, UnitType, load_map

TODAY = dt.date(2026, 12, 3)
LUC_NGAN = UnitRef(MapId.MAP_REFORM, "07582")  # Xã Lục Ngạn, Tỉnh Bắc Ninh
BA_DINH = UnitRef(MapId.MAP_REFORM, "00004")  # Phường Ba Đình, Thành phố Hà Nội
OLD_CHU = UnitRef(MapId.MAP_2021, "07525")  # Thị trấn Chũ on the 2021 map
BOTH = ("45/2012/NĐ-CP, 235/2025/NĐ-CP",)


def coop(location: UnitRef = LUC_NGAN, **kw: object) -> Establishment:
    fields: dict[str, object] = {
        "id": "HTX-1",
        "name": "Hợp tác xã Vải thiều",
        "legal_form": LegalForm.COOPERATIVE,
        "location": location,
        "sectors": [Sector.AGRO_FOOD_PROCESSING],
        "members": 9,
    }
    fields.update(kw)
    return Establishment(**fields)  # type: ignore[arg-type]


class TestRegimeOn:
    def test_the_decree_as_issued_applies_until_14_october_2025(self) -> None:
        """Until 14/10/2025 the regime is 45/2012 as issued."""
        assert regime_on(dt.date(2025, 10, 14)) == "45/2012/NĐ-CP"

    def test_the_amended_decree_applies_from_15_october_2025(self) -> None:
        """From 15/10/2025 the regime is 45/2012 as amended by 235/2025."""
        assert regime_on(dt.date(2025, 10, 15)) == BOTH[0]

    def test_no_regime_before_the_decree(self) -> None:
        """Before 5/7/2012 no khuyến công regime of the library applies."""
        assert regime_on(dt.date(2012, 7, 4)) is None


class TestRulesDate:
    def test_a_project_approved_before_the_amendment_keeps_its_approval_date_rules(self) -> None:
        """A project approved on 1/9/2025 and checked in 2026 is judged under 45/2012 as issued."""
        assert rules_date(dt.date(2026, 1, 10), approved_on=dt.date(2025, 9, 1)) == (
            dt.date(2025, 9, 1),
            "45/2012/NĐ-CP",
        )

    def test_a_project_approved_under_the_regime_in_force_uses_the_decision_date(self) -> None:
        """A project approved on 20/10/2025 is judged on the decision date."""
        assert rules_date(dt.date(2026, 1, 10), approved_on=dt.date(2025, 10, 20)) == (
            dt.date(2026, 1, 10),
            BOTH[0],
        )

    def test_without_an_approval_date_the_decision_date_applies(self) -> None:
        """A plain eligibility question is asked on its own date."""
        assert rules_date(TODAY) == (TODAY, BOTH[0])

    def test_an_overlay_may_switch_the_transition_off(self) -> None:
        """The transitional rule is data: a what-if without it judges on the decision date."""
        rules = RuleSet.national().what_if(
            {"regime.keeps_approval_date_rules": False},
            label="no transition",
            start=dt.date(2025, 10, 15),
        )
        got = rules_date(dt.date(2026, 1, 10), approved_on=dt.date(2025, 9, 1), rules=rules)
        assert got == (dt.date(2026, 1, 10), BOTH[0])


class TestDecisionRegime:
    def test_every_eligibility_decision_names_its_regime(self) -> None:
        """The decision of today says it applied 45/2012 as amended by 235/2025."""
        decision = check_eligibility(coop(), TODAY)
        assert (decision.regime, decision.rules_on) == (BOTH[0], None)
        assert (
            decision.render("vi").splitlines()[0].endswith("áp dụng 45/2012/NĐ-CP, 235/2025/NĐ-CP")
        )
        assert decision.render("en").splitlines()[0].endswith("under 45/2012/NĐ-CP, 235/2025/NĐ-CP")

    def test_a_transitional_decision_says_whose_date_it_applied(self) -> None:
        """A project approved before 15/10/2025 is decided on its approval date's rules."""
        decision = check_eligibility(
            coop(OLD_CHU), dt.date(2026, 1, 10), approved_on=dt.date(2025, 9, 1)
        )
        assert decision.rules_on == dt.date(2025, 9, 1)
        assert "ngày phê duyệt 01/09/2025" in decision.render("vi")
        assert "approval date 2025-09-01" in decision.render("en")

    def test_regime_and_rules_date_survive_json(self) -> None:
        """A decision read back from JSON keeps its regime and rules date."""
        decision = check_eligibility(
            coop(OLD_CHU), dt.date(2026, 1, 10), approved_on=dt.date(2025, 9, 1)
        )
        back = Decision.from_data(json.loads(json.dumps(decision.to_data())))
        assert back == decision
        assert back.to_data()["rules_on"] == "2025-09-01"

    def test_rules_dated_the_decision_day_judge_an_older_approval_by_its_own_date(self) -> None:
        """Rules dated the decision day (2026) judge a project approved on 1/9/2025 under the
        rules of its approval date, exactly as the rule set does."""
        on, approved = dt.date(2026, 1, 10), dt.date(2025, 9, 1)
        by_view = check_eligibility(
            coop(), on, rules=RuleSet.national().at(on), approved_on=approved
        )
        assert by_view == check_eligibility(coop(), on, approved_on=approved)
        assert by_view.rules_on == approved


class TestLocation235:
    def test_the_placement_of_an_old_map_unit_is_explained(self) -> None:
        """Thị trấn Chũ (2021 map) is placed as Phường Chũ, and the condition says so."""
        decision = check_eligibility(coop(OLD_CHU), TODAY)
        [location] = [c for c in decision.conditions if c.code == "location"]
        assert location.held
        assert "Chũ ward" in location.message_en
        assert "Phường Chũ" in location.message_vi
        assert "2025 merger list" in location.message_en
        assert "danh sách sắp xếp" in location.message_vi

    def test_a_refused_ward_says_what_the_law_requires_in_both_languages(self) -> None:
        """A ward of Hà Nội is refused, naming what a centrally run city may hold."""
        decision = check_eligibility(coop(BA_DINH), TODAY)
        [location] = decision.failed
        assert "centrally run city" in location.message_en
        assert "thành phố trực thuộc trung ương" in location.message_vi
        assert location.citation.document == "235/2025/NĐ-CP"

    def test_a_listed_craft_village_is_suggested_when_none_is_declared(self) -> None:
        """With recognised villages in the ward, a refusal says to declare which one."""
        rules = RuleSet.national().with_unit_facts(
            craft_villages=[
                CraftVillage(
                    "Làng nghề A", "00004", MapId.MAP_REFORM, dt.date(2020, 1, 1), "QĐ 1/QĐ-UBND"
                )
            ]
        )
        [location] = check_eligibility(coop(BA_DINH), TODAY, rules=rules).failed
        assert "Làng nghề A" in location.message_en

    def test_a_withdrawn_craft_village_no_longer_counts(self) -> None:
        """A recognition withdrawn before the decision date does not make the place eligible."""
        village = CraftVillage(
            "Làng nghề A",
            "00004",
            MapId.MAP_REFORM,
            dt.date(2020, 1, 1),
            "QĐ 1/QĐ-UBND",
            withdrawn_on=dt.date(2026, 1, 1),
        )
        rules = RuleSet.national().with_unit_facts(craft_villages=[village])
        est = coop(BA_DINH, craft_village=CraftVillageClaim("Làng nghề A"))
        assert check_eligibility(est, dt.date(2025, 12, 31), rules=rules).outcome
        assert not check_eligibility(est, TODAY, rules=rules).outcome

    def test_craft_villages_load_from_an_overlay(self) -> None:
        """A province supplies its recognitions as [[craft_villages]] with their decisions."""
        text = """
[overlay]
name = "test"
[document]
number = "TEST/2026/QĐ-UBND"
effective_from = 2026-01-01
confidence = "V"
[[craft_villages]]
name = "Làng nghề gốm"
map_id = "2025-reform"
code = "00004"
recognised_on = 2021-03-01
document = "Quyết định 1/QĐ-UBND"
"""
        rules = RuleSet.national().with_overlay("test.toml", text=text)
        est = coop(BA_DINH, craft_village=CraftVillageClaim("LÀNG NGHỀ GỐM"))
        decision = check_eligibility(est, TODAY, rules=rules)
        assert decision.outcome
        [location] = [c for c in decision.conditions if c.code == "location"]
        assert location.citation.document == "Quyết định 1/QĐ-UBND"

    def test_a_bad_craft_village_row_is_a_data_file_error_with_its_path(self) -> None:
        """A craft-village row without a date names its row."""
        text = """
[document]
number = "TEST"
effective_from = 2026-01-01
[[craft_villages]]
name = "X"
map_id = "2025-reform"
code = "00004"
document = "QĐ"
"""
        with pytest.raises(DataFileError) as info:
            RuleSet.national().with_overlay("bad.toml", text=text)
        assert info.value.problems[0].path == "$.craft_villages[0]"

    @settings(max_examples=60, deadline=None)
    @given(ks.unit_refs(MapId.MAP_REFORM, UnitLevel.COMMUNE))
    def test_a_place_passes_exactly_when_its_type_is_named_for_its_province(
        self, ref: UnitRef
    ) -> None:
        """Communes, wards, special zones of provinces and communes, special zones of cities."""
        umap = load_map(MapId.MAP_REFORM)
        unit = umap.get(ref.code)
        in_city = umap.get(unit.province_code).unit_type is UnitType.CENTRALLY_RUN_CITY
        expected = unit.unit_type is not UnitType.WARD or not in_city
        decision = check_eligibility(coop(ref), TODAY)
        assert ("location" not in decision.failed_codes) is expected


class TestArtisans:
    def test_an_artisan_is_decided_as_a_person(self) -> None:
        """A People's Artisan in a Hà Nội ward is a beneficiary today: no location limit [U]."""
        artisan = Artisan(
            id="NN-1",
            name="Nguyễn Văn A",
            title=ArtisanTitle.PEOPLES_ARTISAN,
            craft="gốm",
            location=BA_DINH,
        )
        decision = check_eligibility(artisan, TODAY)
        assert decision.outcome
        assert [c.code for c in decision.conditions] == ["artisan.title"]

    def test_an_artisan_needs_a_name_and_a_craft(self) -> None:
        """An artisan without a name or craft is refused, each field named."""
        with pytest.raises(ValueError, match=r"\$\.craft"):
            Artisan(
                id="NN", name="A", title=ArtisanTitle.PEOPLES_ARTISAN, craft=" ", location=BA_DINH
            )

    @given(ks.artisans())
    def test_artisans_survive_json(self, artisan: Artisan) -> None:
        """Any artisan written to JSON reads back to the same state."""
        back = loads(dumps(artisan), Artisan)
        assert dumps(back) == dumps(artisan)


class TestNewContents:
    @pytest.mark.parametrize(
        "content",
        [
            SupportContent.DIGITAL_TRANSFORMATION,
            SupportContent.SUSTAINABLE_PRODUCTION,
            SupportContent.ARTISAN_SUPPORT,
        ],
    )
    def test_the_contents_235_adds_do_not_exist_before_15_october_2025(
        self, content: SupportContent
    ) -> None:
        """Before 15/10/2025 asking for a 235/2025 content names the regime's list."""
        with pytest.raises(ContentNotInForceError) as info:
            support_amount(content, 100_000_000, dt.date(2025, 10, 14))
        assert info.value.content == content.value
        assert "45/2012/NĐ-CP" in str(info.value)
        assert isinstance(info.value, CoverageError)


class TestOwnershipPriority:
    def test_women_owned_establishments_rank_first_from_15_october_2025(self) -> None:
        """Special priority for women- and ethnic-minority-owned establishments (235/2025)."""
        claims = [
            PriorityClaim("AREA", areas=frozenset({"highland_island_border_ethnic"})),
            PriorityClaim("EM", owners=frozenset({"ethnic_minority_owned"})),
            PriorityClaim("W", owners=frozenset({"women_owned"})),
        ]
        ranked = rank_applications(claims, TODAY)
        assert [c.id for c, _ in ranked] == ["W", "EM", "AREA"]

    def test_ownership_gives_no_priority_before_15_october_2025(self) -> None:
        """Under 45/2012 as issued an ownership claim does not change the order."""
        claims = [
            PriorityClaim("W", owners=frozenset({"women_owned"})),
            PriorityClaim("AREA", areas=frozenset({"poor_district_30a"})),
        ]
        ranked = rank_applications(claims, dt.date(2025, 10, 14))
        assert [c.id for c, _ in ranked] == ["AREA", "W"]

    def test_the_claim_reads_the_establishments_ownership_fields(self) -> None:
        """priority_claim takes ownership from the establishment's recorded facts."""
        claim = priority_claim(coop(owned_by_women=True, owned_by_ethnic_minority=True))
        assert claim.owners == frozenset({"women_owned", "ethnic_minority_owned"})

    def test_an_unknown_owner_priority_is_refused_with_its_path(self) -> None:
        """A misspelt ownership priority is a validation error naming the claim."""
        with pytest.raises(ValueError, match=r"\$\[0\]\.owners"):
            rank_applications([PriorityClaim("X", owners=frozenset({"women"}))], TODAY)


class TestText:
    @given(st.text(min_size=1), st.text(min_size=1))
    def test_a_bilingual_text_renders_in_the_language_asked(self, vi: str, en: str) -> None:
        """A condition's bilingual value renders its Vietnamese or English side."""
        assert (format_value(Text(vi, en), "vi"), format_value(Text(vi, en), "en")) == (vi, en)


class TestCheckCommand:
    def _args(self, path: Path, lang: str = "vi") -> argparse.Namespace:
        return argparse.Namespace(file=path, date=None, lang=lang, fund="national", overlay=None)

    def test_today_a_cooperative_in_a_bac_ninh_commune_is_eligible(self, tmp_path: Path) -> None:
        """With no --date, a cooperative in Xã Lục Ngạn is eligible, with reasons; exit 0."""
        path = tmp_path / "e.json"
        path.write_text(dumps(coop()), encoding="utf-8")
        out = io.StringIO()
        assert run(self._args(path), out) == 0
        assert "ĐẠT" in out.getvalue()
        assert "235/2025/NĐ-CP" in out.getvalue()

    def test_an_artisan_file_is_decided(self, tmp_path: Path) -> None:
        """A JSON artisan (title and craft) is decided as a person."""
        artisan = Artisan(
            id="NN-1",
            name="A",
            title=ArtisanTitle.MERITORIOUS_ARTISAN,
            craft="gốm",
            location=LUC_NGAN,
        )
        path = tmp_path / "a.json"
        path.write_text(dumps(artisan), encoding="utf-8")
        out = io.StringIO()
        assert run(self._args(path, "en"), out) == 0
        assert "Meritorious Artisan" in out.getvalue()

    def test_a_failure_says_why_on_standard_error(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A sector the 235/2025 list may not name is not configured: exit 3 (the law has a
        gap) with the reason."""
        path = tmp_path / "o.json"
        path.write_text(dumps(coop(sectors=[Sector.OTHER])), encoding="utf-8")
        assert run(self._args(path, "en"), io.StringIO()) == 3
        err = capsys.readouterr().err
        assert "no decision" in err
        assert "eligibility.unlisted_sectors_excluded" in err


class TestProjectAmountsTransition:
    def test_a_project_approved_before_15_october_2025_keeps_its_approval_date_amounts(
        self,
    ) -> None:
        """Amounts of a project approved on 10/9/2025 and checked in 2026 use that date's rules."""
        [project] = [p for p in load_example("bac_ninh_2026").projects if p.id == "DA-2025-09"]
        assert project.approved_on == dt.date(2025, 9, 10)
        decision = check_project_amounts(project, dt.date(2026, 12, 1))
        assert (decision.regime, decision.rules_on) == ("45/2012/NĐ-CP", dt.date(2025, 9, 10))
        later = check_project_amounts(project, dt.date(2025, 9, 10))
        assert later.rules_on is None
