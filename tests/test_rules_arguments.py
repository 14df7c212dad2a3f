"""Tests of ``khuyencong.rules._arguments``: every public rule function checks its arguments.

The walk below introspects ``khuyencong.rules.__all__``: every function with a date or money
parameter is called once with valid arguments, then with a ``str`` where each date belongs and a
``float`` where each amount of money belongs, and must raise the library's ``ValidationError``
naming that argument. A new rule function is walked without editing this file (a parameter name
the samples do not know fails loudly, so that it gets a sample).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import inspect
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

import _walk
from khuyencong import rules
from khuyencong.domain import (
    AwardEntry,
    AwardLevel,
    BusinessSectorGroup,
    Establishment,
    Fund,
    LegalForm,
    ProductGroup,
    Project,
    ProjectContent,
    ProjectKind,
    Sector,
    SupportContent,
    million,
)
from khuyencong.exceptions import (
    CoverageError,
    KhuyenCongError,
    NotConfiguredError,
    ValidationError,
)
from khuyencong.messages import language
from khuyencong.rules import Application, RuleSet
from khuyencong.rules._arguments import Arguments, dated, ruleset
from khuyencong.units import MapId, UnitRef

ON = dt.date(2020, 1, 1)
EST = Establishment(
    id="HTX-1",
    name="HTX Mỳ Chũ",
    legal_form=LegalForm.COOPERATIVE,
    location=UnitRef(MapId.MAP_2021, "07525"),
    sectors=(Sector.AGRO_FOOD_PROCESSING,),
    members=9,
)
PROJECT = Project(
    id="DA-1",
    title="Máy sấy",
    kind=ProjectKind.SINGLE_BENEFICIARY,
    beneficiary_ids=("HTX-1",),
    contents=(ProjectContent(SupportContent.MACHINERY, million(400), million(100)),),
    fund=Fund.NATIONAL,
    province=UnitRef(MapId.MAP_2021, "24"),
    plan_year=2020,
    lead_agency="Trung tâm Khuyến công",
)
ENTRY = AwardEntry(
    id="E-1",
    product_name="Mỳ Chũ",
    establishment_id="HTX-1",
    product_group=ProductGroup.PROCESSED_AGRO_FOOD,
    level=AwardLevel.PROVINCE,
    round_year=2020,
)


def _frame_sample() -> object:
    """One application as a Polars DataFrame of wire values (``None`` without Polars)."""
    try:
        import polars as pl  # noqa: PLC0415  (an optional extra)
    except ImportError:
        return None
    return pl.DataFrame(
        {
            "id": [EST.id],
            "name": [EST.name],
            "legal_form": [EST.legal_form.value],
            "map_id": [EST.location.map_id.value],
            "unit_code": [EST.location.code],
            "sectors": [[s.value for s in EST.sectors]],
            "members": [EST.members],
        }
    )


SAMPLES: dict[str, object] = {
    "accepted": True,
    "advanced": million(50),
    "applications": [Application(EST, SupportContent.MACHINERY, million(100))],
    "approved": million(100),
    "change": "increase_total_support",
    "claims": [],
    "code": "24",
    "columns": {
        "id": [EST.id],
        "name": [EST.name],
        "legal_form": [EST.legal_form],
        "location": [EST.location],
        "sectors": [EST.sectors],
        "members": [EST.members],
    },
    "content": SupportContent.MACHINERY,
    "content_and_sector_eligible": True,
    "frame": _frame_sample(),
    "counterpart_committed": True,
    "district_code": "219",
    "eligible_cost": million(400),
    "employees": 8,
    "entry": ENTRY,
    "establishment": EST,
    "form": LegalForm.COOPERATIVE,
    "group": BusinessSectorGroup.AGRICULTURE_INDUSTRY_CONSTRUCTION,
    "issued_on": ON,
    "last_acceptance": ON,
    "members": 9,
    "models_in_district": 1,
    "on": ON,
    "other_state_funding": False,
    "part_a": 30,
    "part_b": 20,
    "part_c": 30,
    "project": PROJECT,
    "received_on": ON,
    "revenue": million(2000),
    "score": 70,
    "scores": {"market": 30, "economic_technical": 30, "culture": 8, "other": 5},
    "settled": million(40),
    "stars": 4,
    "subject": "DA-1",
    "support": million(100),
    "total_capital": million(1000),
    "unit": UnitRef(MapId.MAP_REFORM, "07582"),
    "value": million(1),
}
"""A valid value for every required parameter of a rule function, by name."""

SAMPLES_OF = {"check_support_conditions": {"approved": True}}
"""Samples of a parameter whose name means something else in one function."""

OPTIONAL_DATES = {"approved_on": dt.date(2019, 6, 1)}
"""Optional date parameters, walked too (``on`` of for_province is optional as well)."""


def _functions() -> list[tuple[str, Callable[..., Any]]]:
    return _walk.public_callables(rules)


def _is_date(annotation: object) -> bool:
    return isinstance(annotation, str) and "dt.date" in annotation


def _is_money(annotation: object) -> bool:
    return isinstance(annotation, str) and "Dong" in annotation


def _checked(function: Callable[..., Any]) -> list[tuple[str, str]]:
    """The (parameter, kind) pairs of ``function`` to walk: kind ``date`` or ``money``."""
    found = []
    for p in inspect.signature(function).parameters.values():
        if _is_date(p.annotation):
            found.append((p.name, "date"))
        elif _is_money(p.annotation):
            found.append((p.name, "money"))
    return found


WALKED = [(n, f, p, k) for n, f in _functions() for p, k in _checked(f)]
RULES_PARAM = [(n, f) for n, f in _functions() if "rules" in inspect.signature(f).parameters]


def _call(function: Callable[..., Any], **override: object) -> object:
    """Call ``function`` with the samples for its required parameters (and ``override``)."""
    return _walk.call(function, SAMPLES | SAMPLES_OF.get(function.__name__, {}), **override)


class TestEveryRuleFunction:
    def test_the_walk_covers_the_rule_functions(self) -> None:
        """The walk finds the rule functions a developer calls (it cannot pass vacuously)."""
        names = {n for n, *_ in WALKED}
        assert names >= {
            "support_amount",
            "check_eligibility",
            "check_cooperative",
            "sme_size_class",
            "passes",
            "ocop_stars",
            "first_advance",
            "settlement_deadline",
            "final_settlement_deadline",
            "dossier_deadlines",
            "evaluate_many",
            "remaining_advance",
            "refund_due",
        }
        assert len(RULES_PARAM) >= 25

    @pytest.mark.parametrize(("name", "function"), _functions(), ids=[n for n, _ in _functions()])
    def test_valid_samples_are_accepted(self, name: str, function: Callable[..., Any]) -> None:
        """Valid arguments raise no ValidationError (a rule may still say a value is unknown),
        so that a refusal below is the argument's fault, not a bad sample's."""
        with contextlib.suppress(NotConfiguredError, CoverageError):
            _call(function)

    @pytest.mark.parametrize(
        ("name", "function", "param", "kind"),
        WALKED,
        ids=[f"{n}.{p}" for n, _, p, _ in WALKED],
    )
    def test_a_str_date_or_a_float_amount_is_refused_naming_the_argument(
        self, name: str, function: Callable[..., Any], param: str, kind: str
    ) -> None:
        """A date given as text (``"2020-01-01"``) and money given as a float (``1.5e8``) raise
        the library's ValidationError (a KhuyenCongError and a ValueError) whose path names
        the argument."""
        bad = ON.isoformat() if kind == "date" else 1.5e8
        with pytest.raises(ValidationError) as info:
            _call(function, **{param: bad})
        assert f"$.{param}" in info.value.paths
        assert isinstance(info.value, KhuyenCongError)
        assert isinstance(info.value, ValueError)

    @pytest.mark.parametrize(("name", "function"), RULES_PARAM, ids=[n for n, _ in RULES_PARAM])
    def test_rules_that_are_not_a_rule_set_are_refused(
        self, name: str, function: Callable[..., Any]
    ) -> None:
        """``rules="national"`` (not a RuleSet nor a dated view) is refused, naming ``rules``."""
        with pytest.raises(ValidationError) as info:
            _call(function, rules="national")
        assert "$.rules" in info.value.paths

    @pytest.mark.parametrize(("name", "function"), RULES_PARAM, ids=[n for n, _ in RULES_PARAM])
    def test_a_dated_view_of_the_same_day_is_accepted(
        self, name: str, function: Callable[..., Any]
    ) -> None:
        """Every function taking ``rules`` accepts the view dated its own day, as the issue's
        ``check_cooperative(..., RuleSet.national().at(on))`` should."""
        params = inspect.signature(function).parameters
        dates = ("on", "issued_on", "last_acceptance", "received_on")
        day = next(SAMPLES[p] for p in params if p in dates)
        assert isinstance(day, dt.date)
        with contextlib.suppress(NotConfiguredError, CoverageError):
            _call(function, rules=RuleSet.national().at(day))

    @pytest.mark.parametrize("name", sorted(OPTIONAL_DATES))
    def test_an_optional_date_given_as_text_is_refused(self, name: str) -> None:
        """An optional date (``approved_on``) given as text is refused, naming it."""
        with pytest.raises(ValidationError) as info:
            rules.check_eligibility(EST, ON, approved_on="2019-06-01")  # type: ignore[arg-type]
        assert info.value.paths == (f"$.{name}",)
        with pytest.raises(ValidationError):
            rules.for_province("24", "2020-01-01")  # type: ignore[arg-type]


class TestArguments:
    def test_every_problem_is_listed_at_once(self) -> None:
        """Several wrong arguments are reported together, each with its path."""
        with pytest.raises(ValidationError) as info:
            rules.support_amount("machinary", -1, "2020-01-01", quantity=0)  # type: ignore[arg-type]
        assert info.value.paths == ("$.content", "$.eligible_cost", "$.on", "$.quantity")

    def test_a_datetime_is_not_a_date(self) -> None:
        """A datetime is refused where a date belongs (it would compare unequal to the date)."""
        with language("en"):
            args = Arguments()
            args.day(dt.datetime(2020, 1, 1, 8, 0), "on")  # noqa: DTZ001
        with pytest.raises(ValidationError, match=r"use \.date\(\)"):
            args.check()

    @pytest.mark.parametrize("value", [Decimal("0.5"), Fraction(1, 2), Decimal(0), Decimal(1)])
    def test_a_share_is_a_decimal_or_fraction_from_0_to_1(self, value: object) -> None:
        """Shares from 0 to 1 as Decimal or Fraction are kept, as exact fractions."""
        args = Arguments()
        assert args.share(value, "progress") == Fraction(str(value))
        args.check()

    @pytest.mark.parametrize("value", [True, 1.5, "2", Decimal("NaN")])
    def test_a_bool_float_or_text_is_not_a_score(self, value: object) -> None:
        """A score is an int or a Decimal: True, 1.5, text and NaN are refused."""
        args = Arguments()
        args.score(value)
        with pytest.raises(ValidationError):
            args.check()

    def test_rules_dated_another_day_name_both_days(self) -> None:
        """A view dated another day is refused with both days in the message."""
        with language("en"), pytest.raises(ValidationError, match=r"2019-01-01.*2020-01-01"):
            dated(RuleSet.national().at(dt.date(2019, 1, 1)), ON)

    def test_a_rule_set_refuses_a_str_date_too(self) -> None:
        """``RuleSet.at`` and ``RuleSet.value`` refuse a date given as text, naming ``on``."""
        national = RuleSet.national()
        for call in (
            lambda: national.at("2020-01-01"),  # type: ignore[arg-type]
            lambda: national.value("award.pass_mark", "2020-01-01"),  # type: ignore[arg-type]
        ):
            with pytest.raises(ValidationError) as info:
                call()
            assert info.value.paths == ("$.on",)

    def test_each_kind_of_argument_names_its_problem(self) -> None:
        """A number where a date belongs, a year of two digits, a count outside its range,
        text where a flag belongs, empty text and a text where dates belong are each listed
        with their path; a subclass of date is a date."""

        class Day(dt.date):
            pass

        args = Arguments()
        args.day(Day(2020, 1, 1), "ok")
        args.day(20200101, "on")
        args.year(20, "plan_year")
        args.count(6, "stars", 1, 5)
        args.flag("yes", "raise_errors")
        args.text(" ", "change")
        args.days("2020-01-01", "holidays")
        with pytest.raises(ValidationError) as info:
            args.check()
        assert info.value.paths == (
            "$.on",
            "$.plan_year",
            "$.stars",
            "$.raise_errors",
            "$.change",
            "$.holidays",
        )

    def test_a_batch_item_that_is_no_application_is_named_by_its_index(self) -> None:
        """evaluate_many refuses an item that is not an Application, naming its index."""
        good = Application(EST, SupportContent.MACHINERY, million(100))
        with pytest.raises(ValidationError) as info:
            rules.evaluate_many([good, EST], ON)  # type: ignore[list-item]
        assert info.value.paths == ("$.applications[1]",)

    def test_the_rule_set_of_a_view_is_its_own(self) -> None:
        """The rule set behind a dated view is the one it was made from."""
        national = RuleSet.national()
        assert ruleset(national.at(ON)) is national
        assert ruleset(None) is national
