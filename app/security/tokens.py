"""Short-lived signed access tokens (JWT, HS256) for the OAuth2 password flow."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt

from app.errors import NotAuthenticated
from app.security import users
from app.security.users import User
from app.settings import get_api_settings

ALGORITHM = "HS256"


def issue(user: User) -> tuple[str, int]:
    """A token for `user` and its lifetime in seconds."""
    settings = get_api_settings()
    lifetime = settings.token_minutes * 60
    now = datetime.now(UTC)
    claims = {
        "sub": user.name,
        "role": user.role.value,
        "iat": now,
        "exp": now + timedelta(seconds=lifetime),
    }
    return jwt.encode(claims, settings.secret(), algorithm=ALGORITHM), lifetime


def check(token: str) -> User:
    """The user a token names, still present with the same role; else 401."""
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
    return user
