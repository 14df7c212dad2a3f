"""attrs field converters shared by the domain classes (text normalisation, tuples)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import TypeVar

__all__ = ["nfc", "nfc_identifier", "nfc_optional", "sorted_unique", "text_tuple"]

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
