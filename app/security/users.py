"""Users of the API: a name, one role and an argon2id password hash, in the SQLite store."""

from __future__ import annotations

import re
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from app.errors import Conflict, Invalid, NotAuthenticated, NotFound
from app.security.roles import Role
from app.security.store import connect

_hasher = PasswordHasher()
_NAME = re.compile(r"^[a-z][a-z0-9._-]{1,63}$")
MIN_PASSWORD = 12
# Verifying against a dummy hash for unknown names keeps the response time the same.
_DUMMY = _hasher.hash(secrets.token_urlsafe(16))


@dataclass(frozen=True)
class User:
    """Who is asking; the service layer takes one of these on every call."""

    name: str
    role: Role


def add(name: str, role: Role | str, password: str | None = None) -> tuple[User, str]:
    """Create a user; returns the user and the password (generated when none is given)."""
    if not _NAME.match(name):
        raise Invalid("user names are 2-64 characters: lower-case letters, digits, . _ -")
    try:
        role = Role(role)
    except ValueError:
        raise Invalid(f"unknown role {role!r}; roles: {', '.join(r.value for r in Role)}") from None
    password = password or secrets.token_urlsafe(18)
    if len(password) < MIN_PASSWORD:
        raise Invalid(f"passwords need at least {MIN_PASSWORD} characters")
    now = datetime.now(UTC).isoformat(timespec="seconds")
    try:
        with connect() as conn:
            conn.execute(
                "INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?)",
                (name, role.value, _hasher.hash(password), now),
            )
    except sqlite3.IntegrityError:
        raise Conflict(f"a user named {name!r} already exists") from None
    return User(name, role), password


def remove(name: str) -> None:
    with connect() as conn:
        if conn.execute("DELETE FROM users WHERE name = ?", (name,)).rowcount == 0:
            raise NotFound(f"no user named {name!r}")


def list_users() -> list[dict[str, str]]:
    with connect() as conn:
        rows = conn.execute("SELECT name, role, created_at FROM users ORDER BY name").fetchall()
    return [dict(r) for r in rows]


def get(name: str) -> User | None:
    with connect() as conn:
        row = conn.execute("SELECT name, role FROM users WHERE name = ?", (name,)).fetchone()
    return User(row["name"], Role(row["role"])) if row else None


def authenticate(name: str, password: str) -> User:
    """The user if the password matches; one message for every failure (no user enumeration)."""
    with connect() as conn:
        row = conn.execute(
            "SELECT name, role, password_hash FROM users WHERE name = ?", (name,)
        ).fetchone()
    try:
        _hasher.verify(row["password_hash"] if row else _DUMMY, password)
    except (VerificationError, InvalidHashError):
        raise NotAuthenticated("wrong user name or password") from None
    if row is None:
        raise NotAuthenticated("wrong user name or password")
    return User(row["name"], Role(row["role"]))
