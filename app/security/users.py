"""Users of the API: a name, one role, an argon2id password hash and a token epoch, in the
SQLite store.

The epoch is random, made when the user is added and again when the password changes; every
token carries it, so a token outlives neither its user (a name removed and added again gets a
new epoch) nor a password change."""

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
MAX_PASSWORD = 200
# Verifying against a dummy hash for unknown names keeps the response time the same.
_DUMMY = _hasher.hash(secrets.token_urlsafe(16))


@dataclass(frozen=True)
class User:
    """Who is asking; the service layer takes one of these on every call."""

    name: str
    role: Role
    epoch: str = ""
    area: str = ""  # the agency whose inbox items come first (e.g. a force's code)


def check_password(password: str) -> None:
    """The password policy: 12 to 200 characters, not counting white space at either end (so
    twelve spaces are no password)."""
    if len(password.strip()) < MIN_PASSWORD or len(password) > MAX_PASSWORD:
        raise Invalid(
            f"passwords need {MIN_PASSWORD} to {MAX_PASSWORD} characters, not counting white "
            "space at either end"
        )


def add(
    name: str, role: Role | str, password: str | None = None, area: str = ""
) -> tuple[User, str]:
    """Create a user; returns the user and the password (generated when none is given)."""
    if not _NAME.match(name):
        raise Invalid("user names are 2-64 characters: lower-case letters, digits, . _ -")
    try:
        role = Role(role)
    except ValueError:
        raise Invalid(f"unknown role {role!r}; roles: {', '.join(r.value for r in Role)}") from None
    password = secrets.token_urlsafe(18) if password is None else password
    check_password(password)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    epoch = secrets.token_urlsafe(12)
    try:
        with connect() as conn:
            conn.execute(
                "INSERT INTO users (name, role, password_hash, created_at, epoch, area) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (name, role.value, _hasher.hash(password), now, epoch, area.strip()),
            )
    except sqlite3.IntegrityError:
        raise Conflict(f"a user named {name!r} already exists") from None
    return User(name, role, epoch, area.strip()), password


def set_password(name: str, password: str | None = None) -> str:
    """Give `name` a new password (generated when none is given) and a new epoch, which ends
    every token issued before; returns the password."""
    password = secrets.token_urlsafe(18) if password is None else password
    check_password(password)
    with connect() as conn:
        changed = conn.execute(
            "UPDATE users SET password_hash = ?, epoch = ? WHERE name = ?",
            (_hasher.hash(password), secrets.token_urlsafe(12), name),
        ).rowcount
    if not changed:
        raise NotFound(f"no user named {name!r}")
    return password


def remove(name: str) -> None:
    with connect() as conn:
        if conn.execute("DELETE FROM users WHERE name = ?", (name,)).rowcount == 0:
            raise NotFound(f"no user named {name!r}")


def list_users() -> list[dict[str, str]]:
    with connect() as conn:
        rows = conn.execute(
            "SELECT name, role, area, created_at FROM users ORDER BY name"
        ).fetchall()
    return [dict(r) for r in rows]


def get(name: str) -> User | None:
    with connect() as conn:
        row = conn.execute(
            "SELECT name, role, epoch, area FROM users WHERE name = ?", (name,)
        ).fetchone()
    return User(row["name"], Role(row["role"]), row["epoch"], row["area"]) if row else None


def authenticate(name: str, password: str) -> User:
    """The user if the password matches; one message for every failure (no user enumeration)."""
    with connect() as conn:
        row = conn.execute(
            "SELECT name, role, password_hash, epoch, area FROM users WHERE name = ?", (name,)
        ).fetchone()
    try:
        _hasher.verify(row["password_hash"] if row else _DUMMY, password)
    except (VerificationError, InvalidHashError):
        raise NotAuthenticated("wrong user name or password") from None
    if row is None:
        raise NotAuthenticated("wrong user name or password")
    return User(row["name"], Role(row["role"]), row["epoch"], row["area"])
