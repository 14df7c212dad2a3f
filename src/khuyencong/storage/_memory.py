"""The in-memory store: for tests, examples and short scripts (``memory://``).

It behaves like the database stores: it serialises through the one converter (so an object
that could not be stored in a database cannot be stored here either), refuses duplicate ids,
rolls a failed call or unit of work back completely, and appends to the audit log. Data lives
as long as the object. A lock makes it safe to share one memory store between threads.

>>> from khuyencong.storage import MemoryStore
>>> store = MemoryStore()
>>> with store.unit_of_work() as uow:
...     entry = uow.audit.append("note", "programme:2025", actor="lead")
>>> [(e.seq, e.action, e.actor) for e in store.audit.entries()]
[(1, 'note', 'lead')]
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING, Generic, TypeVar

from khuyencong.domain import (
    AwardEntry,
    BudgetEnvelope,
    Fund,
    LegalForm,
    Period,
    Project,
    ProjectStatus,
    SupportContent,
)
from khuyencong.exceptions import (
    BudgetExceededError,
    ConcurrencyError,
    DuplicateIdError,
    NotFoundError,
    StoreError,
)
from khuyencong.storage import _records as rec
from khuyencong.storage._common import (
    audit_entry,
    audit_from,
    audit_json,
    check_amount,
    check_instance,
    duplicate_in,
    from_data,
    from_many,
    new_id,
    to_json,
)
from khuyencong.storage._port import (
    AuditEntry,
    Commitment,
    Disbursement,
    Store,
    UnitOfWork,
    Versioned,
)
from khuyencong.units import UnitRef

__all__ = ["MemoryStore"]

T = TypeVar("T")
_Booking = TypeVar("_Booking", Commitment, Disbursement)
SCHEMA_VERSION_MEMORY = 1


class _Row:
    __slots__ = ("columns", "data", "version")

    def __init__(self, data: str, columns: dict[str, object], version: int = 1) -> None:
        self.data = data
        self.columns = columns
        self.version = version


class _MemoryRepository(Generic[T]):
    """The objects of one type in a :class:`MemoryStore`."""

    def __init__(self, store: MemoryStore, spec: rec.RecordSpec[T]) -> None:
        self._store = store
        self._spec = spec
        self._rows: dict[str, _Row] = {}
        self._names = tuple(c.name for c in spec.columns)

    def _row(self, obj: T) -> tuple[str, _Row]:
        check_instance(obj, self._spec.cls, self._spec.kind)
        key: str = obj.id  # type: ignore[attr-defined]
        return key, _Row(to_json(obj), dict(zip(self._names, self._spec.row(obj), strict=True)))

    def _put(self, key: str, row: _Row) -> None:
        old = self._rows.get(key)
        self._rows[key] = row
        if old is None:
            self._store._on_undo(lambda: self._rows.pop(key, None))
        else:
            self._store._on_undo(lambda: self._rows.__setitem__(key, old))

    def add(self, obj: T) -> None:
        """Store a new object (see :class:`~khuyencong.storage.Repository`)."""
        self.add_many([obj])

    def add_many(self, objs: Iterable[T]) -> int:
        """Store many new objects, all or none."""
        rows = [self._row(obj) for obj in objs]
        with self._store._op():
            dup = duplicate_in(k for k, _ in rows) or next(
                (k for k, _ in rows if k in self._rows), None
            )
            if dup is not None:
                raise DuplicateIdError(self._spec.kind, dup)
            for key, row in rows:
                self._put(key, row)
        return len(rows)

    def get(self, id: str) -> T:  # noqa: A002
        """The object with this id."""
        with self._store._lock:
            row = self._rows.get(id)
        if row is None:
            raise NotFoundError(self._spec.kind, id)
        return from_data(row.data, self._spec.cls, self._spec.kind)

    def __contains__(self, id: object) -> bool:  # noqa: A002
        return id in self._rows

    def replace(self, obj: T) -> None:
        """Replace the stored object with the same id."""
        key, row = self._row(obj)
        with self._store._op():
            old = self._rows.get(key)
            if old is None:
                raise NotFoundError(self._spec.kind, key)
            row.version = old.version
            self._put(key, row)

    def _select(self, filters: Mapping[str, object]) -> list[_Row]:
        conditions = rec.compile_filters(self._spec, filters)
        legal_form_of = self._store._legal_form_of
        with self._store._lock:
            return [
                row
                for _, row in sorted(self._rows.items())
                if all(c.matches(row.columns, legal_form_of) for c in conditions)
            ]

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
        rows = self._select(
            {
                "period": period,
                "unit": unit,
                "content": content,
                "legal_form": legal_form,
                "fund": fund,
                "establishment_id": establishment_id,
                "project_id": project_id,
                "status": status,
            }
        )
        return from_many([r.data for r in rows], self._spec.cls, self._spec.kind)

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
        return len(
            self._select(
                {
                    "period": period,
                    "unit": unit,
                    "content": content,
                    "legal_form": legal_form,
                    "fund": fund,
                    "establishment_id": establishment_id,
                    "project_id": project_id,
                    "status": status,
                }
            )
        )

    def __iter__(self) -> Iterator[T]:
        return iter(self.find())


class _MemoryProjects(_MemoryRepository[Project]):
    def get_versioned(self, id: str) -> Versioned[Project]:  # noqa: A002
        """The project with the version it was read at."""
        with self._store._lock:
            row = self._rows.get(id)
            if row is None:
                raise NotFoundError(self._spec.kind, id)
            return Versioned(from_data(row.data, Project, "project"), row.version)

    def save(
        self, project: Project, *, expected_version: int, actor: str, rule_set_version: str = ""
    ) -> int:
        """Save a changed project if nobody saved it since ``expected_version``."""
        key, row = self._row(project)
        with self._store._op():
            old = self._rows.get(key)
            if old is None:
                raise NotFoundError("project", key)
            if old.version != expected_version:
                raise ConcurrencyError(_stale(key, old.version, expected_version))
            row.version = old.version + 1
            self._put(key, row)
            before, after = old.columns["status"], row.columns["status"]
            if before != after:
                self._store.audit._add(
                    "project.transition",
                    f"project:{key}",
                    actor,
                    rule_set_version,
                    {"from": str(before), "to": str(after), "version": str(row.version)},
                )
            return row.version


def _stale(key: str, stored: int, expected: int) -> str:
    return (
        f"project {key} was saved by someone else since it was read (stored version {stored}, "
        f"read at version {expected}); read it again and redo the change"
    )


class _MemoryAwards(_MemoryRepository[AwardEntry]):
    def record_result(self, entry: AwardEntry, *, actor: str, rule_set_version: str = "") -> None:
        """Replace the entry by the same entry with its result, and audit it."""
        with self._store._op():
            self.replace(entry)
            self._store.audit._add(
                "award.result",
                f"award_entry:{entry.id}",
                actor,
                rule_set_version,
                _award_details(entry),
            )


def _award_details(entry: AwardEntry) -> dict[str, str]:
    return {
        "score": "" if entry.score is None else str(entry.score),
        "passed": "" if entry.passed is None else str(entry.passed).lower(),
        "recognised": "" if entry.recognised is None else str(entry.recognised).lower(),
        "certificate_no": entry.certificate_no or "",
    }


class _MemoryAudit:
    def __init__(self, store: MemoryStore) -> None:
        self._store = store
        self._rows: list[str] = []

    def _add(
        self,
        action: str,
        subject: str,
        actor: str,
        rule_set_version: str,
        details: Mapping[str, str] | None,
    ) -> AuditEntry:
        entry = audit_entry(len(self._rows) + 1, action, subject, actor, rule_set_version, details)
        self._rows.append(audit_json(entry))
        self._store._on_undo(self._rows.pop)
        return entry

    def append(
        self,
        action: str,
        subject: str,
        *,
        actor: str,
        rule_set_version: str = "",
        details: Mapping[str, str] | None = None,
    ) -> AuditEntry:
        """Append an application's own entry."""
        with self._store._op():
            return self._add(action, subject, actor, rule_set_version, details)

    def entries(
        self,
        *,
        subject: str | None = None,
        action: str | None = None,
        actor: str | None = None,
        since: dt.datetime | None = None,
    ) -> list[AuditEntry]:
        """The entries matching every filter given, in log order."""
        with self._store._lock:
            found = [audit_from(i + 1, data) for i, data in enumerate(self._rows)]
        return [
            e
            for e in found
            if (subject is None or e.subject == subject)
            and (action is None or e.action == action)
            and (actor is None or e.actor == actor)
            and (since is None or e.at >= since)
        ]

    def __len__(self) -> int:
        return len(self._rows)


class _Envelope:
    __slots__ = ("committed", "data", "disbursed", "envelope")

    def __init__(self, envelope: BudgetEnvelope) -> None:
        self.envelope = envelope
        self.data = to_json(envelope)
        self.committed = 0
        self.disbursed = 0


class _MemoryBudgets:
    def __init__(self, store: MemoryStore) -> None:
        self._store = store
        self._envelopes: dict[str, _Envelope] = {}
        self._commitments: list[str] = []
        self._disbursements: list[str] = []

    def add_envelope(self, envelope: BudgetEnvelope) -> None:
        """Store a new envelope."""
        check_instance(envelope, BudgetEnvelope, "budget envelope")
        with self._store._op():
            if envelope.key in self._envelopes:
                raise DuplicateIdError("budget envelope", envelope.key)
            self._envelopes[envelope.key] = _Envelope(envelope)
            self._store._on_undo(lambda: self._envelopes.pop(envelope.key, None))

    def _envelope(self, key: str) -> _Envelope:
        found = self._envelopes.get(key)
        if found is None:
            raise NotFoundError("budget envelope", key)
        return found

    def get_envelope(self, key: str) -> BudgetEnvelope:
        """The envelope with this key."""
        with self._store._lock:
            return from_data(self._envelope(key).data, BudgetEnvelope, "budget envelope")

    def envelopes(
        self, *, fund: Fund | None = None, province: UnitRef | None = None, year: int | None = None
    ) -> list[BudgetEnvelope]:
        """The envelopes matching every filter given, sorted by key."""
        with self._store._lock:
            found = [from_data(e.data, BudgetEnvelope) for _, e in sorted(self._envelopes.items())]
        return [
            e
            for e in found
            if (fund is None or e.fund is fund)
            and (province is None or e.province == province)
            and (year is None or e.year == year)
        ]

    def _book(  # noqa: PLR0917  (private; the two callers pass the same seven values)
        self,
        env: _Envelope,
        cls: type[_Booking],
        envelope_key: str,
        project_id: str,
        amount: int,
        actor: str,
        rule_set_version: str,
    ) -> _Booking:
        """Audit, record and add to the envelope's running total one commitment or payment."""
        commitment = cls is Commitment
        entry = self._store.audit._add(
            "budget.commit" if commitment else "budget.disburse",
            f"budget_envelope:{envelope_key}",
            actor,
            rule_set_version,
            {"project_id": project_id, "amount": str(amount)},
        )
        item = cls(new_id(), envelope_key, project_id, amount, entry.at, actor, rule_set_version)
        rows = self._commitments if commitment else self._disbursements
        rows.append(to_json(item))
        self._store._on_undo(rows.pop)
        total = "committed" if commitment else "disbursed"
        setattr(env, total, getattr(env, total) + amount)
        self._store._on_undo(lambda: setattr(env, total, getattr(env, total) - amount))
        return item

    def commit(
        self,
        envelope_key: str,
        project_id: str,
        amount: int,
        *,
        actor: str,
        rule_set_version: str = "",
    ) -> Commitment:
        """Commit an amount against an envelope, never beyond its total."""
        amount = check_amount(amount)
        with self._store._op():
            env = self._envelope(envelope_key)
            available = env.envelope.total - env.committed
            if amount > available:
                raise BudgetExceededError(envelope_key, amount, available)
            return self._book(
                env, Commitment, envelope_key, project_id, amount, actor, rule_set_version
            )

    def disburse(
        self,
        envelope_key: str,
        project_id: str,
        amount: int,
        *,
        actor: str,
        rule_set_version: str = "",
    ) -> Disbursement:
        """Record a payment for a project, at most what is committed to it and unpaid."""
        amount = check_amount(amount)
        with self._store._op():
            env = self._envelope(envelope_key)
            committed = sum(
                c.amount for c in self.commitments(envelope_key=envelope_key, project_id=project_id)
            )
            paid = sum(
                d.amount
                for d in self.disbursements(envelope_key=envelope_key, project_id=project_id)
            )
            if amount > committed - paid:
                raise BudgetExceededError(
                    f"{envelope_key} (commitment of project {project_id})",
                    amount,
                    committed - paid,
                )
            return self._book(
                env, Disbursement, envelope_key, project_id, amount, actor, rule_set_version
            )

    def committed(self, envelope_key: str) -> int:
        """The total committed against the envelope."""
        with self._store._lock:
            return self._envelope(envelope_key).committed

    def disbursed(self, envelope_key: str) -> int:
        """The total disbursed out of the envelope."""
        with self._store._lock:
            return self._envelope(envelope_key).disbursed

    def available(self, envelope_key: str) -> int:
        """What is left to commit."""
        with self._store._lock:
            env = self._envelope(envelope_key)
            return env.envelope.total - env.committed

    def commitments(
        self, *, envelope_key: str | None = None, project_id: str | None = None
    ) -> list[Commitment]:
        """Commitments, oldest first."""
        with self._store._lock:
            found = [from_data(c, Commitment) for c in self._commitments]
        return [
            c
            for c in found
            if (envelope_key is None or c.envelope_key == envelope_key)
            and (project_id is None or c.project_id == project_id)
        ]

    def disbursements(
        self, *, envelope_key: str | None = None, project_id: str | None = None
    ) -> list[Disbursement]:
        """Disbursements, oldest first."""
        with self._store._lock:
            found = [from_data(d, Disbursement) for d in self._disbursements]
        return [
            d
            for d in found
            if (envelope_key is None or d.envelope_key == envelope_key)
            and (project_id is None or d.project_id == project_id)
        ]


class MemoryStore:
    """A store that keeps everything in memory (``memory://``); also the test fake.

    Args:
        url: The URL it was opened with.
    """

    def __init__(self, url: str = "memory://") -> None:
        self._url = url
        self._lock = threading.RLock()
        self._undo: list[Callable[[], object]] | None = None
        self._in_uow = False
        self._closed = False
        self.establishments = _MemoryRepository(self, rec.ESTABLISHMENTS)
        self.projects = _MemoryProjects(self, rec.PROJECTS)
        self.support_records = _MemoryRepository(self, rec.SUPPORT_RECORDS)
        self.fair_participations = _MemoryRepository(self, rec.FAIR_PARTICIPATIONS)
        self.award_entries = _MemoryAwards(self, rec.AWARD_ENTRIES)
        self.ocop_ratings = _MemoryRepository(self, rec.OCOP_RATINGS)
        self.budgets = _MemoryBudgets(self)
        self.audit = _MemoryAudit(self)

    @property
    def url(self) -> str:
        """The URL the store was opened with."""
        return self._url

    @property
    def schema_version(self) -> int:
        """The memory store has no schema; it reports the current version."""
        from khuyencong.storage._schema import SCHEMA_VERSION  # noqa: PLC0415  (no cycle)

        return SCHEMA_VERSION

    def _legal_form_of(self, establishment_id: object) -> object:
        row = self.establishments._rows.get(str(establishment_id))
        return None if row is None else row.columns["legal_form"]

    def _on_undo(self, action: Callable[[], object]) -> None:
        if self._undo is not None:
            self._undo.append(action)

    @contextmanager
    def _op(self) -> Iterator[None]:
        """One call: it changes everything it should or nothing (also inside a unit of work)."""
        if self._closed:
            msg = "the store is closed"
            raise StoreError(msg)
        with self._lock:
            outer = self._undo
            self._undo = []
            try:
                yield
            except BaseException:
                for action in reversed(self._undo):
                    action()
                raise
            finally:
                done, self._undo = self._undo, outer
            if outer is not None:
                outer.extend(done)

    def unit_of_work(self) -> AbstractContextManager[UnitOfWork]:
        """A transaction: every change inside commits together or not at all.

        Raises:
            StoreError: If a unit of work is already open on this store (they do not nest).
        """
        return self._unit_of_work()

    @contextmanager
    def _unit_of_work(self) -> Iterator[UnitOfWork]:
        with self._lock:
            if self._in_uow:
                msg = "a unit of work is already open on this store; units of work do not nest"
                raise StoreError(msg)
            self._in_uow = True
            try:
                with self._op():
                    yield self
            finally:
                self._in_uow = False

    def check_integrity(self) -> list[str]:
        """Problems in the stored data: rows that no longer read back, sums that disagree."""
        problems: list[str] = []
        with self._lock:
            for repo in (
                self.establishments,
                self.projects,
                self.support_records,
                self.fair_participations,
                self.award_entries,
                self.ocop_ratings,
            ):
                for key, row in repo._rows.items():
                    try:
                        obj = from_data(row.data, repo._spec.cls, repo._spec.kind)
                    except StoreError as exc:
                        problems.append(str(exc))
                        continue
                    if obj.id != key:
                        problems.append(f"{repo._spec.kind} {key!r} holds id {obj.id!r}")
            for key, env in self.budgets._envelopes.items():
                committed = sum(c.amount for c in self.budgets.commitments(envelope_key=key))
                if committed != env.committed or env.committed > env.envelope.total:
                    problems.append(f"budget envelope {key}: committed total is inconsistent")
        return problems

    def close(self) -> None:
        """Forget nothing, but refuse further changes."""
        self._closed = True

    def __enter__(self) -> MemoryStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


if TYPE_CHECKING:

    def _implements_port(store: MemoryStore) -> Store:
        return store
