"""`serialwatch users`: add, list and remove API users, and reset a password (argon2id)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from app.cli.common import console, reports_errors
from app.security import users
from app.security.roles import Role

users_app = typer.Typer(help="API users and their roles.", no_args_is_help=True)


@users_app.command()
@reports_errors
def add(
    name: Annotated[str, typer.Argument(help="User name (lower case).")],
    role: Annotated[Role, typer.Option(help="The user's role.")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    area: Annotated[
        str, typer.Option(help="The agency code whose inbox items the user sees first.")
    ] = "",
) -> None:
    """Add a user; prints a generated password unless one is read from standard input."""
    password = _stdin_password() if password_stdin else None
    user, secret = users.add(name, role, password, area)
    console.print(f"added {user.name} ({user.role.value})", highlight=False)
    if not password_stdin:
        typer.echo(f"password: {secret}")


@users_app.command()
@reports_errors
def passwd(
    name: Annotated[str, typer.Argument(help="User name.")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Reset a user's password (an admin's reset; prints a generated one unless one is read
    from standard input). The user's tokens stop working at once."""
    given = _stdin_password() if password_stdin else None
    secret = users.set_password(name, given)
    console.print(f"new password set for {name}", highlight=False)
    if not password_stdin:
        typer.echo(f"password: {secret}")


def _stdin_password() -> str:
    return typer.get_text_stream("stdin").readline().rstrip("\n")


@users_app.command("list")
@reports_errors
def list_() -> None:
    """Every user and role."""
    table = Table(box=None)
    for col in ("name", "role", "area", "created"):
        table.add_column(col)
    for u in users.list_users():
        table.add_row(u["name"], u["role"], u["area"] or "-", u["created_at"])
    console.print(table)


@users_app.command()
@reports_errors
def remove(name: Annotated[str, typer.Argument(help="User name.")]) -> None:
    """Remove a user; tokens already issued stop working at once."""
    users.remove(name)
    console.print(f"removed {name}", highlight=False)
