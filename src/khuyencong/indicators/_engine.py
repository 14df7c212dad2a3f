"""Computing indicators over a source: totals, breakdowns, drill-down, ratios and coverage.

>>> import datetime as dt
>>> from khuyencong.domain import Establishment, LegalForm, Period, Sector, SupportContent
>>> from khuyencong.domain import SupportRecord
>>> from khuyencong.indicators import RecordSet
>>> from khuyencong.units import MapId, UnitRef
>>> est = [Establishment(id=f"E{i}", name=f"HTX {i}", legal_form=LegalForm.COOPERATIVE,
...        location=UnitRef(MapId.MAP_2021, "07525"), sectors=[Sector.HANDICRAFTS])
...        for i in (1, 2)]
>>> sup = [SupportRecord(id=f"S{i}", establishment_id=e, content=c,
...        delivered_on=dt.date(2018, 1, i))
...        for i, (e, c) in enumerate([("E1", SupportContent.DESIGN_CONSULTING),
...                                    ("E1", SupportContent.SHOWROOM),
...                                    ("E2", SupportContent.DESIGN_CONSULTING)], 1)]
>>> data = RecordSet(establishments=est, support_records=sup)
>>> r = compute(STANDARD_INDICATORS["supported_by_content"], data, Period.year(2018))
>>> r.value, r.get("design_consulting"), r.records_behind("showroom")
(2, 2, ('S2',))
>>> compute(STANDARD_INDICATORS["establishments_supported"], data, Period.year(2018),
...         by=[Breakdown.district()]).get("219")
2
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence

from khuyencong._arguments import Arguments
from khuyencong.domain import (
    AwardLevel,
    ContentGroup,
    FairKind,
    Fund,
    LegalForm,
    Period,
    ProjectStatus,
    Sector,
    SupportContent,
)
from khuyencong.exceptions import NotFoundError, UnitMappingError
from khuyencong.indicators._model import (
    STANDARD_INDICATORS,
    Breakdown,
    Counting,
    DateField,
    Dimension,
    Filter,
    Indicator,
    Measure,
    RecordKind,
)
from khuyencong.indicators._results import (
    Coverage,
    Figure,
    IndicatorResult,
    ProjectSize,
    Ratio,
    SectorMix,
    sort_rows,
)
from khuyencong.indicators._source import UNKNOWN_KEY, AggregateQuery, IndicatorSource
from khuyencong.indicators._stores import Source, source_for
from khuyencong.messages import Lang, resolve_language, text
from khuyencong.units import (
    AdminUnit,
    MapId,
    UnitLevel,
    UnitRef,
    load_map,
    province_to_reform,
    to_reform,
)

__all__ = [
    "compute",
    "compute_standard",
    "counterpart_ratio",
    "coverage",
    "disbursement_rate",
    "key_label",
    "project_size",
    "sector_mix",
    "unit_keys",
]

_ENUMS: Mapping[Dimension, type[SupportContent | ContentGroup | LegalForm | Sector | Fund]] = {
    Dimension.CONTENT: SupportContent,
    Dimension.CONTENT_GROUP: ContentGroup,
    Dimension.LEGAL_FORM: LegalForm,
    Dimension.SECTOR: Sector,
    Dimension.FUND: Fund,
}
_OTHER_ENUMS: Mapping[Dimension, type[FairKind | AwardLevel]] = {
    Dimension.FAIR_KIND: FairKind,
    Dimension.AWARD_LEVEL: AwardLevel,
}
# Keys that are words rather than codes (indicators.toml, "key.<word>").
_WORDS = frozenset({UNKNOWN_KEY, "none", "alone", "with_partners"})


def _ancestor_at(unit: AdminUnit, level: UnitLevel) -> str | None:
    if unit.level is level:
        return unit.code
    for above in load_map(unit.map_id).ancestors(unit.code):
        if above.level is level:
            return above.code
    return None


@functools.cache
def _unit_key(ref: UnitRef, breakdown: Breakdown) -> str | None:
    level, target = breakdown.level, breakdown.map_id
    if level is None or target is None:  # pragma: no cover  (Breakdown validates this)
        return None
    unit = ref.resolve()
    if unit.map_id is target:
        return _ancestor_at(unit, level)
    if target is MapId.MAP_REFORM:
        if level is UnitLevel.PROVINCE:
            return province_to_reform(unit.province_code).code
        if unit.level is not UnitLevel.COMMUNE:
            return None
        try:
            mapping = to_reform(unit)
        except UnitMappingError:
            return None
        return None if mapping.new_commune is None else mapping.new_commune.code
    target_map = load_map(target)
    if unit.code in target_map:
        return _ancestor_at(target_map.get(unit.code), level)
    return None


def unit_keys(
    refs: Iterable[UnitRef], breakdown: Breakdown
) -> tuple[dict[UnitRef, str], tuple[str, ...]]:
    """The target-unit key of each unit reference, and the codes that cannot be rolled up.

    Units of the breakdown's map roll up through their ancestors; units of an older map roll up
    to the post-reform map through :func:`khuyencong.units.to_reform` (provinces always;
    communes when the merger list places them without a guess).

    >>> from khuyencong.units import MapId, UnitRef
    >>> keys, bad = unit_keys([UnitRef(MapId.MAP_2021, "07525")], Breakdown.province("2025-reform"))
    >>> keys[UnitRef(MapId.MAP_2021, "07525")], bad
    ('24', ())

    Raises:
        ValidationError: If ``refs`` are not unit references or ``breakdown`` no breakdown.
    """
    args = Arguments()
    refs = args.each(refs, "refs", UnitRef)
    args.instance(breakdown, "breakdown", Breakdown)
    args.check()
    keys: dict[UnitRef, str] = {}
    unmapped: list[str] = []
    for ref in refs:
        key = _unit_key(ref, breakdown)
        if key is None:
            unmapped.append(f"{ref.map_id.value}:{ref.code}")
            keys[ref] = UNKNOWN_KEY
        else:
            keys[ref] = key
    return keys, tuple(sorted(unmapped))


def key_label(breakdown: Breakdown, key: str, lang: Lang | None = None) -> str:
    """The label of a breakdown key in ``lang`` (unit names, enum labels, plain words).

    A unit's own name is a proper name: English keeps its diacritics.

    >>> key_label(Breakdown.of("content_group"), "training", "en")
    'Vocational training'
    >>> key_label(Breakdown.district(), "219", "vi"), key_label(Breakdown.district(), "219", "en")
    ('Huyện Lục Ngạn', 'Lục Ngạn district')

    Raises:
        ValidationError: If ``breakdown`` is no breakdown or ``key`` no text.
    """
    args = Arguments()
    args.instance(breakdown, "breakdown", Breakdown)
    args.instance(key, "key", str)
    args.check()
    return _key_label(breakdown, key, resolve_language(lang))


@functools.cache
def _key_label(breakdown: Breakdown, key: str, lang: Lang) -> str:
    if key in _WORDS:
        return text(f"indicators.key.{key}", lang)
    d = breakdown.dimension
    if d is Dimension.UNIT and breakdown.map_id is not None:
        try:
            unit = load_map(breakdown.map_id).get(key)
        except NotFoundError:
            return key
        return unit.label(lang)
    enum_cls = _ENUMS.get(d) or _OTHER_ENUMS.get(d)
    if enum_cls is not None:
        try:
            return enum_cls(key).label(lang)
        except ValueError:
            return key
    if d is Dimension.STARS:
        return text("indicators.key.stars", lang, stars=key)
    return key


def _check(period: object, scope: object, **others: tuple[object, type]) -> None:
    """Refuse a period that is not a :class:`~khuyencong.domain.Period`, a scope that is not a
    :class:`Filter` (or ``None``), or another argument of the wrong kind, naming each."""
    args = Arguments()
    args.instance(period, "period", Period)
    args.optional(scope, "scope", Filter)
    for name, (value, kind) in others.items():
        args.instance(value, name, kind)
    args.check()


def _resolve_scope(indicator: Indicator, scope: Filter | None) -> Filter:
    return indicator.filter if scope is None else indicator.filter & scope


def compute(
    indicator: Indicator,
    source: Source,
    period: Period,
    *,
    by: Sequence[Breakdown] | None = None,
    scope: Filter | None = None,
    date_field: DateField | None = None,
    drill_down: bool = True,
) -> IndicatorResult:
    """Compute one indicator over ``period``.

    Args:
        indicator: The definition.
        source: Where the records are: a :class:`RecordSet`, a store (given directly; see
            :func:`source_for`) or a :class:`~khuyencong.domain.Dataset`.
        period: The period; a record is in it when its ``date_field`` is.
        by: The breakdown (default: the indicator's own, e.g. by content); ``[]`` for a total.
        scope: A report-wide filter (e.g. cooperatives only) added to the indicator's.
        date_field: Overrides the indicator's declared date field.
        drill_down: Keep the ids of the records behind each figure.

    Returns:
        The total, the breakdown, and the records behind every figure.

    Raises:
        ValidationError: If the date field does not fit the kind of record, or an argument is
            of the wrong kind (naming it).
    """
    _check(period, scope, indicator=(indicator, Indicator))
    args = Arguments()
    if by is not None:
        by = args.each(by, "by", Breakdown)
    args.optional(date_field, "date_field", DateField)
    args.check()
    source = source_for(source)
    if date_field is not None:
        indicator = indicator.with_date(date_field)
    breakdown = tuple(indicator.by if by is None else by)
    keys: list[Mapping[UnitRef, str] | None] = []
    unmapped: list[str] = []
    for b in breakdown:
        if b.dimension is Dimension.UNIT:
            mapping, bad = unit_keys(source.unit_refs(indicator.kind), b)
            keys.append(mapping)
            unmapped.extend(bad)
        else:
            keys.append(None)
    flt = _resolve_scope(indicator, scope)
    query = AggregateQuery(
        kind=indicator.kind,
        counting=indicator.counting,
        measure=indicator.measure,
        date_field=indicator.date_field,
        period=period,
        filter=flt,
        by=breakdown,
        unit_keys=tuple(keys),
        drill_down=drill_down,
    )
    agg = source.aggregate(query)
    rows = [
        Figure(
            key,
            tuple(key_label(b, k, "vi") for b, k in zip(breakdown, key, strict=True)),
            tuple(key_label(b, k, "en") for b, k in zip(breakdown, key, strict=True)),
            cell.value,
            cell.record_ids,
        )
        for key, cell in agg.groups.items()
    ]
    total = Figure((), (), (), agg.total.value, agg.total.record_ids)
    return IndicatorResult(
        indicator, period, breakdown, total, sort_rows(rows), flt, tuple(sorted(set(unmapped)))
    )


def compute_standard(
    source: Source,
    period: Period,
    *,
    scope: Filter | None = None,
    drill_down: bool = True,
    indicators: Mapping[str, Indicator] = STANDARD_INDICATORS,
) -> dict[str, IndicatorResult]:
    """Every indicator of the standard set (or ``indicators``) with its own breakdown.

    >>> from khuyencong.domain import Period
    >>> from khuyencong.indicators import RecordSet
    >>> sorted(compute_standard(RecordSet(), Period.year(2020)))[:3]
    ['approved_support', 'awarded_products', 'co_funding']
    """
    _check(period, scope, indicators=(indicators, Mapping))
    records = source_for(source)  # read a store once, not once per indicator
    return {
        code: compute(ind, records, period, scope=scope, drill_down=drill_down)
        for code, ind in indicators.items()
    }


def _provinces_reached(source: IndicatorSource, map_id: MapId) -> tuple[str, ...]:
    b = Breakdown.province(map_id)
    mapping, _bad = unit_keys(source.unit_refs(RecordKind.SUPPORT), b)
    return tuple(sorted({k for k in mapping.values() if k != UNKNOWN_KEY}))


def coverage(
    source: Source,
    period: Period,
    *,
    level: UnitLevel | str = UnitLevel.DISTRICT,
    map_id: MapId | str = MapId.MAP_2021,
    within: str | Sequence[str] | None = None,
    scope: Filter | None = None,
) -> Coverage:
    """Which districts or communes of a map had at least one supported establishment.

    Args:
        source: Where the records are.
        period: The period.
        level: District, commune (or province).
        map_id: The map whose units are counted; old-map records roll up to the post-reform
            map.
        within: Province code(s) of ``map_id`` giving the denominator (default: every
            province the records reach).
        scope: A report-wide filter (e.g. cooperatives only).

    Returns:
        The units reached (with their establishment counts) and those not reached.
    """
    _check(period, scope)
    if within is not None and not isinstance(within, str):
        args = Arguments()
        within = args.each(within, "within", str)
        args.check()
    source = source_for(source)
    lv, mid = UnitLevel(level), MapId(map_id)
    provinces = (
        (within,) if isinstance(within, str) else tuple(within or _provinces_reached(source, mid))
    )
    b = Breakdown.unit(lv, mid)
    result = compute(
        STANDARD_INDICATORS["establishments_supported"],
        source,
        period,
        by=[b],
        scope=scope,
        drill_down=False,
    )
    target = load_map(mid)
    units: list[AdminUnit] = []
    for code in provinces:
        if lv is UnitLevel.PROVINCE:
            units.append(target.get(code))
        elif lv is UnitLevel.DISTRICT:
            units.extend(target.districts(code))
        else:
            units.extend(target.communes(code))
    counts = {row.key[0]: row.value for row in result.rows}
    reached = tuple((u.code, u.full_name, counts[u.code]) for u in units if u.code in counts)
    missing = tuple((u.code, u.full_name) for u in units if u.code not in counts)
    return Coverage(lv, mid, provinces, reached, missing)


def sector_mix(source: Source, period: Period, *, scope: Filter | None = None) -> SectorMix:
    """Distinct establishments supported by sector, and how many are outside agro-food processing.

    An establishment with several sectors counts under each; "outside" means none of its
    sectors is agro-food processing (45/2012 Điều 5 point a).
    """
    _check(period, scope)
    source = source_for(source)
    base = STANDARD_INDICATORS["establishments_supported"]
    by_sector = compute(
        base, source, period, by=[Breakdown.of(Dimension.SECTOR)], scope=scope, drill_down=False
    )
    outside = compute(
        base.where(Filter(exclude_sectors={Sector.AGRO_FOOD_PROCESSING})),
        source,
        period,
        by=[],
        scope=scope,
        drill_down=False,
    )
    rows = tuple((r.key[0], r.labels_vi[0], r.labels_en[0], r.value) for r in by_sector.rows)
    return SectorMix(rows, by_sector.value, outside.value)


_APPROVED = STANDARD_INDICATORS["approved_support"]
_LIVE = Filter(
    project_statuses={
        ProjectStatus.APPROVED,
        ProjectStatus.IN_PROGRESS,
        ProjectStatus.ACCEPTED,
        ProjectStatus.SETTLED,
        ProjectStatus.CANCELLED,
    }
)


def project_size(source: Source, period: Period, *, scope: Filter | None = None) -> ProjectSize:
    """Approved support per project, for projects approved in ``period`` (mean, median)."""
    _check(period, scope)
    source = source_for(source)
    result = compute(
        _APPROVED.where(_LIVE),
        source,
        period,
        by=[Breakdown.of(Dimension.PROJECT)],
        scope=scope,
        drill_down=False,
    )
    return ProjectSize(tuple(sorted(r.value for r in result.rows)))


def disbursement_rate(source: Source, period: Period, *, scope: Filter | None = None) -> Ratio:
    """Disbursed ÷ approved, for the projects approved in ``period``.

    Approved is the approved support of the projects approved in the period; disbursed is the
    public money (national + local) of the support records and fair supports of those
    projects, whenever paid.
    """
    _check(period, scope)
    source = source_for(source)
    approved = compute(
        _APPROVED.where(_LIVE),
        source,
        period,
        by=[Breakdown.of(Dimension.PROJECT)],
        scope=scope,
        drill_down=False,
    )
    ids = frozenset(r.key[0] for r in approved.rows)
    everything = Period(period.start.replace(year=1900), period.end.replace(year=2999))
    support = compute(
        STANDARD_INDICATORS["funds_disbursed"].where(Filter(project_ids=ids)),
        source,
        everything,
        by=[],
        drill_down=False,
    )
    fairs = compute(
        STANDARD_INDICATORS["fair_funds"].where(Filter(project_ids=ids)),
        source,
        everything,
        by=[],
        drill_down=False,
    )
    return Ratio.of("disbursement_rate", support.value + fairs.value, approved.value)


def counterpart_ratio(source: Source, period: Period, *, scope: Filter | None = None) -> Ratio:
    """Beneficiary co-funding ÷ total cost (public money + co-funding) of support in ``period``."""
    _check(period, scope)
    source = source_for(source)
    co = compute(
        STANDARD_INDICATORS["co_funding"], source, period, by=[], scope=scope, drill_down=False
    )
    total_cost = STANDARD_INDICATORS["co_funding"]
    total = compute(
        Indicator(
            "total_cost",
            text("indicators.ratio.total_cost", "vi"),
            text("indicators.ratio.total_cost", "en"),
            total_cost.unit,
            RecordKind.SUPPORT,
            Counting.MONEY,
            DateField.DELIVERED_ON,
            measure=Measure.TOTAL_COST,
        ),
        source,
        period,
        by=[],
        scope=scope,
        drill_down=False,
    )
    return Ratio.of("counterpart_ratio", co.value, total.value)
