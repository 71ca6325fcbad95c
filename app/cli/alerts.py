"""`serialwatch alerts`: the inbox (one item per perpetrator, gathering the alerts raised by
ingest and resolution), its items' status, and the user's watchlist.

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
from graph import priority

alerts_app = typer.Typer(help="Alerts raised on ingest, and watchlists.", no_args_is_help=True)
COLUMNS = ["item_id", "band", "priority", "name", "identity_id", "owner", "status",
           "evidence_count", "rules", "reasons"]  # fmt: skip


@alerts_app.command("list")
@reports_errors
def list_(
    status: Annotated[
        str, typer.Option(help=f"{', '.join(al.STATUSES)}, or 'any'")
    ] = "new",
    band: Annotated[str | None, typer.Option(help="high, medium or low")] = None,
    owner: Annotated[str | None, typer.Option(help="only this area (agency code)")] = None,
    area: Annotated[str | None, typer.Option(help="this area's items first")] = None,
    identity: Annotated[str | None, typer.Option(help="only items about this person")] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="Most items to show.")] = 50,
    offset: Annotated[int, typer.Option(min=0, help="Items to skip (paging).")] = 0,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.table,
    purpose: Purpose = None,
) -> None:
    """The inbox: one item per perpetrator, the most pressing first, with how many in all."""
    access = cli_access(purpose)
    wanted = None if status == "any" else status
    rows = service.inbox(
        access, status=wanted, band=band, owner=owner, area=area, identity=identity,
        limit=limit, offset=offset,
    )  # fmt: skip
    counts = service.inbox_count(access, status=wanted, owner=owner, band=band)
    first = offset + 1 if rows else 0
    per_band = ", ".join(f"{k} {v:,}" for k, v in counts.items() if k != "total")
    span = f"items {first:,}-{offset + len(rows):,} of {counts['total']:,} ({per_band})"
    tables.emit(console, err_console, fmt, COLUMNS, rows, span)


@alerts_app.command()
@reports_errors
def areas(
    status: Annotated[
        str, typer.Option(help=f"{', '.join(al.STATUSES)}, or 'any'")
    ] = "new",
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.table,
    purpose: Purpose = None,
) -> None:
    """How many items each area owns, in all and per band: the areas with most high items first."""
    access = cli_access(purpose)
    rows = service.inbox_by_area(access, status=None if status == "any" else status)
    columns = ["area", "total", *(b["name"] for b in priority.settings()["bands"])]
    total = sum(r["total"] for r in rows)
    tables.emit(console, err_console, fmt, columns, rows, f"{len(rows):,} areas, {total:,} items")


@alerts_app.command()
@reports_errors
def show(
    item: Annotated[str, typer.Argument(help="An inbox item's id (IT-...).")],
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.table,
    purpose: Purpose = None,
) -> None:
    """One inbox item: why it ranks where it does, and each alert in it."""
    found = service.inbox_item(cli_access(purpose), item)
    if fmt is not Format.table:
        typer.echo(tables.render(list(found), [found], fmt))
        return
    console.print(
        f"[bold]{found['item_id']}[/bold]  {found['band']} ({found['priority']})  "
        f"{found['name'] or '-'} {found['identity_id']}  owner {found['owner']}  "
        f"{found['status']}",
        highlight=False,
    )
    console.print("why: " + "; ".join(found["reasons"]), highlight=False)
    columns = ["alert_id", "rule", "event_date", "summary", "evidence"]
    tables.show(console, err_console, columns, found["alerts"], f"{len(found['alerts'])} alerts")


def _move(target: str, action: str, purpose: str | None, reason: str | None = None) -> None:
    """Move an inbox item (IT-...) and its alerts, or one alert (AL-...)."""
    access = cli_access(purpose)
    if target.startswith("IT-"):
        row = service.move_item(access, target, action, reason)
        console.print(f"{row['item_id']}: {row['status']}", highlight=False)
    else:
        row = service.move(access, target, action, reason)
        console.print(f"{row['alert_id']}: {row['status']}", highlight=False)


@alerts_app.command()
@reports_errors
def ack(target: str, purpose: Purpose = None) -> None:
    """Acknowledge an inbox item (or one alert): you own it now."""
    _move(target, "acknowledge", purpose)


@alerts_app.command()
@reports_errors
def action(target: str, purpose: Purpose = None) -> None:
    """Mark an item (or one alert) actioned: a disclosure made, a referral sent, ..."""
    _move(target, "action", purpose)


@alerts_app.command()
@reports_errors
def dismiss(
    target: str,
    reason: Annotated[str, typer.Option("--reason", help="why it needs no action")],
    purpose: Purpose = None,
) -> None:
    """Dismiss an item (or one alert), with a reason."""
    _move(target, "dismiss", purpose, reason)


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
