"""The ASGI application: every request checked the same way, then answered by its endpoint.

For each request, in order: the language (``Accept-Language``), the client's rate, the token
(for writes, the audit log, or every read when the operator requires it), the body's size and
type, the query and path parameters and the body read through the library's converter; then
the endpoint answers. Any error becomes a problem (:mod:`khuyencong.web._problems`); nothing
else reaches the client, never a stack trace.
"""

from __future__ import annotations

import json
import logging
import math
import re
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from khuyencong.converters import parse_json, structure
from khuyencong.exceptions import FileFormatError, Problem, ValidationError
from khuyencong.messages import Lang, language, text
from khuyencong.web import _library as lib
from khuyencong.web._config import ServiceConfig
from khuyencong.web._endpoints import JSON, UPLOAD_TYPES, Call, Endpoint, endpoints, today
from khuyencong.web._openapi import PROBLEM_JSON, openapi_document
from khuyencong.web._problems import PROBLEM_TYPES, HttpProblem, problem_for
from khuyencong.web._tokens import TokenFile

__all__ = ["create_app", "negotiate_language", "serve"]

logger = logging.getLogger("khuyencong.web")

_SECURITY_HEADERS = {"X-Content-Type-Options": "nosniff", "Vary": "Accept-Language"}


def negotiate_language(header: str | None) -> Lang:
    """The answer's language from an ``Accept-Language`` header: ``vi`` unless English is
    preferred (by weight, then by order).

    >>> negotiate_language("en-US,en;q=0.9,vi;q=0.8"), negotiate_language("fr, vi;q=0.1")
    ('en', 'vi')
    >>> negotiate_language(None), negotiate_language("vi-VN;q=0.5, en;q=0.4")
    ('vi', 'vi')
    """
    best: tuple[float, int, Lang] | None = None
    for index, item in enumerate((header or "").split(",")[:32]):
        tag, _, params = item.strip().partition(";")
        primary = tag.strip().lower().split("-", 1)[0]
        if primary not in ("vi", "en"):
            continue
        weight = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        if not 0.0 < weight <= 1.0 or math.isnan(weight):
            continue
        candidate = (weight, -index, "vi" if primary == "vi" else "en")
        if best is None or candidate[:2] > best[:2]:
            best = candidate  # type: ignore[assignment]
    return best[2] if best else "vi"


class _RateLimiter:
    """A token bucket per client: ``per_minute`` requests, refilled evenly over a minute."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def wait(self, client: str) -> int:
        """0 when ``client`` may go on, else the seconds to wait."""
        if self.per_minute == 0:
            return 0
        now = time.monotonic()
        rate = self.per_minute / 60.0
        with self._lock:
            tokens, last = self._buckets.get(client, (float(self.per_minute), now))
            tokens = min(float(self.per_minute), tokens + (now - last) * rate)
            if tokens < 1.0:
                self._buckets[client] = (tokens, now)
                return max(1, math.ceil((1.0 - tokens) / rate))
            self._buckets[client] = (tokens - 1.0, now)
            if len(self._buckets) > 10_000:
                self._forget(now, rate)
        return 0

    def _forget(self, now: float, rate: float) -> None:
        full = [
            c
            for c, (t, last) in self._buckets.items()
            if t + (now - last) * rate >= self.per_minute
        ]
        for client in full:
            del self._buckets[client]


class _Service:
    """What every request shares: the configuration, the store, the tokens, the limiter."""

    def __init__(self, config: ServiceConfig) -> None:
        self.config = config
        self.stores = lib.StoreAccess(config.store)
        self.tokens = TokenFile(config.tokens_file)
        self.limiter = _RateLimiter(config.rate_limit_per_minute)
        self.contract = json.dumps(openapi_document(), ensure_ascii=False).encode("utf-8")

    def handler(self, endpoint: Endpoint) -> Callable[[Request], Awaitable[Response]]:
        async def handle(request: Request) -> Response:
            lang = negotiate_language(request.headers.get("accept-language"))
            with language(lang):
                try:
                    call = await self._call(endpoint, request, lang)
                    reply = await endpoint.handler(call)
                except Exception as exc:  # every failure becomes a problem, never a stack trace
                    return _problem(exc, request, lang)
            return _response(reply.body, reply.media_type, reply.status, lang)

        return handle

    async def _call(self, endpoint: Endpoint, request: Request, lang: Lang) -> Call:
        client = request.client.host if request.client else "unknown"
        wait = self.limiter.wait(client)
        if wait:
            raise HttpProblem(
                "rate-limited",
                text(
                    "web.problem.rate_limited.detail",
                    lang,
                    limit=self.config.rate_limit_per_minute,
                    seconds=wait,
                ),
                headers={"Retry-After": str(wait)},
            )
        actor = self._actor(request)
        needs_token = endpoint.write or endpoint.private or self.config.read_token_required
        if needs_token and actor is None:
            raise HttpProblem(
                "unauthorized",
                text("web.problem.unauthorized.detail", lang),
                headers={"WWW-Authenticate": 'Bearer realm="khuyencong"'},
            )
        query = _parse_query(endpoint, request, lang)
        body: Any = None
        media_type = ""
        if endpoint.body is not None:
            media_type, body = await self._body(endpoint, request, lang)
        return Call(
            lang, query, request.path_params, body, media_type, actor, self.config, self.stores
        )

    def _actor(self, request: Request) -> str | None:
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        return self.tokens.holder(token.strip())

    async def _body(self, endpoint: Endpoint, request: Request, lang: Lang) -> tuple[str, Any]:
        upload = endpoint.body is bytes
        limit = self.config.max_import_bytes if upload else self.config.max_body_bytes
        media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        allowed = list(UPLOAD_TYPES) if upload else [JSON]
        if media_type not in allowed and not (not upload and media_type == ""):
            raise HttpProblem(
                "unsupported-media",
                text("web.problem.unsupported_media.detail", lang, allowed=", ".join(allowed)),
            )
        raw = await _read(request, limit, lang)
        if upload:  # read as a file, JSON too (khuyencong.web._library.read_records)
            return media_type, raw
        data = _json(raw, lang) if raw.strip() else {}
        items = data.get("items") if isinstance(data, dict) else None
        if endpoint.operation_id.endswith("_batch") and isinstance(items, list):
            self._check_batch(len(items), lang)
        return JSON, structure(data, endpoint.body)

    def _check_batch(self, count: int, lang: Lang) -> None:
        limit = self.config.max_batch
        if count > limit:
            message = text("web.problem.too_many_items.detail", lang, limit=limit, count=count)
            raise ValidationError([Problem("$.items", message, count)])


async def _read(request: Request, limit: int, lang: Lang) -> bytes:
    too_large = HttpProblem("too-large", text("web.problem.too_large.detail", lang, limit=limit))
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def _json(raw: bytes, lang: Lang) -> Any:
    """A request's JSON body, read as the library reads every JSON text (not UTF-8, broken,
    nested too deep or with a key given twice: a malformed body)."""
    try:
        return parse_json(raw, source="body")
    except FileFormatError as exc:
        reason = "; ".join(str(p) for p in exc.problems)
        raise HttpProblem(
            "malformed", text("web.problem.malformed.detail", lang, reason=reason[:200])
        ) from None


_TRUE = {"true": True, "1": True, "false": False, "0": False}


def _parse_query(endpoint: Endpoint, request: Request, lang: Lang) -> dict[str, Any]:
    """The query parameters, each read as its type (problems at ``query.<name>``).

    A parameter the endpoint does not take is refused (400, ``unknown-parameter``) rather than
    ignored: a misspelt ``?provice=24`` would otherwise answer for the national rules as if
    the province had been heard.
    """
    _refuse_unknown(endpoint, request, lang)
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    for spec in endpoint.query:
        raw = request.query_params.get(spec.name)
        path = f"query.{spec.name}"
        if raw is None:
            if spec.required:
                problems.append(Problem(path, text("web.query_parameter.missing", lang)))
            values[spec.name] = None if spec.default is None else _default(spec)
            continue
        try:
            values[spec.name] = _value(spec.kind, raw, spec.minimum, spec.pattern)
        except ValidationError as exc:
            problems.extend(Problem(path, p.message, raw) for p in exc.problems)
    if problems:
        raise ValidationError(problems)
    return values


def _refuse_unknown(endpoint: Endpoint, request: Request, lang: Lang) -> None:
    known = {spec.name for spec in endpoint.query}
    unknown = [name for name in dict.fromkeys(request.query_params.keys()) if name not in known]
    if not unknown:
        return
    accepted = ", ".join(sorted(known)) or text("web.query_parameter.none", lang)
    message = text("web.query_parameter.unknown", lang, accepted=accepted)
    problems = [Problem(f"query.{name}", message, request.query_params[name]) for name in unknown]
    detail = text(
        "web.problem.unknown_parameter.detail", lang, names=", ".join(unknown), accepted=accepted
    )
    raise HttpProblem("unknown-parameter", detail, problems=tuple(problems))


def _default(spec: Any) -> Any:
    return _value(spec.kind, str(spec.default).lower(), None)


def _value(kind: Any, raw: str, minimum: int | None, pattern: str | None = None) -> Any:
    if kind is str:
        if pattern is not None and not re.match(pattern, raw):
            raise ValidationError.single(
                "$", raw, text("web.query_parameter.pattern", pattern=pattern)
            )
        return raw
    if kind is bool:
        if raw.lower() not in _TRUE:
            raise ValidationError.single("$", raw, text("web.query_parameter.boolean"))
        return _TRUE[raw.lower()]
    if kind is int:
        if not raw.lstrip("-").isdigit() or len(raw) > 18:
            raise ValidationError.single("$", raw, text("web.query_parameter.integer"))
        value = int(raw)
        if minimum is not None and value < minimum:
            raise ValidationError.single(
                "$", raw, text("web.query_parameter.minimum", minimum=minimum)
            )
        return value
    return structure(raw, kind)


def _response(body: bytes, media_type: str, status: int, lang: Lang) -> Response:
    headers = {**_SECURITY_HEADERS, "Content-Language": lang}
    return Response(body, status_code=status, media_type=media_type, headers=headers)


def _problem(exc: BaseException, request: Request, lang: Lang) -> Response:
    details = problem_for(exc, lang)
    data = details.to_data()
    data["instance"] = request.url.path
    response = _response(
        json.dumps(data, ensure_ascii=False).encode("utf-8"), PROBLEM_JSON, details.status, lang
    )
    if isinstance(exc, HttpProblem):
        response.headers.update(exc.headers)
    return response


async def _http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own 404 and 405, as problems."""
    lang = negotiate_language(request.headers.get("accept-language"))
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    if status == 405:
        name = "method-not-allowed"
        detail = text(
            "web.problem.method_not_allowed.detail",
            lang,
            path=request.url.path,
            method=request.method,
        )
    else:
        name = "route-not-found"
        detail = text("web.problem.route_not_found.detail", lang, path=request.url.path)
    response = _problem(HttpProblem(name, detail), request, lang)
    allow = getattr(exc, "headers", None) or {}
    if "Allow" in allow:
        response.headers["Allow"] = allow["Allow"]
    return response


def create_app(config: ServiceConfig | None = None) -> Starlette:
    """The ASGI application of the service.

    Args:
        config: The configuration (the defaults: SQLite ``khuyencong.db``, read-only).

    Raises:
        khuyencong.exceptions.StoreError: If the store cannot be opened.
        khuyencong.exceptions.DataFileError: If a configured overlay is invalid.

    >>> app = create_app(ServiceConfig(store="memory://"))
    >>> sorted(route.path for route in app.routes)[:2]
    ['/openapi.json', '/problems/{name}']
    """
    config = config or ServiceConfig()
    service = _Service(config)
    service.stores.check()
    if config.overlays:  # an invalid overlay stops the start, not a request
        lib.rules_for(None, today(), config.overlays)
    routes = [
        Route(e.path, service.handler(e), methods=[e.method], name=e.operation_id)
        for e in endpoints()
    ]

    async def contract(request: Request) -> Response:
        lang = negotiate_language(request.headers.get("accept-language"))
        return _response(service.contract, JSON, 200, lang)

    async def describe(request: Request) -> Response:
        lang = negotiate_language(request.headers.get("accept-language"))
        name = request.path_params["name"]
        if name not in PROBLEM_TYPES:
            detail = text("web.problem.route_not_found.detail", lang, path=request.url.path)
            return _problem(HttpProblem("route-not-found", detail), request, lang)
        status, key = PROBLEM_TYPES[name]
        body = f"{text(f'web.problem.{key}.title', lang)} ({status})\n"
        return _response(body.encode("utf-8"), "text/plain; charset=utf-8", 200, lang)

    routes.append(Route("/openapi.json", contract, methods=["GET"]))
    routes.append(Route("/problems/{name}", describe, methods=["GET"]))
    middleware = []
    if config.cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(config.cors_origins),
                allow_methods=["GET", "POST"],
                allow_headers=["Authorization", "Content-Type", "Accept-Language"],
                expose_headers=["Content-Language", "Retry-After"],
            )
        )
    app = Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers={404: _http_error, 405: _http_error},
    )
    app.state.service = service
    return app


def serve(config: ServiceConfig, *, log_level: str = "info") -> None:
    """Run the service with uvicorn until interrupted.

    Raises:
        khuyencong.exceptions.StoreError: If the store cannot be opened.
    """
    import uvicorn  # noqa: PLC0415  (imported when serving only)

    app = create_app(config)
    uvicorn.run(
        app,
        host=config.host,
        port=config.port,
        log_level=log_level,
        server_header=False,
        proxy_headers=True,
    )
