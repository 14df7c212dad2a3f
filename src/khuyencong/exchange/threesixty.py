"""Grants in the 360Giving data standard shape: export to JSON and CSV, and read them back.

360Giving (https://www.threesixtygiving.org) is an open standard for publishing grant data.
This module turns approved promotion projects (`Project`) and
support delivered (`SupportRecord`) into 360Giving grants, with the
`Establishment` as recipient, and reads such files back into
`Grant` objects.

What the standard requires was checked against the standard's own schema files in the
``ThreeSixtyGiving/standard`` repository: ``schema/360-giving-schema.json`` (a grant
*requires* ``id``, ``title``, ``description``, ``currency``, ``amountAwarded``, ``awardDate``,
``recipientOrganization`` and ``fundingOrganization``; both organisation lists have at least
one item, and an organisation requires ``id`` and ``name``),
``schema/360-giving-package-schema.json`` (a JSON file is an object with a non-empty
``grants`` list) and the summary-table titles
``schema/summary-table/360-giving-schema-titles.csv/grants.csv`` (the CSV column names, such as
``Recipient Org:Identifier``). Three choices are ours, not the standard's, and are made
explicit:

- Vietnamese registers are not, as far as we could verify, in the org-id.guide list of
  organisation identifier schemes, so a recipient's identifier uses the publisher's own
  ``360G-`` prefix, the standard's fallback for organisations without a recognised register:
  ``<prefix>MST-<tax number>`` when the establishment has a tax number (mã số thuế), otherwise
  ``<prefix>CS-<establishment id>``.
- ``geoCodeType`` should come from 360Giving's (British) codelist, which has no Vietnamese
  entry; the beneficiary location uses ``VN-GSO-<map id>`` (``VN-GSO-2021-11``,
  ``VN-GSO-2025-07``, ``VN-GSO-2025-reform``) with the GSO unit code as ``geoCode``, so that the
  reader can rebuild the `UnitRef` exactly.
- Money is integer đồng: a reader refuses a fractional ``amountAwarded``.

A round trip loses nothing: for any file this module writes, reading it gives grants that
write the same file again (``read → write → read`` is the identity on `Grant`).

>>> import datetime as dt
>>> from khuyencong.domain import Establishment, LegalForm, Sector, SupportContent, SupportRecord
>>> from khuyencong.units import MapId, UnitRef
>>> coop = Establishment(
...     id="BG-HTX-001", name="Hợp tác xã Mỳ gạo Chũ", legal_form=LegalForm.COOPERATIVE,
...     location=UnitRef(MapId.MAP_2021, "07525"), sectors=[Sector.AGRO_FOOD_PROCESSING],
...     tax_number="0100109106",
... )
>>> record = SupportRecord(
...     id="SR-2018-01", establishment_id="BG-HTX-001", content=SupportContent.DESIGN_CONSULTING,
...     delivered_on=dt.date(2018, 6, 1), decided_on=dt.date(2018, 3, 15),
...     local_amount=20_000_000,
... )
>>> funder = Organisation("360G-khuyencong-bacgiang-TTKC", "Trung tâm Khuyến công Bắc Giang")
>>> [grant] = grants_from(
...     support_records=[record], establishments=[coop],
...     prefix="360G-khuyencong-bacgiang-", funder=funder,
... )
>>> grant.identifier, grant.amount_awarded, grant.recipient.id
('360G-khuyencong-bacgiang-SR-2018-01', 20000000, '360G-khuyencong-bacgiang-MST-0100109106')
>>> loads(dumps([grant], fmt="csv"), fmt="csv") == [grant]
True

The module has the four verbs of every exchange format module: `loads` and `dumps` for text,
`read` and `write` for files and streams, each taking ``fmt="json"`` or ``fmt="csv"``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from khuyencong._arguments import Arguments, expect
from khuyencong._files import csv_text, restore_formula, write_text
from khuyencong.converters import parse_json, structure
from khuyencong.domain import (
    Dataset,
    Establishment,
    Lang,
    Project,
    ProjectStatus,
    SupportRecord,
    format_vnd,
)
from khuyencong.exceptions import FileFormatError, Problem, ValidationError
from khuyencong.exchange._formats import (
    Readable,
    Writable,
    load_source,
    load_text,
    resolve_format,
)
from khuyencong.messages import resolve_language, text
from khuyencong.units import MapId, UnitRef, load_map

__all__ = [
    "CSV_COLUMNS",
    "CURRENCY",
    "FORMATS",
    "GEO_CODE_TYPE_PREFIX",
    "REQUIRED_FIELDS",
    "Grant",
    "GrantProgramme",
    "GrantSelection",
    "LeftOut",
    "Organisation",
    "dataset_grants",
    "dumps",
    "grant_to_threesixty",
    "grants_from",
    "loads",
    "read",
    "required_field_problems",
    "write",
]

FORMATS = ("json", "csv")
"""The formats the standard is written in here: its JSON package and its CSV summary table."""

CURRENCY = "VND"
"""The ISO 4217 code of every amount this module writes."""

GEO_CODE_TYPE_PREFIX = "VN-GSO-"
"""``geoCodeType`` of a beneficiary location: this prefix and the map id (``VN-GSO-2021-11``)."""

REQUIRED_FIELDS: tuple[str, ...] = (
    "id",
    "title",
    "description",
    "currency",
    "amountAwarded",
    "awardDate",
    "recipientOrganization",
    "fundingOrganization",
)
"""The fields a 360Giving grant requires (``required`` of ``360-giving-schema.json``)."""

_ORG_REQUIRED = ("id", "name")

#: The CSV columns, titled as in the standard's summary table, in the order written.
CSV_COLUMNS: tuple[str, ...] = (
    "Identifier",
    "Title",
    "Description",
    "Currency",
    "Amount Awarded",
    "Award Date",
    "Planned Dates:Start Date",
    "Planned Dates:End Date",
    "Recipient Org:Identifier",
    "Recipient Org:Name",
    "Beneficiary Location:Name",
    "Beneficiary Location:Country Code",
    "Beneficiary Location:Geographic Code",
    "Beneficiary Location:Geographic Code Type",
    "Funding Org:Identifier",
    "Funding Org:Name",
    "Funding Org:Department",
    "Grant Programme:Code",
    "Grant Programme:Title",
)

# CSV column → JSON location: (list field or None, key).
_COLUMN_KEYS: dict[str, tuple[str | None, str]] = {
    "Identifier": (None, "id"),
    "Title": (None, "title"),
    "Description": (None, "description"),
    "Currency": (None, "currency"),
    "Amount Awarded": (None, "amountAwarded"),
    "Award Date": (None, "awardDate"),
    "Planned Dates:Start Date": ("plannedDates", "startDate"),
    "Planned Dates:End Date": ("plannedDates", "endDate"),
    "Recipient Org:Identifier": ("recipientOrganization", "id"),
    "Recipient Org:Name": ("recipientOrganization", "name"),
    "Beneficiary Location:Name": ("beneficiaryLocation", "name"),
    "Beneficiary Location:Country Code": ("beneficiaryLocation", "countryCode"),
    "Beneficiary Location:Geographic Code": ("beneficiaryLocation", "geoCode"),
    "Beneficiary Location:Geographic Code Type": ("beneficiaryLocation", "geoCodeType"),
    "Funding Org:Identifier": ("fundingOrganization", "id"),
    "Funding Org:Name": ("fundingOrganization", "name"),
    "Funding Org:Department": ("fundingOrganization", "department"),
    "Grant Programme:Code": ("grantProgramme", "code"),
    "Grant Programme:Title": ("grantProgramme", "title"),
}

_LISTS: dict[str, tuple[str, ...]] = {
    "plannedDates": ("startDate", "endDate"),
    "recipientOrganization": ("id", "name"),
    "beneficiaryLocation": ("name", "countryCode", "geoCode", "geoCodeType"),
    "fundingOrganization": ("id", "name", "department"),
    "grantProgramme": ("code", "title"),
}

_AWARDED = (
    ProjectStatus.APPROVED,
    ProjectStatus.IN_PROGRESS,
    ProjectStatus.ACCEPTED,
    ProjectStatus.SETTLED,
)


def _nfc(value: object) -> object:
    return unicodedata.normalize("NFC", value).strip() if isinstance(value, str) else value


def _nfc_optional(value: object) -> object:
    value = _nfc(value)
    return None if value == "" else value


def _non_blank(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not value:
        raise ValidationError.single(
            f"$.{attribute.name}", value, text("domain.check.non_empty_text")
        )


@attrs.frozen
class Organisation:
    """A funding or recipient organisation of a grant.

    Attributes:
        id: Its identifier (for a funder: the publisher's org-id or ``360G-`` identifier).
        name: Its name (NFC).
        department: The department making the grant, if any (funders only).
    """

    id: str = attrs.field(converter=_nfc, validator=_non_blank)
    name: str = attrs.field(converter=_nfc, validator=_non_blank)
    department: str | None = attrs.field(default=None, converter=_nfc_optional)


@attrs.frozen
class GrantProgramme:
    """The programme a grant belongs to (e.g. the provincial promotion plan of a year).

    Attributes:
        code: An identifier for the programme.
        title: Its title, if any.
    """

    code: str = attrs.field(converter=_nfc, validator=_non_blank)
    title: str | None = attrs.field(default=None, converter=_nfc_optional)


@attrs.frozen
class Grant:
    """One grant, shaped after the 360Giving standard, with domain types for its values.

    Every required field of the standard is present and non-empty; amounts are integer đồng;
    the beneficiary location is a `UnitRef` of the map the record was
    made on.

    Attributes:
        identifier: The grant identifier: the publisher's ``360G-`` prefix and the project or
            record id.
        title: A title (the project title, or the content and the establishment).
        description: A short description (contents, fund, plan year).
        amount_awarded: The amount awarded, in đồng.
        award_date: The date of the decision to award.
        recipient: The establishment, as an organisation.
        funder: The funding organisation.
        planned_start: Planned start date, if known.
        planned_end: Planned end date, if known.
        location: The administrative unit where the beneficiary produces, if known.
        programme: The grant programme, if given.
        currency: Always ``VND``.
    """

    identifier: str = attrs.field(converter=_nfc, validator=_non_blank)
    title: str = attrs.field(converter=_nfc, validator=_non_blank)
    description: str = attrs.field(converter=_nfc, validator=_non_blank)
    amount_awarded: int
    award_date: dt.date
    recipient: Organisation
    funder: Organisation
    planned_start: dt.date | None = None
    planned_end: dt.date | None = None
    location: UnitRef | None = None
    programme: GrantProgramme | None = None
    currency: str = CURRENCY

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        if isinstance(self.amount_awarded, bool) or not isinstance(self.amount_awarded, int):
            problems.append(
                Problem("$.amount_awarded", text("domain.check.money_int"), self.amount_awarded)
            )
        elif self.amount_awarded < 0:
            problems.append(
                Problem("$.amount_awarded", text("domain.check.not_negative"), self.amount_awarded)
            )
        if self.currency != CURRENCY:
            message = text("exchange.threesixty.currency_written", currency=CURRENCY)
            problems.append(Problem("$.currency", message, self.currency))
        if problems:
            raise ValidationError(problems)


# --- building grants from the domain -------------------------------------------------------


def _place_name(ref: UnitRef) -> str:
    units = load_map(ref.map_id)
    chain = [units.get(ref.code), *units.ancestors(ref.code)]
    return ", ".join(u.full_name for u in chain)


def _location(ref: UnitRef) -> dict[str, Any]:
    return {
        "name": _place_name(ref),
        "countryCode": "VN",
        "geoCode": ref.code,
        "geoCodeType": f"{GEO_CODE_TYPE_PREFIX}{ref.map_id.value}",
    }


def _recipient(establishment: Establishment, prefix: str, org_id_prefix: str) -> dict[str, Any]:
    if establishment.tax_number is not None:
        org_id = f"{org_id_prefix}{establishment.tax_number}"
    else:
        org_id = f"{prefix}CS-{establishment.id}"
    return {"id": org_id, "name": establishment.name}


def _organisation(org: Organisation) -> dict[str, Any]:
    data: dict[str, Any] = {"id": org.id, "name": org.name}
    if org.department is not None:
        data["department"] = org.department
    return data


def _programme(programme: GrantProgramme) -> dict[str, Any]:
    data: dict[str, Any] = {"code": programme.code}
    if programme.title is not None:
        data["title"] = programme.title
    return data


def _date(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _planned(start: dt.date | None, end: dt.date | None) -> list[dict[str, Any]]:
    event = {k: v for k, v in (("startDate", _date(start)), ("endDate", _date(end))) if v}
    return [event] if event else []


def _project_grant(
    project: Project,
    establishments: Mapping[str, Establishment],
    prefix: str,
    org_id_prefix: str,
    lang: Lang,
) -> dict[str, Any]:
    contents = "; ".join(pc.content.label(lang) for pc in project.contents)
    description = text(
        "exchange.threesixty.project_description",
        lang,
        contents=contents,
        fund=project.fund.label(lang),
        year=project.plan_year,
    )
    grant: dict[str, Any] = {
        "id": f"{prefix}{project.id}",
        "title": project.title,
        "description": description,
        "currency": CURRENCY,
        "amountAwarded": project.approved_amount,
        "awardDate": _date(project.approved_on),
        "plannedDates": _planned(project.planned_start, project.planned_end),
    }
    beneficiary = establishments.get(project.beneficiary_ids[0])
    if beneficiary is not None:
        grant["recipientOrganization"] = [_recipient(beneficiary, prefix, org_id_prefix)]
        grant["beneficiaryLocation"] = [_location(beneficiary.location)]
    return grant


def _record_grant(
    record: SupportRecord,
    establishments: Mapping[str, Establishment],
    prefix: str,
    org_id_prefix: str,
    lang: Lang,
) -> dict[str, Any]:
    establishment = establishments.get(record.establishment_id)
    who = establishment.name if establishment is not None else record.establishment_id
    parts = [record.content.label(lang)]
    if record.note:
        parts.append(record.note)
    parts.append(
        text(
            "exchange.threesixty.public_funds", lang, amount=format_vnd(record.public_amount, lang)
        )
    )
    grant: dict[str, Any] = {
        "id": f"{prefix}{record.id}",
        "title": f"{record.content.label(lang)} – {who}",
        "description": "; ".join(parts),
        "currency": CURRENCY,
        "amountAwarded": record.public_amount,
        "awardDate": _date(record.decided_on or record.delivered_on),
        "plannedDates": [],
    }
    if establishment is not None:
        grant["recipientOrganization"] = [_recipient(establishment, prefix, org_id_prefix)]
        where = record.location or establishment.location
        grant["beneficiaryLocation"] = [_location(where)]
    return grant


def grants_from(
    *,
    projects: Iterable[Project] = (),
    support_records: Iterable[SupportRecord] = (),
    establishments: Iterable[Establishment],
    prefix: str,
    funder: Organisation,
    programme: GrantProgramme | None = None,
    org_id_prefix: str | None = None,
    lang: Lang | None = None,
) -> list[Grant]:
    """360Giving grants for the approved projects and the support records given.

    A project becomes a grant once approved (approved, in progress, accepted or settled): its
    approved amount on its approval date, planned dates, its one beneficiary as recipient.
    Drafts, submitted, rejected and cancelled projects are left out. A support record becomes a
    grant of its public amount (national plus local fund; the beneficiary's co-funding is not
    awarded) on its decision date (its delivery date when it has none). Grants come in the
    order given, projects first.

    Args:
        projects: Projects; those not approved are skipped.
        support_records: Support records.
        establishments: The establishments the projects and records name.
        prefix: The publisher's 360Giving identifier prefix, e.g. ``360G-khuyencong-bacgiang-``.
        funder: The funding organisation of every grant.
        programme: The grant programme of every grant, if any.
        org_id_prefix: Prefix of recipient identifiers built from tax numbers; by default
            ``<prefix>MST-``.
        lang: Language of the descriptions (the language in force by default).

    Returns:
        The grants, each with every field the standard requires.

    Raises:
        ValidationError: Listing every required field that would be missing, each with its
            path (``$.grants[2].awardDate``), and every duplicate identifier; nothing is
            returned until all are fixed.
    """
    args = Arguments()
    projects = args.each(projects, "projects", Project)
    support_records = args.each(support_records, "support_records", SupportRecord)
    establishments = args.each(establishments, "establishments", Establishment)
    args.instance(prefix, "prefix", str)
    args.instance(funder, "funder", Organisation)
    args.optional(programme, "programme", GrantProgramme)
    args.optional(org_id_prefix, "org_id_prefix", str)
    args.check()
    if not prefix.startswith("360G-") or prefix == "360G-":
        raise ValidationError.single("$.prefix", prefix, text("exchange.threesixty.prefix"))
    org_prefix = f"{prefix}MST-" if org_id_prefix is None else org_id_prefix
    lang = resolve_language(lang)
    by_id = {e.id: e for e in establishments}
    built: list[tuple[dict[str, Any], str]] = []
    problems: list[Problem] = []
    for project in projects:
        if project.status not in _AWARDED:
            continue
        data = _project_grant(project, by_id, prefix, org_prefix, lang)
        where = text(
            "exchange.threesixty.where_project",
            project=project.id,
            establishment=project.beneficiary_ids[0],
        )
        if len(project.beneficiary_ids) > 1:
            path = f"$.grants[{len(built)}].recipientOrganization"
            problems.append(
                Problem(
                    path,
                    text(
                        "exchange.threesixty.many_beneficiaries",
                        where=where,
                        count=len(project.beneficiary_ids),
                    ),
                    list(project.beneficiary_ids),
                )
            )
        built.append((data, where))
    for record in support_records:
        where = text(
            "exchange.threesixty.where_record",
            record=record.id,
            establishment=record.establishment_id,
        )
        built.append((_record_grant(record, by_id, prefix, org_prefix, lang), where))
    for i, (data, where) in enumerate(built):
        data["fundingOrganization"] = [_organisation(funder)]
        if programme is not None:
            data["grantProgramme"] = [_programme(programme)]
        problems.extend(
            attrs.evolve(
                p, message=text("exchange.threesixty.in_where", message=p.message, where=where)
            )
            for p in required_field_problems(data, f"$.grants[{i}]")
        )
    problems.extend(_duplicate_ids([d for d, _ in built]))
    if problems:
        raise ValidationError(sorted(problems, key=lambda p: _grant_index(p.path)))
    return [_parse_grant(d, f"$.grants[{i}]") for i, (d, _) in enumerate(built)]


@attrs.frozen
class LeftOut:
    """A project `dataset_grants` could not publish as grants, and why.

    Attributes:
        project_id: The project.
        reason: Why, in the language in force when the selection was made.
    """

    project_id: str = attrs.field(converter=_nfc, validator=_non_blank)
    reason: str = attrs.field(converter=_nfc, validator=_non_blank)


@attrs.frozen
class GrantSelection:
    """What `dataset_grants` publishes from a dataset, and what it leaves out.

    Attributes:
        grants: The grants, each with every field the standard requires.
        left_out: The approved group projects no grant could describe, each with its reason.
    """

    grants: tuple[Grant, ...]
    left_out: tuple[LeftOut, ...] = ()


def dataset_grants(
    dataset: Dataset,
    *,
    prefix: str,
    funder: Organisation,
    programme: GrantProgramme | None = None,
    org_id_prefix: str | None = None,
    lang: Lang | None = None,
) -> GrantSelection:
    """The 360Giving grants of a whole dataset, each amount published once.

    A 360Giving grant has one recipient, and a project's money is also the money of the support
    records delivered under it. So, for the approved projects (approved, in progress, accepted
    or settled) and the support records of ``dataset``:

    - a project with one beneficiary is one grant (as in `grants_from`); the support records
      delivered under it are not published again;
    - a group project (several beneficiaries) is published as the support records delivered
      under it, one grant each (each has its one establishment as recipient); a group project
      with none (a fair's stand support, say, recorded only as fair participations) cannot be
      a grant and is listed in `GrantSelection.left_out` with the reason;
    - every other support record (no project, or a project that is not approved or not in the
      dataset) is one grant.

    Args:
        dataset: The records to publish.
        prefix: The publisher's 360Giving identifier prefix, e.g. ``360G-khuyencong-bacgiang-``.
        funder: The funding organisation of every grant.
        programme: The grant programme of every grant, if any.
        org_id_prefix: Prefix of recipient identifiers built from tax numbers; by default
            ``<prefix>MST-``.
        lang: Language of the descriptions and reasons (the language in force by default).

    Returns:
        The grants (projects first, then support records, in the dataset's order) and the
        projects left out.

    Raises:
        ValidationError: As `grants_from`, listing every problem with its path.

    >>> from khuyencong.reports import load_example
    >>> funder = Organisation("360G-khuyencong-bacgiang-TTKC", "Trung tâm Khuyến công Bắc Giang")
    >>> selection = dataset_grants(
    ...     load_example().to_dataset(), prefix="360G-khuyencong-bacgiang-", funder=funder,
    ...     lang="en",
    ... )
    >>> len(selection.grants), [item.project_id for item in selection.left_out]
    (60, ['DA-2017-HC', 'DA-2018-HC', 'DA-2019-HC', 'DA-2020-HC'])
    >>> print(selection.left_out[0].reason)
    project DA-2017-HC has 22 beneficiaries and no support record delivered under it; a ...
    """
    expect(dataset, "dataset", Dataset)
    lang = resolve_language(lang)
    awarded = [p for p in dataset.projects if p.status in _AWARDED]
    single = [p for p in awarded if len(p.beneficiary_ids) == 1]
    group_ids = {p.id for p in awarded if len(p.beneficiary_ids) > 1}
    single_ids = {p.id for p in single}
    records = [r for r in dataset.support_records if r.project_id not in single_ids]
    delivered = {r.project_id for r in records}
    left_out = tuple(
        LeftOut(
            p.id,
            text(
                "exchange.threesixty.group_without_records",
                lang,
                project=p.id,
                count=len(p.beneficiary_ids),
            ),
        )
        for p in awarded
        if p.id in group_ids and p.id not in delivered
    )
    grants = grants_from(
        projects=single,
        support_records=records,
        establishments=dataset.establishments,
        prefix=prefix,
        funder=funder,
        programme=programme,
        org_id_prefix=org_id_prefix,
        lang=lang,
    )
    return GrantSelection(tuple(grants), left_out)


def _grant_index(path: str) -> int:
    head = path.removeprefix("$.grants[")
    number = head.split("]", 1)[0]
    return int(number) if number.isdigit() else -1


def _duplicate_ids(grants: Sequence[Mapping[str, Any]]) -> list[Problem]:
    seen: Counter[object] = Counter()
    found = []
    for i, grant in enumerate(grants):
        seen[grant.get("id")] += 1
        if seen[grant.get("id")] > 1:
            found.append(
                Problem(f"$.grants[{i}].id", text("exchange.threesixty.duplicate_id"), grant["id"])
            )
    return found


# --- the required fields ---------------------------------------------------------------------


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def required_field_problems(grant: Mapping[str, Any], path: str = "$") -> list[Problem]:
    """Every required field of the 360Giving standard missing from one grant.

    Checks the grant's required fields (`REQUIRED_FIELDS`), that the recipient and
    funding organisation lists have at least one organisation, and that each of those has an
    ``id`` and a ``name``. Types and formats are the reader's business.

    Args:
        grant: One grant as 360Giving JSON data.
        path: Where the grant is, for the problems' paths.

    Returns:
        One problem per missing field, in the standard's order; empty when none is missing.

    >>> [p.path for p in required_field_problems({"id": "360G-x-1", "title": "T"})][:2]
    ['$.description', '$.currency']

    Raises:
        ValidationError: If ``grant`` is not a mapping (360Giving JSON data).
    """
    expect(grant, "grant", Mapping)
    found: list[Problem] = []
    for field in REQUIRED_FIELDS:
        value = grant.get(field)
        if field in ("recipientOrganization", "fundingOrganization"):
            if not isinstance(value, list) or not value:
                found.append(
                    Problem(f"{path}.{field}", text("exchange.threesixty.one_organisation"))
                )
                continue
            for j, org in enumerate(value):
                found.extend(
                    Problem(f"{path}.{field}[{j}].{key}", text("converters.missing_field"))
                    for key in _ORG_REQUIRED
                    if not isinstance(org, Mapping) or _blank(org.get(key))
                )
        elif _blank(value):
            found.append(Problem(f"{path}.{field}", text("converters.missing_field")))
    return found


# --- Grant → 360Giving data -------------------------------------------------------------------


def grant_to_threesixty(grant: Grant) -> dict[str, Any]:
    """One grant as 360Giving JSON data (what `dumps` writes for it as JSON).

    Optional lists (planned dates, beneficiary location, grant programme) are left out when
    empty.

    Raises:
        ValidationError: If ``grant`` is not a :class:`Grant`.
    """
    expect(grant, "grant", Grant)
    data: dict[str, Any] = {
        "id": grant.identifier,
        "title": grant.title,
        "description": grant.description,
        "currency": grant.currency,
        "amountAwarded": grant.amount_awarded,
        "awardDate": grant.award_date.isoformat(),
    }
    planned = _planned(grant.planned_start, grant.planned_end)
    if planned:
        data["plannedDates"] = planned
    data["recipientOrganization"] = [_organisation(grant.recipient)]
    if grant.location is not None:
        data["beneficiaryLocation"] = [_location(grant.location)]
    data["fundingOrganization"] = [_organisation(grant.funder)]
    if grant.programme is not None:
        data["grantProgramme"] = [_programme(grant.programme)]
    return data


def _package(grants: Sequence[Grant]) -> dict[str, Any]:
    if not grants:
        raise ValidationError.single("$.grants", [], text("exchange.threesixty.no_grant"))
    items = [grant_to_threesixty(g) for g in grants]
    problems = [
        p for i, g in enumerate(items) for p in required_field_problems(g, f"$.grants[{i}]")
    ]
    problems.extend(_duplicate_ids(items))
    if problems:
        raise ValidationError(problems)
    return {"grants": items}


def _json_text(grants: Sequence[Grant]) -> str:
    return json.dumps(_package(grants), ensure_ascii=False, indent=2) + "\n"


def _row(grant: Mapping[str, Any]) -> list[str]:
    row: list[str] = []
    for column in CSV_COLUMNS:
        field, key = _COLUMN_KEYS[column]
        if field is None:
            value = grant.get(key)
        else:
            items = grant.get(field) or [{}]
            value = items[0].get(key)
        row.append("" if value is None else str(value))
    return row


def _csv_text(grants: Sequence[Grant], *, neutralise_formulas: bool) -> str:
    package = _package(grants)
    rows = [CSV_COLUMNS, *(_row(g) for g in package["grants"])]
    return csv_text(rows, neutralise_formulas=neutralise_formulas)


def dumps(grants: Sequence[Grant], *, fmt: str = "json", neutralise_formulas: bool = True) -> str:
    """The grants as 360Giving text: a JSON package (``{"grants": [...]}``, indented) or CSV
    (one row per grant, columns `CSV_COLUMNS`).

    Args:
        grants: The grants, at least one.
        fmt: ``"json"`` or ``"csv"``.
        neutralise_formulas: In CSV, write a text cell beginning with ``=``, ``+``, ``-``,
            ``@``, a tab or a carriage return with a ``'`` in front, so that a spreadsheet
            program shows it as text instead of running it (`read` takes the quote off).
            ``False`` writes every cell as it is.

    Raises:
        ValidationError: If there is no grant, or two share an identifier, or ``fmt`` is not
            a format of the standard, or ``grants`` are not grants.
    """
    args = Arguments()
    grants = args.each(grants, "grants", Grant)
    args.check()
    if resolve_format(fmt, None, FORMATS, "json") == "csv":
        return _csv_text(grants, neutralise_formulas=neutralise_formulas)
    return _json_text(grants)


def write(
    grants: Sequence[Grant],
    target: Writable,
    *,
    fmt: str | None = None,
    neutralise_formulas: bool = True,
) -> None:
    """Write the grants as a 360Giving file (UTF-8), after validating them all.

    Args:
        grants: The grants, at least one.
        target: A path, or an open text stream.
        fmt: ``"json"`` or ``"csv"``; by default the path's suffix (``.json``, ``.csv``), or
            JSON for a stream.
        neutralise_formulas: As for `dumps`.

    Raises:
        ValidationError: Before anything is written, if a grant is invalid.
        FileWriteError: If the file cannot be written.
    """
    chosen = resolve_format(fmt, target, FORMATS, "json")
    write_text(target, dumps(grants, fmt=chosen, neutralise_formulas=neutralise_formulas))


# --- 360Giving data → Grant -------------------------------------------------------------------


class _Reader:
    """Collects every problem of one grant while reading its fields."""

    def __init__(self, data: Mapping[str, Any], path: str) -> None:
        self.data = data
        self.path = path
        self.problems: list[Problem] = []

    def value(self, container: Mapping[str, Any], key: str, cl: type[Any], path: str) -> Any:
        raw = container.get(key)
        if raw is None or raw == "":
            return None
        try:
            return structure(raw, cl)
        except ValidationError as exc:
            self.problems.extend(exc.prefixed(f"{path}.{key}").problems)
            return None

    def one(self, field: str, allowed: tuple[str, ...]) -> Mapping[str, Any] | None:
        items = self.data.get(field)
        if items is None:
            return None
        if not isinstance(items, list) or not all(isinstance(i, Mapping) for i in items):
            self.problems.append(
                Problem(f"{self.path}.{field}", text("exchange.threesixty.list_of_objects"), items)
            )
            return None
        if len(items) > 1:
            self.problems.append(
                Problem(f"{self.path}.{field}", text("exchange.threesixty.one_item"), len(items))
            )
        if not items:
            return None
        for key in sorted(set(items[0]) - set(allowed)):
            self.problems.append(
                Problem(
                    f"{self.path}.{field}[0].{key}",
                    text("converters.unknown_field"),
                )
            )
        item: Mapping[str, Any] = items[0]
        return item

    def organisation(self, field: str, allowed: tuple[str, ...]) -> Organisation | None:
        item = self.one(field, allowed)
        if item is None:
            return None
        at = f"{self.path}.{field}[0]"
        org_id = self.value(item, "id", str, at)
        name = self.value(item, "name", str, at)
        department = self.value(item, "department", str, at)
        if org_id is None or name is None:
            return None
        return Organisation(org_id, name, department)

    def location(self) -> UnitRef | None:
        item = self.one("beneficiaryLocation", _LISTS["beneficiaryLocation"])
        if item is None:
            return None
        at = f"{self.path}.beneficiaryLocation[0]"
        code = self.value(item, "geoCode", str, at)
        code_type = self.value(item, "geoCodeType", str, at)
        country = self.value(item, "countryCode", str, at)
        self.value(item, "name", str, at)
        if country not in (None, "VN"):
            self.problems.append(
                Problem(f"{at}.countryCode", text("exchange.threesixty.country"), country)
            )
        if code is None or code_type is None:
            self.problems.append(Problem(f"{at}.geoCode", text("exchange.threesixty.location")))
            return None
        map_value = code_type.removeprefix(GEO_CODE_TYPE_PREFIX)
        maps = [m.value for m in MapId]
        if not code_type.startswith(GEO_CODE_TYPE_PREFIX) or map_value not in maps:
            allowed = ", ".join(GEO_CODE_TYPE_PREFIX + m for m in maps)
            self.problems.append(
                Problem(
                    f"{at}.geoCodeType",
                    text("exchange.threesixty.geo_code_type", allowed=allowed),
                    code_type,
                )
            )
            return None
        try:
            return UnitRef(MapId(map_value), code)
        except ValidationError as exc:
            self.problems.extend(Problem(f"{at}.geoCode", p.message, p.value) for p in exc.problems)
            return None


def _parse_grant(data: object, path: str) -> Grant:
    """Read one grant; raises a ValidationError listing every problem of it."""
    if not isinstance(data, Mapping):
        raise ValidationError.single(path, data, text("exchange.threesixty.grant_object"))
    r = _Reader(data, path)
    r.problems.extend(required_field_problems(data, path))
    known = {*REQUIRED_FIELDS, *_LISTS}
    r.problems.extend(
        Problem(f"{path}.{key}", text("converters.unknown_field"))
        for key in sorted(set(data) - known)
    )
    identifier = r.value(data, "id", str, path)
    title = r.value(data, "title", str, path)
    description = r.value(data, "description", str, path)
    currency = r.value(data, "currency", str, path)
    if currency not in (None, CURRENCY):
        message = text("exchange.threesixty.currency_read", currency=CURRENCY)
        r.problems.append(Problem(f"{path}.currency", message, currency))
    amount = r.value(data, "amountAwarded", int, path)
    if amount is not None and amount < 0:
        r.problems.append(
            Problem(f"{path}.amountAwarded", text("domain.check.not_negative"), amount)
        )
    award_date = r.value(data, "awardDate", dt.date, path)
    planned = r.one("plannedDates", _LISTS["plannedDates"])
    start = end = None
    if planned is not None:
        start = r.value(planned, "startDate", dt.date, f"{path}.plannedDates[0]")
        end = r.value(planned, "endDate", dt.date, f"{path}.plannedDates[0]")
    recipient = r.organisation("recipientOrganization", ("id", "name"))
    funder = r.organisation("fundingOrganization", _LISTS["fundingOrganization"])
    location = r.location()
    programme_item = r.one("grantProgramme", _LISTS["grantProgramme"])
    programme = None
    if programme_item is not None:
        at = f"{path}.grantProgramme[0]"
        code = r.value(programme_item, "code", str, at)
        programme_title = r.value(programme_item, "title", str, at)
        if code is None:
            r.problems.append(Problem(f"{at}.code", text("exchange.threesixty.programme_code")))
        else:
            programme = GrantProgramme(code, programme_title)
    if r.problems or recipient is None or funder is None:
        raise ValidationError(
            _unique(r.problems) or [Problem(path, text("exchange.threesixty.incomplete"))]
        )
    try:
        return Grant(
            identifier=identifier,
            title=title,
            description=description,
            amount_awarded=amount,
            award_date=award_date,
            recipient=recipient,
            funder=funder,
            planned_start=start,
            planned_end=end,
            location=location,
            programme=programme,
        )
    except ValidationError as exc:
        raise exc.prefixed(path) from None


def _unique(problems: Iterable[Problem]) -> list[Problem]:
    seen: set[tuple[str, str]] = set()
    out = []
    for p in problems:
        if (p.path, p.message) not in seen:
            seen.add((p.path, p.message))
            out.append(p)
    return out


def _parse_grants(items: Sequence[object]) -> list[Grant]:
    grants: list[Grant] = []
    errors: list[ValidationError] = []
    for i, item in enumerate(items):
        try:
            grants.append(_parse_grant(item, f"$.grants[{i}]"))
        except ValidationError as exc:
            errors.append(exc)
    dup = _duplicate_ids([i for i in items if isinstance(i, Mapping)]) if not errors else []
    if errors or dup:
        raise ValidationError([*ValidationError.merge(errors).problems, *dup] if errors else dup)
    return grants


def _from_json(document: str | bytes, source: str) -> list[Grant]:
    data = parse_json(document, source=source)
    if not isinstance(data, dict) or not isinstance(data.get("grants"), list):
        raise ValidationError.single("$.grants", None, text("exchange.threesixty.package"))
    extra = sorted(set(data) - {"grants"})
    if extra:
        raise ValidationError([Problem(f"$.{k}", text("converters.unknown_field")) for k in extra])
    if not data["grants"]:
        raise ValidationError.single("$.grants", [], text("exchange.threesixty.no_grant"))
    return _parse_grants(data["grants"])


_MAX_DIGITS = 30
"""The most digits an amount in CSV may have (int() refuses more than 4,300)."""


def _unflatten(row: Mapping[str, str]) -> dict[str, Any]:
    grant: dict[str, Any] = {}
    lists: dict[str, dict[str, Any]] = {}
    for column, cell in row.items():
        field, key = _COLUMN_KEYS[column]
        if cell == "":
            continue
        value: object = restore_formula(cell)
        if key == "amountAwarded" and cell.lstrip("-").isdigit() and len(cell) <= _MAX_DIGITS:
            value = int(cell)
        if field is None:
            grant[key] = value
        else:
            lists.setdefault(field, {})[key] = value
    for field in _LISTS:
        if field in lists:
            grant[field] = [lists[field]]
    return grant


def _from_csv(document: str | bytes, source: str) -> list[Grant]:
    if isinstance(document, bytes):
        try:
            document = document.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            message = text("exchange.csv.not_utf8", offset=exc.start)
            raise FileFormatError.at(source, "$", message) from None
    # newline="": a quoted cell keeps its line ends and a lone CR ends a row.
    reader = csv.reader(io.StringIO(document.removeprefix("\ufeff"), newline=""))
    try:
        header = next(reader, [])
        problems = [
            Problem(f"$.columns[{i}]", text("exchange.csv.unknown_column"), name)
            for i, name in enumerate(header)
            if name not in _COLUMN_KEYS
        ]
        if problems:
            raise ValidationError(problems)
        rows = []
        for i, cells in enumerate(reader):
            if len(cells) > len(header):
                problems.append(Problem(f"$.grants[{i}]", text("exchange.csv.too_many_cells")))
                continue
            padded = [*cells, *[""] * (len(header) - len(cells))]
            rows.append(_unflatten(dict(zip(header, padded, strict=True))))
    except csv.Error as exc:
        message = text("exchange.csv.invalid", line=reader.line_num, reason=str(exc))
        raise FileFormatError.at(source, "$", message) from None
    if problems:
        raise ValidationError(problems)
    if not rows:
        raise ValidationError.single("$.grants", [], text("exchange.threesixty.no_grant"))
    return _parse_grants(rows)


def loads(document: str | bytes, *, fmt: str = "json") -> list[Grant]:
    """Grants from 360Giving text: a JSON package (``{"grants": [...]}``) or CSV with the
    columns of `CSV_COLUMNS` (UTF-8, with or without a byte-order mark).

    In CSV, problems are reported with the path of the grant in JSON form: ``$.grants[0]`` is
    the first data row (line 2 of the file). A cell that `dumps` protected from running as a
    formula (``'=…``) is read back as it was (``=…``).

    Raises:
        FileFormatError: If the text cannot be read at all (not UTF-8, not JSON, a broken CSV).
        ValidationError: Listing every problem of every grant, each with its ``$.path``.
    """
    return load_text(_READERS, document, fmt)


def read(source: Readable, *, fmt: str | None = None) -> list[Grant]:
    """Grants from a 360Giving file or stream; see `loads`.

    Args:
        source: A path, or an open text or binary stream.
        fmt: ``"json"`` or ``"csv"``; by default the path's suffix, or JSON for a stream.

    Raises:
        FileFormatError: If the file cannot be read at all.
        ValidationError: Listing every problem of every grant.
        OSError: If the file cannot be opened.
    """
    return load_source(_READERS, source, fmt)


_READERS = {"json": _from_json, "csv": _from_csv}
