"""attrs field converters shared by the domain classes (text normalisation, tuples)."""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

__all__ = [
    "column_converter",
    "nfc",
    "nfc_identifier",
    "nfc_optional",
    "sorted_unique",
    "text_tuple",
]

T = TypeVar("T")


def nfc(value: object) -> object:
    """Vietnamese text in Unicode NFC, stripped; anything else unchanged (to be refused later)."""
    if isinstance(value, str):
        # ASCII text is its own NFC: skip the normalisation (records come by the 100,000).
        return (value if value.isascii() else unicodedata.normalize("NFC", value)).strip()
    return value


def nfc_identifier(value: object) -> object:
    """An identifier in Unicode NFC, *not* stripped (surrounding spaces are refused, not hidden).

    An id typed with combining accents (NFD) and the same id typed composed (NFC) are one id:
    both are kept in NFC, so a record can refer to an establishment whichever way it was typed,
    and two identical-looking ids cannot coexist. Anything else is unchanged (to be refused).
    """
    if isinstance(value, str):
        return value if value.isascii() else unicodedata.normalize("NFC", value)
    return value


def nfc_optional(value: object) -> object:
    """Like :func:`nfc`, and an empty text becomes ``None``."""
    if value is None:  # the usual case: nothing to normalise
        return None
    value = nfc(value)
    return None if value == "" else value


def text_tuple(value: object) -> object:
    """A tuple of NFC texts (a list or tuple given), order kept; anything else unchanged."""
    if type(value) is tuple and not value:  # the usual default, kept cheap
        return ()
    if isinstance(value, list | tuple):
        return tuple(nfc(v) for v in value)
    return value


def sorted_unique(value: Iterable[T]) -> tuple[T, ...]:
    """A sorted tuple without duplicates, so that sets of enum values serialise stably."""
    if type(value) is tuple and len(value) < 2:
        return value
    if isinstance(value, str) or not isinstance(value, Iterable):
        return (value,)  # type: ignore[return-value]  # refused by the owner's checks
    try:
        return tuple(sorted(set(value)))  # type: ignore[type-var]
    except TypeError:  # unorderable or unhashable items: leave them to the owner's checks
        return tuple(value)


def _ascii_texts(column: Sequence[Any]) -> bool:
    """Whether every value of the column is an ASCII text (its own NFC)."""
    return set(map(type, column)) == {str} and "".join(column).isascii()


def _nfc_identifiers(column: Sequence[Any]) -> list[Any]:
    """:func:`nfc_identifier` of every value: ASCII ids, and a column of ``None`` only (an
    optional id nobody gave), as they are."""
    if _ascii_texts(column) or (column and column[0] is None and column.count(None) == len(column)):
        return list(column)
    return list(map(nfc_identifier, column))


def _nfc_texts(column: Sequence[Any]) -> list[Any]:
    """:func:`nfc` of every value: ASCII texts only stripped."""
    if _ascii_texts(column):
        return list(map(str.strip, column))
    return list(map(nfc, column))


def _text_tuples(column: Sequence[Any]) -> list[Any]:
    """:func:`text_tuple` of every value: empty tuples (the usual default) as they are,
    tuples of texts once per distinct tuple (equal tuples of texts give equal tuples; a tuple
    holding ``1`` would be taken for one holding ``True``)."""
    if set(map(type, column)) == {tuple}:
        if column.count(()) == len(column):
            return list(column)
        if set(map(type, itertools.chain.from_iterable(column))) == {str}:
            memo = {value: text_tuple(value) for value in set(column)}
            return list(map(memo.__getitem__, column))
    return list(map(text_tuple, column))


_COLUMN_CONVERTERS: dict[Callable[[Any], Any], Callable[[Sequence[Any]], list[Any]]] = {
    nfc_identifier: _nfc_identifiers,
    nfc: _nfc_texts,
    text_tuple: _text_tuples,
}


def column_converter(convert: Callable[[Any], Any]) -> Callable[[Sequence[Any]], list[Any]] | None:
    """The converter applied to a whole column at once (the same values as ``convert`` of
    each), for the converters above whose common case a column decides at C speed; ``None``
    for another."""
    return _COLUMN_CONVERTERS.get(convert)
