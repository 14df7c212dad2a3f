"""Notebook displays: fragments that leave the page alone, summaries of big collections, the
language in force, escaped text; DataFrames with names beside codes; a missing extra."""

from __future__ import annotations

import builtins
import datetime as dt
import re
from typing import Any

import attrs
import pytest

from khuyencong.datafiles import SAMPLE_DATASET, load_dataset
from khuyencong.display import fragment, markdown_escape
from khuyencong.domain import Period, SupportContent, million
from khuyencong.exceptions import MissingExtraError
from khuyencong.exports import records_dataframe
from khuyencong.indicators import STANDARD_INDICATORS, Breakdown, compute, coverage, sector_mix
from khuyencong.messages import language
from khuyencong.reports import load_example
from khuyencong.rules import check_eligibility, support_amount

PHASE = Period.phase(2017, 2020)


def assert_fragment(html: str) -> None:
    """One scoped div: no document, no body, every style rule under ``.kc-display``."""
    assert html.startswith('<div class="kc-display"')
    assert html.endswith("</div>")
    assert not re.search(r"<(html|body|head)\b|<!DOCTYPE", html)
    styles = html.split("<style>")[1].split("</style>", maxsplit=1)[0]
    assert all(rule.startswith(".kc-display") for rule in styles.split("}") if rule)


def displays() -> dict[str, Any]:
    """One object of every kind that has a rich display."""
    data = load_example()
    est = data.establishments[0]
    return {
        "decision": check_eligibility(est, dt.date(2019, 6, 1)),
        "amount": support_amount(SupportContent.MACHINERY, million(900), dt.date(2019, 6, 1)),
        "establishment": est,
        "dataset": load_dataset(SAMPLE_DATASET),
        "records": data,
        "result": compute(STANDARD_INDICATORS["supported_by_content"], data, PHASE),
        "coverage": coverage(data, PHASE, level="district", within="24"),
        "sector_mix": sector_mix(data, PHASE),
    }


class TestFragments:
    @pytest.mark.parametrize("kind", sorted(displays()))
    def test_every_display_is_a_fragment(self, kind: str) -> None:
        """Decisions, amounts, establishments, datasets, record sets, results, coverage and
        sector mix display as fragments that cannot narrow or restyle a notebook."""
        assert_fragment(displays()[kind]._repr_html_())

    @pytest.mark.parametrize("kind", sorted(displays()))
    def test_every_display_follows_the_language_setting(self, kind: str) -> None:
        """The same object displays differently in Vietnamese and English, and says which."""
        obj = displays()[kind]
        with language("vi"):
            vi = obj._repr_html_()
        with language("en"):
            en = obj._repr_html_()
        assert 'lang="vi"' in vi
        assert 'lang="en"' in en
        assert vi != en

    def test_coverage_speaks_the_language_of_the_results(self) -> None:
        """Coverage, like an indicator result, speaks English when English is set (it once
        always spoke English)."""
        cov = displays()["coverage"]
        with language("vi"):
            assert "Đơn vị" in cov._repr_html_()
            assert "Huyện Lục Ngạn" in cov._repr_html_()
        with language("en"):
            assert "Lục Ngạn district" in cov._repr_html_()

    def test_big_collections_show_counts_not_content(self) -> None:
        """A record set displays and prints a summary of counts, never every record."""
        data = load_example()
        assert repr(data) == (
            "RecordSet(establishments=56, support_records=60, fair_participations=104,"
            " award_entries=17, ocop_ratings=9, projects=27)"
        )
        with language("en"):
            html = data._repr_html_()
        assert len(html) < 2_000
        assert "Fair participations" in html
        assert ">104<" in html

    def test_a_dataset_prints_its_counts(self) -> None:
        """A dataset's repr is one short line of counts."""
        dataset = load_dataset(SAMPLE_DATASET)
        assert repr(dataset).startswith("Dataset(establishments=")
        assert len(repr(dataset)) < 200

    def test_a_decision_shows_its_verdict_conditions_and_tags(self) -> None:
        """A decision shows who, which rule, when, the verdict, each condition with its
        citation, and what the confidence tags mean."""
        with language("vi"):
            html = displays()["decision"]._repr_html_()
        assert "điều kiện hưởng hỗ trợ khuyến công ngày 01/06/2019" in html
        assert "ĐẠT" in html
        assert "Mức tin cậy của căn cứ" in html

    def test_names_are_escaped(self) -> None:
        """An establishment named with HTML displays the name as text."""
        est = attrs.evolve(load_example().establishments[0], name="<b>HTX</b> & co")
        html = est._repr_html_()
        assert "<b>HTX" not in html
        assert "&lt;b&gt;HTX&lt;/b&gt; &amp; co" in html

    def test_a_fragment_marks_its_language(self) -> None:
        """A fragment says which language its words are in."""
        assert fragment("x", lang="en").startswith('<div class="kc-display" lang="en">')


class TestMarkdownEscape:
    def test_a_tag_becomes_text(self) -> None:
        """``<``, ``>`` and ``&`` become entities, so a name never opens a tag."""
        assert markdown_escape("<script>&") == "&lt;script&gt;&amp;"

    def test_a_tag_in_brackets_stays_readable(self) -> None:
        """A confidence tag such as [V2] reads as written; a link is broken up."""
        assert markdown_escape("[V2]") == "[V2]"
        assert markdown_escape("[a](b)") == "[a\\](b)"


class TestDataFrames:
    def test_a_breakdown_by_unit_carries_names_beside_codes(self) -> None:
        """A DataFrame of a district breakdown holds each district's code and, beside it,
        its name in the language in force."""
        pytest.importorskip("pandas")
        result = compute(
            STANDARD_INDICATORS["establishments_supported"],
            load_example(),
            PHASE,
            by=[Breakdown.district()],
        )
        with language("vi"):
            frame = result.to_dataframe()
        assert list(frame.columns[:2]) == ["District", "Huyện, thành phố (tên)"]
        assert (frame["District"][0], frame["Huyện, thành phố (tên)"][0]) == (
            "219",
            "Huyện Lục Ngạn",
        )

    def test_records_carry_unit_names_beside_codes(self) -> None:
        """``records_dataframe`` puts a unit's name beside its map and code."""
        pytest.importorskip("pandas")
        with language("en"):
            frame = records_dataframe(load_example().establishments[:1])
        columns = list(frame.columns)
        assert columns.index("location.name") == columns.index("location.code") + 1
        assert frame["location.name"][0] == "Chũ township"

    def test_without_pandas_the_error_says_what_to_install(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """``to_dataframe`` without pandas raises a library error with the pip command, not a
        bare ModuleNotFoundError."""
        real_import = builtins.__import__

        def no_pandas(name: str, *args: Any, **kwargs: Any) -> Any:
            if name.startswith("pandas"):
                raise ModuleNotFoundError(name)
            return real_import(name, *args, **kwargs)

        monkeypatch.setattr(builtins, "__import__", no_pandas)
        result = compute(STANDARD_INDICATORS["fair_participations"], load_example(), PHASE)
        for to_frame in (result.to_dataframe, result.table().to_dataframe):
            with language("en"), pytest.raises(MissingExtraError) as info:
                to_frame()
            assert info.value.extra == "pandas"
            assert 'pip install "khuyencong[pandas]"' in str(info.value)
        with language("en"), pytest.raises(MissingExtraError):
            records_dataframe([])
