"""Eligibility of an establishment for khuyến công on a date.

The conditions, each explained (see :class:`~khuyencong.rules._explain.Decision`); every
decision names the regime it applied (``Decision.regime``: 45/2012 as issued until 14/10/2025,
as amended by 235/2025 from 15/10/2025) and, for a project approved under an earlier regime,
the date whose rules it applied (``approved_on`` → ``Decision.rules_on``):

1. ``legal_form`` — a beneficiary form on that date (45/2012 Điều 1.2; from 15/10/2025 SMEs,
   cooperative groups, cooperatives, unions of cooperatives and household businesses, 235/2025
   Điều 1.1). Labelled exceptions lift the form, size and location limits: *cleaner
   production* (45/2012 Điều 1.2.b, 46/2012 Điều 3.2), from 15/10/2025 also *sustainable
   production*, and *cluster infrastructure investor* (enterprises and cooperatives). A
   production exception and the investor one at once raise
   :class:`~khuyencong.exceptions.RuleConflictError`. An :class:`~khuyencong.domain.Artisan` (a
   person with a title) is decided by ``artisan.title`` alone, from 15/10/2025.
2. ``cooperative*.members`` — member minimums (Luật HTX and the cooperative-group decrees), or
   ``sme.size`` — the SME class by the size decree in force (56/2009, 39/2018, 80/2021).
3. ``location`` — where it *produces*. Until 14/10/2025 (45/2012 Điều 1.2.a): rural districts,
   towns, townships, communes; wards of grade-2/3 cities; wards of grade-1 cities converted
   from a commune not more than 5 years before 31 December of the year before the plan year
   (46/2012 Điều 3.1.đ); city grades and conversions are dated data in the rule set; from
   1/7/2025 a place on an older map is read on that map (the documented reading of the window
   without districts). From 15/10/2025 (235/2025): communes, wards and special zones of
   provinces; communes and special zones of centrally run cities; and a craft village
   recognised by the provincial People's Committee anywhere (listed in the rule set, or
   declared, and then said to rest on declared data). A place on an older map is placed on the
   post-reform map through the 2025 merger list, and the condition says so.
4. ``sector`` — an eligible sector (45/2012 Điều 5, widened by 235/2025), mining only in
   difficult areas; ``brick_kiln`` — polluting fired-clay brick kilns excluded (46/2012 Điều
   5.1). From 15/10/2025 the full sector list is not known: a sector the known list does not
   name is not configured rather than refused.

>>> import datetime as dt
>>> from khuyencong.domain import Establishment, LegalForm, Sector
>>> from khuyencong.units import MapId, UnitRef
>>> coop = Establishment(id="HTX-1", name="HTX Mỳ Chũ", legal_form=LegalForm.COOPERATIVE,
...     location=UnitRef(MapId.MAP_2021, "07525"), sectors=[Sector.AGRO_FOOD_PROCESSING],
...     members=6)
>>> check_eligibility(coop, dt.date(2024, 6, 30)).failed_codes
('cooperative.members',)
>>> check_eligibility(coop, dt.date(2024, 7, 1)).outcome
True
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any, NamedTuple, Protocol

from dateutil.relativedelta import relativedelta

from khuyencong.domain import (
    AreaDifficulty,
    Artisan,
    ArtisanTitle,
    BusinessSectorGroup,
    Citation,
    Confidence,
    CraftVillageClaim,
    Dong,
    Establishment,
    LegalForm,
    Sector,
    SizeClass,
    format_date,
)
from khuyencong.exceptions import (
    ConfigurationError,
    CoverageError,
    NotConfiguredError,
    RuleConflictError,
    UnitMappingError,
)
from khuyencong.rules._arguments import Arguments, dated
from khuyencong.rules._cooperatives import COOPERATIVE_KINDS, member_minimum_fact
from khuyencong.rules._explain import Decision, Fact, Text
from khuyencong.rules._regimes import rules_date
from khuyencong.rules._rulesets import CraftVillage, DatedRules, RuleSet
from khuyencong.rules._sme_size import size_of
from khuyencong.units import (
    AdminUnit,
    MapId,
    UnitLevel,
    UnitRef,
    UnitType,
    fold,
    load_map,
    map_for,
    to_reform,
)

__all__ = ["EMPTY_PART", "EXCEPTIONS", "Part", "Profile", "check_eligibility", "profile"]

EXCEPTIONS: dict[str, str] = {
    "cleaner_production": "eligibility.cleaner_production_exempt",
    "sustainable_production": "eligibility.sustainable_production_exempt",
    "cluster_infrastructure_investor": "eligibility.cluster_investor_eligible",
}
"""The labelled exceptions to the form, size and location limits, with their parameter."""

_CITY_TYPES = frozenset({UnitType.PROVINCIAL_CITY, UnitType.MUNICIPAL_CITY})
_CALLER_DATA = Citation(
    "caller data",
    confidence=Confidence.UNVERIFIED,
    note="declared by the applicant, not recomputed",
)
_DECLARED_VILLAGE = Citation(
    "caller data",
    confidence=Confidence.UNVERIFIED,
    note=(
        "craft village declared by the applicant, not found in the rule set's list of "
        "recognised craft villages (a province's [[craft_villages]]): check the recognition "
        "decision of the provincial People's Committee"
    ),
)


def check_eligibility(
    establishment: Establishment | Artisan,
    on: dt.date,
    *,
    rules: RuleSet | DatedRules | None = None,
    plan_year: int | None = None,
    approved_on: dt.date | None = None,
) -> Decision:
    """Whether ``establishment`` (or an artisan) is a beneficiary of khuyến công on ``on``, and why.

    Args:
        establishment: The establishment, or an :class:`~khuyencong.domain.Artisan` (a
            person holding a title, a beneficiary from 15/10/2025).
        on: The date of the application or decision.
        rules: A rule set or its view dated ``on`` (national baseline by default).
        plan_year: The plan year, for the 5-year ward rule (default: the year of ``on``).
        approved_on: The approval date of the project the decision is about. A project
            approved before 15/10/2025 is judged under the rules of its approval date (the
            transition of 235/2025); the decision says which regime and date it applied.

    Returns:
        The decision, with every condition checked and the regime it applied.

    Raises:
        ValidationError: For an argument of the wrong kind (a date given as text, …), naming it.
        NotConfiguredError: If a value the answer needs is unknown on that date.
        CoverageError: If ``on`` is outside a parameter's coverage.
        RuleConflictError: If two labelled exceptions apply at once.
        UnitMappingError: If a location on an older map cannot be placed on the post-reform
            map without a guess (split or ambiguous; the error lists the candidates).
    """
    args = Arguments()
    args.instance(establishment, "establishment", Establishment, Artisan)
    args.day(on)
    args.rules(rules)
    args.optional_year(plan_year, "plan_year")
    args.optional_day(approved_on, "approved_on")
    args.check()
    decided_on = dated(rules, on)
    applied, regime = rules_date(on, approved_on=approved_on, rules=decided_on)
    applying = decided_on if applied == on else decided_on.ruleset.at(applied)
    if isinstance(establishment, Artisan):
        facts = artisan_facts(establishment, applying)
    else:
        who, where, what = profile(applying).parts(establishment, plan_year)
        facts = [*who[1], *where[1], *what[1]]
    return Decision("eligibility", on, establishment.id, facts, regime=regime, rules_on=applied)


def artisan_facts(artisan: Artisan, rules: DatedRules) -> list[Fact]:
    """The conditions for an artisan: a beneficiary title on that date (235/2025 from
    15/10/2025), awarded before the decision date."""
    titles, cite = rules.cited("eligibility.artisan_titles")
    allowed = tuple(titles)
    facts: list[Fact] = [
        (
            "artisan.title",
            artisan.title.value in allowed,
            _artisan_titles(allowed),
            artisan.title,
            cite,
            None,
        )
    ]
    if artisan.awarded_on is not None:
        facts.append(
            (
                "artisan.title_awarded",
                artisan.awarded_on <= rules.on,
                Text("phải được phong trước ngày xét", "must be awarded before the decision"),
                artisan.awarded_on,
                _CALLER_DATA,
                None,
            )
        )
    return facts


def _artisan_titles(values: tuple[str, ...]) -> Any:
    if not values:
        return Text("không có danh hiệu nào", "no title")
    return tuple(ArtisanTitle(v) for v in values)


def _exception(est: Establishment, rules: DatedRules) -> tuple[str | None, Citation | None]:
    """The labelled exception that lifts the form, size and location limits, if one applies.

    Cleaner production and (from 15/10/2025) sustainable production are one exception (the same
    point b of 45/2012 Điều 1.2); investing in cluster infrastructure is another. Both kinds at
    once raise :class:`RuleConflictError`.
    """
    applying: list[tuple[str, Citation]] = []
    for label, flag in (
        ("cleaner_production", est.cleaner_production),
        ("sustainable_production", est.sustainable_production),
    ):
        if flag:
            value, cite = rules.cited(EXCEPTIONS[label])
            if value:
                applying.append((label, cite))
                break
    if est.cluster_infrastructure_investor:
        value, cite = rules.cited(EXCEPTIONS["cluster_infrastructure_investor"])
        if value:
            applying.append(("cluster_infrastructure_investor", cite))
    if len(applying) > 1:
        raise RuleConflictError("eligibility.beneficiary", [label for label, _ in applying])
    if applying:
        return applying[0]
    return None, None


Part = tuple[bool, tuple[Fact, ...]]
"""A memoised part of an eligibility decision: whether all its facts hold, and the facts."""


class Site(Protocol):
    """What the location test reads of an establishment: its id (named in errors), its place
    of production and the craft village it declares (an
    :class:`~khuyencong.domain.Establishment` is one)."""

    @property
    def id(self) -> str: ...

    @property
    def location(self) -> UnitRef: ...

    @property
    def craft_village(self) -> CraftVillageClaim | None: ...


class Place(NamedTuple):
    """A :class:`Site` without the rest of an establishment (a batch's row, whose values are
    already as the constructors keep them)."""

    id: str
    location: UnitRef
    craft_village: CraftVillageClaim | None = None


class Profile:
    """The eligibility answers of one date that do not depend on the record, memoised.

    An eligibility decision without a labelled exception is the concatenation of three
    *parts*, each memoised on the few fields it reads: *who* (legal form with its member
    minimum or SME size class), *where* (the location test, per unit) and *what* (sectors,
    mining area, brick kiln). Errors (a ``?`` value, a date outside coverage) are memoised too
    and raised when needed.
    """

    __slots__ = (
        "errors",
        "form_facts",
        "location",
        "member_facts",
        "rules",
        "sector",
        "size",
        "values",
        "who_parts",
    )

    def __init__(self, rules: DatedRules) -> None:
        self.rules = rules
        self.values: dict[str, tuple[Any, Citation] | Exception] = {}
        self.form_facts: dict[LegalForm, Fact | Exception] = {}
        self.member_facts: dict[tuple[LegalForm, int | None], Fact | Exception] = {}
        self.location: dict[tuple[Any, ...], Part] = {}
        self.sector: dict[tuple[Any, ...], Part] = {}
        self.size: dict[tuple[Any, ...], Fact] = {}
        # Keyed by the form alone, or (form, members) for cooperative kinds, or (form, id(size))
        # for SMEs.
        self.who_parts: dict[Any, Part] = {}
        self.errors: dict[tuple[int, Any], Exception] = {}

    def cited(self, name: str) -> tuple[Any, Citation]:
        found = self.values.get(name)
        if found is None:
            try:
                found = self.rules.cited(name)
            except (NotConfiguredError, CoverageError) as exc:
                found = exc
            self.values[name] = found
        if isinstance(found, Exception):
            raise found
        return found

    def form_fact(self, form: LegalForm) -> Fact:
        found = self.form_facts.get(form)
        if found is None:
            try:
                forms, cite = self.cited("eligibility.beneficiary_forms")
                if form is LegalForm.COOPERATIVE_GROUP:
                    ok, cite = self.cited("eligibility.cooperative_group_eligible")
                    in_forms = bool(ok)
                else:
                    in_forms = form.value in forms
                labelled = tuple(LegalForm(v) for v in forms)
                found = ("legal_form", in_forms, labelled, form, cite, None)
            except (NotConfiguredError, CoverageError) as exc:
                found = exc
            self.form_facts[form] = found
        if isinstance(found, Exception):
            raise found
        return found

    def member_fact(self, form: LegalForm, members: int | None) -> Fact:
        """The member-minimum condition (built by
        :func:`khuyencong.rules._cooperatives.member_minimum_fact`, memoised per form and
        member count)."""
        key = (form, members)
        found = self.member_facts.get(key)
        if found is None:
            try:
                found = member_minimum_fact(form, members, self.rules)
            except (NotConfiguredError, CoverageError) as exc:
                found = exc
            self.member_facts[key] = found
        if isinstance(found, Exception):
            raise found
        return found

    def size_fact(self, est: Establishment) -> Fact:
        """The ``sme.size`` fact of an SME (the computed class wins over a declared one).

        The class comes from :func:`khuyencong.rules._sme_size.size_of`, the one implementation
        of the SME size rule (also behind :func:`~khuyencong.rules.sme_size_class`); the fact
        of each class is built once per group and kept in ``self.size``, so its identity is
        stable (:meth:`who` keys on it).
        """
        return self.size_fact_of(
            est.business_sector_group,
            est.employees,
            est.revenue,
            est.total_capital,
            est.size_class,
        )

    def size_fact_of(
        self,
        group: BusinessSectorGroup | None,
        employees: int | None,
        revenue: Dong | None,
        capital: Dong | None,
        size_class: SizeClass | None,
    ) -> Fact:
        """:meth:`size_fact` from an enterprise's figures (what columns of figures give)."""
        if group is not None and (employees is not None or capital is not None):
            found = size_of(employees, revenue, capital, group, self.rules)
            if found is not None:
                cls, cite = found
                key = (group, cls)
                fact = self.size.get(key)
                if fact is None:
                    fact = self.size[key] = _size_result(cls, cite)
                return fact
        return _DECLARED[size_class]

    def _part(
        self,
        table: dict[Any, Part],
        key: Any,
        make: Callable[[], tuple[Fact, ...]],
    ) -> Part:
        """The memoised part of ``table`` at ``key``; errors are memoised apart, so that the
        tables hold parts only (one ``dict.get`` on the fast path)."""
        part = table.get(key)
        if part is None:
            error = self.errors.get((id(table), key))
            if error is not None:
                raise error
            try:
                facts = make()
            except (NotConfiguredError, CoverageError, UnitMappingError) as exc:
                self.errors[(id(table), key)] = exc
                raise
            held = True
            for fact in facts:
                if not fact[1]:
                    held = False
                    break
            part = table[key] = (held, facts)
        return part

    def who(self, est: Establishment) -> Part:
        """The legal form with its member minimum (cooperative kinds) or size (SMEs)."""
        form = est.legal_form
        if form is _SME:
            return self.sme_who(
                est.business_sector_group,
                est.employees,
                est.revenue,
                est.total_capital,
                est.size_class,
            )
        if form is _SERVICE:

            def service() -> tuple[Fact, ...]:
                ok, cite = self.cited("eligibility.service_organisation_eligible")
                return (("legal_form", ok, "service_organisation", form, cite, None),)

            return self._part(self.who_parts, form, service)
        if form in COOPERATIVE_KINDS:
            members = est.members
            return self._part(
                self.who_parts,
                (form, members),
                lambda: (self.form_fact(form), self.member_fact(form, members)),
            )
        return self._part(self.who_parts, form, lambda: (self.form_fact(form),))

    def sme_who(
        self,
        group: BusinessSectorGroup | None,
        employees: int | None,
        revenue: Dong | None,
        capital: Dong | None,
        size_class: SizeClass | None,
    ) -> Part:
        """The *who* part of an SME, from its figures (see :meth:`size_fact_of`)."""
        form = _SME
        known = self.form_facts.get(form)
        if known is None or isinstance(known, Exception):
            self.form_fact(form)  # its errors come first, as in the order of the conditions
        size = self.size_fact_of(group, employees, revenue, capital, size_class)
        # Size facts are kept alive by this profile (or are constants): their id is a key.
        key = (form, id(size))
        return self.who_parts.get(key) or self._part(
            self.who_parts, key, lambda: (self.form_fact(form), size)
        )

    def where(self, est: Site, plan_year: int | None) -> Part:
        """The location test of the place of production (memoised per unit, plan year and
        declared craft village)."""
        ref = est.location
        return self._part(
            self.location,
            (ref.map_id, ref.code, plan_year, est.craft_village),
            lambda: (_location_uncached(est, self.rules, plan_year or self.rules.on.year),),
        )

    def what(self, est: Establishment) -> Part:
        """The sector and brick-kiln conditions (memoised per sectors, area and kiln)."""
        return self._part(
            self.sector,
            (est.sectors, est.area_difficulty, est.polluting_brick_kiln),
            lambda: tuple(_sector_facts(est, self.rules)),
        )

    def parts(self, est: Establishment, plan_year: int | None) -> tuple[Part, Part, Part]:
        """The eligibility of ``est`` as its three memoised parts: who, where, what.

        The one implementation of the eligibility rule: :func:`check_eligibility` joins the
        parts' conditions into a decision, batch evaluation keeps the shared parts. A labelled
        exception gives one part with every condition (not memoised); a service organisation
        has the *who* part only. Each memo is looked up here first, so that the common case
        costs three dictionary lookups.

        Raises:
            NotConfiguredError, CoverageError, RuleConflictError, UnitMappingError: As
                :func:`check_eligibility` does.
        """
        if (
            est.cleaner_production
            or est.sustainable_production
            or est.cluster_infrastructure_investor
        ):
            label, cite = _exception(est, self.rules)
            if label is not None and cite is not None:
                facts = tuple(self._exception_facts(est, label, cite))
                return (all(f[1] for f in facts), facts), _EMPTY, _EMPTY
        form = est.legal_form
        if form is _SERVICE:
            return self.who(est), _EMPTY, _EMPTY
        if form is _SME:
            who = self.who(est)
        else:
            key = (form, est.members) if form in COOPERATIVE_KINDS else form
            who = self.who_parts.get(key) or self.who(est)
        ref = est.location
        where = self.location.get((ref.map_id, ref.code, plan_year, est.craft_village)) or (
            self.where(est, plan_year)
        )
        what = self.sector.get((est.sectors, est.area_difficulty, est.polluting_brick_kiln)) or (
            self.what(est)
        )
        return who, where, what

    def _exception_facts(self, est: Establishment, label: str, cite: Citation) -> list[Fact]:
        """The conditions of an establishment a labelled exception applies to: its form and
        location limits lifted (and said so), its member minimum and sectors still checked."""
        form = est.legal_form
        fact = self.form_fact(form)
        if not fact[1]:
            fact = ("legal_form", True, fact[2], form, cite, label)
        facts = [fact]
        if form in COOPERATIVE_KINDS:
            facts.append(self.member_fact(form, est.members))
        facts.append(("location", True, "no location limit", est.location.code, cite, label))
        facts.extend(self.what(est)[1])
        return facts


def profile(rules: DatedRules) -> Profile:
    """The memoised eligibility answers of ``rules``' date (kept in ``rules.cache``)."""
    found: Profile | None = rules.cache.get("eligibility")
    if found is None:
        found = rules.cache["eligibility"] = Profile(rules)
    return found


EMPTY_PART: Part = (True, ())
"""A part without conditions (the *where* and *what* of a service organisation)."""
_EMPTY = EMPTY_PART
_SME = LegalForm.SME
_SERVICE = LegalForm.SERVICE_ORGANISATION
_SME_CLASSES = (SizeClass.MICRO, SizeClass.SMALL, SizeClass.MEDIUM)
_SME_REQUIRED = "micro, small or medium"


def _size_result(cls: SizeClass, cite: Citation) -> Fact:
    """The ``sme.size`` fact of a computed class (held unless the enterprise is large)."""
    return ("sme.size", cls is not SizeClass.LARGE, _SME_REQUIRED, cls, cite, None)


def _declared_size(size_class: SizeClass | None) -> Fact:
    if size_class is not None:
        return (
            "sme.size",
            size_class is not SizeClass.LARGE,
            _SME_REQUIRED,
            size_class,
            _CALLER_DATA,
            None,
        )
    return (
        "sme.size",
        False,
        "employees and revenue or capital, or a declared size class",
        None,
        _CALLER_DATA,
        None,
    )


_DECLARED: dict[SizeClass | None, Fact] = {cls: _declared_size(cls) for cls in (*SizeClass, None)}
"""The ``sme.size`` facts of a declared size class (or of none), built once."""


_LOCATION_TESTS = ("45/2012", "235/2025", "none")


def _location_uncached(est: Site, rules: DatedRules, plan_year: int) -> Fact:
    test, test_cite = rules.cited("eligibility.location_test")
    ref = est.location
    if test == "none":
        return ("location", True, "no location limit", ref.code, test_cite, None)
    if test not in _LOCATION_TESTS:
        msg = f"unknown location test {test!r}; expected one of {', '.join(_LOCATION_TESTS)}"
        raise ConfigurationError(msg)
    unit, placed = _placed(est, rules.on, test)
    if test == "235/2025":
        fact = _location_235(est, unit, rules)
    else:
        fact = _location_45(unit, rules, plan_year)
    if placed is None:
        return fact
    code, held, required, found, cite, label = fact
    vi, en = (found.vi, found.en) if isinstance(found, Text) else (str(found), str(found))
    return (code, held, required, Text(f"{vi}; {placed.vi}", f"{en}; {placed.en}"), cite, label)


def _placed(est: Site, on: dt.date, test: str) -> tuple[AdminUnit, Text | None]:
    """The unit of the place of production that ``test`` reads, with a note when it is not
    the unit as given.

    The test of 235/2025 reads the post-reform map: a unit of an older map (2021 or mid-2025)
    is placed on it through the official merger list (:func:`khuyencong.units.to_reform`), and
    a split or ambiguous unit raises :class:`~khuyencong.exceptions.UnitMappingError` listing
    the candidates. The test of 45/2012 names districts, townships and city grades, which only
    the three-level maps have: from 1/7/2025 (when districts ended) it reads a unit of an
    older map on that map, and says so.
    """
    ref = est.location
    unit = ref.resolve()
    if ref.map_id is MapId.MAP_REFORM or map_for(on) is not MapId.MAP_REFORM:
        return unit, None
    if test != "235/2025":
        return unit, Text(
            f"đọc theo {ref.map_id.label_vi} vì phép thử của 45/2012 dựa trên cấp huyện và "
            "loại đô thị, không còn từ 01/7/2025",
            f"read on the {ref.map_id.label_en}, since the 45/2012 test names districts and "
            "city grades, which ended on 1 July 2025",
        )
    mapping = to_reform(unit)
    new = mapping.new_commune
    if new is None:
        msg = (
            f"{est.id}: the place of production {unit.full_name} ({ref.map_id.value}:"
            f"{ref.code}) is a {unit.unit_type.label_en}; name the commune, ward or special "
            "zone where it produces"
        )
        raise UnitMappingError(ref.code, msg, (mapping.new_province.code,))
    note = Text.message("explain.place.placed", old=_unit_text(unit), new=_name(new))
    return new, note


def _name(unit: AdminUnit) -> Text:
    return Text(unit.label("vi"), unit.label("en"))


def _unit_text(unit: AdminUnit) -> Text:
    """A unit with its type, code and map, in both languages."""
    return Text.message(
        "explain.place.unit",
        name=_name(unit),
        type=_label_text(unit.unit_type),
        code=unit.code,
        map=_label_text(unit.map_id),
    )


@functools.cache
def _label_text(member: UnitType | MapId) -> Text:
    """A unit type's or a map's label in both languages (the catalogue does not change: read
    once per member, not once per unit a decision places)."""
    return Text(member.label_vi, member.label_en)


def _location_235(est: Site, unit: AdminUnit, rules: DatedRules) -> Fact:
    """The location test of 235/2025: communes, wards and special zones of provinces;
    communes and special zones of centrally run cities; recognised craft villages anywhere."""
    if unit.map_id is not MapId.MAP_REFORM:  # an older map asked about before 1/7/2025
        msg = (
            f"{est.id}: the location test of 235/2025 reads the post-reform map; "
            f"{unit.full_name} ({unit.map_id.value}:{unit.code}) is on an older map"
        )
        raise UnitMappingError(unit.code, msg)
    province = load_map(MapId.MAP_REFORM).get(unit.province_code)
    in_city = province.unit_type is UnitType.CENTRALLY_RUN_CITY
    name = "eligibility.city_unit_types" if in_city else "eligibility.province_unit_types"
    types, cite = rules.cited(name)
    allowed = tuple(types)
    found: Any = Text.message(
        "explain.place.in_province", name=_name(unit), province=_name(province), code=unit.code
    )
    if unit.level is UnitLevel.COMMUNE and unit.unit_type.value in allowed:
        return ("location", True, _where_235(allowed, in_city), found, cite, None)
    if rules.value("eligibility.craft_villages_eligible"):
        village = _craft_village_fact(est, unit, found, rules)
        if village is not None:
            return village
    return ("location", False, _where_235(allowed, in_city), found, cite, None)


def _where_235(allowed: tuple[str, ...], in_city: bool) -> Text:
    vi_types = ", ".join(UnitType(t).label_vi for t in allowed) or "không loại nào"
    en_names = [UnitType(t).label_en for t in allowed]
    en_types = (
        " or ".join(en_names)
        if len(en_names) < 3
        else (", ".join(en_names[:-1]) + " or " + en_names[-1])
    )
    vi_where, en_where = (
        ("thành phố trực thuộc trung ương", "a centrally run city")
        if in_city
        else ("tỉnh", "a province")
    )
    return Text(
        f"{vi_types} của {vi_where}, hoặc làng nghề được Ủy ban nhân dân cấp tỉnh công nhận",
        f"a {en_types or 'no unit'} of {en_where}, or a craft village recognised by the "
        "provincial People's Committee",
    )


def _craft_village_fact(est: Site, unit: AdminUnit, found: Text, rules: DatedRules) -> Fact | None:
    """The craft-village branch of the 235/2025 location test (``None``: no village claimed
    and none to suggest)."""
    on = rules.on
    ref = est.location
    here = [
        v
        for v in rules.unit_facts.craft_villages
        if (v.map_id is ref.map_id and v.code == ref.code)
        or _village_unit(v.map_id, v.code) == (unit.map_id, unit.code)
    ]
    required = Text(
        "làng nghề được Ủy ban nhân dân cấp tỉnh công nhận",
        "a craft village recognised by the provincial People's Committee",
    )
    claim = est.craft_village
    if claim is None:
        listed = [v.name for v in here if v.in_force(on)]
        if not listed:
            return None
        names = ", ".join(listed)
        hint = Text(
            f"{found.vi}; tại đây có làng nghề được công nhận ({names}): khai báo làng nghề "
            "nơi cơ sở sản xuất (craft_village)",
            f"{found.en}; recognised craft villages here ({names}): declare the one it "
            "produces in (craft_village)",
        )
        return (
            "location",
            False,
            required,
            hint,
            rules.cited("eligibility.location_test")[1],
            None,
        )
    key = fold(claim.name)
    for village in here:
        if fold(village.name) != key:
            continue
        text = f"{village.name}, {found.en}"
        if village.in_force(on):
            here_vi = f"{village.name}, {found.vi}"
            return (
                "location",
                True,
                required,
                Text(here_vi, text),
                _village_citation(village),
                None,
            )
        return (
            "location",
            False,
            required,
            Text(
                f"{village.name}, {found.vi}: công nhận từ "
                f"{village.recognised_on.strftime('%d/%m/%Y')}"
                + (
                    f" đến {village.withdrawn_on.strftime('%d/%m/%Y')}"
                    if village.withdrawn_on
                    else ""
                ),
                f"{text}: recognised from {village.recognised_on.isoformat()}"
                + (f" to {village.withdrawn_on.isoformat()}" if village.withdrawn_on else ""),
            ),
            _village_citation(village),
            None,
        )
    decision_vi = claim.decision or "không rõ số quyết định"
    decision_en = claim.decision or "decision number not given"
    if claim.recognised_on is not None and claim.recognised_on > on:
        return (
            "location",
            False,
            required,
            Text(
                f"{claim.name} (khai báo; công nhận từ {claim.recognised_on.strftime('%d/%m/%Y')})",
                f"{claim.name} (declared; recognised from {claim.recognised_on.isoformat()})",
            ),
            _DECLARED_VILLAGE,
            None,
        )
    return (
        "location",
        True,
        required,
        Text(
            f"{claim.name}, {found.vi} (làng nghề do cơ sở khai báo, {decision_vi})",
            f"{claim.name}, {found.en} (craft village declared by the applicant, {decision_en})",
        ),
        _DECLARED_VILLAGE,
        None,
    )


@functools.lru_cache(maxsize=4096)
def _village_unit(map_id: MapId, code: str) -> tuple[MapId, str]:
    """Where a recognised village's unit lies on the post-reform map (a village recognised on an
    older map keeps its recognition; an unplaceable unit stays on its own map)."""
    if map_id is MapId.MAP_REFORM:
        return map_id, code
    try:
        new = to_reform(UnitRef(map_id, code)).new_commune
    except UnitMappingError:
        return map_id, code
    return (new.map_id, new.code) if new is not None else (map_id, code)


def _village_citation(village: CraftVillage) -> Citation:
    return Citation(
        village.document,
        effective_from=village.recognised_on,
        effective_to=village.withdrawn_on,
        confidence=Confidence.SECONDARY,
        note=f"craft village {village.name} recognised by the provincial People's Committee",
    )


def _location_45(unit: AdminUnit, rules: DatedRules, plan_year: int) -> Fact:
    """The location test of 45/2012 Điều 1.2.a (and 46/2012 Điều 3.1.đ for the 5 years)."""
    raw_types, cite = rules.cited("eligibility.eligible_unit_types")
    types = tuple(UnitType(t) for t in raw_types)
    found = _unit_text(unit)
    if unit.unit_type in types:
        return ("location", True, types, found, cite, None)
    if unit.unit_type is not UnitType.WARD:
        labels = Text(*(", ".join(t.label(lang) for t in types) for lang in ("vi", "en")))
        required = Text.message("explain.place.commune_or_ward", types=labels)
        return ("location", False, required, found, cite, None)
    umap = load_map(unit.map_id)
    parent: AdminUnit | None = umap.get(unit.parent_code) if unit.parent_code else None
    if parent is not None and parent.unit_type in types:
        in_parent = Text.message("explain.place.in_parent", found=found, parent=_name(parent))
        return ("location", True, types, in_parent, cite, None)
    if parent is not None and parent.unit_type is UnitType.URBAN_DISTRICT:
        required = Text.message("explain.place.not_urban_ward")
        return ("location", False, required, found, cite, None)
    facts = rules.unit_facts
    grade = None
    city_code = unit.code
    if parent is not None and parent.unit_type in _CITY_TYPES:
        city_code = parent.code
        grade = facts.grade_of(unit.map_id, parent.code, rules.on)
    if grade is None:
        grade = facts.grade_of(unit.map_id, unit.code, rules.on)
    if grade is None:
        raise NotConfiguredError(
            f"city_grade.{unit.map_id.value}.{city_code}",
            rules.on,
            Text.message("rules.city_grade_source"),
        )
    grades, grades_cite = rules.cited("eligibility.ward_city_grades")
    document = grade.document or Text.message("explain.place.caller_data")
    city = Text.message(
        "explain.place.city_grade", found=found, grade=grade.grade, document=document
    )
    of_grade = Text.message("explain.place.ward_of_grade", grades=", ".join(map(str, grades)))
    if grade.grade in grades:
        return ("location", True, of_grade, city, grades_cite, None)
    converted_grade, conv_cite = rules.cited("eligibility.converted_ward_city_grade")
    if grade.grade != converted_grade:
        return ("location", False, of_grade, city, grades_cite, None)
    years, years_cite = rules.cited("eligibility.ward_conversion_years")
    end = dt.date(plan_year - 1, 12, 31)
    required = Text.message("explain.place.converted_ward", years=years, end=_date_text(end))
    conversion = facts.conversion_of(unit.map_id, unit.code)
    if conversion is None:
        no_conversion = Text.message("explain.place.no_conversion", city=city)
        return ("location", False, required, no_conversion, conv_cite, None)
    reference = dt.date(plan_year - 1, 12, 31)
    held = conversion.converted_on + relativedelta(years=years) >= reference
    on = _date_text(conversion.converted_on)
    converted = Text.message("explain.place.converted_on", city=city, on=on)
    return ("location", held, required, converted, years_cite, None)


def _date_text(day: dt.date) -> Text:
    return Text(format_date(day, "vi"), format_date(day, "en"))


def _sector_facts(est: Establishment, rules: DatedRules) -> list[Fact]:
    eligible, cite = rules.cited("eligibility.eligible_sectors")
    mining_rule = rules.value("eligibility.mining_difficult_areas_only")
    difficult = est.area_difficulty is not AreaDifficulty.NONE
    found: list[Sector] = []
    for sector in est.sectors:
        if sector.value not in eligible:
            continue
        if sector is Sector.MINING_MINERAL_PROCESSING and mining_rule and not difficult:
            continue
        found.append(sector)
    if not found and any(s.value not in eligible for s in est.sectors):
        # A sector the list does not name: refused only when the list is known to be complete
        # (45/2012 Điều 5.1); from 15/10/2025 the full list is not known, so this raises.
        rules.value("eligibility.unlisted_sectors_excluded")
    required: Any = tuple(Sector(v) for v in eligible)
    if Sector.MINING_MINERAL_PROCESSING in est.sectors and mining_rule and not difficult:
        required = Text(
            "một ngành nghề được hưởng chính sách; khai thác, chế biến khoáng sản chỉ tại địa "
            "bàn có điều kiện kinh tế - xã hội khó khăn, đặc biệt khó khăn",
            "an eligible sector; mining only in difficult areas (45/2012 Điều 5.1.e)",
        )
    facts: list[Fact] = [("sector", bool(found), required, tuple(found) or est.sectors, cite, None)]
    excluded, kiln_cite = rules.cited("eligibility.brick_kiln_excluded")
    if excluded:
        facts.append(
            (
                "brick_kiln",
                not est.polluting_brick_kiln,
                False,
                est.polluting_brick_kiln,
                kiln_cite,
                None,
            )
        )
    return facts
