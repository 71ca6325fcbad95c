"""MAPPA+ case work on the real Neo4j: a new Category 4 alert opens one candidate; the lifecycle
moves only as MOVES allows; a stale write changes nothing; the meeting sets the level, review
date, actions and obligations; follow-up raises exactly one alert per overdue action, overdue
review and new alert on a managed man; a case follows its identity through a merge."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from neo4j import Driver

from graph import alerts as al
from graph import case_assessment as ca
from graph import cases as gc
from graph.case_followup import follow_up
from graph.driver import read, write
from graph.runner import run
from ingest.transactional import load_delivery
from tests.alerts.test_alerts import base, incident, parties, person
from tests.cases.flow import P1, managed, version
from tests.ingest.deliveries import write_delivery


def test_a_category4_alert_opens_one_candidate_and_follow_up_again_opens_none(
    candidate: str, db: Driver
) -> None:
    case = gc.case(candidate)
    assert case["source"].startswith("alert AL-") and case["area"] == "NTH"
    assert case["changes"][0]["what"] == "opened"
    assert follow_up() == {"cases": []}
    assert len(gc.queue()) == 1


@pytest.mark.parametrize(
    ("path", "refused"),
    [
        ([], "accepted"),  # a candidate is screened first
        ([], "managed"),
        (["screening"], "managed"),  # accepted before managed
        (["screening", "not_accepted"], "screening"),  # not accepted is final
        (["screening", "not_accepted"], "closed"),
        (["closed"], "screening"),  # closed is final
    ],
)
def test_moves_outside_the_lifecycle_are_refused_and_change_nothing(
    candidate: str, path: list[str], refused: str
) -> None:
    for status in path:
        gc.move(candidate, version(candidate), status, "cw", reason="no longer serial",
                level=2)  # fmt: skip
    before = gc.case(candidate)
    with pytest.raises(gc.IllegalMove):
        gc.move(candidate, before["version"], refused, "cw", reason="r", level=2)
    assert gc.case(candidate) == before


def test_every_allowed_move_is_kept_with_who_before_and_after(candidate: str) -> None:
    for status, extra in [("screening", {}), ("accepted", {"level": 3}), ("managed", {}),
                          ("closed", {"reason": "moved abroad"})]:  # fmt: skip
        gc.move(candidate, version(candidate), status, "cw", **extra)  # type: ignore[arg-type]
    case = gc.case(candidate)
    moves = [(h["before_text"], h["after_text"], h["by"]) for h in case["changes"]
             if h["field"] == "status"]  # fmt: skip
    assert moves == [("candidate", "screening", "cw"), ("screening", "accepted", "cw"),
                     ("accepted", "managed", "cw"), ("managed", "closed", "cw")]
    assert case["status_reason"] == "moved abroad" and case["level"] == 3
    assert case["version"] == 5


@pytest.mark.parametrize(
    ("status", "kwargs", "message"),
    [("not_accepted", {}, "needs a reason"), ("closed", {"reason": "  "}, "needs a reason"),
     ("accepted", {}, "needs a MAPPA level"), ("accepted", {"level": 4}, "needs a MAPPA level"),
     ("resolved", {}, "status must be one of")],
)  # fmt: skip
def test_a_move_without_what_it_needs_is_refused(
    candidate: str, status: str, kwargs: dict[str, object], message: str
) -> None:
    gc.move(candidate, version(candidate), "screening", "cw")
    with pytest.raises(gc.CaseError, match=message):
        gc.move(candidate, version(candidate), status, "cw", **kwargs)  # type: ignore[arg-type]


def test_a_stale_write_changes_nothing_and_the_first_write_is_kept(candidate: str) -> None:
    seen = version(candidate)
    gc.assign(candidate, seen, "ann", caseworker="ann")
    with pytest.raises(gc.StaleWrite, match="reload it"):
        gc.assign(candidate, seen, "bob", caseworker="bob", area="STH")
    case = gc.case(candidate)
    assert case["caseworker"] == "ann" and case["area"] == "NTH"
    assert [h["by"] for h in case["changes"] if h["field"] == "caseworker"] == ["ann"]


def test_one_open_case_per_man(candidate: str) -> None:
    with pytest.raises(gc.IllegalMove, match="already has an open case"):
        gc.open_case("NTH:P1", "cw")
    gc.move(candidate, version(candidate), "closed", "cw", reason="duplicate")
    assert gc.open_case("NTH:P1", "cw") != candidate


def test_the_meeting_sets_level_2_and_the_review_falls_16_weeks_later(candidate: str) -> None:
    held = date(2026, 3, 2)
    hearing = managed(candidate, held)
    v = gc.record_minutes(hearing, version(candidate), "chair", "Agreed a plan.")
    made = [gc.add_action(hearing, v + n, "chair", heading=h, title=f"do {h}", agency=a,
                          owner="owner", due=held + timedelta(days=30))["case_version"]
            for n, (h, a) in enumerate([("supervision", "PROB"),
                                        ("monitoring_and_control", "NTH"),
                                        ("victim_safety_planning", "IDVA")])]  # fmt: skip
    gc.impose_obligation(hearing, made[-1], "chair", "notify_new_relationship")
    gc.impose_obligation(hearing, made[-1] + 1, "chair", "treatment_programme")
    case = gc.case(candidate)
    assert case["status"] == "managed" and case["level"] == 2
    assert case["review_due"] == (held + timedelta(weeks=16)).isoformat()
    assert case["hearings"][0]["minutes"] == "Agreed a plan."
    assert sorted(a["heading"] for a in case["actions"]) == [
        "monitoring_and_control", "supervision", "victim_safety_planning"]
    assert [o["type"] for o in case["obligations"]] == ["notify_new_relationship",
                                                         "treatment_programme"]
    register = [r for r in run("obligations_register").rows if r["identity_id"] == P1]
    assert register[0]["imposed"] == ["notify_new_relationship", "treatment_programme"]
    agenda = gc.meeting(case["hearings"][0]["meeting_id"])["agenda"]
    assert len(agenda) == 1 and len(agenda[0]["actions"]) == 3
    assert len(agenda[0]["obligations"]) == 2



def test_a_managed_man_the_meeting_gave_obligations_is_on_the_register_though_not_serial(
    db: Driver, tmp_path: Path
) -> None:
    """One victim, no order: on the register only because a meeting imposed obligations."""
    load_delivery(base(tmp_path / "one", victims=1), db)
    case_id = gc.open_case("NTH:P1", "cw")
    hearing = managed(case_id, date(2026, 3, 2))
    gc.impose_obligation(hearing, version(case_id), "chair", "treatment_programme")
    rows = [(r["identity_id"], r["category4"], r["duty_orders"], r["imposed"])
            for r in run("obligations_register").rows]  # fmt: skip
    assert rows == [(P1, False, [], ["treatment_programme"])]

def test_level_3_reviews_every_8_weeks(candidate: str) -> None:
    managed(candidate, date(2026, 3, 2), level=3)
    assert gc.case(candidate)["review_due"] == "2026-04-27"


def test_an_obligation_links_only_his_own_orders(
    candidate: str, db: Driver, tmp_path: Path
) -> None:
    load_delivery(
        write_delivery(tmp_path / "orders", {"orders.csv": [
            {"order_key": "NTH:O1", "order_type": "SPO", "subject_key": "NTH:P1",
             "issued_date": "2025-01-10", "start_date": "2025-01-10", "agency_code": "NTH"},
            {"order_key": "NTH:O2", "order_type": "SPO", "subject_key": "NTH:V1",
             "issued_date": "2025-01-10", "start_date": "2025-01-10", "agency_code": "NTH"}]}), db,
    )  # fmt: skip
    hearing = managed(candidate, date(2026, 3, 2))
    gc.impose_obligation(hearing, version(candidate), "chair", "notify_change_of_address",
                         order_keys=["NTH:O1"])  # fmt: skip
    linked = read("MATCH (:Obligation)-[:UNDER]->(o:Order) RETURN o.order_key AS k")
    assert [r["k"] for r in linked] == ["NTH:O1"]
    with pytest.raises(gc.CaseError, match="NTH:O2"):
        gc.impose_obligation(hearing, version(candidate), "chair", "notify_change_of_name",
                             order_keys=["NTH:O2"])  # fmt: skip


def _alerts(rule: str) -> list[dict[str, object]]:
    return [a for a in al.alerts() if a["rule"] == rule]


def test_an_overdue_action_raises_exactly_one_alert_to_the_caseworker(candidate: str) -> None:
    gc.assign(candidate, version(candidate), "cw", caseworker="cw")
    hearing = managed(candidate, date.today() - timedelta(days=20))
    made = gc.add_action(hearing, version(candidate), "chair", heading="supervision",
                         title="weekly contact", agency="PROB", owner="olly",
                         due=date.today() + timedelta(days=1))  # fmt: skip
    assert follow_up().get("case_action_overdue") is None  # not yet due
    raised = follow_up(date.today() + timedelta(days=2))
    assert len(raised["case_action_overdue"]) == 1
    assert follow_up(date.today() + timedelta(days=3)).get("case_action_overdue") is None
    alert = _alerts("case_action_overdue")[0]
    assert alert["owner"] == "cw" and alert["identity_id"] == P1
    assert made["action_id"] in str(alert["summary"])
    # done actions raise nothing; a new due date missed again raises a new one
    seen = gc.action(made["action_id"])["version"]
    gc.set_action(made["action_id"], seen, "olly", due=date.today() + timedelta(days=5))
    assert len(follow_up(date.today() + timedelta(days=6))["case_action_overdue"]) == 1
    gc.set_action(made["action_id"], seen + 1, "olly", status="done")
    assert follow_up(date.today() + timedelta(days=60)).get("case_action_overdue") is None


def test_an_overdue_review_raises_one_alert(candidate: str) -> None:
    managed(candidate, date.today() - timedelta(weeks=17))
    assert len(follow_up()["case_review_overdue"]) == 1
    assert follow_up().get("case_review_overdue") is None


def test_a_new_alert_on_a_managed_man_raises_one_alert_to_his_case(
    candidate: str, db: Driver, tmp_path: Path
) -> None:
    managed(candidate, date.today())
    load_delivery(
        write_delivery(tmp_path / "partner", {
            "persons.csv": [person("STH:W1", "Newlove", "Cara")],
            "relationships.csv": [{"person_key": "NTH:P1", "other_key": "STH:W1",
                                   "type": "intimate_partner", "from_date": "2026-01-01",
                                   "agency_code": "STH"}]}), db,
    )  # fmt: skip
    raised = _alerts("managed_perpetrator_alert")
    assert len(raised) == 1 and raised[0]["identity_id"] == P1
    assert follow_up().get("managed_perpetrator_alert") is None


def test_assessments_freeze_the_evidence_and_show_what_changed(
    candidate: str, db: Driver, tmp_path: Path
) -> None:
    gc.move(candidate, version(candidate), "screening", "cw")
    first = ca.assess(candidate, version(candidate), "cw", notes="two victims",
                      decision="defer")  # fmt: skip
    load_delivery(
        write_delivery(tmp_path / "more", {
            "persons.csv": [person("NTH:V9", "Victimson9", "Ann")],
            "incidents.csv": [incident("NTH:I9", "2025-09-01")],
            "incident_parties.csv": parties("NTH:I9", "NTH:P1", "NTH:V9")}), db,
    )  # fmt: skip
    second = ca.assess(candidate, first["case_version"], "cw", notes="three now",
                       decision="accept")  # fmt: skip
    a, b = ca.assessment(first["assessment_id"]), ca.assessment(second["assessment_id"])
    assert a["tier"] == "serial" and a["tier_why"][0] == "2 victims"
    assert [v["identity_id"] for v in a["victims"]] == ["ID:NTH:V1", "ID:NTH:V2"]
    assert a["notes"] == "two victims" and a["decision"] == "defer"
    diff = ca.changed_since(a, b)
    assert diff["lists"]["victims"] == {"added": [{"identity_id": "ID:NTH:V9"}], "removed": []}
    assert diff["lists"]["tier_why"]["added"] == ["3 victims"]
    assert "rfgv_score" in diff["figures"]


def test_a_case_follows_its_man_through_a_merge(
    candidate: str, db: Driver, tmp_path: Path
) -> None:
    load_delivery(
        write_delivery(tmp_path / "sth", {
            "persons.csv": [person("STH:P1", "Marlow", "Dean", "M")]}), db,
    )  # fmt: skip
    write(  # what resolution does when it links his two records into one identity
        "MATCH (p:Person {person_key: 'NTH:P1'})-[r:RESOLVES_TO]->(old:Identity) DELETE r "
        "WITH p, old MATCH (i:Identity {identity_id: 'ID:STH:P1'}) MERGE (p)-[:RESOLVES_TO]->(i) "
        "WITH old DETACH DELETE old"
    )
    assert gc.follow_resolution() == 1
    case = gc.case(candidate)
    assert case["identity_id"] == "ID:STH:P1" and case["status"] == "candidate"
    moved = [h for h in case["changes"] if h["what"] == "re-resolved"]
    assert [(h["before_text"], h["after_text"]) for h in moved] == [(P1, "ID:STH:P1")]
    assert gc.follow_resolution() == 0
    assert [c["case_id"] for c in gc.queue()] == [candidate]


def _changes_after(tmp_path: Path, today: date) -> Path:
    """What agencies recorded of him after the hearing (30 days ago): a home he had before it,
    a new home 20 days ago that he never notified, a partner 10 days ago he notified the next
    day, and a partner yesterday (his window to notify her is still open)."""
    def day(n: int) -> str:
        return (today - timedelta(days=n)).isoformat()

    return write_delivery(tmp_path / "after", {
        "persons.csv": [person("STH:W1", "Newlove", "Cara"), person("STH:W2", "Laterly", "Dora")],
        "addresses.csv": [{"address_key": f"NTH:A{n}", "line1": f"{n} Mill Lane",
                           "postcode": "NE1 1AA"} for n in (1, 2)],
        "residences.csv": [
            {"person_key": "NTH:P1", "address_key": "NTH:A1", "from_date": day(40),
             "agency_code": "NTH"},
            {"person_key": "NTH:P1", "address_key": "NTH:A2", "from_date": day(20),
             "agency_code": "NTH"}],
        "relationships.csv": [
            {"person_key": "NTH:P1", "other_key": "STH:W1", "type": "intimate_partner",
             "from_date": day(10), "agency_code": "STH"},
            {"person_key": "NTH:P1", "other_key": "STH:W2", "type": "intimate_partner",
             "from_date": day(1), "agency_code": "STH"}],
        "notifications.csv": [
            {"notification_key": "NTH:N1", "person_key": "NTH:P1", "type": "new_relationship",
             "notified_date": day(9), "event_date": day(10), "agency_code": "NTH"}],
    })  # fmt: skip


def test_an_obligation_breached_in_the_graph_raises_one_alert_to_the_case_owner(
    candidate: str, db: Driver, tmp_path: Path
) -> None:
    today = date.today()
    gc.assign(candidate, version(candidate), "cw", caseworker="cw")
    hearing = managed(candidate, today - timedelta(days=30))
    gc.impose_obligation(hearing, version(candidate), "chair", "notify_change_of_address")
    gc.impose_obligation(hearing, version(candidate), "chair", "notify_new_relationship")
    load_delivery(_changes_after(tmp_path, today), db)  # the load's follow-up judges them
    breached = _alerts("case_obligation_breached")
    assert len(breached) == 1, breached
    moved = (today - timedelta(days=20)).isoformat()
    assert breached[0]["owner"] == "cw" and breached[0]["identity_id"] == P1
    assert f"address change of {moved} not notified" in str(breached[0]["summary"])
    assert follow_up().get("case_obligation_breached") is None  # once only
    # her window closes: the partner of yesterday, never notified, is a breach too
    later = follow_up(today + timedelta(days=3))["case_obligation_breached"]
    assert len(later) == 1 and len(_alerts("case_obligation_breached")) == 2
    newest = [a for a in _alerts("case_obligation_breached") if a["alert_id"] == later[0]]
    assert "new relationship of" in str(newest[0]["summary"])
    assert "Laterly" not in str(newest[0]) and "STH:W2" not in str(newest[0]["summary"])
