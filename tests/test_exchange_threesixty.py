"""360Giving export and import: required fields, shapes, and round trips that lose nothing."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from khuyencong.domain import (
    Dataset,
    Establishment,
    Fund,
    Lang,
    LegalForm,
    Project,
    ProjectContent,
    ProjectKind,
    ProjectStatus,
    Sector,
    SupportContent,
    SupportRecord,
)
from khuyencong.exceptions import FileFormatError, ValidationError
from khuyencong.exchange.threesixty import (
    CSV_COLUMNS,
    REQUIRED_FIELDS,
    Grant,
    GrantProgramme,
    Organisation,
    dataset_grants,
    dumps,
    grant_to_threesixty,
    grants_from,
    loads,
    read,
    required_field_problems,
    write,
)
from khuyencong.messages import language
from khuyencong.testing.strategies import establishments, projects, support_records
from khuyencong.units import MapId, UnitRef

PREFIX = "360G-khuyencong-bacgiang-"
FUNDER = Organisation(
    "360G-khuyencong-bacgiang-TTKC",
    "Trung tâm Khuyến công và Xúc tiến thương mại Bắc Giang",
    "Phòng Khuyến công",
)
PROGRAMME = GrantProgramme("KCDP-2019", "Kế hoạch khuyến công địa phương năm 2019")


def coop(**changes: Any) -> Establishment:
    fields: dict[str, Any] = {
        "id": "BG-HTX-001",
        "name": "Hợp tác xã Mỳ gạo Chũ",
        "legal_form": LegalForm.COOPERATIVE,
        "location": UnitRef(MapId.MAP_2021, "07525"),
        "sectors": [Sector.AGRO_FOOD_PROCESSING],
        "tax_number": "0100109106",
        "members": 25,
    }
    fields.update(changes)
    return Establishment(**fields)


def approved_project(**changes: Any) -> Project:
    fields: dict[str, Any] = {
        "id": "DA-2019-07",
        "title": "Máy sấy mỳ gạo",
        "kind": ProjectKind.SINGLE_BENEFICIARY,
        "beneficiary_ids": ["BG-HTX-001"],
        "fund": Fund.LOCAL,
        "province": UnitRef(MapId.MAP_2021, "24"),
        "plan_year": 2019,
        "lead_agency": "Trung tâm Khuyến công và XTTM Bắc Giang",
        "contents": [ProjectContent(SupportContent.MACHINERY, 400_000_000, 200_000_000)],
        "planned_start": dt.date(2019, 5, 1),
        "planned_end": dt.date(2019, 11, 30),
    }
    fields.update(changes)
    p = Project(**fields)
    p = p.transition(ProjectStatus.SUBMITTED, on=dt.date(2019, 3, 1))
    return p.transition(ProjectStatus.APPROVED, on=dt.date(2019, 4, 2), approved_amount=180_000_000)


def record(**changes: Any) -> SupportRecord:
    fields: dict[str, Any] = {
        "id": "SR-2018-01",
        "establishment_id": "BG-HTX-001",
        "content": SupportContent.DESIGN_CONSULTING,
        "delivered_on": dt.date(2018, 6, 1),
        "decided_on": dt.date(2018, 3, 15),
        "local_amount": 20_000_000,
        "co_funding": 20_000_000,
    }
    fields.update(changes)
    return SupportRecord(**fields)


def export(**kw: Any) -> list[Grant]:
    kw.setdefault("establishments", [coop()])
    return grants_from(prefix=PREFIX, funder=FUNDER, programme=PROGRAMME, **kw)


class TestGrantsFrom:
    def test_an_approved_project_becomes_a_grant_of_its_approved_amount(self) -> None:
        """An approved project is awarded its approved amount on its approval date."""
        [grant] = export(projects=[approved_project()])
        assert grant.identifier == "360G-khuyencong-bacgiang-DA-2019-07"
        assert grant.amount_awarded == 180_000_000
        assert grant.award_date == dt.date(2019, 4, 2)
        assert (grant.planned_start, grant.planned_end) == (
            dt.date(2019, 5, 1),
            dt.date(2019, 11, 30),
        )
        assert grant.title == "Máy sấy mỳ gạo"
        assert "kế hoạch năm 2019" in grant.description

    def test_projects_not_yet_approved_are_left_out(self) -> None:
        """Draft and submitted projects award nothing, so they are not grants."""
        p = approved_project()
        draft = attrs.evolve(p, id="DA-DRAFT", status=ProjectStatus.DRAFT, approved_amount=None)
        assert export(projects=[draft]) == []

    def test_the_recipient_is_identified_by_its_tax_number(self) -> None:
        """The recipient's identifier is built from the establishment's tax number."""
        [grant] = export(projects=[approved_project()])
        assert grant.recipient == Organisation(
            "360G-khuyencong-bacgiang-MST-0100109106", "Hợp tác xã Mỳ gạo Chũ"
        )

    def test_without_a_tax_number_the_establishment_id_identifies_the_recipient(self) -> None:
        """An establishment without a tax number is identified by its own id."""
        [grant] = export(support_records=[record()], establishments=[coop(tax_number=None)])
        assert grant.recipient.id == "360G-khuyencong-bacgiang-CS-BG-HTX-001"

    def test_the_caller_may_choose_the_tax_number_prefix(self) -> None:
        """A publisher with a registered identifier scheme passes its own prefix."""
        [grant] = grants_from(
            support_records=[record()],
            establishments=[coop()],
            prefix=PREFIX,
            funder=FUNDER,
            org_id_prefix="XX-TAX-",
        )
        assert grant.recipient.id == "XX-TAX-0100109106"

    def test_a_support_record_is_awarded_its_public_amount(self) -> None:
        """Co-funding by the beneficiary is not part of the amount awarded."""
        [grant] = export(support_records=[record(national_amount=5_000_000)])
        assert grant.amount_awarded == 25_000_000
        assert grant.award_date == dt.date(2018, 3, 15)

    def test_a_record_without_a_decision_date_is_awarded_on_delivery(self) -> None:
        """A record with no decision date takes its delivery date as award date."""
        [grant] = export(support_records=[record(decided_on=None)])
        assert grant.award_date == dt.date(2018, 6, 1)

    def test_the_beneficiary_location_is_the_unit_of_production(self) -> None:
        """The location is the establishment's unit, or the record's own unit when given."""
        [by_establishment, by_record] = export(
            support_records=[
                record(),
                record(id="SR-2", location=UnitRef(MapId.MAP_2021, "07528")),
            ]
        )
        assert by_establishment.location == UnitRef(MapId.MAP_2021, "07525")
        assert by_record.location == UnitRef(MapId.MAP_2021, "07528")

    def test_english_descriptions_on_request(self) -> None:
        """Descriptions are Vietnamese by default and English with lang='en'."""
        [grant] = grants_from(
            projects=[approved_project()],
            establishments=[coop()],
            prefix=PREFIX,
            funder=FUNDER,
            lang="en",
        )
        assert "plan year 2019" in grant.description

    def test_every_missing_required_field_is_listed_with_its_path(self) -> None:
        """A project without an approval date and a record of an unknown establishment are
        both reported, each field with its path, and nothing is returned."""
        p = attrs.evolve(approved_project(), approved_on=None)
        orphan = record(id="SR-9", establishment_id="BG-HTX-404")
        with pytest.raises(ValidationError) as info:
            export(projects=[p], support_records=[orphan])
        assert info.value.paths == ("$.grants[0].awardDate", "$.grants[1].recipientOrganization")
        assert "BG-HTX-404" in str(info.value)

    def test_a_group_project_is_refused(self) -> None:
        """A 360Giving grant has one recipient: a project with two beneficiaries is refused."""
        p = approved_project(beneficiary_ids=["BG-HTX-001", "BG-HTX-002"])
        two = [coop(), coop(id="BG-HTX-002", tax_number=None)]
        with pytest.raises(ValidationError) as info:
            export(projects=[p], establishments=two)
        assert info.value.paths == ("$.grants[0].recipientOrganization",)

    def test_identifiers_are_unique(self) -> None:
        """Two grants with the same identifier are refused."""
        with pytest.raises(ValidationError) as info:
            export(support_records=[record(), record()])
        assert info.value.paths == ("$.grants[1].id",)

    def test_the_prefix_is_a_360giving_prefix(self) -> None:
        """Grant identifiers start with the publisher's 360G- prefix."""
        with pytest.raises(ValidationError) as info:
            grants_from(establishments=[], prefix="khuyencong-", funder=FUNDER)
        assert info.value.paths == ("$.prefix",)


COOPS = [coop(), coop(id="BG-HTX-002", tax_number=None), coop(id="BG-HTX-003", tax_number=None)]


def planned(project_id: str, beneficiaries: list[str], *, approved: bool = True) -> Project:
    kind = ProjectKind.SINGLE_BENEFICIARY if len(beneficiaries) == 1 else ProjectKind.GROUP
    if approved:
        return approved_project(id=project_id, beneficiary_ids=beneficiaries, kind=kind)
    return Project(
        id=project_id,
        title="Máy sấy mỳ gạo",
        kind=kind,
        beneficiary_ids=beneficiaries,
        fund=Fund.LOCAL,
        province=UnitRef(MapId.MAP_2021, "24"),
        plan_year=2019,
        lead_agency="Trung tâm Khuyến công và XTTM Bắc Giang",
        contents=(ProjectContent(SupportContent.MACHINERY, 400_000_000, 200_000_000),),
    )


def select(**kw: Any) -> Any:
    return dataset_grants(Dataset(establishments=tuple(COOPS), **kw), prefix=PREFIX, funder=FUNDER)


class TestDatasetGrants:
    def test_a_single_project_is_one_grant_and_its_records_are_not_published_again(self) -> None:
        """The project's approved amount is the grant; the record under it is the same money."""
        p = planned("DA-1", ["BG-HTX-001"])
        under = record(id="SR-1", project_id="DA-1")
        selection = select(projects=(p,), support_records=(under,))
        assert [(g.identifier, g.amount_awarded) for g in selection.grants] == [
            (f"{PREFIX}DA-1", 180_000_000)
        ]
        assert selection.left_out == ()

    def test_a_group_project_is_published_as_its_support_records(self) -> None:
        """Each beneficiary's support record under a group project is a grant of its own."""
        p = planned("DA-G", ["BG-HTX-001", "BG-HTX-002"])
        records = (
            record(id="SR-1", project_id="DA-G"),
            record(id="SR-2", project_id="DA-G", establishment_id="BG-HTX-002"),
        )
        selection = select(projects=(p,), support_records=records)
        assert [g.identifier for g in selection.grants] == [f"{PREFIX}SR-1", f"{PREFIX}SR-2"]
        assert [g.recipient.name for g in selection.grants] == [COOPS[0].name, COOPS[1].name]

    @pytest.mark.parametrize("lang", ["vi", "en"])
    def test_a_group_project_without_records_is_left_out_with_its_reason(self, lang: Lang) -> None:
        """No grant can describe it: it is named, with why, in the language asked for."""
        p = planned("DA-HC", ["BG-HTX-001", "BG-HTX-002", "BG-HTX-003"])
        with language(lang):
            selection = select(projects=(p,))
        assert selection.grants == ()
        [item] = selection.left_out
        assert item.project_id == "DA-HC"
        word = {"vi": "3 cơ sở thụ hưởng", "en": "3 beneficiaries"}[lang]
        assert word in item.reason

    def test_records_of_a_project_not_approved_are_published(self) -> None:
        """Support delivered is published even when its project is not (yet) an award."""
        p = planned("DA-D", ["BG-HTX-001"], approved=False)
        selection = select(projects=(p,), support_records=(record(id="SR-1", project_id="DA-D"),))
        assert [g.identifier for g in selection.grants] == [f"{PREFIX}SR-1"]

    @given(
        st.lists(
            st.tuples(
                st.lists(
                    st.sampled_from(["BG-HTX-001", "BG-HTX-002", "BG-HTX-003"]),
                    min_size=1,
                    max_size=3,
                    unique=True,
                ),
                st.booleans(),
            ),
            max_size=4,
        ),
        st.lists(
            st.tuples(st.integers(-1, 3), st.integers(0, 2), st.integers(1, 10**9)),
            max_size=8,
        ),
    )
    def test_each_amount_is_published_once_with_one_recipient(
        self,
        shapes: list[tuple[list[str], bool]],
        drawn: list[tuple[int, int, int]],
    ) -> None:
        """Awarded total = single projects' approved amounts + every other record's public money."""
        projects = tuple(planned(f"DA-{i}", who, approved=ok) for i, (who, ok) in enumerate(shapes))
        records = tuple(
            record(
                id=f"SR-{i}",
                project_id=f"DA-{p}" if 0 <= p < len(projects) else None,
                establishment_id=COOPS[e].id,
                local_amount=amount,
            )
            for i, (p, e, amount) in enumerate(drawn)
        )
        singles = {
            p.id for p in projects if p.approved_amount is not None and len(p.beneficiary_ids) == 1
        }
        expected = sum(180_000_000 for _ in singles) + sum(
            r.public_amount for r in records if r.project_id not in singles
        )
        selection = select(projects=projects, support_records=records)
        assert sum(g.amount_awarded for g in selection.grants) == expected
        published = {g.identifier.removeprefix(PREFIX) for g in selection.grants}
        for r in records:
            assert not (r.id in published and r.project_id in published)
        groups_with_records = {r.project_id for r in records}
        assert {item.project_id for item in selection.left_out} == {
            p.id
            for p in projects
            if p.approved_amount is not None
            and len(p.beneficiary_ids) > 1
            and p.id not in groups_with_records
        }


class TestRequiredFieldProblems:
    def test_an_empty_grant_misses_every_required_field(self) -> None:
        """Every required field of the standard is reported for an empty grant."""
        paths = [p.path for p in required_field_problems({})]
        assert paths == [f"$.{f}" for f in REQUIRED_FIELDS]

    def test_organisations_need_an_id_and_a_name(self) -> None:
        """An organisation without id and name is reported field by field."""
        grant = grant_to_threesixty(export(support_records=[record()])[0])
        grant["fundingOrganization"] = [{"department": "x"}]
        paths = [p.path for p in required_field_problems(grant, "$.grants[3]")]
        assert paths == [
            "$.grants[3].fundingOrganization[0].id",
            "$.grants[3].fundingOrganization[0].name",
        ]

    def test_a_complete_grant_has_no_problem(self) -> None:
        """What the exporter writes has every required field."""
        grant = grant_to_threesixty(export(projects=[approved_project()])[0])
        assert required_field_problems(grant) == []


class TestThreeSixtyWriting:
    def test_json_has_the_standard_shape(self) -> None:
        """The JSON file is a package of grants with the standard's field names."""
        data = json.loads(dumps(export(projects=[approved_project()])))
        [grant] = data["grants"]
        assert grant["currency"] == "VND"
        assert grant["amountAwarded"] == 180_000_000
        assert grant["awardDate"] == "2019-04-02"
        assert grant["plannedDates"] == [{"startDate": "2019-05-01", "endDate": "2019-11-30"}]
        assert grant["beneficiaryLocation"] == [
            {
                "name": "Thị trấn Chũ, Huyện Lục Ngạn, Tỉnh Bắc Giang",
                "countryCode": "VN",
                "geoCode": "07525",
                "geoCodeType": "VN-GSO-2021-11",
            }
        ]
        assert grant["fundingOrganization"][0]["department"] == "Phòng Khuyến công"
        assert grant["grantProgramme"] == [{"code": "KCDP-2019", "title": PROGRAMME.title}]

    def test_csv_has_the_standard_column_titles(self) -> None:
        """The CSV header uses the standard's titles; amounts are plain integers."""
        text = dumps(export(support_records=[record()]), fmt="csv")
        [row] = list(csv.DictReader(io.StringIO(text)))
        assert tuple(row) == CSV_COLUMNS
        assert row["Amount Awarded"] == "20000000"
        assert row["Recipient Org:Identifier"] == "360G-khuyencong-bacgiang-MST-0100109106"

    def test_an_empty_export_is_refused(self) -> None:
        """A 360Giving file holds at least one grant."""
        with pytest.raises(ValidationError):
            dumps([])

    def test_duplicate_grants_are_refused_before_writing(self, tmp_path: Path) -> None:
        """Nothing is written when two grants share an identifier."""
        [grant] = export(support_records=[record()])
        target = tmp_path / "grants.json"
        with pytest.raises(ValidationError) as info:
            write([grant, grant], target)
        assert info.value.paths == ("$.grants[1].id",)
        assert not target.exists()

    def test_a_formula_in_a_title_is_written_as_text(self) -> None:
        """A title beginning with '=' is written with a quote in front in CSV, so that a
        spreadsheet program shows it instead of running it; amounts stay numbers."""
        [grant] = export(support_records=[record()])
        hostile = attrs.evolve(grant, title='=HYPERLINK("http://x","y")')
        [row] = list(csv.DictReader(io.StringIO(dumps([hostile], fmt="csv"))))
        assert (row["Title"], row["Amount Awarded"]) == ('\'=HYPERLINK("http://x","y")', "20000000")
        plain = dumps([hostile], fmt="csv", neutralise_formulas=False)
        assert next(csv.DictReader(io.StringIO(plain)))["Title"].startswith("=HYPERLINK")

    def test_files_round_trip(self, tmp_path: Path) -> None:
        """JSON and CSV files read back into the grants that were written."""
        grants = export(projects=[approved_project()], support_records=[record()])
        write(grants, tmp_path / "g.json")
        write(grants, tmp_path / "g.csv")
        assert read(tmp_path / "g.json") == grants
        assert read(tmp_path / "g.csv") == grants


class TestThreeSixtyReading:
    def grant(self) -> dict[str, Any]:
        return grant_to_threesixty(export(projects=[approved_project()])[0])

    def read(self, *grants: dict[str, Any]) -> list[Grant]:
        return loads(json.dumps({"grants": list(grants)}))

    def test_every_problem_of_every_grant_is_listed(self) -> None:
        """A float amount, a bad date and an unknown unit are all reported with their paths."""
        bad = self.grant()
        bad["amountAwarded"] = 1.5
        bad["awardDate"] = "02/04/2019"
        bad["beneficiaryLocation"][0]["geoCode"] = "99999"
        missing = self.grant()
        del missing["title"]
        with pytest.raises(ValidationError) as info:
            self.read(bad, missing)
        assert info.value.paths == (
            "$.grants[0].amountAwarded",
            "$.grants[0].awardDate",
            "$.grants[0].beneficiaryLocation[0].geoCode",
            "$.grants[1].title",
        )

    def test_unknown_fields_are_refused(self) -> None:
        """A misspelt field is reported rather than silently dropped."""
        g = self.grant()
        g["amountAwardd"] = 1
        with pytest.raises(ValidationError) as info:
            self.read(g)
        assert info.value.paths == ("$.grants[0].amountAwardd",)

    def test_other_currencies_are_refused(self) -> None:
        """Amounts are read in đồng only."""
        g = self.grant()
        g["currency"] = "GBP"
        with pytest.raises(ValidationError) as info:
            self.read(g)
        assert info.value.paths == ("$.grants[0].currency",)

    def test_a_location_needs_a_known_code_type(self) -> None:
        """A geographic code type that names no map is refused."""
        g = self.grant()
        g["beneficiaryLocation"][0]["geoCodeType"] = "WD"
        with pytest.raises(ValidationError) as info:
            self.read(g)
        assert info.value.paths == ("$.grants[0].beneficiaryLocation[0].geoCodeType",)

    def test_not_a_package(self) -> None:
        """Text that is not a 360Giving package is refused with a path."""
        for text in ("[1]", "{", '{"grants": []}', '{"grants": [], "x": 1}'):
            with pytest.raises(ValidationError):
                loads(text)

    def test_csv_problems_name_the_row(self) -> None:
        """In CSV, grant i is data row i; a fractional amount is refused."""
        text = dumps(export(support_records=[record(), record(id="SR-2")]), fmt="csv")
        text = text.replace(",20000000,", ",20000000.5,", 2)
        with pytest.raises(ValidationError) as info:
            loads(text, fmt="csv")
        assert info.value.paths == ("$.grants[0].amountAwarded", "$.grants[1].amountAwarded")

    def test_csv_with_a_byte_order_mark_is_read(self) -> None:
        """A CSV saved by Excel (UTF-8 with BOM) reads the same."""
        grants = export(support_records=[record()])
        assert loads("\ufeff" + dumps(grants, fmt="csv"), fmt="csv") == grants

    def test_unknown_csv_columns_are_refused(self) -> None:
        """An unknown column is reported by its position."""
        text = dumps(export(support_records=[record()]), fmt="csv")
        header, rest = text.split("\r\n", 1)
        with pytest.raises(ValidationError) as info:
            loads(f"{header},Extra\n{rest}", fmt="csv")
        assert info.value.paths == (f"$.columns[{len(CSV_COLUMNS)}]",)


# --- round trips with the shipped strategies -------------------------------------------------


def formula_like() -> st.SearchStrategy[str]:
    """Texts a spreadsheet program would run, or that look like neutralised ones."""
    rest = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zs")), min_size=1, max_size=8)
    starts = st.sampled_from(["=", "+", "-", "@", "'", "''", "'=", "'-", "-1"])
    return st.builds(lambda a, b: a + b, starts, rest)


@st.composite
def exports(draw: st.DrawFn) -> list[Grant]:
    """Grants exported from drawn establishments, projects and records."""
    people = draw(st.lists(establishments(), min_size=1, max_size=3, unique_by=lambda e: e.id))
    ids = [e.id for e in people]
    drawn_projects = draw(st.lists(projects(), max_size=3, unique_by=lambda p: p.id))
    linked_projects = [
        attrs.evolve(p, beneficiary_ids=[draw(st.sampled_from(ids))]) for p in drawn_projects
    ]
    drawn_records = draw(st.lists(support_records(), max_size=3, unique_by=lambda r: r.id))
    linked_records = [
        attrs.evolve(r, establishment_id=draw(st.sampled_from(ids))) for r in drawn_records
    ]
    programme = draw(st.none() | st.just(PROGRAMME))
    return grants_from(
        projects=linked_projects,
        support_records=linked_records,
        establishments=people,
        prefix=PREFIX,
        funder=FUNDER,
        programme=programme,
    )


class TestThreeSixtyVerbs:
    def test_streams_are_read_and_written(self) -> None:
        """write takes an open text stream and read an open text or binary stream; without
        fmt a stream is JSON."""
        grants = export(support_records=[record()])
        stream = io.StringIO()
        write(grants, stream)
        assert stream.getvalue() == dumps(grants)
        assert read(io.StringIO(stream.getvalue())) == grants
        assert read(io.BytesIO(dumps(grants, fmt="csv").encode()), fmt="csv") == grants

    def test_an_unknown_format_is_refused(self, tmp_path: Path) -> None:
        """A format the standard is not written in, or a file name that names none, is
        refused with the formats there are."""
        grants = export(support_records=[record()])
        with pytest.raises(ValidationError, match="'json', 'csv'"):
            dumps(grants, fmt="xml")
        with pytest.raises(ValidationError, match="fmt="):
            write(grants, tmp_path / "grants.txt")


class TestThreeSixtyHostileInput:
    """Whatever the bytes, reading ends in the library's error naming what is wrong."""

    def csv(self) -> str:
        return dumps(export(support_records=[record()]), fmt="csv")

    def test_old_mac_line_ends_are_read(self) -> None:
        """A CSV whose lines end in a lone carriage return reads as any other."""
        text = self.csv()
        assert loads(text.replace("\r\n", "\r"), fmt="csv") == loads(text, fmt="csv")

    def test_a_carriage_return_inside_a_title_survives(self) -> None:
        """A title holding a carriage return is quoted when written and read back whole."""
        [grant] = export(support_records=[record()])
        odd = attrs.evolve(grant, title="Máy\rsấy")
        assert loads(dumps([odd], fmt="csv"), fmt="csv") == [odd]

    def test_an_amount_of_thousands_of_digits_is_a_problem_of_its_grant(self) -> None:
        """A 5,000-digit amount in CSV is refused against its field, not with a ValueError."""
        text = self.csv().replace(",20000000,", "," + "9" * 5000 + ",")
        with pytest.raises(ValidationError) as caught:
            loads(text, fmt="csv")
        assert caught.value.paths == ("$.grants[0].amountAwarded",)

    def test_a_cell_over_the_csv_limit_is_a_file_format_error(self) -> None:
        """A cell longer than the CSV reader reads (131,072 characters) names the line."""
        text = self.csv().replace("Tư vấn", "x" * 200_000, 1)
        with pytest.raises(FileFormatError, match="line 2"), language("en"):
            loads(text, fmt="csv")

    @pytest.mark.parametrize("fmt", ["json", "csv"])
    def test_bytes_that_are_not_utf8_are_a_file_format_error(self, fmt: str) -> None:
        """A file in a legacy encoding is refused as not UTF-8, naming where."""
        grants = export(support_records=[record()])
        document = dumps(grants, fmt=fmt).encode().replace("Chũ".encode(), b"Ch\xfb")
        with pytest.raises(FileFormatError, match="UTF-8"), language("en"):
            loads(document, fmt=fmt)

    @pytest.mark.parametrize(
        "document",
        ['{"grants": ' + "[" * 100_000, '{"grants": [{"amountAwarded": ' + "9" * 5000 + "}]}"],
        ids=["nested-deep", "huge-integer"],
    )
    def test_unreadable_json_is_a_file_format_error(self, document: str) -> None:
        """JSON nested thousands deep or holding a 5,000-digit integer cannot be read."""
        with pytest.raises(FileFormatError):
            loads(document)


class TestThreeSixtyRoundTrip:
    @given(exports())
    def test_json_import_export_import_loses_nothing(self, grants: list[Grant]) -> None:
        """Reading a written JSON file gives the grants back, and writing them again gives
        the same file."""
        if not grants:
            return
        text = dumps(grants)
        again = loads(text)
        assert again == grants
        assert dumps(again) == text

    @given(exports(), st.lists(formula_like(), min_size=1, max_size=3))
    def test_formula_like_titles_survive_csv(self, grants: list[Grant], titles: list[str]) -> None:
        """Titles beginning with =, +, -, @ or a quote are neutralised when written and
        restored when read: the CSV round trip gives back the original text."""
        if not grants:
            return
        changed = [attrs.evolve(g, title=titles[i % len(titles)]) for i, g in enumerate(grants)]
        assert loads(dumps(changed, fmt="csv"), fmt="csv") == changed

    @given(exports())
    def test_csv_import_export_import_loses_nothing(self, grants: list[Grant]) -> None:
        """The CSV form carries everything the JSON form does."""
        if not grants:
            return
        text = dumps(grants, fmt="csv")
        again = loads(text, fmt="csv")
        assert again == grants
        assert dumps(again, fmt="csv") == text
        assert loads(dumps(again)) == grants
