"""`serialwatch alerts`: the alerts raised by ingest, their status, and caseworkers' watchlists."""

from __future__ import annotations

import typer
from rich.table import Table

from app.cli.common import console, reports_errors
from graph import alerts as al

alerts_app = typer.Typer(help="Alerts raised on ingest, and watchlists.", no_args_is_help=True)


@alerts_app.command("list")
@reports_errors
def list_(
    status: str = typer.Option(None, help="new, acknowledged, actioned or dismissed"),
    rule: str = typer.Option(None, help=", ".join(al.RULES)),
    owner: str = typer.Option(None, help="owning agency code (or watcher)"),
    identity: str = typer.Option(None, help="only alerts about this identity"),
) -> None:
    """List alerts, newest first."""
    table = Table("alert", "status", "rule", "identity", "summary", "owner", "raised")
    for a in al.alerts(status, rule, owner, identity):
        table.add_row(
            a["alert_id"],
            a["status"],
            a["rule"],
            a["identity_id"] or "-",
            a["summary"],
            a["owner"],
            (a["raised_at"] or "")[:19],
        )
    console.print(table)


def _move(alert: str, status: str, by: str, reason: str | None = None) -> None:
    row = al.set_status(alert, status, by, reason)
    console.print(f"{row['alert_id']}: {row['status']}")


@alerts_app.command()
@reports_errors
def ack(alert: str, by: str = typer.Option(..., "--by", help="who acknowledges")) -> None:
    """Acknowledge an alert: someone owns it now."""
    _move(alert, "acknowledged", by)


@alerts_app.command()
@reports_errors
def action(alert: str, by: str = typer.Option(..., "--by")) -> None:
    """Mark an alert actioned (a disclosure made, a referral sent, ...)."""
    _move(alert, "actioned", by)


@alerts_app.command()
@reports_errors
def dismiss(
    alert: str,
    by: str = typer.Option(..., "--by"),
    reason: str = typer.Option(..., "--reason", help="why it needs no action"),
) -> None:
    """Dismiss an alert, with a reason."""
    _move(alert, "dismissed", by, reason)


@alerts_app.command()
@reports_errors
def watch(identity: str, by: str = typer.Option(..., "--by", help="the caseworker")) -> None:
    """Follow an identity: any new record touching it raises an alert."""
    al.watch(identity, by)
    console.print(f"{by} now follows {identity}")


@alerts_app.command()
@reports_errors
def unwatch(identity: str, by: str = typer.Option(..., "--by")) -> None:
    """Stop following an identity."""
    al.unwatch(identity, by)
    console.print(f"{by} no longer follows {identity}")


@alerts_app.command()
@reports_errors
def watching(by: str = typer.Option(None, "--by")) -> None:
    """The identities each caseworker follows."""
    table = Table("watcher", "identity", "since")
    for w in al.watching(by):
        table.add_row(w["watcher"], w["identity_id"], (w["since"] or "")[:19])
    console.print(table)
