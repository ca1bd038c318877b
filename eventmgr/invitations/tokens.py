"""Secret tokens for personal links: ≥128 bits of randomness, only a hash is stored."""

import hashlib
import secrets

TOKEN_BYTES = 24  # 192 bits


def new_token() -> tuple[str, str]:
    """A fresh URL-safe token and the hash to store."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    """SHA-256 hex digest; tokens are random, so no salt or slow hash is needed."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
