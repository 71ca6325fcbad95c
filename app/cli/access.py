"""Who is at the terminal, and why: the CLI reads personal data through the same door as the API
and the explorer, as a named user with a role, stating a purpose that the audit trail records.

A user logs in once (`serialwatch login NAME`); the session lives in a file only its owner can
read and follows the explorer's rules: each command swaps its token for a fresh one, an idle
session ends with its token (15 minutes) and no session outlives 12 hours from the login.
Scripts set `SERIALWATCH_USER` and `SERIALWATCH_PASSWORD` instead. The purpose comes from
`--purpose` or `SERIALWATCH_PURPOSE`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from app.cli.common import console, reports_errors
from app.errors import NotAuthenticated, PurposeRequired
from app.security import tokens, users
from app.security.users import User
from app.services.door import Access, check_purpose
from app.settings import get_api_settings
from graph.errors import SerialwatchError

Purpose = Annotated[
    str | None,
    typer.Option(
        "--purpose",
        envvar="SERIALWATCH_PURPOSE",
        help="Why you consult this data (recorded in the audit trail), e.g. 'MAPPA+ prep'.",
    ),
]


class NotLoggedIn(SerialwatchError):
    exit_code = 2


def session_path() -> Path:
    return get_api_settings().home / "cli-session"


def save_session(token: str) -> None:
    path = session_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(token + "\n")


def login(name: str, password: str) -> User:
    """Check the password and start a CLI session for `name`."""
    user = users.authenticate(name, password)
    save_session(tokens.issue(user)[0])
    return user


def logout() -> bool:
    path = session_path()
    existed = path.exists()
    path.unlink(missing_ok=True)
    return existed


def current_user() -> User:
    """The user of this command: the environment's credentials, else the saved session
    (refreshed, so an active session goes on)."""
    name = os.environ.get("SERIALWATCH_USER")
    if name:
        password = os.environ.get("SERIALWATCH_PASSWORD")
        if not password:
            raise NotLoggedIn("SERIALWATCH_USER is set without SERIALWATCH_PASSWORD")
        return users.authenticate(name, password)
    try:
        token = session_path().read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise NotLoggedIn(
            "log in first: `serialwatch login NAME` (or set SERIALWATCH_USER and "
            "SERIALWATCH_PASSWORD)"
        ) from None
    try:
        fresh, _ = tokens.refresh(token)
    except NotAuthenticated as e:
        session_path().unlink(missing_ok=True)
        raise NotLoggedIn(f"{e}: `serialwatch login NAME`") from None
    save_session(fresh)
    return tokens.check(fresh)


def cli_access(purpose: str | None) -> Access:
    """The caller and the stated purpose, checked before anything is read."""
    try:
        stated = check_purpose(purpose)
    except PurposeRequired:
        raise NotLoggedIn(
            "state why you consult this data: --purpose 'MAPPA+ prep, case 4411' (3-300 "
            "characters) or SERIALWATCH_PURPOSE"
        ) from None
    return Access(current_user(), stated)


@reports_errors
def login_command(
    name: Annotated[str, typer.Argument(help="Your serialwatch user name.")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Log in for the commands that read personal data (a session like the explorer's)."""
    if password_stdin:
        password = typer.get_text_stream("stdin").readline().rstrip("\n")
    else:
        password = typer.prompt("password", hide_input=True)
    user = login(name, password)
    console.print(f"logged in as {user.name} ({user.role.value})", highlight=False)


@reports_errors
def logout_command() -> None:
    """End the CLI session."""
    console.print("logged out" if logout() else "no session", highlight=False)
