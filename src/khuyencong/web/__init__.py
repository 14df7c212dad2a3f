"""The HTTP service: the library's rules, units, indicators and records for applications in any
language, with an OpenAPI 3.1 contract.

Needs the ``web`` extra (``pip install "khuyencong[web]"``); ``import khuyencong`` never loads
it. Start it with ``khuyencong serve`` (SQLite ``khuyencong.db`` by default, PostgreSQL with
``--store postgresql://…``), or build the ASGI application with :func:`create_app` and run it
under any ASGI server.

>>> config = ServiceConfig(store="memory://")
>>> openapi_document()["info"]["title"]
'khuyencong'
"""

from khuyencong.web._app import create_app, negotiate_language, serve
from khuyencong.web._config import ENVIRONMENT, ServiceConfig, load_config
from khuyencong.web._openapi import API_VERSION, openapi_document, openapi_text
from khuyencong.web._problems import ProblemDetails
from khuyencong.web._tokens import ApiToken, TokenFile

__all__ = [
    "API_VERSION",
    "ENVIRONMENT",
    "ApiToken",
    "ProblemDetails",
    "ServiceConfig",
    "TokenFile",
    "create_app",
    "load_config",
    "negotiate_language",
    "openapi_document",
    "openapi_text",
    "serve",
]
