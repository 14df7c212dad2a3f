"""The how-to's client in another language (JavaScript for Node.js) runs against the service."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import Server

CLIENT = Path(__file__).parents[2] / "docs/how-to/client.mjs"


class TestNodeClient:
    @pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
    def test_the_documented_client_gets_its_answers(self, server: Server) -> None:
        """The JavaScript client of docs/how-to/call-the-http-service.md prints the decision,
        the amount, the invalid input's path and the server's gap, as the page shows."""
        node = shutil.which("node")
        assert node is not None
        result = subprocess.run(
            [node, str(CLIENT)],
            env={**os.environ, "KHUYENCONG_URL": server.url},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert (result.returncode, result.stderr) == (0, "")
        assert result.stdout.splitlines() == [
            "eligible: true",
            "BN-HTX-01 — eligibility on 2026-12-07: YES — under 45/2012/NĐ-CP, 235/2025/NĐ-CP",
            "amount: 300000000 (28/2018/TT-BTC)",
            "422 /problems/validation: $.establishment.members",
            "501 /problems/not-configured: support.local.machinery.rate",
        ]
