"""JSON Schemas derived from the library's own types, following the converter's wire rules.

The service defines no request or response model of its own: each schema is read from a type
annotation — an attrs class of the library, an enum, a date, a ``Decimal``, a tuple — with the
same rules :mod:`khuyencong.converters` applies (decimals as text, dates as ``YYYY-MM-DD``,
enums by value, unknown keys refused). Each attrs class becomes one named schema under
``components/schemas``, its description and its fields' descriptions taken from its
docstring. :class:`khuyencong.rules.Decision` is the one type written by hand: it is not an
attrs class but writes itself with ``to_data()``; the contract test checks real decisions
against it.

>>> from khuyencong.units import UnitRef
>>> schemas = Schemas()
>>> schemas.of(UnitRef)
{'$ref': '#/components/schemas/UnitRef'}
>>> schemas.components["UnitRef"]["required"]
['map_id', 'code']
"""

from __future__ import annotations

import collections.abc
import datetime as dt
import enum
import inspect
import re
import types
import typing
from decimal import Decimal
from typing import Any

import attrs

from khuyencong.rules import Condition, Decision

__all__ = ["DECIMAL_PATTERN", "Schemas", "docstring_fields"]

JsonSchema = dict[str, Any]

DECIMAL_PATTERN = r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,4})?$"
"""Decimal numbers as the converter reads them: written as text, finite."""

_ARRAYS = (tuple, list, frozenset, set, collections.abc.Sequence, collections.abc.Set)
_MAPPINGS = (dict, collections.abc.Mapping)


def docstring_fields(documented: object, section: str = "Attributes") -> tuple[str, dict[str, str]]:
    """The summary line of a docstring, and the descriptions of one Google-style section
    (``Attributes:`` of a class, ``Args:`` of a function).

    >>> from khuyencong.domain import Citation
    >>> summary, fields = docstring_fields(Citation)
    >>> "document" in fields
    True
    """
    lines = (inspect.getdoc(documented) or "").splitlines()
    summary = lines[0].strip() if lines else ""
    fields: dict[str, str] = {}
    inside = False
    current = ""
    for line in lines:
        if line.strip() == f"{section}:":
            inside = True
            continue
        if not inside:
            continue
        if line and not line.startswith(" "):
            break
        match = re.match(r"^    (\w+)(?: \([^)]*\))?: (.*)$", line)
        if match:
            current = match.group(1)
            fields[current] = match.group(2).strip()
        elif current and line.strip():
            fields[current] += " " + line.strip()
    return summary, {k: _plain(v) for k, v in fields.items()}


def _plain(text: str) -> str:
    """Sphinx roles and double backquotes as plain text."""
    text = re.sub(r":\w+:`~?([^`]+)`", lambda m: m.group(1).rsplit(".", 1)[-1], text)
    return text.replace("``", "`")


class Schemas:
    """A collection of named schemas, filled as types are asked for."""

    def __init__(self) -> None:
        self.components: dict[str, JsonSchema] = {}
        self._owners: dict[str, object] = {}

    def of(self, annotation: Any) -> JsonSchema:
        """The schema of a type annotation (a ``$ref`` for attrs classes and enums)."""
        if annotation is Any or annotation is object:
            return {}
        if annotation is type(None):
            return {"type": "null"}
        if annotation is bool:
            return {"type": "boolean"}
        if annotation is int:
            return {"type": "integer"}
        if annotation is str:
            return {"type": "string"}
        if annotation is Decimal:
            return {"type": "string", "pattern": DECIMAL_PATTERN, "examples": ["0.5"]}
        if annotation is dt.datetime:
            return {"type": "string", "format": "date-time"}
        if annotation is dt.date:
            return {"type": "string", "format": "date"}
        if annotation is Decision:
            return self._named(Decision, self._decision)
        if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
            return self._named(annotation, lambda: self._enum(annotation))
        if isinstance(annotation, type) and attrs.has(annotation):
            return self._named(annotation, lambda: self._attrs(annotation))
        return self._generic(annotation)

    def _generic(self, annotation: Any) -> JsonSchema:
        origin, args = typing.get_origin(annotation), typing.get_args(annotation)
        if origin is typing.Literal:
            return {"type": "string", "enum": list(args)}
        if origin in (typing.Union, types.UnionType):
            options = [self.of(a) for a in args if a is not type(None)]
            if type(None) in args:
                options.append({"type": "null"})
            return {"anyOf": options}
        if origin is tuple and args and args[-1] is not Ellipsis:
            items = [self.of(a) for a in dict.fromkeys(args)]
            return {
                "type": "array",
                "items": items[0] if len(items) == 1 else {"anyOf": items},
                "minItems": len(args),
                "maxItems": len(args),
            }
        if origin in _ARRAYS:
            return {"type": "array", "items": self.of(args[0]) if args else {}}
        if origin in _MAPPINGS:
            values = self.of(args[1]) if len(args) == 2 else {}
            return {"type": "object", "additionalProperties": values}
        msg = f"no JSON Schema for {annotation!r}"
        raise TypeError(msg)

    def _named(self, cls: type, build: typing.Callable[[], JsonSchema]) -> JsonSchema:
        name = cls.__name__
        owner = self._owners.get(name)
        if owner is None:
            self._owners[name] = cls
            self.components[name] = {}  # reserved first: classes may refer to themselves
            self.components[name] = build()
        elif owner is not cls:
            msg = f"two types are called {name}: {owner!r} and {cls!r}"
            raise TypeError(msg)
        return {"$ref": f"#/components/schemas/{name}"}

    def _enum(self, cls: type[enum.Enum]) -> JsonSchema:
        values = [m.value for m in cls]
        kind = "integer" if all(isinstance(v, int) for v in values) else "string"
        schema: JsonSchema = {"type": kind, "enum": values}
        summary = (inspect.getdoc(cls) or "").splitlines()
        if summary:
            schema["description"] = _plain(summary[0])
        return schema

    def _attrs(self, cls: type) -> JsonSchema:
        hints = typing.get_type_hints(cls)
        summary, described = docstring_fields(cls)
        properties: dict[str, JsonSchema] = {}
        required: list[str] = []
        for field in attrs.fields(cls):
            if not field.init:
                continue
            schema = dict(self.of(hints[field.name]))
            if field.name in described:
                schema = {"description": described[field.name], **schema}
            properties[field.name] = schema
            if field.default is attrs.NOTHING:
                required.append(field.name)
        result: JsonSchema = {"type": "object"}
        if summary:
            result["description"] = summary
        result["properties"] = properties
        if required:
            result["required"] = required
        result["additionalProperties"] = False
        return result

    def _decision(self) -> JsonSchema:
        """The wire shape of :meth:`khuyencong.rules.Decision.to_data` (see the module's note)."""
        summary = (inspect.getdoc(Decision) or "").splitlines()[0]
        return {
            "type": "object",
            "description": summary,
            "properties": {
                "rule": {"type": "string", "description": "The rule's name (`eligibility`, …)."},
                "on": {"type": "string", "format": "date", "description": "The decision's date."},
                "subject": {"type": "string", "description": "What was decided about (an id)."},
                "outcome": {"type": "boolean", "description": "Whether every condition held."},
                "conditions": {
                    "type": "array",
                    "items": self.of(Condition),
                    "description": "Every condition checked, failed ones first.",
                },
                "regime": {
                    "type": "string",
                    "description": "The documents whose rules were applied, if known.",
                },
                "rules_on": {
                    "type": "string",
                    "format": "date",
                    "description": "The date whose rules were applied, when not `on`.",
                },
            },
            "required": ["rule", "on", "subject", "outcome", "conditions"],
            "additionalProperties": False,
        }
