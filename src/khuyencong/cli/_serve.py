"""``khuyencong serve``: run the HTTP service, and manage its API tokens and contract.

::

    khuyencong serve                                   # SQLite khuyencong.db, 127.0.0.1:8000
    khuyencong serve --store postgresql://user@host/db --port 8080
    khuyencong serve --config service.toml             # settings from a TOML file
    khuyencong serve --create-token "Sở Công Thương"   # prints the token, once
    khuyencong serve --revoke-token "Sở Công Thương"
    khuyencong serve --list-tokens
    khuyencong serve --openapi docs/openapi.json       # write the contract

Settings come from the defaults, then the TOML file (``--config`` or
``KHUYENCONG_SERVE_CONFIG``), then environment variables (``KHUYENCONG_STORE``, …), then these
options. Needs the ``web`` extra; without it the command says how to install it (exit status 5).
Exit status: 0 done; 1 a token to revoke does not exist; 2 a bad setting or a name that holds a
token already; 4 the store cannot be opened; 5 the extra is missing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from khuyencong.cli._errors import ExitCode, Failure, guarded
from khuyencong.cli._options import add_common
from khuyencong.messages import text

__all__ = ["add_parser", "run"]

_WEB_MODULES = {"starlette", "uvicorn", "anyio"}


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``serve`` command to an ``argparse`` sub-parser collection."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "serve", help=text("web.help.serve"), description=text("web.help.serve_description")
    )
    parser.add_argument("--config", metavar="FILE", help=text("web.help.config"))
    parser.add_argument("--store", metavar="URL", help=text("web.help.store"))
    parser.add_argument("--host", metavar="HOST", help=text("web.help.host"))
    parser.add_argument("--port", type=int, metavar="PORT", help=text("web.help.port"))
    parser.add_argument("--tokens-file", metavar="FILE", help=text("web.help.tokens_file"))
    actions = parser.add_mutually_exclusive_group()
    actions.add_argument("--create-token", metavar="NAME", help=text("web.help.create_token"))
    actions.add_argument("--revoke-token", metavar="NAME", help=text("web.help.revoke_token"))
    actions.add_argument("--list-tokens", action="store_true", help=text("web.help.list_tokens"))
    actions.add_argument("--openapi", metavar="FILE", help=text("web.help.openapi"))
    add_common(parser)
    parser.set_defaults(handler=run)
    return parser


@guarded("khuyencong serve")
def run(args: argparse.Namespace) -> int:
    """Run ``serve`` (see the module's exit statuses)."""
    try:
        from khuyencong import web  # noqa: PLC0415  (the optional extra)
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] not in _WEB_MODULES:
            raise
        raise Failure(ExitCode.MISSING_EXTRA, text("common.missing_extra", extra="web")) from None
    config = web.load_config(
        args.config,
        overrides={
            "store": args.store,
            "host": args.host,
            "port": args.port,
            "tokens_file": args.tokens_file,
        },
    )
    if args.openapi is not None:
        return _write_contract(web, args.openapi)
    tokens = web.TokenFile(config.tokens_file)
    if args.create_token is not None:
        if any(t.name == args.create_token.strip() for t in tokens.tokens()):
            raise Failure(ExitCode.USAGE, text("web.serve.token_exists", name=args.create_token))
        secret = tokens.create(args.create_token)
        print(text("web.serve.token_created", name=args.create_token, path=tokens.path))
        print(secret)
        return ExitCode.OK
    if args.revoke_token is not None:
        if not tokens.revoke(args.revoke_token):
            print(text("web.serve.no_such_token", name=args.revoke_token, path=tokens.path))
            return ExitCode.NO
        print(text("web.serve.token_revoked", name=args.revoke_token))
        return ExitCode.OK
    if args.list_tokens:
        return _list_tokens(tokens)
    if not tokens.any():
        print(text("web.serve.read_only", path=tokens.path), file=sys.stderr)
    print(
        text(
            "web.serve.starting",
            host=config.host,
            port=config.port,
            store=_without_password(config.store),
        ),
        file=sys.stderr,
    )
    web.serve(config)
    return ExitCode.OK


def _list_tokens(tokens: Any) -> int:
    found = tokens.tokens()
    if not found:
        print(text("web.serve.no_tokens", path=tokens.path))
        return ExitCode.OK
    print(text("web.serve.tokens_header", path=tokens.path))
    for token in found:
        print(text("web.serve.token_line", name=token.name, created=token.created_at))
    return ExitCode.OK


def _write_contract(web: Any, target: str) -> int:
    contract = web.openapi_text()
    if target == "-":
        sys.stdout.write(contract)
        return ExitCode.OK
    path = Path(target)
    path.write_text(contract, encoding="utf-8")
    print(text("web.serve.openapi_written", path=path))
    return ExitCode.OK


def _without_password(url: str) -> str:
    """A store URL fit to print: any password replaced by ``***``.

    >>> _without_password("postgresql://kc:secret@db:5432/kc")
    'postgresql://kc:***@db:5432/kc'
    """
    scheme, sep, rest = url.partition("://")
    credentials, at, host = rest.rpartition("@")
    if not sep or not at or ":" not in credentials:
        return url
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}"
