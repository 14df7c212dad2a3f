"""The service's configuration: defaults, then a TOML file, then environment variables.

Every setting has a default that starts a safe, read-only service on the SQLite default store;
a TOML file (``--config FILE`` or ``KHUYENCONG_SERVE_CONFIG``) and environment variables
(``KHUYENCONG_STORE``, ``KHUYENCONG_PORT``, …, see :data:`ENVIRONMENT`) override it, in that
order; the command line's options override both. The file is read through the library's
converter, so a typo or a wrong type is refused with its ``$.path``.

>>> config = load_config(environ={"KHUYENCONG_PORT": "9000"})
>>> config.port, config.store
(9000, 'sqlite:///khuyencong.db')
>>> load_config(environ={"KHUYENCONG_PORT": "ninety"})
Traceback (most recent call last):
khuyencong.exceptions.ValidationError: $.port: KHUYENCONG_PORT phải là số nguyên (...'ninety')
"""

from __future__ import annotations

import os
import tomllib
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from khuyencong.converters import structure
from khuyencong.exceptions import NotFoundError, ValidationError
from khuyencong.messages import Text, text

__all__ = ["ENVIRONMENT", "ServiceConfig", "load_config"]


def _positive(_: object, attribute: attrs.Attribute[int], value: int) -> None:
    if value < 1:
        raise ValidationError.single(f"$.{attribute.name}", value, text("web.config.positive"))


def _not_negative(_: object, attribute: attrs.Attribute[int], value: int) -> None:
    if value < 0:
        raise ValidationError.single(f"$.{attribute.name}", value, text("web.config.not_negative"))


def _port(_: object, attribute: attrs.Attribute[int], value: int) -> None:
    if not 0 <= value <= 65_535:
        raise ValidationError.single(f"$.{attribute.name}", value, text("web.config.port"))


@attrs.frozen
class ServiceConfig:
    """How the HTTP service runs.

    Attributes:
        store: The store URL (``sqlite:///khuyencong.db``, ``postgresql://…``, ``memory://``).
        host: The address to listen on (``127.0.0.1``: this machine only).
        port: The TCP port.
        tokens_file: The JSON file of API tokens, stored hashed (``--create-token`` writes it).
        overlays: Provincial overlay files (TOML) layered on the national rules for every
            request, e.g. the province's own resolution setting local-fund levels.
        max_body_bytes: The largest request body accepted, in bytes (JSON requests).
        max_import_bytes: The largest file accepted by the import endpoint, in bytes.
        max_import_rows: The most rows a CSV or Excel file sent to the import endpoint may
            have, the header included (``khuyencong.importing.ImportLimits.max_rows``).
        max_batch: The most subjects one batch request may decide.
        rate_limit_per_minute: Requests a minute one client may send (0: no limit).
        cors_origins: Origins a browser may call the service from (empty: CORS off).
        read_token_required: Whether reading also needs a token (the audit log always does).
    """

    store: str = "sqlite:///khuyencong.db"
    host: str = "127.0.0.1"
    port: int = attrs.field(default=8000, validator=_port)
    tokens_file: str = "khuyencong-tokens.json"
    overlays: tuple[str, ...] = ()
    max_body_bytes: int = attrs.field(default=1_048_576, validator=_positive)
    max_import_bytes: int = attrs.field(default=20_971_520, validator=_positive)
    max_import_rows: int = attrs.field(default=200_000, validator=_positive)
    max_batch: int = attrs.field(default=1_000, validator=_positive)
    rate_limit_per_minute: int = attrs.field(default=1_200, validator=_not_negative)
    cors_origins: tuple[str, ...] = ()
    read_token_required: bool = False


ENVIRONMENT: dict[str, str] = {
    "KHUYENCONG_STORE": "store",
    "KHUYENCONG_HOST": "host",
    "KHUYENCONG_PORT": "port",
    "KHUYENCONG_TOKENS_FILE": "tokens_file",
    "KHUYENCONG_OVERLAYS": "overlays",
    "KHUYENCONG_MAX_BODY_BYTES": "max_body_bytes",
    "KHUYENCONG_MAX_IMPORT_BYTES": "max_import_bytes",
    "KHUYENCONG_MAX_IMPORT_ROWS": "max_import_rows",
    "KHUYENCONG_MAX_BATCH": "max_batch",
    "KHUYENCONG_RATE_LIMIT": "rate_limit_per_minute",
    "KHUYENCONG_CORS_ORIGINS": "cors_origins",
    "KHUYENCONG_READ_TOKEN_REQUIRED": "read_token_required",
}
"""Environment variable → setting. Lists are comma-separated (overlays: ``os.pathsep``)."""

CONFIG_VARIABLE = "KHUYENCONG_SERVE_CONFIG"
"""The environment variable naming the TOML configuration file."""


def _from_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    fields = typing.get_type_hints(ServiceConfig)
    values: dict[str, Any] = {}
    problems = []
    for variable, name in ENVIRONMENT.items():
        raw = environ.get(variable)
        if raw is None:
            continue
        kind = fields[name]
        if kind is int:
            try:
                values[name] = int(raw)
            except ValueError:
                problems.append(
                    ValidationError.single(
                        f"$.{name}", raw, text("web.config.variable_integer", variable=variable)
                    )
                )
        elif kind is bool:
            if raw.strip().lower() not in ("true", "false", "1", "0", "yes", "no"):
                problems.append(
                    ValidationError.single(
                        f"$.{name}", raw, text("web.config.variable_boolean", variable=variable)
                    )
                )
            values[name] = raw.strip().lower() in ("true", "1", "yes")
        elif name == "overlays":
            values[name] = [p for p in raw.split(os.pathsep) if p]
        elif kind is not str:
            values[name] = [p.strip() for p in raw.split(",") if p.strip()]
        else:
            values[name] = raw
    if problems:
        raise ValidationError.merge(problems)
    return values


def load_config(
    path: str | os.PathLike[str] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> ServiceConfig:
    """The service's configuration: defaults, the TOML file, the environment, then overrides.

    Args:
        path: A TOML file of settings (the names of :class:`ServiceConfig`'s attributes);
            ``None`` to use ``KHUYENCONG_SERVE_CONFIG`` if set, else no file.
        environ: The environment to read (``os.environ`` by default).
        overrides: Settings that win over everything (the command line's options).

    Returns:
        The configuration.

    Raises:
        NotFoundError: If the file does not exist.
        ValidationError: If a setting is unknown or has the wrong type or value, with its
            ``$.path``.
    """
    env = os.environ if environ is None else environ
    chosen = path if path is not None else env.get(CONFIG_VARIABLE)
    values: dict[str, Any] = {}
    if chosen:
        file = Path(chosen)
        if not file.is_file():
            raise NotFoundError("configuration file", str(file), Text.message("web.config.no_file"))
        try:
            values.update(tomllib.loads(file.read_text(encoding="utf-8")))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ValidationError.single(
                "$", str(file), text("errors.invalid_toml", reason=exc)
            ) from None
    values.update(_from_environment(env))
    values.update({k: v for k, v in (overrides or {}).items() if v is not None})
    return structure(values, ServiceConfig)
