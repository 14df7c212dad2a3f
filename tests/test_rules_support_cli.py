"""Tests of support amounts, SME size and the ``check`` command."""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from khuyencong.cli._check import add_parser, run
from khuyencong.converters import dumps
from khuyencong.domain import (
    BusinessSectorGroup,
    Establishment,
    Fund,
    LegalForm,
    Project,
    ProjectContent,
    ProjectKind,
    Sector,
    SizeClass,
    SupportContent,
    million,
)
from khuyencong.exceptions import NotConfiguredError, ValidationError
from khuyencong.rules import (
    Amount,
    RuleSet,
    SupportLevel,
    sme_size_class,
    support_amount,
    support_level,
)
from khuyencong.testing.strategies import money
from khuyencong.units import MapId, UnitRef

OVERLAY = Path(__file__).parents[1] / "src/khuyencong/data/legal/overlays/example-province.toml"
TOWNSHIP = UnitRef(MapId.MAP_2021, "07525")

# Contents with a configured national level on both sides of 11/5/2018, and their dates.
CONTENTS = st.sampled_from(
    [
        SupportContent.MACHINERY,
        SupportContent.TECHNOLOGY_TRANSFER,
        SupportContent.DEMONSTRATION_MODEL,
        SupportContent.CLUSTER_INFRASTRUCTURE,
        SupportContent.OVERSEAS_FAIR,
    ]
)
DATES = st.dates(dt.date(2014, 4, 8), dt.date(2030, 12, 31))


class TestSupportLevel:
    def test_line_cap_is_derived_from_the_machinery_cap(self) -> None:
        """From 11/5/2018 the technology line cap is 1.5 × the 300 million machinery cap."""
        level = support_level(SupportContent.TECHNOLOGY_LINE, dt.date(2019, 1, 1))
        assert (level.rate, level.cap) == (Decimal("0.5"), million(450))

    def test_local_fund_needs_an_overlay(self) -> None:
        """Without a province's overlay the local fund has no levels."""
        with pytest.raises(NotConfiguredError):
            support_level(SupportContent.MACHINERY, dt.date(2026, 2, 1), fund=Fund.LOCAL)

    def test_rules_may_be_a_dated_view_and_text_names_the_content(self) -> None:
        """``support_level("dây chuyền", on, rules=rules.at(on))`` is the technology line."""
        on = dt.date(2019, 1, 1)
        level = support_level("dây chuyền", on, rules=RuleSet.national().at(on))
        assert level == support_level(SupportContent.TECHNOLOGY_LINE, on)


class TestSupportAmountProperties:
    @given(CONTENTS, money(10**11), st.integers(1, 4), DATES)
    def test_never_negative_never_above_cap_or_rate(
        self, content: SupportContent, cost: int, qty: int, on: dt.date
    ) -> None:
        """Across 2014 and 2018 tables: 0 ≤ amount ≤ rate × cost, and ≤ cap × quantity."""
        a = support_amount(content, cost, on, quantity=qty)
        assert 0 <= a.amount <= a.rate * cost
        assert a.cap is None or a.amount <= a.cap
        assert a.cap_reached == (a.cap is not None and a.amount == a.cap)

    @given(CONTENTS, money(10**11), money(10**10), DATES)
    def test_monotone_in_cost(
        self, content: SupportContent, cost: int, more: int, on: dt.date
    ) -> None:
        """More eligible cost never gives less support, on any date."""
        assert (
            support_amount(content, cost, on).amount
            <= support_amount(content, cost + more, on).amount
        )

    @given(money(10**11), st.decimals(1, "1.5", places=2))
    def test_priority_multiplier_raises_rate_and_cap_by_at_most_1_5(
        self, cost: int, multiplier: Decimal
    ) -> None:
        """Under 26/2014 a priority project gets up to 1.5 × the level, the rate at most 100%."""
        on = dt.date(2016, 1, 1)
        plain = support_amount(SupportContent.MACHINERY, cost, on)
        boosted = support_amount(SupportContent.MACHINERY, cost, on, priority=multiplier)
        assert plain.amount <= boosted.amount <= plain.amount * Decimal("1.5") + 1
        assert boosted.rate <= 1

    def test_priority_multiplier_is_not_configured_from_2018(self) -> None:
        """28/2018 has no known priority multiplier: asking for one raises."""
        with pytest.raises(NotConfiguredError):
            support_amount(
                SupportContent.MACHINERY,
                million(100),
                dt.date(2019, 1, 1),
                priority=True,
            )

    def test_priority_true_is_the_maximum_multiplier(self) -> None:
        """``priority=True`` is the maximum of its date: the same as ``priority=Decimal("1.5")``
        in 2016, and more than no priority."""
        on = dt.date(2016, 1, 1)
        named = support_amount("máy móc", million(500), on, priority=True)
        assert named == support_amount(
            SupportContent.MACHINERY, million(500), on, priority=Decimal("1.5")
        )
        assert named.amount > support_amount("máy móc", million(500), on).amount

    def test_quantity_below_one_is_refused(self) -> None:
        """A per-unit cap needs at least one unit."""
        with pytest.raises(ValidationError):
            support_amount(SupportContent.BRAND, million(10), dt.date(2016, 1, 1), quantity=0)

    def test_uncapped_content_pays_the_full_rate(self) -> None:
        """Fairs abroad: 100% of the listed costs, no cap."""
        a = support_amount(SupportContent.OVERSEAS_FAIR, million(900), dt.date(2016, 1, 1))
        assert (a.amount, a.cap, a.cap_reached) == (million(900), None, False)
        assert "—" in a.render("en")

    def test_local_fund_from_the_overlay(self) -> None:
        """The example province caps local machinery support at 150 million from 1/1/2026."""
        rules = RuleSet.national().with_overlay(OVERLAY)
        a = support_amount(
            SupportContent.MACHINERY,
            million(400),
            dt.date(2026, 1, 1),
            rules=rules,
            fund=Fund.LOCAL,
        )
        assert (a.amount, a.cap_reached) == (million(150), True)

    def test_renders_in_both_languages(self) -> None:
        """The computation reads as text with its citation, in Vietnamese and English."""
        a = support_amount(SupportContent.MACHINERY, million(1000), dt.date(2019, 1, 1))
        assert "đạt mức tối đa" in a.render("vi")
        assert a.render("en").endswith("(cap reached) [28/2018/TT-BTC, Art. 8(4) [V]]")
        b = support_amount(SupportContent.MACHINERY, million(100), dt.date(2019, 1, 1))
        assert "theo tỷ lệ" in b.render("vi")
        assert "by the rate" in b.render("en")


class TestAmountData:
    @given(CONTENTS, money(10**11), st.integers(1, 4), DATES, st.booleans())
    def test_to_data_round_trips_through_json(
        self, content: SupportContent, cost: int, qty: int, on: dt.date, priority: bool
    ) -> None:
        """An amount written with to_data reads back equal through JSON text, and its data is
        plain JSON (no Decimal, no date objects)."""
        try:
            amount = support_amount(content, cost, on, quantity=qty, priority=priority)
        except NotConfiguredError:
            return  # the priority multiplier is unknown from 11/5/2018
        data = json.loads(json.dumps(amount.to_data()))
        assert Amount.from_data(data) == amount
        assert data["amount"] == amount.amount

    def test_from_data_refuses_what_is_not_an_amount(self) -> None:
        """Data that is not an amount is a ValidationError."""
        with pytest.raises(ValidationError):
            Amount.from_data({"content": "machinery"})

    @given(CONTENTS, DATES)
    def test_a_support_level_round_trips(self, content: SupportContent, on: dt.date) -> None:
        """A support level written with to_data reads back equal through JSON text."""
        level = support_level(content, on)
        assert SupportLevel.from_data(json.loads(json.dumps(level.to_data()))) == level


class TestSmeSizeClass:
    G = BusinessSectorGroup.AGRICULTURE_INDUSTRY_CONSTRUCTION

    def test_headcount_and_revenue_or_capital(self) -> None:
        """Industry: ≤10 workers and revenue ≤ 3 billion is micro; 250 workers is large."""
        on = dt.date(2022, 1, 1)
        assert sme_size_class(10, 3 * 10**9, None, self.G, on) is SizeClass.MICRO
        assert sme_size_class(10, None, 3 * 10**9, self.G, on) is SizeClass.MICRO
        assert sme_size_class(250, 10**9, None, self.G, on) is SizeClass.LARGE


def _write(tmp_path: Path, name: str, data: object) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return path


def _args(path: Path, **kw: object) -> argparse.Namespace:
    base: dict[str, object] = {
        "file": path,
        "date": dt.date(2024, 7, 1),
        "lang": "en",
        "fund": "national",
        "overlay": None,
    }
    base.update(kw)
    return argparse.Namespace(**base)


def _coop(members: int) -> object:
    est = Establishment(
        id="HTX-1",
        name="HTX",
        legal_form=LegalForm.COOPERATIVE,
        location=TOWNSHIP,
        sectors=(Sector.HANDICRAFTS,),
        members=members,
    )
    return json.loads(dumps(est))


class TestAddParser:
    def test_parses_the_check_command(self, tmp_path: Path) -> None:
        """``check FILE --date --fund --overlay`` parses; without ``--lang`` the language in
        force (Vietnamese by default) is used, so the parser sets none."""
        parser = argparse.ArgumentParser()
        add_parser(parser.add_subparsers())
        args = parser.parse_args(["check", "e.json", "--date", "2024-07-01", "--overlay", "o.toml"])
        assert (args.file, args.date, getattr(args, "lang", None), args.fund) == (
            Path("e.json"),
            dt.date(2024, 7, 1),
            None,
            "national",
        )
        assert args.func is run
        assert args.overlay == Path("o.toml")


class TestRun:
    def test_eligible_establishment_exits_0(self, tmp_path: Path) -> None:
        """An eligible cooperative prints YES and exits 0."""
        out = io.StringIO()
        assert run(_args(_write(tmp_path, "e.json", _coop(9))), out) == 0
        assert out.getvalue().startswith("HTX-1 — eligibility on 2024-07-01: YES")

    def test_project_prints_amounts_with_reasons(self, tmp_path: Path) -> None:
        """A project prints its amount checks and each content's computed support."""
        project = Project(
            id="DA-1",
            title="Đề án",
            kind=ProjectKind.SINGLE_BENEFICIARY,
            beneficiary_ids=("CS-1",),
            contents=(
                ProjectContent(
                    SupportContent.MACHINERY, eligible_cost=million(1000), requested=million(300)
                ),
            ),
            fund=Fund.NATIONAL,
            province=UnitRef(MapId.MAP_2021, "24"),
            plan_year=2019,
            lead_agency="Sở Công Thương",
        )
        path = _write(tmp_path, "p.json", json.loads(dumps(project)))
        out = io.StringIO()
        assert run(_args(path, date=dt.date(2019, 1, 1)), out) == 0
        lines = out.getvalue().splitlines()
        assert lines[0] == "DA-1 — project amounts on 2019-01-01: YES — under 45/2012/NĐ-CP"
        assert "VND 300,000,000 (cap reached)" in lines[-1]
        too_much = json.loads(dumps(project))
        too_much["contents"][0]["requested"] = million(301)
        assert (
            run(
                _args(_write(tmp_path, "q.json", too_much), date=dt.date(2019, 1, 1)), io.StringIO()
            )
            == 1
        )

    def test_overlay_is_applied(self, tmp_path: Path) -> None:
        """An overlay's location test replaces the national 235/2025 one after 15/10/2025.

        Nationally a ward of Hà Nội is refused (exit 1); the example overlay keeps the 45/2012
        test, under which a ward needs its city's grade, which it does not supply (exit 3: the
        law, as configured, has a gap).
        """
        data = dict(_coop(9))  # type: ignore[call-overload]
        data["location"] = {"map_id": "2025-reform", "code": "00004"}
        path = _write(tmp_path, "e.json", data)
        date = dt.date(2026, 1, 5)
        assert run(_args(path, date=date), io.StringIO()) == 1
        assert run(_args(path, date=date, overlay=OVERLAY), io.StringIO()) == 3

    @pytest.mark.parametrize("text", ["{", '{"id": "x"}', "[]"])
    def test_bad_input_exits_2(self, tmp_path: Path, text: str) -> None:
        """Unreadable JSON or data that is not an establishment exits 2."""
        assert run(_args(_write(tmp_path, "b.json", text)), io.StringIO()) == 2

    def test_missing_file_exits_2(self, tmp_path: Path) -> None:
        """A file that does not exist exits 2."""
        assert run(_args(tmp_path / "nope.json"), io.StringIO()) == 2
