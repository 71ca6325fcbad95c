"""The link chart leaves serialwatch in the analysts' own formats: GraphML (read back here by
networkx) and i2 ANX (read back by a small reader of its own), from the API, the CLI and the
service, through the one door: role checked, a partner's file redacted, every export audited."""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path
from typing import Any

import networkx as nx
from fastapi.testclient import TestClient
from neo4j import Driver

from app.security import audit
from app.security.users import get as get_user
from app.services import chart_formats, network
from app.services.door import Access
from graph.driver import read
from tests.api.anx_reader import read_anx
from tests.api.conftest import audit_count, showcase
from tests.api.test_cli import PURPOSE, sw

OPENING = {"hops": 2, "limit": 1000}


def _get(client: TestClient, headers: dict[str, str], perp: str, fmt: str) -> str:
    r = client.get(f"/exports/persons/{perp}/neighbourhood.{fmt}", headers=headers, params=OPENING)
    assert r.status_code == 200, r.text[:300]
    return r.text


def _edges(chart: dict[str, Any]) -> Counter[tuple[str, str, str]]:
    return Counter((e["source"], e["target"], e["type"]) for e in chart["edges"])


def test_graphml_reads_back_as_the_chart(client: TestClient, graph: Driver, h: Any) -> None:
    case = showcase(graph)
    chart = _get_json(client, h("analyst"), case["perp"])
    g = nx.read_graphml(io.BytesIO(_get(client, h("analyst"), case["perp"], "graphml").encode()))
    assert set(g.nodes) == {n["id"] for n in chart["nodes"]}
    assert Counter((a, b, d["type"]) for a, b, d in g.edges(data=True)) == _edges(chart)
    for n in chart["nodes"]:
        got = g.nodes[n["id"]]
        for field in ("label", "caption", "agency_code", "identity_id"):
            assert got.get(field) == n.get(field), (n["id"], field)
        assert int(got["hops"]) == n["hops"]
        keys = ";".join(n["record_keys"]) if n.get("record_keys") else None
        assert got.get("record_keys") == keys
        assert got.get("date") == (str(n["date"]) if n.get("date") else None)
        assert isinstance(got["x"], float) and isinstance(got["y"], float)
    # roles: he is the perpetrator, every one of his victims who is not one herself a victim
    assert g.nodes[case["perp"]]["role"] == "perpetrator"
    pure = {v for v in case["victims"] if v in g.nodes} - _perpetrators(graph, case["victims"])
    assert pure and all(g.nodes[v]["role"] == "victim" for v in pure)


def _get_json(client: TestClient, headers: dict[str, str], perp: str) -> dict[str, Any]:
    r = client.get(f"/exports/persons/{perp}/neighbourhood.json", headers=headers, params=OPENING)
    assert r.status_code == 200, r.text[:300]
    out: dict[str, Any] = r.json()
    return out


def _perpetrators(driver: Driver, ids: list[str]) -> set[str]:
    rows = read(
        """
        MATCH (i:Identity)<-[:RESOLVES_TO]-(:Person)-[:SUSPECT_IN|OFFENDER_IN|SUBJECT_OF]->()
        WHERE i.identity_id IN $ids RETURN DISTINCT i.identity_id AS id
        """,
        {"ids": ids},
        driver=driver,
    )
    return {r["id"] for r in rows}


def test_anx_follows_i2_structure_and_round_trips(
    client: TestClient, graph: Driver, h: Any
) -> None:
    case = showcase(graph)
    chart = _get_json(client, h("analyst"), case["perp"])
    text = _get(client, h("analyst"), case["perp"], "anx")
    assert text.startswith("<?xml")
    got = read_anx(text)
    assert set(got.entities) == {n["id"] for n in chart["nodes"]}
    assert Counter((x["source"], x["target"], x["type"]) for x in got.links) == _edges(chart)
    nodes = {n["id"]: n for n in chart["nodes"]}
    for key, e in got.entities.items():
        n = nodes[key]
        assert e["label"] == (n["caption"] or key)
        assert e["attributes"]["label"] == n["label"]
        if n["label"] == "Incident":
            assert e["icon"] == "Incident"
        if n.get("date"):
            assert str(e["date"]).startswith(str(n["date"])[:10])
    assert got.entities[case["perp"]]["icon"] == "Offender"
    pure = {v for v in case["victims"] if v in got.entities} - _perpetrators(graph, case["victims"])
    assert pure and all(got.entities[v]["icon"] == "Victim" for v in pure)
    # the timeline: a link to an incident carries the incident's date
    dated = [x for x in got.links if nodes[str(x["target"])]["label"] == "Incident"]
    assert dated
    for x in dated:
        assert str(x["date"])[:10] == str(nodes[str(x["target"])]["date"])[:10]
    # positions: the subject at the centre, no two entities on one spot
    assert (got.entities[case["perp"]]["x"], got.entities[case["perp"]]["y"]) == (0.0, 0.0)
    spots = Counter((e["x"], e["y"]) for e in got.entities.values())
    assert spots.most_common(1)[0][1] == 1


def test_partner_exports_hold_no_victim_details(client: TestClient, graph: Driver, h: Any) -> None:
    case = showcase(graph)
    pure = case["pure"]
    assert pure["names"] and pure["dobs"]
    for fmt in ("graphml", "anx"):
        officer = _get(client, h("analyst"), case["perp"], fmt)
        assert any(n in officer for n in pure["names"]), "the check must bite"
        partner = _get(client, h("partner"), case["perp"], fmt)
        for secret in pure["names"] | pure["dobs"] | pure["postcodes"] | pure["keys"]:
            assert secret not in partner, (fmt, secret)
        assert "Victim 1" in partner


def test_every_export_is_audited(client: TestClient, graph: Driver, h: Any) -> None:
    case = showcase(graph)
    for fmt in ("graphml", "anx"):
        before = audit_count()
        _get(client, h("caseworker"), case["perp"], fmt)
        entries = audit.entries(after=before, limit=10)
        assert [(e["user"], e["action"], e["resource"]) for e in entries] == [
            ("caseworker", "export", "query:neighbourhood")
        ]
        assert case["perp"] in entries[0]["identities"]


def test_an_unknown_format_is_a_readable_4xx(client: TestClient, graph: Driver, h: Any) -> None:
    r = client.get(f"/exports/persons/{showcase(graph)['perp']}/neighbourhood.pdf",
                   headers=h("analyst"))  # fmt: skip
    assert r.status_code == 422 and "Traceback" not in r.text


def test_the_screen_positions_are_kept(api_env: Path, graph: Driver) -> None:
    case = showcase(graph)
    who = _as("analyst", "synthetic test case 1")
    screen = {case["perp"]: {"x": 512.0, "y": -64.0}}
    text = network.export_opening_chart(who, case["perp"], "graphml", positions=screen)
    g = nx.read_graphml(io.StringIO(text))
    assert (g.nodes[case["perp"]]["x"], g.nodes[case["perp"]]["y"]) == (512.0, -64.0)
    records = [n for n, d in g.nodes(data=True) if d.get("identity_id") == case["perp"]
               and d["label"] == "Person"]  # fmt: skip
    assert records and all(g.nodes[r]["y"] == 6.0 for r in records)  # just below him


def test_cli_export_writes_the_opening_chart(api_env: Path, graph: Driver, tmp_path: Path) -> None:
    case = showcase(graph)
    named = read(  # someone named by name and date of birth alone
        """
        MATCH (p:Person)-[:RESOLVES_TO]->(i:Identity)
        WITH p.full_name AS name, p.date_of_birth AS dob, collect(DISTINCT i.identity_id) AS ids
        WHERE size(ids) = 1 AND size(name) > 5
        RETURN name, toString(dob) AS dob, ids[0] AS id ORDER BY name LIMIT 1
        """,
        driver=graph,
    )[0]
    by_name = (named["id"], f"{named['name']} {named['dob']}")
    for fmt, (identity, person) in (("graphml", (case["perp"],) * 2), ("anx", by_name)):
        out = tmp_path / f"chart.{fmt}"
        before = audit_count()
        done = sw("export", person, "--format", fmt, "--out", str(out))
        assert done.returncode == 0, done.stderr
        entries = [e for e in audit.entries(after=before, limit=20) if e["action"] == "export"]
        assert [(e["user"], e["purpose"]) for e in entries] == [("analyst", PURPOSE)]
        text = out.read_text(encoding="utf-8")
        nodes = (set(nx.read_graphml(out).nodes) if fmt == "graphml"
                 else set(read_anx(text).entities))  # fmt: skip
        opening = network.neighbourhood(_as("analyst", PURPOSE), identity, **network.OPENING)
        assert nodes == {n["id"] for n in opening["nodes"]}
    nowhere = sw("export", case["perp"], "--format", "anx", "--out", str(tmp_path / "no" / "x"))
    assert nowhere.returncode == 2 and len(nowhere.stderr.strip().splitlines()) == 1
    assert "does not exist" in nowhere.stderr
    partner = sw("export", case["perp"], "--format", "anx", "--out", str(tmp_path / "p.anx"),
                 role="partner")  # fmt: skip
    assert partner.returncode == 0, partner.stderr
    assert not any(n in (tmp_path / "p.anx").read_text() for n in case["pure"]["names"])


def _as(role: str, purpose: str) -> Access:
    user = get_user(role)
    assert user is not None
    return Access(user, purpose)


def test_node_roles_follow_the_edges() -> None:
    data = {
        "nodes": [
            {"id": "ID:1", "label": "Identity"},
            {"id": "P1", "label": "Person", "identity_id": "ID:1"},
            {"id": "P2", "label": "Person", "identity_id": "ID:2"},
            {"id": "P3", "label": "Person", "identity_id": None},
            {"id": "I1", "label": "Incident"},
        ],
        "edges": [
            {"source": "P1", "target": "I1", "type": "SUSPECT_IN"},
            {"source": "P2", "target": "I1", "type": "VICTIM_IN"},
            {"source": "P3", "target": "I1", "type": "WITNESS_IN"},
        ],
    }
    assert chart_formats.node_roles(data) == {
        "ID:1": "perpetrator", "P1": "perpetrator", "P2": "victim", "P3": ""
    }  # fmt: skip
