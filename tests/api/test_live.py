"""Against a real uvicorn on 127.0.0.1: login and a read over HTTP; then Neo4j stopped under it
answers 503 (quickly, readable, no trace) and the service recovers by itself when Neo4j is back.
Runs last in this package: it restarts the suite's Neo4j."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import uvicorn

from tests.api.conftest import password, showcase


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def live(api_env: Any, graph: Any) -> Iterator[str]:
    from app.main import create_app

    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def _wait_for(url: str, headers: dict[str, str], status: int, timeout_s: float) -> float:
    began = time.monotonic()
    while time.monotonic() - began < timeout_s:
        r = httpx.get(url, headers=headers, timeout=30)
        if r.status_code == status:
            return time.monotonic() - began
        time.sleep(0.5)
    raise AssertionError(f"{url} never answered {status}")


def test_outage_gives_503_then_recovers(live: str, graph: Any, neo4j_server: Any) -> None:
    perp = showcase(graph)["perp"]
    assert httpx.get(f"{live}/healthz").json()["status"] == "ok"
    token = httpx.post(
        f"{live}/token", data={"username": "officer", "password": password("officer")}
    ).json()
    headers = {"Authorization": f"Bearer {token['access_token']}", "X-Purpose": "live test"}
    url = f"{live}/persons/{perp}"
    assert httpx.get(url, headers=headers, timeout=30).status_code == 200
    neo4j_server.stop()
    try:
        began = time.monotonic()
        r = httpx.get(url, headers=headers, timeout=60)
        assert r.status_code == 503, r.text
        assert time.monotonic() - began < 20  # fails fast, does not hang the caller
        assert r.json() == {"detail": "the database is unavailable; try again shortly"}
        assert r.headers["retry-after"] == "5"
        assert httpx.get(f"{live}/readyz").status_code == 503
        assert httpx.get(f"{live}/healthz").status_code == 200
    finally:
        neo4j_server.start()
    _wait_for(f"{live}/readyz", {}, 200, 120)
    _wait_for(url, headers, 200, 60)
