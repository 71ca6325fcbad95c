"""Short-lived signed access tokens (JWT, HS256) for the OAuth2 password flow.

A token lives `token_minutes` (15 by default). A caller still holding a valid token may swap
it for a fresh one (`refresh`), so an active session lasts a whole MAPPA+ meeting while an idle
one ends when its token does; every token carries the time of the password login (`auth_time`)
and no refresh reaches past `SESSION_HOURS` after it. It also carries the user's epoch
(users.py), so removing a user, or changing his password, ends his tokens for good."""

from __future__ import annotations

import hmac
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt

from app.errors import NotAuthenticated
from app.security import users
from app.security.users import User
from app.settings import get_api_settings

ALGORITHM = "HS256"
SESSION_HOURS = 12


def issue(user: User, auth_time: int | None = None) -> tuple[str, int]:
    """A token for `user` and its lifetime in seconds; `auth_time` (epoch seconds) is when the
    user gave his password, now unless this token refreshes an earlier one."""
    settings = get_api_settings()
    now = datetime.now(UTC)
    logged_in = auth_time if auth_time is not None else int(now.timestamp())
    end = datetime.fromtimestamp(logged_in, UTC) + timedelta(hours=SESSION_HOURS)
    lifetime = int(min(settings.token_minutes * 60, (end - now).total_seconds()))
    claims = {
        "sub": user.name,
        "role": user.role.value,
        "iat": now,
        "exp": now + timedelta(seconds=lifetime),
        "auth_time": logged_in,
        "epoch": user.epoch,
    }
    return jwt.encode(claims, settings.secret(), algorithm=ALGORITHM), lifetime


def refresh(token: str) -> tuple[str, int]:
    """A fresh token for the holder of a valid one (same user, same login); 401 once the
    token has expired or the session has lasted `SESSION_HOURS`."""
    user, claims = _verify(token)
    logged_in = int(claims.get("auth_time") or claims["iat"])
    if datetime.now(UTC).timestamp() >= logged_in + SESSION_HOURS * 3600 - 1:
        raise NotAuthenticated(f"sessions last at most {SESSION_HOURS} hours; log in again")
    return issue(user, auth_time=logged_in)


def check(token: str) -> User:
    """The user a token names, still present with the same role; else 401."""
    return _verify(token)[0]


def _verify(token: str) -> tuple[User, dict[str, Any]]:
    try:
        claims = jwt.decode(
            token,
            get_api_settings().secret(),
            algorithms=[ALGORITHM],
            options={"require": ["sub", "exp", "role"]},
        )
    except jwt.ExpiredSignatureError:
        raise NotAuthenticated("the token has expired; log in again") from None
    except jwt.PyJWTError:
        raise NotAuthenticated("the token is not valid") from None
    user = users.get(str(claims["sub"]))
    if user is None or user.role.value != claims["role"]:
        raise NotAuthenticated("the token's user no longer exists or changed role")
    if not hmac.compare_digest(user.epoch, str(claims.get("epoch", ""))):
        raise NotAuthenticated("the token was issued before the user's password or account changed")
    return user, claims
