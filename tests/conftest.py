"""Test fixtures: a dedicated local Neo4j for the suite, never the user's own data.

The suite runs its own server (port 7688, its own home folder) started by the project's own
code, so behaviour tests always talk to a real Neo4j 5.26 server.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

_TEST_ENV = {
    "SERIALWATCH_HOME": os.environ.get(
        "SERIALWATCH_TEST_HOME", str(Path.home() / ".local/share/serialwatch-test")
    ),
    "NEO4J_BOLT_PORT": os.environ.get("SERIALWATCH_TEST_BOLT_PORT", "7688"),
    "NEO4J_HEAP": "2g",
    "NEO4J_PAGECACHE": "2g",
}
os.environ.update(_TEST_ENV)
os.environ.pop("NEO4J_URI", None)

from neo4j import Driver  # noqa: E402

from graph.driver import close_driver, get_driver, write_batched  # noqa: E402
from graph.schema import apply_pending  # noqa: E402
from graph.server import LocalServer  # noqa: E402
from graph.settings import get_settings  # noqa: E402


@pytest.fixture(scope="session")
def neo4j_server() -> Iterator[LocalServer]:
    """The suite's Neo4j, started if needed and stopped at the end if this run started it."""
    get_settings.cache_clear()
    server = LocalServer(get_settings())
    started_here = server.pid() is None
    server.start()
    apply_pending(get_driver())
    yield server
    close_driver()
    if started_here:
        server.stop()


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
