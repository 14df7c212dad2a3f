"""Helpers every adapter shares: serialisation through the one converter, checks, ids."""

from __future__ import annotations

import json
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from khuyencong._arguments import many_problem
from khuyencong.converters import structure_hook, unstructure
from khuyencong.exceptions import StoreError, ValidationError
from khuyencong.messages import text as message
from khuyencong.storage._port import AuditEntry
from khuyencong.storage._records import today_utc

__all__ = [
    "audit_entry",
    "check_instance",
    "check_many",
    "check_text",
    "duplicate_in",
    "from_data",
    "from_many",
    "new_id",
    "say",
    "to_json",
]

T = TypeVar("T")

_HOOKS: dict[type[Any], Callable[[Any], Any]] = {}


# ``json.dumps(…, ensure_ascii=False, separators=(",", ":"))`` without building a new encoder
# on every call, as ``json.dumps`` does when given arguments.
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def say(key: str, /, **fields: object) -> str:
    """A store's message in the language in force, as a sentence (its first letter capital:
    a Vietnamese message may begin with a place such as "cơ sở dữ liệu SQLite …", which the
    ``storage.where_*`` messages write in lower case for use inside a sentence)."""
    text = message(key, **fields)
    return text[:1].upper() + text[1:]


def to_json(obj: object) -> str:
    """The converter's JSON of ``obj``, compact, UTF-8 characters kept."""
    return _encode(unstructure(obj))


def _hook(cls: type[T]) -> Callable[[Any], T]:
    hook = _HOOKS.get(cls)
    if hook is None:
        # The store's own rows were validated when written: read them on the converter's
        # trusted path (types checked, invariants not re-run); a damaged row still raises.
        hook = _HOOKS[cls] = structure_hook(cls, trusted=True)
    return hook


def _damaged(cls: type[Any], kind: str, exc: Exception) -> StoreError:
    return StoreError(say("storage.damaged_row", kind=kind or cls.__name__, problem=exc))


def from_data(data: object, cls: type[T], kind: str = "") -> T:
    """Build a ``cls`` from stored JSON data (a ``str`` or already parsed) with the converter.

    Raises:
        StoreError: If the stored data is not a valid ``cls``, or not JSON (a damaged store).
    """
    hook = _hook(cls)
    try:
        if isinstance(data, str | bytes):
            data = json.loads(data)
        result: T = hook(data)
    except (ValidationError, ValueError, TypeError, KeyError, AttributeError) as exc:
        raise _damaged(cls, kind, exc) from exc
    return result


# One decoder for every row (``json.loads`` builds its call each time); a text that does not
# decode is read again through ``from_data``, which reports it as a damaged row.
_decode = json.JSONDecoder().decode


def from_many(datas: Iterable[object], cls: type[T], kind: str = "") -> list[T]:
    """:func:`from_data` of each of ``datas``, in order, for reading many rows.

    The same objects and the same errors as ``[from_data(d, cls, kind) for d in datas]``,
    with the per-row work cut to decoding the JSON and one call of the converter's trusted
    builder.

    Raises:
        StoreError: If one of them is not a valid ``cls`` (a damaged store).
    """
    hook = _hook(cls)
    decode = _decode
    out: list[T] = []
    append = out.append
    for data in datas:
        if type(data) is str:
            try:
                value = decode(data)
            except ValueError:
                append(from_data(data, cls, kind))  # raises as a single read would
                continue
        elif type(data) is dict:
            value = data
        else:
            append(from_data(data, cls, kind))
            continue
        try:
            append(hook(value))
        except (ValidationError, ValueError, TypeError, KeyError, AttributeError) as exc:
            raise _damaged(cls, kind, exc) from exc
    return out


def check_instance(obj: object, cls: type[Any], path: str = "$") -> None:
    """Refuse an object of the wrong type (a store holds objects of one class each).

    Raises:
        ValidationError: At ``path``, naming the class expected and the one given.
    """
    if not isinstance(obj, cls):
        raise ValidationError.single(
            path,
            obj,
            message("storage.wrong_type", expected=cls.__name__, given=type(obj).__name__),
        )


def check_many(objs: object) -> Iterable[Any]:
    """``objs``, if it is a collection of objects (not a text, not a single object).

    Raises:
        ValidationError: At ``$`` if it is not.
    """
    problem = many_problem(objs)
    if problem is not None:
        raise ValidationError.single("$", objs, problem)
    return objs  # type: ignore[return-value]  # checked just above


def check_text(field: str, value: object) -> str:
    """A text the store records about a change (actor, action, subject, reason): not empty or
    blank, and without NUL (which PostgreSQL cannot store).

    Raises:
        ValidationError: If it is not (path ``$.<field>``).
    """
    if not isinstance(value, str):
        raise ValidationError.single(f"$.{field}", value, message("storage.audit_not_text"))
    if not value.strip():
        raise ValidationError.single(f"$.{field}", value, message("storage.audit_empty"))
    if "\x00" in value:
        raise ValidationError.single(f"$.{field}", value, message("storage.nul_in_text"))
    return value


def new_id() -> str:
    """A fresh identifier for commitments and disbursements."""
    return uuid.uuid4().hex


def duplicate_in(ids: Iterable[str]) -> str | None:
    """An id that occurs more than once in ``ids``, if any."""
    for key, n in Counter(ids).items():
        if n > 1:
            return key
    return None


def audit_entry(  # noqa: PLR0917  (private; mirrors AuditLog.append)
    seq: int,
    action: str,
    subject: str,
    actor: str,
    rule_set_version: str,
    details: Mapping[str, str] | None,
) -> AuditEntry:
    """A new audit entry stamped now (UTC), checking the caller's strings."""
    for name, value in (("actor", actor), ("action", action), ("subject", subject)):
        check_text(name, value)
    version: object = rule_set_version
    if not isinstance(version, str) or "\x00" in version:
        raise ValidationError.single(
            "$.rule_set_version", version, message("storage.audit_not_text")
        )
    clean = {str(k): str(v) for k, v in (details or {}).items()}
    for key, text in clean.items():
        if "\x00" in key or "\x00" in text:
            raise ValidationError.single(f"$.details.{key}", text, message("storage.nul_in_text"))
    return AuditEntry(seq, today_utc(), actor, action, subject, rule_set_version, clean)


def audit_json(entry: AuditEntry) -> str:
    """The stored JSON of an audit entry (without its sequence number, which the store gives)."""
    data = unstructure(entry)
    del data["seq"]
    return _encode(data)


def audit_from(seq: int, data: object) -> AuditEntry:
    """An audit entry from its stored JSON and sequence number."""
    try:
        if isinstance(data, str | bytes):
            data = json.loads(data)
    except ValueError as exc:
        raise _damaged(AuditEntry, f"audit entry {seq}", exc) from exc
    if not isinstance(data, dict):
        raise _damaged(AuditEntry, f"audit entry {seq}", TypeError(repr(data)))
    return from_data({**data, "seq": seq}, AuditEntry, "audit entry")
