"""The quick test of the common case (``_plainly_valid``) of establishments and support records
accepts only what their full checks accept: with or without it, the same object or the same
problems."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khuyencong.domain import (
    AreaDifficulty,
    ArtisanTitle,
    BusinessSectorGroup,
    CraftVillageClaim,
    Establishment,
    LegalForm,
    Sector,
    SizeClass,
    SupportContent,
    SupportRecord,
    support_record_columns,
)
from khuyencong.domain._converters import (
    column_converter,
    nfc,
    nfc_identifier,
    nfc_optional,
    sorted_unique,
    text_tuple,
)
from khuyencong.exceptions import ValidationError
from khuyencong.units import MapId, UnitRef

TOWNSHIP = UnitRef(MapId.MAP_2021, "07525")
VILLAGE = CraftVillageClaim("Làng mỳ Chũ", "QĐ 1/2019", dt.date(2019, 1, 2))


def mostly(valid: object, *others: object) -> st.SearchStrategy[Any]:
    """``valid`` most of the time, else one of ``others`` (so that most draws have one or
    two wrong fields, not all of them)."""
    return st.sampled_from([valid] * (2 * len(others) + 1) + list(others))


identifiers = mostly("CS-1", " CS-1", "CS-1 ", "", "C\x00S", "C\tS", "x" * 65, "Cơ-sở", 7)
names = mostly("Cơ sở", "  ", "", "A\x00B", " Hộ Lan ", None, 3)
counts = mostly(None, 0, 5, -1, True, 2.0, "3")
amounts = mostly(0, None, 10**9, 10**15, 10**15 + 1, -1, 1.5, False)


def outcome(build: Callable[[], Any]) -> tuple[str, Any]:
    """What building gives: the object's fields, or the problems."""
    try:
        obj = build()
    except ValidationError as exc:
        return "refused", exc.problems
    return "built", (type(obj), repr(obj))


def both_ways(cls: type[Any], kwargs: dict[str, Any]) -> tuple[tuple[str, Any], tuple[str, Any]]:
    """Building with the quick test, and with the full checks only."""
    quick = outcome(lambda: cls(**kwargs))
    with pytest.MonkeyPatch.context() as m:
        m.setattr(cls, "_plainly_valid", lambda self: False)
        full = outcome(lambda: cls(**kwargs))
    return quick, full


class TestEstablishmentQuickTest:
    @settings(max_examples=300, deadline=None)
    @given(
        id_=identifiers,
        name=names,
        form=st.sampled_from([*LegalForm, "sme"]),
        location=mostly(TOWNSHIP, "07525"),
        sectors=mostly((Sector.HANDICRAFTS,), (), [Sector.OTHER, Sector.HANDICRAFTS], ("other",)),
        members=counts,
        employees=counts,
        revenue=amounts,
        capital=amounts,
        tax=mostly(None, "", "0100109106", "123"),
        size=mostly(None, SizeClass.SMALL, SizeClass.LARGE),
        title=mostly(None, *ArtisanTitle),
        investor=mostly(False, True),
        group=mostly(None, *BusinessSectorGroup, "industry_construction"),
        area=mostly(AreaDifficulty.NONE, AreaDifficulty.DIFFICULT, "hard"),
        kiln=mostly(False, True, 1, "no"),
        founded=mostly(None, dt.date(2019, 3, 15), "2019-03-15"),
        registered=mostly(None, TOWNSHIP, "07525"),
        village=mostly(None, VILLAGE, "Làng mỳ Chũ"),
    )
    def test_same_object_or_same_problems_as_the_full_checks(
        self,
        id_: object,
        name: object,
        form: object,
        location: object,
        sectors: object,
        members: object,
        employees: object,
        revenue: object,
        capital: object,
        tax: object,
        size: object,
        title: object,
        investor: bool,
        group: object,
        area: object,
        kiln: object,
        founded: object,
        registered: object,
        village: object,
    ) -> None:
        """Whatever the fields, the quick test never lets through what the full checks refuse
        (and an accepted establishment is the same either way)."""
        kwargs = {
            "id": id_,
            "name": name,
            "legal_form": form,
            "location": location,
            "sectors": sectors,
            "members": members,
            "employees": employees,
            "revenue": revenue,
            "total_capital": capital,
            "tax_number": tax,
            "size_class": size,
            "artisan_title": title,
            "cluster_infrastructure_investor": investor,
            "business_sector_group": group,
            "area_difficulty": area,
            "polluting_brick_kiln": kiln,
            "founded_on": founded,
            "registered_location": registered,
            "craft_village": village,
        }
        quick, full = both_ways(Establishment, kwargs)
        assert quick == full


class TestEveryEstablishmentFieldIsChecked:
    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("business_sector_group", "industry_construction"),
            ("area_difficulty", "hard"),
            ("area_difficulty", None),
            ("registered_location", "07525"),
            ("founded_on", "2019-03-15"),
            ("craft_village", "Làng mỳ Chũ"),
            ("cleaner_production", 1),
            ("polluting_brick_kiln", "no"),
            ("cluster_infrastructure_investor", None),
            ("sustainable_production", 0),
            ("owned_by_women", "yes"),
            ("owned_by_ethnic_minority", 1.0),
        ],
    )
    def test_a_value_of_the_wrong_kind_is_refused_naming_its_field(
        self, field: str, value: object
    ) -> None:
        """A field the rules read (a sector group, an area's difficulty, a yes/no) holding a
        value of the wrong kind is refused at construction, naming the field: it used to be
        kept, and the rules then failed on it with an AttributeError."""
        kwargs: dict[str, Any] = {
            "id": "CS-1",
            "name": "Cơ sở",
            "legal_form": LegalForm.SME,
            "location": TOWNSHIP,
            "sectors": (Sector.HANDICRAFTS,),
            field: value,
        }
        with pytest.raises(ValidationError) as caught:
            Establishment(**kwargs)
        assert [p.path for p in caught.value.problems] == [f"$.{field}"]


class TestSupportRecordQuickTest:
    @settings(max_examples=300, deadline=None)
    @given(
        id_=identifiers,
        est=identifiers,
        content=mostly(SupportContent.MACHINERY, "machinery"),
        delivered=mostly(dt.date(2024, 5, 1), dt.datetime(2024, 5, 1, tzinfo=dt.UTC), "2024-05-01"),
        national=amounts,
        local=amounts,
        trainees=counts,
        quantity=mostly(1, 0, -1, True),
        decided=mostly(None, dt.date(2024, 6, 1), dt.date(2024, 4, 1)),
        lead=mostly(None, "", "Sở Công Thương", "A\x00"),
        partners=mostly((), [], ["Sở"], ("",), "Sở"),
        note=mostly("", "ghi chú", "a\x00b", None),
    )
    def test_same_object_or_same_problems_as_the_full_checks(
        self,
        id_: object,
        est: object,
        content: object,
        delivered: object,
        national: object,
        local: object,
        trainees: object,
        quantity: object,
        decided: object,
        lead: object,
        partners: object,
        note: object,
    ) -> None:
        """As for establishments: the quick test accepts only what the full checks accept."""
        kwargs = {
            "id": id_,
            "establishment_id": est,
            "content": content,
            "delivered_on": delivered,
            "national_amount": national,
            "local_amount": local,
            "trainees": trainees,
            "quantity": quantity,
            "decided_on": decided,
            "lead_agency": lead,
            "partners": partners,
            "note": note,
        }
        quick, full = both_ways(SupportRecord, kwargs)
        assert quick == full


class TestConverterShortcuts:
    @given(st.none() | st.text(max_size=5) | st.integers())
    def test_nfc_optional_of_none_and_text(self, value: object) -> None:
        """None stays None, empty text becomes None, text is NFC and stripped."""
        found = nfc_optional(value)
        if isinstance(value, str):
            assert found == (unicodedata.normalize("NFC", value).strip() or None)
        else:
            assert found == value

    @pytest.mark.parametrize(
        ("value", "expected"),
        [((), ()), ([], ()), (("a", " b "), ("a", "b")), ("x", "x"), (None, None)],
    )
    def test_text_tuple(self, value: object, expected: object) -> None:
        """The empty default stays an empty tuple; lists become tuples of stripped NFC text."""
        assert text_tuple(value) == expected

    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            ((Sector.OTHER,), (Sector.OTHER,)),
            ((), ()),
            (([1],), ([1],)),
            ([Sector.OTHER, Sector.HANDICRAFTS, Sector.OTHER], None),
            ("other", ("other",)),
        ],
    )
    def test_sorted_unique(self, value: Any, expected: object) -> None:
        """One item or none is kept as given; more are sorted without duplicates."""
        found = sorted_unique(value)
        assert found == (expected if expected is not None else tuple(sorted(set(value))))


class TestSupportRecordColumns:
    @settings(max_examples=200, deadline=None)
    @given(
        st.lists(
            st.fixed_dictionaries(
                {
                    "id": identifiers,
                    "establishment_id": mostly("CS-1", " CS-1", "", "Cơ-sở", 7),
                    "content": mostly(SupportContent.MACHINERY, "machinery"),
                    "delivered_on": mostly(dt.date(2024, 5, 1), "2024-05-01"),
                    "national_amount": amounts,
                    "local_amount": amounts,
                    "trainees": counts,
                    "quantity": mostly(1, 0, -1, True),
                    "project_id": mostly(None, "DA-1", " DA", "Đề-án"),
                    "decided_on": mostly(None, dt.date(2024, 6, 1), dt.date(2024, 4, 1)),
                    "accepted_on": mostly(None, dt.date(2024, 6, 1), dt.date(2024, 4, 1)),
                    "lead_agency": mostly(None, "", "Sở Công Thương", "A\x00"),
                    "partners": mostly((), ("Sở",), ("",), ("Cu\u0323c",)),
                    "note": mostly("", "ghi chú", "a\x00b", " Nho\u0302 "),
                    "jobs_created": mostly(None, 0, 4, -1),
                    "income_change": mostly(None, -5, 10**15 + 1),
                    "outcome_reported_on": mostly(None, dt.date(2024, 6, 1), dt.date(2024, 4, 1)),
                    "location": mostly(None, TOWNSHIP),
                }
            ),
            max_size=6,
        )
    )
    def test_the_same_values_or_the_same_problems_as_the_constructor(
        self, rows: list[dict[str, Any]]
    ) -> None:
        """Rows given as columns hold what the records built one by one hold; a row the
        constructor refuses is refused with its problems, located at the row."""
        columns = {name: [row[name] for row in rows] for name in rows[0]} if rows else {}
        expected: list[Any] = []
        for i, row in enumerate(rows):
            try:
                expected.append(SupportRecord(**row))
            except ValidationError as exc:
                expected.extend(exc.prefixed(f"$[{i}]").problems)
        if not rows:
            return
        problems = [p for p in expected if not isinstance(p, SupportRecord)]
        if problems:
            with pytest.raises(ValidationError) as caught:
                support_record_columns(columns)
            assert list(caught.value.problems) == problems
            return
        found = support_record_columns(columns)
        records = [
            SupportRecord(**{name: found[name][i] for name in found}) for i in range(len(rows))
        ]
        assert records == expected
        for name in found:  # the values the records hold, not only equal ones
            assert [repr(getattr(r, name)) for r in records] == list(map(repr, found[name]))

    def test_a_field_without_a_column_takes_its_default(self) -> None:
        """A column left out is the field's default, as a keyword left out is."""
        found = support_record_columns(
            {
                "id": ["SR-1"],
                "establishment_id": ["CS-1"],
                "content": [SupportContent.MACHINERY],
                "delivered_on": [dt.date(2024, 5, 1)],
            }
        )
        record = SupportRecord("SR-1", "CS-1", SupportContent.MACHINERY, dt.date(2024, 5, 1))
        assert {name: column[0] for name, column in found.items()} == attrs.asdict(
            record, recurse=False
        )

    @pytest.mark.parametrize(
        ("columns", "path"),
        [
            ({"id": ["SR-1"], "colour": ["red"]}, "$.colour"),
            ({"id": "SR-1"}, "$.id"),
            ([["SR-1"]], "$.columns"),
            ({"id": ["SR-1"], "content": [SupportContent.MACHINERY]}, "$.establishment_id"),
            (
                {
                    "id": ["SR-1", "SR-2"],
                    "establishment_id": ["CS-1"],
                    "content": [SupportContent.MACHINERY] * 2,
                    "delivered_on": [dt.date(2024, 5, 1)] * 2,
                },
                "$.establishment_id",
            ),
        ],
    )
    def test_an_unknown_missing_or_short_column_is_refused(self, columns: Any, path: str) -> None:
        """Columns that are not a table of records are refused, naming the column."""
        with pytest.raises(ValidationError) as caught:
            support_record_columns(columns)
        assert caught.value.paths == (path,)

    @given(
        st.sampled_from([nfc, nfc_identifier, text_tuple]),
        st.lists(
            st.text(max_size=4)
            | st.sampled_from(["CS-1", " a ", "Cơ", "Co\u031b", (), ("x",), [], None, 3]),
            max_size=6,
        ),
    )
    def test_a_converter_on_a_column_gives_its_value_for_each(
        self, convert: Callable[[Any], Any], column: list[Any]
    ) -> None:
        """A converter applied to a whole column gives what it gives for each value."""
        whole = column_converter(convert)
        assert whole is not None
        assert list(map(repr, whole(column))) == [repr(convert(v)) for v in column]

    @given(
        st.lists(
            st.tuples(st.sampled_from(["Cơ", "Co\u031b", " a ", "b", 1, True]))
            | st.sampled_from([(), ("Cục CTĐP", "Sở Công Thương"), ("Cu\u0323c CTĐP ",)]),
            max_size=8,
        )
    )
    def test_a_column_of_partner_tuples_gives_text_tuple_of_each(self, column: list[Any]) -> None:
        """Tuples of texts, converted once per distinct tuple, give text_tuple of each row
        (NFC, stripped); a tuple holding a number is never taken for another."""
        whole = column_converter(text_tuple)
        assert whole is not None
        assert list(map(repr, whole(column))) == [repr(text_tuple(v)) for v in column]
