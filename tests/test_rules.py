"""Tests of ``khuyencong.rules``: parameters, rule sets, explanations, eligibility, amounts."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khuyencong.cli._check import run
from khuyencong.converters import dumps, loads
from khuyencong.domain import (
    AreaDifficulty,
    Establishment,
    LegalForm,
    Sector,
    SupportContent,
    million,
)
from khuyencong.exceptions import (
    CoverageError,
    DataFileError,
    NotConfiguredError,
    RuleConflictError,
    ValidationError,
)
from khuyencong.messages import language
from khuyencong.rules import (
    Application,
    Decision,
    RuleSet,
    check_eligibility,
    evaluate_many,
    load_parameters,
    support_amount,
)
from khuyencong.rules._docs import render_reference_pages
from khuyencong.testing.cases import _is_case_file, load_cases
from khuyencong.units import MapId, UnitRef

CASES = Path(__file__).parent / "cases"
TOWNSHIP = UnitRef(MapId.MAP_2021, "07525")
NATIONAL = RuleSet.national()


def coop(**kw: object) -> Establishment:
    fields: dict[str, object] = {
        "id": "HTX-1",
        "name": "HTX Mỳ Chũ",
        "legal_form": LegalForm.COOPERATIVE,
        "location": TOWNSHIP,
        "sectors": [Sector.AGRO_FOOD_PROCESSING],
        "members": 9,
    }
    fields.update(kw)
    return Establishment(**fields)  # type: ignore[arg-type]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "x.toml"
    path.write_text(text, encoding="utf-8")
    return path


DOC = '[document]\nnumber = "X/2030"\neffective_from = 2030-01-01\n'


class TestLoadParameters:
    def test_shipped_files_load(self) -> None:
        """Every shipped legal file loads and validates together (no overlaps, no gaps)."""
        assert len(load_parameters()) > 150

    def test_overlap_is_refused(self, tmp_path: Path) -> None:
        """Two values of one parameter on the same day are an error naming the parameter."""
        path = write(
            tmp_path,
            DOC + '[[values]]\nparameter = "award.pass_mark"\nvalue = 70\n'
            '[[values]]\nparameter = "award.pass_mark"\nvalue = 75\neffective_from = 2030-06-01\n',
        )
        with language("en"), pytest.raises(DataFileError, match="overlapping"):
            load_parameters([path])

    def test_gap_is_refused(self, tmp_path: Path) -> None:
        """A gap between two periods is an error: unknown periods need a '?' entry."""
        path = write(
            tmp_path,
            DOC + '[[values]]\nparameter = "award.pass_mark"\nvalue = 70\n'
            "effective_to = 2030-03-01\n"
            '[[values]]\nparameter = "award.pass_mark"\nvalue = 75\neffective_from = 2030-06-01\n',
        )
        with language("en"), pytest.raises(DataFileError, match="gap"):
            load_parameters([path])

    def test_unknown_name_and_wrong_type(self, tmp_path: Path) -> None:
        """A typo in a name and a value of the wrong type are both reported, with paths."""
        path = write(
            tmp_path,
            DOC + '[[values]]\nparameter = "award.pass_mrk"\nvalue = 70\n'
            '[[values]]\nparameter = "award.levels"\nvalue = 3\n',
        )
        with pytest.raises(DataFileError) as info:
            load_parameters([path])
        assert [p.path for p in info.value.problems] == [
            "$.values[0].parameter",
            "$.values[1].value",
        ]

    def test_unknown_value_must_not_ship_a_value(self, tmp_path: Path) -> None:
        """A '?' entry ships no value."""
        path = write(
            tmp_path,
            DOC + '[[values]]\nparameter = "award.pass_mark"\nvalue = 7\nconfidence = "?"\n',
        )
        with language("en"), pytest.raises(DataFileError, match="ships no value"):
            load_parameters([path])


class TestRuleSet:
    def test_what_if_leaves_the_baseline_alone(self) -> None:
        """A what-if machinery cap of 500 million changes the simulation, not the baseline."""
        sim = NATIONAL.what_if({"support.national.machinery.cap": million(500)}, label="t")
        on = dt.date(2020, 1, 1)
        assert sim.value("support.national.machinery.cap", on) == million(500)
        assert NATIONAL.value("support.national.machinery.cap", on) == million(300)

    def test_what_if_refuses_wrong_types(self) -> None:
        """A float cap is refused: money is integer đồng."""
        with pytest.raises(DataFileError):
            NATIONAL.what_if({"support.national.machinery.cap": 5e8}, label="t")

    def test_lookup_outside_coverage_names_parameter_and_date(self) -> None:
        """A support rate asked before 8 April 2014 raises naming the parameter and date."""
        with pytest.raises(CoverageError) as info:
            NATIONAL.value("support.national.machinery.rate", dt.date(2014, 4, 7))
        assert (info.value.parameter, info.value.on) == (
            "support.national.machinery.rate",
            dt.date(2014, 4, 7),
        )

    def test_local_fund_needs_an_overlay(self) -> None:
        """Local-fund levels are not configured without the province's overlay."""
        with language("en"), pytest.raises(NotConfiguredError, match="People's Council"):
            NATIONAL.value("support.local.machinery.cap", dt.date(2026, 2, 1))

    def test_overlay_layers_on_top(self) -> None:
        """The example overlay supplies local levels and the 235/2025 location test."""
        path = (
            Path(__file__).parents[1] / "src/khuyencong/data/legal/overlays/example-province.toml"
        )
        rules = NATIONAL.with_overlay(path)
        assert rules.value("eligibility.location_test", dt.date(2025, 11, 1)) == "45/2012"
        assert rules.layers[-1].startswith("overlay: example")


class TestDecision:
    def test_failed_conditions_come_first_and_round_trip_as_json(self) -> None:
        """A decision lists failed conditions first and survives the converter's JSON."""
        decision = check_eligibility(coop(members=4), dt.date(2024, 7, 1))
        assert decision.conditions[0].code == "cooperative.members"
        assert loads(dumps(decision), Decision) == decision

    def test_renders_in_both_languages(self) -> None:
        """The text says 'KHÔNG ĐẠT' in Vietnamese and 'NO' in English with the citation."""
        decision = check_eligibility(coop(members=4), dt.date(2024, 7, 1))
        assert "KHÔNG ĐẠT" in decision.render("vi")
        assert "17/2023/QH15, Art. 4(7) [V]" in decision.render("en")


ELIGIBLE_FORMS = st.sampled_from(
    [LegalForm.COOPERATIVE, LegalForm.HOUSEHOLD_BUSINESS, LegalForm.LARGE_ENTERPRISE]
)


@st.composite
def establishments(draw: st.DrawFn) -> Establishment:
    form = draw(ELIGIBLE_FORMS)
    return Establishment(
        id="E",
        name="E",
        legal_form=form,
        location=TOWNSHIP,
        sectors=tuple(draw(st.lists(st.sampled_from(list(Sector)), min_size=1, max_size=3))),
        members=draw(st.integers(0, 12)) if form is LegalForm.COOPERATIVE else None,
        area_difficulty=draw(st.sampled_from(list(AreaDifficulty))),
        polluting_brick_kiln=draw(st.booleans()),
        cleaner_production=draw(st.booleans()),
    )


class TestCheckEligibility:
    def test_two_exceptions_at_once_are_a_conflict(self) -> None:
        """Cleaner production and cluster investment lifting the same limits is an error."""
        est = Establishment(
            id="L",
            name="L",
            legal_form=LegalForm.LARGE_ENTERPRISE,
            location=UnitRef(MapId.MAP_REFORM, "00376"),
            sectors=(Sector.HANDICRAFTS,),
            cleaner_production=True,
            cluster_infrastructure_investor=True,
        )
        with pytest.raises(RuleConflictError):
            check_eligibility(est, dt.date(2025, 10, 15))

    @settings(max_examples=60, deadline=None)
    @given(establishments(), st.dates(dt.date(2013, 1, 1), dt.date(2025, 6, 30)))
    def test_outcome_is_the_conjunction_of_conditions(
        self, est: Establishment, on: dt.date
    ) -> None:
        """A decision holds exactly when all its conditions hold."""
        decision = check_eligibility(est, on)
        assert decision.outcome == all(c.held for c in decision.conditions)

    @settings(max_examples=40, deadline=None)
    @given(
        establishments(),
        # Any name a domain object can hold: no NUL, which no store can keep.
        st.text(min_size=1, max_size=20).filter(lambda s: s.strip() and "\x00" not in s),
        st.dates(dt.date(1990, 1, 1), dt.date(2020, 1, 1)),
    )
    def test_irrelevant_fields_do_not_change_eligibility(
        self, est: Establishment, name: str, founded: dt.date
    ) -> None:
        """The name and founding date never change eligibility."""
        on = dt.date(2020, 1, 1)
        other = attrs.evolve(est, name=name.strip(), founded_on=founded)
        assert check_eligibility(other, on).outcome == check_eligibility(est, on).outcome


CONTENTS = st.sampled_from(
    [
        SupportContent.MACHINERY,
        SupportContent.BRAND,
        SupportContent.DEMONSTRATION_MODEL,
        SupportContent.CLUSTER_INFRASTRUCTURE,
        SupportContent.DOMESTIC_FAIR_PARTICIPATION,
    ]
)
DATES_2014 = st.dates(dt.date(2014, 4, 8), dt.date(2018, 5, 10))


class TestSupportAmount:
    @settings(max_examples=150, deadline=None)
    @given(CONTENTS, st.integers(0, 10**11), st.integers(1, 5), DATES_2014)
    def test_never_negative_never_above_cap_or_rate(
        self, content: SupportContent, cost: int, qty: int, on: dt.date
    ) -> None:
        """An amount is never negative, never above its cap, never above rate × cost."""
        a = support_amount(content, cost, on, quantity=qty)
        assert 0 <= a.amount <= a.rate * cost
        assert a.cap is None or a.amount <= a.cap

    @settings(max_examples=150, deadline=None)
    @given(CONTENTS, st.integers(0, 10**11), st.integers(0, 10**9), DATES_2014)
    def test_monotone_in_cost(
        self, content: SupportContent, cost: int, more: int, on: dt.date
    ) -> None:
        """More eligible cost never gives less support."""
        assert (
            support_amount(content, cost, on).amount
            <= support_amount(content, cost + more, on).amount
        )

    def test_float_cost_is_refused(self) -> None:
        """Money is never a float."""
        with pytest.raises(ValidationError):
            support_amount(SupportContent.MACHINERY, 1.5e8, dt.date(2015, 1, 1))  # type: ignore[arg-type]

    def test_multiplier_above_maximum_is_refused(self) -> None:
        """The priority multiplier is at most 1.5 under 26/2014."""
        with pytest.raises(ValidationError):
            support_amount(
                SupportContent.MACHINERY,
                10**9,
                dt.date(2015, 1, 1),
                priority=Decimal("1.6"),
            )


class TestEvaluateMany:
    def test_results_in_input_order_with_errors_kept(self) -> None:
        """A batch answers in input order and keeps a record's 'not configured' as its error."""
        apps = [
            Application(coop(id="A"), SupportContent.MACHINERY, million(500)),
            Application(coop(id="B"), SupportContent.BRAND, million(80)),
        ]
        a, b = evaluate_many(apps, dt.date(2019, 1, 1))
        assert (a.application.establishment.id, a.amount_value) == ("A", million(250))
        assert isinstance(b.error, NotConfiguredError)
        assert a.amount is not None
        assert a.amount.amount == million(250)


class TestLegalCases:
    def test_the_plugin_collects_only_case_files(self, tmp_path: Path) -> None:
        """Installed as a pytest plugin, it collects cases/*.toml with [[case]] tables only."""
        (tmp_path / "cases").mkdir()
        other = tmp_path / "cases" / "other.toml"
        other.write_text("[tool]\nx = 1\n", encoding="utf-8")
        broken = tmp_path / "cases" / "broken.toml"
        broken.write_text("[[case]\n", encoding="utf-8")
        shipped = sorted(CASES.glob("*.toml"))
        assert len(shipped) >= 5
        assert all(_is_case_file(p) for p in shipped)
        assert not _is_case_file(other)
        assert not _is_case_file(broken)
        assert not _is_case_file(tmp_path / "cases.toml")

    def test_at_least_sixty_cases(self) -> None:
        """The case files hold at least 60 cases drawn from rules.md."""
        assert sum(len(load_cases(p)) for p in CASES.glob("*.toml")) >= 60


class TestRenderReferencePages:
    def test_pages_show_values_dates_and_citations(self, tmp_path: Path) -> None:
        """The generated support page shows the 2018 machinery cap with its citation."""
        pages = {p.name: p.read_text(encoding="utf-8") for p in render_reference_pages(tmp_path)}
        page = pages["support.md"]
        section = page[page.index("## `support.national.machinery.cap`") :]
        assert "| 2018-05-11 | — | 300,000,000 đồng |" in section
        assert "28/2018/TT-BTC, Art. 8(4) [V]" in pages["support.md"]

    def test_codes_are_shown_with_their_labels(self, tmp_path: Path) -> None:
        """A value that names legal forms shows each form's label beside its code, so the page
        reads as law and still tells an overlay's author what to write."""
        pages = {p.name: p.read_text(encoding="utf-8") for p in render_reference_pages(tmp_path)}
        page = pages["eligibility.md"]
        section = page[page.index("## `eligibility.beneficiary_forms`") :]
        assert "Cooperative (`cooperative`), Union of cooperatives (`cooperative_union`)" in section


class TestRulesCli:
    def _args(self, path: Path, **kw: object) -> argparse.Namespace:
        base = {
            "file": path,
            "date": dt.date(2024, 7, 1),
            "lang": "vi",
            "fund": "national",
            "overlay": None,
        }
        base.update(kw)
        return argparse.Namespace(**base)

    def test_exit_codes(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """Exit 0 eligible, 1 not eligible, 2 bad input."""
        data = json.loads(dumps(coop()))
        good = tmp_path / "good.json"
        good.write_text(json.dumps(data), encoding="utf-8")
        bad = tmp_path / "bad.json"
        bad.write_text(json.dumps({**data, "members": 3}), encoding="utf-8")
        broken = tmp_path / "broken.json"
        broken.write_text("{", encoding="utf-8")
        assert run(self._args(good)) == 0
        assert "ĐẠT" in capsys.readouterr().out
        assert run(self._args(bad, lang="en")) == 1
        assert "NO" in capsys.readouterr().out
        assert run(self._args(broken)) == 2
