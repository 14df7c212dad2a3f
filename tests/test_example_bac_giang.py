"""The founding example: every figure of the Bắc Giang 2017–2020 report, computed from records.

Each check runs against the records in memory and in each SQL store (``_stores.STORES``).
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction

import pytest

from _stores import STORES, example_source
from khuyencong.domain import AwardLevel, ContentGroup, FairKind, LegalForm, Period, SupportRecord
from khuyencong.indicators import (
    STANDARD_INDICATORS,
    Breakdown,
    Filter,
    IndicatorResult,
    IndicatorSource,
    compute,
    compute_standard,
    coverage,
    sector_mix,
)
from khuyencong.reports import demo_report
from khuyencong.units import MapId

PHASE = Period.phase(2017, 2020)
COOPS = Filter(legal_forms={LegalForm.COOPERATIVE})
TTKC1 = "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp 1"
CUC = "Cục Công Thương địa phương"
SCHOOL = "Trường Đào tạo, bồi dưỡng Cán bộ Công Thương Trung ương"


@pytest.fixture(scope="module", params=STORES)
def data(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[IndicatorSource]:
    """The example's records in memory, or in an SQLite or PostgreSQL store (computed by SQL
    pushdown): every figure below must come out the same from each."""
    with example_source(request.param, tmp_path_factory.mktemp("bg")) as source:
        yield source


@pytest.fixture(scope="module")
def results(data: IndicatorSource) -> dict[str, IndicatorResult]:
    return compute_standard(data, PHASE, scope=COOPS)


class TestSeedFigures:
    def test_52_cooperatives(self, results: dict[str, IndicatorResult]) -> None:
        """The centre supported 52 cooperatives in 2017–2020, each counted once."""
        assert results["establishments_supported"].value == 52

    def test_content_breakdown(self, results: dict[str, IndicatorResult]) -> None:
        """1 training, 16 models/machinery/technology, 34 design consulting, 1 showroom."""
        r = results["supported_by_content"]
        assert r.get(ContentGroup.TRAINING) == 1
        assert r.get(ContentGroup.MODELS_TECHNOLOGY) == 16
        assert r.get(ContentGroup.DESIGN_CONSULTING) == 34
        assert r.get(ContentGroup.SHOWROOM) == 1

    def test_each_cooperative_under_one_content(self, results: dict[str, IndicatorResult]) -> None:
        """In this report 1 + 16 + 34 + 1 = 52: the content breakdown adds up to the total."""
        r = results["supported_by_content"]
        assert r.breakdown_total == r.value == 52

    def test_design_consulting_indicator(self, results: dict[str, IndicatorResult]) -> None:
        """The design-consulting indicator counts the same 34 cooperatives."""
        assert results["design_consulting"].value == 34

    def test_awarded_products(self, results: dict[str, IndicatorResult]) -> None:
        """12 provincial and 1 national typical rural-industrial products were recognised."""
        r = results["awarded_products"]
        assert (r.get(AwardLevel.PROVINCE), r.get(AwardLevel.NATION)) == (12, 1)

    def test_fair_participations(self, results: dict[str, IndicatorResult]) -> None:
        """About 100 participations in domestic fairs: exactly 100 in the example."""
        assert results["fair_participations"].get(FairKind.DOMESTIC) == 100

    def test_partner_machinery(self, data: IndicatorSource) -> None:
        """One cooperative got advanced machinery in coordination with the MOIT centre no. 1."""
        r = compute(
            STANDARD_INDICATORS["machinery_applications"],
            data,
            PHASE,
            by=[Breakdown.of("partner")],
            scope=COOPS,
        )
        assert r.get(TTKC1) == 1
        (record,) = data.get_records(
            STANDARD_INDICATORS["machinery_applications"].kind, r.records_behind(TTKC1)
        )
        assert isinstance(record, SupportRecord)
        assert record.lead_agency == "Trung tâm Khuyến công và Xúc tiến thương mại tỉnh Bắc Giang"

    def test_partner_machinery_is_among_the_16(self, data: IndicatorSource) -> None:
        """The partner-delivered support is still the centre's result: it is one of the 16."""
        r = compute(
            STANDARD_INDICATORS["supported_by_content"],
            data,
            PHASE,
            by=[Breakdown.of("content_group"), Breakdown.of("coordination")],
            scope=COOPS,
        )
        assert r.get("models_technology", "with_partners") == 1
        assert r.get("models_technology", "alone") == 15

    def test_management_trainees(self, data: IndicatorSource) -> None:
        """150 managers and members trained with the MOIT department and its cadre school."""
        r = compute(
            STANDARD_INDICATORS["management_trainees"],
            data,
            PHASE,
            by=[Breakdown.of("partner")],
            scope=COOPS,
        )
        assert r.value == 150
        assert r.get(CUC) == r.get(SCHOOL) == 150

    def test_class_not_counted_as_establishment(self, data: IndicatorSource) -> None:
        """A collective class is counted in persons; it does not add a supported establishment."""
        r = compute(
            STANDARD_INDICATORS["establishments_supported"], data, PHASE, by=[], scope=COOPS
        )
        assert "BG-SR-QL-2019" not in r.records_behind()

    def test_scope_matters(self, data: IndicatorSource) -> None:
        """Without the cooperative scope the non-cooperative establishments are counted too."""
        r = compute(STANDARD_INDICATORS["establishments_supported"], data, PHASE, by=[])
        assert r.value == 56

    def test_period_excludes_other_years(self, data: IndicatorSource) -> None:
        """Records of 2016 and 2021 do not count in the 2017–2020 phase."""
        r = compute(STANDARD_INDICATORS["fair_participations"], data, PHASE, scope=COOPS)
        assert r.value == 100
        r21 = compute(STANDARD_INDICATORS["fair_participations"], data, Period.year(2021))
        assert r21.value == 1


class TestShortcomings:
    def test_district_coverage(self, data: IndicatorSource) -> None:
        """Every one of the ten districts of Bắc Giang had a supported cooperative."""
        c = coverage(data, PHASE, level="district", within="24", scope=COOPS)
        assert (c.share.numerator, c.share.denominator, c.not_reached) == (10, 10, ())

    def test_commune_coverage(self, data: IndicatorSource) -> None:
        """Support reached 44 of the 209 communes: few localities, as the report says."""
        c = coverage(data, PHASE, level="commune", within="24", scope=COOPS)
        assert c.share.value == Fraction(44, 209)
        assert len(c.not_reached) == 165

    def test_sector_mix(self, data: IndicatorSource) -> None:
        """45 of 52 cooperatives process farm produce; 7 (13.5 %) work outside it."""
        mix = sector_mix(data, PHASE, scope=COOPS)
        assert {v: n for v, _vi, _en, n in mix.rows}["agro_food_processing"] == 45
        assert (mix.outside, mix.total) == (7, 52)
        assert str(mix.share_outside.percent()) == "13.5"


class TestReformRollUp:
    def test_province(self, data: IndicatorSource) -> None:
        """Rolled up to the post-reform map, the 52 cooperatives are all in Bắc Ninh."""
        r = compute(
            STANDARD_INDICATORS["establishments_supported"],
            data,
            PHASE,
            by=[Breakdown.province(MapId.MAP_REFORM)],
            scope=COOPS,
        )
        assert [(f.labels_vi, f.value) for f in r.rows] == [(("Tỉnh Bắc Ninh",), 52)]

    def test_communes(self, data: IndicatorSource) -> None:
        """Rolled up to post-reform communes, no cooperative is lost and Phường Chũ has 5."""
        r = compute(
            STANDARD_INDICATORS["establishments_supported"],
            data,
            PHASE,
            by=[Breakdown.commune(MapId.MAP_REFORM)],
            scope=COOPS,
        )
        assert r.unmapped == ()
        assert r.breakdown_total == 52
        chu = next(f for f in r.rows if f.labels_vi == ("Phường Chũ",))
        assert chu.value == 5

    def test_coverage_on_reform_map(self, data: IndicatorSource) -> None:
        """Coverage can be measured against the communes of the new Bắc Ninh province."""
        c = coverage(data, PHASE, level="commune", map_id=MapId.MAP_REFORM, within="24")
        assert c.share.denominator == 99
        assert 0 < c.share.numerator < 99


def test_demo_report_states_every_figure() -> None:
    """The demo report states the seed's figures in its narrative."""
    text = demo_report()
    for phrase in (
        "52 hợp tác xã",
        "1 hợp tác xã đào tạo nghề",
        "16 hợp tác xã mô hình trình diễn",
        "34 hợp tác xã tư vấn thiết kế",
        "1 hợp tác xã phòng trưng bày",
        "12 sản phẩm công nghiệp nông thôn tiêu biểu cấp tỉnh",
        "1 sản phẩm công nghiệp nông thôn tiêu biểu cấp quốc gia",
        "khoảng 100 lượt hợp tác xã",
        TTKC1,
        "150 học viên",
    ):
        assert phrase in text
