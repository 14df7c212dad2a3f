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
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING, TypeVar

from khuyencong.domain import AwardEntry, BudgetEnvelope, Fund, Project
from khuyencong.exceptions import DuplicateIdError, NotFoundError, StoreError
from khuyencong.storage import _records as rec
from khuyencong.storage._common import (
    audit_entry,
    audit_from,
    audit_json,
    check_instance,
    duplicate_in,
    from_data,
    from_many,
    say,
    to_json,
)
from khuyencong.storage._json import json_writer
from khuyencong.storage._port import (
    AuditEntry,
    Commitment,
    Disbursement,
    Store,
    UnitOfWork,
    Versioned,
)
from khuyencong.storage._repository import (
    AuditLogBase,
    AwardRepositoryBase,
    BudgetRepositoryBase,
    ProjectRepositoryBase,
    RepositoryBase,
    dangling_problems,
)
from khuyencong.units import UnitRef

__all__ = ["MemoryStore"]

T = TypeVar("T")


class _Row:
    __slots__ = ("columns", "data", "version")

    def __init__(self, data: str, columns: dict[str, object], version: int = 1) -> None:
        self.data = data
        self.columns = columns
        self.version = version


class _MemoryRepository(RepositoryBase[T]):
    """The objects of one type in a :class:`MemoryStore`."""

    _store: MemoryStore

    def __init__(self, store: MemoryStore, spec: rec.RecordSpec[T]) -> None:
        self._store = store
        self._spec = spec
        self._rows: dict[str, _Row] = {}
        self._names = tuple(c.name for c in spec.columns)
        self._to_json = json_writer(spec.cls)

    def _row(self, obj: T) -> tuple[str, _Row]:
        key: str = obj.id  # type: ignore[attr-defined]
        return key, _Row(
            self._to_json(obj), dict(zip(self._names, self._spec.row(obj), strict=True))
        )

    def _put(self, key: str, row: _Row) -> None:
        old = self._rows.get(key)
        self._rows[key] = row
        if old is None:
            self._store._on_undo(lambda: self._rows.pop(key, None))
        else:
            self._store._on_undo(lambda: self._rows.__setitem__(key, old))

    def _insert(self, objs: list[T]) -> None:
        rows = [self._row(obj) for obj in objs]
        with self._store._op():
            dup = duplicate_in(k for k, _ in rows) or next(
                (k for k, _ in rows if k in self._rows), None
            )
            if dup is not None:
                raise DuplicateIdError(self._spec.kind, dup)
            for key, row in rows:
                self._put(key, row)

    def _read(self, key: str) -> T | None:
        with self._store._lock:
            row = self._rows.get(key)
        return None if row is None else from_data(row.data, self._spec.cls, self._spec.kind)

    def _has(self, key: str) -> bool:
        return key in self._rows

    def _update(self, obj: T) -> bool:
        key, row = self._row(obj)
        with self._store._op():
            old = self._rows.get(key)
            if old is None:
                return False
            row.version = old.version
            self._put(key, row)
        return True

    def _matching(self, conditions: list[rec.Condition]) -> list[_Row]:
        legal_form_of = self._store._legal_form_of
        with self._store._lock:
            return [
                row
                for _, row in sorted(self._rows.items())
                if all(c.matches(row.columns, legal_form_of) for c in conditions)
            ]

    def _select(self, conditions: list[rec.Condition]) -> list[T]:
        rows = self._matching(conditions)
        return from_many([r.data for r in rows], self._spec.cls, self._spec.kind)

    def _tally(self, conditions: list[rec.Condition]) -> int:
        return len(self._matching(conditions))


class _MemoryProjects(_MemoryRepository[Project], ProjectRepositoryBase):
    def _versioned(self, key: str, *, lock: bool) -> Versioned[Project] | None:
        with self._store._lock:  # a save holds the store's lock for its whole call
            row = self._rows.get(key)
            if row is None:
                return None
            return Versioned(from_data(row.data, Project, "project"), row.version)

    def _write_version(self, project: Project, version: int) -> None:
        key, row = self._row(project)
        row.version = version
        self._put(key, row)


class _MemoryAwards(_MemoryRepository[AwardEntry], AwardRepositoryBase):
    pass


class _MemoryAudit(AuditLogBase):
    _store: MemoryStore

    def __init__(self, store: MemoryStore) -> None:
        self._store = store
        self._rows: list[str] = []

    def _entries(
        self, subject: str | None, action: str | None, actor: str | None, since: dt.datetime | None
    ) -> list[AuditEntry]:
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


class _MemoryBudgets(BudgetRepositoryBase):
    _store: MemoryStore

    def __init__(self, store: MemoryStore) -> None:
        self._store = store
        self._envelopes: dict[str, _Envelope] = {}
        self._commitments: list[str] = []
        self._disbursements: list[str] = []

    def add_envelope(self, envelope: BudgetEnvelope) -> None:
        """Store a new envelope."""
        check_instance(envelope, BudgetEnvelope)
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

    def _lock_envelope(self, key: str) -> tuple[BudgetEnvelope, int, int]:
        env = self._envelope(key)  # the caller holds the store's lock (``_atomic``)
        return env.envelope, env.committed, env.disbursed

    def _project_sums(self, key: str, project_id: str) -> tuple[int, int]:
        return (
            sum(c.amount for c in self.commitments(envelope_key=key, project_id=project_id)),
            sum(d.amount for d in self.disbursements(envelope_key=key, project_id=project_id)),
        )

    def _record(self, item: Commitment | Disbursement) -> None:
        env = self._envelope(item.envelope_key)
        commitment = isinstance(item, Commitment)
        rows = self._commitments if commitment else self._disbursements
        rows.append(to_json(item))
        self._store._on_undo(rows.pop)
        total = "committed" if commitment else "disbursed"
        amount = item.amount
        setattr(env, total, getattr(env, total) + amount)
        self._store._on_undo(lambda: setattr(env, total, getattr(env, total) - amount))

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

    def _missing(self, table: str, ids: Collection[str]) -> set[str]:
        rows = getattr(self, table)._rows
        with self._lock:
            return {key for key in ids if key not in rows}

    def _audit_add(
        self,
        action: str,
        subject: str,
        actor: str,
        rule_set_version: str,
        details: Mapping[str, str] | None,
    ) -> AuditEntry:
        with self._op():
            rows = self.audit._rows
            entry = audit_entry(len(rows) + 1, action, subject, actor, rule_set_version, details)
            rows.append(audit_json(entry))
            self._on_undo(rows.pop)
            return entry

    def _atomic(self) -> AbstractContextManager[None]:
        return self._op()

    def _on_undo(self, action: Callable[[], object]) -> None:
        if self._undo is not None:
            self._undo.append(action)

    @contextmanager
    def _op(self) -> Iterator[None]:
        """One call: it changes everything it should or nothing (also inside a unit of work)."""
        if self._closed:
            raise StoreError(say("storage.closed"))
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
                raise StoreError(say("storage.uow_nested"))
            self._in_uow = True
            try:
                with self._op():
                    yield self
            finally:
                self._in_uow = False

    def check_integrity(self) -> list[str]:
        """Problems in the stored data: rows that no longer read back, objects naming
        establishments, projects or prior award entries the store does not hold, sums that
        disagree."""
        problems: list[str] = []
        with self._lock:
            known = {table: set(getattr(self, table)._rows) for table in rec.REFERENCED}
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
                    problems += dangling_problems(repo._spec, obj, known)
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
