"""`GET /paths`: a shortest path step by step, and a search stopped by its budget answering how
far it searched (no path within that many steps) instead of walking the whole graph."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from neo4j import Driver

from tests.api.conftest import showcase


def test_a_search_stopped_by_its_budget_says_how_far_it_searched(
    client: TestClient, graph: Driver, h: Any
) -> None:
    who = showcase(graph)
    ends = {"a": who["perp"], "b": who["victims"][0]}
    found = client.get("/paths", params=ends, headers=h("analyst")).json()
    assert found["found"] and found["searched"] == found["length"] >= 2
    assert found["note"] is None and len(found["steps"]) == found["length"] + 1
    stopped = client.get("/paths", params={**ends, "budget": 1}, headers=h("analyst"))
    body = stopped.json()
    assert stopped.status_code == 200 and not body["found"] and body["steps"] == []
    assert body["length"] is None and body["searched"] < found["length"]
    assert body["note"] == (
        f"no path within {body['searched']} step{'s' * (body['searched'] != 1)}"
        " (the search stopped at its budget)"
    )
    none = client.get("/paths", params={**ends, "max_hops": 1}, headers=h("analyst")).json()
    assert (none["found"], none["searched"], none["note"]) == (False, 1, "no path within 1 step")
    bad = client.get("/paths", params={**ends, "budget": 0}, headers=h("analyst"))
    assert bad.status_code in (400, 422) and "budget" in bad.text
