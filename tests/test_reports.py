"""Reports: Markdown and HTML in Vietnamese and English, exports, charts and the CLI."""

from __future__ import annotations

import argparse
import builtins
import csv
import io
import json
import re
from collections import Counter
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from khuyencong import messages
from khuyencong.cli import _report as cli
from khuyencong.domain import Period, format_vnd
from khuyencong.indicators import STANDARD_INDICATORS, RecordSet, Table, compute
from khuyencong.messages import Lang
from khuyencong.reports import (
    Report,
    ReportConfig,
    Section,
    bar_chart,
    build_report,
    demo_report,
    example_path,
    load_example,
    load_report_config,
)
from khuyencong.storage import open_store, store_dataset


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="khuyencong")
    cli.add_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    code = cli.run(args)
    out, err = capsys.readouterr()
    return code, out, err


class TestRendering:
    def test_vietnamese_amounts(self) -> None:
        """Vietnamese output writes đồng as 1.234.567 đ."""
        text = demo_report("vi")
        assert re.search(r"\b\d{1,3}(\.\d{3}){2,} đ\b", text)
        assert not re.search(r"\d,\d{3},\d{3}", text)

    def test_english(self) -> None:
        """The English report uses English labels and VND amounts."""
        text = demo_report("en")
        assert "supported 52 cooperatives" in text
        assert "about 100 participations" in text
        assert re.search(r"VND \d{1,3}(,\d{3}){2,}", text)

    def test_html_has_tables_and_charts(self) -> None:
        """HTML embeds the tables and, with matplotlib, inline SVG charts."""
        pytest.importorskip("matplotlib")
        page = demo_report("vi", fmt="html")
        assert page.startswith("<!DOCTYPE html>")
        assert page.count("<svg") == 3
        assert "<table" in page

    def test_charts_missing(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without matplotlib the HTML report says charts need the extra, and still renders."""
        real_import = builtins.__import__

        def no_matplotlib(name: str, *args: Any, **kwargs: Any) -> Any:
            if name.startswith("matplotlib"):
                raise ImportError(name)
            return real_import(name, *args, **kwargs)

        monkeypatch.setattr(builtins, "__import__", no_matplotlib)
        assert bar_chart("x", ["a"], [1]) is None
        page = demo_report("vi", fmt="html")
        assert "Biểu đồ cần gói matplotlib" in page
        assert "<svg" not in page

    def test_invented_targets_flagged(self) -> None:
        """Progress against the example's targets says the targets are invented."""
        text = demo_report("vi")
        assert "giả định" in text
        assert "Tiến độ so với chỉ tiêu" in text


def _with_outcomes() -> tuple[RecordSet, ReportConfig]:
    """The example with outcomes reported for three of its support records."""
    data = load_example()
    support = list(data.support_records)
    reported = {0: (4, 20_000_000), 1: (3, None), 2: (None, -5_000_000)}
    for i, (jobs, income) in reported.items():
        support[i] = attrs.evolve(support[i], jobs_created=jobs, income_change=income)
    return attrs.evolve(data, support_records=support), load_report_config(example_path())


class TestOutcomes:
    def test_no_outcome_recorded_no_sentence(self) -> None:
        """The example records no outcome: the funds section says nothing about jobs or income."""
        for lang in ("vi", "en"):
            report = build_report(
                load_example(), load_report_config(example_path()), lang=lang, charts=False
            )
            text = report.to_markdown()
            assert "việc làm" not in text
            assert "new job" not in text
            assert report.results["jobs_created"].value == 0

    def test_reported_outcomes_are_one_sentence(self) -> None:
        """Reported jobs and income change give one sentence in the funds section, with the
        number of records that reported, and two rows of its table; in either language."""
        data, config = _with_outcomes()
        vi = build_report(data, config, lang="vi", charts=False)
        en = build_report(data, config, lang="en", charts=False)
        funds_vi = next(s for s in vi.sections if s.title == "Kinh phí")
        funds_en = next(s for s in en.sections if s.title == "Funds")
        assert funds_vi.paragraphs[1] == (
            "Các cơ sở báo cáo tạo thêm 7 việc làm mới và thu nhập của thành viên, người lao "
            "động tăng 15.000.000 đ/năm sau khi được hỗ trợ (theo 3 bản ghi có báo cáo kết quả)."
        )
        assert funds_en.paragraphs[1] == (
            "Beneficiaries reported 7 new jobs and a rise of VND 15,000,000 a year in members' "
            "and workers' income after support (from 3 records with reported outcomes)."
        )
        labels = [row[0] for row in funds_en.tables[0].rows]
        assert STANDARD_INDICATORS["jobs_created"].label("en") in labels
        assert STANDARD_INDICATORS["income_change"].label("en") in labels

    def test_outcome_indicators_read_the_same_records(self) -> None:
        """The report counts the records that reported either outcome as one count over the
        records both outcome indicators read: same kind, date and filter."""
        jobs, income = STANDARD_INDICATORS["jobs_created"], STANDARD_INDICATORS["income_change"]
        assert (jobs.kind, jobs.date_field, jobs.filter) == (
            income.kind,
            income.date_field,
            income.filter,
        )


words = st.text(max_size=10)
cells = st.one_of(st.none(), words, st.integers(0, 10**12), st.fractions(max_denominator=10**6))
tables = st.builds(
    Table,
    words,
    st.lists(words, min_size=2, max_size=2).map(tuple),
    st.lists(st.tuples(cells, cells), max_size=3).map(tuple),
    st.lists(words, max_size=2).map(tuple),
)
sections = st.builds(
    Section,
    words,
    st.lists(words, max_size=2).map(tuple),
    st.lists(tables, max_size=2).map(tuple),
    st.lists(st.tuples(words, st.none() | words), max_size=2).map(tuple),
)
reports = st.builds(
    Report, words, words, st.sampled_from(["vi", "en"]), st.lists(sections, max_size=3).map(tuple)
)


def _partner_rows(partners: list[tuple[str, ...]]) -> list[tuple[Any, ...]]:
    """The partners table of the example report whose first support records of one content
    were delivered with these partners (every other record alone)."""
    data = load_example()
    support = [attrs.evolve(r, partners=()) for r in data.support_records]
    content = Counter(r.content for r in support).most_common(1)[0][0]
    same = [i for i, r in enumerate(support) if r.content is content]
    for i, who in zip(same, partners, strict=False):
        support[i] = attrs.evolve(support[i], partners=who)
    report = build_report(
        attrs.evolve(data, support_records=support),
        load_report_config(example_path()),
        lang="en",
        charts=False,
    )
    section = next(
        s for s in report.sections if s.title == messages.text("report.partners.title", "en")
    )
    return [row[1:] for row in section.tables[0].rows]


class TestPartners:
    def test_one_row_per_content_and_partner_in_the_order_of_first_records(self) -> None:
        """Support delivered with one partner each: one row per content and partner, with its
        establishments and trainees, in the order in which each partner first appears."""
        rows = _partner_rows([("B",), ("A",), ("B",)])
        assert [who for who, _ests, _trainees in rows] == ["B", "A"]
        assert sum(ests for _who, ests, _trainees in rows) >= 2

    def test_partners_named_together_are_one_row_as_written(self) -> None:
        """A record delivered with two partners is a row of its own, the partners as written,
        not a row under each partner."""
        rows = _partner_rows([("B", "A"), ("A",), ("A", "A")])
        assert sorted(who for who, _ests, _trainees in rows) == ["A", "A, A", "B, A"]


class TestExports:
    def test_indicator_csv(self) -> None:
        """An indicator exports as CSV with raw integer values and record counts."""
        data = load_example()
        r = compute(STANDARD_INDICATORS["supported_by_content"], data, Period.phase(2017, 2020))
        rows = list(csv.DictReader(io.StringIO(r.to_csv())))
        design = next(row for row in rows if row["content_group_key"] == "design_consulting")
        assert design["value"] == design["records"] == "36"

    def test_money_csv_raw_and_html(self) -> None:
        """Money exports as raw integer đồng in CSV and renders formatted in HTML for Jupyter."""
        data = load_example()
        r = compute(STANDARD_INDICATORS["funds_disbursed"], data, Period.phase(2017, 2020))
        assert f",{r.value}," in r.to_csv()
        assert format_vnd(r.value) in r._repr_html_()

    def test_dataframe(self) -> None:
        """Results export as pandas DataFrames with the records behind each figure."""
        pytest.importorskip("pandas")
        data = load_example()
        r = compute(STANDARD_INDICATORS["fair_participations"], data, Period.phase(2017, 2020))
        df = r.to_dataframe()
        assert int(df["value"].sum()) == r.value
        assert len(df["record_ids"][0]) == r.value

    def test_report_keeps_results(self) -> None:
        """A report keeps its computed results, for drill-down from a notebook."""
        folder = example_path()
        report = build_report(load_example(), load_report_config(folder), charts=False)
        assert report.results["establishments_supported"].value == 52
        assert report.tables

    @pytest.mark.parametrize("lang", ["vi", "en"])
    def test_report_data_is_json_with_exact_ratios(self, lang: Lang) -> None:
        """``Report.to_data()`` is JSON as it is: every section and table in order, every
        result as ``IndicatorResult.to_data()`` writes it, and a share as exact text ("6/7")
        that gives the table's ratio back."""
        folder = example_path()
        report = build_report(load_example(), load_report_config(folder), lang=lang, charts=False)
        data = json.loads(json.dumps(report.to_data(), allow_nan=False))
        assert (data["title"], data["lang"]) == (report.title, lang)
        assert [s["title"] for s in data["sections"]] == [s.title for s in report.sections]
        written = [t for s in data["sections"] for t in s["tables"]]
        ratios = 0
        for table, out in zip(report.tables, written, strict=True):
            for row, cells in zip(table.rows, out["rows"], strict=True):
                for cell, text in zip(row, cells, strict=True):
                    if isinstance(cell, Fraction):
                        ratios += 1
                        assert Fraction(text) == cell
                    else:
                        assert text == cell
        assert ratios  # the sector mix's shares
        result = report.results["establishments_supported"]
        expected = json.loads(json.dumps(result.to_data()))
        assert data["results"]["establishments_supported"] == expected

    def test_records_behind_the_results_only_when_asked(self) -> None:
        """A list of ids per figure costs time and memory over a large store: a report keeps
        the records behind its results only when asked, and reads the same either way."""
        data, config = load_example(), load_report_config(example_path())
        plain = build_report(data, config, charts=False)
        drilled = build_report(data, config, charts=False, drill_down=True)
        assert plain.to_markdown() == drilled.to_markdown()
        assert plain.results["establishments_supported"].records_behind() == ()
        assert len(set(drilled.results["establishments_supported"].records_behind())) >= 52

    @given(reports)
    def test_any_report_writes_json_ready_data(self, report: Report) -> None:
        """Whatever its sections hold — text, counts, exact ratios, charts or none — a report's
        data is JSON as it is, a ratio written as exact text."""
        data = json.loads(json.dumps(report.to_data(), allow_nan=False))
        assert len(data["sections"]) == len(report.sections)
        for section, written in zip(report.sections, data["sections"], strict=True):
            assert written == json.loads(json.dumps(section.to_data()))
            for table, out in zip(section.tables, written["tables"], strict=True):
                cells = [c for row in table.rows for c in row]
                shown = [c for row in out["rows"] for c in row]
                assert shown == [str(c) if isinstance(c, Fraction) else c for c in cells]


class TestReportCli:
    def test_example_markdown(self, capsys: pytest.CaptureFixture[str]) -> None:
        """`khuyencong report --example` prints the Vietnamese Markdown report."""
        code, out, _err = run_cli(["report", "--example"], capsys)
        assert code == 0
        assert out.startswith("# Kết quả hoạt động khuyến công")

    def test_data_folder_year_and_commune(self, capsys: pytest.CaptureFixture[str]) -> None:
        """`--data DIR --from 2019 --to 2019 --by commune --lang en` reports one year."""
        code, out, _ = run_cli(
            [
                "report",
                "--data",
                str(example_path()),
                "--from",
                "2019",
                "--to",
                "2019",
                "--by",
                "commune",
                "--lang",
                "en",
            ],
            capsys,
        )
        assert code == 0
        assert "year 2019" in out.lower()
        assert "phase 2019–2019" not in out.lower()
        assert "| Commune |" in out

    def test_reform_map(self, capsys: pytest.CaptureFixture[str]) -> None:
        """`--map 2025-reform --by province` rolls the example up to Bắc Ninh."""
        code, out, _ = run_cli(
            ["report", "--example", "--map", "2025-reform", "--by", "province"], capsys
        )
        assert code == 0
        assert "| Tỉnh Bắc Ninh | 52 |" in out

    def test_store_needs_a_phase_or_config(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """`--store URL` without --from/--to or --config is an error naming what to give."""
        open_store(f"sqlite:///{tmp_path}/x.db").close()  # a store (a report never creates one)
        code, out, err = run_cli(["report", "--store", f"sqlite:///{tmp_path}/x.db"], capsys)
        assert (code, out) == (2, "")
        assert "--from/--to" in err


@pytest.fixture(scope="module")
def example_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The Bắc Giang example loaded into an SQLite store; its URL."""
    path = tmp_path_factory.mktemp("store") / "bg.db"
    data = load_example()
    with open_store(f"sqlite:///{path}") as store:
        store_dataset(store, data.to_dataset())
    return f"sqlite:///{path}"


class TestStoreReport:
    def test_config_and_targets_give_the_example_report(
        self, example_db: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """`--store` with the example's report.json and targets prints exactly the report of
        the example folder (computed in SQL instead of memory)."""
        folder = example_path()
        code, out, err = run_cli(
            [
                "report",
                "--store",
                example_db,
                "--config",
                str(folder / "report.json"),
                "--targets",
                str(folder / "targets.toml"),
            ],
            capsys,
        )
        assert (code, err) == (0, "")
        assert out == demo_report("vi", charts=False)

    def test_options_without_config(
        self, example_db: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Options alone suffice: the phase, the scope and a title; the province defaults to
        the one province the records reach (Bắc Giang)."""
        code, out, err = run_cli(
            [
                "report",
                "--store",
                example_db,
                "--from",
                "2017",
                "--to",
                "2020",
                "--legal-form",
                "cooperative",
                "--title",
                "Báo cáo thử",
                "--lang",
                "en",
            ],
            capsys,
        )
        assert (code, err) == (0, "")
        assert out.startswith("# Báo cáo thử")
        assert "supported 52 cooperatives" in out

    def test_reform_province_option(
        self, example_db: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """--province and --map roll the store's records up to the post-reform Bắc Ninh."""
        code, out, _err = run_cli(
            [
                "report",
                "--store",
                example_db,
                "--from",
                "2017",
                "--to",
                "2020",
                "--legal-form",
                "cooperative",
                "--map",
                "2025-reform",
                "--province",
                "24",
                "--by",
                "province",
            ],
            capsys,
        )
        assert code == 0
        assert "| Tỉnh Bắc Ninh | 52 |" in out

    def test_unknown_province_is_an_error(
        self, example_db: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A province code the map does not have is a clear error, not a traceback."""
        code, out, err = run_cli(
            ["report", "--store", example_db, "--from", "2019", "--province", "999"], capsys
        )
        assert (code, out) == (2, "")
        assert "999" in err

    def test_missing_folder(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A data folder that does not exist is an error with a message, not a traceback."""
        code, _out, err = run_cli(["report", "--data", "/nonexistent/kc", "--lang", "en"], capsys)
        assert code == 2
        assert "there is no data file or folder at /nonexistent/kc" in err


HOSTILE = '<img src=x onerror="alert(1)"> *HTX* [a](javascript:x) & | co'


def _hostile_report(fmt: str) -> str:
    """The example report with a hostile centre name, title and partner."""
    data = load_example()
    support = [
        attrs.evolve(r, partners=(HOSTILE,)) if r.partners else r for r in data.support_records
    ]
    config = attrs.evolve(
        load_report_config(example_path()), centre=HOSTILE, title_vi=HOSTILE, title_en=HOSTILE
    )
    report = build_report(attrs.evolve(data, support_records=support), config, charts=False)
    return report.to_markdown() if fmt == "md" else report._repr_html_()


class TestEscaping:
    def test_markdown_passes_no_raw_html_from_names(self) -> None:
        """A name or title holding HTML reaches the Markdown report as text, never as a tag,
        and Markdown-active characters in it are escaped (11.12)."""
        text = _hostile_report("md")
        assert "<img" not in text
        assert '&lt;img src=x onerror="alert(1)"&gt; \\*HTX\\* [a\\](javascript:x) &amp;' in text
        assert text.splitlines()[0].startswith("# &lt;img")

    def test_html_passes_no_raw_html_from_names(self) -> None:
        """The notebook fragment escapes the same names."""
        page = _hostile_report("html")
        assert "<img" not in page
        assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page


class TestNotebookDisplay:
    def test_a_report_displays_as_a_fragment(self) -> None:
        """In Jupyter a report is one div with styles scoped to it: no document, no body, no
        style that would narrow the notebook's page."""
        report = build_report(
            load_example(), load_report_config(example_path()), lang="en", charts=False
        )
        html = report._repr_html_()
        assert html.startswith('<div class="kc-display" lang="en">')
        assert html.endswith("</div>")
        for page_only in ("<html", "<body", "<!DOCTYPE", "body{", "max-width:60em"):
            assert page_only not in html
        styles = html.split("<style>")[1].split("</style>")[0]
        rules = [r for r in styles.split("}") if r]
        assert all(r.startswith(".kc-display") for r in rules)

    def test_the_standalone_page_is_still_a_page(self) -> None:
        """``to_html`` keeps a whole page for a file."""
        page = demo_report("vi", fmt="html", charts=False)
        assert page.startswith("<!DOCTYPE html>")
        assert "max-width" in page
