"""Projects (đề án) and their lifecycle: only the legal transitions are allowed."""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

import attrs
import pytest
from hypothesis import given

from khuyencong.domain import (
    Fund,
    Project,
    ProjectContent,
    ProjectKind,
    ProjectStatus,
    StatusChange,
    SupportContent,
    allowed_transitions,
    check_new_project,
    check_project_history,
    check_project_update,
)
from khuyencong.exceptions import IllegalTransitionError, LifecycleError, ValidationError
from khuyencong.messages import language
from khuyencong.testing.strategies import projects
from khuyencong.units import MapId, UnitRef

S = ProjectStatus
DAY = dt.date(2019, 3, 1)


def make(**overrides: Any) -> Project:
    fields: dict[str, Any] = {
        "id": "DA-2019-07",
        "title": "Ứng dụng máy sấy mỳ gạo",
        "kind": ProjectKind.SINGLE_BENEFICIARY,
        "beneficiary_ids": ["BG-HTX-001"],
        "contents": [
            ProjectContent(
                SupportContent.MACHINERY, eligible_cost=400_000_000, requested=200_000_000
            )
        ],
        "fund": Fund.LOCAL,
        "province": UnitRef(MapId.MAP_2021, "24"),
        "plan_year": 2019,
        "lead_agency": "Trung tâm Khuyến công và Xúc tiến thương mại Bắc Giang",
    }
    fields.update(overrides)
    return Project(**fields)


def walk(*targets: ProjectStatus) -> Project:
    p = make()
    for i, target in enumerate(targets):
        amount = p.total_requested if target is S.APPROVED else None
        p = p.transition(target, on=DAY + dt.timedelta(days=i), approved_amount=amount)
    return p


class TestProjectLifecycle:
    def test_the_happy_path_runs_from_draft_to_settled(self) -> None:
        """draft → submitted → approved → in progress → accepted → settled, dates recorded."""
        p = walk(S.SUBMITTED, S.APPROVED, S.IN_PROGRESS, S.ACCEPTED, S.SETTLED)
        assert p.status is S.SETTLED
        assert p.approved_amount == 200_000_000
        assert (p.submitted_on, p.settled_on) == (DAY, DAY + dt.timedelta(days=4))
        assert [c.target for c in p.history] == [
            S.SUBMITTED,
            S.APPROVED,
            S.IN_PROGRESS,
            S.ACCEPTED,
            S.SETTLED,
        ]

    @pytest.mark.parametrize(
        ("path", "target"),
        [
            ((), S.SETTLED),
            ((), S.APPROVED),
            ((S.SUBMITTED,), S.IN_PROGRESS),
            ((S.SUBMITTED, S.APPROVED), S.ACCEPTED),
            ((S.SUBMITTED, S.APPROVED, S.IN_PROGRESS, S.ACCEPTED), S.CANCELLED),
            ((S.SUBMITTED, S.REJECTED), S.SUBMITTED),
            ((S.CANCELLED,), S.DRAFT),
        ],
    )
    def test_illegal_transitions_are_refused_naming_both_states(
        self, path: tuple[ProjectStatus, ...], target: ProjectStatus
    ) -> None:
        """A project cannot skip a step, go back, or leave a final state; the message names
        both states by their labels, in the language it is shown in."""
        p = walk(*path)
        with pytest.raises(IllegalTransitionError) as info:
            p.transition(target, on=DAY + dt.timedelta(days=30))
        assert (info.value.source, info.value.target) == (p.status.value, target.value)
        for lang in ("vi", "en"):
            with language(lang):
                shown = str(info.value)
            assert f"“{p.status.label(lang)}”" in shown
            assert f"“{target.label(lang)}”" in shown

    def test_final_states_allow_nothing(self) -> None:
        """Settled, rejected and cancelled projects are final."""
        for status in (S.SETTLED, S.REJECTED, S.CANCELLED):
            assert status.is_final
            assert allowed_transitions(status) == ()
        assert not S.DRAFT.is_final

    def test_approval_needs_an_amount_no_larger_than_requested(self) -> None:
        """The approved support is required at approval and cannot exceed the request."""
        p = walk(S.SUBMITTED)
        with language("en"), pytest.raises(ValidationError, match="needs the amount"):
            p.transition(S.APPROVED, on=DAY)
        with language("en"), pytest.raises(ValidationError, match="above the total requested"):
            p.transition(S.APPROVED, on=DAY, approved_amount=200_000_001)
        with language("en"), pytest.raises(ValidationError, match="only when approving"):
            p.transition(S.REJECTED, on=DAY, approved_amount=1)

    def test_a_status_change_cannot_predate_the_previous_one(self) -> None:
        """History runs forward in time."""
        p = walk(S.SUBMITTED)
        with language("en"), pytest.raises(ValidationError, match="predate"):
            p.transition(S.CANCELLED, on=DAY - dt.timedelta(days=1))

    @given(projects())
    def test_generated_projects_have_a_consistent_history(self, p: Project) -> None:
        """Each history step was allowed from the state before it, and ends in the status."""
        state = S.DRAFT
        for change in p.history:
            assert change.source is state
            assert change.target in allowed_transitions(state)
            state = change.target
        assert state is p.status


class TestProject:
    def test_requested_support_cannot_exceed_the_eligible_cost(self) -> None:
        """Support is a share of the cost, so a request above the cost is refused."""
        with pytest.raises(ValidationError) as info:
            ProjectContent(SupportContent.BRAND, eligible_cost=10, requested=11)
        assert info.value.paths == ("$.requested",)

    def test_a_content_covers_at_least_one_unit(self) -> None:
        """Quantity counts units (models, brands…), at least one."""
        with pytest.raises(ValidationError):
            ProjectContent(SupportContent.BRAND, eligible_cost=10, requested=1, quantity=0)

    def test_co_funding_is_the_rest_of_the_cost(self) -> None:
        """The beneficiary pays the eligible cost minus the support (đối ứng)."""
        pc = ProjectContent(SupportContent.BRAND, eligible_cost=70_000_000, requested=35_000_000)
        assert pc.co_funding == 35_000_000

    def test_a_project_lists_every_problem(self) -> None:
        """A project without beneficiary or content, with a bad year and no title: four problems."""
        with pytest.raises(ValidationError) as info:
            make(beneficiary_ids=[], contents=[], plan_year=1999, title="")
        assert set(info.value.paths) == {
            "$.beneficiary_ids",
            "$.contents",
            "$.plan_year",
            "$.title",
        }

    def test_a_content_appears_once_per_project(self) -> None:
        """Two models go in one content with quantity 2, not in two lines."""
        line = ProjectContent(SupportContent.BRAND, eligible_cost=10, requested=5)
        with pytest.raises(ValidationError) as info:
            make(contents=[line, line])
        assert info.value.paths == ("$.contents[1].content",)

    def test_a_beneficiary_is_listed_once(self) -> None:
        """A beneficiary listed twice is a typo."""
        with pytest.raises(ValidationError):
            make(beneficiary_ids=["A", "A"])

    def test_an_approved_project_has_an_approved_amount(self) -> None:
        """A project stored as approved without the amount approved is refused."""
        with pytest.raises(ValidationError) as info:
            make(status=S.APPROVED)
        assert info.value.paths == ("$.approved_amount",)

    def test_planned_dates_run_forward(self) -> None:
        """A project cannot be planned to end before it starts."""
        with pytest.raises(ValidationError):
            make(planned_start=dt.date(2019, 5, 1), planned_end=dt.date(2019, 4, 1))

    def test_totals_sum_the_contents(self) -> None:
        """Totals of eligible cost and request are the sums over contents."""
        p = make(
            contents=[
                ProjectContent(SupportContent.BRAND, eligible_cost=70, requested=35),
                ProjectContent(SupportContent.DESIGN_CONSULTING, eligible_cost=60, requested=30),
            ]
        )
        assert (p.total_eligible_cost, p.total_requested) == (130, 65)

    def test_identity_is_the_id(self) -> None:
        """The same project in two states is the same project, but not the same state."""
        a, b = make(), walk(S.SUBMITTED)
        assert a == b
        assert hash(a) == hash(b)
        assert not a.same_state(b)
        assert a != "DA-2019-07"


class TestProjectText:
    def test_ids_are_kept_in_nfc(self) -> None:
        """A project id and its beneficiaries typed in NFD are the ids stored in NFC."""
        nfd = unicodedata.normalize("NFD", "ĐA-MỲ-CHŨ")
        p = make(id=nfd, beneficiary_ids=[nfd])
        assert (p.id, p.beneficiary_ids) == ("ĐA-MỲ-CHŨ", ("ĐA-MỲ-CHŨ",))

    def test_a_nul_character_is_refused_naming_the_field(self) -> None:
        """NUL cannot be stored in PostgreSQL, so no project holds one, not even its history."""
        for field, value, path in [
            ("id", "DA\x00", "$.id"),
            ("title", "Máy\x00", "$.title"),
            ("beneficiary_ids", ["E\x001"], "$.beneficiary_ids[0]"),
            ("history", [StatusChange(S.DRAFT, S.CANCELLED, DAY, actor="A\x00")], "$.history"),
        ]:
            with pytest.raises(ValidationError) as info:
                make(**{field: value}, status=S.CANCELLED if field == "history" else S.DRAFT)
            assert any(p.startswith(path) for p in info.value.paths), (field, info.value.paths)


class TestCheckNewProject:
    def test_a_draft_without_history_is_a_new_project(self) -> None:
        """A project enters a store as a draft with no history."""
        check_new_project(make())

    @pytest.mark.parametrize(
        "project",
        [
            walk(S.SUBMITTED),
            attrs.evolve(make(), status=S.SETTLED, approved_amount=1),
        ],
        ids=["with-a-history", "settled-without-one"],
    )
    def test_a_project_past_its_draft_is_not_new(self, project: Project) -> None:
        """A project submitted or settled already has a past: it is not added as new."""
        with pytest.raises(LifecycleError) as info:
            check_new_project(project)
        assert info.value.project_id == "DA-2019-07"
        assert info.value.target == project.status.value
        with language("en"), pytest.raises(LifecycleError, match="add_historical"):
            check_new_project(project)


class TestCheckProjectHistory:
    def test_a_lawful_history_or_none_is_accepted(self) -> None:
        """A historical project's history runs from a draft through allowed steps to its
        status; a project recorded without a history (an old register) is accepted too."""
        check_project_history(walk(S.SUBMITTED, S.APPROVED, S.IN_PROGRESS, S.ACCEPTED, S.SETTLED))
        check_project_history(attrs.evolve(make(), status=S.SETTLED, approved_amount=1))

    def test_an_invented_history_is_refused(self) -> None:
        """A history that skips a step, or ends elsewhere than the status, is refused."""
        skipped = StatusChange(S.DRAFT, S.SETTLED, DAY)
        with pytest.raises(LifecycleError):
            check_project_history(
                attrs.evolve(make(), status=S.SETTLED, approved_amount=1, history=(skipped,))
            )
        submitted = walk(S.SUBMITTED)
        with pytest.raises(LifecycleError):
            check_project_history(attrs.evolve(submitted, status=S.APPROVED, approved_amount=1))
        backwards = (
            StatusChange(S.DRAFT, S.SUBMITTED, DAY),
            StatusChange(S.SUBMITTED, S.CANCELLED, DAY - dt.timedelta(days=1)),
        )
        with pytest.raises(LifecycleError):
            check_project_history(attrs.evolve(make(), status=S.CANCELLED, history=backwards))


class TestCheckProjectUpdate:
    def test_the_steps_taken_since_the_stored_state_are_returned(self) -> None:
        """A save may carry several allowed steps; they are the changes to audit."""
        stored = walk(S.SUBMITTED)
        changed = stored.transition(S.APPROVED, on=DAY, approved_amount=1).transition(
            S.IN_PROGRESS, on=DAY
        )
        steps = check_project_update(stored, changed)
        assert [(c.source, c.target) for c in steps] == [
            (S.SUBMITTED, S.APPROVED),
            (S.APPROVED, S.IN_PROGRESS),
        ]
        assert check_project_update(stored, attrs.evolve(stored, title="Tên mới")) == ()

    @pytest.mark.parametrize(
        ("stored_path", "target"),
        [
            ((), S.SETTLED),
            ((S.SUBMITTED, S.APPROVED, S.IN_PROGRESS, S.ACCEPTED, S.SETTLED), S.DRAFT),
        ],
        ids=["draft-to-settled", "settled-to-draft"],
    )
    def test_a_status_set_without_its_rule_is_refused(
        self, stored_path: tuple[ProjectStatus, ...], target: ProjectStatus
    ) -> None:
        """Changing the status field directly (draft → settled, settled → draft) is refused,
        naming both states."""
        stored = walk(*stored_path)
        forged = attrs.evolve(stored, status=target, approved_amount=1)
        with pytest.raises(LifecycleError) as info:
            check_project_update(stored, forged)
        assert (info.value.source, info.value.target) == (stored.status.value, target.value)

    def test_a_forged_step_or_a_rewritten_history_is_refused(self) -> None:
        """A step the lifecycle does not allow, or a changed past, is refused."""
        stored = walk(S.SUBMITTED)
        forged_step = attrs.evolve(
            stored,
            status=S.SETTLED,
            approved_amount=1,
            history=(*stored.history, StatusChange(S.SUBMITTED, S.SETTLED, DAY)),
        )
        with pytest.raises(LifecycleError):
            check_project_update(stored, forged_step)
        rewritten = attrs.evolve(
            stored, history=(StatusChange(S.DRAFT, S.SUBMITTED, DAY, actor="someone else"),)
        )
        with pytest.raises(LifecycleError):
            check_project_update(stored, rewritten)
        with pytest.raises(LifecycleError):
            check_project_update(stored, attrs.evolve(stored, history=()))

    @given(projects())
    def test_every_lawful_continuation_is_accepted(self, p: Project) -> None:
        """A project moved by transition() from any stored state passes the check."""
        for target in allowed_transitions(p.status):
            amount = p.total_requested if target is S.APPROVED else None
            on = p.history[-1].on if p.history else DAY
            moved = p.transition(target, on=on, approved_amount=amount)
            assert [c.target for c in check_project_update(p, moved)] == [target]
