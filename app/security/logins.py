"""Password logins with a lockout: after `SERIALWATCH_LOGIN_MAX_FAILURES` failures (5) for one
user name from one client within `SERIALWATCH_LOGIN_WINDOW_MINUTES` (15), that pair is refused
(429) until the oldest failure leaves the window, even with the right password, so guessing
costs hours. Failures are kept in the shared store, so several workers count together; a
success clears the pair's failures. Unknown names count like known ones (no enumeration).
"""

from __future__ import annotations

import math
import time

from app.errors import TooManyAttempts
from app.security import users
from app.security.store import connect
from app.security.users import User
from app.settings import get_api_settings


def login(name: str, password: str, client: str) -> User:
    """The user, if the password matches and the pair (name, client) is not locked out."""
    _count_attempt(name, client)
    user = users.authenticate(name, password)  # a failure keeps the attempt counted
    with connect() as conn:
        conn.execute("DELETE FROM login_failures WHERE name = ? AND client = ?", (name, client))
    return user


def _count_attempt(name: str, client: str) -> None:
    """Refuse a locked-out pair; else count this attempt as a failure before the password is
    checked, in one write transaction, so a burst of parallel guesses cannot all pass."""
    settings = get_api_settings()
    window = settings.login_window_minutes * 60
    now = time.time()
    with connect() as conn:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("DELETE FROM login_failures WHERE at < ?", (now - window,))
        recent = [
            r["at"]
            for r in conn.execute(
                "SELECT at FROM login_failures WHERE name = ? AND client = ? ORDER BY at",
                (name, client),
            )
        ]
        if len(recent) < settings.login_max_failures:
            conn.execute(
                "INSERT INTO login_failures (name, client, at) VALUES (?, ?, ?)",
                (name, client, now),
            )
        conn.execute("COMMIT")
    if len(recent) >= settings.login_max_failures:
        wait = max(1, math.ceil(recent[-settings.login_max_failures] + window - now))
        raise TooManyAttempts(
            "too many failed logins for this user from this address; try again in "
            f"{math.ceil(wait / 60)} minute(s)",
            retry_after=wait,
        )
