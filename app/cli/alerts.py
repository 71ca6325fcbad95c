"""`serialwatch alerts`: the alerts raised by ingest, their status, and the user's watchlist.

Every command runs as the logged-in user (`serialwatch login`), through the same door as the
API: role checked, partners' view redacted, each read and change audited with its purpose.
"""

from __future__ import annotations

from typing import Annotated

import typer

from app.cli import tables
from app.cli.access import Purpose, cli_access
from app.cli.common import console, err_console, reports_errors
from app.cli.tables import Format
from app.services import alerts as service
from graph import alerts as al

alerts_app = typer.Typer(help="Alerts raised on ingest, and watchlists.", no_args_is_help=True)
COLUMNS = ["alert_id", "status", "rule", "identity_id", "name", "summary", "owner", "raised"]


@alerts_app.command("list")
@reports_errors
def list_(
    status: Annotated[str | None, typer.Option(help=", ".join(al.STATUSES))] = None,
    rule: Annotated[str | None, typer.Option(help=", ".join(al.RULES))] = None,
    owner: Annotated[str | None, typer.Option(help="owning agency code (or watcher)")] = None,
    identity: Annotated[str | None, typer.Option(help="only alerts about this identity")] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="Most alerts to show.")] = 50,
    offset: Annotated[int, typer.Option(min=0, help="Alerts to skip (paging).")] = 0,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.table,
    purpose: Purpose = None,
) -> None:
    """List alerts, newest first, with how many the filters select in all."""
    access = cli_access(purpose)
    rows = service.listing(
        access, status=status, rule=rule, owner=owner, identity=identity, limit=limit,
        offset=offset,
    )  # fmt: skip
    total = service.total(access, status=status, rule=rule, owner=owner, identity=identity)
    shown = [{**a, "raised": (a.get("raised_at") or "")[:16]} for a in rows]
    first = offset + 1 if rows else 0
    span = f"alerts {first:,}-{offset + len(rows):,} of {total:,}"
    tables.emit(console, err_console, fmt, COLUMNS, shown, span)


def _move(alert: str, action: str, purpose: str | None, reason: str | None = None) -> None:
    row = service.move(cli_access(purpose), alert, action, reason)
    console.print(f"{row['alert_id']}: {row['status']}", highlight=False)


@alerts_app.command()
@reports_errors
def ack(alert: str, purpose: Purpose = None) -> None:
    """Acknowledge an alert: you own it now."""
    _move(alert, "acknowledge", purpose)


@alerts_app.command()
@reports_errors
def action(alert: str, purpose: Purpose = None) -> None:
    """Mark an alert actioned (a disclosure made, a referral sent, ...)."""
    _move(alert, "action", purpose)


@alerts_app.command()
@reports_errors
def dismiss(
    alert: str,
    reason: Annotated[str, typer.Option("--reason", help="why it needs no action")],
    purpose: Purpose = None,
) -> None:
    """Dismiss an alert, with a reason."""
    _move(alert, "dismiss", purpose, reason)


@alerts_app.command()
@reports_errors
def watch(identity: str, purpose: Purpose = None) -> None:
    """Follow an identity: any new record touching it raises an alert for you."""
    row = service.follow(cli_access(purpose), identity)
    console.print(f"you now follow {row['identity_id']}", highlight=False)


@alerts_app.command()
@reports_errors
def unwatch(identity: str, purpose: Purpose = None) -> None:
    """Stop following an identity."""
    row = service.unfollow(cli_access(purpose), identity)
    console.print(f"you no longer follow {row['identity_id']}", highlight=False)


@alerts_app.command()
@reports_errors
def watching(purpose: Purpose = None) -> None:
    """The identities you follow."""
    rows = service.watchlist(cli_access(purpose))
    shown = [{**w, "since": (w.get("since") or "")[:16]} for w in rows]
    tables.show(console, err_console, ["identity_id", "since"], shown, f"{len(rows)} followed")
