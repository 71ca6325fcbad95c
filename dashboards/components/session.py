"""The browser session: a signed token and the stated purpose, kept in the tab's session
storage and turned back into an `Access` on every callback, so each service call is checked
and audited against the user's own role and purpose (nothing is cached server-side). The
session also holds when its token was issued and expires, so the page can swap it for a fresh
one while the user is active (components.keepalive)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from dash import html

from app.errors import ApiError
from app.security import tokens
from app.security.users import User
from app.services.door import Access
from graph.errors import SerialwatchError

STORE = "sw-session"


def access(session: dict[str, Any] | None) -> Access | None:
    """The caller behind a session, or None when there is none or the token has expired."""
    if not session or not session.get("token"):
        return None
    try:
        user = tokens.check(session["token"])
    except ApiError:
        return None
    return Access(user, session.get("purpose"))


def start(user: User, purpose: str) -> dict[str, Any]:
    """A new session after the password login."""
    token, lifetime = tokens.issue(user)
    return _timed(
        {"token": token, "purpose": purpose, "user": user.name, "role": user.role.value}, lifetime
    )


def renewed(session: dict[str, Any]) -> dict[str, Any]:
    """The session with a fresh token; raises ApiError once the token or session has ended."""
    token, lifetime = tokens.refresh(session["token"])
    return _timed({**session, "token": token}, lifetime)


def _timed(session: dict[str, Any], lifetime: int) -> dict[str, Any]:
    now = int(time.time())
    return {**session, "issued": now, "expires": now + lifetime, "lifetime": lifetime}


def need_login() -> html.Div:
    return html.Div(
        [
            html.P("Your session has ended or you are not logged in.", className="sw-error"),
            html.A("Log in", href=_home(), className="sw-button", id="relogin"),
        ],
        className="sw-card",
    )


def _home() -> str:
    from dash import get_relative_path

    return str(get_relative_path("/"))


def failure(e: Exception) -> html.Div:
    """A message an officer can act on; never a stack trace."""
    if isinstance(e, SerialwatchError):
        text = str(e)
    else:
        text = "something went wrong; it has been logged"
        import logging

        logging.getLogger("serialwatch.ui").exception("UI callback failed")
    return html.Div(text, className="sw-error")


def guarded(session: dict[str, Any] | None, work: Callable[[Access], Any]) -> Any:
    """Run `work` for the session's caller, or say why not (login needed, refused, failed)."""
    who = access(session)
    if who is None:
        return need_login()
    try:
        return work(who)
    except Exception as e:  # noqa: BLE001 - every failure becomes a message on screen
        return failure(e)
