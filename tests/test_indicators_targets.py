"""National programme targets: the shipped data, the loader, the look-up, progress, reports."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khuyencong.converters import structure, unstructure
from khuyencong.domain import (
    Citation,
    Confidence,
    Establishment,
    Lang,
    LegalForm,
    Period,
    Sector,
    SupportContent,
    SupportRecord,
)
from khuyencong.exceptions import (
    DataFileError,
    NotConfiguredError,
    NotFoundError,
    ValidationError,
)
from khuyencong.indicators import (
    NOT_FROM_RECORDS,
    PROGRAMME_INDICATORS,
    STANDARD_INDICATORS,
    Filter,
    ProgrammeStatus,
    RecordSet,
    Target,
    load_programme,
    load_targets,
    national_programmes,
    national_progress,
    national_targets,
    progress_of,
)
from khuyencong.messages import Text
from khuyencong.reports import (
    build_report,
    demo_report,
    example_path,
    load_example,
    load_report_config,
)
from khuyencong.units import MapId, UnitRef

PHASE = Period.phase(2021, 2025)

# What regime-2025.md §4 lists for 1881/QĐ-TTg, by indicator code.
EXPECTED_1881 = {
    "demonstration_transfer_models": 340,
    "machines_applied": 1600,
    "technology_lines": 300,
    "cleaner_production_assessments": 300,
    "cleaner_production_pilots": 100,
    "pollution_treatment_establishments": 50,
    "brand_establishments": 350,
    "cluster_plans": 50,
    "domestic_fairs_organised": 15,
    "overseas_fairs": 5,
    "trainees": 10000,
}

ESTABLISHMENTS = [
    Establishment(
        id=f"E{i}",
        name=f"HTX {i}",
        legal_form=LegalForm.COOPERATIVE if i % 2 else LegalForm.SME,
        location=UnitRef(MapId.MAP_2021, "07525"),
        sectors=(Sector.AGRO_FOOD_PROCESSING,),
    )
    for i in range(4)
]


def rec(i: int, est: str, content: SupportContent, day: dt.date, **kw: Any) -> SupportRecord:
    return SupportRecord(id=f"S{i}", establishment_id=est, content=content, delivered_on=day, **kw)


def programme_file(tmp_path: Path, programme: dict[str, Any], targets: list[Any]) -> Path:
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"programme": programme, "target": targets}), encoding="utf-8")
    return path


HEADER: dict[str, Any] = {
    "document": "1/QĐ-TTg",
    "title_vi": "Chương trình thử",
    "title_en": "Test programme",
    "period": "2021-2025",
    "issued_on": "2020-11-20",
    "status": "partial",
    "citation": {"document": "1/QĐ-TTg", "confidence": "V2", "note": "http://example.org/1"},
}

TARGET: dict[str, Any] = {
    "indicator": "machines_applied",
    "period": "2021-2025",
    "target": "10",
    "label_vi": "Máy",
    "label_en": "Machines",
    "unit_vi": "máy",
    "unit_en": "machines",
    "counting_vi": "Cộng số lượng.",
    "counting_en": "Sums the quantity.",
    "citation": {"document": "1/QĐ-TTg", "confidence": "V2", "note": "http://example.org/1"},
}


class TestShippedProgrammes:
    def test_three_programmes_in_order(self) -> None:
        """The library ships 1288/QĐ-TTg (to 2020), 1881/QĐ-TTg (2021–2025) and
        2646/QĐ-BCT (2026–2030), oldest first, and no two cover the same year."""
        programmes = national_programmes()
        assert [(p.document, p.period) for p in programmes] == [
            ("1288/QĐ-TTg", "2014-2020"),
            ("1881/QĐ-TTg", "2021-2025"),
            ("2646/QĐ-BCT", "2026-2030"),
        ]
        for a, b in itertools.pairwise(programmes):
            assert not a.as_period.overlaps(b.as_period)

    def test_1881_targets_are_those_published(self) -> None:
        """1881/QĐ-TTg (20/11/2020) sets, for 2021–2025: 340 demonstration and transfer
        models, 1,600 machines, 300 lines, 300 cleaner-production assessments, 100 pilots, 50
        pollution-treatment upgrades, 350 brands, 50 cluster plans, 15 domestic and 5 foreign
        fairs, 10,000 rural workers trained."""
        p = national_programmes()[1]
        assert p.issued_on == dt.date(2020, 11, 20)
        got = {t.indicator: t.target for t in p.targets}
        assert got == {k: Decimal(v) for k, v in EXPECTED_1881.items()}
        assert {t.period for t in p.targets} == {"2021-2025"}

    def test_1288_only_the_partial_target(self) -> None:
        """Of 1288/QĐ-TTg only 160 technical demonstration models in 2016–2020 is known, and it
        is tagged unverified [U]; the programme says it is partial."""
        p = national_programmes()[0]
        assert p.status is ProgrammeStatus.PARTIAL
        [t] = p.targets
        assert (t.indicator, t.period, t.target) == (
            "technical_demonstration_models",
            "2016-2020",
            Decimal(160),
        )
        assert t.citation.confidence is Confidence.UNVERIFIED

    def test_2646_unknown(self) -> None:
        """2646/QĐ-BCT (23/9/2025) ships no target: its status is unknown and its citation '?'."""
        p = national_programmes()[2]
        assert (p.status, p.targets, p.issued_on) == (
            ProgrammeStatus.UNKNOWN,
            (),
            dt.date(2025, 9, 23),
        )
        assert p.citation.confidence is Confidence.UNKNOWN
        assert "2646/QĐ-BCT" in Text.of(p.source_document).vi

    def test_every_target_cited_to_a_public_url(self) -> None:
        """Every shipped target is national, not invented, cited to its programme's decision
        with a confidence tag, and its note gives a public URL and names none of our files."""
        for p in national_programmes():
            for t in (*p.targets, None):
                citation = p.citation if t is None else t.citation
                assert citation.document == p.document
                assert re.search(r"https?://\S+\.\S+", citation.note)
                assert not re.search(r"rules\.md|regime-2025|/work/|legal/|\.md\b", citation.note)
                if t is not None:
                    assert t.national
                    assert not t.invented
                    assert t.citation.confidence in (Confidence.SECONDARY, Confidence.UNVERIFIED)

    def test_every_target_measured_or_says_why_not(self) -> None:
        """Each target names an indicator that measures it from records, or one that records
        cannot express (with the reason); an approximation says how it counts in both
        languages."""
        for p in national_programmes():
            for t in p.targets:
                known = t.indicator in STANDARD_INDICATORS or t.indicator in PROGRAMME_INDICATORS
                assert known != (t.indicator in NOT_FROM_RECORDS)
                assert t.counting("vi")
                assert t.counting("en")
                if t.approximate:
                    assert "gần đúng" in t.counting("vi")
                    assert "approximation" in t.counting("en")


class TestNationalTargets:
    def test_by_phase(self) -> None:
        """national_targets("2021-2025") gives the eleven 1881/QĐ-TTg targets."""
        targets = national_targets("2021-2025")
        assert (targets.source, len(targets)) == ("1881/QĐ-TTg", 11)
        assert all(t.as_period == PHASE for t in targets)

    def test_by_date(self) -> None:
        """A date picks the programme in force: 2023 is in 1881/QĐ-TTg, 2018 in 1288/QĐ-TTg."""
        assert national_targets(on=dt.date(2023, 6, 1)).source == "1881/QĐ-TTg"
        assert national_targets(on=dt.date(2018, 1, 1)).source == "1288/QĐ-TTg"

    def test_period_inside_a_programme(self) -> None:
        """A province's phase 2017–2020 falls in 1288/QĐ-TTg: its 2016–2020 target overlaps it."""
        [t] = national_targets("2017-2020")
        assert t.target == Decimal(160)

    @pytest.mark.parametrize(
        ("period", "on"), [("2026-2030", None), ("2027", None), (None, dt.date(2026, 12, 3))]
    )
    def test_2026_2030_not_configured(self, period: str | None, on: dt.date | None) -> None:
        """Targets for 2026–2030 are unknown: asking raises NotConfiguredError naming
        2646/QĐ-BCT, whether by phase, by year or by date."""
        with pytest.raises(NotConfiguredError) as err:
            national_targets(period, on=on)
        assert "2646/QĐ-BCT" in Text.of(err.value.source_document).vi
        assert err.value.parameter == "targets.national.2026-2030"

    def test_2025_still_1881(self) -> None:
        """31/12/2025 is the last day of 1881/QĐ-TTg; 1/1/2026 is the first of 2646/QĐ-BCT."""
        assert national_targets(on=dt.date(2025, 12, 31)).source == "1881/QĐ-TTg"
        with pytest.raises(NotConfiguredError):
            national_targets(on=dt.date(2026, 1, 1))

    def test_spanning_two_programmes(self) -> None:
        """A period across two programmes is refused: ask for each programme's years."""
        with pytest.raises(ValidationError, match="1288/QĐ-TTg, 1881/QĐ-TTg"):
            national_targets("2019-2022")

    def test_no_programme(self) -> None:
        """Before 2014 no programme is shipped: NotFoundError lists what is."""
        with pytest.raises(NotFoundError, match="1881/QĐ-TTg"):
            national_targets("2010-2012")

    def test_period_and_date(self) -> None:
        """A period and a date together are ambiguous and refused."""
        with pytest.raises(ValidationError):
            national_targets("2021-2025", on=dt.date(2022, 1, 1))


class TestLoadProgramme:
    def test_valid_file(self, tmp_path: Path) -> None:
        """A valid file loads; every target becomes national."""
        p = load_programme(programme_file(tmp_path, HEADER, [TARGET]))
        assert p.targets[0].national
        assert p.targets[0].target == Decimal(10)

    @pytest.mark.parametrize(
        ("change", "path"),
        [
            ({"target": 1.5}, "$.target[0].target"),
            ({"period": "2019-2020"}, "$.target[0].period"),
            ({"indicator": "machines"}, "$.target[0].indicator"),
            ({"invented": True}, "$.target[0].invented"),
            ({"counting_en": " "}, "$.target[0].counting_en"),
            ({"oops": 1}, "$.target[0].oops"),
            (
                {"citation": {"document": "2/QĐ-TTg", "note": "http://example.org"}},
                "$.target[0].citation.document",
            ),
            (
                {"citation": {"document": "1/QĐ-TTg", "confidence": "?", "note": "x"}},
                "$.target[0].citation.confidence",
            ),
            ({"citation": {"document": "1/QĐ-TTg"}}, "$.target[0].citation.note"),
        ],
    )
    def test_bad_target(self, tmp_path: Path, change: dict[str, Any], path: str) -> None:
        """A bad target is refused with its $.path: a float value, a period outside the
        programme, an unknown indicator, an invented national target, an empty counting rule,
        an unknown field, another document, a '?' tag, a citation with no note."""
        with pytest.raises(DataFileError) as err:
            load_programme(programme_file(tmp_path, HEADER, [{**TARGET, **change}]))
        assert path in {p.path for p in err.value.problems}

    def test_unknown_programme_rules(self, tmp_path: Path) -> None:
        """A programme of unknown targets lists none, names the document that should set them
        and is tagged '?'."""
        header = {**HEADER, "status": "unknown"}
        with pytest.raises(DataFileError) as err:
            load_programme(programme_file(tmp_path, header, [TARGET]))
        assert {p.path for p in err.value.problems} == {
            "$.target",
            "$.programme.source_document",
            "$.programme.citation.confidence",
        }

    def test_known_programme_needs_targets(self, tmp_path: Path) -> None:
        """A programme said to be known in part lists at least one target."""
        with pytest.raises(DataFileError) as err:
            load_programme(programme_file(tmp_path, HEADER, []))
        assert [p.path for p in err.value.problems] == ["$.target"]

    def test_missing_programme_table(self, tmp_path: Path) -> None:
        """A file without a [programme] table is refused at $.programme."""
        path = tmp_path / "p.toml"
        path.write_text('[[target]]\nindicator = "x"\n', encoding="utf-8")
        with pytest.raises(DataFileError) as err:
            load_programme(path)
        assert [p.path for p in err.value.problems] == ["$.programme"]

    def test_twice(self, tmp_path: Path) -> None:
        """The same indicator and period twice is refused."""
        with pytest.raises(DataFileError, match="twice"):
            load_programme(programme_file(tmp_path, HEADER, [TARGET, TARGET]))

    @pytest.mark.parametrize(
        "document",
        [b'{"target": [], "target": []}', b"[" * 100_000, b'{"target": [1e999999]}', b"\xff{"],
    )
    def test_a_json_file_that_cannot_be_read_safely_is_a_data_file_error(
        self, tmp_path: Path, document: bytes
    ) -> None:
        """A targets file in JSON is read as every JSON text the library reads: a key given
        twice, nesting too deep, a number no float holds and bytes that are not UTF-8 are the
        file's problems (DataFileError), never a raw JSON error."""
        path = tmp_path / "targets.json"
        path.write_bytes(document)
        with pytest.raises(DataFileError) as err:
            load_targets(path)
        assert err.value.source == str(path)


def _targets() -> st.SearchStrategy[Target]:
    return st.builds(
        lambda code, first, years, value, approx: Target(
            indicator=code,
            period=f"{first}-{first + years}",
            target=Decimal(value),
            citation=Citation("1/QĐ-TTg", confidence=Confidence.SECONDARY, note="http://x.org"),
            label_vi="Nhãn",
            label_en="Label",
            unit_vi="cái",
            unit_en="units",
            approximate=approx,
            counting_vi="Quy tắc (gần đúng).",
            counting_en="Rule (an approximation).",
        ),
        st.sampled_from(sorted({*PROGRAMME_INDICATORS, *NOT_FROM_RECORDS, "trainees"})),
        st.integers(2021, 2025),
        st.integers(0, 4),
        st.integers(0, 10**6),
        st.booleans(),
    )


class TestTargetsRoundTrip:
    @given(_targets())
    def test_target_round_trip(self, target: Target) -> None:
        """A target unstructured and structured again is the same target."""
        assert structure(unstructure(target), Target) == target

    @given(st.lists(_targets(), max_size=6, unique_by=lambda t: (t.indicator, t.period)))
    @settings(max_examples=40, deadline=None)
    def test_programme_file_round_trip(self, targets: list[Target]) -> None:
        """Targets written to a programme file within its years load back unchanged (but
        national)."""
        targets = [t for t in targets if t.as_period.end.year <= 2025]
        header = HEADER if targets else {**HEADER, "status": "unknown"}
        if not targets:
            header = {
                **header,
                "source_document": "1/QĐ-TTg",
                "citation": {"document": "1/QĐ-TTg", "confidence": "?"},
            }
        with tempfile.TemporaryDirectory() as folder:
            path = programme_file(Path(folder), header, [unstructure(t) for t in targets])
            loaded = load_programme(path)
        assert loaded.targets == tuple(attrs.evolve(t, national=True) for t in targets)


def _records(*specs: tuple[str, SupportContent, dt.date, dict[str, Any]]) -> RecordSet:
    support = [rec(i, est, c, day, **kw) for i, (est, c, day, kw) in enumerate(specs)]
    return RecordSet(establishments=ESTABLISHMENTS, support_records=support)


class TestProgressOf:
    def test_machines_sum_quantities(self) -> None:
        """Machines applied sum the quantity of machinery records; a record without a quantity
        counts one machine; records outside 2021–2025 are left out."""
        data = _records(
            ("E1", SupportContent.MACHINERY, dt.date(2021, 3, 1), {"quantity": 4}),
            ("E1", SupportContent.MACHINERY, dt.date(2022, 3, 1), {}),
            ("E2", SupportContent.MACHINERY, dt.date(2020, 12, 31), {"quantity": 9}),
            ("E2", SupportContent.TECHNOLOGY_LINE, dt.date(2023, 1, 1), {"quantity": 2}),
        )
        got = {p.target.indicator: p.actual for p in national_progress(data, "2021-2025")}
        assert (got["machines_applied"], got["technology_lines"]) == (5, 2)

    def test_pilots_count_establishments_once(self) -> None:
        """Cleaner-production pilots count distinct establishments: two pilots of one
        establishment count one."""
        data = _records(
            ("E1", SupportContent.CLEANER_PRODUCTION_PILOT, dt.date(2021, 3, 1), {}),
            ("E1", SupportContent.CLEANER_PRODUCTION_PILOT, dt.date(2024, 3, 1), {}),
        )
        got = {p.target.indicator: p for p in national_progress(data, "2021-2025")}
        pilots = got["cleaner_production_pilots"]
        assert pilots.actual == 1
        assert pilots.progress is not None
        assert pilots.progress.raw == Decimal(1) / 100

    def test_models_exclude_pilots(self) -> None:
        """Demonstration and transfer models leave cleaner-production pilots out (they have
        their own target) and count technology transfers."""
        data = _records(
            ("E1", SupportContent.DEMONSTRATION_MODEL, dt.date(2021, 3, 1), {}),
            ("E2", SupportContent.TECHNOLOGY_TRANSFER, dt.date(2021, 3, 1), {}),
            ("E3", SupportContent.CLEANER_PRODUCTION_PILOT, dt.date(2021, 3, 1), {}),
        )
        got = {p.target.indicator: p.actual for p in national_progress(data, "2021-2025")}
        assert got["demonstration_transfer_models"] == 2

    def test_assessment_not_measured(self) -> None:
        """Cleaner-production assessments cannot be counted from records: no actual, no
        progress, and the reason in both languages."""
        [p] = [
            p
            for p in national_progress(RecordSet(), "2021-2025")
            if p.target.indicator == "cleaner_production_assessments"
        ]
        assert (p.actual, p.progress) == (None, None)
        assert "sản xuất sạch hơn" in p.reason("vi")
        assert "cleaner-production" in p.reason("en")

    def test_overlap_of_periods(self) -> None:
        """Asked for 2017–2020, the 2016–2020 target is measured over 2017–2020 only."""
        data = _records(
            ("E1", SupportContent.DEMONSTRATION_MODEL, dt.date(2016, 5, 1), {}),
            ("E1", SupportContent.DEMONSTRATION_MODEL, dt.date(2018, 5, 1), {}),
        )
        [p] = progress_of(national_targets("2016-2020"), data, period="2017-2020")
        assert (p.actual, str(p.period), p.whole_period) == (1, "2017-2020", False)
        [whole] = progress_of(national_targets("2016-2020"), data)
        assert (whole.actual, whole.whole_period) == (2, True)

    def test_scope(self) -> None:
        """A scope keeps only the records it passes (cooperatives only)."""
        data = _records(
            ("E1", SupportContent.BRAND, dt.date(2022, 1, 1), {}),
            ("E2", SupportContent.BRAND, dt.date(2022, 1, 1), {}),
        )
        scope = Filter(legal_forms={LegalForm.COOPERATIVE})
        got = {
            p.target.indicator: p.actual for p in national_progress(data, "2021-2025", scope=scope)
        }
        assert got["brand_establishments"] == 1

    @given(st.lists(st.integers(1, 20), max_size=10), st.integers(1, 20))
    @settings(max_examples=40, deadline=None)
    def test_another_record_never_lowers_progress(self, quantities: list[int], extra: int) -> None:
        """Adding a machinery record in the period never lowers the machines' actual; the
        actual is the sum of quantities."""
        specs = [
            ("E1", SupportContent.MACHINERY, dt.date(2022, 1, 1), {"quantity": q})
            for q in quantities
        ]
        before = {p.target.indicator: p.actual for p in national_progress(_records(*specs), PHASE)}
        more = (*specs, ("E2", SupportContent.MACHINERY, dt.date(2023, 1, 1), {"quantity": extra}))
        after = {p.target.indicator: p.actual for p in national_progress(_records(*more), PHASE)}
        assert before["machines_applied"] == sum(quantities)
        assert after["machines_applied"] == sum(quantities) + extra

    def test_2026_not_configured(self) -> None:
        """Progress for 2026–2030 cannot be computed: NotConfiguredError naming 2646/QĐ-BCT."""
        with pytest.raises(NotConfiguredError, match="2646/QĐ-BCT"):
            national_progress(RecordSet(), "2026-2030")


class TestTargetsInReport:
    @pytest.mark.parametrize(
        ("lang", "title", "context"),
        [
            (
                "vi",
                "Bối cảnh: chỉ tiêu của Chương trình khuyến công quốc gia",
                "không phải chỉ tiêu của",
            ),
            ("en", "Context: national industrial promotion programme targets", "not targets of"),
        ],
    )
    def test_2021_2025_shows_1881_as_context(self, lang: Lang, title: str, context: str) -> None:
        """A province's report for 2021–2025 shows the 1881/QĐ-TTg targets as national
        context, not the province's own targets, in Vietnamese and English."""
        config = attrs.evolve(load_report_config(example_path()), period="2021-2025")
        report = build_report(load_example(), config, lang=lang, charts=False)
        section = report.sections[-1]
        assert section.title == title
        assert context in section.paragraphs[0]
        [table] = section.tables
        assert "1881/QĐ-TTg" in table.title
        assert len(table.rows) == 11
        assert "(*)" in " ".join(str(r[0]) for r in table.rows)

    def test_2026_names_2646(self) -> None:
        """A report of 2026 says the 2026–2030 targets are not configured and names
        2646/QĐ-BCT, in both languages, and shows no table of national targets."""
        config = attrs.evolve(load_report_config(example_path()), period="2026")
        cases: list[tuple[Lang, str]] = [("vi", "chưa được cấu hình"), ("en", "not configured")]
        for lang, words in cases:
            report = build_report(load_example(), config, lang=lang, charts=False)
            section = report.sections[-1]
            assert section.tables == ()
            assert words in section.paragraphs[0]
            assert "2646/QĐ-BCT" in section.paragraphs[0]

    def test_bac_giang_keeps_invented_and_adds_1288(self) -> None:
        """The Bắc Giang 2017–2020 example keeps its invented targets labelled invented and
        shows 1288/QĐ-TTg's 2016–2020 target as national context, counted over 2017–2020."""
        report = build_report(
            load_example(),
            load_report_config(example_path()),
            targets=None,
            charts=False,
        )
        text = report.to_markdown()
        assert "1288/QĐ-TTg" in text
        assert "160 mô hình" in text
        assert "2017–2020 (phần của kỳ báo cáo" in text
        demo = demo_report("en", charts=False)
        assert "invented" in demo
        assert "1288/QĐ-TTg" in demo

    def test_can_be_left_out(self) -> None:
        """national=False leaves the national context out."""
        report = build_report(
            load_example(), load_report_config(example_path()), national=False, charts=False
        )
        assert "1288/QĐ-TTg" not in report.to_markdown()
