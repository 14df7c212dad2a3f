"""SME size classes on a date, under the SME decree in force then.

Two rule shapes, chosen per date by the parameter ``sme.size_rule`` (data, cited):

``employees_and_revenue_or_capital`` — Nghị định 39/2018/NĐ-CP Điều 6 (11/3/2018 – 14/10/2021)
    and 80/2021/NĐ-CP Điều 5 (from 15/10/2021): a class needs the insured headcount (yearly
    average) AND (revenue OR total capital) within its limits; the smallest class that fits
    wins; none → large.

``capital_or_employees`` — Nghị định 56/2009/NĐ-CP Điều 3 (here from 5/7/2012 to 10/3/2018):
    total capital OR yearly average workers, *total capital the priority criterion*, no
    revenue test, and a worker limit only for micro. Read as [U, an interpretation]: when the
    capital is known it decides — up to the small limit is small (micro if the workers are also
    within the micro limit), up to the medium limit is medium, above it large; without the
    capital the workers decide class by class.

The thresholds are ``sme.<group>.<class>.max_employees|max_revenue|max_capital``; a shape asks
only for the ones it uses (56/2009 has no revenue limit and no micro capital limit). The one
implementation is :func:`size_of` (through :func:`classify`, with the thresholds memoised per
date): :func:`sme_size_class` and the ``sme.size`` condition of eligibility
(:class:`khuyencong.rules._eligibility.Profile`) both call it.

>>> import datetime as dt
>>> from khuyencong.domain import BusinessSectorGroup as G
>>> sme_size_class(8, 2_000_000_000, None, G.AGRICULTURE_INDUSTRY_CONSTRUCTION, dt.date(2022, 1, 1))
<SizeClass.MICRO: 'micro'>
>>> sme_size_class(150, 10**12, 90_000_000_000, G.AGRICULTURE_INDUSTRY_CONSTRUCTION,
...                dt.date(2022, 1, 1))
<SizeClass.MEDIUM: 'medium'>

Under 56/2009 capital comes first: 500 workers with 15 billion of capital is a small
enterprise, and revenue plays no part.

>>> sme_size_class(500, 10**13, 15_000_000_000, G.AGRICULTURE_INDUSTRY_CONSTRUCTION,
...                dt.date(2016, 1, 1))
<SizeClass.SMALL: 'small'>
>>> sme_size_class(500, 10**13, 15_000_000_000, G.AGRICULTURE_INDUSTRY_CONSTRUCTION,
...                dt.date(2018, 3, 11))
<SizeClass.LARGE: 'large'>
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from khuyencong.domain import BusinessSectorGroup, Citation, Dong, SizeClass
from khuyencong.exceptions import ConfigurationError, ValidationError
from khuyencong.messages import text as message
from khuyencong.rules._arguments import Arguments, dated
from khuyencong.rules._rulesets import DatedRules, RuleSet

__all__ = [
    "CAPITAL_OR_EMPLOYEES",
    "EMPLOYEES_AND_REVENUE_OR_CAPITAL",
    "SIZE_CLASSES",
    "classifier",
    "classify",
    "has_inputs",
    "row_getter",
    "shape_of",
    "size_class_cited",
    "size_of",
    "size_row",
    "sme_size_class",
    "thresholds",
]

EMPLOYEES_AND_REVENUE_OR_CAPITAL = "employees_and_revenue_or_capital"
"""The rule shape of 39/2018/NĐ-CP Điều 6 and 80/2021/NĐ-CP Điều 5."""
CAPITAL_OR_EMPLOYEES = "capital_or_employees"
"""The rule shape of 56/2009/NĐ-CP Điều 3 (total capital the priority criterion)."""
SHAPES = frozenset({EMPLOYEES_AND_REVENUE_OR_CAPITAL, CAPITAL_OR_EMPLOYEES})

SIZE_CLASSES = (SizeClass.MICRO, SizeClass.SMALL, SizeClass.MEDIUM)
"""The SME classes, smallest first (index 0, 1, 2; index 3 is large)."""

Row = tuple[int, Dong | None, Dong | None, Citation]
"""The thresholds of one class: max employees, max revenue, max capital (``None`` when the
shape has no such limit) and the citation of the class (its headcount threshold)."""

Lookup = Callable[[str], tuple[object, Citation]]
"""A memoised parameter lookup returning ``(value, citation)`` (``DatedRules.cited``)."""


def shape_of(lookup: Lookup) -> str:
    """The SME size rule shape in force (``sme.size_rule``), checked.

    Raises:
        ConfigurationError: For a shape this module does not know.
        CoverageError: Before the first SME decree the data files cover.
    """
    value = lookup("sme.size_rule")[0]
    if value not in SHAPES:
        msg = f"unknown SME size rule {value!r}; expected one of {sorted(SHAPES)}"
        raise ConfigurationError(msg)
    return str(value)


def size_row(lookup: Lookup, shape: str, group: BusinessSectorGroup, index: int) -> Row:
    """The thresholds of class ``index`` of ``group`` that ``shape`` uses.

    Raises:
        NotConfiguredError: If a threshold the shape needs is unknown.
        CoverageError: If it has no value on the date.
    """
    base = f"sme.{group.value}.{SIZE_CLASSES[index].value}."
    max_emp, cite = lookup(base + "max_employees")
    assert isinstance(max_emp, int)  # the loader checked the type
    if shape == CAPITAL_OR_EMPLOYEES:
        if index == 0:
            return max_emp, None, None, cite
        max_cap = lookup(base + "max_capital")[0]
        return max_emp, None, max_cap, cite  # type: ignore[return-value]
    max_rev = lookup(base + "max_revenue")[0]
    max_cap = lookup(base + "max_capital")[0]
    return max_emp, max_rev, max_cap, cite  # type: ignore[return-value]


def row_getter(lookup: Lookup, shape: str, group: BusinessSectorGroup) -> Callable[[int], Row]:
    """A memoising ``row(i)`` for :func:`classify`: each class's thresholds are looked up once,
    and only when first asked for (errors are not memoised here; ``lookup`` may memoise them).
    """
    rows: list[Row | None] = [None, None, None]

    def row(index: int) -> Row:
        found = rows[index]
        if found is None:
            found = rows[index] = size_row(lookup, shape, group, index)
        return found

    return row


def has_inputs(
    shape: str, employees: int | None, revenue: Dong | None, total_capital: Dong | None
) -> bool:
    """Whether the figures suffice for ``shape`` (else a declared class is used)."""
    if shape == CAPITAL_OR_EMPLOYEES:
        return employees is not None or total_capital is not None
    return employees is not None and (revenue is not None or total_capital is not None)


def classify(
    shape: str,
    row: Callable[[int], Row],
    employees: int | None,
    revenue: Dong | None,
    total_capital: Dong | None,
) -> tuple[int, Citation]:
    """The class index (0 micro, 1 small, 2 medium, 3 large) and the citation that decided it.

    ``row(i)`` gives the thresholds of class ``i``; rows are asked for smallest first and only
    as needed, so an unknown larger class matters only when a smaller one does not fit.
    The figures must satisfy :func:`has_inputs`.
    """
    if shape == CAPITAL_OR_EMPLOYEES and total_capital is not None:
        small = row(1)
        assert small[2] is not None  # the shape's small class has a capital limit
        if total_capital <= small[2]:
            micro = row(0)
            if employees is not None and employees <= micro[0]:
                return 0, micro[3]
            return 1, small[3]
        medium = row(2)
        assert medium[2] is not None
        return (2 if total_capital <= medium[2] else 3), medium[3]
    cite: Citation | None = None
    for index in (0, 1, 2):
        max_emp, max_rev, max_cap, cite = row(index)
        assert employees is not None  # has_inputs
        if employees > max_emp:
            continue
        if shape == CAPITAL_OR_EMPLOYEES:
            return index, cite
        if (revenue is not None and max_rev is not None and revenue <= max_rev) or (
            total_capital is not None and max_cap is not None and total_capital <= max_cap
        ):
            return index, cite
    assert cite is not None  # three rows were looked up
    return 3, cite


def thresholds(
    row: Callable[[int], Row],
) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
    """Every threshold :func:`classify` compares employees, revenue and capital with, each
    sorted (all three classes' rows, looked up now).

    :func:`classify` reads a figure only by comparing it with these (``<=``, ``>``) and by
    whether it is ``None``, so two figures with the same place among them
    (``bisect.bisect_left``) give the same class and citation: batch evaluation memoises the
    class per place instead of classifying every enterprise.

    Raises:
        NotConfiguredError: If a threshold of any class is unknown on the date.
        CoverageError: If it has no value on the date.
    """
    rows = [row(i) for i in (0, 1, 2)]
    employees = sorted({r[0] for r in rows})
    revenue = sorted({r[1] for r in rows if r[1] is not None})
    capital = sorted({r[2] for r in rows if r[2] is not None})
    return tuple(employees), tuple(revenue), tuple(capital)


def classifier(rules: DatedRules, group: BusinessSectorGroup) -> tuple[str, Callable[[int], Row]]:
    """The SME size rule of the rules' date for ``group``: its shape and its thresholds, looked
    up once per date (kept in ``rules.cache``).

    Raises:
        ConfigurationError: For a shape this module does not know.
        CoverageError: Before the first SME decree the data files cover.
    """
    key = ("sme_size", group)
    found: tuple[str, Callable[[int], Row]] | None = rules.cache.get(key)
    if found is None:
        shape = shape_of(rules.cited)
        found = rules.cache[key] = (shape, row_getter(rules.cited, shape, group))
    return found


def size_of(
    employees: int | None,
    revenue: Dong | None,
    total_capital: Dong | None,
    group: BusinessSectorGroup,
    rules: DatedRules,
) -> tuple[SizeClass, Citation] | None:
    """The size class and the citation that decided it, or ``None`` when the figures do not
    suffice for the rule in force (the one implementation of the SME size rule).

    Raises:
        NotConfiguredError: If a threshold is unknown on the date.
        CoverageError: If the date is outside the thresholds' coverage.
    """
    shape, row = classifier(rules, group)
    if not has_inputs(shape, employees, revenue, total_capital):
        return None
    index, cite = classify(shape, row, employees, revenue, total_capital)
    return (SizeClass.LARGE if index == 3 else SIZE_CLASSES[index]), cite


def size_class_cited(
    employees: int | None,
    revenue: Dong | None,
    total_capital: Dong | None,
    group: BusinessSectorGroup,
    rules: DatedRules,
) -> tuple[SizeClass, Citation]:
    """The size class and the citation of the threshold that decided it.

    Raises:
        ValidationError: If the figures do not suffice for the rule in force (naming them).
        NotConfiguredError: If a threshold is unknown on the date.
        CoverageError: If the date is outside the thresholds' coverage.
    """
    found = size_of(employees, revenue, total_capital, group, rules)
    if found is None:
        key = (
            "rules.sme_needs_workers_or_capital"
            if shape_of(rules.cited) == CAPITAL_OR_EMPLOYEES
            else "rules.sme_needs_employees_and_revenue_or_capital"
        )
        raise ValidationError.single(
            "$.employees", employees, message(key, on=rules.on.isoformat())
        )
    return found


def sme_size_class(
    employees: int | None,
    revenue: Dong | None,
    total_capital: Dong | None,
    group: BusinessSectorGroup | str,
    on: dt.date,
    *,
    rules: RuleSet | DatedRules | None = None,
) -> SizeClass:
    """The size class of an enterprise on ``on`` (``LARGE`` if no SME class fits).

    Args:
        employees: Insured employees (workers under 56/2009), yearly average.
        revenue: Revenue of the year, in whole đồng (``None`` if unknown; unused under 56/2009).
        total_capital: Total capital of the year, in whole đồng (``None`` if unknown).
        group: The sector group of the main registered line (a member, or text such as
            ``"industry"`` or ``"thương mại"``).
        on: The date.
        rules: A rule set or its view dated ``on`` (national baseline by default).

    Raises:
        ValidationError: For an argument of the wrong kind (naming it), or figures that do not
            suffice for the rule in force on ``on``.
        khuyencong.exceptions.CoverageError: Before 5/7/2012.
    """
    args = Arguments()
    args.optional_count(employees, "employees")
    args.optional_money(revenue, "revenue")
    args.optional_money(total_capital, "total_capital")
    group = args.member(BusinessSectorGroup, group, "group")
    args.day(on)
    args.rules(rules)
    args.check()
    return size_class_cited(employees, revenue, total_capital, group, dated(rules, on))[0]
