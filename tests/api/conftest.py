"""API test fixtures: a synthetic graph in the suite's Neo4j, one user per role, the app under
FastAPI's TestClient, and helpers for headers. Users and the audit trail go to a temporary
SQLite file; the signing secret is a random one for this run."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from neo4j import Driver

from graph.driver import read
from tests.stores import trail_env

ROLES = ("officer", "analyst", "caseworker", "partner", "admin")
PEOPLE = 1000
SEED = 11


def password(role: str) -> str:
    return f"pw-{role}-synthetic-only"


@pytest.fixture(scope="session")
def api_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Users, audit trail and secret of this run, apart from any real installation."""
    from app.security import users
    from app.settings import get_api_settings

    folder = tmp_path_factory.mktemp("api")
    env = trail_env(folder)
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    get_api_settings.cache_clear()
    for role in ROLES:
        users.add(role, role, password(role))
    yield folder
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    get_api_settings.cache_clear()


_loaded: dict[str, Any] = {}


@pytest.fixture
def graph(neo4j_server: Any, tmp_path_factory: pytest.TempPathFactory) -> Driver:
    """The synthetic graph, (re)loaded when another test module has wiped it."""
    from graph.driver import get_driver
    from ingest.synth import synthesize
    from ingest.transactional import load_delivery
    from tests.conftest import wipe

    driver = get_driver()
    count = read("MATCH (p:Person) RETURN count(p) AS n", driver=driver)[0]["n"]
    if count != _loaded.get("persons"):
        wipe(driver)
        out = tmp_path_factory.mktemp("delivery")
        synthesize(people=PEOPLE, seed=SEED, out=out)
        load_delivery(out, driver, baseline=False)  # every finding in the inbox, as before
        _loaded["persons"] = read("MATCH (p:Person) RETURN count(p) AS n", driver=driver)[0]["n"]
    return driver


@pytest.fixture(scope="session")
def client(api_env: Path, neo4j_server: Any) -> Iterator[TestClient]:
    from app.main import create_app

    with TestClient(create_app(), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(scope="session")
def tokens(client: TestClient) -> dict[str, str]:
    out = {}
    for role in ROLES:
        r = client.post("/token", data={"username": role, "password": password(role)})
        assert r.status_code == 200, r.text
        out[role] = r.json()["access_token"]
    return out


@pytest.fixture
def h(tokens: dict[str, str]) -> Any:
    """Headers for a role, with a stated purpose unless `purpose=None`."""

    def headers(role: str, purpose: str | None = "synthetic test case 1") -> dict[str, str]:
        out = {"Authorization": f"Bearer {tokens[role]}"}
        if purpose is not None:
            out["X-Purpose"] = purpose
        return out

    return headers


def showcase(driver: Driver) -> dict[str, Any]:
    """The perpetrator with the most victims, and what must never reach a partner about them."""
    rows = read(
        """
        MATCH (i:Identity)<-[:RESOLVES_TO]-(:Person)-[:SUSPECT_IN|OFFENDER_IN]->(n:Incident)
              <-[:VICTIM_IN]-(:Person)-[:RESOLVES_TO]->(v:Identity)
        WHERE n.da_related AND v <> i
        WITH i, collect(DISTINCT v) AS vs ORDER BY size(vs) DESC, i.identity_id LIMIT 1
        UNWIND vs AS v
        MATCH (v)<-[:RESOLVES_TO]-(p:Person)
        OPTIONAL MATCH (p)-[:RESIDED_AT]->(a:Address)
        RETURN i.identity_id AS perp, v.identity_id AS victim,
               EXISTS { (v)<-[:RESOLVES_TO]-(:Person)-[:SUSPECT_IN|OFFENDER_IN|SUBJECT_OF]->() }
                 AS also_perp,
               collect(DISTINCT p.full_name) AS names,
               collect(DISTINCT toString(p.date_of_birth)) AS dobs,
               collect(DISTINCT a.postcode) AS postcodes,
               collect(DISTINCT p.person_key) AS keys
        """,
        driver=driver,
    )
    pure = [r for r in rows if not r["also_perp"]]
    return {
        "perp": rows[0]["perp"],
        "pure": {  # victims who are not perpetrators themselves: never named anywhere
            "names": {n for r in pure for n in r["names"] if n},
            "dobs": {d for r in pure for d in r["dobs"] if d},
            "postcodes": {p for r in pure for p in r["postcodes"] if p},
            "keys": {k for r in pure for k in r["keys"]},
        },
        "victims": [r["victim"] for r in rows],
        "names": {n for r in rows for n in r["names"] if n},
        "dobs": {d for r in rows for d in r["dobs"] if d},
        "postcodes": {p for r in rows for p in r["postcodes"] if p},
        "keys": {k for r in rows for k in r["keys"]},
    }


def audit_count() -> int:
    from app.security import audit

    return audit.count()
