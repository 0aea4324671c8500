"""Web sign-in: scrypt password hashes in ``users.password_hash``, checked in constant time.

scrypt (RFC 7914, in Python's standard library) with a random 16-byte salt per password; the stored form
``scrypt$n$r$p$salt$hash`` keeps the parameters, so they can be raised later without breaking old hashes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from sqlalchemy import Engine, select, update

from socialcare.errors import ConfigError
from socialcare.store.schema import users

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
MIN_PASSWORD_CHARS = 10
_DUMMY_HASH: str | None = None


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_CHARS:
        raise ConfigError(f"a password needs at least {MIN_PASSWORD_CHARS} characters")
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return "$".join(["scrypt", str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P), _b64(salt), _b64(digest)])


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = _scrypt(password, base64.b64decode(salt), int(n), int(r), int(p))
    except ValueError:
        return False
    return hmac.compare_digest(actual, expected)


def set_password(engine: Engine, user_id: str, password: str) -> None:
    hashed = hash_password(password)
    with engine.begin() as connection:
        changed = connection.execute(update(users).where(users.c.id == user_id).values(password_hash=hashed))
    if changed.rowcount != 1:
        raise ConfigError(f"there is no user {user_id}; add them first: socialcare users add {user_id} --role agent")


def authenticate(engine: Engine, user_id: str, password: str) -> str | None:
    """The user's role when the password is theirs, else ``None`` (in about the same time either way)."""
    with engine.connect() as connection:
        row = connection.execute(select(users.c.role, users.c.password_hash).where(users.c.id == user_id)).first()
    if row is None or row.password_hash is None:
        verify_password(password, _dummy_hash())  # spend the same time: no hint which user names exist
        return None
    return str(row.role) if verify_password(password, row.password_hash) else None


def _dummy_hash() -> str:
    global _DUMMY_HASH  # noqa: PLW0603 - computed once, on first use
    if _DUMMY_HASH is None:
        _DUMMY_HASH = hash_password(secrets.token_urlsafe(16))
    return _DUMMY_HASH


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, maxmem=2**26, dklen=32)


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()
