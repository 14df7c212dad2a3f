"""What every exchange format module shares: choosing the format, reading a source.

Each format module (:mod:`~khuyencong.exchange.threesixty`, :mod:`~khuyencong.exchange.iati`)
has the same four verbs, as cattrs' ``preconf`` modules do: ``loads(text)`` and
``dumps(objects)`` for text, ``read(source)`` and ``write(objects, target)`` for files and
streams. A standard written in more than one format takes ``fmt=`` (``"json"``, ``"csv"``,
``"xml"``); ``read`` and ``write`` find it from a path's suffix when it is not given.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import IO, TypeVar

from khuyencong._arguments import Arguments, expect
from khuyencong.exceptions import ValidationError
from khuyencong.messages import text

__all__ = ["Readable", "Writable", "load_source", "load_text", "read_source", "resolve_format"]

T = TypeVar("T")
Reader = Callable[[str | bytes, str], T]
"""Reads a document in one format; the second argument names it in errors."""

Readable = str | Path | IO[str] | IO[bytes]
"""What ``read`` takes: a path, or an open text or binary stream."""

Writable = str | Path | IO[str]
"""What ``write`` takes: a path, or an open text stream."""


def resolve_format(fmt: str | None, where: object, formats: Sequence[str], default: str) -> str:
    """The format to use: ``fmt`` itself, else the suffix of a path, else ``default``.

    Raises:
        ValidationError: If ``fmt`` is not one of ``formats``, or a path's suffix names none.
    """
    allowed = ", ".join(repr(f) for f in formats)
    if fmt is not None:
        if fmt not in formats:
            message = text("exchange.format.unknown", fmt=repr(fmt), allowed=allowed)
            raise ValidationError.single("$.fmt", fmt, message)
        return fmt
    if not isinstance(where, str | Path):
        return default
    suffix = Path(where).suffix.lower().removeprefix(".")
    if suffix not in formats:
        message = text("exchange.format.from_suffix", path=str(where), allowed=allowed)
        raise ValidationError.single("$.fmt", None, message)
    return suffix


def read_source(source: Readable) -> tuple[str | bytes, str]:
    """The content of a path or a stream, and a label for errors.

    Raises:
        OSError: If the file cannot be read.
        ValidationError: If ``source`` is neither a path nor a stream one can read.
    """
    args = Arguments()
    args.stream(source, "source", "read")
    args.check()
    if isinstance(source, str | Path):
        return Path(source).read_bytes(), str(source)
    return source.read(), str(getattr(source, "name", "<stream>"))


def load_text(readers: Mapping[str, Reader[T]], document: str | bytes, fmt: str) -> T:
    """``document`` read by the reader of ``fmt`` (the first format is the default).

    Raises:
        ValidationError: If ``fmt`` is not one of the readers' formats, or ``document`` is not
            text.
    """
    expect(document, "document", str, bytes, bytearray)
    formats = tuple(readers)
    return readers[resolve_format(fmt, None, formats, formats[0])](document, "<text>")


def load_source(readers: Mapping[str, Reader[T]], source: Readable, fmt: str | None) -> T:
    """``source`` read by the reader of ``fmt``, else of its suffix, else of the first format.

    Raises:
        ValidationError: If no format is known for it.
        OSError: If the file cannot be read.
    """
    formats = tuple(readers)
    chosen = resolve_format(fmt, source, formats, formats[0])
    document, label = read_source(source)
    return readers[chosen](document, label)
