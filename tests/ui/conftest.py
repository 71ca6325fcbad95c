"""UI test fixtures: a synthetic delivery in the suite's Neo4j, one user per role, the API and
explorer under a real uvicorn on a free loopback port, and Debian's chromium driven headless
by Playwright (never a downloaded browser)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.stores import trail_env

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-dev-shm-usage",
]  # fmt: skip  (a small /dev/shm crashes tabs)
ROLES = ("officer", "analyst", "caseworker", "partner", "admin")
PEOPLE, SEED = 1500, 7


def password(role: str) -> str:
    return f"pw-{role}-synthetic-only"


@pytest.fixture(scope="session")
def ui_data(neo4j_server: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The delivery (reloaded only when the graph no longer holds it) and its truth."""
    from graph.driver import get_driver, read
    from ingest.synth import synthesize
    from ingest.transactional import load_delivery
    from tests.conftest import wipe

    driver = get_driver()
    folder = Path(os.environ["SERIALWATCH_HOME"]) / f"ui-delivery-{PEOPLE}-{SEED}"
    marker = folder / "loaded-count"
    count = read("MATCH (p:Person) RETURN count(p) AS n", driver=driver)[0]["n"]
    if not marker.exists() or int(marker.read_text()) != count:
        wipe(driver)
        synthesize(people=PEOPLE, seed=SEED, out=folder)
        load_delivery(folder, driver, baseline=False)  # every finding in the inbox
        count = read("MATCH (p:Person) RETURN count(p) AS n", driver=driver)[0]["n"]
        marker.write_text(str(count))
    truth: dict[str, Any] = json.loads((folder / "truth.json").read_text())
    return truth


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(env: dict[str, str], log: Path) -> Iterator[str]:
    """uvicorn serving app.main (API + /ui) with `env`, on a free loopback port."""
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "app.main:create_app", "--factory",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        env=env, stdout=subprocess.DEVNULL, stderr=open(log, "w"),
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                if httpx.get(base + "/ui/", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        else:
            pytest.fail("the server did not start: " + log.read_text())
        yield base
    finally:
        proc.terminate()
        proc.wait(20)


@pytest.fixture(scope="session")
def ui_server(ui_data: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """uvicorn serving app.main (API + /ui) with its own users and audit trail."""
    from app.security import users
    from app.settings import get_api_settings

    folder = tmp_path_factory.mktemp("ui")
    store = trail_env(folder)
    env = {**os.environ, **store}
    saved = {k: os.environ.get(k) for k in store}
    os.environ.update(store)
    get_api_settings.cache_clear()
    for role in ROLES:
        users.add(role, role, password(role))
    try:
        with serving(env, folder / "uvicorn.log") as base:
            yield base
    finally:
        for k, v in saved.items():
            os.environ.pop(k, None) if v is None else os.environ.__setitem__(k, v)
        get_api_settings.cache_clear()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=FLAGS)
        yield b
        b.close()


def login(
    browser: Any,
    base: str,
    role: str,
    purpose: str = "UI test, synthetic data",
    viewport: dict[str, int] | None = None,
) -> Any:
    """A fresh page logged in as `role`, on the search page (1400x1000 unless `viewport`)."""
    size = viewport or {"width": 1400, "height": 1000}
    page = browser.new_page(accept_downloads=True, viewport=size)
    page.set_default_timeout(30_000)
    page.goto(base + "/ui/")
    page.fill("#login-user", role)
    page.fill("#login-password", password(role))
    page.fill("#login-purpose", purpose)
    page.click("#login-submit")
    page.wait_for_url("**/ui/search")
    page.wait_for_selector(f"text={role} · {role}")
    return page


def analyst() -> Any:
    """An analyst's access to the service layer, for tests to read what the pages should show."""
    from app.security.roles import Role
    from app.security.users import User
    from app.services.door import Access

    return Access(User("analyst", Role.analyst), "UI test set-up and checks (synthetic data)")


@pytest.fixture(scope="session")
def planted(ui_server: str, ui_data: dict[str, Any]) -> dict[str, Any]:
    """The planted serial perpetrator with most victims, and his victims' names (read as an
    analyst through the service layer; the truth file confirms he was planted as serial)."""
    from app.services import library

    a = analyst()
    rows = library.run(a, "serial_perpetrators", {"tiers": ["serial"]})["rows"]
    planted_keys = {k for h in ui_data["serial"] for k in ui_data["people"][h]}
    rows = [r for r in rows if set(r["record_keys"]) & planted_keys]
    best = max(rows, key=lambda r: (r["victims"], r["identity_id"]))
    chain = library.run(a, "victim_chain", {"person": best["identity_id"]})["rows"]
    victims = sorted({v["name"] for v in chain if v.get("name")})
    assert len(victims) >= 2
    return {"id": best["identity_id"], "name": best["name"], "victims": victims}


@pytest.fixture(scope="session")
def chains(ui_data: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[int, str]]:
    """Three planted men, with 18, 40 and 100 victims; taken out of the graph again afterwards (the
    suite's delivery is reused only while the graph holds exactly it). Chain stories, charts,
    meeting mode, the subject page and the PDF pack are measured on them."""
    from graph.driver import get_driver, write
    from tests.ui.plant import plant

    folder = tmp_path_factory.mktemp("chains")
    yield {n: plant(n, folder) for n in (18, 40, 100)}
    write(
        "MATCH (p:Person) WHERE p.person_key STARTS WITH 'UICHAIN' "
        "OPTIONAL MATCH (p)-[:RESOLVES_TO]->(i:Identity) "
        "OPTIONAL MATCH (p)-[:SUSPECT_IN|VICTIM_IN]->(inc:Incident) "
        "DETACH DELETE p, i, inc",
        driver=get_driver(),
    )
