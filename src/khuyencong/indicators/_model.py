"""Indicator definitions: what is counted, which date places a record in a period, filters.

An :class:`Indicator` is data: a code, bilingual labels, a unit, the kind of record it reads,
how it counts (distinct establishments, occurrences, persons, products, money, quantities),
the date field that places a record in a period, and a :class:`Filter`. Breakdowns are
described by :class:`Breakdown`. Nothing here reads records; see ``_engine``.

>>> ind = STANDARD_INDICATORS["fair_participations"]
>>> ind.counting.value, ind.date_field.value, ind.unit.label("vi")
('occurrences', 'start_on', 'lượt')
>>> ind.with_date(DateField.END_ON).date_field.value
'end_on'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs

from khuyencong._arguments import Arguments, CheckedEnum, many_problem
from khuyencong.domain import (
    AwardLevel,
    ContentGroup,
    FairKind,
    Fund,
    LegalForm,
    ProjectStatus,
    Sector,
    SupportContent,
)
from khuyencong.exceptions import ValidationError
from khuyencong.messages import Lang, Text, text
from khuyencong.units import MapId, UnitLevel

__all__ = [
    "STANDARD_INDICATORS",
    "Breakdown",
    "Counting",
    "DateField",
    "Dimension",
    "Filter",
    "Indicator",
    "Measure",
    "RecordKind",
    "Unit",
]


class RecordKind(CheckedEnum):
    """The kind of record an indicator reads."""

    SUPPORT = "support"
    FAIR = "fair"
    AWARD = "award"
    OCOP = "ocop"
    PROJECT = "project"


class Counting(CheckedEnum):
    """What an indicator counts (see the docs page "Counting semantics of indicators")."""

    DISTINCT_ESTABLISHMENTS = "distinct_establishments"
    """Each establishment once, however many records it has."""
    OCCURRENCES = "occurrences"
    """Each record once ("lượt"): the same cooperative at five fairs counts five."""
    PERSONS = "persons"
    """The sum of a head count (trainees or participants): a person in two classes counts twice."""
    PRODUCTS = "products"
    """Distinct products (establishment and product name, case- and diacritic-insensitive)."""
    MONEY = "money"
    """The sum of a money field, in đồng."""
    QUANTITY = "quantity"
    """The sum of the units delivered (models, showrooms, machines)."""


class Measure(CheckedEnum):
    """The numeric field summed by PERSONS, MONEY and QUANTITY indicators.

    The outcome measures (``jobs_created``, ``income_change``) are optional on a record: see
    :data:`OPTIONAL_MEASURES`.
    """

    TRAINEES = "trainees"
    PARTICIPANTS = "participants"
    QUANTITY = "quantity"
    NATIONAL = "national_amount"
    LOCAL = "local_amount"
    PUBLIC = "public_amount"
    """National plus local fund; broken down by fund, each fund gets its own part."""
    CO_FUNDING = "co_funding"
    TOTAL_COST = "total_cost"
    """Public money plus the beneficiary's co-funding."""
    FAIR_SUPPORT = "supported_amount"
    APPROVED = "approved_amount"
    JOBS_CREATED = "jobs_created"
    """New jobs the beneficiary reported after the support (optional)."""
    INCOME_CHANGE = "income_change"
    """The change in income the beneficiary reported, đồng per year; may be negative (optional)."""


OPTIONAL_MEASURES: frozenset[Measure] = frozenset({Measure.JOBS_CREATED, Measure.INCOME_CHANGE})
"""Measures a record may lack (outcomes reported by beneficiaries, when recorded).

A missing value is not zero: a query with one of these measures keeps only the records that
have a value for it, whatever it counts. So the records behind a figure are exactly those that
reported, and an OCCURRENCES indicator with such a measure counts how many did.
"""


class DateField(CheckedEnum):
    """The date that places a record in a period; each indicator declares one.

    ``round_year`` places an award entry on 1 January of its round year;
    ``reported_or_delivered_on`` places a support record on the date its outcomes were reported,
    else on its delivery date.
    """

    DELIVERED_ON = "delivered_on"
    DECIDED_ON = "decided_on"
    ACCEPTED_ON = "accepted_on"
    START_ON = "start_on"
    END_ON = "end_on"
    CERTIFICATE_ISSUED_ON = "certificate_issued_on"
    ENTERED_ON = "entered_on"
    ROUND_YEAR = "round_year"
    RATED_ON = "rated_on"
    APPROVED_ON = "approved_on"
    SETTLED_ON = "settled_on"
    OUTCOME_REPORTED_ON = "outcome_reported_on"
    REPORTED_OR_DELIVERED_ON = "reported_or_delivered_on"


DATE_FIELDS: Mapping[RecordKind, frozenset[DateField]] = {
    RecordKind.SUPPORT: frozenset(
        {
            DateField.DELIVERED_ON,
            DateField.DECIDED_ON,
            DateField.ACCEPTED_ON,
            DateField.OUTCOME_REPORTED_ON,
            DateField.REPORTED_OR_DELIVERED_ON,
        }
    ),
    RecordKind.FAIR: frozenset({DateField.START_ON, DateField.END_ON}),
    RecordKind.AWARD: frozenset(
        {DateField.CERTIFICATE_ISSUED_ON, DateField.ENTERED_ON, DateField.ROUND_YEAR}
    ),
    RecordKind.OCOP: frozenset({DateField.RATED_ON}),
    RecordKind.PROJECT: frozenset(
        {DateField.APPROVED_ON, DateField.ACCEPTED_ON, DateField.SETTLED_ON}
    ),
}
"""The date fields each kind of record has."""

MEASURES: Mapping[RecordKind, frozenset[Measure]] = {
    RecordKind.SUPPORT: frozenset(
        {
            Measure.TRAINEES,
            Measure.PARTICIPANTS,
            Measure.QUANTITY,
            Measure.NATIONAL,
            Measure.LOCAL,
            Measure.PUBLIC,
            Measure.CO_FUNDING,
            Measure.TOTAL_COST,
            Measure.JOBS_CREATED,
            Measure.INCOME_CHANGE,
        }
    ),
    RecordKind.FAIR: frozenset({Measure.FAIR_SUPPORT}),
    RecordKind.AWARD: frozenset(),
    RecordKind.OCOP: frozenset(),
    RecordKind.PROJECT: frozenset({Measure.APPROVED}),
}
"""The numeric fields each kind of record has."""


class Unit(CheckedEnum):
    """The unit an indicator is expressed in, with Vietnamese and English labels."""

    ESTABLISHMENTS = "establishments"
    PARTICIPATIONS = "participations"
    PERSONS = "persons"
    JOBS = "jobs"
    PRODUCTS = "products"
    MODELS = "models"
    UNITS = "units"
    RECORDS = "records"
    VND = "VND"

    def label(self, lang: Lang | None = None) -> str:
        """The unit as written after a number ("cơ sở", "lượt", "đồng")."""
        return text(f"indicators.unit.{self.value}", lang)


class Dimension(CheckedEnum):
    """What a breakdown groups by.

    ``SECTOR``, ``PARTNER``, ``FUND`` (of support records, for counts) and ``CONTENT`` (of
    projects) are multi-valued: one record can fall under several keys, so a breakdown of a
    distinct count can sum to more than its total.
    """

    CONTENT = "content"
    CONTENT_GROUP = "content_group"
    LEGAL_FORM = "legal_form"
    SECTOR = "sector"
    FUND = "fund"
    LEAD_AGENCY = "lead_agency"
    PARTNER = "partner"
    COORDINATION = "coordination"
    """``alone`` (no partner) or ``with_partners`` (phối hợp)."""
    UNIT = "unit"
    YEAR = "year"
    FAIR_KIND = "fair_kind"
    AWARD_LEVEL = "award_level"
    STARS = "stars"
    PROJECT = "project"
    ESTABLISHMENT = "establishment"

    @property
    def multi_valued(self) -> bool:
        """Whether one record can fall under several keys of this dimension."""
        return self in _MULTI


_MULTI = frozenset({Dimension.SECTOR, Dimension.PARTNER, Dimension.FUND, Dimension.CONTENT})


@attrs.frozen
class Breakdown:
    """One dimension of a breakdown; for ``UNIT``, the level and the map to roll up to.

    >>> Breakdown.district().label("en")
    'District'
    >>> Breakdown.province(MapId.MAP_REFORM).map_id.value
    '2025-reform'
    >>> Breakdown.parse("district"), Breakdown.parse("content").dimension.value
    (Breakdown(dimension=<Dimension.UNIT: 'unit'>, level=<UnitLevel.DISTRICT: 'district'>, map_id=<MapId.MAP_2021: '2021-11'>), 'content')

    Attributes:
        dimension: What to group by.
        level: For ``UNIT``: province, district or commune.
        map_id: For ``UNIT``: the map whose units the records roll up to. Records of an older
            map roll up to the post-reform map through :func:`khuyencong.units.to_reform`.
    """  # noqa: E501  (a doctest output line cannot be wrapped)

    dimension: Dimension
    level: UnitLevel | None = None
    map_id: MapId | None = None

    def __attrs_post_init__(self) -> None:
        is_unit = self.dimension is Dimension.UNIT
        if is_unit and (self.level is None or self.map_id is None):
            raise ValidationError.single(
                "$.level", self.level, text("datafiles.model.unit_needs_level")
            )
        if not is_unit and (self.level is not None or self.map_id is not None):
            raise ValidationError.single(
                "$.level",
                self.level,
                text("datafiles.model.only_unit_level", dimension=self.dimension),
            )
        if self.map_id is MapId.MAP_REFORM and self.level is UnitLevel.DISTRICT:
            raise ValidationError.single(
                "$.level",
                "district",
                text("datafiles.model.reform_no_districts"),
            )

    @classmethod
    def of(cls, dimension: Dimension | str) -> Breakdown:
        """A breakdown by a non-geographic dimension."""
        return cls(Dimension(dimension))

    @classmethod
    def unit(cls, level: UnitLevel | str, map_id: MapId | str = MapId.MAP_2021) -> Breakdown:
        """A breakdown by administrative unit at ``level`` of ``map_id``."""
        return cls(Dimension.UNIT, UnitLevel(level), MapId(map_id))

    @classmethod
    def province(cls, map_id: MapId | str = MapId.MAP_2021) -> Breakdown:
        """By province of ``map_id``."""
        return cls.unit(UnitLevel.PROVINCE, map_id)

    @classmethod
    def district(cls, map_id: MapId | str = MapId.MAP_2021) -> Breakdown:
        """By district of ``map_id`` (a three-level map)."""
        return cls.unit(UnitLevel.DISTRICT, map_id)

    @classmethod
    def commune(cls, map_id: MapId | str = MapId.MAP_2021) -> Breakdown:
        """By commune of ``map_id``."""
        return cls.unit(UnitLevel.COMMUNE, map_id)

    @classmethod
    def parse(cls, text: str, map_id: MapId | str = MapId.MAP_2021) -> Breakdown:
        """Read ``district``, ``commune``, ``province`` or a :class:`Dimension` value.

        Raises:
            ValidationError: For any other text.
        """
        value = text.strip().lower()
        if value in {lv.value for lv in UnitLevel}:
            return cls.unit(value, map_id)
        try:
            return cls.of(value)
        except ValueError:
            allowed = ["province", "district", "commune", *(d.value for d in Dimension)]
            allowed.remove("unit")
            raise ValidationError.single(
                "$.by",
                text,
                Text.message("datafiles.model.not_breakdown", allowed=", ".join(allowed)).get(),
            ) from None

    def label(self, lang: Lang | None = None) -> str:
        """The column heading for this breakdown."""
        if self.level is not None:
            return text(f"indicators.level.{self.level.value}", lang)
        return text(f"indicators.dimension.{self.dimension.value}", lang)

    @property
    def multi_valued(self) -> bool:
        """Whether one record can fall under several keys."""
        return self.dimension.multi_valued


def _frozen_or_none(value: Iterable[object] | None) -> frozenset[object] | None:
    return None if value is None else _frozen(value)


def _frozen(value: Iterable[object]) -> frozenset[object]:
    """A set of values; a single value (a number, ``None``) is the library's error, not a set."""
    problem = many_problem(value)
    if problem is not None:
        raise ValidationError.single("$", value, problem)
    return frozenset(value)


def _outcomes(_filter: object, _attribute: object, value: frozenset[Measure] | None) -> None:
    """``Filter.reported`` names outcomes only (:data:`OPTIONAL_MEASURES`)."""
    if value is not None and not value <= OPTIONAL_MEASURES:
        wrong = sorted(str(getattr(v, "value", v)) for v in value - OPTIONAL_MEASURES)
        allowed = ", ".join(sorted(m.value for m in OPTIONAL_MEASURES))
        raise ValidationError.single(
            "$.reported", wrong, text("datafiles.model.not_outcome", allowed=allowed)
        )


def _inter(a: frozenset[object] | None, b: frozenset[object] | None) -> frozenset[object] | None:
    if a is None:
        return b
    if b is None:
        return a
    return a & b


@attrs.frozen
class Filter:
    """Which records an indicator (or a report scope) keeps. ``None`` keeps everything.

    Two filters combine with ``&`` (both must hold).

    >>> f = Filter(legal_forms={LegalForm.COOPERATIVE}) & Filter(groups={ContentGroup.SHOWROOM})
    >>> [x.value for x in f.legal_forms], [x.value for x in f.groups]
    (['cooperative'], ['showroom'])

    Attributes:
        contents: Support contents kept (support records; a fair counts as its fair content).
        groups: Content groups kept.
        exclude_contents: Support contents left out.
        legal_forms: Legal forms of the establishment kept.
        sectors: The establishment works in at least one of these sectors.
        exclude_sectors: The establishment works in none of these sectors.
        funds: The record is paid (at least partly) from one of these funds.
        fair_kinds: Domestic or overseas fairs kept.
        award_levels: Award levels kept.
        recognised_only: Only recognised (certified) award entries.
        stars: OCOP stars kept.
        with_partners: ``True``: only work with partners; ``False``: only work done alone.
        partners: Only records naming one of these partners.
        lead_agencies: Only records led by one of these agencies.
        project_ids: Only records of these projects (projects: these ids).
        establishment_ids: Only records of these establishments.
        project_statuses: Projects in one of these states.
        reported: Only records whose beneficiary reported at least one of these outcomes
            (:data:`OPTIONAL_MEASURES`; a missing value is not zero). Records of a kind that
            has no outcomes (fairs, awards, ratings, projects) never pass it. An indicator
            counting records (``OCCURRENCES``) with ``reported={JOBS_CREATED, INCOME_CHANGE}``
            counts the records that reported either, each once.
    """

    contents: frozenset[SupportContent] | None = attrs.field(
        default=None, converter=_frozen_or_none
    )
    groups: frozenset[ContentGroup] | None = attrs.field(default=None, converter=_frozen_or_none)
    exclude_contents: frozenset[SupportContent] = attrs.field(
        default=frozenset(), converter=_frozen
    )
    legal_forms: frozenset[LegalForm] | None = attrs.field(default=None, converter=_frozen_or_none)
    sectors: frozenset[Sector] | None = attrs.field(default=None, converter=_frozen_or_none)
    exclude_sectors: frozenset[Sector] = attrs.field(default=frozenset(), converter=_frozen)
    funds: frozenset[Fund] | None = attrs.field(default=None, converter=_frozen_or_none)
    fair_kinds: frozenset[FairKind] | None = attrs.field(default=None, converter=_frozen_or_none)
    award_levels: frozenset[AwardLevel] | None = attrs.field(
        default=None, converter=_frozen_or_none
    )
    recognised_only: bool = False
    stars: frozenset[int] | None = attrs.field(default=None, converter=_frozen_or_none)
    with_partners: bool | None = None
    partners: frozenset[str] | None = attrs.field(default=None, converter=_frozen_or_none)
    lead_agencies: frozenset[str] | None = attrs.field(default=None, converter=_frozen_or_none)
    project_ids: frozenset[str] | None = attrs.field(default=None, converter=_frozen_or_none)
    establishment_ids: frozenset[str] | None = attrs.field(default=None, converter=_frozen_or_none)
    project_statuses: frozenset[ProjectStatus] | None = attrs.field(
        default=None, converter=_frozen_or_none
    )
    reported: frozenset[Measure] | None = attrs.field(
        default=None, converter=_frozen_or_none, validator=_outcomes
    )

    def __and__(self, other: Filter) -> Filter:
        if not isinstance(other, Filter):
            return NotImplemented
        if (
            self.with_partners is not None
            and other.with_partners is not None
            and self.with_partners != other.with_partners
        ):
            msg = text("datafiles.model.partners_conflict")
            raise ValidationError.single("$.with_partners", other.with_partners, msg)
        return Filter(
            contents=_inter(self.contents, other.contents),
            groups=_inter(self.groups, other.groups),
            exclude_contents=self.exclude_contents | other.exclude_contents,
            legal_forms=_inter(self.legal_forms, other.legal_forms),
            sectors=_inter(self.sectors, other.sectors),
            exclude_sectors=self.exclude_sectors | other.exclude_sectors,
            funds=_inter(self.funds, other.funds),
            fair_kinds=_inter(self.fair_kinds, other.fair_kinds),
            award_levels=_inter(self.award_levels, other.award_levels),
            recognised_only=self.recognised_only or other.recognised_only,
            stars=_inter(self.stars, other.stars),
            with_partners=(
                self.with_partners if self.with_partners is not None else other.with_partners
            ),
            partners=_inter(self.partners, other.partners),
            lead_agencies=_inter(self.lead_agencies, other.lead_agencies),
            project_ids=_inter(self.project_ids, other.project_ids),
            establishment_ids=_inter(self.establishment_ids, other.establishment_ids),
            project_statuses=_inter(self.project_statuses, other.project_statuses),
            reported=_inter(self.reported, other.reported),
        )

    def content_allowed(self, content: SupportContent) -> bool:
        """Whether a record of ``content`` passes the content filters."""
        return (
            (self.contents is None or content in self.contents)
            and (self.groups is None or content.group in self.groups)
            and content not in self.exclude_contents
        )


def _register_filter_writer() -> None:
    """Write a :class:`Filter` without ``reported`` while it is unset.

    ``reported`` came after the service's contract and the reports' JSON were published: a
    filter that does not use it is written as before, so existing answers stay byte for byte
    the same and a client that refuses unknown keys keeps reading them.
    """
    from cattrs.gen import make_dict_unstructure_fn, override  # noqa: PLC0415
    from cattrs.preconf.json import JsonConverter  # noqa: PLC0415

    from khuyencong.converters import converter  # noqa: PLC0415

    write = make_dict_unstructure_fn(Filter, converter, reported=override(omit_if_default=True))
    # Through the base class, as the library registers its own hooks: the stores' fast
    # writers never write a filter, so they stay on.
    JsonConverter.register_unstructure_hook(converter, Filter, write)


_register_filter_writer()


@attrs.frozen
class Indicator:
    """An indicator definition.

    Attributes:
        code: The stable code (``establishments_supported``).
        label_vi: The Vietnamese label.
        label_en: The English label.
        unit: The unit of its figures.
        kind: The kind of record it reads.
        counting: What it counts.
        date_field: The date that places a record in a period (a declared choice).
        filter: Which records it keeps.
        measure: The field summed, for PERSONS, MONEY and QUANTITY. An optional measure
            (:data:`OPTIONAL_MEASURES`) also keeps only the records that have a value for it.
        by: Its natural breakdown (``supported_by_content`` is by content), if any.
        note_vi: The counting rule in Vietnamese, for report footnotes.
        note_en: The counting rule in English.
    """

    code: str
    label_vi: str
    label_en: str
    unit: Unit
    kind: RecordKind
    counting: Counting
    date_field: DateField
    filter: Filter = attrs.field(factory=Filter)
    measure: Measure | None = None
    by: tuple[Breakdown, ...] = ()
    note_vi: str = ""
    note_en: str = ""

    def __attrs_post_init__(self) -> None:
        args = Arguments()
        args.instance(self.kind, "kind", RecordKind)
        args.instance(self.counting, "counting", Counting)
        args.instance(self.date_field, "date_field", DateField)
        args.optional(self.measure, "measure", Measure)
        args.check()
        if self.date_field not in DATE_FIELDS[self.kind]:
            allowed = ", ".join(sorted(DATE_FIELDS[self.kind]))
            raise ValidationError.single(
                "$.date_field",
                self.date_field.value,
                text("datafiles.model.no_such_date", kind=self.kind.value, allowed=allowed),
            )
        needs_measure = self.counting in (Counting.PERSONS, Counting.MONEY, Counting.QUANTITY)
        if needs_measure and self.measure not in MEASURES[self.kind]:
            allowed = ", ".join(sorted(MEASURES[self.kind])) or text("datafiles.model.no_measure")
            raise ValidationError.single(
                "$.measure",
                None if self.measure is None else self.measure.value,
                text(
                    "datafiles.model.needs_measure",
                    counting=self.counting.value,
                    kind=self.kind.value,
                    allowed=allowed,
                ),
            )
        if self.counting is Counting.PRODUCTS and self.kind not in (
            RecordKind.AWARD,
            RecordKind.OCOP,
        ):
            raise ValidationError.single("$.counting", "products", text("datafiles.model.products"))

    def label(self, lang: Lang | None = None) -> str:
        """The label in ``lang`` (the language in force by default)."""
        return Text(self.label_vi, self.label_en).get(lang)

    def note(self, lang: Lang | None = None) -> str:
        """The counting rule in ``lang`` (the language in force by default)."""
        return Text(self.note_vi, self.note_en).get(lang)

    def with_date(self, field: DateField | str) -> Indicator:
        """The same indicator, placing records in a period by another date."""
        return attrs.evolve(self, date_field=DateField(field))

    def where(self, extra: Filter) -> Indicator:
        """The same indicator, keeping only records that also pass ``extra``."""
        return attrs.evolve(self, filter=self.filter & extra)

    def by_default(self, *by: Breakdown) -> Indicator:
        """The same indicator with another natural breakdown."""
        return attrs.evolve(self, by=tuple(by))


# Contents delivered to a group of establishments at once (a class, a workshop, media,
# programme running costs): their records are counted in persons or in money, not in
# establishments supported. A class is recorded once, under the establishment that hosted it.
COLLECTIVE_CONTENTS = frozenset(
    {
        SupportContent.MANAGEMENT_TRAINING,
        SupportContent.WORKSHOP_STUDY_TOUR,
        SupportContent.MEDIA,
        SupportContent.PROGRAMME_MANAGEMENT,
        SupportContent.INTERNATIONAL_COOPERATION,
        SupportContent.DOMESTIC_FAIR_ORGANISING,
        SupportContent.AWARD_ROUND_REGIONAL,
        SupportContent.AWARD_ROUND_NATIONAL,
        SupportContent.STUDY_TOUR_AIR_TICKETS,
        SupportContent.CLUSTER_PLANNING,
        SupportContent.CLUSTER_INFRASTRUCTURE,
        SupportContent.POLLUTION_TREATMENT_CLUSTER,
        SupportContent.ASSOCIATION_REGIONAL,
        SupportContent.ASSOCIATION_NATIONAL,
    }
)

_S = RecordKind.SUPPORT
_C = SupportContent
_DIRECT = Filter(exclude_contents=COLLECTIVE_CONTENTS)
_DISTINCT_VI = "Mỗi cơ sở được đếm một lần trong kỳ dù nhận nhiều lần hỗ trợ."
_DISTINCT_EN = "Each establishment counts once in the period, however many supports it received."


_OUTCOME_VI = (
    "Kết quả do cơ sở báo cáo sau hỗ trợ; bản ghi không có số liệu không được tính (không coi "
    "là 0). Tính vào kỳ theo ngày báo cáo kết quả, nếu không có thì theo ngày thực hiện."
)
_OUTCOME_EN = (
    "Outcomes reported by beneficiaries after support; records without a reported value are "
    "left out (not taken as zero). Placed in the period by the report date, else the delivery "
    "date."
)


def _ind(*items: Indicator) -> dict[str, Indicator]:
    return {i.code: i for i in items}


STANDARD_INDICATORS: Mapping[str, Indicator] = _ind(
    Indicator(
        "establishments_supported",
        "Số cơ sở được hỗ trợ",
        "Establishments supported",
        Unit.ESTABLISHMENTS,
        _S,
        Counting.DISTINCT_ESTABLISHMENTS,
        DateField.DELIVERED_ON,
        _DIRECT,
        note_vi=_DISTINCT_VI + " Lớp tập huấn, hội thảo tập thể được tính theo học viên.",
        note_en=_DISTINCT_EN + " Collective classes and workshops are counted in persons.",
    ),
    Indicator(
        "supported_by_content",
        "Số cơ sở được hỗ trợ theo nội dung",
        "Establishments supported, by content",
        Unit.ESTABLISHMENTS,
        _S,
        Counting.DISTINCT_ESTABLISHMENTS,
        DateField.DELIVERED_ON,
        _DIRECT,
        by=(Breakdown.of(Dimension.CONTENT_GROUP),),
        note_vi=_DISTINCT_VI + " Một cơ sở nhận nhiều nội dung được tính ở mỗi nội dung.",
        note_en=_DISTINCT_EN + " One receiving several contents counts under each.",
    ),
    Indicator(
        "trainees",
        "Số học viên được đào tạo nghề, truyền nghề",
        "People trained (vocational, craft transmission)",
        Unit.PERSONS,
        _S,
        Counting.PERSONS,
        DateField.DELIVERED_ON,
        Filter(groups={ContentGroup.TRAINING}),
        measure=Measure.TRAINEES,
        note_vi="Một người học hai lớp được tính hai lần.",
        note_en="A person in two classes counts twice.",
    ),
    Indicator(
        "management_trainees",
        "Số học viên được bồi dưỡng nâng cao năng lực quản lý",
        "People trained in management capacity",
        Unit.PERSONS,
        _S,
        Counting.PERSONS,
        DateField.DELIVERED_ON,
        Filter(contents={_C.MANAGEMENT_TRAINING}),
        measure=Measure.TRAINEES,
        note_vi="Một người học hai lớp được tính hai lần.",
        note_en="A person in two classes counts twice.",
    ),
    Indicator(
        "demonstration_models",
        "Số mô hình trình diễn kỹ thuật",
        "Demonstration models built",
        Unit.MODELS,
        _S,
        Counting.QUANTITY,
        DateField.DELIVERED_ON,
        Filter(
            contents={
                _C.DEMONSTRATION_MODEL,
                _C.REPLICATION_MODEL,
                _C.CLEANER_PRODUCTION_PILOT,
            }
        ),
        measure=Measure.QUANTITY,
    ),
    Indicator(
        "machinery_applications",
        "Số cơ sở ứng dụng máy móc, dây chuyền công nghệ tiên tiến",
        "Establishments supported with advanced machinery or technology lines",
        Unit.ESTABLISHMENTS,
        _S,
        Counting.DISTINCT_ESTABLISHMENTS,
        DateField.DELIVERED_ON,
        Filter(contents={_C.MACHINERY, _C.TECHNOLOGY_LINE, _C.TECHNOLOGY_TRANSFER}),
        note_vi=_DISTINCT_VI,
        note_en=_DISTINCT_EN,
    ),
    Indicator(
        "design_consulting",
        "Số cơ sở được tư vấn thiết kế mẫu mã, bao bì, nhãn mác, tem truy xuất",
        "Establishments supported with packaging, label and traceability design",
        Unit.ESTABLISHMENTS,
        _S,
        Counting.DISTINCT_ESTABLISHMENTS,
        DateField.DELIVERED_ON,
        Filter(contents={_C.DESIGN_CONSULTING}),
        note_vi=_DISTINCT_VI,
        note_en=_DISTINCT_EN,
    ),
    Indicator(
        "showrooms",
        "Số phòng trưng bày, điểm giới thiệu, bán sản phẩm",
        "Showrooms and sales points supported",
        Unit.UNITS,
        _S,
        Counting.QUANTITY,
        DateField.DELIVERED_ON,
        Filter(contents={_C.SHOWROOM}),
        measure=Measure.QUANTITY,
    ),
    Indicator(
        "fair_participations",
        "Số lượt tham gia hội chợ, triển lãm",
        "Participations in fairs and exhibitions",
        Unit.PARTICIPATIONS,
        RecordKind.FAIR,
        Counting.OCCURRENCES,
        DateField.START_ON,
        by=(Breakdown.of(Dimension.FAIR_KIND),),
        note_vi="Tính theo lượt: một cơ sở dự năm hội chợ được tính năm lượt.",
        note_en="Occurrences: the same establishment at five fairs counts five.",
    ),
    Indicator(
        "awarded_products",
        "Số sản phẩm công nghiệp nông thôn tiêu biểu được công nhận",
        "Typical rural-industrial products recognised",
        Unit.PRODUCTS,
        RecordKind.AWARD,
        Counting.PRODUCTS,
        DateField.CERTIFICATE_ISSUED_ON,
        Filter(recognised_only=True),
        by=(Breakdown.of(Dimension.AWARD_LEVEL),),
        note_vi="Sản phẩm được công nhận ở cấp tỉnh rồi cấp quốc gia được tính ở mỗi cấp.",
        note_en="A product recognised at province and then nation counts once at each level.",
    ),
    Indicator(
        "ocop_products",
        "Số sản phẩm OCOP",
        "OCOP-rated products",
        Unit.PRODUCTS,
        RecordKind.OCOP,
        Counting.PRODUCTS,
        DateField.RATED_ON,
        by=(Breakdown.of(Dimension.STARS),),
    ),
    Indicator(
        "funds_disbursed",
        "Kinh phí khuyến công đã giải ngân",
        "Promotion funds disbursed",
        Unit.VND,
        _S,
        Counting.MONEY,
        DateField.DELIVERED_ON,
        measure=Measure.PUBLIC,
        by=(Breakdown.of(Dimension.FUND),),
        note_vi="Kinh phí quốc gia và địa phương; theo nguồn, mỗi nguồn tính phần của mình.",
        note_en="National plus local fund; by fund, each fund gets its own part.",
    ),
    Indicator(
        "fair_funds",
        "Kinh phí hỗ trợ tham gia hội chợ, triển lãm",
        "Fair participation support paid",
        Unit.VND,
        RecordKind.FAIR,
        Counting.MONEY,
        DateField.START_ON,
        measure=Measure.FAIR_SUPPORT,
    ),
    Indicator(
        "co_funding",
        "Kinh phí đối ứng của cơ sở",
        "Beneficiary co-funding",
        Unit.VND,
        _S,
        Counting.MONEY,
        DateField.DELIVERED_ON,
        measure=Measure.CO_FUNDING,
    ),
    Indicator(
        "approved_support",
        "Kinh phí hỗ trợ được phê duyệt",
        "Support approved",
        Unit.VND,
        RecordKind.PROJECT,
        Counting.MONEY,
        DateField.APPROVED_ON,
        measure=Measure.APPROVED,
    ),
    Indicator(
        "jobs_created",
        "Số việc làm mới do cơ sở báo cáo sau hỗ trợ",
        "New jobs reported by beneficiaries after support",
        Unit.JOBS,
        _S,
        Counting.PERSONS,
        DateField.REPORTED_OR_DELIVERED_ON,
        measure=Measure.JOBS_CREATED,
        note_vi=_OUTCOME_VI,
        note_en=_OUTCOME_EN,
    ),
    Indicator(
        "income_change",
        "Thay đổi thu nhập của thành viên, người lao động do cơ sở báo cáo (đồng/năm)",
        "Change in members' and workers' income reported by beneficiaries (VND per year)",
        Unit.VND,
        _S,
        Counting.MONEY,
        DateField.REPORTED_OR_DELIVERED_ON,
        measure=Measure.INCOME_CHANGE,
        note_vi=_OUTCOME_VI + " Thu nhập giảm được tính là số âm.",
        note_en=_OUTCOME_EN + " A fall in income counts as a negative amount.",
    ),
)
"""The standard indicator set (the docs page "Counting semantics of indicators"), by code.

``jobs_created`` and ``income_change`` sum the outcomes beneficiaries reported; the records
behind each figure are those that reported (their number is how many reported).

Ratios and lists (``disbursement_rate``, ``counterpart_ratio``, ``coverage``, ``sector_mix``,
``average_project_size``) are computed by their own functions from these.
"""
