"""The service's OpenAPI 3.1 contract, read from its endpoints and the library's types.

The document does not depend on the configuration (host, store, limits), so the copy kept in
the repository (``docs/openapi.json``) is the one every server serves; a test fails when they
differ, and ``khuyencong serve --openapi docs/openapi.json`` writes it again.

>>> document = openapi_document()
>>> document["openapi"], document["paths"]["/v1/eligibility"]["post"]["operationId"]
('3.1.0', 'check_eligibility')
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from khuyencong.web import _library as lib
from khuyencong.web._endpoints import JSON, UPLOAD_TYPES, Endpoint, endpoints
from khuyencong.web._problems import PROBLEM_TYPES, ProblemDetails
from khuyencong.web._schema import Schemas

__all__ = ["API_VERSION", "PROBLEM_JSON", "openapi_document", "openapi_text"]

API_VERSION = "1.0.0"
"""The version of the contract (not of the library): it changes when the contract does."""

PROBLEM_JSON = "application/problem+json"

_DESCRIPTION = """\
Vietnamese industrial promotion (khuyến công) rules as a service: eligibility, support amounts,
project checks, awards and OCOP, administrative units, legal parameters with their citations,
indicators and reports over the configured store, importing records, and the audit log.

Every rule answer names the legal provision it rests on. Answers and problems are in
Vietnamese (default) or English, chosen with `Accept-Language`. Errors are RFC 9457 problem
details (`application/problem+json`); invalid input lists every problem with its `$.path`. A
legal value the server does not hold is the server's gap, answered `501` with the parameter
and the document that should supply it.

Reading needs no token (unless the operator requires one); importing records and reading the
audit log need `Authorization: Bearer <token>`.
"""

_STATUS_TEXT = {
    400: "The request cannot be read: a query parameter the address does not take, or a body "
    "that is not JSON.",
    401: "A valid API token is needed.",
    404: "Not found.",
    409: "An id is already stored; nothing was stored.",
    413: "The body is too large.",
    415: "The body's media type is not read here.",
    422: "The request cannot be answered as it stands.",
    429: "Too many requests from this client; see `Retry-After`.",
    500: "A defect of the server, logged under the `reference` given.",
    501: "The server lacks a legal value (the server's gap, not the request's).",
    503: "The store did not answer.",
}

_ACCEPT_LANGUAGE = {
    "name": "Accept-Language",
    "in": "header",
    "required": False,
    "description": "`vi` (default) or `en`: the language of texts and problems.",
    "schema": {"type": "string"},
    "example": "vi",
}


def _query(schemas: Schemas, endpoint: Endpoint) -> list[dict[str, Any]]:
    found = []
    for name, (kind, description) in endpoint.path_params.items():
        found.append(
            {
                "name": name,
                "in": "path",
                "required": True,
                "description": description,
                "schema": schemas.of(kind),
            }
        )
    for q in endpoint.query:
        schema = dict(schemas.of(q.kind))
        if q.default is not None:
            schema = {**schema, "default": q.default}
        if q.minimum is not None:
            schema["minimum"] = q.minimum
        if q.pattern is not None:
            schema["pattern"] = q.pattern
        found.append(
            {
                "name": q.name,
                "in": "query",
                "required": q.required,
                "description": q.description,
                "schema": schema,
            }
        )
    found.append(_ACCEPT_LANGUAGE)
    return found


def _result_schema(schemas: Schemas, result: Any) -> dict[str, Any]:
    if callable(result) and not isinstance(result, type) and not hasattr(result, "__origin__"):
        build: Callable[[Schemas], dict[str, Any]] = result
        return build(schemas)
    return schemas.of(result)


def _body(schemas: Schemas, endpoint: Endpoint) -> dict[str, Any]:
    if endpoint.body is bytes:
        records = {"anyOf": [schemas.of(kind.cls) for kind in lib.ImportKind]}
        content: dict[str, Any] = {}
        for media, fmt in UPLOAD_TYPES.items():
            if fmt == "json":
                content[media] = {"schema": {"type": "array", "items": records}}
            else:
                content[media] = {
                    "schema": {"type": "string", "contentMediaType": media},
                }
        return {"required": True, "content": content}
    schema = schemas.of(endpoint.body)
    required = bool(schemas.components[schema["$ref"].rsplit("/", 1)[1]].get("required"))
    body: dict[str, Any] = {"schema": schema}
    if endpoint.example is not None:
        body["example"] = endpoint.example
    return {"required": required, "content": {JSON: body}}


def _responses(schemas: Schemas, endpoint: Endpoint) -> dict[str, Any]:
    success: dict[str, Any] = {}
    for media in endpoint.formats:
        if media == JSON:
            success[media] = {"schema": _result_schema(schemas, endpoint.result)}
        else:
            success[media] = {"schema": {"type": "string"}}
    responses: dict[str, Any] = {
        "200": {
            "description": "The answer.",
            "headers": {
                "Content-Language": {
                    "description": "The language of the answer's texts.",
                    "schema": {"type": "string", "enum": ["vi", "en"]},
                }
            },
            "content": success,
        }
    }
    names = [*endpoint.errors, "unknown-parameter"]
    if endpoint.body is not None:
        names += ["malformed", "too-large", "unsupported-media"]
    if endpoint.write or endpoint.private:
        names.append("unauthorized")
    names += ["rate-limited", "internal"]
    problem = schemas.of(ProblemDetails)
    by_status: dict[int, list[str]] = {}
    for name in dict.fromkeys(names):
        by_status.setdefault(PROBLEM_TYPES[name][0], []).append(name)
    for status in sorted(by_status):
        types = ", ".join(f"`/problems/{n}`" for n in by_status[status])
        responses[str(status)] = {
            "description": f"{_STATUS_TEXT[status]} Problem types: {types}.",
            "content": {PROBLEM_JSON: {"schema": problem}},
        }
    return responses


def _operation(schemas: Schemas, endpoint: Endpoint) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "operationId": endpoint.operation_id,
        "tags": [endpoint.tag],
        "summary": endpoint.summary,
    }
    if endpoint.description:
        operation["description"] = endpoint.description
    operation["parameters"] = _query(schemas, endpoint)
    if endpoint.body is not None:
        operation["requestBody"] = _body(schemas, endpoint)
    operation["responses"] = _responses(schemas, endpoint)
    if endpoint.write or endpoint.private:
        operation["security"] = [{"bearerAuth": []}]
    else:
        operation["security"] = [{}, {"bearerAuth": []}]
    return operation


def _problem_example() -> dict[str, Any]:
    return {
        "type": "/problems/not-configured",
        "title": "The server lacks a legal value",
        "status": 501,
        "detail": "Parameter “support.local.machinery.rate” is not configured for 2026-12-07: "
        "its value should come from the province's People's Council resolution. This is the "
        "server's gap, not the request's; the operator needs to load the document that "
        "supplies it.",
        "instance": "/v1/support-amount",
        "parameter": "support.local.machinery.rate",
        "on": "2026-12-07",
        "document": "the province's People's Council resolution",
    }


def _service_paths() -> dict[str, Any]:
    problem_names = sorted(PROBLEM_TYPES)
    return {
        "/openapi.json": {
            "get": {
                "operationId": "openapi",
                "tags": ["Service"],
                "summary": "This contract.",
                "security": [{}],
                "responses": {
                    "200": {
                        "description": "The OpenAPI 3.1 document.",
                        "content": {JSON: {"schema": {"type": "object"}}},
                    }
                },
            }
        },
        "/problems/{name}": {
            "get": {
                "operationId": "describe_problem",
                "tags": ["Service"],
                "summary": "What a problem type means, in the request's language.",
                "security": [{}],
                "parameters": [
                    {
                        "name": "name",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "enum": problem_names},
                    },
                    _ACCEPT_LANGUAGE,
                ],
                "responses": {
                    "200": {
                        "description": "The problem type's title and status.",
                        "content": {"text/plain": {"schema": {"type": "string"}}},
                    },
                    "404": {
                        "description": "No such problem type.",
                        "content": {PROBLEM_JSON: {"schema": {"$ref": _PROBLEM_REF}}},
                    },
                },
            }
        },
    }


_PROBLEM_REF = "#/components/schemas/ProblemDetails"


def openapi_document() -> dict[str, Any]:
    """The contract, as JSON-ready data."""
    schemas = Schemas()
    schemas.of(ProblemDetails)
    paths: dict[str, Any] = {}
    for endpoint in endpoints():
        paths.setdefault(endpoint.path, {})[endpoint.method.lower()] = _operation(schemas, endpoint)
    paths.update(_service_paths())
    schemas.components["ProblemDetails"]["examples"] = [_problem_example()]
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "khuyencong",
            "version": API_VERSION,
            "summary": "Vietnamese industrial promotion (khuyến công) rules as a service.",
            "description": _DESCRIPTION,
            "license": {"name": "MIT", "identifier": "MIT"},
        },
        "tags": [{"name": name} for name in dict.fromkeys(e.tag for e in endpoints())]
        + [{"name": "Service"}],
        "paths": paths,
        "components": {
            "schemas": dict(sorted(schemas.components.items())),
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "An API token made with `khuyencong serve --create-token "
                    "NAME`; its holder is the audit log's actor.",
                }
            },
        },
    }


def openapi_text() -> str:
    """The contract as the repository keeps it: indented JSON, keys in a stable order."""
    return json.dumps(openapi_document(), ensure_ascii=False, indent=2) + "\n"
