"""The one converter: JSON round trips of every public type, and errors with their $.paths."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from khuyencong import converters as converters_module
from khuyencong.converters import (
    _library_converter,
    _structure_detailed,
    converter,
    dumps,
    loads,
    make_converter,
    parse_json,
    structure,
    structure_hook,
    unstructure,
)
from khuyencong.domain import (
    Artisan,
    AwardEntry,
    BudgetEnvelope,
    Citation,
    CraftVillageClaim,
    Establishment,
    FairParticipation,
    LegalForm,
    OcopRating,
    Period,
    Project,
    SupportContent,
    SupportRecord,
)
from khuyencong.exceptions import FileFormatError, ValidationError
from khuyencong.indicators import Filter
from khuyencong.messages import language, text
from khuyencong.testing import strategies as ks
from khuyencong.units import UnitRef

EVERY_TYPE: list[tuple[type[Any], st.SearchStrategy[Any]]] = [
    (Establishment, ks.establishments()),
    (Project, ks.projects()),
    (SupportRecord, ks.support_records()),
    (FairParticipation, ks.fair_participations()),
    (AwardEntry, ks.award_entries()),
    (OcopRating, ks.ocop_ratings()),
    (BudgetEnvelope, ks.budget_envelopes()),
    (Citation, ks.citations()),
    (Period, ks.periods()),
    (UnitRef, ks.unit_refs()),
    (Artisan, ks.artisans()),
    (CraftVillageClaim, ks.craft_village_claims()),
]


def consulting(**changes: Any) -> SupportRecord:
    """A design-consulting support record of 2 January 2019 (S1, to E1)."""
    return SupportRecord(
        id="S1",
        establishment_id="E1",
        content=SupportContent.DESIGN_CONSULTING,
        delivered_on=dt.date(2019, 1, 2),
        **changes,
    )


def fields_of(obj: Any) -> tuple[Any, ...]:
    return attrs.astuple(obj, recurse=True)


# Unions the converter structures, which mypy does not take for a ``type``.
OPTIONAL_INT: Any = int | None
OPTIONAL_RATIO: Any = Fraction | None


class TestRoundTrip:
    @pytest.mark.parametrize(
        ("cls", "strategy"), EVERY_TYPE, ids=lambda v: getattr(v, "__name__", "")
    )
    def test_every_public_type_survives_a_json_round_trip(
        self, cls: type[Any], strategy: st.SearchStrategy[Any]
    ) -> None:
        """Writing any valid object to JSON text and reading it back gives the same state."""

        @given(strategy)
        def check(obj: Any) -> None:
            text = dumps(obj)
            back = loads(text, cls)
            assert fields_of(back) == fields_of(obj)
            assert dumps(back) == text

        check()

    @given(ks.establishments())
    def test_unstructured_data_is_plain_json(self, e: Establishment) -> None:
        """Unstructured data holds only JSON types: enums by value, dates as text."""
        data = unstructure(e)
        assert json.loads(json.dumps(data)) == data
        assert isinstance(data["legal_form"], str)
        assert type(data["legal_form"]) is str


class TestWireRules:
    def test_decimals_are_written_as_text_and_floats_are_refused(self) -> None:
        """A score is written "75.5"; reading 75.5 as a float is refused."""
        assert converter.unstructure(Decimal("75.5")) == "75.5"
        assert structure("75.5", Decimal) == Decimal("75.5")
        assert structure(75, Decimal) == Decimal(75)
        with pytest.raises(ValidationError, match="not a float"):
            structure(75.5, Decimal)
        with language("en"), pytest.raises(ValidationError, match="finite"):
            structure("NaN", Decimal)
        with language("en"), pytest.raises(ValidationError, match="decimal"):
            structure("abc", Decimal)

    @given(st.fractions())
    def test_an_exact_ratio_is_written_as_text_and_read_back_exactly(self, ratio: Fraction) -> None:
        """A share is written "3/7" (never a rounded decimal) and reads back the same ratio."""
        written = json.loads(json.dumps(unstructure(ratio)))
        assert isinstance(written, str)
        assert structure(written, Fraction) == ratio
        assert structure(written, OPTIONAL_RATIO) == ratio

    @pytest.mark.parametrize("bad", [0.5, "0.5", "1/0", "1/-2", " 1/2", True, [1, 2]])
    def test_a_ratio_as_a_float_decimal_text_or_zero_denominator_is_refused(
        self, bad: object
    ) -> None:
        """0.5 or "0.5" is no exact ratio, and "1/0" none at all: each names its path."""
        with pytest.raises(ValidationError, match=r"^\$: .*ratio"):
            structure(bad, Fraction)
        assert structure(3, Fraction) == Fraction(3)

    def test_money_is_an_integer_not_a_float_string_or_boolean(self) -> None:
        """Money and counts must be JSON integers."""
        for bad in (1.0, "100", True):
            with pytest.raises(ValidationError):
                structure(bad, int)
        assert structure(None, OPTIONAL_INT) is None

    def test_dates_are_iso_dates(self) -> None:
        """Dates are YYYY-MM-DD text; timestamps and impossible dates are refused."""
        assert structure("2020-02-29", dt.date) == dt.date(2020, 2, 29)
        for bad in ("2019-02-29", "2020-01-01T00:00", 20200101):
            with pytest.raises(ValidationError):
                structure(bad, dt.date)

    def test_timestamps_need_a_time_zone(self) -> None:
        """A naive timestamp is refused both ways; aware ones round-trip."""
        aware = dt.datetime(2025, 7, 1, 8, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))
        assert structure(unstructure(aware), dt.datetime) == aware
        with language("en"), pytest.raises(ValidationError, match="time zone"):
            structure("2025-07-01T08:30:00", dt.datetime)
        with pytest.raises(ValidationError):
            structure("yesterday", dt.datetime)
        with pytest.raises(ValidationError):
            structure(5, dt.datetime)
        with language("en"), pytest.raises(ValueError, match="time zone"):
            unstructure(dt.datetime(2025, 7, 1))  # noqa: DTZ001 - the point of the test

    def test_enums_are_read_by_value_and_bad_values_list_the_good_ones(self) -> None:
        """An unknown legal form lists the accepted values."""
        assert structure("cooperative", LegalForm) is LegalForm.COOPERATIVE
        with pytest.raises(ValidationError, match="'household_business'"):
            structure("hợp tác xã", LegalForm)

    def test_text_fields_refuse_numbers(self) -> None:
        """A number is not silently turned into text."""
        with pytest.raises(ValidationError):
            structure(24, str)

    @pytest.mark.parametrize("value", [{}, {"Sở Công Thương": 1}, "Sở", "AB"])
    def test_a_list_is_a_json_array_not_an_object_or_a_text(self, value: object) -> None:
        """Where a list belongs, an object (``{}`` once became an empty list, ``{"a": …}`` the
        list of its keys) and a text (once a list of its characters) are refused with the
        list's $.path, on the fast, trusted and detailed paths alike."""
        data = unstructure(consulting())
        data["partners"] = value
        builds = (
            structure_hook(SupportRecord),
            structure_hook(SupportRecord, trusted=True),
            lambda d: _structure_detailed(d, SupportRecord),
            lambda d: structure([d], list[SupportRecord])[0],
        )
        for build in builds:
            with language("en"), pytest.raises(ValidationError) as caught:
                build(data)
            assert caught.value.paths in (("$.partners",), ("$[0].partners",))
            assert caught.value.problems[0].message.startswith("must be a list")
            assert caught.value.problems[0].value == value

    @pytest.mark.parametrize("cl", [tuple[str, ...], list[str], list[Period]])
    def test_a_top_level_list_is_an_array_too(self, cl: Any) -> None:
        """A whole document that should be a list and is an object is refused at ``$``."""
        for value in ({}, {"a": 1}, "abc"):
            with pytest.raises(ValidationError) as caught:
                structure(value, cl)
            assert caught.value.paths == ("$",)
        assert structure(["a"], tuple[str, ...]) == ("a",)
        assert structure(("a",), list[str]) == ["a"]

    def test_make_converter_gives_an_independent_converter(self) -> None:
        """A user may build their own converter with the same rules and extra hooks."""
        conv = make_converter()
        assert conv is not converter
        assert conv.unstructure(Period.year(2020)) == unstructure(Period.year(2020))


def coop(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": "BG-HTX-001",
        "name": "Hợp tác xã Mỳ gạo Chũ",
        "legal_form": "cooperative",
        "location": {"map_id": "2021-11", "code": "07525"},
        "sectors": ["agro_food_processing"],
        "tax_number": "0100109106",
        "members": 12,
    }
    data.update(overrides)
    return data


class TestValidationErrors:
    def test_a_document_with_five_different_errors_reports_all_five(self) -> None:
        """Five mistakes of five kinds in one file are all reported, each with its path."""
        document = [
            coop(),
            coop(id="2", employees=-4),  # a rule on a value
            coop(id="3", tax_number="0100109107"),  # a bad check digit
            coop(id="4", location={"map_id": "2021-11", "code": "99999"}),  # an unknown unit
            coop(id="5", revenue=1.5e9),  # a float for money
            coop(id="6", legal_form="hợp tác xã", colour="red"),  # an unknown enum and key
        ]
        with language("en"), pytest.raises(ValidationError) as info:
            structure(document, list[Establishment])
        assert info.value.paths == (
            "$[1].employees",
            "$[2].tax_number",
            "$[3].location.code",
            "$[4].revenue",
            "$[5].legal_form",
            "$[5].colour",
        )
        assert len(info.value.problems) == 6
        text = str(info.value)
        assert text.startswith("6 problems:")
        assert "must not be negative" in text

    def test_a_missing_required_field_is_named(self) -> None:
        """A missing field is reported as missing, at its path, not as a KeyError."""
        data = coop()
        del data["legal_form"]
        with pytest.raises(ValidationError) as info:
            structure(data, Establishment)
        assert info.value.problems[0].path == "$.legal_form"
        assert info.value.problems[0].message == "thiếu trường bắt buộc"

    def test_wrong_shapes_are_reported_not_raised_raw(self) -> None:
        """A list where an object belongs gives a ValidationError, never a TypeError."""
        with pytest.raises(ValidationError):
            structure(["not", "an", "object"], Establishment)
        with pytest.raises(ValidationError):
            structure(coop(sectors="handicrafts"), Establishment)

    @given(ks.projects())
    def test_nested_errors_keep_their_full_path(self, p: Project) -> None:
        """An error inside a project's contents names the content's index and field."""
        project = unstructure(p)
        project["contents"][0]["requested"] = project["contents"][0]["eligible_cost"] + 1
        with pytest.raises(ValidationError) as info:
            structure(project, Project)
        assert info.value.paths == ("$.contents[0].requested",)

    def test_text_that_is_not_json_says_where(self) -> None:
        """Broken JSON is reported with its line and column, as a file that cannot be read."""
        with language("en"), pytest.raises(FileFormatError, match="line 1, column"):
            loads('{"id": ', Establishment)

    def test_a_value_nested_thousands_deep_is_shown_cut(self) -> None:
        """An offending value nested 5,000 lists deep is refused with a short message: the
        message itself never fails while it is built."""
        nested: list[Any] = []
        inner = nested
        for _ in range(5000):
            inner.append([])
            inner = inner[0]
        with language("en"), pytest.raises(ValidationError) as caught:
            structure({"start": nested, "end": "2020-12-31", "kind": "phase"}, Period)
        assert str(caught.value) == "$.start: must be a date as text YYYY-MM-DD (got [[[[...]]]])"

    def test_a_value_that_is_not_an_object_is_named(self) -> None:
        """A number where an object belongs says an object was expected, with its fields."""
        with language("en"), pytest.raises(ValidationError) as caught:
            structure({"map_id": "2021-11", "code": "07525", "x": 1}["code"], UnitRef)
        assert str(caught.value) == (
            "$: must be a JSON object {…} with the fields map_id, code, not a text (got '07525')"
        )


class TestParseJson:
    """Text that is not JSON at all raises FileFormatError naming the file, never a raw
    UnicodeDecodeError, RecursionError or ValueError."""

    @pytest.mark.parametrize(
        ("document", "key"),
        [
            (b'{"name": "H\xe0 N\xf4i"}', "exchange.json.not_utf8"),
            ("[" * 100_000 + "]" * 100_000, "exchange.json.too_deep"),
            ('{"members": ' + "7" * 5000 + "}", "exchange.json.number_too_long"),
            ('{"members": NaN}', "exchange.json.not_a_number"),
            (r'{"name": "\ud800"}', "exchange.json.lone_surrogate"),
        ],
        ids=["not-utf8", "deep", "huge-int", "nan", "lone-surrogate"],
    )
    def test_unreadable_json_is_a_file_format_error(self, document: str | bytes, key: str) -> None:
        """Each way JSON text can be unreadable gives its own plain message."""
        with pytest.raises(FileFormatError) as caught:
            parse_json(document, source="upload.json")
        assert caught.value.source == "upload.json"
        assert (
            caught.value.problems[0].message.split(" ")[:2]
            == text(key, digits=4300, offset=13, constant="NaN").split(" ")[:2]
        )

    @pytest.mark.parametrize(
        ("document", "path"),
        [
            ('{"id": "E-1", "id": "E-2"}', "$.id"),
            ('[{"a": 1}, {"b": [{"c": 1, "c": 1}]}]', "$[1].b[0].c"),
            ('{"establishments": [{"x": {"y": 1, "y": 2}}]}', "$.establishments[0].x.y"),
        ],
    )
    def test_a_key_given_twice_is_refused_with_its_path(self, document: str, path: str) -> None:
        """A key written twice in one object is refused, never silently the last one wins."""
        with language("en"), pytest.raises(FileFormatError) as caught:
            parse_json(document, source="data.json")
        assert caught.value.paths == (path,)
        assert "twice" in caught.value.problems[0].message
        assert str(caught.value).startswith(f"data.json: {path}: ")

    def test_the_same_key_in_different_objects_is_fine(self) -> None:
        """Objects of a list each have their own keys."""
        assert parse_json('[{"a": 1}, {"a": 2}]') == [{"a": 1}, {"a": 2}]

    def test_loads_refuses_as_parse_json_does(self) -> None:
        """loads reads JSON through parse_json."""
        with pytest.raises(FileFormatError):
            loads("[" * 100_000, Period)

    def test_a_character_outside_the_basic_plane_is_text(self) -> None:
        """A surrogate pair is one character, not a lone surrogate."""
        assert parse_json(r'["\ud83d\ude00", "\u00e0"]') == ["\U0001f600", "à"]

    def test_utf8_with_a_byte_order_mark_is_read(self) -> None:
        """Files saved by Windows Notepad begin with a byte-order mark."""
        assert parse_json(b'\xef\xbb\xbf{"a": 1}') == {"a": 1}


class TestHooksOnTheConverter:
    @pytest.fixture
    def library(self, monkeypatch: pytest.MonkeyPatch) -> Any:
        """A fresh library converter in place of the shared one, restored afterwards."""
        fresh = _library_converter()
        monkeypatch.setattr(converters_module, "converter", fresh)
        monkeypatch.setattr(converters_module, "_FAST", {})
        monkeypatch.setattr(converters_module, "_HOOKS_CHANGED", [False])
        return fresh

    def test_importing_the_rules_leaves_the_fast_paths_on(self) -> None:
        """The rules register the library's own hooks for a decision; importing them (as the
        command line does) leaves the fast structuring and the stores' JSON writer on, and a
        decision still goes through its hooks."""
        program = (
            "import khuyencong.cli\n"
            "from khuyencong import converters\n"
            "from khuyencong.rules import Decision\n"
            "print(converters._HOOKS_CHANGED[0], converters._UNSTRUCTURE_CHANGED[0])\n"
            "hook = converters.converter.get_unstructure_hook(Decision)\n"
            "print(hook == Decision.to_data)\n"
        )
        output = subprocess.run(
            [sys.executable, "-c", program], capture_output=True, text=True, check=True
        ).stdout
        assert output.split() == ["False", "False", "True"]

    def test_the_library_may_not_hook_a_class_the_fast_paths_build(self) -> None:
        """A class of the domain is built and written by the fast paths: the library's own
        hooks are refused for it (they would be skipped)."""
        with pytest.raises(TypeError, match="fast paths"):
            converters_module._register_library_hooks(Period, str, lambda data, _: data)

    def test_a_hook_registered_on_the_converter_is_honoured_by_structure(
        self, library: Any
    ) -> None:
        """A caller's hook on khuyencong.converters.converter (here: dates written the
        Vietnamese way) is used by structure(), structure_hook() and loads(), not only by
        converter.structure()."""

        def vietnamese_date(value: object, _: object) -> dt.date:
            day, month, year = str(value).split("/")
            return dt.date(int(year), int(month), int(day))

        build = structure_hook(Period)  # made before the hook: it must still honour it
        library.register_structure_hook(dt.date, vietnamese_date)
        data = {"start": "01/01/2017", "end": "31/12/2020", "kind": "phase"}
        assert structure(data, Period) == Period.phase(2017, 2020)
        assert build(data) == Period.phase(2017, 2020)
        assert loads(json.dumps(data), Period) == Period.phase(2017, 2020)


class TestStructureHook:
    @pytest.mark.parametrize(
        ("cls", "strategy"), EVERY_TYPE, ids=lambda v: getattr(v, "__name__", "")
    )
    def test_fast_and_trusted_paths_build_what_the_detailed_path_builds(
        self, cls: type[Any], strategy: st.SearchStrategy[Any]
    ) -> None:
        """Reading many rows quickly gives exactly the objects a validated read gives."""
        fast, trusted = structure_hook(cls), structure_hook(cls, trusted=True)

        @given(strategy)
        def check(obj: Any) -> None:
            data = unstructure(obj)
            expected = fields_of(_structure_detailed(data, cls))
            assert fields_of(fast(data)) == expected
            assert fields_of(trusted(data)) == expected

        check()

    @given(ks.establishments(), st.sampled_from(["employees", "tax_number", "sectors", "location"]))
    def test_bad_data_raises_the_same_problems_on_every_path(
        self, e: Establishment, field: str
    ) -> None:
        """A damaged row is refused by the fast and trusted paths with the detailed problems."""
        data = unstructure(e)
        data[field] = {"employees": 1.5, "tax_number": 7, "sectors": ["x"], "location": "24"}[field]
        with pytest.raises(ValidationError) as detailed:
            structure(data, Establishment)
        for hook in (structure_hook(Establishment), structure_hook(Establishment, trusted=True)):
            with pytest.raises(ValidationError) as info:
                hook(data)
            assert info.value.problems == detailed.value.problems

    @given(
        ks.support_records(),
        st.sampled_from(
            [
                ("national_amount", 1.5),
                ("trainees", True),
                ("content", "no_such_content"),
                ("content", ["design_consulting"]),
                ("delivered_on", "2019-1-1"),
                ("delivered_on", "2019-02-30"),
                ("decided_on", 20190101),
                ("project_id", 7),
                ("partners", "Sở Công Thương"),
                ("partners", ["A", 1]),
                ("location", {"map_id": "2021-11"}),
                ("note", None),
            ]
        ),
    )
    def test_the_generated_trusted_builder_refuses_what_the_detailed_path_refuses(
        self, r: SupportRecord, bad: tuple[str, object]
    ) -> None:
        """A row with one wrongly typed field is refused by the trusted builder written for the
        class with exactly the problems the detailed path reports."""
        data = unstructure(r)
        data[bad[0]] = bad[1]
        with pytest.raises(ValidationError) as detailed:
            structure(data, SupportRecord)
        with pytest.raises(ValidationError) as trusted:
            structure_hook(SupportRecord, trusted=True)(data)
        assert trusted.value.problems == detailed.value.problems

    def test_the_trusted_builder_accepts_tuples_and_enum_members(self) -> None:
        """Already-built values a caller may pass (a tuple of partners, an enum member) are
        accepted by the trusted builder as by the detailed path."""
        data = unstructure(consulting(partners=("A", "B")))
        data["partners"] = ("A", "B")
        data["content"] = SupportContent.DESIGN_CONSULTING
        built = structure_hook(SupportRecord, trusted=True)(data)
        assert fields_of(built) == fields_of(_structure_detailed(data, SupportRecord))

    def test_a_missing_or_extra_field_leaves_the_trusted_path(self) -> None:
        """The trusted path takes only complete rows; others are read with full validation."""
        data = unstructure(Period.phase(2017, 2020))
        del data["kind"]
        assert structure_hook(Period, trusted=True)(data).kind.value == "custom"
        data["extra"] = 1
        with language("en"), pytest.raises(ValidationError, match="unknown field"):
            structure_hook(Period, trusted=True)(data)

    def test_types_outside_the_domain_use_the_converter(self) -> None:
        """Generic containers and plain types are built the same way as structure() does."""
        assert structure_hook(list[int])([1, 2]) == [1, 2]
        assert structure_hook(dict[str, int])({"a": 1}) == {"a": 1}
        with pytest.raises(ValidationError):
            structure_hook(list[int])([1.5])


class TestSetsAreWrittenInOneOrder:
    """A set is written as a sorted list: the same data gives the same JSON in every process
    (a set's iteration order follows string hashing, which changes between processes)."""

    @given(st.frozensets(st.sampled_from(list(SupportContent)), min_size=1))
    def test_a_set_of_enum_members_is_written_sorted_by_value(
        self, contents: frozenset[SupportContent]
    ) -> None:
        written = unstructure(Filter(contents=contents))["contents"]
        assert written == sorted(member.value for member in contents)
        assert structure(unstructure(Filter(contents=contents)), Filter).contents == contents

    @given(st.sets(st.text(max_size=5)))
    def test_a_set_of_text_is_written_sorted(self, values: set[str]) -> None:
        written = unstructure(values)
        assert sorted(written) == sorted(values)
        assert written == sorted(values, key=lambda v: json.dumps(v, ensure_ascii=False))

    def test_the_same_filter_gives_the_same_json_under_any_hash_seed(self) -> None:
        program = (
            "from khuyencong.converters import dumps\n"
            "from khuyencong.domain import SupportContent\n"
            "from khuyencong.indicators import Filter\n"
            "print(dumps(Filter(contents=set(SupportContent))))\n"
        )
        outputs = {
            subprocess.run(
                [sys.executable, "-c", program],
                env={**os.environ, "PYTHONHASHSEED": seed},
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            for seed in ("1", "2", "3")
        }
        assert len(outputs) == 1
