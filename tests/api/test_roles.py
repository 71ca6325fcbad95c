"""Each role's permissions, allowed and refused, on every resource; 401 and 400 paths."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import ROLES, showcase

ALLOWED = {
    "search": {"officer", "analyst", "caseworker", "partner"},
    "profile": {"officer", "analyst", "caseworker", "partner"},
    "neighbourhood": {"officer", "analyst", "caseworker", "partner"},
    "path": {"officer", "analyst", "caseworker", "partner"},
    "queries": {"officer", "analyst", "caseworker", "partner"},
    "run": {"officer", "analyst", "caseworker", "partner"},
    "shared_addresses": {"officer", "analyst", "caseworker"},
    "serial": {"officer", "analyst", "caseworker", "partner"},
    "rfgv": {"officer", "analyst", "caseworker", "partner"},
    "disclosure": {"officer", "analyst", "caseworker"},
    "csv": {"officer", "analyst", "caseworker", "partner"},
    "graphml": {"officer", "analyst", "caseworker", "partner"},
    "cypher": {"analyst"},
    "audit": {"admin"},
    "users": {"admin"},
}


def calls(perp: str) -> dict[str, tuple[str, str, dict[str, Any]]]:
    return {
        "search": ("GET", "/persons", {"params": {"name": "Smith"}}),
        "profile": ("GET", f"/persons/{perp}", {}),
        "neighbourhood": ("GET", f"/persons/{perp}/neighbourhood", {}),
        "path": ("GET", "/paths", {"params": {"a": perp, "b": perp}}),
        "queries": ("GET", "/queries", {}),
        "run": ("POST", "/queries/victim_chain/run", {"json": {"params": {"person": perp}}}),
        "shared_addresses": ("POST", "/queries/shared_addresses/run", {"json": {}}),
        "serial": ("GET", "/serial", {}),
        "rfgv": ("GET", "/rfgv", {}),
        "disclosure": ("GET", f"/persons/{perp}/disclosure", {}),
        "csv": ("POST", "/exports/queries/serial_perpetrators.csv", {"json": {}}),
        "graphml": ("GET", f"/exports/persons/{perp}/neighbourhood.graphml", {}),
        "cypher": ("POST", "/cypher", {"json": {"cypher": "MATCH (n:Agency) RETURN n.name"}}),
        "audit": ("GET", "/audit", {}),
        "users": ("GET", "/users", {}),
    }


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(role: str, client: TestClient, graph: Any, h: Any) -> None:
    perp = showcase(graph)["perp"]
    for resource, (method, url, kw) in calls(perp).items():
        r = client.request(method, url, headers=h(role), **kw)
        expected = 200 if role in ALLOWED[resource] else 403
        assert r.status_code == expected, (role, resource, r.status_code, r.text[:200])
        if expected == 403:
            assert role in r.json()["detail"]


def test_upload_is_admin_only(client: TestClient, graph: Any, h: Any) -> None:
    for role in ("officer", "analyst", "caseworker", "partner"):
        r = client.post("/uploads", headers=h(role), files={"file": ("d.zip", b"PK", "x")})
        assert r.status_code == 403


def test_review_queue_roles(client: TestClient, graph: Any, h: Any) -> None:
    for role in ("officer", "partner", "admin"):
        assert client.get("/review", headers=h(role)).status_code == 403
    # analysts and caseworkers reach the queue (503 only while ingest.resolve.review is absent)
    for role in ("analyst", "caseworker"):
        assert client.get("/review", headers=h(role)).status_code in (200, 503)


def test_no_token_is_401(client: TestClient, graph: Any) -> None:
    r = client.get("/persons", params={"name": "Smith"}, headers={"X-Purpose": "a test"})
    assert r.status_code == 401
    assert r.headers["www-authenticate"] == "Bearer"
    assert client.get("/serial", headers={"Authorization": "Bearer nonsense"}).status_code == 401


def test_wrong_password_is_401(client: TestClient) -> None:
    for user, pw in (("officer", "wrong-password-x"), ("nobody", "wrong-password-x")):
        r = client.post("/token", data={"username": user, "password": pw})
        assert r.status_code == 401
        assert r.json() == {"detail": "wrong user name or password"}


def test_purpose_is_required(client: TestClient, graph: Any, h: Any) -> None:
    perp = showcase(graph)["perp"]
    for purpose in (None, "", "  ", "x"):
        r = client.get(f"/persons/{perp}", headers=h("officer", purpose))
        assert r.status_code == 400, purpose
        assert "X-Purpose" in r.json()["detail"]


def test_errors_are_readable_json(client: TestClient, graph: Any, h: Any) -> None:
    r = client.get("/persons/ID:NOBODY", headers=h("officer"))
    assert r.status_code == 404 and isinstance(r.json()["detail"], str)
    r = client.get("/persons/x/neighbourhood", params={"hops": 9}, headers=h("officer"))
    assert r.status_code == 422 and "hops" in r.json()["detail"]
    r = client.post("/queries/no_such_query/run", json={}, headers=h("officer"))
    assert r.status_code == 404
    r = client.post("/queries/victim_chain/run", json={"params": {"nope": 1}}, headers=h("officer"))
    assert r.status_code == 422 and "nope" in r.json()["detail"]
    r = client.post("/users", json={"name": "officer", "role": "officer"}, headers=h("admin"))
    assert r.status_code == 409
    r = client.get("/persons", headers=h("officer"))
    assert r.status_code == 422


def test_partner_cannot_centre_on_a_victim(client: TestClient, graph: Any, h: Any) -> None:
    from app.services.door import resolve

    case = showcase(graph)
    victim = next(v for v in case["victims"] if not resolve(v, graph)[1])
    for url in (f"/persons/{victim}", f"/persons/{victim}/neighbourhood"):
        assert client.get(url, headers=h("partner")).status_code == 404
        assert client.get(url, headers=h("officer")).status_code == 200
