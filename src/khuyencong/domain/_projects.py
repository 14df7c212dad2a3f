"""Promotion projects (đề án khuyến công) and their lifecycle.

A project moves draft → submitted → approved → in progress → accepted → settled; a submitted
project may be rejected, and a project may be cancelled (stopped) before acceptance. Any other
move raises :class:`~khuyencong.exceptions.IllegalTransitionError` naming both states.
Projects are immutable: :meth:`Project.transition` returns the project in its new state, with
the change recorded in its history.

>>> import datetime as dt
>>> from khuyencong.units import MapId, UnitRef
>>> p = Project(
...     id="DA-2019-07", title="Máy sấy mỳ gạo", kind=ProjectKind.SINGLE_BENEFICIARY,
...     beneficiary_ids=["BG-HTX-001"], fund=Fund.LOCAL, province=UnitRef(MapId.MAP_2021, "24"),
...     plan_year=2019, lead_agency="Trung tâm Khuyến công và XTTM Bắc Giang",
...     contents=[ProjectContent(SupportContent.MACHINERY, eligible_cost=400_000_000,
...                              requested=200_000_000)],
... )
>>> p = p.transition(ProjectStatus.SUBMITTED, on=dt.date(2019, 3, 1), actor="officer")
>>> p.transition(ProjectStatus.SETTLED, on=dt.date(2019, 3, 2))  # doctest: +ELLIPSIS
Traceback (most recent call last):
khuyencong.exceptions.IllegalTransitionError: đề án DA-2019-07: không thể chuyển từ ... sang ...
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from khuyencong._arguments import Arguments, expect
from khuyencong.domain._contents import Fund, SupportContent
from khuyencong.domain._converters import nfc, nfc_identifier, text_tuple
from khuyencong.domain._establishments import check_identifier
from khuyencong.domain._labels import LabelledEnum, register_labels
from khuyencong.domain._money import Dong, format_vnd
from khuyencong.domain._validation import Checks
from khuyencong.exceptions import IllegalTransitionError, LifecycleError, ValidationError
from khuyencong.messages import Text, get_language
from khuyencong.messages import text as message
from khuyencong.units import UnitRef

__all__ = [
    "Project",
    "ProjectContent",
    "ProjectKind",
    "ProjectStatus",
    "StatusChange",
    "allowed_transitions",
    "check_new_project",
    "check_project_history",
    "check_project_update",
]


class ProjectStatus(LabelledEnum):
    """Where a project is in its lifecycle."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    IN_PROGRESS = "in_progress"
    ACCEPTED = "accepted"
    SETTLED = "settled"
    REJECTED = "rejected"
    CANCELLED = "cancelled"

    @property
    def is_final(self) -> bool:
        """No transition leaves a final state."""
        return not _TRANSITIONS[self]


register_labels(
    ProjectStatus,
    {
        ProjectStatus.DRAFT: ("Dự thảo", "Draft"),
        ProjectStatus.SUBMITTED: ("Đã nộp hồ sơ", "Submitted"),
        ProjectStatus.APPROVED: ("Đã phê duyệt", "Approved"),
        ProjectStatus.IN_PROGRESS: ("Đang thực hiện", "In progress"),
        ProjectStatus.ACCEPTED: ("Đã nghiệm thu", "Accepted"),
        ProjectStatus.SETTLED: ("Đã quyết toán", "Settled"),
        ProjectStatus.REJECTED: ("Không được phê duyệt", "Rejected"),
        ProjectStatus.CANCELLED: ("Đã hủy (dừng thực hiện)", "Cancelled or stopped"),
    },
)

_S = ProjectStatus
_TRANSITIONS: dict[ProjectStatus, tuple[ProjectStatus, ...]] = {
    _S.DRAFT: (_S.SUBMITTED, _S.CANCELLED),
    _S.SUBMITTED: (_S.APPROVED, _S.REJECTED, _S.CANCELLED),
    _S.APPROVED: (_S.IN_PROGRESS, _S.CANCELLED),
    _S.IN_PROGRESS: (_S.ACCEPTED, _S.CANCELLED),
    _S.ACCEPTED: (_S.SETTLED,),
    _S.SETTLED: (),
    _S.REJECTED: (),
    _S.CANCELLED: (),
}

_DATE_FIELD = {
    _S.SUBMITTED: "submitted_on",
    _S.APPROVED: "approved_on",
    _S.IN_PROGRESS: "started_on",
    _S.ACCEPTED: "accepted_on",
    _S.SETTLED: "settled_on",
}


def allowed_transitions(status: ProjectStatus) -> tuple[ProjectStatus, ...]:
    """The states a project may move to from ``status``.

    >>> [s.value for s in allowed_transitions(ProjectStatus.APPROVED)]
    ['in_progress', 'cancelled']

    Raises:
        ValidationError: If ``status`` is not a :class:`ProjectStatus`.
    """
    return _TRANSITIONS[expect(status, "status", ProjectStatus)]


class ProjectKind(LabelledEnum):
    """Kinds of national-fund project (Thông tư 36/2013/TT-BCT), plus local projects."""

    FLAGSHIP = "flagship"
    GROUP = "group"
    SINGLE_BENEFICIARY = "single_beneficiary"
    LOCAL = "local"


register_labels(
    ProjectKind,
    {
        ProjectKind.FLAGSHIP: ("Đề án điểm", "Flagship project"),
        ProjectKind.GROUP: ("Đề án nhóm", "Group project"),
        ProjectKind.SINGLE_BENEFICIARY: (
            "Đề án cho đối tượng thụ hưởng cụ thể",
            "Project for a specific beneficiary",
        ),
        ProjectKind.LOCAL: ("Đề án khuyến công địa phương", "Local project"),
    },
)


@attrs.frozen
class ProjectContent:
    """One support content of a project: its eligible cost and the support requested.

    Attributes:
        content: The support content.
        eligible_cost: The cost the support is computed on, in đồng.
        requested: The support asked for, in đồng (at most the eligible cost).
        quantity: How many units (models, establishments, brands…) the content covers.
    """

    content: SupportContent
    eligible_cost: Dong
    requested: Dong
    quantity: int = 1

    def __attrs_post_init__(self) -> None:
        c = Checks()
        c.require(
            isinstance(self.content, SupportContent),
            "content",
            self.content,
            "support_content",
        )
        c.money("eligible_cost", self.eligible_cost)
        c.money("requested", self.requested)
        c.count("quantity", self.quantity)
        if not c.problems and self.requested > self.eligible_cost:
            c.fail(
                "requested",
                self.requested,
                message("domain.check.requested_above_cost", cost=format_vnd(self.eligible_cost)),
            )
        if not c.problems and self.quantity < 1:
            c.fail("quantity", self.quantity, message("domain.check.quantity"))
        c.raise_if_any()

    @property
    def co_funding(self) -> Dong:
        """The part of the eligible cost the beneficiary pays (đối ứng)."""
        return self.eligible_cost - self.requested


@attrs.frozen
class StatusChange:
    """One step of a project's history."""

    source: ProjectStatus
    target: ProjectStatus
    on: dt.date
    actor: str = ""
    note: str = ""


@attrs.frozen(eq=False)
class Project:
    """A promotion project from proposal to settlement.

    Equality and hashing go by :attr:`id`. Use :meth:`transition` to move it.

    Attributes:
        id: The project identifier.
        title: Its title.
        kind: Flagship, group, single beneficiary or local.
        beneficiary_ids: The establishments that benefit (one or more).
        contents: The support contents, each with eligible cost and requested support.
        fund: National or local fund.
        province: The province (a province-level unit reference).
        plan_year: The annual plan the project belongs to.
        lead_agency: The implementer (đơn vị thực hiện).
        partners: Agencies that deliver it in coordination (phối hợp).
        status: The lifecycle state.
        approved_amount: The support approved, set on approval.
        planned_start: Planned start date.
        planned_end: Planned end date.
        submitted_on: Date of submission.
        approved_on: Date of approval.
        started_on: Date implementation started.
        accepted_on: Date of acceptance (nghiệm thu).
        settled_on: Date of settlement (quyết toán).
        history: Every status change, oldest first.
    """

    id: str = attrs.field(converter=nfc_identifier)
    title: str = attrs.field(converter=nfc)
    kind: ProjectKind
    beneficiary_ids: tuple[str, ...] = attrs.field(converter=text_tuple)
    contents: tuple[ProjectContent, ...]
    fund: Fund
    province: UnitRef
    plan_year: int
    lead_agency: str = attrs.field(converter=nfc)
    partners: tuple[str, ...] = attrs.field(default=(), converter=text_tuple)
    status: ProjectStatus = ProjectStatus.DRAFT
    approved_amount: Dong | None = None
    planned_start: dt.date | None = None
    planned_end: dt.date | None = None
    submitted_on: dt.date | None = None
    approved_on: dt.date | None = None
    started_on: dt.date | None = None
    accepted_on: dt.date | None = None
    settled_on: dt.date | None = None
    history: tuple[StatusChange, ...] = ()

    def __attrs_post_init__(self) -> None:
        c = Checks()
        for field in ("beneficiary_ids", "contents", "partners", "history"):
            object.__setattr__(self, field, c.many(field, getattr(self, field)))
        check_identifier(c, "id", self.id)
        c.text("title", self.title)
        c.text("lead_agency", self.lead_agency)
        if not self.beneficiary_ids:
            c.fail("beneficiary_ids", [], message("domain.check.one_beneficiary"))
        for i, b in enumerate(self.beneficiary_ids):
            check_identifier(c, f"beneficiary_ids[{i}]", b)
        if len(set(self.beneficiary_ids)) != len(self.beneficiary_ids):
            c.fail(
                "beneficiary_ids",
                list(self.beneficiary_ids),
                message("domain.check.beneficiary_twice"),
            )
        if not self.contents:
            c.fail("contents", [], message("domain.check.one_content"))
        seen: set[SupportContent] = set()
        items: tuple[object, ...] = self.contents
        for i, pc in enumerate(items):
            if not isinstance(pc, ProjectContent):
                c.fail(f"contents[{i}]", pc, message("domain.check.project_content"))
            elif pc.content in seen:
                c.fail(
                    f"contents[{i}].content",
                    pc.content.value,
                    message("domain.check.content_twice"),
                )
            else:
                seen.add(pc.content)
        for i, partner in enumerate(self.partners):
            c.text(f"partners[{i}]", partner)
        if isinstance(self.plan_year, bool) or not isinstance(self.plan_year, int):
            c.fail("plan_year", self.plan_year, message("domain.check.year"))
        elif not 2004 <= self.plan_year <= 2100:
            c.fail("plan_year", self.plan_year, message("domain.check.plan_year"))
        c.money("approved_amount", self.approved_amount, optional=True)
        start, end = (
            getattr(self, f) if c.date(f, getattr(self, f), optional=True) else None
            for f in ("planned_start", "planned_end")
        )
        if start and end and end < start:
            c.fail(
                "planned_end", end.isoformat(), message("domain.check.ends_before_planned_start")
            )
        if self.status in (_S.APPROVED, _S.IN_PROGRESS, _S.ACCEPTED, _S.SETTLED) and (
            self.approved_amount is None
        ):
            c.fail(
                "approved_amount",
                None,
                message(
                    "domain.check.approved_amount_needed", status=self.status.label(get_language())
                ),
            )
        c.no_nul(self)
        c.raise_if_any()

    @property
    def total_eligible_cost(self) -> Dong:
        """The sum of the contents' eligible costs."""
        return sum(pc.eligible_cost for pc in self.contents)

    @property
    def total_requested(self) -> Dong:
        """The sum of the support requested."""
        return sum(pc.requested for pc in self.contents)

    def can_transition(self, target: ProjectStatus) -> bool:
        """Whether ``target`` is a legal next state."""
        return target in _TRANSITIONS[self.status]

    def transition(
        self,
        target: ProjectStatus,
        *,
        on: dt.date,
        actor: str = "",
        note: str = "",
        approved_amount: Dong | None = None,
    ) -> Project:
        """The project moved to ``target`` on ``on``, the change recorded in its history.

        Args:
            target: The new state.
            on: The date of the decision or event.
            actor: Who made the change (recorded in the history).
            note: Why (recorded in the history).
            approved_amount: Required when approving: the support approved, at most the total
                requested.

        Raises:
            IllegalTransitionError: If the lifecycle does not allow the move.
            ValidationError: If the date goes back in time, or the approved amount is missing or
                above the total requested.
        """
        if target not in _TRANSITIONS[self.status]:
            raise IllegalTransitionError(
                Text.message("domain.project_entity", id=self.id),
                self.status.value,
                target.value,
                [s.value for s in _TRANSITIONS[self.status]],
                labels={s.value: Text(s.label_vi, s.label_en) for s in ProjectStatus},
            )
        if self.history and on < self.history[-1].on:
            raise ValidationError.single(
                "$.on",
                on.isoformat(),
                message("domain.check.history_backwards", previous=self.history[-1].on.isoformat()),
            )
        changes: dict[str, Any] = {
            "status": target,
            "history": (*self.history, StatusChange(self.status, target, on, actor, note)),
        }
        if target is _S.APPROVED:
            if approved_amount is None:
                raise ValidationError.single(
                    "$.approved_amount", None, message("domain.check.approve_needs_amount")
                )
            if approved_amount > self.total_requested:
                raise ValidationError.single(
                    "$.approved_amount",
                    approved_amount,
                    message(
                        "domain.check.approved_above_requested",
                        total=format_vnd(self.total_requested),
                    ),
                )
            changes["approved_amount"] = approved_amount
        elif approved_amount is not None:
            raise ValidationError.single(
                "$.approved_amount",
                approved_amount,
                message("domain.check.amount_only_when_approving"),
            )
        if target in _DATE_FIELD:
            changes[_DATE_FIELD[target]] = on
        return attrs.evolve(self, **changes)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Project):
            return NotImplemented
        return self.id == other.id

    def __hash__(self) -> int:
        return hash(("Project", self.id))

    def same_state(self, other: Project) -> bool:
        """Whether every field, not only the id, is equal."""
        return attrs.astuple(self, recurse=False) == attrs.astuple(other, recurse=False)


# -- the lifecycle where projects are kept ------------------------------------------------------
#
# A store holds a project's state; these checks make sure that state only ever changes through
# the lifecycle above, whoever wrote the store. They compare what is stored with what is saved.


def check_new_project(project: Project) -> None:
    """A project added as new starts as a draft with no history.

    A project with a past (submitted, approved, settled …) is brought into a store through an
    explicit, audited path (``store.projects.add_historical``), never as a new project.

    Raises:
        LifecycleError: If ``project`` is past its draft or carries a history.
        ValidationError: If ``project`` is not a :class:`Project`.

    >>> import datetime as dt
    >>> from khuyencong.units import MapId, UnitRef
    >>> p = Project(
    ...     id="DA-1", title="Máy sấy", kind=ProjectKind.LOCAL, beneficiary_ids=["E-1"],
    ...     fund=Fund.LOCAL, province=UnitRef(MapId.MAP_2021, "24"), plan_year=2019,
    ...     lead_agency="Trung tâm Khuyến công", contents=[ProjectContent(
    ...         SupportContent.MACHINERY, eligible_cost=400_000_000, requested=200_000_000)],
    ... )
    >>> check_new_project(p)
    >>> check_new_project(p.transition(ProjectStatus.SUBMITTED, on=dt.date(2019, 3, 1)))
    Traceback (most recent call last):
    khuyencong.exceptions.LifecycleError: ...
    """
    expect(project, "project", Project)
    if project.status is not _S.DRAFT or project.history:
        raise _lifecycle_error("storage.project_not_new", project.id, _S.DRAFT, project.status)


def check_project_history(project: Project) -> None:
    """A historical project's history is a lawful path from a draft to its status.

    A project recorded without a history (from a register that kept only the current state)
    is accepted as it is; a history, when given, must start at a draft, take only allowed
    steps, run forward in time and end at the project's status.

    Raises:
        LifecycleError: If the history is not such a path.
        ValidationError: If ``project`` is not a :class:`Project`.
    """
    if expect(project, "project", Project).history:
        _follow(project, _S.DRAFT, None, project.history)


def check_project_update(stored: Project, changed: Project) -> tuple[StatusChange, ...]:
    """The status changes ``changed`` makes to the ``stored`` project, checked.

    ``changed`` must keep the stored history as it is and may add steps to it, each allowed
    from the state before it (as :meth:`Project.transition` adds them), ending at its status.
    A save carrying several steps (submitted, then approved) is lawful; a status set without
    its step (draft → settled), a forbidden step, or a rewritten past is not.

    Returns:
        The steps added, oldest first (empty when the status did not change).

    Raises:
        LifecycleError: If ``changed`` does not follow the lifecycle from ``stored``.
        ValidationError: If either is not a :class:`Project`.
    """
    args = Arguments()
    args.instance(stored, "stored", Project)
    args.instance(changed, "changed", Project)
    args.check()
    kept = stored.history
    if changed.history[: len(kept)] != kept:
        raise _lifecycle_error(
            "storage.history_rewritten", changed.id, stored.status, changed.status
        )
    added = changed.history[len(kept) :]
    _follow(changed, stored.status, kept[-1].on if kept else None, added)
    return added


def _follow(
    project: Project,
    start: ProjectStatus,
    since: dt.date | None,
    steps: tuple[StatusChange, ...],
) -> None:
    """Walk ``steps`` from ``start``: each allowed, none earlier than the one before, ending at
    the project's status."""
    state = start
    for step in steps:
        if step.source is not state or step.target not in _TRANSITIONS[state]:
            raise _lifecycle_error("storage.step_not_allowed", project.id, state, step.target)
        if since is not None and step.on < since:
            raise _lifecycle_error("storage.step_backwards", project.id, state, step.target)
        state, since = step.target, step.on
    if state is not project.status:
        raise _lifecycle_error("storage.status_without_step", project.id, state, project.status)


def _lifecycle_error(
    key: str, project_id: str, source: ProjectStatus, target: ProjectStatus
) -> LifecycleError:
    lang = get_language()
    allowed = _TRANSITIONS[source]
    none = message("storage.no_state")
    text = message(
        key,
        id=project_id,
        source=source.label(lang),
        target=target.label(lang),
        allowed=", ".join(s.label(lang) for s in allowed) or none,
    )
    return LifecycleError(project_id, source.value, target.value, [s.value for s in allowed], text)
