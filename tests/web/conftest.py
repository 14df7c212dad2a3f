"""A real khuyencong HTTP service on 127.0.0.1, for the tests that talk HTTP to it.

The server is uvicorn running :func:`khuyencong.web.create_app` in a thread, on a port the
system picks, with a fresh SQLite store and a tokens file holding one token. Tests send real
HTTP requests to it with httpx.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import attrs
import httpx
import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")

import uvicorn

from khuyencong.web import ServiceConfig, TokenFile, create_app


@attrs.frozen
class Server:
    """A running service: where it is, a token for writes, and its configuration."""

    url: str
    token: str
    config: ServiceConfig

    def client(self, **headers: str) -> httpx.Client:
        """An HTTP client for the service, with extra headers."""
        return httpx.Client(base_url=self.url, headers=headers, timeout=30)

    def writer(self, **headers: str) -> httpx.Client:
        """An HTTP client carrying the token."""
        return self.client(authorization=f"Bearer {self.token}", **headers)


@attrs.frozen
class Running:
    """A uvicorn server in a thread, and how to stop it."""

    url: str
    server: uvicorn.Server
    thread: threading.Thread

    def stop(self) -> None:
        """Ask the server to stop and wait for its thread."""
        self.server.should_exit = True
        self.thread.join(timeout=10)


def start(config: ServiceConfig) -> Running:
    """Start the service for ``config`` on a free port of 127.0.0.1; return once it answers."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(config), log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            msg = "the service did not start"
            raise RuntimeError(msg)
        time.sleep(0.01)
    return Running(f"http://127.0.0.1:{port}", server, thread)


def configured(folder: Path, **settings: object) -> tuple[ServiceConfig, str]:
    """A configuration with a SQLite store and a tokens file in ``folder``, and its token."""
    tokens = folder / "tokens.json"
    token = TokenFile(tokens).create("Trung tâm Khuyến công Bắc Ninh")
    defaults: dict[str, object] = {
        "store": f"sqlite:///{folder / 'service.db'}",
        "tokens_file": str(tokens),
        "rate_limit_per_minute": 0,
    }
    return ServiceConfig(**{**defaults, **settings}), token  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One service for the session: SQLite store, one token, no rate limit."""
    config, token = configured(tmp_path_factory.mktemp("web"))
    running = start(config)
    yield Server(running.url, token, config)
    running.stop()
