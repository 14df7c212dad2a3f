"""The one converter: JSON-ready structuring and unstructuring of every public type.

In the shape of cattrs' ``preconf`` modules: :func:`configure_converter` sets up a converter,
:func:`make_converter` builds one. Every storage adapter and every import or export of the
library uses :data:`converter`; none builds its own.

Rules of the wire format:

- ``Decimal`` as a string (``"0.3"``); integers are accepted when reading, floats are refused
  (money and rates are exact);
- ``Fraction`` (an exact ratio) as a string ``"3/7"`` (``"2"`` when whole); integers are
  accepted when reading, floats and decimal text are refused (``"0.4286"`` is not ``3/7``);
- money and counts as JSON integers: a float, a boolean or a numeric string is refused;
- dates as ISO ``YYYY-MM-DD``; timestamps as ISO 8601 with a time zone (naive ones are refused);
- enums by their stable value;
- a list as a JSON array: an object or a text where a list belongs is refused (an object is
  not the list of its keys, nor a text the list of its characters);
- unknown keys are refused when reading (a typo never passes silently), and so is a key given
  twice in one object (:func:`parse_json`).

Bad data raises :class:`~khuyencong.exceptions.ValidationError` listing every problem with its
``$.path``, never a bare ``KeyError`` or ``TypeError``. Text that is not JSON at all — not
UTF-8, broken, nested thousands deep, a number of thousands of digits — raises
:class:`~khuyencong.exceptions.FileFormatError` (:func:`parse_json`).

Hooks registered on :data:`converter` are honoured by :func:`structure` and
:func:`structure_hook` too: the library's fast path steps aside once a hook is registered.

>>> import datetime as dt
>>> from khuyencong.domain import Period
>>> unstructure(Period.phase(2017, 2020))
{'start': '2017-01-01', 'end': '2020-12-31', 'kind': 'phase'}
>>> structure({'start': '2017-01-01', 'end': '2020-12-31', 'kind': 'phase'}, Period)
Period(start=datetime.date(2017, 1, 1), end=datetime.date(2020, 12, 31), kind=<...>)
>>> from khuyencong.messages import language
>>> with language("en"):  # errors speak the language in force (Vietnamese by default)
...     structure({'start': '2017-01-01', 'end': 2020, 'kinds': 'x'}, Period)
Traceback (most recent call last):
khuyencong.exceptions.ValidationError: 2 problems:
  - $.end: must be a date as text YYYY-MM-DD (got 2020)
  - $.kinds: unknown field; remove it or check its spelling
"""

from __future__ import annotations

import collections.abc
import datetime as dt
import enum
import json
import re
import sys
import types
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, TypeVar, Union, get_args, get_origin

import attrs
import cattrs
from cattrs.cols import homogenous_tuple_structure_factory, list_structure_factory
from cattrs.errors import (
    BaseValidationError,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.preconf.json import JsonConverter
from cattrs.preconf.json import make_converter as _make_json_converter

from khuyencong.exceptions import FileFormatError, Problem, ValidationError
from khuyencong.messages import text

__all__ = [
    "configure_converter",
    "converter",
    "dumps",
    "loads",
    "make_converter",
    "parse_json",
    "structure",
    "structure_hook",
    "unstructure",
]

T = TypeVar("T")


class _BadValueError(TypeError):
    """A wire value of the wrong shape; keeps the value for the error report."""

    def __init__(self, message: str, value: object) -> None:
        super().__init__(message)
        self.value = value


def _enum_value(value: enum.Enum) -> object:
    return value.value


def _structure_enum(value: object, cl: type[enum.Enum]) -> enum.Enum:
    try:
        return cl(value)
    except ValueError:
        allowed = ", ".join(repr(m.value) for m in cl)
        msg = text("converters.enum", allowed=allowed)
        raise _BadValueError(msg, value) from None


def _optional(hook: Callable[[object, object], T]) -> Callable[[object, object], T | None]:
    def structure_optional(value: object, cl: object) -> T | None:
        return None if value is None else hook(value, cl)

    return structure_optional


def _structure_decimal(value: object, _: object) -> Decimal:
    if isinstance(value, float):
        msg = 'must be an exact decimal written as text (e.g. "0.3"), not a float'
        raise _BadValueError(msg, value)
    if isinstance(value, bool) or not isinstance(value, str | int):
        msg = text("converters.decimal_text")
        raise _BadValueError(msg, value)
    try:
        result = Decimal(value)
    except InvalidOperation:
        msg = text("converters.decimal_text")
        raise _BadValueError(msg, value) from None
    if not result.is_finite():
        msg = text("converters.decimal_finite")
        raise _BadValueError(msg, value)
    return result


_FRACTION = re.compile(r"[+-]?[0-9]{1,4300}(/[0-9]{1,4300})?")


def _structure_fraction(value: object, _: object) -> Fraction:
    if isinstance(value, float):
        msg = 'must be an exact ratio written as text (e.g. "3/7"), not a float'
        raise _BadValueError(msg, value)
    if isinstance(value, int) and not isinstance(value, bool):
        return Fraction(value)
    if not isinstance(value, str) or not _FRACTION.fullmatch(value):
        msg = 'must be an exact ratio written as text (e.g. "3/7")'
        raise _BadValueError(msg, value)
    try:
        return Fraction(value)
    except ZeroDivisionError:
        msg = "must be an exact ratio whose denominator is not 0"
        raise _BadValueError(msg, value) from None


def _structure_int(value: object, _: object) -> int:
    if isinstance(value, float):
        msg = text("converters.int_float")
        raise _BadValueError(msg, value)
    if isinstance(value, bool) or not isinstance(value, int):
        msg = text("converters.int")
        raise _BadValueError(msg, value)
    return value


def _structure_str(value: object, _: object) -> str:
    if not isinstance(value, str):
        msg = text("converters.str")
        raise _BadValueError(msg, value)
    return value


def _structure_bool(value: object, _: object) -> bool:
    if not isinstance(value, bool):
        msg = text("converters.bool")
        raise _BadValueError(msg, value)
    return value


def _structure_date(value: object, _: object) -> dt.date:
    if not isinstance(value, str) or len(value) != 10:
        msg = text("converters.date")
        raise _BadValueError(msg, value)
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        msg = text("converters.real_date")
        raise _BadValueError(msg, value) from None


def _structure_datetime(value: object, _: object) -> dt.datetime:
    if not isinstance(value, str):
        msg = text("converters.timestamp")
        raise _BadValueError(msg, value)
    # dateutil's parser (~10 ms to import) is loaded by the first timestamp read, not by every
    # command's start.
    from dateutil.parser import isoparse  # noqa: PLC0415

    try:
        result = isoparse(value)
    except (ValueError, OverflowError):
        msg = text("converters.timestamp")
        raise _BadValueError(msg, value) from None
    if result.tzinfo is None or result.utcoffset() is None:
        msg = text("converters.timestamp_zone")
        raise _BadValueError(msg, value)
    return result


def _unstructure_datetime(value: dt.datetime) -> str:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValidationError.single("$", value.isoformat(), text("converters.timestamp_no_zone"))
    return value.isoformat()


def _kind(value: object) -> str:
    """What a JSON value is, in words ("a number", "a list")."""
    if isinstance(value, bool):
        name = "boolean"
    elif isinstance(value, int | float):
        name = "number"
    else:
        kinds = {str: "text", list: "list", tuple: "list", dict: "object", type(None): "null"}
        name = kinds.get(type(value), "other")
    return text(f"exchange.json.kind.{name}")


def _objects_only(conv: cattrs.Converter) -> Callable[[Any], Callable[[Any, Any], Any]]:
    """A hook factory for attrs classes: a value that is not an object is named as such."""

    def factory(cl: Any) -> Callable[[Any, Any], Any]:
        build = conv.gen_structure_attrs_fromdict(cl)
        fields = ", ".join(f.name for f in attrs.fields(cl))

        def structure_object(value: Any, target: Any) -> Any:
            if not isinstance(value, Mapping):
                message = text("exchange.json.not_object", fields=fields, kind=_kind(value))
                raise _BadValueError(message, value)
            return build(value, target)

        return structure_object

    return factory


def _is_array(t: Any) -> bool:
    """Whether ``t`` is read from a JSON array: a list, or a tuple of any length."""
    origin, args = get_origin(t), get_args(t)
    if t in (list, tuple) or origin in (list, collections.abc.Sequence):
        return True
    return origin is tuple and len(args) == 2 and args[1] is ...


def _arrays_only(conv: cattrs.Converter) -> Callable[[Any], Callable[[Any, Any], Any]]:
    """A hook factory for lists and tuples: a value that is not a list is named as such.

    cattrs builds a list from any iterable, so an object would become the list of its keys and
    a text the list of its characters. Only a JSON array (or a Python list or tuple) is a list.
    """

    def factory(cl: Any) -> Callable[[Any, Any], Any]:
        origin = get_origin(cl) or cl
        build = (list_structure_factory if origin is list else homogenous_tuple_structure_factory)(
            cl, conv
        )

        def structure_array(value: Any, target: Any) -> Any:
            if not isinstance(value, list | tuple):
                raise _BadValueError(text("exchange.json.not_list", kind=_kind(value)), value)
            return build(value, target)

        return structure_array

    return factory


def configure_converter(conv: cattrs.Converter) -> None:
    """Configure ``conv`` with the library's wire rules (see the module docstring)."""
    conv.register_structure_hook_factory(attrs.has, _objects_only(conv))
    conv.register_structure_hook_factory(_is_array, _arrays_only(conv))
    # Class hooks dispatch on the MRO, so StrEnum/IntEnum are registered before str and int.
    for base in (enum.Enum, enum.StrEnum, enum.IntEnum):
        conv.register_unstructure_hook(base, _enum_value)
        conv.register_structure_hook(base, _structure_enum)
    conv.register_unstructure_hook(Decimal, str)
    conv.register_structure_hook(Decimal, _structure_decimal)
    conv.register_unstructure_hook(Fraction, str)
    conv.register_structure_hook(Fraction, _structure_fraction)
    conv.register_structure_hook(Fraction | None, _optional(_structure_fraction))
    for primitive, hook in ((int, _structure_int), (str, _structure_str), (bool, _structure_bool)):
        conv.register_structure_hook(primitive, hook)
        # The preconf union pass-through would accept 1.5 for ``int | None``; be as strict.
        conv.register_structure_hook(primitive | None, _optional(hook))
    conv.register_unstructure_hook(dt.date, dt.date.isoformat)
    conv.register_structure_hook(dt.date, _structure_date)
    conv.register_unstructure_hook(dt.datetime, _unstructure_datetime)
    conv.register_structure_hook(dt.datetime, _structure_datetime)
    conv.register_unstructure_hook_factory(_is_set, _sorted_sets(conv))


def _is_set(t: Any) -> bool:
    """Whether ``t`` is a set type (``frozenset[X]``, ``set``, ``AbstractSet[X]`` …)."""
    origin = get_origin(t) or t
    return isinstance(origin, type) and issubclass(origin, collections.abc.Set)


def _sorted_sets(conv: cattrs.Converter) -> Callable[[Any], Callable[[Any], list[Any]]]:
    """Write a set as a sorted list, so the same data gives the same JSON in every process
    (a set's order follows string hashing, which changes from one process to the next)."""

    def factory(t: Any) -> Callable[[Any], list[Any]]:
        args = get_args(t)
        item_type = args[0] if args else None

        def unstructure_set(value: Any) -> list[Any]:
            items = [conv.unstructure(item, unstructure_as=item_type) for item in value]
            return sorted(items, key=_sort_key)

        return unstructure_set

    return factory


def _sort_key(item: Any) -> str:
    """A total order over JSON-ready items of any kind: their JSON text."""
    return json.dumps(item, sort_keys=True, ensure_ascii=False)


def make_converter(**kwargs: Any) -> JsonConverter:
    """A new JSON converter with the library's rules.

    Args:
        **kwargs: Passed to :func:`cattrs.preconf.json.make_converter`; by default extra keys
            are forbidden and validation is detailed.
    """
    kwargs.setdefault("forbid_extra_keys", True)
    kwargs.setdefault("detailed_validation", True)
    kwargs.setdefault("omit_if_default", False)
    # Structure fields by their type even where an attrs converter normalises them afterwards.
    kwargs.setdefault("prefer_attrib_converters", False)
    conv = _make_json_converter(**kwargs)
    configure_converter(conv)
    return conv


class _LibraryConverter(JsonConverter):
    """The library's own converter: a hook registered on it turns the fast path off.

    The fast path (:func:`structure_hook`) builds the library's classes without asking the
    converter; once a caller registers a structure hook here, it can no longer know which
    types the hook changes, so every structuring goes through the converter (slower, and
    honouring every hook).
    """

    def register_structure_hook(self, *args: Any, **kwargs: Any) -> Any:
        result = super().register_structure_hook(*args, **kwargs)
        self._changed()
        return result

    def register_structure_hook_func(self, *args: Any, **kwargs: Any) -> Any:
        result = super().register_structure_hook_func(*args, **kwargs)
        self._changed()
        return result

    def register_structure_hook_factory(self, *args: Any, **kwargs: Any) -> Any:
        result = super().register_structure_hook_factory(*args, **kwargs)
        self._changed()
        return result

    def _changed(self) -> None:
        if self is converter:
            _HOOKS_CHANGED[0] = True
            _FAST.clear()

    # The stores write the library's classes without asking the converter (storage/_json.py)
    # until a caller registers an unstructure hook here.
    def register_unstructure_hook(self, *args: Any, **kwargs: Any) -> Any:
        _UNSTRUCTURE_CHANGED[0] = self is converter or _UNSTRUCTURE_CHANGED[0]
        return super().register_unstructure_hook(*args, **kwargs)

    def register_unstructure_hook_func(self, *args: Any, **kwargs: Any) -> Any:
        _UNSTRUCTURE_CHANGED[0] = self is converter or _UNSTRUCTURE_CHANGED[0]
        return super().register_unstructure_hook_func(*args, **kwargs)

    def register_unstructure_hook_factory(self, *args: Any, **kwargs: Any) -> Any:
        _UNSTRUCTURE_CHANGED[0] = self is converter or _UNSTRUCTURE_CHANGED[0]
        return super().register_unstructure_hook_factory(*args, **kwargs)


def _library_converter() -> JsonConverter:
    conv = make_converter()
    # make_converter builds a cattrs JsonConverter; the library's own instance is that same
    # object, told to report the hooks registered on it (the subclass adds no state).
    conv.__class__ = _LibraryConverter
    return conv


_HOOKS_CHANGED = [False]
_UNSTRUCTURE_CHANGED = [False]
converter: JsonConverter = _library_converter()
"""The library's converter. Use it; never register hooks on ``cattrs.global_converter``.

A structure hook registered on it is honoured everywhere the library structures data
(:func:`structure`, :func:`loads`, the stores), at the cost of the fast path.
"""


def _register_library_hooks(
    cls: type[Any], unstructure: Callable[[Any], Any], structure: Callable[[Any, Any], Any]
) -> None:
    """Register the library's own hooks for ``cls`` on :data:`converter`, leaving the fast
    paths on.

    For a class of the library outside the domain and the units (a rule's ``Decision``):
    no class the fast paths build or write (``khuyencong.domain``, ``khuyencong.units``, the
    stores' records) holds one, so these hooks cannot change what they give. Registered
    through :data:`converter`'s own methods, they would turn both fast paths off for the
    whole process as soon as the module defining ``cls`` was imported.
    """
    if cls.__module__.startswith(_FAST_MODULES):
        raise TypeError(f"{cls.__qualname__} is built by the fast paths")
    JsonConverter.register_unstructure_hook(converter, cls, unstructure)
    JsonConverter.register_structure_hook(converter, cls, structure)


def _problems(exc: BaseException, path: str) -> list[Problem]:
    if isinstance(exc, ValidationError):
        return list(exc.prefixed(path).problems)
    if isinstance(exc, ForbiddenExtraKeysError):
        return [
            Problem(f"{path}.{key}", text("converters.unknown_field"))
            for key in sorted(exc.extra_fields)
        ]
    if isinstance(exc, ClassValidationError | IterableValidationError):
        found: list[Problem] = []
        with_notes, without = exc.group_exceptions()
        for inner, note in with_notes:
            if isinstance(note, IterableValidationNote):
                sub = f"{path}[{note.index!r}]"
            else:
                sub = f"{path}.{note.name}"
            if isinstance(inner, KeyError) and isinstance(exc, ClassValidationError):
                found.append(Problem(sub, text("converters.missing_field")))
            else:
                found.extend(_problems(inner, sub))
        for inner in without:
            found.extend(_problems(inner, path))
        return found
    if isinstance(exc, KeyError):
        return [Problem(path, text("converters.missing_named_field", name=exc.args[0]))]
    if isinstance(exc, ValueError | TypeError | AttributeError):
        return [Problem(path, _plain(exc), getattr(exc, "value", None))]
    return [Problem(path, f"{type(exc).__name__}: {exc}")]


def _plain(exc: BaseException) -> str:
    text = str(exc)
    return text or type(exc).__name__


# A fast path for the library's own types. cattrs' detailed validation wraps every field in
# bookkeeping that costs about 7 µs a record; reading a store or a million-row file pays that
# on every row. The fast builders below apply the same rules (exact types, no floats, no
# unknown keys) without the bookkeeping, and any failure falls back to the detailed path,
# which reports every problem with its path. Only classes of the library's own domain and
# units modules take the fast path; anything else (or a hook a user registered) goes to cattrs.
_FAST_MODULES = ("khuyencong.domain.", "khuyencong.units.")
_FAST: dict[tuple[object, bool], Callable[[Any], Any]] = {}


class _NotFastError(Exception):
    """The fast path declines; the detailed path decides (and reports)."""


def _exact(kind: type[Any]) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if type(value) is not kind:
            raise _NotFastError
        return value

    return check


def _fast_builder(t: Any, trusted: bool) -> Callable[[Any], Any]:
    if t in (str, int, bool):
        return _exact(t)
    if t is Decimal:
        return lambda v: _structure_decimal(v, t)
    if t is dt.date:
        return lambda v: _structure_date(v, t)
    if t is dt.datetime:
        return lambda v: _structure_datetime(v, t)
    if isinstance(t, type) and issubclass(t, enum.Enum):
        return t
    origin, args = get_origin(t), get_args(t)
    if origin in (Union, types.UnionType) and len(args) == 2 and type(None) in args:
        inner = _fast_hook(args[0] if args[1] is type(None) else args[1], trusted)
        return lambda v: None if v is None else inner(v)
    if origin in (tuple, list) and (origin is list or (len(args) == 2 and args[1] is ...)):
        item = _fast_hook(args[0], trusted)
        make = tuple if origin is tuple else list

        def sequence(value: Any) -> Any:
            if type(value) is not list and type(value) is not tuple:
                raise _NotFastError
            return make(item(v) for v in value)

        return sequence
    if attrs.has(t) and t.__module__.startswith(_FAST_MODULES):
        return _fast_attrs(t, trusted)
    hook = converter.get_structure_hook(t)
    return lambda v: hook(v, t)


def _fast_attrs(cls: type[Any], trusted: bool) -> Callable[[Any], Any]:
    attrs.resolve_types(cls)
    fields = [(f.name, f.type) for f in attrs.fields(cls) if f.init]
    if trusted:
        return _trusted_builder(cls, fields)
    names = frozenset(name for name, _ in fields)
    builders: list[tuple[str, Callable[[Any], Any]]] = []

    def build(value: Any) -> Any:
        if type(value) is not dict or not names.issuperset(value):
            raise _NotFastError
        if not builders:  # built on first use: fields may refer to classes defined later
            builders.extend((name, _fast_hook(kind, trusted)) for name, kind in fields)
        return cls(**{name: b(value[name]) for name, b in builders if name in value})

    return build


_MISSING = object()


def _trusted_builder(cls: type[Any], fields: list[tuple[str, Any]]) -> Callable[[Any], Any]:
    """The trusted builder of ``cls``: a function written for its fields, like attrs' __init__.

    Data this library wrote after validating it (a store's own rows): the shapes and types are
    still checked field by field, but the object's invariants are not run again. Every field
    must be present (the converter writes them all) and no other key. The checks are those of
    :func:`_fast_builder` (exact ``str``/``int``/``bool``, dates as 10-character text, enum
    values, ``None`` for optional fields, a list or tuple for a sequence), written inline so a
    row costs one Python call, not one per field; values go straight into the slots, as the
    object's ``__init__`` would leave them. Any other field type (nested classes, decimals,
    timestamps) goes through :func:`_fast_hook`, looked up on first use (fields may refer to
    classes defined later).
    """
    source = _TrustedSource()
    lines = [
        "def build(value):",
        f"    if type(value) is not dict or len(value) != {len(fields)}:",
        "        raise _NotFastError",
    ]
    for i, (name, kind) in enumerate(fields):
        lines.append(f"    v{i} = value[{name!r}]")
        lines += source.check(f"v{i}", kind, "    ")
    lines.append("    obj = _new(_cls)")
    for i, (name, _) in enumerate(fields):
        lines.append(f"    {source.global_(_slot_setter(cls, name))}(obj, v{i})")
    lines.append("    return obj")
    namespace = source.namespace
    namespace.update(_NotFastError=_NotFastError, _new=object.__new__, _cls=cls)
    namespace.update(_fromiso=dt.date.fromisoformat, _MISSING=_MISSING)
    code = compile("\n".join(lines), f"<khuyencong trusted builder for {cls.__qualname__}>", "exec")
    exec(code, namespace)  # noqa: S102  (generated from the class's own field list)
    build: Callable[[Any], Any] = namespace["build"]
    return build


def _slot_setter(cls: type[Any], name: str) -> Callable[[Any, Any], None]:
    """What stores field ``name`` on a new ``cls``: its slot, or ``object.__setattr__``."""
    for klass in cls.__mro__:
        slot = klass.__dict__.get(name)
        if isinstance(slot, types.MemberDescriptorType):
            setter: Callable[[Any, Any], None] = slot.__set__
            return setter
    return lambda obj, value: object.__setattr__(obj, name, value)


class _TrustedSource:
    """The names a generated trusted builder refers to, and the checks it inlines per field."""

    def __init__(self) -> None:
        self.namespace: dict[str, Any] = {}

    def global_(self, value: Any) -> str:
        """A fresh global name bound to ``value`` in the generated code."""
        key = f"_g{len(self.namespace)}"
        self.namespace[key] = value
        return key

    def lazy(self, kind: Any) -> str:
        """A global name for :func:`_fast_hook` of ``kind``, looked up on first call."""
        namespace = self.namespace
        key = f"_g{len(namespace)}"

        def first(value: Any) -> Any:
            hook = namespace[key] = _fast_hook(kind, trusted=True)
            return hook(value)

        namespace[key] = first
        return key

    def check(self, var: str, kind: Any, indent: str) -> list[str]:
        """Lines that check wire value ``var`` against ``kind`` and leave the built value in it."""
        fail = f"{indent}    raise _NotFastError"
        if kind in (str, int, bool):
            return [f"{indent}if type({var}) is not {kind.__name__}:", fail]
        if kind is dt.date:
            return [
                f"{indent}if not isinstance({var}, str) or len({var}) != 10:",
                fail,
                f"{indent}{var} = _fromiso({var})",
            ]
        if isinstance(kind, type) and issubclass(kind, enum.Enum):
            # The enum's own value lookup first; anything else goes through the enum call.
            members, make = self.global_(kind._value2member_map_), self.global_(kind)
            return [
                f"{indent}_m = {members}.get({var}, _MISSING)",
                f"{indent}{var} = {make}({var}) if _m is _MISSING else _m",
            ]
        origin, args = get_origin(kind), get_args(kind)
        if origin in (Union, types.UnionType) and len(args) == 2 and type(None) in args:
            inner = args[0] if args[1] is type(None) else args[1]
            return [
                f"{indent}if {var} is not None:",
                *self.check(var, inner, indent + "    "),
            ]
        if origin is tuple and len(args) == 2 and args[1] is ... and args[0] in (str, int):
            return [
                f"{indent}if type({var}) is not list and type({var}) is not tuple:",
                fail,
                f"{indent}{var} = tuple({var})",
                f"{indent}for _item in {var}:",
                f"{indent}    if type(_item) is not {args[0].__name__}:",
                f"{indent}        raise _NotFastError",
            ]
        return [f"{indent}{var} = {self.lazy(kind)}({var})"]


def _fast_hook(t: Any, trusted: bool = False) -> Callable[[Any], Any]:
    hook = _FAST.get((t, trusted))
    if hook is None:
        hook = _FAST[t, trusted] = _fast_builder(t, trusted)
    return hook


def structure_hook(cl: type[T], *, trusted: bool = False) -> Callable[[Any], T]:
    """A function that builds a ``cl`` from JSON-ready data, for reading many rows.

    Equivalent to :func:`structure` (same rules, same errors) but looked up once, so a loop
    over a million rows pays for the lookup only once.

    Args:
        cl: The class to build.
        trusted: For data this library wrote itself after validating it, such as a store's
            own rows: shapes and types are checked, the objects' invariants are not run again
            (about twice as fast). Anything that does not fit is re-read on the validating
            path, so a damaged row still raises :class:`ValidationError`.

    >>> from khuyencong.domain import Period
    >>> build = structure_hook(Period)
    >>> build({"start": "2017-01-01", "end": "2020-12-31", "kind": "phase"}).kind.value
    'phase'
    """
    fast = _fast_hook(cl, trusted)

    def build(data: Any) -> T:
        if _HOOKS_CHANGED[0]:  # a caller's hook may change anything: ask the converter
            return _structure_detailed(data, cl)
        try:
            result: T = fast(data)
        except Exception:  # any failure is re-run on the detailed path, which reports it
            return _structure_detailed(data, cl)
        return result

    return build


def structure(data: object, cl: type[T]) -> T:
    """Build a ``cl`` from JSON-ready data, validating everything.

    Raises:
        ValidationError: Listing every problem with its ``$.path``.
    """
    return structure_hook(cl)(data)


def _structure_detailed(data: object, cl: type[T]) -> T:
    try:
        return converter.structure(data, cl)
    except ValidationError:
        raise
    except (BaseValidationError, ValueError, TypeError, KeyError, AttributeError) as exc:
        problems = _problems(exc, "$")
        raise ValidationError(problems or [Problem("$", str(exc))]) from exc


def unstructure(obj: object) -> Any:
    """JSON-ready data (dicts, lists, strings, ints, bools, None) for ``obj``."""
    return converter.unstructure(obj)


def dumps(obj: object, *, indent: int | None = None) -> str:
    """``obj`` as JSON text (UTF-8 characters kept, not escaped)."""
    return json.dumps(unstructure(obj), ensure_ascii=False, indent=indent)


def loads(text: str | bytes, cl: type[T]) -> T:
    """A ``cl`` from JSON text.

    Raises:
        FileFormatError: If the text is not JSON at all (see :func:`parse_json`).
        ValidationError: If the data is invalid, listing every problem with its ``$.path``.
    """
    return structure(parse_json(text), cl)


def parse_json(document: str | bytes, *, source: str = "<text>") -> Any:
    """JSON text as Python data, refusing what cannot be read safely.

    Bytes are decoded as UTF-8 (with or without a byte-order mark; UTF-16 and UTF-32 with
    theirs). Refused, each with a message naming ``source``: bytes that are not text in that
    encoding, broken JSON (with its line and column), ``NaN`` and ``Infinity`` (not JSON
    numbers), a number of more than 4,300 digits, nesting too deep for the parser, a lone
    ``\\ud800``–``\\udfff`` escape (no character, and no file can be written with it), and a
    key given twice in one object (with its ``$.path``: JSON readers disagree on which value
    wins, so neither is taken).

    Args:
        document: The JSON text.
        source: The file it came from, for the error.

    Raises:
        FileFormatError: If the text cannot be read.

    >>> parse_json('{"a": [1, 2]}')
    {'a': [1, 2]}
    >>> parse_json("[" * 100_000)
    Traceback (most recent call last):
    khuyencong.exceptions.FileFormatError: <text>: ...
    >>> parse_json('[{"id": "E-1", "id": "E-2"}]', source="data.json")
    Traceback (most recent call last):
    khuyencong.exceptions.FileFormatError: data.json: $[0].id: ...
    """
    if isinstance(document, bytes | bytearray):
        try:
            document = bytes(document).decode(json.detect_encoding(document))
        except UnicodeDecodeError as exc:
            message = text("exchange.json.not_utf8", offset=exc.start)
            raise FileFormatError.at(source, "$", message) from None
    twice: list[_Twice] = []
    try:
        data = json.loads(
            document, parse_constant=_no_constant, object_pairs_hook=_object_hook(twice)
        )
    except json.JSONDecodeError as exc:
        message = text("exchange.json.invalid", reason=exc.msg, line=exc.lineno, column=exc.colno)
        raise FileFormatError.at(source, "$", message) from None
    except _ConstantError as exc:
        message = text("exchange.json.not_a_number", constant=exc.args[0])
        raise FileFormatError.at(source, "$", message) from None
    except RecursionError:
        raise FileFormatError.at(source, "$", text("exchange.json.too_deep")) from None
    except ValueError:  # an integer longer than int() converts
        digits = str(sys.get_int_max_str_digits())
        message = text("exchange.json.number_too_long", digits=digits)
        raise FileFormatError.at(source, "$", message) from None
    if twice:
        path, key = _first_twice(data)
        message = text("exchange.json.duplicate_key", key=json.dumps(key, ensure_ascii=False))
        raise FileFormatError.at(source, path, message)
    if ("\\ud" in document or "\\uD" in document) and _has_lone_surrogate(data):
        raise FileFormatError.at(source, "$", text("exchange.json.lone_surrogate"))
    return data


class _Twice(dict[str, Any]):
    """A JSON object in which a key was given twice (``key``: the first such key)."""

    key: str = ""


def _object_hook(twice: list[_Twice]) -> Callable[[list[tuple[str, Any]]], dict[str, Any]]:
    """The parser's builder of objects: a dict, marked (and noted in ``twice``) when a key is
    given twice."""

    def build(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(pairs)
        if len(result) == len(pairs):
            return result
        marked = _Twice(result)
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                marked.key = key
                break
            seen.add(key)
        twice.append(marked)
        return marked

    return build


def _first_twice(data: object) -> tuple[str, str]:
    """The ``$.path`` of the first key given twice in ``data``, in document order, and the key
    (walked without recursion: the data may be nested deep). ``data`` holds a marked object."""
    stack: list[tuple[str, object]] = [("$", data)]
    path, item = stack.pop()
    while not isinstance(item, _Twice):
        if isinstance(item, dict):
            stack.extend((f"{path}.{k}", v) for k, v in reversed(item.items()))
        elif isinstance(item, list):
            stack.extend((f"{path}[{i}]", v) for i, v in reversed(list(enumerate(item))))
        path, item = stack.pop()
    return f"{path}.{item.key}", item.key


class _ConstantError(ValueError):
    """NaN, Infinity or -Infinity in JSON text."""


def _no_constant(name: str) -> Any:
    raise _ConstantError(name)


def _has_lone_surrogate(data: object) -> bool:
    """Whether any text in ``data`` holds a lone surrogate (walked without recursion)."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            texts = [item]
        elif isinstance(item, dict):
            texts = list(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
            continue
        else:
            continue
        for value in texts:
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return True
    return False
