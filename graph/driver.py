"""One Neo4j driver per process, and the two ways to use it: reads routed as reads, writes
as writes. The same code runs against a single server (`bolt://`, `neo4j://`) or a cluster
(`neo4j://` routes reads to secondaries)."""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, LiteralString

from neo4j import READ_ACCESS, Driver, GraphDatabase, Query, Record, RoutingControl
from neo4j.exceptions import AuthError, ServiceUnavailable, SessionExpired

from graph.errors import AuthFailed, DatabaseUnavailable
from graph.settings import Settings, get_settings

_lock = threading.Lock()
_driver: Driver | None = None

Params = Mapping[str, Any]


def get_driver(settings: Settings | None = None) -> Driver:
    """The process's driver, created on first use from the settings."""
    global _driver
    with _lock:
        if _driver is None:
            _driver = make_driver(settings or get_settings())
        return _driver


def make_driver(settings: Settings) -> Driver:
    """A new driver; prefer `get_driver` unless you need one with other settings."""
    return GraphDatabase.driver(
        settings.uri,
        auth=(settings.user, settings.password()),
        max_connection_lifetime=3600,
        connection_acquisition_timeout=30,
        notifications_min_severity="OFF",
    )


def close_driver() -> None:
    """Close the process's driver (at shutdown, or to pick up new settings)."""
    global _driver
    with _lock:
        if _driver is not None:
            _driver.close()
            _driver = None


def wait_until_ready(driver: Driver, timeout_s: float = 60.0, database: str | None = None) -> None:
    """Retry `RETURN 1` until Neo4j answers; a wrong password fails at once, not after retries."""
    deadline = time.monotonic() + timeout_s
    delay = 0.2
    while True:
        try:
            # A bare session, not execute_query: its own retries would hide the deadline.
            with driver.session(database=database, default_access_mode=READ_ACCESS) as session:
                session.run("RETURN 1").consume()
            return
        except AuthError as e:
            raise AuthFailed(
                "Neo4j refused the password: check NEO4J_USER / NEO4J_PASSWORD "
                "(the local server's password is in the file `serialwatch db status` names)"
            ) from e
        except (ServiceUnavailable, SessionExpired, OSError) as e:
            if time.monotonic() >= deadline:
                raise DatabaseUnavailable(
                    f"Neo4j did not answer within {timeout_s:.0f} s: is it running? "
                    "(`serialwatch db start`)"
                ) from e
            time.sleep(delay)
            delay = min(delay * 2, 2.0)


def read(
    cypher: LiteralString,
    params: Params | None = None,
    *,
    driver: Driver | None = None,
    timeout_s: float | None = None,
) -> list[dict[str, Any]]:
    """Run a read query in a read transaction (routed to a reader) with a timeout."""
    return _run(cypher, params, RoutingControl.READ, driver, timeout_s)


def read_columns(
    cypher: LiteralString,
    params: Params | None = None,
    *,
    driver: Driver | None = None,
    timeout_s: float | None = None,
) -> dict[str, Any]:
    """As `read`, for a query returning one row of large plain lists (a page of columns): the
    row's values as the driver decoded them, without the copy value by value `read` makes."""
    (record,) = _records(cypher, params, RoutingControl.READ, driver, timeout_s)
    return dict(record.items())


def write(
    cypher: LiteralString,
    params: Params | None = None,
    *,
    driver: Driver | None = None,
    timeout_s: float | None = None,
) -> list[dict[str, Any]]:
    """Run a write query in a write transaction (routed to the leader)."""
    return _run(cypher, params, RoutingControl.WRITE, driver, timeout_s)


def write_chunked(
    cypher: LiteralString,
    name: str,
    items: Sequence[Any],
    *,
    size: int,
    driver: Driver | None = None,
    timeout_s: float | None = None,
    side_by_side: int = 1,
) -> None:
    """Run a write once per chunk of `items` (at most `size`), passed as `$<name>`: one
    transaction a chunk, so a large list never becomes one huge transaction. With
    `side_by_side` > 1 that many chunks run at once: only for writes whose chunks touch
    disjoint nodes (else they wait on each other's locks)."""
    chunks = [items[start : start + size] for start in range(0, len(items), size)]

    def one(chunk: Sequence[Any]) -> None:
        write(cypher, {name: chunk}, driver=driver, timeout_s=timeout_s)

    if side_by_side <= 1 or len(chunks) <= 1:
        for chunk in chunks:
            one(chunk)
        return
    with ThreadPoolExecutor(side_by_side, thread_name_prefix="write-chunk") as pool:
        for done in [pool.submit(one, chunk) for chunk in chunks]:
            done.result()  # the first failure is raised


def _run(
    cypher: LiteralString,
    params: Params | None,
    routing: RoutingControl,
    driver: Driver | None,
    timeout_s: float | None,
) -> list[dict[str, Any]]:
    return [r.data() for r in _records(cypher, params, routing, driver, timeout_s)]


def _records(
    cypher: LiteralString,
    params: Params | None,
    routing: RoutingControl,
    driver: Driver | None,
    timeout_s: float | None,
) -> list[Record]:
    settings = get_settings()
    drv = driver or get_driver()
    query = Query(cypher, timeout=timeout_s or settings.query_timeout_s)
    try:
        records, _, _ = drv.execute_query(
            query, dict(params or {}), database_=settings.database, routing_=routing
        )
    except AuthError as e:
        raise AuthFailed("Neo4j refused the password: check NEO4J_USER / NEO4J_PASSWORD") from e
    except (ServiceUnavailable, SessionExpired) as e:
        raise DatabaseUnavailable("Neo4j is not reachable; is it running?") from e
    return records


def write_batched(
    cypher: LiteralString, params: Params | None = None, *, driver: Driver | None = None
) -> None:
    """Run a `CALL { ... } IN TRANSACTIONS` write, which needs an auto-commit transaction."""
    settings = get_settings()
    drv = driver or get_driver()
    try:
        with drv.session(database=settings.database) as session:
            session.run(cypher, dict(params or {})).consume()
    except (ServiceUnavailable, SessionExpired) as e:
        raise DatabaseUnavailable("Neo4j is not reachable; is it running?") from e
