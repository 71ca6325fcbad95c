"""Hostile or unlucky requests get a readable 4xx, or a 503 for the database, never a 500:
JSON nested hundreds deep (the API and the Dash explorer), and a Bolt connection killed while
a query runs (a saved query through graph.runner, and ad-hoc Cypher)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from neo4j import GraphDatabase

from app.api.limits import MAX_JSON_DEPTH, json_depth
from graph.registry import get_library
from graph.settings import get_settings

MARKER = "killme_7c1f"
SLOW = f"UNWIND range(1, 400000000) AS x WITH x WHERE x % 7 = 99 AND '{MARKER}' <> '' "
SLOW += "RETURN count(x) AS n"


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 900, 20_000])
@pytest.mark.parametrize(
    "path,template,content_type",
    [
        ("/cypher", '{"cypher": "RETURN 1", "params": {"x": %s}}', "application/json"),
        ("/cypher", '{"cypher": "RETURN 1", "params": {"x": %s}}', None),
        (
            "/ui/_dash-update-component",
            '{"output": "x.children", "inputs": %s}',
            "application/json",
        ),
        ("/queries/victim_chain/run", '{"params": {"person": %s}}', "application/json"),
    ],
)
def test_deeply_nested_json_is_a_400(
    depth: int, path: str, template: str, content_type: str | None, client: TestClient, h: Any
) -> None:
    headers = h("analyst")
    if content_type:
        headers["content-type"] = content_type
    r = client.post(path, content=(template % nested(depth)).encode(), headers=headers)
    assert r.status_code == 400, r.text[:300]
    assert r.json() == {"detail": f"the JSON body is nested deeper than {MAX_JSON_DEPTH} levels"}


def test_nesting_up_to_the_limit_and_brackets_in_strings_pass(client: TestClient, h: Any) -> None:
    inner = nested(MAX_JSON_DEPTH - 2)  # the body and `params` take two levels
    r = client.post(
        "/cypher",
        json={"cypher": "RETURN size($x) AS n, $s AS s", "params": {"x": [], "s": "[" * 5000}},
        headers=h("analyst"),
    )
    assert r.status_code == 200, r.text[:300]
    body = '{"cypher": "RETURN 1 AS one", "params": {"x": ' + inner + "}}"
    assert json_depth(body.encode()) == MAX_JSON_DEPTH
    r = client.post(
        "/cypher", content=body, headers={**h("analyst"), "content-type": "application/json"}
    )
    assert r.status_code != 400 or "nested" not in r.text, r.text[:300]
    assert r.status_code < 500


def test_json_depth_ignores_escaped_quotes_in_strings() -> None:
    assert json_depth(b'{"a": "x\\"[[[[", "b": [[1]]}') == 3
    assert json_depth(b"not json at all") == 0


class Killer:
    """Kills, from a second driver, every Bolt connection running a query with MARKER in it,
    until stopped: a connection lost mid-query, however often the caller retries."""

    def __init__(self) -> None:
        s = get_settings()
        self.driver = GraphDatabase.driver(s.uri, auth=(s.user, s.password()))
        self.done = threading.Event()
        self.killed = 0
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self.done.wait(0.3):
            rows, _, _ = self.driver.execute_query(
                "SHOW TRANSACTIONS YIELD connectionId, currentQuery "
                "WHERE currentQuery CONTAINS $m AND NOT currentQuery STARTS WITH 'SHOW' "
                "RETURN connectionId",
                m=MARKER,
            )
            for row in rows:
                self.driver.execute_query("CALL dbms.killConnection($c)", c=row["connectionId"])
                self.killed += 1

    def __enter__(self) -> Killer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.done.set()
        self.thread.join()
        self.driver.close()


@pytest.fixture
def slow_query(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A saved query that runs for minutes, in the process's library for one test."""
    (tmp_path / "slow_marked.cypher").write_text(
        "// name: slow_marked\n// title: Slow\n// description: Spins.\n// audience: analyst\n"
        "// mode: read\n// scope: population\n// returns: one row\n" + SLOW + "\n"
    )
    monkeypatch.setenv("SERIALWATCH_QUERY_DIRS", str(tmp_path))
    get_settings.cache_clear()
    get_library.cache_clear()
    yield "slow_marked"
    monkeypatch.undo()
    get_settings.cache_clear()
    get_library.cache_clear()


def test_a_saved_query_whose_connection_is_killed_is_a_503(
    client: TestClient, graph: Any, h: Any, slow_query: str
) -> None:
    with Killer() as killer:
        r = client.post(f"/queries/{slow_query}/run", json={}, headers=h("analyst"))
    assert killer.killed >= 1
    assert r.status_code == 503, r.text[:300]
    assert "Traceback" not in r.text and r.json()["detail"]


def test_ad_hoc_cypher_whose_connection_is_killed_is_a_503(
    client: TestClient, graph: Any, h: Any
) -> None:
    with Killer() as killer:
        r = client.post("/cypher", json={"cypher": SLOW}, headers=h("analyst"))
    assert killer.killed >= 1
    assert r.status_code == 503, r.text[:300]
    assert r.json()["detail"]


@pytest.mark.parametrize(
    "body",
    [
        "{}",
        "[]",
        '"x"',
        "not json",
        '{"output": 1}',
        '{"output": []}',
        '{"output": "x.children", "inputs": 5}',
        '{"output": "nope.children", "outputs": {"id": "nope", "property": "children"}, '
        '"inputs": [], "changedPropIds": []}',
        '{"output": "sw-who.children", "outputs": {"id": "sw-who", "property": "children"}, '
        '"inputs": [{"idx": "sw-session"}], "changedPropIds": []}',
    ],
)
def test_malformed_dash_callback_requests_are_a_400(body: str, client: TestClient) -> None:
    r = client.post(
        "/ui/_dash-update-component", content=body, headers={"content-type": "application/json"}
    )
    assert r.status_code == 400, r.text[:300]
    assert r.json() == {"detail": "not a request for one of this explorer's callbacks"}


def test_a_well_formed_dash_callback_request_still_answers(client: TestClient) -> None:
    from dashboards.components.session import STORE

    body = {
        "output": "..sw-who.children...sw-nav.style..",
        "outputs": [
            {"id": "sw-who", "property": "children"},
            {"id": "sw-nav", "property": "style"},
        ],
        "inputs": [{"id": STORE, "property": "data", "value": None}],
        "changedPropIds": [f"{STORE}.data"],
    }
    r = client.post("/ui/_dash-update-component", json=body)
    assert r.status_code == 200, r.text[:300]
    assert r.json()["response"]["sw-nav"]["style"] == {"display": "none"}  # logged out


@pytest.mark.parametrize("value", [2**63, -(2**63) - 1, [1, {"x": 2**64}]])
def test_an_integer_beyond_64_bits_is_a_422(value: Any, client: TestClient, h: Any) -> None:
    r = client.post(
        "/cypher", json={"cypher": "RETURN $x AS x", "params": {"x": value}}, headers=h("analyst")
    )
    assert r.status_code == 422, r.text[:300]
    assert "64-bit" in r.json()["detail"]
    r = client.post(
        "/queries/shortest_path/run",
        json={"params": {"a": "ID:X", "b": "ID:Y", "max_hops": 2**63}},
        headers=h("analyst"),
    )
    assert r.status_code == 422 and "64-bit" in r.text, r.text[:300]
