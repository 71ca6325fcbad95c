"""The alert resources on the real Neo4j: which role may see and act, the partner's redacted
view (checked on the raw bytes), one audit entry per read and per status change, and the
errors (404 unknown, 409 illegal move, 422 bad input, 400 no purpose).

The graph is the API suite's synthetic delivery; its first load raised the alerts used here.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from neo4j import Driver

from app.security import audit
from graph import alerts as al
from tests.api.conftest import audit_count, showcase

UNKNOWN = "AL-0000000000000000"


def fresh(rule: str | None = None, n: int = 1) -> list[str]:
    """Alerts still `new` (tests move alerts on, so each takes its own)."""
    rows = al.alerts(status="new", rule=rule, limit=n, perpetrators_only=True)
    assert len(rows) == n, "the synthetic delivery raised too few alerts"
    return [r["alert_id"] for r in rows]


def new_audit(before: int) -> list[dict[str, Any]]:
    return audit.entries(after=before, limit=100)


@pytest.mark.parametrize("role", ["officer", "analyst", "caseworker", "partner"])
def test_every_role_but_admin_sees_alerts(
    client: TestClient, graph: Driver, h: Any, role: str
) -> None:
    listed = client.get("/alerts", headers=h(role), params={"limit": 5})
    assert listed.status_code == 200 and len(listed.json()) == 5
    first = listed.json()[0]["alert_id"]
    assert client.get(f"/alerts/{first}", headers=h(role)).status_code == 200
    assert client.get("/alerts/count", headers=h(role)).json()["new"] >= 1


def test_admin_sees_no_alerts_and_the_refusal_is_audited(
    client: TestClient, graph: Driver, h: Any
) -> None:
    before = audit_count()
    for url in ("/alerts", f"/alerts/{fresh()[0]}", "/alerts/count", "/watchlist"):
        assert client.get(url, headers=h("admin")).status_code == 403, url
    assert client.post(f"/alerts/{fresh()[0]}/acknowledge", headers=h("admin")).status_code == 403
    assert [e["outcome"] for e in new_audit(before)] == ["refused"] * 5


@pytest.mark.parametrize("role", ["officer", "analyst", "caseworker"])
def test_police_and_caseworkers_act_as_themselves(
    client: TestClient, graph: Driver, h: Any, role: str
) -> None:
    alert = fresh()[0]
    r = client.post(f"/alerts/{alert}/acknowledge", headers=h(role))
    assert r.status_code == 200 and r.json()["status"] == "acknowledged"
    assert r.json()["history"][-1].endswith(f"acknowledged by {role}")
    done = client.post(f"/alerts/{alert}/action", headers=h(role))
    assert done.status_code == 200 and done.json()["status"] == "actioned"


def test_partner_may_not_change_a_status_or_keep_a_watchlist(
    client: TestClient, graph: Driver, h: Any
) -> None:
    alert = fresh()[0]
    for move in ("acknowledge", "action"):
        assert client.post(f"/alerts/{alert}/{move}", headers=h("partner")).status_code == 403
    dismiss = client.post(
        f"/alerts/{alert}/dismiss", headers=h("partner"), json={"reason": "not ours"}
    )
    assert dismiss.status_code == 403
    assert al.alert(alert)["status"] == "new"
    perp = showcase(graph)["perp"]
    assert client.put(f"/watchlist/{perp}", headers=h("partner")).status_code == 403
    assert client.get("/watchlist", headers=h("partner")).status_code == 403


def test_partner_raw_json_holds_no_victim_name_dob_or_postcode(
    client: TestClient, graph: Driver, h: Any
) -> None:
    case = showcase(graph)
    pure = case["pure"]
    assert pure["names"], "the showcase perpetrator has victims who are not perpetrators"

    def texts(role: str) -> list[str]:
        listed = client.get("/alerts", headers=h(role), params={"identity": case["perp"]})
        assert listed.status_code == 200 and listed.json()
        out = [listed.text, client.get("/alerts", headers=h(role), params={"limit": 500}).text]
        for a in listed.json():
            one = client.get(f"/alerts/{a['alert_id']}", headers=h(role))
            assert one.status_code == 200
            out.append(one.text)
        return out

    officer = "\n".join(texts("officer"))
    assert any(n in officer for n in pure["names"])  # the check bites: officers see them
    for text in texts("partner"):
        for secret in pure["names"] | pure["dobs"] | pure["postcodes"] | pure["keys"]:
            assert secret not in text


def test_each_read_and_each_change_writes_one_audit_entry(
    client: TestClient, graph: Driver, h: Any
) -> None:
    alert = fresh()[0]
    subject = al.alert(alert)["identity_id"]
    before = audit_count()
    client.get("/alerts", headers=h("officer"), params={"limit": 3})
    client.get(f"/alerts/{alert}", headers=h("officer"))
    client.get("/alerts/count", headers=h("officer"))  # a number names nobody: not audited
    client.post(f"/alerts/{alert}/dismiss", headers=h("officer"), json={"reason": "duplicate"})
    entries = new_audit(before)
    assert [(e["action"], e["resource"]) for e in entries] == [
        ("read", "alerts"),
        ("read", "alert"),
        ("dismiss", "alert"),
    ]
    assert all(e["user"] == "officer" and e["purpose"] == "synthetic test case 1" for e in entries)
    assert subject in entries[1]["identities"] and subject in entries[2]["identities"]
    assert entries[2]["params"]["reason"] == "duplicate"


def test_illegal_moves_conflict_and_unknown_alerts_are_not_found(
    client: TestClient, graph: Driver, h: Any
) -> None:
    alert = fresh()[0]
    ok = client.post(f"/alerts/{alert}/acknowledge", headers=h("caseworker"))
    assert ok.status_code == 200
    again = client.post(f"/alerts/{alert}/acknowledge", headers=h("caseworker"))
    assert again.status_code == 409 and "acknowledged" in again.json()["detail"]
    client.post(f"/alerts/{alert}/dismiss", headers=h("caseworker"), json={"reason": "seen"})
    assert client.post(f"/alerts/{alert}/action", headers=h("caseworker")).status_code == 409
    assert client.get(f"/alerts/{UNKNOWN}", headers=h("officer")).status_code == 404
    assert client.post(f"/alerts/{UNKNOWN}/acknowledge", headers=h("officer")).status_code == 404


@pytest.mark.parametrize(
    ("method", "url", "kwargs"),
    [
        ("post", "/alerts/{a}/dismiss", {"json": {}}),  # a dismissal needs a reason
        ("post", "/alerts/{a}/dismiss", {"json": {"reason": "   "}}),
        ("get", "/alerts", {"params": {"status": "closed"}}),
        ("get", "/alerts", {"params": {"rule": "no_such_rule"}}),
        ("get", "/alerts", {"params": {"limit": 0}}),
        ("get", "/alerts/not-an-alert-id", {}),
    ],
)
def test_bad_input_is_422_without_a_trace(
    client: TestClient, graph: Driver, h: Any, method: str, url: str, kwargs: dict[str, Any]
) -> None:
    r = getattr(client, method)(url.format(a=fresh()[0]), headers=h("officer"), **kwargs)
    assert r.status_code == 422 and "Traceback" not in r.text and r.json()["detail"]


def test_purpose_is_required(client: TestClient, graph: Driver, h: Any) -> None:
    for url in ("/alerts", "/alerts/count", f"/alerts/{fresh()[0]}"):
        assert client.get(url, headers=h("officer", purpose=None)).status_code == 400, url


def test_filters_and_paging(client: TestClient, graph: Driver, h: Any) -> None:
    every = client.get("/alerts", headers=h("analyst"), params={"limit": 500}).json()
    raised = [a["raised_at"] for a in every]
    assert raised == sorted(raised, reverse=True)  # newest first
    page = client.get("/alerts", headers=h("analyst"), params={"limit": 2, "offset": 2}).json()
    assert [a["alert_id"] for a in page] == [a["alert_id"] for a in every[2:4]]
    rule = every[0]["rule"]
    owner = every[0]["owner"]
    only = client.get(
        "/alerts", headers=h("analyst"), params={"rule": rule, "owner": owner, "limit": 500}
    ).json()
    assert only and all(a["rule"] == rule and a["owner"] == owner for a in only)
    assert every[0]["alert_id"] in {a["alert_id"] for a in only}
    who = every[0]["identity_id"]
    mine = client.get("/alerts", headers=h("analyst"), params={"identity": who}).json()
    assert mine and all(a["identity_id"] == who for a in mine)


def test_watchlist_follow_list_unfollow(client: TestClient, graph: Driver, h: Any) -> None:
    perp = showcase(graph)["perp"]
    followed = client.put(f"/watchlist/{perp}", headers=h("caseworker"))
    assert followed.status_code == 200 and followed.json()["watcher"] == "caseworker"
    assert [w["identity_id"] for w in client.get("/watchlist", headers=h("caseworker")).json()] == [
        perp
    ]
    assert client.get("/watchlist", headers=h("officer")).json() == []  # each keeps his own
    assert client.delete(f"/watchlist/{perp}", headers=h("caseworker")).status_code == 200
    assert client.delete(f"/watchlist/{perp}", headers=h("caseworker")).status_code == 404
    assert client.put("/watchlist/NOBODY:1", headers=h("caseworker")).status_code == 404


def test_the_inbox_puts_the_users_area_first_and_names_every_subject(
    client: TestClient, graph: Driver, h: Any
) -> None:
    from app.security import users
    from graph import alert_items as items

    areas = [r["owner"] for r in items.items(limit=500) if r["owner"]]
    assert areas, "the synthetic delivery put nothing in the inbox"
    least = min(set(areas), key=lambda a: (areas.count(a), a))  # an area rarely on top
    users.add("pc.area", "officer", "synthetic-area-password", area=least)
    token = client.post(
        "/token", data={"username": "pc.area", "password": "synthetic-area-password"}
    ).json()["access_token"]
    mine = {"Authorization": f"Bearer {token}", "X-Purpose": "morning inbox"}
    shown = client.get("/inbox?limit=500", headers=mine).json()
    firsts = [r["owner"] for r in shown[: areas.count(least)]]
    assert firsts == [least] * areas.count(least)  # hers first, then the rest: widened view
    assert len(shown) == len(areas) or len(shown) == 500
    assert all(r["identity_id"] and r["name"] for r in shown)  # every item names its man
    only = client.get(f"/inbox?owner={least}", headers=mine).json()
    assert {r["owner"] for r in only} == {least}
    counts = client.get("/inbox/count", headers=h("officer")).json()
    assert counts["total"] == sum(counts[b] for b in ("high", "medium", "low"))


def test_per_area_counts_add_up_to_the_inbox_and_name_no_one(
    client: TestClient, graph: Driver, h: Any
) -> None:
    from collections import Counter

    from graph import alert_items as items

    shown = items.items(limit=100_000)
    expected = Counter((r["owner"], r["band"]) for r in shown)
    areas = client.get("/inbox/areas", headers=h("officer")).json()
    assert areas, "the synthetic delivery put nothing in the inbox"
    got = Counter({(a["area"], b): a[b] for a in areas for b in ("high", "medium", "low") if a[b]})
    assert got == expected  # every item counted once, under its owner and its band
    assert all(a["total"] == a["high"] + a["medium"] + a["low"] for a in areas)
    highs = [a["high"] for a in areas]
    assert highs == sorted(highs, reverse=True)  # the areas with most high items first
    assert set(areas[0]) == {"area", "total", "high", "medium", "low"}  # counts, no one named
    assert client.get("/inbox/areas?band=urgent", headers=h("officer")).status_code == 422
    assert client.get("/inbox/areas", headers=h("admin")).status_code == 403
