"""Case work over HTTP and at the terminal, on the API suite's graph: the queue puts candidates
first; a stale write answers 409 with a readable message and loses nothing; the CLI says what
to fix in one line; a partner's meeting view holds no victim's identity or minutes."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from app.security.redaction import WITHHELD
from tests.api.test_cli import sw


def _candidate(client: TestClient, h: Any) -> dict[str, Any]:
    queue = client.get("/cases", headers=h("caseworker"))
    assert queue.status_code == 200, queue.text
    rows = queue.json()
    assert rows, "the synthetic delivery's new Category 4 alerts opened candidate cases"
    statuses = [r["status"] for r in rows]
    assert statuses == sorted(statuses, key=["candidate", "screening", "accepted",
                                             "managed"].index)  # fmt: skip
    ranked = [r["rfgv"] for r in rows if r["status"] == "candidate"]
    assert ranked == sorted(ranked, reverse=True) and max(ranked) > 0  # highest RFGV first
    return next(r for r in rows if r["status"] == "candidate")


def test_a_stale_write_answers_409_and_the_first_write_stands(
    client: TestClient, h: Any, graph: Any
) -> None:
    case = _candidate(client, h)
    url = f"/cases/{case['case_id']}"
    first = client.post(url + "/assign", json={"version": case["version"], "caseworker": "ann"},
                        headers=h("caseworker"))  # fmt: skip
    assert first.status_code == 200, first.text
    stale = client.post(url + "/assign", json={"version": case["version"], "caseworker": "bob"},
                        headers=h("caseworker"))  # fmt: skip
    assert stale.status_code == 409 and "reload it" in stale.json()["detail"]
    assert client.get(url, headers=h("caseworker")).json()["caseworker"] == "ann"
    refused = client.post(url + "/move", json={"version": first.json()["version"],
                                               "status": "screening"}, headers=h("partner"))
    assert refused.status_code == 403


def test_a_partner_reads_the_meeting_without_victims_or_minutes(
    client: TestClient, h: Any, graph: Any
) -> None:
    case = _candidate(client, h)
    url = f"/cases/{case['case_id']}"
    v = case["version"]
    for status, extra in [("screening", {}), ("accepted", {"level": 2})]:
        r = client.post(url + "/move", json={"version": v, "status": status, **extra},
                        headers=h("caseworker"))  # fmt: skip
        assert r.status_code == 200, r.text
        v = r.json()["version"]
    asm = client.post(url + "/assessments", json={"version": v, "notes": "victim Ann at home",
                                                  "decision": "accept"}, headers=h("caseworker"))
    assert asm.status_code == 201, asm.text
    v = asm.json()["case_version"]
    meeting = client.post("/meetings", json={
        "date": date.today().isoformat(), "area": "NTH", "chair": "Chair",
        "attendees": [{"agency": "IDVA", "role": "idva", "name": "Ivy"}]},
        headers=h("officer")).json()  # fmt: skip
    hearing = client.post(f"/meetings/{meeting['meeting_id']}/agenda",
                          json={"case_id": case["case_id"]}, headers=h("caseworker")).json()
    hurl = f"/hearings/{hearing['hearing_id']}"
    v = client.put(hurl + "/level", json={"version": v, "level": 2},
                   headers=h("officer")).json()["case_version"]  # fmt: skip
    v = client.put(hurl + "/minutes", json={"version": v, "minutes": "Ann fears him."},
                   headers=h("officer")).json()["case_version"]  # fmt: skip
    assert client.get(url, headers=h("caseworker")).json()["review_due"]
    seen = client.get(f"/meetings/{meeting['meeting_id']}", headers=h("partner"))
    assert seen.status_code == 200, seen.text
    assert seen.json()["agenda"][0]["minutes"] == WITHHELD
    partner_asm = client.get(f"/assessments/{asm.json()['assessment_id']}",
                             headers=h("partner")).json()  # fmt: skip
    assert partner_asm["notes"] == WITHHELD
    real = asm.json()["victims"]
    assert real and all(v["identity_id"] not in str(partner_asm) for v in real)


def test_the_cli_says_in_one_line_what_to_fix(api_env: Path, graph: Any) -> None:
    queue = sw("cases", "queue", "-f", "json", role="caseworker")
    assert queue.returncode == 0, queue.stderr
    stale = sw("cases", "move", "CASE-000000000000", "screening", "--version", "1",
               role="caseworker")  # fmt: skip
    assert stale.returncode != 0 and "no case CASE-000000000000" in stale.stderr
    assert len(stale.stderr.strip().splitlines()) == 1
    refused = sw("cases", "move", "CASE-000000000000", "screening", "--version", "1",
                 role="partner")  # fmt: skip
    assert refused.returncode != 0 and "partner" in refused.stderr
