"""Every personal-data read writes exactly one audit entry; the chain detects edits and
deletions (`serialwatch audit verify` exits non-zero); admins read it through the API."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from app.cli import cli
from app.security import audit
from tests.api.conftest import audit_count, password, showcase


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


def test_cli_users(api_env: Any) -> None:
    runner = CliRunner()
    r = runner.invoke(cli, ["users", "add", "temp.user", "--role", "caseworker"])
    assert r.exit_code == 0 and "password:" in r.output
    assert runner.invoke(cli, ["users", "add", "temp.user", "--role", "officer"]).exit_code == 1
    assert "temp.user" in runner.invoke(cli, ["users", "list"]).output
    assert runner.invoke(cli, ["users", "remove", "temp.user"]).exit_code == 0
    assert runner.invoke(cli, ["users", "remove", "temp.user"]).exit_code == 1
    admin = {"SERIALWATCH_USER": "admin", "SERIALWATCH_PASSWORD": password("admin")}
    assert runner.invoke(cli, ["audit", "list", "--purpose", "DPA check"], env=admin).exit_code == 0
    assert runner.invoke(cli, ["audit", "list", "--purpose", "DPA check"]).exit_code == 2


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


def last_entry() -> dict[str, Any]:
    return audit.entries(after=audit.count() - 1)[0]


def test_reading_the_audit_is_audited(client: TestClient, graph: Any, h: Any) -> None:
    client.get("/serial", headers=h("officer"))
    shown = client.get("/audit", params={"user": "officer"}, headers=h("admin", "DPA review"))
    entry = last_entry()
    assert (entry["user"], entry["action"], entry["resource"]) == ("admin", "read", "audit")
    assert entry["purpose"] == "DPA review" and entry["params"]["user"] == "officer"
    named = {i for e in shown.json() for i in e["identities"]}
    assert named and set(entry["identities"]) == named
    assert client.get("/audit", headers=h("admin", None)).status_code == 400  # a purpose, too
    client.get("/audit/verify", headers=h("admin"))
    assert (last_entry()["action"], last_entry()["outcome"]) == ("verify", "ok")
    admin = {"SERIALWATCH_USER": "admin", "SERIALWATCH_PASSWORD": password("admin")}
    result = CliRunner().invoke(
        cli, ["audit", "list", "--purpose", "subject access request"], env=admin
    )
    assert result.exit_code == 0, result.output
    entry = last_entry()
    assert entry["user"] == "admin" and entry["purpose"] == "subject access request"


def test_a_partners_probes_are_audited(client: TestClient, graph: Any, h: Any) -> None:
    case = showcase(graph)
    victim_key = sorted(case["pure"]["keys"])[0]
    for url in (f"/persons/{victim_key}", f"/persons/{victim_key}/neighbourhood"):
        r = client.get(url, headers=h("partner", "probe check"))
        assert r.status_code == 404, r.text
        entry = last_entry()
        assert (entry["user"], entry["outcome"]) == ("partner", "not-found")
        assert entry["params"] == {"person": victim_key} and entry["purpose"] == "probe check"
    r = client.get("/persons/NO-SUCH-KEY-1", headers=h("officer"))
    assert r.status_code == 404 and last_entry()["outcome"] == "not-found"
    r = client.post("/queries/shared_addresses/run", json={"params": {}}, headers=h("partner"))
    assert r.status_code == 403
    entry = last_entry()
    assert (entry["outcome"], entry["resource"]) == ("refused", "query:shared_addresses")


def test_adhoc_results_are_audited_with_the_identities_they_return(
    client: TestClient, graph: Any, h: Any
) -> None:
    from graph.driver import read

    statement = (
        "MATCH (p:Person) WITH p ORDER BY p.person_key LIMIT 4 "
        "RETURN p.person_key AS k, [p.person_key] AS ks, p.full_name AS who"
    )
    r = client.post("/cypher", json={"cypher": statement}, headers=h("analyst"))
    assert r.status_code == 200, r.text
    keys = [row["k"] for row in r.json()["rows"]]
    expected = read(
        "MATCH (p:Person)-[:RESOLVES_TO]->(i:Identity) WHERE p.person_key IN $keys "
        "RETURN collect(DISTINCT i.identity_id) AS ids",
        {"keys": keys},
        driver=graph,
    )[0]["ids"]
    entry = last_entry()
    assert entry["resource"] == "cypher" and len(expected) >= 1
    assert sorted(entry["identities"]) == sorted(expected)


def test_the_briefing_pdf_export_is_audited(graph: Any, api_env: Any) -> None:
    from app.security.roles import Role
    from app.security.users import User
    from app.services.door import Access
    from dashboards import data

    case = showcase(graph)
    who = Access(User("caseworker", Role.caseworker), "MAPPA+ meeting 3 March")
    brief = data.briefing(who, case["perp"])
    before = audit.count()
    body = data.briefing_pdf(who, brief)
    assert body[:5] == b"%PDF-" and audit.count() == before + 1
    entry = last_entry()
    assert (entry["action"], entry["resource"]) == ("export", "briefing.pdf")
    assert case["perp"] in entry["identities"]
    assert set(case["victims"]) <= set(entry["identities"])
