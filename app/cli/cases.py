"""`serialwatch cases`: MAPPA+ case work from the terminal: the caseworker's queue, a case,
its moves, screening, meetings (agenda, minutes, level, plan actions, obligations), the
actions board, and the daily follow-up that raises overdue alerts.

Every command except `follow-up` runs as the logged-in user through the same door as the API
(role checked, partners' view redacted, each read and change audited). A change names the
version you read (`--version`, shown by `cases show`): if someone changed the case since, the
command says so and changes nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from app.cli import tables
from app.cli.access import Purpose, cli_access
from app.cli.common import console, err_console, reports_errors
from app.cli.tables import Format
from app.services import cases as service
from graph import cases as gc
from graph.case_followup import follow_up as run_follow_up

cases_app = typer.Typer(help="MAPPA+ case work: queue, cases, meetings, actions.",
                        no_args_is_help=True)  # fmt: skip
QUEUE = ["case_id", "status", "level", "rfgv", "name", "identity_id", "area", "caseworker",
         "review_due", "overdue_actions", "version"]  # fmt: skip
ACTIONS = ["action_id", "heading", "title", "agency", "owner", "due_date", "status", "overdue",
           "identity_id", "case_id", "version"]  # fmt: skip
VersionOpt = Annotated[int, typer.Option("--version", min=1, help="The version you read.")]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]


@cases_app.command()
@reports_errors
def queue(
    area: Annotated[str | None, typer.Option(help="only this area")] = None,
    mine: Annotated[bool, typer.Option(help="only cases you are caseworker of")] = False,
    fmt: FormatOpt = Format.table,
    purpose: Purpose = None,
) -> None:
    """Open cases: candidates first, each status ranked by RFGV."""
    rows = service.queue(cli_access(purpose), area=area, mine=mine)
    tables.emit(console, err_console, fmt, QUEUE, rows, f"{len(rows)} open cases")


@cases_app.command()
@reports_errors
def show(case_id: str, fmt: FormatOpt = Format.table, purpose: Purpose = None) -> None:
    """One case: status, level, history, hearings, actions and obligations."""
    found = service.detail(cli_access(purpose), case_id)
    if fmt is not Format.table:
        typer.echo(tables.render(list(found), [found], fmt))
        return
    console.print(
        f"[bold]{found['case_id']}[/bold]  {found['status']}  level {found['level'] or '-'}  "
        f"{found['name'] or '-'} {found['identity_id']}  area {found['area'] or '-'}  "
        f"caseworker {found['caseworker'] or '-'}  review due {found['review_due'] or '-'}  "
        f"version {found['version']}",
        highlight=False,
    )
    tables.show(console, err_console, ACTIONS, found["actions"], f"{len(found['actions'])} actions")
    tables.show(console, err_console, ["at", "by", "what", "before_text", "after_text"],
                found["changes"], f"{len(found['changes'])} changes")  # fmt: skip


@cases_app.command("open")
@reports_errors
def open_(
    person: Annotated[str, typer.Argument(help="identity id or record key")],
    area: Annotated[str, typer.Option(help="the case's area")] = "",
    caseworker: Annotated[str, typer.Option(help="the caseworker")] = "",
    purpose: Purpose = None,
) -> None:
    """Open a candidate case by hand."""
    row = service.open_case(cli_access(purpose), person, area=area, caseworker=caseworker)
    console.print(f"{row['case_id']}: candidate (version {row['version']})", highlight=False)


@cases_app.command()
@reports_errors
def move(
    case_id: str,
    status: Annotated[str, typer.Argument(help=", ".join(gc.MOVES))],
    version: VersionOpt,
    reason: Annotated[str | None, typer.Option(help="for not_accepted and closed")] = None,
    level: Annotated[int | None, typer.Option(min=1, max=3, help="to accept")] = None,
    purpose: Purpose = None,
) -> None:
    """Move a case on: screening, accepted, not_accepted, managed, closed."""
    row = service.move(cli_access(purpose), case_id, version, status, reason=reason, level=level)
    console.print(f"{row['case_id']}: {row['status']} (version {row['version']})",
                  highlight=False)  # fmt: skip


@cases_app.command()
@reports_errors
def assess(
    case_id: str,
    version: VersionOpt,
    decision: Annotated[str, typer.Option(help="accept, not_accept or defer")],
    notes: Annotated[str, typer.Option(help="your notes")] = "",
    purpose: Purpose = None,
) -> None:
    """Screening: freeze the evidence as it stands, with your notes and decision."""
    row = service.assess(cli_access(purpose), case_id, version, notes=notes, decision=decision)
    console.print(f"{row['assessment_id']}: tier {row['tier']}, RFGV {row['rfgv_score']:.1f} "
                  f"(case version {row['case_version']})", highlight=False)  # fmt: skip


@cases_app.command()
@reports_errors
def meeting(
    held: Annotated[str, typer.Argument(help="the meeting's date, YYYY-MM-DD")],
    area: Annotated[str, typer.Option(help="the area")],
    chair: Annotated[str, typer.Option(help="who chairs")],
    attendee: Annotated[list[str] | None, typer.Option(
        help="agency|role|name, repeated (roles: " + ", ".join(gc.ATTENDEE_ROLES) + ")")] = None,
    purpose: Purpose = None,
) -> None:  # fmt: skip
    """Create a MAPPA+ meeting."""
    people = []
    for a in attendee or []:
        parts = a.split("|")
        if len(parts) != 3:
            raise typer.BadParameter("give an attendee as agency|role|name")
        people.append(dict(zip(("agency", "role", "name"), parts, strict=True)))
    row = service.create_meeting(cli_access(purpose), _date(held), area, chair, people)
    console.print(f"{row['meeting_id']}: {row['date']} {row['area']}", highlight=False)


@cases_app.command()
@reports_errors
def agenda(meeting_id: str, case_id: str, purpose: Purpose = None) -> None:
    """Put a case on a meeting's agenda; prints its hearing id."""
    row = service.add_to_agenda(cli_access(purpose), meeting_id, case_id)
    console.print(f"{row['hearing_id']}: {case_id} on {meeting_id}", highlight=False)


@cases_app.command()
@reports_errors
def minutes(hearing_id: str, text: str, version: VersionOpt, purpose: Purpose = None) -> None:
    """Record the minutes of one case's hearing."""
    row = service.record_minutes(cli_access(purpose), hearing_id, version, text)
    console.print(f"minutes recorded (case version {row['case_version']})", highlight=False)


@cases_app.command()
@reports_errors
def level(hearing_id: str, mappa_level: int, version: VersionOpt,
          purpose: Purpose = None) -> None:  # fmt: skip
    """Set the MAPPA level at a hearing: the case is managed, reviews by the level."""
    row = service.set_level(cli_access(purpose), hearing_id, version, mappa_level)
    console.print(f"level {mappa_level} (case version {row['case_version']})", highlight=False)


@cases_app.command("add-action")
@reports_errors
def add_action(
    hearing_id: str,
    version: VersionOpt,
    heading: Annotated[str, typer.Option(help=", ".join(gc.HEADINGS))],
    title: Annotated[str, typer.Option(help="what is to be done")],
    agency: Annotated[str, typer.Option(help="the owning agency")],
    owner: Annotated[str, typer.Option(help="the owning person")],
    due: Annotated[str, typer.Option(help="YYYY-MM-DD")],
    purpose: Purpose = None,
) -> None:
    """Add a risk management plan action at a hearing."""
    row = service.add_action(cli_access(purpose), hearing_id, version, heading=heading,
                             title=title, agency=agency, owner=owner, due=_date(due))
    console.print(f"{row['action_id']} (case version {row['case_version']})", highlight=False)


@cases_app.command()
@reports_errors
def oblige(
    hearing_id: str,
    kind: Annotated[str, typer.Argument(help=", ".join(gc.OBLIGATIONS))],
    version: VersionOpt,
    order: Annotated[list[str] | None, typer.Option(help="an order key it rests on")] = None,
    purpose: Purpose = None,
) -> None:
    """Impose a positive obligation at a hearing."""
    row = service.impose_obligation(cli_access(purpose), hearing_id, version, kind,
                                    order_keys=order)  # fmt: skip
    console.print(f"{row['obligation_id']} (case version {row['case_version']})",
                  highlight=False)  # fmt: skip


@cases_app.command()
@reports_errors
def actions(
    view: Annotated[str, typer.Argument(help=", ".join(service.BOARDS))] = "mine",
    fmt: FormatOpt = Format.table,
    purpose: Purpose = None,
) -> None:
    """The actions board: mine, my agency's, overdue, or all."""
    rows = service.board(cli_access(purpose), view)
    tables.emit(console, err_console, fmt, ACTIONS, rows, f"{len(rows)} actions")


@cases_app.command("set-action")
@reports_errors
def set_action(
    action_id: str,
    version: VersionOpt,
    status: Annotated[str | None, typer.Option(help=", ".join(gc.ACTION_STATUSES))] = None,
    due: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
    owner: Annotated[str | None, typer.Option(help="the new owner")] = None,
    purpose: Purpose = None,
) -> None:
    """Move an action on (status), or re-plan it (due date, owner)."""
    row = service.set_action(cli_access(purpose), action_id, version, status=status,
                             due=_date(due) if due else None, owner=owner)  # fmt: skip
    console.print(f"{row['action_id']}: {row['status']} due {row['due_date']} "
                  f"(version {row['version']})", highlight=False)  # fmt: skip


@cases_app.command("follow-up")
@reports_errors
def follow_up() -> None:
    """Open candidates from new Category 4 alerts and raise overdue alerts (run daily)."""
    found = run_follow_up()
    console.print(", ".join(f"{k} {len(v)}" for k, v in found.items()), highlight=False)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a date: give YYYY-MM-DD") from None
