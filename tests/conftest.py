"""Test fixtures: a dedicated local Neo4j for the suite, never the user's own data.

The suite runs its own server (port 7688, its own home folder) started by the project's own
code, so behaviour tests always talk to a real Neo4j 5.26 server.
"""

from __future__ import annotations

import os
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
