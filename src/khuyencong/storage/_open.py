"""``open_store``: a store from a URL, built-in or from a third-party adapter."""

from __future__ import annotations

import os
from collections.abc import Callable
from importlib.metadata import entry_points
from typing import cast
from urllib.parse import parse_qsl, urlsplit

from khuyencong.exceptions import StoreError
from khuyencong.storage._port import Store

__all__ = ["ENTRY_POINT_GROUP", "open_store"]

ENTRY_POINT_GROUP = "khuyencong.stores"
"""The entry-point group of third-party adapters: name = URL scheme, value = a callable
taking the URL and returning a :class:`~khuyencong.storage.Store`."""

_BUILT_IN = ("memory", "sqlite", "postgresql", "postgres")


def _sqlite(url: str) -> Store:
    from khuyencong.storage._sqlite import SQLiteStore  # noqa: PLC0415

    rest = url[len("sqlite://") :]
    path, _, query = rest.partition("?")
    if path.startswith("/"):
        path = path[1:]
    options = dict(parse_qsl(query))
    unknown = set(options) - {"timeout", "synchronous"}
    if unknown:
        msg = f"unknown SQLite option(s) {', '.join(sorted(unknown))}; use timeout, synchronous"
        raise StoreError(msg)
    synchronous = options.get("synchronous", "full").lower()
    if synchronous not in ("full", "normal", "extra"):
        msg = f"synchronous must be full, normal or extra, not {synchronous!r}"
        raise StoreError(msg)
    return SQLiteStore(
        path or ":memory:",
        url=url,
        timeout=float(options.get("timeout", "30")),
        synchronous=synchronous,  # type: ignore[arg-type]  # checked above
    )


def _third_party(scheme: str) -> Callable[[str], Store]:
    found = entry_points(group=ENTRY_POINT_GROUP, name=scheme)
    for ep in found:
        return cast("Callable[[str], Store]", ep.load())
    others = sorted({ep.name for ep in entry_points(group=ENTRY_POINT_GROUP)})
    known = ", ".join([*_BUILT_IN[:3], *others])
    msg = (
        f"no store for URL scheme {scheme!r}; known schemes: {known} (install an adapter that "
        f"registers {scheme!r} in the {ENTRY_POINT_GROUP!r} entry-point group)"
    )
    raise StoreError(msg)


def open_store(url: str | os.PathLike[str]) -> Store:
    """Open (and create or migrate if needed) the store a URL names.

    Args:
        url: ``memory://``; ``sqlite:///relative/path.db`` or ``sqlite:////absolute/path.db``
            (options ``?timeout=30&synchronous=full``); a plain file path (SQLite);
            ``postgresql://user@host:5432/db`` (optionally ``?schema=name``); or a scheme
            registered by a third-party adapter in the ``khuyencong.stores`` entry-point group.

    Returns:
        The open store; close it, or use it in a ``with`` block.

    Raises:
        StoreError: If the scheme is unknown or the store cannot be opened.
        SchemaVersionError: If the database is not khuyencong's or is newer than this library.

    >>> with open_store("memory://") as store:
    ...     store.establishments.count()
    0
    """
    if not isinstance(url, str):
        from khuyencong.storage._sqlite import SQLiteStore  # noqa: PLC0415

        return SQLiteStore(url)
    if "://" not in url:
        from khuyencong.storage._sqlite import SQLiteStore  # noqa: PLC0415

        return SQLiteStore(url)
    scheme = urlsplit(url).scheme.lower()
    if scheme == "memory":
        from khuyencong.storage._memory import MemoryStore  # noqa: PLC0415

        return MemoryStore(url)
    if scheme == "sqlite":
        return _sqlite(url)
    if scheme in ("postgresql", "postgres"):
        from khuyencong.storage._postgres import PostgresStore  # noqa: PLC0415

        return PostgresStore(url)
    return _third_party(scheme)(url)
