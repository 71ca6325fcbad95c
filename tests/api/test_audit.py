"""Every personal-data read writes exactly one audit entry; the chain detects edits and
deletions (`serialwatch audit verify` exits non-zero); admins read it through the API."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from app.cli import cli
from app.security import audit
from app.security.store import db_path
from tests.api.conftest import audit_count, showcase


def reads(perp: str) -> list[tuple[str, str, dict[str, Any], str]]:
    return [
        ("GET", "/persons", {"params": {"name": "Smith"}}, "search"),
        ("GET", f"/persons/{perp}", {}, "profile"),
        ("GET", f"/persons/{perp}/neighbourhood", {}, "query:neighbourhood"),
        ("GET", "/paths", {"params": {"a": perp, "b": perp}}, "query:shortest_path"),
        ("GET", "/serial", {}, "query:serial_perpetrators"),
        ("GET", "/rfgv", {}, "query:rfgv_ranking"),
        ("GET", f"/persons/{perp}/disclosure", {}, "query:disclosure_check"),
        (
            "POST",
            "/queries/victim_chain/run",
            {"json": {"params": {"person": perp}}},
            "query:victim_chain",
        ),
        (
            "POST",
            "/exports/queries/victim_chain.csv",
            {"json": {"params": {"person": perp}}},
            "query:victim_chain",
        ),
        ("GET", f"/exports/persons/{perp}/neighbourhood.json", {}, "query:neighbourhood"),
        ("GET", f"/exports/persons/{perp}/neighbourhood.graphml", {}, "query:neighbourhood"),
        (
            "POST",
            "/cypher",
            {"json": {"cypher": "MATCH (i:Identity) RETURN i.identity_id AS identity_id LIMIT 3"}},
            "cypher",
        ),
    ]


def test_one_entry_per_read(client: TestClient, graph: Any, h: Any) -> None:
    perp = showcase(graph)["perp"]
    for method, url, kw, resource in reads(perp):
        before = audit_count()
        purpose = f"case review {url}"
        r = client.request(method, url, headers=h("analyst", purpose), **kw)
        assert r.status_code == 200, (url, r.text[:200])
        assert audit_count() == before + 1, url
        entry = audit.entries(after=before)[0]
        assert entry["user"] == "analyst" and entry["role"] == "analyst"
        assert entry["purpose"] == purpose and entry["resource"] == resource
        assert entry["outcome"] == "ok"
        if perp in url or perp in str(kw):
            assert perp in entry["identities"]
        if "export" in url:
            assert entry["action"] == "export"


def test_refusals_are_audited_and_no_purpose_reads_nothing(
    client: TestClient, graph: Any, h: Any
) -> None:
    before = audit_count()
    assert (
        client.post("/cypher", json={"cypher": "RETURN 1"}, headers=h("officer")).status_code == 403
    )
    assert audit.entries(after=before)[0]["outcome"] == "refused"
    before = audit_count()
    assert client.get("/serial", headers=h("officer", None)).status_code == 400
    assert audit_count() == before


def test_admin_reads_and_verifies_over_the_api(client: TestClient, graph: Any, h: Any) -> None:
    client.get("/serial", headers=h("officer"))
    entries = client.get("/audit", params={"user": "officer"}, headers=h("admin")).json()
    assert entries and all(e["user"] == "officer" for e in entries)
    assert client.get("/audit/verify", headers=h("admin")).json()["ok"] is True
    assert client.get("/audit", headers=h("analyst")).status_code == 403


def _tamper(sql: str, *args: Any) -> None:
    conn = sqlite3.connect(db_path(), isolation_level=None)
    conn.execute("DROP TRIGGER IF EXISTS audit_no_update")
    conn.execute("DROP TRIGGER IF EXISTS audit_no_delete")
    conn.execute(sql, args)
    conn.close()


@pytest.mark.parametrize(
    "attack",
    [
        ("UPDATE audit SET purpose = 'nothing to see' WHERE seq = ?", "altered"),
        ("DELETE FROM audit WHERE seq = ?", "missing"),
        ("DELETE FROM audit WHERE seq >= ?", "removed"),
    ],
)
def test_verify_detects_tampering(
    attack: tuple[str, str], client: TestClient, graph: Any, h: Any, api_env: Any
) -> None:
    runner = CliRunner()
    for _ in range(3):
        client.get("/serial", headers=h("officer"))
    ok = runner.invoke(cli, ["audit", "verify"])
    assert ok.exit_code == 0, ok.output
    backup = sqlite3.connect(":memory:")
    with sqlite3.connect(db_path()) as live:
        live.backup(backup)
    sql, word = attack
    try:
        refused = sqlite3.connect(db_path(), isolation_level=None)
        with pytest.raises(sqlite3.DatabaseError):  # the triggers refuse it in the first place
            refused.execute("DELETE FROM audit")
        refused.close()
        _tamper(sql, audit.count() - 1)
        result = runner.invoke(cli, ["audit", "verify"])
        assert result.exit_code == 1
        assert word in result.output
        assert client.get("/audit/verify", headers=h("admin")).json()["ok"] is False
    finally:
        with sqlite3.connect(db_path()) as live:
            backup.backup(live)
    assert runner.invoke(cli, ["audit", "verify"]).exit_code == 0


def test_cli_users(api_env: Any) -> None:
    runner = CliRunner()
    r = runner.invoke(cli, ["users", "add", "temp.user", "--role", "caseworker"])
    assert r.exit_code == 0 and "password:" in r.output
    assert runner.invoke(cli, ["users", "add", "temp.user", "--role", "officer"]).exit_code == 1
    assert "temp.user" in runner.invoke(cli, ["users", "list"]).output
    assert runner.invoke(cli, ["users", "remove", "temp.user"]).exit_code == 0
    assert runner.invoke(cli, ["users", "remove", "temp.user"]).exit_code == 1
    assert runner.invoke(cli, ["audit", "list"]).exit_code == 0


def _append_many(env: dict[str, str], n: int) -> list[int]:
    """Another process appending to the same trail (as a second uvicorn worker would)."""
    import os

    from app.settings import get_api_settings

    os.environ.update(env)
    get_api_settings.cache_clear()
    return [_append(f"worker {os.getpid()}") for _ in range(n)]


def _append(user: str) -> int:
    return audit.append(
        user=user,
        role="officer",
        purpose="concurrency check",
        action="read",
        resource="test",
        params={"n": 1},
        identities=["I-TEST"],
    )


def test_concurrent_appends_keep_one_whole_chain(api_env: Any) -> None:
    """Group commit: many threads and three other processes at once; every caller gets its own
    sequence number back, nothing is lost, and the chain still verifies."""
    import os
    from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

    before = audit.count()
    env = {k: v for k, v in os.environ.items() if k.startswith("SERIALWATCH_")}
    with ProcessPoolExecutor(3) as procs, ThreadPoolExecutor(16) as threads:
        remote = [procs.submit(_append_many, env, 60) for _ in range(3)]
        local = list(threads.map(lambda i: _append(f"thread {i % 16}"), range(160)))
        seqs = local + [s for f in remote for s in f.result()]
    assert len(seqs) == len(set(seqs)) == 340
    assert audit.count() == before + 340
    assert set(seqs) == set(range(before + 1, before + 341))
    verdict = audit.verify()
    assert verdict.ok, verdict.problems
