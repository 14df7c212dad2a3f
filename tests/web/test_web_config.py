"""The service's configuration, API tokens, language negotiation and the serve command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from khuyencong.cli import main
from khuyencong.exceptions import NotFoundError, StoreError, ValidationError
from khuyencong.messages import language

pytest.importorskip("starlette")

from khuyencong.web import (
    ServiceConfig,
    TokenFile,
    load_config,
    negotiate_language,
    openapi_text,
)


class TestLoadConfig:
    def test_defaults_start_a_read_only_service_on_sqlite(self) -> None:
        """With nothing configured: SQLite khuyencong.db, this machine only, CORS off."""
        config = load_config(environ={})
        assert (config.store, config.host, config.port, config.cors_origins) == (
            "sqlite:///khuyencong.db",
            "127.0.0.1",
            8000,
            (),
        )

    def test_file_then_environment_then_options(self, tmp_path: Path) -> None:
        """The environment wins over the file; the command line's options win over both."""
        file = tmp_path / "service.toml"
        file.write_text('store = "postgresql://kc@db/kc"\nport = 9000\nhost = "0.0.0.0"\n')
        config = load_config(
            file,
            environ={"KHUYENCONG_PORT": "9100", "KHUYENCONG_CORS_ORIGINS": "https://a, https://b"},
            overrides={"host": "127.0.0.1", "store": None},
        )
        assert (config.store, config.port, config.host, config.cors_origins) == (
            "postgresql://kc@db/kc",
            9100,
            "127.0.0.1",
            ("https://a", "https://b"),
        )

    def test_a_typo_in_the_file_is_named(self, tmp_path: Path) -> None:
        """An unknown setting and a wrong type are refused with their paths."""
        file = tmp_path / "service.toml"
        file.write_text('prot = 1\nport = "x"\n')
        with pytest.raises(ValidationError) as caught:
            load_config(file, environ={})
        assert caught.value.paths == ("$.port", "$.prot")

    def test_a_missing_file_is_not_found(self, tmp_path: Path) -> None:
        """A configuration file that does not exist is named."""
        with pytest.raises(NotFoundError):
            load_config(tmp_path / "nope.toml", environ={})

    @pytest.mark.parametrize(
        ("variable", "value", "path"),
        [
            ("KHUYENCONG_PORT", "70000", "$.port"),
            ("KHUYENCONG_MAX_BATCH", "0", "$.max_batch"),
            ("KHUYENCONG_RATE_LIMIT", "-1", "$.rate_limit_per_minute"),
            ("KHUYENCONG_READ_TOKEN_REQUIRED", "maybe", "$.read_token_required"),
        ],
    )
    def test_out_of_range_values_are_refused(self, variable: str, value: str, path: str) -> None:
        """A port above 65535, a batch of 0, a negative rate, a non-boolean: each is named."""
        with pytest.raises(ValidationError) as caught:
            load_config(environ={variable: value})
        assert caught.value.paths == (path,)

    def test_overlays_are_a_path_list(self) -> None:
        """KHUYENCONG_OVERLAYS lists files as PATH does."""
        config = load_config(environ={"KHUYENCONG_OVERLAYS": "a.toml:b.toml"})
        assert config.overlays == ("a.toml", "b.toml")


class TestServiceConfig:
    def test_it_round_trips_through_the_converter(self) -> None:
        """A configuration is an attrs type of the library's converter, like any other."""
        from khuyencong.converters import structure, unstructure  # noqa: PLC0415

        config = ServiceConfig(port=8080, overlays=("x.toml",))
        assert structure(unstructure(config), ServiceConfig) == config


class TestTokenFile:
    def test_only_the_digest_is_stored(self, tmp_path: Path) -> None:
        """The file never holds a token, only its SHA-256 digest and its holder."""
        tokens = TokenFile(tmp_path / "tokens.json")
        secret = tokens.create("Sở Công Thương")
        text = (tmp_path / "tokens.json").read_text(encoding="utf-8")
        assert secret not in text
        assert json.loads(text)["tokens"][0]["name"] == "Sở Công Thương"

    def test_tokens_are_long_random_and_distinct(self, tmp_path: Path) -> None:
        """Each token carries 256 random bits (43 URL-safe characters after kc_)."""
        tokens = TokenFile(tmp_path / "tokens.json")
        first, second = tokens.create("A"), tokens.create("B")
        assert (len(first), first[:3], first != second) == (46, "kc_", True)

    def test_a_second_token_for_one_name_is_refused(self, tmp_path: Path) -> None:
        """One holder, one token: revoke before making another."""
        tokens = TokenFile(tmp_path / "tokens.json")
        tokens.create("A")
        with pytest.raises(ValidationError):
            tokens.create("A")

    @pytest.mark.parametrize("content", [b"{not json", b'{"tokens": [], "tokens": []}', b"[]"])
    def test_a_damaged_tokens_file_is_a_store_error_naming_it(
        self, tmp_path: Path, content: bytes
    ) -> None:
        """A tokens file that is not JSON, holds a key twice or has the wrong shape is the
        library's StoreError naming the file, in the language asked for."""
        path = tmp_path / "tokens.json"
        path.write_bytes(content)
        with language("vi"), pytest.raises(StoreError, match="bị hỏng") as err:
            TokenFile(path).tokens()
        assert str(path) in str(err.value)

    def test_a_running_service_sees_a_revoked_token_at_once(self, tmp_path: Path) -> None:
        """The file is read again when it changes: a revoked token stops working."""
        path = tmp_path / "tokens.json"
        service_view = TokenFile(path)
        secret = TokenFile(path).create("A")
        assert service_view.holder(secret) == "A"
        TokenFile(path).revoke("A")
        assert service_view.holder(secret) is None

    @given(st.text(max_size=60))
    def test_no_guess_is_a_token(self, guess: str) -> None:
        """Any text other than a created token has no holder."""
        assert TokenFile("/nonexistent/tokens.json").holder(guess) is None


class TestNegotiateLanguage:
    @pytest.mark.parametrize(
        ("header", "expected"),
        [
            ("en", "en"),
            ("en-GB,en;q=0.9", "en"),
            ("vi-VN,vi;q=0.9,en;q=0.8", "vi"),
            ("fr-FR, en;q=0.5", "en"),
            ("de", "vi"),
            ("en;q=0", "vi"),
            ("", "vi"),
        ],
    )
    def test_the_preferred_language_wins(self, header: str, expected: str) -> None:
        """English only when the client prefers it; Vietnamese otherwise (the default)."""
        assert negotiate_language(header) == expected

    @given(st.text(max_size=200))
    def test_any_header_gives_vi_or_en(self, header: str) -> None:
        """A malformed header never fails a request: it falls back to a known language."""
        assert negotiate_language(header) in ("vi", "en")


class TestServeCommand:
    def test_tokens_are_created_listed_and_revoked(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The operator's three token commands, in English."""
        tokens = str(tmp_path / "tokens.json")
        base = ["serve", "--lang", "en", "--tokens-file", tokens]
        assert main([*base, "--create-token", "Sở Công Thương"]) == 0
        secret = capsys.readouterr().out.splitlines()[-1]
        assert main([*base, "--list-tokens"]) == 0
        listed = capsys.readouterr().out
        assert main([*base, "--create-token", "Sở Công Thương"]) == 2
        assert "exists already" in capsys.readouterr().err
        assert main([*base, "--revoke-token", "Sở Công Thương"]) == 0
        assert main([*base, "--revoke-token", "Sở Công Thương"]) == 1
        assert secret.startswith("kc_")
        assert "Sở Công Thương (created " in listed

    def test_the_contract_is_written(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """--openapi writes the same contract the server serves."""
        target = tmp_path / "openapi.json"
        assert main(["serve", "--openapi", str(target)]) == 0
        assert target.read_text(encoding="utf-8") == openapi_text()
        assert capsys.readouterr().out == f"Đã ghi hợp đồng OpenAPI vào {target}.\n"

    def test_a_bad_setting_is_reported_not_raised(
        self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """KHUYENCONG_PORT=ninety: the command names the setting and exits 2."""
        monkeypatch.setenv("KHUYENCONG_PORT", "ninety")
        assert main(["serve", "--list-tokens"]) == 2
        assert "$.port" in capsys.readouterr().err

    def test_without_the_extra_it_says_how_to_install_it(
        self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Without starlette the command prints the one pip line and exits 5 (a missing extra)."""
        import sys  # noqa: PLC0415

        import khuyencong  # noqa: PLC0415

        for name in [m for m in sys.modules if m.startswith(("khuyencong.web", "starlette"))]:
            monkeypatch.delitem(sys.modules, name)
        monkeypatch.delattr(khuyencong, "web")
        monkeypatch.setitem(sys.modules, "starlette", None)
        assert main(["serve", "--lang", "en", "--openapi", "-"]) == 5
        assert capsys.readouterr().err == (
            "khuyencong serve: This needs the optional “web” extra: install it with "
            'pip install "khuyencong[web]".\n'
        )


class TestOptionalExtra:
    def test_importing_the_library_loads_no_web_module(self) -> None:
        """``import khuyencong`` (and its command line) never imports the web extra."""
        import subprocess  # noqa: PLC0415
        import sys  # noqa: PLC0415

        code = (
            "import sys, khuyencong, khuyencong.cli; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('starlette', 'uvicorn') or m.startswith('khuyencong.web')))"
        )
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert result.stdout.strip() == "[]"
