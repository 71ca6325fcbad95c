"""`serialwatch audit`: check the audit trail's hash chain, and list entries."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from app.cli.common import console, err_console, reports_errors
from app.security import audit

audit_app = typer.Typer(help="The audit trail of personal-data access.", no_args_is_help=True)


@audit_app.command()
@reports_errors
def verify() -> None:
    """Recompute the chain; exits 1 and names every edited or missing entry."""
    verdict = audit.verify()
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
) -> None:
    """Entries in order: who, when, what, why, which identities."""
    rows = audit.entries(after=after, limit=limit, user=user)
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
