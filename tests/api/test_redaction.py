"""A partner never sees a victim's name, date of birth, address or postcode, in any endpoint or
export: checked on the raw bytes of every answer. Other roles see them (so the check bites)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from neo4j import Driver

from app.security.redaction import Facts, Redactor
from graph.driver import read
from tests.api.conftest import showcase

PARTNER_QUERIES = (
    "serial_perpetrators",
    "rfgv_ranking",
    "matac_serial",
    "cross_force_perpetrators",
    "order_breaches",
    "obligation_compliance",
)
PERSON_QUERIES = ("victim_chain", "active_orders", "agencies_involved", "neighbourhood")


def victim_names(driver: Driver) -> set[str]:
    """Full names of every victim who is not a perpetrator, less any name a perpetrator has."""
    rows = read(
        """
        MATCH (p:Person)-[:RESOLVES_TO]->(i:Identity)
        WITH i, collect(p.full_name) AS names,
             EXISTS { (i)<-[:RESOLVES_TO]-(:Person)-[:VICTIM_IN]->(:Incident) }
             OR EXISTS { (i)<-[:RESOLVES_TO]-(:Person)<-[:PROTECTS]-(:Order) } AS victim,
             EXISTS { (i)<-[:RESOLVES_TO]-(:Person)-[:SUSPECT_IN|OFFENDER_IN|SUBJECT_OF]->() }
             AS perp
        RETURN names, victim, perp
        """,
        driver=driver,
    )
    victims = {n for r in rows if r["victim"] and not r["perp"] for n in r["names"]}
    others = {n for r in rows if not r["victim"] or r["perp"] for n in r["names"]}
    return victims - others


def answers(client: TestClient, headers: dict[str, str], perp: str, victim: str) -> list[str]:
    """The raw text of every endpoint and export a partner can reach, centred on `perp`: the
    first eight are about him alone, the rest list many perpetrators."""
    out: list[tuple[str, Any]] = []
    get = lambda url, **kw: out.append((url, client.get(url, headers=headers, **kw)))  # noqa: E731
    post = lambda url, **kw: out.append((url, client.post(url, headers=headers, **kw)))  # noqa: E731
    get(f"/persons/{perp}")
    get(f"/persons/{perp}/neighbourhood", params={"hops": 2, "limit": 2000})
    get("/paths", params={"a": perp, "b": victim})
    for name in PERSON_QUERIES[:2]:
        post(f"/queries/{name}/run", json={"params": {"person": perp}})
        post(f"/exports/queries/{name}.csv", json={"params": {"person": perp}})
    get(f"/exports/persons/{perp}/neighbourhood.json", params={"hops": 2, "limit": 2000})
    for name in PERSON_QUERIES[2:]:
        post(f"/queries/{name}/run", json={"params": {"person": perp}})
        post(f"/exports/queries/{name}.csv", json={"params": {"person": perp}})
    get(f"/exports/persons/{perp}/neighbourhood.graphml", params={"hops": 2, "limit": 2000})
    get("/serial")
    get("/rfgv", params={"limit": 1000})
    for name in PARTNER_QUERIES:
        post(f"/queries/{name}/run", json={})
        post(f"/exports/queries/{name}.csv", json={})
    for url, r in out:
        assert r.status_code == 200, (url, r.status_code, r.text[:300])
    return [r.text for _, r in out]


def test_partner_sees_no_victim_details(client: TestClient, graph: Driver, h: Any) -> None:
    case = showcase(graph)
    texts = answers(client, h("partner"), case["perp"], case["victims"][0])
    everyone = victim_names(graph)
    for n, text in enumerate(texts):
        # about him alone: none of his victims, even one who is a perpetrator herself;
        # in lists of perpetrators such a victim appears in her own row, by name
        secrets = case if n < 8 else case["pure"]
        lowered = text.lower()
        for secret in secrets["names"] | secrets["postcodes"] | everyone:
            assert secret.lower() not in lowered, (n, secret)
        for dob in secrets["dobs"]:
            assert dob not in text, n
        for key in secrets["keys"]:
            assert key not in text, n  # not even the victims' record keys


def test_other_roles_see_them(client: TestClient, graph: Driver, h: Any) -> None:
    case = showcase(graph)
    texts = "\n".join(answers(client, h("caseworker"), case["perp"], case["victims"][0]))
    assert any(n in texts for n in case["names"])
    assert any(p in texts for p in case["postcodes"])


def test_pseudonyms_follow_the_victim_chain(client: TestClient, graph: Driver, h: Any) -> None:
    case = showcase(graph)
    body = {"params": {"person": case["perp"]}}
    officer = client.post("/queries/victim_chain/run", json=body, headers=h("officer")).json()
    partner = client.post("/queries/victim_chain/run", json=body, headers=h("partner")).json()
    assert [r["name"] for r in partner["rows"]] == [f"Victim {r['n']}" for r in officer["rows"]]
    again = client.post("/queries/victim_chain/run", json=body, headers=h("partner")).json()
    assert [r["identity_id"] for r in again["rows"]] == [r["identity_id"] for r in partner["rows"]]
    # the profile names the same victims the same way
    profile = client.get(f"/persons/{case['perp']}", headers=h("partner")).json()
    labels = {
        p["identity_id"]: p["name"]
        for i in profile["incidents"]
        for p in i["parties"]
        if p["role"] == "victim"
    }
    chain = {r["identity_id"]: r["name"] for r in partner["rows"]}
    assert labels and all(chain.get(k, v) == v for k, v in labels.items())


def test_partner_search_finds_no_victim(client: TestClient, graph: Driver, h: Any) -> None:
    case = showcase(graph)
    names = sorted(case["pure"]["names"])
    for name in names[:5]:
        hits = client.get("/persons", params={"name": name}, headers=h("partner")).json()
        assert all(name.lower() not in json.dumps(hit).lower() for hit in hits)
    for dob in sorted(case["pure"]["dobs"])[:3]:
        hits = client.get("/persons", params={"dob": dob}, headers=h("partner")).json()
        assert all(dob not in json.dumps(hit) for hit in hits)
    officer = client.get("/persons", params={"name": names[0]}, headers=h("officer")).json()
    assert names[0] in json.dumps(officer)


@pytest.mark.parametrize("field", ["name", "caption", "names", "full_name"])
def test_redactor_on_any_shape(field: str) -> None:
    facts = Facts(
        identity_of={"ID:V1": "ID:V1", "SRC:V1": "ID:V1", "ID:P": "ID:P"},
        hidden={"ID:V1": True},
        addresses={"SRC:A1"},
    )
    r = Redactor(facts, "k" * 40, {"ID:P": ["ID:V1"]})
    payload = {
        "rows": [
            {
                "person_key": "SRC:V1",
                field: "Alexa Testperson",
                "dob": "1990-02-03",
                "note": "seen with alexa testperson at ZZ1 1ZZ",
            },
            {"label": "Address", "key": "SRC:A1", "caption": "ZZ1 1ZZ"},
            {"to": "SRC:V1", "evidence": ["ID:P|intimate_partner|SRC:V1|2020-01-01"]},
        ]
    }
    text = json.dumps(r.apply(payload, "ID:P"))
    for secret in ("Alexa", "Testperson", "1990-02-03", "ZZ1 1ZZ", "SRC:V1", "SRC:A1"):
        assert secret.lower() not in text.lower()
    assert "Victim 1" in text
