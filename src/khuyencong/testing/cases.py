"""Legal test cases as data: a TOML case-file format and its pytest plugin.

Like OpenFisca's YAML tests: each ``[[case]]`` gives the inputs, the date, and the expected
decision, amount, failing conditions or error. The plugin collects ``cases/*.toml`` files
holding ``[[case]]`` tables; enable it in your ``conftest.py`` with
``pytest_plugins = ["khuyencong.testing.cases"]`` (it is not installed as a ``pytest11`` entry
point, so installing khuyencong never changes another project's tests). :func:`load_cases` and
:func:`run_case` can also be used directly.

A case::

    [[case]]
    name = "A cooperative with four members is not a cooperative after 1 July 2024"
    rule = "eligibility"          # eligibility | amount | cooperative | sme_size | award
                                  # | award_levels | award_entry | ocop | advance | settlement
                                  # | final_settlement | dossier | approver | models_per_district
    on = 2024-07-01
    establishment = { id = "H", name = "HTX", legal_form = "cooperative", members = 4,
                      location = { map_id = "2021-11", code = "07525" },
                      sectors = ["handicrafts"] }
    expect = { outcome = false, failed = ["cooperative.members"] }

Eligibility cases give an ``establishment`` or an ``artisan`` (and optionally ``approved_on``,
``plan_year``, ``overlay``, ``city_grades``, ``ward_conversions``, ``craft_villages``) and may
also expect ``regime``, ``rules_on`` and ``location_citation`` (the document the location
condition rests on). Amount cases give ``content``, ``eligible_cost`` (and optionally
``quantity``, ``fund``, ``priority`` — ``true`` for the maximum multiplier of the date, or a
multiplier as text such as ``"1.2"``) and expect ``amount`` and ``cap_reached``.
``award_levels`` cases expect ``levels``; ``ocop`` cases give a ``score`` or three ``parts`` and
may expect ``stars``, ``score``, ``part_maxima`` and ``ocop_product``; ``advance`` cases give
``content``, ``support``, ``progress`` and ``accepted`` and expect ``kind``, ``rate``,
``amount`` and ``condition_met``; ``settlement`` cases (``on`` = the last acceptance) and
``final_settlement`` cases (``on`` = a day of the plan year) expect ``deadline``; ``dossier``
cases (``on`` = a day of the year the dossiers are filed in) expect ``to_department`` and
``to_ministry``; ``approver`` cases give ``change`` (and ``group_project``) and expect
``approver``. Any case may expect an ``error`` (the exception class name) and ``parameter`` (the
parameter it names).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest

from khuyencong.converters import structure
from khuyencong.domain import (
    Artisan,
    BusinessSectorGroup,
    Establishment,
    Fund,
    LegalForm,
    SupportContent,
)
from khuyencong.exceptions import KhuyenCongError

__all__ = ["Case", "CaseFile", "CaseItem", "load_cases", "pytest_collect_file", "run_case"]


@attrs.frozen
class Case:
    """One legal test case.

    Attributes:
        name: The business rule it checks, in a sentence.
        rule: Which rule to run.
        on: The date.
        inputs: The rule's inputs (as read from TOML).
        expect: The expected results.
        source: The file and index it came from.
    """

    name: str
    rule: str
    on: dt.date
    inputs: Mapping[str, Any]
    expect: Mapping[str, Any]
    source: str = ""


def _iso(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _iso(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_iso(v) for v in value]
    return value


def load_cases(path: Path | str) -> list[Case]:
    """The cases of one file.

    Raises:
        ValueError: If a case lacks a name, rule, date or expectation.
    """
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    cases = []
    for i, raw in enumerate(data.get("case", [])):
        missing = [k for k in ("name", "rule", "on", "expect") if k not in raw]
        if missing:
            msg = f"{path} case {i}: missing {', '.join(missing)}"
            raise ValueError(msg)
        inputs = {k: v for k, v in raw.items() if k not in ("name", "rule", "on", "expect")}
        cases.append(
            Case(
                raw["name"],
                raw["rule"],
                raw["on"],
                inputs,
                raw["expect"],
                f"{Path(path).name}[{i}]",
            )
        )
    return cases


def _rules(case: Case) -> Any:
    from khuyencong.rules import (  # noqa: PLC0415
        CityGrade,
        CraftVillage,
        RuleSet,
        WardConversion,
    )

    rules = RuleSet.national()
    overlay = case.inputs.get("overlay")
    if overlay:
        rules = rules.with_overlay(Path(__file__).parent.parent / "data" / "legal" / overlay)
    grades = [CityGrade(**g) for g in case.inputs.get("city_grades", [])]
    conversions = [WardConversion(**c) for c in case.inputs.get("ward_conversions", [])]
    villages = [CraftVillage(**v) for v in case.inputs.get("craft_villages", [])]
    if grades or conversions or villages:
        rules = rules.with_unit_facts(grades, conversions, villages)
    what_if = case.inputs.get("what_if")
    if what_if:
        rules = rules.what_if(what_if, label="case")
    return rules


def _eligibility(case: Case, rules: Any) -> dict[str, Any]:
    from khuyencong import rules as r  # noqa: PLC0415

    subject: Establishment | Artisan
    if "artisan" in case.inputs:
        subject = structure(_iso(case.inputs["artisan"]), Artisan)
    else:
        subject = structure(_iso(case.inputs["establishment"]), Establishment)
    decision = r.check_eligibility(
        subject,
        case.on,
        rules=rules,
        plan_year=case.inputs.get("plan_year"),
        approved_on=case.inputs.get("approved_on"),
    )
    got = {"outcome": decision.outcome, "failed": sorted(decision.failed_codes)}
    if "regime" in case.expect:
        got["regime"] = decision.regime
    if "rules_on" in case.expect:
        got["rules_on"] = decision.rules_on
    if "location_citation" in case.expect:
        got["location_citation"] = next(
            c.citation.document for c in decision.conditions if c.code == "location"
        )

    return got


def _priority(raw: object) -> bool | Decimal:
    """A case's ``priority``: ``true``/``false``, or a multiplier written as text (``"1.2"``)."""
    return raw if isinstance(raw, bool) else Decimal(str(raw))


def _run(case: Case) -> dict[str, Any]:
    from khuyencong import rules as r  # noqa: PLC0415

    rules = _rules(case)
    got: dict[str, Any] = {}
    if case.rule == "eligibility":
        got = _eligibility(case, rules)
    elif case.rule == "amount":
        amount = r.support_amount(
            SupportContent(case.inputs["content"]),
            case.inputs["eligible_cost"],
            case.on,
            rules=rules,
            fund=Fund(case.inputs.get("fund", "national")),
            quantity=case.inputs.get("quantity", 1),
            priority=_priority(case.inputs.get("priority", False)),
        )
        got = {"amount": amount.amount, "cap_reached": amount.cap_reached}
    elif case.rule == "cooperative":
        decision = r.check_cooperative(
            LegalForm(case.inputs["legal_form"]), case.inputs.get("members"), case.on, rules=rules
        )
        got = {"outcome": decision.outcome, "failed": sorted(decision.failed_codes)}
    elif case.rule == "sme_size":
        size = r.sme_size_class(
            case.inputs.get("employees"),
            case.inputs.get("revenue"),
            case.inputs.get("total_capital"),
            BusinessSectorGroup(case.inputs["sector_group"]),
            case.on,
            rules=rules,
        )
        got = {"size_class": size.value}
    elif case.rule == "award":
        from khuyencong.rules import certificate_valid_until, passes  # noqa: PLC0415

        if "score" in case.inputs:
            got["passed"] = passes(Decimal(str(case.inputs["score"])), case.on, rules=rules)
        if "issued_on" in case.inputs:
            got["valid_until"] = certificate_valid_until(case.inputs["issued_on"], rules=rules)
    elif case.rule == "award_levels":
        got = {"levels": [level.value for level in r.award_levels(case.on, rules=rules)]}
    elif case.rule == "ocop":
        if "parts" in case.inputs:
            a, b, c = (Decimal(str(x)) for x in case.inputs["parts"])
            score = r.ocop_score(a, b, c, case.on, rules=rules)
            got["score"] = str(score)
        else:
            score = Decimal(str(case.inputs["score"]))
        got["stars"] = r.ocop_stars(score, case.on, rules=rules)
        got["ocop_product"] = r.is_ocop_product(got["stars"], case.on, rules=rules)
        got["part_maxima"] = list(r.part_maxima(case.on, rules=rules))
    elif case.rule == "advance":
        advance = r.first_advance(
            SupportContent(case.inputs["content"]),
            case.inputs["support"],
            case.on,
            progress=Decimal(str(case.inputs.get("progress", "0"))),
            accepted=case.inputs.get("accepted", False),
            rules=rules,
        )
        got = {
            "kind": advance.kind,
            "rate": f"{(advance.rate * 100).normalize():f}%",
            "amount": advance.amount,
            "condition_met": advance.condition_met,
        }
    elif case.rule == "settlement":
        got = {"deadline": r.settlement_deadline(case.on, rules=rules)}
    elif case.rule == "final_settlement":
        got = {"deadline": r.final_settlement_deadline(case.on, rules=rules)}
    elif case.rule == "dossier":
        deadlines = r.dossier_deadlines(case.on, rules=rules)
        got = {"to_department": deadlines.to_department, "to_ministry": deadlines.to_ministry}
    elif case.rule == "approver":
        got = {
            "approver": r.adjustment_approver(
                case.inputs["change"],
                case.on,
                group_project=case.inputs.get("group_project", False),
                rules=rules,
            )
        }
    elif case.rule in _EXTRA_RULES:
        got = _EXTRA_RULES[case.rule](case, rules)
    else:
        msg = f"unknown rule {case.rule!r}"
        raise ValueError(msg)
    return got


# ---------------------------------------------------------------------------------------------
# Issue 9: award entries across the 1/7/2025 ladder change, and the one-model-per-district
# limit. ``award_entry`` cases give ``level`` and optionally ``prior = { level, issued_on }``
# (a recognised certificate) and ``lower_round_held``; they expect ``outcome``, ``failed`` and
# ``exception`` (the labelled exception of the prerequisite, "" for none).
# ``models_per_district`` cases give ``models`` and expect ``outcome``.


def _award_entry(case: Case, rules: Any) -> dict[str, Any]:
    from khuyencong.domain import AwardEntry, AwardLevel, ProductGroup  # noqa: PLC0415
    from khuyencong.rules import check_award_entry  # noqa: PLC0415

    def make(level: str, issued_on: dt.date | None = None) -> AwardEntry:
        return AwardEntry(
            id=f"E-{level}",
            product_name="case",
            establishment_id="CS-1",
            product_group=ProductGroup.OTHER,
            level=AwardLevel(level),
            round_year=case.on.year,
            score=Decimal(80) if issued_on else None,
            passed=True if issued_on else None,
            recognised=True if issued_on else None,
            certificate_issued_on=issued_on,
        )

    raw_prior = case.inputs.get("prior")
    prior = make(raw_prior["level"], raw_prior["issued_on"]) if raw_prior else None
    decision = check_award_entry(
        make(case.inputs["level"]),
        case.on,
        rules=rules,
        prior=prior,
        lower_round_held=case.inputs.get("lower_round_held", True),
    )
    exceptions = [c.exception for c in decision.conditions if c.code == "award.prerequisite"]
    return {
        "outcome": decision.outcome,
        "failed": sorted(decision.failed_codes),
        "exception": (exceptions[0] or "") if exceptions else "",
    }


def _models_per_district(case: Case, rules: Any) -> dict[str, Any]:
    from khuyencong.rules import check_models_per_district  # noqa: PLC0415

    decision = check_models_per_district("D", case.inputs["models"], case.on, rules=rules)
    return {"outcome": decision.outcome, "failed": sorted(decision.failed_codes)}


_EXTRA_RULES = {"award_entry": _award_entry, "models_per_district": _models_per_district}


def run_case(case: Case) -> None:
    """Run one case and compare with its expectations.

    Raises:
        AssertionError: Listing what differs.
    """
    expect = dict(case.expect)
    error = expect.pop("error", None)
    parameter = expect.pop("parameter", None)
    if error is not None:
        raised: KhuyenCongError | None = None
        got: dict[str, Any] = {}
        try:
            got = _run(case)
        except KhuyenCongError as exc:
            raised = exc
        assert raised is not None, f"{case.name}: expected {error}, got {got}"
        assert type(raised).__name__ == error, f"{case.name}: raised {raised!r}, expected {error}"
        if parameter is not None:
            named = getattr(raised, "parameter", None)
            assert named == parameter, f"{case.name}: names {named!r}, expected {parameter!r}"
        return
    got = _run(case)
    if "failed" in expect:
        expect["failed"] = sorted(expect["failed"])
    diffs = {k: (v, got.get(k)) for k, v in expect.items() if got.get(k) != v}
    assert not diffs, f"{case.name}: expected vs got {diffs}"


class CaseItem(pytest.Item):
    """One case as a pytest test."""

    def __init__(self, *, case: Case, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case

    def runtest(self) -> None:
        """Run the case."""
        run_case(self.case)

    def reportinfo(self) -> tuple[Path, int, str]:
        """Where the case is, for pytest's report."""
        return self.path, 0, f"case: {self.case.name}"


class CaseFile(pytest.File):
    """A TOML file of legal test cases."""

    def collect(self) -> Iterator[CaseItem]:
        """One item per case."""
        for case in load_cases(self.path):
            yield CaseItem.from_parent(self, name=case.name, case=case)


def _is_case_file(file_path: Path) -> bool:
    if file_path.suffix != ".toml" or file_path.parent.name != "cases":
        return False
    # The plugin is installed with the package, so it must leave other projects' TOML alone:
    # only a file whose tables include ``[[case]]`` is a case file.
    try:
        with file_path.open("rb") as f:
            return isinstance(tomllib.load(f).get("case"), list)
    except (OSError, tomllib.TOMLDecodeError):
        return False


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> CaseFile | None:
    """Collect ``cases/*.toml`` files holding ``[[case]]`` tables as legal test cases."""
    if _is_case_file(file_path):
        return CaseFile.from_parent(parent, path=file_path)
    return None
