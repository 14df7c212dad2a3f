"""The stored JSON of a record, written straight from its fields.

A store keeps each object as the converter's JSON (``to_json``: ``unstructure`` then the JSON
encoder). Writing a million records that way builds a million dicts only to encode them. The
writer here makes, once per class, a function that joins the same JSON text from the object's
attributes: each field's piece is chosen by its declared type (text, whole number, yes/no,
date, decimal, enum, an optional or a tuple of those, a nested attrs class), and any other
type goes through the converter, so the text is always the converter's.

The writer is used only while the library's converter has no unstructure hook of a caller's
(registered after the library's own); a value of an unexpected type (which
the domain's validators do not let in) makes the writer hand the whole object to ``to_json``.
``tests/test_storage_json.py`` checks that both give the same text for every stored type.
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
import json.encoder
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from khuyencong.converters import _UNSTRUCTURE_CHANGED, converter
from khuyencong.storage._common import to_json
from khuyencong.storage._records import mapped

__all__ = ["json_column_writer", "json_writer"]

_string = json.encoder.encode_basestring  # what the encoder does with ensure_ascii=False
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_WRITERS: dict[type[Any], Callable[[Any], str]] = {}


class _UnexpectedValueError(Exception):
    """A value the typed pieces do not write exactly as the converter would."""

    def __init__(self) -> None:
        super().__init__("a value of an unexpected type")


def _unexpected() -> str:
    """Raise :class:`_UnexpectedValueError` (the generated writers call it from an
    expression, where ``raise`` cannot be written)."""
    raise _UnexpectedValueError


def _text(value: Any) -> str:
    if type(value) is not str:
        raise _UnexpectedValueError
    return _string(value)


def _whole(value: Any) -> str:
    if type(value) is not int:
        raise _UnexpectedValueError
    return int.__repr__(value)


def _yes_no(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    raise _UnexpectedValueError


def _date(value: Any) -> str:
    if type(value) is not dt.date:
        raise _UnexpectedValueError
    return f'"{value.isoformat()}"'


def _decimal(value: Any) -> str:
    if type(value) is not Decimal:
        raise _UnexpectedValueError
    return _string(str(value))


def _enum(cls: type[enum.Enum]) -> Callable[[Any], str]:
    pieces = {member: _encode(member.value) for member in cls}

    def piece(value: Any) -> str:
        found = pieces.get(value) if type(value) is cls else None
        if found is None:
            raise _UnexpectedValueError
        return found

    return piece


def _optional(inner: Callable[[Any], str]) -> Callable[[Any], str]:
    def piece(value: Any) -> str:
        return "null" if value is None else inner(value)

    return piece


def _items(inner: Callable[[Any], str]) -> Callable[[Any], str]:
    def piece(value: Any) -> str:
        if type(value) is not tuple:
            raise _UnexpectedValueError
        if not value:
            return "[]"
        return "[" + ",".join([inner(v) for v in value]) + "]"

    return piece


def _converter(kind: Any) -> Callable[[Any], str]:
    def piece(value: Any) -> str:
        return _encode(converter.unstructure(value, unstructure_as=kind))

    return piece


_SIMPLE: dict[Any, Callable[[Any], str]] = {
    str: _text,
    int: _whole,
    bool: _yes_no,
    dt.date: _date,
    Decimal: _decimal,
}


def _optional_of(kind: Any) -> Any | None:
    """``X`` for a type ``X | None``, else ``None``."""
    args = typing.get_args(kind)
    if typing.get_origin(kind) in (types.UnionType, typing.Union) and len(args) == 2:
        if args[1] is type(None):
            return args[0]
        if args[0] is type(None):
            return args[1]
    return None


def _piece(kind: Any) -> Callable[[Any], str]:
    """How a field of type ``kind`` is written."""
    simple = _SIMPLE.get(kind)
    if simple is not None:
        return simple
    inner = _optional_of(kind)
    if inner is not None:
        return _optional(_piece(inner))
    origin = typing.get_origin(kind)
    args = typing.get_args(kind)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return _items(_piece(args[0]))
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return _enum(kind)
    if isinstance(kind, type) and attrs.has(kind):
        return _nested(kind)
    return _converter(kind)


def _nested(cls: type[Any]) -> Callable[[Any], str]:
    def piece(value: Any) -> str:
        if type(value) is not cls:
            raise _UnexpectedValueError
        return _typed(cls)(value)

    return piece


def _inline(kind: Any, value: str, names: dict[str, Any]) -> str | None:
    """An expression writing ``value`` (a name) of type ``kind``, for the commonest types."""
    names.update(_S=_string, _R=int.__repr__, _D=dt.date, _U=_unexpected)
    if kind is str:
        return f"(_S({value}) if {value}.__class__ is str else _U())"
    if kind is int:
        return f"(_R({value}) if {value}.__class__ is int else _U())"
    if kind is dt.date:
        return f"('\"' + {value}.isoformat() + '\"' if {value}.__class__ is _D else _U())"
    return None


def _typed(cls: type[Any]) -> Callable[[Any], str]:
    """The writer of ``cls``: one generated function joining its fields' pieces."""
    found = _WRITERS.get(cls)
    if found is not None:
        return found
    hints = typing.get_type_hints(cls)
    names: dict[str, Any] = {}
    lines = ["def write(o):"]
    parts: list[str] = []
    for i, field in enumerate(f for f in attrs.fields(cls) if f.init):
        kind = hints[field.name]
        lines.append(f"    v{i} = o.{field.name}")
        inner = _optional_of(kind)
        expression = _inline(kind if inner is None else inner, f"v{i}", names)
        if expression is None:
            names[f"p{i}"] = _piece(kind)
            expression = f"p{i}(v{i})"
        elif inner is not None:
            expression = f"('null' if v{i} is None else {expression})"
        sep = "," if i else "{"
        parts += [f"'{sep}\"{field.name}\":'", expression]
    parts.append("'}'" if parts else "'{}'")
    lines.append(f"    return ''.join(({', '.join(parts)}))")
    code = compile(
        "\n".join(lines) + "\n", f"<khuyencong JSON writer for {cls.__qualname__}>", "exec"
    )
    exec(code, names)  # noqa: S102
    writer: Callable[[Any], str] = names["write"]
    _WRITERS[cls] = writer
    return writer


def json_writer(cls: type[Any]) -> Callable[[Any], str]:
    """A function giving ``to_json(obj)`` for objects of the attrs class ``cls``, faster.

    While a caller's unstructure hook is registered on the library's converter, it is
    ``to_json`` itself.
    """
    typed = _typed(cls)

    def write(obj: Any) -> str:
        if _UNSTRUCTURE_CHANGED[0] or type(obj) is not cls:
            return to_json(obj)
        try:
            return typed(obj)
        except _UnexpectedValueError:
            return to_json(obj)

    return write


def _after(before: str, piece: Callable[[Any], str]) -> Callable[[Any], str]:
    """``piece``, its text after ``before``."""
    return lambda value: before + piece(value)


def json_column_writer(
    cls: type[Any],
) -> Callable[[Mapping[str, Sequence[Any]]], list[str] | None]:
    """A function giving ``[to_json(obj) for obj in objs]`` for objects of the attrs class
    ``cls`` given as their fields' columns (every field, the values the objects hold), or
    ``None`` when it cannot (a caller's unstructure hook, a value of an unexpected type):
    then the caller builds the objects.

    Each field's piece of the text is the one :func:`json_writer` writes, made once per
    distinct value of the column together with the fixed text before it (the field's name,
    and the fields of one value for every row that come before it); a row is its columns'
    texts joined.
    """
    hints = typing.get_type_hints(cls)
    pieces = [(f.name, _piece(hints[f.name])) for f in attrs.fields(cls) if f.init]

    def write(columns: Mapping[str, Sequence[Any]]) -> list[str] | None:
        if _UNSTRUCTURE_CHANGED[0]:
            return None
        # A column of one value (an empty note, no project) is written once, into the fixed
        # text before the next column that varies (or after the last one); each varying
        # column's texts start with the fixed text before them, so a row is a plain join.
        fixed = ""  # the text since the last varying column
        texts: list[list[str]] = []
        try:
            for name, piece in pieces:
                column = columns[name]
                fixed += f'{"," if fixed or texts else "{"}"{name}":'
                first = column[0] if column else None
                kinds = set(map(type, column))
                # (The last value first: a column that varies mostly differs there already.)
                if len(kinds) == 1 and column[-1] == first and column.count(first) == len(column):
                    fixed += piece(first)
                    continue
                before, fixed = fixed, ""
                if piece is _text and kinds == {str}:  # ids: every value differs
                    texts.append(list(map(before.__add__, map(_string, column))))
                else:
                    texts.append(mapped(_after(before, piece), column, kinds))
        except _UnexpectedValueError:
            return None
        fixed += "}" if pieces else "{}"
        n = len(columns[pieces[0][0]]) if pieces else 0
        if not texts:
            return [fixed] * n
        return list(map("".join, zip(*texts, itertools.repeat(fixed, n), strict=True)))

    return write
