"""The repositories' rules, written once for every built-in store.

An adapter (memory, SQL) supplies the primitives that depend on where the data lives: insert
rows, read one, update one, select by conditions, lock a project or an envelope, keep the
running sums, append to the audit log, say which ids of a table exist, and a transaction
(``_atomic``). The base classes here do the rest, the same way for every adapter:

- the filter signature (:class:`~khuyencong.storage.RecordQuery`) and its checks;
- ids looked up in NFC, as the domain keeps them;
- references: an object naming an establishment, a project or a prior award entry the store
  does not hold is refused (:class:`~khuyencong.exceptions.DanglingReferenceError`);
- project lifecycles: new projects are drafts, historical ones come in audited, a save is
  checked against the stored state by :func:`~khuyencong.domain.check_project_update`;
- award results: an entry changes only through ``record_result``, which audits it;
- budgets: the envelope decides (:meth:`~khuyencong.domain.BudgetEnvelope.check_commitment`);
- the audit log: the library's actions are reserved, every entry has an actor, an action and
  a subject.

These classes are private to the built-in stores; a third-party adapter calls the same domain
functions (see the how-to "Write your own storage adapter") and passes the same conformance
suite.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any, Generic, Protocol, TypeVar

from khuyencong._arguments import Arguments
from khuyencong.domain import (
    AwardEntry,
    BudgetEnvelope,
    Project,
    check_new_project,
    check_project_history,
    check_project_update,
)
from khuyencong.exceptions import (
    ConcurrencyError,
    DanglingReferenceError,
    NotFoundError,
    StoreError,
    ValidationError,
)
from khuyencong.messages import text as message
from khuyencong.storage import _records as rec
from khuyencong.storage._common import check_instance, check_many, check_text, new_id, say
from khuyencong.storage._port import (
    AuditEntry,
    Commitment,
    Disbursement,
    RecordQuery,
    Versioned,
)

__all__ = [
    "AuditLogBase",
    "AwardRepositoryBase",
    "BudgetRepositoryBase",
    "ProjectRepositoryBase",
    "RepositoryBase",
    "StoreCore",
    "dangling_problems",
    "lookup_key",
]

T = TypeVar("T")
_Booking = TypeVar("_Booking", Commitment, Disbursement)

RESERVED_ACTIONS = ("project.", "budget.", "award.")
"""The prefixes of the library's own audit actions; an application's actions use others."""

_BOOKING_ACTIONS: dict[type[Commitment | Disbursement], str] = {
    Commitment: "budget.commit",
    Disbursement: "budget.disburse",
}


class StoreCore(Protocol):
    """What the base classes need from their store."""

    def _atomic(self) -> AbstractContextManager[object]:
        """One call's changes: all or nothing (a savepoint inside a unit of work)."""
        ...

    def _audit_add(
        self,
        action: str,
        subject: str,
        actor: str,
        rule_set_version: str,
        details: Mapping[str, str] | None,
    ) -> AuditEntry:
        """Append an audit entry (any action; the caller checked it)."""
        ...

    def _missing(self, table: str, ids: Collection[str]) -> set[str]:
        """Those of ``ids`` that name no stored object of ``table`` (``establishments``,
        ``projects``, ``award_entries``: the keys of ``_records.REFERENCED``)."""
        ...


def lookup_key(key: object) -> object:
    """An id as the store keeps it: a text in NFC (anything else is left to fail the lookup)."""
    return unicodedata.normalize("NFC", key) if isinstance(key, str) else key


def dangling_problems(
    spec: rec.RecordSpec[Any], obj: Any, known: Mapping[str, Collection[str]]
) -> list[str]:
    """The integrity problems of one stored object naming objects not in ``known`` (the ids
    stored, by table: every table of ``_records.REFERENCED``)."""
    return [
        message(
            "storage.integrity_dangling",
            kind=spec.label,
            id=obj.id,
            field=field,
            target=rec.SPECS_BY_TABLE[table].label,
            value=value,
        )
        for field, table, value in spec.references(obj)
        if value not in known[table]
    ]


class RepositoryBase(Generic[T]):
    """The objects of one type: the shared rules over an adapter's primitives."""

    _store: StoreCore
    _spec: rec.RecordSpec[T]

    # -- primitives an adapter supplies ---------------------------------------------------------

    def _insert(self, objs: list[T]) -> None:
        """Store new objects, all or none; raise DuplicateIdError on a taken or repeated id."""
        raise NotImplementedError

    def _read(self, key: str) -> T | None:
        """The object with this id, or ``None``."""
        raise NotImplementedError

    def _has(self, key: str) -> bool:
        """Whether an object with this id is stored."""
        raise NotImplementedError

    def _update(self, obj: T) -> bool:
        """Replace the stored object with the same id; ``False`` if there is none."""
        raise NotImplementedError

    def _select(self, conditions: list[rec.Condition]) -> list[T]:
        """The objects meeting every condition, sorted by id."""
        raise NotImplementedError

    def _tally(self, conditions: list[rec.Condition]) -> int:
        """How many objects meet every condition."""
        raise NotImplementedError

    # -- the port ---------------------------------------------------------------------------------

    def _checked(self, obj: object, index: int | None = None) -> T:
        if not isinstance(obj, self._spec.cls):  # the path is written only for an error
            check_instance(obj, self._spec.cls, "$" if index is None else f"$[{index}]")
        return obj  # type: ignore[return-value]  # checked just above

    def _check_new(self, objs: Sequence[T]) -> None:
        """Refuse objects that may not be added as new (projects past their draft)."""

    def _check_references(self, objs: Sequence[T]) -> None:
        """Refuse objects naming objects the store does not hold (an object of the batch
        itself counts: an award entry may name a prior entry given with it)."""
        references = self._spec.references
        wanted: dict[str, set[str]] = {}
        for obj in objs:
            for _, table, value in references(obj):
                wanted.setdefault(table, set()).add(value)
        if not wanted:
            return
        own = self._spec.table
        if own in wanted:
            wanted[own] -= {obj.id for obj in objs}  # type: ignore[attr-defined]
        missing = {
            (table, value)
            for table, ids in wanted.items()
            for value in self._store._missing(table, ids)
        }
        if missing:
            single = len(objs) == 1
            raise DanglingReferenceError(
                self._spec.kind,
                [
                    (None if single else i, obj.id, field, value, rec.REFERENCED[table])  # type: ignore[attr-defined]
                    for i, obj in enumerate(objs)
                    for field, table, value in references(obj)
                    if (table, value) in missing
                ],
                self._spec.label,
            )

    def _insert_from_columns(self, columns: Mapping[str, Sequence[Any]]) -> bool:
        """Store new objects given as columns (see :meth:`_add_columns`), all or none, if the
        adapter can without the objects; ``False`` (nothing written) if it cannot."""
        return False

    def _add_columns(self, columns: Mapping[str, Sequence[Any]]) -> int:
        """Store many new objects given as checked columns, all or none; return how many.

        ``columns`` holds one sequence per field of the class, of equal lengths, holding
        the values the objects would hold, every row checked as the constructor checks it
        (:func:`~khuyencong.domain.support_record_columns` gives them for support records).
        An SQL store writes the rows without building the objects; the others build them
        and call :meth:`add_many`. The same errors as :meth:`add_many`.
        """
        if self._spec.from_columns is None:
            return self.add_many(self._objects(columns))
        ids = columns["id"]
        self._check_column_references(columns, ids)
        if not self._insert_from_columns(columns):
            return self.add_many(self._objects(columns))
        return len(ids)

    def _objects(self, columns: Mapping[str, Sequence[Any]]) -> list[T]:
        names = list(columns)
        cls = self._spec.cls
        return [
            cls(**dict(zip(names, row, strict=True))) for row in zip(*columns.values(), strict=True)
        ]

    def _check_column_references(
        self, columns: Mapping[str, Sequence[Any]], ids: Sequence[str]
    ) -> None:
        """:meth:`_check_references` for objects given as columns (the same error)."""
        missing: dict[str, set[str]] = {}
        for field, table in self._spec.column_references:
            wanted = set(columns[field])
            wanted.discard(None)
            if wanted:
                missing[field] = self._store._missing(table, wanted)
        if not any(missing.values()):
            return
        single = len(ids) == 1
        tables = dict(self._spec.column_references)
        found = [
            (None if single else i, ids[i], field, value, rec.REFERENCED[tables[field]])
            for i in range(len(ids))
            for field in missing
            if (value := columns[field][i]) in missing[field]
        ]
        raise DanglingReferenceError(self._spec.kind, found, self._spec.label)

    def add(self, obj: T) -> None:
        """Store a new object (see :class:`~khuyencong.storage.Repository`)."""
        self.add_many([self._checked(obj)])

    def add_many(self, objs: Iterable[T]) -> int:
        """Store many new objects, all or none; return how many."""
        items = [self._checked(obj, i) for i, obj in enumerate(check_many(objs))]
        self._check_new(items)
        self._check_references(items)
        self._insert(items)
        return len(items)

    def get(self, id: str) -> T:  # noqa: A002  (the domain calls it id)
        """The object with this id."""
        found = self._read(lookup_key(id))  # type: ignore[arg-type]
        if found is None:
            raise NotFoundError(self._spec.kind, id)
        return found

    def __contains__(self, id: object) -> bool:  # noqa: A002
        return isinstance(id, str) and self._has(unicodedata.normalize("NFC", id))

    def replace(self, obj: T) -> None:
        """Replace the stored object with the same id."""
        item = self._checked(obj)
        key: str = item.id  # type: ignore[attr-defined]
        if not self._has(key):
            raise NotFoundError(self._spec.kind, key)
        self._check_references([item])
        if not self._update(item):
            raise NotFoundError(self._spec.kind, key)

    def _conditions(self, query: RecordQuery | None, filters: Mapping[str, Any]) -> Any:
        return rec.compile_filters(self._spec, RecordQuery.of(query, filters))

    def find(self, query: RecordQuery | None = None, /, **filters: Any) -> list[T]:
        """The objects matching every filter given (a query or keywords), sorted by id."""
        return self._select(self._conditions(query, filters))

    def count(self, query: RecordQuery | None = None, /, **filters: Any) -> int:
        """How many objects match every filter given (a query or keywords)."""
        return self._tally(self._conditions(query, filters))

    def __iter__(self) -> Iterator[T]:
        return iter(self.find())


class ProjectRepositoryBase(RepositoryBase[Project]):
    """Projects: optimistic concurrency and the lifecycle, checked against the stored state."""

    def _versioned(self, key: str, *, lock: bool) -> Versioned[Project] | None:
        """The stored project and its version (``lock``: held until the transaction ends)."""
        raise NotImplementedError

    def _write_version(self, project: Project, version: int) -> None:
        """Overwrite the stored project (under the lock ``_versioned`` took) at ``version``."""
        raise NotImplementedError

    def _check_new(self, objs: Sequence[Project]) -> None:
        for project in objs:
            check_new_project(project)

    def get_versioned(self, id: str) -> Versioned[Project]:  # noqa: A002
        """The project with the version it was read at."""
        found = self._versioned(lookup_key(id), lock=False)  # type: ignore[arg-type]
        if found is None:
            raise NotFoundError("project", id)
        return found

    def replace(self, obj: Project) -> None:
        """Refused: a project changes through :meth:`save` (version, lifecycle, audit)."""
        raise StoreError(say("storage.project_replace"))

    def save(
        self, project: Project, *, expected_version: int, actor: str, rule_set_version: str = ""
    ) -> int:
        """Save a changed project if nobody saved it since ``expected_version``."""
        item = self._checked(project)
        check_text("actor", actor)
        with self._store._atomic():
            stored = self._versioned(item.id, lock=True)
            if stored is None:
                raise NotFoundError("project", item.id)
            if stored.version != expected_version:
                raise ConcurrencyError(
                    say(
                        "storage.stale_project",
                        id=item.id,
                        stored=stored.version,
                        expected=expected_version,
                    )
                )
            steps = check_project_update(stored.value, item)
            self._check_references([item])
            version = stored.version + 1
            self._write_version(item, version)
            for step in steps:
                self._store._audit_add(
                    "project.transition",
                    f"project:{item.id}",
                    actor,
                    rule_set_version,
                    {
                        "from": step.source.value,
                        "to": step.target.value,
                        "on": step.on.isoformat(),
                        "version": str(version),
                    },
                )
        return version

    def add_historical(
        self, project: Project, *, actor: str, reason: str, rule_set_version: str = ""
    ) -> None:
        """Bring in a project with a past, audited (see the port)."""
        item = self._checked(project)
        check_text("actor", actor)
        check_text("reason", reason)
        check_project_history(item)
        with self._store._atomic():
            self._check_references([item])
            self._insert([item])
            self._store._audit_add(
                "project.import",
                f"project:{item.id}",
                actor,
                rule_set_version,
                {"status": item.status.value, "reason": reason, "version": "1"},
            )


class AwardRepositoryBase(RepositoryBase[AwardEntry]):
    """Award entries: a result is recorded with an audit entry, never replaced silently."""

    def replace(self, obj: AwardEntry) -> None:
        """Refused: an entry changes through :meth:`record_result`, which audits the change."""
        raise StoreError(say("storage.award_replace"))

    def record_result(self, entry: AwardEntry, *, actor: str, rule_set_version: str = "") -> None:
        """Replace the entry by the same entry with its result, and audit it."""
        check_text("actor", actor)
        with self._store._atomic():
            super().replace(entry)
            self._store._audit_add(
                "award.result",
                f"award_entry:{entry.id}",
                actor,
                rule_set_version,
                {
                    "score": "" if entry.score is None else str(entry.score),
                    "passed": "" if entry.passed is None else str(entry.passed).lower(),
                    "recognised": "" if entry.recognised is None else str(entry.recognised).lower(),
                    "certificate_no": entry.certificate_no or "",
                },
            )


class AuditLogBase:
    """The audit log: an application's own entries, the library's actions kept apart."""

    _store: StoreCore

    def append(
        self,
        action: str,
        subject: str,
        *,
        actor: str,
        rule_set_version: str = "",
        details: Mapping[str, str] | None = None,
    ) -> AuditEntry:
        """Append an application's own entry (see :class:`~khuyencong.storage.AuditLog`)."""
        check_text("action", action)
        args = Arguments()
        args.optional(details, "details", Mapping)
        args.check()
        if action.startswith(RESERVED_ACTIONS):
            raise ValidationError.single(
                "$.action",
                action,
                message("storage.audit_reserved", prefixes=", ".join(RESERVED_ACTIONS)),
            )
        return self._store._audit_add(action, subject, actor, rule_set_version, details)

    def _entries(
        self, subject: str | None, action: str | None, actor: str | None, since: dt.datetime | None
    ) -> list[AuditEntry]:
        """The entries matching every filter given (checked), in log order."""
        raise NotImplementedError

    def entries(
        self,
        *,
        subject: str | None = None,
        action: str | None = None,
        actor: str | None = None,
        since: dt.datetime | None = None,
    ) -> list[AuditEntry]:
        """The entries matching every filter given, in log order (see
        :class:`~khuyencong.storage.AuditLog`)."""
        args = Arguments()
        for name, value in (("subject", subject), ("action", action), ("actor", actor)):
            args.optional(value, name, str)
        args.optional(since, "since", dt.datetime)
        args.check()
        if since is not None and since.utcoffset() is None:
            raise ValidationError.single("$.since", since, message("storage.since_naive"))
        return self._entries(subject, action, actor, since)


class BudgetRepositoryBase:
    """Budgets: the store locks and sums; the envelope decides."""

    _store: StoreCore

    def _lock_envelope(self, key: str) -> tuple[BudgetEnvelope, int, int]:
        """The envelope with its committed and disbursed totals, locked until the end of the
        transaction (raise NotFoundError if there is none)."""
        raise NotImplementedError

    def _project_sums(self, key: str, project_id: str) -> tuple[int, int]:
        """What is committed to, and paid to, a project in the envelope."""
        raise NotImplementedError

    def _record(self, item: Commitment | Disbursement) -> None:
        """Store a commitment or payment and add it to the envelope's running total."""
        raise NotImplementedError

    def _book(
        self,
        cls: type[_Booking],
        *,
        envelope_key: str,
        project_id: str,
        amount: int,
        actor: str,
        rule_set_version: str,
    ) -> _Booking:
        entry = self._store._audit_add(
            _BOOKING_ACTIONS[cls],
            f"budget_envelope:{envelope_key}",
            actor,
            rule_set_version,
            {"project_id": project_id, "amount": str(amount)},
        )
        item = cls(new_id(), envelope_key, project_id, amount, entry.at, actor, rule_set_version)
        self._record(item)
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
        check_text("actor", actor)
        with self._store._atomic():
            envelope, committed, _ = self._lock_envelope(envelope_key)
            checked = envelope.check_commitment(amount, committed=committed)
            return self._book(
                Commitment,
                envelope_key=envelope_key,
                project_id=project_id,
                amount=checked,
                actor=actor,
                rule_set_version=rule_set_version,
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
        check_text("actor", actor)
        with self._store._atomic():
            envelope, _, _ = self._lock_envelope(envelope_key)
            committed, disbursed = self._project_sums(envelope_key, project_id)
            checked = envelope.check_disbursement(
                amount, project_id=project_id, committed=committed, disbursed=disbursed
            )
            return self._book(
                Disbursement,
                envelope_key=envelope_key,
                project_id=project_id,
                amount=checked,
                actor=actor,
                rule_set_version=rule_set_version,
            )
