"""Personal-link tokens: derived from a stored nonce under the secret key, looked up by hash.

``token = base64url(HMAC-SHA256(secret key, nonce))[:32]`` (192 bits).  The
database keeps the nonce and ``sha256(token)`` only, so a copy of the database
without the secret key reveals no working link, yet the application can print
a link again (CSV, WhatsApp text, ``mutu links``) whenever it is asked.
Changing ``MUTU_SECRET_KEY`` changes every token: the exports then re-key the
links (old links stop working) — see :func:`mutu.instruments.services.links_rekey`.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets

from django.utils.crypto import salted_hmac

__all__ = ["TOKEN_LENGTH", "looks_like_token", "new_nonce", "token_for", "token_hash"]

TOKEN_LENGTH = 32
_SALT = "mutu.instruments.link"
_SHAPE = re.compile(rf"^[A-Za-z0-9_-]{{{TOKEN_LENGTH}}}$")


def new_nonce() -> str:
    """A fresh random nonce (32 hex characters)."""
    return secrets.token_hex(16)


def token_for(nonce: str) -> str:
    """The link token of a nonce under the current secret key."""
    digest = salted_hmac(_SALT, nonce, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")[:TOKEN_LENGTH]


def token_hash(token: str) -> str:
    """The stored form of a token: its SHA-256 in hex."""
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def looks_like_token(text: str) -> bool:
    """Whether ``text`` has the shape of a token (checked before any lookup)."""
    return bool(_SHAPE.match(text))
