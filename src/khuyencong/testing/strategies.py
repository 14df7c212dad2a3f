"""Hypothesis strategies for every public domain type, for your own property tests.

Every strategy draws *valid* objects: tax numbers built with a correct check digit, unit codes
that exist in the map, money as integer đồng, scores as Decimal. Combine them with
:func:`hypothesis.strategies.builds` or ``.map`` to make the cases your rules care about.

:func:`establishments` draws, by default, establishments the national rules can *decide* on any
date :func:`dates` draws: ``check_eligibility`` returns a decision (eligible or not) instead of
raising because a value is not configured, two exceptions conflict or a place cannot be put on
the post-reform map. Pass ``decidable=False`` to draw every valid establishment, including those
(wards whose city grade the caller must supply, service organisations after 15/10/2025, places
the 2025 merger list splits) for which an application must handle those errors.

>>> from hypothesis import given
>>> @given(establishments())
... def test_name_is_nfc(e):
...     import unicodedata
...     assert unicodedata.normalize("NFC", e.name) == e.name
>>> test_name_is_nfc()
"""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal
from typing import Any

import attrs
from hypothesis import strategies as st

from khuyencong.domain import (
    AreaDifficulty,
    Artisan,
    ArtisanTitle,
    AwardEntry,
    AwardLevel,
    BudgetEnvelope,
    BusinessSectorGroup,
    Citation,
    Confidence,
    CraftVillageClaim,
    Establishment,
    FairKind,
    FairParticipation,
    Fund,
    LegalForm,
    OcopRating,
    Period,
    ProductGroup,
    Project,
    ProjectContent,
    ProjectKind,
    ProjectStatus,
    Sector,
    SizeClass,
    SupportContent,
    SupportRecord,
    check_digit,
)
from khuyencong.exceptions import UnitMappingError
from khuyencong.units import MapId, UnitLevel, UnitRef, UnitType, load_map, to_reform

__all__ = [
    "artisans",
    "award_entries",
    "budget_envelopes",
    "citations",
    "craft_village_claims",
    "dates",
    "establishments",
    "fair_participations",
    "identifiers",
    "money",
    "ocop_ratings",
    "periods",
    "personal_numbers",
    "project_contents",
    "projects",
    "scores",
    "support_records",
    "tax_numbers",
    "unit_refs",
    "vietnamese_names",
]

_VI_WORDS = (
    "Hợp tác xã",
    "Mỳ gạo Chũ",
    "Vải thiều Lục Ngạn",
    "Gà đồi Yên Thế",
    "Mộc Bãi Ổi",
    "Nấm",
    "Đông Thương",
    "Châu Sơn",
    "Thủ Dương",
    "Nông nghiệp",
    "Dịch vụ",
    "Sản xuất",
)


def dates(
    min_value: dt.date = dt.date(2012, 7, 5), max_value: dt.date = dt.date(2030, 12, 31)
) -> st.SearchStrategy[dt.date]:
    """Dates, by default from the effective date of 45/2012/NĐ-CP to 2030."""
    return st.dates(min_value=min_value, max_value=max_value)


def money(max_value: int = 10_000_000_000) -> st.SearchStrategy[int]:
    """Amounts in integer đồng, from 0 to ``max_value`` (default 10 billion)."""
    return st.integers(min_value=0, max_value=max_value)


def scores() -> st.SearchStrategy[Decimal]:
    """Scores out of 100 with up to two decimals."""
    return st.integers(min_value=0, max_value=10_000).map(lambda n: Decimal(n) / 100)


def identifiers(prefix: str = "ID") -> st.SearchStrategy[str]:
    """Identifiers such as ``ID-0042``."""
    return st.integers(min_value=0, max_value=10**8).map(lambda n: f"{prefix}-{n:04d}")


def vietnamese_names() -> st.SearchStrategy[str]:
    """Realistic Vietnamese names (NFC), with a number to vary them."""
    return st.tuples(st.sampled_from(_VI_WORDS), st.integers(1, 999)).map(
        lambda t: f"{t[0]} {t[1]}"
    )


def _with_valid_ninth(eight: str) -> st.SearchStrategy[str]:
    """Nine digits starting with ``eight`` that have a check digit (one ninth digit at most
    has none: its weight, 3, takes the ten digits to ten different remainders mod 11)."""
    return st.sampled_from(
        [f"{eight}{n}" for n in range(10) if check_digit(f"{eight}{n}") is not None]
    )


def tax_numbers(*, branches: bool = True) -> st.SearchStrategy[str]:
    """Valid 10-digit tax numbers (and, if ``branches``, 13-digit branch numbers).

    Each is built valid, never filtered: eight digits, a ninth chosen among those that admit a
    check digit, then the check digit computed.
    """
    nine = st.text(alphabet="0123456789", min_size=8, max_size=8).flatmap(_with_valid_ninth)
    ten = nine.map(lambda d: f"{d}{check_digit(d)}")
    if not branches:
        return ten
    branch = st.tuples(ten, st.integers(1, 999)).map(lambda t: f"{t[0]}-{t[1]:03d}")
    return st.one_of(ten, branch)


def personal_numbers() -> st.SearchStrategy[str]:
    """12-digit personal identification numbers (used as tax numbers by households)."""
    return st.text(alphabet="0123456789", min_size=12, max_size=12)


@functools.cache
def _codes(map_id: MapId, level: UnitLevel | None) -> tuple[str, ...]:
    return tuple(u.code for u in load_map(map_id) if level is None or u.level is level)


def unit_refs(
    map_id: MapId | None = None, level: UnitLevel | None = UnitLevel.COMMUNE
) -> st.SearchStrategy[UnitRef]:
    """References to real units (communes by default) of ``map_id`` (any map if ``None``)."""
    maps = [map_id] if map_id is not None else list(MapId)
    return st.sampled_from(maps).flatmap(
        lambda m: st.sampled_from(_codes(m, level)).map(lambda code: UnitRef(m, code))
    )


@functools.cache
def _decidable_places() -> tuple[UnitRef, ...]:
    """Places every location test decides on any date: communes (and townships) of the old
    maps that the 2025 merger list places on one new commune, and communes and special zones
    of the post-reform map. Wards are left out: the 45/2012 test needs the city's grade, which
    the caller supplies."""
    old_types = {UnitType.COMMUNE, UnitType.TOWNSHIP}
    places: list[UnitRef] = []
    for map_id in (MapId.MAP_2021, MapId.MAP_2025):
        for unit in load_map(map_id):
            if unit.unit_type not in old_types:
                continue
            try:
                placed = to_reform(unit).new_commune
            except UnitMappingError:
                continue
            if placed is not None:
                places.append(unit.ref)
    new_types = {UnitType.COMMUNE, UnitType.SPECIAL_ZONE}
    places.extend(u.ref for u in load_map(MapId.MAP_REFORM) if u.unit_type in new_types)
    return tuple(places)


@functools.cache
def _always_eligible_sectors() -> tuple[Sector, ...]:
    """The sectors every regime's list names without a condition (read from the shipped
    rules, not repeated)."""
    from khuyencong.rules import RuleSet  # noqa: PLC0415  (testing sits above the rules)

    rules = RuleSet.national()
    days = [rules.at(day) for day in (dt.date(2012, 7, 5), dt.date(2025, 10, 15))]
    lists = [set(day.value("eligibility.eligible_sectors")) for day in days]
    # Mining counts only in difficult areas (45/2012 Điều 5.1.e) where that rule is in force.
    mining_limited = any(day.value("eligibility.mining_difficult_areas_only") for day in days)
    return tuple(
        s
        for s in Sector
        if all(s.value in names for names in lists)
        and not (mining_limited and s is Sector.MINING_MINERAL_PROCESSING)
    )


_EXCEPTION_FLAGS = (
    "cleaner_production",
    "sustainable_production",
    "cluster_infrastructure_investor",
)
"""Fields that each lift a limit of the eligibility rule; two at once conflict."""

_UNDECIDABLE_FORMS = frozenset({LegalForm.SERVICE_ORGANISATION})
"""Forms the national rules cannot decide on every date (235/2025's wording on service
organisations is not configured)."""


def _one_exception(est: Establishment) -> Establishment:
    """The establishment with at most one of the exception flags set (the first drawn)."""
    extra: dict[str, Any] = dict.fromkeys(
        [name for name in _EXCEPTION_FLAGS if getattr(est, name)][1:], False
    )
    return attrs.evolve(est, **extra) if extra else est


def _decidable_sectors() -> st.SearchStrategy[list[Sector]]:
    """One sector every regime lists, and up to two others."""
    return st.tuples(
        st.sampled_from(_always_eligible_sectors()),
        st.lists(st.sampled_from(Sector), max_size=2),
    ).map(lambda t: [t[0], *t[1]])


def periods() -> st.SearchStrategy[Period]:
    """Years, quarters, months, phases and custom ranges."""
    years = st.integers(2012, 2030)
    custom = st.tuples(dates(), dates()).map(lambda t: Period(min(t), max(t)))
    return st.one_of(
        years.map(Period.year),
        st.tuples(years, st.integers(1, 4)).map(lambda t: Period.quarter(*t)),
        st.tuples(years, st.integers(1, 12)).map(lambda t: Period.month(*t)),
        st.tuples(years, st.integers(0, 5)).map(lambda t: Period.phase(t[0], t[0] + t[1])),
        custom,
    )


def citations() -> st.SearchStrategy[Citation]:
    """Citations with consistent effective dates."""
    return st.builds(
        lambda doc, art, cl, start, days, conf: Citation(
            document=doc,
            article=art,
            clause=cl,
            effective_from=start,
            effective_to=None if days is None else start + dt.timedelta(days=days),
            confidence=conf,
        ),
        st.sampled_from(["45/2012/NĐ-CP", "26/2014/TTLT-BTC-BCT", "28/2018/TT-BTC"]),
        st.sampled_from(["", "4", "6", "8"]),
        st.sampled_from(["", "1", "2"]),
        dates(),
        st.none() | st.integers(0, 3000),
        st.sampled_from(Confidence),
    )


def _form_fields(form: LegalForm) -> st.SearchStrategy[dict[str, Any]]:
    members = st.integers(0, 500) if form.is_cooperative_kind else st.none()
    if form is LegalForm.SME:
        size = st.none() | st.sampled_from([SizeClass.MICRO, SizeClass.SMALL, SizeClass.MEDIUM])
    elif form is LegalForm.LARGE_ENTERPRISE:
        size = st.none() | st.just(SizeClass.LARGE)
    else:
        size = st.none()
    tax: st.SearchStrategy[str | None] = st.none() | tax_numbers()
    if form.is_individual:
        tax = tax | personal_numbers()
    title = st.sampled_from(ArtisanTitle) if form is LegalForm.ARTISAN else st.none()
    investor = (
        st.booleans() if form.is_enterprise or form is LegalForm.COOPERATIVE else st.just(False)
    )
    return st.fixed_dictionaries(
        {
            "members": members,
            "size_class": size,
            "tax_number": tax,
            "artisan_title": title,
            "cluster_infrastructure_investor": investor,
        }
    )


def establishments(
    legal_forms: st.SearchStrategy[LegalForm] | None = None,
    locations: st.SearchStrategy[UnitRef] | None = None,
    *,
    decidable: bool = True,
) -> st.SearchStrategy[Establishment]:
    """Valid establishments of any legal form (or those ``legal_forms`` draws).

    Args:
        legal_forms: The forms to draw (default: every form; with ``decidable``, every form but
            a service organisation).
        locations: The places of production to draw (default: communes of any map; with
            ``decidable``, those every location test decides).
        decidable: Draw only establishments that ``check_eligibility`` decides, under the
            national rules, on any date :func:`dates` draws: a place it can read on every map,
            one sector every regime lists, at most one of the flags that lift a limit
            (cleaner production, sustainable production, cluster investor). ``False`` draws
            every valid establishment, some of which raise ``NotConfiguredError``,
            ``RuleConflictError`` or ``UnitMappingError``.

    >>> import datetime as dt
    >>> from hypothesis import given, settings
    >>> from khuyencong.rules import check_eligibility
    >>> @settings(max_examples=20, deadline=None)
    ... @given(establishments(), dates())
    ... def test_decided(est, day):
    ...     check_eligibility(est, day)  # never raises
    >>> test_decided()
    """
    every_form = [f for f in LegalForm if not decidable or f not in _UNDECIDABLE_FORMS]
    forms = legal_forms if legal_forms is not None else st.sampled_from(every_form)
    if locations is not None:
        where = locations
    else:
        where = st.sampled_from(_decidable_places()) if decidable else unit_refs()
    sectors = (
        _decidable_sectors()
        if decidable
        else st.lists(st.sampled_from(Sector), min_size=1, max_size=3)
    )

    def build(form: LegalForm) -> st.SearchStrategy[Establishment]:
        return st.builds(
            lambda fields, **kw: Establishment(legal_form=form, **fields, **kw),
            _form_fields(form),
            id=identifiers("CS"),
            name=vietnamese_names(),
            location=where,
            sectors=sectors,
            founded_on=st.none() | dates(dt.date(1990, 1, 1)),
            employees=st.none() | st.integers(0, 1000),
            revenue=st.none() | money(500_000_000_000),
            total_capital=st.none() | money(200_000_000_000),
            business_sector_group=st.none() | st.sampled_from(BusinessSectorGroup),
            area_difficulty=st.sampled_from(AreaDifficulty),
            cleaner_production=st.booleans(),
            polluting_brick_kiln=st.booleans(),
            sustainable_production=st.booleans(),
            craft_village=st.none() | craft_village_claims(),
            owned_by_women=st.booleans(),
            owned_by_ethnic_minority=st.booleans(),
        )

    drawn = forms.flatmap(build)
    return drawn.map(_one_exception) if decidable else drawn


def craft_village_claims() -> st.SearchStrategy[CraftVillageClaim]:
    """A craft village an applicant declares (name, and perhaps its recognition decision)."""
    return st.builds(
        CraftVillageClaim,
        name=vietnamese_names().map(lambda n: f"Làng nghề {n}"),
        decision=st.none() | st.integers(1, 9999).map(lambda n: f"{n}/QĐ-UBND"),
        recognised_on=st.none() | dates(dt.date(2000, 1, 1)),
    )


def artisans(locations: st.SearchStrategy[UnitRef] | None = None) -> st.SearchStrategy[Artisan]:
    """A People's or Meritorious Artisan (a person holding a title)."""
    return st.builds(
        Artisan,
        id=identifiers("NN"),
        name=vietnamese_names(),
        title=st.sampled_from(ArtisanTitle),
        craft=st.sampled_from(["gốm sứ", "mây tre đan", "sơn mài", "dệt thổ cẩm", "chạm bạc"]),
        location=locations if locations is not None else unit_refs(),
        awarded_on=st.none() | dates(dt.date(2000, 1, 1)),
        award_document=st.none() | st.integers(1, 9999).map(lambda n: f"{n}/QĐ-CTN"),
        establishment_id=st.none() | identifiers("CS"),
    )


def project_contents() -> st.SearchStrategy[ProjectContent]:
    """A content with its eligible cost and a requested support no larger than that cost."""
    return st.tuples(st.sampled_from(SupportContent), money(), st.integers(1, 5)).flatmap(
        lambda t: st.integers(0, t[1]).map(
            lambda req: ProjectContent(t[0], eligible_cost=t[1], requested=req, quantity=t[2])
        )
    )


def projects() -> st.SearchStrategy[Project]:
    """Valid projects in any state reachable through the lifecycle, with a coherent history."""

    def advance(p: Project, steps: list[int], start: dt.date) -> Project:
        day = start
        for step in steps:
            options = [s for s in ProjectStatus if p.can_transition(s)]
            if not options:
                break
            target = options[step % len(options)]
            day += dt.timedelta(days=7)
            amount = p.total_requested if target is ProjectStatus.APPROVED else None
            p = p.transition(target, on=day, actor="tester", approved_amount=amount)
        return p

    base = st.builds(
        Project,
        id=identifiers("DA"),
        title=vietnamese_names(),
        kind=st.sampled_from(ProjectKind),
        beneficiary_ids=st.lists(identifiers("CS"), min_size=1, max_size=3, unique=True),
        contents=st.lists(
            project_contents(), min_size=1, max_size=4, unique_by=lambda c: c.content
        ),
        fund=st.sampled_from(Fund),
        province=unit_refs(level=UnitLevel.PROVINCE),
        plan_year=st.integers(2013, 2030),
        lead_agency=st.just("Trung tâm Khuyến công"),
        partners=st.lists(st.sampled_from(["Trung tâm KC&TVPTCN 1", "Sở Công Thương"]), max_size=2),
    )
    return st.tuples(base, st.lists(st.integers(0, 3), max_size=6), dates()).map(
        lambda t: advance(*t)
    )


def _support_record(report_lag: int | None, **kw: Any) -> SupportRecord:
    delivered: dt.date = kw["delivered_on"]
    reported = None if report_lag is None else delivered + dt.timedelta(days=report_lag)
    return SupportRecord(outcome_reported_on=reported, **kw)


def support_records(*, outcomes: bool = True) -> st.SearchStrategy[SupportRecord]:
    """Support records with amounts by fund, counts, an optional location, and outcomes.

    The outcomes the beneficiary reported (new jobs, a change in income, which may be negative,
    and the report date, never before the delivery) are each drawn as ``None`` or a value.

    Args:
        outcomes: Draw outcomes; ``False`` leaves them ``None`` (as in records made before they
            existed). A test that evolves ``delivered_on`` of a drawn record must also move
            ``outcome_reported_on``, which may not precede the delivery.
    """
    maybe = st.none
    jobs = maybe() | st.integers(0, 300) if outcomes else maybe()
    income = maybe() | st.integers(-2_000_000_000, 2_000_000_000) if outcomes else maybe()
    return st.builds(
        _support_record,
        maybe() | st.integers(0, 1500) if outcomes else maybe(),
        id=identifiers("SR"),
        establishment_id=identifiers("CS"),
        content=st.sampled_from(SupportContent),
        delivered_on=dates(),
        national_amount=money(),
        local_amount=money(),
        co_funding=money(),
        participants=st.integers(0, 500),
        trainees=st.integers(0, 500),
        quantity=st.integers(1, 10),
        project_id=st.none() | identifiers("DA"),
        lead_agency=st.none() | st.just("Trung tâm Khuyến công và XTTM"),
        partners=st.lists(st.sampled_from(["Trung tâm KC&TVPTCN 1", "Cục CTĐP"]), max_size=2),
        location=st.none() | unit_refs(),
        jobs_created=jobs,
        income_change=income,
    )


def fair_participations() -> st.SearchStrategy[FairParticipation]:
    """Fair participations, with the fund given whenever support was paid."""
    return st.builds(
        lambda amount, fund, **kw: FairParticipation(
            supported_amount=amount, fund=fund if amount else None, **kw
        ),
        money(500_000_000),
        st.sampled_from(Fund),
        id=identifiers("HC"),
        establishment_id=identifiers("CS"),
        fair_name=vietnamese_names(),
        fair_kind=st.sampled_from(FairKind),
        start_on=dates(),
        place=st.sampled_from(["Hà Nội", "Bắc Giang", "TP Hồ Chí Minh", ""]),
        location=st.none() | unit_refs(),
    )


def award_entries() -> st.SearchStrategy[AwardEntry]:
    """Award entries in every state: not yet scored, failed, passed, recognised."""

    def build(state: int, **kw: Any) -> AwardEntry:
        passed = None if state == 0 else state >= 2
        recognised = None if state < 2 else state == 3
        cert = {"certificate_no": "GCN-1", "certificate_issued_on": kw["entered_on"]}
        extra = cert if recognised else {}
        return AwardEntry(passed=passed, recognised=recognised, **extra, **kw)

    return st.builds(
        build,
        st.integers(0, 3),
        id=identifiers("BC"),
        product_name=vietnamese_names(),
        establishment_id=identifiers("CS"),
        product_group=st.sampled_from(ProductGroup),
        level=st.sampled_from(AwardLevel),
        round_year=st.integers(2014, 2030),
        entered_on=dates(),
        score=st.none() | scores(),
        location=st.none() | unit_refs(),
    )


def ocop_ratings() -> st.SearchStrategy[OcopRating]:
    """OCOP ratings with stars 1–5."""
    return st.builds(
        OcopRating,
        id=identifiers("OCOP"),
        product_name=vietnamese_names(),
        establishment_id=identifiers("CS"),
        rated_on=dates(dt.date(2019, 1, 1)),
        score=scores(),
        stars=st.integers(1, 5),
        location=st.none() | unit_refs(),
    )


def budget_envelopes() -> st.SearchStrategy[BudgetEnvelope]:
    """Budget envelopes per fund, province and year."""
    return st.builds(
        BudgetEnvelope,
        fund=st.sampled_from(Fund),
        province=unit_refs(level=UnitLevel.PROVINCE),
        year=st.integers(2013, 2030),
        total=money(100_000_000_000),
        decision=st.sampled_from(["", "QĐ 123/QĐ-UBND"]),
    )
