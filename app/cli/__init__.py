"""`serialwatch`: the one entry point for every command.

Every command reports a failure as one line that says what to fix, and exits non-zero.
"""

from __future__ import annotations

import logging

import typer

from app.cli.access import login_command, logout_command
from app.cli.alerts import alerts_app
from app.cli.audit import audit_app
from app.cli.cases import cases_app
from app.cli.db import db_app
from app.cli.demo import demo
from app.cli.export import export
from app.cli.ingest import ingest, synth
from app.cli.query import query_app
from app.cli.resolve import resolve_app
from app.cli.serve import serve
from app.cli.users import users_app

cli = typer.Typer(
    name="serialwatch",
    help="Graph intelligence explorer for serial domestic-abuse and stalking perpetrators.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
cli.add_typer(db_app, name="db")
cli.add_typer(query_app, name="query")
cli.add_typer(resolve_app, name="resolve")
cli.command()(synth)
cli.command()(ingest)
cli.command()(demo)
cli.command()(serve)
cli.add_typer(users_app, name="users")
cli.command("login")(login_command)
cli.command("logout")(logout_command)
cli.add_typer(audit_app, name="audit")
cli.add_typer(alerts_app, name="alerts")
cli.add_typer(cases_app, name="cases")
cli.command()(export)


def main() -> None:
    # The driver logs retries as warnings; commands report failures themselves.
    logging.getLogger("neo4j").setLevel(logging.CRITICAL)
    # Splink narrates training at INFO and warns that comparisons built without a null level
    # (ours on names, which are never empty) have none.
    logging.getLogger("splink").setLevel(logging.ERROR)
    cli()
