"""Provincial overlays shipped as data, `RuleSet.for_province` and the listing of provinces."""

from __future__ import annotations

import datetime as dt
import importlib
import json
import re
import shutil
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from khuyencong.domain import Confidence, Fund, SupportContent, million, round_down
from khuyencong.exceptions import NotConfiguredError, NotFoundError, UnitMappingError
from khuyencong.messages import Text, language
from khuyencong.rules import (
    DerivedCap,
    ProvinceOverlays,
    RuleSet,
    for_province,
    provinces,
    provincial_overlay_files,
    support_amount,
)
from khuyencong.rules._parameters import parse_parameter_file, read_toml
from khuyencong.units import MapId, UnitRef, load_map

C = SupportContent
# The module, not the function of the same name that khuyencong.rules exports.
provinces_module = importlib.import_module("khuyencong.rules._provinces")
LOCAL = Fund.LOCAL

# Every shipped province, by (code, map) of the issuer, and the old codes it is asked by.
SHIPPED = {
    ("17", "2021-11"),
    ("24", "2021-11"),
    ("27", "2021-11"),
    ("25", "2025-reform"),
    ("66", "2025-reform"),
}
ASKED = ["17", "24", "25", "26", "27", "54", "66"]


def _local(code: str, content: C, cost: int, on: dt.date, **kw: object) -> int:
    rules = for_province(code, **kw)  # type: ignore[arg-type]
    return support_amount(content, cost, on, rules=rules, fund=LOCAL).amount


def _not_configured(code: str, content: C, on: dt.date, **kw: object) -> NotConfiguredError:
    rules = for_province(code, **kw)  # type: ignore[arg-type]
    with pytest.raises(NotConfiguredError) as info:
        support_amount(content, million(900), on, rules=rules, fund=LOCAL)
    return info.value


class TestProvincialOverlayFiles:
    def test_every_shipped_overlay_loads_on_the_national_rules(self) -> None:
        """Each provincial document is a valid overlay of the national baseline."""
        files = provincial_overlay_files()
        assert {f.name for f in files} == {
            "bac-giang-1491-2014-QD-UBND.toml",
            "bac-giang-734-2014-QD-UBND.toml",
            "bac-giang-30-2019-QD-UBND.toml",
            "bac-ninh-01-2020-QD-UBND.toml",
            "dak-lak-2025-NQ-HDND.toml",
            "hoa-binh-20-2019-QD-UBND.toml",
            "phu-tho-23-2025-NQ-HDND.toml",
        }
        for path in files:
            rules = RuleSet.national().with_overlay(path)
            assert rules.layers[-1].startswith("overlay: ")

    def test_the_invented_example_is_not_a_shipped_province(self) -> None:
        """example-province.toml has invented values: it is never listed or loaded for a code."""
        assert "example-province.toml" not in {f.name for f in provincial_overlay_files()}
        assert all(p.code != "00" for p in provinces())

    def test_every_overlay_says_something_of_every_local_content(self) -> None:
        """A province's document either sets a content's level or leaves it explicitly unknown,
        so an unread level names the document rather than a generic source."""
        for path in provincial_overlay_files():
            data = read_toml(path)
            entries = parse_parameter_file(data, path.name)
            if not entries and data.get("craft_villages"):
                continue  # a recognition decision (làng nghề) sets no level
            named = {e.parameter for e in entries}
            for content in C:
                for field in ("rate", "cap", "per"):
                    assert f"support.local.{content.value}.{field}" in named, (path.name, content)

    def test_overlays_set_only_local_fund_values(self) -> None:
        """A provincial document sets local-fund levels; the national fund is the ministry's."""
        for path in provincial_overlay_files():
            entries = parse_parameter_file(read_toml(path), path.name)
            assert all(e.parameter.startswith("support.local.") for e in entries), path.name

    def test_every_value_cites_a_public_source(self) -> None:
        """Every configured value's note names its public source (a URL, or the site and the
        article's title where the address was not retrieved), and no note points to a file of
        the project."""
        ours = re.compile(r"rules\.md|regime-2025|khuyen-cong\.md|/work/|shared/domain")
        site = re.compile(r"https?://|\b(vietnam|dntm)\.vn, article «")
        for path in provincial_overlay_files():
            text = path.read_text(encoding="utf-8")
            assert not ours.search(text), path.name
            for e in parse_parameter_file(read_toml(path), path.name):
                assert e.citation.note, (path.name, e.parameter)
                if e.configured:
                    assert site.search(e.citation.note), e.parameter
                    assert e.citation.confidence in (Confidence.SECONDARY, Confidence.UNVERIFIED)


class TestProvinces:
    def test_lists_each_issuing_province_with_its_documents(self) -> None:
        """The listing gives, per issuing province (code on its map), its documents by date."""
        listed = {(p.code, p.map_id.value): [d.number for d in p.documents] for p in provinces()}
        assert set(listed) == SHIPPED
        assert listed["24", "2021-11"] == ["1491/QĐ-UBND", "734/2014/QĐ-UBND", "30/2019/QĐ-UBND"]
        assert listed["17", "2021-11"] == ["20/2019/QĐ-UBND"]
        assert listed["25", "2025-reform"] == ["23/2025/NQ-HĐND"]

    def test_a_former_province_says_which_province_it_is_now_part_of(self) -> None:
        """Bắc Giang (24 on the 2021 map) is now part of Bắc Ninh (24); Hòa Bình of Phú Thọ."""
        by_code = {(p.code, p.map_id): p for p in provinces()}
        assert by_code["24", MapId.MAP_2021].now_part_of == ("24", "Bắc Ninh")
        assert by_code["17", MapId.MAP_2021].now_part_of == ("25", "Phú Thọ")
        assert by_code["66", MapId.MAP_REFORM].territory == frozenset({"54", "66"})
        assert by_code["25", MapId.MAP_REFORM].territory == frozenset({"17", "25", "26"})

    def test_documents_carry_dates_tags_and_levels(self) -> None:
        """Each document gives its dates, its tag, the levels it sets (with their own tags) and
        the parameters it leaves unknown."""
        doc = next(d for p in provinces() for d in p.documents if d.number == "30/2019/QĐ-UBND")
        assert (doc.signed_on, doc.effective_from, doc.effective_to) == (
            dt.date(2019, 12, 30),
            dt.date(2020, 1, 10),
            None,
        )
        assert doc.amends == "734/2014/QĐ-UBND"
        machinery = next(lv for lv in doc.levels if lv.content is C.MACHINERY)
        assert (machinery.rate, machinery.cap, machinery.per, machinery.confidence) == (
            Decimal("0.5"),
            million(300),
            "establishment",
            Confidence.UNVERIFIED,
        )
        assert "support.local.showroom.rate" in doc.unknown
        assert doc.in_force(dt.date(2020, 1, 10))
        assert not doc.in_force(dt.date(2020, 1, 9))
        hoa_binh = next(
            d for p in provinces() for d in p.documents if d.number == "20/2019/QĐ-UBND"
        )
        assert not hoa_binh.in_force(dt.date(2026, 1, 1))

    def test_summaries_exist_in_vietnamese_and_english(self) -> None:
        """The listing reads in both languages."""
        bac_giang = next(p for p in provinces() if p.code == "24")
        assert "nay thuộc Bắc Ninh, 24" in bac_giang.summary("vi")
        assert "now part of Bắc Ninh, 24" in bac_giang.summary("en")
        assert "từ 10/01/2020" in bac_giang.summary("vi")


class TestForProvince:
    def test_bac_giang_before_and_after_the_2019_amendment(self) -> None:
        """Bắc Giang's machinery formula is unknown under QĐ 734/2014 and is 50% up to 300
        million per establishment from 10 January 2020 (QĐ 30/2019, date assumed)."""
        err = _not_configured("24", C.MACHINERY, dt.date(2020, 1, 9), map_id="2021-11")
        assert Text.of(err.source_document).vi == "734/2014/QĐ-UBND tỉnh Bắc Giang, Điều 6.2"
        assert _local("24", C.MACHINERY, million(900), dt.date(2020, 1, 10), map_id="2021-11") == (
            million(300)
        )

    def test_before_the_first_shipped_document_the_error_names_what_ships(self) -> None:
        """On a date before every shipped document of a province, the level is not configured
        and the error lists the documents that do ship, with their dates."""
        err = _not_configured("24", C.MACHINERY, dt.date(2014, 11, 6), map_id="2021-11")
        assert "734/2014/QĐ-UBND (2014-11-07)" in Text.of(err.source_document).vi

    def test_a_date_chooses_the_map_of_an_ambiguous_code(self) -> None:
        """'24' is Bắc Giang on a 2019 date and the merged Bắc Ninh on a 2026 date."""
        assert for_province("24", dt.date(2019, 1, 1)) is for_province("24", map_id="2021-11")
        assert for_province("24", dt.date(2026, 1, 1)) is for_province("24")
        assert "Bắc Ninh (24, 2025-reform)" in for_province("24").layers[1]

    def test_a_merged_province_never_borrows_a_former_provinces_levels(self) -> None:
        """Post-reform Bắc Ninh is former Bắc Giang plus former Bắc Ninh: Bắc Giang's levels are
        not applied to all of it; the error names each former province's documents and the
        call that selects it."""
        err = _not_configured("24", C.MACHINERY, dt.date(2026, 3, 1))
        assert "734/2014/QĐ-UBND, 30/2019/QĐ-UBND" in Text.of(err.source_document).vi
        assert "RuleSet.for_province('24', map_id='2021-11')" in Text.of(err.source_document).vi
        assert "01/2020/QĐ-UBND" in Text.of(err.source_document).vi
        assert "RuleSet.for_province('27', map_id='2021-11')" in Text.of(err.source_document).vi

    def test_the_old_territory_keeps_its_decision_after_the_merger(self) -> None:
        """A document of a merged province stays in force in its former territory: Bắc Giang's
        2020 machinery level still applies there in 2026."""
        assert _local("24", C.MACHINERY, million(900), dt.date(2026, 3, 1), map_id="2021-11") == (
            million(300)
        )

    def test_hoa_binh_from_2020_to_2025_then_phu_tho(self) -> None:
        """Hòa Bình's QĐ 20/2019 is applied from 1/1/2020 to 31/12/2025; from 1/1/2026 the merged
        Phú Thọ's NQ 23/2025 governs its territory (levels not read)."""
        err = _not_configured("17", C.DEMONSTRATION_MODEL, dt.date(2019, 12, 31))
        assert "20/2019/QĐ-UBND (2020-01-01)" in Text.of(err.source_document).vi
        assert _local("17", C.DEMONSTRATION_MODEL, million(5000), dt.date(2020, 1, 1)) == (
            million(1000)
        )
        assert _local("17", C.DEMONSTRATION_MODEL, million(5000), dt.date(2025, 12, 31)) == (
            million(1000)
        )
        err = _not_configured("17", C.DEMONSTRATION_MODEL, dt.date(2026, 1, 1))
        assert Text.of(err.source_document).vi == "23/2025/NQ-HĐND tỉnh Phú Thọ"

    def test_phu_tho_before_and_after_its_2025_resolution(self) -> None:
        """Post-reform Phú Thọ on 31/12/2025: only former Hòa Bình has a shipped document, so
        the level is unknown for the whole province; from 1/1/2026 NQ 23/2025 is named."""
        err = _not_configured("25", C.DEMONSTRATION_MODEL, dt.date(2025, 12, 31))
        assert "RuleSet.for_province('17', map_id='2021-11')" in Text.of(err.source_document).vi
        err = _not_configured("25", C.DEMONSTRATION_MODEL, dt.date(2026, 1, 1))
        assert Text.of(err.source_document).vi == "23/2025/NQ-HĐND tỉnh Phú Thọ"
        err = _not_configured("26", C.DEMONSTRATION_MODEL, dt.date(2025, 12, 31))
        assert "23/2025/NQ-HĐND (2026-01-01)" in Text.of(err.source_document).vi

    def test_dak_lak_from_26_july_2025_in_both_former_provinces(self) -> None:
        """The merged Đắk Lắk's resolution applies from 26/7/2025 in former Đắk Lắk and former
        Phú Yên alike: a demonstration model gets 30%, at most 800 million."""
        before = _not_configured("66", C.DEMONSTRATION_MODEL, dt.date(2025, 7, 25))
        assert "(2025-07-26)" in Text.of(before.source_document).vi
        for code in ("66", "54"):
            assert _local(code, C.DEMONSTRATION_MODEL, million(3000), dt.date(2025, 7, 26)) == (
                million(800)
            )

    def test_former_bac_ninh_from_24_january_2020(self) -> None:
        """Former Bắc Ninh's QĐ 01/2020 is named from 24/1/2020 (its levels were not read)."""
        err = _not_configured("27", C.MACHINERY, dt.date(2020, 1, 24))
        assert Text.of(err.source_document).vi == "01/2020/QĐ-UBND tỉnh Bắc Ninh, Quy chế"
        err = _not_configured("27", C.MACHINERY, dt.date(2020, 1, 23))
        assert "01/2020/QĐ-UBND (2020-01-24)" in Text.of(err.source_document).vi

    def test_an_unknown_code_is_not_found(self) -> None:
        """A code that is no province on any map is refused, naming the maps."""
        with pytest.raises(NotFoundError) as info:
            for_province("99")
        assert "không phải mã tỉnh của bản đồ 2021" in str(info.value)
        with language("en"):
            assert "not a province code of the 2021" in str(info.value)
            with pytest.raises(NotFoundError, match="not a province code of the two-level map"):
                for_province("27", map_id="2025-reform")
            with pytest.raises(NotFoundError, match="no map “mars”"):
                for_province("24", map_id="mars")

    def test_a_province_without_a_shipped_document_says_which_provinces_ship(self) -> None:
        """Hà Nội ships no document: the error lists the provinces that do, with their
        documents, in English and Vietnamese."""
        with pytest.raises(NotFoundError) as info:
            for_province("01")
        text = str(info.value)
        assert "Thành phố Hà Nội (01, 2025-reform)" in text
        assert "Bắc Giang (24, 2021-11): 1491/QĐ-UBND, 734/2014/QĐ-UBND, 30/2019/QĐ-UBND" in text
        assert "chưa có văn bản địa phương" in text

    def test_the_rule_set_classmethod_is_the_same_call(self) -> None:
        """RuleSet.for_province is the guessable spelling of for_province."""
        assert RuleSet.for_province("66") is for_province("66")

    @pytest.mark.parametrize("code", ASKED)
    def test_a_province_never_changes_a_national_value(self, code: str) -> None:
        """Provincial documents set local-fund levels only: every other parameter's timeline is
        the national one."""
        national = RuleSet.national().parameters
        rules = for_province(code).parameters
        for name, param in national.items():
            if not name.startswith("support.local."):
                assert rules[name] == param, name


@st.composite
def _levels(draw: st.DrawFn) -> tuple[str, str, C, dt.date, int]:
    province = draw(st.sampled_from(provinces()))
    with_levels = [d for d in province.documents if d.levels]
    doc = draw(st.sampled_from(with_levels)) if with_levels else None
    if doc is None:
        return draw(_levels())
    level = draw(st.sampled_from(doc.levels))
    last = level.effective_to or dt.date(2030, 12, 31)
    on = draw(st.dates(level.effective_from, last))
    cost = draw(st.integers(0, million(10_000)))
    return province.code, province.map_id.value, level.content, on, cost


class TestLocalAmounts:
    def test_each_shipped_level_gives_its_amount(self) -> None:
        """Every shipped local level yields min(rate × cost, cap) on its first day, through
        for_province of the issuing province."""
        checked = 0
        for province in provinces():
            for doc in province.documents:
                for level in doc.levels:
                    assert isinstance(level.cap, int)
                    assert not isinstance(level.cap, DerivedCap)
                    for cost in (million(10), million(5000)):
                        got = _local(
                            province.code,
                            level.content,
                            cost,
                            level.effective_from,
                            map_id=province.map_id.value,
                        )
                        assert got == min(round_down(level.rate * cost), level.cap)
                    checked += 1
        assert checked == 10

    @given(_levels())
    def test_local_amounts_stay_within_rate_and_cap(
        self, drawn: tuple[str, str, C, dt.date, int]
    ) -> None:
        """A local amount is never negative, never above rate × cost, never above the cap."""
        code, map_id, content, on, cost = drawn
        rules = for_province(code, map_id=map_id)
        amount = support_amount(content, cost, on, rules=rules, fund=LOCAL)
        assert 0 <= amount.amount <= cost
        assert amount.cap is not None
        assert amount.amount <= amount.cap

    @given(
        st.sampled_from(ASKED),
        st.sampled_from([C.MACHINERY, C.DEMONSTRATION_MODEL, C.TECHNOLOGY_LINE, C.OVERSEAS_FAIR]),
        st.dates(dt.date(2018, 5, 11), dt.date(2030, 12, 31)),
        st.integers(0, million(10_000)),
    )
    def test_an_overlay_never_changes_a_national_fund_amount(
        self, code: str, content: C, on: dt.date, cost: int
    ) -> None:
        """The national fund's amount is the same with or without a province's documents."""
        rules = for_province(code)
        assert (
            support_amount(content, cost, on, rules=rules).amount
            == support_amount(content, cost, on).amount
        )


@pytest.fixture
def overlay_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of the shipped overlays that a test may extend (caches cleared around it)."""
    for path in provincial_overlay_files():
        shutil.copy(path, tmp_path / path.name)
    monkeypatch.setattr(provinces_module, "_overlay_folder", lambda: tmp_path)
    provinces_module._documents.cache_clear()
    provinces_module._build.cache_clear()
    yield tmp_path
    provinces_module._documents.cache_clear()
    provinces_module._build.cache_clear()


class TestUnitFactsOfFormerProvinces:
    def test_a_former_provinces_unit_facts_apply_in_the_merged_province(
        self, overlay_folder: Path
    ) -> None:
        """Facts about a unit (a city grade, a recognised craft village) stay true after a
        merger: the merged province's rule set keeps them, though not the former province's
        levels."""
        path = overlay_folder / "bac-ninh-01-2020-QD-UBND.toml"
        path.write_text(
            path.read_text(encoding="utf-8")
            + '\n[[city_grades]]\ncode = "256"\nmap_id = "2021-11"\ngrade = 1\n'
            'effective_from = 2017-01-01\ndocument = "a city-grade decision"\n',
            encoding="utf-8",
        )
        merged = for_province("24")
        grade = merged.unit_facts.grade_of(MapId.MAP_2021, "256", dt.date(2026, 1, 1))
        assert grade is not None
        assert grade.grade == 1
        with pytest.raises(NotConfiguredError):
            support_amount(C.MACHINERY, million(900), dt.date(2026, 1, 1), rules=merged, fund=LOCAL)


class TestForUnit:
    def test_a_post_reform_unit_gets_the_documents_of_its_former_province(self) -> None:
        """Xã Lục Ngạn lay in former Bắc Giang, where QĐ 30/2019/QĐ-UBND still sets machinery."""
        rules = RuleSet.for_unit(UnitRef(MapId.MAP_REFORM, "07582"))
        amount = support_amount(
            C.MACHINERY, million(900), dt.date(2026, 3, 1), rules=rules, fund=LOCAL
        )
        assert amount.amount == million(300)
        assert amount.citation.document == "30/2019/QĐ-UBND"

    def test_a_unit_of_former_bac_ninh_gets_former_bac_ninhs_documents(self) -> None:
        """Phường Vũ Ninh lay in former Bắc Ninh, whose QĐ 01/2020 levels are not known."""
        ref = load_map(MapId.MAP_REFORM).find_one("phuong vu ninh").ref
        with pytest.raises(NotConfiguredError, match="01/2020/QĐ-UBND"):
            support_amount(
                C.MACHINERY,
                million(900),
                dt.date(2026, 3, 1),
                rules=RuleSet.for_unit(ref),
                fund=LOCAL,
            )

    def test_a_whole_merged_province_is_not_one_place(self) -> None:
        """Post-reform Bắc Ninh covers two former provinces: the error lists them."""
        with pytest.raises(UnitMappingError) as info:
            RuleSet.for_unit(UnitRef(MapId.MAP_REFORM, "24"))
        assert info.value.candidates == ("24", "27")

    def test_an_old_map_unit_gets_its_own_province(self) -> None:
        """Thị trấn Chũ on the 2021 map is in Bắc Giang."""
        rules = RuleSet.for_unit(UnitRef(MapId.MAP_2021, "07525"))
        assert "overlay: Bắc Giang: QĐ 30/2019/QĐ-UBND" in rules.layers


class TestProvinceOverlaysData:
    @pytest.mark.parametrize("index", range(len(provinces())))
    def test_to_data_round_trips_through_json(self, index: int) -> None:
        """A province's overlays (documents, levels, dates, tags) written with to_data read
        back equal through JSON text."""
        overlays = provinces()[index]
        data = json.loads(json.dumps(overlays.to_data()))
        assert ProvinceOverlays.from_data(data) == overlays
