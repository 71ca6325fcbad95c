"""Test fixtures: a dedicated local Neo4j for the suite, never the user's own data.

The suite runs its own server (port 7688, its own home folder) started by the project's own
code, so behaviour tests always talk to a real Neo4j 5.26 server.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _load_test_env() -> None:
    """Point the suite at its own server; the variables already set in the environment win."""
    for line in (ROOT / "tests" / "neo4j-test.env").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            key, value = line.split("=", 1)
            if key == "SERIALWATCH_HOME" and not Path(value).is_absolute():
                value = str(ROOT / value)
            os.environ.setdefault(key, value)


_load_test_env()
os.environ.pop("NEO4J_URI", None)

from neo4j import Driver  # noqa: E402

from graph.driver import close_driver, get_driver, write_batched  # noqa: E402
from graph.schema import apply_pending  # noqa: E402
from graph.server import LocalServer  # noqa: E402
from graph.settings import get_settings  # noqa: E402

_SERVER = pytest.StashKey[tuple[LocalServer, bool]]()


class _FetchDots:
    """A first fetch of Neo4j says so, and shows a dot every 50 files Maven downloads."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, name: str) -> None:
        if self.count == 0:
            sys.__stderr__.write("fetching Neo4j with Maven (once per machine) ")
        self.count += 1
        if self.count % 50 == 0:
            sys.__stderr__.write(".")
            sys.__stderr__.flush()


def pytest_sessionstart(session: pytest.Session) -> None:
    """Start the suite's Neo4j (fetching it on first use) before collection: some test modules
    build the app at import time, which reads the password the first start writes. A server
    this run started is stopped at the end; one already running is left running."""
    get_settings.cache_clear()
    server = LocalServer(get_settings())
    started_here = server.pid() is None
    server.start(on_file=_FetchDots())
    apply_pending(get_driver())
    session.config.stash[_SERVER] = (server, started_here)


def pytest_sessionfinish(session: pytest.Session) -> None:
    found = session.config.stash.get(_SERVER, None)
    close_driver()
    if found is not None and found[1]:
        found[0].stop()


@pytest.fixture(scope="session")
def neo4j_server(request: pytest.FixtureRequest) -> LocalServer:
    """The suite's Neo4j, started before collection (see pytest_sessionstart)."""
    return request.config.stash[_SERVER][0]


@pytest.fixture
def db(neo4j_server: LocalServer) -> Iterator[Driver]:
    """An empty graph (schema kept) and the process's driver."""
    driver = get_driver()
    wipe(driver)
    yield driver


def wipe(driver: Driver) -> None:
    write_batched(
        "MATCH (n) WHERE NOT n:SchemaMigration "
        "CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS",
        driver=driver,
    )
