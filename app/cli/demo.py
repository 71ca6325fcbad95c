"""`serialwatch demo`: the newcomer's one command: a local Neo4j with a synthetic dataset.

A second run reuses what is there: the server's data survives, so it only starts the server.
"""

from __future__ import annotations

import time
from pathlib import Path

import typer

from app.cli.common import console, reports_errors
from graph.driver import get_driver, read
from graph.schema import apply_pending
from graph.server import LocalServer
from graph.settings import get_settings
from ingest.synth import synthesize
from ingest.transactional import load_delivery


@reports_errors
def demo(
    people: int = typer.Option(50_000, "--people", min=100, help="Size of the synthetic dataset."),
    seed: int = typer.Option(1, "--seed"),
) -> None:
    """Start the local Neo4j and load a synthetic national dataset unless one is loaded."""
    began = time.monotonic()
    settings = get_settings()
    server = LocalServer(settings)
    dist = server.start()
    driver = get_driver()
    apply_pending(driver)
    console.print(f"Neo4j {dist.version} on bolt://{server.address}")
    loaded = read("MATCH (p:Person) RETURN count(p) AS n", driver=driver)[0]["n"]
    if loaded:
        console.print(f"{loaded:,} person records already loaded; reusing them")
    else:
        delivery = settings.home / "demo-delivery"
        console.print(f"synthesising {people:,} people into {delivery}")
        synthesize(people=people, seed=seed, out=delivery)
        summary = load_delivery(delivery, driver)
        console.print(f"loaded {sum(f.loaded for f in summary.files):,} rows")
    console.print(f"ready in {time.monotonic() - began:.0f} s")
    console.print(f"Neo4j user neo4j, password in {settings.password_file}")
    _resolve_once(driver, settings.home)
    _demo_users()
    _serve(began)


def _resolve_once(driver: object, home: Path) -> None:
    """Resolve identities after the first load (when `serialwatch resolve` is installed);
    a marker file makes the second run skip it."""
    marker = home / "demo-resolved"
    if marker.exists():
        return
    try:
        from ingest.resolve.pipeline import resolve
    except ImportError:
        console.print("identity resolution is not installed; records stay unresolved")
        return
    console.print("resolving identities (first run only)")
    s = resolve(driver)  # type: ignore[arg-type]
    console.print(f"{s.identities:,} identities, {s.review_queue:,} pairs awaiting review")
    marker.write_text("done\n")


def _demo_users() -> None:
    """One user per role; passwords are printed once, when the user is created."""
    from app.errors import Conflict
    from app.security import users
    from app.security.roles import Role

    for role in Role:
        try:
            user, password = users.add(f"demo-{role.value}", role)
        except Conflict:
            continue
        console.print(f"user [bold]{user.name}[/] ({role.value}) password: {password}")


def _serve(began: float) -> None:
    import uvicorn

    from app.settings import get_api_settings

    s = get_api_settings()
    s.secret()
    console.print(f"explorer at http://{s.host}:{s.port}/ui/  (API docs at /docs)")
    console.print(f"up in {time.monotonic() - began:.0f} s; Ctrl+C stops the web service")
    uvicorn.run("app.main:create_app", factory=True, host=s.host, port=s.port, log_level="warning")
