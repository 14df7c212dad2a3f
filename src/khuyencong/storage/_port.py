"""The storage port: what every store offers, whatever keeps the data.

A :class:`Store` holds repositories of domain objects (establishments, projects, support
records, fair participations, award entries, OCOP ratings), the budgets (envelopes,
commitments, disbursements) and an append-only :class:`AuditLog`. Every adapter (memory,
SQLite, PostgreSQL, or your own) implements this protocol and passes the conformance suite in
:mod:`khuyencong.testing.conformance`.

Queries take keyword filters. Which filters a repository understands depends on the record:

=====================  ==================================================================
repository             filters
=====================  ==================================================================
establishments         ``unit``, ``legal_form``
projects               ``period`` (plan year), ``unit`` (province), ``fund``, ``status``
support_records        ``period`` (delivery date), ``unit``, ``content``, ``fund``,
                       ``legal_form``, ``establishment_id``, ``project_id``
fair_participations    ``period`` (first day), ``unit``, ``fund``, ``legal_form``,
                       ``establishment_id``, ``project_id``
award_entries          ``period`` (round year), ``unit``, ``legal_form``, ``establishment_id``
ocop_ratings           ``period`` (rating date), ``unit``, ``legal_form``, ``establishment_id``
=====================  ==================================================================

The filters are the fields of one typed query object, :class:`RecordQuery`; ``find`` and
``count`` take one, or the same filters as keywords. A filter a repository does not understand,
an unknown filter or a value of the wrong type raises
:class:`~khuyencong.exceptions.ValidationError` naming the filter (``$.period``) and, for a
filter that does not apply, those that do. ``unit`` matches records located in that unit or
inside it (a province matches its districts and communes) on the same map; ``legal_form``
matches records of establishments with that legal form; ``fund`` matches records with money
from that fund. Results come sorted by id.

Every store guards the same invariants, whoever wrote it (the conformance suite checks them):

- a record (support record, fair participation, award entry, OCOP rating) or a project names
  only establishments the store holds, a support record or fair participation only projects it
  holds, and an award entry only a prior entry it holds
  (:class:`~khuyencong.exceptions.DanglingReferenceError`);
- a project is added as a draft without history, or through the audited
  :meth:`ProjectRepository.add_historical`; it changes only through
  :meth:`ProjectRepository.save`, checked against the stored state by
  :func:`~khuyencong.domain.check_project_update`
  (:class:`~khuyencong.exceptions.LifecycleError`);
- a commitment or payment is allowed by the envelope itself
  (:meth:`~khuyencong.domain.BudgetEnvelope.check_commitment`,
  :meth:`~khuyencong.domain.BudgetEnvelope.check_disbursement`);
- the audit log's ``project.``, ``budget.`` and ``award.`` actions are the library's, and every
  entry has an actor, an action and a subject.

>>> from khuyencong.storage import open_store
>>> with open_store("memory://") as store:
...     store.support_records.count()
0
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from contextlib import AbstractContextManager
from typing import Generic, Protocol, TypeVar, runtime_checkable

import attrs

from khuyencong.domain import (
    AwardEntry,
    BudgetEnvelope,
    Establishment,
    FairParticipation,
    Fund,
    LegalForm,
    OcopRating,
    Period,
    Project,
    ProjectStatus,
    SupportContent,
    SupportRecord,
)
from khuyencong.exceptions import Problem, ValidationError
from khuyencong.messages import text as message
from khuyencong.units import UnitRef

__all__ = [
    "AuditEntry",
    "AuditLog",
    "AwardRepository",
    "BudgetRepository",
    "Commitment",
    "Disbursement",
    "ProjectRepository",
    "RecordQuery",
    "Repository",
    "Store",
    "UnitOfWork",
    "Versioned",
]

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


def _nfc_id(value: object) -> object:
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


@attrs.frozen(kw_only=True)
class RecordQuery:
    """The filters of a query, written once for every repository and every store.

    Each filter left at ``None`` is not applied; the others must all hold. Which filters a
    repository understands is listed in the table of :mod:`khuyencong.storage`'s port.

    Attributes:
        period: Records dated in the period (delivery date, first day, round year …).
        unit: Records located in this unit or inside it, on the same map.
        content: Support records of this content.
        legal_form: Records of establishments with this legal form.
        fund: Records with money from this fund.
        establishment_id: Records of this establishment (NFC, as ids are kept).
        project_id: Records delivered under this project.
        status: Projects in this state.

    Raises:
        ValidationError: If a filter has a value of the wrong type, naming it.

    >>> from khuyencong.domain import Fund
    >>> RecordQuery(fund=Fund.LOCAL, establishment_id="E-1").given()
    {'fund': <Fund.LOCAL: 'local'>, 'establishment_id': 'E-1'}
    """

    period: Period | None = None
    unit: UnitRef | None = None
    content: SupportContent | None = None
    legal_form: LegalForm | None = None
    fund: Fund | None = None
    establishment_id: str | None = attrs.field(default=None, converter=_nfc_id)
    project_id: str | None = attrs.field(default=None, converter=_nfc_id)
    status: ProjectStatus | None = None

    def __attrs_post_init__(self) -> None:
        problems = [
            Problem(
                f"$.{name}",
                message("storage.filter_wrong_type", expected=_FILTER_TYPES[name].__name__),
                value,
            )
            for name, value in self.given().items()
            if not isinstance(value, _FILTER_TYPES[name])
        ]
        if problems:
            raise ValidationError(problems)

    def given(self) -> dict[str, object]:
        """The filters set (not ``None``), by name, in the order of the fields."""
        return {
            f.name: getattr(self, f.name)
            for f in attrs.fields(RecordQuery)
            if getattr(self, f.name) is not None
        }

    @classmethod
    def of(cls, query: RecordQuery | None, filters: Mapping[str, object]) -> RecordQuery:
        """The query a repository method was given: a :class:`RecordQuery` or keywords.

        Raises:
            ValidationError: If a keyword is not a filter, a value has the wrong type, or both a
                query and keywords are given.
        """
        if query is not None:
            if filters or not isinstance(query, RecordQuery):
                raise ValidationError.single(
                    "$", type(query).__name__, message("storage.query_or_keywords")
                )
            return query
        unknown = [name for name in filters if name not in _FILTER_TYPES]
        if unknown:
            known = ", ".join(_FILTER_TYPES)
            raise ValidationError(
                [
                    Problem(f"$.{name}", message("storage.filter_unknown", known=known))
                    for name in unknown
                ]
            )
        return cls(**filters)  # type: ignore[arg-type]  # names checked above, types in init


_FILTER_TYPES: dict[str, type] = {
    "period": Period,
    "unit": UnitRef,
    "content": SupportContent,
    "legal_form": LegalForm,
    "fund": Fund,
    "establishment_id": str,
    "project_id": str,
    "status": ProjectStatus,
}


@attrs.frozen
class Versioned(Generic[T]):
    """A stored object with the version it was read at (for optimistic concurrency).

    Attributes:
        value: The object.
        version: Its version: 1 when added, one more at each save.
    """

    value: T
    version: int


@attrs.frozen
class Commitment:
    """Money committed against a budget envelope for one project.

    Attributes:
        id: The commitment identifier, given by the store.
        envelope_key: The envelope's key (``fund/province/year``).
        project_id: The project the money is committed to.
        amount: The amount, in đồng (positive).
        at: When it was committed (aware, UTC).
        actor: Who committed it.
        rule_set_version: The rule-set version the decision used (may be empty).
    """

    id: str
    envelope_key: str
    project_id: str
    amount: int
    at: dt.datetime
    actor: str
    rule_set_version: str = ""


@attrs.frozen
class Disbursement:
    """Money paid out of a budget envelope for one project (at most what was committed to it).

    Attributes:
        id: The disbursement identifier, given by the store.
        envelope_key: The envelope's key.
        project_id: The project paid.
        amount: The amount, in đồng (positive).
        at: When it was recorded (aware, UTC).
        actor: Who recorded it.
        rule_set_version: The rule-set version used (may be empty).
    """

    id: str
    envelope_key: str
    project_id: str
    amount: int
    at: dt.datetime
    actor: str
    rule_set_version: str = ""


@attrs.frozen(hash=False)
class AuditEntry:
    """One line of the append-only audit log.

    Attributes:
        seq: The position in the log, given by the store (increasing).
        at: When the change was made (aware, UTC).
        actor: Who made it (the string the caller passed).
        action: What kind of change: ``project.transition``, ``budget.commit``,
            ``budget.disburse``, ``award.result`` or an application's own action.
        subject: What changed, e.g. ``project:DA-2019-07`` or ``budget_envelope:local/24/2019``.
        rule_set_version: The rule-set version the decision used (may be empty).
        details: Further facts as text (old and new status, amount, …).
    """

    seq: int
    at: dt.datetime
    actor: str
    action: str
    subject: str
    rule_set_version: str = ""
    details: dict[str, str] = attrs.field(factory=dict)


@runtime_checkable
class Repository(Protocol[T]):
    """The stored objects of one type, by id, with queries.

    ``find`` and ``count`` take the filters listed in :mod:`khuyencong.storage._port`.
    """

    def add(self, obj: T) -> None:
        """Store a new object.

        Raises:
            DuplicateIdError: If its id is already stored.
            DanglingReferenceError: If it names an establishment, a project or a prior award
                entry the store does not hold.
            LifecycleError: For a project past its draft (see
                :meth:`ProjectRepository.add_historical`).
        """
        ...

    def add_many(self, objs: Iterable[T]) -> int:
        """Store many new objects at once (all or none); return how many.

        Raises:
            DuplicateIdError: If an id is already stored or repeated; nothing is written.
            DanglingReferenceError: If objects name establishments, projects or prior award
                entries the store does not hold (an object of the batch itself counts); the
                error lists each (``$[i].establishment_id``, ``$[i].project_id``); nothing is
                written.
            LifecycleError: For a project past its draft; nothing is written.
        """
        ...

    def get(self, id: str) -> T:  # noqa: A002  (the domain calls it id)
        """The object with this id (in NFC or NFD: ids are kept in NFC).

        Raises:
            NotFoundError: If there is none.
        """
        ...

    def __contains__(self, id: object) -> bool:  # noqa: A002
        """Whether an object with this id is stored."""
        ...

    def replace(self, obj: T) -> None:
        """Replace the stored object with the same id (a correction).

        Projects are not replaced: they change through :meth:`ProjectRepository.save`; nor are
        award entries: they change through :meth:`AwardRepository.record_result`. Both audit
        the change.

        Raises:
            NotFoundError: If there is none.
            DanglingReferenceError: If the new object names an object the store does
                not hold.
            StoreError: For a project or an award entry.
        """
        ...

    def find(
        self,
        query: RecordQuery | None = None,
        /,
        *,
        period: Period | None = None,
        unit: UnitRef | None = None,
        content: SupportContent | None = None,
        legal_form: LegalForm | None = None,
        fund: Fund | None = None,
        establishment_id: str | None = None,
        project_id: str | None = None,
        status: ProjectStatus | None = None,
    ) -> list[T]:
        """The objects matching every filter given (a query or keywords), sorted by id.

        Raises:
            ValidationError: If a filter is unknown, does not apply, or has the wrong type.
        """
        ...

    def count(
        self,
        query: RecordQuery | None = None,
        /,
        *,
        period: Period | None = None,
        unit: UnitRef | None = None,
        content: SupportContent | None = None,
        legal_form: LegalForm | None = None,
        fund: Fund | None = None,
        establishment_id: str | None = None,
        project_id: str | None = None,
        status: ProjectStatus | None = None,
    ) -> int:
        """How many objects match every filter given."""
        ...

    def __iter__(self) -> Iterator[T]:
        """Every object, sorted by id."""
        ...


@runtime_checkable
class ProjectRepository(Repository[Project], Protocol):
    """Projects, saved with optimistic concurrency and checked against their lifecycle.

    ``add`` and ``add_many`` take new projects only (drafts without history); a project with a
    past comes in through :meth:`add_historical`. ``replace`` raises
    :class:`~khuyencong.exceptions.StoreError`: a project changes through :meth:`save`.
    """

    def add_historical(
        self, project: Project, *, actor: str, reason: str, rule_set_version: str = ""
    ) -> None:
        """Bring in a project with a past (submitted, approved, settled …), audited.

        Its history, when it has one, must run from a draft through allowed steps to its
        status (:func:`~khuyencong.domain.check_project_history`); a project kept without a
        history (an old register) is taken as it is. A ``project.import`` audit entry records
        the actor, the reason and the status. The version starts at 1, as for ``add``.

        Raises:
            LifecycleError: If its history is not a lawful path to its status.
            ValidationError: If ``actor`` or ``reason`` is empty.
            DuplicateIdError: If its id is already stored.
            DanglingReferenceError: If a beneficiary is not an establishment of the store.
        """
        ...

    def get_versioned(self, id: str) -> Versioned[Project]:  # noqa: A002
        """The project with the version it was read at.

        Raises:
            NotFoundError: If there is none.
        """
        ...

    def save(
        self, project: Project, *, expected_version: int, actor: str, rule_set_version: str = ""
    ) -> int:
        """Save a changed project if nobody saved it since ``expected_version``.

        The change is checked against the stored project
        (:func:`~khuyencong.domain.check_project_update`): its history may only grow, by steps
        :meth:`~khuyencong.domain.Project.transition` allows. Each step appends a
        ``project.transition`` audit entry.

        Returns:
            The new version.

        Raises:
            ConcurrencyError: If the stored version is not ``expected_version``.
            NotFoundError: If the project was never added.
            LifecycleError: If the status changed without its rule, or the history was
                rewritten; nothing is written.
            DanglingReferenceError: If a beneficiary is not an establishment of the store.
            ValidationError: If ``actor`` is empty.
        """
        ...


@runtime_checkable
class AwardRepository(Repository[AwardEntry], Protocol):
    """Award entries; results are recorded with an audit entry."""

    def record_result(self, entry: AwardEntry, *, actor: str, rule_set_version: str = "") -> None:
        """Replace a stored entry by the same entry with its result; append ``award.result``.

        This is the one way to change a stored entry (``replace`` is refused), so that every
        change of a result is audited.

        Raises:
            NotFoundError: If the entry was never added.
        """
        ...


@runtime_checkable
class BudgetRepository(Protocol):
    """Budget envelopes, the commitments against them and the disbursements out of them."""

    def add_envelope(self, envelope: BudgetEnvelope) -> None:
        """Store a new envelope.

        Raises:
            DuplicateIdError: If an envelope with the same key is stored.
        """
        ...

    def get_envelope(self, key: str) -> BudgetEnvelope:
        """The envelope with this key (``fund/province/year``).

        Raises:
            NotFoundError: If there is none.
        """
        ...

    def envelopes(
        self, *, fund: Fund | None = None, province: UnitRef | None = None, year: int | None = None
    ) -> list[BudgetEnvelope]:
        """The envelopes matching every filter given, sorted by key."""
        ...

    def commit(
        self,
        envelope_key: str,
        project_id: str,
        amount: int,
        *,
        actor: str,
        rule_set_version: str = "",
    ) -> Commitment:
        """Commit ``amount`` against the envelope, atomically: never beyond its total.

        The envelope decides (:meth:`~khuyencong.domain.BudgetEnvelope.check_commitment`);
        the store locks it and keeps the sums. Appends a ``budget.commit`` audit entry.

        Raises:
            BudgetExceededError: If the envelope has less left than ``amount``; names the
                envelope and the shortfall. Nothing is written.
            NotFoundError: If there is no such envelope.
            ValidationError: If ``amount`` is not a positive whole number.
        """
        ...

    def disburse(
        self,
        envelope_key: str,
        project_id: str,
        amount: int,
        *,
        actor: str,
        rule_set_version: str = "",
    ) -> Disbursement:
        """Record a payment for a project, at most what is committed to it and not yet paid.

        The envelope decides (:meth:`~khuyencong.domain.BudgetEnvelope.check_disbursement`).
        Appends a ``budget.disburse`` audit entry.

        Raises:
            BudgetExceededError: If the project's commitment left in the envelope is smaller;
                ``envelope`` is the key, ``project_id`` the project.
            NotFoundError: If there is no such envelope.
            ValidationError: If ``amount`` is not a positive whole number.
        """
        ...

    def committed(self, envelope_key: str) -> int:
        """The total committed against the envelope, in đồng."""
        ...

    def disbursed(self, envelope_key: str) -> int:
        """The total disbursed out of the envelope, in đồng."""
        ...

    def available(self, envelope_key: str) -> int:
        """What is left to commit: total minus committed."""
        ...

    def commitments(
        self, *, envelope_key: str | None = None, project_id: str | None = None
    ) -> list[Commitment]:
        """Commitments, oldest first."""
        ...

    def disbursements(
        self, *, envelope_key: str | None = None, project_id: str | None = None
    ) -> list[Disbursement]:
        """Disbursements, oldest first."""
        ...


@runtime_checkable
class AuditLog(Protocol):
    """The append-only audit log: entries can be added and read, never changed or removed."""

    def append(
        self,
        action: str,
        subject: str,
        *,
        actor: str,
        rule_set_version: str = "",
        details: Mapping[str, str] | None = None,
    ) -> AuditEntry:
        """Append an application's own entry, stamped now (UTC).

        The actions ``project.…``, ``budget.…`` and ``award.…`` are the library's: an
        application names its own (``note``, ``myapp.export``).

        Raises:
            ValidationError: If ``action`` is one of the library's, or ``actor``, ``action`` or
                ``subject`` is empty or holds a NUL character.
        """
        ...

    def entries(
        self,
        *,
        subject: str | None = None,
        action: str | None = None,
        actor: str | None = None,
        since: dt.datetime | None = None,
    ) -> list[AuditEntry]:
        """The entries matching every filter given, in log order."""
        ...

    def __len__(self) -> int:
        """How many entries the log holds."""
        ...


@runtime_checkable
class UnitOfWork(Protocol):
    """The repositories of one store, inside one transaction."""

    @property
    def establishments(self) -> Repository[Establishment]:
        """Establishments."""
        ...

    @property
    def projects(self) -> ProjectRepository:
        """Projects (optimistic concurrency on save)."""
        ...

    @property
    def support_records(self) -> Repository[SupportRecord]:
        """Support records."""
        ...

    @property
    def fair_participations(self) -> Repository[FairParticipation]:
        """Fair participations."""
        ...

    @property
    def award_entries(self) -> AwardRepository:
        """Award entries."""
        ...

    @property
    def ocop_ratings(self) -> Repository[OcopRating]:
        """OCOP ratings."""
        ...

    @property
    def budgets(self) -> BudgetRepository:
        """Budget envelopes, commitments and disbursements."""
        ...

    @property
    def audit(self) -> AuditLog:
        """The audit log."""
        ...


@runtime_checkable
class Store(UnitOfWork, Protocol):
    """A store: repositories, a unit of work, schema information and an integrity check.

    Outside a unit of work each call is its own transaction. Inside
    ``with store.unit_of_work() as uow:`` every change made through ``uow`` (or ``store``)
    commits together when the block ends, or not at all if it raises. Units of work do not
    nest: opening one inside another raises :class:`~khuyencong.exceptions.StoreError`.
    A store object belongs to one thread; open one per thread or process (the SQL stores raise
    :class:`~khuyencong.exceptions.StoreError` when used from another thread; the memory store
    is locked and may be shared).
    """

    @property
    def url(self) -> str:
        """The URL the store was opened with (``open_store(store.url)`` opens it again)."""
        ...

    @property
    def schema_version(self) -> int:
        """The version of the store's schema."""
        ...

    def unit_of_work(self) -> AbstractContextManager[UnitOfWork]:
        """A transaction: every change inside commits together or not at all."""
        ...

    def check_integrity(self) -> list[str]:
        """Problems found in the stored data (empty when it is sound): rows that no longer read
        back, records naming establishments the store does not hold, sums that disagree."""
        ...

    def close(self) -> None:
        """Release the connection; the store cannot be used afterwards."""
        ...

    def __enter__(self) -> Store:
        """The store itself."""
        ...

    def __exit__(self, *exc_info: object) -> None:
        """Close the store."""
        ...
