"""`serialwatch demo`: the newcomer's one command: a local Neo4j with a synthetic dataset,
identities resolved, one user per role, and the explorer.

Every long step shows what it is doing; a second run reuses what is there (the server's data,
the resolution, the users) and starts in seconds. The last screen says where to go, who to log
in as, and how to set a demo user's password again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from neo4j import Driver
from rich.table import Table

from app.cli.common import console, fetch_progress, reports_errors, step
from graph import ranking
from graph.driver import get_driver, read
from graph.schema import apply_pending
from graph.server import LocalServer
from graph.settings import get_settings
from ingest.synth import synthesize
from ingest.transactional import load_delivery

RESET_COMMAND = "serialwatch users passwd NAME"


@reports_errors
def demo(
    people: int = typer.Option(50_000, "--people", min=100, help="Size of the synthetic dataset."),
    seed: int = typer.Option(1, "--seed"),
) -> None:
    """Start the local Neo4j and load a synthetic national dataset unless one is loaded."""
    began = time.monotonic()
    settings = get_settings()
    server = LocalServer(settings)
    with step("starting Neo4j (fetched from Maven Central on first use)") as detail:
        dist = server.start(on_file=fetch_progress(detail))
        driver = get_driver()
        apply_pending(driver)
    console.print(f"Neo4j {dist.version} on bolt://{server.address}")
    loaded = read("MATCH (p:Person) RETURN count(p) AS n", driver=driver)[0]["n"]
    if loaded:
        console.print(f"{loaded:,} person records already loaded; reusing them")
    else:
        _load(driver, settings.home / "demo-delivery", people, seed)
    _resolve_once(driver, settings.home)
    with step("ranking perpetrators by RFGV for today (once a day)"):
        ranking.keep_current(driver)  # as the daily follow-up does
    created = _demo_users()
    _serve(began, created)


def _load(driver: Driver, delivery: Path, people: int, seed: int) -> None:
    with step(f"synthesising {people:,} people into {delivery}"):
        synthesize(people=people, seed=seed, out=delivery)
    with step("loading the delivery into Neo4j") as detail:

        def progress(name: str, done: int, total: int) -> None:
            detail(f"{name} {done:,} of {total:,} rows")

        summary = load_delivery(delivery, driver, progress=progress)
    console.print(f"loaded {sum(f.loaded for f in summary.files):,} rows")


def _resolve_once(driver: Driver, home: Path) -> None:
    """Resolve identities after the first load; a marker file makes the next run skip it."""
    marker = home / "demo-resolved"
    if marker.exists():
        return
    from ingest.resolve.pipeline import resolve

    with step("resolving identities (first run only)") as detail, _forwarded(detail):
        s = resolve(driver)
    console.print(f"{s.identities:,} identities, {s.review_queue:,} pairs awaiting review")
    marker.write_text("done\n")


@contextmanager
def _forwarded(detail: Callable[[str], None]) -> Iterator[None]:
    """The resolver's step log ("pull: 3.1 s") shown as the live line's detail."""

    class Forward(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            detail(record.getMessage())

    logger = logging.getLogger("ingest.resolve.pipeline")
    handler, level = Forward(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def _demo_users() -> dict[str, str]:
    """One user per role, `demo-<role>`; the passwords of the users made now (shown once)."""
    from app.errors import Conflict
    from app.security import users
    from app.security.roles import Role

    created: dict[str, str] = {}
    for role in Role:
        try:
            user, password = users.add(f"demo-{role.value}", role)
        except Conflict:
            continue
        created[user.name] = password
    return created


def _serve(began: float, created: dict[str, str]) -> None:
    import uvicorn

    from app.security import users
    from app.settings import get_api_settings

    s = get_api_settings()
    s.secret()
    table = Table("user", "role", "password", box=None, title="demo users")
    for u in users.list_users():
        if u["name"].startswith("demo-"):
            table.add_row(u["name"], u["role"], created.get(u["name"], "(set earlier)"))
    console.print(table)
    if created:
        console.print("The passwords are shown this once.", highlight=False)
    console.print(f"Set a new password: [bold]{RESET_COMMAND}[/bold]", highlight=False)
    console.print(
        f"\n[bold green]serialwatch is up[/bold green] in {time.monotonic() - began:.0f} s\n"
        f"  explorer  [bold]http://{s.host}:{s.port}/ui/[/bold]\n"
        f"  API docs  http://{s.host}:{s.port}/docs\n"
        "Ctrl+C stops the web service; Neo4j keeps running (`serialwatch db stop`).",
        highlight=False,
    )
    uvicorn.run("app.main:create_app", factory=True, host=s.host, port=s.port, log_level="warning")
