"""Rule sets: the national baseline, a provincial overlay, and what-if overrides.

A :class:`RuleSet` is an immutable, validated set of dated parameters plus the unit facts the
location test needs (city grades and ward conversions, which the unit datasets do not hold).
Compose without editing the baseline:

>>> import datetime as dt
>>> from khuyencong.domain import million
>>> national = RuleSet.national()
>>> sim = national.what_if({"support.national.machinery.cap": million(500)},
...                        label="machinery cap 500 million")
>>> sim.value("support.national.machinery.cap", dt.date(2020, 1, 1))
500000000
>>> national.value("support.national.machinery.cap", dt.date(2020, 1, 1))
300000000
>>> sim.layers
('national', 'what-if: machinery cap 500 million')

:meth:`RuleSet.at` gives a :class:`DatedRules`: the rules as of one date, with every lookup
memoised, which is what batch evaluation uses.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from khuyencong.domain import Citation, Confidence
from khuyencong.exceptions import (
    CoverageError,
    DataFileError,
    NotConfiguredError,
    Problem,
)
from khuyencong.messages import text as message
from khuyencong.rules._catalogue import (
    CATALOGUE,
    FAMILIES,
    LOCATION_TEST_PARAMETERS,
    spec_for,
)
from khuyencong.rules._parameters import (
    DerivedCap,
    ParameterEntry,
    ParameterSet,
    load_parameters,
    parse_parameter_file,
    read_toml,
)
from khuyencong.units import MapId, UnitRef

__all__ = [
    "CityGrade",
    "CraftVillage",
    "DatedRules",
    "RuleSet",
    "UnitFacts",
    "WardConversion",
]


@attrs.frozen
class CityGrade:
    """The grade (đô thị loại) of a city, from a dated classification decision.

    Attributes:
        code: The city's unit code (for the reform map, a ward's own code may be given).
        map_id: The map the code belongs to.
        grade: 1, 2 or 3 (0 for a special-grade city).
        effective_from: The first day of the grade.
        effective_to: The last day, ``None`` while in force.
        document: The classification decision.
    """

    code: str
    map_id: MapId = attrs.field(converter=MapId)
    grade: int
    effective_from: dt.date
    effective_to: dt.date | None = None
    document: str = ""


@attrs.frozen
class WardConversion:
    """A ward converted from a commune, with the effective date of the conversion decision.

    Attributes:
        code: The ward's unit code.
        map_id: The map the code belongs to.
        converted_on: The effective date of the conversion decision.
        document: The decision.
    """

    code: str
    map_id: MapId = attrs.field(converter=MapId)
    converted_on: dt.date
    document: str = ""


@attrs.frozen
class CraftVillage:
    """A craft village (làng nghề) recognised by a provincial People's Committee.

    From 15/10/2025 production in a recognised craft village is eligible wherever the village
    lies (Nghị định 235/2025/NĐ-CP Điều 1.1, new Điều 1.2.a of 45/2012/NĐ-CP). A province
    supplies its recognitions as ``[[craft_villages]]`` in its overlay.

    Attributes:
        name: The village's name as in the recognition decision.
        code: The unit (commune, ward or special zone) the village lies in.
        map_id: The map the code belongs to.
        recognised_on: The date of the recognition decision.
        document: The recognition decision (number and issuer).
        withdrawn_on: The day the recognition was withdrawn, ``None`` while in force.
    """

    name: str
    code: str
    map_id: MapId = attrs.field(converter=MapId)
    recognised_on: dt.date
    document: str
    withdrawn_on: dt.date | None = None

    def in_force(self, on: dt.date) -> bool:
        """Whether the recognition holds on ``on``."""
        return self.recognised_on <= on and (self.withdrawn_on is None or on < self.withdrawn_on)


@attrs.frozen
class UnitFacts:
    """City grades, ward conversions and recognised craft villages: dated data a caller (or a
    province) supplies."""

    city_grades: tuple[CityGrade, ...] = ()
    conversions: tuple[WardConversion, ...] = ()
    craft_villages: tuple[CraftVillage, ...] = ()

    def grade_of(self, map_id: MapId, code: str, on: dt.date) -> CityGrade | None:
        """The grade of the city ``code`` on ``on``, if supplied."""
        for g in self.city_grades:
            if (
                g.map_id is map_id
                and g.code == code
                and g.effective_from <= on
                and (g.effective_to is None or on <= g.effective_to)
            ):
                return g
        return None

    def conversion_of(self, map_id: MapId, code: str) -> WardConversion | None:
        """The conversion of ward ``code`` from a commune, if supplied."""
        for c in self.conversions:
            if c.map_id is map_id and c.code == code:
                return c
        return None

    def craft_villages_in(self, map_id: MapId, code: str, on: dt.date) -> list[CraftVillage]:
        """The craft villages recognised in unit ``code`` on ``on``."""
        return [
            v
            for v in self.craft_villages
            if v.map_id is map_id and v.code == code and v.in_force(on)
        ]

    def merged(self, other: UnitFacts) -> UnitFacts:
        """These facts with ``other``'s added."""
        return UnitFacts(
            self.city_grades + other.city_grades,
            self.conversions + other.conversions,
            self.craft_villages + other.craft_villages,
        )


def _python_value_ok(spec_type: str, value: object) -> bool:
    if spec_type in ("text",):
        return isinstance(value, str)
    if spec_type in ("text_list",):
        return isinstance(value, tuple) and all(isinstance(v, str) for v in value)
    if spec_type in ("int", "money"):
        return isinstance(value, int) and not isinstance(value, bool)
    if spec_type == "int_list":
        return isinstance(value, tuple) and all(
            isinstance(v, int) and not isinstance(v, bool) for v in value
        )
    if spec_type == "bool":
        return isinstance(value, bool)
    if spec_type in ("rate", "decimal"):
        return isinstance(value, Decimal)
    if spec_type == "cap":
        return (
            value is None
            or isinstance(value, DerivedCap)
            or (isinstance(value, int) and not isinstance(value, bool))
        )
    if spec_type == "month_day":
        return isinstance(value, tuple) and len(value) == 2
    return False


class RuleSet:
    """Dated parameters and unit facts, composed from layers.

    Use :meth:`national` for the shipped baseline, then :meth:`with_overlay`,
    :meth:`what_if` and :meth:`with_unit_facts`; each returns a new rule set.
    """

    __slots__ = ("_dated", "layers", "parameters", "unit_facts")

    def __init__(
        self,
        parameters: ParameterSet,
        *,
        layers: tuple[str, ...] = ("national",),
        unit_facts: UnitFacts | None = None,
    ) -> None:
        self.parameters = parameters
        self.layers = layers
        self.unit_facts = unit_facts or UnitFacts()
        self._dated: dict[dt.date, DatedRules] = {}

    def __repr__(self) -> str:
        return f"<RuleSet {' + '.join(self.layers)}: {len(self.parameters)} parameters>"

    @classmethod
    def national(cls) -> RuleSet:
        """The national baseline shipped with the package (loaded and validated once).

        >>> RuleSet.national().layers
        ('national',)
        """
        return _national()

    def entry(self, name: str, on: dt.date) -> ParameterEntry:
        """The entry of ``name`` on ``on`` (see :meth:`ParameterSet.entry`)."""
        return self.parameters.entry(name, on)

    def value(self, name: str, on: dt.date) -> Any:
        """The value of ``name`` on ``on``.

        Raises:
            NotConfiguredError: For an unknown ([?]) value, naming the document to supply it.
            CoverageError: For a date outside the parameter's coverage.
            ValidationError: If ``on`` is not a date (naming it).
        """
        _check_day(on)
        return self.parameters.value(name, on)

    def at(self, on: dt.date) -> DatedRules:
        """The rules as of ``on``, with memoised lookups (cached per date).

        Raises:
            ValidationError: If ``on`` is not a date (naming it).
        """
        dated = self._dated.get(on)
        if dated is None:
            _check_day(on)
            if len(self._dated) > 512:
                self._dated.clear()
            dated = self._dated[on] = DatedRules(self, on)
        return dated

    def with_overlay(self, path: Path | str, *, text: str | None = None) -> RuleSet:
        """This rule set with a provincial overlay file layered on top.

        The overlay is a TOML file in the shape of the legal data files (``[document]``,
        ``[[values]]``, ``[[support]]`` with ``fund = "local"``) plus optional
        ``[[city_grades]]``, ``[[ward_conversions]]`` and ``[[craft_villages]]`` (``name``,
        ``map_id``, ``code``, ``recognised_on``, ``document``, optional ``withdrawn_on``). Its
        values replace the baseline's on their own dates; the composed set is validated again.

        Args:
            path: The overlay file (or a label when ``text`` is given).
            text: The TOML text, instead of reading ``path``.

        Raises:
            DataFileError: If the overlay or the composed set is invalid.
        """
        data = read_toml(path, text)
        name = Path(str(path)).name
        entries = parse_parameter_file(data, name)
        facts = _unit_facts(data, name)
        label = str(data.get("overlay", {}).get("name", name))
        params = self.parameters.layered(entries, source=name)
        return RuleSet(
            params,
            layers=(*self.layers, f"overlay: {label}"),
            unit_facts=self.unit_facts.merged(facts),
        )

    def what_if(
        self,
        overrides: Mapping[str, Any],
        *,
        label: str,
        start: dt.date | None = None,
        end: dt.date | None = None,
    ) -> RuleSet:
        """This rule set with some values replaced, for a simulation.

        Args:
            overrides: Parameter name → new value (money as int đồng, rates as Decimal,
                lists as tuples).
            label: What the simulation is, recorded in the citations and :attr:`layers`.
            start: First day of the override; by default the parameter's first day.
            end: Last day of the override; by default open.

        Raises:
            DataFileError: If a name is unknown or a value has the wrong type.
        """
        problems: list[Problem] = []
        entries: list[ParameterEntry] = []
        for name, value in overrides.items():
            spec = spec_for(name)
            if spec is None:
                problems.append(Problem(f"$.{name}", message("rules.unknown_parameter"), name))
                continue
            if not _python_value_ok(spec.type, value):
                problems.append(
                    Problem(
                        f"$.{name}",
                        message("rules.value_type", type=message(f"rules.python_type.{spec.type}")),
                        value,
                    )
                )
                continue
            first = start
            if first is None:
                param = self.parameters.get(name)
                first = param.entries[0].start if param else dt.date(1900, 1, 1)
            citation = Citation(
                document=f"what-if: {label}",
                effective_from=first,
                effective_to=end,
                confidence=Confidence.UNVERIFIED,
                note="a simulation, not law",
            )
            entries.append(ParameterEntry(name, first, end, value, True, citation, "", "what-if"))
        if problems:
            raise DataFileError(f"what-if {label!r}", problems)
        params = self.parameters.layered(entries, source=f"what-if {label!r}")
        return RuleSet(
            params, layers=(*self.layers, f"what-if: {label}"), unit_facts=self.unit_facts
        )

    def with_unit_facts(
        self,
        city_grades: Iterable[CityGrade] = (),
        conversions: Iterable[WardConversion] = (),
        craft_villages: Iterable[CraftVillage] = (),
    ) -> RuleSet:
        """This rule set with city grades, ward conversions and craft villages added."""
        facts = UnitFacts(tuple(city_grades), tuple(conversions), tuple(craft_villages))
        return RuleSet(
            self.parameters, layers=self.layers, unit_facts=self.unit_facts.merged(facts)
        )

    def coverage_problems(
        self, on: dt.date, families: Iterable[str] | None = None
    ) -> list[Problem]:
        """Every parameter of ``families`` that has no entry on ``on`` (``?`` entries count as
        covered: they raise their own, clearer error)."""
        wanted = set(families or FAMILIES)
        problems = []
        skipped = self._unused_location_parameters(on)
        for name, spec in CATALOGUE.items():
            if spec.family not in wanted or name.startswith("support.local.") or name in skipped:
                continue
            param = self.parameters.get(name)
            if param is None:
                problems.append(
                    Problem(
                        f"$.{name}",
                        message("rules.gap_not_configured", document=spec.missing_source),
                    )
                )
            elif not any(e.covers(on) for e in param.entries):
                problems.append(
                    Problem(
                        f"$.{name}",
                        message(
                            "rules.gap_not_covered", on=on.isoformat(), coverage=param.coverage
                        ),
                    )
                )
        return problems

    def check_coverage(self, on: dt.date, families: Iterable[str] | None = None) -> None:
        """Check that every parameter the rules of ``families`` need is covered on ``on``.

        Raises:
            CoverageError: For the first parameter without an entry on ``on``.
            NotConfiguredError: For a parameter no file configures.

        >>> RuleSet.national().check_coverage(dt.date(2020, 1, 1), ["eligibility"])
        >>> RuleSet.national().check_coverage(dt.date(2010, 1, 1), ["eligibility"])
        Traceback (most recent call last):
        khuyencong.exceptions.CoverageError: tham số “eligibility.beneficiary_forms” không có giá trị vào ngày 01/01/2010; tham số chỉ áp dụng từ ngày 05/07/2012
        """  # noqa: E501
        wanted = set(families or FAMILIES)
        skipped = self._unused_location_parameters(on)
        for name, spec in CATALOGUE.items():
            if spec.family not in wanted or name.startswith("support.local.") or name in skipped:
                continue
            param = self.parameters.get(name)
            if param is None:
                raise NotConfiguredError(name, on, spec.missing_source)
            if not any(e.covers(on) for e in param.entries):
                raise CoverageError(name, on, param.coverage)

    def _unused_location_parameters(self, on: dt.date) -> frozenset[str]:
        """The parameters of the location tests not in force on ``on`` (not needed then)."""
        try:
            test = self.parameters.value("eligibility.location_test", on)
        except (NotConfiguredError, CoverageError):
            return frozenset()
        used = LOCATION_TEST_PARAMETERS.get(test, ())
        return frozenset(
            name
            for names in LOCATION_TEST_PARAMETERS.values()
            for name in names
            if name not in used
        )

    # -- provinces (implementation in khuyencong.rules._provinces) ----------------------------

    @classmethod
    def for_province(
        cls, code: str, on: dt.date | None = None, *, map_id: MapId | str | None = None
    ) -> RuleSet:
        """The national rules with the shipped documents of province ``code`` layered on.

        See :func:`khuyencong.rules._provinces.for_province` (``on`` or ``map_id`` choose the
        map when a code exists on several: ``"24"`` is Bắc Giang before the 2025 reform and the
        merged Bắc Ninh after it). :func:`khuyencong.rules._provinces.provinces` lists which
        provinces ship which documents.

        >>> RuleSet.for_province("24", map_id="2021-11").layers[0]
        'national'
        """
        from khuyencong.rules._provinces import for_province  # noqa: PLC0415  (import cycle)

        return for_province(code, on, map_id=map_id)

    @classmethod
    def for_unit(cls, unit: UnitRef) -> RuleSet:
        """The national rules with the shipped documents that govern the place ``unit``.

        For a post-reform unit these are the documents of the former province it lay in (they
        stay in force there until the merged province replaces them), then the merged
        province's. See :func:`khuyencong.rules._provinces.for_unit`.

        >>> from khuyencong.units import UnitRef
        >>> RuleSet.for_unit(UnitRef("2025-reform", "07582")).layers[0]  # Xã Lục Ngạn
        'national'
        """
        from khuyencong.rules._provinces import for_unit  # noqa: PLC0415  (import cycle)

        return for_unit(unit)


def _check_day(on: object) -> None:
    """Refuse a date argument that is not a date, as every rule function does."""
    from khuyencong.rules._arguments import Arguments  # noqa: PLC0415  (import cycle)

    args = Arguments()
    args.day(on)
    args.check()


@functools.cache
def _national() -> RuleSet:
    return RuleSet(load_parameters(), layers=("national",))


def _unit_facts(data: Mapping[str, Any], source: str) -> UnitFacts:
    problems: list[Problem] = []
    grades: list[CityGrade] = []
    conversions: list[WardConversion] = []
    villages: list[CraftVillage] = []
    for i, raw in enumerate(data.get("city_grades", [])):
        try:
            grades.append(CityGrade(**raw))
        except (TypeError, ValueError) as exc:
            problems.append(Problem(f"$.city_grades[{i}]", str(exc), raw))
    for i, raw in enumerate(data.get("ward_conversions", [])):
        try:
            conversions.append(WardConversion(**raw))
        except (TypeError, ValueError) as exc:
            problems.append(Problem(f"$.ward_conversions[{i}]", str(exc), raw))
    for i, raw in enumerate(data.get("craft_villages", [])):
        try:
            villages.append(CraftVillage(**raw))
        except (TypeError, ValueError) as exc:
            problems.append(Problem(f"$.craft_villages[{i}]", str(exc), raw))
    if problems:
        raise DataFileError(source, problems)
    return UnitFacts(tuple(grades), tuple(conversions), tuple(villages))


_MISSING = object()


class DatedRules:
    """The rules as of one date: memoised parameter lookups for fast repeated evaluation.

    Errors are memoised too: a ``?`` value raises the same
    :class:`~khuyencong.exceptions.NotConfiguredError` on every lookup.
    """

    __slots__ = ("_cache", "cache", "on", "ruleset")

    def __init__(self, ruleset: RuleSet, on: dt.date) -> None:
        self.ruleset = ruleset
        self.on = on
        self._cache: dict[str, ParameterEntry | Exception] = {}
        self.cache: dict[Any, Any] = {}
        """Free memo space for rules (location verdicts per unit, support levels...)."""

    @property
    def unit_facts(self) -> UnitFacts:
        """The rule set's city grades and ward conversions."""
        return self.ruleset.unit_facts

    def entry(self, name: str) -> ParameterEntry:
        """The entry of ``name`` on this date (raises like :meth:`RuleSet.entry`)."""
        found = self._cache.get(name, _MISSING)
        if found is _MISSING:
            try:
                found = self.ruleset.parameters.entry(name, self.on)
            except (NotConfiguredError, CoverageError) as exc:
                found = exc
            self._cache[name] = found
        if isinstance(found, Exception):
            raise found
        return found  # type: ignore[return-value]

    def value(self, name: str) -> Any:
        """The value of ``name`` on this date (raises like :meth:`RuleSet.value`)."""
        return self.entry(name).get(self.on)

    def cited(self, name: str) -> tuple[Any, Citation]:
        """The value of ``name`` and its citation."""
        entry = self.entry(name)
        return entry.get(self.on), entry.citation
