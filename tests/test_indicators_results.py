"""Indicator results as data: every result type writes JSON-ready data and reads it back equal."""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, reject
from hypothesis import strategies as st

from khuyencong.domain import Period
from khuyencong.exceptions import KhuyenCongError, ValidationError
from khuyencong.indicators import (
    STANDARD_INDICATORS,
    Breakdown,
    Coverage,
    Figure,
    IndicatorResult,
    Progress,
    ProjectSize,
    Ratio,
    RecordSet,
    SectorMix,
    Table,
    TargetProgress,
    compute,
    coverage,
    national_targets,
    progress,
    progress_of,
)
from khuyencong.reports import load_example
from khuyencong.units import MapId, UnitLevel

EXAMPLE: RecordSet = load_example()
TARGETS = national_targets("2016-2020")


def through_json(data: dict[str, Any]) -> Any:
    """The data as a JSON reader gets it: it must be JSON-serialisable as it is."""
    return json.loads(json.dumps(data, allow_nan=False))


words = st.text(max_size=12)
counts = st.integers(min_value=0, max_value=10**12)
ratios = st.fractions(max_denominator=10**9)
figures = st.builds(
    Figure,
    key=st.lists(words, max_size=3).map(tuple),
    labels_vi=st.lists(words, max_size=3).map(tuple),
    labels_en=st.lists(words, max_size=3).map(tuple),
    value=counts,
    record_ids=st.lists(words, max_size=4).map(tuple),
)
ratio_results = st.builds(Ratio, words, words, words, counts, counts)
sector_mixes = st.builds(
    SectorMix,
    st.lists(st.tuples(words, words, words, counts), max_size=4).map(tuple),
    counts,
    counts,
)
project_sizes = st.builds(ProjectSize, st.lists(counts, max_size=6).map(lambda a: tuple(sorted(a))))
coverages = st.builds(
    Coverage,
    st.sampled_from(UnitLevel),
    st.sampled_from(MapId),
    st.lists(words, max_size=2).map(tuple),
    st.lists(st.tuples(words, words, counts), max_size=3).map(tuple),
    st.lists(st.tuples(words, words), max_size=3).map(tuple),
)
progresses = st.builds(
    progress,
    st.sampled_from(TARGETS.targets),
    st.one_of(counts, ratios.filter(lambda f: f >= 0)),
)
cells = st.one_of(st.none(), words, counts, ratios)


@st.composite
def indicator_results(draw: st.DrawFn) -> IndicatorResult:
    """An indicator of the standard set over the Bắc Giang records, with or without a breakdown."""
    indicator = draw(st.sampled_from(sorted(STANDARD_INDICATORS.values(), key=lambda i: i.code)))
    first = draw(st.integers(2016, 2020))
    last = draw(st.integers(first, 2020))
    by = draw(st.sampled_from([(), ("district",), ("legal_form",)]))
    try:
        breakdown = [Breakdown.parse(b, MapId.MAP_2021) for b in by]
        return compute(indicator, EXAMPLE, Period.phase(first, last), by=breakdown)
    except KhuyenCongError:
        reject()  # a breakdown the indicator's records do not have


class TestReadBackEqual:
    """``from_data(to_data(x)) == x`` through JSON text, for every result that has from_data."""

    @given(figures)
    def test_a_figure(self, figure: Figure) -> None:
        """A figure keeps its keys, labels, value and the records behind it."""
        assert Figure.from_data(through_json(figure.to_data())) == figure

    @given(indicator_results())
    def test_an_indicator_result(self, result: IndicatorResult) -> None:
        """An indicator result keeps its definition, period, breakdown and every figure."""
        assert IndicatorResult.from_data(through_json(result.to_data())) == result

    @given(ratio_results)
    def test_a_ratio(self, ratio: Ratio) -> None:
        """A ratio keeps its exact numerator and denominator (0 included)."""
        assert Ratio.from_data(through_json(ratio.to_data())) == ratio

    @given(coverages)
    def test_a_coverage(self, cov: Coverage) -> None:
        """A coverage keeps its level, map and the units reached and not reached."""
        assert Coverage.from_data(through_json(cov.to_data())) == cov

    @given(sector_mixes)
    def test_a_sector_mix(self, mix: SectorMix) -> None:
        """A sector mix keeps its rows and counts."""
        assert SectorMix.from_data(through_json(mix.to_data())) == mix

    @given(project_sizes)
    def test_a_project_size(self, size: ProjectSize) -> None:
        """A project size keeps every amount."""
        assert ProjectSize.from_data(through_json(size.to_data())) == size

    @given(progresses)
    def test_a_progress(self, made: Progress) -> None:
        """A progress keeps its target and its exact actual and raw ratios."""
        assert Progress.from_data(through_json(made.to_data())) == made

    def test_a_target_progress(self) -> None:
        """Progress measured from records keeps its result, period and progress; an unmeasured
        target keeps its ``None``s."""
        measured = progress_of(TARGETS, EXAMPLE, period="2017-2020")
        assert measured
        for p in measured:
            assert TargetProgress.from_data(through_json(p.to_data())) == p
        unmeasured = TargetProgress(TARGETS.targets[0], Period.phase(2016, 2020))
        assert TargetProgress.from_data(through_json(unmeasured.to_data())) == unmeasured

    def test_a_computed_coverage(self) -> None:
        """The coverage of the Bắc Giang records reads back equal (names in Vietnamese)."""
        cov = coverage(EXAMPLE, Period.phase(2017, 2020), within="24")
        assert cov.reached
        assert Coverage.from_data(through_json(cov.to_data())) == cov

    def test_data_that_is_not_a_result_is_refused_with_its_path(self) -> None:
        """A ratio written as a float, or a field missing, is the library's error, naming it."""
        data = through_json(Ratio.of("disbursement_rate", 1, 2).to_data())
        with pytest.raises(ValidationError, match=r"\$\.numerator"):
            Ratio.from_data({**data, "numerator": 0.5})
        del data["denominator"]
        with pytest.raises(ValidationError, match=r"\$\.denominator"):
            Ratio.from_data(data)


class TestTableData:
    @given(st.lists(st.tuples(cells, cells), max_size=5))
    def test_cells_keep_their_value_and_ratios_are_exact_text(
        self, rows: list[tuple[object, object]]
    ) -> None:
        """A table's data is JSON-ready: text and numbers as they are, an exact ratio as text
        ``"p/q"`` that gives the same ratio back (never a rounded decimal)."""
        table = Table("T", ("a", "b"), tuple(rows), ("note",))
        data = through_json(table.to_data())
        assert (data["title"], data["headers"], data["notes"]) == ("T", ["a", "b"], ["note"])
        for row, written in zip(rows, data["rows"], strict=True):
            for cell, out in zip(row, written, strict=True):
                assert Fraction(out) == cell if isinstance(cell, Fraction) else out == cell
