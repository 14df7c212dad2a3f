"""IATI results export and import: the standard's elements, validation, and lossless round trips."""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import xml.etree.ElementTree as ET
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from khuyencong.domain import Citation, Period
from khuyencong.exceptions import FileFormatError, ValidationError
from khuyencong.exchange.iati import (
    FORMATS,
    IATI_VERSION,
    IatiIndicator,
    IatiPeriod,
    IatiResult,
    IndicatorMeasure,
    ResultType,
    dumps,
    iati_result,
    iati_result_problems,
    loads,
    read,
    result_to_iati,
    write,
)
from khuyencong.indicators import (
    IndicatorResult,
    Ratio,
    Target,
    compute_standard,
    coverage,
    load_targets,
)
from khuyencong.messages import language, text
from khuyencong.reports import example_path, load_example, load_report_config

PHASE = Period.phase(2017, 2020)
EXAMPLE = "Ví dụ minh họa"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def target(indicator: str, value: str, **kw: Any) -> Target:
    return Target(indicator, "2017-2020", Decimal(value), Citation(EXAMPLE), **kw)


@pytest.fixture(scope="module")
def example() -> tuple[dict[str, IndicatorResult], Ratio]:
    data, config = load_example(), load_report_config(example_path())
    results = compute_standard(data, PHASE, scope=config.scope)
    share = coverage(
        data, PHASE, level="commune", map_id="2021-11", within="24", scope=config.scope
    ).share
    return results, share


@pytest.fixture(scope="module")
def example_result(example: tuple[dict[str, IndicatorResult], Ratio]) -> IatiResult:
    results, share = example
    targets = load_targets(example_path() / "targets.toml")
    return iati_result(
        targets.for_period(PHASE),
        results,
        ratios=[share],
        title_vi="Kết quả khuyến công hỗ trợ hợp tác xã 2017–2020",
        title_en="Industrial promotion support to cooperatives, 2017–2020",
    )


def simple(**changes: Any) -> IatiResult:
    indicator = IatiIndicator(
        code="trainees",
        title_vi="Số học viên",
        title_en="Trainees",
        measure=IndicatorMeasure.UNIT,
        baseline_year=2021,
        baseline=Decimal(0),
        periods=[IatiPeriod(dt.date(2021, 1, 1), dt.date(2025, 12, 31), Decimal(200))],
    )
    fields: dict[str, Any] = {
        "title_vi": "Kết quả",
        "title_en": "Results",
        "indicators": [indicator],
    }
    fields.update(changes)
    return IatiResult(**fields)


class TestIatiResult:
    def test_the_example_reports_every_target_with_its_actual(
        self, example_result: IatiResult
    ) -> None:
        """Each invented target of the Bắc Giang example becomes an indicator with the actual
        computed from the records: 52 cooperatives against 60, 12 provincial products against 15."""
        got = {(i.code, i.key): i.periods[0] for i in example_result.indicators}
        assert (
            got[("establishments_supported", None)].target,
            got[("establishments_supported", None)].actual,
        ) == (Decimal(60), Decimal(52))
        assert (
            got[("awarded_products", "province")].target,
            got[("awarded_products", "province")].actual,
        ) == (Decimal(15), Decimal(12))
        assert got[("fair_participations", None)].actual == Decimal(100)
        assert got[("management_trainees", None)].actual == Decimal(150)

    def test_a_period_is_the_target_phase_in_whole_years(self, example_result: IatiResult) -> None:
        """The phase 2017–2020 runs from 1 January 2017 to 31 December 2020."""
        period = example_result.indicators[0].periods[0]
        assert (period.start, period.end) == (dt.date(2017, 1, 1), dt.date(2020, 12, 31))
        assert example_result.indicators[0].baseline_year == 2017

    def test_counts_are_units_and_shares_are_percentages(self, example_result: IatiResult) -> None:
        """A count is measured in units; commune coverage is measured in percent, its target of
        0.5 written as 50 and its actual 44 of 209 communes rounded to 21.05."""
        measures = {i.code: i.measure for i in example_result.indicators}
        assert measures["establishments_supported"] is IndicatorMeasure.UNIT
        assert measures["coverage[commune]"] is IndicatorMeasure.PERCENTAGE
        cov = next(i for i in example_result.indicators if i.code == "coverage[commune]")
        assert (cov.periods[0].target, cov.periods[0].actual) == (Decimal(50), Decimal("21.05"))

    def test_titles_are_in_vietnamese_and_english_with_the_key(
        self, example_result: IatiResult
    ) -> None:
        """The title of a target on one part names that part in each language."""
        products = next(i for i in example_result.indicators if i.key == "province")
        assert products.title_vi.endswith("(Cấp tỉnh)")
        assert products.title_en.endswith("(Provincial level)")

    def test_an_invented_target_says_so_in_its_comment(self, example_result: IatiResult) -> None:
        """A reader of the IATI file must see that an example target is invented."""
        comment = example_result.indicators[0].periods[0].target_comment
        assert comment is not None
        assert comment.startswith("Chỉ tiêu giả định (invented target)")

    def test_targets_of_several_periods_become_periods_of_one_indicator(self) -> None:
        """Yearly targets of one indicator are periods of one IATI indicator."""
        targets = [
            Target("trainees", str(year), Decimal(50), Citation(EXAMPLE)) for year in (2021, 2022)
        ]
        result = iati_result(targets, {}, title_vi="Kết quả", title_en="Results")
        assert [len(result.indicators), len(result.indicators[0].periods)] == [1, 2]
        assert result.indicators[0].periods[0].actual is None

    def test_an_unknown_indicator_is_refused_when_written(self) -> None:
        """A target of an indicator nobody defined has no title: writing lists both missing
        narratives with their paths."""
        result = iati_result([target("jobs_made_up", "5")], {}, title_vi="K", title_en="R")
        with pytest.raises(ValidationError) as err:
            dumps([result])
        assert err.value.paths == (
            "$.result[0].indicator[0].title.narrative",
            "$.result[0].indicator[0].title.narrative",
        )

    def test_a_ratio_without_a_denominator_has_no_actual(self) -> None:
        """An undefined share (no project approved) is not reported as 0 %."""
        ratio = Ratio("disbursement_rate", "Tỷ lệ giải ngân", "Disbursement rate", 0, 0)
        result = iati_result(
            [target("disbursement_rate", "0.9")], {}, ratios=[ratio], title_vi="K", title_en="R"
        )
        assert result.indicators[0].periods[0].actual is None
        assert result.indicators[0].periods[0].target == Decimal(90)

    def test_a_fractional_share_is_rounded_half_even(self) -> None:
        """1/8 is 12.5 %, 1/3 is 33.33 % (two places, half-even)."""
        for num, den, expected in ((1, 8, "12.5"), (1, 3, "33.33"), (1, 1, "100")):
            ratio = Ratio("sector_mix", "Tỷ lệ", "Share", num, den)
            result = iati_result(
                [target("sector_mix", "0.5")], {}, ratios=[ratio], title_vi="K", title_en="R"
            )
            assert result.indicators[0].periods[0].actual == Decimal(expected)
            assert Fraction(num, den) * 100 - Fraction(Decimal(expected)) < Fraction(1, 200)


class TestResultToIati:
    def test_the_xml_has_the_iati_203_result_elements(self, example_result: IatiResult) -> None:
        """result@type, title/narrative@xml:lang, indicator@measure@ascending, reference,
        baseline@year@value, period/period-start@iso-date, period-end, target@value,
        actual@value — in the schema's order."""
        root = ET.fromstring(dumps([example_result]))
        assert (root.tag, root.get("type")) == ("result", "1")
        assert [n.get(XML_LANG) for n in root.findall("title/narrative")] == ["vi", "en"]
        indicator = root.find("indicator")
        assert indicator is not None
        assert (indicator.get("measure"), indicator.get("ascending")) == ("1", "1")
        assert [c.tag for c in indicator] == ["title", "reference", "baseline", "period"]
        reference = indicator.find("reference")
        assert reference is not None
        assert reference.attrib == {"vocabulary": "99", "code": "establishments_supported"}
        baseline = indicator.find("baseline")
        assert baseline is not None
        assert baseline.attrib == {"year": "2017", "value": "0"}
        period = indicator.find("period")
        assert period is not None
        assert [c.tag for c in period] == ["period-start", "period-end", "target", "actual"]
        assert period.find("period-start").get("iso-date") == "2017-01-01"  # type: ignore[union-attr]
        assert period.find("period-end").get("iso-date") == "2020-12-31"  # type: ignore[union-attr]
        assert period.find("target").get("value") == "60"  # type: ignore[union-attr]
        assert period.find("actual").get("value") == "52"  # type: ignore[union-attr]

    def test_a_keyed_target_carries_its_key_as_a_dimension(
        self, example_result: IatiResult
    ) -> None:
        """The provincial-level products target has dimension key=province on its baseline,
        target and actual; a target dimension comes before its comment."""
        root = ET.fromstring(dumps([example_result]))
        keyed = [i for i in root.iter("indicator") if i.find("baseline/dimension") is not None]
        assert len(keyed) == 1
        for where in ("baseline", "period/target", "period/actual"):
            dimension = keyed[0].find(f"{where}/dimension")
            assert dimension is not None
            assert dimension.attrib == {"name": "key", "value": "province"}
        assert [c.tag for c in keyed[0].find("period/target")] == ["dimension", "comment"]  # type: ignore[union-attr]

    def test_json_mirrors_the_xml(self, example_result: IatiResult) -> None:
        """The JSON holds the same elements: objects for single elements, lists for repeated
        ones, attributes as text."""
        data = json.loads(dumps([example_result], fmt="json"))
        assert data["iati-version"] == IATI_VERSION
        first = data["result"][0]["indicator"][0]
        assert first["title"]["narrative"][0] == {
            "xml:lang": "vi",
            "text": "Số cơ sở được hỗ trợ",
        }
        assert first["period"][0]["period-start"] == {"iso-date": "2017-01-01"}
        assert first["period"][0]["actual"] == [{"value": "52"}]
        assert result_to_iati(example_result) == data["result"][0]

    def test_values_are_written_without_trailing_zeros(self) -> None:
        """50.0 is written 50 and 21.050 is written 21.05."""
        period = IatiPeriod(dt.date(2021, 1, 1), dt.date(2021, 12, 31), Decimal("50.0"))
        indicator = simple().indicators[0]
        result = simple(
            indicators=[
                IatiIndicator(
                    "x", "X", "X", IndicatorMeasure.PERCENTAGE, 2021, Decimal("21.050"), [period]
                )
            ]
        )
        data = result_to_iati(result)["indicator"][0]
        assert data["baseline"][0]["value"] == "21.05"
        assert data["period"][0]["target"] == [{"value": "50"}]
        assert indicator.title("en") == "Trainees"


class TestIatiResultProblems:
    def test_a_complete_result_has_no_problem(self, example_result: IatiResult) -> None:
        """What the exporter builds from the example passes its own check."""
        assert iati_result_problems(result_to_iati(example_result)) == []

    def test_every_missing_piece_is_listed_with_its_path(self) -> None:
        """An empty indicator misses its measure, both titles, its reference and its baseline;
        a period misses both dates."""
        data = result_to_iati(simple())
        data["indicator"][0] = {"period": [{}]}
        paths = [p.path for p in iati_result_problems(data)]
        assert paths == [
            "$.result[0].indicator[0].measure",
            "$.result[0].indicator[0].title",
            "$.result[0].indicator[0].reference",
            "$.result[0].indicator[0].baseline",
            "$.result[0].indicator[0].period[0].period-start",
            "$.result[0].indicator[0].period[0].period-end",
        ]

    def test_codes_numbers_and_dates_are_checked(self) -> None:
        """A result type outside the codelist, a qualitative measure, a baseline year that is
        not a year, a value that is not a number and an impossible date are each reported."""
        data = result_to_iati(simple())
        data["type"] = "7"
        ind = data["indicator"][0]
        ind["measure"] = "5"
        ind["baseline"][0]["year"] = "20x1"
        ind["period"][0]["target"][0]["value"] = "about 200"
        ind["period"][0]["period-end"]["iso-date"] = "2025-02-30"
        paths = [p.path for p in iati_result_problems(data)]
        assert paths == [
            "$.result[0].type",
            "$.result[0].indicator[0].measure",
            "$.result[0].indicator[0].baseline[0].year",
            "$.result[0].indicator[0].period[0].period-end.iso-date",
            "$.result[0].indicator[0].period[0].target[0].value",
        ]

    def test_a_period_cannot_end_before_it_starts(self) -> None:
        """period-end before period-start is refused."""
        period = IatiPeriod(dt.date(2021, 12, 31), dt.date(2021, 1, 1), Decimal(1))
        bad = simple(indicators=[attrs_evolve(simple().indicators[0], periods=[period])])
        with pytest.raises(ValidationError) as err:
            dumps([bad], fmt="json")
        assert err.value.paths == ("$.result[0].indicator[0].period[0].period-end.iso-date",)

    def test_a_comment_needs_a_target(self) -> None:
        """A citation is the comment of a target: without a target it has nowhere to go."""
        with pytest.raises(ValidationError) as err:
            IatiPeriod(dt.date(2021, 1, 1), dt.date(2021, 12, 31), None, None, "1881/QĐ-TTg")
        assert err.value.paths == ("$.target_comment",)

    def test_a_result_needs_an_indicator(self) -> None:
        """IATI requires at least one indicator in a result."""
        with pytest.raises(ValidationError) as err:
            dumps([simple(indicators=[])])
        assert err.value.paths == ("$.result[0].indicator",)


def attrs_evolve(inst: Any, **changes: Any) -> Any:
    import attrs  # noqa: PLC0415  (a helper used by one test)

    return attrs.evolve(inst, **changes)


class TestIatiWriting:
    def test_nothing_is_written_when_a_result_is_invalid(self, tmp_path: Path) -> None:
        """Validation happens before the file is opened."""
        bad = simple(title_en=" ")
        for fmt in FORMATS:
            out = tmp_path / f"out.{fmt}"
            with pytest.raises(ValidationError):
                write([bad], out)
            assert not out.exists()

    def test_an_empty_export_is_refused(self) -> None:
        """A file holds at least one result."""
        with pytest.raises(ValidationError):
            dumps([])
        with pytest.raises(ValidationError):
            dumps([], fmt="json")

    def test_files_round_trip(self, tmp_path: Path, example_result: IatiResult) -> None:
        """Written files read back to the same results."""
        write([example_result], tmp_path / "results.xml")
        write([example_result], tmp_path / "results.json")
        assert read(tmp_path / "results.xml") == [example_result]
        assert read(tmp_path / "results.json") == [example_result]


class TestIatiReading:
    def test_results_are_read_inside_an_iati_activity(self, example_result: IatiResult) -> None:
        """The fragment pasted into an activity file is read back from it."""
        fragment = dumps([example_result])
        document = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<iati-activities version="{IATI_VERSION}"><iati-activity>'
            "<iati-identifier>VN-X-1</iati-identifier>"
            f"{fragment}</iati-activity></iati-activities>"
        )
        assert loads(document) == [example_result]

    def test_unknown_elements_are_refused(self) -> None:
        """Our reader reads what we write; other elements are reported, not dropped."""
        xml = dumps([simple()]).replace(
            "<reference",
            '<description><narrative xml:lang="vi">x</narrative></description><reference',
        )
        with pytest.raises(ValidationError) as err:
            loads(xml)
        assert err.value.paths == ("$.result[0].indicator[0].description",)

    def test_not_xml(self) -> None:
        """Broken XML is one problem at $."""
        with pytest.raises(ValidationError) as err:
            loads("<result type='1'>")
        assert err.value.paths == ("$",)

    def test_other_top_level_elements_are_refused(self) -> None:
        """Only results or activities are read."""
        with pytest.raises(ValidationError):
            loads("<budget/>")

    def test_json_needs_the_version_and_known_keys(self) -> None:
        """The JSON says which IATI version it follows and holds nothing else."""
        data = json.loads(dumps([simple()], fmt="json"))
        data["iati-version"] = "1.05"
        data["extra"] = 1
        with pytest.raises(ValidationError) as err:
            loads(json.dumps(data), fmt="json")
        assert err.value.paths == ("$.extra", "$.iati-version")

    def test_every_problem_of_every_result_is_listed(self) -> None:
        """Two broken results: the problems of both are reported together."""
        one = result_to_iati(simple())
        two = copy.deepcopy(one)
        del one["type"]
        two["indicator"][0]["baseline"][0]["value"] = "n/a"
        text = json.dumps({"iati-version": IATI_VERSION, "result": [one, two]})
        with pytest.raises(ValidationError) as err:
            loads(text, fmt="json")
        assert err.value.paths == (
            "$.result[0].type",
            "$.result[1].indicator[0].baseline[0].value",
        )

    def test_not_json(self) -> None:
        """Broken JSON is one problem at $."""
        with pytest.raises(ValidationError) as err:
            loads("{", fmt="json")
        assert err.value.paths == ("$",)


# --- round trips --------------------------------------------------------------------------

_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029"),
    min_size=1,
    max_size=20,
).filter(lambda s: s.strip() != "")
_VALUES = st.decimals(
    min_value=Decimal(-(10**9)), max_value=Decimal(10**9), places=2, allow_nan=False
)


@st.composite
def iati_periods(draw: st.DrawFn) -> IatiPeriod:
    start = draw(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2040, 12, 31)))
    end = start + dt.timedelta(days=draw(st.integers(0, 3000)))
    target = draw(st.none() | _VALUES)
    comment = None if target is None else draw(st.none() | _TEXT)
    return IatiPeriod(start, end, target, draw(st.none() | _VALUES), comment)


@st.composite
def iati_indicators(draw: st.DrawFn) -> IatiIndicator:
    return IatiIndicator(
        code=draw(_TEXT),
        title_vi=draw(_TEXT),
        title_en=draw(_TEXT),
        measure=draw(st.sampled_from(IndicatorMeasure)),
        baseline_year=draw(st.integers(1000, 9999)),
        baseline=draw(_VALUES),
        periods=draw(st.lists(iati_periods(), max_size=3)),
        key=draw(st.none() | _TEXT),
        ascending=draw(st.booleans()),
    )


@st.composite
def iati_results(draw: st.DrawFn) -> list[IatiResult]:
    return draw(
        st.lists(
            st.builds(
                IatiResult,
                _TEXT,
                _TEXT,
                st.lists(iati_indicators(), min_size=1, max_size=3),
                st.sampled_from(ResultType),
            ),
            min_size=1,
            max_size=3,
        )
    )


class TestIatiRoundTrip:
    @given(iati_results())
    def test_xml_export_import_export_is_identical(self, results: list[IatiResult]) -> None:
        """Whatever is written as XML reads back to equal results that write the same text."""
        text = dumps(results)
        again = loads(text)
        assert again == results
        assert dumps(again) == text

    @given(iati_results())
    def test_json_export_import_export_is_identical(self, results: list[IatiResult]) -> None:
        """Whatever is written as JSON reads back to equal results that write the same text."""
        text = dumps(results, fmt="json")
        again = loads(text, fmt="json")
        assert again == results
        assert dumps(again, fmt="json") == text

    @given(iati_results())
    def test_xml_and_json_hold_the_same_results(self, results: list[IatiResult]) -> None:
        """The two forms carry the same information."""
        assert loads(dumps(results)) == loads(dumps(results, fmt="json"), fmt="json")


class TestIatiVerbs:
    def test_streams_are_read_and_written(self, example_result: IatiResult) -> None:
        """write takes an open text stream and read an open text or binary stream; without
        fmt a stream is XML, the standard's own format."""
        stream = io.StringIO()
        write([example_result], stream)
        assert stream.getvalue() == dumps([example_result])
        assert read(io.StringIO(stream.getvalue())) == [example_result]
        as_json = io.BytesIO(dumps([example_result], fmt="json").encode())
        assert read(as_json, fmt="json") == [example_result]

    def test_an_unknown_format_is_refused(self, tmp_path: Path) -> None:
        """A format the module does not write, or a file name that names none, is refused
        with the formats it knows."""
        with pytest.raises(ValidationError, match="'xml', 'json'"):
            dumps([simple()], fmt="csv")
        with pytest.raises(ValidationError, match="fmt="):
            write([simple()], tmp_path / "results.txt")


class TestIatiHostileInput:
    """Whatever the bytes, reading ends in the library's error naming what is wrong."""

    def test_bytes_that_are_not_utf8_are_a_file_format_error(self) -> None:
        """XML in a legacy encoding is refused as not UTF-8, not with a UnicodeDecodeError."""
        with pytest.raises(FileFormatError, match="UTF-8"), language("en"):
            loads(dumps([simple()]).encode().replace("Kết".encode(), b"K\xe9t"))

    def test_entity_declarations_are_refused(self) -> None:
        """A document type declaration (the door to 'billion laughs') is refused unread."""
        lol = (
            '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
            '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        )
        with pytest.raises(FileFormatError) as caught:
            loads(lol + dumps([simple()]).replace("Results", "&b;"))
        assert caught.value.problems[0].message == text("exchange.xml.doctype")

    def test_xml_nested_thousands_deep_is_a_file_format_error(self) -> None:
        """Elements nested 100,000 deep are refused without a RecursionError."""
        deep = "<result>" + "<title>" * 100_000 + "</title>" * 100_000 + "</result>"
        with pytest.raises(FileFormatError):
            loads(deep)

    @pytest.mark.parametrize(
        "document",
        [
            "[" * 100_000,
            '{"iati-version": "2.03", "result": [' + "9" * 5000 + "]}",
            b'{"iati-version": "2.03", "result": ["\xff"]}',
        ],
        ids=["nested-deep", "huge-integer", "not-utf8"],
    )
    def test_unreadable_json_is_a_file_format_error(self, document: str | bytes) -> None:
        """JSON nested thousands deep, with a 5,000-digit integer or in a legacy encoding is
        refused as a file that cannot be read."""
        with pytest.raises(FileFormatError):
            loads(document, fmt="json")

    def test_a_lone_carriage_return_is_an_ordinary_line_end(self) -> None:
        """XML with old Mac line ends reads as with any other."""
        text_ = dumps([simple()])
        assert loads(text_.replace("\n", "\r")) == loads(text_)

    def test_a_value_of_thousands_of_digits_is_written_back(self) -> None:
        """A target of 5,000 digits read from a file is written again as it was (the writer
        never goes through int(), which cannot print it)."""
        huge = "9" * 5000
        xml = dumps([simple()]).replace('target value="200"', f'target value="{huge}"')
        assert f'target value="{huge}"' in dumps(loads(xml))
