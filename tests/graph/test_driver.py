"""The connection layer against the real server: round trips, routing, clear errors."""

from __future__ import annotations

import pytest
from neo4j import Driver
from neo4j.exceptions import ClientError

from graph.driver import make_driver, read, wait_until_ready, write, write_batched
from graph.errors import AuthFailed, DatabaseUnavailable
from graph.settings import Settings, get_settings


def test_write_then_read_round_trip(db: Driver) -> None:
    write(
        "CREATE (:Agency {agency_code: $c, name: $n})", {"c": "TST", "n": "Test Force"}, driver=db
    )
    rows = read("MATCH (a:Agency {agency_code: $c}) RETURN a.name AS name", {"c": "TST"}, driver=db)
    assert rows == [{"name": "Test Force"}]


def test_read_runs_in_a_read_transaction(db: Driver) -> None:
    """A read routed as a read: the server refuses a write inside it."""
    with pytest.raises(ClientError, match="(?i)read"):
        read("CREATE (:Agency {agency_code: 'NOPE'})", driver=db)
    assert read("MATCH (a:Agency {agency_code: 'NOPE'}) RETURN a", driver=db) == []


def test_routing_and_direct_uris_both_work(neo4j_server: object) -> None:
    base = get_settings()
    for scheme in ("neo4j", "bolt"):
        settings = base.model_copy(update={"uri": f"{scheme}://127.0.0.1:{base.bolt_port}"})
        driver = make_driver(settings)
        try:
            wait_until_ready(driver, timeout_s=10)
            assert read("RETURN 1 AS one", driver=driver) == [{"one": 1}]
        finally:
            driver.close()


def test_wrong_password_is_a_clear_error_at_once(neo4j_server: object) -> None:
    settings = Settings(NEO4J_PASSWORD="not-the-password", NEO4J_BOLT_PORT=get_settings().bolt_port)
    driver = make_driver(settings)
    try:
        with pytest.raises(AuthFailed, match="refused the password"):
            wait_until_ready(driver, timeout_s=30)
    finally:
        driver.close()


def test_unreachable_server_times_out_with_a_clear_error() -> None:
    settings = Settings(NEO4J_PASSWORD="x", NEO4J_BOLT_PORT=1)
    driver = make_driver(settings)
    try:
        with pytest.raises(DatabaseUnavailable, match="is it running"):
            wait_until_ready(driver, timeout_s=1)
    finally:
        driver.close()


def test_a_routing_uri_reads_and_writes_through_the_project_driver(neo4j_server: object) -> None:
    """`NEO4J_URI=neo4j://...` as a deployment sets it: the driver fetches the routing table
    (the server names itself writer, reader and router) and the project's own `write`,
    `write_batched` and `read` go through it."""
    base = get_settings()
    settings = Settings(
        NEO4J_URI=f"neo4j://127.0.0.1:{base.bolt_port}", NEO4J_PASSWORD=base.password()
    )
    assert settings.uri.startswith("neo4j://")
    driver = make_driver(settings)
    try:
        wait_until_ready(driver, timeout_s=10)
        table = read("CALL dbms.routing.getRoutingTable({}, $db)", {"db": base.database},
                     driver=driver)  # fmt: skip
        roles = {s["role"] for s in table[0]["servers"]}
        assert roles == {"WRITE", "READ", "ROUTE"}
        write("MERGE (:Agency {agency_code: $c, name: $n})", {"c": "RTE", "n": "Routed"},
              driver=driver)  # fmt: skip
        write_batched(
            "MATCH (a:Agency {agency_code: $c}) CALL (a) { SET a.routed = true } "
            "IN TRANSACTIONS OF 10 ROWS",
            {"c": "RTE"},
            driver=driver,
        )
        rows = read("MATCH (a:Agency {agency_code: $c}) RETURN a.name AS name, a.routed AS r",
                    {"c": "RTE"}, driver=driver)  # fmt: skip
        assert rows == [{"name": "Routed", "r": True}]
    finally:
        write("MATCH (a:Agency {agency_code: $c}) DETACH DELETE a", {"c": "RTE"}, driver=driver)
        driver.close()
