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

A filter a repository does not understand raises :class:`ValueError` naming those it does.
``unit`` matches records located in that unit or inside it (a province matches its districts
and communes) on the same map; ``legal_form`` matches records of establishments with that legal
form; ``fund`` matches records with money from that fund. Results come sorted by id.

>>> from khuyencong.storage import open_store
>>> with open_store("memory://") as store:
...     store.support_records.count()
0
"""

from __future__ import annotations

import datetime as dt
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
from khuyencong.units import UnitRef

__all__ = [
    "AuditEntry",
    "AuditLog",
    "AwardRepository",
    "BudgetRepository",
    "Commitment",
    "Disbursement",
    "ProjectRepository",
    "Repository",
    "Store",
    "UnitOfWork",
    "Versioned",
]

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


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
        """
        ...

    def add_many(self, objs: Iterable[T]) -> int:
        """Store many new objects at once (all or none); return how many.

        Raises:
            DuplicateIdError: If an id is already stored or repeated; nothing is written.
        """
        ...

    def get(self, id: str) -> T:  # noqa: A002  (the domain calls it id)
        """The object with this id.

        Raises:
            NotFoundError: If there is none.
        """
        ...

    def __contains__(self, id: object) -> bool:  # noqa: A002
        """Whether an object with this id is stored."""
        ...

    def replace(self, obj: T) -> None:
        """Replace the stored object with the same id (a correction).

        Raises:
            NotFoundError: If there is none.
        """
        ...

    def find(
        self,
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
        """The objects matching every filter given, sorted by id."""
        ...

    def count(
        self,
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
    """Projects, saved with optimistic concurrency: a stale save is refused."""

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

        A change of status appends a ``project.transition`` audit entry.

        Returns:
            The new version.

        Raises:
            ConcurrencyError: If the stored version is not ``expected_version``.
            NotFoundError: If the project was never added.
        """
        ...


@runtime_checkable
class AwardRepository(Repository[AwardEntry], Protocol):
    """Award entries; results are recorded with an audit entry."""

    def record_result(self, entry: AwardEntry, *, actor: str, rule_set_version: str = "") -> None:
        """Replace a stored entry by the same entry with its result; append ``award.result``.

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

        Appends a ``budget.commit`` audit entry.

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

        Appends a ``budget.disburse`` audit entry.

        Raises:
            BudgetExceededError: If the project's commitment left in the envelope is smaller.
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
        """Append an application's own entry, stamped now (UTC)."""
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
    A store object belongs to one thread; open one per thread or process.
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
        """Problems found in the stored data (empty when it is sound)."""
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
