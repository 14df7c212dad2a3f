"""API tokens: created once, shown once, stored hashed; their holder is the audit log's actor.

A token is 256 random bits (``kc_`` and 43 URL-safe characters). The tokens file keeps only
each token's SHA-256 digest, its holder's name and when it was made, so a copy of the file
lets no one in. A slow password hash (scrypt, argon2) is not needed: it protects guessable
secrets, and a 256-bit random token cannot be guessed. The service re-reads the file when it
changes, so a token created or revoked while the service runs takes effect at once.

>>> import pathlib, tempfile
>>> tokens = TokenFile(pathlib.Path(tempfile.mkdtemp()) / "tokens.json")
>>> secret = tokens.create("Sở Công Thương Bắc Ninh")
>>> tokens.holder(secret), tokens.holder("kc_guess")
('Sở Công Thương Bắc Ninh', None)
>>> tokens.revoke("Sở Công Thương Bắc Ninh")
True
>>> tokens.holder(secret) is None
True
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import secrets
from pathlib import Path

import attrs

from khuyencong.converters import parse_json, structure, unstructure
from khuyencong.exceptions import StoreError, ValidationError
from khuyencong.messages import text

__all__ = ["ApiToken", "TokenFile"]

_PREFIX = "kc_"


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@attrs.frozen
class ApiToken:
    """One API token as the tokens file keeps it: never the token itself.

    Attributes:
        name: Who holds it; written to the audit log as the actor of every change it makes.
        sha256: The SHA-256 digest of the token, in hexadecimal.
        created_at: When it was created (aware, UTC).
    """

    name: str
    sha256: str
    created_at: dt.datetime


@attrs.frozen
class _Tokens:
    tokens: tuple[ApiToken, ...] = ()


class TokenFile:
    """The tokens file: create, revoke, list, and look up a token's holder.

    Args:
        path: The JSON file (created on the first :meth:`create`).
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._seen: tuple[int, int, int] | None = None
        self._by_digest: dict[str, str] = {}

    def tokens(self) -> tuple[ApiToken, ...]:
        """Every token in the file, oldest first (empty when there is no file)."""
        if not self.path.exists():
            return ()
        try:
            raw = self.path.read_bytes()
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            raise StoreError(text("web.tokens.unreadable", path=self.path, reason=reason)) from None
        try:
            return structure(parse_json(raw, source=str(self.path)), _Tokens).tokens
        except ValidationError as exc:  # FileFormatError (not JSON) too
            reason = "; ".join(str(p) for p in exc.problems)
            raise StoreError(text("web.tokens.damaged", path=self.path, reason=reason)) from None

    def _write(self, tokens: tuple[ApiToken, ...]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(self.path.name + ".tmp")
        content = json.dumps(unstructure(_Tokens(tokens)), ensure_ascii=False, indent=1)
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(content + "\n")
        temporary.replace(self.path)

    def create(self, name: str) -> str:
        """Create a token for ``name`` and return it (the only time it is ever shown).

        Raises:
            ValidationError: If ``name`` is blank or already holds a token.
        """
        name = name.strip()
        if not name:
            raise ValidationError.single("$.name", name, text("web.tokens.no_name"))
        existing = self.tokens()
        if any(t.name == name for t in existing):
            raise ValidationError.single("$.name", name, text("web.tokens.name_taken"))
        secret = _PREFIX + secrets.token_urlsafe(32)
        now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        self._write((*existing, ApiToken(name, _digest(secret), now)))
        return secret

    def revoke(self, name: str) -> bool:
        """Remove the token of ``name``; ``False`` when there is none."""
        existing = self.tokens()
        kept = tuple(t for t in existing if t.name != name)
        if kept == existing:
            return False
        self._write(kept)
        return True

    def holder(self, secret: str) -> str | None:
        """The name of whoever holds ``secret``, or ``None`` for an unknown token."""
        self._refresh()
        return self._by_digest.get(_digest(secret))

    def any(self) -> bool:
        """Whether the file holds at least one token."""
        self._refresh()
        return bool(self._by_digest)

    def _refresh(self) -> None:
        try:
            status = self.path.stat()
        except FileNotFoundError:
            self._seen, self._by_digest = None, {}
            return
        seen = (status.st_mtime_ns, status.st_size, status.st_ino)
        if seen != self._seen:
            self._by_digest = {t.sha256: t.name for t in self.tokens()}
            self._seen = seen
