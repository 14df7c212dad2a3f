"""Tests of ``khuyencong.rules._parameters`` and ``rulesets``: dated parameters and rule sets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from khuyencong.domain import Confidence, Lang, million
from khuyencong.exceptions import CoverageError, DataFileError, NotConfiguredError
from khuyencong.messages import Text, language
from khuyencong.messages import text as message
from khuyencong.rules import (
    CityGrade,
    DatedRules,
    DerivedCap,
    Parameter,
    ParameterSet,
    RuleSet,
    UnitFacts,
    WardConversion,
    legal_data_files,
    load_parameters,
)
from khuyencong.rules._catalogue import TYPES
from khuyencong.rules._parameters import parse_parameter_file, read_toml
from khuyencong.units import MapId

DOC = '[document]\nnumber = "X/2030"\neffective_from = 2030-01-01\n'


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The data files' problems are read here in English (tests/test_messages.py checks the
    Vietnamese ones)."""
    with language("en"):
        yield


NATIONAL = RuleSet.national()


def problems_of(text: str, tmp_path: Path) -> list[tuple[str, str]]:
    path = tmp_path / "x.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        load_parameters([path])
    return [(p.path, p.message) for p in info.value.problems]


class TestLegalDataFiles:
    def test_one_file_per_document(self) -> None:
        """The package ships the legal files, sorted, among them 28/2018/TT-BTC."""
        names = [p.name for p in legal_data_files()]
        assert names == sorted(names)
        assert "28-2018-TT-BTC.toml" in names


class TestParameterEntry:
    def test_covers_its_period_only(self) -> None:
        """The 2014 machinery cap covers 8/4/2014 to 10/5/2018, not 11/5/2018."""
        entry = NATIONAL.entry("support.national.machinery.cap", dt.date(2016, 1, 1))
        assert entry.covers(dt.date(2018, 5, 10)) is True
        assert entry.covers(dt.date(2018, 5, 11)) is False
        assert entry.confidence is Confidence.VERIFIED

    def test_unknown_entry_raises_naming_its_document(self) -> None:
        """A '?' entry has no value; asking names the document that should supply it."""
        entry = NATIONAL.entry("support.national.brand.cap", dt.date(2019, 1, 1))
        assert entry.configured is False
        with pytest.raises(NotConfiguredError) as info:
            entry.get(dt.date(2019, 1, 1))
        assert "28/2018/TT-BTC" in Text.of(info.value.source_document).vi


class TestParameter:
    def test_timeline_and_coverage(self) -> None:
        """The machinery cap timeline starts on 8/4/2014 and is open-ended."""
        param = NATIONAL.parameters["support.national.machinery.cap"]
        assert param.coverage == "2014-04-08 to open end"
        assert param.spec is not None
        assert param.value_at(dt.date(2020, 1, 1)) == million(300)
        with pytest.raises(CoverageError):
            param.entry_at(dt.date(2014, 4, 7))

    def test_empty_timeline(self) -> None:
        """A parameter without entries covers no date."""
        assert Parameter("x", ()).coverage == "no date"


class TestParameterSet:
    def test_mapping_of_timelines(self) -> None:
        """A parameter set maps names to timelines and says how many it holds."""
        params = load_parameters()
        assert isinstance(params, ParameterSet)
        assert len(list(params)) == len(params)
        assert repr(params) == f"<ParameterSet of {len(params)} parameters>"

    def test_unknown_name_is_not_configured(self) -> None:
        """A name no file configures raises, saying the name is unknown."""
        with language("en"), pytest.raises(NotConfiguredError, match="the name is unknown"):
            load_parameters().entry("no.such.parameter", dt.date(2020, 1, 1))

    def test_layered_cuts_existing_periods(self) -> None:
        """A value for 2020 only leaves 2019 and 2021 with the old value."""
        sim = NATIONAL.what_if(
            {"award.pass_mark": 75},
            label="stricter 2020",
            start=dt.date(2020, 1, 1),
            end=dt.date(2020, 12, 31),
        )
        values = [sim.value("award.pass_mark", dt.date(y, 6, 1)) for y in (2019, 2020, 2021)]
        assert values == [70, 75, 70]


class TestParseParameterFile:
    def test_document_number_is_required(self) -> None:
        """Every file names its document."""
        with pytest.raises(DataFileError, match="every file names its document"):
            parse_parameter_file({"values": []}, "x.toml")

    def test_support_shorthand(self) -> None:
        """A [[support]] table gives rate, cap and per for each content, caps in millions."""
        entries = parse_parameter_file(
            {
                "document": {"number": "X/2030", "effective_from": dt.date(2030, 1, 1)},
                "support": [
                    {"content": ["brand", "consulting"], "rate": "40%", "cap_million": 20},
                    {
                        "content": "technology_line",
                        "rate": "50%",
                        "cap_factor": "2",
                        "cap_of": "machinery",
                    },
                    {"content": "overseas_fair", "rate": "100%", "cap_million": "none"},
                ],
            },
            "x.toml",
        )
        by_name = {e.parameter: e.value for e in entries}
        assert by_name["support.national.consulting.rate"] == Decimal("0.4")
        assert by_name["support.national.brand.cap"] == million(20)
        assert by_name["support.national.technology_line.cap"] == DerivedCap(
            Decimal(2), "machinery"
        )
        assert by_name["support.national.overseas_fair.cap"] is None


class TestParameterFiles:
    def test_every_problem_is_reported_with_its_path(self, tmp_path: Path) -> None:
        """Bad tables, missing names, bad millions, dates and tags are all listed at once."""
        text = (
            "extra = 1\n"
            "values = [\n"
            "  1,\n"
            "  { value = 3 },\n"
            '  { parameter = "award.pass_mark", value_million = "x" },\n'
            '  { parameter = "award.pass_mark", value = 70, effective_from = "2030-01-01" },\n'
            '  { parameter = "award.pass_mark", value = 70, confidence = "maybe" },\n'
            '  { parameter = "award.pass_mark", value = 70, effective_to = 2029-01-01 },\n'
            '  { parameter = "award.pass_mark", confidence = "U" },\n'
            '  { parameter = "award.pass_mark", value = 70, bogus = 1 },\n'
            "]\n"
        ) + DOC
        paths = [p for p, _ in problems_of(text, tmp_path)]
        assert paths == [
            "$.extra",
            "$.values[0]",
            "$.values[1].parameter",
            "$.values[2].value_million",
            "$.values[3].effective_from",
            "$.values[4].confidence",
            "$.values[4]",  # an unreadable tag counts as '?', which ships no value
            "$.values[5].effective_to",
            "$.values[6]",
            "$.values[7].bogus",
        ]

    def test_no_start_date(self, tmp_path: Path) -> None:
        """A value needs a start date, in the table or in [document]."""
        text = '[document]\nnumber = "X"\n[[values]]\nparameter = "award.pass_mark"\nvalue = 70\n'
        assert problems_of(text, tmp_path) == [
            ("$.values[0].effective_from", "no start date (here or in [document])")
        ]

    @pytest.mark.parametrize(
        ("parameter", "value", "message"),
        [
            ("support.national.machinery.rate", '"150%"', "a rate is between 0% and 100%"),
            (
                "support.national.machinery.rate",
                '"lots"',
                'support.national.machinery.rate must be a rate in quotes, from "0" to "1"',
            ),
            (
                "project.dossier_deadline",
                '"13-40"',
                'project.dossier_deadline must be a day of the year as "MM-DD"',
            ),
            (
                "eligibility.cleaner_production_exempt",
                "1",
                "eligibility.cleaner_production_exempt must be true or false",
            ),
            ("award.prerequisites", "[1, 2]", "award.prerequisites must be a list of texts"),
        ],
    )
    def test_wrong_types(self, tmp_path: Path, parameter: str, value: str, message: str) -> None:
        """Each value is checked against the catalogue's type."""
        text = DOC + f'[[values]]\nparameter = "{parameter}"\nvalue = {value}\n'
        [(path, got)] = problems_of(text, tmp_path)
        assert path == "$.values[0].value"
        assert got.startswith(message)

    @pytest.mark.parametrize("lang", ["vi", "en"])
    def test_every_parameter_type_is_described_in_words(self, lang: Lang) -> None:
        """A wrong value is told what it should look like, never a type code such as 'rate'."""
        for kind in sorted(TYPES):
            for key in (f"datafiles.parameters.type.{kind}", f"rules.python_type.{kind}"):
                described = message(key, lang)
                assert " " in described, (key, described)

    def test_support_table_problems(self, tmp_path: Path) -> None:
        """A support table needs a content, a textual rate and a cap (millions, none or factor)."""
        text = DOC + (
            '[[support]]\nrate = "50%"\ncap_million = 1\n'
            '[[support]]\ncontent = "brand"\nrate = 0.5\ncap_million = 1.5\n'
            '[[support]]\ncontent = "brand"\nrate = "50%"\ncap_factor = 2\n'
        )
        paths = [p for p, _ in problems_of(text, tmp_path)]
        assert paths == [
            "$.support[0].content",
            "$.support[1].rate",
            "$.support[1].cap_million",
            "$.support[2].cap_factor",
        ]

    def test_bad_citation_is_reported(self, tmp_path: Path) -> None:
        """A citation that the domain refuses (an empty document number) is a problem."""
        text = DOC + '[[values]]\nparameter = "award.pass_mark"\nvalue = 70\ndocument = ""\n'
        [(path, message)] = problems_of(text, tmp_path)
        assert (path, message.startswith("bad citation")) == ("$.values[0]", True)

    def test_problems_of_several_files_are_merged(self, tmp_path: Path) -> None:
        """Problems in two files are reported together, each with its file name."""
        a, b = tmp_path / "a.toml", tmp_path / "b.toml"
        a.write_text(DOC + '[[values]]\nparameter = "nope"\nvalue = 1\n', encoding="utf-8")
        b.write_text(DOC + '[[values]]\nparameter = "nada"\nvalue = 1\n', encoding="utf-8")
        with pytest.raises(DataFileError) as info:
            load_parameters([a, b])
        assert [p.path for p in info.value.problems] == [
            "a.toml:$.values[0].parameter",
            "b.toml:$.values[0].parameter",
        ]


class TestReadToml:
    def test_syntax_error_is_a_data_file_error(self, tmp_path: Path) -> None:
        """A broken file is reported as a data-file problem, not a TOML traceback."""
        with pytest.raises(DataFileError, match="cannot read the file"):
            read_toml(tmp_path / "x.toml", "[[values]\n")


class TestUnitFacts:
    def test_grade_and_conversion_lookup(self) -> None:
        """A grade applies on its own dates only; a conversion is found by map and code."""
        facts = UnitFacts(
            (
                CityGrade("024", MapId.MAP_2021, 3, dt.date(2010, 1, 1), dt.date(2019, 12, 31)),
                CityGrade("024", MapId.MAP_2021, 2, dt.date(2020, 1, 1)),
            ),
            (WardConversion("00688", MapId.MAP_2021, dt.date(2018, 1, 1)),),
        )
        grade = facts.grade_of(MapId.MAP_2021, "024", dt.date(2021, 1, 1))
        assert grade is not None
        assert grade.grade == 2
        assert facts.grade_of(MapId.MAP_2021, "024", dt.date(2005, 1, 1)) is None
        assert facts.conversion_of(MapId.MAP_2021, "00691") is None
        conversion = facts.conversion_of(MapId.MAP_2021, "00688")
        assert conversion is not None
        assert conversion.converted_on == dt.date(2018, 1, 1)


class TestRuleSetParameters:
    def test_repr_names_the_layers(self) -> None:
        """A rule set says which layers it is made of."""
        sim = NATIONAL.what_if({"award.pass_mark": 75}, label="t")
        assert repr(sim).startswith("<RuleSet national + what-if: t:")

    def test_what_if_refuses_unknown_names_and_wrong_types(self) -> None:
        """A typo in a name and a wrong type are both reported."""
        with pytest.raises(DataFileError) as info:
            NATIONAL.what_if({"award.pass_mrk": 75, "award.levels": "district"}, label="t")
        assert [p.path for p in info.value.problems] == ["$.award.pass_mrk", "$.award.levels"]

    @pytest.mark.parametrize(
        ("name", "value"),
        [
            ("award.pass_mark", 75),
            ("award.levels", ("district", "province")),
            ("ocop.part_max", (40, 25, 35)),
            ("eligibility.cleaner_production_exempt", False),
            ("support.national.machinery.rate", Decimal("0.6")),
            ("support.national.technology_line.cap", DerivedCap(Decimal(2), "machinery")),
            ("support.national.overseas_fair.cap", None),
            ("project.dossier_deadline", (5, 31)),
            ("eligibility.location_test", "none"),
        ],
    )
    def test_what_if_accepts_each_type(self, name: str, value: object) -> None:
        """Each parameter type can be overridden with a Python value of that type."""
        sim = NATIONAL.what_if({name: value}, label="t")
        assert sim.value(name, dt.date(2030, 1, 1)) == value

    @pytest.mark.parametrize(
        ("name", "value"),
        [
            ("award.pass_mark", True),
            ("award.levels", ["district"]),
            ("ocop.part_max", ("40",)),
            ("eligibility.cleaner_production_exempt", 1),
            ("support.national.machinery.rate", 0.6),
            ("support.national.machinery.cap", "300"),
            ("project.dossier_deadline", (5,)),
            ("eligibility.location_test", 1),
        ],
    )
    def test_what_if_refuses_each_wrong_type(self, name: str, value: object) -> None:
        """A value of the wrong Python type is refused, e.g. a float rate or a bool mark."""
        with pytest.raises(DataFileError):
            NATIONAL.what_if({name: value}, label="t")

    def test_with_overlay_from_text_and_unit_facts(self) -> None:
        """An overlay given as text adds its levels, city grades and ward conversions."""
        text = (
            '[overlay]\nname = "test"\n'
            '[document]\nnumber = "T/2026"\neffective_from = 2026-01-01\nconfidence = "U"\n'
            '[[support]]\nfund = "local"\ncontent = "brand"\nrate = "50%"\ncap_million = 10\n'
            '[[city_grades]]\ncode = "024"\nmap_id = "2021-11"\ngrade = 2\n'
            "effective_from = 2000-01-01\n"
            '[[ward_conversions]]\ncode = "00688"\nmap_id = "2021-11"\nconverted_on = 2019-01-01\n'
        )
        rules = NATIONAL.with_overlay("test.toml", text=text)
        assert rules.layers == ("national", "overlay: test")
        assert rules.value("support.local.brand.cap", dt.date(2026, 1, 1)) == million(10)
        assert rules.unit_facts.grade_of(MapId.MAP_2021, "024", dt.date(2026, 1, 1)) is not None
        assert rules.unit_facts.conversion_of(MapId.MAP_2021, "00688") is not None

    def test_overlay_with_bad_unit_facts(self) -> None:
        """City grades and conversions with unknown fields are reported with their paths."""
        text = (
            '[document]\nnumber = "T/2026"\neffective_from = 2026-01-01\n'
            '[[city_grades]]\ncode = "024"\n'
            '[[ward_conversions]]\ncode = "00688"\nmap_id = "2021-11"\nconverted = 2019-01-01\n'
        )
        with pytest.raises(DataFileError) as info:
            NATIONAL.with_overlay("bad.toml", text=text)
        assert [p.path for p in info.value.problems] == [
            "$.city_grades[0]",
            "$.ward_conversions[0]",
        ]

    def test_with_unit_facts_keeps_parameters(self) -> None:
        """Adding unit facts changes neither the parameters nor the layers."""
        rules = NATIONAL.with_unit_facts([CityGrade("024", MapId.MAP_2021, 2, dt.date(2000, 1, 1))])
        assert rules.parameters is NATIONAL.parameters
        assert rules.layers == NATIONAL.layers
        assert len(rules.unit_facts.city_grades) == 1

    def test_coverage_problems_list_every_gap(self) -> None:
        """In 2010 every eligibility parameter is uncovered; in 2020 none is."""
        problems = NATIONAL.coverage_problems(dt.date(2010, 1, 1), ["eligibility"])
        assert "$.eligibility.beneficiary_forms" in [p.path for p in problems]
        assert NATIONAL.coverage_problems(dt.date(2020, 1, 1), ["eligibility"]) == []

    def test_coverage_of_a_parameter_no_file_configures(self) -> None:
        """A parameter missing from every file is reported (listing) or raised (checking)."""
        params = ParameterSet(
            {k: v for k, v in NATIONAL.parameters.items() if k != "award.pass_mark"}
        )
        rules = RuleSet(params)
        assert [p.path for p in rules.coverage_problems(dt.date(2020, 1, 1), ["awards"])] == [
            "$.award.pass_mark"
        ]
        with pytest.raises(NotConfiguredError):
            rules.check_coverage(dt.date(2020, 1, 1), ["awards"])

    def test_at_memoises_per_date(self) -> None:
        """The rules of one date are built once and reused."""
        on = dt.date(2020, 1, 1)
        assert NATIONAL.at(on) is NATIONAL.at(on)
        assert isinstance(NATIONAL.at(on), DatedRules)

    def test_dated_cache_is_bounded(self) -> None:
        """Asking for many dates does not grow the cache without limit."""
        rules = RuleSet(NATIONAL.parameters)
        first = rules.at(dt.date(2020, 1, 1))
        for i in range(600):
            rules.at(dt.date(2020, 1, 1) + dt.timedelta(days=i + 1))
        assert rules.at(dt.date(2020, 1, 1)) is not first


class TestDatedRules:
    def test_errors_are_memoised_and_raised_again(self) -> None:
        """A date outside a parameter's coverage raises the same error on every lookup."""
        dated = RuleSet(NATIONAL.parameters).at(dt.date(2010, 1, 1))
        with pytest.raises(CoverageError) as first:
            dated.value("support.national.brand.cap")
        with pytest.raises(CoverageError) as second:
            dated.value("support.national.brand.cap")
        assert first.value is second.value

    def test_cited_value(self) -> None:
        """A value comes with the citation of its entry."""
        value, citation = NATIONAL.at(dt.date(2019, 1, 1)).cited("award.pass_mark")
        assert (value, citation.document) == (70, "26/2014/TT-BCT")
        assert NATIONAL.at(dt.date(2019, 1, 1)).unit_facts is NATIONAL.unit_facts


MY_FILES = (
    "151-2007-ND-CP.toml",
    "77-2019-ND-CP.toml",
    "17-2023-QH15.toml",
    "23-2012-QH13.toml",
    "56-2009-ND-CP.toml",
    "39-2018-ND-CP.toml",
    "80-2021-ND-CP.toml",
    "28-2018-TT-BTC.toml",
    "26-2014-TTLT-BTC-BCT.toml",
    "36-2013-TT-BCT.toml",
    "26-2014-TT-BCT.toml",
    "38-2025-TT-BCT.toml",
    "1048-QD-TTg-2019.toml",
    "148-QD-TTg-2023.toml",
    "20-2017-TT-BCT.toml",
)
INTERNAL = ("rules.md", "regime-2025", "legal/", "/work/", "khuyen-cong.md", "hop-tac-xa.md")


class TestShippedNotes:
    @pytest.mark.parametrize("name", MY_FILES)
    def test_every_note_names_public_sources_only(self, name: str) -> None:
        """A note a user reads names public documents and URLs, never a file of ours."""
        path = next(p for p in legal_data_files() if p.name == name)
        text = path.read_text(encoding="utf-8")
        assert not [word for word in INTERNAL if word in text]
        for entry in parse_parameter_file(read_toml(path), name):
            assert entry.citation.note, f"{entry.parameter} has no note"
            if entry.confidence is Confidence.SECONDARY:
                assert "http" in entry.citation.note, f"{entry.parameter}: [V2] without its URL"

    def test_founding_cap_is_10_million_under_28_2018(self) -> None:
        """28/2018/TT-BTC: at most 10 million per enterprise founded [V2], with its URL."""
        entry = NATIONAL.entry("support.national.enterprise_founding.cap", dt.date(2018, 5, 11))
        assert (entry.value, entry.confidence) == (million(10), Confidence.SECONDARY)
        assert "english.luatvietnam.vn" in entry.citation.note

    def test_vocational_training_stays_not_configured(self) -> None:
        """No public source gave the 28/2018 level for vocational training: not configured."""
        with pytest.raises(NotConfiguredError) as info:
            NATIONAL.value("support.national.vocational_training.cap", dt.date(2019, 1, 1))
        assert "28/2018/TT-BTC" in Text.of(info.value.source_document).vi
