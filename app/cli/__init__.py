"""`serialwatch`: the one entry point for every command.

Every command reports a failure as one line that says what to fix, and exits non-zero.
"""

from __future__ import annotations

import logging

import typer

from app.cli.db import db_app
from app.cli.demo import demo
from app.cli.ingest import ingest, synth
from app.cli.query import query_app

cli = typer.Typer(
    name="serialwatch",
    help="Graph intelligence explorer for serial domestic-abuse and stalking perpetrators.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
cli.add_typer(db_app, name="db")
cli.add_typer(query_app, name="query")
cli.command()(synth)
cli.command()(ingest)
cli.command()(demo)


def main() -> None:
    # The driver logs retries as warnings; commands report failures themselves.
    logging.getLogger("neo4j").setLevel(logging.CRITICAL)
    cli()
