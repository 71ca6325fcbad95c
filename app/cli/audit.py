"""`serialwatch audit`: check the audit trail's hash chain, and list entries."""

from __future__ import annotations

import getpass
import json
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from app.cli.access import Purpose as StatedPurpose
from app.cli.access import cli_access
from app.cli.common import console, err_console, reports_errors
from app.security.roles import Role
from app.security.users import User
from app.services import admin
from app.services.door import Access

audit_app = typer.Typer(help="The audit trail of personal-data access.", no_args_is_help=True)


Purpose = Annotated[
    str,
    typer.Option(help="Why you read the trail (recorded in it: reading it is audited too)."),
]
CLI_PURPOSE = "audit administration (command line)"


def operator(purpose: str) -> Access:
    """The person at the command line, as an admin: the OS account, so the entry names them."""
    return Access(User(f"cli:{getpass.getuser()}", Role.admin), purpose)


@audit_app.command()
@reports_errors
def verify(purpose: Purpose = CLI_PURPOSE) -> None:
    """Recompute the chain and hold it to the anchor; exits 1 and names every edited, missing
    or cut-off entry, a deleted trail or an older copy put back."""
    verdict = admin.audit_verify(operator(purpose))
    if verdict.ok:
        console.print(f"audit trail intact: {verdict.entries} entries", highlight=False)
        return
    for problem in verdict.problems:
        err_console.print(f"[red]tampered:[/red] {escape(problem)}", highlight=False)
    raise typer.Exit(1)


@audit_app.command("list")
@reports_errors
def list_(
    after: Annotated[int, typer.Option(help="Entries after this sequence number.")] = 0,
    limit: Annotated[int, typer.Option(help="Most entries shown.")] = 50,
    user: Annotated[str | None, typer.Option(help="Only this user's entries.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
    purpose: StatedPurpose = None,
) -> None:
    """Entries in order: who, when, what, why, which identities (as the logged-in admin:
    the trail names the people consulted, so reading it is audited like any read)."""
    rows = admin.audit_entries(cli_access(purpose), after=after, limit=limit, user=user)
    if as_json:
        for r in rows:
            typer.echo(json.dumps(r, ensure_ascii=False))
        return
    table = Table(box=None)
    for col in ("seq", "at", "user", "role", "action", "resource", "purpose", "identities"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(
            str(r["seq"]),
            r["at"],
            r["user"],
            r["role"],
            r["action"],
            escape(r["resource"]),
            escape(r["purpose"]),
            str(len(r["identities"])),
        )
    console.print(table)
