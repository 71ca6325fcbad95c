"""`serialwatch db`: the project's local Neo4j (start, stop, status, reset) and its schema."""

from __future__ import annotations

import time

import typer
from rich.table import Table

from app.cli.common import console, fetch_progress, reports_errors, step
from graph.driver import make_driver
from graph.schema import applied, apply_pending, available
from graph.server import LocalServer
from graph.settings import get_settings

db_app = typer.Typer(
    help="Run the local Neo4j server and manage the graph schema.", no_args_is_help=True
)


def _server() -> LocalServer:
    return LocalServer(get_settings())


@db_app.command()
@reports_errors
def start() -> None:
    """Start the local Neo4j (fetching it on first use) and apply the schema migrations."""
    began = time.monotonic()
    server = _server()
    with step("starting Neo4j (fetching it from Maven Central on first use)") as detail:
        dist = server.start(on_file=fetch_progress(detail))
    console.print(f"Neo4j {dist.version} answering on bolt://{server.address}")
    _migrate_and_report()
    console.print(f"ready in {time.monotonic() - began:.1f} s")


@db_app.command()
@reports_errors
def stop() -> None:
    """Stop the local Neo4j cleanly."""
    console.print("stopped" if _server().stop() else "not running")


@db_app.command()
@reports_errors
def status() -> None:
    """Version, edition, address and store size of the local Neo4j."""
    settings = get_settings()
    st = _server().status()
    table = Table(show_header=False, box=None)
    table.add_row("state", "running" if st.running else "stopped")
    if st.running:
        table.add_row("version", f"Neo4j {st.version} {st.edition}")
        table.add_row("pid", str(st.pid))
    table.add_row("address", f"bolt://{st.address}")
    table.add_row("store size", f"{st.store_bytes / 1e6:.1f} MB")
    table.add_row("home", str(settings.server_home))
    table.add_row("password file", str(settings.password_file))
    console.print(table)
    if not st.running:
        raise typer.Exit(3)


@db_app.command()
@reports_errors
def reset(
    yes: bool = typer.Option(
        False, "--yes", help="Confirm: every node and relationship is deleted."
    ),
) -> None:
    """Wipe the local database. Needs --yes. Restarts the server if it was running."""
    if not yes:
        console.print("[red]error:[/red] reset deletes all data; run again with --yes to confirm")
        raise typer.Exit(1)
    server = _server()
    was_running = server.stop()
    server.reset()
    console.print("data wiped")
    if was_running:
        server.start()
        _migrate_and_report()


@db_app.command()
@reports_errors
def migrate() -> None:
    """Apply pending schema migrations and list every migration with when it was applied."""
    _migrate_and_report()


def _migrate_and_report() -> None:
    driver = make_driver(get_settings())
    try:
        now = apply_pending(driver)
        done = applied(driver)
    finally:
        driver.close()
    table = Table("migration", "applied at", "this run")
    for m in available():
        table.add_row(
            m.id, done.get(m.id, {}).get("applied_at", "-"), "applied" if m.id in now else ""
        )
    console.print(table)
