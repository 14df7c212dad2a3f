"""``open_store``: a store from a URL, built-in or from a third-party adapter."""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, cast
from urllib.parse import parse_qsl, urlsplit

from khuyencong._arguments import Arguments
from khuyencong.exceptions import StoreError, StoreOptionError
from khuyencong.messages import text as message
from khuyencong.storage._port import Store

if TYPE_CHECKING:
    from importlib.metadata import EntryPoints

__all__ = ["ENTRY_POINT_GROUP", "open_store"]

ENTRY_POINT_GROUP = "khuyencong.stores"
"""The entry-point group of third-party adapters: name = URL scheme, value = a callable
taking the URL and returning a :class:`~khuyencong.storage.Store`."""

_BUILT_IN = ("memory", "sqlite", "postgresql", "postgres")


def _sqlite(url: str, read_only: bool) -> Store:
    from khuyencong.storage._sqlite import SQLiteStore, check_sqlite_options  # noqa: PLC0415

    rest = url[len("sqlite://") :]
    path, _, query = rest.partition("?")
    if path.startswith("/"):
        path = path[1:]
    options = dict(parse_qsl(query, keep_blank_values=True))
    unknown = sorted(set(options) - {"timeout", "synchronous"})
    if unknown:
        raise StoreOptionError(
            unknown[0],
            options[unknown[0]],
            message("storage.option_unknown", names=", ".join(unknown)),
        )
    text = options.get("timeout", "30")
    try:
        seconds = float(text)
    except ValueError:
        raise StoreOptionError(
            "timeout", text, message("storage.option_timeout", value=text)
        ) from None
    try:
        timeout, synchronous = check_sqlite_options(
            seconds, options.get("synchronous", "full").lower()
        )
    except StoreOptionError as exc:  # name the option's text as the URL gave it
        raise StoreOptionError(exc.option, options.get(exc.option, ""), str(exc)) from None
    return SQLiteStore(
        path or ":memory:", url=url, timeout=timeout, synchronous=synchronous, read_only=read_only
    )


def entry_points(*, group: str, name: str | None = None) -> EntryPoints:
    """The installed packages' entry points of ``group`` (named ``name``, if given).

    :func:`importlib.metadata.entry_points`, imported on first use: only a scheme that is not
    built in needs it, and importing it costs every command ~10-20 ms at its start.
    """
    from importlib.metadata import entry_points as installed  # noqa: PLC0415

    if name is None:
        return installed(group=group)
    return installed(group=group, name=name)


def _third_party(scheme: str) -> Callable[..., Store]:
    found = entry_points(group=ENTRY_POINT_GROUP, name=scheme)
    for ep in found:
        return cast("Callable[..., Store]", ep.load())
    others = sorted({ep.name for ep in entry_points(group=ENTRY_POINT_GROUP)})
    known = ", ".join([*_BUILT_IN[:3], *others])
    msg = (
        f"no store for URL scheme {scheme!r}; known schemes: {known} (install an adapter that "
        f"registers {scheme!r} in the {ENTRY_POINT_GROUP!r} entry-point group)"
    )
    raise StoreError(msg)


def open_store(url: str | os.PathLike[str], *, read_only: bool = False) -> Store:
    """Open (and create or migrate if needed) the store a URL names.

    Args:
        url: ``memory://``; ``sqlite:///relative/path.db`` or ``sqlite:////absolute/path.db``
            (options ``?timeout=30&synchronous=full``); a plain file path (SQLite);
            ``postgresql://user@host:5432/db`` (optionally ``?schema=name``); or a scheme
            registered by a third-party adapter in the ``khuyencong.stores`` entry-point group.
        read_only: Open to read only, as a report does: nothing is written, not even to
            create or migrate the store, so a missing or empty file, or an empty schema, is
            refused instead of becoming an empty store; a read-only file or file system can
            be read. A third-party adapter's factory must accept ``read_only=True``.

    Returns:
        The open store; close it, or use it in a ``with`` block.

    Raises:
        StoreOptionError: If an option of the URL is invalid (``?timeout=abc``).
        StoreError: If the scheme is unknown or the store cannot be opened.
        SchemaVersionError: If the database is not khuyencong's or is newer than this library.

    >>> with open_store("memory://") as store:
    ...     store.establishments.count()
    0
    """
    args = Arguments()
    args.path(url, "url")
    args.check()
    if not isinstance(url, str) or "://" not in url:
        from khuyencong.storage._sqlite import SQLiteStore  # noqa: PLC0415

        return SQLiteStore(url, read_only=read_only)
    scheme = urlsplit(url).scheme.lower()
    if scheme == "memory":
        from khuyencong.storage._memory import MemoryStore  # noqa: PLC0415

        if read_only:
            raise StoreOptionError("read_only", True, message("storage.read_only_memory"))
        return MemoryStore(url)
    if scheme == "sqlite":
        return _sqlite(url, read_only)
    if scheme in ("postgresql", "postgres"):
        from khuyencong.storage._postgres import PostgresStore  # noqa: PLC0415

        return PostgresStore(url, read_only=read_only)
    factory = _third_party(scheme)
    if not read_only:
        return factory(url)
    if "read_only" not in inspect.signature(factory).parameters:
        raise StoreOptionError(
            "read_only", True, message("storage.option_read_only_adapter", scheme=scheme)
        )
    return factory(url, read_only=True)
